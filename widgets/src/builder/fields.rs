//! The attributes that the embed-code builder offers per widget, and their
//! validation.
//!
//! Whether a value is valid is decided by the widget's own attribute
//! parser (`parse_config` in `search/config.rs`, `table/config.rs`,
//! `poll/config.rs` and `form/config.rs`), so the builder accepts exactly
//! what the widget accepts. The builder only adds that the attribute
//! naming the data is required: without it the widget shows an error.

use crate::form::config as form_config;
use crate::i18n::Lang;
use crate::poll::config as poll_config;
use crate::search::config as search_config;
use crate::table::config as table_config;

/// A widget that the builder can produce code for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WidgetKind {
    ServiceSearch,
    DataTable,
    Poll,
    Form,
}

impl WidgetKind {
    /// Every widget, in the order the builder lists them.
    pub const ALL: [WidgetKind; 4] =
        [WidgetKind::ServiceSearch, WidgetKind::DataTable, WidgetKind::Poll, WidgetKind::Form];

    /// Returns the tag name of the widget's custom element.
    pub fn tag(self) -> &'static str {
        match self {
            WidgetKind::ServiceSearch => search_config::TAG,
            WidgetKind::DataTable => table_config::TAG,
            WidgetKind::Poll => poll_config::TAG,
            WidgetKind::Form => form_config::TAG,
        }
    }

    /// Returns the widget's position in [`WidgetKind::ALL`].
    pub fn index(self) -> usize {
        match self {
            WidgetKind::ServiceSearch => 0,
            WidgetKind::DataTable => 1,
            WidgetKind::Poll => 2,
            WidgetKind::Form => 3,
        }
    }

    /// Returns the widget whose tag name is `tag`.
    pub fn from_tag(tag: &str) -> Option<WidgetKind> {
        WidgetKind::ALL.into_iter().find(|kind| kind.tag() == tag)
    }
}

/// Input control of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A line of text; the attribute is left out when the text is empty.
    Text,
    /// A whole number, entered as text so that a wrong value stays visible.
    Number,
    /// An HTML boolean attribute, entered with a checkbox (`"true"` when checked).
    Flag,
    /// The widget's language: `de` (no attribute) or `en` (`lang="en"`).
    Language,
}

/// One attribute that the editor can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Attribute name, e.g. `max-results`.
    pub attribute: &'static str,
    /// Input control of the field.
    pub kind: FieldKind,
    /// Value the field starts with.
    pub default: &'static str,
    /// True when the widget cannot work without the attribute.
    pub required: bool,
}

const fn text(attribute: &'static str, default: &'static str) -> Field {
    Field { attribute, kind: FieldKind::Text, default, required: false }
}

const fn required(attribute: &'static str, default: &'static str) -> Field {
    Field { attribute, kind: FieldKind::Text, default, required: true }
}

const fn number(attribute: &'static str) -> Field {
    Field { attribute, kind: FieldKind::Number, default: "", required: false }
}

const fn flag(attribute: &'static str) -> Field {
    Field { attribute, kind: FieldKind::Flag, default: "", required: false }
}

const LANGUAGE: Field = Field { attribute: "lang", kind: FieldKind::Language, default: "de", required: false };

/// The defaults point at the demo site's data, so the preview works on
/// the docs site as it is.
const SEARCH_FIELDS: &[Field] = &[
    required("src", "/daten/muenchen.json"),
    text("placeholder", ""),
    number("max-results"),
    text("category", ""),
    flag("online-only"),
    text("no-results-href", "/kontakt.html"),
    text("query-param", ""),
    LANGUAGE,
];

const TABLE_FIELDS: &[Field] = &[
    required("src", "/daten/koeln-haushalt-bezirke.csv"),
    text("caption", "Haushalt der Kölner Stadtbezirke 2011 bis 2017 (Euro)"),
    number("page-size"),
    text("format", ""),
    text("encoding", ""),
    text("delimiter", ""),
    text("header-row", ""),
    text("source", "Stadt Köln, Offene Daten Köln"),
    text("source-href", "https://www.offenedaten-koeln.de/"),
    text("license", "CC BY (Stadt Köln)"),
    text("license-href", ""),
    flag("chart"),
    text("fragment-key", ""),
    LANGUAGE,
];

const POLL_FIELDS: &[Field] = &[required("poll", "radweg-bahnhof-altstadt"), text("server", ""), LANGUAGE];

const FORM_FIELDS: &[Field] = &[
    text("schema", "/formulare/sperrmuell-anmelden.json"),
    text("form", ""),
    text("action", ""),
    flag("save-draft"),
    LANGUAGE,
];

/// Returns the fields of `kind`, in the order the form shows them.
pub fn fields(kind: WidgetKind) -> &'static [Field] {
    match kind {
        WidgetKind::ServiceSearch => SEARCH_FIELDS,
        WidgetKind::DataTable => TABLE_FIELDS,
        WidgetKind::Poll => POLL_FIELDS,
        WidgetKind::Form => FORM_FIELDS,
    }
}

/// Returns the values every field of `kind` starts with.
pub fn default_values(kind: WidgetKind) -> Vec<String> {
    fields(kind).iter().map(|field| field.default.to_owned()).collect()
}

/// An attribute of the produced element. `value` is `None` for a boolean
/// attribute, which is written without a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub name: &'static str,
    pub value: Option<String>,
}

/// Returns the attributes that the values of `kind` produce, in field
/// order. `values` contains one entry per field of [`fields`]; a missing entry
/// counts as empty. Empty text, unchecked flags and German (the widgets'
/// default language) produce no attribute.
pub fn attributes(kind: WidgetKind, values: &[String]) -> Vec<Attribute> {
    let mut output = Vec::new();
    for (position, field) in fields(kind).iter().enumerate() {
        let raw = values.get(position).map_or("", String::as_str);
        match field.kind {
            FieldKind::Text | FieldKind::Number => {
                let trimmed = raw.trim();
                if !trimmed.is_empty() {
                    output.push(Attribute { name: field.attribute, value: Some(trimmed.to_owned()) });
                }
            }
            FieldKind::Flag => {
                if raw == "true" {
                    output.push(Attribute { name: field.attribute, value: None });
                }
            }
            FieldKind::Language => {
                if raw == "en" {
                    output.push(Attribute { name: field.attribute, value: Some("en".to_owned()) });
                }
            }
        }
    }
    output
}

/// Kind of problem with a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The widget needs the attribute and it is empty.
    Missing,
    /// The widget rejects the value.
    Invalid,
    /// `og-form` only: no submission URL follows from `schema` and `form`.
    NoAction,
}

/// A field whose value the widget would not accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Attribute name of the field.
    pub attribute: &'static str,
    /// Kind of problem.
    pub problem: Problem,
}

/// Checks the values of `kind` with the widget's own attribute parser and
/// returns the fields it rejects, in field order.
pub fn validate(kind: WidgetKind, values: &[String]) -> Vec<FieldError> {
    let attributes = attributes(kind, values);
    let lookup = |name: &str| {
        attributes
            .iter()
            .find(|attribute| attribute.name == name)
            .map(|attribute| attribute.value.clone().unwrap_or_default())
    };
    // The builder's own language plays no part in whether a value is valid.
    let lang = Lang::De;
    let mut errors = match kind {
        WidgetKind::ServiceSearch => {
            let (_, warnings) = search_config::parse_config(lookup, lang);
            warnings.iter().map(|warning| warning_error(warning.attribute, &warning.value)).collect()
        }
        WidgetKind::DataTable => {
            let (_, warnings) = table_config::parse_config(lookup, lang);
            warnings.iter().map(|warning| warning_error(warning.attribute, &warning.value)).collect()
        }
        WidgetKind::Poll => match poll_config::parse_config(lookup, lang) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .iter()
                .map(|error| FieldError {
                    attribute: error.attribute,
                    problem: match error.problem {
                        poll_config::ConfigProblem::Missing => Problem::Missing,
                        _ => Problem::Invalid,
                    },
                })
                .collect(),
        },
        WidgetKind::Form => match form_config::parse_config(lookup, lang) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .iter()
                .map(|error| FieldError {
                    attribute: error.attribute,
                    problem: match error.problem {
                        form_config::ConfigProblem::MissingSchema => Problem::Missing,
                        form_config::ConfigProblem::MissingAction => Problem::NoAction,
                        _ => Problem::Invalid,
                    },
                })
                .collect(),
        },
    };
    let order = |error: &FieldError| fields(kind).iter().position(|field| field.attribute == error.attribute);
    errors.sort_by_key(order);
    errors.dedup();
    errors
}

/// Maps a warning of the search or table parser: an empty value can only
/// be the missing `src`, because other empty attributes are left out.
fn warning_error(attribute: &'static str, value: &str) -> FieldError {
    let problem = if value.is_empty() { Problem::Missing } else { Problem::Invalid };
    FieldError { attribute, problem }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(kind: WidgetKind, changes: &[(&str, &str)]) -> Vec<String> {
        let mut values = default_values(kind);
        for (name, value) in changes {
            let position = fields(kind).iter().position(|field| field.attribute == *name).expect("known field");
            values[position] = (*value).to_owned();
        }
        values
    }

    fn problems(kind: WidgetKind, changes: &[(&str, &str)]) -> Vec<(&'static str, Problem)> {
        validate(kind, &values(kind, changes)).iter().map(|error| (error.attribute, error.problem)).collect()
    }

    #[test]
    fn defaults_are_valid() {
        for kind in WidgetKind::ALL {
            assert_eq!(problems(kind, &[]), [], "{}", kind.tag());
        }
    }

    #[test]
    fn every_field_has_a_distinct_attribute() {
        for kind in WidgetKind::ALL {
            let names: Vec<&str> = fields(kind).iter().map(|field| field.attribute).collect();
            let mut unique = names.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(names.len(), unique.len(), "{}", kind.tag());
        }
    }

    #[test]
    fn tags_round_trip() {
        for kind in WidgetKind::ALL {
            assert_eq!(WidgetKind::from_tag(kind.tag()), Some(kind));
            assert_eq!(WidgetKind::ALL[kind.index()], kind);
        }
        assert_eq!(WidgetKind::from_tag("og-map"), None);
    }

    #[test]
    fn search_rejects_what_the_search_rejects() {
        assert_eq!(problems(WidgetKind::ServiceSearch, &[("src", "  ")]), [("src", Problem::Missing)]);
        assert_eq!(problems(WidgetKind::ServiceSearch, &[("max-results", "101")]), [("max-results", Problem::Invalid)]);
        assert_eq!(problems(WidgetKind::ServiceSearch, &[("max-results", "25")]), []);
        assert_eq!(
            problems(WidgetKind::ServiceSearch, &[("no-results-href", "javascript:alert(1)"), ("query-param", "a&b")]),
            [("no-results-href", Problem::Invalid), ("query-param", Problem::Invalid)]
        );
    }

    #[test]
    fn table_rejects_what_the_table_rejects() {
        let kind = WidgetKind::DataTable;
        assert_eq!(problems(kind, &[("src", "")]), [("src", Problem::Missing)]);
        assert_eq!(problems(kind, &[("page-size", "0")]), [("page-size", Problem::Invalid)]);
        assert_eq!(problems(kind, &[("format", "xml")]), [("format", Problem::Invalid)]);
        assert_eq!(problems(kind, &[("encoding", "latin-7")]), [("encoding", Problem::Invalid)]);
        assert_eq!(problems(kind, &[("delimiter", "ab")]), [("delimiter", Problem::Invalid)]);
        assert_eq!(problems(kind, &[("header-row", "erste")]), [("header-row", Problem::Invalid)]);
        assert_eq!(problems(kind, &[("license-href", "ftp://x")]), [("license-href", Problem::Invalid)]);
        assert_eq!(problems(kind, &[("fragment-key", "a b")]), [("fragment-key", Problem::Invalid)]);
        assert_eq!(problems(kind, &[("delimiter", "tab"), ("header-row", "2"), ("encoding", "windows-1252")]), []);
    }

    #[test]
    fn poll_rejects_what_the_poll_rejects() {
        let kind = WidgetKind::Poll;
        assert_eq!(problems(kind, &[("poll", "")]), [("poll", Problem::Missing)]);
        assert_eq!(problems(kind, &[("poll", "radweg 2026")]), [("poll", Problem::Invalid)]);
        assert_eq!(problems(kind, &[("server", "beteiligung.example.de")]), [("server", Problem::Invalid)]);
        assert_eq!(problems(kind, &[("server", "https://beteiligung.example.de/")]), []);
    }

    #[test]
    fn form_rejects_what_the_form_rejects() {
        let kind = WidgetKind::Form;
        assert_eq!(problems(kind, &[("schema", "")]), [("schema", Problem::Missing)]);
        assert_eq!(problems(kind, &[("schema", "javascript:alert(1)")]), [("schema", Problem::Invalid)]);
        assert_eq!(problems(kind, &[("form", "sperr müll")]), [("form", Problem::Invalid)]);
        assert_eq!(problems(kind, &[("schema", "/formulare/schema%20neu.json")]), [("action", Problem::NoAction)]);
        assert_eq!(problems(kind, &[("schema", ""), ("form", "anliegen-melden")]), []);
    }

    #[test]
    fn attributes_leave_out_empty_values() {
        let kind = WidgetKind::ServiceSearch;
        let produced =
            attributes(kind, &values(kind, &[("no-results-href", " "), ("online-only", "true"), ("lang", "en")]));
        let names: Vec<&str> = produced.iter().map(|attribute| attribute.name).collect();
        assert_eq!(names, ["src", "online-only", "lang"]);
        assert_eq!(produced[1].value, None);
        assert_eq!(produced[2].value.as_deref(), Some("en"));
    }

    #[test]
    fn short_value_lists_count_as_empty() {
        assert_eq!(attributes(WidgetKind::Poll, &[]), []);
        assert_eq!(validate(WidgetKind::Poll, &[]), [FieldError { attribute: "poll", problem: Problem::Missing }]);
    }
}
