//! [`Table::select`] in bounded steps, so that a browser's main thread can
//! filter and sort hundreds of thousands of rows and still paint and take
//! input between the steps.
//!
//! A [`Selection`] runs four stages. It folds the columns that the search
//! and contains filters need (once per column, kept in the table). It
//! filters the rows and computes one sort value per row and key. Then it
//! sorts with a bottom-up merge sort whose merges can stop and resume
//! anywhere. Merging
//! takes the left element of two equal ones, so the sort is stable like
//! [`Table::sort_rows`], and the result equals [`Table::select`].

use std::cmp::Ordering;

use super::{fold, missing_last, PreparedFilter, Query, SortKey, SortValue};
use crate::{ColumnType, Table, TextColumn};

/// Work of one stage, measured in rows; a merge step counts one row.
#[derive(Debug)]
enum Stage {
    /// Folding the columns that the search and filters read.
    Fold(Folding),
    /// Testing the rows from `row` on.
    Filter { row: usize },
    /// Computing the sort value of the kept rows from `position` on.
    Keys { position: usize },
    /// Merging runs of `width` positions; `merge` is the pair in progress.
    Sort { width: usize, merge: Option<Merge> },
    Done,
}

/// A merge of `order[start..middle]` and `order[middle..end]` into
/// `scratch`, stopped after `written` positions.
#[derive(Debug, Clone, Copy)]
struct Merge {
    start: usize,
    middle: usize,
    end: usize,
    left: usize,
    right: usize,
    written: usize,
}

/// German folding of a table's columns, done in steps.
///
/// Search and contains filters compare folded text, and a column is folded
/// once, on first use. For 100,000 rows that first use takes several times
/// as long as a later keystroke, so the widget folds the columns in idle time
/// after loading with [`Table::start_folding`]. A selection that needs a
/// column first folds it itself, and the other one skips it.
#[derive(Debug, Default)]
pub struct Folding {
    /// The columns to fold, in order.
    columns: Vec<usize>,
    /// Position in `columns` of the column being folded.
    index: usize,
    /// The next row to fold.
    row: usize,
    /// The folded rows of the current column so far.
    partial: TextColumn,
}

impl Folding {
    /// Folds at most about `budget` cells of `table`, which must be the
    /// table that started the folding. Returns true when every column is
    /// folded.
    pub fn step(&mut self, table: &Table, budget: usize) -> bool {
        let mut budget = budget.max(1);
        while budget > 0 {
            match self.fold_some(table, budget) {
                Some(used) => budget -= used.max(1).min(budget),
                None => return true,
            }
        }
        self.columns.get(self.index).is_none()
    }

    /// Folds up to `budget` cells of the current column and returns how
    /// many it folded, or `None` when every column is folded.
    fn fold_some(&mut self, table: &Table, budget: usize) -> Option<usize> {
        loop {
            let column = table.columns.get(*self.columns.get(self.index)?)?;
            if column.folded.get().is_some() {
                // Folded meanwhile by a selection that needed it.
                self.next_column();
                continue;
            }
            let texts = &column.texts;
            if self.row == 0 {
                self.partial = TextColumn::for_folding(texts);
            }
            let end = texts.len().min(self.row.saturating_add(budget));
            for current in self.row..end {
                self.partial.push_folded(texts.get(current));
            }
            let used = end - self.row;
            self.row = end;
            if end >= texts.len() {
                let _ = column.folded.set(std::mem::take(&mut self.partial));
                self.next_column();
            }
            return Some(used);
        }
    }

    fn next_column(&mut self) {
        self.index += 1;
        self.row = 0;
        self.partial = TextColumn::default();
    }
}

/// A filter and sort of a table, done in steps; see the module comment.
pub struct Selection {
    words: Vec<String>,
    filters: Vec<(usize, PreparedFilter)>,
    visible: Vec<usize>,
    keys: Vec<SortKey>,
    stage: Stage,
    /// Kept rows, in file order.
    rows: Vec<usize>,
    /// Sort values per key, by position in `rows`.
    values: Vec<Vec<SortValue>>,
    /// Positions in `rows`, being sorted.
    order: Vec<usize>,
    scratch: Vec<usize>,
}

impl std::fmt::Debug for Selection {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Selection").field("stage", &self.stage).field("rows", &self.rows.len()).finish()
    }
}

impl Table {
    /// Starts folding the columns that the search reads, text columns
    /// first, in steps; see [`Folding`].
    ///
    /// ```
    /// use ogkit_table::{read_csv, CsvOptions, ColumnFilter, Query};
    ///
    /// let loaded = read_csv("Name;Nr\nÖl;1\nOfen;2\n".as_bytes(), &CsvOptions::default());
    /// let mut folding = loaded.table.start_folding();
    /// while !folding.step(&loaded.table, 1) {}
    /// let query = Query { filters: vec![(0, ColumnFilter::Contains("oel".into()))], ..Query::default() };
    /// assert_eq!(loaded.table.select(&query), vec![0]);
    /// ```
    pub fn start_folding(&self) -> Folding {
        let visible = (0..self.columns.len()).filter(|&column| !self.columns[column].hidden);
        let (mut columns, rest): (Vec<usize>, Vec<usize>) =
            visible.partition(|&column| self.columns[column].kind == ColumnType::Text);
        columns.extend(rest);
        Folding { columns, ..Folding::default() }
    }

    /// Starts selecting the rows for `query` in steps; see [`Selection`].
    ///
    /// ```
    /// use ogkit_table::{read_csv, CsvOptions, Query, SortKey};
    ///
    /// let loaded = read_csv("Name\nÖl\nOfen\nZaun\n".as_bytes(), &CsvOptions::default());
    /// let query = Query { sort: vec![SortKey { column: 0, descending: false }], ..Query::default() };
    /// let mut selection = loaded.table.start_select(&query);
    /// while !selection.step(&loaded.table, 2) {}
    /// assert_eq!(selection.finish(), loaded.table.select(&query));
    /// ```
    pub fn start_select(&self, query: &Query) -> Selection {
        let words: Vec<String> = query
            .search
            .split_whitespace()
            .map(fold)
            .filter(|word| !word.is_empty())
            .collect();
        let visible: Vec<usize> = (0..self.columns.len()).filter(|&index| !self.columns[index].hidden).collect();
        let filters: Vec<(usize, PreparedFilter)> =
            query.filters.iter().map(|(column, filter)| (*column, PreparedFilter::new(filter))).collect();

        // Columns whose folded text the search or a contains filter reads.
        let mut columns: Vec<usize> = Vec::new();
        if !words.is_empty() {
            columns.extend(&visible);
        }
        for (column, filter) in &filters {
            if matches!(filter, PreparedFilter::Contains(_)) && *column < self.columns.len() && !columns.contains(column) {
                columns.push(*column);
            }
        }
        let folding = Folding { columns, ..Folding::default() };

        let keys: Vec<SortKey> = query.sort.iter().copied().filter(|key| key.column < self.columns.len()).collect();
        Selection {
            words,
            filters,
            visible,
            keys,
            stage: Stage::Fold(folding),
            rows: Vec::new(),
            values: Vec::new(),
            order: Vec::new(),
            scratch: Vec::new(),
        }
    }
}

impl Selection {
    /// Does at most about `budget` rows of work on `table`, which must be
    /// the table that started the selection. Returns true when the rows
    /// are ready for [`Selection::finish`].
    pub fn step(&mut self, table: &Table, budget: usize) -> bool {
        let mut budget = budget.max(1);
        while budget > 0 {
            let used = match &mut self.stage {
                Stage::Fold(folding) => match folding.fold_some(table, budget) {
                    Some(used) => used,
                    None => {
                        self.start_filter(table);
                        continue;
                    }
                },
                Stage::Filter { row } => {
                    let start = *row;
                    let end = table.rows.min(start.saturating_add(budget));
                    *row = end;
                    for current in start..end {
                        if self.passes(table, current) {
                            self.rows.push(current);
                        }
                    }
                    let used = end - start;
                    if end >= table.rows {
                        self.start_keys();
                    }
                    used
                }
                Stage::Keys { position } => {
                    let end = self.rows.len().min(position.saturating_add(budget));
                    for (key, values) in self.keys.iter().zip(&mut self.values) {
                        for &row in &self.rows[*position..end] {
                            values.push(table.sort_value(row, key.column));
                        }
                    }
                    let used = (end - *position) * self.keys.len();
                    *position = end;
                    if end >= self.rows.len() {
                        self.order = (0..self.rows.len()).collect();
                        self.scratch = vec![0; self.rows.len()];
                        self.stage = Stage::Sort { width: 1, merge: None };
                    }
                    used
                }
                Stage::Sort { .. } => self.sort_step(budget),
                Stage::Done => return true,
            };
            budget -= used.max(1).min(budget);
        }
        matches!(self.stage, Stage::Done)
    }

    /// Returns the selected rows in display order, finishing any work left.
    /// Pass the table that started the selection.
    pub fn finish_with(mut self, table: &Table) -> Vec<usize> {
        while !self.step(table, usize::MAX) {}
        self.finish()
    }

    /// Returns the selected rows in display order. Call it once
    /// [`Selection::step`] returned true; before that the order is partial.
    pub fn finish(self) -> Vec<usize> {
        if self.keys.is_empty() || self.rows.len() < 2 {
            return self.rows;
        }
        self.order.iter().map(|&position| self.rows[position]).collect()
    }

    fn start_filter(&mut self, table: &Table) {
        // Contains filters search the folded column in one pass, which is
        // quick once the column is folded.
        for (column, filter) in &mut self.filters {
            if let (PreparedFilter::Contains(needle), Some(target)) = (&*filter, table.columns.get(*column)) {
                *filter = PreparedFilter::Rows(target.folded_texts().rows_containing(needle));
            }
        }
        self.stage = Stage::Filter { row: 0 };
    }

    fn start_keys(&mut self) {
        if self.keys.is_empty() || self.rows.len() < 2 {
            self.stage = Stage::Done;
            return;
        }
        self.values = self.keys.iter().map(|_| Vec::with_capacity(self.rows.len())).collect();
        self.stage = Stage::Keys { position: 0 };
    }

    fn passes(&self, table: &Table, row: usize) -> bool {
        let search_hit = self.words.iter().all(|word| {
            self.visible.iter().any(|&column| table.columns[column].folded(row).contains(word.as_str()))
        });
        search_hit && self.filters.iter().all(|(column, filter)| table.passes(row, *column, filter))
    }

    fn compare(&self, a: usize, b: usize) -> Ordering {
        for (key, values) in self.keys.iter().zip(&self.values) {
            let ordering = match values[a].compare(&values[b]) {
                Some(ordering) if key.descending => ordering.reverse(),
                Some(ordering) => ordering,
                None => missing_last(&values[a], &values[b]),
            };
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        Ordering::Equal
    }

    /// Merges at most `budget` positions and returns how many it merged
    /// (at least 1, so the caller always advances).
    fn sort_step(&mut self, budget: usize) -> usize {
        let length = self.order.len();
        let Stage::Sort { width, merge } = self.stage else { return 1 };
        if width >= length {
            self.stage = Stage::Done;
            return 1;
        }
        let mut current = merge.unwrap_or(Merge { start: 0, middle: 0, end: 0, left: 0, right: 0, written: 0 });
        if merge.is_none() {
            current = Merge::at(0, width, length);
        }
        let mut used = 0;
        while used < budget {
            let Merge { start, middle, end, .. } = current;
            if start + current.written >= end {
                // This pair is merged; copy it back and go to the next one.
                self.order[start..end].copy_from_slice(&self.scratch[start..end]);
                if end >= length {
                    self.stage = Stage::Sort { width: width * 2, merge: None };
                    return used.max(1);
                }
                current = Merge::at(end, width, length);
                continue;
            }
            let take_left = current.right >= end
                || (current.left < middle
                    && self.compare(self.order[current.left], self.order[current.right]) != Ordering::Greater);
            let source = if take_left { &mut current.left } else { &mut current.right };
            self.scratch[start + current.written] = self.order[*source];
            *source += 1;
            current.written += 1;
            used += 1;
        }
        self.stage = Stage::Sort { width, merge: Some(current) };
        used.max(1)
    }
}

impl Merge {
    /// The pair of runs of `width` that starts at `start`; the second run
    /// may be shorter or empty at the end.
    fn at(start: usize, width: usize, length: usize) -> Merge {
        let middle = (start + width).min(length);
        let end = (start + 2 * width).min(length);
        Merge { start, middle, end, left: start, right: middle, written: 0 }
    }
}

#[cfg(test)]
mod tests {
    use crate::{read_csv, ColumnFilter, CsvOptions, Query, SortKey};

    const CSV: &str = "Ort;Zahl;Datum;Text\n\
        Köln;3;01.02.2024;Straße\n\
        Aachen;;02.02.2024;strasse\n\
        Öhringen;1,5;;Muell\n\
        Ulm;3;01.02.2024;Müll\n\
        Bonn;-2;31.12.2023;\n\
        aachen;7;05.05.2024;Ölspur\n\
        Zell;3;01.01.2024;Ufer\n";

    fn queries() -> Vec<Query> {
        let key = |column, descending| SortKey { column, descending };
        vec![
            Query::default(),
            Query { sort: vec![key(0, false)], ..Query::default() },
            Query { sort: vec![key(0, true)], ..Query::default() },
            Query { sort: vec![key(1, false), key(0, true)], ..Query::default() },
            Query { sort: vec![key(1, true)], ..Query::default() },
            Query { sort: vec![key(2, false), key(3, false)], ..Query::default() },
            Query { search: "strasse".into(), sort: vec![key(0, false)], ..Query::default() },
            Query {
                filters: vec![(3, ColumnFilter::Contains("mull".into()))],
                sort: vec![key(1, true)],
                ..Query::default()
            },
            Query {
                filters: vec![(1, ColumnFilter::NumberRange { min: Some(0.0), max: None })],
                sort: vec![key(3, false)],
                ..Query::default()
            },
        ]
    }

    #[test]
    fn steps_give_select_result() {
        for query in queries() {
            let expected = read_csv(CSV.as_bytes(), &CsvOptions::default()).table.select(&query);
            for budget in [1, 2, 3, 5, 8, 100, usize::MAX] {
                // A fresh table each time, so the folding runs in steps too.
                let table = read_csv(CSV.as_bytes(), &CsvOptions::default()).table;
                let mut selection = table.start_select(&query);
                let mut steps = 0;
                while !selection.step(&table, budget) {
                    steps += 1;
                    assert!(steps < 10_000, "selection never ends");
                }
                assert_eq!(selection.finish(), expected, "{query:?} in steps of {budget}");
            }
        }
    }

    #[test]
    fn merge_sort_is_stable_on_many_rows() {
        let mut text = String::from("Gruppe;Nr\n");
        for row in 0..1000 {
            text.push_str(&format!("{};{row}\n", ["b", "a", "", "c"][row * 7 % 4]));
        }
        let table = read_csv(text.as_bytes(), &CsvOptions::default()).table;
        for descending in [false, true] {
            let query = Query { sort: vec![SortKey { column: 0, descending }], ..Query::default() };
            let mut selection = table.start_select(&query);
            while !selection.step(&table, 37) {}
            let rows = selection.finish();
            assert_eq!(rows, table.select(&query), "descending: {descending}");
            // Within a group the file order stays, and the empty group is last.
            for pair in rows.windows(2) {
                let (a, b) = (table.columns()[0].text(pair[0]), table.columns()[0].text(pair[1]));
                if a == b {
                    assert!(pair[0] < pair[1], "rows {pair:?} swapped");
                }
            }
            assert_eq!(table.columns()[0].text(*rows.last().unwrap()), "");
        }
    }

    /// Returns the folded texts of every column of `table`, or `None` for
    /// the columns not folded yet.
    fn folded(table: &crate::Table) -> Vec<Option<Vec<String>>> {
        table
            .columns
            .iter()
            .map(|column| {
                column.folded.get().map(|texts| {
                    (0..texts.len())
                        .map(|row| texts.get(row).to_owned())
                        .collect()
                })
            })
            .collect()
    }

    #[test]
    fn folding_in_steps_equals_folding_on_first_use() {
        let whole = read_csv(CSV.as_bytes(), &CsvOptions::default()).table;
        for column in &whole.columns {
            column.folded_texts();
        }
        let expected = folded(&whole);
        assert_eq!(
            expected[3].as_deref().map(|texts| texts[0].as_str()),
            Some("strasse")
        );
        for budget in [1, 2, 3, 7, usize::MAX] {
            let table = read_csv(CSV.as_bytes(), &CsvOptions::default()).table;
            let mut folding = table.start_folding();
            let mut steps = 0;
            while !folding.step(&table, budget) {
                steps += 1;
                assert!(steps < 1_000, "folding never ends");
            }
            assert_eq!(folded(&table), expected, "in steps of {budget}");
        }
    }

    #[test]
    fn folding_starts_with_text_columns() {
        let table = read_csv(CSV.as_bytes(), &CsvOptions::default()).table;
        let mut folding = table.start_folding();
        // Seven rows: one step of seven folds the first text column, Ort.
        folding.step(&table, 7);
        let state: Vec<bool> = folded(&table).iter().map(Option::is_some).collect();
        assert_eq!(state, [true, false, false, false]);
        folding.step(&table, 7);
        let state: Vec<bool> = folded(&table).iter().map(Option::is_some).collect();
        assert_eq!(state, [true, false, false, true]);
    }

    #[test]
    fn selection_of_folded_table_skips_folding() {
        let table = read_csv(CSV.as_bytes(), &CsvOptions::default()).table;
        let mut folding = table.start_folding();
        while !folding.step(&table, 5) {}
        let query = Query {
            search: "strasse".into(),
            ..Query::default()
        };
        let selection = table.start_select(&query);
        match &selection.stage {
            super::Stage::Fold(pending) => assert_eq!(pending.columns.len(), 4),
            other => panic!("unexpected stage {other:?}"),
        }
        // Every column is folded, so one row of budget goes to filtering.
        let mut selection = selection;
        selection.step(&table, 1);
        assert!(
            matches!(selection.stage, super::Stage::Filter { row: 1 }),
            "{:?}",
            selection.stage
        );
        assert_eq!(selection.finish_with(&table), vec![0, 1]);
    }

    #[test]
    fn folding_skips_a_column_a_selection_folded_meanwhile() {
        let expected = {
            let table = read_csv(CSV.as_bytes(), &CsvOptions::default()).table;
            let mut folding = table.start_folding();
            while !folding.step(&table, usize::MAX) {}
            folded(&table)
        };
        let table = read_csv(CSV.as_bytes(), &CsvOptions::default()).table;
        let mut folding = table.start_folding();
        // Halfway through Ort, a contains filter on Ort folds it at once.
        folding.step(&table, 3);
        let query = Query {
            filters: vec![(0, ColumnFilter::Contains("aachen".into()))],
            ..Query::default()
        };
        assert_eq!(table.select(&query), vec![1, 5]);
        while !folding.step(&table, 2) {}
        assert_eq!(folded(&table), expected);
    }

    #[test]
    fn finish_with_does_the_rest() {
        let table = read_csv(CSV.as_bytes(), &CsvOptions::default()).table;
        let query = Query { sort: vec![SortKey { column: 0, descending: false }], ..Query::default() };
        let mut selection = table.start_select(&query);
        selection.step(&table, 3);
        assert_eq!(selection.finish_with(&table), table.select(&query));
    }
}
