//! Serde support for [`JsonValue`], so form data can sit inside the wire
//! types that the server reads with `serde_json`.
//!
//! Numbers keep their literal text where the deserialiser gives it; from a
//! self-describing format such as `serde_json` they arrive as integers or
//! floats and are written back in Rust's shortest round-trip form.

use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserializer, Serializer};

use crate::table::JsonValue;

/// Serialises a [`JsonValue`]; for `#[serde(serialize_with = …)]`.
///
/// # Errors
///
/// Returns the serialiser's error.
pub fn serialize<S: Serializer>(value: &JsonValue, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        JsonValue::Null => serializer.serialize_unit(),
        JsonValue::Bool(flag) => serializer.serialize_bool(*flag),
        JsonValue::Number(literal) => {
            if let Ok(integer) = literal.parse::<i64>() {
                serializer.serialize_i64(integer)
            } else if let Ok(integer) = literal.parse::<u64>() {
                serializer.serialize_u64(integer)
            } else {
                match literal.parse::<f64>() {
                    Ok(number) if number.is_finite() => serializer.serialize_f64(number),
                    _ => Err(serde::ser::Error::custom(format!(
                        "invalid number literal {literal}"
                    ))),
                }
            }
        }
        JsonValue::String(text) => serializer.serialize_str(text),
        JsonValue::Array(items) => {
            let mut sequence = serializer.serialize_seq(Some(items.len()))?;
            for item in items {
                sequence.serialize_element(&Wrapped(item))?;
            }
            sequence.end()
        }
        JsonValue::Object(members) => {
            let mut map = serializer.serialize_map(Some(members.len()))?;
            for (key, item) in members {
                map.serialize_entry(key, &Wrapped(item))?;
            }
            map.end()
        }
    }
}

/// Deserialises a [`JsonValue`]; for `#[serde(deserialize_with = …)]`.
///
/// # Errors
///
/// Returns the deserialiser's error, for example on a non-finite float.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<JsonValue, D::Error> {
    deserializer.deserialize_any(ValueVisitor)
}

struct Wrapped<'a>(&'a JsonValue);

impl serde::Serialize for Wrapped<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize(self.0, serializer)
    }
}

struct Owned(JsonValue);

impl<'de> serde::Deserialize<'de> for Owned {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Owned, D::Error> {
        deserialize(deserializer).map(Owned)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = JsonValue;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }

    fn visit_none<E>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<JsonValue, D::Error> {
        deserialize(deserializer)
    }

    fn visit_bool<E>(self, value: bool) -> Result<JsonValue, E> {
        Ok(JsonValue::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(value.to_string()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<JsonValue, E> {
        if value.is_finite() {
            Ok(JsonValue::Number(value.to_string()))
        } else {
            Err(E::custom("JSON numbers must be finite"))
        }
    }

    fn visit_str<E>(self, value: &str) -> Result<JsonValue, E> {
        Ok(JsonValue::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<JsonValue, E> {
        Ok(JsonValue::String(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut sequence: A) -> Result<JsonValue, A::Error> {
        let mut items = Vec::new();
        while let Some(Owned(item)) = sequence.next_element()? {
            items.push(item);
        }
        Ok(JsonValue::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonValue, A::Error> {
        let mut members: Vec<(String, JsonValue)> = Vec::new();
        while let Some((key, Owned(item))) = map.next_entry::<String, Owned>()? {
            // A repeated key keeps its last value, as JSON.parse does.
            members.retain(|(existing, _)| existing != &key);
            members.push((key, item));
        }
        Ok(JsonValue::Object(members))
    }
}

/// Writes `value` as compact JSON text, keeping the order of object members.
pub fn write_json(value: &JsonValue, out: &mut String) {
    match value {
        JsonValue::Null => out.push_str("null"),
        JsonValue::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        JsonValue::Number(literal) => out.push_str(literal),
        JsonValue::String(text) => write_string(text, out),
        JsonValue::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        JsonValue::Object(members) => {
            out.push('{');
            for (index, (key, item)) in members.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_json(item, out);
            }
            out.push('}');
        }
    }
}

/// Returns `value` as compact JSON text.
pub fn to_json(value: &JsonValue) -> String {
    let mut out = String::new();
    write_json(value, &mut out);
    out
}

/// Writes `text` as a JSON string literal.
pub fn write_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Returns `value` as JSON text indented by two spaces, for files that
/// people read and edit, such as imported schemas. Ends with a line break.
pub fn to_json_pretty(value: &JsonValue) -> String {
    let mut out = String::new();
    write_pretty(value, 0, &mut out);
    out.push('\n');
    out
}

fn write_pretty(value: &JsonValue, depth: usize, out: &mut String) {
    let indent = |level: usize, out: &mut String| {
        out.push('\n');
        out.push_str(&"  ".repeat(level));
    };
    match value {
        JsonValue::Array(items) if !items.is_empty() => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                indent(depth + 1, out);
                write_pretty(item, depth + 1, out);
            }
            indent(depth, out);
            out.push(']');
        }
        JsonValue::Object(members) if !members.is_empty() => {
            out.push('{');
            for (index, (key, item)) in members.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                indent(depth + 1, out);
                write_string(key, out);
                out.push_str(": ");
                write_pretty(item, depth + 1, out);
            }
            indent(depth, out);
            out.push('}');
        }
        other => write_json(other, out),
    }
}
