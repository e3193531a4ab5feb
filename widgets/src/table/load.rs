//! Loading a table in the browser: fetch, decode and read in slices that
//! leave the main thread free.
//!
//! [`load_table`] is the one entry point. It takes a [`LoadConfig`] (where
//! the data is and how it is written), a progress callback and a preview
//! callback, and returns the core's [`Loaded`] or a [`LoadFailure`]. The
//! preview callback gets the CSV rows read so far until they fill a page,
//! so the first page shows before the file ends. A new kind of source (a CKAN
//! resource, say) is a new [`Source`] variant with its own arm in
//! `load_table`; the component does not change.
//!
//! CSV is streamed: the response body is read chunk by chunk, decoded by
//! the browser's `TextDecoder` and handed to the core's [`CsvReader`] in
//! slices of [`SLICE_BYTES`]. After [`BUDGET_MILLIS`] of work the loader
//! yields to the browser with a zero-delay timer, so input, painting and
//! the progress bar keep running while a 50 MB file loads. Yielding with a
//! timer (not a resolved promise) is what lets the browser paint: a promise
//! continuation runs as a microtask in the same task. The core decides the
//! encoding ([`sniff_encoding`]) from the first bytes; the decoder is
//! created once that decision is made. The last step, typing the columns,
//! runs in steps within the same budget ([`CsvReader::finish_in_steps`]).
//!
//! JSON is read whole, because a JSON value is only known to be valid at
//! its end: the bytes are collected with the same progress reports and
//! then parsed by the core in one step.

use std::ops::ControlFlow;

use js_sys::{Promise, Reflect, Uint8Array};
use ogkit_core::table::{
    read_json, sniff_encoding, CsvOptions, CsvReader, Encoding, HeaderMode, Issue, Loaded, Sniff, Table, Typing,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, Response, TextDecodeOptions, TextDecoder, TextDecoderOptions};

use super::config::{Format, PAGE_SIZES};

/// Maximum time, in milliseconds, that the loader works before it yields to
/// the browser. It stays far enough under the 200 ms that make a page feel
/// stuck to leave room for one slice and for the browser's own work.
pub const BUDGET_MILLIS: f64 = 50.0;

/// Bytes of decoded text handed to the CSV reader at a time. One slice
/// takes a few milliseconds, so the budget is checked often enough.
pub const SLICE_BYTES: usize = 64 * 1024;

/// Rows a preview needs before the loader stops sending previews: a page
/// of the largest page size offered.
const PREVIEW_ROWS: usize = PAGE_SIZES[PAGE_SIZES.len() - 1];

/// Cells typed between two checks of the time budget; a few milliseconds
/// of work.
const TYPING_CELLS: usize = 4096;

/// Bytes looked at before the format is decided and an HTML page is
/// recognised.
const HEAD_BYTES: usize = 1024;

/// Source of the table's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A CSV or JSON file at this URL, relative to the page.
    Url(String),
}

/// Everything [`load_table`] needs to know, from the element's attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadConfig {
    /// Location of the data.
    pub source: Source,
    /// The format, or `None` to detect it from the response.
    pub format: Option<Format>,
    /// The encoding from the `encoding` attribute; it wins over the HTTP charset.
    pub encoding: Option<Encoding>,
    /// The CSV delimiter, or `None` to detect it.
    pub delimiter: Option<u8>,
    /// Position of the CSV header row.
    pub header: HeaderMode,
}

/// How far loading got; passed to the progress callback.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Progress {
    /// Bytes received so far, and the size the server announced, if any.
    Bytes {
        /// Bytes received.
        received: u64,
        /// `Content-Length`, when the server sent it.
        total: Option<u64>,
    },
    /// Data rows read so far (CSV only).
    Rows {
        /// Rows read.
        rows: usize,
        /// Bytes received.
        received: u64,
        /// `Content-Length`, when the server sent it.
        total: Option<u64>,
    },
    /// All data is in; the columns are being typed.
    Typing {
        /// Share of the typing done, from 0 to 1.
        share: f64,
    },
}

/// Reason a table could not be loaded at all. Problems inside the file
/// (a broken quote, invalid JSON) are not failures: they come back as
/// issues of the [`Loaded`] table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadFailure {
    /// No `src` attribute.
    MissingSource,
    /// The request failed: offline, refused, or blocked by CORS. The
    /// browser does not tell these apart.
    Network,
    /// The server responded with an error status.
    HttpStatus(u16),
    /// The server returned an HTML page instead of data.
    HtmlPage,
    /// The browser's decoder rejected the bytes or the encoding.
    Decode,
}

/// A loaded table and how it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The table with its issues; `loaded.encoding` is set for CSV.
    pub loaded: Loaded,
    /// The format the file was read as.
    pub format: Format,
}

/// Fetches and reads the table described by `config`.
///
/// `on_progress` is called as bytes and rows come in; returning
/// [`ControlFlow::Break`] cancels loading, and the function then returns
/// `Ok(None)`.
///
/// # Errors
///
/// Returns a [`LoadFailure`] when the data cannot be fetched or is no data
/// file at all.
pub async fn load_table(
    config: &LoadConfig,
    on_progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    on_preview: &mut dyn FnMut(Table),
) -> Result<Option<Outcome>, LoadFailure> {
    match &config.source {
        Source::Url(url) => load_url(url, config, on_progress, on_preview).await,
    }
}

async fn load_url(
    url: &str,
    config: &LoadConfig,
    on_progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    on_preview: &mut dyn FnMut(Table),
) -> Result<Option<Outcome>, LoadFailure> {
    let window = web_sys::window().ok_or(LoadFailure::Network)?;
    let response = JsFuture::from(window.fetch_with_str(url)).await.map_err(|_| LoadFailure::Network)?;
    let response: Response = response.dyn_into().map_err(|_| LoadFailure::Network)?;
    if !response.ok() {
        return Err(LoadFailure::HttpStatus(response.status()));
    }
    let headers = response.headers();
    let content_type = headers.get("content-type").ok().flatten().unwrap_or_default();
    // With `format` set, the editor's choice wins over a server that labels
    // every file text/html. The first bytes below still catch a real page.
    if config.format.is_none() && is_html_type(&content_type) {
        return Err(LoadFailure::HtmlPage);
    }
    let total = headers.get("content-length").ok().flatten().and_then(|length| length.trim().parse::<u64>().ok());
    let declared = config.encoding.or_else(|| http_charset(&content_type));

    let mut body = Body::new(&response);
    let mut received = 0_u64;
    let mut head = Vec::new();
    let mut budget = Budget::start();

    // Collect the first bytes: they decide the format and show an HTML page.
    let mut finished = false;
    while head.len() < HEAD_BYTES {
        match body.next().await? {
            Some(chunk) => {
                received += u64::from(chunk.length());
                head.extend(chunk.to_vec());
                if on_progress(Progress::Bytes { received, total }).is_break() {
                    body.cancel();
                    return Ok(None);
                }
            }
            None => {
                finished = true;
                break;
            }
        }
    }
    if looks_like_html(&head) {
        body.cancel();
        return Err(LoadFailure::HtmlPage);
    }
    let format = detect_format(config.format, &content_type, url, &head);

    if format == Format::Json {
        let mut bytes = head;
        while !finished {
            match body.next().await? {
                Some(chunk) => {
                    received += u64::from(chunk.length());
                    bytes.extend(chunk.to_vec());
                    if on_progress(Progress::Bytes { received, total }).is_break() {
                        body.cancel();
                        return Ok(None);
                    }
                }
                None => finished = true,
            }
        }
        if on_progress(Progress::Typing { share: 0.0 }).is_break() {
            return Ok(None);
        }
        yield_to_browser().await;
        return Ok(Some(Outcome { loaded: read_json(&bytes), format }));
    }

    let options = CsvOptions { encoding: declared, delimiter: config.delimiter, header: config.header };
    let mut sink = CsvSink::new(options);
    let text = sink.decode_bytes(&head, finished)?;
    let mut on_rows = |rows| on_progress(Progress::Rows { rows, received, total });
    if sink.push(&text, &mut budget, &mut on_rows, on_preview).await.is_break() {
        body.cancel();
        return Ok(None);
    }
    while !finished {
        match body.next().await? {
            Some(chunk) => {
                received += u64::from(chunk.length());
                let text = sink.decode_chunk(&chunk)?;
                let mut on_rows = |rows| on_progress(Progress::Rows { rows, received, total });
                if sink.push(&text, &mut budget, &mut on_rows, on_preview).await.is_break() {
                    body.cancel();
                    return Ok(None);
                }
            }
            None => finished = true,
        }
    }
    let text = sink.flush()?;
    let mut on_rows = |rows| on_progress(Progress::Rows { rows, received, total });
    if sink.push(&text, &mut budget, &mut on_rows, on_preview).await.is_break() {
        return Ok(None);
    }
    let mut typing = sink.finish_in_steps();
    loop {
        if on_progress(Progress::Typing { share: typing.progress() }).is_break() {
            return Ok(None);
        }
        yield_to_browser().await;
        let budget = Budget::start();
        let mut done = false;
        while !done && !budget.spent() {
            done = typing.step(TYPING_CELLS);
        }
        if done {
            break;
        }
    }
    Ok(Some(Outcome { loaded: sink.finish(typing), format }))
}

/// The response body as a stream of byte chunks.
struct Body {
    reader: Option<ReadableStreamDefaultReader>,
}

impl Body {
    fn new(response: &Response) -> Body {
        let reader = response.body().map(|stream| stream.get_reader().unchecked_into::<ReadableStreamDefaultReader>());
        Body { reader }
    }

    /// Returns the next chunk, or `None` at the end of the body.
    async fn next(&mut self) -> Result<Option<Uint8Array>, LoadFailure> {
        let Some(reader) = &self.reader else { return Ok(None) };
        let result = JsFuture::from(reader.read()).await.map_err(|_| LoadFailure::Network)?;
        let done = Reflect::get(&result, &JsValue::from_str("done")).ok().and_then(|done| done.as_bool());
        if done != Some(false) {
            self.reader = None;
            return Ok(None);
        }
        let value = Reflect::get(&result, &JsValue::from_str("value")).map_err(|_| LoadFailure::Network)?;
        value.dyn_into::<Uint8Array>().map(Some).map_err(|_| LoadFailure::Network)
    }

    fn cancel(&mut self) {
        if let Some(reader) = self.reader.take() {
            let _ = reader.cancel();
        }
    }
}

/// Decoding and reading CSV text as it arrives.
struct CsvSink {
    reader: CsvReader,
    declared: Option<Encoding>,
    /// Bytes that wait for the encoding decision.
    pending: Vec<u8>,
    decoder: Option<TextDecoder>,
    encoding: Option<Encoding>,
    note: Option<Issue>,
    /// Rows in the last table handed to the preview callback.
    preview_rows: usize,
}

impl CsvSink {
    fn new(options: CsvOptions) -> CsvSink {
        CsvSink {
            reader: CsvReader::new(options),
            declared: options.encoding,
            pending: Vec::new(),
            decoder: None,
            encoding: None,
            note: None,
            preview_rows: 0,
        }
    }

    fn decode_chunk(&mut self, chunk: &Uint8Array) -> Result<String, LoadFailure> {
        match &self.decoder {
            Some(decoder) => decoder.decode_with_js_u8_array_and_options(chunk, &streaming()).map_err(|_| LoadFailure::Decode),
            None => self.decode_bytes(&chunk.to_vec(), false),
        }
    }

    /// Decodes bytes while the encoding may still be open. `last` is true
    /// when no more bytes follow.
    fn decode_bytes(&mut self, bytes: &[u8], last: bool) -> Result<String, LoadFailure> {
        if let Some(decoder) = &self.decoder {
            return decoder.decode_with_u8_array_and_options(bytes, &streaming()).map_err(|_| LoadFailure::Decode);
        }
        self.pending.extend_from_slice(bytes);
        match sniff_encoding(&self.pending, self.declared, last) {
            Sniff::Undecided { ascii } => {
                let text = String::from_utf8_lossy(&self.pending[..ascii]).into_owned();
                self.pending.drain(..ascii);
                Ok(text)
            }
            Sniff::Decided { encoding, note, .. } => {
                let options = TextDecoderOptions::new();
                options.set_fatal(false);
                let decoder = TextDecoder::new_with_label_and_options(encoding.whatwg_label(), &options)
                    .map_err(|_| LoadFailure::Decode)?;
                let text = decoder
                    .decode_with_u8_array_and_options(&self.pending, &streaming())
                    .map_err(|_| LoadFailure::Decode)?;
                self.pending.clear();
                self.decoder = Some(decoder);
                self.encoding = Some(encoding);
                self.note = note;
                Ok(text)
            }
        }
    }

    /// Decodes what the decoder still contains at the end of the body.
    fn flush(&mut self) -> Result<String, LoadFailure> {
        if self.decoder.is_none() {
            return self.decode_bytes(&[], true);
        }
        match &self.decoder {
            Some(decoder) => decoder.decode().map_err(|_| LoadFailure::Decode),
            None => Ok(String::new()),
        }
    }

    /// Hands `text` to the reader in slices and yields to the browser when
    /// the budget is spent, reporting the rows read each time and at the
    /// end. Early reports also hand a copy of the rows to `on_preview`.
    async fn push(
        &mut self,
        text: &str,
        budget: &mut Budget,
        on_rows: &mut dyn FnMut(usize) -> ControlFlow<()>,
        on_preview: &mut dyn FnMut(Table),
    ) -> ControlFlow<()> {
        let mut rest = text;
        while !rest.is_empty() {
            let mut cut = SLICE_BYTES.min(rest.len());
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            self.reader.push_text(&rest[..cut]);
            rest = &rest[cut..];
            if budget.spent() {
                self.report_rows(on_rows, on_preview)?;
                yield_to_browser().await;
                *budget = Budget::start();
            }
        }

        // Report after every pushed text as well: the next chunk may take
        // long to arrive, and the rows read so far should show meanwhile.
        self.report_rows(on_rows, on_preview)
    }

    /// Reports the rows read, and hands the rows read so far to
    /// `on_preview` until a preview contains a full page of the largest size.
    /// Each preview copies every row read, so previews stop after that.
    fn report_rows(
        &mut self,
        on_rows: &mut dyn FnMut(usize) -> ControlFlow<()>,
        on_preview: &mut dyn FnMut(Table),
    ) -> ControlFlow<()> {
        let rows = self.reader.rows_read();
        if self.preview_rows < PREVIEW_ROWS && rows > self.preview_rows {
            if let Some(preview) = self.reader.preview() {
                self.preview_rows = rows;
                on_preview(preview);
            }
        }
        on_rows(rows)
    }

    /// Reads the end of the text; the columns are typed in steps by the caller.
    fn finish_in_steps(&mut self) -> Typing {
        let reader = std::mem::replace(&mut self.reader, CsvReader::new(CsvOptions::default()));
        reader.finish_in_steps()
    }

    fn finish(self, typing: Typing) -> Loaded {
        let mut loaded = typing.finish();
        loaded.encoding = self.encoding.or(Some(Encoding::Utf8));
        if let Some(note) = self.note {
            loaded.issues.insert(0, note);
        }
        loaded
    }
}

fn streaming() -> TextDecodeOptions {
    let options = TextDecodeOptions::new();
    options.set_stream(true);
    options
}

/// Time spent since the loader last yielded.
struct Budget {
    started: f64,
}

impl Budget {
    fn start() -> Budget {
        Budget { started: js_sys::Date::now() }
    }

    fn spent(&self) -> bool {
        js_sys::Date::now() - self.started >= BUDGET_MILLIS
    }
}

/// Lets the browser run input handlers and paint before reading goes on.
pub async fn yield_to_browser() {
    let promise = Promise::new(&mut |resolve, _reject| {
        let scheduled =
            web_sys::window().and_then(|window| window.set_timeout_with_callback(&resolve).ok()).is_some();
        if !scheduled {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Waits until the browser is idle: for `requestIdleCallback` where the
/// browser has it, else for a zero-delay timer like [`yield_to_browser`].
pub async fn yield_until_idle() {
    let promise = Promise::new(&mut |resolve, _reject| {
        let scheduled = web_sys::window().is_some_and(|window| {
            window.request_idle_callback(&resolve).is_ok() || window.set_timeout_with_callback(&resolve).is_ok()
        });
        if !scheduled {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Returns the encoding of the HTTP charset that the reader uses.
///
/// A UTF-8 charset is left to detection: many servers label every text
/// file UTF-8, and detection reads real UTF-8 as UTF-8 anyway, while a
/// Windows-1252 file under that label would otherwise show `�` for every
/// umlaut. Other labels, such as ISO-8859-1, are a deliberate choice and
/// are used as given; so is the `encoding` attribute, which wins over both.
pub fn http_charset(content_type: &str) -> Option<Encoding> {
    match Encoding::from_content_type(content_type) {
        Ok(Some(Encoding::Utf8)) | Ok(None) | Err(_) => None,
        Ok(Some(encoding)) => Some(encoding),
    }
}

/// Returns true for a Content-Type of an HTML page.
pub fn is_html_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "text/html" || essence == "application/xhtml+xml"
}

/// Returns true when the first bytes of a body are an HTML page, as a
/// server sends for a missing file behind a "soft 404" or a login wall.
pub fn looks_like_html(head: &[u8]) -> bool {
    let start = strip_bom_and_space(head);
    let prefix: Vec<u8> = start.iter().take(16).map(u8::to_ascii_lowercase).collect();
    [&b"<!doctype html"[..], b"<html", b"<head", b"<body", b"<!--"].iter().any(|tag| prefix.starts_with(tag))
}

/// Decides the format: the `format` attribute, else the Content-Type,
/// else the file extension of `url`, else the first character of the body
/// (`[` or `{` is JSON).
pub fn detect_format(explicit: Option<Format>, content_type: &str, url: &str, head: &[u8]) -> Format {
    if let Some(format) = explicit {
        return format;
    }
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") {
        return Format::Json;
    }
    if essence == "text/csv" || essence == "text/tab-separated-values" {
        return Format::Csv;
    }
    let path = url.split(['?', '#']).next().unwrap_or(url).to_ascii_lowercase();
    if path.ends_with(".json") || path.ends_with(".geojson") {
        return Format::Json;
    }
    if path.ends_with(".csv") || path.ends_with(".tsv") || path.ends_with(".txt") {
        return Format::Csv;
    }
    match strip_bom_and_space(head).first() {
        Some(b'[' | b'{') => Format::Json,
        _ => Format::Csv,
    }
}

fn strip_bom_and_space(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|byte| !byte.is_ascii_whitespace()).unwrap_or(bytes.len());
    &bytes[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_pages_are_recognised() {
        for head in [&b"<!DOCTYPE html><html>"[..], b"\xEF\xBB\xBF\n  <html lang=de>", b"<!-- 404 -->", b"<HEAD>"] {
            assert!(looks_like_html(head), "{head:?}");
        }
        for head in [&b"Name;Wert\n<b>fett</b>;1"[..], b"[{\"a\":1}]", b"", b"\"<html>\";1"] {
            assert!(!looks_like_html(head), "{head:?}");
        }
    }

    #[test]
    fn html_content_type_is_recognised() {
        assert!(is_html_type("text/html; charset=utf-8"));
        assert!(is_html_type("TEXT/HTML"));
        assert!(!is_html_type("text/csv; charset=utf-8"));
        assert!(!is_html_type(""));
    }

    #[test]
    fn utf8_charset_is_left_to_detection() {
        assert_eq!(http_charset("text/csv; charset=utf-8"), None);
        assert_eq!(http_charset("text/csv; charset=ISO-8859-1"), Some(Encoding::Windows1252));
        assert_eq!(http_charset("text/csv; charset=klingon"), None);
        assert_eq!(http_charset("text/csv"), None);
    }

    #[test]
    fn format_detection_order() {
        assert_eq!(detect_format(Some(Format::Csv), "application/json", "a.json", b"["), Format::Csv);
        assert_eq!(detect_format(None, "application/json; charset=utf-8", "a.csv", b"x"), Format::Json);
        assert_eq!(detect_format(None, "text/csv", "a.json", b"["), Format::Csv);
        assert_eq!(detect_format(None, "application/octet-stream", "/d/a.JSON?x=1", b"x"), Format::Json);
        assert_eq!(detect_format(None, "", "/api/data", b"\xEF\xBB\xBF  [{}]"), Format::Json);
        assert_eq!(detect_format(None, "", "/api/data", b"a;b"), Format::Csv);
        assert_eq!(detect_format(None, "text/plain", "/api/data.txt", b"{"), Format::Csv);
    }
}
