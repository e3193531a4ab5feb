//! The attributes of `<og-form>` and how they are read.
//!
//! - `schema`: URL of the form schema (a JSON file, or the server's
//!   `GET /api/v1/forms/{id}`).
//! - `form`: id of the form on the ogkit server. Without `schema` the
//!   schema is loaded from `/api/v1/forms/{form}`.
//! - `action`: URL that the submission is posted to. Without it the widget
//!   posts to `/api/v1/forms/{id}/submissions` of the server that `schema`
//!   points to. The id is `form`, or else the last segment of the `schema`
//!   path without `.json` (`/formulare/sperrmuell.json` gives
//!   `sperrmuell`). That is the id under which `ogkit serve --forms-dir`
//!   registers the file.
//! - `save-draft`: keeps the input in `sessionStorage`, so a reload of the
//!   page loses nothing; `save-draft="false"` switches it off again.
//!
//! `lang` (on the element or an ancestor) is read by the custom-element
//! glue.

use crate::i18n::Lang;

/// Name of the custom element.
pub const TAG: &str = "og-form";

/// Maximum length of a form id that the server accepts, in bytes.
const MAX_FORM_ID_LEN: usize = 64;

/// Attributes of `<og-form>`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormConfig {
    /// URL of the schema.
    pub schema: String,
    /// URL that the submission is posted to.
    pub action: String,
    /// Id of the form, when known; reported in the `og-submit` event.
    pub form: Option<String>,
    /// True when the draft is kept in `sessionStorage`.
    pub save_draft: bool,
    /// Language of the widget's text.
    pub lang: Lang,
}

/// An attribute whose value the widget cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Name of the attribute, such as `schema`.
    pub attribute: &'static str,
    /// The value found; empty when the attribute is missing.
    pub value: String,
    /// Kind of problem.
    pub problem: ConfigProblem,
}

/// Kind of problem with an attribute value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigProblem {
    /// Neither `schema` nor `form` is set.
    MissingSchema,
    /// The URL has spaces or a scheme other than `http` and `https`.
    InvalidUrl,
    /// The form id has characters other than letters, digits, `-` and `_`,
    /// or is longer than 64 bytes.
    InvalidFormId,
    /// No `action` is set and no form id follows from `form` or `schema`.
    MissingAction,
}

impl ConfigError {
    /// Returns the console message for the page's developers: tag name,
    /// attribute, what is wrong and what to write instead.
    pub fn console_message(&self) -> String {
        let expected = match self.problem {
            ConfigProblem::MissingSchema => {
                "set schema to the URL of the form schema, such as schema=\"/formulare/sperrmuell.json\", or form to its id on the ogkit server"
            }
            ConfigProblem::InvalidUrl => "expected an http:// or https:// URL, or a path such as /formulare/sperrmuell.json",
            ConfigProblem::InvalidFormId => "expected 1 to 64 letters (a-z, A-Z), digits, - or _",
            ConfigProblem::MissingAction => {
                "the submission URL cannot be derived from the schema URL; set action to the submission URL or form to the form id"
            }
        };
        format!("{TAG}: attribute {}=\"{}\" is invalid: {expected}", self.attribute, self.value)
    }
}

/// Reads the attributes through `attribute` (the element's `getAttribute`).
///
/// # Errors
///
/// Returns every attribute that cannot be used, in the order `form`,
/// `schema`, `action`.
pub fn parse_config(attribute: impl Fn(&str) -> Option<String>, lang: Lang) -> Result<FormConfig, Vec<ConfigError>> {
    let mut errors = Vec::new();
    let read = |name: &str| attribute(name).map(|value| value.trim().to_owned()).filter(|value| !value.is_empty());

    let form = read("form");
    if let Some(id) = &form {
        if !is_valid_form_id(id) {
            errors.push(ConfigError { attribute: "form", value: id.clone(), problem: ConfigProblem::InvalidFormId });
        }
    }

    let schema = match (read("schema"), &form) {
        (Some(url), _) if !is_usable_url(&url) => {
            errors.push(ConfigError { attribute: "schema", value: url, problem: ConfigProblem::InvalidUrl });
            None
        }
        (Some(url), _) => Some(url),
        (None, Some(id)) => Some(format!("/api/v1/forms/{id}")),
        (None, None) => {
            errors.push(ConfigError { attribute: "schema", value: String::new(), problem: ConfigProblem::MissingSchema });
            None
        }
    };

    let form = form.or_else(|| schema.as_deref().and_then(form_id_from_url));
    let action = match read("action") {
        Some(url) if !is_usable_url(&url) => {
            errors.push(ConfigError { attribute: "action", value: url, problem: ConfigProblem::InvalidUrl });
            None
        }
        Some(url) => Some(url),
        None => match (&form, &schema) {
            (Some(id), Some(schema)) => Some(format!("{}/api/v1/forms/{id}/submissions", origin_of(schema))),
            _ => {
                // Without a schema the missing schema is the problem to report.
                if schema.is_some() {
                    errors.push(ConfigError {
                        attribute: "action",
                        value: String::new(),
                        problem: ConfigProblem::MissingAction,
                    });
                }
                None
            }
        },
    };

    let save_draft = attribute("save-draft").is_some_and(|value| !value.trim().eq_ignore_ascii_case("false"));
    match (schema, action) {
        (Some(schema), Some(action)) if errors.is_empty() => Ok(FormConfig { schema, action, form, save_draft, lang }),
        _ => Err(errors),
    }
}

/// Returns true when `id` is a form id the server accepts.
pub fn is_valid_form_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_FORM_ID_LEN
        && id.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

/// Returns true for a relative URL or an `http(s)` URL without white space.
fn is_usable_url(url: &str) -> bool {
    if url.chars().any(|character| character.is_whitespace() || character.is_control()) {
        return false;
    }
    let lower = url.to_ascii_lowercase();
    // A scheme is the text before the first ':' when no '/', '?' or '#'
    // comes earlier; only http and https may be fetched.
    let scheme_end = lower.find(':');
    let path_start = lower.find(['/', '?', '#']);
    match (scheme_end, path_start) {
        (Some(colon), Some(slash)) if colon < slash => lower.starts_with("http://") || lower.starts_with("https://"),
        (Some(_), None) => false,
        _ => true,
    }
}

/// Returns the form id that `ogkit serve --forms-dir` gives the schema at
/// `url`: the last path segment without `.json`.
pub fn form_id_from_url(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    let id = last.strip_suffix(".json").unwrap_or(last);
    is_valid_form_id(id).then(|| id.to_owned())
}

/// Returns `scheme://host` of an absolute URL, or an empty text for a
/// relative one (the page's own server).
fn origin_of(url: &str) -> &str {
    let lower = url.to_ascii_lowercase();
    let Some(rest_start) = ["https://", "http://"].iter().find(|scheme| lower.starts_with(**scheme)).map(|s| s.len())
    else {
        return "";
    };
    let end = url[rest_start..].find(['/', '?', '#']).map_or(url.len(), |position| rest_start + position);
    &url[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(attributes: &[(&str, &str)]) -> Result<FormConfig, Vec<ConfigError>> {
        parse_config(
            |name| attributes.iter().find(|(key, _)| *key == name).map(|(_, value)| (*value).to_owned()),
            Lang::De,
        )
    }

    fn problems(result: Result<FormConfig, Vec<ConfigError>>) -> Vec<(&'static str, ConfigProblem)> {
        result.err().unwrap_or_default().iter().map(|error| (error.attribute, error.problem)).collect()
    }

    #[test]
    fn action_follows_schema_file_name() {
        let config = parse(&[("schema", "/formulare/sperrmuell-anmelden.json")]).ok();
        let config = config.as_ref();
        assert_eq!(config.map(|c| c.action.as_str()), Some("/api/v1/forms/sperrmuell-anmelden/submissions"));
        assert_eq!(config.and_then(|c| c.form.as_deref()), Some("sperrmuell-anmelden"));
        assert_eq!(config.map(|c| c.save_draft), Some(false));
    }

    #[test]
    fn action_uses_schema_server() {
        let config = parse(&[("schema", "https://formulare.example.de/api/v1/forms/anliegen?v=2")]);
        assert_eq!(
            config.map(|c| c.action),
            Ok("https://formulare.example.de/api/v1/forms/anliegen/submissions".to_owned())
        );
    }

    #[test]
    fn form_alone_loads_from_server() {
        let config = parse(&[("form", " anliegen-melden ")]);
        let config = config.as_ref().ok();
        assert_eq!(config.map(|c| c.schema.as_str()), Some("/api/v1/forms/anliegen-melden"));
        assert_eq!(config.map(|c| c.action.as_str()), Some("/api/v1/forms/anliegen-melden/submissions"));
    }

    #[test]
    fn form_attribute_beats_file_name() {
        let config = parse(&[("schema", "/daten/schema.json"), ("form", "sperrmuell-2027")]);
        assert_eq!(config.map(|c| c.action), Ok("/api/v1/forms/sperrmuell-2027/submissions".to_owned()));
    }

    #[test]
    fn explicit_action_is_kept() {
        let config = parse(&[("schema", "/s.json"), ("action", "https://api.example.de/eingang")]);
        assert_eq!(config.map(|c| c.action), Ok("https://api.example.de/eingang".to_owned()));
    }

    #[test]
    fn save_draft_is_boolean_attribute() {
        for (value, expected) in [("", true), ("save-draft", true), ("true", true), ("false", false), (" FALSE ", false)] {
            let config = parse(&[("schema", "/s.json"), ("save-draft", value)]);
            assert_eq!(config.map(|c| c.save_draft), Ok(expected), "{value:?}");
        }
    }

    #[test]
    fn missing_schema_is_reported() {
        assert_eq!(problems(parse(&[])), vec![("schema", ConfigProblem::MissingSchema)]);
        assert_eq!(problems(parse(&[("schema", "  ")])), vec![("schema", ConfigProblem::MissingSchema)]);
    }

    #[test]
    fn invalid_urls_are_reported() {
        for url in ["javascript:alert(1)", "data:application/json,{}", "ftp://example.de/s.json", "/a b.json", "mailto:x"] {
            assert_eq!(problems(parse(&[("schema", url)])), vec![("schema", ConfigProblem::InvalidUrl)], "{url}");
            let with_action = parse(&[("schema", "/s.json"), ("action", url)]);
            assert_eq!(problems(with_action), vec![("action", ConfigProblem::InvalidUrl)], "{url}");
        }
    }

    #[test]
    fn relative_urls_are_usable() {
        for url in ["formulare/s.json", "./s.json", "../s.json", "/s.json?x=a:b", "HTTPS://example.de/s.json"] {
            assert!(parse(&[("schema", url)]).is_ok(), "{url}");
        }
    }

    #[test]
    fn invalid_form_id_is_reported() {
        for id in ["sperr müll", "../admin", &"a".repeat(65)] {
            assert_eq!(problems(parse(&[("form", id)])), vec![("form", ConfigProblem::InvalidFormId)], "{id}");
        }
    }

    #[test]
    fn underivable_action_is_reported() {
        let listed = problems(parse(&[("schema", "/formulare/schema%20neu.json")]));
        assert_eq!(listed, vec![("action", ConfigProblem::MissingAction)]);
    }

    #[test]
    fn console_message_names_tag_and_attribute() {
        let errors = parse(&[("schema", "javascript:x")]).err().unwrap_or_default();
        let message = errors.first().map(ConfigError::console_message).unwrap_or_default();
        assert!(message.starts_with("og-form: attribute schema=\"javascript:x\""), "{message}");
    }
}
