//! Reading a catalogue from the value that `Response.json()` returned.
//!
//! The browser has already parsed the JSON; this module walks the
//! JavaScript objects with `js_sys::Reflect` and builds the core types by
//! hand. It replaces serde: the derived deserialisers (with the buffering
//! that internally tagged enums need) and serde-wasm-bindgen made up about a
//! fifth of the WebAssembly module. The rules match the serde attributes of
//! `ogkit_core::catalogue` and `ogkit_core::richtext`: required fields must
//! be present with the right type, optional ones may be missing or `null`,
//! unknown fields are ignored.

use js_sys::{Array, Reflect};
use ogkit_core::catalogue::{Catalogue, Link, Office, Service, Source};
use ogkit_core::richtext::{Block, Inline};
use wasm_bindgen::JsValue;

use crate::i18n::{InvalidValue, Problem};

/// Where a value sits in the catalogue, e.g. `services[3].office.name`.
type Path<'a> = &'a dyn Fn() -> String;

/// Builds a [`Catalogue`] from parsed JSON whose `format` and `version`
/// were already checked.
///
/// # Errors
///
/// Returns the path of the first value with a wrong type or a missing
/// required field, and what is wrong there.
pub fn catalogue(value: &JsValue) -> Result<Catalogue, InvalidValue> {
    let root = || String::new();
    let services = required(value, "services", &root, |value, path| array(value, path, service))?;
    Ok(Catalogue {
        format: required(value, "format", &root, string)?,
        version: ogkit_core::catalogue::VERSION,
        title: optional(value, "title", &root, string)?,
        source: optional(value, "source", &root, source)?,
        synonyms: optional(value, "synonyms", &root, |value, path| array(value, path, strings))?.unwrap_or_default(),
        services,
    })
}

fn source(value: &JsValue, path: Path<'_>) -> Result<Source, InvalidValue> {
    object(value, path)?;
    Ok(Source {
        name: optional(value, "name", path, string)?,
        url: optional(value, "url", path, string)?,
        licence: optional(value, "licence", path, string)?,
        licence_url: optional(value, "licence_url", path, string)?,
    })
}

fn service(value: &JsValue, path: Path<'_>) -> Result<Service, InvalidValue> {
    object(value, path)?;
    Ok(Service {
        id: required(value, "id", path, string)?,
        name: required(value, "name", path, string)?,
        summary: optional(value, "summary", path, string)?,
        description: optional(value, "description", path, blocks)?.unwrap_or_default(),
        keywords: optional(value, "keywords", path, strings)?.unwrap_or_default(),
        leika: optional(value, "leika", path, string)?,
        lebenslagen: optional(value, "lebenslagen", path, strings)?.unwrap_or_default(),
        themenfelder: optional(value, "themenfelder", path, strings)?.unwrap_or_default(),
        url: optional(value, "url", path, string)?,
        online_url: optional(value, "online_url", path, string)?,
        office: optional(value, "office", path, office)?,
        fees: optional(value, "fees", path, blocks)?.unwrap_or_default(),
        updated: optional(value, "updated", path, string)?,
        links: optional(value, "links", path, |value, path| array(value, path, link))?.unwrap_or_default(),
    })
}

fn link(value: &JsValue, path: Path<'_>) -> Result<Link, InvalidValue> {
    object(value, path)?;
    Ok(Link { title: required(value, "title", path, string)?, url: required(value, "url", path, string)? })
}

fn office(value: &JsValue, path: Path<'_>) -> Result<Office, InvalidValue> {
    object(value, path)?;
    Ok(Office {
        name: required(value, "name", path, string)?,
        url: optional(value, "url", path, string)?,
        phone: optional(value, "phone", path, string)?,
        email: optional(value, "email", path, string)?,
    })
}

fn blocks(value: &JsValue, path: Path<'_>) -> Result<Vec<Block>, InvalidValue> {
    array(value, path, block)
}

fn block(value: &JsValue, path: Path<'_>) -> Result<Block, InvalidValue> {
    object(value, path)?;
    let kind = required(value, "type", path, string)?;
    match kind.as_str() {
        "paragraph" => Ok(Block::Paragraph { content: required(value, "content", path, inlines)? }),
        "list" => Ok(Block::List {
            ordered: optional(value, "ordered", path, boolean)?.unwrap_or(false),
            items: required(value, "items", path, |value, path| array(value, path, inlines))?,
        }),
        other => invalid(join(&path(), "type"), Problem::BlockType(other.into())),
    }
}

fn inlines(value: &JsValue, path: Path<'_>) -> Result<Vec<Inline>, InvalidValue> {
    array(value, path, inline)
}

fn inline(value: &JsValue, path: Path<'_>) -> Result<Inline, InvalidValue> {
    object(value, path)?;
    let kind = required(value, "type", path, string)?;
    match kind.as_str() {
        "text" => Ok(Inline::Text { text: required(value, "text", path, string)? }),
        "emphasis" => Ok(Inline::Emphasis { content: required(value, "content", path, inlines)? }),
        "strong" => Ok(Inline::Strong { content: required(value, "content", path, inlines)? }),
        "link" => Ok(Inline::Link {
            href: required(value, "href", path, string)?,
            content: required(value, "content", path, inlines)?,
        }),
        "line_break" => Ok(Inline::LineBreak),
        other => invalid(join(&path(), "type"), Problem::InlineType(other.into())),
    }
}

fn field(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn required<T>(
    value: &JsValue,
    key: &str,
    path: Path<'_>,
    read: impl Fn(&JsValue, Path<'_>) -> Result<T, InvalidValue>,
) -> Result<T, InvalidValue> {
    let child = field(value, key);
    let child_path = || join(&path(), key);
    if child.is_undefined() || child.is_null() {
        return invalid(child_path(), Problem::Missing);
    }
    read(&child, &child_path)
}

fn optional<T>(
    value: &JsValue,
    key: &str,
    path: Path<'_>,
    read: impl Fn(&JsValue, Path<'_>) -> Result<T, InvalidValue>,
) -> Result<Option<T>, InvalidValue> {
    let child = field(value, key);
    if child.is_undefined() || child.is_null() {
        return Ok(None);
    }
    let child_path = || join(&path(), key);
    read(&child, &child_path).map(Some)
}

fn invalid<T>(path: String, problem: Problem) -> Result<T, InvalidValue> {
    Err(InvalidValue { path, problem })
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        crate::ui::concat(&[parent, ".", key])
    }
}

fn object(value: &JsValue, path: Path<'_>) -> Result<(), InvalidValue> {
    if value.is_object() && !Array::is_array(value) {
        Ok(())
    } else {
        invalid(path(), Problem::NotObject)
    }
}

fn string(value: &JsValue, path: Path<'_>) -> Result<String, InvalidValue> {
    value.as_string().map_or_else(|| invalid(path(), Problem::NotString), Ok)
}

fn boolean(value: &JsValue, path: Path<'_>) -> Result<bool, InvalidValue> {
    value.as_bool().map_or_else(|| invalid(path(), Problem::NotBoolean), Ok)
}

fn strings(value: &JsValue, path: Path<'_>) -> Result<Vec<String>, InvalidValue> {
    array(value, path, string)
}

fn array<T>(value: &JsValue, path: Path<'_>, read: impl Fn(&JsValue, Path<'_>) -> Result<T, InvalidValue>) -> Result<Vec<T>, InvalidValue> {
    if !Array::is_array(value) {
        return invalid(path(), Problem::NotList);
    }
    let items = Array::from(value);
    let mut output = Vec::with_capacity(items.length() as usize);
    for (position, item) in items.iter().enumerate() {
        let item_path = || format!("{}[{position}]", path());
        output.push(read(&item, &item_path)?);
    }
    Ok(output)
}
