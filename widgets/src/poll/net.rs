//! The browser side of the poll API: requests, the result stream, random
//! ids and dates. Everything that can be decided without a browser lives in
//! `api` and `state`; this module only moves bytes.

use gloo_events::EventListener;
use js_sys::{Date, Object, Reflect};
use ogkit_core::poll::Timestamp;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{EventSource, MessageEvent, RequestCache, RequestInit, Response};

use super::api::uuid_v4;
use crate::i18n::Lang;

/// Sends a request and returns its status and body text, or `None` when
/// no complete response arrived (server down, connection lost, CORS refusal).
pub(crate) async fn request(url: &str, json_body: Option<&str>) -> Option<(u16, String)> {
    let window = web_sys::window()?;
    let init = RequestInit::new();
    // Polls change phase and tallies change with every ballot, so a cached
    // response would be wrong.
    init.set_cache(RequestCache::NoStore);
    if let Some(body) = json_body {
        init.set_method("POST");
        init.set_body(&JsValue::from_str(body));
        let headers = web_sys::Headers::new().ok()?;
        headers.set("Content-Type", "application/json").ok()?;
        init.set_headers(&headers);
    }
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.ok()?;
    let response: Response = response.dyn_into().ok()?;
    let text = JsFuture::from(response.text().ok()?).await.ok()?;
    Some((response.status(), text.as_string()?))
}

/// An open result stream; dropping it closes the connection.
pub(crate) struct ResultStream {
    source: EventSource,
    _listener: EventListener,
}

impl ResultStream {
    /// Opens the stream at `url` and calls `on_tally` with the data of each
    /// `tally` event. Returns `None` when the browser refuses the URL.
    pub(crate) fn open(url: &str, on_tally: impl Fn(String) + 'static) -> Option<ResultStream> {
        let source = EventSource::new(url).ok()?;
        let listener = EventListener::new(&source, "tally", move |event| {
            if let Some(data) = event.dyn_ref::<MessageEvent>().and_then(|event| event.data().as_string()) {
                on_tally(data);
            }
        });
        Some(ResultStream { source, _listener: listener })
    }
}

impl Drop for ResultStream {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// Returns a new random version 4 UUID from the browser's random source.
pub(crate) fn random_uuid() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // NOTE: only browsers without Web Crypto get here; their ids are
        // guessable, which lets someone who guesses one read its receipt.
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    uuid_v4(bytes)
}

/// Returns the browser's `navigator.onLine`, or true outside a browser
/// window. False means the device is offline; true does not promise that
/// the server can be reached.
pub(crate) fn is_online() -> bool {
    web_sys::window().is_none_or(|window| window.navigator().on_line())
}

/// Returns the current time in milliseconds since the epoch.
pub(crate) fn now_ms() -> f64 {
    Date::now()
}

/// Formats a moment as a long date with time in the browser's time zone,
/// such as "31. März 2026 um 18:00".
pub(crate) fn format_time(time: Timestamp, lang: Lang) -> String {
    let date = Date::new(&JsValue::from_f64(time.as_unix_seconds() as f64 * 1000.0));
    let options = Object::new();
    let _ = Reflect::set(&options, &"dateStyle".into(), &"long".into());
    let _ = Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(lang.tag(), &options).into()
}
