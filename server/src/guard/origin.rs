//! The `Origin` allowlist of the public write endpoints, and the CORS
//! headers that let allowlisted pages read the responses.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

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

/// Rejections per minute that are logged one by one. Further rejections
/// in the same minute are only counted, and the next logged line reports
/// that count, so a flood of foreign requests adds at most this many lines
/// per minute and per service.
pub(crate) const LOGGED_REJECTIONS_PER_MINUTE: u32 = 10;

/// Maximum length, in characters, of a header value or id copied into a
/// log line.
const MAX_LOGGED_CHARS: usize = 120;

/// Throttle of the warning that each service logs when the origin check
/// rejects a request.
#[derive(Debug, Default)]
pub(crate) struct RejectionLog {
    window: Mutex<RejectionWindow>,
}

#[derive(Debug, Default)]
struct RejectionWindow {
    started: Option<Instant>,
    logged: u32,
    unlogged: u64,
}

impl RejectionLog {
    /// Counts one rejection at `now`. Returns `Some(unlogged)` when this
    /// rejection should be logged, where `unlogged` is the number of
    /// rejections counted without a log line since the last logged one, and
    /// `None` when the minute's quota of log lines is used up.
    pub(crate) fn admit(&self, now: Instant) -> Option<u64> {
        let mut window = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        let expired = window
            .started
            .is_none_or(|started| now.saturating_duration_since(started) >= Duration::from_secs(60));
        if expired {
            window.started = Some(now);
            window.logged = 0;
        }
        if window.logged < LOGGED_REJECTIONS_PER_MINUTE {
            window.logged += 1;
            Some(std::mem::take(&mut window.unlogged))
        } else {
            window.unlogged += 1;
            None
        }
    }
}

/// Returns the `Origin` and `Host` headers of a request as text for a log
/// line: escaped, cut to a bounded length, and `-` when absent.
pub(crate) fn origin_and_host(headers: &HeaderMap) -> (String, String) {
    let text = |name| {
        headers
            .get(name)
            .map_or_else(|| "-".to_owned(), |value| loggable(&String::from_utf8_lossy(value.as_bytes())))
    };
    (text(ORIGIN), text(HOST))
}

/// Escapes control characters and quotes of client-supplied text and cuts
/// it to [`MAX_LOGGED_CHARS`], so one request cannot forge or flood log
/// lines.
pub(crate) fn loggable(text: &str) -> String {
    let mut escaped: String = text.chars().take(MAX_LOGGED_CHARS).flat_map(char::escape_debug).collect();
    if text.chars().count() > MAX_LOGGED_CHARS {
        escaped.push_str("...");
    }
    escaped
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

    #[test]
    fn rejection_log_throttles_per_minute() {
        let log = RejectionLog::default();
        let start = Instant::now();
        for index in 0..LOGGED_REJECTIONS_PER_MINUTE {
            assert_eq!(log.admit(start), Some(0), "rejection {index} of the first minute");
        }
        for _ in 0..5 {
            assert_eq!(log.admit(start + Duration::from_secs(30)), None);
        }
        assert_eq!(log.admit(start + Duration::from_secs(60)), Some(5), "the next minute reports the unlogged count");
        assert_eq!(log.admit(start + Duration::from_secs(61)), Some(0), "the count starts again");
    }

    #[test]
    fn logged_header_values_are_escaped_and_cut() {
        let mut headers = HeaderMap::new();
        headers.insert(ORIGIN, HeaderValue::from_static("https://evil.example\"\t"));
        let (origin, host) = origin_and_host(&headers);
        assert_eq!(origin, "https://evil.example\\\"\\t");
        assert_eq!(host, "-");

        let long = "a".repeat(500);
        let cut = loggable(&long);
        assert_eq!(cut.len(), MAX_LOGGED_CHARS + 3);
        assert!(cut.ends_with("..."));
        assert_eq!(loggable("poll\nforged line"), "poll\\nforged line");
    }
}
