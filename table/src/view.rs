//! Choosing, ordering and paging the rows that the widget shows.
//!
//! Every operation works on row indices into the [`Table`] and never copies
//! a row, so a table of 100,000 rows can be filtered and sorted on each
//! keystroke. Text sorts in German dictionary order (see
//! [`collation_key`]), numbers and dates by value, and missing values come
//! last in both directions. Sorting is stable: rows that compare equal keep
//! the order they came in.

use std::cmp::Ordering;

use super::collate::collation_key;
use super::infer::{format_number, DateValue, Value};
use super::message::{message, Lang};
use super::Table;
use ogkit_text::fold;

mod steps;

pub use steps::{Folding, Selection};

/// One sort criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortKey {
    /// Index of the column in [`Table::columns`].
    pub column: usize,
    /// True for descending order.
    pub descending: bool,
}

/// A filter on one column.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnFilter {
    /// The cell text contains this text, compared after German folding
    /// (`strasse` finds `Straße`, `muell` finds `Müll`).
    Contains(String),
    /// The number lies between the bounds, both inclusive; `None` leaves a
    /// side open. Rows without a number are left out.
    NumberRange {
        /// Lowest value kept.
        min: Option<f64>,
        /// Highest value kept.
        max: Option<f64>,
    },
    /// The date lies between the bounds, both inclusive. A bound without a
    /// time compares only the day, so `to` keeps the whole last day.
    DateRange {
        /// First date kept.
        from: Option<DateValue>,
        /// Last date kept.
        to: Option<DateValue>,
    },
    /// The trimmed cell text is one of these; `""` selects empty cells.
    OneOf(Vec<String>),
}

/// Everything that decides which rows are shown, and in which order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// Words that must all occur in a row, in any visible column, compared
    /// after German folding. Empty means no search.
    pub search: String,
    /// Filters that must all hold, by column index.
    pub filters: Vec<(usize, ColumnFilter)>,
    /// Sort criteria, the first one deciding first. Empty keeps file order.
    pub sort: Vec<SortKey>,
}

/// Sort value of one cell.
#[derive(Debug, Clone, PartialEq)]
enum SortValue {
    Number(f64),
    Date(DateValue),
    Bool(bool),
    Text(Vec<u32>),
    Missing,
}

impl SortValue {
    /// Compares two present values; `None` when either is missing.
    fn compare(&self, other: &SortValue) -> Option<Ordering> {
        match (self, other) {
            (SortValue::Number(a), SortValue::Number(b)) => Some(a.total_cmp(b)),
            (SortValue::Date(a), SortValue::Date(b)) => Some(a.cmp(b)),
            (SortValue::Bool(a), SortValue::Bool(b)) => Some(a.cmp(b)),
            (SortValue::Text(a), SortValue::Text(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

impl Table {
    /// Returns the indices of the rows that pass `query`, in display order.
    ///
    /// ```
    /// use ogkit_table::{read_csv, CsvOptions, Query, SortKey};
    ///
    /// let loaded = read_csv("Name\nÖl\nOfen\nZaun\n".as_bytes(), &CsvOptions::default());
    /// let query = Query { sort: vec![SortKey { column: 0, descending: false }], ..Query::default() };
    /// assert_eq!(loaded.table.select(&query), [1, 0, 2]);
    /// ```
    pub fn select(&self, query: &Query) -> Vec<usize> {
        let mut rows = self.filter_rows(query);
        self.sort_rows(&mut rows, &query.sort);
        rows
    }

    /// Returns the indices of the rows that pass the search and the filters
    /// of `query`, in file order.
    pub fn filter_rows(&self, query: &Query) -> Vec<usize> {
        let words: Vec<String> = query
            .search
            .split_whitespace()
            .map(fold)
            .filter(|word| !word.is_empty())
            .collect();
        let filters: Vec<(usize, PreparedFilter)> = query
            .filters
            .iter()
            .map(|(column, filter)| (*column, self.prepare_filter(*column, filter)))
            .collect();
        let visible: Vec<usize> = (0..self.columns.len())
            .filter(|&index| !self.columns[index].hidden)
            .collect();

        (0..self.rows)
            .filter(|&row| {
                let search_hit = words.iter().all(|word| {
                    visible
                        .iter()
                        .any(|&column| self.columns[column].folded(row).contains(word.as_str()))
                });
                search_hit
                    && filters
                        .iter()
                        .all(|(column, filter)| self.passes(row, *column, filter))
            })
            .collect()
    }

    /// Prepares `filter` on `column`. A contains filter is evaluated for
    /// all rows at once here, in one search over the folded column.
    fn prepare_filter(&self, column: usize, filter: &ColumnFilter) -> PreparedFilter {
        match (PreparedFilter::new(filter), self.columns.get(column)) {
            (PreparedFilter::Contains(needle), Some(target)) => {
                PreparedFilter::Rows(target.folded_texts().rows_containing(&needle))
            }
            (prepared, _) => prepared,
        }
    }

    fn passes(&self, row: usize, column: usize, filter: &PreparedFilter) -> bool {
        let Some(column) = self.columns.get(column) else {
            return false;
        };
        match filter {
            PreparedFilter::Contains(needle) => column.folded(row).contains(needle.as_str()),
            PreparedFilter::Rows(rows) => rows.get(row).copied().unwrap_or(false),
            PreparedFilter::NumberRange { min, max } => match column.value(row) {
                Value::Number(value) => {
                    min.is_none_or(|min| value >= min) && max.is_none_or(|max| value <= max)
                }
                _ => false,
            },
            PreparedFilter::DateRange { from, to } => match column.value(row) {
                Value::Date(value) => {
                    let after = from.is_none_or(|from| date_for_bound(value, from) >= from);
                    let before = to.is_none_or(|to| date_for_bound(value, to) <= to);
                    after && before
                }
                _ => false,
            },
            PreparedFilter::OneOf(values) => {
                let text = column.text(row).trim();
                values.iter().any(|value| value == text)
            }
        }
    }

    /// Sorts `rows` (indices into this table) by `keys`, stably. Keys that
    /// name no column are ignored.
    pub fn sort_rows(&self, rows: &mut [usize], keys: &[SortKey]) {
        let keys: Vec<SortKey> = keys
            .iter()
            .copied()
            .filter(|key| key.column < self.columns.len())
            .collect();
        if keys.is_empty() || rows.len() < 2 {
            return;
        }
        let values: Vec<Vec<SortValue>> = keys
            .iter()
            .map(|key| {
                rows.iter()
                    .map(|&row| self.sort_value(row, key.column))
                    .collect()
            })
            .collect();

        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|&a, &b| {
            for (key, values) in keys.iter().zip(&values) {
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
        });

        let sorted: Vec<usize> = order.iter().map(|&position| rows[position]).collect();
        rows.copy_from_slice(&sorted);
    }

    fn sort_value(&self, row: usize, column: usize) -> SortValue {
        let column = &self.columns[column];
        match column.value(row) {
            Value::Missing => SortValue::Missing,
            Value::Number(value) => SortValue::Number(value),
            Value::Date(value) => SortValue::Date(value),
            Value::Bool(value) => SortValue::Bool(value),
            Value::Text => SortValue::Text(collation_key(column.text(row))),
        }
    }

    /// Returns the distinct trimmed texts of `column` with their counts, in
    /// sort order, or `None` when there are more than `max` of them (the
    /// widget then offers a contains filter instead of a value list).
    pub fn distinct_values(&self, column: usize, max: usize) -> Option<Vec<(String, usize)>> {
        let target = self.columns.get(column)?;
        let mut counts: Vec<(String, usize, usize)> = Vec::new();
        let mut index = std::collections::HashMap::new();
        for row in 0..self.rows {
            let text = target.text(row).trim();
            match index.get(text) {
                Some(&position) => {
                    let entry: &mut (String, usize, usize) = &mut counts[position];
                    entry.1 += 1;
                }
                None => {
                    if counts.len() == max {
                        return None;
                    }
                    index.insert(text, counts.len());
                    counts.push((text.to_owned(), 1, row));
                }
            }
        }
        let mut rows: Vec<usize> = counts.iter().map(|(_, _, row)| *row).collect();
        self.sort_rows(
            &mut rows,
            &[SortKey {
                column,
                descending: false,
            }],
        );
        let order: std::collections::HashMap<usize, usize> = rows
            .iter()
            .enumerate()
            .map(|(position, row)| (*row, position))
            .collect();
        counts.sort_by_key(|(_, _, row)| order.get(row).copied().unwrap_or(usize::MAX));
        Some(
            counts
                .into_iter()
                .map(|(text, count, _)| (text, count))
                .collect(),
        )
    }
}

fn missing_last(a: &SortValue, b: &SortValue) -> Ordering {
    match (a == &SortValue::Missing, b == &SortValue::Missing) {
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => Ordering::Equal,
    }
}

fn date_for_bound(value: DateValue, bound: DateValue) -> DateValue {
    if bound.has_time {
        value
    } else {
        value.date_only()
    }
}

enum PreparedFilter {
    Contains(String),
    /// Whether each row passes, computed up front.
    Rows(Vec<bool>),
    NumberRange {
        min: Option<f64>,
        max: Option<f64>,
    },
    DateRange {
        from: Option<DateValue>,
        to: Option<DateValue>,
    },
    OneOf(Vec<String>),
}

impl PreparedFilter {
    fn new(filter: &ColumnFilter) -> PreparedFilter {
        match filter {
            ColumnFilter::Contains(text) => PreparedFilter::Contains(fold(text.trim())),
            ColumnFilter::NumberRange { min, max } => PreparedFilter::NumberRange {
                min: *min,
                max: *max,
            },
            ColumnFilter::DateRange { from, to } => PreparedFilter::DateRange {
                from: from.map(|from| {
                    if from.has_time {
                        from
                    } else {
                        from.date_only()
                    }
                }),
                to: to.map(|to| if to.has_time { to } else { to.date_only() }),
            },
            ColumnFilter::OneOf(values) => {
                PreparedFilter::OneOf(values.iter().map(|value| value.trim().to_owned()).collect())
            }
        }
    }
}

/// Returns the number of rows as the widget's status shows it, e.g.
/// "500.000 Einträge", "1 Eintrag" or "1,234 entries".
///
/// ```
/// use ogkit_table::{row_count_label, Lang};
///
/// assert_eq!(row_count_label(500_000, Lang::De), "500.000 Einträge");
/// ```
pub fn row_count_label(count: usize, lang: Lang) -> String {
    if count == 1 {
        return message("row-count-one", &[], lang);
    }
    let count = format_number(count as f64, lang);
    message("row-count", &[("count", &count)], lang)
}

/// The rows of one page, for `total` rows and pages of `size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageInfo {
    /// The page shown, 1-based, clamped to the pages that exist.
    pub page: usize,
    /// Number of pages; at least 1, also for no rows.
    pub page_count: usize,
    /// Index of the first row of the page in the selected rows (0-based).
    pub start: usize,
    /// Index after the last row of the page.
    pub end: usize,
    /// Number of selected rows.
    pub total: usize,
}

impl PageInfo {
    /// Computes page `page` (1-based) of `total` rows with `size` rows per
    /// page. A page beyond the last shows the last; size 0 counts as 1.
    ///
    /// ```
    /// use ogkit_table::{Lang, PageInfo};
    ///
    /// let page = PageInfo::new(1234, 20, 2);
    /// assert_eq!((page.start, page.end), (20, 40));
    /// assert_eq!(page.label(Lang::De), "21–40 von 1.234");
    /// ```
    pub fn new(total: usize, size: usize, page: usize) -> PageInfo {
        let size = size.max(1);
        let page_count = total.div_ceil(size).max(1);
        let page = page.clamp(1, page_count);
        let start = ((page - 1) * size).min(total);
        let end = start.saturating_add(size).min(total);
        PageInfo {
            page,
            page_count,
            start,
            end,
            total,
        }
    }

    /// Returns the range text, e.g. "21–40 von 1.234" or "0 von 0" when
    /// there are no rows.
    pub fn label(&self, lang: Lang) -> String {
        let total = format_number(self.total as f64, lang);
        if self.total == 0 {
            return message("page-range-empty", &[("total", &total)], lang);
        }
        let first = format_number((self.start + 1) as f64, lang);
        let last = format_number(self.end as f64, lang);
        message(
            "page-range",
            &[("first", &first), ("last", &last), ("total", &total)],
            lang,
        )
    }
}
