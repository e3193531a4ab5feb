//! CKAN's response envelope.
//!
//! Every Action API response is a JSON object with a boolean `success`.
//! When it is true, `result` holds the answer. When it is false, `error`
//! holds `__type` (`Not Found Error`, `Authorization Error`, `Validation
//! Error`, …) and usually `message`. A validation error lists the invalid
//! parameters as members instead, e.g. `{"__type": "Validation Error",
//! "sort": ["field \"x\" not in table"]}`. CKAN sends errors with HTTP 403,
//! 404, 409 or 500, so the envelope, not the status, decides; the status only
//! helps to explain a body that is no envelope at all, like the HTML error
//! page of a proxy or a portal's start page behind a wrong address.

use super::super::json::{parse_json, JsonValue};
use super::{clean_text, CkanError, CkanKey};

/// Longest server error text shown, in characters.
const MAX_SERVER_TEXT: usize = 300;

/// Returns the `result` of a CKAN response with HTTP status `status` and
/// body `body`.
///
/// ```
/// use ogkit_table::ckan::{decode_response, CkanKey};
///
/// let result = decode_response(200, r#"{"success": true, "result": {"id": "a"}}"#).unwrap();
/// assert!(result.get("id").is_some());
///
/// let error = decode_response(404, r#"{"success": false, "error": {"__type": "Not Found Error", "message": "Not found"}}"#);
/// assert_eq!(error.unwrap_err().key(), CkanKey::NotFound);
/// ```
///
/// # Errors
///
/// Returns [`CkanKey::EmptyResponse`], [`CkanKey::HtmlResponse`],
/// [`CkanKey::InvalidJson`] or [`CkanKey::NotCkan`] when the body is no
/// CKAN envelope, the error that the envelope reports ([`CkanKey::NotFound`],
/// [`CkanKey::Forbidden`], [`CkanKey::Validation`],
/// [`CkanKey::ServerError`]), and [`CkanKey::ResultInvalid`] when `result`
/// is missing.
pub fn decode_response(status: u16, body: &str) -> Result<JsonValue, CkanError> {
    let body = body.trim_start_matches('\u{FEFF}');
    let trimmed = body.trim_start();
    if trimmed.is_empty() {
        return Err(CkanError::new(CkanKey::EmptyResponse).with("status", status));
    }
    if trimmed.starts_with('<') {
        return Err(CkanError::new(CkanKey::HtmlResponse).with("status", status));
    }
    let value = match parse_json(body) {
        Ok(value) => value,
        Err(error) => {
            return Err(CkanError::new(CkanKey::InvalidJson)
                .with("status", status)
                .with("reason", error.reason));
        }
    };

    match value.get("success") {
        Some(JsonValue::Bool(true)) => match value.get("result") {
            Some(result) => Ok(result.clone()),
            None => Err(CkanError::new(CkanKey::ResultInvalid)
                .with("field", "result")
                .with("expected", "object")),
        },
        Some(JsonValue::Bool(false)) => Err(envelope_error(status, value.get("error"))),
        _ if status >= 500 => Err(CkanError::new(CkanKey::ServerError)
            .with("status", status)
            .with("type", "-")
            .with("message", "-")),
        _ => Err(CkanError::new(CkanKey::NotCkan).with("status", status)),
    }
}

/// Turns the `error` member of a failed envelope into a [`CkanError`].
fn envelope_error(status: u16, error: Option<&JsonValue>) -> CkanError {
    let kind = error
        .and_then(|error| error.get("__type"))
        .and_then(as_text)
        .unwrap_or_default();
    let message = error
        .and_then(|error| error.get("message"))
        .and_then(as_text)
        .map(|text| server_text(&text))
        .unwrap_or_default();

    match kind.as_str() {
        "Not Found Error" => CkanError::new(CkanKey::NotFound).with("message", or_dash(&message)),
        "Authorization Error" => {
            CkanError::new(CkanKey::Forbidden).with("message", or_dash(&message))
        }
        "Validation Error" => {
            let details = validation_details(error);
            let details = if details.is_empty() { message } else { details };
            CkanError::new(CkanKey::Validation).with("details", or_dash(&details))
        }
        _ => CkanError::new(CkanKey::ServerError)
            .with("status", status)
            .with("type", or_dash(&server_text(&kind)))
            .with("message", or_dash(&message)),
    }
}

/// Joins the parameter errors of a validation error: `sort: field "x" not
/// in table; limit: Invalid integer`.
fn validation_details(error: Option<&JsonValue>) -> String {
    let Some(JsonValue::Object(members)) = error else {
        return String::new();
    };
    let mut parts = Vec::new();
    for (name, value) in members {
        if name == "__type" || name == "message" {
            continue;
        }
        let texts: Vec<String> = match value {
            JsonValue::Array(items) => items.iter().filter_map(as_text).collect(),
            other => as_text(other).into_iter().collect(),
        };
        if !texts.is_empty() {
            parts.push(format!("{name}: {}", texts.join(", ")));
        }
    }
    server_text(&parts.join("; "))
}

fn as_text(value: &JsonValue) -> Option<String> {
    match value {
        JsonValue::String(text) => Some(text.clone()),
        JsonValue::Number(text) => Some(text.clone()),
        _ => None,
    }
}

/// Cleans a text from the server for a message and cuts it shorter than
/// other texts, because it is shown inside a sentence.
fn server_text(text: &str) -> String {
    let cleaned = clean_text(text);
    if cleaned.chars().count() <= MAX_SERVER_TEXT {
        return cleaned;
    }
    let mut short: String = cleaned.chars().take(MAX_SERVER_TEXT - 1).collect();
    short.push('…');
    short
}

fn or_dash(text: &str) -> &str {
    if text.is_empty() {
        "-"
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(status: u16, body: &str) -> CkanError {
        decode_response(status, body).unwrap_err()
    }

    #[test]
    fn bom_and_space_before_json_are_skipped() {
        let result = decode_response(200, "\u{FEFF}\n {\"success\": true, \"result\": []}");
        assert_eq!(result, Ok(JsonValue::Array(Vec::new())));
    }

    #[test]
    fn html_page_is_named() {
        let error = error_of(502, "<!DOCTYPE html><html><body>Bad Gateway</body></html>");
        assert_eq!(error.key(), CkanKey::HtmlResponse);
        assert_eq!(error.param("status"), Some("502"));
    }

    #[test]
    fn empty_body_is_named() {
        assert_eq!(error_of(204, "  ").key(), CkanKey::EmptyResponse);
    }

    #[test]
    fn broken_json_gives_reason() {
        let error = error_of(200, r#"{"success": true, "result": "#);
        assert_eq!(error.key(), CkanKey::InvalidJson);
        assert_eq!(
            error.param("reason"),
            Some("unexpected end, expected a value")
        );
    }

    #[test]
    fn json_without_envelope_is_not_ckan() {
        for body in [
            "[]",
            r#"{"records": []}"#,
            r#"{"success": "true", "result": {}}"#,
            r#"{"success": 1, "result": {}}"#,
        ] {
            assert_eq!(error_of(200, body).key(), CkanKey::NotCkan, "{body}");
        }
    }

    #[test]
    fn json_without_envelope_on_5xx_is_server_error() {
        let error = error_of(503, r#"{"detail": "maintenance"}"#);
        assert_eq!(error.key(), CkanKey::ServerError);
        assert_eq!(error.param("status"), Some("503"));
    }

    #[test]
    fn success_without_result_is_invalid() {
        let error = error_of(200, r#"{"success": true}"#);
        assert_eq!(error.key(), CkanKey::ResultInvalid);
        assert_eq!(error.param("field"), Some("result"));
    }

    #[test]
    fn error_types_map_to_keys() {
        let cases = [
            ("Not Found Error", CkanKey::NotFound),
            ("Authorization Error", CkanKey::Forbidden),
            ("Validation Error", CkanKey::Validation),
            ("Search Query Error", CkanKey::ServerError),
            ("Internal Server Error", CkanKey::ServerError),
        ];
        for (kind, key) in cases {
            let body =
                format!(r#"{{"success": false, "error": {{"__type": "{kind}", "message": "m"}}}}"#);
            assert_eq!(error_of(409, &body).key(), key, "{kind}");
        }
    }

    #[test]
    fn validation_lists_parameters() {
        let body = r#"{"help": "…", "success": false, "error": {"__type": "Validation Error", "sort": ["field \"x\" not in table"], "limit": ["Invalid integer"]}}"#;
        let error = error_of(409, body);
        assert_eq!(
            error.param("details"),
            Some("sort: field \"x\" not in table; limit: Invalid integer")
        );
    }

    #[test]
    fn error_without_details_still_has_text() {
        let error = error_of(500, r#"{"success": false, "error": 5}"#);
        assert_eq!(error.key(), CkanKey::ServerError);
        assert_eq!(error.param("type"), Some("-"));
        assert_eq!(error.param("message"), Some("-"));
        assert!(!error.message(ogkit_text::lang::Lang::De).contains('{'));
    }

    #[test]
    fn server_message_is_cut_and_cleaned() {
        let long = format!("\\u0007<b>{}</b>", "x".repeat(5000));
        let body = format!(
            r#"{{"success": false, "error": {{"__type": "Not Found Error", "message": "{long}"}}}}"#
        );
        let error = error_of(404, &body);
        let message = error.param("message").unwrap();
        assert_eq!(message.chars().count(), MAX_SERVER_TEXT);
        assert!(message.starts_with("<b>xxx"));
        assert!(!message.contains('\u{7}'));
    }
}
