//! The request and response bodies of a form submission.

use serde::{Deserialize, Serialize};

use crate::table::JsonValue;

/// Request body that the widget sends when the user submits a form.
///
/// `submission_id` is made by the widget once per filled-in form and sent
/// again on every retry, so the server stores one record however often the
/// request arrives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    /// Idempotency key chosen by the client; see [`is_valid_submission_id`].
    pub submission_id: String,
    /// The form data: an object keyed by field name.
    #[serde(
        serialize_with = "super::value::serialize",
        deserialize_with = "super::value::deserialize"
    )]
    pub data: JsonValue,
}

/// Response body of the server once it has stored a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The `submission_id` of the request.
    pub submission_id: String,
    /// Reference number to show the user and quote in questions, such as
    /// `SP-2026-000123`.
    pub reference: String,
}

/// Shortest accepted submission id. Sixteen characters leave enough room
/// for a random id that two clients never share by chance.
const MIN_ID_LEN: usize = 16;
/// Longest accepted submission id.
const MAX_ID_LEN: usize = 64;

/// Returns true when `id` is a usable submission id: 16 to 64 ASCII
/// letters, digits, `-` and `_`, as a UUID or a random base64url string is.
pub fn is_valid_submission_id(id: &str) -> bool {
    (MIN_ID_LEN..=MAX_ID_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

impl Submission {
    /// Writes the submission as compact JSON text, without serde_json, for
    /// the widget's request body.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"submission_id\":");
        super::value::write_string(&self.submission_id, &mut out);
        out.push_str(",\"data\":");
        super::value::write_json(&self.data, &mut out);
        out.push('}');
        out
    }
}
