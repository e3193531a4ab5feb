//! Bilingual schemas: `x-ogkit.en`, `Schema::localized` and its fallback to
//! German, and the schema errors of a wrong English section.

use ogkit_core::form::{message, validate, Lang, Schema, SchemaError};
use ogkit_core::table::parse_json;

const FORM: &str = r#"{
  "title": "Sperrmüll anmelden",
  "description": "Einleitung",
  "type": "object",
  "required": ["art", "teile"],
  "properties": {
    "art": { "type": "string", "title": "Art", "oneOf": [
      { "const": "moebel", "title": "Möbel" }, { "const": "elektro", "title": "Elektrogerät" } ] },
    "farben": { "type": "array", "title": "Farben", "items": { "type": "string", "enum": ["rot", "blau"] } },
    "teile": { "type": "array", "title": "Teile", "items": { "type": "object", "required": ["name"],
      "properties": { "name": { "type": "string", "title": "Bezeichnung" } } } }
  },
  "x-ogkit": {
    "steps": [ { "title": "Angaben", "description": "Bitte ausfüllen", "fields": ["art", "farben"] },
               { "title": "Teile", "fields": ["teile"] } ],
    "fields": { "art": { "help": "Hilfe" }, "teile": { "item_title": "Teil" } },
    "next_steps": "Wir melden uns.",
    "en": ENGLISH
  }
}"#;

fn form(english: &str) -> Result<Schema, SchemaError> {
    Schema::from_json(&FORM.replace("ENGLISH", english))
}

const ENGLISH: &str = r#"{
  "title": "Register bulky waste",
  "next_steps": "We will be in touch.",
  "steps": [ { "title": "Details" } ],
  "fields": {
    "art": { "title": "Type", "help": "Help", "choices": { "moebel": "Furniture" } },
    "farben": { "choices": { "blau": "blue" } },
    "teile": { "item_title": "Part", "fields": { "name": { "title": "Name" } } }
  }
}"#;

#[test]
fn english_replaces_given_texts() {
    let schema = form(ENGLISH).expect("valid schema").localized(Lang::En);
    assert_eq!(schema.title, "Register bulky waste");
    assert_eq!(schema.next_steps.as_deref(), Some("We will be in touch."));
    assert_eq!(schema.steps[0].title, "Details");
    let art = schema.field("art").expect("art");
    assert_eq!(art.title, "Type");
    assert_eq!(art.ui.help.as_deref(), Some("Help"));
    let choices: Vec<&str> = art.rules.choices.iter().flatten().map(|choice| choice.title.as_str()).collect();
    assert_eq!(choices, ["Furniture", "Elektrogerät"]);
    let colours = schema.field("farben").expect("farben").rules.items.as_ref().expect("items");
    let colours: Vec<&str> = colours.choices.iter().flatten().map(|choice| choice.title.as_str()).collect();
    assert_eq!(colours, ["rot", "blue"]);
    let parts = schema.field("teile").expect("teile");
    assert_eq!(parts.ui.item_title.as_deref(), Some("Part"));
    assert_eq!(schema.field_at(&["teile", "name"]).expect("name").title, "Name");
}

#[test]
fn missing_english_falls_back_to_german() {
    let schema = form(ENGLISH).expect("valid schema").localized(Lang::En);
    assert_eq!(schema.description.as_deref(), Some("Einleitung"));
    assert_eq!(schema.steps[0].description.as_deref(), Some("Bitte ausfüllen"));
    assert_eq!(schema.steps[1].title, "Teile");
    assert_eq!(schema.field("farben").expect("farben").title, "Farben");

    let german = form(ENGLISH).expect("valid schema").localized(Lang::De);
    assert_eq!(german.title, "Sperrmüll anmelden");
    assert_eq!(german.next_steps.as_deref(), Some("Wir melden uns."));
    assert_eq!(german.field("art").expect("art").title, "Art");

    let untranslated = form("{}").expect("valid schema");
    assert_eq!(untranslated.localized(Lang::En).title, "Sperrmüll anmelden");
}

#[test]
fn messages_name_english_titles() {
    let schema = form(ENGLISH).expect("valid schema").localized(Lang::En);
    let data = parse_json(r#"{"teile":[{}]}"#).expect("JSON");
    let violations = validate(&schema, &data);
    let messages: Vec<String> = violations.iter().map(|violation| message(violation, Lang::En)).collect();
    assert_eq!(messages[0], "“Type” is missing: select an answer.");
    assert!(messages[1].starts_with("“Name” (Part 1) is missing"), "{}", messages[1]);
}

#[test]
fn wrong_english_section_is_rejected() {
    let cases = [
        (r#"{ "titel": "x" }"#, "/x-ogkit/en/titel"),
        (r#"{ "fields": { "farbe": { "title": "x" } } }"#, "/x-ogkit/en/fields/farbe"),
        (r#"{ "fields": { "art": { "choices": { "Möbel": "x" } } } }"#, "/x-ogkit/en/fields/art/choices/Möbel"),
        (r#"{ "fields": { "art": { "title": 3 } } }"#, "/x-ogkit/en/fields/art/title"),
        (r#"{ "fields": { "art": { "fields": {} } } }"#, "/x-ogkit/en/fields/art/fields"),
        (r#"{ "fields": { "teile": { "fields": { "nam": {} } } } }"#, "/x-ogkit/en/fields/teile/fields/nam"),
        (r#"{ "steps": [ {}, {}, {} ] }"#, "/x-ogkit/en/steps"),
        (r#"{ "steps": [ { "fields": [] } ] }"#, "/x-ogkit/en/steps/0/fields"),
    ];
    for (english, expected) in cases {
        match form(english) {
            Err(SchemaError::Invalid { path, .. }) => assert_eq!(path, expected, "{english}"),
            other => panic!("{english}: expected an invalid schema, got {other:?}"),
        }
    }
}
