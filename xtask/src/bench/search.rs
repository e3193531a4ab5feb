//! `cargo xtask bench search`: the search benchmark, written to its
//! section of BENCHMARKS.md.
//!
//! Builds the widget crate with its `bench` feature (a `BenchIndex` export
//! that calls `ogkit_core::search::Index` directly) into `target/bench/`,
//! with the same size-optimised profile and `wasm-opt -Oz` as `pkg/`, but in
//! a target folder of its own so that the shipped build never gets the
//! feature. Then `tests/bench/run.mjs` times ogkit, MiniSearch and Fuse.js
//! in one headless Chromium page on the two demo catalogues and their
//! labelled queries, and writes the table together with the output of
//! `cargo xtask size` to `target/bench/search.md`. That text, without its
//! page title, becomes the `search` section of BENCHMARKS.md. There is no
//! pass or fail on time: this is a measurement, not a test.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::setup::{run_command, workspace_root};

/// Catalogues of the demo site that the benchmark searches.
const MUNICH_CATALOGUE: &str = "demo/daten/muenchen.json";
const LEIKA_CATALOGUE: &str = "demo/daten/ozg-leika.json";

/// Name of the section in BENCHMARKS.md.
const SECTION: &str = "search";

pub(crate) fn run() -> Result<()> {
    crate::setup::run(&[])?;
    let root = workspace_root();

    let catalogues = [root.join(MUNICH_CATALOGUE), root.join(LEIKA_CATALOGUE)];
    for catalogue in &catalogues {
        if !catalogue.is_file() {
            bail!(
                "{} is missing: it is written by `ogkit import services` from data/services/; \
                 build the demo data first (cargo xtask demo)",
                catalogue.display()
            );
        }
    }

    let wasm_dir = build_bench_wasm(&root)?;
    let size_report = size_report(&root)?;

    let report = root.join("target/bench/search.md");
    println!("bench: timing ogkit, MiniSearch and Fuse.js in headless Chromium");
    run_command(
        Command::new("node")
            .current_dir(&root)
            .arg("tests/bench/run.mjs")
            .arg("--wasm")
            .arg(&wasm_dir)
            .arg("--munich")
            .arg(&catalogues[0])
            .arg("--leika")
            .arg(&catalogues[1])
            .arg("--size")
            .arg(&size_report)
            .arg("--out")
            .arg(&report)
            .env("CHROMIUM", crate::test::chromium_path()),
    )?;

    let text = std::fs::read_to_string(&report)
        .with_context(|| format!("cannot read {}", report.display()))?;
    let benchmarks = root.join("BENCHMARKS.md");
    super::report::write_section(&benchmarks, SECTION, without_page_title(&text))?;
    println!("bench: wrote the {SECTION} section of {}", benchmarks.display());
    Ok(())
}

/// Returns the report of `run.mjs` without its first line when that is a
/// `# ` title: BENCHMARKS.md has one title for all sections.
fn without_page_title(report: &str) -> &str {
    match report.split_once('\n') {
        Some((first, rest)) if first.starts_with("# ") => rest.trim_start_matches('\n'),
        _ => report,
    }
}

/// Builds the widget crate with the `bench` feature and returns the folder
/// with `ogkit_widgets.js` and `ogkit_widgets_bg.wasm`.
pub(super) fn build_bench_wasm(root: &Path) -> Result<PathBuf> {
    let target_dir = root.join("target/bench/cargo");
    let out_dir = crate::test::fresh_dir(&root.join("target/bench/wasm"))?;

    println!("bench: building ogkit-widgets with the bench feature (profile wasm-release)");
    run_command(
        Command::new("cargo")
            .current_dir(root)
            .args(["build", "-p", "ogkit-widgets", "--lib", "--features", "bench"])
            .args(["--target", "wasm32-unknown-unknown", "--profile", "wasm-release"])
            .arg("--target-dir")
            .arg(&target_dir),
    )?;

    let wasm = target_dir.join("wasm32-unknown-unknown/wasm-release/ogkit_widgets.wasm");
    run_command(
        Command::new("wasm-bindgen")
            .args(["--target", "web", "--out-dir"])
            .arg(&out_dir)
            .arg(&wasm),
    )?;

    // The shipped pkg/ goes through `wasm-opt -Oz`; the benchmark measures
    // the same optimisation level.
    let wasm_opt = root.join("node_modules/.bin/wasm-opt");
    let bindgen_wasm = out_dir.join("ogkit_widgets_bg.wasm");
    if wasm_opt.exists() {
        run_command(
            Command::new(&wasm_opt)
                .arg("-Oz")
                .arg(&bindgen_wasm)
                .arg("-o")
                .arg(&bindgen_wasm),
        )
        .context("wasm-opt -Oz on the bench build failed")?;
    } else {
        println!("bench: {} is missing; measuring without wasm-opt", wasm_opt.display());
    }
    Ok(out_dir)
}

/// Runs `cargo xtask size` on the search-only kit, which it builds, and
/// returns the file with its output. A size over budget is still reported,
/// not treated as a failure of the benchmark.
fn size_report(root: &Path) -> Result<PathBuf> {
    let xtask = std::env::current_exe().context("cannot find the running xtask binary")?;
    let output = Command::new(&xtask)
        .args(["size", "--widgets", "og-service-search"])
        .current_dir(root)
        .output()
        .context("cannot run cargo xtask size")?;

    // The table starts at its header line; set-up and build lines before it
    // are progress, not part of the report.
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut text = match stdout.find("file ") {
        Some(start) => stdout[start..].to_string(),
        None => stdout.into_owned(),
    };
    if !output.status.success() {
        text.push_str(&String::from_utf8_lossy(&output.stderr));
    }
    let path = root.join("target/bench/size.txt");
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_title_is_dropped() {
        assert_eq!(without_page_title("# Benchmarks\n\nWritten by\n## Search\n"), "Written by\n## Search\n");
        assert_eq!(without_page_title("## Search\n"), "## Search\n");
    }
}
