//! Streaming: a file split into chunks at any byte must give exactly the
//! rows, issues and types of reading it whole.

use ogkit_core::table::{read_csv, CsvOptions, CsvReader, Loaded};

fn case(name: &str) -> Vec<u8> {
    let path = format!("{}/../data/eval/cases/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

fn read_split(bytes: &[u8], split: usize) -> Loaded {
    let mut reader = CsvReader::new(CsvOptions::default());
    reader.push(&bytes[..split]);
    reader.push(&bytes[split..]);
    reader.finish()
}

fn assert_every_split_matches(bytes: &[u8]) {
    let whole = read_csv(bytes, &CsvOptions::default());
    for split in 0..=bytes.len() {
        let streamed = read_split(bytes, split);
        assert_eq!(streamed.table, whole.table, "split after {split} bytes");
        assert_eq!(streamed.issues, whole.issues, "split after {split} bytes");
        assert_eq!(
            streamed.complete, whole.complete,
            "split after {split} bytes"
        );
    }
}

#[test]
fn case_02b_every_split_offset() {
    let bytes = case("case-02b-crlf-records-lf-in-field.csv");
    assert_eq!(bytes.len(), 138);
    for position in [28, 97, 136] {
        assert_eq!(bytes[position], b'\r');
    }
    let whole = read_csv(&bytes, &CsvOptions::default());
    assert_eq!(whole.table.row_count(), 2);
    assert!(whole.issues.is_empty());
    assert_every_split_matches(&bytes);
}

#[test]
fn quoted_field_before_split_crlf() {
    // Like case 02b, but every record ends with a quoted field, so a chunk
    // can end between the closing quote's CR and its LF.
    let bytes = "\u{FEFF}Leistung;Hinweise;Gebühr\r\nSperrmüll;\"Termin \"\"online\"\" buchen\n\nmax. 5 m³\";\"0,00\"\r\nAltkleider;Container;\"\"\r\n"
        .as_bytes();
    let whole = read_csv(bytes, &CsvOptions::default());
    assert_eq!(whole.table.row_count(), 2);
    assert_eq!(whole.table.text(0, 2), "0,00");
    assert_eq!(whole.table.text(1, 2), "");
    assert!(whole.issues.is_empty(), "{:?}", whole.issues);

    let first_cr = bytes
        .windows(3)
        .position(|window| window == b"\"\r\n")
        .unwrap()
        + 1;
    let split = read_split(bytes, first_cr + 1);
    assert_eq!(split.table, whole.table);
    assert_every_split_matches(bytes);
}

#[test]
fn every_case_file_every_split() {
    for name in [
        "case-01a-utf8-bom.csv",
        "case-01b-cp1252.csv",
        "case-02a-lf-records-crlf-in-field.csv",
        "case-03a-semicolon.csv",
        "case-03b-tab.tsv",
        "case-03c-tie.csv",
        "case-05a-trailing-blank.csv",
        "case-05a2-trailing-blank-crlf.csv",
        "case-05b-ragged.csv",
        "case-05c-unclosed-quote.csv",
        "case-09.csv",
    ] {
        let bytes = case(name);
        let whole = read_csv(&bytes, &CsvOptions::default());
        for split in 0..=bytes.len() {
            let streamed = read_split(&bytes, split);
            assert_eq!(
                streamed.table, whole.table,
                "{name}: split after {split} bytes"
            );
            assert_eq!(
                streamed.issues, whole.issues,
                "{name}: split after {split} bytes"
            );
        }
    }
}

#[test]
fn mixed_line_endings_and_cr_only() {
    let bytes = b"A;B\rx;1\r\ny;2\nz;\"3\r4\"\r";
    let loaded = read_csv(bytes, &CsvOptions::default());
    assert_eq!(loaded.table.row_count(), 3);
    assert_eq!(loaded.table.text(2, 1), "3\r4");
    assert_eq!(loaded.table.source_line(0), Some(2));
    assert_eq!(loaded.table.source_line(2), Some(4));
    assert_every_split_matches(bytes);
}

#[test]
fn one_byte_chunks_of_large_file() {
    let path = format!(
        "{}/../data/open-data/koeln_haushalt_bezirke_einzeldarstellung_utf8bom_crlf.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(path).unwrap();
    let whole = read_csv(&bytes, &CsvOptions::default());
    for size in [1, 7, 4096] {
        let mut reader = CsvReader::new(CsvOptions::default());
        for chunk in bytes.chunks(size) {
            reader.push(chunk);
        }
        let streamed = reader.finish();
        assert_eq!(streamed.table, whole.table, "chunks of {size} bytes");
        assert_eq!(streamed.issues, whole.issues, "chunks of {size} bytes");
    }
}

#[test]
fn sample_limit_does_not_depend_on_chunks() {
    // Longer than the detection sample, with a multi-byte character right
    // where the sample ends, so the cut must fall on the same boundary.
    let mut text = String::from("Ort;Wert\n");
    while text.len() < 70 * 1024 {
        text.push_str("Bärenbrück;1,5\n");
    }
    let bytes = text.as_bytes();
    let whole = read_csv(bytes, &CsvOptions::default());
    assert_eq!(whole.delimiter, Some(b';'));
    for split in [1, 65_535, 65_536, 65_537, bytes.len() - 1] {
        let streamed = read_split(bytes, split);
        assert_eq!(streamed.table, whole.table, "split after {split} bytes");
    }
}

#[test]
fn decoded_text_gives_same_rows() {
    let bytes = case("case-02b-crlf-records-lf-in-field.csv");
    let whole = read_csv(&bytes, &CsvOptions::default());
    let text = std::str::from_utf8(&bytes).unwrap();
    for split in (0..=text.len()).filter(|&split| text.is_char_boundary(split)) {
        let mut reader = CsvReader::new(CsvOptions::default());
        reader.push_text(&text[..split]);
        reader.push_text(&text[split..]);
        let loaded = reader.finish();
        assert_eq!(loaded.table, whole.table, "split after {split} bytes");
        assert_eq!(loaded.encoding, None);
    }
}

/// SplitMix64, so the generated inputs are the same on every run.
struct Random(u64);

impl Random {
    fn below(&mut self, limit: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % limit
    }
}

#[test]
fn generated_inputs_split_like_whole() {
    let pieces: [&[u8]; 12] = [
        b"a",
        b";",
        b",",
        b"\"",
        b"\r",
        b"\n",
        b"\r\n",
        "ä".as_bytes(),
        b"1",
        b" ",
        b"\x80",
        b"\t",
    ];
    let mut random = Random(7);
    for _ in 0..400 {
        let mut bytes = Vec::new();
        for _ in 0..random.below(60) {
            bytes.extend_from_slice(pieces[random.below(pieces.len() as u64) as usize]);
        }
        let whole = read_csv(&bytes, &CsvOptions::default());
        for split in 0..=bytes.len() {
            let streamed = read_split(&bytes, split);
            assert_eq!(
                streamed.table, whole.table,
                "{bytes:?} split after {split} bytes"
            );
            assert_eq!(
                streamed.issues, whole.issues,
                "{bytes:?} split after {split} bytes"
            );
            assert_eq!(
                streamed.complete, whole.complete,
                "{bytes:?} split after {split} bytes"
            );
        }
    }
}

#[test]
fn generated_json_never_panics() {
    let pieces = [
        "[", "]", "{", "}", "\"a\"", ":", ",", "1", "-", "null", "\\u00e4", "\"", " ", "true",
        "1e5",
    ];
    let mut random = Random(11);
    for _ in 0..2000 {
        let mut text = String::new();
        for _ in 0..random.below(30) {
            text.push_str(pieces[random.below(pieces.len() as u64) as usize]);
        }
        let loaded = ogkit_core::table::read_json(text.as_bytes());
        assert!(loaded.complete || !loaded.issues.is_empty(), "{text}");
    }
}
