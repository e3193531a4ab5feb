//! Security and cache headers, added to every response.
//!
//! Cache policy under `/ogkit/`: a file whose name carries a content hash
//! (`NAME.HASH.EXT` with 16 lowercase hex digits, as `cargo xtask dist`
//! writes them) never changes under that name, so it may be cached for a
//! year as `immutable`. The loader `ogkit.js` and every file without a hash
//! may be cached for an hour and are then revalidated with `ETag` or
//! `Last-Modified` (a 304 costs no body): a city that updates ogkit waits at
//! most an hour until every visitor runs the new loader, which names the new
//! hashed files. HTML pages and all other files use `no-cache`, so that
//! browsers revalidate them on every use. API responses and error responses
//! use `no-store`.

use axum::extract::{Request, State};
use axum::http::header::{
    HeaderName, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG,
    REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// Content-Security-Policy of the server's own HTML pages (and SVG images,
/// which browsers run as documents when opened directly). It is the policy
/// the widgets are built to work under: scripts and styles only from this
/// origin, wasm compilation allowed, no inline code.
pub(crate) const CONTENT_SECURITY_POLICY_VALUE: &str = "default-src 'self'; \
    script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'";

/// `Cache-Control` of the widget files under `/ogkit/`.
pub(crate) const WIDGET_CACHE_CONTROL: &str = "public, max-age=3600";

/// `Cache-Control` of the widget files whose names carry a content hash.
pub(crate) const HASHED_CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

/// Length of the content hash in file names, in hex digits.
pub(crate) const HASH_DIGITS: usize = 16;

const CROSS_ORIGIN_RESOURCE_POLICY: HeaderName =
    HeaderName::from_static("cross-origin-resource-policy");

/// Header settings that depend on the command line.
#[derive(Clone, Debug)]
pub(crate) struct HeaderPolicy {
    /// Whether `--allow-origin` was given, so that other sites may embed
    /// `/ogkit/` and `/daten/`.
    pub(crate) cross_origin_embedding: bool,
}

/// The parts of the URL space that get different headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Area {
    /// `/api` and below.
    Api,
    /// `/ogkit/`: the built widgets.
    Widgets,
    /// `/daten/`: open data files.
    Data,
    /// Everything else: the site and the docs.
    Site,
}

impl Area {
    /// Returns the area that a request path belongs to.
    pub(crate) fn of(path: &str) -> Area {
        if path == "/api" || path.starts_with("/api/") {
            Area::Api
        } else if path.starts_with("/ogkit/") {
            Area::Widgets
        } else if path.starts_with("/daten/") {
            Area::Data
        } else {
            Area::Site
        }
    }
}

/// Middleware: adds the security and cache headers.
pub(crate) async fn set_response_headers(
    State(policy): State<HeaderPolicy>,
    request: Request,
    next: Next,
) -> Response {
    let area = Area::of(request.uri().path());
    let hashed = area == Area::Widgets && has_content_hash(request.uri().path());
    let mut response = next.run(request).await;
    let status = response.status();
    let headers = response.headers_mut();

    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if is_document(headers) {
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY_VALUE),
        );
    }
    let embeddable = matches!(area, Area::Widgets | Area::Data) && policy.cross_origin_embedding;
    let resource_policy = if embeddable {
        "cross-origin"
    } else {
        "same-site"
    };
    headers.insert(
        CROSS_ORIGIN_RESOURCE_POLICY,
        HeaderValue::from_static(resource_policy),
    );

    // A handler may choose its own caching (a poll result, say); only fill
    // the gap.
    if !headers.contains_key(CACHE_CONTROL) {
        let cache_control = if hashed && status.is_success() {
            HASHED_CACHE_CONTROL
        } else {
            cache_control(area, status, is_html(headers))
        };
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache_control));
    }
    weaken_etag_of_encoded_body(headers);
    response
}

/// Returns true when the last path segment has the form `NAME.HASH.EXT`,
/// where HASH is [`HASH_DIGITS`] lowercase hex digits.
pub(crate) fn has_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && !parts[0].is_empty()
        && parts[1..parts.len() - 1].iter().any(|part| {
            part.len() == HASH_DIGITS
                && part.bytes().all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
        })
}

/// Chooses `Cache-Control` for a response without one.
pub(crate) fn cache_control(area: Area, status: StatusCode, is_html: bool) -> &'static str {
    if status.is_client_error() || status.is_server_error() || area == Area::Api {
        return "no-store";
    }
    if area == Area::Widgets && !is_html {
        return WIDGET_CACHE_CONTROL;
    }
    "no-cache"
}

/// Marks the ETag weak when the body was compressed on the fly.
///
/// The file service computes a strong ETag from the file (size and
/// modification time), but a gzip or brotli body is a different byte
/// sequence, and a strong ETag promises identical bytes. Range requests
/// against a cache would otherwise mix both. `If-None-Match` compares
/// weakly, so revalidation with the weak tag still returns 304.
fn weaken_etag_of_encoded_body(headers: &mut HeaderMap) {
    if !headers.contains_key(CONTENT_ENCODING) {
        return;
    }
    let Some(etag) = headers.get(ETAG) else {
        return;
    };
    if etag.as_bytes().starts_with(b"W/") {
        return;
    }
    let mut weak = b"W/".to_vec();
    weak.extend_from_slice(etag.as_bytes());
    if let Ok(weak) = HeaderValue::from_bytes(&weak) {
        headers.insert(ETAG, weak);
    }
}

fn content_type_essence(headers: &HeaderMap) -> &str {
    let value = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    value.split(';').next().unwrap_or("").trim()
}

fn is_html(headers: &HeaderMap) -> bool {
    content_type_essence(headers).eq_ignore_ascii_case("text/html")
}

/// Tests whether a browser renders this response as a document that can
/// run scripts, so that it needs the Content-Security-Policy.
fn is_document(headers: &HeaderMap) -> bool {
    let essence = content_type_essence(headers);
    essence.eq_ignore_ascii_case("text/html") || essence.eq_ignore_ascii_case("image/svg+xml")
}
