//! Keeping a table's view (search, filters, sort, page, hidden columns,
//! chart) in the URL fragment, so a link reproduces what its sender saw.
//!
//! The fragment is a list of `&`-separated parts. The parts of one table
//! start with its key (`tabelle` unless `fragment-key` renames it) and a
//! dot; every other part of the fragment stays as it was:
//!
//! | part | meaning |
//! | --- | --- |
//! | `tabelle.q=Müll` | search text |
//! | `tabelle.s=Bezirk,!Einwohner` | sort keys by column name, `!` for descending |
//! | `tabelle.p=3`, `tabelle.n=50` | page and page size |
//! | `tabelle.h=Id,Kommentar` | hidden columns |
//! | `tabelle.f.Bezirk=c:mitte` | contains filter |
//! | `tabelle.f.Einwohner=n:1000:` | number range, either side may be empty |
//! | `tabelle.f.Datum=d:2024-01-01:2024-12-31` | date range |
//! | `tabelle.f.Art=v:Kita,Schule` | value list |
//! | `tabelle.c=Bezirk,Einwohner` | chart of the second column over the first |
//!
//! Names and texts are percent-encoded (UTF-8). The encoding escapes every
//! byte except letters, digits and `-._*`, so the separators `,`, `:`,
//! `!` and `=` never occur inside an encoded name. Columns are named rather
//! than numbered, so a link stays right when the publisher adds a column.
//! Reading never fails: a part that cannot be read is skipped and reported
//! in [`ViewState`]'s companion list of problems.

use ogkit_core::table::{parse_date, ColumnFilter};

/// The view of a table as the URL keeps it, with columns by name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ViewState {
    /// Search text over all columns.
    pub search: String,
    /// Sort keys: column name and true for descending.
    pub sort: Vec<(String, bool)>,
    /// Filters by column name.
    pub filters: Vec<(String, ColumnFilter)>,
    /// 1-based page; `None` for the first page.
    pub page: Option<usize>,
    /// Rows per page; `None` for the configured size.
    pub page_size: Option<usize>,
    /// Columns the reader has hidden.
    pub hidden: Vec<String>,
    /// Chart shown: the category or date column and the number column.
    pub chart: Option<(String, String)>,
}

/// Reads the view of the table `key` from a fragment (with or without
/// `#`). Returns the state and a description of every part that was
/// skipped.
pub fn read_fragment(fragment: &str, key: &str) -> (ViewState, Vec<String>) {
    let mut state = ViewState::default();
    let mut problems = Vec::new();
    let prefix = format!("{key}.");

    for part in parts(fragment) {
        let Some(field) = part.strip_prefix(&prefix) else { continue };
        let (name, value) = field.split_once('=').unwrap_or((field, ""));
        let skipped = |problems: &mut Vec<String>, why: &str| problems.push(format!("{part}: {why}"));
        match name {
            "q" => state.search = decode_component(value),
            "s" => {
                for item in value.split(',').filter(|item| !item.is_empty()) {
                    let (descending, column) = match item.strip_prefix('!') {
                        Some(column) => (true, column),
                        None => (false, item),
                    };
                    let column = decode_component(column);
                    if column.is_empty() {
                        skipped(&mut problems, "empty column name in the sort");
                    } else if !state.sort.iter().any(|(name, _)| *name == column) {
                        state.sort.push((column, descending));
                    }
                }
            }
            "p" => match value.parse::<usize>() {
                Ok(page) if page >= 1 => state.page = Some(page),
                _ => skipped(&mut problems, "expected a page number from 1"),
            },
            "n" => match value.parse::<usize>() {
                Ok(size) if (1..=super::config::MAX_PAGE_SIZE).contains(&size) => state.page_size = Some(size),
                _ => skipped(&mut problems, "expected a page size from 1 to 500"),
            },
            "h" => {
                state.hidden =
                    value.split(',').map(decode_component).filter(|column| !column.is_empty()).collect();
            }
            "c" => match value.split_once(',') {
                Some((x, y)) if !x.is_empty() && !y.is_empty() => {
                    state.chart = Some((decode_component(x), decode_component(y)));
                }
                _ => skipped(&mut problems, "expected two column names for the chart"),
            },
            _ => match name.strip_prefix("f.") {
                Some(column) if !column.is_empty() => match read_filter(value) {
                    Some(filter) => {
                        let column = decode_component(column);
                        state.filters.retain(|(name, _)| *name != column);
                        state.filters.push((column, filter));
                    }
                    None => skipped(&mut problems, "the filter cannot be read"),
                },
                _ => skipped(&mut problems, "unknown part"),
            },
        }
    }
    (state, problems)
}

/// Returns `fragment` (with or without `#`) with the parts of table `key`
/// replaced by `state`; other parts keep their order. The result has no
/// leading `#` and is empty when no part remains.
pub fn write_fragment(fragment: &str, key: &str, state: &ViewState) -> String {
    let prefix = format!("{key}.");
    let mut output: Vec<String> =
        parts(fragment).filter(|part| !part.starts_with(&prefix)).map(str::to_string).collect();

    if !state.search.is_empty() {
        output.push(format!("{prefix}q={}", encode_component(&state.search)));
    }
    if !state.sort.is_empty() {
        let items: Vec<String> = state
            .sort
            .iter()
            .map(|(column, descending)| {
                let name = encode_component(column);
                if *descending {
                    format!("!{name}")
                } else {
                    name
                }
            })
            .collect();
        output.push(format!("{prefix}s={}", items.join(",")));
    }
    for (column, filter) in &state.filters {
        if let Some(value) = write_filter(filter) {
            output.push(format!("{prefix}f.{}={value}", encode_component(column)));
        }
    }
    if let Some(page) = state.page.filter(|page| *page > 1) {
        output.push(format!("{prefix}p={page}"));
    }
    if let Some(size) = state.page_size {
        output.push(format!("{prefix}n={size}"));
    }
    if !state.hidden.is_empty() {
        let names: Vec<String> = state.hidden.iter().map(|name| encode_component(name)).collect();
        output.push(format!("{prefix}h={}", names.join(",")));
    }
    if let Some((x, y)) = &state.chart {
        output.push(format!("{prefix}c={},{}", encode_component(x), encode_component(y)));
    }
    output.join("&")
}

fn parts(fragment: &str) -> impl Iterator<Item = &str> {
    fragment.trim_start_matches('#').split('&').filter(|part| !part.is_empty())
}

fn read_filter(value: &str) -> Option<ColumnFilter> {
    let (kind, rest) = value.split_once(':')?;
    match kind {
        "c" => {
            let text = decode_component(rest);
            (!text.trim().is_empty()).then_some(ColumnFilter::Contains(text))
        }
        "n" => {
            let (min, max) = rest.split_once(':')?;
            let min = read_bound(min, read_number)?;
            let max = read_bound(max, read_number)?;
            (min.is_some() || max.is_some()).then_some(ColumnFilter::NumberRange { min, max })
        }
        "d" => {
            let (from, to) = rest.split_once(':')?;
            let from = read_bound(from, |text| parse_date(&decode_component(text)))?;
            let to = read_bound(to, |text| parse_date(&decode_component(text)))?;
            (from.is_some() || to.is_some()).then_some(ColumnFilter::DateRange { from, to })
        }
        "v" => {
            let values: Vec<String> = rest.split(',').map(decode_component).collect();
            (!rest.is_empty()).then_some(ColumnFilter::OneOf(values))
        }
        _ => None,
    }
}

/// Reads one side of a range: `Some(None)` when empty, `None` when it
/// cannot be read.
fn read_bound<T>(text: &str, read: impl Fn(&str) -> Option<T>) -> Option<Option<T>> {
    if text.is_empty() {
        Some(None)
    } else {
        read(text).map(Some)
    }
}

fn read_number(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|number| number.is_finite())
}

fn write_filter(filter: &ColumnFilter) -> Option<String> {
    match filter {
        ColumnFilter::Contains(text) if !text.trim().is_empty() => Some(format!("c:{}", encode_component(text))),
        ColumnFilter::Contains(_) => None,
        ColumnFilter::NumberRange { min: None, max: None } | ColumnFilter::DateRange { from: None, to: None } => None,
        ColumnFilter::NumberRange { min, max } => {
            let side = |bound: &Option<f64>| bound.map(|number| number.to_string()).unwrap_or_default();
            Some(format!("n:{}:{}", side(min), side(max)))
        }
        ColumnFilter::DateRange { from, to } => {
            let side = |bound: &Option<ogkit_core::table::DateValue>| {
                bound.map(|date| encode_component(&date.to_iso())).unwrap_or_default()
            };
            Some(format!("d:{}:{}", side(from), side(to)))
        }
        ColumnFilter::OneOf(values) if values.is_empty() => None,
        ColumnFilter::OneOf(values) => {
            let values: Vec<String> = values.iter().map(|value| encode_component(value)).collect();
            Some(format!("v:{}", values.join(",")))
        }
    }
}

/// Percent-decodes `text` as UTF-8; `+` stays a plus sign, a `%` that
/// starts no escape stays as it is, and invalid UTF-8 becomes U+FFFD.
pub fn decode_component(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut output = Vec::with_capacity(bytes.len());
    let mut position = 0;
    while position < bytes.len() {
        let byte = bytes[position];
        let escaped = if byte == b'%' {
            text.get(position + 1..position + 3).and_then(|digits| u8::from_str_radix(digits, 16).ok())
        } else {
            None
        };
        match escaped {
            Some(value) => {
                output.push(value);
                position += 3;
            }
            None => {
                output.push(byte);
                position += 1;
            }
        }
    }
    String::from_utf8_lossy(&output).into_owned()
}

const HEX_DIGITS: &[u8; 16] = b"0123456789ABCDEF";

/// Percent-encodes every byte of `text` except ASCII letters, digits and
/// `-._*`.
pub fn encode_component(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'*') {
            output.push(char::from(byte));
        } else {
            output.push('%');
            output.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
            output.push(char::from(HEX_DIGITS[usize::from(byte & 0x0F)]));
        }
    }
    output
}

#[cfg(test)]
mod tests {
    use ogkit_core::table::DateValue;

    use super::*;

    fn full_state() -> ViewState {
        ViewState {
            search: "Müll & Abfall, 100%".into(),
            sort: vec![("Bezirk".into(), false), ("Plan 2012".into(), true)],
            filters: vec![
                ("Bezeichnung".into(), ColumnFilter::Contains("straße".into())),
                ("Plan 2012".into(), ColumnFilter::NumberRange { min: Some(-35.5), max: None }),
                ("Datum".into(), ColumnFilter::DateRange { from: parse_date("2024-01-01"), to: parse_date("31.12.2024 23:59") }),
                ("Art".into(), ColumnFilter::OneOf(vec!["Kita, städtisch".into(), "".into(), "Schule!".into()])),
            ],
            page: Some(3),
            page_size: Some(50),
            hidden: vec!["Id".into(), "Kommentar: intern".into()],
            chart: Some(("Bezirk".into(), "Plan 2012".into())),
        }
    }

    #[test]
    fn written_state_reads_back() {
        let state = full_state();
        let fragment = write_fragment("", "tabelle", &state);
        let (read, problems) = read_fragment(&fragment, "tabelle");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(read, state);
    }

    #[test]
    fn other_parts_are_kept() {
        let state = ViewState { search: "a".into(), ..ViewState::default() };
        let fragment = write_fragment("#oben&tabelle.q=alt&andere.p=2", "tabelle", &state);
        assert_eq!(fragment, "oben&andere.p=2&tabelle.q=a");
        assert_eq!(write_fragment("oben&tabelle.p=4", "tabelle", &ViewState::default()), "oben");
    }

    #[test]
    fn separators_are_encoded() {
        let state = full_state();
        let fragment = write_fragment("", "t", &state);
        assert!(fragment.contains("t.s=Bezirk,!Plan%202012"), "{fragment}");
        assert!(fragment.contains("t.f.Art=v:Kita%2C%20st%C3%A4dtisch,,Schule%21"), "{fragment}");
        assert!(!fragment.contains(' '), "{fragment}");
    }

    #[test]
    fn key_separates_tables() {
        let fragment = "haushalt.q=schule&wahl.q=kirche";
        assert_eq!(read_fragment(fragment, "haushalt").0.search, "schule");
        assert_eq!(read_fragment(fragment, "wahl").0.search, "kirche");
        assert_eq!(read_fragment(fragment, "tabelle").0, ViewState::default());
    }

    #[test]
    fn first_page_and_empty_state_write_nothing() {
        let state = ViewState { page: Some(1), ..ViewState::default() };
        assert_eq!(write_fragment("", "tabelle", &state), "");
    }

    #[test]
    fn bad_parts_are_skipped() {
        let cases = [
            "tabelle.p=abc",
            "tabelle.p=0",
            "tabelle.n=100000",
            "tabelle.c=nur-eine",
            "tabelle.f.Zahl=n:eins:",
            "tabelle.f.Zahl=n:5",
            "tabelle.f.Datum=d:2024-02-30:",
            "tabelle.f.X=z:1",
            "tabelle.f.X",
            "tabelle.f.=c:x",
            "tabelle.zzz=1",
            "tabelle.s=!",
        ];
        for fragment in cases {
            let (state, problems) = read_fragment(fragment, "tabelle");
            assert_eq!(state, ViewState::default(), "{fragment}");
            assert_eq!(problems.len(), 1, "{fragment}: {problems:?}");
        }
    }

    #[test]
    fn good_parts_survive_bad_neighbours() {
        let (state, problems) = read_fragment("#tabelle.p=x&tabelle.q=ok&tabelle.f.A=n:1:2", "tabelle");
        assert_eq!(state.search, "ok");
        assert_eq!(state.filters, [("A".to_string(), ColumnFilter::NumberRange { min: Some(1.0), max: Some(2.0) })]);
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn broken_escapes_decode_leniently() {
        assert_eq!(read_fragment("tabelle.q=50%zz", "tabelle").0.search, "50%zz");
        assert_eq!(read_fragment("tabelle.q=%FF", "tabelle").0.search, "\u{FFFD}");
        assert_eq!(read_fragment("tabelle.q=%C3%BC%", "tabelle").0.search, "ü%");
        assert_eq!(read_fragment("tabelle.q=a+b", "tabelle").0.search, "a+b");
    }

    #[test]
    fn repeated_sort_column_counts_once() {
        let (state, _) = read_fragment("tabelle.s=A,!A,B", "tabelle");
        assert_eq!(state.sort, [("A".to_string(), false), ("B".to_string(), false)]);
    }

    #[test]
    fn date_bounds_keep_time() {
        let (state, _) = read_fragment("tabelle.f.D=d::2024-12-31T23%3A59%3A00", "tabelle");
        let expected = DateValue { year: 2024, month: 12, day: 31, hour: 23, minute: 59, second: 0, has_time: true };
        assert_eq!(state.filters, [("D".to_string(), ColumnFilter::DateRange { from: None, to: Some(expected) })]);
    }
}
