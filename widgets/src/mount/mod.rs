//! Custom-element glue: the functions that the loader (`js/ogkit.js`)
//! calls, and the DOM helpers that the components share.
//!
//! The loader defines the elements and owns their lifecycle callbacks. On
//! connect it calls [`mount`], on an attribute change [`Widget::update`],
//! on disconnect [`Widget::destroy`]. Each widget renders into its own
//! `<div data-og-root>` appended to the element, because Yew empties the
//! node it renders into and the element's own children are the fallback.
//!
//! Yew apps are pooled. Yew 0.23 registers the event listeners of an app's
//! root element once and never removes them (`HostHandlers::add_listener`
//! forgets the closures), so every app ever rendered would keep its root
//! `<div>`, its listeners and its closures alive. Instead, a destroyed
//! widget's app renders nothing and waits in [`POOL`] with its root; the
//! next mount reuses it. The number of Yew apps is then the largest number
//! of widgets on the page at one time, however often elements come and go.

use std::cell::{Cell, RefCell};

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit, Element, HtmlElement};
use yew::{function_component, hook, html, use_effect_with, AppHandle, AttrValue, Html, NodeRef, Properties, Renderer};

#[cfg(feature = "form")]
use crate::form::{FormWidget, FormWidgetProps};
#[cfg(feature = "builder")]
use crate::builder::{EmbedBuilder, EmbedBuilderProps};
use crate::i18n::Lang;
#[cfg(feature = "poll")]
use crate::poll::{PollWidget, PollWidgetProps};
use crate::search::config::{self, parse_config};
use crate::search::url::{self, UrlState};
use crate::search::{ServiceSearch, ServiceSearchProps};
#[cfg(feature = "data-table")]
use crate::table::{DataTable, DataTableProps};

/// Marks fallback children that the glue hid, so only those are shown again.
const FALLBACK_MARK: &str = "data-og-fallback-hidden";

thread_local! {
    /// Idle apps with their root elements, ready for the next mount.
    static POOL: RefCell<Vec<(Element, AppHandle<Slot>)>> = const { RefCell::new(Vec::new()) };
    /// Number of Yew apps rendered since the module started.
    static APPS_CREATED: Cell<usize> = const { Cell::new(0) };
}

/// What one pooled app shows: a widget, or nothing while it is idle.
#[derive(Properties, PartialEq, Clone, Default)]
struct SlotProps {
    widget: Option<WidgetProps>,
}

#[derive(PartialEq, Clone)]
enum WidgetProps {
    ServiceSearch(ServiceSearchProps),
    #[cfg(feature = "data-table")]
    DataTable(DataTableProps),
    #[cfg(feature = "poll")]
    Poll(PollWidgetProps),
    #[cfg(feature = "form")]
    Form(FormWidgetProps),
    #[cfg(feature = "builder")]
    EmbedBuilder(EmbedBuilderProps),
}

/// Root component of every pooled app. The key is the mount's id prefix,
/// so a reused app starts the widget afresh instead of keeping the state
/// of the element it served before.
#[function_component(Slot)]
fn slot(props: &SlotProps) -> Html {
    match &props.widget {
        Some(WidgetProps::ServiceSearch(search)) => {
            let key = search.id_prefix.to_string();
            html! { <ServiceSearch key={ key } ..search.clone() /> }
        }
        #[cfg(feature = "poll")]
        Some(WidgetProps::Poll(poll)) => {
            // A different poll or server starts the widget afresh.
            let target = poll.config.as_ref().map(|config| format!("{}|{}", config.server, config.poll));
            let key = format!("{}|{}", poll.id_prefix, target.unwrap_or_default());
            html! { <PollWidget key={ key } ..poll.clone() /> }
        }
        #[cfg(feature = "data-table")]
        Some(WidgetProps::DataTable(table)) => {
            // A different file starts the table afresh, with a view of its own.
            let key = format!("{}|{}", table.id_prefix, table.config.src.as_deref().unwrap_or_default());
            html! { <DataTable key={ key } ..table.clone() /> }
        }
        #[cfg(feature = "form")]
        Some(WidgetProps::Form(form)) => {
            // Another schema or submission URL starts the form afresh.
            let target = form.config.as_ref().map(|config| format!("{}|{}", config.schema, config.action));
            let key = format!("{}|{}", form.id_prefix, target.unwrap_or_default());
            html! { <FormWidget key={ key } ..form.clone() /> }
        }
        #[cfg(feature = "builder")]
        Some(WidgetProps::EmbedBuilder(builder)) => {
            let key = builder.id_prefix.to_string();
            html! { <EmbedBuilder key={ key } ..builder.clone() /> }
        }
        None => Html::default(),
    }
}

/// The widgets this release knows, one per custom element.
#[derive(Clone, Copy)]
enum Kind {
    ServiceSearch,
    #[cfg(feature = "data-table")]
    DataTable,
    #[cfg(feature = "poll")]
    Poll,
    #[cfg(feature = "form")]
    Form,
    #[cfg(feature = "builder")]
    EmbedBuilder,
}

/// A mounted widget, owned by its custom element in JavaScript.
#[wasm_bindgen]
pub struct Widget {
    kind: Kind,
    host: HtmlElement,
    root: Element,
    id_prefix: AttrValue,
    app: AppHandle<Slot>,
    /// Console warnings already logged, so an update repeats none of them.
    warned: Vec<String>,
}

/// Mounts the widget named `tag` into `host`.
///
/// # Errors
///
/// Fails when `tag` is not an element of this release or when the element
/// cannot take a child.
#[wasm_bindgen]
pub fn mount(tag: &str, host: HtmlElement) -> Result<Widget, JsError> {
    let kind = match tag {
        config::TAG => Kind::ServiceSearch,
        #[cfg(feature = "data-table")]
        crate::table::config::TAG => Kind::DataTable,
        #[cfg(feature = "poll")]
        crate::poll::config::TAG => Kind::Poll,
        #[cfg(feature = "form")]
        crate::form::config::TAG => Kind::Form,
        #[cfg(feature = "builder")]
        crate::builder::TAG => Kind::EmbedBuilder,
        other => return Err(JsError::new(&format!("{other}: not an element of this ogkit release"))),
    };
    let id_prefix = AttrValue::from(next_id_prefix());
    let mut warned = Vec::new();
    let props = widget_props(kind, &host, &id_prefix, &mut warned);

    let (root, mut app) = match POOL.with(|pool| pool.borrow_mut().pop()) {
        Some(idle) => idle,
        None => new_app(&host).ok_or_else(|| JsError::new(&format!("{tag}: cannot create the root element")))?,
    };
    if host.append_child(&root).is_err() {
        POOL.with(|pool| pool.borrow_mut().push((root, app)));
        return Err(JsError::new(&format!("{tag}: cannot append the root element")));
    }
    app.update(SlotProps { widget: Some(props) });
    Ok(Widget { kind, host, root, id_prefix, app, warned })
}

#[wasm_bindgen]
impl Widget {
    /// Re-reads the element's attributes and updates the running widget.
    pub fn update(&mut self) {
        let props = widget_props(self.kind, &self.host, &self.id_prefix, &mut self.warned);
        self.app.update(SlotProps { widget: Some(props) });
    }

    /// Unmounts the widget: stops its timers and listeners, removes its
    /// nodes and shows the fallback content again. The app goes back to the
    /// pool.
    pub fn destroy(self) {
        let Widget { host, root, mut app, .. } = self;
        app.update(SlotProps { widget: None });
        root.remove();
        show_fallback(&host, true);
        let _ = host.remove_attribute("data-og-state");
        POOL.with(|pool| pool.borrow_mut().push((root, app)));
    }
}

/// Returns how many Yew apps this module has rendered; tests use it to
/// check that mounting and unmounting reuses them.
#[doc(hidden)]
#[wasm_bindgen(js_name = appsCreated)]
pub fn apps_created() -> usize {
    APPS_CREATED.with(Cell::get)
}

fn new_app(host: &HtmlElement) -> Option<(Element, AppHandle<Slot>)> {
    let root = host.owner_document()?.create_element("div").ok()?;
    root.set_class_name("og-root");
    let _ = root.set_attribute("data-og-root", "");
    let app = Renderer::<Slot>::with_root_and_props(root.clone(), SlotProps::default()).render();
    APPS_CREATED.with(|count| count.set(count.get() + 1));
    Some((root, app))
}

fn widget_props(kind: Kind, host: &HtmlElement, id_prefix: &AttrValue, warned: &mut Vec<String>) -> WidgetProps {
    match kind {
        Kind::ServiceSearch => WidgetProps::ServiceSearch(search_props(host, id_prefix, warned)),
        #[cfg(feature = "data-table")]
        Kind::DataTable => WidgetProps::DataTable(table_props(host, id_prefix, warned)),
        #[cfg(feature = "poll")]
        Kind::Poll => WidgetProps::Poll(poll_props(host, id_prefix, warned)),
        #[cfg(feature = "form")]
        Kind::Form => WidgetProps::Form(form_props(host, id_prefix, warned)),
        #[cfg(feature = "builder")]
        Kind::EmbedBuilder => {
            WidgetProps::EmbedBuilder(EmbedBuilderProps { lang: element_lang(host), host: host.clone(), id_prefix: id_prefix.clone() })
        }
    }
}

/// Returns the release of this module, which the loader compares with its own.
#[wasm_bindgen]
pub fn release() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

fn search_props(host: &HtmlElement, id_prefix: &AttrValue, warned: &mut Vec<String>) -> ServiceSearchProps {
    let lang = element_lang(host);
    let (config, warnings) = parse_config(|name| host.get_attribute(name), lang);
    let mut notices = Vec::new();
    for warning in &warnings {
        let message = warning.console_message();
        if !warned.contains(&message) {
            web_sys::console::warn_1(&JsValue::from_str(&message));
            warned.push(message);
        }
        // A missing `src` gets its message in place of the results instead.
        if warning.attribute != "src" {
            notices.push(lang.config_notice(warning.attribute, &warning.value));
        }
    }
    ServiceSearchProps { config, host: host.clone(), id_prefix: id_prefix.clone(), notices }
}

#[cfg(feature = "poll")]
fn poll_props(host: &HtmlElement, id_prefix: &AttrValue, warned: &mut Vec<String>) -> PollWidgetProps {
    let lang = element_lang(host);
    let config = crate::poll::config::parse_config(|name| host.get_attribute(name), lang);
    if let Err(errors) = &config {
        for error in errors {
            let message = error.console_message();
            if !warned.contains(&message) {
                web_sys::console::warn_1(&JsValue::from_str(&message));
                warned.push(message);
            }
        }
    }
    PollWidgetProps { config, lang, host: host.clone(), id_prefix: id_prefix.clone() }
}

#[cfg(feature = "form")]
fn form_props(host: &HtmlElement, id_prefix: &AttrValue, warned: &mut Vec<String>) -> FormWidgetProps {
    let lang = element_lang(host);
    let config = crate::form::config::parse_config(|name| host.get_attribute(name), lang);
    if let Err(errors) = &config {
        for error in errors {
            let message = error.console_message();
            if !warned.contains(&message) {
                web_sys::console::warn_1(&JsValue::from_str(&message));
                warned.push(message);
            }
        }
    }
    FormWidgetProps { config, lang, host: host.clone(), id_prefix: id_prefix.clone() }
}

#[cfg(feature = "data-table")]
fn table_props(host: &HtmlElement, id_prefix: &AttrValue, warned: &mut Vec<String>) -> DataTableProps {
    let lang = element_lang(host);
    let (config, warnings) = crate::table::config::parse_config(|name| host.get_attribute(name), lang);
    let mut notices = Vec::new();
    for warning in &warnings {
        let message = warning.console_message();
        if !warned.contains(&message) {
            web_sys::console::warn_1(&JsValue::from_str(&message));
            warned.push(message);
        }
        // A missing `src` gets its message in place of the table instead.
        if warning.attribute != "src" {
            notices.push(crate::table::text::config_notice(warning.attribute, &warning.value, lang));
        }
    }
    DataTableProps { config, host: host.clone(), id_prefix: id_prefix.clone(), notices }
}

/// Returns the language from `lang` on the element or its nearest ancestor.
fn element_lang(host: &HtmlElement) -> Lang {
    host.closest("[lang]")
        .ok()
        .flatten()
        .and_then(|element| element.get_attribute("lang"))
        .map_or(Lang::De, |tag| Lang::from_tag(&tag))
}

fn next_id_prefix() -> String {
    thread_local! {
        static NEXT_ID: Cell<u32> = const { Cell::new(1) };
    }
    let number = NEXT_ID.with(|next| next.replace(next.get().wrapping_add(1)));
    format!("og{number}")
}

/// How far a widget got, written to `data-og-state` on its element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostState {
    Loading,
    Ready,
    Failed,
}

/// Writes `state` to `host` after each render in which it changed. `None`
/// leaves the element alone, for a part that does not own the state.
#[hook]
pub fn use_host_state(host: &HtmlElement, state: Option<HostState>) {
    let host = host.clone();
    use_effect_with(state, move |state| {
        if let Some(state) = state {
            set_host_state(&host, *state);
        }
    });
}

/// Writes `state` to the element and hides the fallback children once the
/// widget is ready; they come back when it fails.
pub fn set_host_state(host: &HtmlElement, state: HostState) {
    let name = match state {
        HostState::Loading => "loading",
        HostState::Ready => "ready",
        HostState::Failed => "error",
    };
    let _ = host.set_attribute("data-og-state", name);
    show_fallback(host, state != HostState::Ready);
}

fn show_fallback(host: &HtmlElement, visible: bool) {
    let children = host.children();
    for position in 0..children.length() {
        let Some(child) = children.item(position) else { continue };
        if child.has_attribute("data-og-root") {
            continue;
        }
        if visible && child.has_attribute(FALLBACK_MARK) {
            let _ = child.remove_attribute("hidden");
            let _ = child.remove_attribute(FALLBACK_MARK);
        } else if !visible && !child.has_attribute("hidden") {
            let _ = child.set_attribute("hidden", "");
            let _ = child.set_attribute(FALLBACK_MARK, "");
        }
    }
}

/// Dispatches `og-search` with `detail: {query, count}`.
pub fn dispatch_search(host: &HtmlElement, query: &str, count: usize) {
    let detail = Object::new();
    let _ = Reflect::set(&detail, &"query".into(), &query.into());
    let _ = Reflect::set(&detail, &"count".into(), &JsValue::from_f64(count as f64));
    dispatch(host, "og-search", &detail);
}

/// Dispatches `og-select` with `detail: {id}`.
pub fn dispatch_select(host: &HtmlElement, id: &str) {
    let detail = Object::new();
    let _ = Reflect::set(&detail, &"id".into(), &id.into());
    dispatch(host, "og-select", &detail);
}

pub(crate) fn dispatch(host: &HtmlElement, name: &str, detail: &Object) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
}

fn location_search() -> String {
    web_sys::window().and_then(|window| window.location().search().ok()).unwrap_or_default()
}

/// Reads the widget's state from the page URL.
pub fn read_url_state(query_param: &str) -> UrlState {
    url::read_state(&location_search(), query_param)
}

/// Writes `state` into the page URL: as a new history entry when `push`,
/// else in place. Does nothing when the URL already says the same.
pub fn write_url(query_param: &str, state: &UrlState, push: bool) {
    let Some(window) = web_sys::window() else { return };
    let current = location_search();
    if url::read_state(&current, query_param) == *state {
        return;
    }
    let search = url::write_state(&current, query_param, state);
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let target = crate::ui::concat(&[&path, &search, &hash]);
    let Ok(history) = window.history() else { return };
    // Keep the page's own history state: other scripts may rely on it.
    let page_state = history.state().unwrap_or(JsValue::NULL);
    let _ = if push {
        history.push_state_with_url(&page_state, "", Some(&target))
    } else {
        history.replace_state_with_url(&page_state, "", Some(&target))
    };
}

/// Replaces the search text in the URL, keeping the opened service.
pub fn replace_url_query(query_param: &str, query: &str) {
    let mut state = read_url_state(query_param);
    state.query = query.trim().to_string();
    write_url(query_param, &state, false);
}

fn hits(root: &NodeRef) -> Vec<HtmlElement> {
    let Some(root) = root.cast::<Element>() else { return Vec::new() };
    let Ok(list) = root.query_selector_all("[data-og-hit]") else { return Vec::new() };
    (0..list.length()).filter_map(|position| list.item(position)).filter_map(|node| node.dyn_into().ok()).collect()
}

/// Focuses the result with `id`, or the first result when `id` is `None`.
/// Returns true when a result got focus.
pub fn focus_hit(root: &NodeRef, id: Option<&str>) -> bool {
    let target = hits(root)
        .into_iter()
        .find(|hit| id.is_none() || hit.get_attribute("data-id").as_deref() == id);
    match target {
        Some(hit) => hit.focus().is_ok(),
        None => false,
    }
}

/// Moves focus between results for the arrow keys, Home and End, and back
/// to the search field for Escape. Returns true when it handled `key`.
pub fn move_hit_focus(root: &NodeRef, key: &str) -> bool {
    let hits = hits(root);
    let active = web_sys::window().and_then(|window| window.document()).and_then(|document| document.active_element());
    let current = active.and_then(|active| hits.iter().position(|hit| **hit == active));
    let Some(current) = current else { return false };
    let target = match key {
        "ArrowDown" => Some((current + 1).min(hits.len().saturating_sub(1))),
        "ArrowUp" if current == 0 => None,
        "ArrowUp" => Some(current - 1),
        "Home" => Some(0),
        "End" => Some(hits.len().saturating_sub(1)),
        "Escape" => None,
        _ => return false,
    };
    match target.and_then(|position| hits.get(position)) {
        Some(hit) => {
            let _ = hit.focus();
        }
        None => {
            // Up from the first result, or Escape: back to the search field.
            if let Some(input) = root
                .cast::<Element>()
                .and_then(|root| root.query_selector("[data-og-input]").ok().flatten())
                .and_then(|input| input.dyn_into::<HtmlElement>().ok())
            {
                let _ = input.focus();
            }
        }
    }
    true
}
