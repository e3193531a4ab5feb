//! Importers on the real catalogues in `data/services/` and on broken input.

#![cfg(feature = "import")]

use ogkit_core::catalogue::{Catalogue, Link, Office};
use ogkit_core::import::{dldb, leika_csv, Import, ImportError, Issue, Options, Position, Reason};
use ogkit_core::richtext::{is_safe_href, plain_text, Block, Inline};

fn data_file(name: &str) -> Vec<u8> {
    let path = format!("{}/../data/services/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("reading {path}: {error}"))
}

fn text(value: &str) -> Inline {
    Inline::Text { text: value.to_owned() }
}

fn json_position(path: &str) -> Position {
    Position::Json(path.to_owned())
}

fn csv_position(record: u64, line: u64, column: Option<&str>) -> Position {
    Position::Csv { record, line, column: column.map(str::to_owned) }
}

/// Positions and reasons of `issues`, for compact assertions.
fn summary(issues: &[Issue]) -> Vec<(String, Reason)> {
    issues.iter().map(|issue| (issue.position.to_string(), issue.reason)).collect()
}

/// Collects every link target in `blocks`.
fn hrefs(blocks: &[Block]) -> Vec<String> {
    fn walk(content: &[Inline], output: &mut Vec<String>) {
        for inline in content {
            match inline {
                Inline::Link { href, content } => {
                    output.push(href.clone());
                    walk(content, output);
                }
                Inline::Strong { content } | Inline::Emphasis { content } => walk(content, output),
                Inline::Text { .. } | Inline::LineBreak => {}
            }
        }
    }
    let mut output = Vec::new();
    for block in blocks {
        match block {
            Block::Paragraph { content } => walk(content, &mut output),
            Block::List { items, .. } => items.iter().for_each(|item| walk(item, &mut output)),
        }
    }
    output
}

mod munich_dldb {
    use super::*;

    fn import() -> Import {
        dldb::read(&data_file("muenchen_dldb_services_de.json")).expect("the Munich export reads")
    }

    #[test]
    fn every_service_is_imported() {
        let import = import();
        assert_eq!(import.report.read, 287);
        assert_eq!(import.report.imported, 287);
        assert_eq!(import.catalogue.services.len(), 287);
        assert!(import.report.skipped.is_empty(), "{:?}", import.report.skipped);
    }

    #[test]
    fn warnings_name_the_leftovers() {
        let import = import();
        assert_eq!(
            summary(&import.report.warnings),
            [
                ("data[33].leika".to_owned(), Reason::SeveralLeikaKeys),
                ("data[108].description".to_owned(), Reason::LinkDropped),
            ]
        );
        assert!(import.report.warnings[1].detail.contains("mailto:MUC-Posteingang@bamf.bund.de"));
    }

    #[test]
    fn known_service_is_fully_mapped() {
        let import = import();
        let service = &import.catalogue.services[0];
        assert_eq!(service.id, "1063423");
        assert_eq!(service.name, "Gewerbe-Anmeldung");
        assert_eq!(service.keywords.len(), 12);
        assert_eq!(service.keywords[0], "Gewerbebehörde");
        assert_eq!(service.keywords[11], "Gewerbemeldung");
        assert!(service.keywords.contains(&"Gewerbeschein verloren".to_owned()));
        assert_eq!(service.leika.as_deref(), Some("99050012104000"));
        assert_eq!(
            service.url.as_deref(),
            Some("https://stadt.muenchen.de/en/buergerservice/terminvereinbarung.html/#/services/1063423")
        );
        assert_eq!(
            service.office,
            Some(Office {
                name: "Stadtverwaltung München".into(),
                url: Some("https://muenchen.de/".into()),
                ..Office::default()
            })
        );
        assert_eq!(service.updated.as_deref(), Some("2026-06-08T07:41:01"));
        assert_eq!(
            service.fees,
            [Block::Paragraph { content: vec![text("50 bis 60 Euro (abhängig von der Rechtsform)")] }]
        );
        assert!(service.links.is_empty());
    }

    #[test]
    fn known_description_keeps_structure() {
        let import = import();
        let description = &import.catalogue.services[0].description;
        assert_eq!(description.len(), 5);
        let Block::Paragraph { content } = &description[0] else { panic!("expected a paragraph: {description:?}") };
        assert!(matches!(&content[..], [Inline::Text { text }] if text.starts_with("Sie haben eine gewerbliche")));
        let Block::List { ordered, items } = &description[3] else { panic!("expected a list: {description:?}") };
        assert!(ordered);
        assert_eq!(items.len(), 5);
        assert_eq!(items[1][1], Inline::LineBreak);
        assert_eq!(
            hrefs(description),
            ["https://stadt.muenchen.de/service/info/referat-fur-arbeit-und-wirtschaft-munchner-grundungsburo/10208157/"]
        );
    }

    #[test]
    fn links_and_forms_are_merged() {
        let import = import();
        let service = &import.catalogue.services[33];
        assert_eq!(service.id, "1064076");
        assert_eq!(service.leika.as_deref(), Some("99036008007003"));
        assert_eq!(
            service.links[0],
            Link {
                title: "Vollmacht".into(),
                url: "https://stadt.muenchen.de/dms/Home/Stadtverwaltung/Kreisverwaltungsreferat/fachspezifisch/HA-III/Dokumente/Kfz-Zulassung/Zulassungsvollmacht".into(),
            }
        );
        let urls: Vec<&str> = service.links.iter().map(|link| link.url.as_str()).collect();
        let mut unique = urls.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(urls.len(), unique.len(), "repeated link in {urls:?}");
    }

    #[test]
    fn no_markup_reaches_the_catalogue() {
        let import = import();
        for service in &import.catalogue.services {
            for blocks in [&service.description, &service.fees] {
                let plain = plain_text(blocks);
                for leftover in ["<p", "<br", "</", "&nbsp;", "&amp;", "\u{200B}"] {
                    assert!(!plain.contains(leftover), "{}: {leftover:?} in {plain:?}", service.id);
                }
                for href in hrefs(blocks) {
                    assert!(is_safe_href(&href), "{}: unsafe link {href}", service.id);
                }
            }
            for link in &service.links {
                assert!(is_safe_href(&link.url), "{}: unsafe link {}", service.id, link.url);
            }
        }
    }

    #[test]
    fn source_is_munich() {
        let catalogue = import().catalogue;
        let source = catalogue.source.expect("Munich is recognised");
        assert_eq!(source.name.as_deref(), Some("Landeshauptstadt München"));
        assert_eq!(source.licence.as_deref(), Some("EUPL-1.2"));
        assert_eq!(catalogue.title.as_deref(), Some("Leistungen der Landeshauptstadt München"));
    }

    #[test]
    fn catalogue_round_trips_through_json() {
        let catalogue = import().catalogue;
        let json = serde_json::to_string(&catalogue).expect("serialises");
        let again: Catalogue = serde_json::from_str(&json).expect("parses");
        assert_eq!(again, catalogue);
        assert_eq!(serde_json::to_string(&import().catalogue).expect("serialises"), json, "output is deterministic");
    }
}

mod ozg_leika_csv {
    use super::*;

    fn joined() -> Import {
        leika_csv::read(&data_file("ozg_nrw_2019_katalog_joined.csv")).expect("the joined catalogue reads")
    }

    fn table() -> Import {
        leika_csv::read(&data_file("ozg_nrw_2019_leika_leistungen.csv")).expect("the LeiKa table reads")
    }

    #[test]
    fn joined_imports_every_row() {
        let import = joined();
        assert_eq!(import.report.read, 5251);
        assert_eq!(import.report.imported, 5251);
        assert!(import.report.skipped.is_empty(), "{:?}", import.report.skipped);
        let reasons: Vec<Reason> = import.report.warnings.iter().map(|issue| issue.reason).collect();
        assert_eq!(reasons.len(), 438);
        assert!(reasons.iter().all(|&reason| reason == Reason::InvalidLeikaKey));
    }

    #[test]
    fn joined_row_gets_categories() {
        let import = joined();
        let services = &import.catalogue.services;
        assert_eq!(services[1].id, "99012001000000");
        assert_eq!(services[1].name, "Abbruchgenehmigung");
        assert_eq!(services[1].leika.as_deref(), Some("99012001000000"));
        assert_eq!(services[1].lebenslagen, ["Bauen & Immobilien"]);
        assert_eq!(services[1].themenfelder, ["Bauen & Wohnen"]);
        // The OZG service has the same name, so it adds no keyword.
        assert!(services[1].keywords.is_empty());
        assert_eq!(services[2].name, "Abbruchgenehmigung Erteilung");
        assert_eq!(services[2].keywords, ["Abbruchgenehmigung"]);
    }

    #[test]
    fn joined_rows_without_key_get_record_ids() {
        let import = joined();
        let services = &import.catalogue.services;
        assert_eq!(services[0].id, "record-1");
        assert_eq!(services[0].leika, None);
        assert_eq!(services[0].lebenslagen, ["Anlagen & Stoffe"]);
        let test_rows: Vec<(&str, &str)> =
            services[5249..].iter().map(|service| (service.id.as_str(), service.name.as_str())).collect();
        assert_eq!(test_rows, [("record-5250", "Test 124"), ("record-5251", "Test 4")]);
        let warnings = &import.report.warnings;
        assert_eq!(warnings[0].position, csv_position(1, 2, Some("leistungsschluessel")));
        assert_eq!(warnings[0].detail, "\"nicht im LeiKa\" is not a 14-digit LeiKa key; left out");
        let last = &warnings[warnings.len() - 1];
        assert_eq!(last.position, csv_position(5251, 5252, Some("leistungsschluessel")));
        assert!(last.detail.starts_with("\"3233\""), "{}", last.detail);
    }

    #[test]
    fn joined_trims_themenfeld() {
        let import = joined();
        let themenfelder: Vec<&str> =
            import.catalogue.services.iter().flat_map(|service| &service.themenfelder).map(String::as_str).collect();
        assert!(themenfelder.contains(&"Querschnitt"));
        assert!(themenfelder.iter().all(|name| name.trim() == *name));
    }

    #[test]
    fn table_uses_its_ids() {
        let import = table();
        assert_eq!(import.report.read, 5251);
        assert_eq!(import.report.imported, 5251);
        assert_eq!(import.report.warnings.len(), 438);
        let services = &import.catalogue.services;
        assert_eq!(services[0].id, "1");
        assert_eq!(services[0].leika, None);
        assert_eq!(services[0].updated.as_deref(), Some("2019-12-19T16:16:17"));
        assert_eq!(services[1].id, "2");
        assert_eq!(services[1].leika.as_deref(), Some("99012001000000"));
        assert_eq!(services[5250].id, "8193");
        assert!(services.iter().all(|service| service.lebenslagen.is_empty()));
    }

    #[test]
    fn both_shapes_list_the_same_services() {
        let joined = joined().catalogue.services;
        let table = table().catalogue.services;
        assert_eq!(joined.len(), table.len());
        for (from_joined, from_table) in joined.iter().zip(&table) {
            assert_eq!(from_joined.name, from_table.name);
            assert_eq!(from_joined.leika, from_table.leika);
        }
    }

    #[test]
    fn source_is_ozg_nrw() {
        let source = joined().catalogue.source.expect("source is set");
        assert_eq!(source.licence.as_deref(), Some("MIT"));
        assert!(source.name.as_deref().is_some_and(|name| name.contains("Gert Hammes")));
    }
}

mod bad_dldb_records {
    use super::*;

    const RECORDS: &str = r#"{"data": [
        {"id": "1", "name": "Personalausweis", "leika": "99008001000000"},
        {"id": "2", "name": "  "},
        {"id": "1", "name": "Reisepass"},
        {"name": "Ohne Id"},
        {"id": true, "name": "Id als Wahrheitswert"},
        42,
        {"id": 7, "name": "Zahl als Id", "leika": "nicht im LeiKa",
         "meta": {"url": "ftp://example.org/x", "keywords": 5, "lastupdate": "gestern"},
         "links": [{"name": "Formular", "link": "kein Link"}, {"name": "Gut", "link": "https://example.org/f.pdf"}],
         "fees": "<a href=\"javascript:alert(1)\">zahlen</a>",
         "authorities": [{"name": "Amt", "webinfo": "javascript:alert(1)"}]}
    ]}"#;

    fn import() -> Import {
        dldb::read(RECORDS.as_bytes()).expect("the records read")
    }

    #[test]
    fn bad_records_are_skipped_with_positions() {
        let import = import();
        assert_eq!(import.report.read, 7);
        assert_eq!(import.report.imported, 2);
        assert_eq!(
            summary(&import.report.skipped),
            [
                ("data[1].name".to_owned(), Reason::MissingName),
                ("data[2]".to_owned(), Reason::DuplicateId),
                ("data[3].id".to_owned(), Reason::MissingId),
                ("data[4].id".to_owned(), Reason::WrongType),
                ("data[5]".to_owned(), Reason::WrongType),
            ]
        );
        assert!(import.report.skipped[1].detail.contains("already used at data[0]"));
        assert!(import.report.skipped[4].detail.contains("found the number 42"));
    }

    #[test]
    fn bad_fields_are_left_out_with_warnings() {
        let import = import();
        assert_eq!(
            summary(&import.report.warnings),
            [
                ("data[6].meta.keywords".to_owned(), Reason::WrongType),
                ("data[6].meta.lastupdate".to_owned(), Reason::InvalidDate),
                ("data[6].meta.url".to_owned(), Reason::InvalidUrl),
                ("data[6].leika".to_owned(), Reason::InvalidLeikaKey),
                ("data[6].authorities[0].webinfo".to_owned(), Reason::InvalidUrl),
                ("data[6].fees".to_owned(), Reason::LinkDropped),
                ("data[6].links[0].link".to_owned(), Reason::InvalidUrl),
            ]
        );
        let service = &import.catalogue.services[1];
        assert_eq!(service.id, "7");
        assert_eq!(service.url, None);
        assert_eq!(service.leika, None);
        assert_eq!(service.updated, None);
        assert_eq!(service.fees, [Block::Paragraph { content: vec![text("zahlen")] }]);
        assert_eq!(service.office.as_ref().map(|office| office.url.clone()), Some(None));
        assert_eq!(service.links, [Link { title: "Gut".into(), url: "https://example.org/f.pdf".into() }]);
    }

    #[test]
    fn bare_array_is_accepted() {
        let import = dldb::read(br#"[{"id": "1", "name": "A"}, {"id": "2"}]"#).expect("reads");
        assert_eq!(import.report.imported, 1);
        assert_eq!(summary(&import.report.skipped), [("[1].name".to_owned(), Reason::MissingName)]);
    }

    #[test]
    fn base_url_resolves_relative_links() {
        let input = br#"{"data": [{"id": "1", "name": "A", "description": "<a href=\"/formulare/a.pdf\">Antrag</a>"}]}"#;
        let options = Options { base_url: Some("https://stadt.example/leistungen/".into()) };
        let import = dldb::read_with(input, &options).expect("reads");
        assert_eq!(hrefs(&import.catalogue.services[0].description), ["https://stadt.example/formulare/a.pdf"]);
        assert!(import.report.warnings.is_empty(), "{:?}", import.report.warnings);

        let without_base = dldb::read(input).expect("reads");
        assert!(hrefs(&without_base.catalogue.services[0].description).is_empty());
        assert_eq!(summary(&without_base.report.warnings), [("data[0].description".to_owned(), Reason::LinkDropped)]);
    }

    #[test]
    fn invalid_base_url_fails() {
        let options = Options { base_url: Some("stadt.example".into()) };
        let error = dldb::read_with(br#"{"data": []}"#, &options).unwrap_err();
        assert!(matches!(error, ImportError::InvalidBaseUrl(_)), "{error:?}");
        assert!(error.to_string().starts_with("invalid base URL: \"stadt.example\" is not an absolute URL"), "{error}");
    }

    #[test]
    fn empty_data_imports_nothing() {
        let import = dldb::read(br#"{"data": []}"#).expect("reads");
        assert_eq!(import.report.read, 0);
        assert_eq!(import.report.imported, 0);
    }

    #[test]
    fn broken_json_fails_with_position() {
        let error = dldb::read(b"{\"data\": [\n  {\"id\": \"1\",}\n]}").unwrap_err();
        let ImportError::InvalidJson { line, column, .. } = &error else { panic!("unexpected {error:?}") };
        assert_eq!((*line, *column), (2, 14));
        let message = error.to_string();
        assert!(message.starts_with("input is not valid JSON (line 2, column 14: trailing comma)"), "{message}");
        assert!(message.contains("expected a DLDB export"), "{message}");
    }

    #[test]
    fn wrong_shapes_fail_clearly() {
        let cases: [(&[u8], &str); 5] = [
            (br#"{"services": []}"#, "$: expected a DLDB export"),
            (br#"{"data": {"1": {}}}"#, "data: expected an array of services, found an object with keys \"1\""),
            (
                br#"{"data": [{"title": "x"}, {"url": "y"}]}"#,
                "data[0]: expected a service object with \"id\" and \"name\"",
            ),
            (b"[1, 2]", "[0]: expected a service object"),
            (b"\"text\"", "$: expected a DLDB export"),
        ];
        for (input, expected) in cases {
            let error = dldb::read(input).unwrap_err();
            assert!(matches!(error, ImportError::WrongShape { .. }), "{error:?}");
            assert!(error.to_string().starts_with(expected), "{error}");
        }
    }

    #[test]
    fn non_json_input_fails_clearly() {
        let cases: [(&[u8], &str); 5] = [
            (b"", "input is empty: expected a DLDB export"),
            (b"  \n ", "input is empty"),
            (b"<!DOCTYPE html><html><body>Nicht gefunden</body></html>", "input looks like an HTML or XML page"),
            (
                b"{\"data\": [{\"id\": \"1\", \"name\": \"Gr\xFC\xDFe\"}]}",
                "input is not UTF-8: invalid byte 0xFC at line 1, column 34",
            ),
            (b"id,name\n1,A\n", "input is not valid JSON"),
        ];
        for (input, expected) in cases {
            let error = dldb::read(input).unwrap_err();
            assert!(error.to_string().starts_with(expected), "{error}");
        }
    }

    #[test]
    fn truncated_export_never_panics() {
        let bytes = data_file("muenchen_dldb_services_de.json");
        for end in (0..20_000).step_by(613) {
            let _ = dldb::read(&bytes[..end]);
        }
    }
}

mod bad_csv_records {
    use super::*;

    const HEADER: &str = "leistungsschluessel,leistung,ozg_leistung,lebenslage,themenfeld\n";

    fn read_joined(rows: &str) -> Import {
        leika_csv::read(format!("{HEADER}{rows}").as_bytes()).expect("the rows read")
    }

    #[test]
    fn missing_name_is_skipped() {
        let import = read_joined("99012001000000,Abbruch,,,\n99012001001000,,,,\n");
        assert_eq!(import.report.imported, 1);
        assert_eq!(
            import.report.skipped,
            [Issue {
                position: csv_position(2, 3, Some("leistung")),
                reason: Reason::MissingName,
                detail: "missing or empty name; record skipped".into(),
            }]
        );
    }

    #[test]
    fn bad_keys_are_warned_and_left_out() {
        let import = read_joined("nicht im LeiKa,A,,,\n3233,B,,,\n25323525,C,,,\n,D,,,\n");
        assert_eq!(import.report.imported, 4);
        let ids: Vec<&str> = import.catalogue.services.iter().map(|service| service.id.as_str()).collect();
        assert_eq!(ids, ["record-1", "record-2", "record-3", "record-4"]);
        assert!(import.catalogue.services.iter().all(|service| service.leika.is_none()));
        let positions: Vec<String> = import.report.warnings.iter().map(|issue| issue.position.to_string()).collect();
        assert_eq!(
            positions,
            [
                "record 1 (line 2), column \"leistungsschluessel\"",
                "record 2 (line 3), column \"leistungsschluessel\"",
                "record 3 (line 4), column \"leistungsschluessel\"",
                "record 4 (line 5), column \"leistungsschluessel\"",
            ]
        );
    }

    #[test]
    fn repeated_key_gets_suffix() {
        let import = read_joined("99012001000000,A,,,\n99012001000000,B,,,\n99012001000000,C,,,\n");
        let ids: Vec<&str> = import.catalogue.services.iter().map(|service| service.id.as_str()).collect();
        assert_eq!(ids, ["99012001000000", "99012001000000-2", "99012001000000-3"]);
        assert!(import.catalogue.services.iter().all(|service| service.leika.as_deref() == Some("99012001000000")));
        assert_eq!(
            summary(&import.report.warnings),
            [
                ("record 2 (line 3), column \"leistungsschluessel\"".to_owned(), Reason::IdRenamed),
                ("record 3 (line 4), column \"leistungsschluessel\"".to_owned(), Reason::IdRenamed),
            ]
        );
    }

    #[test]
    fn wrong_field_count_is_skipped() {
        let import = read_joined("99012001000000,A,,,\n99012001001000,B\n");
        assert_eq!(import.report.imported, 1);
        assert_eq!(summary(&import.report.skipped), [("record 2 (line 3)".to_owned(), Reason::WrongFieldCount)]);
        assert_eq!(import.report.skipped[0].detail, "expected 5 fields as in the header, found 2; record skipped");
    }

    #[test]
    fn quoted_newlines_keep_line_numbers() {
        let import = read_joined("99012001000000,\"Zwei\r\nZeilen\",,,\r\n3233,B,,,\r\n");
        assert_eq!(import.catalogue.services[0].name, "Zwei Zeilen");
        assert_eq!(import.report.warnings[0].position, csv_position(2, 4, Some("leistungsschluessel")));
    }

    #[test]
    fn semicolons_and_bom_are_accepted() {
        let input = "\u{FEFF}Leistungsschluessel;Leistung;Lebenslage\n99012001000000;Abbruch, Erteilung;Bauen\n";
        let import = leika_csv::read(input.as_bytes()).expect("reads");
        assert_eq!(import.catalogue.services[0].name, "Abbruch, Erteilung");
        assert_eq!(import.catalogue.services[0].lebenslagen, ["Bauen"]);
    }

    #[test]
    fn table_skips_duplicate_missing_and_hidden() {
        let input = "id,name,service_key,hidden\n1,A,99012001000000,0\n1,B,99012001001000,0\n,C,,0\n4,D,,1\n5,E,99088018000000,\n";
        let import = leika_csv::read(input.as_bytes()).expect("reads");
        assert_eq!(import.report.read, 5);
        assert_eq!(import.report.imported, 2);
        assert_eq!(
            summary(&import.report.skipped),
            [
                ("record 2 (line 3)".to_owned(), Reason::DuplicateId),
                ("record 3 (line 4), column \"id\"".to_owned(), Reason::MissingId),
                ("record 4 (line 5), column \"hidden\"".to_owned(), Reason::Hidden),
            ]
        );
    }

    #[test]
    fn unknown_header_lists_expected_columns() {
        let error = leika_csv::read(b"Name,Beschreibung\nA,B\n").unwrap_err();
        assert_eq!(
            error,
            ImportError::UnknownCsvHeader {
                found: vec!["Name".into(), "Beschreibung".into()],
                expected: leika_csv::EXPECTED
            }
        );
        let message = error.to_string();
        assert!(message.starts_with("unknown CSV header [\"Name\", \"Beschreibung\"]: expected"), "{message}");
        assert!(message.contains("\"leistungsschluessel\""), "{message}");
        assert!(message.contains("\"service_key\""), "{message}");
    }

    #[test]
    fn non_csv_input_fails_clearly() {
        let cases: [(&[u8], &str); 4] = [
            (b"", "input is empty: expected an OZG/LeiKa CSV file"),
            (b"<html><body>502 Bad Gateway</body></html>", "input looks like an HTML or XML page"),
            (br#"{"data": []}"#, "input looks like JSON, not CSV"),
            (b"\xFF\xFEl\0e\0", "input is UTF-16"),
        ];
        for (input, expected) in cases {
            let error = leika_csv::read(input).unwrap_err();
            assert!(error.to_string().starts_with(expected), "{error}");
        }
    }

    #[test]
    fn windows_1252_file_is_read_with_warning() {
        // "Straßenreinigung" and "Gebühr (€)" as German Excel saves them.
        let bytes = b"leistungsschluessel;leistung;lebenslage\r\n\
            99108001000000;Stra\xDFenreinigung Geb\xFChr (\x80);\xD6ffentliche Ordnung\r\n";
        let import = leika_csv::read(bytes).unwrap();
        let service = &import.catalogue.services[0];
        assert_eq!(service.name, "Straßenreinigung Gebühr (€)");
        assert_eq!(service.lebenslagen, ["Öffentliche Ordnung"]);
        let warning = &import.report.warnings[0];
        assert_eq!(warning.reason, Reason::EncodingGuessed);
        assert!(warning.detail.contains("line 2, column 20"), "{}", warning.detail);
        assert!(warning.detail.contains("CSV UTF-8"), "{}", warning.detail);
    }

    #[test]
    fn utf8_file_has_no_encoding_warning() {
        let import = leika_csv::read("leistungsschluessel,leistung\n99108001000000,Straßenreinigung\n".as_bytes()).unwrap();
        assert!(import.report.warnings.iter().all(|warning| warning.reason != Reason::EncodingGuessed));
    }

    #[test]
    fn header_only_imports_nothing() {
        let import = read_joined("");
        assert_eq!((import.report.read, import.report.imported), (0, 0));
    }

    #[test]
    fn truncated_file_never_panics() {
        let bytes = data_file("ozg_nrw_2019_katalog_joined.csv");
        for end in (0..20_000).step_by(577) {
            let _ = leika_csv::read(&bytes[..end]);
        }
        let _ = leika_csv::read(b"leistungsschluessel,leistung\n\"open quote,A\n");
        let _ = leika_csv::read(b"\n\n\n");
        let _ = leika_csv::read(b",,,\n,,,\n");
    }
}

#[test]
fn positions_read_like_paths() {
    assert_eq!(json_position("data[17].meta.keywords").to_string(), "data[17].meta.keywords");
    assert_eq!(csv_position(3, 4, None).to_string(), "record 3 (line 4)");
    assert_eq!(csv_position(3, 4, Some("leistung")).to_string(), "record 3 (line 4), column \"leistung\"");
}
