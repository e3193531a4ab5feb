//! Reader for OZG/LeiKa catalogues as CSV.
//!
//! Two shapes are accepted, and the header row decides which one a file has:
//!
//! - **Joined catalogue**: one row per LeiKa service, joined with its OZG
//!   service, Lebenslage and Themenfeld. Required columns `leistungsschluessel`
//!   and `leistung`; `ozg_leistung`, `lebenslage` and `themenfeld` are read
//!   when present. The id is the LeiKa key; a repeated key gets a suffix
//!   (`99012001000000-2`), and a row without a valid key gets `record-N`,
//!   with N its record number.
//! - **LeiKa table**: required columns `id`, `name` and `service_key`;
//!   `description` (HTML or text), `modified_at` and `hidden` are read when
//!   present. The id comes from `id`; rows marked hidden are skipped.
//!
//! Column names are matched without regard to case or surrounding spaces,
//! and the delimiter (comma, semicolon or tab) is taken from the header
//! line. A key that is not 14 digits ("nicht im LeiKa", test values of 4
//! or 8 digits) is left out of `leika` with a warning; the row is kept.

use super::html;
use super::{
    clean_text, decode_text, iso_date, leika_key, Collector, Import, ImportError, LeikaKey, Options, Position, Reason,
};
use crate::catalogue::{Service, Source};
use crate::table::windows_1252_char;

/// Description of the accepted input, for error messages.
pub const EXPECTED: &str = "an OZG/LeiKa CSV file with a header row: either the joined catalogue \
     (columns \"leistungsschluessel\", \"leistung\", optionally \"ozg_leistung\", \"lebenslage\", \"themenfeld\") \
     or the LeiKa table (columns \"id\", \"name\", \"service_key\", optionally \"description\", \"modified_at\", \"hidden\")";

/// Layout of an accepted CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// LeiKa services joined with OZG service, Lebenslage and Themenfeld.
    Joined,
    /// The plain LeiKa table with its own numeric ids.
    Table,
}

/// Reads a LeiKa CSV file with default [`Options`].
pub fn read(bytes: &[u8]) -> Result<Import, ImportError> {
    read_with(bytes, &Options::default())
}

/// Reads a LeiKa CSV file of either shape.
///
/// Fails only when the input is not such a CSV file at all; problems with
/// single rows are listed in the report.
pub fn read_with(bytes: &[u8], options: &Options) -> Result<Import, ImportError> {
    // German Excel saves "CSV" as Windows-1252. Bytes that are not UTF-8
    // are read as Windows-1252, as browsers and the table reader do. The
    // report carries a warning, so that a wrongly guessed file is noticed.
    let windows_1252;
    let (text, first_invalid) = match decode_text(bytes, EXPECTED) {
        Ok(text) => (text, None),
        Err(ImportError::NotUtf8 { line, column, .. }) => {
            windows_1252 = bytes.iter().map(|&byte| windows_1252_char(byte)).collect::<String>();
            (decode_text(windows_1252.as_bytes(), EXPECTED)?, Some((line, column)))
        }
        Err(error) => return Err(error),
    };
    if text.trim_start().starts_with(['{', '[']) {
        return Err(ImportError::JsonNotCsv { expected: EXPECTED });
    }
    let base = options.base()?;
    let mut reader =
        csv::ReaderBuilder::new().delimiter(sniff_delimiter(text)).flexible(true).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|error| csv_error(&error, &mut LineCounter::new(text)))?.clone();
    let columns = Columns::new(&header);
    let shape = columns.shape().ok_or_else(|| ImportError::UnknownCsvHeader {
        found: header.iter().map(str::to_owned).collect(),
        expected: EXPECTED,
    })?;

    let mut collector = Collector::new();
    if let Some((line, column)) = first_invalid {
        let detail = format!(
            "the file is not UTF-8 (first invalid byte at line {line}, column {column}); it was read as \
             Windows-1252, the encoding of Excel's \"CSV\" export. Check umlauts in the output, or save \
             the file as \"CSV UTF-8\""
        );
        let position = Position::Csv { record: 0, line: line as u64, column: None };
        collector.warn(position, Reason::EncodingGuessed, detail);
    }
    let mut lines = LineCounter::new(text);
    for result in reader.records() {
        let record = result.map_err(|error| csv_error(&error, &mut lines))?;
        collector.report.read += 1;
        let (number, byte) = record.position().map_or((0, 0), |position| (position.record(), position.byte()));
        let line = lines.line_at(byte);
        let row = Row { record: &record, columns: &columns, number, line };
        if record.len() != header.len() {
            let detail =
                format!("expected {} fields as in the header, found {}; record skipped", header.len(), record.len());
            collector.skip(row.position(None), Reason::WrongFieldCount, detail);
            continue;
        }
        let service = match shape {
            Shape::Joined => read_joined(&row, &mut collector),
            Shape::Table => read_table(&row, base.as_ref(), &mut collector),
        };
        if let Some(service) = service {
            collector.add(row.position(None), service);
        }
    }
    Ok(collector.finish(Some("OZG-Leistungskatalog NRW (Stand 2019)".to_owned()), Some(ozg_nrw_source())))
}

/// Returns the shape of a CSV file from its header, if it is one of the two.
pub fn shape_of_header<'a>(columns: impl IntoIterator<Item = &'a str>) -> Option<Shape> {
    let names: Vec<String> = columns.into_iter().map(normalise_column).collect();
    Columns::from_names(names).shape()
}

fn normalise_column(name: &str) -> String {
    name.trim_start_matches('\u{FEFF}').trim().to_lowercase()
}

fn csv_error(error: &csv::Error, lines: &mut LineCounter<'_>) -> ImportError {
    let line = error.position().map_or(0, |position| lines.line_at(position.byte()));
    ImportError::InvalidCsv { line, message: error.to_string() }
}

/// Turns the byte offsets of record positions into line numbers.
///
/// csv 1.4 ends a record at the `\r` of a CRLF line end, so the next
/// record's position (line and byte) points at the `\n` before it, one line
/// too early. Line ends at the offset are skipped before counting.
struct LineCounter<'t> {
    text: &'t str,
    byte: usize,
    line: u64,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        LineCounter { text, byte: 0, line: 1 }
    }

    /// Returns the line of `byte`; offsets must not decrease between calls.
    fn line_at(&mut self, byte: u64) -> u64 {
        let bytes = self.text.as_bytes();
        let mut target = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        while bytes.get(target).is_some_and(|&b| b == b'\r' || b == b'\n') {
            target += 1;
        }
        if target < self.byte {
            self.byte = 0;
            self.line = 1;
        }
        let skipped = bytes.get(self.byte..target).unwrap_or(&[]);
        self.line += skipped.iter().filter(|&&b| b == b'\n').count() as u64;
        self.byte = target;
        self.line
    }
}

/// Picks the delimiter that occurs most often in the first line.
fn sniff_delimiter(text: &str) -> u8 {
    let first_line = text.lines().next().unwrap_or("");
    let count = |delimiter: char| first_line.matches(delimiter).count();
    let mut best = (b',', count(','));
    for (delimiter, character) in [(b';', ';'), (b'\t', '\t')] {
        if count(character) > best.1 {
            best = (delimiter, count(character));
        }
    }
    best.0
}

/// Column positions by their normalised names.
struct Columns {
    names: Vec<String>,
}

impl Columns {
    fn new(header: &csv::StringRecord) -> Self {
        Columns::from_names(header.iter().map(normalise_column).collect())
    }

    fn from_names(names: Vec<String>) -> Self {
        Columns { names }
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|column| column == name)
    }

    fn has(&self, name: &str) -> bool {
        self.index(name).is_some()
    }

    fn shape(&self) -> Option<Shape> {
        if self.has("leistungsschluessel") && self.has("leistung") {
            Some(Shape::Joined)
        } else if self.has("id") && self.has("name") && self.has("service_key") {
            Some(Shape::Table)
        } else {
            None
        }
    }
}

/// One data record with its place in the file.
struct Row<'r> {
    record: &'r csv::StringRecord,
    columns: &'r Columns,
    number: u64,
    line: u64,
}

impl Row<'_> {
    /// Returns the field in column `name`, or "" when the file has no such column.
    fn get(&self, name: &str) -> &str {
        self.columns.index(name).and_then(|index| self.record.get(index)).unwrap_or("")
    }

    fn position(&self, column: Option<&str>) -> Position {
        Position::Csv { record: self.number, line: self.line, column: column.map(str::to_owned) }
    }

    /// Reads the name in `column`, or reports the record as skipped.
    fn name(&self, column: &str, collector: &mut Collector) -> Option<String> {
        let name = clean_text(self.get(column));
        if name.is_empty() {
            collector.skip(self.position(Some(column)), Reason::MissingName, "missing or empty name; record skipped");
            return None;
        }
        Some(name)
    }

    /// Reads the LeiKa key in `column`, reporting anything but 14 digits.
    fn leika(&self, column: &str, collector: &mut Collector) -> Option<String> {
        let raw = self.get(column);
        match leika_key(raw) {
            LeikaKey::Valid(key) => Some(key),
            LeikaKey::Several(first) => {
                let detail = format!("{raw:?} contains several LeiKa keys; kept the first, {first}");
                collector.warn(self.position(Some(column)), Reason::SeveralLeikaKeys, detail);
                Some(first)
            }
            LeikaKey::Empty => {
                collector.warn(self.position(Some(column)), Reason::InvalidLeikaKey, "no LeiKa key");
                None
            }
            LeikaKey::Invalid => {
                let detail = format!("{raw:?} is not a 14-digit LeiKa key; left out");
                collector.warn(self.position(Some(column)), Reason::InvalidLeikaKey, detail);
                None
            }
        }
    }

    /// Returns the cleaned text of `column` as a one-element list, or an empty list.
    fn single(&self, column: &str) -> Vec<String> {
        let value = clean_text(self.get(column));
        if value.is_empty() {
            Vec::new()
        } else {
            vec![value]
        }
    }
}

fn read_joined(row: &Row<'_>, collector: &mut Collector) -> Option<Service> {
    let name = row.name("leistung", collector)?;
    let leika = row.leika("leistungsschluessel", collector);
    let id = match &leika {
        Some(key) => unique_id(key, row, collector),
        None => format!("record-{}", row.number),
    };
    let mut keywords = row.single("ozg_leistung");
    keywords.retain(|keyword| keyword.to_lowercase() != name.to_lowercase());
    Some(Service {
        id,
        name,
        leika,
        keywords,
        lebenslagen: row.single("lebenslage"),
        themenfelder: row.single("themenfeld"),
        ..Service::default()
    })
}

/// Returns `key`, or `key-2`, `key-3`, … when an earlier row took it.
fn unique_id(key: &str, row: &Row<'_>, collector: &mut Collector) -> String {
    if !collector.is_taken(key) {
        return key.to_owned();
    }
    let mut suffix = 2;
    let id = loop {
        let candidate = format!("{key}-{suffix}");
        if !collector.is_taken(&candidate) {
            break candidate;
        }
        suffix += 1;
    };
    let detail = format!("LeiKa key {key} was used by an earlier record; id {id}");
    collector.warn(row.position(Some("leistungsschluessel")), Reason::IdRenamed, detail);
    id
}

fn read_table(row: &Row<'_>, base: Option<&url::Url>, collector: &mut Collector) -> Option<Service> {
    let id = clean_text(row.get("id"));
    if id.is_empty() {
        collector.skip(row.position(Some("id")), Reason::MissingId, "missing or empty id; record skipped");
        return None;
    }
    let name = row.name("name", collector)?;
    let hidden = row.get("hidden").trim();
    if hidden == "1" || hidden.eq_ignore_ascii_case("true") {
        collector.skip(row.position(Some("hidden")), Reason::Hidden, "marked as hidden; record skipped");
        return None;
    }
    let leika = row.leika("service_key", collector);

    let reduced = html::reduce(row.get("description"), base);
    for dropped in reduced.dropped_links {
        let detail = format!("link {:?}: {}; text kept", dropped.href, dropped.problem);
        collector.warn(row.position(Some("description")), Reason::LinkDropped, detail);
    }

    let modified = row.get("modified_at");
    let updated = iso_date(modified);
    if updated.is_none() && !modified.trim().is_empty() {
        let detail = format!("{modified:?} is not an ISO 8601 date; left out");
        collector.warn(row.position(Some("modified_at")), Reason::InvalidDate, detail);
    }

    Some(Service { id, name, leika, description: reduced.blocks, updated, ..Service::default() })
}

fn ozg_nrw_source() -> Source {
    Source {
        name: Some("OZG-Datenbank NRW, (c) 2020 Gert Hammes".to_owned()),
        url: Some("https://github.com/kdn-nrw/OZG-Datenbank-NRW".to_owned()),
        licence: Some("MIT".to_owned()),
        licence_url: Some("https://opensource.org/license/mit".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_comes_from_header_line() {
        assert_eq!(sniff_delimiter("id,name,service_key\n"), b',');
        assert_eq!(sniff_delimiter("id;name;service_key\n1;a,b;c"), b';');
        assert_eq!(sniff_delimiter("id\tname\tservice_key"), b'\t');
        assert_eq!(sniff_delimiter(""), b',');
    }

    #[test]
    fn shape_comes_from_header() {
        assert_eq!(shape_of_header(["leistungsschluessel", "leistung", "lebenslage"]), Some(Shape::Joined));
        assert_eq!(shape_of_header(["\u{FEFF}ID", " Name ", "service_key"]), Some(Shape::Table));
        assert_eq!(shape_of_header(["id", "name"]), None);
    }
}
