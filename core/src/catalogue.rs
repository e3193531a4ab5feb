//! The ogkit service catalogue: the JSON file that `<og-service-search>`
//! reads, written by `ogkit import services` or by hand.
//!
//! A catalogue is one JSON object:
//!
//! ```json
//! {
//!   "format": "ogkit-catalogue",
//!   "version": 1,
//!   "title": "Leistungen der Landeshauptstadt München",
//!   "source": { "name": "…", "url": "https://…", "licence": "EUPL-1.2" },
//!   "services": [ { "id": "1063423", "name": "Gewerbe-Anmeldung", … } ]
//! }
//! ```
//!
//! `format` and `version` are required so that a reader can reject a file it
//! does not understand instead of showing wrong data. A later version that
//! only adds optional fields keeps version 1; readers ignore unknown fields.
//! Every text field is untrusted: renderers show it as text, and rich text
//! comes as [`Block`]s, never as HTML.

use serde::{Deserialize, Serialize};

use crate::richtext::Block;

/// Value of the `format` field of every ogkit catalogue.
pub const FORMAT: &str = "ogkit-catalogue";

/// The catalogue version that this crate writes and reads.
pub const VERSION: u32 = 1;

/// A catalogue of administrative services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalogue {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`] for this crate.
    pub version: u32,
    /// Display title, e.g. the publishing authority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Origin and licence of the data, shown as attribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The services, in the order the source listed them.
    pub services: Vec<Service>,
    /// Extra synonym groups for search: each inner list contains terms that a
    /// citizen uses for the same thing, e.g. `["Knöllchen", "Verwarnungsgeld"]`.
    /// Search applies them on top of its built-in German list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<Vec<String>>,
}

/// Origin and licence of a catalogue's data.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Source {
    /// Publisher of the data, e.g. "Landeshauptstadt München".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Page the data comes from (http or https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Licence name or SPDX id, e.g. "EUPL-1.2" or "dl-de/by-2-0".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// Link to the licence text (http or https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence_url: Option<String>,
}

/// One administrative service ("Leistung").
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Service {
    /// Identifier, unique within the catalogue (the source's id where it has one).
    pub id: String,
    /// Name as citizens see it, e.g. "Personalausweis beantragen".
    pub name: String,
    /// One-sentence summary, plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Full description as safe rich text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub description: Vec<Block>,
    /// Search keywords and synonyms that the publisher assigned.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// LeiKa key (Leistungsschlüssel, 14 digits) where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leika: Option<String>,
    /// Lebenslagen (life situations) the service belongs to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lebenslagen: Vec<String>,
    /// Themenfelder (subject areas) the service belongs to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themenfelder: Vec<String>,
    /// Page with details about the service (http or https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Page where the service can be applied for online (http or https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_url: Option<String>,
    /// Responsible office and how to contact it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<Office>,
    /// Fees as safe rich text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fees: Vec<Block>,
    /// Date of the last change in the source, ISO 8601 (`2026-06-08` or with time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// Forms, documents and further pages about the service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

/// A link from a service to a form, a document or another page.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Link {
    /// Link text, e.g. "Vollmacht".
    pub title: String,
    /// Target (http or https).
    pub url: String,
}

/// The office responsible for a service.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Office {
    /// Name of the office, e.g. "Kreisverwaltungsreferat".
    pub name: String,
    /// Web page of the office (http or https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Telephone number as written by the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}
