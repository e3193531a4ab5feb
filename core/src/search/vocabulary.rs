//! The vocabulary of an index: every distinct folded term, sorted, stored
//! back to back in one string.
//!
//! Sorting puts all terms with a given prefix next to each other, so prefix
//! lookup is a binary search followed by a scan, and the typo search can
//! skip whole runs of terms. For compound parts ("besitzkarte" inside
//! "waffenbesitzkarte") a bigram index lists, for each pair of bytes, the
//! terms that contain it after their first byte. A query word's rarest
//! bigram narrows the candidates to a few terms before a substring check.

use std::ops::Range;

/// Number of byte classes; a bigram key is a pair of classes.
const BYTE_CLASSES: usize = 38;

/// Sorted distinct terms with a bigram index for inner substrings.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vocabulary {
    /// All terms concatenated in sorted order.
    text: String,
    /// Start of each term in `text`, plus the end of the last one.
    starts: Vec<u32>,
    /// Start of each bigram's list in `bigram_terms`, plus the end.
    bigram_starts: Vec<u32>,
    /// Term numbers per bigram, ascending within each list.
    bigram_terms: Vec<u32>,
}

impl Vocabulary {
    /// Builds the vocabulary from terms that are already sorted and distinct.
    pub(crate) fn new<'a>(sorted_terms: impl Iterator<Item = &'a str>) -> Vocabulary {
        let mut text = String::new();
        let mut starts = Vec::new();
        for term in sorted_terms {
            starts.push(text.len() as u32);
            text.push_str(term);
        }
        starts.push(text.len() as u32);

        let mut vocabulary = Vocabulary { text, starts, bigram_starts: Vec::new(), bigram_terms: Vec::new() };
        vocabulary.index_bigrams();
        vocabulary
    }

    /// Fills the bigram lists with two passes: count, then place.
    fn index_bigrams(&mut self) {
        let mut counts = vec![0u32; BYTE_CLASSES * BYTE_CLASSES + 1];
        self.for_each_inner_bigram(|key, _| counts[key + 1] += 1);
        for key in 1..counts.len() {
            counts[key] += counts[key - 1];
        }
        let mut next = counts.clone();
        let mut terms = vec![0u32; counts[counts.len() - 1] as usize];
        let mut filled = 0;
        self.for_each_inner_bigram(|key, term| {
            terms[next[key] as usize] = term;
            next[key] += 1;
            filled += 1;
        });
        debug_assert_eq!(filled, terms.len(), "both passes visit the same bigrams");
        self.bigram_starts = counts;
        self.bigram_terms = terms;
    }

    /// Calls `visit` with the key and term number of each distinct bigram
    /// that starts after the first byte of a term.
    fn for_each_inner_bigram(&self, mut visit: impl FnMut(usize, u32)) {
        let mut seen = Vec::new();
        for number in 0..self.len() {
            seen.clear();
            let term = self.term(number).as_bytes();
            for pair in term.windows(2).skip(1) {
                let key = bigram_key(pair[0], pair[1]);
                if !seen.contains(&key) {
                    seen.push(key);
                    visit(key, number as u32);
                }
            }
        }
    }

    /// Number of terms.
    pub(crate) fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Returns term `number`.
    pub(crate) fn term(&self, number: usize) -> &str {
        let start = self.starts.get(number).copied().unwrap_or(0) as usize;
        let end = self.starts.get(number + 1).copied().unwrap_or(0) as usize;
        self.text.get(start..end).unwrap_or("")
    }

    /// Returns the number of the first term not less than `word`.
    pub(crate) fn lower_bound(&self, word: &str) -> usize {
        self.partition_point(0, self.len(), &|term| term < word.as_bytes())
    }

    /// Returns the numbers of the terms that start with `prefix`.
    pub(crate) fn prefixed(&self, prefix: &str) -> Range<usize> {
        let first = self.lower_bound(prefix);
        first..self.partition_point(first, self.len(), &|term| term.starts_with(prefix.as_bytes()))
    }

    /// Returns the numbers of the terms whose first byte is `byte`.
    pub(crate) fn starting_with_byte(&self, byte: u8) -> Range<usize> {
        let first = self.partition_point(0, self.len(), &|term| term.first().is_none_or(|&first| first < byte));
        first..self.partition_point(first, self.len(), &|term| term.first().is_some_and(|&first| first == byte))
    }

    /// Returns the number of the first term after `from` that does not
    /// start with `prefix`, given that term `from` does.
    ///
    /// The typo search calls this for every hopeless prefix, and most such
    /// runs are a few terms long. So the search gallops forward from `from`
    /// before it bisects, and its cost grows with the log of the run's
    /// length, not of the vocabulary's.
    pub(crate) fn end_of_prefix(&self, from: usize, prefix: &[u8]) -> usize {
        let len = self.len();
        let mut low = from + 1;
        let mut step = 1;
        let high = loop {
            let probe = from + step;
            if probe >= len || !self.term_bytes(probe).starts_with(prefix) {
                break probe.min(len);
            }
            low = probe + 1;
            step *= 2;
        };
        self.partition_point(low, high, &|term| term.starts_with(prefix))
    }

    /// Returns the first term number in `low..high` for which `is_before`
    /// is false, given that it is true for all terms before that one and
    /// false for all after. One non-generic function keeps the wasm small.
    fn partition_point(&self, mut low: usize, mut high: usize, is_before: &dyn Fn(&[u8]) -> bool) -> usize {
        while low < high {
            let middle = (low + high) / 2;
            if is_before(self.term_bytes(middle)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }

    /// Returns the bytes of term `number`.
    fn term_bytes(&self, number: usize) -> &[u8] {
        self.term(number).as_bytes()
    }

    /// Returns the number of the term equal to `word`.
    pub(crate) fn find(&self, word: &str) -> Option<u32> {
        let position = self.lower_bound(word);
        (position < self.len() && self.term(position) == word).then_some(position as u32)
    }

    /// Calls `visit` with every term that contains `word` after its first
    /// byte, in term order, and the byte position of the first such
    /// occurrence. `word` must have at least two bytes.
    pub(crate) fn for_each_containing(&self, word: &str, mut visit: impl FnMut(u32, usize)) {
        let bytes = word.as_bytes();
        let Some(rarest) = bytes
            .windows(2)
            .map(|pair| bigram_key(pair[0], pair[1]))
            .min_by_key(|&key| self.bigram_starts[key + 1] - self.bigram_starts[key])
        else {
            return;
        };
        let candidates = &self.bigram_terms[self.bigram_starts[rarest] as usize..self.bigram_starts[rarest + 1] as usize];
        for &number in candidates {
            let term = self.term(number as usize).as_bytes();
            if term.len() <= bytes.len() {
                continue;
            }
            // A match of valid UTF-8 inside valid UTF-8 always starts on a
            // character boundary, so comparing bytes is safe.
            let first = bytes[0];
            let found = (1..=term.len() - bytes.len())
                .find(|&position| term[position] == first && &term[position..position + bytes.len()] == bytes);
            if let Some(position) = found {
                visit(number, position);
            }
        }
    }
}

/// Maps a byte pair to its bigram key. Letters and digits get classes of
/// their own; every other byte (UTF-8 of other scripts, punctuation) shares
/// one, which only makes those lists longer.
fn bigram_key(first: u8, second: u8) -> usize {
    byte_class(first) * BYTE_CLASSES + byte_class(second)
}

fn byte_class(byte: u8) -> usize {
    match byte {
        b'a'..=b'z' => (byte - b'a') as usize,
        b'0'..=b'9' => 26 + (byte - b'0') as usize,
        _ => 36,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vocabulary {
        let mut terms = vec!["waffenbesitzkarte", "besitzkarte", "kampfhund", "hundesteuer", "hund", "lodz", "łodz"];
        terms.sort();
        Vocabulary::new(terms.into_iter())
    }

    fn containing(vocabulary: &Vocabulary, word: &str) -> Vec<(String, usize)> {
        let mut found = Vec::new();
        vocabulary.for_each_containing(word, |number, position| {
            found.push((vocabulary.term(number as usize).to_owned(), position))
        });
        found
    }

    #[test]
    fn inner_parts_found() {
        let vocabulary = sample();
        assert_eq!(containing(&vocabulary, "besitzkarte"), [("waffenbesitzkarte".to_owned(), 6)]);
        assert_eq!(containing(&vocabulary, "hund"), [("kampfhund".to_owned(), 5)]);
        assert_eq!(containing(&vocabulary, "steuer"), [("hundesteuer".to_owned(), 5)]);
    }

    #[test]
    fn non_ascii_terms_found() {
        let vocabulary = sample();
        assert_eq!(containing(&vocabulary, "odz"), [("lodz".to_owned(), 1), ("łodz".to_owned(), 2)]);
        let found = containing(&vocabulary, "łodz");
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn prefix_range_and_lookup() {
        let vocabulary = sample();
        let range = vocabulary.prefixed("hund");
        let terms: Vec<&str> = range.map(|number| vocabulary.term(number)).collect();
        assert_eq!(terms, ["hund", "hundesteuer"]);
        assert_eq!(vocabulary.find("hund").map(|number| vocabulary.term(number as usize)), Some("hund"));
        assert_eq!(vocabulary.find("hun"), None);
        let first = vocabulary.lower_bound("hu");
        assert_eq!(vocabulary.term(vocabulary.end_of_prefix(first, b"hu")), "kampfhund");
    }

    #[test]
    fn terms_by_first_byte() {
        let vocabulary = sample();
        let terms = |byte: u8| -> Vec<&str> { vocabulary.starting_with_byte(byte).map(|number| vocabulary.term(number)).collect() };
        assert_eq!(terms(b'h'), ["hund", "hundesteuer"]);
        assert_eq!(terms(b'l'), ["lodz"]);
        assert!(terms(b'x').is_empty());
        assert_eq!(terms("ł".as_bytes()[0]), ["łodz"]);
        assert!(terms(u8::MAX).is_empty());
    }

    #[test]
    fn end_of_prefix_over_long_runs() {
        let mut terms: Vec<String> = (0..40).map(|number| format!("ab{number:02}")).collect();
        terms.push("ac".to_owned());
        terms.sort();
        let vocabulary = Vocabulary::new(terms.iter().map(String::as_str));
        for from in [0, 1, 17, 39] {
            assert_eq!(vocabulary.end_of_prefix(from, b"ab"), 40, "from term {from}");
        }
        assert_eq!(vocabulary.end_of_prefix(0, b"ab0"), 10);
        assert_eq!(vocabulary.end_of_prefix(0, b"a"), 41);
        assert_eq!(vocabulary.end_of_prefix(40, b"ac"), 41);
    }

    #[test]
    fn empty_vocabulary() {
        let vocabulary = Vocabulary::new(std::iter::empty());
        assert_eq!(vocabulary.len(), 0);
        assert!(containing(&vocabulary, "hund").is_empty());
        assert_eq!(vocabulary.prefixed("a"), 0..0);
    }
}
