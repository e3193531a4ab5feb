//! Rendering [`Block`]s as Yew nodes.
//!
//! Every text ends up in a text node, so markup in catalogue data is shown,
//! not run. A link becomes an `<a>` only when [`is_safe_href`] accepts it;
//! otherwise its content is shown without a link.

use ogkit_core::richtext::{is_safe_href, Block, Inline};
use yew::prelude::*;

/// Renders rich text blocks as paragraphs and lists.
pub fn blocks(blocks: &[Block]) -> Html {
    blocks.iter().map(block).collect()
}

fn block(block: &Block) -> Html {
    match block {
        Block::Paragraph { content } => html! { <p>{ inlines(content) }</p> },
        Block::List { ordered: true, items } => html! {
            <ol>{ for items.iter().map(|item| html! { <li>{ inlines(item) }</li> }) }</ol>
        },
        Block::List { ordered: false, items } => html! {
            <ul>{ for items.iter().map(|item| html! { <li>{ inlines(item) }</li> }) }</ul>
        },
    }
}

fn inlines(content: &[Inline]) -> Html {
    content.iter().map(inline).collect()
}

fn inline(inline: &Inline) -> Html {
    match inline {
        Inline::Text { text } => html! { { text.clone() } },
        Inline::Emphasis { content } => html! { <em>{ inlines(content) }</em> },
        Inline::Strong { content } => html! { <strong>{ inlines(content) }</strong> },
        Inline::Link { href, content } if is_safe_href(href) => html! {
            <a href={ href.trim().to_string() } rel="noopener noreferrer">{ inlines(content) }</a>
        },
        Inline::Link { content, .. } => inlines(content),
        Inline::LineBreak => html! { <br /> },
    }
}
