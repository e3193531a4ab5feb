//! The attributes of `<og-service-search>`, parsed into [`SearchConfig`].
//!
//! Parsing is a pure function of the attribute values so that every rule
//! here is tested natively. Bad values never stop the widget: each one falls
//! back to its default and yields a [`ConfigWarning`] that the glue logs
//! and shows, so the editor sees the mistake.

use ogkit_core::richtext::is_safe_href;

use crate::i18n::Lang;

/// Tag name of the service search element.
pub const TAG: &str = "og-service-search";

/// Number of results shown when `max-results` is absent or invalid.
pub const DEFAULT_MAX_RESULTS: usize = 10;

/// Upper bound for `max-results`; a longer list stops being a search result.
pub const MAX_MAX_RESULTS: usize = 100;

/// URL query parameter that holds the search text unless `query-param` renames it.
pub const DEFAULT_QUERY_PARAM: &str = "q";

/// Attributes that the loader observes; a change of any of them updates
/// the running widget.
pub const ATTRIBUTES: [&str; 8] =
    ["src", "lang", "placeholder", "max-results", "category", "online-only", "no-results-href", "query-param"];

/// Configuration of one service search, read from its element's attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchConfig {
    /// URL of the ogkit catalogue (`src`), relative to the page.
    pub src: Option<String>,
    /// Language of the widget's text (`lang` on the element or an ancestor).
    pub lang: Lang,
    /// Placeholder of the search field (`placeholder`); a language default when absent.
    pub placeholder: Option<String>,
    /// Maximum number of results shown (`max-results`).
    pub max_results: usize,
    /// Preset Lebenslage or Themenfeld filter (`category`).
    pub category: Option<String>,
    /// Initial state of the online-only filter (`online-only`, a boolean attribute).
    pub online_only: bool,
    /// Link shown when nothing matches (`no-results-href`), http(s) or a root-relative path.
    pub no_results_href: Option<String>,
    /// Name of the URL query parameter that keeps the search text (`query-param`).
    pub query_param: String,
}

/// An attribute value that was ignored, with what was expected instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigWarning {
    /// Attribute name, e.g. `max-results`.
    pub attribute: &'static str,
    /// The value found, or empty when the attribute is missing.
    pub value: String,
    /// What a valid value looks like and what the widget does instead.
    pub expected: String,
}

impl ConfigWarning {
    /// Returns the console message, which starts with the tag name.
    pub fn console_message(&self) -> String {
        if self.value.is_empty() && self.attribute == "src" {
            format!("{TAG}: attribute \"src\" is missing; {}", self.expected)
        } else {
            format!("{TAG}: attribute \"{}\" has the invalid value \"{}\"; {}", self.attribute, self.value, self.expected)
        }
    }
}

/// Parses the attributes returned by `attribute` (name to value, `None`
/// when absent) into a configuration and the warnings for ignored values.
pub fn parse_config(attribute: impl Fn(&str) -> Option<String>, lang: Lang) -> (SearchConfig, Vec<ConfigWarning>) {
    let mut warnings = Vec::new();

    let src = attribute("src").map(|value| value.trim().to_string()).filter(|value| !value.is_empty());
    if src.is_none() {
        warnings.push(ConfigWarning {
            attribute: "src",
            value: String::new(),
            expected: "set it to the URL of an ogkit catalogue, e.g. src=\"/daten/leistungen.json\"".into(),
        });
    }

    let max_results = match attribute("max-results") {
        None => DEFAULT_MAX_RESULTS,
        Some(value) => match value.trim().parse::<usize>() {
            Ok(number) if (1..=MAX_MAX_RESULTS).contains(&number) => number,
            _ => {
                warnings.push(ConfigWarning {
                    attribute: "max-results",
                    value,
                    expected: format!(
                        "expected a whole number from 1 to {MAX_MAX_RESULTS}; showing {DEFAULT_MAX_RESULTS} results"
                    ),
                });
                DEFAULT_MAX_RESULTS
            }
        },
    };

    let no_results_href = match attribute("no-results-href") {
        None => None,
        Some(value) if is_link_target(&value) => Some(value.trim().to_string()),
        Some(value) => {
            warnings.push(ConfigWarning {
                attribute: "no-results-href",
                value,
                expected: "expected an http(s) URL or a path starting with \"/\"; the link is left out".into(),
            });
            None
        }
    };

    let query_param = match attribute("query-param") {
        None => DEFAULT_QUERY_PARAM.to_string(),
        Some(value) if is_param_name(value.trim()) => value.trim().to_string(),
        Some(value) => {
            warnings.push(ConfigWarning {
                attribute: "query-param",
                value,
                expected: format!(
                    "expected letters, digits, \"-\" or \"_\" (at most 32); using \"{DEFAULT_QUERY_PARAM}\""
                ),
            });
            DEFAULT_QUERY_PARAM.to_string()
        }
    };

    let config = SearchConfig {
        src,
        lang,
        placeholder: attribute("placeholder").filter(|value| !value.trim().is_empty()),
        max_results,
        category: attribute("category").map(|value| value.trim().to_string()).filter(|value| !value.is_empty()),
        // HTML boolean attribute: present means on, whatever its value.
        online_only: attribute("online-only").is_some(),
        no_results_href,
        query_param,
    };
    (config, warnings)
}

/// Checks the preset `category` against the names of the loaded
/// catalogue's Lebenslagen and Themenfelder. Returns a warning when the
/// preset names none of them; the widget then searches without the filter.
pub fn check_category(category: Option<&str>, names: &[String]) -> Option<ConfigWarning> {
    let category = category?;
    if names.iter().any(|name| name == category) {
        return None;
    }
    let mut expected = String::from("expected the name of a Lebenslage or Themenfeld of the catalogue");
    if let Some(first) = names.first() {
        expected.push_str(", e.g. \"");
        expected.push_str(first);
        expected.push('"');
    }
    expected.push_str("; searching without this filter");
    Some(ConfigWarning { attribute: "category", value: category.to_string(), expected })
}

/// Returns true when `href` may become the no-results link: an absolute
/// http(s) URL, or a path on the same site such as `/kontakt`.
fn is_link_target(href: &str) -> bool {
    let trimmed = href.trim();
    if is_safe_href(trimmed) {
        return true;
    }
    trimmed.starts_with('/')
        && !trimmed.starts_with("//")
        && !trimmed.contains('\\')
        && !trimmed.chars().any(|c| c.is_control())
}

fn is_param_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 32
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> (SearchConfig, Vec<ConfigWarning>) {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        parse_config(|name| map.get(name).cloned(), Lang::De)
    }

    #[test]
    fn defaults_apply_without_attributes() {
        let (config, warnings) = parse(&[("src", "/daten/a.json")]);
        assert_eq!(config.src.as_deref(), Some("/daten/a.json"));
        assert_eq!(config.max_results, 10);
        assert_eq!(config.query_param, "q");
        assert!(!config.online_only);
        assert!(config.category.is_none());
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn missing_src_warns() {
        for pairs in [&[][..], &[("src", "  ")][..]] {
            let (config, warnings) = parse(pairs);
            assert!(config.src.is_none());
            assert_eq!(warnings.len(), 1);
            assert_eq!(warnings[0].attribute, "src");
            assert!(warnings[0].console_message().starts_with("og-service-search: "));
        }
    }

    #[test]
    fn bad_max_results_falls_back() {
        for value in ["0", "-3", "abc", "2.5", "101", ""] {
            let (config, warnings) = parse(&[("src", "a.json"), ("max-results", value)]);
            assert_eq!(config.max_results, 10, "{value:?}");
            assert_eq!(warnings.len(), 1, "{value:?}");
            let message = warnings[0].console_message();
            assert!(message.starts_with("og-service-search: attribute \"max-results\""), "{message}");
        }
    }

    #[test]
    fn good_max_results_is_used() {
        let (config, warnings) = parse(&[("src", "a.json"), ("max-results", " 25 ")]);
        assert_eq!(config.max_results, 25);
        assert!(warnings.is_empty());
    }

    #[test]
    fn online_only_is_boolean_attribute() {
        for value in ["", "online-only", "false"] {
            let (config, _) = parse(&[("src", "a.json"), ("online-only", value)]);
            assert!(config.online_only, "{value:?}");
        }
    }

    #[test]
    fn unsafe_no_results_href_is_dropped() {
        for value in ["javascript:alert(1)", "//evil.example/", "data:text/html,x", "kontakt.html"] {
            let (config, warnings) = parse(&[("src", "a.json"), ("no-results-href", value)]);
            assert!(config.no_results_href.is_none(), "{value:?}");
            assert_eq!(warnings[0].attribute, "no-results-href");
        }
        for value in ["https://www.example.org/kontakt", "/kontakt"] {
            let (config, warnings) = parse(&[("src", "a.json"), ("no-results-href", value)]);
            assert_eq!(config.no_results_href.as_deref(), Some(value));
            assert!(warnings.is_empty());
        }
    }

    #[test]
    fn unknown_category_warns() {
        let names = ["Umwelt".to_string(), "Wohnen".to_string()];
        let warning = check_category(Some("GibtEsNicht"), &names).expect("warning");
        assert_eq!(warning.attribute, "category");
        assert_eq!(warning.value, "GibtEsNicht");
        let message = warning.console_message();
        assert!(message.starts_with("og-service-search: attribute \"category\""), "{message}");
        assert!(message.contains("\"GibtEsNicht\""), "{message}");
        assert!(message.contains("Lebenslage or Themenfeld of the catalogue, e.g. \"Umwelt\""), "{message}");
        assert!(check_category(Some("Gibt"), &[]).is_some());
    }

    #[test]
    fn known_or_absent_category_passes() {
        let names = ["Umwelt".to_string(), "Wohnen".to_string()];
        assert!(check_category(Some("Wohnen"), &names).is_none());
        assert!(check_category(None, &names).is_none());
        assert!(check_category(None, &[]).is_none());
    }

    #[test]
    fn query_param_must_be_plain_name() {
        let (config, warnings) = parse(&[("src", "a.json"), ("query-param", "suche2")]);
        assert_eq!(config.query_param, "suche2");
        assert!(warnings.is_empty());
        let (config, warnings) = parse(&[("src", "a.json"), ("query-param", "a&b")]);
        assert_eq!(config.query_param, "q");
        assert_eq!(warnings[0].attribute, "query-param");
    }
}
