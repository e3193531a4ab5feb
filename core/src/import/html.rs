//! Reduction of untrusted HTML to safe rich text ([`Block`]s).
//!
//! The HTML is parsed by html5ever (through `scraper`), the parser that
//! Servo uses, so malformed markup is repaired the way a browser repairs it
//! and character references are decoded exactly once: `&amp;amp;` becomes
//! the text `&amp;`. The reducer then walks the tree and keeps:
//!
//! - paragraphs: `p`, `div` and the other block elements start a new one;
//!   headings become a paragraph of strong text;
//! - lists: `ul`/`ol` with their `li` items; a list inside an item becomes
//!   lines of that item, each starting with "– " or "1. ", because
//!   [`Block::List`] items hold inline content only;
//! - emphasis (`em`, `i`), strong emphasis (`strong`, `b`) and line breaks;
//! - links whose target is an absolute http(s) URL. Other links keep their
//!   text and lose the link: `javascript:`, `data:`, `mailto:`, and relative
//!   URLs unless a base URL is given to resolve them.
//!
//! Scripts, styles, templates, embedded objects, form controls and their
//! content are dropped. Every other element (`span`, `u`, `font`, unknown
//! tags) is replaced by its content, and attributes (event handlers, styles,
//! classes) are never read, except `href` on `a`.
//!
//! Whitespace is collapsed as a browser collapses it in normal flow: every
//! run of spaces, tabs and newlines becomes one space, also across element
//! borders, and spaces at the start and end of a line disappear. A `pre`
//! element keeps its line breaks but has its spaces collapsed too. Invisible
//! characters ([`is_invisible`]) are removed, and paragraphs and list items
//! without visible text are dropped.
//!
//! The walk is iterative, so deeply nested input cannot overflow the stack.

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node};
use url::Url;

use crate::richtext::{is_safe_href, Block, Inline};

/// Blocks produced from one HTML fragment, and the links that were removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reduced {
    /// The safe rich text.
    pub blocks: Vec<Block>,
    /// Links whose text was kept but whose target was removed, in document order.
    pub dropped_links: Vec<DroppedLink>,
}

/// A link target that [`reduce`] removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedLink {
    /// The `href` attribute as written in the source.
    pub href: String,
    /// Reason for the removal, e.g. `scheme "javascript" is not http or https`.
    pub problem: String,
}

/// Reduces an HTML fragment to safe rich text.
///
/// `base` resolves relative links; without it, relative links keep their
/// text and lose the link. See the module documentation for what is kept.
pub fn reduce(html: &str, base: Option<&Url>) -> Reduced {
    let document = Html::parse_fragment(html);
    let mut reducer = Reducer::new(base);
    reducer.walk(document.root_element());
    reducer.finish()
}

/// Reduces an HTML fragment to safe rich text, without a base URL.
pub fn to_blocks(html: &str) -> Vec<Block> {
    reduce(html, None).blocks
}

/// Returns true for characters that take no space and are removed from
/// imported text: zero-width space, zero-width no-break space (byte order
/// mark), word joiner and soft hyphen.
///
/// Zero-width joiner and non-joiner stay, because they change how emoji and
/// some scripts are drawn.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}' | '\u{00AD}')
}

/// Elements whose content is dropped with them.
const DROPPED: &[&str] = &[
    "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "svg",
    "math", "canvas", "audio", "video", "head", "title", "textarea", "select",
];

/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "main",
    "nav",
    "blockquote",
    "address",
    "figure",
    "figcaption",
    "center",
    "details",
    "summary",
    "fieldset",
    "legend",
    "form",
    "dl",
    "dt",
    "dd",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "hr",
];

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

const LISTS: &[&str] = &["ul", "ol", "menu", "dir"];

/// Formatting that applies to a piece of text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Style {
    strong: bool,
    emphasis: bool,
    /// Link number (so two adjacent links to one target stay two) and target.
    link: Option<(u32, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Break,
}

/// Flat content of one paragraph or list item, before whitespace handling.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    style: Style,
    piece: Piece,
}

/// Change that the reducer made on entering an element, undone when it leaves.
#[derive(Debug)]
enum Action {
    Transparent,
    Block,
    Heading,
    Preformatted,
    Strong,
    Emphasis,
    Link,
    TopLevelList,
    NestedList,
    TopLevelItem,
    NestedItem,
}

#[derive(Debug)]
struct ListFrame {
    ordered: bool,
    /// Items of a top-level list; nested lists write into the open item instead.
    items: Vec<Vec<Inline>>,
    /// Items seen so far, for the numbers of a nested ordered list.
    count: usize,
    item_open: bool,
}

struct Reducer<'a> {
    base: Option<&'a Url>,
    blocks: Vec<Block>,
    /// Content of the open paragraph or top-level list item.
    tokens: Vec<Token>,
    strong: u32,
    emphasis: u32,
    preformatted: u32,
    link: Option<(u32, String)>,
    links_seen: u32,
    lists: Vec<ListFrame>,
    dropped_links: Vec<DroppedLink>,
}

impl<'a> Reducer<'a> {
    fn new(base: Option<&'a Url>) -> Self {
        Reducer {
            base,
            blocks: Vec::new(),
            tokens: Vec::new(),
            strong: 0,
            emphasis: 0,
            preformatted: 0,
            link: None,
            links_seen: 0,
            lists: Vec::new(),
            dropped_links: Vec::new(),
        }
    }

    fn walk(&mut self, root: ElementRef<'_>) {
        let mut actions: Vec<Action> = Vec::new();
        let mut skipping: Option<NodeId> = None;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => {
                    if skipping.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(text) => self.push_text(text),
                        Node::Element(element) => {
                            let name = element.name();
                            if DROPPED.contains(&name) {
                                skipping = Some(node.id());
                            } else if node.id() != root.id() {
                                let action = self.open(name, element.attr("href"));
                                actions.push(action);
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if skipping == Some(node.id()) {
                        skipping = None;
                        continue;
                    }
                    if skipping.is_some() || !node.value().is_element() || node.id() == root.id() {
                        continue;
                    }
                    if let Some(action) = actions.pop() {
                        self.close(action);
                    }
                }
            }
        }
    }

    fn finish(mut self) -> Reduced {
        // The walk closes every element it opens, so this only flushes
        // text that sits after the last block.
        self.flush_paragraph();
        Reduced { blocks: self.blocks, dropped_links: self.dropped_links }
    }

    fn open(&mut self, name: &str, href: Option<&str>) -> Action {
        if name == "br" {
            self.push(Piece::Break);
            return Action::Transparent;
        }
        if BLOCKS.contains(&name) || (name == "li" && self.lists.is_empty()) {
            self.boundary();
            return Action::Block;
        }
        if HEADINGS.contains(&name) {
            self.boundary();
            self.strong += 1;
            return Action::Heading;
        }
        match name {
            "pre" => {
                self.boundary();
                self.preformatted += 1;
                Action::Preformatted
            }
            "strong" | "b" => {
                self.strong += 1;
                Action::Strong
            }
            "em" | "i" => {
                self.emphasis += 1;
                Action::Emphasis
            }
            "a" => self.open_link(href),
            "li" => self.open_item(),
            _ if LISTS.contains(&name) => self.open_list(name == "ol"),
            _ => Action::Transparent,
        }
    }

    fn close(&mut self, action: Action) {
        match action {
            Action::Transparent => {}
            Action::Block => self.boundary(),
            Action::Heading => {
                self.strong = self.strong.saturating_sub(1);
                self.boundary();
            }
            Action::Preformatted => {
                self.preformatted = self.preformatted.saturating_sub(1);
                self.boundary();
            }
            Action::Strong => self.strong = self.strong.saturating_sub(1),
            Action::Emphasis => self.emphasis = self.emphasis.saturating_sub(1),
            Action::Link => self.link = None,
            Action::TopLevelList => self.close_top_level_list(),
            Action::NestedList => {
                self.lists.pop();
                self.soft_break();
            }
            Action::TopLevelItem => {
                self.flush_item();
                if let Some(frame) = self.lists.first_mut() {
                    frame.item_open = false;
                }
            }
            Action::NestedItem => self.soft_break(),
        }
    }

    fn open_link(&mut self, href: Option<&str>) -> Action {
        // The parser never nests links, but a link target must not leak
        // into text that follows, so an inner `a` is treated as text.
        let Some(href) = href else { return Action::Transparent };
        if self.link.is_some() {
            return Action::Transparent;
        }
        match resolve_href(href, self.base) {
            Ok(target) => {
                self.links_seen += 1;
                self.link = Some((self.links_seen, target));
                Action::Link
            }
            Err(problem) => {
                self.dropped_links.push(DroppedLink { href: href.to_owned(), problem });
                Action::Transparent
            }
        }
    }

    fn open_list(&mut self, ordered: bool) -> Action {
        let frame = ListFrame { ordered, items: Vec::new(), count: 0, item_open: false };
        if self.lists.is_empty() {
            self.boundary();
            self.lists.push(frame);
            Action::TopLevelList
        } else {
            self.soft_break();
            self.lists.push(frame);
            Action::NestedList
        }
    }

    fn open_item(&mut self) -> Action {
        let top_level_item_free = self.lists.len() == 1 && self.lists.first().is_some_and(|frame| !frame.item_open);
        if top_level_item_free {
            // Text between the list start and the first item becomes an item of its own.
            self.flush_item();
            if let Some(frame) = self.lists.first_mut() {
                frame.item_open = true;
            }
            return Action::TopLevelItem;
        }
        let marker = match self.lists.last_mut() {
            Some(frame) => {
                frame.count += 1;
                if frame.ordered {
                    format!("{}. ", frame.count)
                } else {
                    "– ".to_owned()
                }
            }
            None => String::new(),
        };
        self.soft_break();
        self.push(Piece::Text(marker));
        Action::NestedItem
    }

    fn close_top_level_list(&mut self) {
        self.flush_item();
        if let Some(frame) = self.lists.pop() {
            if !frame.items.is_empty() {
                self.blocks.push(Block::List { ordered: frame.ordered, items: frame.items });
            }
        }
    }

    fn style(&self) -> Style {
        Style { strong: self.strong > 0, emphasis: self.emphasis > 0, link: self.link.clone() }
    }

    fn push(&mut self, piece: Piece) {
        let style = self.style();
        self.tokens.push(Token { style, piece });
    }

    fn push_text(&mut self, text: &str) {
        if self.preformatted == 0 {
            self.push(Piece::Text(text.to_owned()));
            return;
        }
        for (index, line) in text.split('\n').enumerate() {
            if index > 0 {
                self.push(Piece::Break);
            }
            self.push(Piece::Text(line.to_owned()));
        }
    }

    /// Ends the current paragraph, or the current line of a list item.
    fn boundary(&mut self) {
        if self.lists.is_empty() {
            self.flush_paragraph();
        } else {
            self.soft_break();
        }
    }

    /// Starts a new line unless the content is empty or already ends with one.
    fn soft_break(&mut self) {
        if self.tokens.last().is_some_and(|token| token.piece != Piece::Break) {
            self.push(Piece::Break);
        }
    }

    fn flush_paragraph(&mut self) {
        let content = to_inlines(std::mem::take(&mut self.tokens));
        if !content.is_empty() {
            self.blocks.push(Block::Paragraph { content });
        }
    }

    fn flush_item(&mut self) {
        let content = to_inlines(std::mem::take(&mut self.tokens));
        if content.is_empty() {
            return;
        }
        if let Some(frame) = self.lists.first_mut() {
            frame.items.push(content);
        }
    }
}

/// Checks a link target and returns it as an absolute http(s) URL.
fn resolve_href(href: &str, base: Option<&Url>) -> Result<String, String> {
    // Browsers strip ASCII whitespace around an href before parsing it.
    let trimmed = href.trim_matches(|c: char| c.is_ascii_whitespace());
    if trimmed.is_empty() {
        return Err("empty link target".to_owned());
    }
    let parsed = match (Url::parse(trimmed), base) {
        (Ok(url), _) => url,
        (Err(url::ParseError::RelativeUrlWithoutBase), Some(base)) => {
            base.join(trimmed).map_err(|error| format!("cannot resolve relative link ({error})"))?
        }
        (Err(url::ParseError::RelativeUrlWithoutBase), None) => {
            return Err("relative link and no base URL to resolve it".to_owned());
        }
        (Err(error), _) => return Err(format!("invalid URL ({error})")),
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("scheme \"{}\" is not http or https", parsed.scheme()));
    }
    let target = parsed.to_string();
    if parsed.host().is_none() || !is_safe_href(&target) {
        return Err("URL has no host".to_owned());
    }
    Ok(target)
}

/// Turns the flat tokens of one paragraph or list item into inline
/// content: collapses whitespace, trims lines, drops empty pieces and nests
/// the result as link, then strong, then emphasis.
fn to_inlines(tokens: Vec<Token>) -> Vec<Inline> {
    let tokens = collapse_whitespace(tokens);
    let tokens = trim_breaks(tokens);
    let has_visible_text = tokens.iter().any(|token| match &token.piece {
        Piece::Text(text) => text.chars().any(|c| !c.is_whitespace()),
        Piece::Break => false,
    });
    if !has_visible_text {
        return Vec::new();
    }
    nest_by_link(&tokens)
}

fn is_html_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{C}')
}

/// Applies the browser's white-space rules for normal flow to `tokens`.
fn collapse_whitespace(tokens: Vec<Token>) -> Vec<Token> {
    let mut output: Vec<Token> = Vec::with_capacity(tokens.len());
    // True at the start of a line and after a space, where a further space is dropped.
    let mut after_space = true;
    for token in tokens {
        match token.piece {
            Piece::Text(text) => {
                let mut collapsed = String::with_capacity(text.len());
                for c in text.chars() {
                    if is_invisible(c) {
                        continue;
                    }
                    if is_html_whitespace(c) {
                        if !after_space {
                            collapsed.push(' ');
                            after_space = true;
                        }
                    } else {
                        collapsed.push(c);
                        after_space = false;
                    }
                }
                if !collapsed.is_empty() {
                    output.push(Token { style: token.style, piece: Piece::Text(collapsed) });
                }
            }
            Piece::Break => {
                trim_trailing_space(&mut output);
                output.push(token);
                after_space = true;
            }
        }
    }
    trim_trailing_space(&mut output);
    output
}

/// Removes the space at the end of the last text, if the last piece is text.
fn trim_trailing_space(tokens: &mut Vec<Token>) {
    let Some(last) = tokens.last_mut() else { return };
    let Piece::Text(text) = &mut last.piece else { return };
    if text.ends_with(' ') {
        text.pop();
        if text.is_empty() {
            tokens.pop();
        }
    }
}

/// Removes line breaks at the start and end, and keeps at most two in a row
/// (one empty line), which is what editors mean by a run of `<br>`s.
fn trim_breaks(tokens: Vec<Token>) -> Vec<Token> {
    let mut output: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut breaks_in_row = 0;
    for token in tokens {
        if token.piece == Piece::Break {
            breaks_in_row += 1;
            if output.is_empty() || breaks_in_row > 2 {
                continue;
            }
        } else {
            breaks_in_row = 0;
        }
        output.push(token);
    }
    while output.last().is_some_and(|token| token.piece == Piece::Break) {
        output.pop();
    }
    output
}

/// Groups consecutive tokens with the same value of `key`.
fn runs<K: PartialEq>(tokens: &[Token], key: impl Fn(&Token) -> K) -> Vec<(K, &[Token])> {
    let mut groups = Vec::new();
    let mut start = 0;
    for index in 1..=tokens.len() {
        let ends_here = index == tokens.len() || key(&tokens[index]) != key(&tokens[start]);
        if ends_here {
            groups.push((key(&tokens[start]), &tokens[start..index]));
            start = index;
        }
    }
    groups
}

fn nest_by_link(tokens: &[Token]) -> Vec<Inline> {
    let mut output = Vec::new();
    for (link, run) in runs(tokens, |token| token.style.link.clone()) {
        let content = nest_by_strong(run);
        let has_text = run.iter().any(|token| matches!(&token.piece, Piece::Text(text) if !text.trim().is_empty()));
        match link {
            Some((_, href)) if has_text => output.push(Inline::Link { href, content }),
            _ => output.extend(content),
        }
    }
    output
}

fn nest_by_strong(tokens: &[Token]) -> Vec<Inline> {
    let mut output = Vec::new();
    for (strong, run) in runs(tokens, |token| token.style.strong) {
        let content = nest_by_emphasis(run);
        if strong {
            output.push(Inline::Strong { content });
        } else {
            output.extend(content);
        }
    }
    output
}

fn nest_by_emphasis(tokens: &[Token]) -> Vec<Inline> {
    let mut output = Vec::new();
    for (emphasis, run) in runs(tokens, |token| token.style.emphasis) {
        let content = plain_pieces(run);
        if emphasis {
            output.push(Inline::Emphasis { content });
        } else {
            output.extend(content);
        }
    }
    output
}

/// Converts pieces to inlines, joining adjacent texts into one.
fn plain_pieces(tokens: &[Token]) -> Vec<Inline> {
    let mut output: Vec<Inline> = Vec::new();
    for token in tokens {
        match &token.piece {
            Piece::Break => output.push(Inline::LineBreak),
            Piece::Text(text) => match output.last_mut() {
                Some(Inline::Text { text: previous }) => previous.push_str(text),
                _ => output.push(Inline::Text { text: text.clone() }),
            },
        }
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> Inline {
        Inline::Text { text: value.to_owned() }
    }

    fn strong(content: Vec<Inline>) -> Inline {
        Inline::Strong { content }
    }

    fn emphasis(content: Vec<Inline>) -> Inline {
        Inline::Emphasis { content }
    }

    fn link(href: &str, content: Vec<Inline>) -> Inline {
        Inline::Link { href: href.to_owned(), content }
    }

    fn paragraph(content: Vec<Inline>) -> Block {
        Block::Paragraph { content }
    }

    fn list(ordered: bool, items: Vec<Vec<Inline>>) -> Block {
        Block::List { ordered, items }
    }

    /// Runs a table of HTML inputs and the blocks expected from each.
    fn check(cases: Vec<(&str, Vec<Block>)>) {
        for (html, expected) in cases {
            assert_eq!(to_blocks(html), expected, "input: {html:?}");
        }
    }

    #[test]
    fn paragraphs_and_emphasis() {
        check(vec![
            ("Nur Text", vec![paragraph(vec![text("Nur Text")])]),
            ("<p>Eins</p><p>Zwei</p>", vec![paragraph(vec![text("Eins")]), paragraph(vec![text("Zwei")])]),
            (
                "<p>Bitte <strong>rechtzeitig</strong> und <em>vollständig</em>.</p>",
                vec![paragraph(vec![
                    text("Bitte "),
                    strong(vec![text("rechtzeitig")]),
                    text(" und "),
                    emphasis(vec![text("vollständig")]),
                    text("."),
                ])],
            ),
            (
                "<b>fett <i>und kursiv</i></b>",
                vec![paragraph(vec![strong(vec![text("fett "), emphasis(vec![text("und kursiv")])])])],
            ),
            (
                "<div>a<div>b</div>c</div>",
                vec![paragraph(vec![text("a")]), paragraph(vec![text("b")]), paragraph(vec![text("c")])],
            ),
            (
                "<h2>Kosten</h2><p>10 Euro</p>",
                vec![paragraph(vec![strong(vec![text("Kosten")])]), paragraph(vec![text("10 Euro")])],
            ),
            // The parser reopens the formatting element, as browsers do, so "b" stays strong.
            (
                "<p><strong>a<p>b</p></strong></p>",
                vec![paragraph(vec![strong(vec![text("a")])]), paragraph(vec![strong(vec![text("b")])])],
            ),
        ]);
    }

    #[test]
    fn lists_keep_items() {
        check(vec![
            (
                "<ul><li>Ausweis</li><li>Foto</li></ul>",
                vec![list(false, vec![vec![text("Ausweis")], vec![text("Foto")]])],
            ),
            (
                "<p>Unterlagen:</p>\n<ol>\n <li><strong>Anmeldung starten</strong></li>\n <li>Zahlen</li>\n</ol>",
                vec![
                    paragraph(vec![text("Unterlagen:")]),
                    list(true, vec![vec![strong(vec![text("Anmeldung starten")])], vec![text("Zahlen")]]),
                ],
            ),
            ("<ul><li> </li><li>\u{200B}</li></ul>", vec![]),
            (
                "<ul><li><p>Erst</p><p>dann</p></li></ul>",
                vec![list(false, vec![vec![text("Erst"), Inline::LineBreak, text("dann")]])],
            ),
            ("<li>lose</li>", vec![paragraph(vec![text("lose")])]),
        ]);
    }

    #[test]
    fn nested_lists_become_lines() {
        check(vec![
            (
                "<ul><li>Ausweis<ul><li>gültig</li><li>im Original</li></ul></li><li>Foto</li></ul>",
                vec![list(
                    false,
                    vec![
                        vec![
                            text("Ausweis"),
                            Inline::LineBreak,
                            text("– gültig"),
                            Inline::LineBreak,
                            text("– im Original"),
                        ],
                        vec![text("Foto")],
                    ],
                )],
            ),
            (
                "<ol><li>Schritt<ol><li>a</li><li>b</li></ol>weiter</li></ol>",
                vec![list(
                    true,
                    vec![vec![
                        text("Schritt"),
                        Inline::LineBreak,
                        text("1. a"),
                        Inline::LineBreak,
                        text("2. b"),
                        Inline::LineBreak,
                        text("weiter"),
                    ]],
                )],
            ),
            ("<ul><li>a</li><ul><li>b</li></ul></ul>", vec![list(false, vec![vec![text("a")], vec![text("– b")]])]),
        ]);
    }

    #[test]
    fn links_keep_only_http_targets() {
        check(vec![
            (
                r#"<a href="https://stadt.muenchen.de/service/">Service</a>"#,
                vec![paragraph(vec![link("https://stadt.muenchen.de/service/", vec![text("Service")])])],
            ),
            (
                r#"<a href=" HTTP://Example.org/a b ">x</a>"#,
                vec![paragraph(vec![link("http://example.org/a%20b", vec![text("x")])])],
            ),
            (r#"<a href="javascript:alert(1)">Klick</a>"#, vec![paragraph(vec![text("Klick")])]),
            (r#"<a href="java&#x09;script:alert(1)">Klick</a>"#, vec![paragraph(vec![text("Klick")])]),
            (r#"<a href="data:text/html,&lt;script&gt;">Daten</a>"#, vec![paragraph(vec![text("Daten")])]),
            (r#"<a href="mailto:amt@muenchen.de">amt@muenchen.de</a>"#, vec![paragraph(vec![text("amt@muenchen.de")])]),
            (r#"<a href="/service/">relativ</a>"#, vec![paragraph(vec![text("relativ")])]),
            (r#"<a name="oben">Anker</a>"#, vec![paragraph(vec![text("Anker")])]),
            (r#"<a href="https://a.de/"> </a>x"#, vec![paragraph(vec![text("x")])]),
            (
                r#"<a href="https://a.de/"><strong>fett</strong> verlinkt</a>"#,
                vec![paragraph(vec![link("https://a.de/", vec![strong(vec![text("fett")]), text(" verlinkt")])])],
            ),
        ]);
    }

    #[test]
    fn relative_links_resolve_against_base() {
        let base = Url::parse("https://stadt.muenchen.de/service/info/").ok();
        let reduced = reduce(r#"<a href="../a.pdf">PDF</a> <a href="//b.de/x">B</a>"#, base.as_ref());
        assert_eq!(
            reduced.blocks,
            vec![paragraph(vec![
                link("https://stadt.muenchen.de/service/a.pdf", vec![text("PDF")]),
                text(" "),
                link("https://b.de/x", vec![text("B")]),
            ])]
        );
        assert!(reduced.dropped_links.is_empty());
    }

    #[test]
    fn dropped_links_are_reported() {
        let reduced = reduce(r#"<a href="javascript:void(0)">a</a><a href="/x">b</a><a href="">c</a>"#, None);
        let hrefs: Vec<&str> = reduced.dropped_links.iter().map(|dropped| dropped.href.as_str()).collect();
        assert_eq!(hrefs, ["javascript:void(0)", "/x", ""]);
        assert_eq!(reduced.dropped_links[0].problem, "scheme \"javascript\" is not http or https");
    }

    #[test]
    fn scripts_styles_and_handlers_are_dropped() {
        check(vec![
            ("<p>a<script>alert(1)</script>b</p>", vec![paragraph(vec![text("ab")])]),
            ("<style>p{color:red}</style><p>Text</p>", vec![paragraph(vec![text("Text")])]),
            (r#"<img src=x onerror="alert(1)">Bild"#, vec![paragraph(vec![text("Bild")])]),
            (r#"<p onclick="alert(1)" style="x">Klick</p>"#, vec![paragraph(vec![text("Klick")])]),
            ("<iframe src=\"https://a.de\">innen</iframe>nach", vec![paragraph(vec![text("nach")])]),
            ("<svg><script>alert(1)</script><text>x</text></svg>y", vec![paragraph(vec![text("y")])]),
            ("<noscript><p>ohne</p></noscript>mit", vec![paragraph(vec![text("mit")])]),
            ("<template><p>t</p></template>", vec![]),
            ("<blink>alt</blink> <custom-tag>neu</custom-tag>", vec![paragraph(vec![text("alt neu")])]),
            ("<p>a</p><!-- Kommentar --><p>b</p>", vec![paragraph(vec![text("a")]), paragraph(vec![text("b")])]),
        ]);
    }

    #[test]
    fn entities_decode_once() {
        check(vec![
            ("Finanz &amp; Verkauf", vec![paragraph(vec![text("Finanz & Verkauf")])]),
            ("&amp;amp; &lt;b&gt;", vec![paragraph(vec![text("&amp; <b>")])]),
            ("a&nbsp;b &euro; &#x41;&#66;", vec![paragraph(vec![text("a\u{A0}b € AB")])]),
            ("&lt;script&gt;alert(1)&lt;/script&gt;", vec![paragraph(vec![text("<script>alert(1)</script>")])]),
        ]);
    }

    #[test]
    fn whitespace_collapses_like_browser() {
        check(vec![
            ("  a \n\t b  ", vec![paragraph(vec![text("a b")])]),
            ("a <strong> b </strong> c", vec![paragraph(vec![text("a "), strong(vec![text("b ")]), text("c")])]),
            ("<p>\n <strong>fett</strong>\n</p>", vec![paragraph(vec![strong(vec![text("fett")])])]),
            ("<p> </p><p>&nbsp;</p><p>\u{200B}</p><p></p>", vec![]),
            ("<p>\u{200B}Sie haben</p>", vec![paragraph(vec![text("Sie haben")])]),
            ("Perso\u{AD}nal\u{FEFF}ausweis\u{2060}", vec![paragraph(vec![text("Personalausweis")])]),
            ("<pre>a   b\nc</pre>", vec![paragraph(vec![text("a b"), Inline::LineBreak, text("c")])]),
        ]);
    }

    #[test]
    fn line_breaks_are_kept_inside() {
        check(vec![
            ("a<br>b", vec![paragraph(vec![text("a"), Inline::LineBreak, text("b")])]),
            ("a <br> b", vec![paragraph(vec![text("a"), Inline::LineBreak, text("b")])]),
            ("<p>50 Euro<br><br></p>", vec![paragraph(vec![text("50 Euro")])]),
            (
                "<p><br>a<br><br><br><br>b</p>",
                vec![paragraph(vec![text("a"), Inline::LineBreak, Inline::LineBreak, text("b")])],
            ),
            ("<p><br></p>", vec![]),
            ("<strong>a<br>b</strong>", vec![paragraph(vec![strong(vec![text("a"), Inline::LineBreak, text("b")])])]),
        ]);
    }

    /// Checks the invariants that every reduction keeps, whatever the input.
    fn assert_well_formed(blocks: &[Block], html: &str) {
        fn check_content(content: &[Inline], html: &str) {
            assert!(!content.is_empty(), "empty content from {html:?}");
            assert_ne!(content.first(), Some(&Inline::LineBreak), "leading break from {html:?}");
            assert_ne!(content.last(), Some(&Inline::LineBreak), "trailing break from {html:?}");
            check_inlines(content, html);
        }
        fn check_inlines(content: &[Inline], html: &str) {
            for inline in content {
                match inline {
                    Inline::Text { text } => {
                        assert!(!text.is_empty(), "empty text from {html:?}");
                        assert!(!text.contains("  "), "double space in {text:?} from {html:?}");
                        assert!(!text.contains(is_invisible), "invisible character in {text:?} from {html:?}");
                    }
                    Inline::Link { href, content } => {
                        assert!(is_safe_href(href), "unsafe link {href:?} from {html:?}");
                        check_inlines(content, html);
                    }
                    Inline::Strong { content } | Inline::Emphasis { content } => check_inlines(content, html),
                    Inline::LineBreak => {}
                }
            }
        }
        for block in blocks {
            match block {
                Block::Paragraph { content } => check_content(content, html),
                Block::List { items, .. } => {
                    assert!(!items.is_empty(), "empty list from {html:?}");
                    items.iter().for_each(|item| check_content(item, html));
                }
            }
        }
    }

    #[test]
    fn tag_soup_stays_well_formed() {
        const PIECES: &[&str] = &[
            "<p>", "</p>", "<ul>", "</ul>", "<ol>", "</ol>", "<li>", "</li>", "<b>", "</b>", "<em>", "</em>",
            "<a href=\"https://a.de/\">", "<a href=\"javascript:x()\">", "<a href=\"/rel\">", "</a>", "<br>",
            "<h3>", "</h3>", "<pre>", "</pre>", "<script>", "</script>", "<table><tr><td>", "<div>", "</div>",
            "Wort", " ", "\n", "&amp;", "&nbsp;", "\u{200B}", "<!--", "-->", "<", "&", "\"",
        ];
        // A fixed linear congruential generator keeps the test reproducible.
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..3000 {
            let mut html = String::new();
            let length = 1 + (state >> 60) as usize;
            for _ in 0..length * 3 {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                html.push_str(PIECES[(state >> 33) as usize % PIECES.len()]);
            }
            let reduced = reduce(&html, None);
            assert_well_formed(&reduced.blocks, &html);
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 100_000;
        let html = format!("{}tief{}", "<span>".repeat(depth), "</span>".repeat(depth));
        assert_eq!(to_blocks(&html), vec![paragraph(vec![text("tief")])]);
    }
}
