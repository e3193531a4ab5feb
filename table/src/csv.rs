//! Reading CSV files as published by German cities and statistics offices.
//!
//! How it works, and what to re-check after a change:
//!
//! 1. Bytes go through the [`Decoder`] (BOM, UTF-8 or Windows-1252).
//! 2. Until the delimiter is known, decoded text collects in a sample. The
//!    sample is the first [`SAMPLE_BYTES`] of decoded text (or all of it),
//!    cut at the same place however the input was chunked, so detection
//!    gives the same result for whole and streamed input.
//! 3. `csv-core` splits the text into records. It treats CR, LF and CRLF
//!    each as one record end, keeps line breaks inside quotes, skips empty
//!    lines and never returns an error. A small mirror of its quote states
//!    ([`QuoteTracker`]) runs over the same bytes to count lines and to
//!    notice a quote that is still open at the end, which `csv-core`
//!    would silently accept.
//! 4. The first [`HEAD_RECORDS`] records wait until the header is chosen
//!    (title lines above it are skipped), then every record becomes a row.
//!
//! The chunk tests in `core/tests/table_chunks.rs` split files at every
//! byte offset and must give the same rows as whole-file reading.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder, Terminator};

use super::decode::{Decoder, Encoding, LineCounter};
use super::infer::{is_blank, parse_date, parse_number};
use super::message::{Issue, IssueKey, Severity};
use super::typing::Typing;
use super::{unique_names, Loaded, RawTable, Table};
use crate::infer::Notation;

/// Delimiters that detection chooses from, in the order that wins a tie.
pub const DELIMITERS: [u8; 4] = [b';', b'\t', b',', b'|'];

/// Bytes of decoded text that delimiter detection looks at.
const SAMPLE_BYTES: usize = 64 * 1024;

/// Lines of the sample that delimiter detection looks at.
const SAMPLE_LINES: usize = 200;

/// Records read before the header row is chosen.
const HEAD_RECORDS: usize = 30;

/// Issues of one kind listed one by one; more are only counted.
const MAX_ISSUES_PER_KIND: usize = 100;

/// Position of the row with the column names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeaderMode {
    /// The first record that is not a title or note line.
    #[default]
    Detect,
    /// The record that starts on this 1-based line of the file; records
    /// above it are skipped.
    Line(u64),
    /// The file has no header; columns are called `Spalte 1`, `Spalte 2` …
    /// and the first record is data.
    Absent,
}

/// Settings for reading CSV; everything left `None` is detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CsvOptions {
    /// Encoding from the HTTP charset or the `encoding` attribute.
    pub encoding: Option<Encoding>,
    /// Field delimiter, e.g. `b';'`.
    pub delimiter: Option<u8>,
    /// Position of the header row.
    pub header: HeaderMode,
}

/// Reads a whole CSV file.
///
/// ```
/// use ogkit_table::{read_csv, CsvOptions, Value};
///
/// let loaded = read_csv(b"Stadtteil;Einwohner\nAltstadt;12.400\n", &CsvOptions::default());
/// assert_eq!(loaded.table.column_names(), ["Stadtteil", "Einwohner"]);
/// assert_eq!(loaded.table.value(0, 1), Value::Number(12400.0));
/// ```
pub fn read_csv(bytes: &[u8], options: &CsvOptions) -> Loaded {
    let mut reader = CsvReader::new(*options);
    reader.push(bytes);
    reader.finish()
}

/// Reads CSV chunk by chunk; a chunk may end anywhere, even inside a
/// character or between CR and LF.
#[derive(Debug, Clone)]
pub struct CsvReader {
    options: CsvOptions,
    decoder: Decoder,
    /// Decoded text not yet given to the CSV parser (the sample).
    text: String,
    parser: Option<Parser>,
    /// True once [`CsvReader::push_text`] was called.
    text_given: bool,
    /// True once [`CsvReader::push_text`] received a non-empty chunk.
    text_started: bool,
}

impl CsvReader {
    /// Creates a reader with the given settings.
    pub fn new(options: CsvOptions) -> CsvReader {
        CsvReader {
            options,
            decoder: Decoder::new(options.encoding),
            text: String::new(),
            parser: None,
            text_given: false,
            text_started: false,
        }
    }

    /// Reads the next chunk of the file.
    pub fn push(&mut self, bytes: &[u8]) {
        self.decoder.decode(bytes, &mut self.text);
        self.feed(false);
    }

    /// Reads the next chunk of text that the caller decoded itself (the
    /// browser's `TextDecoder`, say). A byte-order mark at the very start is
    /// dropped. Use either this or [`CsvReader::push`] for one file, not
    /// both. [`Loaded::encoding`] then stays `None`.
    pub fn push_text(&mut self, text: &str) {
        self.text_given = true;
        let text = if self.text_started {
            text
        } else {
            text.strip_prefix('\u{FEFF}').unwrap_or(text)
        };
        if !text.is_empty() {
            self.text_started = true;
        }
        self.text.push_str(text);
        self.feed(false);
    }

    /// Returns the number of data rows read so far (0 while the header is
    /// still being chosen).
    pub fn rows_read(&self) -> usize {
        self.parser
            .as_ref()
            .map_or(0, |parser| parser.raw.as_ref().map_or(0, |raw| raw.rows))
    }

    /// Returns a typed table of the rows read so far, so the first rows can
    /// be shown while the rest still loads. Returns `None` while the header
    /// is still being chosen. Column types may change once all rows are in.
    /// Each call copies every row read, so call it once or twice, not per
    /// chunk.
    pub fn preview(&self) -> Option<Table> {
        let parser = self.parser.as_ref()?;
        let raw = parser.raw.as_ref()?;
        Some(raw.clone().into_table(fallback_notation(parser.delimiter)))
    }

    /// Reads the end of the file and returns the typed table.
    pub fn finish(self) -> Loaded {
        self.finish_in_steps().finish()
    }

    /// Reads the end of the file and returns the table with its columns
    /// still to be typed, so that a caller on a browser's main thread can
    /// type them in steps ([`Typing::step`]) and keep the page responsive.
    pub fn finish_in_steps(mut self) -> Typing {
        self.decoder.finish(&mut self.text);
        self.feed(true);
        let mut issues = self.decoder.take_issues();
        let encoding = if self.text_given {
            None
        } else {
            self.decoder.encoding().or(Some(Encoding::Utf8))
        };

        let Some(mut parser) = self.parser.take() else {
            issues.push(Issue::new(Severity::Error, IssueKey::EmptyInput));
            return Typing::new(Loaded::failed(issues, encoding, None), None, Notation::German);
        };
        parser.end();
        issues.append(&mut parser.issues);
        parser.append_truncation_notes(&mut issues);

        let delimiter = parser.delimiter;
        let Some(raw) = parser.raw.take() else {
            issues.push(Issue::new(Severity::Error, IssueKey::EmptyInput));
            return Typing::new(Loaded::failed(issues, encoding, Some(delimiter)), None, Notation::German);
        };
        let loaded = Loaded {
            table: Table::default(),
            issues,
            complete: parser.complete,
            encoding,
            delimiter: Some(delimiter),
            header_line: parser.header_line,
        };
        Typing::new(loaded, Some(raw), fallback_notation(delimiter))
    }

    fn feed(&mut self, last: bool) {
        if self.parser.is_none() {
            let delimiter = match self.options.delimiter {
                Some(delimiter) => delimiter,
                None if self.text.len() >= SAMPLE_BYTES || last => {
                    if last && is_blank(&self.text) {
                        return;
                    }
                    if let Some((delimiter, length)) = separator_hint(&self.text) {
                        self.text.drain(..length);
                        let mut parser = Parser::new(delimiter, self.options.header);
                        parser.tracker.lines.line = 2;
                        self.parser = Some(parser);
                        self.feed(last);
                        return;
                    }
                    let mut cut = SAMPLE_BYTES.min(self.text.len());
                    while !self.text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    detect_delimiter(&self.text[..cut])
                }
                None => return,
            };
            self.parser = Some(Parser::new(delimiter, self.options.header));
        }
        if let Some(parser) = &mut self.parser {
            parser.read(self.text.as_bytes());
            self.text.clear();
        }
    }
}

/// Returns the delimiter named by an Excel `sep=;` first line and the
/// length of that line with its line break. Excel writes the line on
/// request and reads it back as the delimiter.
fn separator_hint(text: &str) -> Option<(u8, usize)> {
    let bytes = text.as_bytes();
    let prefix = bytes.get(..4)?;
    if !prefix.eq_ignore_ascii_case(b"sep=") {
        return None;
    }
    let delimiter = *bytes.get(4)?;
    if !delimiter.is_ascii() || delimiter == b'\r' || delimiter == b'\n' || delimiter == b'"' {
        return None;
    }
    let length = match bytes.get(5..7) {
        Some(b"\r\n") => 7,
        _ => match bytes.get(5) {
            Some(b'\r' | b'\n') => 6,
            None => 5,
            Some(_) => return None,
        },
    };
    Some((delimiter, length))
}

/// Returns the notation for number columns that fit both notations and
/// have no other column to follow. A comma-separated file cannot use the
/// decimal comma unquoted, so it is international. Anything else is German.
fn fallback_notation(delimiter: u8) -> Notation {
    if delimiter == b',' {
        Notation::International
    } else {
        Notation::German
    }
}

/// Quote states of `csv-core` with the default settings (quote `"`,
/// doubled quotes, no escape character), used for line numbers and for
/// finding an unclosed quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    BetweenRecords,
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: it either closes the field or is the
    /// first of a doubled pair.
    QuotedQuote,
}

#[derive(Debug, Clone)]
struct QuoteTracker {
    delimiter: u8,
    state: QuoteState,
    lines: LineCounter,
    record_line: u64,
    quote_line: u64,
}

impl QuoteTracker {
    fn advance(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            // Inside a field, only a few bytes change the state or the line
            // count, so the bytes before the next of them are skipped at once.
            let delimiter = self.delimiter;
            let plain = match self.state {
                QuoteState::Unquoted => {
                    bytes.iter().position(|&b| b == delimiter || b == b'\r' || b == b'\n')
                }
                QuoteState::Quoted => bytes.iter().position(|&b| b == b'"' || b == b'\r' || b == b'\n'),
                _ => Some(0),
            };
            let plain = plain.unwrap_or(bytes.len());
            if plain > 0 {
                self.lines.advance(&bytes[..plain]);
                bytes = &bytes[plain..];
                continue;
            }
            self.step(bytes[0]);
            bytes = &bytes[1..];
        }
    }

    /// Moves the state and the line count over one byte.
    fn step(&mut self, byte: u8) {
        let line_break = byte == b'\r' || byte == b'\n';
        self.state = match self.state {
            QuoteState::BetweenRecords if line_break => QuoteState::BetweenRecords,
            QuoteState::BetweenRecords => {
                self.record_line = self.lines.line;
                self.after_field_start(byte)
            }
            QuoteState::FieldStart | QuoteState::Unquoted | QuoteState::QuotedQuote
                if line_break =>
            {
                QuoteState::BetweenRecords
            }
            QuoteState::FieldStart => self.after_field_start(byte),
            QuoteState::Unquoted if byte == self.delimiter => QuoteState::FieldStart,
            QuoteState::Unquoted => QuoteState::Unquoted,
            QuoteState::Quoted if byte == b'"' => QuoteState::QuotedQuote,
            QuoteState::Quoted => QuoteState::Quoted,
            QuoteState::QuotedQuote if byte == b'"' => QuoteState::Quoted,
            QuoteState::QuotedQuote if byte == self.delimiter => QuoteState::FieldStart,
            QuoteState::QuotedQuote => QuoteState::Unquoted,
        };
        self.lines.step(byte);
    }

    fn after_field_start(&mut self, byte: u8) -> QuoteState {
        if byte == b'"' {
            self.quote_line = self.lines.line;
            QuoteState::Quoted
        } else if byte == self.delimiter {
            QuoteState::FieldStart
        } else {
            QuoteState::Unquoted
        }
    }
}

#[derive(Debug, Clone)]
struct Parser {
    delimiter: u8,
    header: HeaderMode,
    reader: Reader,
    tracker: QuoteTracker,
    output: Vec<u8>,
    output_len: usize,
    ends: Vec<usize>,
    ends_len: usize,
    /// Records waiting for the header decision, with their start lines.
    head: Vec<(u64, Vec<String>)>,
    raw: Option<RawTable>,
    header_line: Option<u64>,
    width: usize,
    complete: bool,
    issues: Vec<Issue>,
    issue_counts: Vec<(IssueKey, usize)>,
}

impl Parser {
    fn new(delimiter: u8, header: HeaderMode) -> Parser {
        let reader = ReaderBuilder::new()
            .delimiter(delimiter)
            .terminator(Terminator::CRLF)
            .build();
        Parser {
            delimiter,
            header,
            reader,
            tracker: QuoteTracker {
                delimiter,
                state: QuoteState::BetweenRecords,
                lines: LineCounter::default(),
                record_line: 1,
                quote_line: 1,
            },
            output: vec![0; 4096],
            output_len: 0,
            ends: vec![0; 64],
            ends_len: 0,
            head: Vec::new(),
            raw: None,
            header_line: None,
            width: 0,
            complete: true,
            issues: Vec::new(),
            issue_counts: Vec::new(),
        }
    }

    /// Parses `input`; an empty `input` means the end of the file.
    fn read(&mut self, input: &[u8]) {
        if input.is_empty() {
            return;
        }
        self.run(input);
    }

    fn end(&mut self) {
        let open_quote = self.tracker.state == QuoteState::Quoted;
        if open_quote {
            // csv-core would return the rest of the file as one field;
            // keep the rows before the quote and report the line where it opened.
            self.complete = false;
            self.issues.push(
                Issue::new(Severity::Error, IssueKey::UnclosedQuote)
                    .at_line(self.tracker.quote_line),
            );
        } else {
            self.run(&[]);
        }
        self.decide_header();
        // "Only the rows before it" would promise rows that do not exist.
        let no_rows = self.raw.as_ref().is_none_or(|raw| raw.rows == 0);
        if open_quote && no_rows {
            if let Some(issue) = self.issues.iter_mut().find(|issue| issue.key == IssueKey::UnclosedQuote) {
                issue.params.push(("rows", "0".to_owned()));
            }
        }
    }

    fn run(&mut self, input: &[u8]) {
        let mut position = 0;
        loop {
            let (result, read, written, ended) = self.reader.read_record(
                &input[position..],
                &mut self.output[self.output_len..],
                &mut self.ends[self.ends_len..],
            );
            self.tracker.advance(&input[position..position + read]);
            position += read;
            self.output_len += written;
            self.ends_len += ended;
            match result {
                ReadRecordResult::InputEmpty => return,
                ReadRecordResult::OutputFull => {
                    let length = self.output.len() * 2;
                    self.output.resize(length, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let length = self.ends.len() * 2;
                    self.ends.resize(length, 0);
                }
                ReadRecordResult::Record => self.take_record(),
                ReadRecordResult::End => return,
            }
        }
    }

    fn take_record(&mut self) {
        let line = self.tracker.record_line;
        if self.take_record_in_place(line) {
            return;
        }
        let mut fields = Vec::with_capacity(self.ends_len);
        let mut start = 0;
        for &end in &self.ends[..self.ends_len] {
            let bytes = self.output.get(start..end).unwrap_or_default();
            fields.push(String::from_utf8_lossy(bytes).into_owned());
            start = end;
        }
        self.output_len = 0;
        self.ends_len = 0;

        if fields.iter().all(|field| is_blank(field)) {
            return;
        }
        if self.raw.is_some() {
            self.push_row(line, fields);
        } else {
            self.head.push((line, fields));
            // An explicit header line may lie below the first records, so
            // keep collecting until it has been read.
            let header_still_ahead =
                matches!(self.header, HeaderMode::Line(wanted) if line < wanted);
            if self.head.len() >= HEAD_RECORDS && !header_still_ahead {
                self.decide_header();
            }
        }
    }

    /// Stores the record in the table straight from the parser's buffer,
    /// without a `String` per field, and returns true. Returns false and
    /// leaves the record untouched when it needs the general path: while
    /// the header is undecided, for a row of the wrong width (which gets
    /// an issue), or for a field that is not valid UTF-8.
    fn take_record_in_place(&mut self, line: u64) -> bool {
        let Some(raw) = self.raw.as_mut() else { return false };
        if self.ends_len != self.width {
            return false;
        }
        let Some(Ok(text)) = self.output.get(..self.output_len).map(std::str::from_utf8) else {
            return false;
        };
        // The fields lie back to back in `text`. `get` also rejects an end
        // that is not a character boundary.
        let mut fields = Vec::with_capacity(self.width);
        let mut start = 0;
        for &end in &self.ends[..self.ends_len] {
            let Some(field) = text.get(start..end) else { return false };
            fields.push(field);
            start = end;
        }

        if !fields.iter().all(|field| is_blank(field)) {
            raw.push_row(line, fields.iter().copied());
        }
        self.output_len = 0;
        self.ends_len = 0;
        true
    }

    /// Chooses the header from the records read so far and turns the
    /// others into rows. Does nothing once the header is chosen.
    fn decide_header(&mut self) {
        if self.raw.is_some() || self.head.is_empty() {
            return;
        }
        let head = std::mem::take(&mut self.head);

        let header_index = match self.header {
            HeaderMode::Absent => None,
            HeaderMode::Detect => Some(detect_header(&head)),
            HeaderMode::Line(line) => match head.iter().position(|(start, _)| *start == line) {
                Some(index) => Some(index),
                None => {
                    self.issues.push(
                        Issue::new(Severity::Warning, IssueKey::HeaderLineNotFound)
                            .with("requested", line),
                    );
                    Some(detect_header(&head))
                }
            },
        };

        let mut issues = Vec::new();
        let (names, rows) = match header_index {
            Some(index) => {
                let (line, header) = &head[index];
                if index > 0 && self.header == HeaderMode::Detect {
                    issues.push(
                        Issue::new(Severity::Note, IssueKey::TitleLinesSkipped)
                            .at_line(*line)
                            .with("count", index),
                    );
                }
                self.header_line = Some(*line);
                (
                    unique_names(header, Some(*line), &mut issues),
                    &head[index + 1..],
                )
            }
            None => {
                let width = head
                    .iter()
                    .map(|(_, fields)| fields.len())
                    .max()
                    .unwrap_or(0);
                let names = (1..=width)
                    .map(|position| format!("Spalte {position}"))
                    .collect();
                (names, &head[..])
            }
        };
        self.issues.append(&mut issues);
        self.width = names.len();
        self.raw = Some(RawTable::with_names(names));
        for (line, fields) in rows.iter().cloned() {
            self.push_row(line, fields);
        }
    }

    fn push_row(&mut self, line: u64, fields: Vec<String>) {
        let found = fields.len();
        let width = self.width;
        let Some(raw) = self.raw.as_mut() else { return };

        let issue = if found < width {
            Some(
                Issue::new(Severity::Warning, IssueKey::RowTooShort)
                    .with("expected", width)
                    .with("found", found),
            )
        } else if found > width {
            for position in raw.columns.len()..found {
                let base = format!("Spalte {}", position + 1);
                let mut name = base.clone();
                let mut suffix = 2;
                while raw.names.contains(&name) {
                    name = format!("{base} ({suffix})");
                    suffix += 1;
                }
                raw.add_column(name);
            }
            let columns: Vec<String> = raw.names[width..found]
                .iter()
                .map(|name| format!("„{name}“"))
                .collect();
            let values: Vec<String> = fields[width..]
                .iter()
                .map(|value| format!("„{value}“"))
                .collect();
            Some(
                Issue::new(Severity::Warning, IssueKey::RowTooLong)
                    .with("expected", width)
                    .with("found", found)
                    .with("columns", columns.join(", "))
                    .with("values", values.join(", ")),
            )
        } else {
            None
        };
        raw.push_row(line, fields.iter().map(String::as_str));

        if let Some(issue) = issue {
            self.report(issue.at_line(line));
        }
    }

    fn report(&mut self, issue: Issue) {
        let key = issue.key;
        let count = match self
            .issue_counts
            .iter_mut()
            .find(|(counted, _)| *counted == key)
        {
            Some((_, count)) => {
                *count += 1;
                *count
            }
            None => {
                self.issue_counts.push((key, 1));
                1
            }
        };
        if count <= MAX_ISSUES_PER_KIND {
            self.issues.push(issue);
        }
    }

    fn append_truncation_notes(&self, issues: &mut Vec<Issue>) {
        for (key, count) in &self.issue_counts {
            if *count > MAX_ISSUES_PER_KIND {
                issues.push(
                    Issue::new(Severity::Note, IssueKey::IssuesTruncated)
                        .with("key", key.as_str())
                        .with("count", count - MAX_ISSUES_PER_KIND),
                );
            }
        }
    }
}

/// Returns the index of the header among the first records: the first one
/// that is not a title or note line.
///
/// The typical width is the most common number of fields. A leading record
/// with at most a third of that width filled (at least one cell) is a
/// title line, e.g. `Bevölkerung am 31.12.2023;;;`. A file of one column
/// has no title lines.
fn detect_header(head: &[(u64, Vec<String>)]) -> usize {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for (_, fields) in head {
        match counts.iter_mut().find(|(width, _)| *width == fields.len()) {
            Some((_, count)) => *count += 1,
            None => counts.push((fields.len(), 1)),
        }
    }
    let width = counts
        .iter()
        .max_by_key(|(width, count)| (*count, *width))
        .map_or(0, |(width, _)| *width);
    if width < 2 {
        return 0;
    }

    let limit = (width / 3).max(1);
    let is_title =
        |fields: &Vec<String>| fields.iter().filter(|field| !is_blank(field)).count() <= limit;
    let mut index = 0;
    while index + 1 < head.len() && is_title(&head[index].1) {
        index += 1;
    }

    // A header with mostly empty names ("Name;;") also looks like a title
    // line. When the record after the skipped lines reads as data, the
    // first record was the header after all.
    if index > 0 && looks_like_data(&head[index].1) {
        return 0;
    }
    index
}

/// Returns true when most non-empty cells of `fields` are numbers or dates.
fn looks_like_data(fields: &[String]) -> bool {
    let filled: Vec<&String> = fields.iter().filter(|field| !is_blank(field)).collect();
    let typed = filled
        .iter()
        .filter(|field| {
            parse_number(field, Notation::German).is_some()
                || parse_number(field, Notation::International).is_some()
                || parse_date(field).is_some()
        })
        .count();
    typed * 2 > filled.len()
}

/// Returns the delimiter that splits the sample most consistently.
///
/// For each candidate it counts, per line, the delimiters outside quotes.
/// A comma with a digit on both sides is a decimal comma and does not
/// count. The candidate whose most common non-zero count occurs on the
/// most lines wins. A tie goes to the earlier one in [`DELIMITERS`], so
/// `;` and tab win over `,`. A candidate present on fewer than half of the
/// lines from its first occurrence on, or on only one line of more than
/// two, does not count. Without a candidate the result is the first of
/// [`DELIMITERS`] that does not occur at all (so a one-column file stays
/// one column), or `;`.
pub fn detect_delimiter(sample: &str) -> u8 {
    let mut best = (0, None);
    let mut absent = Vec::new();
    for &candidate in &DELIMITERS {
        let mut counts = count_per_line(sample.as_bytes(), candidate);
        let all_lines = counts.len();
        // Title lines above the header often have no delimiter at all.
        let first_present = counts
            .iter()
            .position(|&count| count > 0)
            .unwrap_or(counts.len());
        counts.drain(..first_present);
        let lines = counts.len();
        let mut frequencies: Vec<(usize, usize)> = Vec::new();
        for count in counts.into_iter().filter(|&count| count > 0) {
            match frequencies.iter_mut().find(|(value, _)| *value == count) {
                Some((_, frequency)) => *frequency += 1,
                None => frequencies.push((count, 1)),
            }
        }
        if frequencies.is_empty() {
            absent.push(candidate);
        }

        // A delimiter separates fields on most lines from its first one on.
        // One that occurs on fewer than half of them is punctuation inside
        // a one-column text, and so is one seen on a single line of a file
        // with more than two lines.
        let present: usize = frequencies.iter().map(|(_, frequency)| *frequency).sum();
        if present * 2 < lines || (present == 1 && all_lines > 2) {
            continue;
        }
        let score = frequencies
            .iter()
            .map(|(_, frequency)| *frequency)
            .max()
            .unwrap_or(0);
        if score > best.0 {
            best = (score, Some(candidate));
        }
    }
    best.1.or(absent.first().copied()).unwrap_or(b';')
}

fn count_per_line(sample: &[u8], delimiter: u8) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut count = 0;
    let mut filled = false;
    let mut field_start = true;
    let mut quoted = false;
    let mut index = 0;
    while index < sample.len() && counts.len() < SAMPLE_LINES {
        let byte = sample[index];
        if quoted {
            if byte == b'"' {
                if sample.get(index + 1) == Some(&b'"') {
                    index += 1;
                } else {
                    quoted = false;
                }
            }
        } else if byte == b'\r' || byte == b'\n' {
            if filled {
                counts.push(count);
            }
            count = 0;
            filled = false;
            field_start = true;
        } else if byte == delimiter {
            let decimal_comma = delimiter == b','
                && index > 0
                && sample[index - 1].is_ascii_digit()
                && sample.get(index + 1).is_some_and(u8::is_ascii_digit);
            if !decimal_comma {
                count += 1;
                field_start = true;
            }
            filled = true;
        } else {
            if byte == b'"' && field_start {
                quoted = true;
            }
            if !byte.is_ascii_whitespace() {
                filled = true;
            }
            field_start = false;
        }
        index += 1;
    }
    if filled && counts.len() < SAMPLE_LINES {
        counts.push(count);
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Value;

    #[test]
    fn decimal_commas_do_not_count() {
        assert_eq!(
            detect_delimiter("a\tb\tc\n120,5\t50,3\t2,35\n1,0\t2,0\t3,0\n"),
            b'\t'
        );
    }

    #[test]
    fn tie_goes_to_semicolon() {
        assert_eq!(detect_delimiter("Name;Wert, Einheit\nA;x, y\n"), b';');
    }

    #[test]
    fn one_column_text_with_commas() {
        assert_eq!(detect_delimiter("Hinweis\nBitte, danke\nA\nB\n"), b';');
        assert_eq!(detect_delimiter("Hinweis\nA; B\nC\nD\n"), b'\t');
        assert_eq!(detect_delimiter("Hinweis\nA\nB\nBitte, danke\n"), b';');
    }

    #[test]
    fn quoted_commas_do_not_count() {
        assert_eq!(detect_delimiter("\"a, b, c\";d\n\"e, f, g\";h\n"), b';');
    }

    #[test]
    fn title_lines_are_skipped() {
        let head = numbered_lines(&[
            &["Bevölkerung 2023", "", "", ""],
            &["", "", "", ""],
            &["Gemeinde", "Einwohner", "männlich", "weiblich"],
            &["A", "1", "2", "3"],
        ]);
        assert_eq!(detect_header(&head), 2);
    }

    #[test]
    fn excel_separator_line_is_read() {
        assert_eq!(separator_hint("sep=,\r\nA,B"), Some((b',', 7)));
        assert_eq!(separator_hint("SEP=;\n"), Some((b';', 6)));
        assert_eq!(separator_hint("sep=;x"), None);
        assert_eq!(separator_hint("separator"), None);
    }

    #[test]
    fn header_with_empty_names_is_kept() {
        let head = numbered_lines(&[
            &["Name", "", ""],
            &["Altstadt", "12.400", "3,2"],
            &["Nord", "8.150", "2,7"],
        ]);
        assert_eq!(detect_header(&head), 0);
    }

    #[test]
    fn quote_tracker_skipping_matches_stepping() {
        let alphabet = [b'a', b';', b'"', b'\r', b'\n', 0xC3];
        let mut inputs: Vec<Vec<u8>> = vec![Vec::new()];
        let mut previous: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..6 {
            let next: Vec<Vec<u8>> = previous
                .iter()
                .flat_map(|input| alphabet.iter().map(move |&byte| [input.as_slice(), &[byte]].concat()))
                .collect();
            inputs.extend(next.iter().cloned());
            previous = next;
        }
        let new_tracker = || QuoteTracker {
            delimiter: b';',
            state: QuoteState::BetweenRecords,
            lines: LineCounter::default(),
            record_line: 1,
            quote_line: 1,
        };

        for input in &inputs {
            let mut stepped = new_tracker();
            for &byte in input {
                stepped.step(byte);
            }
            for split in 0..=input.len() {
                let mut skipped = new_tracker();
                skipped.advance(&input[..split]);
                skipped.advance(&input[split..]);
                assert_eq!(skipped.state, stepped.state, "input {input:?}, split {split}");
                assert_eq!(skipped.lines.line, stepped.lines.line, "input {input:?}, split {split}");
                assert_eq!(skipped.record_line, stepped.record_line, "input {input:?}, split {split}");
                assert_eq!(skipped.quote_line, stepped.quote_line, "input {input:?}, split {split}");
                // A following LF counts as a line only when no CR came
                // right before it, so this compares the CR flag.
                let (mut skipped_lines, mut stepped_lines) = (skipped.lines, stepped.lines);
                skipped_lines.step(b'\n');
                stepped_lines.step(b'\n');
                assert_eq!(skipped_lines.line, stepped_lines.line, "input {input:?}, split {split}");
            }
        }
    }

    #[test]
    fn rows_after_header_keep_every_field() {
        // More than HEAD_RECORDS rows, so the later ones are stored straight
        // from the parser's buffer. A blank row, a short row and a long row
        // after them take the general path.
        let mut csv = String::from("Ort;Straße;Betrag\r\n");
        for row in 0..40 {
            csv.push_str(&format!("Süd {row};\"Große; \"\"Gasse\"\"\r\nHof\";1.234,{row:02}\r\n"));
        }
        csv.push_str(";;\r\nÖl;Weg\r\nA;B;3;zu viel\r\n");
        let loaded = read_csv(csv.as_bytes(), &CsvOptions::default());
        let table = &loaded.table;

        assert_eq!(table.row_count(), 42);
        assert_eq!(table.text(39, 0), "Süd 39");
        assert_eq!(table.text(39, 1), "Große; \"Gasse\"\r\nHof");
        assert_eq!(table.value(39, 2), Value::Number(1234.39));
        assert_eq!(table.row_texts(40), ["Öl", "Weg", "", ""]);
        assert_eq!(table.row_texts(41), ["A", "B", "3", "zu viel"]);
        assert_eq!(table.source_line(39), Some(80));
        assert_eq!(loaded.issues_with(IssueKey::RowTooShort).len(), 1);
        assert_eq!(loaded.issues_with(IssueKey::RowTooLong).len(), 1);
    }

    /// Numbers `lines` from 1, as the header detection receives them.
    fn numbered_lines(lines: &[&[&str]]) -> Vec<(u64, Vec<String>)> {
        (1..).zip(lines).map(|(number, fields)| (number, fields.iter().map(|field| field.to_string()).collect())).collect()
    }
}
