//! Splitting a service name into plain and highlighted parts.
//!
//! The search returns byte ranges of the matched words in the name. The
//! widget builds one `<mark>` element per highlighted part, never an HTML
//! string. Ranges are widened so that a combining mark (an umlaut stored as
//! `a` + U+0308) always stays with its base letter.

use std::ops::Range;

/// A run of the name, highlighted or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    /// The text of this run, a slice of the name.
    pub text: &'a str,
    /// True when the run matched the query.
    pub marked: bool,
}

/// Splits `name` into runs at `ranges`. Ranges may overlap, come in any
/// order or reach past the end; those that do not fall on character
/// boundaries are moved outward to the nearest boundary.
pub fn segments<'a>(name: &'a str, ranges: &[Range<usize>]) -> Vec<Segment<'a>> {
    let mut spans: Vec<Range<usize>> = ranges
        .iter()
        .map(|range| widen(name, range.start.min(name.len()), range.end.min(name.len())))
        .filter(|range| range.start < range.end)
        .collect();
    // Insertion sort: a name has a handful of ranges, and the standard
    // sort would add several KB of generic code to the wasm module.
    for unsorted in 1..spans.len() {
        let mut position = unsorted;
        while position > 0 && spans[position - 1].start > spans[position].start {
            spans.swap(position - 1, position);
            position -= 1;
        }
    }

    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }

    let mut output = Vec::with_capacity(merged.len() * 2 + 1);
    let mut position = 0;
    for span in merged {
        if let Some(text) = name.get(position..span.start).filter(|text| !text.is_empty()) {
            output.push(Segment { text, marked: false });
        }
        if let Some(text) = name.get(span.clone()) {
            output.push(Segment { text, marked: true });
        }
        position = span.end;
    }
    if let Some(text) = name.get(position..).filter(|text| !text.is_empty()) {
        output.push(Segment { text, marked: false });
    }
    output
}

/// Moves `start` back and `end` forward to character boundaries, then
/// keeps combining marks with their base letter on both sides.
fn widen(name: &str, mut start: usize, mut end: usize) -> Range<usize> {
    while start > 0 && !name.is_char_boundary(start) {
        start -= 1;
    }
    while end < name.len() && !name.is_char_boundary(end) {
        end += 1;
    }
    // A range must not start on a mark: take the letter it belongs to.
    while start > 0 && name.get(start..).and_then(|rest| rest.chars().next()).is_some_and(is_combining) {
        start -= name.get(..start).and_then(|head| head.chars().next_back()).map_or(1, char::len_utf8);
    }
    while let Some(mark) = name.get(end..).and_then(|rest| rest.chars().next()).filter(|c| is_combining(*c)) {
        end += mark.len_utf8();
    }
    start..end
}

/// Returns true for characters of the Unicode combining diacritical mark
/// blocks, which attach to the letter before them.
fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(name: &str, ranges: &[Range<usize>]) -> String {
        segments(name, ranges)
            .iter()
            .map(|segment| if segment.marked { format!("[{}]", segment.text) } else { segment.text.to_string() })
            .collect()
    }

    #[test]
    fn marks_ranges_in_order() {
        assert_eq!(render("Personalausweis beantragen", &[16..26, 0..8]), "[Personal]ausweis [beantragen]");
    }

    #[test]
    fn overlapping_ranges_merge() {
        assert_eq!(render("Müllabfuhr", &[0..3, 1..5]), "[Müll]abfuhr");
    }

    #[test]
    fn decomposed_umlaut_stays_whole() {
        // "Wasserza" + U+0308 + "hler ablesen": a range ending after the "a"
        // must take the combining diaeresis with it.
        let name = "Wasserza\u{0308}hler ablesen";
        assert_eq!(render(name, &[0..8]), "[Wasserza\u{0308}]hler ablesen");
        // A range starting on the mark moves back to its letter.
        assert_eq!(render(name, &[8..14]), "Wasserz[a\u{0308}hler] ablesen");
    }

    #[test]
    fn ranges_inside_characters_widen() {
        // Byte 2 is inside "ü".
        assert_eq!(render("Müll", &[0..2]), "[Mü]ll");
    }

    #[test]
    fn out_of_bounds_ranges_are_clamped() {
        assert_eq!(render("Amt", &[1..99, 50..60]), "A[mt]");
        assert_eq!(render("", &[0..3]), "");
    }

    #[test]
    fn reversed_ranges_are_ignored() {
        #[allow(clippy::reversed_empty_ranges)]
        let ranges = [3..1];
        assert_eq!(render("Hund", &ranges), "Hund");
    }
}
