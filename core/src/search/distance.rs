//! Bounded Damerau-Levenshtein distance (optimal string alignment: a swap
//! of two neighbours is one edit) between a query word and vocabulary
//! terms, both already folded.
//!
//! The table has one row per byte of the term and one column per byte of
//! the query, so terms that share a prefix share rows. Walking the sorted
//! vocabulary, [`Table`] keeps the rows of the previous term and only
//! computes the rows after the common prefix. When a row has no cell within
//! the bound, no term with that prefix can match, and the caller skips all
//! of them: the walk behaves like a search in a trie.
//!
//! Distances count bytes: folded German text is ASCII, and a letter outside
//! Latin-1 costs one edit per UTF-8 byte.

/// Returns how many edits a folded query word of `len` characters tolerates:
/// none below 4, one from 4 and two from 8.
pub(crate) fn max_edits(len: usize) -> u8 {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Rows of the distance table for one query and the current term prefix.
#[derive(Debug, Default)]
pub(crate) struct Table {
    query: Vec<u8>,
    bound: u8,
    /// Distances between `term[..r]` and every query prefix, one row per
    /// `r`, stored one after another.
    cells: Vec<u8>,
    /// Per row `r`, the closest prefix `term[..p]` with `p <= r` to the whole
    /// query, as (distance, `p`), so a term sharing rows with the previous
    /// one needs no second look at them.
    best_prefixes: Vec<(u8, usize)>,
    /// The term bytes that rows `1..=prefix.len()` stand for.
    prefix: Vec<u8>,
}

impl Table {
    /// Starts a table for `query` with at most `bound` edits.
    pub(crate) fn reset(&mut self, query: &[u8], bound: u8) {
        self.query.clear();
        self.query.extend_from_slice(query);
        self.bound = bound;
        self.prefix.clear();
        let width = query.len() + 1;
        self.cells.clear();
        self.cells.resize(width * (self.max_rows() + 1), 0);
        let over = bound.saturating_add(1);
        for (column, cell) in self.cells[..width].iter_mut().enumerate() {
            *cell = (column.min(255) as u8).min(over);
        }
        self.best_prefixes.clear();
        self.best_prefixes.resize(self.max_rows() + 1, (over, 0));
    }

    /// Term length beyond which neither the whole term nor a prefix can be
    /// within the bound.
    pub(crate) fn max_rows(&self) -> usize {
        self.query.len() + self.bound as usize
    }

    /// Measures `term`, reusing the rows of the common prefix with the
    /// previous term.
    ///
    /// Returns `Err(length)` when the first `length` bytes of `term` already
    /// exceed the bound and no shorter prefix was close enough, so every
    /// term starting with those bytes can be skipped.
    pub(crate) fn measure(&mut self, term: &[u8]) -> Result<Option<Found>, usize> {
        if self.query.is_empty() {
            return Ok(None);
        }
        let mut common = 0;
        while common < self.prefix.len() && common < term.len() && self.prefix[common] == term[common] {
            common += 1;
        }
        self.prefix.truncate(common);
        let limit = term.len().min(self.max_rows());

        let mut hopeless_at = None;
        for row in common + 1..=limit {
            self.prefix.push(term[row - 1]);
            if self.compute_row(term, row) > self.bound {
                hopeless_at = Some(row);
                break;
            }
        }

        let evaluated = hopeless_at.map_or(limit, |row| row - 1);
        let best_prefix = self.best_prefixes[evaluated];
        let width = self.query.len() + 1;
        let whole = (term.len() <= evaluated).then(|| self.cells[term.len() * width + width - 1]);
        let whole = whole.filter(|&edits| edits <= self.bound);
        if whole.is_none() && best_prefix.0 > self.bound {
            // With no prefix within the bound either, no longer term that
            // starts with the same bytes can match.
            return match hopeless_at {
                Some(row) => Err(row),
                None => Ok(None),
            };
        }
        Ok(Some(Found { whole, prefix: best_prefix.0, prefix_len: best_prefix.1 }))
    }

    /// Computes row `row` for `term[..row]` from the rows above it, records
    /// the closest prefix up to it and returns the row's smallest cell.
    fn compute_row(&mut self, term: &[u8], row: usize) -> u8 {
        let width = self.query.len() + 1;
        let last_column = width - 1;
        let over = self.bound.saturating_add(1);
        let term_byte = term[row - 1];
        let (done, rest) = self.cells.split_at_mut(row * width);
        let previous = &done[(row - 1) * width..];
        let current = &mut rest[..width];

        // Cells further than the bound from the diagonal exceed it, so only
        // the band around the diagonal is computed. The cells just outside
        // the band, and the last column that the prefix check reads, are
        // set to "over" because they may hold values of an earlier term.
        let bound = self.bound as usize;
        let low = row.saturating_sub(bound).max(1);
        let high = (row + bound).min(last_column);
        current[0] = (row.min(255) as u8).min(over);
        if low > 1 {
            current[low - 1] = over;
        }
        if high < last_column {
            current[high + 1] = over;
            current[last_column] = over;
        }

        // For a swap of neighbours, `term[row - 2..row]` is compared with the
        // reversed `query[column - 2..column]`.
        let swapped_byte = (row >= 2).then(|| term[row - 2]);
        let before_previous = &done[row.saturating_sub(2) * width..];
        let mut row_min = current[0];
        for column in low..=high {
            let query_byte = self.query[column - 1];
            let mut cell = (previous[column - 1] + u8::from(query_byte != term_byte))
                .min(previous[column] + 1)
                .min(current[column - 1] + 1);
            if swapped_byte == Some(query_byte) && column >= 2 && self.query[column - 2] == term_byte {
                cell = cell.min(before_previous[column - 2] + 1);
            }
            let cell = cell.min(over);
            current[column] = cell;
            row_min = row_min.min(cell);
        }

        // Among equally close prefixes, the one nearest the query's length
        // is the one the user meant ("andern" ends at "anderu", not "ander").
        let cell = current[last_column];
        let (best_cell, best_row) = self.best_prefixes[row - 1];
        let nearer = row.abs_diff(last_column) < best_row.abs_diff(last_column);
        self.best_prefixes[row] =
            if cell < best_cell || (cell == best_cell && nearer) { (cell, row) } else { (best_cell, best_row) };
        row_min
    }
}

/// Distances of a term within the bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    /// Distance between the query and the whole term, if within the bound.
    pub(crate) whole: Option<u8>,
    /// Smallest distance between the query and a prefix of the term.
    pub(crate) prefix: u8,
    /// Length in bytes of that prefix.
    pub(crate) prefix_len: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure(query: &str, term: &str) -> Option<Found> {
        let mut table = Table::default();
        table.reset(query.as_bytes(), max_edits(query.chars().count()));
        table.measure(term.as_bytes()).ok().flatten()
    }

    #[test]
    fn edits_allowed_by_length() {
        let cases = [(0, 0), (3, 0), (4, 1), (7, 1), (8, 2), (20, 2)];
        for (len, edits) in cases {
            assert_eq!(max_edits(len), edits, "length {len}");
        }
    }

    #[test]
    fn whole_word_distances() {
        let cases = [
            ("reisepss", "reisepass", Some(1)),
            ("fischereischien", "fischereischein", Some(1)),
            ("furhungszeugnis", "fuhrungszeugnis", Some(1)),
            ("testamnet", "testament", Some(1)),
            ("meldebescheiningung", "meldebescheinigung", Some(1)),
            ("taxigenehmigng", "taxigenehmigung", Some(1)),
            ("behindertenparkausweiss", "behindertenparkausweis", Some(1)),
            ("abhohlen", "abholen", Some(1)),
            ("vornamen", "vorname", Some(1)),
            ("anmeldung", "anmelden", Some(2)),
            ("pass", "past", Some(1)),
            ("gzr", "gzr", Some(0)),
            ("gzr", "gzb", None),
            ("hund", "hand", Some(1)),
            ("hund", "mund", Some(1)),
            ("hund", "mond", None),
            ("haus", "hsua", None),
        ];
        for (query, term, expected) in cases {
            let whole = measure(query, term).and_then(|found| found.whole);
            assert_eq!(whole, expected, "{query:?} against {term:?}");
        }
    }

    #[test]
    fn swap_of_neighbours_is_one_edit() {
        let cases = [("fuhrreschein", "fuhrerschein"), ("hnud", "hund"), ("uhnd", "hund"), ("hudn", "hund")];
        for (query, term) in cases {
            assert_eq!(measure(query, term).and_then(|d| d.whole), Some(1), "{query:?} against {term:?}");
        }
    }

    #[test]
    fn prefix_distance_for_partial_words() {
        let cases = [
            ("andern", "anderung", Some((1, 6))),
            ("fuhrersch", "fuhrerschein", Some((0, 9))),
            ("fuhrresch", "fuhrerschein", Some((1, 9))),
            ("stilllegen", "stilllegung", Some((1, 10))),
            ("xyzzy", "fuhrerschein", None),
        ];
        for (query, term, expected) in cases {
            let prefix = measure(query, term).map(|found| (found.prefix, found.prefix_len));
            assert_eq!(prefix, expected, "{query:?} against {term:?}");
        }
    }

    #[test]
    fn shared_prefix_rows_are_reused() {
        let mut table = Table::default();
        table.reset(b"reisepss", 2);
        let terms = ["reisepass", "reisepasse", "reiseplan", "reisepss", "zzzz"];
        let expected = [Some(1), Some(2), None, Some(0), None];
        for (term, whole) in terms.iter().zip(expected) {
            let fresh = measure("reisepss", term).and_then(|found| found.whole);
            let reused = table.measure(term.as_bytes()).ok().flatten().and_then(|found| found.whole);
            assert_eq!(reused, fresh, "{term:?}");
            assert_eq!(reused, whole, "{term:?}");
        }
    }

    /// Computes the full optimal-string-alignment distance without bounds.
    fn naive(a: &[u8], b: &[u8]) -> usize {
        let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in table.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in table[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut cell = (table[i - 1][j] + 1).min(table[i][j - 1] + 1).min(table[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    cell = cell.min(table[i - 2][j - 2] + 1);
                }
                table[i][j] = cell;
            }
        }
        table[a.len()][b.len()]
    }

    #[test]
    fn band_agrees_with_full_table() {
        let words = [
            "reisepass", "reisepss", "riesepass", "reise", "pass", "passbild", "fuhrerschein", "fuhrreschein",
            "anmelden", "abmeldung", "anmeldung", "andern", "anderung", "hund", "hunde", "kampfhund", "mull",
            "abc", "ab", "a", "xyzzyx", "stilllegen", "stilllegung",
        ];
        let mut sorted = words.to_vec();
        sorted.sort();
        for query in words {
            let bound = max_edits(query.len());
            let mut table = Table::default();
            table.reset(query.as_bytes(), bound);
            for term in &sorted {
                let expected = naive(query.as_bytes(), term.as_bytes());
                let found = table.measure(term.as_bytes()).ok().flatten().and_then(|found| found.whole);
                let expected = (expected <= bound as usize).then_some(expected as u8);
                assert_eq!(found, expected, "{query:?} against {term:?}");
            }
        }
    }

    #[test]
    fn hopeless_prefix_is_reported() {
        let mut table = Table::default();
        table.reset(b"hund", 1);
        assert_eq!(table.measure(b"xylophon"), Err(2));
    }
}
