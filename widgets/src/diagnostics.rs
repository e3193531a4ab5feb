//! Console warnings for the page's web editor when a widget cannot fetch
//! its data. Citizens read a message in the widget; the warning names the
//! address and the attribute to check.

/// The way a request for a widget's data failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestFailure {
    /// No response arrived: offline, refused, or blocked by CORS or the
    /// page's Content-Security-Policy. The browser does not tell these apart.
    NoResponse,
    /// The server responded with this error status.
    Status(u16),
}

/// Writes the warning of [`request_failed_message`] to the console.
pub fn warn_request_failed(tag: &str, attribute: &str, url: &str, failure: RequestFailure) {
    let message = request_failed_message(tag, attribute, url, failure);
    web_sys::console::warn_1(&message.into());
}

/// Returns the console warning for a failed request of element `tag` for
/// `url`, which comes from its attribute `attribute`.
pub fn request_failed_message(tag: &str, attribute: &str, url: &str, failure: RequestFailure) -> String {
    match failure {
        RequestFailure::NoResponse => format!(
            "{tag}: no response for {url} (attribute \"{attribute}\"). The server is unreachable, does not allow \
             requests from this page (CORS), or the page's Content-Security-Policy blocks the address (connect-src). \
             The browser console names a CORS or CSP block."
        ),
        RequestFailure::Status(404) => {
            format!("{tag}: {url} (attribute \"{attribute}\") was not found (HTTP 404). Check the address in the attribute.")
        }
        RequestFailure::Status(status) => format!(
            "{tag}: the request for {url} (attribute \"{attribute}\") failed with HTTP {status}. The server's log names \
             the cause."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_names_attribute() {
        let message = request_failed_message("og-data-table", "src", "/daten/fehlt.csv", RequestFailure::Status(404));
        assert_eq!(
            message,
            "og-data-table: /daten/fehlt.csv (attribute \"src\") was not found (HTTP 404). Check the address in the attribute."
        );
    }

    #[test]
    fn no_response_names_causes() {
        let message = request_failed_message("og-poll", "poll", "/api/v1/polls/p1", RequestFailure::NoResponse);
        assert!(message.starts_with("og-poll: no response for /api/v1/polls/p1 (attribute \"poll\")."), "{message}");
        assert!(message.contains("CORS"), "{message}");
        assert!(message.contains("connect-src"), "{message}");
    }

    #[test]
    fn other_status_points_to_server_log() {
        let message = request_failed_message("og-form", "schema", "/formulare/a.json", RequestFailure::Status(500));
        assert!(message.contains("failed with HTTP 500"), "{message}");
        assert!(message.ends_with("The server's log names the cause."), "{message}");
    }
}
