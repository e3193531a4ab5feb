//! CSV reading beyond the case files: title lines, header choice, header
//! names, encodings, empty input and the large streamed file.

use ogkit_core::table::{
    read_csv, row_count_label, ColumnType, CsvOptions, CsvReader, Encoding, HeaderMode, IssueKey,
    Lang, PageInfo, Severity, Value,
};

mod title_lines {
    use super::*;

    const EXPORT: &str = "Statistisches Amt der Stadt;;;\r\nBevölkerung am 31.12.2023 nach Stadtteilen;;;\r\n;;;\r\nStadtteil;Einwohner;männlich;weiblich\r\nAltstadt;12.400;6.100;6.300\r\nNordviertel;8.150;4.000;4.150\r\n";

    #[test]
    fn title_lines_above_header_are_skipped() {
        let loaded = read_csv(EXPORT.as_bytes(), &CsvOptions::default());
        assert_eq!(
            loaded.table.column_names(),
            ["Stadtteil", "Einwohner", "männlich", "weiblich"]
        );
        assert_eq!(loaded.table.row_count(), 2);
        assert_eq!(loaded.header_line, Some(4));
        let skipped = loaded.issues_with(IssueKey::TitleLinesSkipped);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].severity, Severity::Note);
        assert_eq!(skipped[0].param("count"), Some("2"));
        assert_eq!(loaded.table.value(1, 1), Value::Number(8150.0));
    }

    #[test]
    fn explicit_header_line_wins() {
        let options = CsvOptions {
            header: HeaderMode::Line(5),
            ..CsvOptions::default()
        };
        let loaded = read_csv(EXPORT.as_bytes(), &options);
        assert_eq!(
            loaded.table.column_names(),
            ["Altstadt", "12.400", "6.100", "6.300"]
        );
        assert_eq!(loaded.table.row_count(), 1);
        assert!(loaded.issues_with(IssueKey::TitleLinesSkipped).is_empty());
    }

    #[test]
    fn missing_header_line_is_reported() {
        let options = CsvOptions {
            header: HeaderMode::Line(3),
            ..CsvOptions::default()
        };
        let loaded = read_csv(EXPORT.as_bytes(), &options);
        let issue = loaded.issues_with(IssueKey::HeaderLineNotFound);
        assert_eq!(issue.len(), 1);
        assert!(issue[0].message(Lang::De).contains("Kopfzeile 3"));
        assert_eq!(loaded.table.column_names()[0], "Stadtteil");
    }

    #[test]
    fn one_column_file_keeps_first_line() {
        let loaded = read_csv("Name\nA\nB\n".as_bytes(), &CsvOptions::default());
        assert_eq!(loaded.table.column_names(), ["Name"]);
        assert_eq!(loaded.table.row_count(), 2);
    }
}

mod header_names {
    use super::*;

    #[test]
    fn empty_and_duplicate_names_are_made_unique() {
        let loaded = read_csv(
            "Name;;Name;Spalte 2\na;b;c;d\n".as_bytes(),
            &CsvOptions::default(),
        );
        assert_eq!(
            loaded.table.column_names(),
            ["Name", "Spalte 2 (2)", "Name (2)", "Spalte 2"]
        );
        let empty = loaded.issues_with(IssueKey::EmptyHeader);
        assert_eq!(empty.len(), 1);
        assert_eq!(empty[0].line, Some(1));
        assert_eq!(empty[0].column.as_deref(), Some("Spalte 2 (2)"));
        let duplicate = loaded.issues_with(IssueKey::DuplicateHeader);
        assert_eq!(duplicate.len(), 1);
        assert_eq!(
            duplicate[0].message(Lang::De),
            "Zeile 1: Spalte „Name (2)“: Der Spaltenname „Name“ kommt mehrfach vor; diese Spalte heißt jetzt „Name (2)“."
        );
    }

    #[test]
    fn quoted_first_header_after_bom() {
        let loaded = read_csv(
            b"\xEF\xBB\xBF\"Name\";\"X\"\n\"a\";1\n",
            &CsvOptions::default(),
        );
        assert_eq!(loaded.table.column_names(), ["Name", "X"]);
    }

    #[test]
    fn names_are_trimmed() {
        let loaded = read_csv(
            " Name ;\tWert\na;1\n".as_bytes(),
            &CsvOptions {
                delimiter: Some(b';'),
                ..CsvOptions::default()
            },
        );
        assert_eq!(loaded.table.column_names(), ["Name", "Wert"]);
    }
}

mod ragged_rows {
    use super::*;

    #[test]
    fn many_long_rows_are_counted_not_listed() {
        let mut text = String::from("A;B\n");
        for _ in 0..150 {
            text.push_str("1;2;3\n");
        }
        let loaded = read_csv(text.as_bytes(), &CsvOptions::default());
        assert_eq!(loaded.issues_with(IssueKey::RowTooLong).len(), 100);
        let truncated = loaded.issues_with(IssueKey::IssuesTruncated);
        assert_eq!(truncated.len(), 1);
        assert_eq!(truncated[0].param("count"), Some("50"));
        assert_eq!(loaded.table.column_names(), ["A", "B", "Spalte 3"]);
        assert_eq!(loaded.table.text(149, 2), "3");
    }

    #[test]
    fn blank_lines_and_empty_records_are_skipped() {
        let loaded = read_csv(b"A;B\n\n;\n1;2\n   \n3;4\n\n", &CsvOptions::default());
        assert_eq!(loaded.table.row_count(), 2);
        assert_eq!(loaded.table.source_line(1), Some(6));
        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
    }

    #[test]
    fn unclosed_quote_in_header_leaves_no_rows() {
        let loaded = read_csv(b"\"A;B\n1;2\n", &CsvOptions::default());
        assert!(!loaded.complete);
        assert_eq!(loaded.issues_with(IssueKey::UnclosedQuote)[0].line, Some(1));
    }
}

mod encodings {
    use super::*;

    #[test]
    fn utf16_excel_export_is_read() {
        let text = "Straße\tBetrag\r\nGroßer Umzug\t12,50\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let loaded = read_csv(&bytes, &CsvOptions::default());
        assert_eq!(loaded.encoding, Some(Encoding::Utf16Le));
        assert_eq!(loaded.table.column_names(), ["Straße", "Betrag"]);
        assert_eq!(loaded.table.value(0, 1), Value::Number(12.5));
    }

    #[test]
    fn declared_utf8_with_latin1_bytes_warns() {
        let options = CsvOptions {
            encoding: Some(Encoding::Utf8),
            ..CsvOptions::default()
        };
        let loaded = read_csv(b"Name\nM\xFCller\n", &options);
        assert_eq!(loaded.table.text(0, 0), "M\u{FFFD}ller");
        let issue = loaded.issues_with(IssueKey::InvalidUtf8);
        assert_eq!(issue[0].line, Some(2));
        assert!(issue[0].message(Lang::De).contains("Zeichenkodierung"));
    }

    #[test]
    fn unknown_label_is_reported_by_caller() {
        assert_eq!(Encoding::from_label("x-klingon"), None);
        assert_eq!(Encoding::from_label("latin1"), Some(Encoding::Windows1252));
        assert_eq!(Encoding::from_label("UTF8"), Some(Encoding::Utf8));
    }
}

mod empty_input {
    use super::*;

    #[test]
    fn empty_file_is_an_error() {
        for bytes in [&b""[..], b"\xEF\xBB\xBF", b"\r\n\r\n", b"  \n"] {
            let loaded = read_csv(bytes, &CsvOptions::default());
            assert!(!loaded.complete, "{bytes:?}");
            assert_eq!(
                loaded.issues_with(IssueKey::EmptyInput).len(),
                1,
                "{bytes:?}"
            );
            assert_eq!(loaded.table.row_count(), 0);
        }
        let loaded = read_csv(b"", &CsvOptions::default());
        assert_eq!(
            loaded.issues[0].message(Lang::De),
            "Die Datei ist leer. Bitte prüfen Sie, ob die Adresse auf die richtige Datei zeigt, oder wenden Sie sich an die Stelle, die sie veröffentlicht."
        );
    }

    #[test]
    fn header_only_gives_empty_table() {
        let loaded = read_csv(b"A;B\r\n", &CsvOptions::default());
        assert!(loaded.complete);
        assert_eq!(loaded.table.column_names(), ["A", "B"]);
        assert_eq!(loaded.table.row_count(), 0);
        assert_eq!(loaded.table.columns()[0].kind(), ColumnType::Text);
    }
}

mod large_stream {
    use super::*;

    const PLACES: [&str; 5] = [
        "Marktplatz",
        "Bahnhofstraße",
        "Stadtpark",
        "Hafen",
        "Südring",
    ];

    /// Writes the measurement file of the large-file case: row k has the
    /// minute k-1 after 01.01.2024 00:00, place k mod 5, value (k mod 1000)/10.
    fn measurement_rows(rows: u32) -> Vec<u8> {
        let mut out = String::from("Nr;Zeitpunkt;Messstelle;Wert\n");
        let days_in_month = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        for k in 1..=rows {
            let minutes = k - 1;
            let (mut day, hour, minute) = (minutes / 1440, (minutes / 60) % 24, minutes % 60);
            let mut month = 0;
            while day >= days_in_month[month] {
                day -= days_in_month[month];
                month += 1;
            }
            let value = k % 1000;
            out.push_str(&format!(
                "{k};{:02}.{:02}.2024 {hour:02}:{minute:02};{};{},{}\n",
                day + 1,
                month + 1,
                PLACES[(k % 5) as usize],
                value / 10,
                value % 10
            ));
        }
        out.into_bytes()
    }

    #[test]
    fn half_million_rows_in_chunks() {
        let bytes = measurement_rows(500_000);
        let mut reader = CsvReader::new(CsvOptions::default());
        let mut chunks = bytes.chunks(64 * 1024);
        reader.push(chunks.next().unwrap());
        reader.push(chunks.next().unwrap());
        let preview = reader.preview().expect("header chosen after two chunks");
        assert!(preview.row_count() >= 20);
        assert_eq!(
            preview.row_texts(0),
            ["1", "01.01.2024 00:00", "Bahnhofstraße", "0,1"]
        );
        for chunk in chunks {
            reader.push(chunk);
        }
        let loaded = reader.finish();

        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
        let table = &loaded.table;
        assert_eq!(table.row_count(), 500_000);
        assert_eq!(
            table.row_texts(499_999),
            ["500000", "13.12.2024 05:19", "Marktplatz", "0,0"]
        );
        assert_eq!(table.columns()[1].kind(), ColumnType::DateTime);
        assert_eq!(table.columns()[3].kind(), ColumnType::Decimal);
        assert_eq!(
            PageInfo::new(table.row_count(), 20, 1).label(Lang::De),
            "1–20 von 500.000"
        );
        assert_eq!(
            row_count_label(table.row_count(), Lang::De),
            "500.000 Einträge"
        );
        assert_eq!(row_count_label(1, Lang::En), "1 entry");
    }
}

mod explicit_header {
    use super::*;

    #[test]
    fn header_line_below_first_records() {
        let mut text = String::new();
        for line in 1..=40 {
            text.push_str(&format!("Hinweis {line}\n"));
        }
        text.push_str("Name;Wert\na;1\n");
        let options = CsvOptions {
            header: HeaderMode::Line(41),
            ..CsvOptions::default()
        };
        let loaded = read_csv(text.as_bytes(), &options);
        assert_eq!(loaded.table.column_names(), ["Name", "Wert"]);
        assert_eq!(loaded.table.row_texts(0), ["a", "1"]);
        assert_eq!(loaded.header_line, Some(41));
    }

    #[test]
    fn huge_page_size_does_not_overflow() {
        let page = PageInfo::new(10, usize::MAX, 1);
        assert_eq!((page.start, page.end, page.page_count), (0, 10, 1));
    }
}

mod encoding_labels {
    use super::*;

    #[test]
    fn unknown_label_gives_warning() {
        let issue = Encoding::from_label_or_issue(" klingon ").unwrap_err();
        assert_eq!(issue.key, IssueKey::UnknownEncoding);
        assert!(issue.message(Lang::De).contains("„klingon“"));
        assert_eq!(
            Encoding::from_label_or_issue("ISO-8859-15"),
            Ok(Encoding::Iso8859_15)
        );
    }

    #[test]
    fn json_with_latin1_bytes_warns() {
        let loaded = ogkit_core::table::read_json(b"[{\"Name\": \"M\xFCller\"}]");
        assert_eq!(loaded.table.text(0, 0), "M\u{FFFD}ller");
        assert_eq!(loaded.issues_with(IssueKey::InvalidUtf8).len(), 1);
    }
}

mod excel_separator_line {
    use super::*;

    #[test]
    fn sep_line_sets_delimiter_and_is_skipped() {
        let bytes = b"sep=,\r\nName,Wert\r\nA,\"1,5\"\r\nB,2\r\n";
        let loaded = read_csv(bytes, &CsvOptions::default());
        assert_eq!(loaded.delimiter, Some(b','));
        assert_eq!(loaded.table.column_names(), ["Name", "Wert"]);
        assert_eq!(loaded.header_line, Some(2));
        assert_eq!(loaded.table.source_line(0), Some(3));
        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
        for split in 0..=bytes.len() {
            let mut reader = CsvReader::new(CsvOptions::default());
            reader.push(&bytes[..split]);
            reader.push(&bytes[split..]);
            assert_eq!(
                reader.finish().table,
                loaded.table,
                "split after {split} bytes"
            );
        }
    }
}
