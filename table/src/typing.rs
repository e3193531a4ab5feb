//! Typing the columns of a table in steps of a few thousand cells, so a
//! browser can read a file of hundreds of thousands of rows without
//! freezing the page.
//!
//! Typing runs in three stages. First every column is scanned cell by cell
//! to decide its type (`ColumnScan`). Then the columns vote on the number
//! notation for columns whose numbers fit both (`1.234`). Then every column
//! is read again as its type (`ValueScan`). [`Typing::step`] does a bounded
//! part of this work and can be called until it returns true. Typing a
//! table at once ([`CsvReader::finish`](super::CsvReader::finish), JSON
//! reading) runs the same steps without a bound, so both give the same
//! table.

use std::cell::OnceCell;

use super::infer::{ColumnScan, Decision, Notation, Origin, Typed, ValueScan};
use super::{Column, Loaded, RawTable, Table};

/// A table whose rows are read and whose columns are being typed.
#[derive(Debug, Clone)]
pub struct Typing {
    /// Everything but the table; the table goes in at the end.
    loaded: Loaded,
    raw: Option<RawTable>,
    fallback: Notation,
    stage: Stage,
    /// Column and row the next step starts at.
    column: usize,
    row: usize,
    scans: Vec<ColumnScan>,
    /// Notation for numbers that fit both, decided by the vote.
    notation: Notation,
    values: Option<ValueScan>,
    typed: Vec<Typed>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Scan,
    Values,
    /// The current column turned out to be text after all and is read again.
    TextAgain,
    Done,
}

impl Typing {
    /// Starts typing `raw`; `loaded` carries the issues and what was
    /// detected. Without `raw` (nothing could be read) there is nothing to
    /// type.
    pub(super) fn new(loaded: Loaded, raw: Option<RawTable>, fallback: Notation) -> Typing {
        let columns = raw.as_ref().map_or(0, |raw| raw.columns.len());
        Typing {
            loaded,
            stage: if raw.is_some() { Stage::Scan } else { Stage::Done },
            raw,
            fallback,
            column: 0,
            row: 0,
            scans: vec![ColumnScan::new(); columns],
            notation: fallback,
            values: None,
            typed: Vec::with_capacity(columns),
        }
    }

    /// Types at most about `cells` more cells. Returns true when every
    /// column is typed and [`Typing::finish`] returns at once.
    pub fn step(&mut self, cells: usize) -> bool {
        let mut budget = cells.max(1);
        while budget > 0 && self.stage != Stage::Done {
            let Some(raw) = &self.raw else {
                self.stage = Stage::Done;
                break;
            };
            if self.column >= raw.columns.len() {
                self.next_stage();
                continue;
            }
            let texts = &raw.columns[self.column];
            let origins = &raw.origins[self.column];
            let end = raw.rows.min(self.row.saturating_add(budget));
            match self.stage {
                Stage::Scan => {
                    let scan = &mut self.scans[self.column];
                    for row in self.row..end {
                        scan.add(texts.get(row), origins.get(row).copied());
                    }
                }
                Stage::Values | Stage::TextAgain => {
                    if self.values.is_none() {
                        let decision = if self.stage == Stage::TextAgain {
                            Decision::Text
                        } else {
                            self.scans[self.column].decision()
                        };
                        self.values = Some(ValueScan::new(decision, self.notation, raw.rows));
                    }
                    if let Some(values) = &mut self.values {
                        for row in self.row..end {
                            values.add(texts.get(row));
                        }
                    }
                }
                Stage::Done => break,
            }
            budget -= (end - self.row).max(1).min(budget);
            self.row = end;
            if self.row >= raw.rows {
                self.end_column();
            }
        }
        self.stage == Stage::Done
    }

    /// Returns the share of the work done, from 0 to 1, for a progress bar.
    pub fn progress(&self) -> f64 {
        let Some(raw) = &self.raw else { return 1.0 };
        let cells = (raw.columns.len() * raw.rows).max(1) as f64;
        let done = (self.column * raw.rows + self.row) as f64 / cells;
        match self.stage {
            Stage::Scan => done / 2.0,
            Stage::Values | Stage::TextAgain => 0.5 + done / 2.0,
            Stage::Done => 1.0,
        }
    }

    /// Types whatever is left and returns the table with its issues.
    pub fn finish(mut self) -> Loaded {
        while !self.step(usize::MAX) {}
        let mut loaded = self.loaded;
        if let Some(raw) = self.raw {
            loaded.table = assemble(raw, self.typed);
        }
        loaded
    }

    fn end_column(&mut self) {
        self.row = 0;
        if matches!(self.stage, Stage::Values | Stage::TextAgain) {
            let typed = self.values.take().and_then(ValueScan::finish);
            match typed {
                Some(typed) => {
                    self.typed.push(typed);
                    self.stage = Stage::Values;
                }
                // Percentages beside amounts: read the column again as text.
                None => {
                    self.stage = Stage::TextAgain;
                    return;
                }
            }
        }
        self.column += 1;
    }

    fn next_stage(&mut self) {
        self.column = 0;
        self.row = 0;
        match self.stage {
            Stage::Scan => {
                self.notation = self.vote();
                self.stage = Stage::Values;
            }
            _ => self.stage = Stage::Done,
        }
    }

    /// Returns the notation of the most columns that fit only one; a tie
    /// goes to the fallback. JSON number literals are international by
    /// syntax, so their columns carry no hint about the file's texts.
    fn vote(&self) -> Notation {
        let Some(raw) = &self.raw else { return self.fallback };
        let mut german = 0;
        let mut international = 0;
        for (index, scan) in self.scans.iter().enumerate() {
            if raw.origins[index].contains(&Origin::JsonNumber) {
                continue;
            }
            match scan.numbers.result() {
                Some(Some(Notation::German)) => german += 1,
                Some(Some(Notation::International)) => international += 1,
                _ => {}
            }
        }
        match german.cmp(&international) {
            std::cmp::Ordering::Greater => Notation::German,
            std::cmp::Ordering::Less => Notation::International,
            std::cmp::Ordering::Equal => self.fallback,
        }
    }
}

fn assemble(raw: RawTable, typed: Vec<Typed>) -> Table {
    let mut columns = Vec::with_capacity(raw.columns.len());
    for ((texts, typed), (name, hidden)) in
        raw.columns.into_iter().zip(typed).zip(raw.names.into_iter().zip(raw.hidden))
    {
        let identifier = crate::identifier::is_identifier(&name, typed.kind, &texts, &typed.values);
        columns.push(Column {
            name,
            kind: typed.kind,
            notation: typed.notation,
            hidden,
            texts,
            values: typed.values,
            identifier,
            folded: OnceCell::new(),
        });
    }
    Table { columns, lines: raw.lines, rows: raw.rows }
}

#[cfg(test)]
mod tests {
    use crate::{read_csv, CsvOptions, CsvReader};

    fn stepwise(text: &str, cells: usize) -> crate::Loaded {
        let mut reader = CsvReader::new(CsvOptions::default());
        reader.push(text.as_bytes());
        let mut typing = reader.finish_in_steps();
        let mut steps = 0;
        while !typing.step(cells) {
            steps += 1;
            assert!(steps < 10_000, "typing never ends");
        }
        typing.finish()
    }

    #[test]
    fn steps_give_whole_table() {
        let cases = [
            "Ort;Zahl;Datum;Ja\nA;1.234;01.02.2024;ja\nB;-;02.02.2024;nein\nC;5;;ja\n",
            "a,b\n1.5,x\n2,y\n",
            "Preis;Anteil;Mix\n1,50 €;12 %;3 %\n2 €;;4 €\n",
            "Nur\n\n",
            "Jahr;2022;2023\nA;1.234;1.235\nB;9;-\n",
            "x;y\n01.01.2024 10:00;1\n02.01.2024;2\n",
        ];
        for text in cases {
            let whole = read_csv(text.as_bytes(), &CsvOptions::default());
            for cells in [1, 2, 3, 7, 1000] {
                assert_eq!(stepwise(text, cells), whole, "{text:?} in steps of {cells}");
            }
        }
    }

    #[test]
    fn progress_rises_to_one() {
        let mut reader = CsvReader::new(CsvOptions::default());
        reader.push(b"a;b\n1;2\n3;4\n5;6\n");
        let mut typing = reader.finish_in_steps();
        let mut last = typing.progress();
        assert_eq!(last, 0.0);
        while !typing.step(1) {
            let now = typing.progress();
            assert!(now >= last, "{now} < {last}");
            last = now;
        }
        assert_eq!(typing.progress(), 1.0);
    }

    #[test]
    fn failed_read_has_nothing_to_type() {
        let reader = CsvReader::new(CsvOptions::default());
        let mut typing = reader.finish_in_steps();
        assert!(typing.step(1));
        assert!(!typing.finish().issues.is_empty());
    }
}
