//! `<og-data-table>`: an open-data file as a table that citizens can
//! search, filter, sort, page, chart and download.
//!
//! The component loads the file with [`load::load_table`], keeps the
//! reader's choices in a [`state::View`] reducer and calls the core for
//! everything else: [`Table::select`] for the rows, [`PageInfo`] for the
//! page, `to_csv` and `to_json` for downloads, and the core's messages for
//! every problem in the file. Only the rows of the current page are in the
//! DOM, so a table of 100,000 rows puts no more rows into the page than a
//! table of 100.
//!
//! The table follows the WAI-ARIA APG sortable table pattern
//! (<https://www.w3.org/WAI/ARIA/apg/patterns/table/examples/sortable-table/>):
//! a real `<table>` with a `<caption>`, sort buttons inside the column
//! headers and `aria-sort` on the sorted column. Markup hooks for tests and
//! host pages are `data-og-…` attributes; class names are for styling.

pub mod chart;
pub mod ckan;
pub mod config;
mod download;
pub mod fragment;
pub mod load;
pub mod state;
pub mod text;
mod view;

use std::cell::Cell;
use std::ops::ControlFlow;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use js_sys::{Object, Reflect};
use ogkit_core::table::{ColumnType, Loaded, PageInfo, Query, Severity, Table};
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};
use yew::prelude::*;

use crate::diagnostics::{warn_request_failed, RequestFailure};
use crate::mount::{self, HostState};
use config::{Format, TableConfig};
use load::{LoadConfig, LoadFailure, Progress, Source};
use state::{Action, View};

/// Delay after the last change before the row count is announced, the URL
/// fragment is updated and `og-view` fires: long enough that a fast typist
/// hears one announcement.
const SETTLE_MILLIS: u32 = 500;

/// Columns with at most this many distinct values get a value list as
/// their filter.
const MAX_LIST_VALUES: usize = 12;

/// Tables with at least this many rows are filtered and sorted in steps
/// between which the browser paints and takes input. Smaller ones are
/// selected at once. `cargo xtask bench table` sorted 100,000 rows by text
/// in 72 to 173 ms, so 50,000 rows take about half of that (an estimate).
const STEPPED_ROWS: usize = 50_000;

/// Rows of work per [`Selection::step`](ogkit_core::table::Selection::step)
/// call between two checks of the time budget.
const SELECT_STEP_ROWS: usize = 4_096;

/// Milliseconds of folding per idle period. Browsers grant idle periods of
/// up to 50 ms.
const IDLE_SLICE_MILLIS: f64 = 30.0;

/// Name of the User Timing mark set when the idle folding has ended.
const SEARCH_READY_MARK: &str = "og-data-table:search-ready";

/// Cells folded per [`Folding::step`](ogkit_core::table::Folding::step)
/// call between two checks of the time budget.
const FOLD_STEP_ROWS: usize = 2_048;

/// Writes a console warning that names the failed address for the page's web editor.
fn warn_load_failure(load_config: &LoadConfig, failure: &LoadFailure) {
    let request_failure = match failure {
        LoadFailure::Network => RequestFailure::NoResponse,
        LoadFailure::HttpStatus(status) => RequestFailure::Status(*status),
        _ => return,
    };
    let Source::Url(src) = &load_config.source;
    warn_request_failed(config::TAG, "src", src, request_failure);
}

/// Rows selected in steps, with the table and query they belong to.
#[derive(Clone, PartialEq)]
struct Selected {
    generation: Option<u32>,
    query: Query,
    rows: Rc<Vec<usize>>,
}

/// Properties of [`DataTable`], built by the custom-element glue.
#[derive(Properties, PartialEq, Clone)]
pub struct DataTableProps {
    /// Parsed attributes.
    pub config: TableConfig,
    /// The `<og-data-table>` element: events are dispatched from it.
    pub host: HtmlElement,
    /// Prefix that makes this instance's element ids unique on the page.
    pub id_prefix: AttrValue,
    /// Visible notes about ignored attribute values, for the page's editors.
    #[prop_or_default]
    pub notices: Vec<String>,
}

/// The kind of filter a column offers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FilterKind {
    /// A text field: the cell contains the text.
    Contains,
    /// Checkboxes for each of a few distinct values, with their counts.
    Values(Vec<(String, usize)>),
    /// From and to fields for a number or date column.
    Range,
}

/// A table that loaded, with what the view needs to know about it.
pub(crate) struct Ready {
    /// Distinguishes loads, so derived values are recomputed after `src` changes.
    generation: u32,
    loaded: Loaded,
    format: Format,
    /// The filter offered per column, by column index.
    filter_kinds: Vec<FilterKind>,
    /// The columns the chart starts with, when the table can be charted.
    chart_columns: Option<(usize, usize)>,
}

impl Ready {
    fn new(outcome: load::Outcome) -> Ready {
        thread_local! {
            static NEXT_GENERATION: Cell<u32> = const { Cell::new(1) };
        }
        let generation = NEXT_GENERATION.with(|next| next.replace(next.get().wrapping_add(1)));
        let table = &outcome.loaded.table;
        let filter_kinds = (0..table.columns().len()).map(|column| filter_kind(table, column)).collect();
        let chart_columns = chart::default_columns(table, MAX_LIST_VALUES);
        Ready { generation, loaded: outcome.loaded, format: outcome.format, filter_kinds, chart_columns }
    }

    /// Returns the messages that stop the table from being shown at all:
    /// the file's errors when no column could be read, or the note that it
    /// has only a header.
    fn fatal(&self, lang: crate::i18n::Lang) -> Option<Vec<String>> {
        let table = &self.loaded.table;
        let errors = self.error_messages(lang);
        if table.columns().is_empty() || table.row_count() == 0 {
            if errors.is_empty() {
                return Some(vec![text::header_only(lang).to_string()]);
            }
            return Some(errors);
        }
        None
    }

    fn error_messages(&self, lang: crate::i18n::Lang) -> Vec<String> {
        let core = text::core_lang(lang);
        self.loaded
            .issues
            .iter()
            .filter(|issue| issue.severity == Severity::Error)
            .map(|issue| issue.message(core))
            .collect()
    }
}

fn filter_kind(table: &Table, column: usize) -> FilterKind {
    let kind = table.columns()[column].kind();
    let listable = matches!(kind, ColumnType::Text | ColumnType::Boolean | ColumnType::Integer);
    if listable {
        if let Some(values) = table.distinct_values(column, MAX_LIST_VALUES) {
            // A list of values that each occur once is no help as a filter
            // in a table with more rows than values.
            if values.len() > 1 && values.len() < table.row_count() {
                return FilterKind::Values(values);
            }
        }
    }
    if kind.is_number() || kind.is_date() {
        FilterKind::Range
    } else {
        FilterKind::Contains
    }
}

/// Loading state of the table.
#[derive(Clone)]
enum Load {
    Loading(Option<Progress>),
    Failed(LoadFailure),
    Ready(Rc<Ready>),
}

/// The data table of a file (`src`) or of a CKAN resource (`ckan`).
#[function_component(DataTable)]
pub fn data_table(props: &DataTableProps) -> Html {
    if props.config.ckan.is_some() {
        return html! { <ckan::CkanTable ..props.clone() /> };
    }
    html! { <FileTable ..props.clone() /> }
}

/// The data table of a file: search, filters, the table with sortable
/// columns, the pager, chart, downloads and the data's source and licence.
#[function_component(FileTable)]
pub fn file_table(props: &DataTableProps) -> Html {
    let config = &props.config;
    let lang = config.lang;

    // State.
    let load = use_state(|| Load::Loading(None));
    // The first rows of a CSV file that is still loading.
    let preview = use_state(|| None::<Rc<Table>>);
    let view = use_reducer(|| View::new(config.page_size));
    let announcement = use_state(String::new);
    let search_ref = use_node_ref();

    // Derived values.
    let ready = match &*load {
        Load::Ready(ready) => Some(Rc::clone(ready)),
        _ => None,
    };
    let generation = ready.as_ref().map(|ready| ready.generation);
    let query = ready.as_ref().map(|ready| view.query(&ready.loaded.table, lang));
    let stepped = ready.as_ref().is_some_and(|ready| ready.loaded.table.row_count() >= STEPPED_ROWS);
    let quick_rows = use_memo((generation, query.clone()), {
        let ready = ready.clone();
        move |(_, query)| match (ready, query) {
            (Some(ready), Some(query)) if ready.loaded.table.row_count() < STEPPED_ROWS => ready.loaded.table.select(query),
            _ => Vec::new(),
        }
    });
    // File order, shown until the first stepped selection of a large table
    // is ready.
    let file_order = use_memo(generation, {
        let ready = ready.clone();
        move |_| match ready {
            Some(ready) if ready.loaded.table.row_count() >= STEPPED_ROWS => (0..ready.loaded.table.row_count()).collect(),
            _ => Vec::new(),
        }
    });
    let selected = use_state(|| None::<Selected>);
    let selection_token = use_mut_ref(|| 0_u64);
    // File order needs no selection: no search, no filter, no sort.
    let unselected = query.as_ref().is_none_or(|query| *query == Query::default());
    let (rows, busy): (Rc<Vec<usize>>, bool) = match (&*selected, &query) {
        _ if !stepped => (Rc::clone(&quick_rows), false),
        _ if unselected => (Rc::clone(&file_order), false),
        (Some(done), Some(query)) if done.generation == generation && &done.query == query => (Rc::clone(&done.rows), false),
        // The last rows of this table stay on screen, marked busy, until the
        // new ones are ready.
        (Some(done), _) if done.generation == generation => (Rc::clone(&done.rows), true),
        _ => (Rc::clone(&file_order), true),
    };
    let columns: Vec<usize> = ready
        .as_ref()
        .map(|ready| {
            ready.loaded.table.visible_columns().into_iter().filter(|column| !view.hidden.contains(column)).collect()
        })
        .unwrap_or_default();
    let load_config = config.src.clone().map(|src| LoadConfig {
        source: Source::Url(src),
        format: config.format,
        encoding: config.encoding,
        delimiter: config.delimiter,
        header: config.header,
    });

    // Effects: load the table whenever the source or how to read it changes.
    {
        let load = load.clone();
        let preview = preview.clone();
        let dispatch = view.dispatcher();
        let host = props.host.clone();
        let fragment_key = config.fragment_key.clone();
        let page_size = config.page_size;
        let chart_on_start = config.chart;
        use_effect_with(load_config, move |load_config| {
            let cancelled = Rc::new(Cell::new(false));
            match load_config.clone() {
                None => load.set(Load::Failed(LoadFailure::MissingSource)),
                Some(load_config) => {
                    load.set(Load::Loading(None));
                    preview.set(None);
                    let cancelled = Rc::clone(&cancelled);
                    wasm_bindgen_futures::spawn_local(async move {
                        let mut on_progress = {
                            let load = load.clone();
                            let cancelled = Rc::clone(&cancelled);
                            move |progress: Progress| {
                                if cancelled.get() {
                                    return ControlFlow::Break(());
                                }
                                load.set(Load::Loading(Some(progress)));
                                ControlFlow::Continue(())
                            }
                        };
                        let mut on_preview = {
                            let preview = preview.clone();
                            let cancelled = Rc::clone(&cancelled);
                            move |table: Table| {
                                if !cancelled.get() {
                                    preview.set(Some(Rc::new(table)));
                                }
                            }
                        };
                        let outcome = load::load_table(&load_config, &mut on_progress, &mut on_preview).await;
                        if cancelled.get() {
                            return;
                        }
                        match outcome {
                            Ok(Some(outcome)) => {
                                let ready = Ready::new(outcome);
                                // The view from the URL goes in before the
                                // first render of the table, so that render
                                // never writes a default view over the link.
                                let mut start = restore_view(&ready.loaded.table, &fragment_key, page_size, lang);
                                if chart_on_start && start.chart.is_none() {
                                    start.chart = ready.chart_columns;
                                }
                                dispatch.dispatch(Action::Restore(start));
                                dispatch_load_event(&host, &ready);
                                load.set(Load::Ready(Rc::new(ready)));
                            }
                            Ok(None) => {}
                            Err(failure) => {
                                warn_load_failure(&load_config, &failure);
                                load.set(Load::Failed(failure));
                            }
                        }
                    });
                }
            }
            move || cancelled.set(true)
        });
    }

    // Effects: tell the host element (and so the fallback content) how loading went.
    {
        let host = props.host.clone();
        let state = match &*load {
            Load::Loading(_) => HostState::Loading,
            Load::Failed(_) => HostState::Failed,
            Load::Ready(ready) if ready.fatal(lang).is_some() => HostState::Failed,
            Load::Ready(_) => HostState::Ready,
        };
        use_effect_with(state, move |state| mount::set_host_state(&host, *state));
    }

    // Effects: a changed `page-size` attribute applies at once.
    {
        let dispatch = view.dispatcher();
        let first = use_mut_ref(|| true);
        use_effect_with(config.page_size, move |size| {
            if !first.replace(false) {
                dispatch.dispatch(Action::PageSize(*size));
            }
        });
    }

    // Effects: fold the table's texts for search and contains filters in
    // idle time after loading, in slices, so that the first keystroke only
    // searches. A keystroke before the folding ends folds what it needs.
    {
        let ready = ready.clone();
        use_effect_with(generation, move |_| {
            let cancelled = Rc::new(Cell::new(false));
            if let Some(ready) = ready {
                let cancelled = Rc::clone(&cancelled);
                wasm_bindgen_futures::spawn_local(async move {
                    let table = &ready.loaded.table;
                    let mut folding = table.start_folding();
                    loop {
                        load::yield_until_idle().await;
                        if cancelled.get() {
                            return;
                        }
                        let started = js_sys::Date::now();
                        while js_sys::Date::now() - started < IDLE_SLICE_MILLIS {
                            if folding.step(table, FOLD_STEP_ROWS) {
                                // A User Timing mark, for the browser's tools and the tests.
                                if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
                                    let _ = performance.mark(SEARCH_READY_MARK);
                                }
                                return;
                            }
                        }
                    }
                });
            }
            move || cancelled.set(true)
        });
    }

    // Effects: select the rows of a large table in steps. A newer query
    // (a second click, another keystroke) takes a new token, and the older
    // selection stops at its next check without touching the shown rows.
    {
        let ready = ready.clone();
        let selected = selected.clone();
        let token = selection_token.clone();
        use_effect_with((generation, query.clone(), stepped && !unselected), move |(generation, query, stepped)| {
            let mine = {
                let mut token = token.borrow_mut();
                *token += 1;
                *token
            };
            if let (true, Some(ready), Some(query)) = (*stepped, ready, query.clone()) {
                let generation = *generation;
                wasm_bindgen_futures::spawn_local(async move {
                    let table = &ready.loaded.table;
                    let current = || *token.borrow() == mine;
                    let mut selection = table.start_select(&query);
                    loop {
                        let started = js_sys::Date::now();
                        let mut done = false;
                        while !done && js_sys::Date::now() - started < load::BUDGET_MILLIS {
                            done = selection.step(table, SELECT_STEP_ROWS);
                        }
                        if !current() {
                            return;
                        }
                        if done {
                            break;
                        }
                        load::yield_to_browser().await;
                        if !current() {
                            return;
                        }
                    }
                    selected.set(Some(Selected { generation, query, rows: Rc::new(selection.finish()) }));
                });
            }
            || ()
        });
    }

    // Effects: once the view settles, announce the row count, keep the view
    // in the URL fragment and fire `og-view`.
    {
        let announcement = announcement.clone();
        let host = props.host.clone();
        let ready = ready.clone();
        let rows = Rc::clone(&rows);
        let fragment_key = config.fragment_key.clone();
        let page_size = config.page_size;
        use_effect_with((generation, (*view).clone(), busy), move |(_, view, busy)| {
            let view = view.clone();
            if *busy {
                // The count follows once the rows are ready.
                if ready.is_some() {
                    announcement.set(text::selecting(lang).to_string());
                }
                return Box::new(|| ()) as Box<dyn FnOnce()>;
            }
            let timeout = ready.map(|ready| {
                Timeout::new(SETTLE_MILLIS, move || {
                    let table = &ready.loaded.table;
                    // A file without rows gets the reason, not "no entries found".
                    if let Some(messages) = ready.fatal(lang) {
                        announcement.set(format!("{}. {}", text::failure_title(lang), messages.join(" ")));
                        return;
                    }
                    announcement.set(text::filtered_announcement(rows.len(), table.row_count(), lang));
                    write_fragment(&fragment_key, &view.to_state(table, lang, page_size));
                    let page = PageInfo::new(rows.len(), view.page_size, view.page);
                    dispatch_view_event(&host, rows.len(), table.row_count(), page.page);
                })
            });
            Box::new(move || drop(timeout))
        });
    }

    // Effects: a changed fragment (a pasted link, the back button) applies.
    {
        let dispatch = view.dispatcher();
        let ready = ready.clone();
        let fragment_key = config.fragment_key.clone();
        let page_size = config.page_size;
        use_effect_with(generation, move |_| {
            let listener = match (web_sys::window(), ready) {
                (Some(window), Some(ready)) => Some(EventListener::new(&window, "hashchange", move |_| {
                    dispatch.dispatch(Action::Restore(restore_view(&ready.loaded.table, &fragment_key, page_size, lang)));
                })),
                _ => None,
            };
            move || drop(listener)
        });
    }

    // Callbacks.
    let onreset = {
        let dispatch = view.dispatcher();
        let search_ref = search_ref.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Reset);
            // The reset button of the empty result disappears with it, so
            // focus goes to the search field instead of the page's top.
            if let Some(input) = search_ref.cast::<HtmlElement>() {
                let _ = input.focus();
            }
        })
    };
    let download = |format: Format| {
        let ready = ready.clone();
        let rows = Rc::clone(&rows);
        let columns = columns.clone();
        let host = props.host.clone();
        let src = config.src.clone().unwrap_or_default();
        Callback::from(move |_: MouseEvent| {
            let Some(ready) = &ready else { return };
            let table = &ready.loaded.table;
            let (bytes, mime, extension) = match format {
                Format::Csv => (table.to_csv(&rows, &columns), "text/csv;charset=utf-8", "csv"),
                Format::Json => (table.to_json(&rows, &columns).into_bytes(), "application/json", "json"),
            };
            if download::offer(&bytes, mime, &download::file_name(&src, extension)).is_ok() {
                dispatch_download_event(&host, extension, rows.len());
            }
        })
    };

    // Markup.
    let ids = view::Ids::new(&props.id_prefix);
    let caption = config
        .caption
        .clone()
        .or_else(|| config.src.as_deref().map(config::file_name))
        .unwrap_or_default();
    let body = match &*load {
        Load::Loading(progress) => html! {
            <>
                { loading(*progress, &ids, lang) }
                if let Some(table) = &*preview {
                    { view::preview(table, config.page_size, &caption, &ids, lang) }
                }
            </>
        },
        Load::Failed(failure) => view::error(text::failure_title(lang), &[text::failure(failure, lang)]),
        Load::Ready(ready) => match ready.fatal(lang) {
            Some(messages) => view::error(text::failure_title(lang), &messages),
            None => {
                let context = view::Context {
                    lang,
                    ids: &ids,
                    ready,
                    view: &view,
                    dispatch: &view.dispatcher(),
                    rows: &rows,
                    columns: &columns,
                };
                let page = PageInfo::new(rows.len(), view.page_size, view.page);
                let errors = ready.error_messages(lang);
                let incomplete = if ready.loaded.complete {
                    Html::default()
                } else {
                    let mut messages = errors;
                    messages.push(ogkit_core::table::message("incomplete", &[], text::core_lang(lang)));
                    view::error(text::incomplete_title(lang), &messages)
                };
                let listing = if rows.is_empty() {
                    view::empty_result(lang, onreset.clone())
                } else {
                    html! {
                        <>
                            { view::table(&context, &caption, &page) }
                            { view::pager(&context, &page) }
                        </>
                    }
                };
                html! {
                    <>
                        { incomplete }
                        { view::notes(ready, lang) }
                        <div class="og-table__tools">
                            { view::search(&context, search_ref.clone()) }
                            { view::filters(&context, onreset.clone()) }
                            { view::column_choice(&context) }
                        </div>
                        { view::chart_panel(&context, ready.chart_columns) }
                        if busy {
                            <p class="og-table__busy" data-og-busy="">{ text::selecting(lang) }</p>
                        }
                        { listing }
                        if !rows.is_empty() {
                            { view::downloads(lang, download(Format::Csv), download(Format::Json)) }
                        }
                    </>
                }
            }
        },
    };

    html! {
        <div class="og-table" lang={ lang.tag() } data-og-format={ ready.as_ref().map(|ready| format_name(ready.format)) }
            aria-busy={ busy.then_some("true") }>
            { for props.notices.iter().map(|notice| html! {
                <p class="og-notice" data-og-config-warning="">{ notice.clone() }</p>
            }) }
            <p class="og-visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-og-status="">
                { (*announcement).clone() }
            </p>
            { body }
            { view::attribution(config) }
        </div>
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Csv => "csv",
        Format::Json => "json",
    }
}

fn loading(progress: Option<Progress>, ids: &view::Ids, lang: crate::i18n::Lang) -> Html {
    let (label, value) = match progress {
        None => (text::loading_start(lang).to_string(), None),
        Some(Progress::Bytes { received, total }) => {
            (text::loading_bytes(received, total, lang), total.map(|total| fraction(received, total)))
        }
        Some(Progress::Rows { rows, received, total }) => {
            (text::loading_rows(rows, lang), total.map(|total| fraction(received, total)))
        }
        Some(Progress::Typing { share }) => (text::loading_types(lang).to_string(), Some(share)),
    };
    html! {
        <div class="og-table__loading" data-og-loading="">
            <p id={ ids.progress.clone() } class="og-table__progress-label">{ label }</p>
            <progress class="og-table__progress" aria-labelledby={ ids.progress.clone() } max="1"
                value={ value.map(|value| format!("{value:.3}")) }></progress>
        </div>
    }
}

/// Returns `received / total`, at most 1: a compressed response announces
/// fewer bytes than the body has once decompressed.
fn fraction(received: u64, total: u64) -> f64 {
    if total == 0 {
        return 1.0;
    }
    (received as f64 / total as f64).min(1.0)
}

fn current_fragment() -> String {
    web_sys::window().and_then(|window| window.location().hash().ok()).unwrap_or_default()
}

/// Returns the view that the URL fragment describes for `table`.
fn restore_view(table: &Table, key: &str, page_size: usize, lang: crate::i18n::Lang) -> View {
    let (state, _) = fragment::read_fragment(&current_fragment(), key);
    View::from_state(&state, table, page_size, lang)
}

/// Replaces the fragment in place, without a history entry and without
/// scrolling. Does nothing when the fragment already contains this view.
fn write_fragment(key: &str, state: &fragment::ViewState) {
    let Some(window) = web_sys::window() else { return };
    let current = current_fragment();
    let next = fragment::write_fragment(&current, key, state);
    if current.trim_start_matches('#') == next {
        return;
    }
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let search = location.search().unwrap_or_default();
    let target = if next.is_empty() { format!("{path}{search}") } else { format!("{path}{search}#{next}") };
    let Ok(history) = window.history() else { return };
    // Keep the page's own history state: other scripts may rely on it.
    let page_state = history.state().unwrap_or(JsValue::NULL);
    let _ = history.replace_state_with_url(&page_state, "", Some(&target));
}

fn dispatch_load_event(host: &HtmlElement, ready: &Ready) {
    let table = &ready.loaded.table;
    dispatch_event(
        host,
        "og-load",
        &[
            ("rows", JsValue::from_f64(table.row_count() as f64)),
            ("columns", JsValue::from_f64(table.visible_columns().len() as f64)),
            ("complete", JsValue::from_bool(ready.loaded.complete)),
        ],
    );
}

fn dispatch_view_event(host: &HtmlElement, count: usize, total: usize, page: usize) {
    dispatch_event(
        host,
        "og-view",
        &[
            ("count", JsValue::from_f64(count as f64)),
            ("total", JsValue::from_f64(total as f64)),
            ("page", JsValue::from_f64(page as f64)),
        ],
    );
}

fn dispatch_download_event(host: &HtmlElement, format: &str, rows: usize) {
    dispatch_event(
        host,
        "og-download",
        &[("format", JsValue::from_str(format)), ("rows", JsValue::from_f64(rows as f64))],
    );
}

fn dispatch_event(host: &HtmlElement, name: &str, fields: &[(&str, JsValue)]) {
    let detail = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&detail, &JsValue::from_str(key), value);
    }
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
}

#[cfg(test)]
mod tests {
    use ogkit_core::table::{read_csv, read_json, CsvOptions};

    use super::*;
    use crate::i18n::Lang;

    fn ready(loaded: Loaded, format: Format) -> Ready {
        Ready::new(load::Outcome { loaded, format })
    }

    fn csv(text: &str) -> Ready {
        ready(read_csv(text.as_bytes(), &CsvOptions::default()), Format::Csv)
    }

    fn json(text: &str) -> Ready {
        ready(read_json(text.as_bytes()), Format::Json)
    }

    #[test]
    fn header_only_file_is_fatal() {
        let messages = csv("Bezirk;Einwohner\n").fatal(Lang::De).expect("fatal");
        assert_eq!(messages, ["Die Datei enthält nur eine Kopfzeile und keine Datenzeilen."]);
    }

    #[test]
    fn empty_file_is_fatal() {
        let messages = csv("").fatal(Lang::En).expect("fatal");
        assert_eq!(
            messages,
            ["The file is empty. Please check that the address points to the right file, or contact the office that publishes it."]
        );
    }

    #[test]
    fn json_without_records_is_fatal() {
        for text in ["[1,2,3]", "{\"a\":1}", "[]"] {
            let messages = json(text).fatal(Lang::De).expect("fatal");
            assert!(messages[0].starts_with("Das JSON enthält keine Liste von Datensätzen"), "{text}: {messages:?}");
        }
        let messages = json("[{\"a\":1}").fatal(Lang::En).expect("fatal");
        assert!(messages[0].starts_with("Line 1: The file is not valid JSON"), "{messages:?}");
    }

    #[test]
    fn unclosed_quote_names_line() {
        let messages = csv("a;b\n1;\"x\n2;3\n").fatal(Lang::De).expect("fatal");
        assert!(messages[0].starts_with("Zeile 2: Ein Anführungszeichen"), "{messages:?}");
        let partial = csv("a;b\n1;2\n3;\"x\n4;5\n");
        assert!(partial.fatal(Lang::De).is_none());
        assert!(!partial.loaded.complete);
        assert_eq!(partial.error_messages(Lang::De).len(), 1);
    }

    #[test]
    fn filter_kinds_follow_columns() {
        let ready = csv("Art;Betrag;Datum;Name\nKita;1;01.01.2024;A\nSchule;2;02.01.2024;B\nKita;3,5;03.01.2024;C\n");
        assert_eq!(
            ready.filter_kinds,
            [
                FilterKind::Values(vec![("Kita".into(), 2), ("Schule".into(), 1)]),
                FilterKind::Range,
                FilterKind::Range,
                FilterKind::Contains,
            ]
        );
    }
}
