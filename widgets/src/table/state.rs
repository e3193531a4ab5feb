//! The reader's view of a loaded table: search, filters, sort, page,
//! hidden columns and chart, and how it maps to a core [`Query`] and to
//! the URL fragment.
//!
//! [`View`] is a Yew reducer state, so every change is one [`Action`]
//! with a native test. Range filters keep the text the reader typed
//! (`1.000`, `31.12.2024`). The core's number and date readers parse it when
//! the query is built, so a half-typed bound never disturbs the field, and
//! an unreadable one is reported next to it.

use std::rc::Rc;

use ogkit_core::table::{
    format_number, parse_date, parse_number, ColumnFilter, ColumnType, Notation, Query, SortKey, Table,
};
use yew::Reducible;

use super::fragment::ViewState;
use super::text::core_lang;
use crate::i18n::Lang;

/// Text typed into the two fields of a range filter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RangeText {
    /// Lower bound as typed.
    pub from: String,
    /// Upper bound as typed.
    pub to: String,
}

/// Side of a range filter that a field edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The lower bound.
    From,
    /// The upper bound.
    To,
}

/// Choices of the reader. Column numbers index [`Table::columns`].
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// Search text over all columns.
    pub search: String,
    /// Contains and value-list filters, by column.
    pub filters: Vec<(usize, ColumnFilter)>,
    /// Range filters as typed, by column.
    pub ranges: Vec<(usize, RangeText)>,
    /// Sort keys, the first deciding first.
    pub sort: Vec<SortKey>,
    /// 1-based page; clamped to the pages that exist when shown.
    pub page: usize,
    /// Rows per page.
    pub page_size: usize,
    /// Columns the reader has hidden.
    pub hidden: Vec<usize>,
    /// Chart shown: category or date column, number column.
    pub chart: Option<(usize, usize)>,
}

impl View {
    /// Returns the view of a freshly loaded table.
    pub fn new(page_size: usize) -> View {
        View {
            search: String::new(),
            filters: Vec::new(),
            ranges: Vec::new(),
            sort: Vec::new(),
            page: 1,
            page_size,
            hidden: Vec::new(),
            chart: None,
        }
    }

    /// Returns the number of columns with an active filter.
    pub fn active_filters(&self, table: &Table, lang: Lang) -> usize {
        self.query(table, lang).filters.len()
    }

    /// Returns true when a search or a filter narrows the rows.
    pub fn is_filtered(&self, table: &Table, lang: Lang) -> bool {
        !self.search.trim().is_empty() || self.active_filters(table, lang) > 0
    }

    /// Returns the range text typed for `column`.
    pub fn range(&self, column: usize) -> RangeText {
        self.ranges.iter().find(|(index, _)| *index == column).map(|(_, text)| text.clone()).unwrap_or_default()
    }

    /// Returns the contains or value-list filter of `column`.
    pub fn filter(&self, column: usize) -> Option<&ColumnFilter> {
        self.filters.iter().find(|(index, _)| *index == column).map(|(_, filter)| filter)
    }

    /// Builds the core query: search, every readable filter and the sort.
    pub fn query(&self, table: &Table, lang: Lang) -> Query {
        let mut filters = self.filters.clone();
        for (column, text) in &self.ranges {
            let Some(kind) = table.column(*column).map(|column| column.kind()) else { continue };
            if let Some(filter) = range_filter(kind, text, lang) {
                filters.push((*column, filter));
            }
        }
        filters.sort_by_key(|(column, _)| *column);
        Query { search: self.search.clone(), filters, sort: self.sort.clone() }
    }

    /// Returns the view with columns by name, as the URL fragment keeps it.
    /// The page size is left out when it is `default_page_size`.
    pub fn to_state(&self, table: &Table, lang: Lang, default_page_size: usize) -> ViewState {
        let name = |column: usize| table.column(column).map(|column| column.name().to_string());
        let query = self.query(table, lang);
        ViewState {
            search: self.search.clone(),
            sort: self.sort.iter().filter_map(|key| Some((name(key.column)?, key.descending))).collect(),
            filters: query.filters.iter().filter_map(|(column, filter)| Some((name(*column)?, filter.clone()))).collect(),
            page: Some(self.page),
            page_size: (self.page_size != default_page_size).then_some(self.page_size),
            hidden: self.hidden.iter().filter_map(|column| name(*column)).collect(),
            chart: self.chart.and_then(|(x, y)| Some((name(x)?, name(y)?))),
        }
    }

    /// Returns the view that `state` describes for `table`. Columns that
    /// the table lacks are left out; so are filters that do not fit the
    /// column's type.
    pub fn from_state(state: &ViewState, table: &Table, page_size: usize, lang: Lang) -> View {
        let index = |name: &str| table.column_index(name).filter(|&column| !table.columns()[column].is_hidden());
        let mut view = View::new(state.page_size.unwrap_or(page_size));
        view.search = state.search.clone();
        view.sort = state
            .sort
            .iter()
            .filter_map(|(name, descending)| Some(SortKey { column: index(name)?, descending: *descending }))
            .collect();
        for (name, filter) in &state.filters {
            let Some(column) = index(name) else { continue };
            let kind = table.columns()[column].kind();
            match filter {
                ColumnFilter::Contains(_) | ColumnFilter::OneOf(_) => view.filters.push((column, filter.clone())),
                ColumnFilter::NumberRange { min, max } if kind.is_number() => {
                    let text = |bound: &Option<f64>| bound.map(|number| format_number(number, core_lang(lang))).unwrap_or_default();
                    view.ranges.push((column, RangeText { from: text(min), to: text(max) }));
                }
                ColumnFilter::DateRange { from, to } if kind.is_date() => {
                    let text = |bound: &Option<ogkit_core::table::DateValue>| {
                        bound.map(|date| date.date_only().to_iso()).unwrap_or_default()
                    };
                    view.ranges.push((column, RangeText { from: text(from), to: text(to) }));
                }
                _ => {}
            }
        }
        view.page = state.page.unwrap_or(1);
        view.hidden = state.hidden.iter().filter_map(|name| index(name)).collect();
        view.chart = state.chart.as_ref().and_then(|(x, y)| Some((index(x)?, index(y)?)));
        view
    }
}

/// A change to the view.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Set the search text.
    Search(String),
    /// Set the contains filter of a column; empty text removes it.
    Contains(usize, String),
    /// Check or uncheck one value of a value-list filter.
    ToggleValue(usize, String, bool),
    /// Set one side of a range filter to the typed text.
    Range(usize, Side, String),
    /// Remove the search and every filter.
    Reset,
    /// Sort by a column. `add` (Shift) makes it a further key; choosing a
    /// column that is already a key reverses its direction.
    Sort {
        /// Column chosen.
        column: usize,
        /// True to add a further key instead of replacing the sort.
        add: bool,
    },
    /// Show a page (1-based).
    Page(usize),
    /// Change the rows per page and go back to the first page.
    PageSize(usize),
    /// Hide or show a column.
    ToggleColumn(usize),
    /// Show the chart of these columns, or hide it.
    Chart(Option<(usize, usize)>),
    /// Replace the whole view, e.g. from the URL fragment.
    Restore(View),
}

impl Reducible for View {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut view = (*self).clone();
        match action {
            Action::Search(text) => {
                view.search = text;
                view.page = 1;
            }
            Action::Contains(column, text) => {
                view.filters.retain(|(index, _)| *index != column);
                if !text.trim().is_empty() {
                    view.filters.push((column, ColumnFilter::Contains(text)));
                }
                view.page = 1;
            }
            Action::ToggleValue(column, value, checked) => {
                let mut values = match view.filter(column) {
                    Some(ColumnFilter::OneOf(values)) => values.clone(),
                    _ => Vec::new(),
                };
                values.retain(|known| *known != value);
                if checked {
                    values.push(value);
                }
                view.filters.retain(|(index, _)| *index != column);
                if !values.is_empty() {
                    view.filters.push((column, ColumnFilter::OneOf(values)));
                }
                view.page = 1;
            }
            Action::Range(column, side, text) => {
                let mut range = view.range(column);
                match side {
                    Side::From => range.from = text,
                    Side::To => range.to = text,
                }
                view.ranges.retain(|(index, _)| *index != column);
                if !range.from.is_empty() || !range.to.is_empty() {
                    view.ranges.push((column, range));
                }
                view.page = 1;
            }
            Action::Reset => {
                view.search.clear();
                view.filters.clear();
                view.ranges.clear();
                view.page = 1;
            }
            Action::Sort { column, add } => {
                let existing = view.sort.iter().position(|key| key.column == column);
                match (existing, add) {
                    (Some(position), true) => view.sort[position].descending = !view.sort[position].descending,
                    (None, true) => view.sort.push(SortKey { column, descending: false }),
                    (Some(0), false) => {
                        let descending = !view.sort[0].descending;
                        view.sort = vec![SortKey { column, descending }];
                    }
                    (_, false) => view.sort = vec![SortKey { column, descending: false }],
                }
                view.page = 1;
            }
            Action::Page(page) => view.page = page.max(1),
            Action::PageSize(size) => {
                view.page_size = size.max(1);
                view.page = 1;
            }
            Action::ToggleColumn(column) => {
                if view.hidden.contains(&column) {
                    view.hidden.retain(|hidden| *hidden != column);
                } else {
                    view.hidden.push(column);
                    view.hidden.sort_unstable();
                }
            }
            Action::Chart(chart) => view.chart = chart,
            Action::Restore(restored) => view = restored,
        }
        Rc::new(view)
    }
}

/// Reads a number typed into a filter: in the notation of `lang` first,
/// then in the other one, so `1234.5` works on a German page too.
pub fn parse_filter_number(text: &str, lang: Lang) -> Option<f64> {
    let (first, second) = match lang {
        Lang::De => (Notation::German, Notation::International),
        Lang::En => (Notation::International, Notation::German),
    };
    parse_number(text, first).or_else(|| parse_number(text, second))
}

/// Returns true when a typed bound is empty or can be read for `kind`.
pub fn is_valid_bound(kind: ColumnType, text: &str, lang: Lang) -> bool {
    let text = text.trim();
    if text.is_empty() {
        return true;
    }
    if kind.is_date() {
        parse_date(text).is_some()
    } else {
        parse_filter_number(text, lang).is_some()
    }
}

fn range_filter(kind: ColumnType, text: &RangeText, lang: Lang) -> Option<ColumnFilter> {
    let (from, to) = (text.from.trim(), text.to.trim());
    let filter = if kind.is_date() {
        let from = (!from.is_empty()).then(|| parse_date(from)).flatten();
        let to = (!to.is_empty()).then(|| parse_date(to)).flatten();
        ColumnFilter::DateRange { from, to }
    } else if kind.is_number() {
        let min = (!from.is_empty()).then(|| parse_filter_number(from, lang)).flatten();
        let max = (!to.is_empty()).then(|| parse_filter_number(to, lang)).flatten();
        ColumnFilter::NumberRange { min, max }
    } else {
        return None;
    };
    match filter {
        ColumnFilter::DateRange { from: None, to: None } | ColumnFilter::NumberRange { min: None, max: None } => None,
        filter => Some(filter),
    }
}

#[cfg(test)]
mod tests {
    use ogkit_core::table::{read_csv, CsvOptions};

    use super::*;

    fn table() -> Table {
        let csv = "Bezirk;Einwohner;Stichtag\nMitte;12.400;31.12.2024\nNord;8.000;30.06.2024\nSüd;-;01.01.2023\n";
        read_csv(csv.as_bytes(), &CsvOptions::default()).table
    }

    fn reduce(view: View, action: Action) -> View {
        (*Rc::new(view).reduce(action)).clone()
    }

    #[test]
    fn sort_click_toggles_primary() {
        let view = reduce(View::new(20), Action::Sort { column: 1, add: false });
        assert_eq!(view.sort, [SortKey { column: 1, descending: false }]);
        let view = reduce(view, Action::Sort { column: 1, add: false });
        assert_eq!(view.sort, [SortKey { column: 1, descending: true }]);
        let view = reduce(view, Action::Sort { column: 0, add: false });
        assert_eq!(view.sort, [SortKey { column: 0, descending: false }]);
    }

    #[test]
    fn shift_sort_adds_key() {
        let view = reduce(View::new(20), Action::Sort { column: 0, add: false });
        let view = reduce(view, Action::Sort { column: 1, add: true });
        assert_eq!(view.sort, [SortKey { column: 0, descending: false }, SortKey { column: 1, descending: false }]);
        let view = reduce(view, Action::Sort { column: 1, add: true });
        assert_eq!(view.sort[1], SortKey { column: 1, descending: true });
        let view = reduce(view, Action::Sort { column: 0, add: false });
        assert_eq!(view.sort, [SortKey { column: 0, descending: true }]);
    }

    #[test]
    fn filter_change_returns_to_first_page() {
        let view = reduce(View::new(20), Action::Page(4));
        assert_eq!(view.page, 4);
        let view = reduce(view, Action::Contains(0, "mi".into()));
        assert_eq!(view.page, 1);
    }

    #[test]
    fn value_list_toggles() {
        let view = reduce(View::new(20), Action::ToggleValue(0, "Nord".into(), true));
        let view = reduce(view, Action::ToggleValue(0, "Mitte".into(), true));
        assert_eq!(view.filter(0), Some(&ColumnFilter::OneOf(vec!["Nord".into(), "Mitte".into()])));
        let view = reduce(view, Action::ToggleValue(0, "Nord".into(), false));
        let view = reduce(view, Action::ToggleValue(0, "Mitte".into(), false));
        assert_eq!(view.filter(0), None);
    }

    #[test]
    fn typed_ranges_become_filters() {
        let table = table();
        let view = reduce(View::new(20), Action::Range(1, Side::From, "9.000".into()));
        let view = reduce(view, Action::Range(2, Side::To, "31.12.2024".into()));
        let query = view.query(&table, Lang::De);
        assert_eq!(query.filters.len(), 2);
        assert_eq!(table.select(&query), [0]);
    }

    #[test]
    fn unreadable_bound_is_ignored() {
        let table = table();
        let view = reduce(View::new(20), Action::Range(1, Side::From, "neun".into()));
        assert!(view.query(&table, Lang::De).filters.is_empty());
        assert!(!is_valid_bound(ColumnType::Integer, "neun", Lang::De));
        assert!(is_valid_bound(ColumnType::Integer, " ", Lang::De));
        assert!(!is_valid_bound(ColumnType::Date, "30.02.2024", Lang::De));
    }

    #[test]
    fn filter_numbers_accept_both_notations() {
        assert_eq!(parse_filter_number("1.234,5", Lang::De), Some(1234.5));
        assert_eq!(parse_filter_number("1234.5", Lang::De), Some(1234.5));
        assert_eq!(parse_filter_number("1,234.5", Lang::En), Some(1234.5));
        assert_eq!(parse_filter_number("1.234", Lang::En), Some(1.234));
    }

    #[test]
    fn reset_keeps_sort_and_columns() {
        let view = reduce(View::new(20), Action::Sort { column: 0, add: false });
        let view = reduce(view, Action::ToggleColumn(2));
        let view = reduce(view, Action::Search("x".into()));
        let view = reduce(view, Action::Range(1, Side::To, "5".into()));
        let view = reduce(view, Action::Reset);
        assert_eq!(view.search, "");
        assert!(view.ranges.is_empty());
        assert_eq!(view.sort.len(), 1);
        assert_eq!(view.hidden, [2]);
    }

    #[test]
    fn state_round_trip_by_name() {
        let table = table();
        let mut view = View::new(20);
        for action in [
            Action::Search("m".into()),
            Action::Sort { column: 1, add: false },
            Action::Sort { column: 1, add: false },
            Action::Range(1, Side::From, "1.000".into()),
            Action::Range(2, Side::From, "2024-01-01".into()),
            Action::ToggleValue(0, "Mitte".into(), true),
            Action::ToggleColumn(2),
            Action::Chart(Some((0, 1))),
            Action::Page(2),
        ] {
            view = reduce(view, action);
        }
        let state = view.to_state(&table, Lang::De, 20);
        assert_eq!(state.sort, [("Einwohner".to_string(), true)]);
        let restored = View::from_state(&state, &table, 20, Lang::De);
        assert_eq!(restored.query(&table, Lang::De), view.query(&table, Lang::De));
        assert_eq!(restored.hidden, view.hidden);
        assert_eq!(restored.chart, view.chart);
        assert_eq!(restored.page, 2);
    }

    #[test]
    fn unknown_columns_are_dropped() {
        let table = table();
        let state = ViewState {
            sort: vec![("Gibt es nicht".into(), false), ("Bezirk".into(), true)],
            filters: vec![
                ("Fehlt".into(), ColumnFilter::Contains("x".into())),
                ("Bezirk".into(), ColumnFilter::NumberRange { min: Some(1.0), max: None }),
            ],
            hidden: vec!["Fehlt".into()],
            chart: Some(("Fehlt".into(), "Einwohner".into())),
            ..ViewState::default()
        };
        let view = View::from_state(&state, &table, 20, Lang::De);
        assert_eq!(view.sort, [SortKey { column: 0, descending: true }]);
        assert!(view.filters.is_empty());
        assert!(view.ranges.is_empty());
        assert!(view.hidden.is_empty());
        assert_eq!(view.chart, None);
    }
}
