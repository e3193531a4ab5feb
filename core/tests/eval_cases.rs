//! Evaluation cases that the other case tests do not reach. The table
//! filter runs the spelling table of the search case, and the large-file
//! case reads the output of its own generator script. Further inputs cover
//! the encoding and delimiter kinds.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::process::{Command, Stdio};

use ogkit_core::table::{
    read_csv, row_count_label, ColumnType, CsvOptions, CsvReader, Encoding, Lang, PageInfo, Query,
    Table,
};

fn eval_path(relative: &str) -> String {
    format!("{}/../data/eval/{relative}", env!("CARGO_MANIFEST_DIR"))
}

/// Spellings that must find the same services, and the service they must
/// find, as in the spelling case of the service search.
const SPELLINGS: &[(&[&str], &str)] = &[
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

mod table_filter_folding {
    use super::*;

    /// Reads the spelling case's catalogue as a semicolon CSV table with the
    /// columns `id`, `title` and `description`, texts unchanged (S08 stays
    /// decomposed).
    fn catalogue_table() -> Table {
        let path = eval_path("case-12-catalogue.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("reading {path}: {error}"));
        let records: Vec<serde_json::Value> =
            serde_json::from_str(&text).unwrap_or_else(|error| panic!("parsing {path}: {error}"));
        let quote = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
        let mut csv = String::from("id;title;description\n");
        for record in &records {
            let field = |key: &str| record[key].as_str().unwrap_or_default().to_owned();
            csv.push_str(&format!("{};{};{}\n", quote(&field("id")), quote(&field("title")), quote(&field("description"))));
        }
        let loaded = read_csv(csv.as_bytes(), &CsvOptions::default());
        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
        assert_eq!(loaded.table.row_count(), 11);
        loaded.table
    }

    fn matching_ids(table: &Table, search: &str) -> BTreeSet<String> {
        let query = Query { search: search.to_owned(), ..Query::default() };
        table.select(&query).into_iter().map(|row| table.text(row, 0).to_owned()).collect()
    }

    #[test]
    fn every_spelling_filters_same_rows() {
        let table = catalogue_table();
        for (spellings, expected) in SPELLINGS {
            let reference = matching_ids(&table, spellings[0]);
            assert!(reference.contains(*expected), "{:?} misses {expected}: {reference:?}", spellings[0]);
            for spelling in *spellings {
                assert_eq!(matching_ids(&table, spelling), reference, "{spelling:?} against {:?}", spellings[0]);
            }
        }
    }

    #[test]
    fn street_spellings_reach_description() {
        let table = catalogue_table();
        for spelling in ["straße", "Strasse", "STRASSE", "STRAẞE"] {
            let found = matching_ids(&table, spelling);
            assert!(found.contains("S01"), "{spelling:?}: {found:?}");
            assert!(found.contains("S02"), "{spelling:?}: {found:?}");
        }
    }

    #[test]
    fn decomposed_title_keeps_its_text() {
        let table = catalogue_table();
        let row = (0..table.row_count()).find(|&row| table.text(row, 0) == "S08").expect("S08 is a row");
        assert_eq!(table.text(row, 1), "Wasserza\u{308}hler ablesen");
    }
}

mod large_file {
    use super::*;

    /// Runs the case's generator script and returns its output.
    fn generated_csv() -> Vec<u8> {
        let script = eval_path("cases/gen-case-06b-large-csv.py");
        let mut child = Command::new("python3")
            .arg(&script)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("running python3 {script} failed (install python3): {error}"));
        let mut bytes = Vec::new();
        child
            .stdout
            .take()
            .expect("stdout is piped")
            .read_to_end(&mut bytes)
            .expect("the generator output can be read");
        let status = child.wait().expect("the generator finishes");
        assert!(status.success(), "python3 {script} exited with {status}");
        bytes
    }

    #[test]
    fn generated_half_million_rows_stream() {
        let bytes = generated_csv();
        assert!(bytes.len() > 18_000_000, "{} bytes", bytes.len());

        let mut reader = CsvReader::new(CsvOptions::default());
        let mut chunks = bytes.chunks(64 * 1024);
        for chunk in chunks.by_ref().take(2) {
            reader.push(chunk);
        }
        let preview = reader.preview().expect("the header is chosen after 128 KiB");
        assert!(preview.row_count() >= 20, "{} rows in the preview", preview.row_count());
        assert_eq!(preview.row_texts(0), ["1", "01.01.2024 00:00", "Bahnhofstraße", "0,1"]);
        for row in 0..20 {
            assert_eq!(preview.text(row, 0), (row + 1).to_string());
        }
        for chunk in chunks {
            reader.push(chunk);
        }
        let loaded = reader.finish();

        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
        assert!(loaded.complete);
        let table = &loaded.table;
        assert_eq!(table.column_names(), ["Nr", "Zeitpunkt", "Messstelle", "Wert"]);
        assert_eq!(table.row_count(), 500_000);
        assert_eq!(table.row_texts(499_999), ["500000", "13.12.2024 05:19", "Marktplatz", "0,0"]);
        assert_eq!(table.columns()[1].kind(), ColumnType::DateTime);
        assert_eq!(row_count_label(table.row_count(), Lang::De), "500.000 Einträge");
        assert_eq!(PageInfo::new(table.row_count(), 20, 25_000).label(Lang::De), "499.981–500.000 von 500.000");
    }
}

mod encoding_kind {
    use super::*;

    fn texts(bytes: &[u8], options: &CsvOptions) -> Vec<String> {
        let table = read_csv(bytes, options).table;
        let mut texts: Vec<String> = table.column_names().iter().map(|name| name.to_string()).collect();
        for row in 0..table.row_count() {
            texts.extend(table.row_texts(row).iter().map(|text| text.to_string()));
        }
        texts
    }

    #[test]
    fn latin_labels_give_euro_sign() {
        // 0x80 is the euro sign in Windows-1252 but a C1 control in
        // ISO-8859-1. The WHATWG Encoding Standard, which browsers follow,
        // maps the ISO-8859-1 and ASCII labels to Windows-1252.
        let bytes = b"Ort;Betrag\nK\xf6ln;5 \x80\n";
        for content_type in ["text/csv; charset=ISO-8859-1", "text/csv; charset=latin1", "text/csv; charset=us-ascii", "text/csv"] {
            let encoding = Encoding::from_content_type(content_type).expect("known label");
            let options = CsvOptions { encoding, ..CsvOptions::default() };
            assert_eq!(texts(bytes, &options), ["Ort", "Betrag", "Köln", "5 €"], "{content_type}");
        }
    }

    #[test]
    fn latin_9_has_euro_at_a4() {
        let bytes = b"Ort;Betrag\nK\xf6ln;5 \xa4\n";
        let encoding = Encoding::from_content_type("text/csv; charset=ISO-8859-15").expect("known label");
        assert_eq!(encoding, Some(Encoding::Iso8859_15));
        let options = CsvOptions { encoding, ..CsvOptions::default() };
        assert_eq!(texts(bytes, &options), ["Ort", "Betrag", "Köln", "5 €"]);
    }

    #[test]
    fn bom_before_quoted_tab_header() {
        let bytes = b"\xef\xbb\xbf\"Name\"\t\"Wert\"\r\nA\t1,5\r\n";
        let table = read_csv(bytes, &CsvOptions::default()).table;
        assert_eq!(table.column_names(), ["Name", "Wert"]);
        assert_eq!(table.column_index("Name"), Some(0));
    }
}

mod delimiter_kind {
    use super::*;

    fn columns(csv: &str) -> Vec<String> {
        let table = read_csv(csv.as_bytes(), &CsvOptions::default()).table;
        table.column_names().iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn header_commas_do_not_outvote_semicolon() {
        let csv = "Messstelle;Bemerkung (Werte getrennt durch Kommas, Punkte, Striche)\nNord;a, b, c\nSüd;d, e, f\n";
        assert_eq!(columns(csv), ["Messstelle", "Bemerkung (Werte getrennt durch Kommas, Punkte, Striche)"]);
    }

    #[test]
    fn two_columns_with_decimal_comma() {
        assert_eq!(columns("Ort;Wert\nNord;1,5\nSüd;2,5\nWest;3,5\n"), ["Ort", "Wert"]);
    }

    #[test]
    fn tab_file_with_many_decimal_commas() {
        let csv = "A\tB\tC\tD\n120,5\t50,3\t2,35\t7,1\n99,9\t1,0\t0,5\t8,25\n";
        let loaded = read_csv(csv.as_bytes(), &CsvOptions::default());
        assert_eq!(loaded.delimiter, Some(b'\t'));
        assert_eq!(loaded.table.row_texts(0), ["120,5", "50,3", "2,35", "7,1"]);
    }

    #[test]
    fn real_comma_file_stays_comma() {
        let loaded = read_csv(b"Name,Anzahl,Ort\nA,1,Nord\nB,2,Sued\n", &CsvOptions::default());
        assert_eq!(loaded.delimiter, Some(b','));
        assert_eq!(loaded.table.row_texts(1), ["B", "2", "Sued"]);
    }
}
