//! Browser tests of `<og-service-search>` through the same entry points
//! that the loader calls: `mount`, `Widget::update` and `Widget::destroy`.
//!
//! Run with
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test -p ogkit-widgets --target wasm32-unknown-unknown`.
//! Catalogues come from blob URLs, so the tests need no file server; the
//! runner's own server answers 404 for the missing-file case.

use std::cell::RefCell;
use std::rc::Rc;

use ogkit_widgets::mount::apps_created;
use ogkit_widgets::{mount, Widget};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Blob, BlobPropertyBag, Document, Element, HtmlElement, HtmlInputElement, Url};

wasm_bindgen_test_configure!(run_in_browser);

const CATALOGUE: &str = r#"{
  "format": "ogkit-catalogue",
  "version": 1,
  "title": "Testkatalog",
  "source": {"name": "Testamt", "url": "https://example.org/daten", "licence": "CC0-1.0"},
  "services": [
    {"id": "S01", "name": "Müllabfuhr: Abfuhrkalender abrufen", "summary": "Termine für Restmüll.",
     "lebenslagen": ["Umwelt"]},
    {"id": "S08", "name": "Wasserza\u0308hler ablesen", "summary": "Zählerstand melden.",
     "description": [{"type": "paragraph", "content": [
        {"type": "text", "text": "<img src=x onerror=\"document.title='XSS'\">"},
        {"type": "link", "href": "javascript:document.title='XSS'", "content": [{"type": "text", "text": "böse"}]},
        {"type": "link", "href": "https://example.org/?a=1&b=2", "content": [{"type": "text", "text": "gut"}]}
     ]}],
     "online_url": "https://example.org/online", "lebenslagen": ["Wohnen"]},
    {"id": "S03", "name": "Führerschein umtauschen", "lebenslagen": ["Mobilität"]}
  ]
}"#;

/// Maximum number of 10 ms polls before a wait gives up, so a broken
/// widget fails the test instead of hanging the runner.
const MAX_POLLS: u32 = 1000;

fn document() -> Document {
    web_sys::window().expect("window").document().expect("document")
}

fn blob_url(body: &str) -> String {
    let parts = js_sys::Array::of1(&JsValue::from_str(body));
    let options = BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).expect("blob");
    Url::create_object_url_with_blob(&blob).expect("blob URL")
}

async fn sleep(millis: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis)
            .expect("setTimeout");
    });
    JsFuture::from(promise).await.expect("sleep");
}

async fn wait_for(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..MAX_POLLS {
        if condition() {
            return;
        }
        sleep(10).await;
    }
    panic!("gave up waiting for {what}");
}

/// Creates `<og-service-search>` with a fallback link, inside a fresh
/// container that carries `lang`.
fn host(lang: &str, attributes: &[(&str, &str)]) -> HtmlElement {
    let container = document().create_element("div").expect("div");
    container.set_attribute("lang", lang).expect("lang");
    let element: HtmlElement =
        document().create_element("og-service-search").expect("element").dyn_into().expect("HtmlElement");
    for (name, value) in attributes {
        element.set_attribute(name, value).expect("attribute");
    }
    let fallback = document().create_element("a").expect("a");
    fallback.set_attribute("href", "/a-z").expect("href");
    fallback.set_attribute("data-test-fallback", "").expect("marker");
    fallback.set_text_content(Some("Alle Leistungen"));
    element.append_child(&fallback).expect("fallback");
    container.append_child(&element).expect("append");
    document().body().expect("body").append_child(&container).expect("append container");
    element
}

fn state(host: &Element) -> Option<String> {
    host.get_attribute("data-og-state")
}

fn find(host: &Element, selector: &str) -> Option<Element> {
    host.query_selector(selector).expect("selector")
}

fn find_all(host: &Element, selector: &str) -> Vec<Element> {
    let list = host.query_selector_all(selector).expect("selector");
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|node| node.dyn_into().ok()).collect()
}

fn text(host: &Element, selector: &str) -> String {
    find(host, selector).and_then(|element| element.text_content()).unwrap_or_default()
}

fn type_query(host: &Element, query: &str) {
    let input: HtmlInputElement = find(host, "[data-og-input]").expect("input").dyn_into().expect("input element");
    input.set_value(query);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::InputEvent::new_with_event_init_dict("input", &init).expect("event");
    input.dispatch_event(&event).expect("dispatch");
}

async fn mounted(lang: &str, attributes: &[(&str, &str)]) -> (HtmlElement, Widget) {
    let element = host(lang, attributes);
    let widget = mount("og-service-search", element.clone()).expect("mount");
    (element, widget)
}

fn reset_url() {
    let window = web_sys::window().expect("window");
    let path = window.location().pathname().expect("path");
    window.history().expect("history").replace_state_with_url(&JsValue::NULL, "", Some(&path)).expect("replace");
}

fn remove(element: &HtmlElement) {
    if let Some(container) = element.parent_element() {
        container.remove();
    }
}

#[wasm_bindgen_test]
async fn mounted_search_shows_ranked_hits() {
    reset_url();
    let src = blob_url(CATALOGUE);
    let (element, widget) = mounted("de", &[("src", &src)]).await;
    wait_for("ready", || state(&element).as_deref() == Some("ready")).await;

    let fallback = find(&element, "[data-test-fallback]").expect("fallback");
    assert!(fallback.has_attribute("hidden"), "fallback stays visible after mount");

    type_query(&element, "muell");
    wait_for("a hit", || find(&element, "[data-og-hit]").is_some()).await;
    let hits = find_all(&element, "[data-og-hit]");
    assert_eq!(hits[0].get_attribute("data-id").as_deref(), Some("S01"));
    let mark = find(&hits[0], "mark").expect("mark");
    assert_eq!(mark.text_content().as_deref(), Some("Müll"));

    widget.destroy();
    remove(&element);
}

#[wasm_bindgen_test]
async fn decomposed_umlaut_stays_in_highlight() {
    reset_url();
    let src = blob_url(CATALOGUE);
    let (element, widget) = mounted("de", &[("src", &src)]).await;
    wait_for("ready", || state(&element).as_deref() == Some("ready")).await;

    type_query(&element, "wasserzähler");
    wait_for("S08", || find(&element, "[data-og-hit][data-id='S08']").is_some()).await;
    let name = text(&element, "[data-id='S08'] .og-hit__name");
    assert_eq!(name, "Wasserza\u{0308}hler ablesen");
    for mark in find_all(&element, "[data-id='S08'] mark") {
        let content = mark.text_content().unwrap_or_default();
        assert!(!content.starts_with('\u{0308}'), "mark starts with a combining diaeresis: {content:?}");
    }

    widget.destroy();
    remove(&element);
}

#[wasm_bindgen_test]
async fn details_render_markup_as_text() {
    reset_url();
    let src = blob_url(CATALOGUE);
    let (element, widget) = mounted("de", &[("src", &src)]).await;
    wait_for("ready", || state(&element).as_deref() == Some("ready")).await;

    let selected = Rc::new(RefCell::new(None::<String>));
    let listener = {
        let selected = Rc::clone(&selected);
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
            let id = js_sys::Reflect::get(&event.detail(), &"id".into()).ok().and_then(|id| id.as_string());
            *selected.borrow_mut() = id;
        })
    };
    document().add_event_listener_with_callback("og-select", listener.as_ref().unchecked_ref()).expect("listen");

    type_query(&element, "wasserzahler");
    wait_for("S08", || find(&element, "[data-id='S08']").is_some()).await;
    let hit: HtmlElement = find(&element, "[data-og-hit][data-id='S08']").expect("hit").dyn_into().expect("html");
    hit.click();
    wait_for("details", || find(&element, "[data-og-details]").is_some()).await;

    assert_eq!(selected.borrow().as_deref(), Some("S08"), "og-select did not bubble to the document");
    let details = find(&element, "[data-og-details]").expect("details");
    assert!(find(&details, "img").is_none());
    assert!(details.text_content().unwrap_or_default().contains("<img src=x onerror="));
    let links: Vec<String> = find_all(&details, "a").iter().filter_map(|a| a.get_attribute("href")).collect();
    assert!(links.iter().all(|href| href.starts_with("https://")), "{links:?}");
    assert!(links.contains(&"https://example.org/?a=1&b=2".to_string()), "{links:?}");
    assert_ne!(document().title(), "XSS");

    document().remove_event_listener_with_callback("og-select", listener.as_ref().unchecked_ref()).expect("unlisten");
    widget.destroy();
    remove(&element);
}

#[wasm_bindgen_test]
async fn arrow_down_focuses_first_hit() {
    reset_url();
    let src = blob_url(CATALOGUE);
    let (element, widget) = mounted("de", &[("src", &src)]).await;
    wait_for("ready", || state(&element).as_deref() == Some("ready")).await;
    type_query(&element, "fuhrerschein");
    wait_for("a hit", || find(&element, "[data-og-hit]").is_some()).await;

    let input = find(&element, "[data-og-input]").expect("input");
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("ArrowDown");
    init.set_bubbles(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    input.dispatch_event(&event).expect("dispatch");

    let active = document().active_element().expect("focus");
    assert!(active.has_attribute("data-og-hit"), "focus is on {}", active.outer_html());

    widget.destroy();
    remove(&element);
}

#[wasm_bindgen_test]
async fn attribute_change_updates_widget() {
    reset_url();
    let src = blob_url(CATALOGUE);
    let (element, mut widget) = mounted("de", &[("src", &src), ("placeholder", "Erst")]).await;
    wait_for("ready", || state(&element).as_deref() == Some("ready")).await;
    assert_eq!(find(&element, "[data-og-input]").and_then(|i| i.get_attribute("placeholder")).as_deref(), Some("Erst"));

    element.set_attribute("placeholder", "Dann").expect("attribute");
    widget.update();
    wait_for("new placeholder", || {
        find(&element, "[data-og-input]").and_then(|i| i.get_attribute("placeholder")).as_deref() == Some("Dann")
    })
    .await;

    element.set_attribute("src", "/ogkit-test-no-such-file.json").expect("attribute");
    widget.update();
    wait_for("error", || state(&element).as_deref() == Some("error")).await;
    assert!(text(&element, "[data-og-error]").contains("404"));

    widget.destroy();
    remove(&element);
}

#[wasm_bindgen_test]
async fn destroy_leaves_only_fallback() {
    reset_url();
    let src = blob_url(CATALOGUE);
    let (element, widget) = mounted("de", &[("src", &src)]).await;
    wait_for("ready", || state(&element).as_deref() == Some("ready")).await;

    widget.destroy();
    assert!(find(&element, "[data-og-root]").is_none(), "root left behind");
    assert_eq!(element.child_element_count(), 1);
    let fallback = find(&element, "[data-test-fallback]").expect("fallback");
    assert!(!fallback.has_attribute("hidden"), "fallback still hidden");
    assert!(state(&element).is_none());
    remove(&element);
}

#[wasm_bindgen_test]
async fn destroy_cancels_pending_timers() {
    reset_url();
    let src = blob_url(CATALOGUE);
    let (element, widget) = mounted("de", &[("src", &src)]).await;
    wait_for("ready", || state(&element).as_deref() == Some("ready")).await;

    let fired = Rc::new(RefCell::new(0));
    let listener = {
        let fired = Rc::clone(&fired);
        Closure::<dyn FnMut()>::new(move || *fired.borrow_mut() += 1)
    };
    element.add_event_listener_with_callback("og-search", listener.as_ref().unchecked_ref()).expect("listen");
    type_query(&element, "muell");
    widget.destroy();
    // Longer than the settle delay of the widget.
    sleep(1000).await;

    assert_eq!(*fired.borrow(), 0, "og-search fired after destroy");
    let search = web_sys::window().expect("window").location().search().expect("search");
    assert_eq!(search, "", "URL changed after destroy");
    remove(&element);
}

#[wasm_bindgen_test]
async fn settled_search_updates_url_and_fires_event() {
    reset_url();
    let src = blob_url(CATALOGUE);
    let (element, widget) = mounted("de", &[("src", &src), ("query-param", "suche")]).await;
    wait_for("ready", || state(&element).as_deref() == Some("ready")).await;

    let detail = Rc::new(RefCell::new(None::<(String, f64)>));
    let listener = {
        let detail = Rc::clone(&detail);
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
            let query = js_sys::Reflect::get(&event.detail(), &"query".into()).ok().and_then(|v| v.as_string());
            let count = js_sys::Reflect::get(&event.detail(), &"count".into()).ok().and_then(|v| v.as_f64());
            *detail.borrow_mut() = query.zip(count);
        })
    };
    element.add_event_listener_with_callback("og-search", listener.as_ref().unchecked_ref()).expect("listen");
    type_query(&element, "Müll");
    wait_for("og-search", || detail.borrow().is_some()).await;

    let (query, count) = detail.borrow().clone().expect("detail");
    assert_eq!(query, "Müll");
    assert!(count >= 1.0);
    let search = web_sys::window().expect("window").location().search().expect("search");
    assert_eq!(search, "?suche=M%C3%BCll");
    assert!(text(&element, "[data-og-status]").contains("Treffer"));

    widget.destroy();
    remove(&element);
    reset_url();
}

#[wasm_bindgen_test]
async fn two_instances_have_distinct_ids() {
    reset_url();
    let src = blob_url(CATALOGUE);
    let (first, first_widget) = mounted("de", &[("src", &src)]).await;
    let (second, second_widget) = mounted("de", &[("src", &src), ("query-param", "q2")]).await;
    wait_for("both ready", || {
        state(&first).as_deref() == Some("ready") && state(&second).as_deref() == Some("ready")
    })
    .await;

    let mut ids: Vec<String> = find_all(&document().document_element().expect("html"), "[id]")
        .iter()
        .filter_map(|element| element.get_attribute("id"))
        .collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate ids");
    for host in [&first, &second] {
        for label in find_all(host, "label[for]") {
            let target = label.get_attribute("for").expect("for");
            assert!(find(host, &format!("#{target}")).is_some(), "label for {target} leaves its instance");
        }
    }

    first_widget.destroy();
    second_widget.destroy();
    remove(&first);
    remove(&second);
}

mod when_catalogue_is_bad {
    use super::*;

    async fn failure_text(lang: &str, attributes: &[(&str, &str)]) -> String {
        reset_url();
        let (element, widget) = mounted(lang, attributes).await;
        wait_for("error", || state(&element).as_deref() == Some("error")).await;
        let message = text(&element, "[data-og-error]");
        let fallback = find(&element, "[data-test-fallback]").expect("fallback");
        assert!(!fallback.has_attribute("hidden"), "fallback hidden although the widget failed");
        widget.destroy();
        remove(&element);
        message
    }

    #[wasm_bindgen_test]
    async fn missing_file_names_status() {
        let message = failure_text("de", &[("src", "/ogkit-test-no-such-file.json")]).await;
        assert!(message.contains("404"), "{message}");
        assert!(message.contains("nicht gefunden"), "{message}");
    }

    #[wasm_bindgen_test]
    async fn invalid_json_is_reported() {
        let src = blob_url("{\"format\": \"ogkit-catalogue\", ");
        let message = failure_text("de", &[("src", &src)]).await;
        assert!(message.contains("kein gültiges JSON"), "{message}");
    }

    #[wasm_bindgen_test]
    async fn other_json_is_not_catalogue() {
        let src = blob_url("[{\"id\": \"S01\", \"title\": \"Müllabfuhr\"}]");
        let message = failure_text("de", &[("src", &src)]).await;
        assert!(message.contains("kein ogkit-Leistungskatalog"), "{message}");
    }

    #[wasm_bindgen_test]
    async fn newer_version_is_named() {
        let src = blob_url("{\"format\": \"ogkit-catalogue\", \"version\": 2, \"services\": []}");
        let message = failure_text("de", &[("src", &src)]).await;
        assert!(message.contains("Version 2"), "{message}");
    }

    #[wasm_bindgen_test]
    async fn wrong_field_type_names_path() {
        let src = blob_url("{\"format\": \"ogkit-catalogue\", \"version\": 1, \"services\": [{\"id\": 7, \"name\": \"x\"}]}");
        let message = failure_text("de", &[("src", &src)]).await;
        assert!(message.contains("services[0].id"), "{message}");
    }

    #[wasm_bindgen_test]
    async fn missing_name_is_worded_in_language() {
        let body = "{\"format\": \"ogkit-catalogue\", \"version\": 1, \"services\": [{\"id\": \"S01\", \"name\": \"x\"}, {\"id\": \"S02\"}]}";
        let src = blob_url(body);
        let german = failure_text("de", &[("src", &src)]).await;
        assert_eq!(german, "Der Leistungskatalog enthält ungültige Daten (services[1].name: Pflichtfeld fehlt).");
        let english = failure_text("en", &[("src", &src)]).await;
        assert_eq!(english, "The service catalogue contains invalid data (services[1].name: required field is missing).");
    }

    #[wasm_bindgen_test]
    async fn unknown_block_type_is_worded_in_german() {
        let body = "{\"format\": \"ogkit-catalogue\", \"version\": 1, \"services\": [{\"id\": \"S01\", \"name\": \"x\", \"fees\": [{\"type\": \"table\"}]}]}";
        let message = failure_text("de", &[("src", &blob_url(body))]).await;
        assert!(message.contains("services[0].fees[0].type: unbekannter Blocktyp „table“"), "{message}");
    }

    #[wasm_bindgen_test]
    async fn english_page_gets_english_text() {
        let message = failure_text("en-GB", &[("src", "/ogkit-test-no-such-file.json")]).await;
        assert!(message.contains("could not be loaded"), "{message}");
    }

    #[wasm_bindgen_test]
    async fn missing_src_is_explained() {
        let message = failure_text("de", &[]).await;
        assert!(message.contains("src"), "{message}");
    }

    #[wasm_bindgen_test]
    async fn unknown_category_is_ignored_with_notice() {
        reset_url();
        let src = blob_url(CATALOGUE);
        let (element, widget) = mounted("de", &[("src", &src), ("category", "GibtEsNicht")]).await;
        wait_for("notice", || find(&element, "[data-og-config-warning]").is_some()).await;
        let notice = text(&element, "[data-og-config-warning]");
        assert!(notice.contains("category"), "{notice}");
        assert!(notice.contains("GibtEsNicht"), "{notice}");
        assert!(find(&element, "[data-og-no-results]").is_none(), "the unknown filter alone found nothing");

        type_query(&element, "Führerschein");
        wait_for("hit", || !find_all(&element, "[data-og-hit]").is_empty()).await;
        assert!(find(&element, "[data-og-hit][data-id='S03']").is_some());
        widget.destroy();
        remove(&element);
    }

    #[wasm_bindgen_test]
    async fn known_category_filters_without_notice() {
        reset_url();
        let src = blob_url(CATALOGUE);
        let (element, widget) = mounted("de", &[("src", &src), ("category", "Wohnen")]).await;
        wait_for("hits", || !find_all(&element, "[data-og-hit]").is_empty()).await;
        let ids: Vec<String> =
            find_all(&element, "[data-og-hit]").iter().filter_map(|hit| hit.get_attribute("data-id")).collect();
        assert_eq!(ids, ["S08"]);
        assert!(find(&element, "[data-og-config-warning]").is_none());
        widget.destroy();
        remove(&element);
    }

    #[wasm_bindgen_test]
    async fn bad_max_results_shows_notice() {
        reset_url();
        let src = blob_url(CATALOGUE);
        let (element, widget) = mounted("de", &[("src", &src), ("max-results", "viele")]).await;
        wait_for("ready", || state(&element).as_deref() == Some("ready")).await;
        assert!(text(&element, "[data-og-config-warning]").contains("max-results"));
        widget.destroy();
        remove(&element);
    }
}

#[wasm_bindgen_test]
async fn thousand_mount_cycles_do_not_leak() {
    reset_url();
    let src = blob_url(CATALOGUE);
    let cycle = |src: String| async move {
        let (element, widget) = mounted("de", &[("src", &src)]).await;
        wait_for("ready", || state(&element).as_deref() == Some("ready")).await;
        widget.destroy();
        remove(&element);
    };
    for _ in 0..50 {
        cycle(src.clone()).await;
    }
    let memory = || wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>().buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length();
    let before = memory();
    for _ in 0..1000 {
        cycle(src.clone()).await;
    }
    let after = memory();

    assert!(document().query_selector("og-service-search").expect("query").is_none(), "hosts left behind");
    // Yew never removes an app's root listeners, so each new app would
    // leak its root element; mounting one widget at a time reuses one app.
    let apps = apps_created();
    for _ in 0..10 {
        cycle(src.clone()).await;
    }
    assert_eq!(apps_created(), apps, "mounting after destroy created a new Yew app");
    // A leak of even a few hundred bytes per cycle (one catalogue, one
    // closure set) would grow the heap by far more than 1 MiB.
    assert!(after - before <= 1024 * 1024, "wasm memory grew from {before} to {after} bytes over 1000 cycles");
}
