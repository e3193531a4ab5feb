//! The attributes of `<og-data-table>`, parsed into [`TableConfig`].
//!
//! Parsing is a pure function of the attribute values, so every rule here
//! has a native test. A bad value never stops the widget: it falls back to
//! the default and yields a [`ConfigWarning`] that the glue logs to the
//! console and shows above the table, so the page's editors see it.

use ogkit_core::richtext::is_safe_href;
use ogkit_core::table::{Encoding, HeaderMode};

use super::ckan::CkanAttributes;
use crate::i18n::Lang;

/// Tag name of the data table element.
pub const TAG: &str = "og-data-table";

/// Attributes that the loader observes; a change of any of them updates
/// the running widget. Keep in step with `ELEMENTS` in `js/ogkit.js`.
pub const ATTRIBUTES: [&str; 18] = [
    "src",
    "lang",
    "caption",
    "title",
    "format",
    "encoding",
    "delimiter",
    "header-row",
    "page-size",
    "fragment-key",
    "source",
    "source-href",
    "license",
    "license-href",
    "chart",
    "ckan",
    "resource-id",
    "dataset",
];

/// Rows per page when `page-size` is absent or invalid.
pub const DEFAULT_PAGE_SIZE: usize = 20;

/// Largest `page-size`. More rows than this on one page make the page slow
/// to render and hard to read, which paging is there to avoid.
pub const MAX_PAGE_SIZE: usize = 500;

/// Page sizes offered in the page-size choice, besides the configured one.
pub const PAGE_SIZES: [usize; 4] = [10, 20, 50, 100];

/// Name of the view state in the URL fragment unless `fragment-key` renames it.
pub const DEFAULT_FRAGMENT_KEY: &str = "tabelle";

/// File format of `src`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-, semicolon-, tab- or pipe-separated values.
    Csv,
    /// A JSON list of objects, also inside a CKAN response.
    Json,
}

/// A source or licence line: a name, and a link when one is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    /// Text shown; the URL itself when only a URL was given.
    pub text: String,
    /// http(s) link, if any.
    pub href: Option<String>,
}

/// Configuration of one data table, read from its element's attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct TableConfig {
    /// URL of the CSV or JSON file (`src`), relative to the page.
    pub src: Option<String>,
    /// Language of the widget's text (`lang` on the element or an ancestor).
    pub lang: Lang,
    /// Table caption (`caption`, else `title`); the file name when absent.
    pub caption: Option<String>,
    /// File format (`format`); detected from the response when absent.
    pub format: Option<Format>,
    /// Character encoding (`encoding`); wins over the HTTP charset.
    pub encoding: Option<Encoding>,
    /// Field delimiter (`delimiter`); detected when absent.
    pub delimiter: Option<u8>,
    /// Position of the header row (`header-row`): detected, a line number or none.
    pub header: HeaderMode,
    /// Rows per page at the start (`page-size`).
    pub page_size: usize,
    /// Name of this table's state in the URL fragment (`fragment-key`).
    pub fragment_key: String,
    /// Source line under the table (`source`, `source-href`).
    pub source: Option<Attribution>,
    /// Licence line under the table (`license`, `license-href`).
    pub license: Option<Attribution>,
    /// True when the chart is shown from the start (`chart`, a boolean attribute).
    pub chart: bool,
    /// A CKAN resource or dataset (`ckan` with `resource-id` or `dataset`)
    /// instead of `src`.
    pub ckan: Option<CkanAttributes>,
}

/// An attribute value that was ignored, with what was expected instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigWarning {
    /// Attribute name, e.g. `page-size`.
    pub attribute: &'static str,
    /// The value found, or empty when the attribute is missing.
    pub value: String,
    /// Description of a valid value and of what the widget does instead.
    pub expected: String,
}

impl ConfigWarning {
    /// Returns the console message, which starts with the tag name.
    pub fn console_message(&self) -> String {
        if self.value.is_empty() && self.attribute == "src" {
            format!("{TAG}: attribute \"src\" is missing; {}", self.expected)
        } else {
            format!(
                "{TAG}: attribute \"{}\" has the invalid value \"{}\"; {}",
                self.attribute, self.value, self.expected
            )
        }
    }
}

/// Parses the attributes returned by `attribute` (name to value, `None`
/// when absent) into a configuration and the warnings for ignored values.
pub fn parse_config(attribute: impl Fn(&str) -> Option<String>, lang: Lang) -> (TableConfig, Vec<ConfigWarning>) {
    let mut warnings = Vec::new();
    let text = |name: &str| attribute(name).map(|value| value.trim().to_string()).filter(|value| !value.is_empty());

    let src = text("src");
    let ckan = text("ckan").map(|base| CkanAttributes {
        base,
        resource_id: text("resource-id"),
        dataset: text("dataset"),
    });
    if src.is_none() && ckan.is_none() {
        warnings.push(ConfigWarning {
            attribute: "src",
            value: String::new(),
            expected: "set it to the URL of a CSV or JSON file, e.g. src=\"/daten/einwohner.csv\"".into(),
        });
    }

    let format = match text("format") {
        None => None,
        Some(value) => match value.to_ascii_lowercase().as_str() {
            "csv" | "tsv" | "text/csv" => Some(Format::Csv),
            "json" | "application/json" => Some(Format::Json),
            _ => {
                warnings.push(ConfigWarning {
                    attribute: "format",
                    value,
                    expected: "expected \"csv\" or \"json\"; detecting the format from the file".into(),
                });
                None
            }
        },
    };

    let encoding = match text("encoding") {
        None => None,
        Some(value) => match Encoding::from_label(&value) {
            Some(encoding) => Some(encoding),
            None => {
                warnings.push(ConfigWarning {
                    attribute: "encoding",
                    value,
                    expected: "expected utf-8, windows-1252, iso-8859-1, iso-8859-15 or utf-16; detecting the encoding from the file".into(),
                });
                None
            }
        },
    };

    let delimiter = match attribute("delimiter") {
        None => None,
        Some(value) => match parse_delimiter(&value) {
            Some(delimiter) => Some(delimiter),
            None => {
                warnings.push(ConfigWarning {
                    attribute: "delimiter",
                    value,
                    expected: "expected one character such as \";\" or \",\", or \"tab\"; detecting the delimiter from the file".into(),
                });
                None
            }
        },
    };

    let header = match text("header-row") {
        None => HeaderMode::Detect,
        Some(value) => match parse_header_row(&value) {
            Some(header) => header,
            None => {
                warnings.push(ConfigWarning {
                    attribute: "header-row",
                    value,
                    expected: "expected a line number from 1, \"none\" for a file without header, or \"auto\"; detecting the header".into(),
                });
                HeaderMode::Detect
            }
        },
    };

    let page_size = match text("page-size") {
        None => DEFAULT_PAGE_SIZE,
        Some(value) => match value.parse::<usize>() {
            Ok(number) if (1..=MAX_PAGE_SIZE).contains(&number) => number,
            _ => {
                warnings.push(ConfigWarning {
                    attribute: "page-size",
                    value,
                    expected: format!(
                        "expected a whole number from 1 to {MAX_PAGE_SIZE}; showing {DEFAULT_PAGE_SIZE} rows per page"
                    ),
                });
                DEFAULT_PAGE_SIZE
            }
        },
    };

    let fragment_key = match text("fragment-key") {
        None => DEFAULT_FRAGMENT_KEY.to_string(),
        Some(value) if is_key_name(&value) => value,
        Some(value) => {
            warnings.push(ConfigWarning {
                attribute: "fragment-key",
                value,
                expected: format!(
                    "expected letters, digits, \"-\" or \"_\" (at most 32); using \"{DEFAULT_FRAGMENT_KEY}\""
                ),
            });
            DEFAULT_FRAGMENT_KEY.to_string()
        }
    };

    let source = attribution(text("source"), text("source-href"), "source-href", &mut warnings);
    let license = attribution(text("license"), text("license-href"), "license-href", &mut warnings);

    let config = TableConfig {
        src,
        lang,
        caption: text("caption").or_else(|| text("title")),
        format,
        encoding,
        delimiter,
        header,
        page_size,
        fragment_key,
        source,
        license,
        // HTML boolean attribute: present means on, whatever its value.
        chart: attribute("chart").is_some(),
        ckan,
    };
    (config, warnings)
}

/// Returns the delimiter byte for an attribute value: one ASCII
/// punctuation character or space, or a name such as `tab` or `\t`.
pub fn parse_delimiter(value: &str) -> Option<u8> {
    let lower = value.trim_matches(|c| c == '\r' || c == '\n').to_ascii_lowercase();
    match lower.as_str() {
        "\t" | "\\t" | "tab" | "tabulator" => return Some(b'\t'),
        "semicolon" | "semikolon" => return Some(b';'),
        "comma" | "komma" => return Some(b','),
        "pipe" => return Some(b'|'),
        "space" | "leerzeichen" | " " => return Some(b' '),
        _ => {}
    }
    match lower.trim().as_bytes() {
        // A quote or a line break cannot separate fields in CSV.
        [byte] if byte.is_ascii_punctuation() && *byte != b'"' => Some(*byte),
        _ => None,
    }
}

/// Returns the header mode for a `header-row` value: a 1-based line
/// number, `none` (also `0`, `keine`, `false`) or `auto`.
pub fn parse_header_row(value: &str) -> Option<HeaderMode> {
    let lower = value.trim().to_ascii_lowercase();
    match lower.as_str() {
        "auto" | "" => Some(HeaderMode::Detect),
        "none" | "keine" | "0" | "false" | "no" | "nein" => Some(HeaderMode::Absent),
        number => number.parse::<u64>().ok().filter(|line| *line >= 1).map(HeaderMode::Line),
    }
}

/// Returns the display name of `src` for the caption: the last path
/// segment, percent-decoded, without query or fragment.
pub fn file_name(src: &str) -> String {
    let path = src.split(['?', '#']).next().unwrap_or(src);
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path);
    let decoded = crate::table::fragment::decode_component(last);
    if decoded.trim().is_empty() {
        src.to_string()
    } else {
        decoded
    }
}

fn attribution(
    text: Option<String>,
    href: Option<String>,
    href_attribute: &'static str,
    warnings: &mut Vec<ConfigWarning>,
) -> Option<Attribution> {
    let href = match href {
        None => None,
        Some(value) if is_safe_href(&value) => Some(value),
        Some(value) => {
            warnings.push(ConfigWarning {
                attribute: href_attribute,
                value,
                expected: "expected an http:// or https:// URL; showing the text without a link".into(),
            });
            None
        }
    };
    match (text, href) {
        (Some(text), href) => {
            // A bare URL as the text is a link to itself.
            let href = href.or_else(|| Some(text.clone()).filter(|text| is_safe_href(text)));
            Some(Attribution { text, href })
        }
        (None, Some(href)) => Some(Attribution { text: href.clone(), href: Some(href) }),
        (None, None) => None,
    }
}

fn is_key_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 32 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> (TableConfig, Vec<ConfigWarning>) {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        parse_config(|name| map.get(name).cloned(), Lang::De)
    }

    fn warned(warnings: &[ConfigWarning]) -> Vec<&'static str> {
        warnings.iter().map(|warning| warning.attribute).collect()
    }

    #[test]
    fn defaults_apply_without_attributes() {
        let (config, warnings) = parse(&[("src", "/daten/a.csv")]);
        assert_eq!(config.src.as_deref(), Some("/daten/a.csv"));
        assert_eq!(config.page_size, DEFAULT_PAGE_SIZE);
        assert_eq!(config.fragment_key, "tabelle");
        assert_eq!(config.header, HeaderMode::Detect);
        assert_eq!(config.format, None);
        assert_eq!(config.encoding, None);
        assert_eq!(config.delimiter, None);
        assert!(!config.chart);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn missing_src_warns() {
        for pairs in [&[][..], &[("src", "  ")][..]] {
            let (config, warnings) = parse(pairs);
            assert!(config.src.is_none());
            assert_eq!(warned(&warnings), ["src"]);
            assert!(warnings[0].console_message().starts_with("og-data-table: attribute \"src\" is missing"));
        }
    }

    #[test]
    fn caption_falls_back_to_title() {
        let (config, _) = parse(&[("src", "a.csv"), ("title", "Einwohner")]);
        assert_eq!(config.caption.as_deref(), Some("Einwohner"));
        let (config, _) = parse(&[("src", "a.csv"), ("title", "B"), ("caption", "A")]);
        assert_eq!(config.caption.as_deref(), Some("A"));
    }

    #[test]
    fn encoding_labels_are_read() {
        let (config, warnings) = parse(&[("src", "a.csv"), ("encoding", "ISO-8859-1")]);
        assert_eq!(config.encoding, Some(Encoding::Windows1252));
        assert!(warnings.is_empty());
        let (config, warnings) = parse(&[("src", "a.csv"), ("encoding", "latin-7")]);
        assert_eq!(config.encoding, None);
        assert_eq!(warned(&warnings), ["encoding"]);
        assert!(warnings[0].console_message().contains("\"latin-7\""));
    }

    #[test]
    fn delimiter_values() {
        let cases: [(&str, Option<u8>); 10] = [
            (";", Some(b';')),
            (",", Some(b',')),
            ("tab", Some(b'\t')),
            ("\\t", Some(b'\t')),
            ("\t", Some(b'\t')),
            ("|", Some(b'|')),
            ("Semikolon", Some(b';')),
            ("\"", None),
            ("ab", None),
            ("x", None),
        ];
        for (value, expected) in cases {
            assert_eq!(parse_delimiter(value), expected, "{value:?}");
        }
        let (config, warnings) = parse(&[("src", "a.csv"), ("delimiter", "ab")]);
        assert_eq!(config.delimiter, None);
        assert_eq!(warned(&warnings), ["delimiter"]);
    }

    #[test]
    fn header_row_values() {
        assert_eq!(parse_header_row("3"), Some(HeaderMode::Line(3)));
        assert_eq!(parse_header_row(" none "), Some(HeaderMode::Absent));
        assert_eq!(parse_header_row("0"), Some(HeaderMode::Absent));
        assert_eq!(parse_header_row("auto"), Some(HeaderMode::Detect));
        assert_eq!(parse_header_row("-1"), None);
        assert_eq!(parse_header_row("erste"), None);
        let (config, warnings) = parse(&[("src", "a.csv"), ("header-row", "erste")]);
        assert_eq!(config.header, HeaderMode::Detect);
        assert_eq!(warned(&warnings), ["header-row"]);
    }

    #[test]
    fn bad_page_size_falls_back() {
        for value in ["0", "-3", "abc", "2.5", "501"] {
            let (config, warnings) = parse(&[("src", "a.csv"), ("page-size", value)]);
            assert_eq!(config.page_size, DEFAULT_PAGE_SIZE, "{value:?}");
            assert_eq!(warned(&warnings), ["page-size"], "{value:?}");
        }
        let (config, warnings) = parse(&[("src", "a.csv"), ("page-size", " 50 ")]);
        assert_eq!(config.page_size, 50);
        assert!(warnings.is_empty());
    }

    #[test]
    fn format_values() {
        let (config, _) = parse(&[("src", "a"), ("format", "JSON")]);
        assert_eq!(config.format, Some(Format::Json));
        let (config, warnings) = parse(&[("src", "a"), ("format", "xlsx")]);
        assert_eq!(config.format, None);
        assert_eq!(warned(&warnings), ["format"]);
    }

    #[test]
    fn fragment_key_must_be_plain_name() {
        let (config, warnings) = parse(&[("src", "a.csv"), ("fragment-key", "haushalt_2")]);
        assert_eq!(config.fragment_key, "haushalt_2");
        assert!(warnings.is_empty());
        let (config, warnings) = parse(&[("src", "a.csv"), ("fragment-key", "a=b")]);
        assert_eq!(config.fragment_key, "tabelle");
        assert_eq!(warned(&warnings), ["fragment-key"]);
    }

    #[test]
    fn attribution_links_only_http() {
        let (config, warnings) = parse(&[
            ("src", "a.csv"),
            ("source", "Stadt Köln"),
            ("source-href", "javascript:alert(1)"),
            ("license", "CC BY 4.0"),
            ("license-href", "https://creativecommons.org/licenses/by/4.0/"),
        ]);
        assert_eq!(config.source, Some(Attribution { text: "Stadt Köln".into(), href: None }));
        assert_eq!(
            config.license.as_ref().and_then(|license| license.href.as_deref()),
            Some("https://creativecommons.org/licenses/by/4.0/")
        );
        assert_eq!(warned(&warnings), ["source-href"]);
    }

    #[test]
    fn bare_url_source_is_link() {
        let (config, _) = parse(&[("src", "a.csv"), ("source", "https://offenedaten-koeln.de/")]);
        let source = config.source.expect("source");
        assert_eq!(source.href.as_deref(), Some("https://offenedaten-koeln.de/"));
        let (config, _) = parse(&[("src", "a.csv"), ("source", "data:text/html,x")]);
        assert_eq!(config.source.expect("source").href, None);
    }

    #[test]
    fn file_name_is_last_segment() {
        assert_eq!(file_name("/daten/wahl%20lokale.csv?x=1#y"), "wahl lokale.csv");
        assert_eq!(file_name("einwohner.csv"), "einwohner.csv");
        assert_eq!(file_name("https://example.org/daten/"), "daten");
    }

    #[test]
    fn chart_is_boolean_attribute() {
        let (config, _) = parse(&[("src", "a.csv"), ("chart", "")]);
        assert!(config.chart);
    }
}
