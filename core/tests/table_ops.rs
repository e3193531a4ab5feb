//! Sorting, filtering, paging and export on typed tables, from small
//! hand-made tables up to 100,000 generated rows.

use ogkit_core::table::{
    collation_key, parse_date, read_csv, read_json, ColumnFilter, CsvOptions, Lang, PageInfo,
    Query, SortKey, Table, Value,
};

fn table(csv: &str) -> Table {
    let loaded = read_csv(
        csv.as_bytes(),
        &CsvOptions {
            delimiter: Some(b';'),
            ..CsvOptions::default()
        },
    );
    assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
    loaded.table
}

fn column_texts(table: &Table, rows: &[usize], column: usize) -> Vec<String> {
    rows.iter()
        .map(|&row| table.text(row, column).to_owned())
        .collect()
}

fn sorted_by(table: &Table, keys: &[(usize, bool)]) -> Vec<usize> {
    let sort = keys
        .iter()
        .map(|&(column, descending)| SortKey { column, descending })
        .collect();
    table.select(&Query {
        sort,
        ..Query::default()
    })
}

mod sorting {
    use super::*;

    const NAMES: &str = "Name;Betrag;Datum\nZebra;3;01.02.2024\nöl;;\nÄpfel;1.000;15.01.2024\nOfen;-2;\nStraße;10;01.01.2023\nStrasse;2;31.12.2024\napfel;7;02.02.2024\nOma;;\n";

    #[test]
    fn text_in_german_dictionary_order() {
        let table = table(NAMES);
        let rows = sorted_by(&table, &[(0, false)]);
        assert_eq!(
            column_texts(&table, &rows, 0),
            ["apfel", "Äpfel", "Ofen", "öl", "Oma", "Strasse", "Straße", "Zebra"]
        );
    }

    #[test]
    fn text_descending_reverses_order() {
        let table = table(NAMES);
        let rows = sorted_by(&table, &[(0, true)]);
        assert_eq!(
            column_texts(&table, &rows, 0),
            ["Zebra", "Straße", "Strasse", "Oma", "öl", "Ofen", "Äpfel", "apfel"]
        );
    }

    #[test]
    fn numbers_by_value_missing_last() {
        let table = table(NAMES);
        let ascending = sorted_by(&table, &[(1, false)]);
        assert_eq!(
            column_texts(&table, &ascending, 1),
            ["-2", "2", "3", "7", "10", "1.000", "", ""]
        );
        assert_eq!(column_texts(&table, &ascending, 0)[6..], ["öl", "Oma"]);

        let descending = sorted_by(&table, &[(1, true)]);
        assert_eq!(
            column_texts(&table, &descending, 1),
            ["1.000", "10", "7", "3", "2", "-2", "", ""]
        );
        assert_eq!(
            column_texts(&table, &descending, 0)[6..],
            ["öl", "Oma"],
            "missing rows stay in file order"
        );
    }

    #[test]
    fn dates_by_value_missing_last() {
        let table = table(NAMES);
        let rows = sorted_by(&table, &[(2, true)]);
        assert_eq!(
            column_texts(&table, &rows, 2),
            [
                "31.12.2024",
                "02.02.2024",
                "01.02.2024",
                "15.01.2024",
                "01.01.2023",
                "",
                "",
                ""
            ]
        );
    }

    #[test]
    fn multiple_keys_and_stability() {
        let table = table("Bezirk;Art;Nr\nNord;B;1\nSüd;A;2\nNord;A;3\nSüd;A;4\nNord;B;5\n");
        let rows = sorted_by(&table, &[(0, false), (1, true)]);
        assert_eq!(column_texts(&table, &rows, 2), ["1", "5", "3", "2", "4"]);
        let rows = sorted_by(&table, &[(1, false)]);
        assert_eq!(column_texts(&table, &rows, 2), ["2", "3", "4", "1", "5"]);
    }

    #[test]
    fn booleans_sort_no_before_yes() {
        let table = table("Name;Barrierefrei\na;ja\nb;nein\nc;\nd;ja\n");
        let rows = sorted_by(&table, &[(1, false)]);
        assert_eq!(column_texts(&table, &rows, 0), ["b", "a", "d", "c"]);
    }

    #[test]
    fn unknown_column_is_ignored() {
        let table = table(NAMES);
        assert_eq!(
            sorted_by(&table, &[(99, false)]),
            (0..8).collect::<Vec<_>>()
        );
    }
}

mod filtering {
    use super::*;

    const SERVICES: &str = "Leistung;Ort;Gebühr;Termin\nMüllabfuhr;Straßenamt;12,50;01.03.2024\nFührerschein;Bürgeramt Süd;25,30;15.03.2024 10:30\nGoethe-Gymnasium;Schulamt;;\nÖlspur melden;Straßenamt;0;31.03.2024\n";

    fn select(table: &Table, query: Query) -> Vec<String> {
        column_texts(table, &table.select(&query), 0)
    }

    #[test]
    fn search_uses_german_folding() {
        let table = table(SERVICES);
        for spelling in ["muell", "Müll", "MULL"] {
            assert_eq!(
                select(
                    &table,
                    Query {
                        search: spelling.into(),
                        ..Query::default()
                    }
                ),
                ["Müllabfuhr"],
                "{spelling}"
            );
        }
        for spelling in ["strasse", "STRAẞE"] {
            let found = select(
                &table,
                Query {
                    search: spelling.into(),
                    ..Query::default()
                },
            );
            assert_eq!(found, ["Müllabfuhr", "Ölspur melden"], "{spelling}");
        }
        let found = select(
            &table,
            Query {
                search: "oelspur".into(),
                ..Query::default()
            },
        );
        assert_eq!(found, ["Ölspur melden"]);
        let found = select(
            &table,
            Query {
                search: "goethe".into(),
                ..Query::default()
            },
        );
        assert_eq!(found, ["Goethe-Gymnasium"]);
        let found = select(
            &table,
            Query {
                search: "fuhrer sud".into(),
                ..Query::default()
            },
        );
        assert_eq!(found, ["Führerschein"]);
    }

    #[test]
    fn search_matches_decomposed_text() {
        let table = table("Name\nWasserza\u{308}hler ablesen\n");
        let found = select(
            &table,
            Query {
                search: "wasserzähler".into(),
                ..Query::default()
            },
        );
        assert_eq!(found, ["Wasserza\u{308}hler ablesen"]);
    }

    #[test]
    fn contains_filter_on_one_column() {
        let table = table(SERVICES);
        let filter = (1, ColumnFilter::Contains("strassenamt".into()));
        assert_eq!(
            select(
                &table,
                Query {
                    filters: vec![filter],
                    ..Query::default()
                }
            ),
            ["Müllabfuhr", "Ölspur melden"]
        );
    }

    #[test]
    fn number_range_is_inclusive() {
        let table = table(SERVICES);
        let filter = (
            2,
            ColumnFilter::NumberRange {
                min: Some(0.0),
                max: Some(12.5),
            },
        );
        assert_eq!(
            select(
                &table,
                Query {
                    filters: vec![filter],
                    ..Query::default()
                }
            ),
            ["Müllabfuhr", "Ölspur melden"]
        );
        let open = (
            2,
            ColumnFilter::NumberRange {
                min: Some(20.0),
                max: None,
            },
        );
        assert_eq!(
            select(
                &table,
                Query {
                    filters: vec![open],
                    ..Query::default()
                }
            ),
            ["Führerschein"]
        );
    }

    #[test]
    fn date_range_keeps_whole_last_day() {
        let table = table(SERVICES);
        let filter = ColumnFilter::DateRange {
            from: parse_date("01.03.2024"),
            to: parse_date("15.03.2024"),
        };
        assert_eq!(
            select(
                &table,
                Query {
                    filters: vec![(3, filter)],
                    ..Query::default()
                }
            ),
            ["Müllabfuhr", "Führerschein"]
        );
    }

    #[test]
    fn value_set_with_empty_value() {
        let table = table("Name;Art\na;X\nb;\nc;Y\nd;X\n");
        let values = table.distinct_values(1, 10).unwrap();
        assert_eq!(
            values,
            [("X".to_owned(), 2), ("Y".to_owned(), 1), ("".to_owned(), 1)]
        );
        let filter = (1, ColumnFilter::OneOf(vec!["X".into(), "".into()]));
        assert_eq!(
            select(
                &table,
                Query {
                    filters: vec![filter],
                    ..Query::default()
                }
            ),
            ["a", "b", "d"]
        );
    }

    #[test]
    fn hidden_column_is_not_searched() {
        let loaded =
            read_json(br#"{"records": [{"_id": 7, "Name": "a"}, {"_id": 8, "Name": "b7"}]}"#);
        let found = loaded.table.select(&Query {
            search: "7".into(),
            ..Query::default()
        });
        assert_eq!(found, [1]);
    }

    #[test]
    fn filter_search_and_sort_combine() {
        let table = table(SERVICES);
        let query = Query {
            search: "amt".into(),
            filters: vec![(
                2,
                ColumnFilter::NumberRange {
                    min: Some(0.0),
                    max: None,
                },
            )],
            sort: vec![SortKey {
                column: 2,
                descending: true,
            }],
        };
        assert_eq!(
            select(&table, query),
            ["Führerschein", "Müllabfuhr", "Ölspur melden"]
        );
    }
}

mod paging {
    use super::*;

    #[test]
    fn page_arithmetic_table() {
        let cases = [
            (1234, 20, 2, (2, 62, 20, 40), "21–40 von 1.234"),
            (1234, 20, 62, (62, 62, 1220, 1234), "1.221–1.234 von 1.234"),
            (1234, 20, 99, (62, 62, 1220, 1234), "1.221–1.234 von 1.234"),
            (1234, 20, 0, (1, 62, 0, 20), "1–20 von 1.234"),
            (0, 20, 1, (1, 1, 0, 0), "0 von 0"),
            (5, 0, 3, (3, 5, 2, 3), "3–3 von 5"),
        ];
        for (total, size, page, (number, count, start, end), label) in cases {
            let info = PageInfo::new(total, size, page);
            assert_eq!(
                (info.page, info.page_count, info.start, info.end),
                (number, count, start, end),
                "{total}/{size}/{page}"
            );
            assert_eq!(info.label(Lang::De), label);
        }
        assert_eq!(PageInfo::new(1234, 20, 2).label(Lang::En), "21–40 of 1,234");
    }
}

mod export {
    use super::*;

    #[test]
    fn csv_has_bom_semicolons_and_quotes() {
        let table = table("Name;Hinweis;Betrag\n\"Müller; Söhne\";\"Zeile 1\nZeile 2\";1.234,50\n\"Sagt \"\"hallo\"\"\";ok;-3\n");
        let rows = table.select(&Query {
            sort: vec![SortKey {
                column: 2,
                descending: false,
            }],
            ..Query::default()
        });
        let bytes = table.to_csv(&rows, &[0, 1, 2]);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "\u{FEFF}Name;Hinweis;Betrag\r\n\"Sagt \"\"hallo\"\"\";ok;-3\r\n\"Müller; Söhne\";\"Zeile 1\nZeile 2\";1.234,50\r\n"
        );
    }

    #[test]
    fn csv_export_reads_back_identically() {
        let table = table("A;B\n x ;\"a\"\"b\"\n;3\n");
        let bytes = table.to_csv(&[0, 1], &[0, 1]);
        let again = read_csv(&bytes, &CsvOptions::default()).table;
        assert_eq!(again.row_texts(0), [" x ", "a\"b"]);
        assert_eq!(again.row_texts(1), ["", "3"]);
    }

    #[test]
    fn json_has_typed_values() {
        let table = table("Name;Betrag;Aktiv;Datum\nA \"1\";1.234,5;ja;31.12.2024\nB;;nein;\n");
        let json = table.to_json(&[1, 0], &[0, 1, 2, 3]);
        assert_eq!(
            json,
            "[\n  {\"Name\": \"B\", \"Betrag\": null, \"Aktiv\": false, \"Datum\": null},\n  {\"Name\": \"A \\\"1\\\"\", \"Betrag\": 1234.5, \"Aktiv\": true, \"Datum\": \"31.12.2024\"}\n]\n"
        );
        assert_eq!(table.to_json(&[], &[0]), "[]\n");
    }

    #[test]
    fn json_export_parses_back() {
        let table = table("Name;Wert\nx\ty;2\n");
        let json = table.to_json(&[0], &[0, 1]);
        let again = read_json(json.as_bytes()).table;
        assert_eq!(again.row_texts(0), ["x\ty", "2"]);
    }
}

mod large_table {
    use super::*;

    /// SplitMix64: a fixed seed gives the same table on every machine.
    struct Random(u64);

    impl Random {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, limit: u64) -> u64 {
            self.next() % limit
        }
    }

    const STREETS: [&str; 8] = [
        "Bahnhofstraße",
        "Südring",
        "Marktplatz",
        "Überweg",
        "Ährenfeld",
        "Zollstock",
        "Ostertor",
        "Hafen",
    ];

    fn generate(rows: usize) -> Vec<u8> {
        let mut random = Random(20_241_204);
        let mut csv = String::from("Nr;Straße;Betrag;Datum;Aktiv\n");
        for number in 1..=rows {
            let street = STREETS[random.below(8) as usize];
            let amount = match random.below(10) {
                0 => String::new(),
                _ => {
                    let cents = random.below(100_000_000) as i64 - 20_000_000;
                    let euros = (cents / 100).abs();
                    let mut grouped = String::new();
                    let digits = euros.to_string();
                    for (position, digit) in digits.chars().enumerate() {
                        if position > 0 && (digits.len() - position) % 3 == 0 {
                            grouped.push('.');
                        }
                        grouped.push(digit);
                    }
                    let sign = if cents < 0 { "-" } else { "" };
                    format!("{sign}{grouped},{:02}", (cents % 100).abs())
                }
            };
            let date = format!(
                "{:02}.{:02}.{}",
                1 + random.below(28),
                1 + random.below(12),
                2020 + random.below(5)
            );
            let active = if random.below(2) == 0 { "ja" } else { "nein" };
            csv.push_str(&format!("{number};{street};{amount};{date};{active}\n"));
        }
        csv.into_bytes()
    }

    fn number(table: &Table, row: usize, column: usize) -> Option<f64> {
        match table.value(row, column) {
            Value::Number(value) => Some(value),
            _ => None,
        }
    }

    #[test]
    fn sort_and_filter_100000_rows() {
        let loaded = read_csv(&generate(100_000), &CsvOptions::default());
        assert!(
            loaded.issues.is_empty(),
            "{:?}",
            &loaded.issues[..loaded.issues.len().min(3)]
        );
        let table = &loaded.table;
        assert_eq!(table.row_count(), 100_000);
        assert_eq!(
            table.columns()[2].kind(),
            ogkit_core::table::ColumnType::Decimal
        );

        // Amount descending, missing last, ties in file order.
        let rows = sorted_by(table, &[(2, true)]);
        assert_eq!(rows.len(), 100_000);
        let present = rows
            .iter()
            .take_while(|&&row| number(table, row, 2).is_some())
            .count();
        assert!(rows[present..]
            .iter()
            .all(|&row| number(table, row, 2).is_none()));
        assert!(rows[present..].windows(2).all(|pair| pair[0] < pair[1]));
        for pair in rows[..present].windows(2) {
            let (a, b) = (
                number(table, pair[0], 2).unwrap(),
                number(table, pair[1], 2).unwrap(),
            );
            assert!(a > b || (a == b && pair[0] < pair[1]), "rows {pair:?}");
        }

        // Street ascending, then date descending.
        let rows = sorted_by(table, &[(1, false), (3, true)]);
        for pair in rows.windows(2) {
            let a = collation_key(table.text(pair[0], 1));
            let b = collation_key(table.text(pair[1], 1));
            assert!(a <= b);
            if a == b {
                assert!(table.value(pair[0], 3) != Value::Missing);
                let (Value::Date(first), Value::Date(second)) =
                    (table.value(pair[0], 3), table.value(pair[1], 3))
                else {
                    panic!("dates expected");
                };
                assert!(first > second || (first == second && pair[0] < pair[1]));
            }
        }
        let first_street = table.text(rows[0], 1);
        assert_eq!(first_street, "Ährenfeld");

        // Search plus range filter equals a plain scan.
        let query = Query {
            search: "suedring".into(),
            filters: vec![(
                2,
                ColumnFilter::NumberRange {
                    min: Some(-1000.0),
                    max: Some(250_000.0),
                },
            )],
            sort: Vec::new(),
        };
        let found = table.select(&query);
        let expected: Vec<usize> = (0..table.row_count())
            .filter(|&row| table.text(row, 1) == "Südring")
            .filter(|&row| {
                number(table, row, 2).is_some_and(|value| (-1000.0..=250_000.0).contains(&value))
            })
            .collect();
        assert_eq!(found, expected);
        assert!(!found.is_empty());

        let active = table.select(&Query {
            filters: vec![(4, ColumnFilter::OneOf(vec!["ja".into()]))],
            ..Query::default()
        });
        let expected = (0..table.row_count())
            .filter(|&row| table.value(row, 4) == Value::Bool(true))
            .count();
        assert_eq!(active.len(), expected);

        let page = PageInfo::new(found.len(), 25, 3);
        assert_eq!(page.start, 50);
    }
}
