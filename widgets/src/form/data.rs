//! Reading and writing the form data by path, and the pages of a form.
//!
//! The data is one [`JsonValue`] object keyed by field name, as it is
//! submitted. A [`Path`] leads from the top of the data to one value,
//! through group members and repeated-group entries. Written as a JSON
//! Pointer it is what [`Violation::path`](ogkit_core::form::Violation)
//! contains, so a problem finds its control.

use ogkit_core::form::{Field, Kind, Schema};
use ogkit_core::table::JsonValue;

/// One step of a [`Path`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A member of an object.
    Key(String),
    /// An entry of a repeated group.
    Index(usize),
}

/// Location of a value in the form data.
pub type Path = Vec<Segment>;

/// One page of the form: a step of the schema, or the whole form when the
/// schema has no steps.
#[derive(Debug, Clone, PartialEq)]
pub struct PageDef {
    /// Heading of the page.
    pub title: String,
    /// Text under the heading.
    pub description: Option<String>,
    /// Names of the top-level fields on the page.
    pub fields: Vec<String>,
}

/// Returns the pages of `schema`.
pub fn pages(schema: &Schema) -> Vec<PageDef> {
    if schema.steps.is_empty() {
        return vec![PageDef {
            title: schema.title.clone(),
            description: None,
            fields: schema.fields.iter().map(|field| field.name.clone()).collect(),
        }];
    }
    schema
        .steps
        .iter()
        .map(|step| PageDef { title: step.title.clone(), description: step.description.clone(), fields: step.fields.clone() })
        .collect()
}

/// Returns the page that shows the top-level field `name`.
pub fn page_of(pages: &[PageDef], name: &str) -> Option<usize> {
    pages.iter().position(|page| page.fields.iter().any(|field| field == name))
}

/// Returns the JSON Pointer of `path`, such as `/gegenstaende/0/art`.
pub fn pointer(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        out.push('/');
        match segment {
            Segment::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Segment::Index(index) => out.push_str(&index.to_string()),
        }
    }
    out
}

/// Returns the top-level field name of a JSON Pointer.
pub fn top_level_name(pointer: &str) -> Option<String> {
    let first = pointer.strip_prefix('/')?.split('/').next()?;
    Some(first.replace("~1", "/").replace("~0", "~"))
}

/// Returns the value at `path`.
pub fn get<'a>(data: &'a JsonValue, path: &[Segment]) -> Option<&'a JsonValue> {
    let mut value = data;
    for segment in path {
        value = match (segment, value) {
            (Segment::Key(key), JsonValue::Object(members)) => {
                members.iter().find(|(name, _)| name == key).map(|(_, member)| member)?
            }
            (Segment::Index(index), JsonValue::Array(items)) => items.get(*index)?,
            _ => return None,
        };
    }
    Some(value)
}

/// Sets the value at `path`, creating the objects on the way; `None`
/// removes it. A path through a missing entry or through a value of
/// another type changes nothing.
pub fn set(data: &mut JsonValue, path: &[Segment], value: Option<JsonValue>) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut target = data;
    for segment in parents {
        target = match (segment, target) {
            (Segment::Key(key), JsonValue::Object(members)) => {
                let position = match members.iter().position(|(name, _)| name == key) {
                    Some(position) => position,
                    None => {
                        members.push((key.clone(), JsonValue::Object(Vec::new())));
                        members.len() - 1
                    }
                };
                &mut members[position].1
            }
            (Segment::Index(index), JsonValue::Array(items)) => match items.get_mut(*index) {
                Some(item) => item,
                None => return,
            },
            _ => return,
        };
    }
    match (last, target, value) {
        (Segment::Key(key), JsonValue::Object(members), Some(value)) => {
            match members.iter_mut().find(|(name, _)| name == key) {
                Some((_, member)) => *member = value,
                None => members.push((key.clone(), value)),
            }
        }
        (Segment::Key(key), JsonValue::Object(members), None) => members.retain(|(name, _)| name != key),
        (Segment::Index(index), JsonValue::Array(items), Some(value)) => {
            if let Some(item) = items.get_mut(*index) {
                *item = value;
            }
        }
        (Segment::Index(index), JsonValue::Array(items), None) if *index < items.len() => {
            items.remove(*index);
        }
        _ => {}
    }
}

/// Returns the data a new form starts with: the schema's defaults, and
/// one empty entry in each repeated group that needs at least one.
pub fn initial_data(schema: &Schema) -> JsonValue {
    JsonValue::Object(initial_members(&schema.fields))
}

fn initial_members(fields: &[Field]) -> Vec<(String, JsonValue)> {
    let mut members = Vec::new();
    for field in fields {
        match (&field.kind, &field.default) {
            (_, Some(default)) => members.push((field.name.clone(), default.clone())),
            (Kind::Group(children), None) => {
                let inner = initial_members(children);
                if !inner.is_empty() {
                    members.push((field.name.clone(), JsonValue::Object(inner)));
                }
            }
            (Kind::Repeated(children), None) if field.required || field.rules.min_items.unwrap_or(0) > 0 => {
                members.push((field.name.clone(), JsonValue::Array(vec![new_entry(children)])));
            }
            _ => {}
        }
    }
    members
}

/// Returns a new entry of a repeated group with the defaults of its fields.
pub fn new_entry(children: &[Field]) -> JsonValue {
    JsonValue::Object(initial_members(children))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ogkit_core::table::parse_json;

    fn json(text: &str) -> JsonValue {
        parse_json(text).unwrap_or(JsonValue::Null)
    }

    fn key(name: &str) -> Segment {
        Segment::Key(name.to_owned())
    }

    #[test]
    fn set_creates_groups() {
        let mut data = json("{}");
        set(&mut data, &[key("adresse"), key("plz")], Some(JsonValue::String("10115".into())));
        assert_eq!(data, json(r#"{"adresse":{"plz":"10115"}}"#));
        set(&mut data, &[key("adresse"), key("plz")], None);
        assert_eq!(data, json(r#"{"adresse":{}}"#));
    }

    #[test]
    fn set_reaches_entries() {
        let mut data = json(r#"{"g":[{"art":"moebel"},{}]}"#);
        set(&mut data, &[key("g"), Segment::Index(1), key("art")], Some(JsonValue::String("teppich".into())));
        assert_eq!(get(&data, &[key("g"), Segment::Index(1), key("art")]), Some(&JsonValue::String("teppich".into())));
        // A missing entry is not created.
        set(&mut data, &[key("g"), Segment::Index(5), key("art")], Some(JsonValue::Null));
        assert_eq!(data, json(r#"{"g":[{"art":"moebel"},{"art":"teppich"}]}"#));
        set(&mut data, &[key("g"), Segment::Index(0)], None);
        assert_eq!(data, json(r#"{"g":[{"art":"teppich"}]}"#));
    }

    #[test]
    fn pointer_escapes_names() {
        assert_eq!(pointer(&[key("a/b"), Segment::Index(2), key("c~d")]), "/a~1b/2/c~0d");
        assert_eq!(top_level_name("/a~1b/2/c"), Some("a/b".to_owned()));
        assert_eq!(top_level_name(""), None);
    }
}
