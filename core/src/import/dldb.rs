//! Reader for DLDB JSON, the service export of the "Dienstleistungsdatenbank"
//! that Munich and Berlin publish.
//!
//! The export is one object whose `data` array contains the services (a bare
//! array of services is accepted too). Fields read from each service:
//!
//! | DLDB field | catalogue field |
//! | --- | --- |
//! | `id` (string or whole number) | `id` |
//! | `name` | `name` |
//! | `description` (HTML) | `description` |
//! | `meta.keywords` (comma-separated, or an array) | `keywords` |
//! | `leika` | `leika`, when it is a 14-digit key |
//! | `meta.url`, else `appointment.link`, with `{serviceId}` replaced | `url` |
//! | `authorities[0].name`, `.webinfo` | `office` |
//! | `fees` (HTML) | `fees` |
//! | `meta.lastupdate` | `updated` |
//! | `links` and `forms` (`name`, `link`) | `links`, without repeated URLs |
//!
//! Booking details (`locations`, `duration`, `maxQuantity`, `combinable`,
//! `public`, `showOnStartPage`) belong to the appointment system and are
//! not read. Munich's locations carry only ids and booking URLs.
//!
//! A record without a usable `id` or `name`, or with one of the wrong type,
//! is skipped; a field of the wrong type or with an invalid value is left
//! out with a warning, and the service is kept.

use serde_json::{Map, Value};

use super::html;
use super::{
    check_url, clean_text, decode_text, iso_date, leika_key, Collector, Import, ImportError, LeikaKey, Options,
    Position, Reason,
};
use crate::catalogue::{Link, Office, Service, Source};

/// Description of the accepted input, for error messages.
pub const EXPECTED: &str =
    "a DLDB export: a JSON object whose \"data\" array contains services with \"id\" and \"name\"";

/// Reads a DLDB export with default [`Options`].
pub fn read(bytes: &[u8]) -> Result<Import, ImportError> {
    read_with(bytes, &Options::default())
}

/// Reads a DLDB export.
///
/// Fails only when the input is not a DLDB export at all; problems with
/// single records are listed in the report.
pub fn read_with(bytes: &[u8], options: &Options) -> Result<Import, ImportError> {
    let text = decode_text(bytes, EXPECTED)?;
    let document: Value = serde_json::from_str(text).map_err(|error| ImportError::InvalidJson {
        expected: EXPECTED,
        line: error.line(),
        column: error.column(),
        message: json_error_message(&error),
    })?;
    let (records, prefix) = service_array(&document)?;
    check_looks_like_services(records, prefix)?;

    let base = options.base()?;
    let mut collector = Collector::new();
    collector.report.read = records.len();
    for (index, record) in records.iter().enumerate() {
        let path = format!("{prefix}[{index}]");
        if let Some(service) = read_service(record, &path, base.as_ref(), &mut collector) {
            collector.add(Position::Json(path), service);
        }
    }

    let (title, source) = if is_munich(records) {
        (Some("Leistungen der Landeshauptstadt München".to_owned()), Some(munich_source()))
    } else {
        (None, None)
    };
    Ok(collector.finish(title, source))
}

/// Returns the message of a serde_json error without its " at line 1 column 2" suffix.
fn json_error_message(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(end) => message[..end].to_owned(),
        None => message,
    }
}

/// Finds the array of services and the JSON path that leads to it.
fn service_array(document: &Value) -> Result<(&Vec<Value>, &'static str), ImportError> {
    match document {
        Value::Object(object) => match object.get("data") {
            Some(Value::Array(records)) => Ok((records, "data")),
            Some(other) => Err(ImportError::WrongShape {
                path: "data".to_owned(),
                expected: "an array of services",
                found: describe(other),
            }),
            None => {
                Err(ImportError::WrongShape { path: "$".to_owned(), expected: EXPECTED, found: describe(document) })
            }
        },
        Value::Array(records) => Ok((records, "")),
        other => Err(ImportError::WrongShape { path: "$".to_owned(), expected: EXPECTED, found: describe(other) }),
    }
}

/// Rejects an array in which no record has an `id` or a `name`: that is
/// another kind of JSON, and one clear error beats a skip for every record.
fn check_looks_like_services(records: &[Value], prefix: &str) -> Result<(), ImportError> {
    let looks_like_service = |record: &Value| {
        record.as_object().is_some_and(|object| object.contains_key("id") || object.contains_key("name"))
    };
    match records.first() {
        Some(first) if !records.iter().any(looks_like_service) => Err(ImportError::WrongShape {
            path: format!("{prefix}[0]"),
            expected: "a service object with \"id\" and \"name\"",
            found: describe(first),
        }),
        _ => Ok(()),
    }
}

/// Describes a JSON value for an error message, e.g. `an object with keys "a", "b"`.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(_) => "a boolean".to_owned(),
        Value::Number(number) => format!("the number {number}"),
        Value::String(text) => {
            let start: String = text.chars().take(40).collect();
            if start.len() < text.len() {
                format!("the string {start:?}…")
            } else {
                format!("the string {start:?}")
            }
        }
        Value::Array(items) => format!("an array of {} items", items.len()),
        Value::Object(object) if object.is_empty() => "an empty object".to_owned(),
        Value::Object(object) => {
            let keys: Vec<String> = object.keys().take(5).map(|key| format!("{key:?}")).collect();
            let more = if object.len() > 5 { ", …" } else { "" };
            format!("an object with keys {}{more}", keys.join(", "))
        }
    }
}

/// Reads one record, or reports why it is skipped and returns `None`.
fn read_service(record: &Value, path: &str, base: Option<&url::Url>, collector: &mut Collector) -> Option<Service> {
    let Some(object) = record.as_object() else {
        let detail = format!("expected a service object, found {}; record skipped", describe(record));
        collector.skip(Position::Json(path.to_owned()), Reason::WrongType, detail);
        return None;
    };
    let id = read_id(object, path, collector)?;
    let name = read_name(object, path, collector)?;
    let meta_path = format!("{path}.meta");
    let appointment_path = format!("{path}.appointment");
    let mut fields = Fields { object, path, collector };

    let (keywords, updated, meta_url) = match fields.object_field("meta") {
        Some(meta) => {
            let mut meta = Fields { object: meta, path: &meta_path, collector: &mut *fields.collector };
            (meta.keywords(), meta.updated(), meta.url("url", &id))
        }
        None => (Vec::new(), None, None),
    };
    // Munich's `meta.url` and `appointment.link` are the same page; the
    // second is only a fallback.
    let url = match meta_url {
        Some(url) => Some(url),
        None => match fields.object_field("appointment") {
            Some(appointment) => {
                Fields { object: appointment, path: &appointment_path, collector: &mut *fields.collector }
                    .url("link", &id)
            }
            None => None,
        },
    };

    Some(Service {
        description: fields.rich_text("description", base),
        keywords,
        leika: fields.leika(),
        url,
        office: fields.office(),
        fees: fields.rich_text("fees", base),
        updated,
        links: fields.links(),
        id,
        name,
        ..Service::default()
    })
}

fn read_id(object: &Map<String, Value>, path: &str, collector: &mut Collector) -> Option<String> {
    let position = Position::Json(format!("{path}.id"));
    match object.get("id") {
        Some(Value::String(text)) if !clean_text(text).is_empty() => Some(clean_text(text)),
        Some(Value::Number(number)) if number.is_u64() || number.is_i64() => Some(number.to_string()),
        None | Some(Value::Null) | Some(Value::String(_)) => {
            collector.skip(position, Reason::MissingId, "missing or empty id; record skipped");
            None
        }
        Some(other) => {
            let detail = format!("expected a string or a whole number, found {}; record skipped", describe(other));
            collector.skip(position, Reason::WrongType, detail);
            None
        }
    }
}

fn read_name(object: &Map<String, Value>, path: &str, collector: &mut Collector) -> Option<String> {
    let position = Position::Json(format!("{path}.name"));
    match object.get("name") {
        Some(Value::String(text)) if !clean_text(text).is_empty() => Some(clean_text(text)),
        None | Some(Value::Null) | Some(Value::String(_)) => {
            collector.skip(position, Reason::MissingName, "missing or empty name; record skipped");
            None
        }
        Some(other) => {
            let detail = format!("expected a string, found {}; record skipped", describe(other));
            collector.skip(position, Reason::WrongType, detail);
            None
        }
    }
}

/// Optional fields of one JSON object; problems become warnings.
struct Fields<'v, 'p, 'c> {
    object: &'v Map<String, Value>,
    path: &'p str,
    collector: &'c mut Collector,
}

impl<'v> Fields<'v, '_, '_> {
    fn position(&self, key: &str) -> Position {
        Position::Json(format!("{}.{key}", self.path))
    }

    fn wrong_type(&mut self, key: &str, expected: &str, found: &Value) {
        let detail = format!("expected {expected}, found {}; field left out", describe(found));
        self.collector.warn(self.position(key), Reason::WrongType, detail);
    }

    /// Returns a string field; null and a missing field are `None` without a warning.
    fn string(&mut self, key: &str) -> Option<&'v str> {
        match self.object.get(key)? {
            Value::String(text) => Some(text),
            Value::Null => None,
            other => {
                self.wrong_type(key, "a string", other);
                None
            }
        }
    }

    fn object_field(&mut self, key: &str) -> Option<&'v Map<String, Value>> {
        match self.object.get(key)? {
            Value::Object(object) => Some(object),
            Value::Null => None,
            other => {
                self.wrong_type(key, "an object", other);
                None
            }
        }
    }

    fn array_field(&mut self, key: &str) -> &'v [Value] {
        match self.object.get(key) {
            Some(Value::Array(items)) => items,
            None | Some(Value::Null) => &[],
            Some(other) => {
                self.wrong_type(key, "an array", other);
                &[]
            }
        }
    }

    fn rich_text(&mut self, key: &str, base: Option<&url::Url>) -> Vec<crate::richtext::Block> {
        let Some(source) = self.string(key) else { return Vec::new() };
        let reduced = html::reduce(source, base);
        for dropped in reduced.dropped_links {
            let detail = format!("link {:?}: {}; text kept", dropped.href, dropped.problem);
            self.collector.warn(self.position(key), Reason::LinkDropped, detail);
        }
        reduced.blocks
    }

    /// Reads `keywords` as a comma-separated string or an array of strings,
    /// and removes empty and repeated ones (ignoring case).
    fn keywords(&mut self) -> Vec<String> {
        let raw: Vec<&str> = match self.object.get("keywords") {
            Some(Value::String(text)) => text.split(',').collect(),
            Some(Value::Array(items)) => {
                let mut words = Vec::new();
                for (index, item) in items.iter().enumerate() {
                    match item {
                        Value::String(text) => words.push(text.as_str()),
                        other => self.wrong_type(&format!("keywords[{index}]"), "a string", other),
                    }
                }
                words
            }
            None | Some(Value::Null) => Vec::new(),
            Some(other) => {
                self.wrong_type("keywords", "a string or an array of strings", other);
                Vec::new()
            }
        };
        let mut keywords: Vec<String> = Vec::new();
        for word in raw {
            let word = clean_text(word);
            let seen = keywords.iter().any(|known| known.to_lowercase() == word.to_lowercase());
            if !word.is_empty() && !seen {
                keywords.push(word);
            }
        }
        keywords
    }

    fn updated(&mut self) -> Option<String> {
        let raw = self.string("lastupdate")?;
        let date = iso_date(raw);
        if date.is_none() && !raw.trim().is_empty() {
            let detail = format!("{raw:?} is not an ISO 8601 date; field left out");
            self.collector.warn(self.position("lastupdate"), Reason::InvalidDate, detail);
        }
        date
    }

    /// Reads a URL field in which `{serviceId}` stands for the service id.
    fn url(&mut self, key: &str, id: &str) -> Option<String> {
        let raw = self.string(key)?;
        if raw.trim().is_empty() {
            return None;
        }
        match check_url(&raw.replace("{serviceId}", id)) {
            Ok(url) => Some(url),
            Err(problem) => {
                self.collector.warn(self.position(key), Reason::InvalidUrl, format!("{problem}; field left out"));
                None
            }
        }
    }

    fn leika(&mut self) -> Option<String> {
        let raw = match self.object.get("leika")? {
            Value::String(text) => text.clone(),
            Value::Number(number) => number.to_string(),
            Value::Null => return None,
            other => {
                self.wrong_type("leika", "a string", other);
                return None;
            }
        };
        match leika_key(&raw) {
            LeikaKey::Empty => None,
            LeikaKey::Valid(key) => Some(key),
            LeikaKey::Several(first) => {
                let detail = format!("{raw:?} contains several LeiKa keys; kept the first, {first}");
                self.collector.warn(self.position("leika"), Reason::SeveralLeikaKeys, detail);
                Some(first)
            }
            LeikaKey::Invalid => {
                let detail = format!("{raw:?} is not a 14-digit LeiKa key; field left out");
                self.collector.warn(self.position("leika"), Reason::InvalidLeikaKey, detail);
                None
            }
        }
    }

    /// Reads the first authority as the responsible office.
    fn office(&mut self) -> Option<Office> {
        let authorities = self.array_field("authorities");
        let first = authorities.first()?;
        let path = format!("{}.authorities[0]", self.path);
        let Some(object) = first.as_object() else {
            self.wrong_type("authorities[0]", "an object", first);
            return None;
        };
        let mut fields = Fields { object, path: &path, collector: &mut *self.collector };
        let name = clean_text(fields.string("name")?);
        if name.is_empty() {
            return None;
        }
        let url = fields.string("webinfo").and_then(|raw| {
            if raw.trim().is_empty() {
                return None;
            }
            match check_url(raw) {
                Ok(url) => Some(url),
                Err(problem) => {
                    fields.collector.warn(
                        fields.position("webinfo"),
                        Reason::InvalidUrl,
                        format!("{problem}; field left out"),
                    );
                    None
                }
            }
        });
        Some(Office { name, url, ..Office::default() })
    }

    /// Reads `links` and `forms` into one list without repeated URLs.
    fn links(&mut self) -> Vec<Link> {
        let mut links: Vec<Link> = Vec::new();
        for key in ["links", "forms"] {
            for (index, item) in self.array_field(key).iter().enumerate() {
                let item_key = format!("{key}[{index}]");
                let Some(object) = item.as_object() else {
                    self.wrong_type(&item_key, "an object with \"name\" and \"link\"", item);
                    continue;
                };
                let path = format!("{}.{item_key}", self.path);
                let mut fields = Fields { object, path: &path, collector: &mut *self.collector };
                let title = fields.string("name").map(clean_text).unwrap_or_default();
                let raw_url = fields.string("link").or_else(|| fields.string("url")).unwrap_or_default();
                if raw_url.trim().is_empty() {
                    continue;
                }
                let url = match check_url(raw_url) {
                    Ok(url) => url,
                    Err(problem) => {
                        fields.collector.warn(
                            fields.position("link"),
                            Reason::InvalidUrl,
                            format!("{problem}; link left out"),
                        );
                        continue;
                    }
                };
                if links.iter().any(|link| link.url == url) {
                    continue;
                }
                let title = if title.is_empty() { url.clone() } else { title };
                links.push(Link { title, url });
            }
        }
        links
    }
}

/// Recognises Munich's export by the host of its service URLs.
fn is_munich(records: &[Value]) -> bool {
    records.iter().any(|record| {
        record
            .pointer("/meta/url")
            .and_then(Value::as_str)
            .is_some_and(|url| url.starts_with("https://stadt.muenchen.de/"))
    })
}

fn munich_source() -> Source {
    Source {
        name: Some("Landeshauptstadt München".to_owned()),
        url: Some("https://github.com/it-at-m/eappointment".to_owned()),
        licence: Some("EUPL-1.2".to_owned()),
        licence_url: Some("https://joinup.ec.europa.eu/collection/eupl/eupl-text-eupl-12".to_owned()),
    }
}
