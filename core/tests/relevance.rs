//! Relevance of the service search on the real catalogues, measured with the
//! labelled queries in `data/eval/`.
//!
//! For Munich (DLDB) a query passes when an expected service is among the
//! first 3 hits, for the LeiKa catalogue among the first 5. Queries of kind
//! `none` have no relevant service: they pass when they return nothing or
//! only weak hits. The test prints a table per kind; see it with
//!
//! ```text
//! cargo test -p ogkit-core --test relevance -- --nocapture
//! ```
//!
//! It fails when a kind falls below the recall recorded in
//! `core/tests/relevance-baseline.tsv`. After an improvement, record the new
//! numbers with `OGKIT_UPDATE_BASELINE=1` and commit the file.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ogkit_core::catalogue::Catalogue;
use ogkit_core::import::{dldb, leika_csv, Import, ImportError};
use ogkit_core::search::{Index, SearchOptions};

const BASELINE_FILE: &str = "tests/relevance-baseline.tsv";
const TARGET_OVERALL: f64 = 0.95;
const TARGET_KIND: f64 = 0.85;

fn data_path(relative: &str) -> String {
    format!("{}/../data/{relative}", env!("CARGO_MANIFEST_DIR"))
}

/// Path of a query list written for this test, beside it in `fixtures/`.
fn fixture_path(file: &str) -> String {
    format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("reading {path}: {error}"))
}

/// Imports a catalogue from `data/services/` with the importer that
/// `ogkit import services` uses, so the test measures what a city gets.
fn import(file: &str, read: fn(&[u8]) -> Result<Import, ImportError>) -> Catalogue {
    let path = data_path(&format!("services/{file}"));
    let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("reading {path}: {error}"));
    match read(&bytes) {
        Ok(import) => import.catalogue,
        Err(error) => panic!("importing {path}: {error}"),
    }
}

/// Outcome of one labelled query.
struct Outcome {
    kind: String,
    query: String,
    passed: bool,
    detail: String,
}

/// Runs every labelled query of `file` and returns one outcome each.
fn evaluate(catalogue: &Catalogue, file: &str, depth: usize) -> Vec<Outcome> {
    let index = Index::new(catalogue);
    let options = SearchOptions { max_results: depth, ..SearchOptions::default() };
    let mut outcomes = Vec::new();
    for line in read(file).lines().skip(1) {
        let columns: Vec<&str> = line.split('\t').collect();
        if columns.len() < 3 || columns[0].trim().is_empty() {
            continue;
        }
        let (query, expected, kind) = (columns[0], columns[1], columns[2]);
        let result = index.search(query, &options);
        let found: Vec<String> = result
            .hits
            .iter()
            .map(|hit| {
                let service = &catalogue.services[hit.service];
                format!("{}{} {}", service.id, if hit.weak { " (weak)" } else { "" }, service.name)
            })
            .collect();
        let passed = if kind == "none" {
            result.hits.iter().all(|hit| hit.weak)
        } else {
            let expected: Vec<&str> = expected.split(',').map(str::trim).collect();
            result.hits.iter().any(|hit| expected.contains(&catalogue.services[hit.service].id.as_str()))
        };
        let detail = format!("expected {expected:?}, got {found:?}");
        outcomes.push(Outcome { kind: kind.to_owned(), query: query.to_owned(), passed, detail });
    }
    outcomes
}

/// Recall per kind, plus `overall` over every kind except `none`.
fn recall_by_kind(outcomes: &[Outcome]) -> BTreeMap<String, (usize, usize)> {
    let mut table: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for outcome in outcomes {
        let keys = if outcome.kind == "none" { vec![outcome.kind.clone()] } else { vec![outcome.kind.clone(), "overall".into()] };
        for key in keys {
            let entry = table.entry(key).or_default();
            entry.0 += usize::from(outcome.passed);
            entry.1 += 1;
        }
    }
    table
}

fn read_baseline() -> BTreeMap<(String, String), f64> {
    let path = format!("{}/{BASELINE_FILE}", env!("CARGO_MANIFEST_DIR"));
    let Ok(text) = std::fs::read_to_string(&path) else { return BTreeMap::new() };
    let mut baseline = BTreeMap::new();
    for line in text.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()).skip(1) {
        let columns: Vec<&str> = line.split('\t').collect();
        let value = columns.get(2).and_then(|value| value.parse::<f64>().ok());
        match value {
            Some(value) => baseline.insert((columns[0].to_owned(), columns[1].to_owned()), value),
            None => panic!("{BASELINE_FILE}: invalid line {line:?}, expected catalogue, kind and a number"),
        };
    }
    baseline
}

#[test]
fn recall_reaches_baseline() {
    let munich = import("muenchen_dldb_services_de.json", dldb::read);
    let leika = import("ozg_nrw_2019_leika_leistungen.csv", leika_csv::read);
    let runs = [
        ("muenchen", &munich, data_path("eval/search-muenchen.tsv"), 3),
        ("leika", &leika, data_path("eval/search-leika.tsv"), 5),
        ("muenchen-extra", &munich, fixture_path("search-extra-muenchen.tsv"), 3),
        ("leika-extra", &leika, fixture_path("search-extra-leika.tsv"), 5),
    ];
    let baseline = read_baseline();
    let mut report = String::new();
    let mut new_baseline = String::from("# Recall reached per catalogue and kind; none = share of none queries with only weak hits.\ncatalogue\tkind\trecall\n");
    let mut regressions = Vec::new();

    for (name, catalogue, file, depth) in &runs {
        let outcomes = evaluate(catalogue, file, *depth);
        let _ = writeln!(report, "\n{name}: recall@{depth} ({} services)", catalogue.services.len());
        let _ = writeln!(report, "{:<12} {:>6} {:>7}", "kind", "passed", "recall");
        for (kind, (passed, total)) in recall_by_kind(&outcomes) {
            let recall = passed as f64 / total as f64;
            let target = if kind == "overall" { TARGET_OVERALL } else { TARGET_KIND };
            let mark = if recall < target { "  below target" } else { "" };
            let _ = writeln!(report, "{kind:<12} {:>6} {recall:>7.3}{mark}", format!("{passed}/{total}"));
            let _ = writeln!(new_baseline, "{name}\t{kind}\t{recall:.3}");
            if let Some(&expected) = baseline.get(&(name.to_string(), kind.clone())) {
                if recall + 1e-9 < expected {
                    regressions.push(format!("{name} {kind}: recall {recall:.3} is below the baseline {expected:.3}"));
                }
            }
        }
        let none: Vec<&Outcome> = outcomes.iter().filter(|o| o.kind == "none").collect();
        let strong = none.iter().filter(|o| !o.passed).count();
        let _ = writeln!(report, "none queries with a strong hit: {strong}/{}", none.len());
        for outcome in outcomes.iter().filter(|o| !o.passed) {
            let _ = writeln!(report, "  failed {:<11} {:?}: {}", outcome.kind, outcome.query, outcome.detail);
        }
    }
    println!("{report}");

    if std::env::var_os("OGKIT_UPDATE_BASELINE").is_some() {
        let path = format!("{}/{BASELINE_FILE}", env!("CARGO_MANIFEST_DIR"));
        std::fs::write(&path, new_baseline).unwrap_or_else(|error| panic!("writing {path}: {error}"));
    }
    assert!(regressions.is_empty(), "recall fell:\n{}", regressions.join("\n"));
}
