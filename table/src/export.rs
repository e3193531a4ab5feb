//! Writing the current rows as CSV or JSON for download.
//!
//! CSV goes out the way German spreadsheet programs open it without
//! questions: UTF-8 with a byte-order mark, `;` between fields, CRLF after
//! every record, and quotes only around fields that contain `;`, `"`, a
//! line break or leading or trailing spaces. Cells keep their original
//! text, so `1.234,56` stays `1.234,56`.
//!
//! JSON goes out as a list of objects keyed by column name: numbers as
//! numbers, yes/no as `true`/`false`, missing values as `null`, everything
//! else (dates included) as the original text.
//!
//! NOTE: cells that start with `=`, `+`, `-` or `@` are written unchanged,
//! so a spreadsheet may read them as formulas. Prefixing them would change
//! negative numbers and the data itself.

use super::infer::Value;
use super::json::write_string;
use super::Table;

impl Table {
    /// Writes `rows` and `columns` (indices, in the order given) as CSV
    /// bytes with a header line.
    pub fn to_csv(&self, rows: &[usize], columns: &[usize]) -> Vec<u8> {
        let columns: Vec<usize> = columns
            .iter()
            .copied()
            .filter(|&column| column < self.columns.len())
            .collect();
        let mut out = String::from("\u{FEFF}");
        let header: Vec<&str> = columns
            .iter()
            .map(|&column| self.columns[column].name.as_str())
            .collect();
        write_record(&header, &mut out);
        for &row in rows.iter().filter(|&&row| row < self.rows) {
            let cells: Vec<&str> = columns
                .iter()
                .map(|&column| self.columns[column].text(row))
                .collect();
            write_record(&cells, &mut out);
        }
        out.into_bytes()
    }

    /// Writes `rows` and `columns` as a JSON list of objects.
    pub fn to_json(&self, rows: &[usize], columns: &[usize]) -> String {
        let columns: Vec<usize> = columns
            .iter()
            .copied()
            .filter(|&column| column < self.columns.len())
            .collect();
        let mut out = String::from("[");
        for (position, &row) in rows.iter().filter(|&&row| row < self.rows).enumerate() {
            out.push_str(if position == 0 { "\n  {" } else { ",\n  {" });
            for (index, &column) in columns.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                let column = &self.columns[column];
                write_string(&column.name, &mut out);
                out.push_str(": ");
                match column.value(row) {
                    Value::Missing if column.text(row).trim().is_empty() => out.push_str("null"),
                    Value::Number(value) if value.is_finite() => out.push_str(&format!("{value}")),
                    Value::Bool(value) => out.push_str(if value { "true" } else { "false" }),
                    _ => write_string(column.text(row), &mut out),
                }
            }
            out.push('}');
        }
        out.push_str(if rows.is_empty() { "]\n" } else { "\n]\n" });
        out
    }

    /// Returns the indices of the columns that are not hidden.
    pub fn visible_columns(&self) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|&index| !self.columns[index].hidden)
            .collect()
    }
}

fn write_record(cells: &[&str], out: &mut String) {
    for (index, cell) in cells.iter().enumerate() {
        if index > 0 {
            out.push(';');
        }
        let needs_quotes = cell.contains([';', '"', '\r', '\n'])
            || cell.starts_with(char::is_whitespace)
            || cell.ends_with(char::is_whitespace);
        if needs_quotes {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    out.push_str("\r\n");
}
