//! Importers that turn real service catalogues into an ogkit [`Catalogue`].
//!
//! Two source formats are read:
//!
//! - [`dldb`]: the JSON export of a DLDB service database, as published by
//!   Munich and Berlin (`{"data": [ {service}, … ]}`).
//! - [`leika_csv`]: OZG/LeiKa catalogues as CSV, either the LeiKa table or
//!   the LeiKa table joined with OZG service, Lebenslage and Themenfeld.
//!
//! Every reader takes the raw bytes of a file and returns an [`Import`]: the
//! catalogue and a [`Report`] of what happened to each record. A record that
//! cannot become a service is skipped: no id, no name, a repeated id, or a
//! record of the wrong type. A field that cannot be used (an invalid URL, a
//! malformed LeiKa key) is left out with a warning, and the record is kept.
//! Both carry the record's [`Position`] so an editor can find it. Input that
//! is not the expected format at all (an HTML page, an empty file, JSON of
//! another shape, a JSON file that is not UTF-8) fails as a whole with an
//! [`ImportError`] that says what was expected. A CSV file that is not
//! UTF-8 is read as Windows-1252 with a warning, because German Excel
//! saves "CSV" that way.
//!
//! Descriptions arrive as HTML written in other systems. [`html::reduce`]
//! parses it with html5ever and keeps only the structure that
//! [`crate::richtext`] can hold, so no HTML string reaches the catalogue.
//!
//! ```
//! let json = br#"{"data": [{"id": "1", "name": "Personalausweis",
//!     "description": "<p>Bitte <strong>rechtzeitig</strong> beantragen.</p>"}]}"#;
//! let import = ogkit_core::import::dldb::read(json)?;
//! assert_eq!(import.report.imported, 1);
//! assert_eq!(import.catalogue.services[0].name, "Personalausweis");
//! # Ok::<(), ogkit_core::import::ImportError>(())
//! ```

use std::collections::HashMap;
use std::fmt;

use crate::catalogue::Service;

pub mod dldb;
pub mod html;
pub mod leika_csv;

pub use crate::catalogue::Catalogue;

/// The result of reading one source file.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// The services that could be read, in source order.
    pub catalogue: Catalogue,
    /// Counts of read, imported, skipped and changed records, with positions.
    pub report: Report,
}

/// Account of what an importer did with each record of its input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Number of records found in the input.
    pub read: usize,
    /// Number of services written to the catalogue.
    pub imported: usize,
    /// Records that were left out, one entry per record.
    pub skipped: Vec<Issue>,
    /// Fields that were left out or changed in records that were kept.
    pub warnings: Vec<Issue>,
}

impl Report {
    /// Groups `issues` by reason, in the order each reason first occurs.
    pub fn group_by_reason(issues: &[Issue]) -> Vec<(Reason, Vec<&Issue>)> {
        let mut groups: Vec<(Reason, Vec<&Issue>)> = Vec::new();
        for issue in issues {
            match groups.iter_mut().find(|(reason, _)| *reason == issue.reason) {
                Some((_, members)) => members.push(issue),
                None => groups.push((issue.reason, vec![issue])),
            }
        }
        groups
    }
}

/// One problem with one record or field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Place of the problem in the input.
    pub position: Position,
    /// The kind of problem, for grouping in a summary.
    pub reason: Reason,
    /// Exact problem, e.g. the offending value.
    pub detail: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.position, self.detail)
    }
}

/// A place in the input.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Position {
    /// A JSON path such as `data[17].meta.keywords`.
    Json(String),
    /// A CSV record: `record` counts data records from 1 (the header is not
    /// counted), `line` is the line in the file where the record starts.
    Csv {
        /// Number of the data record, from 1.
        record: u64,
        /// Line in the file where the record starts, from 1.
        line: u64,
        /// Column name, when the problem is in one field.
        column: Option<String>,
    },
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Json(path) => f.write_str(path),
            Position::Csv { record, line, column: None } => write!(f, "record {record} (line {line})"),
            Position::Csv { record, line, column: Some(column) } => {
                write!(f, "record {record} (line {line}), column \"{column}\"")
            }
        }
    }
}

/// Kinds of problems that a [`Report`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Reason {
    /// The record has no id, or an empty one.
    MissingId,
    /// The record has no name, or an empty one.
    MissingName,
    /// An earlier record has the same id.
    DuplicateId,
    /// A record or field has the wrong JSON type.
    WrongType,
    /// A CSV record has more or fewer fields than the header.
    WrongFieldCount,
    /// The source marks the record as hidden.
    Hidden,
    /// A URL is not an absolute http(s) URL; it was left out.
    InvalidUrl,
    /// A link in rich text points somewhere unsafe or unresolvable; its text was kept.
    LinkDropped,
    /// A LeiKa key is not 14 digits; it was left out of `leika`.
    InvalidLeikaKey,
    /// A field contains several LeiKa keys, and the first was kept.
    SeveralLeikaKeys,
    /// A date is not ISO 8601; it was left out.
    InvalidDate,
    /// An id was repeated and made unique with a suffix.
    IdRenamed,
    /// The file is not UTF-8 and was read as Windows-1252.
    EncodingGuessed,
}

impl Reason {
    /// Returns a short description for summaries, e.g. "missing name".
    pub fn describe(self) -> &'static str {
        match self {
            Reason::MissingId => "missing id",
            Reason::MissingName => "missing name",
            Reason::DuplicateId => "duplicate id",
            Reason::WrongType => "wrong type",
            Reason::WrongFieldCount => "wrong number of fields",
            Reason::Hidden => "marked as hidden",
            Reason::InvalidUrl => "invalid URL left out",
            Reason::LinkDropped => "link removed from rich text, text kept",
            Reason::InvalidLeikaKey => "invalid LeiKa key left out",
            Reason::SeveralLeikaKeys => "several LeiKa keys, first kept",
            Reason::InvalidDate => "invalid date left out",
            Reason::IdRenamed => "repeated id made unique",
            Reason::EncodingGuessed => "not UTF-8, read as Windows-1252",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// Input that cannot be read as the expected format at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The input has no content.
    #[error("input is empty: expected {expected}")]
    Empty {
        /// The format that was expected.
        expected: &'static str,
    },
    /// The input is not UTF-8.
    #[error(
        "input is not UTF-8: invalid byte 0x{byte:02X} at line {line}, column {column}. \
         Expected {expected}, encoded as UTF-8; convert the file first, \
         e.g. with `iconv -f WINDOWS-1252 -t UTF-8 INPUT > OUTPUT`"
    )]
    NotUtf8 {
        /// The format that was expected.
        expected: &'static str,
        /// The first invalid byte.
        byte: u8,
        /// Line of that byte, from 1.
        line: usize,
        /// Column (in bytes) of that byte, from 1.
        column: usize,
    },
    /// The input is UTF-16 (it starts with a UTF-16 byte order mark).
    #[error("input is UTF-16: expected {expected}, encoded as UTF-8; save the file as UTF-8 first")]
    Utf16 {
        /// The format that was expected.
        expected: &'static str,
    },
    /// The input looks like an HTML or XML page, e.g. an error page saved by mistake.
    #[error("input looks like an HTML or XML page, not {expected}")]
    LooksLikeHtml {
        /// The format that was expected.
        expected: &'static str,
    },
    /// The input is not valid JSON.
    #[error("input is not valid JSON (line {line}, column {column}: {message}): expected {expected}")]
    InvalidJson {
        /// The format that was expected.
        expected: &'static str,
        /// Line of the syntax error, from 1.
        line: usize,
        /// Column of the syntax error, from 1.
        column: usize,
        /// The JSON parser's description of the error.
        message: String,
    },
    /// The input is JSON, but not of the expected shape.
    #[error("{path}: expected {expected}, found {found}")]
    WrongShape {
        /// JSON path of the offending value (`$` is the whole document).
        path: String,
        /// Expected value.
        expected: &'static str,
        /// Value found instead.
        found: String,
    },
    /// A CSV file whose header matches none of the known shapes.
    #[error("unknown CSV header {found:?}: expected {expected}")]
    UnknownCsvHeader {
        /// The column names that were found.
        found: Vec<String>,
        /// Description of the accepted headers.
        expected: &'static str,
    },
    /// The input looks like JSON where CSV was expected.
    #[error("input looks like JSON, not CSV: expected {expected}. A DLDB export needs the DLDB importer")]
    JsonNotCsv {
        /// The format that was expected.
        expected: &'static str,
    },
    /// The base URL given in [`Options`] is not an absolute http(s) URL.
    #[error("invalid base URL: {0}")]
    InvalidBaseUrl(String),
    /// The CSV reader failed, e.g. on an unterminated quote.
    #[error("line {line}: invalid CSV: {message}")]
    InvalidCsv {
        /// Line where the reader failed, from 1.
        line: u64,
        /// The CSV reader's description of the error.
        message: String,
    },
}

/// Settings that apply to every reader.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Absolute http(s) URL against which relative links in descriptions
    /// are resolved. Without it, relative links keep their text only.
    pub base_url: Option<String>,
}

impl Options {
    fn base(&self) -> Result<Option<url::Url>, ImportError> {
        let Some(raw) = &self.base_url else { return Ok(None) };
        let checked = check_url(raw).map_err(ImportError::InvalidBaseUrl)?;
        url::Url::parse(&checked).map(Some).map_err(|error| ImportError::InvalidBaseUrl(error.to_string()))
    }
}

/// Checks that `bytes` is non-empty UTF-8 text and returns it without a
/// leading byte order mark.
fn decode_text<'a>(bytes: &'a [u8], expected: &'static str) -> Result<&'a str, ImportError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ImportError::Utf16 { expected });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let offset = error.valid_up_to();
            let before = &bytes[..offset];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            return Err(ImportError::NotUtf8 {
                expected,
                byte: bytes.get(offset).copied().unwrap_or(0),
                line,
                column: offset - line_start + 1,
            });
        }
    };
    let content = text.trim_start();
    if content.is_empty() {
        return Err(ImportError::Empty { expected });
    }
    if content.starts_with('<') {
        return Err(ImportError::LooksLikeHtml { expected });
    }
    Ok(text)
}

/// Collapses runs of whitespace into one space, removes invisible
/// characters (see [`html::is_invisible`]) and trims the ends.
fn clean_text(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let word: String = word.chars().filter(|&c| !html::is_invisible(c)).collect();
        if word.is_empty() {
            continue;
        }
        if !output.is_empty() {
            output.push(' ');
        }
        output.push_str(&word);
    }
    output
}

/// Returns true when `key` is a LeiKa key: exactly 14 ASCII digits.
fn is_leika_key(key: &str) -> bool {
    key.len() == 14 && key.bytes().all(|b| b.is_ascii_digit())
}

/// Content of a LeiKa key field.
#[derive(Debug, PartialEq, Eq)]
enum LeikaKey {
    Empty,
    Valid(String),
    /// Several valid keys separated by commas, semicolons or spaces; the first.
    Several(String),
    Invalid,
}

fn leika_key(raw: &str) -> LeikaKey {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return LeikaKey::Empty;
    }
    if is_leika_key(trimmed) {
        return LeikaKey::Valid(trimmed.to_owned());
    }
    let parts: Vec<&str> =
        trimmed.split(|c: char| c == ',' || c == ';' || c.is_whitespace()).filter(|part| !part.is_empty()).collect();
    match parts.first() {
        Some(first) if parts.len() > 1 && parts.iter().all(|part| is_leika_key(part)) => {
            LeikaKey::Several((*first).to_owned())
        }
        _ => LeikaKey::Invalid,
    }
}

/// Returns `raw` as an ISO 8601 date or date and time (`2026-06-08` or
/// `2026-06-08T07:41:01`), accepting a space instead of the `T`.
fn iso_date(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let bytes = trimmed.as_bytes();
    let is_digit = |index: usize| bytes.get(index).is_some_and(u8::is_ascii_digit);
    let date_ok = bytes.len() >= 10
        && (0..4).all(is_digit)
        && bytes[4] == b'-'
        && (5..7).all(is_digit)
        && bytes[7] == b'-'
        && (8..10).all(is_digit);
    if !date_ok {
        return None;
    }
    let month = &trimmed[5..7];
    let day = &trimmed[8..10];
    if !("01"..="12").contains(&month) || !("01"..="31").contains(&day) {
        return None;
    }
    match bytes.get(10) {
        None => Some(trimmed.to_owned()),
        Some(b'T' | b' ') => {
            let time = &trimmed[11..];
            let time_ok =
                time.len() >= 5 && time.chars().all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | '+' | '-' | 'Z'));
            time_ok.then(|| format!("{}T{time}", &trimmed[..10]))
        }
        Some(_) => None,
    }
}

/// Checks a URL from a data field: it must be an absolute http(s) URL with
/// a host. Returns the URL as a browser serialises it (`https://muenchen.de`
/// becomes `https://muenchen.de/`), or what is wrong with it.
pub fn check_url(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim();
    match url::Url::parse(trimmed) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => Ok(parsed.to_string()),
        Ok(parsed) => Err(format!("{trimmed:?} has scheme \"{}\", expected http or https", parsed.scheme())),
        Err(error) => Err(format!("{trimmed:?} is not an absolute URL ({error})")),
    }
}

/// Collects services, rejecting repeated ids and counting what was read.
struct Collector {
    services: Vec<Service>,
    first_seen: HashMap<String, Position>,
    report: Report,
}

impl Collector {
    fn new() -> Self {
        Collector { services: Vec::new(), first_seen: HashMap::new(), report: Report::default() }
    }

    fn skip(&mut self, position: Position, reason: Reason, detail: impl Into<String>) {
        self.report.skipped.push(Issue { position, reason, detail: detail.into() });
    }

    fn warn(&mut self, position: Position, reason: Reason, detail: impl Into<String>) {
        self.report.warnings.push(Issue { position, reason, detail: detail.into() });
    }

    fn is_taken(&self, id: &str) -> bool {
        self.first_seen.contains_key(id)
    }

    /// Adds `service` unless its id was taken by an earlier record.
    fn add(&mut self, position: Position, service: Service) {
        if let Some(first) = self.first_seen.get(&service.id) {
            let detail = format!("id {:?} was already used at {first}; record skipped", service.id);
            self.skip(position, Reason::DuplicateId, detail);
            return;
        }
        self.first_seen.insert(service.id.clone(), position);
        self.services.push(service);
    }

    fn finish(mut self, title: Option<String>, source: Option<crate::catalogue::Source>) -> Import {
        self.report.imported = self.services.len();
        let catalogue = Catalogue {
            format: crate::catalogue::FORMAT.to_owned(),
            version: crate::catalogue::VERSION,
            title,
            source,
            services: self.services,
            synonyms: Vec::new(),
        };
        Import { catalogue, report: self.report }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_collapses_and_drops_invisible() {
        assert_eq!(clean_text("  Finanz &\u{200B} \n Verkauf\u{FEFF} "), "Finanz & Verkauf");
        assert_eq!(clean_text("\u{200B}"), "");
    }

    #[test]
    fn leika_key_needs_14_digits() {
        assert!(is_leika_key("99050012104000"));
        for key in ["", "3233", "25323525", "nicht im LeiKa", "9905001210400x", "990500121040001"] {
            assert!(!is_leika_key(key), "accepted {key:?}");
        }
    }

    #[test]
    fn leika_key_reads_lists_and_leftovers() {
        assert_eq!(leika_key(" 99050012104000 "), LeikaKey::Valid("99050012104000".into()));
        assert_eq!(leika_key(""), LeikaKey::Empty);
        assert_eq!(leika_key("99036008007003, 99036008007004"), LeikaKey::Several("99036008007003".into()));
        assert_eq!(leika_key("nicht im LeiKa"), LeikaKey::Invalid);
        assert_eq!(leika_key("99036008007003, 3233"), LeikaKey::Invalid);
    }

    #[test]
    fn iso_date_accepts_date_and_time() {
        assert_eq!(iso_date("2026-06-08T07:41:01").as_deref(), Some("2026-06-08T07:41:01"));
        assert_eq!(iso_date("2019-12-19 16:16:17").as_deref(), Some("2019-12-19T16:16:17"));
        assert_eq!(iso_date("2019-12-19").as_deref(), Some("2019-12-19"));
        for raw in ["", "08.06.2026", "2026-13-01", "2026-06-08X", "2026-06-08T", "2026-6-8", "heute"] {
            assert_eq!(iso_date(raw), None, "accepted {raw:?}");
        }
    }

    #[test]
    fn check_url_accepts_http_only() {
        assert_eq!(check_url(" https://muenchen.de ").as_deref(), Ok("https://muenchen.de/"));
        assert!(check_url("mailto:a@b.de").is_err());
        assert!(check_url("javascript:alert(1)").is_err());
        assert!(check_url("/relative").is_err());
        assert!(check_url("https://").is_err());
    }

    #[test]
    fn decode_text_rejects_non_utf8() {
        let error = decode_text(b"id,name\n1,Gr\xFC\xDFe\n", "CSV").unwrap_err();
        assert_eq!(error, ImportError::NotUtf8 { expected: "CSV", byte: 0xFC, line: 2, column: 5 });
    }

    #[test]
    fn decode_text_rejects_empty_and_html() {
        assert_eq!(decode_text(b" \n", "CSV"), Err(ImportError::Empty { expected: "CSV" }));
        assert_eq!(decode_text(b"\xEF\xBB\xBF", "CSV"), Err(ImportError::Empty { expected: "CSV" }));
        assert_eq!(
            decode_text(b"<!DOCTYPE html><title>404</title>", "CSV"),
            Err(ImportError::LooksLikeHtml { expected: "CSV" })
        );
        assert_eq!(decode_text(b"\xFF\xFEi\0d\0", "CSV"), Err(ImportError::Utf16 { expected: "CSV" }));
    }
}
