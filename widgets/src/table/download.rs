//! Offering the shown rows as a file download.
//!
//! The bytes go into a `Blob`, the browser gets an object URL for it, and a
//! temporary link with a `download` attribute is clicked. This needs no
//! server round trip, and a strict Content-Security-Policy allows it: a
//! download is a navigation, which `default-src` does not govern, and no
//! `data:` URL is involved.

use gloo_timers::callback::Timeout;
use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Time before the object URL is released. A download starts from the URL
/// when the link is clicked. Releasing it in the same task can cancel the
/// download in some browsers, so the URL lives for one minute.
const RELEASE_MILLIS: u32 = 60_000;

/// Starts the download of `bytes` as `file_name` with the MIME type `mime`.
///
/// # Errors
///
/// Returns the browser's error when the blob, the URL or the link cannot be
/// created.
pub(super) fn offer(bytes: &[u8], mime: &str, file_name: &str) -> Result<(), JsValue> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;

    let document = web_sys::window().and_then(|window| window.document()).ok_or_else(|| JsValue::from_str("no document"))?;
    let link: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(file_name);
    link.click();

    Timeout::new(RELEASE_MILLIS, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// Returns the download name for `source` (a file name or URL) and the
/// extension `extension`: the source's name without its extension, or
/// `tabelle` when it has none.
pub(super) fn file_name(source: &str, extension: &str) -> String {
    let name = super::config::file_name(source);
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name.as_str(),
    };
    let safe: String = stem
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '_' })
        .collect();
    let safe = if safe.trim_matches('_').is_empty() { "tabelle".to_string() } else { safe };
    format!("{safe}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_follows_source() {
        assert_eq!(file_name("/daten/wahllokale.csv", "csv"), "wahllokale.csv");
        assert_eq!(file_name("/daten/wahllokale.csv", "json"), "wahllokale.json");
        assert_eq!(file_name("/api/data?id=4", "csv"), "data.csv");
        assert_eq!(file_name("/daten/Haushalt%202024.csv", "csv"), "Haushalt_2024.csv");
        assert_eq!(file_name("/", "csv"), "tabelle.csv");
    }
}
