use super::*;
use crate::catalogue::{Catalogue, Service, FORMAT, VERSION};
use crate::richtext::{Block, Inline};

/// Builds a service with a name, keywords and a one-paragraph description.
fn service(name: &str, keywords: &[&str], description: &str) -> Service {
    let description = if description.is_empty() {
        Vec::new()
    } else {
        vec![Block::Paragraph { content: vec![Inline::Text { text: description.to_owned() }] }]
    };
    Service {
        id: name.to_owned(),
        name: name.to_owned(),
        keywords: keywords.iter().map(|keyword| keyword.to_string()).collect(),
        description,
        ..Service::default()
    }
}

fn catalogue(services: Vec<Service>) -> Catalogue {
    Catalogue { format: FORMAT.into(), version: VERSION, title: None, source: None, services, synonyms: Vec::new() }
}

fn names_only(names: &[&str]) -> Catalogue {
    catalogue(names.iter().map(|name| service(name, &[], "")).collect())
}

fn all() -> SearchOptions {
    SearchOptions { max_results: usize::MAX, ..SearchOptions::default() }
}

/// Names of the hits for `query`, best first.
fn found(catalogue: &Catalogue, query: &str) -> Vec<String> {
    let index = Index::new(catalogue);
    index.search(query, &all()).hits.iter().map(|hit| catalogue.services[hit.service].name.clone()).collect()
}

/// Names of the hits that are not weak.
fn found_strong(catalogue: &Catalogue, query: &str) -> Vec<String> {
    let index = Index::new(catalogue);
    let result = index.search(query, &all());
    result.hits.iter().filter(|hit| !hit.weak).map(|hit| catalogue.services[hit.service].name.clone()).collect()
}

mod ranking {
    use super::*;

    #[test]
    fn name_before_keyword_before_description() {
        let catalogue = catalogue(vec![
            service("Abgabe für Tierhalter", &[], "Die Hundesteuer ist jährlich fällig."),
            service("Steuer für Tierhalter", &["Hundesteuer"], ""),
            service("Hundesteuer", &[], ""),
        ]);
        assert_eq!(found(&catalogue, "Hundesteuer"), ["Hundesteuer", "Steuer für Tierhalter", "Abgabe für Tierhalter"]);
    }

    #[test]
    fn exact_before_prefix_before_typo() {
        let catalogue = names_only(&["Kennzeichnen", "Kennzeichenschild", "Kennzeichen"]);
        assert_eq!(found(&catalogue, "kennzeichen"), ["Kennzeichen", "Kennzeichenschild", "Kennzeichnen"]);
    }

    #[test]
    fn word_start_before_compound_part() {
        let catalogue = names_only(&["Fundbüro", "Bürozeiten"]);
        assert_eq!(found(&catalogue, "büro"), ["Bürozeiten", "Fundbüro"]);
    }

    #[test]
    fn all_words_before_some() {
        let catalogue = names_only(&["Reisepass", "Reisepass express", "Express-Paket"]);
        assert_eq!(found(&catalogue, "express reisepass"), ["Reisepass express"]);
    }

    #[test]
    fn words_match_in_any_order() {
        let catalogue = names_only(&["Rotes Dauerkennzeichen für Oldtimer", "Historisches Kennzeichen"]);
        assert_eq!(found(&catalogue, "Oldtimer rot Kennzeichen"), ["Rotes Dauerkennzeichen für Oldtimer"]);
    }

    #[test]
    fn shorter_name_wins_tie() {
        let catalogue = names_only(&["Verlust oder Diebstahl Personalausweis", "Personalausweis"]);
        assert_eq!(found(&catalogue, "personalaus")[0], "Personalausweis");
    }

    #[test]
    fn typed_umlaut_prefers_umlaut() {
        let catalogue = names_only(&["Busfahrkarte", "Bücherei", "Bürgerbüro"]);
        let hits = found(&catalogue, "bü");
        assert_eq!(hits.last().map(String::as_str), Some("Busfahrkarte"), "{hits:?}");
    }

    #[test]
    fn scores_follow_hit_order() {
        let catalogue = names_only(&["Kennzeichen", "Kennzeichenschild", "Kennzeichnen", "Saisonkennzeichen"]);
        let result = Index::new(&catalogue).search("kennzeichen", &all());
        for pair in result.hits.windows(2) {
            assert!(pair[0].score >= pair[1].score, "{:?}", result.hits);
        }
    }
}

mod matching {
    use super::*;

    #[test]
    fn compound_parts() {
        let cases = [
            ("hund", "Kampfhund"),
            ("hund", "Hundesteuer"),
            ("besitzkarte", "Waffenbesitzkarte"),
            ("halteverbot", "Parkplatzabsperrung für Umzug Halteverbotszone"),
            ("mehrling", "Zuwendungen bei Mehrlingsgeburten"),
            ("steuer", "Kfz-Steuer"),
        ];
        for (query, name) in cases {
            assert_eq!(found_strong(&names_only(&[name]), query), [name], "{query:?}");
        }
    }

    #[test]
    fn compound_part_needs_four_letters() {
        assert!(found(&names_only(&["Fundbüro"]), "bür").is_empty());
    }

    #[test]
    fn typos_by_word_length() {
        let cases = [
            ("Reisepss", "Reisepass", true),
            ("Fürhungszeugnis", "Führungszeugnis", true),
            ("Meldebescheiningung", "Meldebescheinigung", true),
            ("Vaterschaftsanerkenung", "Vaterschaftsanerkennung", true),
            ("Testamnet", "Testament", true),
            ("hnud", "Hund", true),
            ("pas", "Paß", true),
            ("gzb", "GZR", false),
            ("Reispss", "Reisepass", false),
        ];
        for (query, name, expected) in cases {
            let hits = found(&names_only(&[name]), query);
            assert_eq!(!hits.is_empty(), expected, "{query:?} against {name:?}: {hits:?}");
        }
    }

    #[test]
    fn typo_prefix_while_typing() {
        assert_eq!(found(&names_only(&["Führerschein umtauschen"]), "Fürhersch"), ["Führerschein umtauschen"]);
        assert_eq!(found(&names_only(&["Vorname Änderung der Reihenfolge"]), "andern"), ["Vorname Änderung der Reihenfolge"]);
    }

    #[test]
    fn different_start_is_weak() {
        let catalogue = names_only(&["Gewerbe-Abmeldung"]);
        assert!(found_strong(&catalogue, "Gewerbe anmelden").is_empty());
        assert_eq!(found(&catalogue, "Gewerbe anmelden"), ["Gewerbe-Abmeldung"]);
    }

    #[test]
    fn other_first_letter_is_no_typo() {
        let catalogue = names_only(&["Reisepass", "Hund"]);
        let hits = found(&catalogue, "Beisepass");
        assert!(hits.is_empty(), "{hits:?}");
        assert_eq!(found_strong(&catalogue, "eRisepass"), ["Reisepass"]);
        assert_eq!(found(&catalogue, "uhnd"), ["Hund"]);
    }

    #[test]
    fn inflected_word_finds_stem() {
        assert_eq!(found_strong(&names_only(&["Personalausweis neu"]), "neuer Personalausweis"), ["Personalausweis neu"]);
        assert_eq!(found_strong(&names_only(&["Gesundheitszeugnis (Hund, Katze)"]), "Hunde"), ["Gesundheitszeugnis (Hund, Katze)"]);
    }

    #[test]
    fn compound_query_finds_its_head() {
        let catalogue = names_only(&["Reisepass"]);
        assert_eq!(found(&catalogue, "Kinderreisepass"), ["Reisepass"]);
        assert!(found_strong(&catalogue, "Kinderreisepass").is_empty());
    }

    #[test]
    fn compound_query_finds_parts_apart() {
        let catalogue = names_only(&["Hundesteuer Befreiung", "Wohnsitz Anmeldung", "Steuerbefreiung"]);
        assert_eq!(found_strong(&catalogue, "Hundesteuerbefreiung"), ["Hundesteuer Befreiung"]);
        assert_eq!(found_strong(&catalogue, "Wohnsitzanmeldung"), ["Wohnsitz Anmeldung"]);
    }

    #[test]
    fn slip_at_start_is_typo() {
        let catalogue = names_only(&["Gewerbe-Anmeldung"]);
        assert_eq!(found_strong(&catalogue, "Gwerbe anmelden"), ["Gewerbe-Anmeldung"]);
        assert_eq!(found_strong(&catalogue, "eGwerbe anmelden"), ["Gewerbe-Anmeldung"]);
    }

    #[test]
    fn derived_noun_and_verb() {
        let catalogue = names_only(&["Gewerbe Anmeldung", "Vorname ändern"]);
        assert_eq!(found_strong(&catalogue, "Gewerbe anmelden"), ["Gewerbe Anmeldung"]);
        assert_eq!(found_strong(&catalogue, "Änderung Vorname"), ["Vorname ändern"]);
    }

    #[test]
    fn hyphenated_name_found_joined() {
        let catalogue = names_only(&["Gewerbe-Anmeldung"]);
        assert_eq!(found_strong(&catalogue, "Gewerbeanmeldung"), ["Gewerbe-Anmeldung"]);
        assert_eq!(found_strong(&catalogue, "GeWeRbE-AnMeLdUnG"), ["Gewerbe-Anmeldung"]);
    }

    #[test]
    fn umlaut_spellings_match_both_ways() {
        let cases = [
            ("muell", "Müllabfuhr"),
            ("Müll", "Muellabfuhr"),
            ("goethe", "Goethe-Gymnasium"),
            ("göthe", "Goethe-Gymnasium"),
            ("strasse", "Straßenreinigung"),
            ("STRAẞE", "Strassenreinigung"),
            ("wasserza\u{308}hler", "Wasserzähler"),
            ("wasserzähler", "Wasserza\u{308}hler"),
            ("cafe", "Café"),
        ];
        for (query, name) in cases {
            assert_eq!(found_strong(&names_only(&[name]), query), [name], "{query:?}");
        }
    }

    #[test]
    fn stop_words_are_ignored() {
        let catalogue = names_only(&["Einsicht in Bauakten"]);
        assert_eq!(found_strong(&catalogue, "Einsicht die Bauakten"), ["Einsicht in Bauakten"]);
    }

    #[test]
    fn request_verbs_are_optional() {
        let catalogue = names_only(&["Personalausweis Ausstellung"]);
        assert_eq!(found_strong(&catalogue, "Personalausweis beantragen"), ["Personalausweis Ausstellung"]);
    }

    #[test]
    fn nonsense_finds_nothing() {
        let catalogue = names_only(&["Reisepass", "Hundesteuer", "Wohnsitz anmelden"]);
        assert!(found(&catalogue, "zxqv plorbt").is_empty());
    }

    #[test]
    fn partial_match_is_weak() {
        let catalogue = names_only(&["Pizzeria-Erlaubnis", "Bestellung von Urkunden"]);
        assert!(found_strong(&catalogue, "Pizza bestellen").is_empty());
    }

    #[test]
    fn description_only_match_is_weak() {
        let catalogue = catalogue(vec![service("Haushaltsbescheinigung", &[], "Für das Kindergeld brauchen Sie …")]);
        assert_eq!(found(&catalogue, "Kindergeld"), ["Haushaltsbescheinigung"]);
        assert!(found_strong(&catalogue, "Kindergeld").is_empty());
    }
}

mod synonyms {
    use super::*;

    #[test]
    fn built_in_groups() {
        let cases = [
            ("Perso", "Personalausweis beantragen"),
            ("Auto", "Kraftfahrzeug abmelden"),
            ("Kfz", "Fahrzeug zulassen"),
            ("heiraten", "Anmeldung einer Eheschließung"),
            ("Hochzeit", "Anmeldung einer Eheschließung"),
            ("umgezogen", "Wohnsitzanmeldung"),
            ("ummelden", "Wohnsitz anmelden"),
            ("Umzug", "Adressänderung im Fahrzeugschein"),
            ("GEZ", "Rundfunkbeitrag Befreiung"),
            ("Angelschein", "Fischereischein"),
            ("MPU", "Begutachtung der Fahreignung"),
            ("MPU", "Medizinisch-psychologische Untersuchung"),
            ("medizinisch-psychologische Untersuchung", "Begutachtung der Fahreignung"),
            ("Anwohner", "Bewohnerparkausweis"),
            ("Anwohnerparkausweis", "Bewohnerparkausweis"),
            ("Kita", "Kindertagesstätte"),
            ("Kita", "Elternberatung zur Kinderbetreuung"),
            ("Handy", "Mobiltelefon"),
            ("Hartz IV", "Arbeitslosengeld II"),
        ];
        for (query, name) in cases {
            assert_eq!(found_strong(&names_only(&[name]), query), [name], "{query:?}");
        }
    }

    #[test]
    fn synonym_ranks_below_direct_match() {
        let catalogue = names_only(&["Kraftfahrzeug abmelden", "Auto abmelden"]);
        assert_eq!(found(&catalogue, "Auto abmelden"), ["Auto abmelden", "Kraftfahrzeug abmelden"]);
    }

    #[test]
    fn typed_prefix_completes_synonym() {
        let catalogue = names_only(&["Fischereischein", "Angeln im Stadtpark"]);
        for typed in ["Angelsc", "angelschei", "Angelschein"] {
            assert_eq!(found(&catalogue, typed), ["Fischereischein"], "{typed:?}");
        }
        assert!(found(&catalogue, "Angelsc ").is_empty(), "a finished word is not completed");
    }

    #[test]
    fn abbreviation_prefers_its_group() {
        let catalogue = names_only(&["Auskunft über eine Person", "Personalausweis"]);
        assert_eq!(found(&catalogue, "Perso"), ["Personalausweis", "Auskunft über eine Person"]);
        assert_eq!(found(&catalogue, "Person")[0], "Auskunft über eine Person");
    }

    #[test]
    fn short_synonym_matches_whole_words() {
        let catalogue = names_only(&["Personenbeförderungsschein", "Personalausweis"]);
        assert_eq!(found(&catalogue, "Personalausweis"), ["Personalausweis"]);
    }

    #[test]
    fn catalogue_adds_groups() {
        let mut catalogue = names_only(&["Verwarnungsgeld bezahlen", "Stadtbibliothek Ausweis"]);
        assert!(found(&catalogue, "Stabi").is_empty());
        catalogue.synonyms = vec![vec!["Stabi".into(), "Stadtbibliothek".into()]];
        assert_eq!(found_strong(&catalogue, "Stabi"), ["Stadtbibliothek Ausweis"]);
        assert_eq!(found_strong(&catalogue, "Knöllchen"), ["Verwarnungsgeld bezahlen"], "built-in groups stay");
    }

    #[test]
    fn empty_and_single_groups_are_ignored() {
        let mut catalogue = names_only(&["Reisepass"]);
        catalogue.synonyms = vec![vec![], vec!["Pass".into()], vec!["".into(), " - ".into()]];
        assert_eq!(found(&catalogue, "Reisepass"), ["Reisepass"]);
    }
}

mod highlights {
    use super::*;

    /// Returns the highlighted parts of the first hit's name.
    fn marked(name: &str, query: &str) -> Vec<String> {
        let catalogue = names_only(&[name]);
        let result = Index::new(&catalogue).search(query, &all());
        let hit = result.hits.first().unwrap_or_else(|| panic!("{query:?} found nothing"));
        hit.name_highlights.iter().map(|range| name[range.clone()].to_owned()).collect()
    }

    #[test]
    fn table() {
        let cases: [(&str, &str, &[&str]); 10] = [
            ("Müllabfuhr", "muell", &["Müll"]),
            ("Straßenreinigung", "strasse", &["Straße"]),
            ("Wasserza\u{308}hler ablesen", "wasserza", &["Wasserza\u{308}"]),
            ("Reisepass", "Reisepss", &["Reisepass"]),
            ("Waffenbesitzkarte beantragen", "besitzkarte", &["besitzkarte"]),
            ("Gewerbe-Anmeldung", "gewerbeanmeldung", &["Gewerbe", "Anmeldung"]),
            ("Gewerbe-Anmeldung", "gewerbeanm", &["Gewerbe", "Anm"]),
            ("Kraftfahrzeug Abmeldung", "Auto", &["Kraftfahrzeug"]),
            ("Auskunft zur Rente (Telefon-Termin)", "Rente Telefon", &["Rente", "Telefon"]),
            ("Führerschein umtauschen", "Führerschein umtauschen", &["Führerschein", "umtauschen"]),
        ];
        for (name, query, expected) in cases {
            assert_eq!(marked(name, query), expected, "{query:?} in {name:?}");
        }
    }

    #[test]
    fn ranges_are_char_boundaries() {
        let names = ["Ölspur melden", "U\u{308}bergangswohnheim", "Café-Erlaubnis: Außengastronomie", "STRAẞE"];
        for name in names {
            let catalogue = names_only(&[name]);
            let index = Index::new(&catalogue);
            for query in ["ol", "oe", "ube", "über", "cafe", "aussen", "strasse", "ß", "u"] {
                for hit in index.search(query, &all()).hits {
                    for range in &hit.name_highlights {
                        assert!(name.is_char_boundary(range.start), "{query:?} in {name:?}: start");
                        assert!(name.is_char_boundary(range.end), "{query:?} in {name:?}: end");
                        assert!(!name[range.end..].starts_with('\u{308}'), "{query:?} in {name:?} cuts a mark");
                    }
                }
            }
        }
    }
}

mod filters {
    use super::*;

    fn sample() -> Catalogue {
        let mut services = vec![
            service("Personalausweis beantragen", &[], ""),
            service("Reisepass beantragen", &[], ""),
            service("Hundesteuer anmelden", &[], ""),
        ];
        services[0].lebenslagen = vec!["Ausweise".into()];
        services[0].themenfelder = vec!["Bürgerservice".into()];
        services[0].online_url = Some("https://example.org/perso".into());
        services[1].lebenslagen = vec!["Ausweise".into(), "Reisen".into()];
        services[1].themenfelder = vec!["Bürgerservice".into()];
        services[2].themenfelder = vec!["Steuern".into()];
        catalogue(services)
    }

    #[test]
    fn facets_count_matches() {
        let catalogue = sample();
        let result = Index::new(&catalogue).search("beantragen", &all());
        let facets: Vec<(&str, FacetKind, usize)> =
            result.facets.iter().map(|facet| (facet.name.as_str(), facet.kind, facet.count)).collect();
        assert_eq!(
            facets,
            [("Ausweise", FacetKind::Lebenslage, 2), ("Bürgerservice", FacetKind::Themenfeld, 2), ("Reisen", FacetKind::Lebenslage, 1)]
        );
    }

    #[test]
    fn category_filter_keeps_facets() {
        let catalogue = sample();
        let options = SearchOptions { category: Some("Reisen".into()), ..all() };
        let result = Index::new(&catalogue).search("beantragen", &options);
        assert_eq!(result.total, 1);
        assert_eq!(catalogue.services[result.hits[0].service].name, "Reisepass beantragen");
        assert_eq!(result.facets.iter().find(|facet| facet.name == "Ausweise").map(|facet| facet.count), Some(2));
    }

    #[test]
    fn online_only_filter() {
        let catalogue = sample();
        let options = SearchOptions { online_only: true, ..all() };
        let result = Index::new(&catalogue).search("beantragen", &options);
        let names: Vec<&str> = result.hits.iter().map(|hit| catalogue.services[hit.service].name.as_str()).collect();
        assert_eq!(names, ["Personalausweis beantragen"]);
    }

    #[test]
    fn max_results_limits_hits_not_total() {
        let catalogue = sample();
        let options = SearchOptions { max_results: 1, ..all() };
        let result = Index::new(&catalogue).search("beantragen", &options);
        assert_eq!(result.hits.len(), 1);
        assert_eq!(result.total, 2);
    }

    #[test]
    fn empty_query_finds_nothing() {
        let catalogue = sample();
        for query in ["", "   ", "–?!", "\u{308}"] {
            assert_eq!(Index::new(&catalogue).search(query, &all()), SearchResult::default(), "{query:?}");
        }
    }

    #[test]
    fn empty_query_lists_category() {
        let catalogue = sample();
        let options = SearchOptions { category: Some("Steuern".into()), ..all() };
        let result = Index::new(&catalogue).search("", &options);
        assert_eq!(result.total, 1);
        assert_eq!(catalogue.services[result.hits[0].service].name, "Hundesteuer anmelden");
    }
}

mod robustness {
    use super::*;

    #[test]
    fn empty_catalogue_finds_nothing() {
        let catalogue = catalogue(Vec::new());
        assert_eq!(Index::new(&catalogue).search("Reisepass", &all()).total, 0);
    }

    #[test]
    fn huge_query_does_not_panic() {
        let catalogue = names_only(&["Reisepass", "Personalausweis"]);
        let index = Index::new(&catalogue);
        let long_word = "reisepass".repeat(200);
        let many_words = "pass ".repeat(500);
        let odd = "\u{308}\u{308}a\u{308}ß\u{1E9E}\u{0}\u{FFFF}𝔘𝔫𝔦𝔠𝔬𝔡𝔢";
        for query in [long_word.as_str(), many_words.as_str(), odd] {
            let _ = index.search(query, &all());
        }
    }
}
