//! Real files published by Köln and Berlin, read with default settings.

use ogkit_core::table::{
    read_csv, ColumnFilter, ColumnType, CsvOptions, Encoding, Lang, Loaded, Notation, PageInfo,
    Query, SortKey, Table, Value,
};

fn open_data(name: &str) -> Loaded {
    let path = format!("{}/../data/open-data/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"));
    read_csv(&bytes, &CsvOptions::default())
}

fn column(table: &Table, name: &str) -> usize {
    table
        .column_index(name)
        .unwrap_or_else(|| panic!("no column {name:?} in {:?}", table.column_names()))
}

mod koeln_budget_districts {
    use super::*;

    fn loaded() -> Loaded {
        open_data("koeln_haushalt_bezirke_einzeldarstellung_utf8bom_crlf.csv")
    }

    #[test]
    fn bom_crlf_and_header() {
        let loaded = loaded();
        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
        assert!(loaded.complete);
        assert_eq!(loaded.encoding, Some(Encoding::Utf8));
        assert_eq!(loaded.delimiter, Some(b';'));
        assert_eq!(loaded.header_line, Some(1));
        let table = &loaded.table;
        assert_eq!(table.column_names()[0], "Bezirk");
        assert_eq!(table.column_names().len(), 10);
        assert_eq!(table.row_count(), 252);
        assert!(table.row_texts(0).iter().all(|text| !text.contains('\r')));
    }

    #[test]
    fn thousands_separators_read_as_numbers() {
        let loaded = loaded();
        let table = &loaded.table;
        let result = column(table, "Ergebnis 2011");
        assert_eq!(table.columns()[result].kind(), ColumnType::Integer);
        assert_eq!(table.columns()[result].notation(), Some(Notation::German));
        assert_eq!(table.text(1, result), "9.577.207");
        assert_eq!(table.value(1, result), Value::Number(9_577_207.0));
        assert_eq!(table.value(2, result), Value::Number(-35.0));
        let last = table.row_count() - 1;
        assert_eq!(table.text(last, column(table, "Bezeichnung")), "Mühlheim");
        assert_eq!(
            table.value(last, column(table, "Plan 2017")),
            Value::Number(-84_030_654.0)
        );
        assert_eq!(
            table.columns()[column(table, "Teilplanzeile")].kind(),
            ColumnType::Text
        );
    }

    #[test]
    fn sorts_by_amount_descending() {
        let loaded = loaded();
        let table = &loaded.table;
        let plan = column(table, "Plan 2017");
        let query = Query {
            sort: vec![SortKey {
                column: plan,
                descending: true,
            }],
            ..Query::default()
        };
        let rows = table.select(&query);
        let values: Vec<f64> = rows
            .iter()
            .map(|&row| match table.value(row, plan) {
                Value::Number(value) => value,
                other => panic!("row {row} is {other:?}"),
            })
            .collect();
        assert!(values.windows(2).all(|pair| pair[0] >= pair[1]));
    }

    #[test]
    fn search_finds_umlaut_without_dots() {
        let loaded = loaded();
        let table = &loaded.table;
        let query = Query {
            search: "muehlheim JAHRESERGEBNIS".into(),
            ..Query::default()
        };
        let rows = table.select(&query);
        let lines: Vec<&str> = rows
            .iter()
            .map(|&row| table.text(row, column(table, "Teilplanzeile")))
            .collect();
        assert_eq!(
            lines,
            [
                "22 = ordentliches Jahresergebnis (18 und 21)",
                "26 = Jahresergebnis vor interner Leistungsver. (22 und 25)",
                "28 = Jahresergebnis"
            ]
        );
    }
}

mod koeln_budget_products {
    use super::*;

    #[test]
    fn codes_with_leading_zero_stay_text() {
        let loaded = open_data("koeln_haushalt_teilergebnisplan_crlf.csv");
        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
        let table = &loaded.table;
        assert_eq!(table.row_count(), 2828);
        assert_eq!(table.column_names().len(), 11);
        let area = column(table, "Produktbereich");
        assert_eq!(table.columns()[area].kind(), ColumnType::Text);
        assert_eq!(table.text(0, area), "01");
        assert_eq!(table.text(0, column(table, "Teilplan")), "0101");
        assert_eq!(
            table.text(0, column(table, "Teilplanbezeichnung")),
            "Politische Gremien, Verwaltungsführung und internationale Angelegenheiten"
        );
        let plan = column(table, "Plan 2011");
        assert_eq!(table.columns()[plan].kind(), ColumnType::Integer);
        assert_eq!(table.value(1, plan), Value::Number(164_000.0));
    }

    #[test]
    fn value_list_for_few_distinct() {
        let loaded = open_data("koeln_haushalt_teilergebnisplan_crlf.csv");
        let table = &loaded.table;
        let area = column(table, "Produktbereichsbezeichnung");
        let values = table.distinct_values(area, 50).expect("few product areas");
        assert_eq!(values[0].0, "Allgemeine Finanzwirtschaft");
        let total: usize = values.iter().map(|(_, count)| count).sum();
        assert_eq!(total, 2828);

        let chosen = values[0].0.clone();
        let query = Query {
            filters: vec![(area, ColumnFilter::OneOf(vec![chosen.clone()]))],
            ..Query::default()
        };
        let rows = table.select(&query);
        assert_eq!(rows.len(), values[0].1);
        assert!(rows.iter().all(|&row| table.text(row, area) == chosen));
        assert!(table
            .distinct_values(column(table, "Teilplanbezeichnung"), 5)
            .is_none());
    }
}

mod koeln_polling_stations {
    use super::*;

    #[test]
    fn comma_separated_with_quoted_commas() {
        let loaded = open_data("koeln_wahllokale.csv");
        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
        assert_eq!(loaded.delimiter, Some(b','));
        let table = &loaded.table;
        assert_eq!(table.row_count(), 800);
        assert_eq!(table.column_names().len(), 16);
        assert_eq!(
            table.text(131, column(table, "WLK_NAME")),
            "AWO Köln, Jugendeinrichtung"
        );
        assert_eq!(table.text(1, column(table, "WLK_STADTTEIL")), "Sülz");
    }

    #[test]
    fn coordinates_use_international_decimals() {
        let loaded = open_data("koeln_wahllokale.csv");
        let table = &loaded.table;
        let x = column(table, "KOORX");
        assert_eq!(table.columns()[x].kind(), ColumnType::Decimal);
        assert_eq!(table.columns()[x].notation(), Some(Notation::International));
        assert_eq!(table.value(0, x), Value::Number(772_125.110_1));
        assert_eq!(
            table.columns()[column(table, "AD_NUMMER")].kind(),
            ColumnType::Text
        );
        assert_eq!(
            table.columns()[column(table, "POSTZUSTELLBEZIRK")].kind(),
            ColumnType::Integer
        );
        assert_eq!(
            table.columns()[column(table, "WLK_BEMERKUNG")].kind(),
            ColumnType::Text
        );
    }

    #[test]
    fn numbers_that_name_are_identifiers() {
        let loaded = open_data("koeln_wahllokale.csv");
        let table = &loaded.table;
        for name in ["OBJECTID", "NR_STIMMBEZIRK800", "ABSTIMMBEZIRK", "POSTZUSTELLBEZIRK"] {
            assert!(table.columns()[column(table, name)].is_identifier(), "{name}");
        }
        // Coordinates and the yes/no flag are no identifiers.
        for name in ["KOORX", "ROLLSTUHLGERECHT"] {
            assert!(!table.columns()[column(table, name)].is_identifier(), "{name}");
        }
    }

    #[test]
    fn number_range_filter_on_postcode() {
        let loaded = open_data("koeln_wahllokale.csv");
        let table = &loaded.table;
        let postcode = column(table, "POSTZUSTELLBEZIRK");
        let filter = ColumnFilter::NumberRange {
            min: Some(50667.0),
            max: Some(50670.0),
        };
        let rows = table.select(&Query {
            filters: vec![(postcode, filter)],
            ..Query::default()
        });
        assert!(!rows.is_empty());
        for &row in &rows {
            let code: u32 = table.text(row, postcode).parse().unwrap();
            assert!((50667..=50670).contains(&code));
        }
    }
}

mod berlin_first_names {
    use super::*;

    #[test]
    fn names_with_diacritics() {
        let loaded = open_data("berlin_mitte_vornamenstatistik_2023.csv");
        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
        let table = &loaded.table;
        assert_eq!(
            table.column_names(),
            ["anzahl", "vorname", "geschlecht", "position"]
        );
        assert_eq!(table.row_count(), 4394);
        assert_eq!(table.columns()[0].kind(), ColumnType::Integer);
        assert_eq!(table.row_texts(0), ["41", "Adam", "m", "1"]);
        let name = column(table, "vorname");
        let query = Query {
            search: "salome".into(),
            ..Query::default()
        };
        let rows = table.select(&query);
        assert!(rows.iter().any(|&row| table.text(row, name) == "Salomé"));
    }

    #[test]
    fn german_order_and_paging() {
        let loaded = open_data("berlin_mitte_vornamenstatistik_2023.csv");
        let table = &loaded.table;
        let name = column(table, "vorname");
        let query = Query {
            filters: vec![(name, ColumnFilter::Contains("ül".into()))],
            sort: vec![SortKey {
                column: name,
                descending: false,
            }],
            ..Query::default()
        };
        let rows = table.select(&query);
        let names: Vec<&str> = rows.iter().map(|&row| table.text(row, name)).collect();
        assert!(names.contains(&"Aygül"));
        assert!(names.contains(&"Eylül"));
        let position = |wanted: &str| names.iter().position(|name| *name == wanted).unwrap();
        assert!(position("Aygül") < position("Eylül"));

        let all = table.select(&Query::default());
        let page = PageInfo::new(all.len(), 20, 2);
        assert_eq!(page.label(Lang::De), "21–40 von 4.394");
        assert_eq!(page.label(Lang::En), "21–40 of 4,394");
        assert_eq!(page.page_count, 220);
    }
}
