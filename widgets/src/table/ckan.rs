//! `<og-data-table ckan="…">`: a table of a resource on a CKAN portal.
//!
//! The core decides, this module fetches. [`Resolver`] names the Action API
//! requests (`resource_show`, `package_show`) that find the resource and
//! its dataset's facts. A CSV or JSON file then goes to [`FileTable`],
//! the widget's file path, with the file's URL as `src`. A DataStore
//! resource is shown by [`DatastoreTable`]: every change of search,
//! filters, sort, page or page size requests one page from the server with
//! `datastore_search`, so a resource of a million rows costs one page of
//! rows in the browser. A site that returns fewer records per request than
//! the page size gets follow-up requests until the page is full.
//!
//! Requests use the browser's `fetch`, like the file loader, with a time
//! limit of [`TIMEOUT_SECONDS`]. Only the newest request of a table may
//! change what it shows: an older answer that arrives late is dropped.
//!
//! What differs from a file table, because `datastore_search` only
//! matches exact values: column filters take one exact value each
//! (converted by the core to the field's type), there are no range filters,
//! and the search is the portal's full-text search. The chart draws only
//! the rows of the current page and says so in its description. A download fetches the rows of the current search,
//! filters and sort in chunks of [`DOWNLOAD_CHUNK_ROWS`], up to
//! [`MAX_DOWNLOAD_ROWS`]. The view is kept in the URL fragment like a file
//! table's (see [`ServerView::to_state`]).

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::{Array, Object, Promise, Reflect};
use ogkit_core::table::ckan::{
    decode_response, filter_value, ApiBase, CkanError, CkanKey, CkanNote, CkanSource, DatasetInfo,
    DatastoreField, DatastorePage, DatastoreRequest, ReadMode, Resolved, Resolver,
};
use ogkit_core::table::{datastore_next_offset, row_count_label, ColumnFilter, PageInfo, JsonValue, Query, SortKey, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement, HtmlInputElement, HtmlSelectElement, Response};
use yew::prelude::*;

use super::config::{Format, TableConfig, PAGE_SIZES};
use super::fragment::{self, ViewState};
use super::text::{self, core_lang};
use super::{chart, download, view, DataTableProps, FileTable};
use crate::i18n::Lang;
use crate::mount::{self, HostState};

/// The most rows a DataStore download fetches. A larger result gets a
/// message that asks the reader to narrow it or to use the portal's own
/// download, because every row passes through the browser's memory.
pub const MAX_DOWNLOAD_ROWS: u64 = 50_000;

/// Rows per `datastore_search` request of a download.
const DOWNLOAD_CHUNK_ROWS: u64 = 1_000;

/// How long a CKAN request may take before the table reports a timeout.
/// Long enough for a slow portal counting a large filtered resource.
pub const TIMEOUT_SECONDS: u32 = 30;

/// The CKAN attributes as written on the element; the core checks them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CkanAttributes {
    /// `ckan`: the portal or its API address.
    pub base: String,
    /// `resource-id`.
    pub resource_id: Option<String>,
    /// `dataset`.
    pub dataset: Option<String>,
}

/// The reason a request got no response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FetchFailure {
    /// Offline, refused, or blocked by CORS; the browser does not tell
    /// these apart.
    Network,
    /// No response within [`TIMEOUT_SECONDS`].
    Timeout,
}

fn failure_error(failure: FetchFailure, base: &ApiBase) -> CkanError {
    match failure {
        FetchFailure::Network => CkanError::new(CkanKey::Network).with("base", base.site_root()),
        FetchFailure::Timeout => CkanError::new(CkanKey::Timeout)
            .with("base", base.site_root())
            .with("seconds", TIMEOUT_SECONDS),
    }
}

/// Fetches `url` and returns the status and the body text.
async fn fetch_text(url: &str) -> Result<(u16, String), FetchFailure> {
    let window = web_sys::window().ok_or(FetchFailure::Network)?;
    let response = within_time_limit(window.fetch_with_str(url)).await?;
    let response: Response = response.dyn_into().map_err(|_| FetchFailure::Network)?;
    let status = response.status();
    let body = response.text().map_err(|_| FetchFailure::Network)?;
    let body = within_time_limit(body).await?;
    Ok((status, body.as_string().unwrap_or_default()))
}

/// Awaits `promise`, or fails with a timeout after [`TIMEOUT_SECONDS`].
/// The timer resolves with `undefined`, which neither `fetch` (a
/// `Response`) nor `text()` (a string) ever does.
async fn within_time_limit(promise: Promise) -> Result<JsValue, FetchFailure> {
    let timer = Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let millis = i32::try_from(TIMEOUT_SECONDS * 1000).unwrap_or(i32::MAX);
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
        }
    });
    let winner = JsFuture::from(Promise::race(&Array::of2(&promise, &timer)))
        .await
        .map_err(|_| FetchFailure::Network)?;
    if winner.is_undefined() {
        Err(FetchFailure::Timeout)
    } else {
        Ok(winner)
    }
}

/// Runs the core's resolver: fetches each request it names.
async fn resolve(source: CkanSource) -> Result<Resolved, CkanError> {
    let base = source.base.clone();
    let mut resolver = Resolver::new(source);
    while let Some(url) = resolver.next_request() {
        match fetch_text(&url).await {
            Ok((status, body)) => resolver.receive(status, &body),
            Err(failure) => resolver.network_failed(failure_error(failure, &base)),
        }
    }
    resolver
        .into_outcome()
        .unwrap_or_else(|| Err(failure_error(FetchFailure::Network, &base)))
}

/// Fetches one page of the table, which may take several `datastore_search`
/// requests. A site may return fewer records than `request.limit` (its
/// `ckan.datastore.search.rows_max`), so follow-up requests continue at the
/// offset after the records received until the page is full or the resource
/// ends. Returns `None` when `is_current` turns false between requests, so an
/// outdated page stops asking the server.
async fn fetch_page(
    base: &ApiBase,
    request: &DatastoreRequest,
    is_current: impl Fn() -> bool,
) -> Option<Result<DatastorePage, CkanError>> {
    let page_end = request.offset.saturating_add(request.limit);
    let first = match fetch_result(base, request).await {
        Ok(result) => result,
        Err(error) => return Some(Err(error)),
    };

    // The merged response keeps the first request's `offset` and collects
    // every record, so the core's next offset is the first one not received.
    let mut merged = JsonValue::Object(vec![("result".to_owned(), first)]);
    while let Some(next) = datastore_next_offset(&merged).filter(|next| *next < page_end) {
        if !is_current() {
            return None;
        }
        let follow_up = DatastoreRequest { offset: next, limit: page_end - next, ..request.clone() };
        let appended = match fetch_result(base, &follow_up).await {
            Ok(result) => append_records(&mut merged, result),
            Err(error) => Err(error),
        };
        if let Err(error) = appended {
            return Some(Err(error));
        }
    }

    let result = merged.get("result").unwrap_or(&JsonValue::Null);
    Some(DatastorePage::from_result(result))
}

/// Fetches one `datastore_search` request and returns its `result`.
async fn fetch_result(base: &ApiBase, request: &DatastoreRequest) -> Result<JsonValue, CkanError> {
    let url = request.url(base)?;
    let (status, body) = fetch_text(&url).await.map_err(|failure| failure_error(failure, base))?;
    decode_response(status, &body)
}

/// Appends the records of a follow-up `result` to the result in `merged`,
/// and takes the follow-up's `total`, the server's newest count.
///
/// # Errors
///
/// [`CkanKey::ResultInvalid`] when the follow-up has no `records` list.
fn append_records(merged: &mut JsonValue, follow_up: JsonValue) -> Result<(), CkanError> {
    let invalid = CkanError::new(CkanKey::ResultInvalid).with("field", "records").with("expected", "list");
    let JsonValue::Object(follow_up) = follow_up else {
        return Err(invalid);
    };
    let mut records: Option<Vec<JsonValue>> = None;
    let mut total: Option<JsonValue> = None;
    for (name, value) in follow_up {
        match (name.as_str(), value) {
            ("records", JsonValue::Array(items)) => records = Some(items),
            ("total", value) => total = Some(value),
            _ => {}
        }
    }
    let Some(mut records) = records else {
        return Err(invalid);
    };

    let Some(JsonValue::Object(members)) = member_mut(merged, "result") else {
        return Err(invalid);
    };
    for (name, value) in members.iter_mut() {
        match (name.as_str(), value) {
            ("records", JsonValue::Array(items)) => items.append(&mut records),
            ("total", value) => {
                if let Some(total) = total.take() {
                    *value = total;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn member_mut<'a>(object: &'a mut JsonValue, key: &str) -> Option<&'a mut JsonValue> {
    match object {
        JsonValue::Object(members) => members.iter_mut().find(|(name, _)| name == key).map(|(_, value)| value),
        _ => None,
    }
}

#[derive(Clone, PartialEq)]
enum Phase {
    Resolving,
    Failed(CkanError),
    Ready(Rc<Resolved>),
}

/// Resolves a CKAN resource, then shows a file through [`FileTable`] or a
/// DataStore resource through [`DatastoreTable`].
#[function_component(CkanTable)]
pub fn ckan_table(props: &DataTableProps) -> Html {
    let lang = props.config.lang;
    let phase = use_state(|| Phase::Resolving);

    {
        let phase = phase.clone();
        use_effect_with(props.config.ckan.clone(), move |attributes| {
            let cancelled = Rc::new(Cell::new(false));
            let source = attributes.as_ref().map(|attributes| {
                CkanSource::from_attributes(
                    &attributes.base,
                    attributes.resource_id.as_deref(),
                    attributes.dataset.as_deref(),
                )
            });
            match source {
                None => phase.set(Phase::Failed(CkanError::new(CkanKey::BaseInvalid).with("value", ""))),
                Some(Err(error)) => phase.set(Phase::Failed(error)),
                Some(Ok(source)) => {
                    phase.set(Phase::Resolving);
                    let cancelled = Rc::clone(&cancelled);
                    wasm_bindgen_futures::spawn_local(async move {
                        let outcome = resolve(source).await;
                        if cancelled.get() {
                            return;
                        }
                        phase.set(match outcome {
                            Ok(resolved) => Phase::Ready(Rc::new(resolved)),
                            Err(error) => Phase::Failed(error),
                        });
                    });
                }
            }
            move || cancelled.set(true)
        });
    }

    {
        let host = props.host.clone();
        let state = match &*phase {
            Phase::Resolving => Some(HostState::Loading),
            Phase::Failed(_) => Some(HostState::Failed),
            // The table below reports its own state.
            Phase::Ready(_) => None,
        };
        use_effect_with(state, move |state| {
            if let Some(state) = state {
                mount::set_host_state(&host, *state);
            }
        });
    }

    match &*phase {
        Phase::Resolving => html! {
            <div class="og-table" lang={ lang.tag() } data-og-ckan="">
                { notices(&props.notices) }
                { loading(lang) }
            </div>
        },
        Phase::Failed(error) => html! {
            <div class="og-table" lang={ lang.tag() } data-og-ckan="">
                { notices(&props.notices) }
                { view::error(text::failure_title(lang), &[error.message(core_lang(lang))]) }
            </div>
        },
        Phase::Ready(resolved) => match (resolved.file_url(), resolved.mode) {
            (Some(url), mode) => {
                let mut config = props.config.clone();
                config.src = Some(url.to_string());
                config.format = Some(if mode == ReadMode::Json { Format::Json } else { Format::Csv });
                config.ckan = None;
                if config.caption.is_none() {
                    config.caption = caption_of(resolved);
                }
                html! {
                    <div class="og-table__ckan" data-og-ckan="file">
                        <FileTable key={ url.to_string() } config={ config } host={ props.host.clone() }
                            id_prefix={ props.id_prefix.clone() } notices={ props.notices.clone() } />
                        { info_list(&resolved.info, lang) }
                    </div>
                }
            }
            (None, _) => html! {
                <DatastoreTable key={ resolved.resource.id.clone() } config={ props.config.clone() }
                    host={ props.host.clone() } id_prefix={ props.id_prefix.clone() }
                    notices={ props.notices.clone() } resolved={ Rc::clone(resolved) } />
            },
        },
    }
}

fn caption_of(resolved: &Resolved) -> Option<String> {
    resolved
        .info
        .title
        .clone()
        .or_else(|| Some(resolved.resource.label().to_string()).filter(|label| !label.is_empty()))
}

fn notices(notices: &[String]) -> Html {
    html! {
        { for notices.iter().map(|notice| html! {
            <p class="og-notice" data-og-config-warning="">{ notice.clone() }</p>
        }) }
    }
}

fn loading(lang: Lang) -> Html {
    html! {
        <div class="og-table__loading" data-og-loading="">
            <p class="og-table__progress-label">{ text::loading_start(lang) }</p>
        </div>
    }
}

/// Renders the dataset's facts (licence, attribution, publisher, last
/// change, source and portal page), every text as text.
fn info_list(info: &DatasetInfo, lang: Lang) -> Html {
    let lines = info.lines(core_lang(lang));
    if lines.is_empty() {
        return Html::default();
    }
    html! {
        <dl class="og-table__info" data-og-ckan-info="">
            { for lines.into_iter().map(|line| {
                let content = match (&line.url, &line.datetime) {
                    (Some(url), _) => html! { <a href={ url.clone() } rel="noopener">{ line.text.clone() }</a> },
                    (None, Some(datetime)) => html! { <time datetime={ datetime.clone() }>{ line.text.clone() }</time> },
                    (None, None) => html! { { line.text.clone() } },
                };
                html! {
                    <div class="og-table__info-line" data-og-info={ line.hook }>
                        <dt>{ line.label }</dt>
                        <dd>{ content }</dd>
                    </div>
                }
            }) }
        </dl>
    }
}

/// The reader's choices for a DataStore table. Each change is one
/// request.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerView {
    /// Full-text search over all fields.
    pub search: String,
    /// Exact-value filters as typed, by column index.
    pub filters: BTreeMap<usize, String>,
    /// Sort keys, the first deciding first.
    pub sort: Vec<SortKey>,
    /// 1-based page.
    pub page: usize,
    /// Rows per page.
    pub page_size: usize,
}

/// A change of the [`ServerView`].
#[derive(Debug, Clone, PartialEq)]
pub enum ServerAction {
    /// Applies the search and filter form.
    Apply {
        /// The search text.
        search: String,
        /// The filter texts by column index; blank ones are dropped.
        filters: BTreeMap<usize, String>,
    },
    /// Clears search and filters.
    Reset,
    /// Sorts by `column`; `add` makes it a further key (Shift).
    Sort {
        /// Column index.
        column: usize,
        /// True to add a key instead of replacing the sort.
        add: bool,
    },
    /// Shows this 1-based page.
    Page(usize),
    /// Shows this many rows per page, from the first page.
    PageSize(usize),
    /// Replaces the whole view, e.g. from the URL fragment.
    Restore(ServerView),
}

impl ServerView {
    /// Starts with no search, filter or sort.
    pub fn new(page_size: usize) -> ServerView {
        ServerView { search: String::new(), filters: BTreeMap::new(), sort: Vec::new(), page: 1, page_size }
    }

    /// Returns the view after `action`. Sorting follows the file table:
    /// a click on the first sort column reverses it, a click elsewhere
    /// sorts by that column ascending, and Shift adds or reverses a key.
    pub fn apply(&self, action: ServerAction) -> ServerView {
        let mut view = self.clone();
        match action {
            ServerAction::Apply { search, filters } => {
                view.search = search.trim().to_string();
                view.filters = filters.into_iter().filter(|(_, value)| !value.trim().is_empty()).collect();
                view.page = 1;
            }
            ServerAction::Reset => {
                view.search.clear();
                view.filters.clear();
                view.page = 1;
            }
            ServerAction::Sort { column, add } => {
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
            ServerAction::Page(page) => view.page = page.max(1),
            ServerAction::PageSize(size) => {
                view.page_size = size.max(1);
                view.page = 1;
            }
            ServerAction::Restore(restored) => view = restored,
        }
        view
    }

    /// Returns the view with columns by field name, as the URL fragment
    /// keeps it. Each exact-value filter is a value list of one value, as
    /// typed. The page size is left out when it is `default_page_size`.
    pub fn to_state(&self, fields: &[DatastoreField], default_page_size: usize) -> ViewState {
        let name = |column: usize| fields.get(column).map(|field| field.id.clone());
        ViewState {
            search: self.search.clone(),
            sort: self.sort.iter().filter_map(|key| Some((name(key.column)?, key.descending))).collect(),
            filters: self
                .filters
                .iter()
                .filter_map(|(&column, typed)| Some((name(column)?, ColumnFilter::OneOf(vec![typed.clone()]))))
                .collect(),
            page: Some(self.page),
            page_size: (self.page_size != default_page_size).then_some(self.page_size),
            hidden: Vec::new(),
            chart: None,
        }
    }

    /// Returns the view that `state` describes over `fields`. Names that
    /// are no field (or CKAN's `_id`) are left out, and so is every filter
    /// that is not a single exact value: the DataStore has no ranges.
    pub fn from_state(state: &ViewState, fields: &[DatastoreField], page_size: usize) -> ServerView {
        let index = |name: &str| fields.iter().position(|field| field.id == name && field.id != "_id");
        let mut view = ServerView::new(state.page_size.unwrap_or(page_size));
        view.search = state.search.trim().to_string();
        for (name, descending) in &state.sort {
            if let Some(column) = index(name) {
                if !view.sort.iter().any(|key| key.column == column) {
                    view.sort.push(SortKey { column, descending: *descending });
                }
            }
        }
        for (name, filter) in &state.filters {
            let (Some(column), ColumnFilter::OneOf(values)) = (index(name), filter) else { continue };
            if let [value] = values.as_slice() {
                if !value.trim().is_empty() {
                    view.filters.insert(column, value.clone());
                }
            }
        }
        view.page = state.page.unwrap_or(1).max(1);
        view
    }

    /// Builds the request for this view over `fields`, and the notes for
    /// what the server cannot do. A filter text that does not fit its
    /// field's type is left out; its column is in the returned list.
    pub fn request(
        &self,
        resource_id: &str,
        fields: &[DatastoreField],
        lang: Lang,
    ) -> (DatastoreRequest, Vec<CkanNote>, Vec<usize>) {
        let mut invalid = Vec::new();
        let mut filters = Vec::new();
        for (&column, typed) in &self.filters {
            let kind = fields.get(column).map(|field| field.kind).unwrap_or(ogkit_core::table::ColumnType::Text);
            match filter_value(kind, typed, core_lang(lang)) {
                Some(value) => filters.push((column, ColumnFilter::OneOf(vec![value]))),
                None => invalid.push(column),
            }
        }
        let query = Query { search: self.search.clone(), filters, sort: self.sort.clone() };
        let offset = (self.page.saturating_sub(1) as u64).saturating_mul(self.page_size as u64);
        let (request, notes) = DatastoreRequest::for_query(resource_id, fields, &query, offset, self.page_size as u64);
        (request, notes, invalid)
    }
}

impl Reducible for ServerView {
    type Action = ServerAction;

    fn reduce(self: Rc<Self>, action: ServerAction) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

/// Properties of [`DatastoreTable`].
#[derive(Properties, PartialEq, Clone)]
pub struct DatastoreTableProps {
    /// Parsed attributes.
    pub config: TableConfig,
    /// The `<og-data-table>` element.
    pub host: HtmlElement,
    /// Prefix of this instance's element ids.
    pub id_prefix: AttrValue,
    /// Notes about ignored attribute values.
    #[prop_or_default]
    pub notices: Vec<String>,
    /// The resource and its dataset's facts.
    pub resolved: Rc<Resolved>,
}

/// The result of the last request, and the view it was made for.
#[derive(Clone, PartialEq, Default)]
struct Shown {
    page: Option<Rc<DatastorePage>>,
    error: Option<CkanError>,
    notes: Vec<CkanNote>,
    invalid: Vec<usize>,
    /// The view of the last request that got a response. The table is busy
    /// while it differs from the current view. Both are compared in the same
    /// render, so the new view never shows with the old rows as final.
    answered: Option<ServerView>,
}

/// The state of a download of the filtered and sorted rows.
#[derive(Clone, PartialEq)]
enum Export {
    Idle,
    /// Fetching: rows received so far, of `total`.
    Running { fetched: u64, total: u64 },
    /// The result has more rows than [`MAX_DOWNLOAD_ROWS`].
    TooLarge { total: u64 },
    Cancelled,
    Failed(CkanError),
}

/// Fetches every row of `request`'s query in chunks and returns the file
/// bytes in `format`. Reports progress through `progress`; returns `None`
/// when `is_current` turns false (the reader cancelled).
async fn fetch_export(
    base: &ApiBase,
    request: &DatastoreRequest,
    format: Format,
    total: u64,
    progress: impl Fn(u64),
    is_current: impl Fn() -> bool,
) -> Option<Result<Vec<u8>, CkanError>> {
    let mut csv: Vec<u8> = Vec::new();
    let mut json_objects: Vec<String> = Vec::new();
    let mut offset = 0_u64;
    loop {
        let chunk = DatastoreRequest { offset, limit: DOWNLOAD_CHUNK_ROWS, ..request.clone() };
        let page = match fetch_page(base, &chunk, &is_current).await? {
            Ok(page) => page,
            Err(error) => return Some(Err(error)),
        };
        if !is_current() {
            return None;
        }
        let table = &page.loaded.table;
        let rows: Vec<usize> = (0..table.row_count()).collect();
        let columns = table.visible_columns();
        match format {
            Format::Csv => {
                let bytes = table.to_csv(&rows, &columns);
                if offset == 0 {
                    csv = bytes;
                } else {
                    // Each chunk starts with the same byte-order mark and
                    // header line; the file keeps the first chunk's.
                    let header = table.to_csv(&[], &columns);
                    csv.extend_from_slice(bytes.strip_prefix(header.as_slice()).unwrap_or(&bytes));
                }
            }
            Format::Json => {
                let text = table.to_json(&rows, &columns);
                if let Some(objects) = text.strip_prefix('[').and_then(|text| text.strip_suffix("\n]\n")) {
                    json_objects.push(objects.to_string());
                }
            }
        }
        let received = rows.len() as u64;
        offset = offset.saturating_add(received);
        progress(offset.min(total));
        if received == 0 || offset >= page.total.min(MAX_DOWNLOAD_ROWS) {
            break;
        }
    }
    Some(Ok(match format {
        Format::Csv => csv,
        Format::Json if json_objects.is_empty() => b"[]\n".to_vec(),
        Format::Json => format!("[{}\n]\n", json_objects.join(",")).into_bytes(),
    }))
}

/// Shows a DataStore resource, paged, sorted and filtered by the CKAN
/// server.
#[function_component(DatastoreTable)]
pub fn datastore_table(props: &DatastoreTableProps) -> Html {
    let config = &props.config;
    let lang = config.lang;
    let core = core_lang(lang);
    let base = ApiBase::parse(config.ckan.as_ref().map_or("", |attributes| attributes.base.as_str())).ok();
    let resource_id = props.resolved.resource.id.clone();

    // Search, page and page size from the URL fragment apply at once; sort
    // and filters name fields, so they follow once the first page has
    // brought the fields.
    let fragment_key = config.fragment_key.clone();
    let initial = use_memo((), |_| {
        let (state, _) = fragment::read_fragment(&super::current_fragment(), &config.fragment_key);
        ServerView::from_state(&state, &[], config.page_size)
    });
    let view = {
        let initial = Rc::clone(&initial);
        use_reducer(move || (*initial).clone())
    };
    let shown = use_state(Shown::default);
    let latest = use_mut_ref(|| 0_u64);
    let known_fields = use_mut_ref(Vec::<DatastoreField>::new);
    let drafts = use_state(BTreeMap::<usize, String>::new);
    let search_draft = {
        let search = initial.search.clone();
        use_state(move || search)
    };
    let announcement = use_state(String::new);
    let export = use_state(|| Export::Idle);
    // The chart's category (or date) column and number column; `None`
    // while the chart is hidden.
    let chart_columns = use_state(|| None::<(usize, usize)>);
    let export_generation = use_mut_ref(|| 0_u64);
    let fields: Vec<DatastoreField> = shown.page.as_ref().map(|page| page.fields.clone()).unwrap_or_default();

    // Effects: ask the server for the page that the view describes.
    {
        let shown = shown.clone();
        let announcement = announcement.clone();
        let host = props.host.clone();
        let fields = fields.clone();
        let base = base.clone();
        let dispatch = view.dispatcher();
        let search_draft = search_draft.clone();
        let known_fields = Rc::clone(&known_fields);
        let fragment_key = fragment_key.clone();
        let default_page_size = config.page_size;
        let export = export.clone();
        use_effect_with(((*view).clone(), resource_id.clone()), move |(view, resource_id)| {
            // A message about an earlier download does not fit the new view;
            // a running download goes on with the view it started from.
            if !matches!(*export, Export::Idle | Export::Running { .. }) {
                export.set(Export::Idle);
            }
            let generation = {
                let mut latest = latest.borrow_mut();
                *latest += 1;
                *latest
            };
            let (request, notes, invalid) = view.request(resource_id, &fields, lang);
            let answered = view.clone();
            if let Some(base) = base {
                wasm_bindgen_futures::spawn_local(async move {
                    let is_current = || *latest.borrow() == generation;
                    let Some(outcome) = fetch_page(&base, &request, is_current).await else {
                        return;
                    };
                    if !is_current() {
                        return;
                    }
                    let previous = (*shown).clone();
                    let first = previous.page.is_none();
                    let next = match outcome {
                        Ok(page) => {
                            *known_fields.borrow_mut() = page.fields.clone();
                            let total = usize::try_from(page.total).unwrap_or(usize::MAX);
                            let last_page = PageInfo::new(total, answered.page_size, answered.page).page_count.max(1);
                            // The sort and filters of the fragment need the fields.
                            let restored = first
                                .then(|| {
                                    let (state, _) =
                                        fragment::read_fragment(&super::current_fragment(), &fragment_key);
                                    ServerView::from_state(&state, &page.fields, default_page_size)
                                })
                                .filter(|restored| *restored != answered);
                            if let Some(restored) = restored {
                                search_draft.set(restored.search.clone());
                                dispatch.dispatch(ServerAction::Restore(restored));
                            } else if answered.page > last_page {
                                // A page beyond the end (an old link) shows the last one.
                                dispatch.dispatch(ServerAction::Page(last_page));
                            } else {
                                super::write_fragment(&fragment_key, &answered.to_state(&page.fields, default_page_size));
                            }
                            let mut notes = notes;
                            notes.extend(page.total_note());
                            announcement.set(row_count_label(usize::try_from(page.total).unwrap_or(usize::MAX), core));
                            if first {
                                dispatch_load_event(&host, &page);
                            }
                            Shown { page: Some(Rc::new(page)), error: None, notes, invalid, answered: Some(answered) }
                        }
                        Err(error) => Shown { error: Some(error), answered: Some(answered), ..previous },
                    };
                    shown.set(next);
                });
            }
            || ()
        });
    }

    // Effects: a changed fragment (a pasted link, the back button) applies.
    {
        let dispatch = view.dispatcher();
        let drafts = drafts.clone();
        let search_draft = search_draft.clone();
        let known_fields = Rc::clone(&known_fields);
        let page_size = config.page_size;
        use_effect_with(fragment_key.clone(), move |fragment_key| {
            let fragment_key = fragment_key.clone();
            let listener = web_sys::window().map(|window| {
                gloo_events::EventListener::new(&window, "hashchange", move |_| {
                    let (state, _) = fragment::read_fragment(&super::current_fragment(), &fragment_key);
                    let restored = ServerView::from_state(&state, &known_fields.borrow(), page_size);
                    drafts.set(BTreeMap::new());
                    search_draft.set(restored.search.clone());
                    dispatch.dispatch(ServerAction::Restore(restored));
                })
            });
            move || drop(listener)
        });
    }

    // Effects: tell the host element how loading went.
    {
        let host = props.host.clone();
        let state = match (&shown.page, &shown.error) {
            (Some(_), _) => HostState::Ready,
            (None, Some(_)) => HostState::Failed,
            (None, None) => HostState::Loading,
        };
        use_effect_with(state, move |state| mount::set_host_state(&host, *state));
    }

    // Callbacks: download the rows of the current search, filters and sort.
    let download = |format: Format| {
        let base = base.clone();
        let export = export.clone();
        let export_generation = Rc::clone(&export_generation);
        let announcement = announcement.clone();
        let view = (*view).clone();
        let fields = fields.clone();
        let resource_id = resource_id.clone();
        let total = shown.page.as_ref().map_or(0, |page| page.total);
        let host = props.host.clone();
        // The resource's name gives the file name; the appended `.x` stands
        // for the extension that `file_name` replaces.
        let label = format!("{}.x", props.resolved.resource.label());
        Callback::from(move |_: MouseEvent| {
            let Some(base) = base.clone() else { return };
            if total > MAX_DOWNLOAD_ROWS {
                announcement.set(too_large(total, lang));
                export.set(Export::TooLarge { total });
                return;
            }
            let generation = {
                let mut latest = export_generation.borrow_mut();
                *latest += 1;
                *latest
            };
            let (request, _, _) = view.request(&resource_id, &fields, lang);
            announcement.set(download_started(lang).to_string());
            export.set(Export::Running { fetched: 0, total });
            let export = export.clone();
            let export_generation = Rc::clone(&export_generation);
            let announcement = announcement.clone();
            let host = host.clone();
            let (extension, mime) = match format {
                Format::Csv => ("csv", "text/csv;charset=utf-8"),
                Format::Json => ("json", "application/json"),
            };
            let file_name = download::file_name(&label, extension);
            wasm_bindgen_futures::spawn_local(async move {
                let is_current = || *export_generation.borrow() == generation;
                let progress = {
                    let export = export.clone();
                    move |fetched: u64| export.set(Export::Running { fetched, total })
                };
                let Some(outcome) = fetch_export(&base, &request, format, total, progress, is_current).await else {
                    return;
                };
                if !is_current() {
                    return;
                }
                match outcome {
                    Ok(bytes) => {
                        if download::offer(&bytes, mime, &file_name).is_ok() {
                            announcement.set(download_done(total, lang));
                            super::dispatch_download_event(&host, extension, usize::try_from(total).unwrap_or(usize::MAX));
                        }
                        export.set(Export::Idle);
                    }
                    Err(error) => {
                        announcement.set(error.message(core_lang(lang)));
                        export.set(Export::Failed(error));
                    }
                }
            });
        })
    };
    let oncancel = {
        let export = export.clone();
        let export_generation = Rc::clone(&export_generation);
        let announcement = announcement.clone();
        Callback::from(move |_: MouseEvent| {
            *export_generation.borrow_mut() += 1;
            announcement.set(download_cancelled(lang).to_string());
            export.set(Export::Cancelled);
        })
    };

    let busy = shown.answered.as_ref() != Some(&*view);
    let caption = config.caption.clone().or_else(|| caption_of(&props.resolved)).unwrap_or_default();
    let error = shown.error.as_ref().map(|error| view::error(text::failure_title(lang), &[error.message(core)]));
    let body = match &shown.page {
        None if shown.error.is_none() => loading(lang),
        None => Html::default(),
        Some(page) => {
            let context = Context {
                lang,
                id_prefix: props.id_prefix.as_str(),
                view: &view,
                page,
                busy,
                drafts: &drafts,
                search_draft: &search_draft,
                invalid: &shown.invalid,
            };
            let total = usize::try_from(page.total).unwrap_or(usize::MAX);
            let info = PageInfo::new(total, view.page_size, view.page);
            // The range label describes the rows on screen, so it follows
            // the answered view and changes together with the rows.
            let shown_view = shown.answered.as_ref().unwrap_or(&view);
            let shown_info = PageInfo::new(total, shown_view.page_size, shown_view.page);
            html! {
                <>
                    { for shown.notes.iter().map(|note| html! {
                        <p class="og-notice" data-og-note={ note.key().as_str() }>{ note.message(core) }</p>
                    }) }
                    { filter_form(&context) }
                    if page.loaded.table.row_count() == 0 {
                        { view::empty_result(lang, reset_callback(&view, &drafts, &search_draft)) }
                    } else {
                        { data_table(&context, &caption) }
                        { pager(&context, &info, &shown_info) }
                        { chart_panel(&context, &chart_columns, &shown_info) }
                        { downloads(&context, &export, download(Format::Csv), download(Format::Json), oncancel) }
                    }
                </>
            }
        }
    };

    html! {
        <div class="og-table" lang={ lang.tag() } data-og-format="datastore" data-og-ckan="datastore"
            aria-busy={ busy.then_some("true") }>
            { notices(&props.notices) }
            <p class="og-visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-og-status="">
                { (*announcement).clone() }
            </p>
            { error.unwrap_or_default() }
            { body }
            { info_list(&props.resolved.info, lang) }
        </div>
    }
}

/// The state that the markup functions of the DataStore table read.
struct Context<'a> {
    lang: Lang,
    id_prefix: &'a str,
    view: &'a UseReducerHandle<ServerView>,
    page: &'a DatastorePage,
    busy: bool,
    drafts: &'a UseStateHandle<BTreeMap<usize, String>>,
    search_draft: &'a UseStateHandle<String>,
    invalid: &'a [usize],
}

impl Context<'_> {
    fn id(&self, part: &str) -> String {
        format!("{}-{part}", self.id_prefix)
    }

    /// Visible columns: every field except CKAN's `_id`.
    fn columns(&self) -> Vec<usize> {
        self.page.loaded.table.visible_columns()
    }

    fn heading(&self, column: usize) -> String {
        self.page
            .fields
            .get(column)
            .and_then(|field| field.label.clone())
            .or_else(|| self.page.loaded.table.column(column).map(|data| data.name().to_string()))
            .unwrap_or_default()
    }
}

fn reset_callback(
    view: &UseReducerHandle<ServerView>,
    drafts: &UseStateHandle<BTreeMap<usize, String>>,
    search_draft: &UseStateHandle<String>,
) -> Callback<MouseEvent> {
    let dispatch = view.dispatcher();
    let drafts = drafts.clone();
    let search_draft = search_draft.clone();
    Callback::from(move |_: MouseEvent| {
        drafts.set(BTreeMap::new());
        search_draft.set(String::new());
        dispatch.dispatch(ServerAction::Reset);
    })
}

/// Renders the search field and one exact-value field per column, sent
/// together.
fn filter_form(context: &Context<'_>) -> Html {
    let lang = context.lang;
    let onsubmit = {
        let dispatch = context.view.dispatcher();
        let drafts = context.drafts.clone();
        let search_draft = context.search_draft.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            dispatch.dispatch(ServerAction::Apply { search: (*search_draft).clone(), filters: (*drafts).clone() });
        })
    };
    let oninput_search = {
        let search_draft = context.search_draft.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                search_draft.set(input.value());
            }
        })
    };
    let search_id = context.id("ckan-search");
    let hint_id = context.id("ckan-search-hint");
    let active = context.view.filters.len();

    html! {
        <form class="og-table__tools" role="search" data-og-ckan-form="" onsubmit={ onsubmit }>
            <div class="og-table__search">
                <label class="og-table__label" for={ search_id.clone() }>{ text::search_label(lang) }</label>
                <input id={ search_id } type="search" class="og-table__input" data-og-search=""
                    aria-describedby={ hint_id.clone() } value={ (**context.search_draft).clone() }
                    oninput={ oninput_search } />
                <p id={ hint_id } class="og-table__hint">{ search_hint(lang) }</p>
            </div>
            <details class="og-table__filters" data-og-filters=""
                open={ active > 0 || !context.invalid.is_empty() }>
                <summary class="og-table__summary">{ text::filters_summary(active, lang) }</summary>
                <p class="og-table__hint">{ filter_hint(lang) }</p>
                { for context.columns().into_iter().map(|column| filter_field(context, column)) }
            </details>
            <div class="og-table__form-buttons">
                <button type="submit" class="og-table__button" data-og-apply="">{ apply_label(lang) }</button>
                <button type="button" class="og-table__button" data-og-reset=""
                    onclick={ reset_callback(context.view, context.drafts, context.search_draft) }>
                    { text::reset_filters(lang) }
                </button>
            </div>
        </form>
    }
}

fn filter_field(context: &Context<'_>, column: usize) -> Html {
    let lang = context.lang;
    let id = context.id(&format!("ckan-c{column}"));
    let error_id = context.id(&format!("ckan-c{column}-error"));
    let invalid = context.invalid.contains(&column);
    let kind = context.page.fields.get(column).map(|field| field.kind);
    let value = context
        .drafts
        .get(&column)
        .cloned()
        .or_else(|| context.view.filters.get(&column).cloned())
        .unwrap_or_default();
    let oninput = {
        let drafts = context.drafts.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                let mut next = (*drafts).clone();
                next.insert(column, input.value());
                drafts.set(next);
            }
        })
    };
    let message = match kind {
        Some(kind) if kind.is_number() => text::invalid_number(lang),
        Some(kind) if kind.is_date() => text::invalid_date(lang),
        _ => invalid_value(lang),
    };
    html! {
        <div class="og-table__filter" data-og-filter={ column.to_string() }>
            <label class="og-table__label" for={ id.clone() }>{ context.heading(column) }</label>
            <input id={ id } type="text" class="og-table__input" value={ value } oninput={ oninput }
                aria-invalid={ invalid.then_some("true") } aria-describedby={ invalid.then(|| error_id.clone()) } />
            if invalid {
                <p id={ error_id } class="og-table__field-error">{ message }</p>
            }
        </div>
    }
}

/// Renders the current page with sort buttons in the headers.
fn data_table(context: &Context<'_>, caption: &str) -> Html {
    let lang = context.lang;
    let table = &context.page.loaded.table;
    let sort = &context.view.sort;
    let caption_id = context.id("ckan-caption");
    let hint_id = context.id("ckan-sort-hint");
    let columns = context.columns();
    let headings = columns.iter().map(|&column| {
        let position = sort.iter().position(|key| key.column == column);
        let key = position.map(|position| sort[position]);
        let aria_sort = match (position, key) {
            (Some(0), Some(key)) if key.descending => Some("descending"),
            (Some(0), Some(_)) => Some("ascending"),
            _ => None,
        };
        let icon = match key {
            Some(key) if key.descending => "▼",
            Some(_) => "▲",
            None => "↕",
        };
        let hidden_state = match (position, key) {
            (Some(position), Some(key)) if position > 0 => text::sort_state(position, key.descending, lang),
            _ => String::new(),
        };
        let onclick = {
            let dispatch = context.view.dispatcher();
            Callback::from(move |event: MouseEvent| {
                dispatch.dispatch(ServerAction::Sort { column, add: event.shift_key() })
            })
        };
        let number = table.column(column).is_some_and(|data| data.kind().is_number());
        let class = classes!("og-table__heading", number.then_some("og-table__heading--number"));
        html! {
            <th key={ column } scope="col" class={ class } aria-sort={ aria_sort }>
                <button type="button" class="og-table__sort" data-og-sort={ column.to_string() }
                    aria-describedby={ hint_id.clone() } onclick={ onclick }>
                    <span class="og-table__sort-name">{ context.heading(column) }</span>
                    if !hidden_state.is_empty() {
                        <span class="og-visually-hidden">{ hidden_state }</span>
                    }
                    <span class="og-table__sort-icon" aria-hidden="true">{ icon }</span>
                </button>
            </th>
        }
    });
    let first_row = context.page.offset;

    html! {
        <>
            <p id={ hint_id.clone() } class="og-table__hint">{ text::sort_hint(lang) }</p>
            <div class="og-table__scroll" role="region" aria-labelledby={ caption_id.clone() } tabindex="0"
                data-og-scroll="">
                <table class="og-table__table" data-og-table="" aria-busy={ context.busy.then_some("true") }>
                    <caption id={ caption_id } class="og-table__caption">{ caption.to_string() }</caption>
                    <thead>
                        <tr>{ for headings }</tr>
                    </thead>
                    <tbody>
                        { for (0..table.row_count()).map(|row| html! {
                            <tr key={ row } data-og-row={ first_row.saturating_add(row as u64).to_string() }>
                                { for columns.iter().map(|&column| cell(table, row, column, lang)) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </>
    }
}

fn cell(table: &ogkit_core::table::Table, row: usize, column: usize, lang: Lang) -> Html {
    let Some(data) = table.column(column) else { return Html::default() };
    let original = data.text(row);
    match data.value(row) {
        Value::Number(number) if data.kind().is_number() => html! {
            <td class="og-table__cell og-table__cell--number" data-og-text={ original.to_string() }>
                { view::number_cell_text(data, number, original, lang) }
            </td>
        },
        _ => html! { <td class="og-table__cell">{ original.to_string() }</td> },
    }
}

/// Renders the pager: the range of the rows shown (`shown`), the page size
/// and the buttons for the pages around the requested page (`info`).
fn pager(context: &Context<'_>, info: &PageInfo, shown: &PageInfo) -> Html {
    let lang = context.lang;
    let size_id = context.id("ckan-page-size");
    let button = |label: &str, target: usize, enabled: bool, hook: &str| {
        let onclick = {
            let dispatch = context.view.dispatcher();
            Callback::from(move |_: MouseEvent| {
                if enabled {
                    dispatch.dispatch(ServerAction::Page(target));
                }
            })
        };
        html! {
            <button type="button" class="og-table__button og-table__page-button" data-og-page={ hook.to_string() }
                aria-disabled={ (!enabled).then_some("true") } onclick={ onclick }>
                { label.to_string() }
            </button>
        }
    };
    let onsize = {
        let dispatch = context.view.dispatcher();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                if let Ok(size) = select.value().parse::<usize>() {
                    dispatch.dispatch(ServerAction::PageSize(size));
                }
            }
        })
    };
    let page_size = context.view.page_size;
    let mut sizes: Vec<usize> = PAGE_SIZES.to_vec();
    if !sizes.contains(&page_size) {
        sizes.push(page_size);
        sizes.sort_unstable();
    }
    let (first, last) = (info.page <= 1, info.page >= info.page_count);

    html! {
        <div class="og-table__pager">
            <p class="og-table__range" data-og-range="">{ shown.label(core_lang(lang)) }</p>
            <div class="og-table__page-size">
                <label for={ size_id.clone() }>{ text::page_size_label(lang) }</label>
                <select id={ size_id } class="og-table__select" data-og-page-size="" onchange={ onsize }>
                    { for sizes.iter().map(|&size| html! {
                        <option value={ size.to_string() } selected={ size == page_size }>{ size }</option>
                    }) }
                </select>
            </div>
            <nav class="og-table__pages" aria-label={ text::pages_label(lang) }>
                { button(text::first_page(lang), 1, !first, "first") }
                { button(text::previous_page(lang), info.page.saturating_sub(1), !first, "previous") }
                <span class="og-table__page-of" data-og-page-of="">{ text::page_of(info.page, info.page_count, lang) }</span>
                { button(text::next_page(lang), info.page + 1, !last, "next") }
                { button(text::last_page(lang), info.page_count, !last, "last") }
            </nav>
        </div>
    }
}

fn dispatch_load_event(host: &HtmlElement, page: &DatastorePage) {
    let detail = Object::new();
    let fields = [
        ("rows", JsValue::from_f64(page.total as f64)),
        ("columns", JsValue::from_f64(page.loaded.table.visible_columns().len() as f64)),
        ("complete", JsValue::from_bool(true)),
        ("datastore", JsValue::from_bool(true)),
    ];
    for (key, value) in fields {
        let _ = Reflect::set(&detail, &JsValue::from_str(key), &value);
    }
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict("og-load", &init) {
        let _ = host.dispatch_event(&event);
    }
}

/// Renders the chart of the rows on the current page, with its toggle and
/// column choices. The description says that only this page is drawn,
/// because the server sends one page at a time.
fn chart_panel(context: &Context<'_>, chart_columns: &UseStateHandle<Option<(usize, usize)>>, shown: &PageInfo) -> Html {
    let lang = context.lang;
    let table = &context.page.loaded.table;
    // Whole numbers are categories only when there are few of them
    // (districts, years); an id such as a tree number is no axis.
    let few_values = |column: usize| table.distinct_values(column, MAX_CHART_CODES).is_some();
    let kind = |column: usize| table.column(column).map_or(ogkit_core::table::ColumnType::Text, |data| data.kind());
    let identifier = |column: usize| table.column(column).is_some_and(|data| data.is_identifier());
    let is_axis = |column: usize| match kind(column) {
        ogkit_core::table::ColumnType::Integer => identifier(column) || few_values(column),
        other => chart::is_axis_column(other),
    };
    let x_choices: Vec<usize> = context.columns().into_iter().filter(|&column| is_axis(column)).collect();
    // The sum of years or postcodes means nothing.
    let y_choices: Vec<usize> =
        context.columns().into_iter().filter(|&column| kind(column).is_number() && !identifier(column)).collect();
    let default = chart::default_columns(table, MAX_CHART_CODES)
        .filter(|(x, y)| x_choices.contains(x) && y_choices.contains(y));
    let Some(default) = default else { return Html::default() };
    let current = (**chart_columns).filter(|(x, y)| x_choices.contains(x) && y_choices.contains(y));

    let ontoggle = {
        let chart_columns = chart_columns.clone();
        let shown = current.is_some();
        Callback::from(move |_: MouseEvent| chart_columns.set((!shown).then_some(default)))
    };
    let toggle = html! {
        <button type="button" class="og-table__button" data-og-chart-toggle="" onclick={ ontoggle }>
            { if current.is_some() { text::chart_hide(lang) } else { text::chart_show(lang) } }
        </button>
    };
    let Some((x, y)) = current else {
        return html! { <div class="og-table__chart-tools">{ toggle }</div> };
    };

    let select = |hook: &str, label: &str, selected: usize, choices: &[usize], make: fn(usize, (usize, usize)) -> (usize, usize)| {
        let id = context.id(&format!("ckan-chart-{hook}"));
        let onchange = {
            let chart_columns = chart_columns.clone();
            Callback::from(move |event: Event| {
                if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                    if let Ok(column) = select.value().parse::<usize>() {
                        chart_columns.set(Some(make(column, (x, y))));
                    }
                }
            })
        };
        html! {
            <div class="og-table__chart-choice">
                <label for={ id.clone() }>{ label.to_string() }</label>
                <select id={ id } class="og-table__select" data-og-chart-column={ hook.to_string() } onchange={ onchange }>
                    { for choices.iter().map(|&column| html! {
                        <option value={ column.to_string() } selected={ column == selected }>{ context.heading(column) }</option>
                    }) }
                </select>
            </div>
        }
    };
    let title = text::chart_title(&context.heading(y), &context.heading(x), lang);
    let title_id = context.id("ckan-chart-title");
    let desc_id = context.id("ckan-chart-desc");
    let rows: Vec<usize> = (0..table.row_count()).collect();
    let note = page_chart_note(shown, lang);
    let drawing = if kind(x).is_date() {
        let points = chart::points(table, &rows, x, y);
        if points.is_empty() {
            html! { <p class="og-table__hint">{ text::chart_no_data(lang) }</p> }
        } else {
            chart::line_chart(&points, &title, (&title_id, &desc_id), &note, lang)
        }
    } else {
        let bars = chart::bars(table, &rows, x, y);
        if bars.bars.is_empty() {
            html! { <p class="og-table__hint">{ text::chart_no_data(lang) }</p> }
        } else {
            chart::bar_chart(&bars, &title, (&title_id, &desc_id), &note, lang)
        }
    };

    html! {
        <div class="og-table__chart" data-og-chart-panel="">
            <div class="og-table__chart-tools">
                { toggle }
                { select("x", text::chart_x_label(lang), x, &x_choices, |column, (_, y)| (column, y)) }
                { select("y", text::chart_y_label(lang), y, &y_choices, |column, (x, _)| (x, column)) }
            </div>
            <p class="og-table__hint" data-og-chart-scope="">{ note.clone() }</p>
            { drawing }
        </div>
    }
}

/// Whole-number columns with at most this many distinct values on the page
/// can be the chart's categories.
const MAX_CHART_CODES: usize = 12;

fn page_chart_note(shown: &PageInfo, lang: Lang) -> String {
    let range = shown.label(core_lang(lang));
    match lang {
        Lang::De => format!("Das Diagramm zeigt nur die Einträge dieser Seite ({range}), nicht alle Einträge auf dem Datenportal."),
        Lang::En => format!("The chart shows only the entries on this page ({range}), not every entry on the data portal."),
    }
}

/// Renders the download buttons, and while a download runs its progress
/// and a cancel button.
fn downloads(
    context: &Context<'_>,
    export: &Export,
    oncsv: Callback<MouseEvent>,
    onjson: Callback<MouseEvent>,
    oncancel: Callback<MouseEvent>,
) -> Html {
    let lang = context.lang;
    let core = core_lang(lang);
    let running = matches!(export, Export::Running { .. });
    let progress_id = context.id("ckan-download-progress");
    let status = match export {
        Export::Idle => Html::default(),
        Export::Running { fetched, total } => html! {
            <div class="og-table__loading" data-og-download-progress="">
                <label class="og-table__progress-label" for={ progress_id.clone() }>
                    { download_progress(*fetched, *total, lang) }
                </label>
                <progress id={ progress_id } class="og-table__progress" max={ total.max(&1).to_string() }
                    value={ fetched.to_string() }></progress>
                <button type="button" class="og-table__button" data-og-download-cancel="" onclick={ oncancel }>
                    { cancel_label(lang) }
                </button>
            </div>
        },
        Export::TooLarge { total } => html! {
            <p class="og-notice" data-og-download-limit="">{ too_large(*total, lang) }</p>
        },
        Export::Cancelled => html! {
            <p class="og-notice" data-og-download-cancelled="">{ download_cancelled(lang) }</p>
        },
        Export::Failed(error) => html! {
            <p class="og-notice" data-og-download-error="">{ error.message(core) }</p>
        },
    };
    let disabled = running.then_some("true");
    html! {
        <>
            <div class="og-table__downloads" role="group" aria-label={ download_label(lang) }>
                <span class="og-table__downloads-label" aria-hidden="true">{ download_label(lang) }</span>
                <button type="button" class="og-table__button" data-og-download="csv" aria-disabled={ disabled }
                    onclick={ if running { Callback::noop() } else { oncsv } }>
                    { text::download_csv(lang) }
                </button>
                <button type="button" class="og-table__button" data-og-download="json" aria-disabled={ disabled }
                    onclick={ if running { Callback::noop() } else { onjson } }>
                    { text::download_json(lang) }
                </button>
            </div>
            { status }
        </>
    }
}

fn download_label(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Gefilterte und sortierte Einträge herunterladen",
        Lang::En => "Download the filtered and sorted entries",
    }
}

fn download_started(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Der Download beginnt, die Einträge werden vom Datenportal geladen.",
        Lang::En => "The download is starting; the entries are being fetched from the data portal.",
    }
}

fn download_progress(fetched: u64, total: u64, lang: Lang) -> String {
    let core = core_lang(lang);
    let fetched = ogkit_core::table::format_number(fetched as f64, core);
    let total = ogkit_core::table::format_number(total as f64, core);
    match lang {
        Lang::De => format!("Einträge für den Download: {fetched} von {total} geladen"),
        Lang::En => format!("Entries for the download: {fetched} of {total} fetched"),
    }
}

fn download_done(total: u64, lang: Lang) -> String {
    let count = row_count_label(usize::try_from(total).unwrap_or(usize::MAX), core_lang(lang));
    match lang {
        Lang::De => format!("Download fertig: {count}."),
        Lang::En => format!("Download ready: {count}."),
    }
}

fn download_cancelled(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Der Download wurde abgebrochen.",
        Lang::En => "The download was cancelled.",
    }
}

fn cancel_label(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Download abbrechen",
        Lang::En => "Cancel the download",
    }
}

fn too_large(total: u64, lang: Lang) -> String {
    let core = core_lang(lang);
    let total = ogkit_core::table::format_number(total as f64, core);
    let cap = ogkit_core::table::format_number(MAX_DOWNLOAD_ROWS as f64, core);
    match lang {
        Lang::De => format!(
            "Das Ergebnis hat {total} Einträge, herunterladen lassen sich höchstens {cap}. \
             Grenzen Sie die Suche oder die Filter ein, oder nutzen Sie den Download-Link des Datenportals."
        ),
        Lang::En => format!(
            "The result has {total} entries, but at most {cap} can be downloaded. \
             Narrow the search or the filters, or use the data portal's own download link."
        ),
    }
}

fn search_hint(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Die Suche läuft auf dem Datenportal und findet ganze Wörter.",
        Lang::En => "The search runs on the data portal and finds whole words.",
    }
}

fn filter_hint(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Jedes Feld zeigt nur Zeilen mit genau diesem Wert.",
        Lang::En => "Each field shows only rows with exactly this value.",
    }
}

fn apply_label(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Suchen und filtern",
        Lang::En => "Search and filter",
    }
}

fn invalid_value(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Dieser Wert passt nicht zur Spalte und wurde nicht angewendet.",
        Lang::En => "This value does not fit the column and was not applied.",
    }
}

#[cfg(test)]
mod tests {
    use ogkit_core::table::ckan::column_type_for;

    use super::*;

    fn fields() -> Vec<DatastoreField> {
        [("_id", "int"), ("Art", "text"), ("Pflanzjahr", "int4"), ("Kontrolle", "date")]
            .into_iter()
            .map(|(id, ckan_type)| DatastoreField {
                id: id.to_string(),
                ckan_type: ckan_type.to_string(),
                kind: column_type_for(ckan_type),
                label: None,
            })
            .collect()
    }

    fn envelope(result: &str) -> JsonValue {
        ogkit_core::table::parse_json(&format!(r#"{{"result": {result}}}"#)).expect("test JSON is valid")
    }

    #[test]
    fn follow_up_records_continue_the_page() {
        let mut merged = envelope(r#"{"offset": 0, "total": 5, "records": [{"a": 1}, {"a": 2}]}"#);
        assert_eq!(datastore_next_offset(&merged), Some(2));

        let follow_up = envelope(r#"{"offset": 2, "total": 4, "records": [{"a": 3}, {"a": 4}]}"#);
        let follow_up = follow_up.get("result").cloned().expect("result member");
        append_records(&mut merged, follow_up).expect("records are a list");

        let result = merged.get("result").expect("result member");
        assert!(matches!(result.get("records"), Some(JsonValue::Array(items)) if items.len() == 4));
        assert_eq!(result.get("total").and_then(JsonValue::as_u64), Some(4));
        assert_eq!(datastore_next_offset(&merged), None);
    }

    #[test]
    fn follow_up_without_records_is_invalid() {
        let mut merged = envelope(r#"{"offset": 0, "total": 5, "records": [{"a": 1}]}"#);
        let follow_up = ogkit_core::table::parse_json(r#"{"total": 5, "records": "none"}"#).expect("test JSON is valid");
        let error = append_records(&mut merged, follow_up).expect_err("records must be a list");
        assert_eq!(error.key(), CkanKey::ResultInvalid);
    }

    #[test]
    fn page_becomes_offset() {
        let view = ServerView::new(20).apply(ServerAction::Page(4));
        let (request, notes, invalid) = view.request("r", &fields(), Lang::De);
        assert_eq!((request.offset, request.limit), (60, 20));
        assert!(notes.is_empty());
        assert!(invalid.is_empty());
    }

    #[test]
    fn filters_reset_page() {
        let view = ServerView::new(20).apply(ServerAction::Page(9));
        let mut filters = BTreeMap::new();
        filters.insert(1, "Linde".to_string());
        filters.insert(3, "  ".to_string());
        let view = view.apply(ServerAction::Apply { search: " Ahorn ".into(), filters });
        assert_eq!(view.page, 1);
        assert_eq!(view.search, "Ahorn");
        assert_eq!(view.filters.len(), 1);
    }

    #[test]
    fn typed_filters_are_converted() {
        let mut filters = BTreeMap::new();
        filters.insert(2, "1.990".to_string());
        filters.insert(3, "13.05.2024".to_string());
        let view = ServerView::new(20).apply(ServerAction::Apply { search: String::new(), filters });
        let (request, _, invalid) = view.request("r", &fields(), Lang::De);
        assert!(invalid.is_empty());
        assert_eq!(
            request.filters,
            [("Pflanzjahr".to_string(), vec!["1990".to_string()]), ("Kontrolle".to_string(), vec!["2024-05-13".to_string()])]
        );
    }

    #[test]
    fn unfitting_filter_is_reported() {
        let mut filters = BTreeMap::new();
        filters.insert(2, "neunzehnhundert".to_string());
        let view = ServerView::new(20).apply(ServerAction::Apply { search: String::new(), filters });
        let (request, _, invalid) = view.request("r", &fields(), Lang::De);
        assert_eq!(invalid, [2]);
        assert!(request.filters.is_empty());
    }

    #[test]
    fn sort_cycles_like_file_table() {
        let view = ServerView::new(20).apply(ServerAction::Sort { column: 1, add: false });
        assert_eq!(view.sort, [SortKey { column: 1, descending: false }]);
        let view = view.apply(ServerAction::Sort { column: 1, add: false });
        assert_eq!(view.sort, [SortKey { column: 1, descending: true }]);
        let view = view.apply(ServerAction::Sort { column: 2, add: true });
        assert_eq!(view.sort.len(), 2);
        let (request, _, _) = view.request("r", &fields(), Lang::De);
        let names: Vec<&str> = request.sort.iter().map(|key| key.field.as_str()).collect();
        assert_eq!(names, ["Art", "Pflanzjahr", "_id"]);
    }

    #[test]
    fn fragment_state_round_trips() {
        let mut filters = BTreeMap::new();
        filters.insert(1, "Linde".to_string());
        let view = ServerView::new(20)
            .apply(ServerAction::Sort { column: 2, add: false })
            .apply(ServerAction::Sort { column: 2, add: false })
            .apply(ServerAction::Apply { search: "Ahorn".into(), filters })
            .apply(ServerAction::PageSize(50))
            .apply(ServerAction::Page(3));
        let state = view.to_state(&fields(), 20);
        let written = fragment::write_fragment("", "tabelle", &state);
        assert_eq!(written, "tabelle.q=Ahorn&tabelle.s=!Pflanzjahr&tabelle.f.Art=v:Linde&tabelle.p=3&tabelle.n=50");
        let (read, problems) = fragment::read_fragment(&written, "tabelle");
        assert!(problems.is_empty());
        assert_eq!(ServerView::from_state(&read, &fields(), 20), view);
    }

    #[test]
    fn fragment_without_fields_or_ranges_is_dropped() {
        let (state, _) = fragment::read_fragment(
            "tabelle.s=Fehlt,_id&tabelle.f.Pflanzjahr=n:1:2&tabelle.f.Art=v:a,b&tabelle.f.Fehlt=v:x&tabelle.p=2",
            "tabelle",
        );
        let view = ServerView::from_state(&state, &fields(), 20);
        assert!(view.sort.is_empty());
        assert!(view.filters.is_empty());
        assert_eq!(view.page, 2);
    }

    #[test]
    fn reset_keeps_sort() {
        let view = ServerView::new(20)
            .apply(ServerAction::Sort { column: 1, add: false })
            .apply(ServerAction::Apply { search: "x".into(), filters: BTreeMap::new() })
            .apply(ServerAction::Reset);
        assert!(view.search.is_empty());
        assert_eq!(view.sort.len(), 1);
    }
}
