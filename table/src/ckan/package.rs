//! Datasets and resources, and which resource the table shows.
//!
//! A CKAN dataset (`package_show`) lists its resources: files such as CSV,
//! JSON, PDF or XLSX, and tables loaded into the DataStore. The table can
//! read three kinds, in this order of preference:
//!
//! 1. a resource with `datastore_active: true`, read page by page with
//!    `datastore_search`, so the server does the paging, sorting and
//!    filtering and the size of the resource does not matter;
//! 2. a CSV file, downloaded whole and read by [`read_csv`](super::super::read_csv);
//! 3. a JSON file, downloaded whole and read by [`read_json`](super::super::read_json).
//!
//! The format comes from the resource's `format` (any case, `CSV`, `.csv`,
//! `text/csv`), its `mimetype`, or the extension of its URL. Resources
//! keep their order from the dataset, and the first one of the best kind
//! wins. Fields of the wrong type are treated as missing, so a response with
//! `"format": 5` or `"resources": {}` gives an explanation instead of a panic.

use super::super::json::JsonValue;
use super::url::is_web_url;
use super::{clean_text, CkanError, CkanKey};

/// How the table reads a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadMode {
    /// Page by page from CKAN's DataStore with `datastore_search`.
    Datastore,
    /// The whole file, as CSV.
    Csv,
    /// The whole file, as JSON.
    Json,
}

/// One resource of a dataset, as `resource_show` or `package_show` returns
/// it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resource {
    /// CKAN's id of the resource (a UUID on most sites).
    pub id: String,
    /// Display name, cleaned; may be empty.
    pub name: String,
    /// The `format` as published, cleaned (`CSV`, `csv`, `text/csv` …).
    pub format: String,
    /// The `mimetype`, when published.
    pub mimetype: String,
    /// The download URL, only when it is an absolute http(s) URL.
    pub url: Option<String>,
    /// The published URL when it is not one the table may fetch, for the
    /// error message.
    pub rejected_url: Option<String>,
    /// True when the resource is in the DataStore.
    pub datastore_active: bool,
    /// Id of the dataset the resource belongs to.
    pub package_id: Option<String>,
    /// When the data last changed (`last_modified`), as published.
    pub last_modified: Option<String>,
    /// When the resource's metadata last changed, as published.
    pub metadata_modified: Option<String>,
}

impl Resource {
    /// Reads a resource object. Returns `None` when `value` is no object or
    /// has no string `id`.
    pub fn from_json(value: &JsonValue) -> Option<Resource> {
        if !matches!(value, JsonValue::Object(_)) {
            return None;
        }
        let id = string_field(value, "id")?;
        let raw_url = raw_string(value, "url").map(str::trim).unwrap_or("");
        let (url, rejected_url) = if is_web_url(raw_url) {
            (Some(raw_url.to_owned()), None)
        } else if raw_url.is_empty() {
            (None, None)
        } else {
            (None, Some(clean_text(raw_url)))
        };
        Some(Resource {
            id,
            name: string_field(value, "name").unwrap_or_default(),
            format: string_field(value, "format").unwrap_or_default(),
            mimetype: string_field(value, "mimetype").unwrap_or_default(),
            url,
            rejected_url,
            datastore_active: is_true(value.get("datastore_active")),
            package_id: string_field(value, "package_id"),
            last_modified: string_field(value, "last_modified"),
            metadata_modified: string_field(value, "metadata_modified"),
        })
    }

    /// Reads the `result` of `resource_show`.
    ///
    /// # Errors
    ///
    /// [`CkanKey::ResultInvalid`] when the result is no object with an `id`.
    pub fn from_result(result: &JsonValue) -> Result<Resource, CkanError> {
        Resource::from_json(result).ok_or_else(|| {
            CkanError::new(CkanKey::ResultInvalid)
                .with("field", "id")
                .with("expected", "text")
        })
    }

    /// Returns how the table can read this resource, or `None` when it is
    /// neither in the DataStore nor a CSV or JSON file with an http(s) URL.
    pub fn read_mode(&self) -> Option<ReadMode> {
        if self.datastore_active {
            return Some(ReadMode::Datastore);
        }
        self.url.as_ref()?;
        self.file_format()
    }

    /// Returns the file format that the resource declares, whether or not
    /// its URL is usable.
    fn file_format(&self) -> Option<ReadMode> {
        format_of(&self.format)
            .or_else(|| format_of(&self.mimetype))
            .or_else(|| {
                let url = self.url.as_deref().or(self.rejected_url.as_deref())?;
                extension_format(url)
            })
    }

    /// Returns the name to show in messages: the name, else the id.
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }

    /// Checks that the table can read this resource on its own, as with the
    /// `resource-id` attribute.
    ///
    /// # Errors
    ///
    /// [`CkanKey::ResourceUrl`] for a CSV or JSON file without an http(s)
    /// URL, [`CkanKey::ResourceFormat`] for any other format.
    pub fn check_readable(&self) -> Result<ReadMode, CkanError> {
        if let Some(mode) = self.read_mode() {
            return Ok(mode);
        }
        if self.file_format().is_some() {
            return Err(CkanError::new(CkanKey::ResourceUrl)
                .with("resource", self.label())
                .with("url", self.rejected_url.as_deref().unwrap_or("-")));
        }
        let format = if self.format.is_empty() {
            "-"
        } else {
            &self.format
        };
        Err(CkanError::new(CkanKey::ResourceFormat)
            .with("resource", self.label())
            .with("format", format))
    }
}

/// A dataset as `package_show` returns it: its resources and the raw result
/// for [`DatasetInfo`](super::DatasetInfo).
#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    /// CKAN's id of the dataset.
    pub id: String,
    /// The dataset's URL name (`baumkataster-2024`), may be empty.
    pub name: String,
    /// The title, cleaned; may be empty.
    pub title: String,
    /// The resources in published order. Entries that are not objects
    /// with an `id` are left out.
    pub resources: Vec<Resource>,
    pub(super) raw: JsonValue,
}

impl Package {
    /// Reads the `result` of `package_show`.
    ///
    /// # Errors
    ///
    /// [`CkanKey::ResultInvalid`] when the result is no object with an `id`.
    pub fn from_result(result: &JsonValue) -> Result<Package, CkanError> {
        let invalid = || {
            CkanError::new(CkanKey::ResultInvalid)
                .with("field", "id")
                .with("expected", "text")
        };
        if !matches!(result, JsonValue::Object(_)) {
            return Err(invalid());
        }
        let id = string_field(result, "id").ok_or_else(invalid)?;
        let resources = match result.get("resources") {
            Some(JsonValue::Array(items)) => items.iter().filter_map(Resource::from_json).collect(),
            _ => Vec::new(),
        };
        Ok(Package {
            id,
            name: string_field(result, "name").unwrap_or_default(),
            title: string_field(result, "title").unwrap_or_default(),
            resources,
            raw: result.clone(),
        })
    }

    /// Returns the name to show in messages: the title, else the name,
    /// else the id.
    pub fn label(&self) -> &str {
        [&self.title, &self.name, &self.id]
            .into_iter()
            .find(|text| !text.is_empty())
            .map_or("", String::as_str)
    }
}

/// The resource that the table shows, and how it reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick<'a> {
    /// The chosen resource.
    pub resource: &'a Resource,
    /// How to read it.
    pub mode: ReadMode,
}

/// Picks the resource of `package` that the table shows: the first
/// DataStore resource, else the first CSV file, else the first JSON file.
///
/// # Errors
///
/// [`CkanKey::ResourceUrl`] when the only CSV or JSON files have no http(s)
/// URL, and [`CkanKey::NoTableResource`] when nothing fits. Its `found`
/// parameter lists the formats that the dataset does have (`PDF ×2, XLSX`,
/// `?` for a resource without format, `-` for none at all), so the editor
/// sees why.
pub fn pick_resource(package: &Package) -> Result<Pick<'_>, CkanError> {
    for wanted in [ReadMode::Datastore, ReadMode::Csv, ReadMode::Json] {
        let found = package
            .resources
            .iter()
            .find(|resource| resource.read_mode() == Some(wanted));
        if let Some(resource) = found {
            return Ok(Pick {
                resource,
                mode: wanted,
            });
        }
    }
    if let Some(resource) = package
        .resources
        .iter()
        .find(|resource| resource.file_format().is_some())
    {
        return Err(resource
            .check_readable()
            .err()
            .unwrap_or_else(|| CkanError::new(CkanKey::ResourceUrl)));
    }
    Err(CkanError::new(CkanKey::NoTableResource)
        .with("dataset", package.label())
        .with("found", found_formats(&package.resources)))
}

/// Lists the formats of `resources` in order of first appearance, with a
/// count where a format repeats: `PDF ×2, XLSX, ?`.
fn found_formats(resources: &[Resource]) -> String {
    if resources.is_empty() {
        return "-".to_owned();
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    for resource in resources {
        let label = if resource.format.is_empty() {
            "?".to_owned()
        } else {
            resource.format.to_uppercase()
        };
        match counts.iter_mut().find(|(known, _)| *known == label) {
            Some((_, count)) => *count += 1,
            None => counts.push((label, 1)),
        }
    }
    counts
        .iter()
        .map(|(label, count)| {
            if *count > 1 {
                format!("{label} ×{count}")
            } else {
                label.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads a declared format or MIME type.
fn format_of(declared: &str) -> Option<ReadMode> {
    let format = declared.trim().trim_start_matches('.').to_ascii_lowercase();
    let format = format.split(';').next().unwrap_or("").trim();
    match format {
        "csv" | "text/csv" | "application/csv" | "text/comma-separated-values" => {
            Some(ReadMode::Csv)
        }
        "json" | "application/json" | "text/json" => Some(ReadMode::Json),
        _ => None,
    }
}

/// Reads the extension of the last path segment of `url`, ignoring query
/// and fragment.
fn extension_format(url: &str) -> Option<ReadMode> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let segment = path.rsplit('/').next().unwrap_or("");
    let (_, extension) = segment.rsplit_once('.')?;
    format_of(extension)
}

/// Returns a cleaned, non-empty string member.
pub(super) fn string_field(value: &JsonValue, key: &str) -> Option<String> {
    let text = clean_text(raw_string(value, key)?);
    (!text.is_empty()).then_some(text)
}

/// Returns a string member as published.
pub(super) fn raw_string<'a>(value: &'a JsonValue, key: &str) -> Option<&'a str> {
    match value.get(key)? {
        JsonValue::String(text) => Some(text),
        _ => None,
    }
}

/// CKAN writes flags as JSON booleans; some harvesters write `"true"`.
fn is_true(value: Option<&JsonValue>) -> bool {
    match value {
        Some(JsonValue::Bool(flag)) => *flag,
        Some(JsonValue::String(text)) => text.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_json;

    fn resource(json: &str) -> Resource {
        Resource::from_json(&parse_json(json).unwrap()).unwrap()
    }

    #[test]
    fn format_is_read_in_any_spelling() {
        for format in [
            "CSV",
            "csv",
            " .csv ",
            "text/csv",
            "text/csv; charset=utf-8",
        ] {
            let json = format!(r#"{{"id": "r", "format": "{format}", "url": "https://x.de/a"}}"#);
            assert_eq!(resource(&json).read_mode(), Some(ReadMode::Csv), "{format}");
        }
        for format in ["JSON", "Json", "application/json"] {
            let json = format!(r#"{{"id": "r", "format": "{format}", "url": "https://x.de/a"}}"#);
            assert_eq!(
                resource(&json).read_mode(),
                Some(ReadMode::Json),
                "{format}"
            );
        }
    }

    #[test]
    fn extension_decides_without_format() {
        let csv =
            resource(r#"{"id": "r", "format": "", "url": "https://x.de/daten.CSV?version=2#top"}"#);
        assert_eq!(csv.read_mode(), Some(ReadMode::Csv));
        let json = resource(r#"{"id": "r", "url": "https://x.de/api/records.json"}"#);
        assert_eq!(json.read_mode(), Some(ReadMode::Json));
        let none = resource(r#"{"id": "r", "url": "https://x.de/csv/download"}"#);
        assert_eq!(none.read_mode(), None);
    }

    #[test]
    fn geojson_and_xlsx_are_not_tables() {
        for format in ["GeoJSON", "XLSX", "PDF", "WMS"] {
            let json = format!(r#"{{"id": "r", "format": "{format}", "url": "https://x.de/a"}}"#);
            assert_eq!(resource(&json).read_mode(), None, "{format}");
        }
    }

    #[test]
    fn datastore_flag_wins_over_format() {
        let resource = resource(r#"{"id": "r", "format": "XLSX", "datastore_active": true}"#);
        assert_eq!(resource.read_mode(), Some(ReadMode::Datastore));
    }

    #[test]
    fn datastore_flag_as_string_counts() {
        let resource = resource(r#"{"id": "r", "datastore_active": "True"}"#);
        assert!(resource.datastore_active);
    }

    #[test]
    fn unsafe_url_is_rejected() {
        let resource =
            resource(r#"{"id": "r", "format": "CSV", "url": "javascript:alert(1)//.csv"}"#);
        assert_eq!(resource.url, None);
        assert_eq!(resource.read_mode(), None);
        let error = resource.check_readable().unwrap_err();
        assert_eq!(error.key(), CkanKey::ResourceUrl);
        assert_eq!(error.param("url"), Some("javascript:alert(1)//.csv"));
    }

    #[test]
    fn unreadable_format_is_named() {
        let resource = resource(
            r#"{"id": "r1", "name": "Plan", "format": "PDF", "url": "https://x.de/a.pdf"}"#,
        );
        let error = resource.check_readable().unwrap_err();
        assert_eq!(error.key(), CkanKey::ResourceFormat);
        assert_eq!(error.param("resource"), Some("Plan"));
        assert_eq!(error.param("format"), Some("PDF"));
    }

    #[test]
    fn wrong_types_count_as_missing() {
        let resource = resource(
            r#"{"id": "r", "name": 7, "format": ["CSV"], "url": {"href": "https://x.de/a.csv"}, "datastore_active": 1}"#,
        );
        assert_eq!(resource.name, "");
        assert_eq!(resource.format, "");
        assert_eq!(resource.url, None);
        assert!(!resource.datastore_active);
    }

    #[test]
    fn resource_without_id_is_skipped() {
        assert_eq!(
            Resource::from_json(&parse_json(r#"{"id": 5}"#).unwrap()),
            None
        );
        assert_eq!(Resource::from_json(&parse_json(r#""id""#).unwrap()), None);
    }

    #[test]
    fn found_formats_are_counted() {
        let resources = vec![
            resource(r#"{"id": "1", "format": "pdf", "url": "https://x.de/1"}"#),
            resource(r#"{"id": "2", "format": "XLSX", "url": "https://x.de/2"}"#),
            resource(r#"{"id": "3", "format": "PDF", "url": "https://x.de/3"}"#),
            resource(r#"{"id": "4", "format": "", "url": "https://x.de/4"}"#),
        ];
        assert_eq!(found_formats(&resources), "PDF ×2, XLSX, ?");
        assert_eq!(found_formats(&[]), "-");
    }
}
