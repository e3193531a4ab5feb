//! `cargo xtask build`: builds `pkg/`, the folder a city deploys.
//!
//! wasm-pack compiles the widget crate with the size-optimised
//! `wasm-release` profile, runs wasm-bindgen and then `wasm-opt` with the
//! flags in `widgets/Cargo.toml` (wasm-opt from the npm package binaryen,
//! found through `node_modules/.bin` on PATH). The
//! loader `ogkit.js`, with the release number filled in, and `ogkit.css`
//! are copied beside the output, and esbuild minifies them and the
//! wasm-bindgen glue. Files a city does not need are removed, and every file gets the
//! compressed copies that servers send as they are (see `compress`).
//! Last come the npm package files (see `npm`).

use std::ffi::OsString;
use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::setup::{run_command, workspace_root};

/// Files that wasm-pack writes but a deployment does not use.
const UNUSED_OUTPUTS: &[&str] = &[
    ".gitignore",
    "README.md",
    "LICENSE",
    "package.json",
    "ogkit_widgets.d.ts",
    "ogkit_widgets_bg.wasm.d.ts",
];

/// Placeholder in `widgets/js/ogkit.js` for the release number.
const RELEASE_PLACEHOLDER: &str = "__OGKIT_RELEASE__";

/// A widget that a build may leave out, with its cargo feature of
/// `ogkit-widgets`. The service search is always in: it is the foundation
/// the others share.
const OPTIONAL_WIDGETS: &[(&str, &str)] = &[
    ("og-poll", "poll"),
    ("og-data-table", "data-table"),
    ("og-form", "form"),
    ("og-embed-builder", "builder"),
];

/// Elements that a build contains only when `--widgets` names them. The
/// embed-code builder belongs to the docs site, never to the city kit.
pub(crate) const OPT_IN_WIDGETS: &[&str] = &["og-embed-builder"];

/// The element whose preview shows every widget, so naming it builds them all.
const BUILDER_WIDGET: &str = "og-embed-builder";

/// The element that every build contains.
const BASE_WIDGET: &str = "og-service-search";

pub(crate) const USAGE: &str = "usage: cargo xtask build [--widgets ELEMENTS]

Installs what is missing (as `cargo xtask setup` does) and builds the widget
kit into pkg/: release profile, size-optimised, wasm-opt, minified loader and
compressed .gz and .br copies.

  --widgets ELEMENTS  comma-separated elements to build, from og-service-search,
                      og-data-table, og-poll, og-form and og-embed-builder, such
                      as --widgets og-service-search,og-poll. og-service-search
                      is always built. Naming og-embed-builder builds every
                      widget, because its preview shows each of them.

Without --widgets every widget is built except og-embed-builder.";

pub(crate) fn run(args: &[String]) -> Result<()> {
    let widgets = match args {
        [] => None,
        [flag, list] if flag == "--widgets" => Some(parse_widgets(list)?),
        [flag] if flag == "--widgets" => bail!("--widgets needs a comma-separated list of elements\n\n{USAGE}"),
        [extra, ..] => bail!("unexpected argument {extra:?}\n\n{USAGE}"),
    };
    crate::setup::run(&[])?;
    let root = workspace_root();
    build_into(&root, &root.join("pkg"), widgets.as_deref())
}

/// Returns the elements named in `list`, which must include the service
/// search, in the order of [`OPTIONAL_WIDGETS`]. Naming the embed-code
/// builder adds every widget, because its preview shows each of them.
pub(crate) fn parse_widgets(list: &str) -> Result<Vec<&'static str>> {
    let names: Vec<&str> = list.split(',').map(str::trim).filter(|name| !name.is_empty()).collect();
    for name in &names {
        if *name != BASE_WIDGET && !OPTIONAL_WIDGETS.iter().any(|(tag, _)| tag == name) {
            let known: Vec<&str> =
                std::iter::once(BASE_WIDGET).chain(OPTIONAL_WIDGETS.iter().map(|(tag, _)| *tag)).collect();
            bail!("--widgets: {name:?} is no ogkit element; the elements are {}", known.join(", "));
        }
    }
    let everything = names.contains(&BUILDER_WIDGET);
    let mut widgets = vec![BASE_WIDGET];
    widgets.extend(OPTIONAL_WIDGETS.iter().map(|(tag, _)| *tag).filter(|tag| everything || names.contains(tag)));
    Ok(widgets)
}

/// Builds the kit into `pkg`: only `widgets`, or without them every widget
/// except those of [`OPT_IN_WIDGETS`].
pub(crate) fn build_into(root: &Path, pkg: &Path, widgets: Option<&[&str]>) -> Result<()> {
    let mut wasm_pack = Command::new("wasm-pack");
    wasm_pack
        .args(["build", "widgets", "--target", "web", "--profile", "wasm-release"])
        .arg("--out-dir")
        .arg(pkg)
        .args(["--out-name", "ogkit_widgets", "--no-pack", "--no-typescript"]);
    if let Some(widgets) = widgets {
        let features: Vec<&str> =
            OPTIONAL_WIDGETS.iter().filter(|(tag, _)| widgets.contains(tag)).map(|(_, feature)| *feature).collect();
        wasm_pack.args(["--", "--no-default-features"]);
        if !features.is_empty() {
            wasm_pack.args(["--features", &features.join(",")]);
        }
        println!("build: wasm-pack build widgets for {} (profile wasm-release, then wasm-opt)", widgets.join(", "));
    } else {
        println!("build: wasm-pack build widgets (profile wasm-release, then wasm-opt)");
    }
    run_command(wasm_pack.env("PATH", path_with_node_bin(root)?).current_dir(root))?;

    // The npm files of an earlier build are written again at the end; until
    // then they must not get compressed copies.
    for name in UNUSED_OUTPUTS.iter().chain(crate::npm::METADATA_FILES) {
        let path = pkg.join(name);
        if path.exists() {
            fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }

    let loader_source = root.join("widgets/js/ogkit.js");
    let loader = fs::read_to_string(&loader_source).with_context(|| format!("reading {}", loader_source.display()))?;
    if !loader.contains(RELEASE_PLACEHOLDER) {
        bail!("{} lacks the placeholder {RELEASE_PLACEHOLDER}", loader_source.display());
    }
    let mut loader = strip_line_comments(&loader.replace(RELEASE_PLACEHOLDER, env!("CARGO_PKG_VERSION")));
    let stylesheet_source = root.join("widgets/css/ogkit.css");
    let mut stylesheet =
        fs::read_to_string(&stylesheet_source).with_context(|| format!("reading {}", stylesheet_source.display()))?;
    // The default features of the widget crate leave the opt-in elements
    // out, so their loader lines and styles go too.
    let left_out: Vec<&str> = match widgets {
        Some(widgets) => OPTIONAL_WIDGETS.iter().map(|(tag, _)| *tag).filter(|tag| !widgets.contains(tag)).collect(),
        None => OPT_IN_WIDGETS.to_vec(),
    };
    loader = without_elements(&loader, &left_out);
    stylesheet = without_sections(&stylesheet, &left_out);
    fs::write(pkg.join("ogkit.js"), loader).context("writing ogkit.js")?;
    fs::write(pkg.join("ogkit.css"), stylesheet).context("writing ogkit.css")?;

    let wasm_path = pkg.join("ogkit_widgets_bg.wasm");
    let glue_path = pkg.join("ogkit_widgets.js");
    let wasm = fs::read(&wasm_path).with_context(|| format!("reading {}", wasm_path.display()))?;
    let glue = fs::read_to_string(&glue_path).with_context(|| format!("reading {}", glue_path.display()))?;
    let (wasm, glue) = crate::imports::shorten(&wasm, &glue).context("shortening the import names")?;
    fs::write(&wasm_path, wasm).with_context(|| format!("writing {}", wasm_path.display()))?;
    fs::write(&glue_path, glue).with_context(|| format!("writing {}", glue_path.display()))?;
    minify_glue(root, pkg)?;
    for file in ["ogkit.js", "ogkit.css"] {
        minify(root, &pkg.join(file))?;
    }

    check_glue_for_csp(&pkg.join("ogkit_widgets.js"))?;
    println!("build: writing the compressed copies (.gz with Zopfli, .br)");
    crate::compress::write_copies(pkg)?;
    // After the copies: the npm metadata is not served, so it gets none.
    crate::npm::write_package(root, pkg, widgets)?;
    println!("build: {} is ready", pkg.display());
    Ok(())
}

/// Removes the lines of the loader's `ELEMENTS` table that define `tags`,
/// so an element left out of the build keeps its fallback content instead
/// of showing an error.
fn without_elements(loader: &str, tags: &[&str]) -> String {
    let mut output = String::with_capacity(loader.len());
    for line in loader.lines() {
        let trimmed = line.trim_start();
        if tags.iter().any(|tag| trimmed.starts_with(&format!("\"{tag}\": ["))) {
            continue;
        }
        output.push_str(line);
        output.push('\n');
    }
    output
}

/// Removes the stylesheet sections of `tags`. A section starts at a
/// top-level comment line `/* TAG: …` and runs to the next such comment of
/// another widget; what comes before the first one is shared.
fn without_sections(stylesheet: &str, tags: &[&str]) -> String {
    let mut output = String::with_capacity(stylesheet.len());
    let mut skipping = false;
    for line in stylesheet.lines() {
        if let Some(rest) = line.strip_prefix("/* og-") {
            let tag = rest.split([':', ' ']).next().unwrap_or("");
            skipping = tags.iter().any(|left_out| left_out.strip_prefix("og-") == Some(tag));
        }
        if !skipping {
            output.push_str(line);
            output.push('\n');
        }
    }
    output
}

/// Removes blank lines and lines that contain only a `//` comment from the
/// loader. The source keeps its comments; every city page downloads the copy.
fn strip_line_comments(source: &str) -> String {
    let mut output = String::with_capacity(source.len());
    for line in source.lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with("//") {
            continue;
        }
        output.push_str(line);
        output.push('\n');
    }
    output
}

/// Bundles the wasm-bindgen glue with esbuild, keeping only the two exports
/// that the loader calls (`default`, which starts the module, and `mount`),
/// so the helpers behind the other exports are left out; then minifies it.
fn minify_glue(root: &Path, pkg: &Path) -> Result<()> {
    let esbuild = esbuild(root)?;
    let entry = pkg.join("ogkit-glue-entry.mjs");
    let bundled = pkg.join("ogkit-glue-bundled.js");
    fs::write(&entry, "export { default, mount } from \"./ogkit_widgets.js\";\n")
        .with_context(|| format!("writing {}", entry.display()))?;
    let mut outfile = OsString::from("--outfile=");
    outfile.push(&bundled);
    let result = run_command(
        Command::new(&esbuild)
            .arg(&entry)
            .args(["--bundle", "--format=esm", "--minify", "--log-level=warning"])
            .arg(outfile)
            .current_dir(root),
    );
    let _ = fs::remove_file(&entry);
    result?;
    let glue = pkg.join("ogkit_widgets.js");
    fs::rename(&bundled, &glue).with_context(|| format!("replacing {}", glue.display()))?;
    Ok(())
}

/// Returns the path of esbuild from the npm packages.
fn esbuild(root: &Path) -> Result<std::path::PathBuf> {
    let esbuild = root.join("node_modules/.bin/esbuild");
    if !esbuild.exists() {
        bail!("{} is missing; run `npm ci` in {}", esbuild.display(), root.display());
    }
    Ok(esbuild)
}

/// Minifies a file of `pkg/` in place with esbuild from the npm packages.
/// The loader keeps its release as a string literal, the stylesheet its
/// `:where()` selectors and custom properties.
fn minify(root: &Path, file: &Path) -> Result<()> {
    let esbuild = esbuild(root)?;
    let mut outfile = OsString::from("--outfile=");
    outfile.push(file);
    run_command(
        Command::new(&esbuild)
            .arg(file)
            .args(["--minify", "--allow-overwrite", "--log-level=warning"])
            .arg(outfile)
            .current_dir(root),
    )
}

/// Returns PATH with `node_modules/.bin` first, so wasm-pack finds the
/// npm binaryen's wasm-opt instead of downloading one.
fn path_with_node_bin(root: &Path) -> Result<OsString> {
    let node_bin = root.join("node_modules/.bin");
    let mut paths = vec![node_bin];
    if let Some(existing) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&existing));
    }
    std::env::join_paths(paths).context("joining PATH")
}

/// Fails when the generated glue uses what a strict Content-Security-Policy
/// (`script-src 'self' 'wasm-unsafe-eval'`) blocks: `eval`, `new Function`
/// or inline styles.
fn check_glue_for_csp(glue: &Path) -> Result<()> {
    let text = fs::read_to_string(glue).with_context(|| format!("reading {}", glue.display()))?;
    for pattern in ["eval(", "new Function", ".style.cssText", "setAttribute('style'", "setAttribute(\"style\""] {
        if text.contains(pattern) {
            bail!("{} contains {pattern:?}, which a strict Content-Security-Policy blocks", glue.display());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_names_every_element() {
        let words: Vec<&str> = USAGE.split(|c: char| c.is_whitespace() || c == ',').collect();
        for tag in std::iter::once(BASE_WIDGET).chain(OPTIONAL_WIDGETS.iter().map(|(tag, _)| *tag)) {
            assert!(words.contains(&tag), "the usage of build does not name {tag}");
        }
    }

    #[test]
    fn widget_list_always_holds_the_search() {
        assert_eq!(parse_widgets("og-poll").unwrap(), ["og-service-search", "og-poll"]);
        assert_eq!(parse_widgets("og-form, og-service-search").unwrap(), ["og-service-search", "og-form"]);
        assert_eq!(
            parse_widgets("og-service-search,og-embed-builder").unwrap(),
            ["og-service-search", "og-poll", "og-data-table", "og-form", "og-embed-builder"]
        );
        let error = parse_widgets("og-map").unwrap_err().to_string();
        assert!(error.contains("\"og-map\" is no ogkit element"), "{error}");
    }

    #[test]
    fn left_out_elements_lose_their_loader_line() {
        let loader = "  const ELEMENTS = {\n    \"og-service-search\": [\"src\"],\n    \"og-poll\": [\"poll\"],\n  };\n";
        assert_eq!(without_elements(loader, &["og-poll"]), "  const ELEMENTS = {\n    \"og-service-search\": [\"src\"],\n  };\n");
    }

    #[test]
    fn left_out_widgets_lose_their_styles() {
        let css = "a {}\n/* og-poll: polls */\n.p {}\n/* og-data-table: tables */\n.t {}\n/* og-data-table: CKAN */\n.c {}\n";
        assert_eq!(without_sections(css, &["og-data-table"]), "a {}\n/* og-poll: polls */\n.p {}\n");
        assert_eq!(without_sections(css, &["og-poll"]), "a {}\n/* og-data-table: tables */\n.t {}\n/* og-data-table: CKAN */\n.c {}\n");
    }

    #[test]
    fn comment_lines_are_removed() {
        let source = "// head\n(() => {\n  // inside\n\n  const url = \"https://x/\"; // kept\n})();\n";
        assert_eq!(strip_line_comments(source), "(() => {\n  const url = \"https://x/\"; // kept\n})();\n");
    }
}
