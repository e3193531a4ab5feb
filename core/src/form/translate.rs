//! English texts of a form: the `x-ogkit` `en` section and
//! [`Schema::localized`].
//!
//! The JSON Schema part of a file carries the German texts. `x-ogkit.en`
//! repeats, for any text that has an English version, the same place with
//! the English words. Every text it leaves out stays German, so a partly
//! translated form still shows every label.

use super::parse::{invalid, member, object, optional_string, pointer, scalar_text};
use super::schema::{Field, Kind, Rules, Schema, Step};
use super::SchemaError;
use crate::lang::Lang;
use crate::table::JsonValue;

/// The English texts of a form, each one optional.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FormTexts {
    /// Form title.
    pub title: Option<String>,
    /// Introductory text.
    pub description: Option<String>,
    /// The "what happens next" text after sending.
    pub next_steps: Option<String>,
    /// Step titles and descriptions, by position.
    pub steps: Vec<StepTexts>,
    /// Field texts, by property name.
    pub fields: Vec<(String, FieldTexts)>,
}

/// The English title and description of one step.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StepTexts {
    /// Heading of the page.
    pub title: Option<String>,
    /// Text under the heading.
    pub description: Option<String>,
}

/// The English texts of one field.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldTexts {
    /// Label.
    pub title: Option<String>,
    /// Longer explanation.
    pub description: Option<String>,
    /// Help text under the label.
    pub help: Option<String>,
    /// Label of one entry of a repeated group.
    pub item_title: Option<String>,
    /// Choice labels, keyed by the choice's value as text.
    pub choices: Vec<(String, String)>,
    /// Texts of the fields of a group or repeated group.
    pub fields: Vec<(String, FieldTexts)>,
}

const FORM_KEYWORDS: &[&str] = &["$comment", "title", "description", "next_steps", "steps", "fields"];
const STEP_KEYWORDS: &[&str] = &["$comment", "title", "description"];
const FIELD_KEYWORDS: &[&str] = &["$comment", "title", "description", "help", "item_title", "choices", "fields"];

/// Reads `x-ogkit.en` at `path` and checks it against the parsed fields and
/// steps, so a misspelt field name or choice is reported like any other
/// schema error.
pub(crate) fn parse_english(node: &JsonValue, path: &str, fields: &[Field], steps: &[Step]) -> Result<FormTexts, SchemaError> {
    let members = object(node, path)?;
    super::parse::check_keywords(members, path, FORM_KEYWORDS)?;
    let mut texts = FormTexts {
        title: optional_string(members, path, "title")?,
        description: optional_string(members, path, "description")?,
        next_steps: optional_string(members, path, "next_steps")?,
        ..FormTexts::default()
    };
    if let Some(steps_node) = member(members, "steps") {
        let steps_path = pointer(path, "steps");
        let JsonValue::Array(entries) = steps_node else {
            return Err(invalid(&steps_path, "expected a list of {\"title\": …} objects, one per step in the same order"));
        };
        if entries.len() > steps.len() {
            return Err(invalid(
                &steps_path,
                &format!("the form has {} steps, but {} English step texts are given", steps.len(), entries.len()),
            ));
        }
        for (index, entry) in entries.iter().enumerate() {
            let step_path = format!("{steps_path}/{index}");
            let step_members = object(entry, &step_path)?;
            super::parse::check_keywords(step_members, &step_path, STEP_KEYWORDS)?;
            texts.steps.push(StepTexts {
                title: optional_string(step_members, &step_path, "title")?,
                description: optional_string(step_members, &step_path, "description")?,
            });
        }
    }
    if let Some(fields_node) = member(members, "fields") {
        texts.fields = parse_field_texts(fields_node, &pointer(path, "fields"), fields)?;
    }
    Ok(texts)
}

fn parse_field_texts(node: &JsonValue, path: &str, fields: &[Field]) -> Result<Vec<(String, FieldTexts)>, SchemaError> {
    let mut list = Vec::new();
    for (name, entry) in object(node, path)? {
        let entry_path = pointer(path, name);
        let Some(field) = fields.iter().find(|field| &field.name == name) else {
            let known: Vec<&str> = fields.iter().map(|field| field.name.as_str()).collect();
            return Err(invalid(&entry_path, &format!("there is no field \"{name}\"; known fields: {}", known.join(", "))));
        };
        let members = object(entry, &entry_path)?;
        super::parse::check_keywords(members, &entry_path, FIELD_KEYWORDS)?;
        let mut texts = FieldTexts {
            title: optional_string(members, &entry_path, "title")?,
            description: optional_string(members, &entry_path, "description")?,
            help: optional_string(members, &entry_path, "help")?,
            item_title: optional_string(members, &entry_path, "item_title")?,
            ..FieldTexts::default()
        };
        if let Some(choices) = member(members, "choices") {
            let choices_path = pointer(&entry_path, "choices");
            let known = choice_values(field);
            for (value, title) in object(choices, &choices_path)? {
                let title_path = pointer(&choices_path, value);
                if !known.contains(value) {
                    return Err(invalid(
                        &title_path,
                        &format!("\"{value}\" is not a choice of this field; its choices are {}", known.join(", ")),
                    ));
                }
                let JsonValue::String(title) = title else {
                    return Err(invalid(&title_path, "expected a string"));
                };
                texts.choices.push((value.clone(), title.clone()));
            }
        }
        if let Some(children_node) = member(members, "fields") {
            let Some(children) = field.children() else {
                return Err(invalid(&pointer(&entry_path, "fields"), "\"fields\" applies only to a group or a repeated group"));
            };
            texts.fields = parse_field_texts(children_node, &pointer(&entry_path, "fields"), children)?;
        }
        list.push((name.clone(), texts));
    }
    Ok(list)
}

/// Returns every choice value of a field as text, from its own rules, its
/// list items and its conditional rules.
fn choice_values(field: &Field) -> Vec<String> {
    let mut values = Vec::new();
    let mut collect = |rules: &Rules| {
        for rules in [Some(rules), rules.items.as_deref()].into_iter().flatten() {
            for choice in rules.choices.iter().flatten() {
                if let Some(text) = scalar_text(&choice.value) {
                    if !values.contains(&text) {
                        values.push(text);
                    }
                }
            }
        }
    };
    collect(&field.rules);
    for (_, rules) in &field.conditional_rules {
        collect(rules);
    }
    values
}

impl Schema {
    /// Returns the form with its texts in `lang`. German is the schema's
    /// own text; for English every text that `x-ogkit.en` gives replaces
    /// the German one, and every other text stays German.
    pub fn localized(&self, lang: Lang) -> Schema {
        let mut schema = self.clone();
        let (Lang::En, Some(texts)) = (lang, &self.english) else {
            return schema;
        };
        replace(&mut schema.title, &texts.title);
        replace_optional(&mut schema.description, &texts.description);
        replace_optional(&mut schema.next_steps, &texts.next_steps);
        for (step, step_texts) in schema.steps.iter_mut().zip(&texts.steps) {
            replace(&mut step.title, &step_texts.title);
            replace_optional(&mut step.description, &step_texts.description);
        }
        localize_fields(&mut schema.fields, &texts.fields);
        schema
    }
}

fn localize_fields(fields: &mut [Field], texts: &[(String, FieldTexts)]) {
    for (name, field_texts) in texts {
        let Some(field) = fields.iter_mut().find(|field| &field.name == name) else {
            continue;
        };
        replace(&mut field.title, &field_texts.title);
        replace_optional(&mut field.description, &field_texts.description);
        replace_optional(&mut field.ui.help, &field_texts.help);
        replace_optional(&mut field.ui.item_title, &field_texts.item_title);
        localize_rules(&mut field.rules, &field_texts.choices);
        for (_, rules) in &mut field.conditional_rules {
            localize_rules(rules, &field_texts.choices);
        }
        if let Kind::Group(children) | Kind::Repeated(children) = &mut field.kind {
            localize_fields(children, &field_texts.fields);
        }
    }
}

fn localize_rules(rules: &mut Rules, choices: &[(String, String)]) {
    for choice in rules.choices.iter_mut().flatten() {
        let value = scalar_text(&choice.value);
        if let Some((_, title)) = choices.iter().find(|(key, _)| Some(key) == value.as_ref()) {
            choice.title.clone_from(title);
        }
    }
    if let Some(items) = &mut rules.items {
        localize_rules(items, choices);
    }
}

fn replace(text: &mut String, english: &Option<String>) {
    if let Some(english) = english {
        text.clone_from(english);
    }
}

fn replace_optional(text: &mut Option<String>, english: &Option<String>) {
    if english.is_some() {
        text.clone_from(english);
    }
}
