//! Column types: which cell texts make a column numeric, a date, yes/no
//! or text, and how numbers are displayed.

use ogkit_core::table::{
    format_number, format_number_fixed, parse_date, parse_number, read_csv, read_json, ColumnType,
    CsvOptions, Lang, Notation, Value,
};

/// Reads one column of `cells` under the header `Wert`.
fn typed(cells: &[&str]) -> (ColumnType, Option<Notation>, Vec<Value>) {
    let mut text = String::from("Name;Wert\n");
    for (index, cell) in cells.iter().enumerate() {
        text.push_str(&format!("r{index};{cell}\n"));
    }
    let loaded = read_csv(
        text.as_bytes(),
        &CsvOptions {
            delimiter: Some(b';'),
            ..CsvOptions::default()
        },
    );
    let column = &loaded.table.columns()[1];
    let values = (0..loaded.table.row_count())
        .map(|row| column.value(row))
        .collect();
    (column.kind(), column.notation(), values)
}

#[test]
fn column_type_table() {
    let cases: &[(&[&str], ColumnType, Option<Notation>)] = &[
        (
            &["1", "22", "-3"],
            ColumnType::Integer,
            Some(Notation::German),
        ),
        (
            &["9.577.207", "5.699.552"],
            ColumnType::Integer,
            Some(Notation::German),
        ),
        (
            &["1.234,56", "7,5"],
            ColumnType::Decimal,
            Some(Notation::German),
        ),
        (
            &["1,234.56", "7.5"],
            ColumnType::Decimal,
            Some(Notation::International),
        ),
        (
            &["1234.56", "0.5"],
            ColumnType::Decimal,
            Some(Notation::International),
        ),
        (
            &["12,5 %", "3 %", "-0,5%"],
            ColumnType::Percent,
            Some(Notation::German),
        ),
        (
            &["70,00 €", "37,00 €", "13,00"],
            ColumnType::Currency,
            Some(Notation::German),
        ),
        (
            &["€ 5", "12 EUR"],
            ColumnType::Currency,
            Some(Notation::German),
        ),
        (&["11.1.01", "21.1.01"], ColumnType::Text, None),
        (&["01", "02", "10"], ColumnType::Text, None),
        (&["00288001900"], ColumnType::Text, None),
        (&["1234567890123456"], ColumnType::Text, None),
        (&["31.12.2024", "1.2.2023"], ColumnType::Date, None),
        (&["2024-12-31", "31.12.24"], ColumnType::Date, None),
        (
            &["01.01.2024 00:00", "13.12.2024 05:19"],
            ColumnType::DateTime,
            None,
        ),
        (
            &["2024-01-01T08:30:00", "2024-01-02"],
            ColumnType::DateTime,
            None,
        ),
        (&["ja", "Nein", "JA"], ColumnType::Boolean, None),
        (
            &["12", "-", "7", "x", "…"],
            ColumnType::Integer,
            Some(Notation::German),
        ),
        (&["-", "x"], ColumnType::Text, None),
        (&["12", "zwölf"], ColumnType::Text, None),
        (&["12 %", "3 €"], ColumnType::Text, None),
        (&["31.02.2024"], ColumnType::Text, None),
        (&["", ""], ColumnType::Text, None),
    ];
    for (cells, kind, notation) in cases {
        let (found_kind, found_notation, _) = typed(cells);
        assert_eq!(found_kind, *kind, "type of {cells:?}");
        assert_eq!(found_notation, *notation, "notation of {cells:?}");
    }
}

#[test]
fn values_of_typed_cells() {
    assert_eq!(
        typed(&["1.234,56", "-7,5", ""]).2,
        [Value::Number(1234.56), Value::Number(-7.5), Value::Missing]
    );
    assert_eq!(typed(&["12,5 %"]).2, [Value::Number(12.5)]);
    assert_eq!(typed(&["12", "–"]).2, [Value::Number(12.0), Value::Missing]);
    assert_eq!(
        typed(&["ja", "nein"]).2,
        [Value::Bool(true), Value::Bool(false)]
    );
    assert_eq!(typed(&["a", ""]).2, [Value::Text, Value::Missing]);
}

#[test]
fn ambiguous_column_follows_other_columns() {
    let german = read_csv(b"A;B\n1.234;1.250,50\n2.500;3,5\n", &CsvOptions::default());
    assert_eq!(german.table.value(0, 0), Value::Number(1234.0));
    assert_eq!(german.table.columns()[0].kind(), ColumnType::Integer);

    let international = read_csv(
        b"A,B\n1.234,\"1,250.50\"\n2.500,3.5\n",
        &CsvOptions::default(),
    );
    assert_eq!(international.table.value(0, 0), Value::Number(1.234));
    assert_eq!(international.table.columns()[0].kind(), ColumnType::Decimal);
}

#[test]
fn ambiguous_alone_follows_delimiter() {
    let semicolon = read_csv(b"Name;Wert\na;1.234\n", &CsvOptions::default());
    assert_eq!(semicolon.table.value(0, 1), Value::Number(1234.0));
    let comma = read_csv(b"Name,Wert\na,1.234\n", &CsvOptions::default());
    assert_eq!(comma.table.value(0, 1), Value::Number(1.234));
}

#[test]
fn json_numbers_are_international() {
    let loaded =
        read_json(br#"[{"a": 1.234, "b": "1.234", "c": true}, {"a": 2, "b": "2", "c": null}]"#);
    let table = &loaded.table;
    assert_eq!(table.value(0, 0), Value::Number(1.234));
    assert_eq!(table.value(0, 1), Value::Number(1234.0));
    assert_eq!(table.value(0, 2), Value::Bool(true));
    assert_eq!(table.value(1, 2), Value::Missing);
}

#[test]
fn date_parsing_table() {
    let cases = [
        ("31.12.2024", Some((2024, 12, 31, 0, 0, false))),
        ("1.2.2024", Some((2024, 2, 1, 0, 0, false))),
        ("31.12.24", Some((2024, 12, 31, 0, 0, false))),
        ("01.01.70", Some((1970, 1, 1, 0, 0, false))),
        ("2024-02-29", Some((2024, 2, 29, 0, 0, false))),
        ("13.12.2024 05:19", Some((2024, 12, 13, 5, 19, true))),
        ("2024-12-13T05:19:30", Some((2024, 12, 13, 5, 19, true))),
        ("2023-02-29", None),
        ("32.01.2024", None),
        ("13.12.2024 24:00", None),
        ("1.2.24", None),
        ("2024-1-5", None),
    ];
    for (text, expected) in cases {
        let found = parse_date(text).map(|date| {
            (
                date.year,
                date.month,
                date.day,
                date.hour,
                date.minute,
                date.has_time,
            )
        });
        assert_eq!(found, expected, "{text}");
    }
}

#[test]
fn number_parsing_table() {
    let cases = [
        ("1.234,56", Notation::German, Some(1234.56)),
        ("−5", Notation::German, Some(-5.0)),
        ("+5", Notation::German, Some(5.0)),
        ("1.234", Notation::German, Some(1234.0)),
        ("1.234", Notation::International, Some(1.234)),
        ("1,234", Notation::German, Some(1.234)),
        ("1,234", Notation::International, Some(1234.0)),
        ("12.34.567", Notation::German, None),
        ("1.23", Notation::German, None),
        ("1.2345,6", Notation::German, None),
        (",5", Notation::German, None),
        ("5,", Notation::German, None),
        ("1 234", Notation::German, None),
        ("", Notation::German, None),
    ];
    for (text, notation, expected) in cases {
        assert_eq!(
            parse_number(text, notation),
            expected,
            "{text} as {notation:?}"
        );
    }
}

#[test]
fn number_display_table() {
    let cases = [
        (0.0, Lang::De, "0"),
        (1234.0, Lang::De, "1.234"),
        (1234.5, Lang::De, "1.234,5"),
        (1234.5, Lang::En, "1,234.5"),
        (-9_577_207.0, Lang::De, "-9.577.207"),
        (123.0, Lang::En, "123"),
        (1_000_000.25, Lang::En, "1,000,000.25"),
    ];
    for (value, lang, expected) in cases {
        assert_eq!(format_number(value, lang), expected, "{value} in {lang:?}");
    }
    assert_eq!(format_number_fixed(70.0, 2, Lang::De), "70,00");
}
