//! The submission request and what the server's responses mean.
//!
//! Bodies are read with the core's JSON parser, like the poll widget does,
//! so serde_json stays out of the WebAssembly module.

use ogkit_core::form::Submission;
use ogkit_core::table::{parse_json, JsonValue};

use crate::i18n::Lang;

/// A problem shown in the error summary and at its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON Pointer of the value, such as `/adresse/plz`.
    pub path: String,
    /// The sentence to show.
    pub message: String,
}

/// Reason that a submission did not go through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendFailure {
    /// No response arrived: the server is unreachable or the connection broke.
    Unreachable,
    /// The server failed (5xx); trying again later may work.
    ServerError,
    /// Too many submissions from this address (429).
    RateLimited,
    /// The server does not know the form (404).
    FormNotFound,
    /// The server refused the request for another reason (400, 403, 409,
    /// 413, or a body that is not a receipt).
    Rejected,
}

impl SendFailure {
    /// Returns true when sending the same submission again may succeed.
    pub fn is_retryable(self) -> bool {
        matches!(self, SendFailure::Unreachable | SendFailure::ServerError | SendFailure::RateLimited)
    }

    /// Returns the value of the `data-og-error` hook.
    pub fn hook(self) -> &'static str {
        match self {
            SendFailure::Unreachable => "unreachable",
            SendFailure::ServerError => "server",
            SendFailure::RateLimited => "rate-limited",
            SendFailure::FormNotFound => "not-found",
            SendFailure::Rejected => "rejected",
        }
    }
}

/// Meaning of a response to a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// Stored; the reference number to show.
    Accepted(String),
    /// The server found problems in the data (422).
    Invalid(Vec<Problem>),
    /// Not stored.
    Failed(SendFailure),
}

/// Returns the request body for a submission.
pub fn encode_submission(submission_id: &str, data: &JsonValue) -> String {
    Submission { submission_id: submission_id.to_owned(), data: data.clone() }.to_json()
}

/// Reads the response to a submission; `None` as the response means that
/// none arrived.
pub fn decode_response(response: Option<(u16, &str)>, lang: Lang) -> SendOutcome {
    let Some((status, body)) = response else {
        return SendOutcome::Failed(SendFailure::Unreachable);
    };
    let value = parse_json(body).ok();
    match status {
        200 | 201 => match value.as_ref().and_then(|value| value.get("reference")) {
            Some(JsonValue::String(reference)) if !reference.trim().is_empty() => {
                SendOutcome::Accepted(reference.trim().to_owned())
            }
            _ => SendOutcome::Failed(SendFailure::Rejected),
        },
        422 => {
            let problems = value.as_ref().map(|value| violations(value, lang)).unwrap_or_default();
            if problems.is_empty() {
                SendOutcome::Failed(SendFailure::Rejected)
            } else {
                SendOutcome::Invalid(problems)
            }
        }
        404 => SendOutcome::Failed(SendFailure::FormNotFound),
        429 => SendOutcome::Failed(SendFailure::RateLimited),
        500..=599 => SendOutcome::Failed(SendFailure::ServerError),
        _ => SendOutcome::Failed(SendFailure::Rejected),
    }
}

/// Reads the `violations` of an `invalid_submission` response, with the
/// server's message in `lang` (`message_de` for German, `message` for
/// English).
fn violations(value: &JsonValue, lang: Lang) -> Vec<Problem> {
    let Some(JsonValue::Array(items)) = value.get("violations") else { return Vec::new() };
    let wanted = match lang {
        Lang::De => "message_de",
        Lang::En => "message",
    };
    items
        .iter()
        .filter_map(|item| {
            let path = match item.get("path") {
                Some(JsonValue::String(path)) => path.clone(),
                _ => return None,
            };
            let message = [wanted, "message"].iter().find_map(|key| match item.get(key) {
                Some(JsonValue::String(text)) if !text.trim().is_empty() => Some(text.clone()),
                _ => None,
            })?;
            Some(Problem { path, message })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_gives_reference() {
        let body = r#"{"submission_id":"0b0e5f6c-7a43-4d7e-9d0c-3c1f1f0a9b11","reference":"OG-2026-000123"}"#;
        assert_eq!(decode_response(Some((201, body)), Lang::De), SendOutcome::Accepted("OG-2026-000123".into()));
        assert_eq!(decode_response(Some((200, body)), Lang::De), SendOutcome::Accepted("OG-2026-000123".into()));
    }

    #[test]
    fn statuses_map_to_failures() {
        let cases = [
            (None, SendFailure::Unreachable),
            (Some((500, "")), SendFailure::ServerError),
            (Some((503, "<html>")), SendFailure::ServerError),
            (Some((429, "{}")), SendFailure::RateLimited),
            (Some((404, "{}")), SendFailure::FormNotFound),
            (Some((403, "{}")), SendFailure::Rejected),
            (Some((201, "not json")), SendFailure::Rejected),
            (Some((201, r#"{"reference":5}"#)), SendFailure::Rejected),
            (Some((422, r#"{"code":"invalid_submission"}"#)), SendFailure::Rejected),
        ];
        for (response, expected) in cases {
            assert_eq!(decode_response(response, Lang::De), SendOutcome::Failed(expected), "{response:?}");
        }
    }

    #[test]
    fn violations_use_language() {
        let body = r#"{"code":"invalid_submission","violations":[
            {"path":"/plz","field":"PLZ","key":"invalid_plz","message":"English","message_de":"Deutsch"},
            {"path":"/x","message":"only English"},
            {"message":"no path"}]}"#;
        let german = decode_response(Some((422, body)), Lang::De);
        let expected = vec![
            Problem { path: "/plz".into(), message: "Deutsch".into() },
            Problem { path: "/x".into(), message: "only English".into() },
        ];
        assert_eq!(german, SendOutcome::Invalid(expected));
        let SendOutcome::Invalid(english) = decode_response(Some((422, body)), Lang::En) else {
            panic!("expected violations");
        };
        assert_eq!(english[0].message, "English");
    }

    #[test]
    fn submission_body_is_wire_format() {
        let data = parse_json(r#"{"name":"Erika \"E.\""}"#).unwrap_or(JsonValue::Null);
        assert_eq!(
            encode_submission("abcdefghijklmnop", &data),
            r#"{"submission_id":"abcdefghijklmnop","data":{"name":"Erika \"E.\""}}"#
        );
    }
}
