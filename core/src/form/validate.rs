//! Checking submitted data against a schema.
//!
//! Submitted data is first normalised ([`normalize`]):
//!
//! - text is trimmed, so a field of only spaces counts as missing, exactly
//!   like an untouched one;
//! - empty strings, empty lists and `null` are removed;
//! - numbers typed as text (`"3,5"`) become numbers, dates typed the German
//!   way become ISO dates, and IBANs lose their spaces;
//! - every field that is hidden by its condition is removed, together with
//!   keys the schema does not know, so the stored data keeps only visible
//!   fields.
//!
//! [`validate`] checks the normalised data and returns every [`Violation`]
//! at once. Hidden fields are never checked. [`prepare`] does both steps and
//! returns the data to store.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::formats::{self, check_iban, compact_iban, Date, IbanProblem};
use super::parse::{pointer, scalar_text, values_equal};
use super::schema::{
    Bound, BoundValue, Choice, Condition, Field, FieldRef, Format, Kind, Rules, Scalar, Schema,
};
use crate::table::JsonValue;

/// One broken rule: where, which rule, and the values for its message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// JSON Pointer of the value in the submitted data, such as `/plz` or
    /// `/gegenstaende/1/bezeichnung`. Empty when the data as a whole is
    /// wrong.
    pub path: String,
    /// Title of the field, as the user sees it.
    pub field: String,
    /// The broken rule.
    pub key: ViolationKey,
    /// Values for the message, such as `min` for [`ViolationKey::TooShort`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
}

/// Stable identifier of a broken rule. Serialised in snake case
/// (`too_short`); [`ViolationKey::as_str`] gives the same text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ViolationKey {
    /// A required field is missing or blank. Parameter `input`: `text`,
    /// `choice`, `checkbox` or `entries`, to say what the user must do.
    Required,
    /// The value has the wrong JSON type. Parameter `expected`: `text`,
    /// `integer`, `number`, `boolean`, `list` or `object`.
    InvalidType,
    /// Fewer characters than `minLength`. Parameters `min`, `length`.
    TooShort,
    /// More characters than `maxLength`. Parameters `max`, `length`.
    TooLong,
    /// The text does not match `pattern`. Parameters `pattern` and, when the
    /// schema has `examples`, `example`.
    PatternMismatch,
    /// Not an e-mail address.
    InvalidEmail,
    /// Not a calendar date.
    InvalidDate,
    /// Not five digits.
    InvalidPlz,
    /// Not shaped like an IBAN.
    InvalidIban,
    /// An IBAN whose mod-97 check digits do not match: a typing mistake.
    IbanCheckDigits,
    /// Not a telephone number.
    InvalidPhone,
    /// A number below the minimum. Parameters `min`, `exclusive` (`true`
    /// when the minimum itself is not allowed).
    TooSmall,
    /// A number above the maximum. Parameters `max`, `exclusive`.
    TooLarge,
    /// A date before `formatMinimum`. Parameter `min` (ISO date).
    DateTooEarly,
    /// A date on a day of the week that `weekdays` does not allow.
    /// Parameters `weekdays` (ISO numbers joined by commas, 1 is Monday) and
    /// `weekday` (the date's own).
    WrongWeekday,
    /// A date after `formatMaximum`. Parameter `max` (ISO date).
    DateTooLate,
    /// A date on a public holiday of the region in `exclude_holidays`.
    /// Parameters `holiday` (an id such as `ostermontag`) and `region`
    /// (such as `DE-BY`).
    PublicHoliday,
    /// A value that is not among the choices offered. Parameter `value`.
    NotAChoice,
    /// Fewer list entries than `minItems`. Parameters `min`, `count`,
    /// `input` (`choice` or `entries`).
    TooFewItems,
    /// More list entries than `maxItems`. Parameters `max`, `count`,
    /// `input`.
    TooManyItems,
    /// The same entry twice in a list with `uniqueItems`. Parameter `value`.
    DuplicateItem,
    /// A checkbox with `"const": true` is not ticked.
    MustAccept,
    /// The value differs from `const`. Parameter `expected`.
    WrongValue,
}

impl ViolationKey {
    /// Every key, in the order of the enum.
    pub const ALL: [ViolationKey; 23] = [
        ViolationKey::Required,
        ViolationKey::InvalidType,
        ViolationKey::TooShort,
        ViolationKey::TooLong,
        ViolationKey::PatternMismatch,
        ViolationKey::InvalidEmail,
        ViolationKey::InvalidDate,
        ViolationKey::InvalidPlz,
        ViolationKey::InvalidIban,
        ViolationKey::IbanCheckDigits,
        ViolationKey::InvalidPhone,
        ViolationKey::TooSmall,
        ViolationKey::TooLarge,
        ViolationKey::DateTooEarly,
        ViolationKey::WrongWeekday,
        ViolationKey::DateTooLate,
        ViolationKey::PublicHoliday,
        ViolationKey::NotAChoice,
        ViolationKey::TooFewItems,
        ViolationKey::TooManyItems,
        ViolationKey::DuplicateItem,
        ViolationKey::MustAccept,
        ViolationKey::WrongValue,
    ];

    /// Returns the key as text, such as `"too_short"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ViolationKey::Required => "required",
            ViolationKey::InvalidType => "invalid_type",
            ViolationKey::TooShort => "too_short",
            ViolationKey::TooLong => "too_long",
            ViolationKey::PatternMismatch => "pattern_mismatch",
            ViolationKey::InvalidEmail => "invalid_email",
            ViolationKey::InvalidDate => "invalid_date",
            ViolationKey::InvalidPlz => "invalid_plz",
            ViolationKey::InvalidIban => "invalid_iban",
            ViolationKey::IbanCheckDigits => "iban_check_digits",
            ViolationKey::InvalidPhone => "invalid_phone",
            ViolationKey::TooSmall => "too_small",
            ViolationKey::TooLarge => "too_large",
            ViolationKey::DateTooEarly => "date_too_early",
            ViolationKey::WrongWeekday => "wrong_weekday",
            ViolationKey::DateTooLate => "date_too_late",
            ViolationKey::PublicHoliday => "public_holiday",
            ViolationKey::NotAChoice => "not_a_choice",
            ViolationKey::TooFewItems => "too_few_items",
            ViolationKey::TooManyItems => "too_many_items",
            ViolationKey::DuplicateItem => "duplicate_item",
            ViolationKey::MustAccept => "must_accept",
            ViolationKey::WrongValue => "wrong_value",
        }
    }
}

impl Violation {
    fn new(path: &str, field: &Field, key: ViolationKey) -> Violation {
        Violation {
            path: path.to_owned(),
            field: field.title.clone(),
            key,
            params: BTreeMap::new(),
        }
    }

    fn with(mut self, name: &str, value: impl Into<String>) -> Violation {
        self.params.insert(name.to_owned(), value.into());
        self
    }

    /// Returns the value of the parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

/// Checks `data` against `schema` and returns every violation, in field
/// order. An empty list means the data may be submitted.
///
/// The data is normalised first (see [`normalize`]), so `"  "` counts as
/// missing, and fields hidden by a condition are neither checked nor
/// reported.
///
/// Without a reference date the relative date limits
/// (`min_days_from_today`, `max_days_from_today`, `weekdays`) are not
/// checked; the widget and the server call [`validate_on`] instead.
pub fn validate(schema: &Schema, data: &JsonValue) -> Vec<Violation> {
    check_all(schema, data, None)
}

/// Checks `data` as [`validate`] does, and the relative date limits against
/// `today`, the reference date. Callers pass today's date in the
/// Europe/Berlin calendar ([`Date::today_in_berlin`]), so the widget and
/// the server agree about which day "today" is.
pub fn validate_on(schema: &Schema, data: &JsonValue, today: Date) -> Vec<Violation> {
    check_all(schema, data, Some(today))
}

/// Normalises and checks `data` as [`prepare`] does, with the relative date
/// limits checked against `today`.
///
/// # Errors
///
/// Returns the violations when there is at least one.
pub fn prepare_on(schema: &Schema, data: &JsonValue, today: Date) -> Result<JsonValue, Vec<Violation>> {
    let violations = validate_on(schema, data, today);
    if violations.is_empty() {
        Ok(normalize(schema, data))
    } else {
        Err(violations)
    }
}

/// The violations found so far and the reference date of relative date
/// limits. It dereferences to the list, so checks push onto it directly.
struct Collector {
    list: Vec<Violation>,
    today: Option<Date>,
}

impl std::ops::Deref for Collector {
    type Target = Vec<Violation>;

    fn deref(&self) -> &Vec<Violation> {
        &self.list
    }
}

impl std::ops::DerefMut for Collector {
    fn deref_mut(&mut self) -> &mut Vec<Violation> {
        &mut self.list
    }
}

fn check_all(schema: &Schema, data: &JsonValue, today: Option<Date>) -> Vec<Violation> {
    let mut violations = Collector { list: Vec::new(), today };
    let normalized = normalize(schema, data);
    if !matches!(data, JsonValue::Object(_)) {
        violations.push(Violation {
            path: String::new(),
            field: schema.title.clone(),
            key: ViolationKey::InvalidType,
            params: BTreeMap::from([("expected".to_owned(), "object".to_owned())]),
        });
        return violations.list;
    }
    let members = as_members(&normalized);
    check_fields(&schema.fields, members, members, "", None, &mut violations);
    violations.list
}

/// Normalises and checks `data`. Returns the data to store, or every
/// violation.
///
/// The stored data keeps only visible fields known to the schema, with
/// trimmed text and without empty values.
///
/// # Errors
///
/// Returns the violations when there is at least one.
pub fn prepare(schema: &Schema, data: &JsonValue) -> Result<JsonValue, Vec<Violation>> {
    let violations = validate(schema, data);
    if violations.is_empty() {
        Ok(normalize(schema, data))
    } else {
        Err(violations)
    }
}

/// Returns `data` normalised as the module documentation describes: trimmed,
/// without empty values, unknown keys or hidden fields. Data that is not an
/// object becomes an empty object.
pub fn normalize(schema: &Schema, data: &JsonValue) -> JsonValue {
    let JsonValue::Object(members) = data else {
        return JsonValue::Object(Vec::new());
    };
    let mut cleaned = clean_members(&schema.fields, members);

    // Hiding one field can hide another that depends on it, so repeat until
    // nothing changes. Each round removes at least one value, so this ends.
    loop {
        let snapshot = cleaned.clone();
        if !remove_hidden(&schema.fields, &snapshot, &mut cleaned) {
            break;
        }
    }
    JsonValue::Object(cleaned)
}

/// Removes the values of hidden fields and the choices that are no longer
/// offered, but keeps the text as typed (no trimming).
///
/// The widget calls this after every change, so that switching a branch of
/// the form clears what belongs to the other branch. Examples are the number
/// typed into a field that is now hidden, or a ticked checkbox that the new
/// branch does not offer. Data that is not an object is returned unchanged.
pub fn prune(schema: &Schema, data: &JsonValue) -> JsonValue {
    let JsonValue::Object(members) = data else {
        return data.clone();
    };
    let mut pruned = members.clone();

    // Each round removes at least one value or stops, so this ends.
    loop {
        let snapshot = pruned.clone();
        let hidden = remove_hidden(&schema.fields, &snapshot, &mut pruned);
        let snapshot = pruned.clone();
        let unoffered = remove_unoffered(&schema.fields, &snapshot, &snapshot, &mut pruned);
        if !hidden && !unoffered {
            break;
        }
    }
    JsonValue::Object(pruned)
}

/// Removes single choices and list entries that `offered_choices` no longer
/// lists. Returns true when something was removed.
fn remove_unoffered(
    fields: &[Field],
    root: &[(String, JsonValue)],
    local: &[(String, JsonValue)],
    target: &mut Vec<(String, JsonValue)>,
) -> bool {
    let mut changed = false;
    let root_value = JsonValue::Object(root.to_vec());
    let local_value = JsonValue::Object(local.to_vec());
    for field in fields {
        let Some(index) = target.iter().position(|(key, _)| key == &field.name) else {
            continue;
        };
        let local_field_value = get(local, &field.name);
        match (&field.kind, &mut target[index].1, local_field_value) {
            (
                Kind::Group(children),
                JsonValue::Object(members),
                Some(JsonValue::Object(local_members)),
            ) => {
                changed |= remove_unoffered(children, root, local_members, members);
            }
            (
                Kind::Repeated(children),
                JsonValue::Array(items),
                Some(JsonValue::Array(local_items)),
            ) => {
                for (item, local_item) in items.iter_mut().zip(local_items) {
                    if let (JsonValue::Object(members), JsonValue::Object(local_members)) =
                        (item, local_item)
                    {
                        changed |= remove_unoffered(children, root, local_members, members);
                    }
                }
            }
            (Kind::List(_), JsonValue::Array(entries), _) if choices_of(&field.rules).is_some() => {
                let offered = offered_choices(field, &root_value, &local_value);
                let before = entries.len();
                entries.retain(|entry| {
                    offered
                        .iter()
                        .any(|choice| loosely_equal(&choice.value, entry))
                });
                changed |= entries.len() != before;
                if entries.is_empty() {
                    target.remove(index);
                }
            }
            (_, value, _)
                if field.rules.choices.is_some()
                    && !matches!(value, JsonValue::Array(_) | JsonValue::Object(_)) =>
            {
                let offered = offered_choices(field, &root_value, &local_value);
                let blank = matches!(value, JsonValue::String(text) if text.trim().is_empty());
                if !blank
                    && !offered
                        .iter()
                        .any(|choice| loosely_equal(&choice.value, value))
                {
                    target.remove(index);
                    changed = true;
                }
            }
            _ => {}
        }
    }
    changed
}

/// Returns the choices of `field` that are offered while the data is
/// `data`: the field's own choices (for a list, its items' choices),
/// narrowed by every active conditional rule. `local` is the object that
/// contains the field (the entry of a repeated group, or the data itself).
pub fn offered_choices<'a>(
    field: &'a Field,
    root: &JsonValue,
    local: &JsonValue,
) -> Vec<&'a Choice> {
    let own = choices_of(&field.rules)
        .map(|choices| choices.iter().collect::<Vec<_>>())
        .unwrap_or_default();
    let (root, local) = (as_members(root), as_members(local));
    field
        .conditional_rules
        .iter()
        .filter(|(condition, _)| holds(condition, root, local))
        .filter_map(|(_, rules)| choices_of(rules))
        .fold(own, |offered, allowed| {
            offered
                .into_iter()
                .filter(|choice| {
                    allowed
                        .iter()
                        .any(|other| values_equal(&other.value, &choice.value))
                })
                .collect()
        })
}

/// Returns true when `field` is shown while the data is `root`, with
/// `local` the object that contains the field.
pub fn is_visible(field: &Field, root: &JsonValue, local: &JsonValue) -> bool {
    field
        .visible_if
        .as_ref()
        .is_none_or(|condition| holds(condition, as_members(root), as_members(local)))
}

/// Returns true when `field` must be filled in while the data is `root`.
pub fn is_required(field: &Field, root: &JsonValue, local: &JsonValue) -> bool {
    field.required
        || field
            .required_if
            .as_ref()
            .is_some_and(|condition| holds(condition, as_members(root), as_members(local)))
}

fn choices_of(rules: &Rules) -> Option<&[Choice]> {
    rules.choices.as_deref().or_else(|| {
        rules
            .items
            .as_ref()
            .and_then(|items| items.choices.as_deref())
    })
}

fn as_members(value: &JsonValue) -> &[(String, JsonValue)] {
    match value {
        JsonValue::Object(members) => members,
        _ => &[],
    }
}

fn get<'a>(members: &'a [(String, JsonValue)], name: &str) -> Option<&'a JsonValue> {
    members
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

// ---------------------------------------------------------------------------
// Normalising

/// Cleans the members of one object: known fields only, in schema order.
fn clean_members(fields: &[Field], members: &[(String, JsonValue)]) -> Vec<(String, JsonValue)> {
    let mut cleaned = Vec::new();
    for field in fields {
        let Some(value) = get(members, &field.name) else {
            continue;
        };
        if let Some(value) = clean_value(field, value) {
            cleaned.push((field.name.clone(), value));
        }
    }
    cleaned
}

/// Cleans one value; `None` means the value counts as missing.
fn clean_value(field: &Field, value: &JsonValue) -> Option<JsonValue> {
    match (&field.kind, value) {
        (_, JsonValue::Null) => None,
        (Kind::Text, JsonValue::String(text)) => clean_text(text, field.rules.format),
        (Kind::Integer | Kind::Number, JsonValue::String(text)) => {
            let trimmed = text.trim();
            if trimmed.is_empty() {
                return None;
            }
            Some(
                parse_typed_number(trimmed)
                    .map_or_else(|| JsonValue::String(trimmed.to_owned()), JsonValue::Number),
            )
        }
        (Kind::List(scalar), JsonValue::Array(items)) => {
            let item_format = field.rules.items.as_ref().and_then(|items| items.format);
            let cleaned: Vec<JsonValue> = items
                .iter()
                .filter_map(|item| match (scalar, item) {
                    (_, JsonValue::Null) => None,
                    (Scalar::Text, JsonValue::String(text)) => clean_text(text, item_format),
                    (Scalar::Integer | Scalar::Number, JsonValue::String(text)) => {
                        let trimmed = text.trim();
                        (!trimmed.is_empty()).then(|| {
                            parse_typed_number(trimmed).map_or_else(
                                || JsonValue::String(trimmed.to_owned()),
                                JsonValue::Number,
                            )
                        })
                    }
                    (_, other) => Some(other.clone()),
                })
                .collect();
            (!cleaned.is_empty()).then_some(JsonValue::Array(cleaned))
        }
        (Kind::Group(children), JsonValue::Object(members)) => {
            let cleaned = clean_members(children, members);
            (!cleaned.is_empty()).then_some(JsonValue::Object(cleaned))
        }
        (Kind::Repeated(children), JsonValue::Array(items)) => {
            // Entries stay even when empty, so positions in violations match
            // the entries on screen.
            let cleaned: Vec<JsonValue> = items
                .iter()
                .map(|item| match item {
                    JsonValue::Object(members) => {
                        JsonValue::Object(clean_members(children, members))
                    }
                    other => other.clone(),
                })
                .collect();
            (!cleaned.is_empty()).then_some(JsonValue::Array(cleaned))
        }
        (_, other) => Some(other.clone()),
    }
}

fn clean_text(text: &str, format: Option<Format>) -> Option<JsonValue> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    let cleaned = match format {
        Some(Format::Iban) => compact_iban(trimmed),
        Some(Format::Date) => match Date::parse_german(trimmed) {
            Some(date) => date.to_string(),
            None => trimmed.to_owned(),
        },
        _ => trimmed.to_owned(),
    };
    Some(JsonValue::String(cleaned))
}

/// Reads a number typed as text, with a decimal point or a German decimal
/// comma, and returns its JSON literal. Thousands separators are not
/// accepted, because `1.000` is one thousand in German and one in English.
fn parse_typed_number(text: &str) -> Option<String> {
    let body = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match body.split_once([',', '.']) {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (body, None),
    };
    let digits_only =
        |part: &str| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit());
    if !digits_only(whole) || fraction.is_some_and(|part| !digits_only(part)) {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let sign = if text.starts_with('-') { "-" } else { "" };
    Some(match fraction {
        Some(fraction) => format!("{sign}{whole}.{fraction}"),
        None => format!("{sign}{whole}"),
    })
}

/// Removes the values of hidden fields from `target`, evaluating conditions
/// on `snapshot`. Returns true when something was removed.
fn remove_hidden(
    fields: &[Field],
    snapshot: &[(String, JsonValue)],
    target: &mut Vec<(String, JsonValue)>,
) -> bool {
    prune_object(fields, snapshot, snapshot, target)
}

fn prune_object(
    fields: &[Field],
    root: &[(String, JsonValue)],
    local: &[(String, JsonValue)],
    target: &mut Vec<(String, JsonValue)>,
) -> bool {
    let mut changed = false;
    for field in fields {
        let Some(index) = target.iter().position(|(key, _)| key == &field.name) else {
            continue;
        };
        if field
            .visible_if
            .as_ref()
            .is_some_and(|condition| !holds(condition, root, local))
        {
            target.remove(index);
            changed = true;
            continue;
        }

        let local_value = get(local, &field.name);
        match (&field.kind, &mut target[index].1, local_value) {
            (
                Kind::Group(children),
                JsonValue::Object(members),
                Some(JsonValue::Object(local_members)),
            ) => {
                changed |= prune_object(children, root, local_members, members);
            }
            (
                Kind::Repeated(children),
                JsonValue::Array(items),
                Some(JsonValue::Array(local_items)),
            ) => {
                for (item, local_item) in items.iter_mut().zip(local_items) {
                    if let (JsonValue::Object(members), JsonValue::Object(local_members)) =
                        (item, local_item)
                    {
                        changed |= prune_object(children, root, local_members, members);
                    }
                }
            }
            _ => {}
        }
    }
    changed
}

// ---------------------------------------------------------------------------
// Conditions

/// Evaluates a condition. `local` is the object that contains the field
/// carrying the condition; references without a leading slash start there.
fn holds(
    condition: &Condition,
    root: &[(String, JsonValue)],
    local: &[(String, JsonValue)],
) -> bool {
    match condition {
        Condition::Equals { field, value } => resolve(field, root, local)
            .is_some_and(|actual| matches_any(actual, std::slice::from_ref(value))),
        Condition::In { field, values } => {
            resolve(field, root, local).is_some_and(|actual| matches_any(actual, values))
        }
        Condition::Filled { field } => resolve(field, root, local).is_some_and(is_filled),
        Condition::Not(inner) => !holds(inner, root, local),
        Condition::All(inner) => inner.iter().all(|condition| holds(condition, root, local)),
        Condition::Any(inner) => inner.iter().any(|condition| holds(condition, root, local)),
    }
}

fn resolve<'a>(
    reference: &FieldRef,
    root: &'a [(String, JsonValue)],
    local: &'a [(String, JsonValue)],
) -> Option<&'a JsonValue> {
    let mut members = if reference.absolute { root } else { local };
    let mut found = None;
    for name in &reference.names {
        let value = get(members, name)?;
        members = as_members(value);
        found = Some(value);
    }
    found
}

/// Returns true when `actual` equals one of `values`; for a list, when one
/// of its entries does.
fn matches_any(actual: &JsonValue, values: &[JsonValue]) -> bool {
    match actual {
        JsonValue::Array(items) => items
            .iter()
            .any(|item| values.iter().any(|value| loosely_equal(value, item))),
        other => values.iter().any(|value| loosely_equal(value, other)),
    }
}

/// Returns true when `typed`, a value as the user entered it, equals
/// `expected`. Text is compared trimmed, and text that reads as a number
/// (`"2"`, `"2,5"`) equals that number, because the widget holds what was
/// typed until the data is normalised.
fn loosely_equal(expected: &JsonValue, typed: &JsonValue) -> bool {
    let JsonValue::String(text) = typed else {
        return values_equal(expected, typed);
    };
    let trimmed = text.trim();
    match expected {
        JsonValue::Number(_) => parse_typed_number(trimmed)
            .is_some_and(|literal| values_equal(expected, &JsonValue::Number(literal))),
        JsonValue::String(wanted) => wanted == trimmed,
        _ => false,
    }
}

/// Returns true when a value counts as filled in: not blank, not an empty
/// list or object, and for a checkbox, ticked.
fn is_filled(value: &JsonValue) -> bool {
    match value {
        JsonValue::Null | JsonValue::Bool(false) => false,
        JsonValue::String(text) => !text.trim().is_empty(),
        JsonValue::Array(items) => !items.is_empty(),
        JsonValue::Object(members) => !members.is_empty(),
        _ => true,
    }
}

// ---------------------------------------------------------------------------
// Checking

/// Position of a field inside a repeated group, for messages.
#[derive(Clone, Copy)]
struct Entry<'a> {
    /// Label of one entry, such as "Gegenstand".
    label: &'a str,
    /// 1-based position of the entry.
    number: usize,
}

fn check_fields(
    fields: &[Field],
    root: &[(String, JsonValue)],
    local: &[(String, JsonValue)],
    path: &str,
    entry: Option<Entry<'_>>,
    violations: &mut Collector,
) {
    for field in fields {
        if field
            .visible_if
            .as_ref()
            .is_some_and(|condition| !holds(condition, root, local))
        {
            continue;
        }
        let field_path = pointer(path, &field.name);
        let start = violations.len();
        check_field(field, root, local, &field_path, violations);
        if let Some(entry) = entry {
            for violation in &mut violations[start..] {
                if !violation.params.contains_key("entry") {
                    violation
                        .params
                        .insert("entry".to_owned(), entry.label.to_owned());
                    violation
                        .params
                        .insert("number".to_owned(), entry.number.to_string());
                }
            }
        }
    }
}

fn check_field(
    field: &Field,
    root: &[(String, JsonValue)],
    local: &[(String, JsonValue)],
    path: &str,
    violations: &mut Collector,
) {
    let Some(value) = get(local, &field.name) else {
        let required = field.required
            || field
                .required_if
                .as_ref()
                .is_some_and(|condition| holds(condition, root, local));
        if !required {
            return;
        }
        // A missing required group is reported at its required fields, so
        // the user sees which inputs to fill in. Only a group without any
        // required field is reported as a whole.
        if let Kind::Group(children) = &field.kind {
            let start = violations.len();
            check_fields(children, root, &[], path, None, violations);
            if violations.len() > start {
                return;
            }
        }
        violations.push(
            Violation::new(path, field, ViolationKey::Required).with("input", input_kind(field)),
        );
        return;
    };

    let active: Vec<&Rules> = std::iter::once(&field.rules)
        .chain(
            field
                .conditional_rules
                .iter()
                .filter(|(condition, _)| holds(condition, root, local))
                .map(|(_, rules)| rules),
        )
        .collect();

    match (&field.kind, value) {
        (Kind::Text, JsonValue::String(text)) => {
            for rules in &active {
                check_text(field, rules, text, path, violations);
            }
        }
        (Kind::Integer, JsonValue::Number(literal)) if is_integer(literal) => {
            for rules in &active {
                check_number(field, rules, value, literal, path, violations);
            }
        }
        (Kind::Number, JsonValue::Number(literal)) => {
            for rules in &active {
                check_number(field, rules, value, literal, path, violations);
            }
        }
        (Kind::Boolean, JsonValue::Bool(_)) => {
            for rules in &active {
                check_constant(field, rules, value, path, violations);
            }
        }
        (Kind::List(scalar), JsonValue::Array(items)) => {
            for rules in &active {
                check_list(field, *scalar, rules, items, path, violations);
            }
        }
        (Kind::Group(children), JsonValue::Object(members)) => {
            check_fields(children, root, members, path, None, violations);
        }
        (Kind::Repeated(children), JsonValue::Array(items)) => {
            for rules in &active {
                check_count(field, rules, items.len(), "entries", path, violations);
            }
            let label = field.ui.item_title.as_deref().unwrap_or(&field.title);
            for (index, item) in items.iter().enumerate() {
                let item_path = format!("{path}/{index}");
                let entry = Some(Entry {
                    label,
                    number: index + 1,
                });
                match item {
                    JsonValue::Object(members) => {
                        check_fields(children, root, members, &item_path, entry, violations)
                    }
                    _ => violations.push(
                        Violation::new(&item_path, field, ViolationKey::InvalidType)
                            .with("expected", "object")
                            .with("entry", label)
                            .with("number", (index + 1).to_string()),
                    ),
                }
            }
        }
        (kind, _) => {
            violations.push(
                Violation::new(path, field, ViolationKey::InvalidType)
                    .with("expected", expected_name(kind)),
            );
        }
    }
}

fn input_kind(field: &Field) -> &'static str {
    match &field.kind {
        Kind::Boolean => "checkbox",
        Kind::Repeated(_) => "entries",
        Kind::List(_) => "choice",
        _ if field.rules.choices.is_some() => "choice",
        _ => "text",
    }
}

fn expected_name(kind: &Kind) -> &'static str {
    match kind {
        Kind::Text => "text",
        Kind::Integer => "integer",
        Kind::Number => "number",
        Kind::Boolean => "boolean",
        Kind::List(_) | Kind::Repeated(_) => "list",
        Kind::Group(_) => "object",
    }
}

fn is_integer(literal: &str) -> bool {
    literal
        .parse::<f64>()
        .is_ok_and(|number| number.is_finite() && number.fract() == 0.0)
}

fn check_text(
    field: &Field,
    rules: &Rules,
    text: &str,
    path: &str,
    violations: &mut Collector,
) {
    let value = JsonValue::String(text.to_owned());
    if let Some(choices) = &rules.choices {
        if !choices
            .iter()
            .any(|choice| values_equal(&choice.value, &value))
        {
            violations
                .push(Violation::new(path, field, ViolationKey::NotAChoice).with("value", text));
            return;
        }
    }
    check_constant(field, rules, &value, path, violations);

    let length = text.chars().count() as u64;
    if let Some(min) = rules.min_length.filter(|min| length < *min) {
        violations.push(
            Violation::new(path, field, ViolationKey::TooShort)
                .with("min", min.to_string())
                .with("length", length.to_string()),
        );
    }
    if let Some(max) = rules.max_length.filter(|max| length > *max) {
        violations.push(
            Violation::new(path, field, ViolationKey::TooLong)
                .with("max", max.to_string())
                .with("length", length.to_string()),
        );
    }

    if let Some(format) = rules.format {
        if let Some(key) = format_violation(format, text) {
            violations.push(Violation::new(path, field, key));
            return;
        }
    }
    if let Some(pattern) = &rules.pattern {
        if !pattern.is_match(text) {
            let mut violation = Violation::new(path, field, ViolationKey::PatternMismatch)
                .with("pattern", pattern.as_str());
            if let Some(example) = &field.example {
                violation = violation.with("example", example.as_str());
            }
            violations.push(violation);
        }
    }

    if rules.format == Some(Format::Date) {
        if let Some(date) = Date::parse_iso(text) {
            check_date_bounds(field, rules, date, path, violations);
            if let Some(today) = violations.today {
                check_relative_date(field, rules, date, today, path, violations);
            }
            check_holiday(field, rules, date, path, violations);
        }
    }
}

/// Returns the violation key when `text` is not of `format`.
fn format_violation(format: Format, text: &str) -> Option<ViolationKey> {
    match format {
        Format::Email => (!formats::is_email(text)).then_some(ViolationKey::InvalidEmail),
        Format::Date => Date::parse_iso(text)
            .is_none()
            .then_some(ViolationKey::InvalidDate),
        Format::Plz => (!formats::is_plz(text)).then_some(ViolationKey::InvalidPlz),
        Format::Phone => (!formats::is_phone(text)).then_some(ViolationKey::InvalidPhone),
        Format::Iban => match check_iban(&compact_iban(text)) {
            Ok(()) => None,
            Err(IbanProblem::Format) => Some(ViolationKey::InvalidIban),
            Err(IbanProblem::CheckDigits) => Some(ViolationKey::IbanCheckDigits),
        },
    }
}

fn check_date_bounds(
    field: &Field,
    rules: &Rules,
    date: Date,
    path: &str,
    violations: &mut Collector,
) {
    if let Some(Bound {
        value: BoundValue::Date(min),
        exclusive,
    }) = &rules.minimum
    {
        if date < *min || (*exclusive && date == *min) {
            violations.push(
                Violation::new(path, field, ViolationKey::DateTooEarly)
                    .with("min", min.to_string()),
            );
        }
    }
    if let Some(Bound {
        value: BoundValue::Date(max),
        exclusive,
    }) = &rules.maximum
    {
        if date > *max || (*exclusive && date == *max) {
            violations.push(
                Violation::new(path, field, ViolationKey::DateTooLate).with("max", max.to_string()),
            );
        }
    }
}

/// Checks the limits relative to `today`. An earliest or latest day is
/// reported with the same keys as fixed limits, naming the computed date.
fn check_relative_date(
    field: &Field,
    rules: &Rules,
    date: Date,
    today: Date,
    path: &str,
    violations: &mut Collector,
) {
    if let Some(min) = rules.min_days_from_today.and_then(|days| today.add_days(days)) {
        if date < min {
            violations.push(Violation::new(path, field, ViolationKey::DateTooEarly).with("min", min.to_string()));
        }
    }
    if let Some(max) = rules.max_days_from_today.and_then(|days| today.add_days(days)) {
        if date > max {
            violations.push(Violation::new(path, field, ViolationKey::DateTooLate).with("max", max.to_string()));
        }
    }
    if let Some(weekdays) = &rules.weekdays {
        if !weekdays.contains(&date.weekday()) {
            let allowed: Vec<String> = weekdays.iter().map(u8::to_string).collect();
            violations.push(
                Violation::new(path, field, ViolationKey::WrongWeekday)
                    .with("weekdays", allowed.join(","))
                    .with("weekday", date.weekday().to_string()),
            );
        }
    }
}

/// Checks `exclude_holidays`, which needs no reference date.
fn check_holiday(field: &Field, rules: &Rules, date: Date, path: &str, violations: &mut Collector) {
    let Some(region) = rules.exclude_holidays else { return };
    if let Some(holiday) = region.holiday(date) {
        violations.push(
            Violation::new(path, field, ViolationKey::PublicHoliday)
                .with("holiday", holiday.id())
                .with("region", region.to_string()),
        );
    }
}

fn check_number(
    field: &Field,
    rules: &Rules,
    value: &JsonValue,
    literal: &str,
    path: &str,
    violations: &mut Collector,
) {
    if let Some(choices) = &rules.choices {
        if !choices
            .iter()
            .any(|choice| values_equal(&choice.value, value))
        {
            violations
                .push(Violation::new(path, field, ViolationKey::NotAChoice).with("value", literal));
            return;
        }
    }
    check_constant(field, rules, value, path, violations);

    let Some(number) = literal
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite())
    else {
        violations.push(
            Violation::new(path, field, ViolationKey::InvalidType)
                .with("expected", expected_name(&field.kind)),
        );
        return;
    };
    if let Some(Bound {
        value: BoundValue::Number(min, min_literal),
        exclusive,
    }) = &rules.minimum
    {
        if number < *min || (*exclusive && number == *min) {
            violations.push(
                Violation::new(path, field, ViolationKey::TooSmall)
                    .with("min", min_literal.as_str())
                    .with("exclusive", exclusive.to_string()),
            );
        }
    }
    if let Some(Bound {
        value: BoundValue::Number(max, max_literal),
        exclusive,
    }) = &rules.maximum
    {
        if number > *max || (*exclusive && number == *max) {
            violations.push(
                Violation::new(path, field, ViolationKey::TooLarge)
                    .with("max", max_literal.as_str())
                    .with("exclusive", exclusive.to_string()),
            );
        }
    }
}

fn check_constant(
    field: &Field,
    rules: &Rules,
    value: &JsonValue,
    path: &str,
    violations: &mut Collector,
) {
    let Some(expected) = &rules.constant else {
        return;
    };
    if values_equal(expected, value) {
        return;
    }
    if expected == &JsonValue::Bool(true) {
        violations.push(Violation::new(path, field, ViolationKey::MustAccept));
    } else {
        violations.push(
            Violation::new(path, field, ViolationKey::WrongValue)
                .with("expected", scalar_text(expected).unwrap_or_default()),
        );
    }
}

fn check_list(
    field: &Field,
    scalar: Scalar,
    rules: &Rules,
    items: &[JsonValue],
    path: &str,
    violations: &mut Collector,
) {
    check_count(field, rules, items.len(), "choice", path, violations);

    if rules.unique_items {
        // A set of keys keeps this O(n log n): a request may carry a long
        // list, and comparing every pair would let it stall the server.
        let mut seen = std::collections::BTreeSet::new();
        for (index, item) in items.iter().enumerate() {
            if !seen.insert(unique_key(item)) {
                violations.push(
                    Violation::new(
                        &format!("{path}/{index}"),
                        field,
                        ViolationKey::DuplicateItem,
                    )
                    .with("value", scalar_text(item).unwrap_or_default()),
                );
            }
        }
    }

    let Some(item_rules) = &rules.items else {
        return;
    };
    for (index, item) in items.iter().enumerate() {
        let item_path = format!("{path}/{index}");
        match (scalar, item) {
            (Scalar::Text, JsonValue::String(text)) => {
                check_text(field, item_rules, text, &item_path, violations)
            }
            (Scalar::Number, JsonValue::Number(literal)) => {
                check_number(field, item_rules, item, literal, &item_path, violations)
            }
            (Scalar::Integer, JsonValue::Number(literal)) if is_integer(literal) => {
                check_number(field, item_rules, item, literal, &item_path, violations);
            }
            _ => {
                let expected = match scalar {
                    Scalar::Text => "text",
                    Scalar::Integer => "integer",
                    Scalar::Number => "number",
                };
                violations.push(
                    Violation::new(&item_path, field, ViolationKey::InvalidType)
                        .with("expected", expected),
                );
            }
        }
    }
}

/// Returns a key that is equal for two scalar values exactly when
/// [`values_equal`] holds for them: numbers by value, strings and booleans
/// by their JSON text.
fn unique_key(value: &JsonValue) -> String {
    match value {
        JsonValue::Number(literal) => match literal.parse::<f64>() {
            // Adding 0.0 turns -0.0 into 0.0, which compares equal to it.
            Ok(number) => format!("n:{}", number + 0.0),
            Err(_) => format!("n:{literal}"),
        },
        other => format!("j:{}", super::value::to_json(other)),
    }
}

fn check_count(
    field: &Field,
    rules: &Rules,
    count: usize,
    input: &str,
    path: &str,
    violations: &mut Collector,
) {
    let count = count as u64;
    if let Some(min) = rules.min_items.filter(|min| count < *min) {
        violations.push(
            Violation::new(path, field, ViolationKey::TooFewItems)
                .with("min", min.to_string())
                .with("count", count.to_string())
                .with("input", input),
        );
    }
    if let Some(max) = rules.max_items.filter(|max| count > *max) {
        violations.push(
            Violation::new(path, field, ViolationKey::TooManyItems)
                .with("max", max.to_string())
                .with("count", count.to_string())
                .with("input", input),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::ViolationKey;

    /// Returns the key's position in [`ViolationKey::ALL`]. The match has
    /// no wildcard, so a new key does not compile until it is listed here.
    fn position(key: ViolationKey) -> usize {
        match key {
            ViolationKey::Required => 0,
            ViolationKey::InvalidType => 1,
            ViolationKey::TooShort => 2,
            ViolationKey::TooLong => 3,
            ViolationKey::PatternMismatch => 4,
            ViolationKey::InvalidEmail => 5,
            ViolationKey::InvalidDate => 6,
            ViolationKey::InvalidPlz => 7,
            ViolationKey::InvalidIban => 8,
            ViolationKey::IbanCheckDigits => 9,
            ViolationKey::InvalidPhone => 10,
            ViolationKey::TooSmall => 11,
            ViolationKey::TooLarge => 12,
            ViolationKey::DateTooEarly => 13,
            ViolationKey::WrongWeekday => 14,
            ViolationKey::DateTooLate => 15,
            ViolationKey::PublicHoliday => 16,
            ViolationKey::NotAChoice => 17,
            ViolationKey::TooFewItems => 18,
            ViolationKey::TooManyItems => 19,
            ViolationKey::DuplicateItem => 20,
            ViolationKey::MustAccept => 21,
            ViolationKey::WrongValue => 22,
        }
    }

    #[test]
    fn all_lists_every_key_once() {
        for (index, key) in ViolationKey::ALL.iter().enumerate() {
            assert_eq!(position(*key), index, "{key:?}");
        }
        let mut names: Vec<&str> = ViolationKey::ALL.iter().map(|key| key.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ViolationKey::ALL.len());
    }
}
