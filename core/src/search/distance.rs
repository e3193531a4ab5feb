//! Bounded Damerau-Levenshtein distance (optimal string alignment) between
//! a query word and a vocabulary term, both already folded.
//!
//! One pass computes two numbers: the distance to the whole term and the
//! distance to its closest prefix, so a word that is still being typed can
//! match with a typo ("fuhrersch" against "fuhrerschein"). The table stops as
//! soon as a row has no cell within the bound, which rejects most terms after
//! two or three rows. Distances count bytes: folded German text is ASCII, and
//! a letter outside Latin-1 costs one edit per UTF-8 byte.

/// Returns how many edits a folded query word of `len` characters tolerates:
/// none below 4, one from 4 and two from 8.
pub(crate) fn max_edits(len: usize) -> u8 {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Distances found by [`EditDistance::measure`] that lie within the bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Distances {
    /// Distance between the query and the whole term, if within the bound.
    pub(crate) whole: Option<u8>,
    /// Smallest distance between the query and any prefix of the term.
    pub(crate) prefix: u8,
}

/// Reusable rows of the distance table, so a query scans the vocabulary
/// without allocating per term.
#[derive(Debug, Default)]
pub(crate) struct EditDistance {
    before_previous: Vec<u8>,
    previous: Vec<u8>,
    current: Vec<u8>,
}

impl EditDistance {
    /// Measures `query` against `term` with at most `bound` edits; returns
    /// `None` when neither the term nor any of its prefixes is that close.
    pub(crate) fn measure(&mut self, query: &[u8], term: &[u8], bound: u8) -> Option<Distances> {
        let over = bound.saturating_add(1);
        let columns = term.len().min(query.len() + bound as usize);
        let term_part = &term[..columns];

        for row in [&mut self.before_previous, &mut self.previous, &mut self.current] {
            row.clear();
            row.resize(columns + 1, over);
        }
        for (j, cell) in self.previous.iter_mut().enumerate() {
            *cell = (j as u8).min(over);
        }

        for (i, &query_byte) in query.iter().enumerate() {
            self.current[0] = ((i + 1) as u8).min(over);
            let mut row_min = self.current[0];
            for j in 1..=columns {
                let term_byte = term_part[j - 1];
                let substitution = self.previous[j - 1] + u8::from(query_byte != term_byte);
                let mut cell = substitution.min(self.previous[j] + 1).min(self.current[j - 1] + 1);
                if i > 0 && j > 1 && query_byte == term_part[j - 2] && query[i - 1] == term_byte {
                    cell = cell.min(self.before_previous[j - 2] + 1);
                }
                let cell = cell.min(over);
                self.current[j] = cell;
                row_min = row_min.min(cell);
            }
            if row_min > bound {
                return None;
            }
            std::mem::swap(&mut self.before_previous, &mut self.previous);
            std::mem::swap(&mut self.previous, &mut self.current);
        }

        // After the last swap the final row sits in `previous`.
        let last_row = &self.previous;
        let prefix = last_row.iter().copied().min().unwrap_or(over);
        let whole = (columns == term.len()).then(|| last_row[columns]).filter(|&d| d <= bound);
        (prefix <= bound).then_some(Distances { whole, prefix })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure(query: &str, term: &str) -> Option<Distances> {
        let bound = max_edits(query.chars().count());
        EditDistance::default().measure(query.as_bytes(), term.as_bytes(), bound)
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
        let found = measure("fuhrreschein", "fuhrerschein");
        assert_eq!(found.and_then(|d| d.whole), Some(1));
        let found = measure("hnud", "hund");
        assert_eq!(found.and_then(|d| d.whole), Some(1));
    }

    #[test]
    fn prefix_distance_for_partial_words() {
        let cases = [
            ("andern", "anderung", Some(1)),
            ("fuhrersch", "fuhrerschein", Some(0)),
            ("fuhrresch", "fuhrerschein", Some(1)),
            ("stilllegen", "stilllegung", Some(1)),
            ("xyzzy", "fuhrerschein", None),
        ];
        for (query, term, expected) in cases {
            let prefix = measure(query, term).map(|found| found.prefix);
            assert_eq!(prefix, expected, "{query:?} against {term:?}");
        }
    }
}
