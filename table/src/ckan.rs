//! Reading open data from a CKAN portal through its Action API.
//!
//! CKAN is the portal software behind most German open-data portals. Its
//! Action API answers `GET {base}/api/3/action/{action}?…` with an envelope,
//! `{"success": true, "result": …}` or `{"success": false, "error":
//! {"__type": …, "message": …}}`. The table widget uses three actions:
//!
//! - `package_show?id=` returns a dataset (CKAN calls it a package) with its
//!   resources and metadata, including the DCAT-AP.de fields that German
//!   portals add (`publisher_name`, `licenseAttributionByText`, …);
//! - `resource_show?id=` returns one resource (a file or a DataStore table)
//!   and the id of its dataset;
//! - `datastore_search` returns one page of a resource stored in CKAN's
//!   DataStore. The server pages, sorts (`sort`), searches (`q`) and filters
//!   by exact values (`filters`), so a resource of a million rows never
//!   reaches the browser as a whole.
//!
//! This module builds those request URLs ([`ApiBase`], [`DatastoreRequest`]),
//! decodes the responses ([`decode_response`], [`Package`], [`Resource`],
//! [`DatastorePage`]), picks the resource to show ([`pick_resource`]) and
//! extracts the metadata that the widget shows ([`DatasetInfo`]).
//! [`Resolver`] strings these steps together from the attributes to the
//! resource to show. The module does no I/O: the widget fetches what it
//! is told to, and this module decides.
//!
//! Everything in a response is data from another server. Texts are kept as
//! text (markup included) for the widget to render as text, links are kept
//! only when they are absolute `http` or `https` URLs, and a response of the
//! wrong shape becomes a [`CkanError`] with a German and an English message,
//! never a panic.

mod datastore;
mod flow;
mod metadata;
mod package;
mod response;
mod text;
mod url;

use std::fmt;

pub use datastore::{
    column_type_for, filter_value, DatastoreField, DatastorePage, DatastoreRequest, FullText,
    SortField, MAX_LIMIT,
};
pub use flow::{CkanSource, Resolved, Resolver, Target};
pub use metadata::{DatasetInfo, InfoLine, Licence, Publisher, Timestamp};
pub use package::{pick_resource, Package, Pick, ReadMode, Resource};
pub use response::decode_response;
pub use url::{is_web_url, percent_encode, ApiBase};

use super::message::{message, Lang};

/// Longest text taken from a response for display, in characters. Longer
/// texts are cut and end with `…`, so a hostile title cannot flood the page.
pub const MAX_TEXT_CHARS: usize = 500;

/// Stable identifier of a CKAN error or note; [`CkanKey::as_str`] is the key
/// of its text in the table message catalogue ([`message`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CkanKey {
    /// The `ckan` attribute is empty or not a URL. Parameter `value`.
    BaseInvalid,
    /// The `ckan` attribute uses another scheme than http(s). Parameters
    /// `value`, `scheme`.
    BaseScheme,
    /// Neither `resource-id` nor `dataset` names what to show.
    IdMissing,
    /// The response body is empty. Parameter `status`.
    EmptyResponse,
    /// The response is an HTML page. Parameter `status`.
    HtmlResponse,
    /// The response is not valid JSON. Parameters `status`, `reason`.
    InvalidJson,
    /// The response is JSON without CKAN's `success` envelope. Parameter
    /// `status`.
    NotCkan,
    /// CKAN answered `Not Found Error`. Parameter `message`.
    NotFound,
    /// CKAN answered `Authorization Error`. Parameter `message`.
    Forbidden,
    /// CKAN answered `Validation Error`. Parameter `details`.
    Validation,
    /// CKAN answered another error, or HTTP 5xx. Parameters `status`,
    /// `type`, `message`.
    ServerError,
    /// A field of the result is missing or has the wrong type. Parameters
    /// `field`, `expected`.
    ResultInvalid,
    /// The dataset has no resource that the table can read. Parameters
    /// `dataset`, `found`.
    NoTableResource,
    /// The resource is neither CSV, JSON nor in the DataStore. Parameters
    /// `resource`, `format`.
    ResourceFormat,
    /// The resource has no http(s) download URL. Parameters `resource`,
    /// `url`.
    ResourceUrl,
    /// A sort or filter field name cannot be written in a CKAN request.
    /// Parameter `field`.
    FieldName,
    /// The request failed before an answer arrived: network, or the server
    /// does not allow this page to read it (CORS). Parameter `base`.
    Network,
    /// The server did not answer in time. Parameters `base`, `seconds`.
    Timeout,
    /// Note: a sort key of the widget was not sent to the server. Parameter
    /// `column`.
    SortSkipped,
    /// Note: a filter of the widget was not sent to the server. Parameters
    /// `column`, `reason`.
    FilterSkipped,
    /// Note: the server estimated the total. Parameter `total`.
    TotalEstimated,
}

impl CkanKey {
    /// Returns the stable key, e.g. `"ckan-not-found"`.
    pub fn as_str(self) -> &'static str {
        match self {
            CkanKey::BaseInvalid => "ckan-base-invalid",
            CkanKey::BaseScheme => "ckan-base-scheme",
            CkanKey::IdMissing => "ckan-id-missing",
            CkanKey::EmptyResponse => "ckan-empty-response",
            CkanKey::HtmlResponse => "ckan-html-response",
            CkanKey::InvalidJson => "ckan-invalid-json",
            CkanKey::NotCkan => "ckan-not-ckan",
            CkanKey::NotFound => "ckan-not-found",
            CkanKey::Forbidden => "ckan-forbidden",
            CkanKey::Validation => "ckan-validation",
            CkanKey::ServerError => "ckan-server-error",
            CkanKey::ResultInvalid => "ckan-result-invalid",
            CkanKey::NoTableResource => "ckan-no-table-resource",
            CkanKey::ResourceFormat => "ckan-resource-format",
            CkanKey::ResourceUrl => "ckan-resource-url",
            CkanKey::FieldName => "ckan-field-name",
            CkanKey::Network => "ckan-network",
            CkanKey::Timeout => "ckan-timeout",
            CkanKey::SortSkipped => "ckan-sort-skipped",
            CkanKey::FilterSkipped => "ckan-filter-skipped",
            CkanKey::TotalEstimated => "ckan-total-estimated",
        }
    }

    /// Every key, for tests that check the catalogue.
    pub const ALL: [CkanKey; 21] = [
        CkanKey::BaseInvalid,
        CkanKey::BaseScheme,
        CkanKey::IdMissing,
        CkanKey::EmptyResponse,
        CkanKey::HtmlResponse,
        CkanKey::InvalidJson,
        CkanKey::NotCkan,
        CkanKey::NotFound,
        CkanKey::Forbidden,
        CkanKey::Validation,
        CkanKey::ServerError,
        CkanKey::ResultInvalid,
        CkanKey::NoTableResource,
        CkanKey::ResourceFormat,
        CkanKey::ResourceUrl,
        CkanKey::FieldName,
        CkanKey::Network,
        CkanKey::Timeout,
        CkanKey::SortSkipped,
        CkanKey::FilterSkipped,
        CkanKey::TotalEstimated,
    ];
}

/// Why a CKAN request could not be built or its response not used.
///
/// The English [`Display`](fmt::Display) text is for developers and logs;
/// the widget shows [`CkanError::message`] in the page language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CkanError {
    key: CkanKey,
    params: Vec<(&'static str, String)>,
}

impl CkanError {
    /// Creates an error without parameters.
    pub fn new(key: CkanKey) -> CkanError {
        CkanError {
            key,
            params: Vec::new(),
        }
    }

    /// Adds the parameter `name`.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> CkanError {
        self.params.push((name, value.to_string()));
        self
    }

    /// Returns what went wrong.
    pub fn key(&self) -> CkanKey {
        self.key
    }

    /// Returns the value of the parameter `name`, if the error has it.
    pub fn param(&self, name: &str) -> Option<&str> {
        find_param(&self.params, name)
    }

    /// Returns the sentence for this error in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        render(self.key, &self.params, lang)
    }
}

impl fmt::Display for CkanError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for CkanError {}

/// Something the widget should tell the reader although the request went
/// ahead, for example a filter that the server cannot apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CkanNote {
    key: CkanKey,
    params: Vec<(&'static str, String)>,
}

impl CkanNote {
    fn new(key: CkanKey) -> CkanNote {
        CkanNote {
            key,
            params: Vec::new(),
        }
    }

    fn with(mut self, name: &'static str, value: impl ToString) -> CkanNote {
        self.params.push((name, value.to_string()));
        self
    }

    /// Returns what the note is about.
    pub fn key(&self) -> CkanKey {
        self.key
    }

    /// Returns the value of the parameter `name`, if the note has it.
    pub fn param(&self, name: &str) -> Option<&str> {
        find_param(&self.params, name)
    }

    /// Returns the sentence for this note in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        render(self.key, &self.params, lang)
    }
}

fn find_param<'a>(params: &'a [(&'static str, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.as_str())
}

fn render(key: CkanKey, params: &[(&'static str, String)], lang: Lang) -> String {
    let texts: Vec<(&str, String)> = params
        .iter()
        .map(|(name, value)| (*name, text::param_text(name, value, lang)))
        .collect();
    let params: Vec<(&str, &str)> = texts
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    message(key.as_str(), &params, lang)
}

pub(crate) use text::template;

/// Returns `text` ready for display: control characters and bidirectional
/// overrides removed, runs of whitespace collapsed to one space, trimmed and
/// cut to [`MAX_TEXT_CHARS`]. Markup stays as it is; it is rendered as text.
pub fn clean_text(text: &str) -> String {
    let mut cleaned = String::with_capacity(text.len().min(MAX_TEXT_CHARS * 4));
    let mut count = 0;
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !cleaned.is_empty();
            continue;
        }
        if c.is_control() || is_bidi_control(c) {
            continue;
        }
        if pending_space {
            if count + 1 >= MAX_TEXT_CHARS {
                cleaned.push('…');
                return cleaned;
            }
            cleaned.push(' ');
            count += 1;
            pending_space = false;
        }
        if count + 1 >= MAX_TEXT_CHARS {
            cleaned.push('…');
            return cleaned;
        }
        cleaned.push(c);
        count += 1;
    }
    cleaned
}

/// The embedding and override characters of Unicode's bidirectional
/// algorithm. A title could use them to make its text read backwards.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_texts() {
        for key in CkanKey::ALL {
            assert!(
                template(key.as_str(), Lang::De).is_some(),
                "{key:?} has no German text"
            );
            assert!(
                template(key.as_str(), Lang::En).is_some(),
                "{key:?} has no English text"
            );
        }
    }

    #[test]
    fn every_key_is_unique() {
        let mut keys: Vec<&str> = CkanKey::ALL.iter().map(|key| key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), CkanKey::ALL.len());
    }

    #[test]
    fn error_message_fills_parameters() {
        let error = CkanError::new(CkanKey::BaseScheme)
            .with("value", "ftp://daten.example")
            .with("scheme", "ftp");
        let german = error.message(Lang::De);
        assert!(german.contains("„ftp://daten.example“"), "{german}");
        assert!(!german.contains('{'), "{german}");
        let english = error.to_string();
        assert!(english.contains("\"ftp://daten.example\""), "{english}");
    }

    #[test]
    fn clean_text_keeps_markup() {
        assert_eq!(
            clean_text("  <b>Bäume</b>\n\t& <script>x</script> "),
            "<b>Bäume</b> & <script>x</script>"
        );
    }

    #[test]
    fn clean_text_drops_controls() {
        assert_eq!(clean_text("a\u{0}b\u{1b}[31mc\u{202E}d"), "ab[31mcd");
    }

    #[test]
    fn clean_text_cuts_long_text() {
        let long = "x".repeat(10_000);
        let cleaned = clean_text(&long);
        assert_eq!(cleaned.chars().count(), MAX_TEXT_CHARS);
        assert!(cleaned.ends_with('…'));
    }
}
