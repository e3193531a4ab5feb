//! Open-data tables: reading CSV and JSON files into typed columns, and the
//! operations the `<og-data-table>` widget offers on them.
//!
//! A [`Table`] has named [`Column`]s. Every cell keeps its original text for
//! display and export, and a typed [`Value`] (number, date, yes/no, or
//! missing) for sorting and filtering. Reading never stops at the first
//! problem: [`Loaded`] carries the table, every [`Issue`] found (with line
//! and column), and whether the table is complete.
//!
//! - [`read_csv`] and [`CsvReader`] (chunk by chunk) read CSV with
//!   encoding, delimiter and header detection; see `docs/table.md`.
//! - [`read_json`] reads a list of objects, also inside CKAN responses.
//! - [`ckan`] reads datasets, resources and DataStore pages from a CKAN
//!   portal's Action API.
//! - [`Table::select`] filters and sorts rows by index, [`PageInfo`] does
//!   the paging arithmetic, [`Table::to_csv`] and [`Table::to_json`]
//!   export the current rows.
//!
//! The module does no I/O: the caller fetches bytes (the browser with
//! `fetch`, the server from disk) and hands them over.

pub mod ckan;
mod collate;
mod csv;
mod decode;
mod export;
mod identifier;
mod infer;
mod json;
mod message;
mod sniff;
mod typing;
mod view;

use std::cell::OnceCell;

pub use collate::collation_key;
pub use csv::{detect_delimiter, read_csv, CsvOptions, CsvReader, HeaderMode, DELIMITERS};
pub use decode::{decode_all, windows_1252_char, Decoder, Encoding};
pub use infer::{
    format_number, format_number_fixed, is_blank, is_gap_marker, parse_bool, parse_date,
    parse_number, ColumnType, DateValue, Notation, Value,
};
pub use json::{
    datastore_next_offset, parse_json, read_json, read_json_value, JsonError, JsonValue, MAX_DEPTH,
};
pub use message::{message, Issue, IssueKey, Lang, Severity};
pub use sniff::{sniff_encoding, Sniff};
pub use typing::Typing;
pub use view::{row_count_label, ColumnFilter, Folding, PageInfo, Query, Selection, SortKey};

use infer::Origin;

/// The texts of one column, stored in one buffer so that 100,000 rows do
/// not cost 100,000 allocations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct TextColumn {
    buffer: String,
    ends: Vec<usize>,
}

impl TextColumn {
    fn push(&mut self, text: &str) {
        self.buffer.push_str(text);
        self.ends.push(self.buffer.len());
    }

    /// Returns an empty column with room for the folding of `texts`, which
    /// is rarely longer than the texts. Reserving once saves the copies of a
    /// growing buffer and the memory that they leave behind in WebAssembly.
    fn for_folding(texts: &TextColumn) -> TextColumn {
        TextColumn { buffer: String::with_capacity(texts.buffer.len()), ends: Vec::with_capacity(texts.len()) }
    }

    /// Appends the German folding of `text` as the next row.
    fn push_folded(&mut self, text: &str) {
        ogkit_text::fold_into(text, &mut self.buffer);
        self.ends.push(self.buffer.len());
    }

    fn get(&self, row: usize) -> &str {
        let end = match self.ends.get(row) {
            Some(&end) => end,
            None => return "",
        };
        let start = if row == 0 { 0 } else { self.ends[row - 1] };
        self.buffer.get(start..end).unwrap_or("")
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Returns, per row, whether the row's text contains `needle`.
    ///
    /// Searches the whole buffer in one pass instead of row by row, which
    /// would set up a new substring search for every row. A match that
    /// runs across the end of a row counts for neither row.
    fn rows_containing(&self, needle: &str) -> Vec<bool> {
        if needle.is_empty() {
            return vec![true; self.len()];
        }
        let mut found = vec![false; self.len()];
        let mut row = 0;
        let mut from = 0;
        while let Some(offset) = self.buffer.get(from..).and_then(|rest| rest.find(needle)) {
            let start = from + offset;
            // The row of `start` is the first one that ends after it.
            while row < self.ends.len() && self.ends[row] <= start {
                row += 1;
            }
            let Some(&end) = self.ends.get(row) else { break };
            if start + needle.len() <= end {
                found[row] = true;
                from = end;
                row += 1;
            } else {
                let width = self.buffer[start..].chars().next().map_or(1, char::len_utf8);
                from = start + width;
            }
        }
        found
    }
}

/// One column of a [`Table`].
#[derive(Debug, Clone)]
pub struct Column {
    name: String,
    kind: ColumnType,
    notation: Option<Notation>,
    hidden: bool,
    texts: TextColumn,
    values: Vec<Value>,
    identifier: bool,
    folded: OnceCell<TextColumn>,
}

impl Column {
    /// Returns the column name from the header (made unique, never empty).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Returns the type inferred from all cells.
    pub fn kind(&self) -> ColumnType {
        self.kind
    }

    /// Returns how the numbers are written, for number columns.
    pub fn notation(&self) -> Option<Notation> {
        self.notation
    }

    /// Returns true for internal columns that the widget does not show,
    /// such as CKAN's `_id`.
    pub fn is_hidden(&self) -> bool {
        self.hidden
    }

    /// Returns true for a whole-number column of years, postcodes or other
    /// numbers that name something: shown as written, without digit
    /// grouping, and never summed in a chart.
    pub fn is_identifier(&self) -> bool {
        self.identifier
    }

    /// Returns the original text of the cell in `row`.
    pub fn text(&self, row: usize) -> &str {
        self.texts.get(row)
    }

    /// Returns the typed value of the cell in `row`.
    pub fn value(&self, row: usize) -> Value {
        self.values.get(row).copied().unwrap_or(Value::Missing)
    }

    /// Returns the folded text of the cell in `row`, as used by search and
    /// the contains filter. The whole column is folded on first use.
    fn folded(&self, row: usize) -> &str {
        self.folded_texts().get(row)
    }

    /// Returns the folded texts of the whole column, folding it on first use.
    fn folded_texts(&self) -> &TextColumn {
        self.folded
            .get_or_init(|| {
                let mut folded = TextColumn::for_folding(&self.texts);
                for row in 0..self.texts.len() {
                    folded.push_folded(self.texts.get(row));
                }
                folded
            })
    }
}

impl PartialEq for Column {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.kind == other.kind
            && self.notation == other.notation
            && self.hidden == other.hidden
            && self.texts == other.texts
            && self.values == other.values
            && self.identifier == other.identifier
    }
}

/// A typed table: columns of equal length, one entry per data row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    columns: Vec<Column>,
    lines: Vec<u64>,
    rows: usize,
}

impl Table {
    /// Returns the columns in file order, hidden ones included.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Returns the column at `index`.
    pub fn column(&self, index: usize) -> Option<&Column> {
        self.columns.get(index)
    }

    /// Returns the index of the column called `name` (exact match).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|column| column.name == name)
    }

    /// Returns the names of all columns in file order.
    pub fn column_names(&self) -> Vec<&str> {
        self.columns
            .iter()
            .map(|column| column.name.as_str())
            .collect()
    }

    /// Returns the number of data rows.
    pub fn row_count(&self) -> usize {
        self.rows
    }

    /// Returns the original text in `row` and `column`, or `""` outside the
    /// table.
    pub fn text(&self, row: usize, column: usize) -> &str {
        self.columns
            .get(column)
            .map_or("", |column| column.text(row))
    }

    /// Returns the typed value in `row` and `column`.
    pub fn value(&self, row: usize, column: usize) -> Value {
        self.columns
            .get(column)
            .map_or(Value::Missing, |column| column.value(row))
    }

    /// Returns the original texts of one row, hidden columns included.
    pub fn row_texts(&self, row: usize) -> Vec<&str> {
        self.columns.iter().map(|column| column.text(row)).collect()
    }

    /// Returns the 1-based line in the source where `row` starts (for JSON,
    /// the 1-based position in the list of records).
    pub fn source_line(&self, row: usize) -> Option<u64> {
        self.lines.get(row).copied()
    }
}

/// The result of reading a file: the table and what was noticed on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The rows that could be read.
    pub table: Table,
    /// Notes, warnings and errors, in the order they were found.
    pub issues: Vec<Issue>,
    /// False when reading stopped early (for example at an unclosed quote)
    /// or failed. The widget must then tell the user that the table is incomplete.
    pub complete: bool,
    /// The encoding used for CSV input.
    pub encoding: Option<Encoding>,
    /// The field delimiter used for CSV input.
    pub delimiter: Option<u8>,
    /// The 1-based line of the header row, for CSV input with a header.
    pub header_line: Option<u64>,
}

impl Loaded {
    /// Returns true when an issue of severity [`Severity::Error`] occurred.
    pub fn has_errors(&self) -> bool {
        self.issues
            .iter()
            .any(|issue| issue.severity == Severity::Error)
    }

    /// Returns the issues with `key`.
    pub fn issues_with(&self, key: IssueKey) -> Vec<&Issue> {
        self.issues
            .iter()
            .filter(|issue| issue.key == key)
            .collect()
    }

    fn failed(issues: Vec<Issue>, encoding: Option<Encoding>, delimiter: Option<u8>) -> Loaded {
        Loaded {
            table: Table::default(),
            issues,
            complete: false,
            encoding,
            delimiter,
            header_line: None,
        }
    }
}

/// Cells collected row by row before the columns are typed.
#[derive(Debug, Clone, Default)]
struct RawTable {
    names: Vec<String>,
    hidden: Vec<bool>,
    columns: Vec<TextColumn>,
    origins: Vec<Vec<Origin>>,
    lines: Vec<u64>,
    rows: usize,
}

impl RawTable {
    fn with_names(names: Vec<String>) -> RawTable {
        let count = names.len();
        RawTable {
            hidden: vec![false; count],
            columns: vec![TextColumn::default(); count],
            origins: vec![Vec::new(); count],
            names,
            ..RawTable::default()
        }
    }

    /// Adds a column that is empty in every row read so far.
    fn add_column(&mut self, name: String) -> usize {
        let mut texts = TextColumn::default();
        for _ in 0..self.rows {
            texts.push("");
        }
        self.names.push(name);
        self.hidden.push(false);
        self.columns.push(texts);
        self.origins.push(Vec::new());
        self.columns.len() - 1
    }

    /// Appends a row; cells beyond the known columns must have been given
    /// columns with [`RawTable::add_column`] first.
    fn push_row<'a>(&mut self, line: u64, cells: impl IntoIterator<Item = &'a str>) {
        let mut filled = 0;
        for (index, cell) in cells.into_iter().enumerate() {
            if let Some(column) = self.columns.get_mut(index) {
                column.push(cell);
                filled = index + 1;
            }
        }
        for column in &mut self.columns[filled..] {
            column.push("");
        }
        self.lines.push(line);
        self.rows += 1;
    }

    fn into_table(self, fallback: Notation) -> Table {
        let placeholder = Loaded::failed(Vec::new(), None, None);
        Typing::new(placeholder, Some(self), fallback).finish().table
    }
}

/// Makes header names unique and non-empty: an empty name becomes
/// `Spalte N` (N is the 1-based position), a repeated one gets ` (2)`,
/// ` (3)` …, and no generated name takes a name that occurs in the header.
fn unique_names(raw: &[String], first_line: Option<u64>, issues: &mut Vec<Issue>) -> Vec<String> {
    let real: std::collections::HashSet<&str> = raw
        .iter()
        .map(|name| name.trim())
        .filter(|name| !name.is_empty())
        .collect();
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut names = Vec::with_capacity(raw.len());
    for (position, original) in raw.iter().enumerate() {
        let trimmed = original.trim();
        let generated = trimmed.is_empty();
        let base = if generated {
            format!("Spalte {}", position + 1)
        } else {
            trimmed.to_owned()
        };
        let collides = |name: &str, taken: &std::collections::HashSet<String>| {
            taken.contains(name) || (generated && real.contains(name))
        };
        let mut name = base.clone();
        let mut suffix = 2;
        while collides(&name, &taken) || (name != base && real.contains(name.as_str())) {
            name = format!("{base} ({suffix})");
            suffix += 1;
        }

        let issue = if generated {
            Some(Issue::new(Severity::Warning, IssueKey::EmptyHeader).with("name", &name))
        } else if name != base {
            Some(
                Issue::new(Severity::Warning, IssueKey::DuplicateHeader)
                    .with("original", &base)
                    .with("name", &name),
            )
        } else {
            None
        };
        if let Some(mut issue) = issue {
            issue.line = first_line;
            issues.push(issue.in_column(&name));
        }
        taken.insert(name.clone());
        names.push(name);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_containing_matches_row_by_row() {
        let texts = ["ab", "c", "", "strasse", "ssa", "grosse strasse", "a", "bc", "über", "üb", "er", "abcab"];
        let mut column = TextColumn::default();
        for text in texts {
            column.push(text);
        }
        for needle in ["", "a", "b", "c", "bc", "ss", "ssa", "sse", "ab", "über", "rü", "r", "ü", "abcab", "x"] {
            let expected: Vec<bool> = texts.iter().map(|text| text.contains(needle)).collect();
            assert_eq!(column.rows_containing(needle), expected, "needle {needle:?}");
        }
    }

    #[test]
    fn rows_containing_empty_column() {
        assert!(TextColumn::default().rows_containing("a").is_empty());
        assert!(TextColumn::default().rows_containing("").is_empty());
    }

    fn names(raw: &[&str]) -> Vec<String> {
        let raw: Vec<String> = raw.iter().map(|name| name.to_string()).collect();
        unique_names(&raw, Some(1), &mut Vec::new())
    }

    #[test]
    fn empty_header_gets_position_name() {
        assert_eq!(names(&["A", "", "C"]), ["A", "Spalte 2", "C"]);
    }

    #[test]
    fn generated_name_avoids_real_name() {
        assert_eq!(names(&["Spalte 2", ""]), ["Spalte 2", "Spalte 2 (2)"]);
    }

    #[test]
    fn duplicate_gets_counter_suffix() {
        assert_eq!(
            names(&["Name", "Name", "Name (2)"]),
            ["Name", "Name (3)", "Name (2)"]
        );
    }
}
