//! The draft that `save-draft` keeps in `sessionStorage`: the page, the
//! input as typed and the pending submission attempt, so a reload of the
//! page loses nothing. With the attempt restored, sending after a reload
//! reuses its submission id, and the server does not store the form twice
//! when the first response was lost.
//!
//! The key names the submission URL, so two forms on one page keep their
//! own drafts. `sessionStorage` ends with the browser tab, which suits
//! personal data on a shared computer better than `localStorage`. The
//! stored text is read as untrusted: anything that does not decode counts
//! as no draft, and the widget removes it. The draft is removed after a
//! successful submission.

use ogkit_core::form::value::{write_json, write_string};
use ogkit_core::form::is_valid_submission_id;
use ogkit_core::table::{parse_json, JsonValue};

use super::state::{Attempt, Page};

/// A restored draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The page to show.
    pub page: Page,
    /// The input as typed.
    pub data: JsonValue,
    /// The attempt that was sent without a confirmed receipt.
    pub attempt: Option<Attempt>,
}

/// Version of the stored format; a draft of another version is dropped.
const VERSION: &str = "1";

/// Returns the storage key of the draft of the form posted to `action`.
pub fn draft_key(action: &str) -> String {
    format!("ogkit.form.draft:{action}")
}

/// Encodes a draft as `{"version":1,"page":N|"check","data":{…}}`, with
/// `"attempt":{"id":…,"data":{…}}` when an attempt is pending.
pub fn encode_draft(page: Page, data: &JsonValue, attempt: Option<&Attempt>) -> String {
    let mut out = format!("{{\"version\":{VERSION},\"page\":");
    match page {
        Page::Step(step) => out.push_str(&step.to_string()),
        Page::Check | Page::Done => out.push_str("\"check\""),
    }
    out.push_str(",\"data\":");
    write_json(data, &mut out);
    if let Some(attempt) = attempt {
        out.push_str(",\"attempt\":{\"id\":");
        write_string(&attempt.id, &mut out);
        out.push_str(",\"data\":");
        write_json(&attempt.data, &mut out);
        out.push('}');
    }
    out.push('}');
    out
}

/// Decodes a stored draft; `None` for anything that is not one.
pub fn decode_draft(text: &str) -> Option<Draft> {
    let value = parse_json(text).ok()?;
    match value.get("version") {
        Some(JsonValue::Number(version)) if version == VERSION => {}
        _ => return None,
    }
    let page = match value.get("page")? {
        JsonValue::String(name) if name == "check" => Page::Check,
        number @ JsonValue::Number(_) => Page::Step(usize::try_from(number.as_u64()?).ok()?),
        _ => return None,
    };
    let data = value.get("data")?;
    if !matches!(data, JsonValue::Object(_)) {
        return None;
    }
    let attempt = match value.get("attempt") {
        None => None,
        Some(attempt) => {
            let (Some(JsonValue::String(id)), Some(sent @ JsonValue::Object(_))) = (attempt.get("id"), attempt.get("data"))
            else {
                return None;
            };
            if !is_valid_submission_id(id) {
                return None;
            }
            Some(Attempt { id: id.clone(), data: sent.clone() })
        }
    };
    Some(Draft { page, data: data.clone(), attempt })
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Reads the draft of the form posted to `action`, removing a damaged one.
pub fn load_draft(action: &str) -> Option<Draft> {
    let storage = session_storage()?;
    let key = draft_key(action);
    let text = storage.get_item(&key).ok().flatten()?;
    let draft = decode_draft(&text);
    if draft.is_none() {
        let _ = storage.remove_item(&key);
    }
    draft
}

/// Stores the draft; does nothing when the browser refuses storage.
pub fn save_draft(action: &str, page: Page, data: &JsonValue, attempt: Option<&Attempt>) {
    if let Some(storage) = session_storage() {
        let _ = storage.set_item(&draft_key(action), &encode_draft(page, data, attempt));
    }
}

/// Removes the draft.
pub fn clear_draft(action: &str) {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(&draft_key(action));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> JsonValue {
        parse_json(text).unwrap_or(JsonValue::Null)
    }

    #[test]
    fn draft_round_trips() {
        let data = json(r#"{"name":"Erika \"E\" <b>","g":[{"anzahl":"2"},{}],"ok":true}"#);
        for page in [Page::Step(0), Page::Step(3), Page::Check] {
            let expected = Draft { page, data: data.clone(), attempt: None };
            assert_eq!(decode_draft(&encode_draft(page, &data, None)), Some(expected), "{page:?}");
        }
    }

    #[test]
    fn attempt_round_trips() {
        let data = json(r#"{"name":"Erika "}"#);
        let attempt = Attempt { id: "0b0e5f6c7a434d7e9d0c3c1f1f0a9b11".into(), data: json(r#"{"name":"Erika"}"#) };
        let decoded = decode_draft(&encode_draft(Page::Check, &data, Some(&attempt)));
        assert_eq!(decoded.and_then(|draft| draft.attempt), Some(attempt));
    }

    #[test]
    fn confirmation_is_stored_as_check() {
        let text = encode_draft(Page::Done, &json("{}"), None);
        assert_eq!(decode_draft(&text).map(|draft| draft.page), Some(Page::Check));
    }

    #[test]
    fn corrupt_drafts_are_none() {
        let cases = [
            "",
            "{",
            "null",
            "[]",
            r#"{"page":0,"data":{}}"#,
            r#"{"version":2,"page":0,"data":{}}"#,
            r#"{"version":"1","page":0,"data":{}}"#,
            r#"{"version":1,"page":-1,"data":{}}"#,
            r#"{"version":1,"page":1.5,"data":{}}"#,
            r#"{"version":1,"page":"ende","data":{}}"#,
            r#"{"version":1,"page":0,"data":"<script>"}"#,
            r#"{"version":1,"page":0}"#,
            r#"{"version":1,"page":0,"data":{},"attempt":{"id":"kurz","data":{}}}"#,
            r#"{"version":1,"page":0,"data":{},"attempt":{"id":"0b0e5f6c7a434d7e9d0c3c1f1f0a9b11"}}"#,
            r#"{"version":1,"page":0,"data":{},"attempt":"x"}"#,
            "{\"version\":1,\"page\":0,\"data\":{\"a\":\"\u{1}",
        ];
        for text in cases {
            assert_eq!(decode_draft(text), None, "{text}");
        }
    }

    #[test]
    fn key_names_action() {
        assert_eq!(draft_key("/api/v1/forms/a/submissions"), "ogkit.form.draft:/api/v1/forms/a/submissions");
        assert_ne!(draft_key("/a"), draft_key("/b"));
    }
}
