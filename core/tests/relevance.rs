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

use ogkit_core::catalogue::{Catalogue, Service, FORMAT, VERSION};
use ogkit_core::richtext::{Block, Inline};
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

/// Loads the Munich DLDB export: id, name, comma-separated keywords and the
/// description with its HTML tags removed.
fn load_dldb() -> Catalogue {
    let json: serde_json::Value = serde_json::from_str(&read(&data_path("services/muenchen_dldb_services_de.json")))
        .unwrap_or_else(|error| panic!("parsing the DLDB file: {error}"));
    let records = json["data"].as_array().cloned().unwrap_or_default();
    let services = records
        .iter()
        .map(|record| {
            let text = |value: &serde_json::Value| value.as_str().unwrap_or_default().to_owned();
            let keywords = text(&record["meta"]["keywords"])
                .split(',')
                .map(|keyword| keyword.trim().to_owned())
                .filter(|keyword| !keyword.is_empty())
                .collect();
            let description = strip_tags(&text(&record["description"]));
            Service {
                id: text(&record["id"]),
                name: text(&record["name"]),
                keywords,
                description: vec![Block::Paragraph { content: vec![Inline::Text { text: description }] }],
                ..Service::default()
            }
        })
        .collect();
    catalogue(services)
}

fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&nbsp;", " ").replace("&amp;", "&")
}

/// Loads the LeiKa table: id, name and Leistungsschlüssel.
fn load_leika() -> Catalogue {
    let rows = parse_csv(&read(&data_path("services/ozg_nrw_2019_leika_leistungen.csv")));
    let header = &rows[0];
    let column = |name: &str| header.iter().position(|cell| cell == name).unwrap_or_else(|| panic!("no column {name}"));
    let (id, name, key) = (column("id"), column("name"), column("service_key"));
    let services = rows[1..]
        .iter()
        .filter(|row| row.len() == header.len())
        .map(|row| Service {
            id: row[id].clone(),
            name: row[name].clone(),
            leika: row[key].chars().all(|c| c.is_ascii_digit()).then(|| row[key].clone()),
            ..Service::default()
        })
        .collect();
    catalogue(services)
}

/// Splits CSV text with double-quoted fields into rows of cells.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, _) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, _) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

fn catalogue(services: Vec<Service>) -> Catalogue {
    Catalogue { format: FORMAT.into(), version: VERSION, title: None, source: None, services, synonyms: Vec::new() }
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
    let munich = load_dldb();
    let leika = load_leika();
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
