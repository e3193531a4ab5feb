//! Rich text that is safe to render: paragraphs, lists, emphasis, line
//! breaks and http(s) links, held as data.
//!
//! Catalogues carry descriptions written as HTML by editors of other systems.
//! The importers reduce that HTML to these types, and the widgets build DOM
//! nodes from them, so no string from a catalogue ever reaches `innerHTML`.
//! A catalogue may also be written by hand, so renderers still check every
//! link with [`is_safe_href`] instead of trusting the importer.

use serde::{Deserialize, Serialize};

/// A block of rich text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph of inline content.
    Paragraph { content: Vec<Inline> },
    /// A bulleted (`ordered: false`) or numbered list; each item is inline content.
    List {
        #[serde(default)]
        ordered: bool,
        items: Vec<Vec<Inline>>,
    },
}

/// Inline content inside a [`Block`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    /// Plain text, shown as it is (markup in it is shown, not interpreted).
    Text { text: String },
    /// Emphasised content (HTML `em`).
    Emphasis { content: Vec<Inline> },
    /// Strongly emphasised content (HTML `strong`).
    Strong { content: Vec<Inline> },
    /// A hyperlink. Renderers show the content without a link when
    /// [`is_safe_href`] rejects `href`.
    Link { href: String, content: Vec<Inline> },
    /// A line break inside a paragraph or list item.
    LineBreak,
}

/// Returns true when `href` is an absolute `http:` or `https:` URL.
///
/// Leading and trailing ASCII whitespace and control characters are ignored,
/// as browsers ignore them when they parse a URL, so `" javascript:…"` is
/// rejected like `"javascript:…"`.
pub fn is_safe_href(href: &str) -> bool {
    let trimmed = href.trim_matches(|c: char| c.is_ascii_whitespace() || c.is_ascii_control());
    if trimmed.chars().any(|c| c.is_ascii_control()) {
        return false;
    }
    let lower = trimmed.get(..8).unwrap_or(trimmed).to_ascii_lowercase();
    let rest_after = |scheme_len: usize| trimmed.get(scheme_len..).unwrap_or("");
    (lower.starts_with("https://") && !rest_after(8).is_empty())
        || (lower.starts_with("http://") && !rest_after(7).is_empty())
}

/// Returns the plain text of `blocks`, paragraphs and list items separated
/// by newlines. Search indexes this text.
pub fn plain_text(blocks: &[Block]) -> String {
    let mut output = String::new();
    for block in blocks {
        match block {
            Block::Paragraph { content } => {
                push_inline_text(content, &mut output);
                output.push('\n');
            }
            Block::List { items, .. } => {
                for item in items {
                    push_inline_text(item, &mut output);
                    output.push('\n');
                }
            }
        }
    }
    output
}

fn push_inline_text(content: &[Inline], output: &mut String) {
    for inline in content {
        match inline {
            Inline::Text { text } => output.push_str(text),
            Inline::Emphasis { content } | Inline::Strong { content } | Inline::Link { content, .. } => {
                push_inline_text(content, output)
            }
            Inline::LineBreak => output.push('\n'),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_href_accepts_http_and_https() {
        assert!(is_safe_href("https://stadt.muenchen.de/service/"));
        assert!(is_safe_href("HTTP://example.org/a?b=1&c=2"));
        assert!(is_safe_href("  https://example.org  "));
    }

    #[test]
    fn safe_href_rejects_other_schemes() {
        for href in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "mailto:buergerbuero@example.org",
            "/relative/path",
            "//example.org/protocol-relative",
            "https://",
            "",
        ] {
            assert!(!is_safe_href(href), "accepted {href:?}");
        }
    }

    #[test]
    fn plain_text_joins_blocks() {
        let blocks = vec![
            Block::Paragraph {
                content: vec![
                    Inline::Text { text: "Bitte ".into() },
                    Inline::Strong { content: vec![Inline::Text { text: "rechtzeitig".into() }] },
                ],
            },
            Block::List {
                ordered: true,
                items: vec![vec![Inline::Text { text: "Ausweis".into() }]],
            },
        ];
        assert_eq!(plain_text(&blocks), "Bitte rechtzeitig\nAusweis\n");
    }
}
