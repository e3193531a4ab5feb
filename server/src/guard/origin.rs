//! The `Origin` allowlist of the public write endpoints, and the CORS
//! headers that let allowlisted pages read the responses.

use std::time::Duration;

use axum::http::header::{CONTENT_TYPE, HOST, ORIGIN};
use axum::http::{HeaderMap, Method};
use tower_http::cors::CorsLayer;

use crate::serve::{cors_origins, AllowedOrigin};

use super::GuardError;

/// Accepts a request whose `Origin` is absent, this server's own origin,
/// or on the allowlist.
///
/// Browsers send `Origin` with every cross-origin POST and with same-origin
/// `fetch` POSTs, so a page on a foreign site cannot hide it. Requests
/// without the header come from programs, not from a page in a browser.
pub(crate) fn check_origin(headers: &HeaderMap, allowed: &[AllowedOrigin]) -> Result<(), GuardError> {
    let Some(origin) = headers.get(ORIGIN) else {
        return Ok(());
    };
    let rejected = || GuardError::OriginNotAllowed {
        origin: String::from_utf8_lossy(origin.as_bytes()).into_owned(),
    };
    let Ok(text) = origin.to_str() else {
        return Err(rejected());
    };
    let text = text.to_ascii_lowercase();
    for entry in allowed {
        match entry {
            AllowedOrigin::Any => return Ok(()),
            AllowedOrigin::Origin(value) if value.as_bytes() == text.as_bytes() => return Ok(()),
            AllowedOrigin::Origin(_) => {}
        }
    }
    let authority = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
    let host = headers.get(HOST).and_then(|host| host.to_str().ok());
    match (authority, host) {
        (Some(authority), Some(host)) if authority.eq_ignore_ascii_case(host) => Ok(()),
        _ => Err(rejected()),
    }
}

/// CORS for public API routes, so pages on allowlisted sites can read
/// them and send JSON; `None` when only this origin may.
pub(crate) fn api_cors_layer(origins: &[AllowedOrigin]) -> Option<CorsLayer> {
    let allow_origin = cors_origins(origins)?;
    Some(
        CorsLayer::new()
            .allow_origin(allow_origin)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([CONTENT_TYPE])
            .max_age(Duration::from_secs(3600)),
    )
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_str(host).expect("a valid host"));
        if let Some(origin) = origin {
            headers.insert(ORIGIN, HeaderValue::from_str(origin).expect("a valid origin"));
        }
        headers
    }

    #[test]
    fn origin_table() {
        let allowed = vec![AllowedOrigin::Origin(HeaderValue::from_static("https://www.example-stadt.de"))];
        let cases = [
            (None, true),
            (Some("https://www.example-stadt.de"), true),
            (Some("HTTPS://WWW.EXAMPLE-STADT.DE"), true),
            (Some("https://umfrage.example.org"), true),
            (Some("http://umfrage.example.org"), true),
            (Some("https://evil.example"), false),
            (Some("https://www.example-stadt.de.evil.example"), false),
            (Some("null"), false),
        ];
        for (origin, accepted) in cases {
            let result = check_origin(&headers(origin, "umfrage.example.org"), &allowed);
            assert_eq!(result.is_ok(), accepted, "origin {origin:?}");
        }
    }
}
