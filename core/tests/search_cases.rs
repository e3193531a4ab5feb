//! Search faults reported against other libraries, replayed on two small
//! invented catalogues: spelling variants of German words (umlauts, ß,
//! case, decomposed Unicode) and typing a query one keystroke at a time.

use std::collections::BTreeSet;

use ogkit_core::catalogue::{Catalogue, Service, FORMAT, VERSION};
use ogkit_core::richtext::{Block, Inline};
use ogkit_core::search::{Index, SearchOptions, SearchResult};

/// Reads a case catalogue: a JSON array of `{id, title, description}`.
fn load_case(file: &str) -> Catalogue {
    let path = format!("{}/../data/eval/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("reading {path}: {error}"));
    let records: Vec<serde_json::Value> =
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("parsing {path}: {error}"));
    let services = records
        .iter()
        .map(|record| {
            let field = |key: &str| record[key].as_str().unwrap_or_default().to_owned();
            Service {
                id: field("id"),
                name: field("title"),
                description: vec![Block::Paragraph { content: vec![Inline::Text { text: field("description") }] }],
                ..Service::default()
            }
        })
        .collect();
    Catalogue { format: FORMAT.into(), version: VERSION, title: None, source: None, services, synonyms: Vec::new() }
}

fn all_hits() -> SearchOptions {
    SearchOptions { max_results: usize::MAX, ..SearchOptions::default() }
}

fn ids(catalogue: &Catalogue, result: &SearchResult) -> Vec<String> {
    result.hits.iter().map(|hit| catalogue.services[hit.service].id.clone()).collect()
}

mod spelling_variants {
    use super::*;

    const ROWS: &[(&[&str], &str)] = &[
        (&["Müll", "müll", "MÜLL", "muell", "Muell", "mull"], "S01"),
        (&["straße", "Strasse", "STRASSE", "STRAẞE"], "S02"),
        (&["führerschein", "fuehrerschein", "fuhrerschein", "FÜHRERSCHEIN"], "S03"),
        (&["übergangswohnheim", "Ubergangswohnheim", "uebergangswohnheim"], "S04"),
        (&["Ölspur", "oelspur", "olspur", "ÖLSPUR"], "S05"),
        (&["gaststättenerlaubnis", "gaststaettenerlaubnis", "gaststattenerlaubnis"], "S06"),
        (&["goethe", "Goethe-Gymnasium"], "S07"),
        (&["wasserzähler", "wasserza\u{308}hler", "wasserzaehler", "wasserzahler"], "S08"),
        (&["zählerstand", "zaehlerstand"], "S08"),
        (&["gerät", "geraet", "gerat"], "S09"),
        (&["fälligkeiten", "faelligkeiten"], "S10"),
    ];

    #[test]
    fn every_spelling_gives_same_set() {
        let catalogue = load_case("case-12-catalogue.json");
        let index = Index::new(&catalogue);
        for (spellings, first) in ROWS {
            let reference: BTreeSet<String> = ids(&catalogue, &index.search(spellings[0], &all_hits())).into_iter().collect();
            for spelling in *spellings {
                let found = ids(&catalogue, &index.search(spelling, &all_hits()));
                assert_eq!(found.first().map(String::as_str), Some(*first), "first hit for {spelling:?}: {found:?}");
                let set: BTreeSet<String> = found.into_iter().collect();
                assert_eq!(set, reference, "{spelling:?} against {:?}", spellings[0]);
            }
        }
    }

    #[test]
    fn street_also_finds_description() {
        let catalogue = load_case("case-12-catalogue.json");
        let index = Index::new(&catalogue);
        for spelling in ["straße", "Strasse", "STRASSE", "STRAẞE"] {
            let found = ids(&catalogue, &index.search(spelling, &all_hits()));
            assert!(found.contains(&"S01".to_owned()), "{spelling:?}: {found:?}");
        }
    }

    #[test]
    fn highlight_keeps_original_spelling() {
        let catalogue = load_case("case-12-catalogue.json");
        let index = Index::new(&catalogue);
        let result = index.search("muell", &all_hits());
        let hit = &result.hits[0];
        let name = &catalogue.services[hit.service].name;
        let marked: Vec<&str> = hit.name_highlights.iter().map(|range| &name[range.clone()]).collect();
        assert_eq!(marked, ["Müll"]);
    }

    #[test]
    fn highlight_keeps_mark_with_letter() {
        let catalogue = load_case("case-12-catalogue.json");
        let index = Index::new(&catalogue);
        for query in ["wasserza", "wasserzä", "wasserzahler", "Wasserza\u{308}hler"] {
            let result = index.search(query, &all_hits());
            let hit = &result.hits[0];
            let name = &catalogue.services[hit.service].name;
            assert_eq!(catalogue.services[hit.service].id, "S08");
            assert!(name.contains('\u{308}'), "S08 keeps its decomposed name");
            for range in &hit.name_highlights {
                let marked = &name[range.clone()];
                let after = &name[range.end..];
                assert!(!after.starts_with('\u{308}'), "{query:?}: highlight {marked:?} cuts off the mark");
            }
        }
    }
}

mod typing {
    use super::*;

    fn hits_while_typing(index: &Index, catalogue: &Catalogue, word: &str, from: usize) -> Vec<(String, Vec<String>)> {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        let mut steps = Vec::new();
        for count in from..=chars.len() {
            let end = chars.get(count).map_or(word.len(), |&(offset, _)| offset);
            let typed = &word[..end];
            steps.push((typed.to_owned(), ids(catalogue, &index.search(typed, &all_hits()))));
        }
        steps
    }

    #[test]
    fn short_umlaut_prefix_prefers_umlaut() {
        let catalogue = load_case("case-13-catalogue.json");
        let index = Index::new(&catalogue);
        let found = ids(&catalogue, &index.search("bü", &all_hits()));
        let position = |id: &str| found.iter().position(|found_id| found_id == id);
        assert!(position("T01").is_some(), "T01 missing: {found:?}");
        assert!(position("T02").is_some(), "T02 missing: {found:?}");
        assert_eq!(position("T03"), None, "T03 present: {found:?}");
        if let Some(bus) = position("T08") {
            assert!(bus > position("T01").unwrap_or(usize::MAX), "{found:?}");
            assert!(bus > position("T02").unwrap_or(usize::MAX), "{found:?}");
        }
    }

    #[test]
    fn word_start_before_compound_part() {
        let catalogue = load_case("case-13-catalogue.json");
        let index = Index::new(&catalogue);
        let found = ids(&catalogue, &index.search("bür", &all_hits()));
        assert_eq!(found.first().map(String::as_str), Some("T01"), "{found:?}");
    }

    #[test]
    fn licence_stays_while_typing() {
        let catalogue = load_case("case-13-catalogue.json");
        let index = Index::new(&catalogue);
        for (word, from) in [("Führerschein", 3), ("Fuehrerschein", 4)] {
            for (typed, found) in hits_while_typing(&index, &catalogue, word, from) {
                assert!(found.contains(&"T06".to_owned()), "{typed:?}: {found:?}");
            }
        }
    }

    #[test]
    fn registrations_stay_while_typing() {
        let catalogue = load_case("case-13-catalogue.json");
        let index = Index::new(&catalogue);
        let mut steps = hits_while_typing(&index, &catalogue, "anmelden", 3);
        steps.push(("anmeldung".to_owned(), ids(&catalogue, &index.search("anmeldung", &all_hits()))));
        for (typed, found) in steps {
            assert!(found.contains(&"T04".to_owned()), "T04 for {typed:?}: {found:?}");
            assert!(found.contains(&"T05".to_owned()), "T05 for {typed:?}: {found:?}");
        }
    }

    #[test]
    fn full_word_hits_present_while_typing() {
        let catalogue = load_case("case-13-catalogue.json");
        let index = Index::new(&catalogue);
        for word in ["Führerschein", "Fuehrerschein", "anmelden", "Bürgerbüro", "Außengastronomie", "Café", "Fundbüro"] {
            let final_hits = index.search(word, &all_hits());
            let targets: Vec<&str> = final_hits
                .hits
                .iter()
                .filter(|hit| !hit.weak)
                .map(|hit| catalogue.services[hit.service].id.as_str())
                .collect();
            assert!(!targets.is_empty(), "{word:?} finds nothing");
            for (typed, found) in hits_while_typing(&index, &catalogue, word, 3) {
                for id in &targets {
                    assert!(found.iter().any(|found_id| found_id == id), "{id} for {word:?} missing at {typed:?}: {found:?}");
                }
            }
        }
    }

    #[test]
    fn dead_key_accent_gives_cafe() {
        let catalogue = load_case("case-13-catalogue.json");
        let index = Index::new(&catalogue);
        let expected = ids(&catalogue, &index.search("cafe", &all_hits()));
        assert!(expected.contains(&"T09".to_owned()), "{expected:?}");
        // Typed: "Cafe", backspace, then the dead key (shown as a spacing
        // accent or a combining mark while pending), then "e".
        for typed in ["Cafe", "Caf", "Caf\u{B4}", "Caf\u{301}", "Café", "Cafe\u{301}"] {
            let found = ids(&catalogue, &index.search(typed, &all_hits()));
            assert!(found.contains(&"T09".to_owned()), "{typed:?}: {found:?}");
        }
        for typed in ["Café", "Cafe\u{301}"] {
            assert_eq!(ids(&catalogue, &index.search(typed, &all_hits())), expected, "{typed:?}");
        }
    }
}

mod synonym_documentation {
    use ogkit_core::search::BUILT_IN_SYNONYMS;

    /// Checks that the editor pages list every built-in group as one table row.
    #[test]
    fn editor_pages_list_every_group() {
        for page in ["www/de/synonyme.md", "www/en/synonyms.md"] {
            let path = format!("{}/../{page}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("reading {path}: {error}"));
            let rows: Vec<&str> = text.lines().filter(|line| line.starts_with("| ") && !line.starts_with("| ---")).collect();
            for group in BUILT_IN_SYNONYMS {
                let row = format!("| {} |", group.join(", "));
                assert!(rows.contains(&row.as_str()), "{page} lacks the row {row}");
            }
            let group_rows = rows.len() - rows.iter().filter(|row| !row.contains(',')).count();
            assert_eq!(group_rows, BUILT_IN_SYNONYMS.len(), "{page} lists groups that the code does not have");
        }
    }
}
