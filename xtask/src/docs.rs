//! `cargo xtask docs`: renders the documentation for web editors.
//!
//! The sources are `www/de/**.md`, `www/en/**.md`, `www/assets/` and the
//! site map `www/pages.toml` (one `[[page]]` table per page pair, in
//! navigation order). The output is a static site in `target/docs/`, served
//! by `ogkit serve --docs target/docs` under `/docs/`:
//!
//! - `de/NAME.html` and `en/NAME.html` for every page, each with the
//!   navigation, a language switch to its paired page, a skip link and
//!   landmarks, and no inline script or style (the strict CSP of
//!   `ogkit serve` applies);
//! - `index.html`, which links to the German and English start pages;
//! - `de/index.html` and `en/index.html`, a copy of that language's start
//!   page, so that `/docs/de/` and `/docs/en/` show it. Its canonical link
//!   names the start page's own address;
//! - `assets/`, copied from `www/assets/`. When it contains `favicon.svg`,
//!   every page links it as its icon;
//! - `kit/`, the widgets of [`DOCS_KIT_WIDGETS`] built like `pkg/`, which
//!   the live examples on the pages use.
//!
//! Links between pages are written as relative `.md` paths in the sources
//! and become `.html` links. A link to a page or an anchor that does not
//! exist fails the render, so a broken link never reaches the site.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context, Result};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Deserialize;

use crate::setup::workspace_root;

/// Elements in the docs kit `target/docs/kit/`. Add an element here (and
/// its cargo feature to `OPTIONAL_WIDGETS` of the build) to make it usable
/// in live examples.
pub(crate) const DOCS_KIT_WIDGETS: &[&str] = &["og-service-search", "og-data-table", "og-poll", "og-form", "og-embed-builder"];

/// Folder of the rendered site, relative to the workspace root.
pub(crate) const OUTPUT_DIR: &str = "target/docs";

/// URL path under which `ogkit serve` serves the site.
const URL_PREFIX: &str = "/docs/";

/// Icon of every page, relative to `www/`. Pages link it only when the file
/// exists, so that a missing icon never causes a 404 in the console.
const FAVICON: &str = "assets/favicon.svg";

pub(crate) const USAGE: &str = "usage: cargo xtask docs [--pages-only]

Renders www/ into target/docs/ and builds the docs kit into target/docs/kit/.
--pages-only renders the pages and assets but keeps the kit as it is.";

pub(crate) fn run(args: &[String]) -> Result<()> {
    let pages_only = match args {
        [] => false,
        [flag] if flag == "--pages-only" => true,
        _ => bail!("unexpected arguments {args:?}\n\n{USAGE}"),
    };
    let root = workspace_root();
    let output = root.join(OUTPUT_DIR);
    let count = render_site(&root.join("www"), &output)?;
    println!("docs: rendered {count} pages into {}", output.display());

    let kit = output.join("kit");
    if pages_only {
        if !kit.join("ogkit.js").is_file() {
            println!("docs: {} has no ogkit.js yet, so live examples stay empty; run `cargo xtask docs` once", kit.display());
        }
        return Ok(());
    }
    crate::setup::run(&[])?;
    crate::build::build_into(&root, &kit, Some(DOCS_KIT_WIDGETS))
}

/// Renders the site of `www` into `output` and returns the number of HTML
/// pages written. `output/kit/` is left untouched.
pub(crate) fn render_site(www: &Path, output: &Path) -> Result<usize> {
    let site = Site::load(www)?;
    fs::create_dir_all(output).with_context(|| format!("creating {}", output.display()))?;
    for language in Language::ALL {
        let dir = output.join(language.code());
        if dir.exists() {
            fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
    }
    let assets = output.join("assets");
    if assets.exists() {
        fs::remove_dir_all(&assets).with_context(|| format!("removing {}", assets.display()))?;
    }
    copy_dir(&www.join("assets"), &assets)?;

    for page in &site.pages {
        let html = site.render_page(page, None)?;
        write_file(&output.join(&page.output), &html)?;
    }
    for language in Language::ALL {
        let folder_index = format!("{}/index.html", language.code());
        // A page of its own named index.md takes precedence over the copy.
        if site.pages.iter().any(|page| page.output == folder_index) {
            continue;
        }
        let start = site.start_page(language);
        let html = site.render_page(start, Some(&page_url(&start.output)))?;
        write_file(&output.join(&folder_index), &html)?;
    }
    let index = output.join("index.html");
    fs::write(&index, site.render_index()).with_context(|| format!("writing {}", index.display()))?;
    Ok(site.pages.len())
}

/// Writes `text` to `path`, creating its parent folders.
fn write_file(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// The site map `www/pages.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteMap {
    page: Vec<PagePair>,
}

/// One `[[page]]` table: the German and the English source of a page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PagePair {
    de: String,
    en: String,
    section: Section,
}

/// Navigation group of a page.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Section {
    Start,
    Widgets,
    Staff,
    Operators,
}

impl Section {
    const ALL: [Section; 4] = [Section::Start, Section::Widgets, Section::Staff, Section::Operators];

    fn heading(self, language: Language) -> &'static str {
        match (self, language) {
            (Section::Start, Language::De) => "Einstieg",
            (Section::Start, Language::En) => "Getting started",
            (Section::Widgets, _) => "Widgets",
            (Section::Staff, Language::De) => "Für die Verwaltung",
            (Section::Staff, Language::En) => "For staff",
            (Section::Operators, Language::De) => "Betrieb",
            (Section::Operators, Language::En) => "Operations",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Language {
    De,
    En,
}

impl Language {
    const ALL: [Language; 2] = [Language::De, Language::En];

    fn code(self) -> &'static str {
        match self {
            Language::De => "de",
            Language::En => "en",
        }
    }

    fn other(self) -> Language {
        match self {
            Language::De => Language::En,
            Language::En => Language::De,
        }
    }

    /// Returns the text of the template in this language.
    fn text(self, key: TemplateText) -> &'static str {
        use TemplateText::*;
        match (self, key) {
            (Language::De, SiteName) => "ogkit-Dokumentation",
            (Language::En, SiteName) => "ogkit documentation",
            (Language::De, SkipLink) => "Zum Inhalt springen",
            (Language::En, SkipLink) => "Skip to content",
            (Language::De, Navigation) => "Dokumentation",
            (Language::En, Navigation) => "Documentation",
            (Language::De, SwitchLabel) => "Diese Seite auf Deutsch",
            (Language::En, SwitchLabel) => "This page in English",
            (Language::De, Footer) => "ogkit – Widgets für kommunale Websites. Die Beispiele laufen mit den Daten der Demo-Stadt „Musterstadt“.",
            (Language::En, Footer) => "ogkit – widgets for municipal websites. The examples run on the data of the demo city “Musterstadt”.",
        }
    }
}

#[derive(Clone, Copy)]
enum TemplateText {
    SiteName,
    SkipLink,
    Navigation,
    SwitchLabel,
    Footer,
}

/// One page in one language.
#[derive(Debug)]
struct Page {
    /// Source path relative to `www/`, such as `de/beteiligung.md`.
    source: String,
    /// Output path relative to the site root, such as `de/beteiligung.html`.
    output: String,
    language: Language,
    section: Section,
    /// Index of the page pair in the site map.
    pair: usize,
    /// Plain text of the first `# ` heading.
    title: String,
    markdown: String,
    /// Ids of the headings, the anchors that links may point to.
    anchors: BTreeSet<String>,
}

struct Site {
    pages: Vec<Page>,
    /// Source path to index in `pages`.
    by_source: BTreeMap<String, usize>,
    /// Whether `www/` contains the page icon [`FAVICON`].
    has_favicon: bool,
}

impl Site {
    /// Reads the site map and every page it lists, and checks that every
    /// Markdown file under `www/de` and `www/en` is listed exactly once and
    /// every link between pages resolves.
    fn load(www: &Path) -> Result<Site> {
        let map_path = www.join("pages.toml");
        let map_text = fs::read_to_string(&map_path).with_context(|| format!("reading {}", map_path.display()))?;
        let map: SiteMap = toml::from_str(&map_text).with_context(|| format!("{} is invalid", map_path.display()))?;
        if map.page.is_empty() {
            bail!("{} lists no [[page]]", map_path.display());
        }

        let mut pages = Vec::new();
        let mut by_source = BTreeMap::new();
        for (pair, entry) in map.page.iter().enumerate() {
            for (language, source) in [(Language::De, &entry.de), (Language::En, &entry.en)] {
                let page = read_page(www, source, language, entry.section, pair)
                    .with_context(|| format!("{}: page {} ({})", map_path.display(), pair + 1, source))?;
                if by_source.insert(page.source.clone(), pages.len()).is_some() {
                    bail!("{}: {source} is listed twice", map_path.display());
                }
                pages.push(page);
            }
        }

        for language in Language::ALL {
            for file in markdown_files(&www.join(language.code()))? {
                let relative = relative_slash_path(www, &file)?;
                if !by_source.contains_key(&relative) {
                    bail!(
                        "www/{relative} is not in {}; add it to a [[page]] table with its {} pair",
                        map_path.display(),
                        if language == Language::De { "English" } else { "German" }
                    );
                }
            }
        }

        let has_favicon = www.join(FAVICON).is_file();
        let site = Site { pages, by_source, has_favicon };
        for page in &site.pages {
            site.check_links(page)?;
        }
        Ok(site)
    }

    /// Fails when a link of `page` points to a page that is not in the site
    /// map or to an anchor that the target page lacks.
    fn check_links(&self, page: &Page) -> Result<()> {
        for event in Parser::new_ext(&page.markdown, markdown_options()) {
            let Event::Start(Tag::Link { dest_url, .. }) = event else { continue };
            let Some(target) = local_target(&page.source, &dest_url) else { continue };
            let (target_source, anchor) = target.with_context(|| format!("www/{}: link {dest_url:?}", page.source))?;
            let target_page = match &target_source {
                None => page,
                Some(source) => match self.by_source.get(source) {
                    Some(&index) => &self.pages[index],
                    None => bail!("www/{}: link {dest_url:?} points to www/{source}, which is not in pages.toml", page.source),
                },
            };
            if let Some(anchor) = anchor {
                if !target_page.anchors.contains(&anchor) {
                    bail!(
                        "www/{}: link {dest_url:?} points to #{anchor}, but www/{} has no heading with that id",
                        page.source,
                        target_page.source
                    );
                }
            }
        }
        Ok(())
    }

    /// Returns the page of the same pair in the other language.
    fn partner(&self, page: &Page) -> &Page {
        let other_language = page.language.other();
        self.pages
            .iter()
            .find(|other| other.pair == page.pair && other.language == other_language)
            .expect("Site::load reads both languages of every pair")
    }

    /// Renders `page` as a complete HTML document. `canonical` is the URL
    /// of the page when this copy is served under another address.
    fn render_page(&self, page: &Page, canonical: Option<&str>) -> Result<String> {
        let language = page.language;
        let partner = self.partner(page);
        let body = render_markdown(&page.markdown, &page.source)?;
        let mut html = String::with_capacity(body.len() + 4096);
        html.push_str(&format!(
            "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title} – {site}</title>\n",
            lang = language.code(),
            title = escape(&page.title),
            site = language.text(TemplateText::SiteName),
        ));
        if let Some(url) = canonical {
            html.push_str(&format!("<link rel=\"canonical\" href=\"{url}\">\n"));
        }
        html.push_str(&format!(
            "<link rel=\"alternate\" hreflang=\"{other}\" href=\"{partner_url}\">\n\
             <link rel=\"stylesheet\" href=\"{URL_PREFIX}assets/docs.css\">\n{icon}\
             <script type=\"module\" src=\"{URL_PREFIX}kit/ogkit.js\"></script>\n</head>\n<body>\n",
            other = language.other().code(),
            partner_url = page_url(&partner.output),
            icon = self.icon_link(),
        ));
        html.push_str(&format!(
            "<a class=\"docs-skip-link\" href=\"#inhalt\">{}</a>\n",
            language.text(TemplateText::SkipLink)
        ));
        html.push_str(&format!(
            "<header class=\"docs-header\">\n<p class=\"docs-site-name\"><a href=\"{URL_PREFIX}{lang}/{start}\">{site}</a></p>\n\
             <p class=\"docs-language\"><a href=\"{partner_url}\" lang=\"{other}\" hreflang=\"{other}\">{switch}</a></p>\n</header>\n",
            lang = language.code(),
            start = self.start_page(language).output.trim_start_matches(&format!("{}/", language.code())),
            site = language.text(TemplateText::SiteName),
            partner_url = page_url(&partner.output),
            other = language.other().code(),
            switch = language.other().text(TemplateText::SwitchLabel),
        ));
        html.push_str("<div class=\"docs-layout\">\n");
        html.push_str(&self.render_navigation(page));
        html.push_str("<main id=\"inhalt\" class=\"docs-main\" tabindex=\"-1\">\n");
        html.push_str(&body);
        html.push_str("</main>\n</div>\n");
        html.push_str(&format!(
            "<footer class=\"docs-footer\">\n<p>{}</p>\n</footer>\n</body>\n</html>\n",
            escape(language.text(TemplateText::Footer))
        ));
        Ok(html)
    }

    fn render_navigation(&self, current: &Page) -> String {
        let language = current.language;
        let mut html = format!(
            "<nav class=\"docs-nav\" aria-label=\"{}\">\n",
            language.text(TemplateText::Navigation)
        );
        for section in Section::ALL {
            let pages: Vec<&Page> =
                self.pages.iter().filter(|page| page.language == language && page.section == section).collect();
            if pages.is_empty() {
                continue;
            }
            html.push_str(&format!("<h2>{}</h2>\n<ul>\n", section.heading(language)));
            for page in pages {
                let current_marker = if page.source == current.source { " aria-current=\"page\"" } else { "" };
                html.push_str(&format!(
                    "<li><a href=\"{}\"{current_marker}>{}</a></li>\n",
                    page_url(&page.output),
                    escape(&page.title)
                ));
            }
            html.push_str("</ul>\n");
        }
        html.push_str("</nav>\n");
        html
    }

    /// Returns the `<link rel="icon">` line, or nothing when `www/` has no icon.
    fn icon_link(&self) -> String {
        if self.has_favicon {
            format!("<link rel=\"icon\" href=\"{URL_PREFIX}{FAVICON}\" type=\"image/svg+xml\">\n")
        } else {
            String::new()
        }
    }

    /// Returns the first page of the `start` section in `language`, or the
    /// first page at all.
    fn start_page(&self, language: Language) -> &Page {
        self.pages
            .iter()
            .find(|page| page.language == language && page.section == Section::Start)
            .or_else(|| self.pages.iter().find(|page| page.language == language))
            .expect("Site::load requires at least one page pair")
    }

    /// Renders `index.html`: the choice between the German and the English
    /// start page.
    fn render_index(&self) -> String {
        let german = self.start_page(Language::De);
        let english = self.start_page(Language::En);
        format!(
            "<!doctype html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{de_site} / {en_site}</title>\n\
             <link rel=\"stylesheet\" href=\"{URL_PREFIX}assets/docs.css\">\n{icon}</head>\n<body>\n\
             <main class=\"docs-main docs-index\">\n<h1>{de_site}</h1>\n\
             <p>Anleitungen für Online-Redaktionen und die Verwaltung, die ogkit-Widgets in ihre Seiten einbinden.</p>\n\
             <ul>\n<li><a href=\"{de_url}\">{de_title}</a> (Deutsch)</li>\n\
             <li lang=\"en\"><a href=\"{en_url}\" hreflang=\"en\">{en_title}</a> (English)</li>\n</ul>\n\
             <p><a href=\"/\">Zur Demo-Seite „Musterstadt“</a></p>\n</main>\n</body>\n</html>\n",
            de_site = Language::De.text(TemplateText::SiteName),
            en_site = Language::En.text(TemplateText::SiteName),
            de_url = page_url(&german.output),
            de_title = escape(&german.title),
            en_url = page_url(&english.output),
            en_title = escape(&english.title),
            icon = self.icon_link(),
        )
    }
}

fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Reads one source page and collects its title and heading ids.
fn read_page(www: &Path, source: &str, language: Language, section: Section, pair: usize) -> Result<Page> {
    let prefix = format!("{}/", language.code());
    if !source.starts_with(&prefix) || !source.ends_with(".md") {
        bail!("{source:?} must be a .md file under www/{prefix}");
    }
    if source.split('/').any(|part| part.is_empty() || part == "." || part == "..") {
        bail!("{source:?} must be a plain path below www/ without . or .. parts");
    }
    let path = www.join(source);
    let markdown = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let (title, anchors) = headings(&markdown);
    let Some(title) = title else {
        bail!("{} has no `# ` heading; its first one is the page title", path.display());
    };
    Ok(Page {
        source: source.to_string(),
        output: format!("{}.html", source.trim_end_matches(".md")),
        language,
        section,
        pair,
        title,
        markdown,
        anchors,
    })
}

/// Returns the text of the first level-1 heading and the ids of all
/// headings.
fn headings(markdown: &str) -> (Option<String>, BTreeSet<String>) {
    let mut title = None;
    let mut ids = HeadingIds::default();
    let mut anchors = BTreeSet::new();
    let mut current: Option<(HeadingLevel, String)> = None;
    for event in Parser::new_ext(markdown, markdown_options()) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => current = Some((level, String::new())),
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, heading)) = current.as_mut() {
                    heading.push_str(&text);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = current.take() {
                    anchors.insert(ids.next(&text));
                    if level == HeadingLevel::H1 && title.is_none() {
                        title = Some(text.trim().to_string());
                    }
                }
            }
            _ => {}
        }
    }
    (title, anchors)
}

/// Hands out heading ids as GitHub does, so that anchors written for the
/// Markdown sources keep working: the slug of the text, and `-1`, `-2`, …
/// for repeated headings.
#[derive(Default)]
struct HeadingIds {
    seen: BTreeMap<String, usize>,
}

impl HeadingIds {
    fn next(&mut self, text: &str) -> String {
        let slug = slugify(text);
        let count = self.seen.entry(slug.clone()).or_insert(0);
        let id = if *count == 0 { slug } else { format!("{slug}-{count}") };
        *count += 1;
        id
    }
}

/// Returns the anchor of a heading: lower case, letters, digits, `-` and
/// `_` kept, spaces turned into `-`, everything else dropped.
fn slugify(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Classifies a link of the page `from` (a source path below `www/`).
/// Returns `None` for links that leave the docs (other schemes, absolute
/// paths), and otherwise the linked source page (`None` for the same page)
/// with the anchor.
#[allow(clippy::type_complexity)]
fn local_target(from: &str, dest: &str) -> Option<Result<(Option<String>, Option<String>)>> {
    if dest.starts_with('/') || dest.contains("://") || dest.starts_with("mailto:") {
        return None;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor.to_string())),
        None => (dest, None),
    };
    if path.is_empty() {
        return Some(Ok((None, anchor)));
    }
    if !path.ends_with(".md") {
        return Some(Err(anyhow::anyhow!(
            "links between docs pages name the .md source (such as `katalog.md`); other files belong under www/assets/ and are linked as /docs/assets/…"
        )));
    }
    Some(resolve_relative(from, path).map(|source| (Some(source), anchor)))
}

/// Resolves `path` relative to the folder of `from`, both below `www/`.
fn resolve_relative(from: &str, path: &str) -> Result<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    bail!("{path:?} leaves www/");
                }
            }
            other => parts.push(other),
        }
    }
    Ok(parts.join("/"))
}

/// Renders Markdown to HTML: headings get their ids, links to `.md` pages
/// become absolute `/docs/….html` links, and raw HTML (the live examples)
/// passes through.
fn render_markdown(markdown: &str, source: &str) -> Result<String> {
    let mut ids = HeadingIds::default();
    let mut events: Vec<Event> = Parser::new_ext(markdown, markdown_options()).collect();

    let mut index = 0;
    while index < events.len() {
        if let Event::Start(Tag::Heading { .. }) = &events[index] {
            let mut text = String::new();
            for event in &events[index + 1..] {
                match event {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(part) | Event::Code(part) => text.push_str(part),
                    _ => {}
                }
            }
            let id = ids.next(&text);
            if let Event::Start(Tag::Heading { id: heading_id, .. }) = &mut events[index] {
                *heading_id = Some(CowStr::from(id));
            }
        }
        if let Event::Start(Tag::Link { dest_url, .. }) = &mut events[index] {
            if let Some(target) = local_target(source, dest_url) {
                let (target_source, anchor) = target.with_context(|| format!("www/{source}: link {dest_url:?}"))?;
                let mut url = match target_source {
                    Some(target_source) => page_url(&format!("{}.html", target_source.trim_end_matches(".md"))),
                    None => String::new(),
                };
                if let Some(anchor) = anchor {
                    url.push('#');
                    url.push_str(&anchor);
                }
                *dest_url = CowStr::from(url);
            }
        }
        index += 1;
    }

    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Ok(html)
}

fn page_url(output: &str) -> String {
    format!("{URL_PREFIX}{output}")
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// Returns every `.md` file below `dir`, sorted.
fn markdown_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).with_context(|| format!("reading {}", current.display()))? {
            let path = entry.with_context(|| format!("reading {}", current.display()))?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Returns `path` relative to `base` with `/` separators.
fn relative_slash_path(base: &Path, path: &Path) -> Result<String> {
    let relative = path.strip_prefix(base).with_context(|| format!("{} is outside {}", path.display(), base.display()))?;
    let parts: Vec<String> = relative
        .components()
        .filter_map(|component| match component {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    Ok(parts.join("/"))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    if !from.is_dir() {
        return Ok(());
    }
    for entry in fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry.with_context(|| format!("reading {}", from.display()))?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {} to {}", entry.path().display(), target.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_matches_markdown_anchors() {
        let cases = [
            ("Daten aus einem CKAN-Portal", "daten-aus-einem-ckan-portal"),
            ("Muster (pattern)", "muster-pattern"),
            ("Darstellung: x-ogkit", "darstellung-x-ogkit"),
            ("Gruppen und wiederholte Gruppen", "gruppen-und-wiederholte-gruppen"),
            ("Bürgerbeteiligung <og-poll>", "bürgerbeteiligung-og-poll"),
        ];
        for (text, expected) in cases {
            assert_eq!(slugify(text), expected, "{text}");
        }
    }

    #[test]
    fn repeated_headings_get_numbered_ids() {
        let mut ids = HeadingIds::default();
        assert_eq!(ids.next("Beispiel"), "beispiel");
        assert_eq!(ids.next("Beispiel"), "beispiel-1");
        assert_eq!(ids.next("Beispiel"), "beispiel-2");
    }

    #[test]
    fn md_links_become_html_urls() {
        let html = render_markdown("[a](katalog.md#aufbau) [b](../en/poll.md) [c](#x) [d](https://example.org/x.md)", "de/formulare/schema.md")
            .unwrap();
        assert!(html.contains("href=\"/docs/de/formulare/katalog.html#aufbau\""), "{html}");
        assert!(html.contains("href=\"/docs/de/en/poll.html\""), "{html}");
        assert!(html.contains("href=\"#x\""), "{html}");
        assert!(html.contains("href=\"https://example.org/x.md\""), "{html}");
    }

    #[test]
    fn relative_paths_resolve() {
        assert_eq!(resolve_relative("de/formulare/schema.md", "../katalog.md").unwrap(), "de/katalog.md");
        assert_eq!(resolve_relative("de/a.md", "../en/b.md").unwrap(), "en/b.md");
        assert!(resolve_relative("de/a.md", "../../x.md").is_err());
    }

    #[test]
    fn raw_html_and_heading_ids_pass_through() {
        let html = render_markdown("# Titel\n\n<og-data-table src=\"/daten/x.csv\"></og-data-table>\n\n## Grenzen\n", "de/x.md").unwrap();
        assert!(html.contains("<h1 id=\"titel\">Titel</h1>"), "{html}");
        assert!(html.contains("<og-data-table src=\"/daten/x.csv\"></og-data-table>"), "{html}");
        assert!(html.contains("<h2 id=\"grenzen\">Grenzen</h2>"), "{html}");
    }

    /// Writes a small `www/` with the given site map and files.
    fn scratch_www(name: &str, map: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = workspace_root().join("target/xtask-docs-test").join(name);
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("pages.toml"), map).unwrap();
        for (path, text) in files {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn unlisted_page_is_rejected() {
        let www = scratch_www(
            "unlisted",
            "[[page]]\nde = \"de/a.md\"\nen = \"en/a.md\"\nsection = \"start\"\n",
            &[("de/a.md", "# A\n"), ("en/a.md", "# A\n"), ("de/b.md", "# B\n")],
        );
        let error = format!("{:#}", Site::load(&www).err().expect("de/b.md is not listed"));
        assert!(error.contains("www/de/b.md is not in"), "{error}");
    }

    #[test]
    fn missing_pair_file_is_rejected() {
        let www = scratch_www(
            "missing",
            "[[page]]\nde = \"de/a.md\"\nen = \"en/a.md\"\nsection = \"start\"\n",
            &[("de/a.md", "# A\n")],
        );
        let error = format!("{:#}", Site::load(&www).err().expect("en/a.md is missing"));
        assert!(error.contains("en/a.md"), "{error}");
    }

    #[test]
    fn broken_anchor_is_rejected() {
        let www = scratch_www(
            "anchor",
            "[[page]]\nde = \"de/a.md\"\nen = \"en/a.md\"\nsection = \"start\"\n",
            &[("de/a.md", "# A\n\n[x](../en/a.md#nowhere)\n"), ("en/a.md", "# A\n")],
        );
        let error = format!("{:#}", Site::load(&www).err().expect("#nowhere does not exist"));
        assert!(error.contains("#nowhere"), "{error}");
    }

    #[test]
    fn page_has_switch_nav_and_landmarks() {
        let www = scratch_www(
            "template",
            "[[page]]\nde = \"de/start.md\"\nen = \"en/start.md\"\nsection = \"start\"\n\
             [[page]]\nde = \"de/b.md\"\nen = \"en/b.md\"\nsection = \"staff\"\n",
            &[
                ("de/start.md", "# Start\n\n[B](b.md)\n"),
                ("en/start.md", "# Start\n"),
                ("de/b.md", "# Bee `<og-poll>`\n"),
                ("en/b.md", "# Bee\n"),
                ("assets/docs.css", "body {}\n"),
            ],
        );
        let output = www.join("out");
        assert_eq!(render_site(&www, &output).unwrap(), 4);
        let page = fs::read_to_string(output.join("de/b.html")).unwrap();
        assert!(page.contains("<html lang=\"de\">"), "{page}");
        assert!(page.contains("<title>Bee &lt;og-poll&gt; – ogkit-Dokumentation</title>"), "{page}");
        assert!(page.contains("href=\"/docs/en/b.html\" lang=\"en\" hreflang=\"en\""), "{page}");
        assert!(page.contains("<a href=\"/docs/de/b.html\" aria-current=\"page\">"), "{page}");
        assert!(page.contains("<main id=\"inhalt\""), "{page}");
        assert!(page.contains("<nav class=\"docs-nav\" aria-label=\"Dokumentation\">"), "{page}");
        assert!(page.contains("<script type=\"module\" src=\"/docs/kit/ogkit.js\"></script>"), "{page}");
        assert!(!page.contains("<style"), "{page}");
        assert!(!page.contains("style=\""), "{page}");
        let start = fs::read_to_string(output.join("de/start.html")).unwrap();
        assert!(start.contains("href=\"/docs/de/b.html\""), "{start}");
        assert!(output.join("assets/docs.css").is_file());
        let index = fs::read_to_string(output.join("index.html")).unwrap();
        assert!(index.contains("href=\"/docs/de/start.html\""), "{index}");
        assert!(index.contains("href=\"/docs/en/start.html\""), "{index}");
    }

    #[test]
    fn language_folders_serve_start_page() {
        let www = scratch_www(
            "folder-index",
            "[[page]]\nde = \"de/start.md\"\nen = \"en/start.md\"\nsection = \"start\"\n\
             [[page]]\nde = \"de/b.md\"\nen = \"en/b.md\"\nsection = \"staff\"\n",
            &[
                ("de/start.md", "# Erste Schritte\n\n[B](b.md)\n"),
                ("en/start.md", "# First steps\n"),
                ("de/b.md", "# B\n"),
                ("en/b.md", "# B\n"),
                ("assets/docs.css", "body {}\n"),
            ],
        );
        let output = www.join("out");
        render_site(&www, &output).unwrap();
        for (code, title) in [("de", "Erste Schritte"), ("en", "First steps")] {
            let index = fs::read_to_string(output.join(code).join("index.html")).unwrap();
            assert!(index.contains(&format!("<html lang=\"{code}\">")), "{index}");
            assert!(index.contains(&format!(">{title}</h1>")), "{index}");
            assert!(index.contains(&format!("<link rel=\"canonical\" href=\"/docs/{code}/start.html\">")), "{index}");
            let start = fs::read_to_string(output.join(code).join("start.html")).unwrap();
            assert!(!start.contains("rel=\"canonical\""), "{start}");
        }
    }

    #[test]
    fn own_index_page_is_not_replaced() {
        let www = scratch_www(
            "own-index",
            "[[page]]\nde = \"de/start.md\"\nen = \"en/start.md\"\nsection = \"start\"\n\
             [[page]]\nde = \"de/index.md\"\nen = \"en/index.md\"\nsection = \"staff\"\n",
            &[
                ("de/start.md", "# Start\n"),
                ("en/start.md", "# Start\n"),
                ("de/index.md", "# Eigener Index\n"),
                ("en/index.md", "# Own index\n"),
                ("assets/docs.css", "body {}\n"),
            ],
        );
        let output = www.join("out");
        render_site(&www, &output).unwrap();
        let index = fs::read_to_string(output.join("de/index.html")).unwrap();
        assert!(index.contains(">Eigener Index</h1>"), "{index}");
        assert!(!index.contains("rel=\"canonical\""), "{index}");
    }

    #[test]
    fn favicon_linked_only_when_present() {
        let map = "[[page]]\nde = \"de/a.md\"\nen = \"en/a.md\"\nsection = \"start\"\n";
        let link = "<link rel=\"icon\" href=\"/docs/assets/favicon.svg\" type=\"image/svg+xml\">";

        let without = scratch_www("no-icon", map, &[("de/a.md", "# A\n"), ("en/a.md", "# A\n"), ("assets/docs.css", "")]);
        render_site(&without, &without.join("out")).unwrap();
        for file in ["index.html", "de/a.html", "de/index.html"] {
            let html = fs::read_to_string(without.join("out").join(file)).unwrap();
            assert!(!html.contains("rel=\"icon\""), "{file}: {html}");
        }

        let with = scratch_www(
            "icon",
            map,
            &[("de/a.md", "# A\n"), ("en/a.md", "# A\n"), ("assets/docs.css", ""), ("assets/favicon.svg", "<svg/>")],
        );
        render_site(&with, &with.join("out")).unwrap();
        assert!(with.join("out/assets/favicon.svg").is_file());
        for file in ["index.html", "de/a.html", "en/a.html", "en/index.html"] {
            let html = fs::read_to_string(with.join("out").join(file)).unwrap();
            assert!(html.contains(link), "{file}: {html}");
        }
    }

    /// Returns the attribute names in the first column of the table under
    /// the `## Attribute` / `## Attributes` heading of a page.
    fn documented_attributes(markdown: &str) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        let mut in_section = false;
        for line in markdown.lines() {
            if line.starts_with("## ") {
                in_section = line == "## Attribute" || line == "## Attributes";
                continue;
            }
            if !in_section || !line.starts_with("| `") {
                continue;
            }
            let first_cell = line.split('|').nth(1).unwrap_or("");
            for part in first_cell.split('`').skip(1).step_by(2) {
                names.insert(part.to_string());
            }
        }
        names
    }

    /// Returns the observed attributes of `tag` from its line in the
    /// loader's `ELEMENTS` table, such as `"og-poll": ["server", "poll", "lang"],`.
    fn loader_attributes(loader: &str, tag: &str) -> BTreeSet<String> {
        let prefix = format!("\"{tag}\": [");
        let line = loader
            .lines()
            .map(str::trim)
            .find(|line| line.starts_with(&prefix))
            .unwrap_or_else(|| panic!("widgets/js/ogkit.js has no ELEMENTS line for {tag}"));
        line[prefix.len()..]
            .split(']')
            .next()
            .unwrap_or("")
            .split(',')
            .map(|name| name.trim().trim_matches('"').to_string())
            .filter(|name| !name.is_empty())
            .collect()
    }

    #[test]
    fn attribute_tables_match_loader() {
        let root = workspace_root();
        let loader = fs::read_to_string(root.join("widgets/js/ogkit.js")).unwrap();
        let pages = [
            ("og-service-search", "de/dienstleistungssuche.md"),
            ("og-service-search", "en/service-search.md"),
            ("og-data-table", "de/datentabelle.md"),
            ("og-data-table", "en/data-table.md"),
            ("og-poll", "de/beteiligung.md"),
            ("og-poll", "en/poll.md"),
            ("og-form", "de/formulare/einbinden.md"),
            ("og-form", "en/forms/embedding.md"),
        ];
        for (tag, page) in pages {
            let markdown = fs::read_to_string(root.join("www").join(page)).unwrap();
            assert_eq!(documented_attributes(&markdown), loader_attributes(&loader, tag), "www/{page} against the ELEMENTS line of {tag}");
        }
    }

    #[test]
    fn real_site_map_is_complete() {
        let www = workspace_root().join("www");
        let site = Site::load(&www).unwrap_or_else(|error| panic!("{error:#}"));
        for page in &site.pages {
            assert!(www.join(&page.source).is_file(), "{}", page.source);
            assert_eq!(site.partner(site.partner(page)).source, page.source);
        }
        for page in &site.pages {
            site.render_page(page, None).unwrap_or_else(|error| panic!("{error:#}"));
        }
        assert!(site.has_favicon, "www/{FAVICON} is missing");
    }
}
