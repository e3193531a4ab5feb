//! `cargo xtask bench table`: the data table benchmark, written to its
//! section of BENCHMARKS.md.
//!
//! Generates a German-format CSV file of [`CSV_BYTES`] from a fixed seed
//! into `target/bench/`: semicolons, decimal commas with thousands points,
//! dates as `TT.MM.JJJJ`, text with umlauts and ß, some quoted fields and
//! empty cells. Builds the widget crate with its `bench` feature (a
//! `BenchTable` export that calls `ogkit_core::table` directly) the way
//! `bench search` does, and measures the bundle size that the `data-table`
//! feature adds. Then `tests/bench/table-run.mjs` times ogkit against
//! PapaParse and Tabulator in headless Chromium and writes
//! `target/bench/table.md`, which becomes the `table` section of
//! BENCHMARKS.md. There is no pass or fail on time.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::setup::{run_command, workspace_root};

/// Name of the section in BENCHMARKS.md.
const SECTION: &str = "table";

/// Size of the generated file: 50 MB (decimal), ended at a row boundary.
const CSV_BYTES: usize = 50_000_000;

/// Seed of the generator; the same seed always gives the same file.
const SEED: u64 = 0x6f67_6b69_7400_2026;

/// Feature of `ogkit-widgets` whose bundle size is measured.
const FEATURE: &str = "data-table";

pub(crate) fn run() -> Result<()> {
    crate::setup::run(&[])?;
    let root = workspace_root();
    let bench_dir = root.join("target/bench");
    std::fs::create_dir_all(&bench_dir).with_context(|| format!("cannot create {}", bench_dir.display()))?;

    let csv = bench_dir.join("table.csv");
    println!("bench: generating {} ({CSV_BYTES} bytes, seed {SEED:#x})", csv.display());
    let rows = write_csv(&csv)?;
    println!("bench: {rows} data rows");

    let wasm_dir = super::search::build_bench_wasm(&root)?;
    let size = feature_size(&root)?;
    let size_file = bench_dir.join("table-size.json");
    std::fs::write(&size_file, size.to_json()).with_context(|| format!("cannot write {}", size_file.display()))?;

    let report = bench_dir.join("table.md");
    println!("bench: timing ogkit, PapaParse and Tabulator in headless Chromium");
    run_command(
        Command::new("node")
            .current_dir(&root)
            .arg("tests/bench/table-run.mjs")
            .arg("--wasm")
            .arg(&wasm_dir)
            .arg("--csv")
            .arg(&csv)
            .arg("--size")
            .arg(&size_file)
            .arg("--out")
            .arg(&report)
            .env("CHROMIUM", crate::test::chromium_path()),
    )?;

    let text = std::fs::read_to_string(&report).with_context(|| format!("cannot read {}", report.display()))?;
    let benchmarks = root.join("BENCHMARKS.md");
    super::report::write_section(&benchmarks, SECTION, &text)?;
    println!("bench: wrote the {SECTION} section of {}", benchmarks.display());
    Ok(())
}

/// SplitMix64: a small generator whose output depends only on the seed.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Returns a number in `0..bound` (`bound` > 0).
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const DISTRICTS: &[&str] = &[
    "Altstadt", "Südstadt", "Nördliche Vorstadt", "Gärtnerviertel", "Östliches Ufer", "Mühlenberg",
    "Schloßpark", "Überlingen-Weststadt", "Ährenfeld", "Neustadt", "Zollhöhe", "Büttenwiesen",
];
const STREETS: &[&str] = &[
    "Hauptstraße", "Bahnhofstraße", "Mühlweg", "Schillerstraße", "Königsallee", "Am Grünen Hügel",
    "Größere Gasse", "Lindenstraße", "Fährstraße", "Brückenplatz", "Öhringer Weg", "Übergang",
];
const CATEGORIES: &[&str] = &[
    "Straßenbeleuchtung", "Grünflächenpflege", "Müllabfuhr", "Schülerbeförderung", "Bürgerbüro",
    "Brückenprüfung", "Spielplätze", "Öffentlicher Nahverkehr",
];
const WORDS: &[&str] = &[
    "Prüfung", "abgeschlossen", "Rückfrage", "beim", "Bauamt", "wegen", "Überlastung", "verschoben",
    "Maßnahme", "geplant", "für", "nächste", "Woche", "Anwohner", "informiert", "Gebühr", "erhöht",
    "Straße", "gesperrt", "Ölspur", "beseitigt", "Grünschnitt", "ausstehend",
];

/// Writes the generated file and returns its number of data rows.
fn write_csv(path: &Path) -> Result<usize> {
    let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let mut random = SplitMix64(SEED);
    let mut written = 0;
    let mut line = String::new();

    line.push_str("Nr;Datum;Stadtteil;Straße;Kategorie;Betrag;Menge;Anteil;Bemerkung\r\n");
    let mut rows = 0;
    while written + line.len() <= CSV_BYTES {
        out.write_all(line.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
        written += line.len();
        line.clear();
        rows += 1;
        generate_row(&mut random, rows, &mut line);
    }
    out.flush().with_context(|| format!("cannot write {}", path.display()))?;
    Ok(rows - 1)
}

/// Appends data row `number` (1-based) with its line end to `line`.
fn generate_row(random: &mut SplitMix64, number: usize, line: &mut String) {
    let day = 1 + random.below(28);
    let month = 1 + random.below(12);
    let year = 2015 + random.below(11);
    let cents = random.below(500_000_000);
    let quantity = random.below(2_000);
    let share = random.below(10_000);

    // `write!` into a String cannot fail.
    let _ = write!(line, "{number};{day:02}.{month:02}.{year};");
    line.push_str(random.pick(DISTRICTS));
    line.push(';');
    let _ = write!(line, "{} {}", random.pick(STREETS), 1 + random.below(120));
    line.push(';');
    line.push_str(random.pick(CATEGORIES));
    line.push(';');
    // One amount in fifty is missing, as in real exports.
    if random.below(50) != 0 {
        line.push_str(&german_amount(cents));
    }
    let _ = write!(line, ";{quantity};{},{:02}", share / 100, share % 100);
    line.push(';');

    let words = 3 + random.below(8);
    let mut remark = String::new();
    for index in 0..words {
        if index > 0 {
            remark.push(' ');
        }
        remark.push_str(random.pick(WORDS));
    }
    // Every tenth remark has a semicolon and quotes, so it must be quoted.
    if random.below(10) == 0 {
        let _ = write!(line, "\"{remark}; \"\"dringend\"\"\"");
    } else {
        line.push_str(&remark);
    }
    line.push_str("\r\n");
}

/// Formats cents as a German amount: `1.234.567,89`, `12,30`.
fn german_amount(cents: u64) -> String {
    let euros = (cents / 100).to_string();
    let mut grouped = String::new();
    for (index, digit) in euros.chars().enumerate() {
        if index > 0 && (euros.len() - index).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    format!("{grouped},{:02}", cents % 100)
}

/// Gzipped size of the wasm module and its JavaScript glue, with and
/// without [`FEATURE`].
struct FeatureSize {
    with_feature: [u64; 2],
    without_feature: [u64; 2],
    features_with: String,
    features_without: String,
}

impl FeatureSize {
    fn to_json(&self) -> String {
        format!(
            "{{\"feature\":\"{FEATURE}\",\"featuresWith\":\"{}\",\"featuresWithout\":\"{}\",\
             \"withWasmGzip\":{},\"withJsGzip\":{},\"withoutWasmGzip\":{},\"withoutJsGzip\":{}}}\n",
            self.features_with,
            self.features_without,
            self.with_feature[0],
            self.with_feature[1],
            self.without_feature[0],
            self.without_feature[1]
        )
    }
}

/// Builds the widget crate twice, with the default features and with them
/// minus [`FEATURE`], the way `cargo xtask build` builds `pkg/` (profile
/// `wasm-release`, then wasm-opt with the flags from `widgets/Cargo.toml`),
/// and returns the `gzip -9` sizes.
fn feature_size(root: &Path) -> Result<FeatureSize> {
    let manifest = root.join("widgets/Cargo.toml");
    let manifest_text =
        std::fs::read_to_string(&manifest).with_context(|| format!("cannot read {}", manifest.display()))?;
    let defaults = default_features(&manifest_text)
        .with_context(|| format!("{} has no `default = [...]` line in [features]", manifest.display()))?;
    if !defaults.iter().any(|feature| feature == FEATURE) {
        bail!("{FEATURE} is not a default feature in {}; the size comparison needs it there", manifest.display());
    }
    let without: Vec<String> = defaults.iter().filter(|feature| *feature != FEATURE).cloned().collect();
    let wasm_opt_flags = wasm_opt_flags(&manifest_text);

    let with_dir = build_size_variant(root, "with", &defaults, &wasm_opt_flags)?;
    let without_dir = build_size_variant(root, "without", &without, &wasm_opt_flags)?;
    Ok(FeatureSize {
        with_feature: gzip_sizes(&with_dir)?,
        without_feature: gzip_sizes(&without_dir)?,
        features_with: defaults.join(","),
        features_without: without.join(","),
    })
}

/// Returns the names listed in the `default = [...]` line of a manifest.
fn default_features(manifest: &str) -> Option<Vec<String>> {
    let line = manifest.lines().find(|line| line.trim_start().starts_with("default = ["))?;
    let list = line.split_once('[')?.1.split_once(']')?.0;
    Some(
        list.split(',')
            .map(|name| name.trim().trim_matches('"').to_owned())
            .filter(|name| !name.is_empty())
            .collect(),
    )
}

/// Returns the flags of the `wasm-opt = [...]` line of the wasm-pack
/// profile, or `-Os` when the manifest has none.
fn wasm_opt_flags(manifest: &str) -> Vec<String> {
    let flags = manifest
        .lines()
        .find(|line| line.trim_start().starts_with("wasm-opt = ["))
        .and_then(|line| line.split_once('[')?.1.split_once(']').map(|(list, _)| list.to_owned()));
    match flags {
        Some(list) => list
            .split(',')
            .map(|flag| flag.trim().trim_matches('"').to_owned())
            .filter(|flag| !flag.is_empty())
            .collect(),
        None => vec!["-Os".to_owned()],
    }
}

fn build_size_variant(root: &Path, name: &str, features: &[String], wasm_opt_flags: &[String]) -> Result<PathBuf> {
    let target_dir = root.join("target/bench/cargo-size");
    let out_dir = crate::test::fresh_dir(&root.join(format!("target/bench/size-{name}")))?;
    println!("bench: building ogkit-widgets with features [{}] for the size comparison", features.join(", "));
    run_command(
        Command::new("cargo")
            .current_dir(root)
            .args(["build", "-p", "ogkit-widgets", "--lib", "--no-default-features", "--features"])
            .arg(features.join(","))
            .args(["--target", "wasm32-unknown-unknown", "--profile", "wasm-release"])
            .arg("--target-dir")
            .arg(&target_dir),
    )?;
    let wasm = target_dir.join("wasm32-unknown-unknown/wasm-release/ogkit_widgets.wasm");
    run_command(Command::new("wasm-bindgen").args(["--target", "web", "--out-dir"]).arg(&out_dir).arg(&wasm))?;

    let wasm_opt = root.join("node_modules/.bin/wasm-opt");
    let bindgen_wasm = out_dir.join("ogkit_widgets_bg.wasm");
    if !wasm_opt.exists() {
        bail!("{} is missing; run `npm ci` so the size matches the shipped build", wasm_opt.display());
    }
    run_command(Command::new(&wasm_opt).args(wasm_opt_flags).arg(&bindgen_wasm).arg("-o").arg(&bindgen_wasm))
        .context("wasm-opt on the size build failed")?;
    Ok(out_dir)
}

/// `gzip -9` sizes of the wasm module and of the glue in `dir`.
fn gzip_sizes(dir: &Path) -> Result<[u64; 2]> {
    let mut sizes = [0; 2];
    for (size, name) in sizes.iter_mut().zip(["ogkit_widgets_bg.wasm", "ogkit_widgets.js"]) {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&bytes).context("gzip in memory failed")?;
        *size = encoder.finish().context("gzip in memory failed")?.len() as u64;
    }
    Ok(sizes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_use_german_grouping() {
        assert_eq!(german_amount(0), "0,00");
        assert_eq!(german_amount(99_999), "999,99");
        assert_eq!(german_amount(123_456_789), "1.234.567,89");
    }

    #[test]
    fn rows_depend_only_on_seed() {
        let mut first = (SplitMix64(SEED), String::new());
        let mut second = (SplitMix64(SEED), String::new());
        for number in 1..=100 {
            generate_row(&mut first.0, number, &mut first.1);
            generate_row(&mut second.0, number, &mut second.1);
        }
        assert_eq!(first.1, second.1);
        assert_eq!(first.1.matches("\r\n").count(), 100);
    }

    #[test]
    fn rows_have_nine_fields() {
        let mut random = SplitMix64(SEED);
        for number in 1..=1_000 {
            let mut line = String::new();
            generate_row(&mut random, number, &mut line);
            let unquoted = match line.find('"') {
                Some(start) => &line[..start],
                None => &line,
            };
            // Only the last field is ever quoted, so eight separators come
            // before any quote.
            assert_eq!(unquoted.matches(';').count(), 8, "{line}");
        }
    }

    #[test]
    fn default_features_are_read() {
        let manifest = "[features]\nbench = []\ndefault = [\"poll\", \"data-table\"]\n";
        assert_eq!(default_features(manifest), Some(vec!["poll".to_owned(), "data-table".to_owned()]));
        assert_eq!(default_features("[features]\n"), None);
    }

    #[test]
    fn wasm_opt_flags_are_read() {
        let manifest = "wasm-opt = [\"-Os\", \"--strip-debug\"]\n";
        assert_eq!(wasm_opt_flags(manifest), ["-Os", "--strip-debug"]);
        assert_eq!(wasm_opt_flags(""), ["-Os"]);
    }
}
