//! Reading a schema file into the [`Schema`] model.
//!
//! Web editors write these files by hand, so the reader is strict and
//! specific: an unknown keyword (with a suggestion for a likely typo), a
//! keyword that ogkit does not support, a value of the wrong type, a bad
//! regular expression, a condition on a field that does not exist, each
//! becomes a [`SchemaError`] with the JSON Pointer of the offending value.
//!
//! `if`/`then`/`else` (also inside `allOf`) is read the way form builders
//! read it: `if` tests fields of the same object with `const` or `enum`;
//! a property declared only in a branch is a field that is shown only
//! while that branch applies; `required` in a branch makes a field required
//! only then; a branch property that restates an existing field adds
//! rules that apply only then, such as fewer choices.

use std::fmt;

use super::formats::Date;
use super::holidays::HolidayRegion;
use super::pattern::Pattern;
use super::schema::{
    Bound, BoundValue, Choice, Condition, Control, Field, FieldRef, FieldUi, Format, Kind, Rules,
    Scalar, Schema, Step,
};
use crate::table::{parse_json, JsonValue};

/// A schema file that cannot be used, with the place of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemaError {
    /// The file is not valid JSON.
    Syntax {
        /// 1-based line.
        line: u64,
        /// 1-based character position in the line.
        column: u64,
        /// Description of the problem, in English.
        reason: String,
    },
    /// The file is JSON, but not a usable form schema.
    Invalid {
        /// JSON Pointer of the offending value, such as
        /// `/properties/plz/pattern`; empty for the whole document.
        path: String,
        /// Description of the problem and of the fix, in English.
        reason: String,
    },
}

impl SchemaError {
    /// Returns the JSON Pointer of the problem, or `None` for a syntax error.
    pub fn path(&self) -> Option<&str> {
        match self {
            SchemaError::Syntax { .. } => None,
            SchemaError::Invalid { path, .. } => Some(path),
        }
    }

    /// Returns the explanation without the location.
    pub fn reason(&self) -> &str {
        match self {
            SchemaError::Syntax { reason, .. } | SchemaError::Invalid { reason, .. } => reason,
        }
    }
}

impl fmt::Display for SchemaError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaError::Syntax {
                line,
                column,
                reason,
            } => {
                write!(
                    formatter,
                    "line {line}, column {column}: invalid JSON: {reason}"
                )
            }
            SchemaError::Invalid { path, reason } if path.is_empty() => {
                write!(formatter, "schema: {reason}")
            }
            SchemaError::Invalid { path, reason } => {
                write!(formatter, "schema at {path}: {reason}")
            }
        }
    }
}

impl std::error::Error for SchemaError {}

impl Schema {
    /// Reads a schema from JSON text.
    ///
    /// # Errors
    ///
    /// Returns the first problem found, with its line and column for invalid
    /// JSON and its JSON Pointer otherwise.
    pub fn from_json(text: &str) -> Result<Schema, SchemaError> {
        let document = parse_json(text).map_err(|error| SchemaError::Syntax {
            line: error.line,
            column: error.column,
            reason: error.reason.to_owned(),
        })?;
        Schema::from_value(&document)
    }

    /// Reads a schema from a parsed JSON document.
    ///
    /// # Errors
    ///
    /// Returns the first problem found, with its JSON Pointer.
    pub fn from_value(document: &JsonValue) -> Result<Schema, SchemaError> {
        let members = object(document, "")?;
        check_keywords(members, "", ROOT_KEYWORDS)?;
        if let Some(kind) = member(members, "type") {
            if kind != &JsonValue::String("object".to_owned()) {
                return Err(invalid(
                    "/type",
                    "a form schema must have \"type\": \"object\" at the top",
                ));
            }
        }

        let title = optional_string(members, "", "title")?.unwrap_or_default();
        let description = optional_string(members, "", "description")?;
        let mut fields = parse_object_fields(members, "")?;

        let mut steps = Vec::new();
        let mut next_steps = None;
        let mut english = None;
        if let Some(ui) = member(members, "x-ogkit") {
            steps = apply_ui(ui, "/x-ogkit", &mut fields)?;
            let ui_members = object(ui, "/x-ogkit")?;
            next_steps = optional_string(ui_members, "/x-ogkit", "next_steps")?;
            if let Some(node) = member(ui_members, "en") {
                english = Some(super::translate::parse_english(node, "/x-ogkit/en", &fields, &steps)?);
            }
        }

        Ok(Schema {
            title,
            description,
            fields,
            steps,
            next_steps,
            english,
        })
    }
}

const ROOT_KEYWORDS: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "type",
    "properties",
    "required",
    "allOf",
    "if",
    "then",
    "else",
    "additionalProperties",
    "x-ogkit",
];

const FIELD_KEYWORDS: &[&str] = &[
    "$comment",
    "title",
    "description",
    "type",
    "default",
    "examples",
    "enum",
    "const",
    "oneOf",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "formatMinimum",
    "formatMaximum",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "properties",
    "required",
    "allOf",
    "if",
    "then",
    "else",
    "additionalProperties",
];

/// JSON Schema keywords that a reader might expect to work but ogkit forms
/// do not support. The error names them as unsupported, so the editor does
/// not look for a typo.
const UNSUPPORTED_KEYWORDS: &[&str] = &[
    "$ref",
    "$defs",
    "definitions",
    "$anchor",
    "$dynamicRef",
    "anyOf",
    "not",
    "patternProperties",
    "dependentRequired",
    "dependentSchemas",
    "dependencies",
    "multipleOf",
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contentMediaType",
    "contentEncoding",
    "readOnly",
    "writeOnly",
    "deprecated",
];

const BRANCH_KEYWORDS: &[&str] = &["$comment", "properties", "required"];
const CONDITION_SCHEMA_KEYWORDS: &[&str] = &["$comment", "properties", "required"];
const UI_KEYWORDS: &[&str] = &["$comment", "steps", "order", "fields", "next_steps", "en"];
const STEP_KEYWORDS: &[&str] = &["$comment", "title", "description", "fields"];
const FIELD_UI_KEYWORDS: &[&str] = &[
    "$comment",
    "help",
    "control",
    "autocomplete",
    "visible_if",
    "required_if",
    "item_title",
    "min_days_from_today",
    "max_days_from_today",
    "weekdays",
    "exclude_holidays",
    "order",
    "fields",
];
const CONDITION_KEYWORDS: &[&str] = &["field", "equals", "in", "filled", "all", "any", "not"];

/// Reads `properties`, `required` and the conditional blocks of one object
/// schema (the root, a group or the items of a repeated group).
fn parse_object_fields(
    members: &[(String, JsonValue)],
    path: &str,
) -> Result<Vec<Field>, SchemaError> {
    let mut fields = Vec::new();
    if let Some(properties) = member(members, "properties") {
        let properties_path = format!("{path}/properties");
        for (name, node) in object(properties, &properties_path)? {
            fields.push(parse_field(name, node, &pointer(&properties_path, name))?);
        }
    }

    if let Some(required) = member(members, "required") {
        let required_path = format!("{path}/required");
        for (index, name) in string_list(required, &required_path)?
            .into_iter()
            .enumerate()
        {
            let Some(field) = fields.iter_mut().find(|field| field.name == name) else {
                return Err(invalid(
                    &format!("{required_path}/{index}"),
                    &format!(
                        "\"{name}\" is required but not defined under properties{}",
                        known_names(&fields)
                    ),
                ));
            };
            field.required = true;
        }
    }

    if let Some(all_of) = member(members, "allOf") {
        let all_of_path = format!("{path}/allOf");
        let JsonValue::Array(entries) = all_of else {
            return Err(invalid(
                &all_of_path,
                "allOf must be a list of if/then/else objects",
            ));
        };
        for (index, entry) in entries.iter().enumerate() {
            let entry_path = format!("{all_of_path}/{index}");
            let entry_members = object(entry, &entry_path)?;
            check_keywords(
                entry_members,
                &entry_path,
                &["$comment", "if", "then", "else"],
            )?;
            parse_if_then_else(entry_members, &entry_path, &mut fields)?;
        }
    }
    parse_if_then_else(members, path, &mut fields)?;

    Ok(fields)
}

/// Reads one `if`/`then`/`else` triple of `members`, if present, into the
/// fields of its object.
fn parse_if_then_else(
    members: &[(String, JsonValue)],
    path: &str,
    fields: &mut Vec<Field>,
) -> Result<(), SchemaError> {
    let Some(test) = member(members, "if") else {
        for branch in ["then", "else"] {
            if member(members, branch).is_some() {
                return Err(invalid(
                    &format!("{path}/{branch}"),
                    &format!("\"{branch}\" needs an \"if\" beside it"),
                ));
            }
        }
        return Ok(());
    };
    let condition = parse_if(test, &format!("{path}/if"), fields)?;

    if let Some(branch) = member(members, "then") {
        apply_branch(branch, &format!("{path}/then"), &condition, fields)?;
    }
    if let Some(branch) = member(members, "else") {
        let negated = Condition::Not(Box::new(condition.clone()));
        apply_branch(branch, &format!("{path}/else"), &negated, fields)?;
    }
    Ok(())
}

/// Reads an `if` schema into a condition. Supported: `properties` whose
/// members have `const` or `enum`, plus `required`. As in JSON Schema, a
/// tested field that is not in `required` also satisfies the test when it
/// is empty.
fn parse_if(test: &JsonValue, path: &str, fields: &[Field]) -> Result<Condition, SchemaError> {
    let members = object(test, path)?;
    check_keywords(members, path, CONDITION_SCHEMA_KEYWORDS)?;
    let required = match member(members, "required") {
        Some(list) => string_list(list, &format!("{path}/required"))?,
        None => Vec::new(),
    };

    let mut parts = Vec::new();
    let properties_path = format!("{path}/properties");
    let properties = match member(members, "properties") {
        Some(node) => object(node, &properties_path)?,
        None => &[],
    };
    for (name, node) in properties {
        let test_path = pointer(&properties_path, name);
        if !fields.iter().any(|field| &field.name == name) {
            return Err(invalid(
                &test_path,
                &format!(
                    "the condition tests \"{name}\", which is not a field here{}",
                    known_names(fields)
                ),
            ));
        }
        let test_members = object(node, &test_path)?;
        check_keywords(test_members, &test_path, &["const", "enum"])?;
        let reference = FieldRef {
            absolute: false,
            names: vec![name.clone()],
        };
        let part = if let Some(value) = member(test_members, "const") {
            Condition::Equals {
                field: reference.clone(),
                value: value.clone(),
            }
        } else if let Some(JsonValue::Array(values)) = member(test_members, "enum") {
            Condition::In {
                field: reference.clone(),
                values: values.clone(),
            }
        } else {
            return Err(invalid(
                &test_path,
                "a condition property needs \"const\" or an \"enum\" list",
            ));
        };
        check_condition(&part, fields, fields, "", &test_path)?;
        if required.contains(name) {
            parts.push(part);
        } else {
            let empty = Condition::Not(Box::new(Condition::Filled { field: reference }));
            parts.push(Condition::Any(vec![empty, part]));
        }
    }
    for (index, name) in required.iter().enumerate() {
        if properties.iter().any(|(property, _)| property == name) {
            continue;
        }
        if !fields.iter().any(|field| &field.name == name) {
            return Err(invalid(
                &format!("{path}/required/{index}"),
                &format!("\"{name}\" is not a field here{}", known_names(fields)),
            ));
        }
        parts.push(Condition::Filled {
            field: FieldRef {
                absolute: false,
                names: vec![name.clone()],
            },
        });
    }

    match parts.len() {
        0 => Err(invalid(
            path,
            "the condition is empty; test at least one field with \"const\" or \"enum\"",
        )),
        1 => Ok(parts.remove(0)),
        _ => Ok(Condition::All(parts)),
    }
}

/// Applies a `then` or `else` schema under `condition`.
fn apply_branch(
    branch: &JsonValue,
    path: &str,
    condition: &Condition,
    fields: &mut Vec<Field>,
) -> Result<(), SchemaError> {
    let members = object(branch, path)?;
    check_keywords(members, path, BRANCH_KEYWORDS)?;

    let mut added = Vec::new();
    if let Some(properties) = member(members, "properties") {
        let properties_path = format!("{path}/properties");
        for (name, node) in object(properties, &properties_path)? {
            let property_path = pointer(&properties_path, name);
            if let Some(field) = fields.iter_mut().find(|field| &field.name == name) {
                if field.visible_if.is_some() && !added.contains(name) {
                    return Err(invalid(&property_path, &format!("\"{name}\" is already declared in another conditional branch; declare it once under the top properties and use x-ogkit visible_if")));
                }
                let rules = parse_refinement(node, &property_path, &field.kind)?;
                field.conditional_rules.push((condition.clone(), rules));
            } else {
                let mut field = parse_field(name, node, &property_path)?;
                field.visible_if = Some(condition.clone());
                fields.push(field);
                added.push(name.clone());
            }
        }
    }

    if let Some(required) = member(members, "required") {
        let required_path = format!("{path}/required");
        for (index, name) in string_list(required, &required_path)?
            .into_iter()
            .enumerate()
        {
            let known = known_names(fields);
            let Some(field) = fields.iter_mut().find(|field| field.name == name) else {
                return Err(invalid(
                    &format!("{required_path}/{index}"),
                    &format!("\"{name}\" is required but not defined{known}"),
                ));
            };
            if added.contains(&name) {
                field.required = true;
            } else {
                field.required_if = Some(match field.required_if.take() {
                    Some(existing) => Condition::Any(vec![existing, condition.clone()]),
                    None => condition.clone(),
                });
            }
        }
    }
    Ok(())
}

/// Reads one property schema into a field.
fn parse_field(name: &str, node: &JsonValue, path: &str) -> Result<Field, SchemaError> {
    let members = object(node, path)?;
    check_keywords(members, path, FIELD_KEYWORDS)?;

    let kind = parse_kind(members, path)?;
    let rules = parse_rules(members, path, &kind)?;
    if let Some(default) = member(members, "default") {
        let fits = match (&kind, default) {
            (Kind::List(_), JsonValue::Array(items)) => {
                items.iter().all(|item| value_fits(item, &kind))
            }
            (Kind::Group(_) | Kind::Repeated(_), _) => false,
            _ => value_fits(default, &kind),
        };
        if !fits {
            return Err(invalid(
                &format!("{path}/default"),
                &format!(
                    "the default value does not fit the field type \"{}\"",
                    kind_type_name(&kind)
                ),
            ));
        }
    }
    let title = optional_string(members, path, "title")?.unwrap_or_else(|| name.to_owned());
    let description = optional_string(members, path, "description")?;
    let example = match member(members, "examples") {
        Some(JsonValue::Array(values)) => values.first().and_then(scalar_text),
        Some(_) => {
            return Err(invalid(
                &format!("{path}/examples"),
                "examples must be a list",
            ))
        }
        None => None,
    };
    for keyword in ["properties", "required", "allOf", "if", "then", "else"] {
        if member(members, keyword).is_some() && !matches!(kind, Kind::Group(_)) {
            return Err(invalid(
                &format!("{path}/{keyword}"),
                &format!("\"{keyword}\" applies only to \"type\": \"object\""),
            ));
        }
    }

    Ok(Field {
        name: name.to_owned(),
        title,
        description,
        example,
        default: member(members, "default").cloned(),
        kind,
        rules,
        conditional_rules: Vec::new(),
        required: false,
        required_if: None,
        visible_if: None,
        ui: FieldUi::default(),
    })
}

/// Determines the kind from `type`, reading the children of groups and
/// repeated groups.
fn parse_kind(members: &[(String, JsonValue)], path: &str) -> Result<Kind, SchemaError> {
    let type_path = format!("{path}/type");
    let type_name = match member(members, "type") {
        Some(JsonValue::String(name)) => name.as_str(),
        Some(JsonValue::Array(_)) => {
            return Err(invalid(&type_path, "a list of types is not supported; give one type and leave the field out of \"required\" to make it optional"))
        }
        Some(_) => return Err(invalid(&type_path, "type must be a string such as \"string\"")),
        None if member(members, "properties").is_some() => "object",
        None if member(members, "items").is_some() => "array",
        None if member(members, "enum").is_some() || member(members, "oneOf").is_some() => "string",
        None => {
            return Err(invalid(path, "the field has no \"type\"; add one of string, integer, number, boolean, object, array"))
        }
    };

    match type_name {
        "string" => Ok(Kind::Text),
        "integer" => Ok(Kind::Integer),
        "number" => Ok(Kind::Number),
        "boolean" => Ok(Kind::Boolean),
        "object" => Ok(Kind::Group(parse_object_fields(members, path)?)),
        "array" => {
            let items_path = format!("{path}/items");
            let Some(items) = member(members, "items") else {
                return Err(invalid(path, "an array field needs \"items\": an object schema for a repeated group, or a string schema with choices"));
            };
            let item_members = object(items, &items_path)?;
            check_keywords(item_members, &items_path, FIELD_KEYWORDS)?;
            match parse_kind(item_members, &items_path)? {
                Kind::Group(fields) => {
                    // The entry object takes no rules of its own; this
                    // rejects, say, a minLength that belongs on a field.
                    parse_rules(item_members, &items_path, &Kind::Group(Vec::new()))?;
                    Ok(Kind::Repeated(fields))
                }
                Kind::Text => Ok(Kind::List(Scalar::Text)),
                Kind::Integer => Ok(Kind::List(Scalar::Integer)),
                Kind::Number => Ok(Kind::List(Scalar::Number)),
                Kind::Boolean | Kind::List(_) | Kind::Repeated(_) => Err(invalid(
                    &format!("{items_path}/type"),
                    "list items must be strings, numbers or objects",
                )),
            }
        }
        "null" => Err(invalid(
            &type_path,
            "\"null\" is not a field type; leave the field out of \"required\" to make it optional",
        )),
        other => Err(invalid(
            &type_path,
            &format!(
                "unknown type \"{other}\"; use string, integer, number, boolean, object or array"
            ),
        )),
    }
}

/// Reads a branch property that restates an existing field: only rule
/// keywords, and a `type` that must agree.
fn parse_refinement(node: &JsonValue, path: &str, kind: &Kind) -> Result<Rules, SchemaError> {
    let members = object(node, path)?;
    check_keywords(members, path, FIELD_KEYWORDS)?;
    for keyword in [
        "properties",
        "required",
        "allOf",
        "if",
        "then",
        "else",
        "title",
        "description",
    ] {
        if member(members, keyword).is_some() {
            return Err(invalid(
                &format!("{path}/{keyword}"),
                &format!("\"{keyword}\" cannot be changed in a conditional branch; set it where the field is declared"),
            ));
        }
    }
    if let Some(JsonValue::String(type_name)) = member(members, "type") {
        if type_name != kind_type_name(kind) {
            return Err(invalid(
                &format!("{path}/type"),
                &format!(
                    "the field is declared as \"{}\"; a branch cannot change its type",
                    kind_type_name(kind)
                ),
            ));
        }
    }
    parse_rules(members, path, kind)
}

fn kind_type_name(kind: &Kind) -> &'static str {
    match kind {
        Kind::Text => "string",
        Kind::Integer => "integer",
        Kind::Number => "number",
        Kind::Boolean => "boolean",
        Kind::Group(_) => "object",
        Kind::List(_) | Kind::Repeated(_) => "array",
    }
}

/// Reads the rule keywords and checks that each one fits the kind.
fn parse_rules(
    members: &[(String, JsonValue)],
    path: &str,
    kind: &Kind,
) -> Result<Rules, SchemaError> {
    let at = |keyword: &str| format!("{path}/{keyword}");
    let is_text = matches!(kind, Kind::Text);
    let is_number = matches!(kind, Kind::Integer | Kind::Number);
    let is_array = matches!(kind, Kind::List(_) | Kind::Repeated(_));
    let mut rules = Rules::default();

    for (keyword, applies, expected) in [
        ("minLength", is_text, "string"),
        ("maxLength", is_text, "string"),
        ("pattern", is_text, "string"),
        ("format", is_text, "string"),
        ("formatMinimum", is_text, "string with \"format\": \"date\""),
        ("formatMaximum", is_text, "string with \"format\": \"date\""),
        ("minimum", is_number, "integer or number"),
        ("maximum", is_number, "integer or number"),
        ("exclusiveMinimum", is_number, "integer or number"),
        ("exclusiveMaximum", is_number, "integer or number"),
        ("minItems", is_array, "array"),
        ("maxItems", is_array, "array"),
        ("uniqueItems", is_array, "array"),
        ("items", is_array, "array"),
        (
            "enum",
            !matches!(kind, Kind::Group(_) | Kind::Repeated(_) | Kind::List(_)),
            "string, integer or number",
        ),
        (
            "oneOf",
            !matches!(kind, Kind::Group(_) | Kind::Repeated(_) | Kind::List(_)),
            "string, integer or number",
        ),
    ] {
        if member(members, keyword).is_some() && !applies {
            let hint = if keyword == "minimum" || keyword == "maximum" {
                "; for dates use formatMinimum and formatMaximum"
            } else if matches!(kind, Kind::List(_)) && (keyword == "enum" || keyword == "oneOf") {
                "; put the choices of a list under \"items\""
            } else {
                ""
            };
            return Err(invalid(
                &at(keyword),
                &format!("\"{keyword}\" applies only to a {expected} field{hint}"),
            ));
        }
    }

    rules.min_length = optional_count(members, path, "minLength")?;
    rules.max_length = optional_count(members, path, "maxLength")?;
    if let (Some(min), Some(max)) = (rules.min_length, rules.max_length) {
        if min > max {
            return Err(invalid(
                &at("minLength"),
                &format!("minLength {min} is larger than maxLength {max}"),
            ));
        }
    }
    if let Some(source) = optional_string(members, path, "pattern")? {
        rules.pattern =
            Some(Pattern::new(&source).map_err(|reason| invalid(&at("pattern"), &reason))?);
    }
    if let Some(name) = optional_string(members, path, "format")? {
        rules.format = Some(Format::from_name(&name).ok_or_else(|| {
            invalid(
                &at("format"),
                &format!(
                    "unknown format \"{name}\"; supported are email, date, plz, iban and phone"
                ),
            )
        })?);
    }

    rules.minimum = number_bound(members, path, "minimum", "exclusiveMinimum")?;
    rules.maximum = number_bound(members, path, "maximum", "exclusiveMaximum")?;
    for keyword in ["formatMinimum", "formatMaximum"] {
        let Some(value) = member(members, keyword) else {
            continue;
        };
        if rules.format != Some(Format::Date) {
            return Err(invalid(
                &at(keyword),
                &format!("\"{keyword}\" needs \"format\": \"date\" beside it"),
            ));
        }
        let date = match value {
            JsonValue::String(text) => Date::parse_iso(text),
            _ => None,
        }
        .ok_or_else(|| {
            invalid(
                &at(keyword),
                "expected a date as \"YYYY-MM-DD\", such as \"2026-12-31\"",
            )
        })?;
        let bound = Some(Bound {
            value: BoundValue::Date(date),
            exclusive: false,
        });
        if keyword == "formatMinimum" {
            rules.minimum = bound;
        } else {
            rules.maximum = bound;
        }
    }

    if let (Some(min), Some(max)) = (&rules.minimum, &rules.maximum) {
        let crossed = match (&min.value, &max.value) {
            (BoundValue::Number(low, _), BoundValue::Number(high, _)) => low > high,
            (BoundValue::Date(low), BoundValue::Date(high)) => low > high,
            _ => false,
        };
        if crossed {
            return Err(invalid(
                path,
                "the lower limit is above the upper limit, so no value can pass",
            ));
        }
    }

    rules.min_items = optional_count(members, path, "minItems")?;
    rules.max_items = optional_count(members, path, "maxItems")?;
    if let (Some(min), Some(max)) = (rules.min_items, rules.max_items) {
        if min > max {
            return Err(invalid(
                &at("minItems"),
                &format!("minItems {min} is larger than maxItems {max}"),
            ));
        }
    }
    if let Some(value) = member(members, "uniqueItems") {
        let JsonValue::Bool(unique) = value else {
            return Err(invalid(&at("uniqueItems"), "expected true or false"));
        };
        rules.unique_items = *unique;
    }
    if let (Kind::List(scalar), Some(items)) = (kind, member(members, "items")) {
        let items_path = at("items");
        let item_members = object(items, &items_path)?;
        check_keywords(item_members, &items_path, FIELD_KEYWORDS)?;
        let item_kind = match scalar {
            Scalar::Text => Kind::Text,
            Scalar::Integer => Kind::Integer,
            Scalar::Number => Kind::Number,
        };
        if let Some(JsonValue::String(type_name)) = member(item_members, "type") {
            if type_name != kind_type_name(&item_kind) {
                return Err(invalid(
                    &format!("{items_path}/type"),
                    "a conditional branch cannot change the type of list items",
                ));
            }
        }
        rules.items = Some(Box::new(parse_rules(
            item_members,
            &items_path,
            &item_kind,
        )?));
    }

    rules.choices = parse_choices(members, path, kind)?;
    if let Some(value) = member(members, "const") {
        if !value_fits(value, kind) {
            return Err(invalid(
                &at("const"),
                &format!(
                    "the value does not fit the field type \"{}\"",
                    kind_type_name(kind)
                ),
            ));
        }
        rules.constant = Some(value.clone());
    }
    Ok(rules)
}

/// Reads `enum` or `oneOf` (entries with `const` and `title`).
fn parse_choices(
    members: &[(String, JsonValue)],
    path: &str,
    kind: &Kind,
) -> Result<Option<Vec<Choice>>, SchemaError> {
    if member(members, "enum").is_some() && member(members, "oneOf").is_some() {
        return Err(invalid(
            &format!("{path}/oneOf"),
            "use either \"enum\" or \"oneOf\", not both",
        ));
    }

    let mut choices = Vec::new();
    if let Some(node) = member(members, "enum") {
        let enum_path = format!("{path}/enum");
        let JsonValue::Array(values) = node else {
            return Err(invalid(&enum_path, "enum must be a list of values"));
        };
        for (index, value) in values.iter().enumerate() {
            let Some(title) = scalar_text(value).filter(|_| value_fits(value, kind)) else {
                return Err(invalid(
                    &format!("{enum_path}/{index}"),
                    &format!(
                        "the value does not fit the field type \"{}\"",
                        kind_type_name(kind)
                    ),
                ));
            };
            choices.push(Choice {
                value: value.clone(),
                title,
            });
        }
    } else if let Some(node) = member(members, "oneOf") {
        let one_of_path = format!("{path}/oneOf");
        let JsonValue::Array(entries) = node else {
            return Err(invalid(
                &one_of_path,
                "oneOf must be a list of {\"const\": …, \"title\": …} objects",
            ));
        };
        for (index, entry) in entries.iter().enumerate() {
            let entry_path = format!("{one_of_path}/{index}");
            let entry_members = object(entry, &entry_path)?;
            check_keywords(
                entry_members,
                &entry_path,
                &["const", "title", "description", "$comment"],
            )?;
            let Some(value) = member(entry_members, "const") else {
                return Err(invalid(
                    &entry_path,
                    "each oneOf entry needs \"const\" with the stored value",
                ));
            };
            if !value_fits(value, kind) || scalar_text(value).is_none() {
                return Err(invalid(
                    &format!("{entry_path}/const"),
                    &format!(
                        "the value does not fit the field type \"{}\"",
                        kind_type_name(kind)
                    ),
                ));
            }
            let title = match optional_string(entry_members, &entry_path, "title")? {
                Some(title) => title,
                None => scalar_text(value).unwrap_or_default(),
            };
            choices.push(Choice {
                value: value.clone(),
                title,
            });
        }
    } else {
        return Ok(None);
    }

    if choices.is_empty() {
        return Err(invalid(path, "the list of choices is empty"));
    }
    for (index, choice) in choices.iter().enumerate() {
        if choices[..index]
            .iter()
            .any(|earlier| values_equal(&earlier.value, &choice.value))
        {
            return Err(invalid(
                path,
                &format!("the choice \"{}\" is listed twice", choice.title),
            ));
        }
    }
    Ok(Some(choices))
}

fn number_bound(
    members: &[(String, JsonValue)],
    path: &str,
    inclusive: &str,
    exclusive: &str,
) -> Result<Option<Bound>, SchemaError> {
    let read = |keyword: &str| -> Result<Option<BoundValue>, SchemaError> {
        match member(members, keyword) {
            None => Ok(None),
            Some(JsonValue::Number(literal)) => match literal.parse::<f64>() {
                Ok(value) if value.is_finite() => {
                    Ok(Some(BoundValue::Number(value, literal.clone())))
                }
                _ => Err(invalid(
                    &format!("{path}/{keyword}"),
                    "the number is out of range",
                )),
            },
            Some(_) => Err(invalid(&format!("{path}/{keyword}"), "expected a number")),
        }
    };
    match (read(inclusive)?, read(exclusive)?) {
        (Some(_), Some(_)) => Err(invalid(
            &format!("{path}/{exclusive}"),
            &format!("use either \"{inclusive}\" or \"{exclusive}\", not both"),
        )),
        (Some(value), None) => Ok(Some(Bound {
            value,
            exclusive: false,
        })),
        (None, Some(value)) => Ok(Some(Bound {
            value,
            exclusive: true,
        })),
        (None, None) => Ok(None),
    }
}

/// Applies the `x-ogkit` section to the top-level fields and returns the
/// steps.
fn apply_ui(ui: &JsonValue, path: &str, fields: &mut [Field]) -> Result<Vec<Step>, SchemaError> {
    let members = object(ui, path)?;
    check_keywords(members, path, UI_KEYWORDS)?;
    // Conditions are checked against the fields as declared; UI entries
    // change no name, type or choice, so a snapshot taken now is enough.
    let root = fields.to_vec();
    apply_field_uis(members, path, fields, &root)?;

    let Some(steps_node) = member(members, "steps") else {
        return Ok(Vec::new());
    };
    let steps_path = format!("{path}/steps");
    if member(members, "order").is_some() {
        return Err(invalid(
            &format!("{path}/order"),
            "use either \"steps\" or \"order\"; with steps, each step lists its fields in order",
        ));
    }
    let JsonValue::Array(entries) = steps_node else {
        return Err(invalid(
            &steps_path,
            "steps must be a list of {\"title\": …, \"fields\": […]} objects",
        ));
    };

    let mut steps = Vec::new();
    let mut placed: Vec<String> = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let step_path = format!("{steps_path}/{index}");
        let step_members = object(entry, &step_path)?;
        check_keywords(step_members, &step_path, STEP_KEYWORDS)?;
        let Some(title) = optional_string(step_members, &step_path, "title")? else {
            return Err(invalid(&step_path, "each step needs a \"title\""));
        };
        let Some(list) = member(step_members, "fields") else {
            return Err(invalid(
                &step_path,
                "each step needs \"fields\", the names of its fields in order",
            ));
        };
        let names = string_list(list, &format!("{step_path}/fields"))?;
        for (name_index, name) in names.iter().enumerate() {
            let name_path = format!("{step_path}/fields/{name_index}");
            if !fields.iter().any(|field| &field.name == name) {
                return Err(invalid(
                    &name_path,
                    &format!("there is no field \"{name}\"{}", known_names(fields)),
                ));
            }
            if placed.contains(name) {
                return Err(invalid(
                    &name_path,
                    &format!("\"{name}\" is already on an earlier step"),
                ));
            }
            placed.push(name.clone());
        }
        steps.push(Step {
            title,
            description: optional_string(step_members, &step_path, "description")?,
            fields: names,
        });
    }
    if let Some(missing) = fields.iter().find(|field| !placed.contains(&field.name)) {
        return Err(invalid(
            &steps_path,
            &format!(
                "the field \"{}\" is on no step; add it to the fields of one step",
                missing.name
            ),
        ));
    }

    // Keep the field list in the order of the steps, so both agree.
    fields.sort_by_key(|field| placed.iter().position(|name| name == &field.name));
    Ok(steps)
}

/// Applies `order` and `fields` of a UI object to the fields it describes.
fn apply_field_uis(
    members: &[(String, JsonValue)],
    path: &str,
    fields: &mut [Field],
    root: &[Field],
) -> Result<(), SchemaError> {
    let siblings = fields.to_vec();
    if let Some(order) = member(members, "order") {
        let order_path = format!("{path}/order");
        let names = string_list(order, &order_path)?;
        for (index, name) in names.iter().enumerate() {
            if !fields.iter().any(|field| &field.name == name) {
                return Err(invalid(
                    &format!("{order_path}/{index}"),
                    &format!("there is no field \"{name}\"{}", known_names(fields)),
                ));
            }
        }
        // Listed fields first, in the listed order; the others keep their
        // schema order after them.
        fields.sort_by_key(|field| {
            names
                .iter()
                .position(|name| name == &field.name)
                .unwrap_or(names.len())
        });
    }

    let Some(entries) = member(members, "fields") else {
        return Ok(());
    };
    let entries_path = format!("{path}/fields");
    for (name, entry) in object(entries, &entries_path)? {
        let entry_path = pointer(&entries_path, name);
        let known = known_names(fields);
        let Some(field) = fields.iter_mut().find(|field| &field.name == name) else {
            return Err(invalid(
                &entry_path,
                &format!("there is no field \"{name}\"{known}"),
            ));
        };
        apply_field_ui(entry, &entry_path, field, root, &siblings)?;
    }
    Ok(())
}

fn apply_field_ui(
    entry: &JsonValue,
    path: &str,
    field: &mut Field,
    root: &[Field],
    siblings: &[Field],
) -> Result<(), SchemaError> {
    let members = object(entry, path)?;
    check_keywords(members, path, FIELD_UI_KEYWORDS)?;

    let help = optional_string(members, path, "help")?;
    let item_title = optional_string(members, path, "item_title")?;
    if item_title.is_some() && !matches!(field.kind, Kind::Repeated(_)) {
        return Err(invalid(
            &format!("{path}/item_title"),
            "item_title applies only to a repeated group (an array of objects)",
        ));
    }

    let control = match optional_string(members, path, "control")? {
        None => None,
        Some(name) => {
            let control_path = format!("{path}/control");
            let control = Control::from_name(&name).ok_or_else(|| {
                invalid(&control_path, &format!("unknown control \"{name}\"; use input, textarea, radio, select or checkbox"))
            })?;
            let fits = match control {
                Control::Input => matches!(field.kind, Kind::Text | Kind::Integer | Kind::Number),
                Control::Textarea => {
                    matches!(field.kind, Kind::Text) && field.rules.choices.is_none()
                }
                Control::Radio | Control::Select => field.rules.choices.is_some(),
                Control::Checkbox => matches!(field.kind, Kind::Boolean | Kind::List(_)),
            };
            if !fits {
                return Err(invalid(&control_path, &format!("the control \"{name}\" does not fit this field: radio and select need choices, textarea a text without choices, checkbox a boolean or a list")));
            }
            Some(control)
        }
    };

    let autocomplete = match optional_string(members, path, "autocomplete")? {
        None => None,
        Some(token) => {
            if !super::autocomplete::is_valid(&token) {
                return Err(invalid(&format!("{path}/autocomplete"), &format!("\"{token}\" is not an HTML autocomplete token; use one such as name, email, tel, postal-code, street-address, address-level2 or off")));
            }
            Some(token)
        }
    };

    if let Some(condition) = member(members, "visible_if") {
        let condition_path = format!("{path}/visible_if");
        let parsed = parse_condition(condition, &condition_path)?;
        check_condition(&parsed, root, siblings, &field.name, &condition_path)?;
        field.visible_if = Some(match field.visible_if.take() {
            Some(existing) => Condition::All(vec![existing, parsed]),
            None => parsed,
        });
    }
    if let Some(condition) = member(members, "required_if") {
        let condition_path = format!("{path}/required_if");
        let parsed = parse_condition(condition, &condition_path)?;
        check_condition(&parsed, root, siblings, &field.name, &condition_path)?;
        field.required_if = Some(match field.required_if.take() {
            Some(existing) => Condition::Any(vec![existing, parsed]),
            None => parsed,
        });
    }

    apply_date_limits(members, path, field)?;

    field.ui = FieldUi {
        help,
        control,
        autocomplete,
        item_title,
    };
    let has_children = member(members, "order").is_some() || member(members, "fields").is_some();
    match &mut field.kind {
        Kind::Group(children) | Kind::Repeated(children) => {
            apply_field_uis(members, path, children, root)?
        }
        _ if has_children => {
            return Err(invalid(
                path,
                "\"order\" and \"fields\" apply only to a group or a repeated group",
            ));
        }
        _ => {}
    }
    Ok(())
}

/// Reads a condition of the `x-ogkit` section.
fn parse_condition(node: &JsonValue, path: &str) -> Result<Condition, SchemaError> {
    let members = object(node, path)?;
    check_keywords(members, path, CONDITION_KEYWORDS)?;

    let list = |keyword: &str| -> Result<Vec<Condition>, SchemaError> {
        let list_path = format!("{path}/{keyword}");
        match member(members, keyword) {
            Some(JsonValue::Array(entries)) if !entries.is_empty() => entries
                .iter()
                .enumerate()
                .map(|(index, entry)| parse_condition(entry, &format!("{list_path}/{index}")))
                .collect(),
            _ => Err(invalid(
                &list_path,
                &format!("\"{keyword}\" must be a non-empty list of conditions"),
            )),
        }
    };
    let only = |keyword: &str| -> Result<(), SchemaError> {
        if members.len() == 1 {
            Ok(())
        } else {
            Err(invalid(
                path,
                &format!("a condition with \"{keyword}\" can have no other keys"),
            ))
        }
    };

    if member(members, "all").is_some() {
        only("all")?;
        return Ok(Condition::All(list("all")?));
    }
    if member(members, "any").is_some() {
        only("any")?;
        return Ok(Condition::Any(list("any")?));
    }
    if let Some(inner) = member(members, "not") {
        only("not")?;
        return Ok(Condition::Not(Box::new(parse_condition(
            inner,
            &format!("{path}/not"),
        )?)));
    }

    let Some(reference) = optional_string(members, path, "field")? else {
        return Err(invalid(path, "a condition needs \"field\" with \"equals\", \"in\" or \"filled\", or one of \"all\", \"any\", \"not\""));
    };
    let field = parse_reference(&reference)
        .ok_or_else(|| invalid(&format!("{path}/field"), "the field reference is empty"))?;
    let tests = ["equals", "in", "filled"]
        .iter()
        .filter(|keyword| member(members, keyword).is_some())
        .count();
    if tests != 1 {
        return Err(invalid(
            path,
            "a condition on a field needs exactly one of \"equals\", \"in\" or \"filled\"",
        ));
    }
    if let Some(value) = member(members, "equals") {
        return Ok(Condition::Equals {
            field,
            value: value.clone(),
        });
    }
    if let Some(values) = member(members, "in") {
        let JsonValue::Array(values) = values else {
            return Err(invalid(
                &format!("{path}/in"),
                "\"in\" must be a list of values",
            ));
        };
        return Ok(Condition::In {
            field,
            values: values.clone(),
        });
    }
    match member(members, "filled") {
        Some(JsonValue::Bool(true)) => Ok(Condition::Filled { field }),
        Some(JsonValue::Bool(false)) => Ok(Condition::Not(Box::new(Condition::Filled { field }))),
        _ => Err(invalid(&format!("{path}/filled"), "expected true or false")),
    }
}

/// Splits `"name"` or `"/group/name"` into a reference.
fn parse_reference(text: &str) -> Option<FieldRef> {
    let absolute = text.starts_with('/');
    let names: Vec<String> = text
        .trim_start_matches('/')
        .split('/')
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect();
    if names.iter().any(String::is_empty) {
        return None;
    }
    Some(FieldRef { absolute, names })
}

/// Checks that a condition refers to an existing field outside any
/// repeated group (or in the same entry) and compares with values that the
/// field can have. `root` contains the top-level fields, and `siblings` the
/// fields of the object that contains the field named `own`.
fn check_condition(
    condition: &Condition,
    root: &[Field],
    siblings: &[Field],
    own: &str,
    path: &str,
) -> Result<(), SchemaError> {
    let (reference, values) = match condition {
        Condition::Equals { field, value } => (field, std::slice::from_ref(value)),
        Condition::In { field, values } => (field, values.as_slice()),
        Condition::Filled { field } => (field, &[][..]),
        Condition::Not(inner) => return check_condition(inner, root, siblings, own, path),
        Condition::All(inner) | Condition::Any(inner) => {
            return inner
                .iter()
                .try_for_each(|condition| check_condition(condition, root, siblings, own, path))
        }
    };

    let shown = reference_text(reference);
    let start = if reference.absolute { root } else { siblings };
    let mut candidates = start;
    let mut target = None;
    for (index, name) in reference.names.iter().enumerate() {
        let Some(found) = candidates.iter().find(|field| &field.name == name) else {
            return Err(invalid(
                path,
                &format!(
                    "the condition refers to \"{shown}\", which does not exist{}",
                    known_names(candidates)
                ),
            ));
        };
        if index + 1 < reference.names.len() {
            match &found.kind {
                Kind::Group(children) => candidates = children,
                Kind::Repeated(_) => {
                    return Err(invalid(path, &format!("the condition refers into the repeated group \"{name}\"; a condition can test a field of the same entry or outside any repeated group")));
                }
                _ => {
                    return Err(invalid(
                        path,
                        &format!(
                            "the condition refers to \"{shown}\", but \"{name}\" has no fields"
                        ),
                    ))
                }
            }
        }
        target = Some(found);
    }
    let Some(target) = target else {
        return Err(invalid(path, "the condition refers to no field"));
    };
    if !reference.absolute && reference.names.len() == 1 && target.name == own {
        return Err(invalid(
            path,
            &format!("the field \"{own}\" cannot depend on itself"),
        ));
    }

    if let Some(value) = values.iter().find(|value| !value_fits(value, &target.kind)) {
        return Err(invalid(
            path,
            &format!(
                "the condition compares \"{shown}\" with {}, which is not a value of its type \"{}\"",
                display_value(value),
                kind_type_name(&target.kind)
            ),
        ));
    }

    let item_choices = target
        .rules
        .items
        .as_ref()
        .and_then(|items| items.choices.as_ref());
    if let Some(choices) = target.rules.choices.as_ref().or(item_choices) {
        for value in values {
            if !choices
                .iter()
                .any(|choice| values_equal(&choice.value, value))
            {
                let listed: Vec<String> = choices
                    .iter()
                    .filter_map(|choice| scalar_text(&choice.value))
                    .collect();
                return Err(invalid(path, &format!(
                    "the condition compares \"{shown}\" with {}, which is not one of its choices ({})",
                    display_value(value),
                    listed.join(", ")
                )));
            }
        }
    }
    Ok(())
}

fn reference_text(reference: &FieldRef) -> String {
    let joined = reference.names.join("/");
    if reference.absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

fn display_value(value: &JsonValue) -> String {
    match value {
        JsonValue::String(text) => format!("\"{text}\""),
        other => scalar_text(other).unwrap_or_else(|| "a list or object".to_owned()),
    }
}

/// Returns true when `value` is a value a field of `kind` can hold.
fn value_fits(value: &JsonValue, kind: &Kind) -> bool {
    match (kind, value) {
        (Kind::Text | Kind::List(Scalar::Text), JsonValue::String(_)) => true,
        (Kind::Number | Kind::List(Scalar::Number), JsonValue::Number(_)) => true,
        (Kind::Integer | Kind::List(Scalar::Integer), JsonValue::Number(literal)) => literal
            .parse::<f64>()
            .is_ok_and(|number| number.fract() == 0.0),
        (Kind::Boolean, JsonValue::Bool(_)) => true,
        _ => false,
    }
}

/// Returns true when two JSON values are equal, comparing numbers by value
/// (`1` equals `1.0`).
pub(crate) fn values_equal(left: &JsonValue, right: &JsonValue) -> bool {
    match (left, right) {
        (JsonValue::Number(a), JsonValue::Number(b)) => {
            match (a.parse::<f64>(), b.parse::<f64>()) {
                (Ok(a), Ok(b)) => a == b,
                _ => a == b,
            }
        }
        (JsonValue::Array(a), JsonValue::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| values_equal(a, b))
        }
        _ => left == right,
    }
}

/// Returns a string, number or boolean as text.
pub(crate) fn scalar_text(value: &JsonValue) -> Option<String> {
    match value {
        JsonValue::String(text) => Some(text.clone()),
        JsonValue::Number(literal) => Some(literal.clone()),
        JsonValue::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

fn known_names(fields: &[Field]) -> String {
    if fields.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = fields.iter().map(|field| field.name.as_str()).collect();
    format!("; the fields here are: {}", names.join(", "))
}

/// Rejects members that are not among `allowed`, naming a likely intended
/// keyword or saying that a JSON Schema keyword is unsupported.
pub(crate) fn check_keywords(
    members: &[(String, JsonValue)],
    path: &str,
    allowed: &[&str],
) -> Result<(), SchemaError> {
    for (index, (key, _)) in members.iter().enumerate() {
        if members[..index].iter().any(|(earlier, _)| earlier == key) {
            return Err(invalid(
                &pointer(path, key),
                &format!("the key \"{key}\" appears twice"),
            ));
        }
        if allowed.contains(&key.as_str()) {
            continue;
        }
        let key_path = pointer(path, key);
        if UNSUPPORTED_KEYWORDS.contains(&key.as_str())
            || (FIELD_KEYWORDS.contains(&key.as_str()) && allowed == BRANCH_KEYWORDS)
        {
            return Err(invalid(
                &key_path,
                &format!("the keyword \"{key}\" is not supported here by ogkit forms"),
            ));
        }
        let suggestion = allowed
            .iter()
            .map(|candidate| (edit_distance(key, candidate), candidate))
            .filter(|(distance, _)| *distance <= 2)
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, candidate)| format!("; did you mean \"{candidate}\"?"))
            .unwrap_or_else(|| format!("; allowed here: {}", allowed.join(", ")));
        return Err(invalid(
            &key_path,
            &format!("unknown keyword \"{key}\"{suggestion}"),
        ));
    }
    Ok(())
}

/// Levenshtein distance over characters, for keyword suggestions.
fn edit_distance(left: &str, right: &str) -> usize {
    let right: Vec<char> = right.chars().collect();
    let mut previous: Vec<usize> = (0..=right.len()).collect();
    for (i, left_char) in left.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, right_char) in right.iter().enumerate() {
            let substitution = previous[j] + usize::from(left_char != *right_char);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[right.len()]
}

pub(crate) fn member<'a>(members: &'a [(String, JsonValue)], key: &str) -> Option<&'a JsonValue> {
    members
        .iter()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value)
}

pub(crate) fn object<'a>(node: &'a JsonValue, path: &str) -> Result<&'a [(String, JsonValue)], SchemaError> {
    match node {
        JsonValue::Object(members) => Ok(members),
        _ => Err(invalid(path, "expected an object { … }")),
    }
}

/// The largest distance from today that `min_days_from_today` and
/// `max_days_from_today` accept: about 100 years.
const MAX_DAYS_FROM_TODAY: i32 = 36_500;

/// Reads the relative date limits of a field's `x-ogkit` entry into its rules.
fn apply_date_limits(members: &[(String, JsonValue)], path: &str, field: &mut Field) -> Result<(), SchemaError> {
    let keys = ["min_days_from_today", "max_days_from_today", "weekdays", "exclude_holidays"];
    let Some(first) = keys.iter().find(|key| member(members, key).is_some()) else {
        return Ok(());
    };
    if !matches!(field.kind, Kind::Text) || field.rules.format != Some(Format::Date) {
        return Err(invalid(&pointer(path, first), &format!("{first} applies only to a string with \"format\": \"date\"")));
    }
    let days = |key: &str| -> Result<Option<i32>, SchemaError> {
        let Some(value) = member(members, key) else { return Ok(None) };
        let parsed = match value {
            JsonValue::Number(literal) => literal.parse::<i32>().ok(),
            _ => None,
        };
        match parsed {
            Some(number) if number.abs() <= MAX_DAYS_FROM_TODAY => Ok(Some(number)),
            _ => Err(invalid(
                &pointer(path, key),
                &format!("expected a whole number of days from -{MAX_DAYS_FROM_TODAY} to {MAX_DAYS_FROM_TODAY}, such as 0 for \"not in the past\""),
            )),
        }
    };
    let min = days("min_days_from_today")?;
    let max = days("max_days_from_today")?;
    if let (Some(min), Some(max)) = (min, max) {
        if min > max {
            return Err(invalid(
                &pointer(path, "max_days_from_today"),
                &format!("max_days_from_today ({max}) is smaller than min_days_from_today ({min}), so no date is allowed"),
            ));
        }
    }
    let weekdays = match member(members, "weekdays") {
        None => None,
        Some(value) => {
            let weekdays_path = pointer(path, "weekdays");
            let JsonValue::Array(entries) = value else {
                return Err(invalid(&weekdays_path, "expected a list of weekday numbers, 1 (Monday) to 7 (Sunday), such as [1, 2, 3, 4, 5]"));
            };
            let mut list = Vec::new();
            for (index, entry) in entries.iter().enumerate() {
                let number = match entry {
                    JsonValue::Number(literal) => literal.parse::<u8>().ok().filter(|day| (1..=7).contains(day)),
                    _ => None,
                };
                let Some(number) = number else {
                    return Err(invalid(&format!("{weekdays_path}/{index}"), "expected a weekday number, 1 (Monday) to 7 (Sunday)"));
                };
                if list.contains(&number) {
                    return Err(invalid(&format!("{weekdays_path}/{index}"), &format!("weekday {number} is listed twice")));
                }
                list.push(number);
            }
            if list.is_empty() {
                return Err(invalid(&weekdays_path, "the list is empty, so no date is allowed; name at least one weekday"));
            }
            list.sort_unstable();
            Some(list)
        }
    };
    let exclude_holidays = match member(members, "exclude_holidays") {
        None => None,
        Some(value) => {
            let region = match value {
                JsonValue::String(code) => HolidayRegion::parse(code),
                _ => None,
            };
            let Some(region) = region else {
                return Err(invalid(
                    &pointer(path, "exclude_holidays"),
                    "expected \"DE\" for the nationwide public holidays, or a state's ISO 3166-2 code such as \"DE-BY\" for its holidays as well",
                ));
            };
            Some(region)
        }
    };
    field.rules.min_days_from_today = min;
    field.rules.max_days_from_today = max;
    field.rules.weekdays = weekdays;
    field.rules.exclude_holidays = exclude_holidays;
    Ok(())
}

pub(crate) fn optional_string(
    members: &[(String, JsonValue)],
    path: &str,
    key: &str,
) -> Result<Option<String>, SchemaError> {
    match member(members, key) {
        None => Ok(None),
        Some(JsonValue::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(invalid(&pointer(path, key), "expected a string")),
    }
}

fn optional_count(
    members: &[(String, JsonValue)],
    path: &str,
    key: &str,
) -> Result<Option<u64>, SchemaError> {
    match member(members, key) {
        None => Ok(None),
        Some(value) => value
            .as_u64()
            .map(Some)
            .ok_or_else(|| invalid(&pointer(path, key), "expected a whole number, 0 or more")),
    }
}

fn string_list(node: &JsonValue, path: &str) -> Result<Vec<String>, SchemaError> {
    let JsonValue::Array(entries) = node else {
        return Err(invalid(path, "expected a list of strings"));
    };
    entries
        .iter()
        .enumerate()
        .map(|(index, entry)| match entry {
            JsonValue::String(text) => Ok(text.clone()),
            _ => Err(invalid(&format!("{path}/{index}"), "expected a string")),
        })
        .collect()
}

/// Appends `name` to a JSON Pointer, escaping `~` and `/` (RFC 6901).
pub(crate) fn pointer(path: &str, name: &str) -> String {
    format!("{path}/{}", name.replace('~', "~0").replace('/', "~1"))
}

pub(crate) fn invalid(path: &str, reason: &str) -> SchemaError {
    SchemaError::Invalid {
        path: path.to_owned(),
        reason: reason.to_owned(),
    }
}
