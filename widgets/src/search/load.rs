//! Fetching and checking a catalogue in the browser.
//!
//! The body is parsed by the browser's own JSON parser (`Response.json()`)
//! and turned into Rust types by [`super::decode`], which keeps serde out
//! of the bundle. `format` and `version` are checked before the rest is
//! decoded, so a wrong file gets a precise message.

use js_sys::Reflect;
use ogkit_core::catalogue::{Catalogue, FORMAT, VERSION};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

use crate::i18n::{Failure, InvalidValue, Problem};

/// Fetches the catalogue at `src` (resolved against the page URL) and
/// checks that this build can read it.
pub async fn fetch_catalogue(src: &str) -> Result<Catalogue, Failure> {
    let window = web_sys::window().ok_or(Failure::Network)?;
    let response = JsFuture::from(window.fetch_with_str(src)).await.map_err(|_| Failure::Network)?;
    let response: Response = response.dyn_into().map_err(|_| Failure::Network)?;
    if !response.ok() {
        return Err(Failure::HttpStatus(response.status()));
    }
    // A wrong `src` often leads to the site's own HTML page, with status 200.
    let content_type = response.headers().get("content-type").ok().flatten().unwrap_or_default();
    if content_type.trim_start().to_ascii_lowercase().starts_with("text/html") {
        return Err(Failure::HtmlPage);
    }

    let promise = response.json().map_err(|_| Failure::InvalidJson)?;
    let value = JsFuture::from(promise).await.map_err(|_| Failure::InvalidJson)?;
    check_header(&value)?;
    super::decode::catalogue(&value).map_err(Failure::InvalidCatalogue)
}

fn check_header(value: &JsValue) -> Result<(), Failure> {
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(Failure::NotCatalogue);
    }
    let format = Reflect::get(value, &JsValue::from_str("format")).ok().and_then(|format| format.as_string());
    if format.as_deref() != Some(FORMAT) {
        return Err(Failure::NotCatalogue);
    }
    let version = Reflect::get(value, &JsValue::from_str("version")).ok().and_then(|version| version.as_f64());
    match version {
        Some(number) if number == f64::from(VERSION) => Ok(()),
        Some(number) if number.fract() == 0.0 && (0.0..1e15).contains(&number) => {
            Err(Failure::UnsupportedVersion(number as u64))
        }
        _ => Err(Failure::InvalidCatalogue(InvalidValue { path: "version".into(), problem: Problem::NotWholeNumber })),
    }
}
