//! The attributes of `<og-poll>` and how they are read.
//!
//! `poll` names the poll and is required. `server` is the base URL of the
//! ogkit server that stores it: an absolute `http`/`https` URL, or a path
//! on the page's own server starting with `/`. Without it the page's own
//! origin is used. `lang` (on the element or an ancestor) is read by the
//! custom-element glue.

use ogkit_core::poll::is_valid_id;

use crate::i18n::Lang;

/// Name of the custom element.
pub const TAG: &str = "og-poll";

/// Attributes of `<og-poll>`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollConfig {
    /// Base URL of the server without a trailing slash; empty for the
    /// page's own origin.
    pub server: String,
    /// Id of the poll.
    pub poll: String,
    /// Language of the widget's text.
    pub lang: Lang,
}

/// An attribute whose value the widget cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Name of the attribute, such as `poll`.
    pub attribute: &'static str,
    /// The value found; empty when the attribute is missing.
    pub value: String,
    /// Kind of problem.
    pub problem: ConfigProblem,
}

/// Kind of problem with an attribute value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigProblem {
    /// The attribute is missing or empty.
    Missing,
    /// The poll id has characters other than letters, digits, `-` and `_`,
    /// or is longer than 64 bytes.
    InvalidPollId,
    /// The server is neither an `http(s)://` URL nor a path starting with `/`.
    InvalidServer,
}

impl ConfigError {
    /// Returns the console message for the page's developers: tag name,
    /// attribute, what is wrong and what to write instead.
    pub fn console_message(&self) -> String {
        let expected = match self.problem {
            ConfigProblem::Missing => "the attribute is required; set it to the id of the poll, such as poll=\"radweg-2026\"",
            ConfigProblem::InvalidPollId => "expected 1 to 64 letters (a-z, A-Z), digits, - or _",
            ConfigProblem::InvalidServer => {
                "expected an http:// or https:// URL such as https://beteiligung.example.de, or a path starting with /"
            }
        };
        format!("{TAG}: attribute {}=\"{}\" is invalid: {expected}", self.attribute, self.value)
    }
}

/// Reads the attributes through `attribute` (the element's `getAttribute`).
///
/// # Errors
///
/// Returns every attribute that cannot be used, in the order `poll`,
/// `server`.
pub fn parse_config(attribute: impl Fn(&str) -> Option<String>, lang: Lang) -> Result<PollConfig, Vec<ConfigError>> {
    let mut errors = Vec::new();

    let poll = attribute("poll").map(|value| value.trim().to_owned()).unwrap_or_default();
    if poll.is_empty() {
        errors.push(ConfigError { attribute: "poll", value: poll.clone(), problem: ConfigProblem::Missing });
    } else if !is_valid_id(&poll) {
        errors.push(ConfigError { attribute: "poll", value: poll.clone(), problem: ConfigProblem::InvalidPollId });
    }

    let raw_server = attribute("server").map(|value| value.trim().to_owned()).unwrap_or_default();
    let server = match normalize_server(&raw_server) {
        Some(server) => server,
        None => {
            errors.push(ConfigError { attribute: "server", value: raw_server, problem: ConfigProblem::InvalidServer });
            String::new()
        }
    };

    if errors.is_empty() {
        Ok(PollConfig { server, poll, lang })
    } else {
        Err(errors)
    }
}

/// Returns the server base without trailing slashes, or `None` when it is
/// not usable. An empty value means the page's own origin.
fn normalize_server(value: &str) -> Option<String> {
    if value.is_empty() {
        return Some(String::new());
    }
    if value.chars().any(|character| character.is_whitespace() || character.is_control()) {
        return None;
    }
    let lower = value.to_ascii_lowercase();
    let rest = if let Some(rest) = lower.strip_prefix("https://") {
        rest
    } else if let Some(rest) = lower.strip_prefix("http://") {
        rest
    } else if value.starts_with('/') && !value.starts_with("//") {
        return Some(value.trim_end_matches('/').to_owned());
    } else {
        return None;
    };
    // A host is required, and a query or fragment would end up in the
    // middle of every API URL.
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || value.contains(['?', '#']) {
        return None;
    }
    Some(value.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(poll: Option<&str>, server: Option<&str>) -> Result<PollConfig, Vec<ConfigError>> {
        parse_config(
            |name| match name {
                "poll" => poll.map(str::to_owned),
                "server" => server.map(str::to_owned),
                _ => None,
            },
            Lang::De,
        )
    }

    fn problems(result: Result<PollConfig, Vec<ConfigError>>) -> Vec<(&'static str, ConfigProblem)> {
        result.err().unwrap_or_default().iter().map(|error| (error.attribute, error.problem)).collect()
    }

    #[test]
    fn poll_without_server_uses_page_origin() {
        let config = parse(Some(" radweg-2026 "), None);
        assert_eq!(config.as_ref().map(|config| config.poll.as_str()), Ok("radweg-2026"));
        assert_eq!(config.as_ref().map(|config| config.server.as_str()), Ok(""));
    }

    #[test]
    fn missing_poll_is_reported() {
        assert_eq!(problems(parse(None, None)), vec![("poll", ConfigProblem::Missing)]);
        assert_eq!(problems(parse(Some("  "), None)), vec![("poll", ConfigProblem::Missing)]);
    }

    #[test]
    fn invalid_poll_id_is_reported() {
        for id in ["radweg 2026", "../admin", "umfrage?x=1", &"a".repeat(65)] {
            assert_eq!(problems(parse(Some(id), None)), vec![("poll", ConfigProblem::InvalidPollId)], "{id}");
        }
    }

    #[test]
    fn server_forms_are_normalized() {
        let cases = [
            ("https://beteiligung.example.de/", "https://beteiligung.example.de"),
            ("HTTP://127.0.0.1:8080", "HTTP://127.0.0.1:8080"),
            ("https://example.de/ogkit//", "https://example.de/ogkit"),
            ("/beteiligung/", "/beteiligung"),
            ("/", ""),
        ];
        for (raw, expected) in cases {
            let config = parse(Some("p"), Some(raw));
            assert_eq!(config.map(|config| config.server), Ok(expected.to_owned()), "{raw}");
        }
    }

    #[test]
    fn invalid_servers_are_reported() {
        for raw in ["ftp://example.de", "example.de", "https://", "//example.de", "javascript:alert(1)", "https://a.de/?x=1", "https://a b.de"] {
            assert_eq!(problems(parse(Some("p"), Some(raw))), vec![("server", ConfigProblem::InvalidServer)], "{raw}");
        }
    }

    #[test]
    fn both_errors_are_listed() {
        let listed = problems(parse(None, Some("nope")));
        assert_eq!(listed, vec![("poll", ConfigProblem::Missing), ("server", ConfigProblem::InvalidServer)]);
    }

    #[test]
    fn console_message_names_tag_and_attribute() {
        let errors = parse(Some("a b"), None).err().unwrap_or_default();
        let message = errors.first().map(ConfigError::console_message).unwrap_or_default();
        assert!(message.starts_with("og-poll: attribute poll=\"a b\""), "{message}");
    }
}
