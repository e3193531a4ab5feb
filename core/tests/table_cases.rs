//! The table cases: small files that broke other CSV and JSON readers,
//! each checked against the exact values it must give.

use ogkit_core::table::{
    datastore_next_offset, parse_json, read_csv, read_json, ColumnType, CsvOptions, CsvReader,
    Encoding, HeaderMode, IssueKey, Lang, Loaded, PageInfo, Query, Severity, SortKey, Table, Value,
};

fn case(name: &str) -> Vec<u8> {
    let path = format!("{}/../data/eval/cases/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

fn column(table: &Table, name: &str) -> usize {
    table
        .column_index(name)
        .unwrap_or_else(|| panic!("no column {name:?} in {:?}", table.column_names()))
}

fn texts(table: &Table, name: &str) -> Vec<String> {
    let index = column(table, name);
    (0..table.row_count())
        .map(|row| table.text(row, index).to_owned())
        .collect()
}

fn read_in_chunks(bytes: &[u8], size: usize, options: CsvOptions) -> Loaded {
    let mut reader = CsvReader::new(options);
    for chunk in bytes.chunks(size) {
        reader.push(chunk);
    }
    reader.finish()
}

mod excel_exports {
    use super::*;

    fn check_01a(loaded: &Loaded) {
        let table = &loaded.table;
        assert_eq!(
            table.column_names(),
            ["Leistung", "Gebühr (EUR)", "Zuständig"]
        );
        let first = table.column_names()[0];
        assert_eq!(first.chars().count(), 8);
        assert!(!first.contains('\u{FEFF}'));
        assert!(!first.contains('"'));
        assert_eq!(
            texts(table, "Leistung"),
            ["Reisepass", "Personalausweis", "Führungszeugnis"]
        );
        assert_eq!(loaded.encoding, Some(Encoding::Utf8));
        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
    }

    #[test]
    fn utf8_bom_never_reaches_header() {
        let bytes = case("case-01a-utf8-bom.csv");
        check_01a(&read_csv(&bytes, &CsvOptions::default()));
        for size in 1..=8 {
            check_01a(&read_in_chunks(&bytes, size, CsvOptions::default()));
        }
    }

    #[test]
    fn selection_by_name_and_sort() {
        let loaded = read_csv(&case("case-01a-utf8-bom.csv"), &CsvOptions::default());
        let table = &loaded.table;
        let leistung = column(table, "Leistung");
        let fee = column(table, "Gebühr (EUR)");
        let query = Query {
            sort: vec![SortKey {
                column: leistung,
                descending: false,
            }],
            ..Query::default()
        };
        let rows = table.select(&query);
        let sorted: Vec<&str> = rows.iter().map(|&row| table.text(row, leistung)).collect();
        assert_eq!(sorted, ["Führungszeugnis", "Personalausweis", "Reisepass"]);
        assert_eq!(table.columns()[fee].kind(), ColumnType::Decimal);
        assert_eq!(table.value(0, fee), Value::Number(70.0));
        assert_eq!(table.text(0, fee), "70,00");
    }

    #[test]
    fn without_header_first_cell_is_leistung() {
        let options = CsvOptions {
            header: HeaderMode::Absent,
            ..CsvOptions::default()
        };
        let loaded = read_csv(&case("case-01a-utf8-bom.csv"), &options);
        assert_eq!(loaded.table.text(0, 0), "Leistung");
        assert_eq!(loaded.table.row_count(), 4);
        assert_eq!(
            loaded.table.column_names(),
            ["Spalte 1", "Spalte 2", "Spalte 3"]
        );
    }

    fn check_01b(loaded: &Loaded) {
        let table = &loaded.table;
        assert_eq!(table.column_names(), ["Straße", "Gebühr (€)", "Hinweis"]);
        assert_eq!(
            texts(table, "Straße"),
            ["Großer Umzug", "Führerschein ändern", "Übergabe Schlüssel"]
        );
        assert_eq!(texts(table, "Hinweis")[2], "„kostenfrei“");
        for row in 0..table.row_count() {
            for text in table.row_texts(row) {
                assert!(
                    !text.contains('\u{FFFD}'),
                    "replacement character in {text:?}"
                );
                assert!(
                    !text.chars().any(|c| ('\u{80}'..='\u{9F}').contains(&c)),
                    "C1 control in {text:?}"
                );
            }
        }
        assert_eq!(loaded.encoding, Some(Encoding::Windows1252));
    }

    #[test]
    fn windows_1252_is_detected() {
        let loaded = read_csv(&case("case-01b-cp1252.csv"), &CsvOptions::default());
        check_01b(&loaded);
        let guessed = loaded.issues_with(IssueKey::EncodingGuessed);
        assert_eq!(guessed.len(), 1);
        assert_eq!(guessed[0].severity, Severity::Note);
        assert!(guessed[0].message(Lang::De).contains("Zeichenkodierung"));
    }

    #[test]
    fn iso_8859_1_label_reads_as_windows_1252() {
        let encoding = Encoding::from_content_type("text/csv; charset=ISO-8859-1").unwrap();
        let options = CsvOptions {
            encoding,
            ..CsvOptions::default()
        };
        let loaded = read_csv(&case("case-01b-cp1252.csv"), &options);
        check_01b(&loaded);
        assert!(loaded.issues_with(IssueKey::EncodingGuessed).is_empty());
        check_01b(&read_in_chunks(&case("case-01b-cp1252.csv"), 3, options));
    }
}

mod line_breaks {
    use super::*;

    #[test]
    fn crlf_inside_field_with_lf_records() {
        let loaded = read_csv(
            &case("case-02a-lf-records-crlf-in-field.csv"),
            &CsvOptions::default(),
        );
        let table = &loaded.table;
        assert_eq!(loaded.delimiter, Some(b','));
        assert_eq!(table.column_names(), ["Leistung", "Hinweise"]);
        assert_eq!(table.row_count(), 2);
        let lines: Vec<&str> = table.text(0, 1).lines().collect();
        assert_eq!(
            lines,
            [
                "Bitte mitbringen:",
                "Personalausweis",
                "Wohnungsgeberbestätigung"
            ]
        );
        assert_eq!(table.row_texts(1), ["Hund anmelden", "Formular online"]);
        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
    }

    #[test]
    fn lf_inside_field_with_crlf_records() {
        let loaded = read_csv(
            &case("case-02b-crlf-records-lf-in-field.csv"),
            &CsvOptions::default(),
        );
        let table = &loaded.table;
        assert_eq!(table.column_names(), ["Leistung", "Hinweise", "Gebühr"]);
        assert_eq!(table.row_count(), 2);
        assert_eq!(
            table.text(0, 1),
            "Termin \"online\" buchen\n\nmax. 5 m³ pro Abholung"
        );
        assert_eq!(table.text(0, 2), "0,00");
        assert_eq!(
            table.row_texts(1),
            ["Altkleider", "Container am Wertstoffhof", ""]
        );
        assert_eq!(table.value(1, 2), Value::Missing);
        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
        assert_eq!(table.source_line(1), Some(5));
    }
}

mod delimiters {
    use super::*;

    #[test]
    fn semicolon_budget_with_product_codes() {
        let loaded = read_csv(&case("case-03a-semicolon.csv"), &CsvOptions::default());
        let table = &loaded.table;
        assert_eq!(
            table.column_names(),
            ["Produkt", "Bezeichnung", "Ansatz 2024", "Ansatz 2025"]
        );
        assert_eq!(table.row_count(), 4);
        assert_eq!(table.text(0, 0), "11.1.01");
        assert_eq!(table.columns()[0].kind(), ColumnType::Text);
        assert_eq!(table.text(3, 1), "Öffentliches Grün");
        assert_eq!(table.text(3, 3), "");
        assert_eq!(table.value(3, 3), Value::Missing);
        assert_eq!(table.value(0, 2), Value::Number(1_250_000.0));
        assert_eq!(table.value(2, 3), Value::Number(13_104_220.75));
    }

    #[test]
    fn tab_with_decimal_commas() {
        let loaded = read_csv(&case("case-03b-tab.tsv"), &CsvOptions::default());
        let table = &loaded.table;
        assert_eq!(loaded.delimiter, Some(b'\t'));
        assert_eq!(table.column_names().len(), 3);
        let row = texts(table, "Messstelle")
            .iter()
            .position(|name| name == "Marktplatz")
            .unwrap();
        assert_eq!(table.text(row, 1), "21,5");
        assert_eq!(table.text(row, 2), "38,2");
        assert_eq!(table.value(row, 1), Value::Number(21.5));
    }

    fn check_03c(loaded: &Loaded) {
        let table = &loaded.table;
        assert_eq!(table.column_names(), ["Messstelle", "Nitrat, mg/l"]);
        assert_eq!(table.row_count(), 3);
        let row = texts(table, "Messstelle")
            .iter()
            .position(|name| name == "Brunnen Süd")
            .unwrap();
        assert_eq!(table.text(row, 1), "8,9");
    }

    #[test]
    fn tie_between_semicolon_and_comma() {
        let detected = read_csv(&case("case-03c-tie.csv"), &CsvOptions::default());
        check_03c(&detected);
        let forced = read_csv(
            &case("case-03c-tie.csv"),
            &CsvOptions {
                delimiter: Some(b';'),
                ..CsvOptions::default()
            },
        );
        check_03c(&forced);
        assert_eq!(detected.table, forced.table);
    }
}

mod blank_ragged_unclosed {
    use super::*;

    fn check_two_rows(loaded: &Loaded) {
        let table = &loaded.table;
        assert_eq!(table.row_count(), 2);
        assert_eq!(table.row_texts(0), ["Altstadt", "12.400"]);
        assert_eq!(table.row_texts(1), ["Nordviertel", "8.150"]);
        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
        assert!(loaded.complete);
        let label = PageInfo::new(table.row_count(), 20, 1).label(Lang::De);
        assert_eq!(label, "1–2 von 2");
    }

    #[test]
    fn trailing_blank_lines_are_ignored() {
        check_two_rows(&read_csv(
            &case("case-05a-trailing-blank.csv"),
            &CsvOptions::default(),
        ));
        check_two_rows(&read_csv(
            &case("case-05a2-trailing-blank-crlf.csv"),
            &CsvOptions::default(),
        ));
    }

    #[test]
    fn ragged_rows_are_kept_and_reported() {
        let loaded = read_csv(&case("case-05b-ragged.csv"), &CsvOptions::default());
        let table = &loaded.table;
        assert_eq!(table.row_count(), 5);
        assert_eq!(
            texts(table, "Stadtteil"),
            [
                "Altstadt",
                "Nordviertel",
                "Südstadt",
                "Hafen \"Ost\"",
                "Westend"
            ]
        );
        assert_eq!(table.text(1, column(table, "Fläche km²")), "");

        let extra = column(table, "Spalte 4");
        assert_eq!(table.text(2, extra), "Sonderzone");

        let short = loaded.issues_with(IssueKey::RowTooShort);
        assert_eq!(short.len(), 1);
        assert_eq!(short[0].line, Some(3));
        let long = loaded.issues_with(IssueKey::RowTooLong);
        assert_eq!(long.len(), 1);
        assert_eq!(long[0].line, Some(4));
        let text = long[0].message(Lang::De);
        assert!(text.starts_with("Zeile 4:"), "{text}");
        assert!(text.contains("Sonderzone"), "{text}");
        assert!(short[0].message(Lang::De).starts_with("Zeile 3:"));
        assert!(loaded.complete);
    }

    #[test]
    fn unclosed_quote_stops_with_line() {
        let loaded = read_csv(&case("case-05c-unclosed-quote.csv"), &CsvOptions::default());
        let table = &loaded.table;
        assert_eq!(
            texts(table, "Stadtteil"),
            ["Altstadt", "Nordviertel", "Südstadt"]
        );
        for row in 0..table.row_count() {
            for text in table.row_texts(row) {
                assert!(
                    !text.contains("Westend") && !text.contains("Bergheim"),
                    "{text:?}"
                );
            }
        }
        assert!(!loaded.complete);
        let unclosed = loaded.issues_with(IssueKey::UnclosedQuote);
        assert_eq!(unclosed.len(), 1);
        assert_eq!(unclosed[0].line, Some(5));
        assert_eq!(unclosed[0].severity, Severity::Error);
        let german = unclosed[0].message(Lang::De);
        assert!(
            german.starts_with("Zeile 5: Ein Anführungszeichen wird nicht geschlossen"),
            "{german}"
        );
        assert!(unclosed[0].message(Lang::En).starts_with("Line 5: "));
        // Rows came before the quote, so the message promises them.
        assert!(german.contains("nur die Zeilen davor"), "{german}");
    }

    #[test]
    fn unclosed_quote_in_first_row() {
        let loaded = read_csv(b"Name;Wert\n\"offen;1\nB;2\n", &CsvOptions::default());
        assert_eq!(loaded.table.row_count(), 0);
        let unclosed = loaded.issues_with(IssueKey::UnclosedQuote);
        assert_eq!(unclosed.len(), 1);
        assert_eq!(unclosed[0].line, Some(2));
        assert_eq!(
            unclosed[0].message(Lang::De),
            "Zeile 2: Ein Anführungszeichen wird nicht geschlossen, und davor steht keine Datenzeile; bitte die Datei prüfen."
        );
        assert_eq!(
            unclosed[0].message(Lang::En),
            "Line 2: A quotation mark is never closed, and no data row comes before it; please check the file."
        );
    }
}

mod ckan_datastore {
    use super::*;

    fn page(offset: u32) -> Vec<u8> {
        case(&format!(
            "case-06a-ckan/datastore_search-offset-{offset}.json"
        ))
    }

    #[test]
    fn answer_shape_gives_hidden_id() {
        let loaded = read_json(&page(0));
        let table = &loaded.table;
        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
        assert_eq!(
            table.column_names(),
            ["_id", "Haltestelle", "Linie", "Barrierefrei"]
        );
        assert!(table.columns()[0].is_hidden());
        assert_eq!(table.visible_columns(), [1, 2, 3]);
        assert_eq!(table.row_count(), 100);
        assert_eq!(table.columns()[3].kind(), ColumnType::Boolean);
        assert_eq!(table.value(0, 3), Value::Bool(true));
    }

    #[test]
    fn paging_follows_actual_record_count() {
        let mut offsets = vec![0];
        let mut combined: Vec<Vec<String>> = Vec::new();
        while let Some(&offset) = offsets.last() {
            let bytes = page(offset as u32);
            let value = parse_json(std::str::from_utf8(&bytes).unwrap()).unwrap();
            let table = read_json(&bytes).table;
            for row in 0..table.row_count() {
                combined.push(
                    table
                        .row_texts(row)
                        .iter()
                        .map(|text| text.to_string())
                        .collect(),
                );
            }
            match datastore_next_offset(&value) {
                Some(next) => offsets.push(next),
                None => break,
            }
        }
        assert_eq!(offsets, [0, 100, 200]);
        assert_eq!(combined.len(), 250);

        let tenth = PageInfo::new(combined.len(), 25, 10);
        let names: Vec<&str> = combined[tenth.start..tenth.end]
            .iter()
            .map(|row| row[1].as_str())
            .collect();
        assert_eq!(names.first(), Some(&"Haltestelle 226"));
        assert_eq!(names.last(), Some(&"Haltestelle 250"));
        assert_eq!(tenth.label(Lang::De), "226–250 von 250");
    }
}

mod markup_stays_text {
    use super::*;

    #[test]
    fn csv_cells_keep_markup_literally() {
        let loaded = read_csv(&case("case-09.csv"), &CsvOptions::default());
        let table = &loaded.table;
        assert_eq!(table.column_names(), ["Titel", "Link", "Notiz"]);
        assert_eq!(table.row_count(), 4);
        assert_eq!(
            table.text(0, 0),
            "<img src=x onerror=\"document.title='XSS-1'\">"
        );
        assert_eq!(table.text(1, 1), "javascript:document.title='XSS-2'");
        assert_eq!(table.text(1, 2), "<b>fett</b>");
        assert_eq!(
            table.text(2, 0),
            "Markt \"<script>document.title='XSS-3'</script>\""
        );
        assert_eq!(table.text(2, 1), "https://example.org/?a=1&b=2");
        assert_eq!(table.text(2, 2), "Tom &amp; Jerry & Co");
        assert_eq!(
            table.text(3, 0),
            "<a href=\"https://example.org\" onmouseover=\"document.title='XSS-4'\">Link</a>"
        );
        assert_eq!(table.text(3, 2), "<style>*{display:none}</style>");

        let query = Query {
            search: "Markt".into(),
            ..Query::default()
        };
        assert_eq!(table.select(&query), [2]);
    }

    #[test]
    fn json_nested_fields_keep_markup() {
        let loaded = read_json(&case("case-09.json"));
        let table = &loaded.table;
        assert_eq!(
            table.column_names(),
            ["id", "veranstaltung.titel", "veranstaltung.ort", "url"]
        );
        assert_eq!(
            table.text(0, 0),
            "\"><img src=x onerror=\"document.title='XSS-5'\">"
        );
        assert_eq!(
            table.text(0, 1),
            "<svg onload=\"document.title='XSS-6'\"></svg>Sommerfest"
        );
        assert_eq!(table.text(0, 3), "javascript:document.title='XSS-7'");
        assert_eq!(table.text(1, 1), "Lesung & Gespräch");
        assert_eq!(table.text(1, 2), "<i>Stadtbücherei</i>");

        let query = Query {
            search: "Markt".into(),
            ..Query::default()
        };
        assert_eq!(table.select(&query), [0]);
    }

    #[test]
    fn export_keeps_markup_literally() {
        let table = read_csv(&case("case-09.csv"), &CsvOptions::default()).table;
        let csv = String::from_utf8(table.to_csv(&[2], &[0, 2])).unwrap();
        assert_eq!(csv, "\u{FEFF}Titel;Notiz\r\n\"Markt \"\"<script>document.title='XSS-3'</script>\"\"\";\"Tom &amp; Jerry & Co\"\r\n");
    }
}

mod json_errors {
    use super::*;

    #[test]
    fn list_of_numbers_is_clear_error() {
        let loaded = read_json(b"[1, 2, 3]");
        assert!(!loaded.complete);
        let issue = &loaded.issues[0];
        assert_eq!(issue.key, IssueKey::JsonNotRecords);
        assert!(issue
            .message(Lang::De)
            .contains("keine Liste von Datensätzen"));
    }

    #[test]
    fn syntax_error_names_line() {
        let loaded = read_json(b"[{\"a\": 1},\n {\"a\": }]");
        let issue = &loaded.issues[0];
        assert_eq!(issue.key, IssueKey::JsonSyntax);
        assert_eq!(issue.line, Some(2));
        assert_eq!(
            issue.message(Lang::De),
            "Zeile 2: Die Datei ist kein gültiges JSON (Zeichen 8: ein Wert fehlt)."
        );
    }

    #[test]
    fn records_under_data_key() {
        let loaded = read_json(br#"{"data": [{"a": {"b": 1, "c": [1, 2]}}, 5]}"#);
        assert_eq!(loaded.table.column_names(), ["a.b", "a.c"]);
        assert_eq!(loaded.table.text(0, 1), "[1,2]");
        assert_eq!(loaded.issues_with(IssueKey::JsonEntryNotObject).len(), 1);
    }
}
