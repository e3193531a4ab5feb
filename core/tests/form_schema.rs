//! Reading schema files: the model built from a good schema, and one
//! precise error, with its JSON Pointer, for each kind of mistake a web
//! editor makes by hand.

use ogkit_core::form::{Condition, Control, Kind, Schema, SchemaError};

fn error_of(text: &str) -> SchemaError {
    match Schema::from_json(text) {
        Ok(_) => panic!("expected an error for {text}"),
        Err(error) => error,
    }
}

/// Wraps properties (and optionally an x-ogkit section) in a root schema.
fn with_properties(properties: &str, extra: &str) -> String {
    format!(r#"{{"type":"object","title":"T","properties":{{{properties}}}{extra}}}"#)
}

#[test]
fn good_schema_builds_model() {
    let schema = Schema::from_json(&with_properties(
        r#""name":{"type":"string","title":"Name"},
           "art":{"type":"string","title":"Art","oneOf":[{"const":"a","title":"A"},{"const":"b","title":"B"}]},
           "text":{"type":"string","title":"Text"}"#,
        r#","required":["name"],"x-ogkit":{
            "steps":[{"title":"Eins","fields":["art","name"]},{"title":"Zwei","fields":["text"]}],
            "fields":{"name":{"autocomplete":"name","help":"Vor- und Nachname"},
                      "art":{"control":"select"},
                      "text":{"control":"textarea","visible_if":{"field":"art","equals":"b"}}}}"#,
    ))
    .expect("valid schema");

    let names: Vec<&str> = schema
        .fields
        .iter()
        .map(|field| field.name.as_str())
        .collect();
    assert_eq!(names, ["art", "name", "text"]);
    assert_eq!(schema.steps.len(), 2);
    assert_eq!(schema.steps[1].fields, ["text"]);
    let name = schema.field("name").expect("name");
    assert!(name.required);
    assert_eq!(name.ui.autocomplete.as_deref(), Some("name"));
    assert_eq!(name.ui.help.as_deref(), Some("Vor- und Nachname"));
    assert_eq!(
        schema.field("art").map(|field| field.control()),
        Some(Control::Select)
    );
    assert_eq!(
        schema.field("text").map(|field| field.control()),
        Some(Control::Textarea)
    );
    assert!(matches!(
        schema
            .field("text")
            .and_then(|field| field.visible_if.as_ref()),
        Some(Condition::Equals { .. })
    ));
}

#[test]
fn default_controls_follow_choice_count() {
    let schema = Schema::from_json(&with_properties(
        r#""wenig":{"type":"string","enum":["a","b","c"]},
           "viel":{"type":"string","enum":["a","b","c","d","e","f"]},
           "ja":{"type":"boolean"},
           "text":{"type":"string"}"#,
        "",
    ))
    .expect("valid schema");

    let controls: Vec<Control> = schema.fields.iter().map(|field| field.control()).collect();
    assert_eq!(
        controls,
        [
            Control::Radio,
            Control::Select,
            Control::Checkbox,
            Control::Input
        ]
    );
}

#[test]
fn order_lists_fields_first() {
    let schema = Schema::from_json(&with_properties(
        r#""a":{"type":"string"},"b":{"type":"string"},"c":{"type":"string"}"#,
        r#","x-ogkit":{"order":["c"]}"#,
    ))
    .expect("valid schema");

    let names: Vec<&str> = schema
        .fields
        .iter()
        .map(|field| field.name.as_str())
        .collect();
    assert_eq!(names, ["c", "a", "b"]);
}

#[test]
fn nested_group_keeps_its_fields() {
    let schema = Schema::from_json(&with_properties(
        r#""adresse":{"type":"object","title":"Adresse","required":["plz"],
            "properties":{"strasse":{"type":"string"},"plz":{"type":"string","format":"plz"}}}"#,
        r#","x-ogkit":{"fields":{"adresse":{"order":["plz"],"fields":{"plz":{"autocomplete":"postal-code"}}}}}"#,
    ))
    .expect("valid schema");

    let address = schema.field("adresse").expect("group");
    let Kind::Group(children) = &address.kind else {
        panic!("expected a group, got {:?}", address.kind)
    };
    let names: Vec<&str> = children.iter().map(|field| field.name.as_str()).collect();
    assert_eq!(names, ["plz", "strasse"]);
    assert!(children[0].required);
    assert_eq!(children[0].ui.autocomplete.as_deref(), Some("postal-code"));
}

#[test]
fn property_order_is_file_order() {
    let schema = Schema::from_json(&with_properties(
        r#""zuletzt":{"type":"string"},"anfang":{"type":"string"},"mitte":{"type":"string"}"#,
        "",
    ))
    .expect("valid schema");

    let names: Vec<&str> = schema
        .fields
        .iter()
        .map(|field| field.name.as_str())
        .collect();
    assert_eq!(names, ["zuletzt", "anfang", "mitte"]);
}

/// Rows of (schema text, expected JSON Pointer, words the reason contains).
const MISTAKES: &[(&str, &str, &str)] = &[
    (
        r#"{"type":"object","requried":[]}"#,
        "/requried",
        r#"did you mean "required"?"#,
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"string","minLenght":2}}}"#,
        "/properties/n/minLenght",
        r#"did you mean "minLength"?"#,
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"string","maxLength":"10"}}}"#,
        "/properties/n/maxLength",
        "expected a whole number",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"string","maxLength":-1}}}"#,
        "/properties/n/maxLength",
        "expected a whole number",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"string","minLength":5,"maxLength":2}}}"#,
        "/properties/n/minLength",
        "larger than maxLength",
    ),
    (
        r#"{"type":"object","properties":{"plz":{"type":"string","pattern":"^[0-9{5}$"}}}"#,
        "/properties/plz/pattern",
        "invalid regular expression",
    ),
    (
        r#"{"type":"object","properties":{"p":{"type":"string","pattern":"^(?=.*\\d).{8,}$"}}}"#,
        "/properties/p/pattern",
        "lookahead",
    ),
    (
        r#"{"type":"object","properties":{"p":{"type":"string","pattern":"^\\p{L}+$"}}}"#,
        "/properties/p/pattern",
        "not supported",
    ),
    (
        r#"{"type":"object","properties":{"p":{"type":"string","format":"postcode"}}}"#,
        "/properties/p/format",
        "unknown format \"postcode\"",
    ),
    (
        r##"{"type":"object","properties":{"p":{"$ref":"#/$defs/plz"}}}"##,
        "/properties/p/$ref",
        "not supported",
    ),
    (
        r#"{"type":"object","properties":{"p":{"type":"string","anyOf":[]}}}"#,
        "/properties/p/anyOf",
        "not supported",
    ),
    (
        r#"{"type":"object","required":["name"],"properties":{"vorname":{"type":"string"}}}"#,
        "/required/0",
        "not defined",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":["string","null"]}}}"#,
        "/properties/n/type",
        "list of types",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"text"}}}"#,
        "/properties/n/type",
        "unknown type \"text\"",
    ),
    (
        r#"{"type":"object","properties":{"n":{"title":"Name"}}}"#,
        "/properties/n",
        "no \"type\"",
    ),
    (
        r#"{"type":"object","properties":{"d":{"type":"string","format":"date","minimum":1}}}"#,
        "/properties/d/minimum",
        "formatMinimum",
    ),
    (
        r#"{"type":"object","properties":{"d":{"type":"string","formatMinimum":"2026-01-01"}}}"#,
        "/properties/d/formatMinimum",
        "needs \"format\": \"date\"",
    ),
    (
        r#"{"type":"object","properties":{"d":{"type":"string","format":"date","formatMinimum":"1.1.2026"}}}"#,
        "/properties/d/formatMinimum",
        "YYYY-MM-DD",
    ),
    (
        r#"{"type":"object","properties":{"s":{"type":"integer","enum":[1,"zwei"]}}}"#,
        "/properties/s/enum/1",
        "does not fit",
    ),
    (
        r#"{"type":"object","properties":{"s":{"type":"string","enum":[]}}}"#,
        "/properties/s",
        "empty",
    ),
    (
        r#"{"type":"object","properties":{"s":{"type":"string","enum":["a","a"]}}}"#,
        "/properties/s",
        "listed twice",
    ),
    (
        r#"{"type":"object","properties":{"s":{"type":"string","oneOf":[{"title":"A"}]}}}"#,
        "/properties/s/oneOf/0",
        "needs \"const\"",
    ),
    (
        r#"{"type":"object","properties":{"l":{"type":"array"}}}"#,
        "/properties/l",
        "needs \"items\"",
    ),
    (
        r#"{"type":"object","properties":{"l":{"type":"array","enum":["a"],"items":{"type":"string"}}}}"#,
        "/properties/l/enum",
        "under \"items\"",
    ),
    (
        r#"{"type":"object","properties":{"g":{"type":"array","items":{"type":"object","minLength":2,"properties":{"x":{"type":"string"}}}}}}"#,
        "/properties/g/items/minLength",
        "applies only to a string field",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"integer","minimum":10,"maximum":5}}}"#,
        "/properties/n",
        "lower limit is above the upper limit",
    ),
    (
        r#"{"type":"object","properties":{"d":{"type":"string","format":"date","formatMinimum":"2027-01-01","formatMaximum":"2026-01-01"}}}"#,
        "/properties/d",
        "lower limit is above the upper limit",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"integer","default":"drei"}}}"#,
        "/properties/n/default",
        "does not fit the field type \"integer\"",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"integer"},"m":{"type":"string"}},"x-ogkit":{"fields":{"m":{"visible_if":{"field":"n","equals":"2"}}}}}"#,
        "/x-ogkit/fields/m/visible_if",
        "not a value of its type \"integer\"",
    ),
    (r#"{"type":"array"}"#, "/type", "\"type\": \"object\""),
    (
        r#"{"type":"object","title":"A","title":"B"}"#,
        "/title",
        "appears twice",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"string"}},"x-ogkit":{"fields":{"name":{}}}}"#,
        "/x-ogkit/fields/name",
        "no field \"name\"",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"string"}},"x-ogkit":{"fields":{"n":{"control":"radio"}}}}"#,
        "/x-ogkit/fields/n/control",
        "does not fit",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"string"}},"x-ogkit":{"fields":{"n":{"control":"dropdown"}}}}"#,
        "/x-ogkit/fields/n/control",
        "unknown control",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"string"}},"x-ogkit":{"fields":{"n":{"autocomplete":"postcode"}}}}"#,
        "/x-ogkit/fields/n/autocomplete",
        "not an HTML autocomplete token",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"string"}},"x-ogkit":{"fields":{"n":{"hilfe":"x"}}}}"#,
        "/x-ogkit/fields/n/hilfe",
        "unknown keyword",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"string"}},"x-ogkit":{"fields":{"n":{"visible_if":{"field":"art","equals":"a"}}}}}"#,
        "/x-ogkit/fields/n/visible_if",
        "\"art\", which does not exist",
    ),
    (
        r#"{"type":"object","properties":{"art":{"type":"string","enum":["Verlängerung"]},"n":{"type":"string"}},"x-ogkit":{"fields":{"n":{"visible_if":{"field":"art","equals":"Verlaengerung"}}}}}"#,
        "/x-ogkit/fields/n/visible_if",
        "not one of its choices",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"string"}},"x-ogkit":{"fields":{"n":{"required_if":{"field":"n","filled":true}}}}}"#,
        "/x-ogkit/fields/n/required_if",
        "cannot depend on itself",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"string"},"m":{"type":"string"}},"x-ogkit":{"fields":{"n":{"visible_if":{"field":"m"}}}}}"#,
        "/x-ogkit/fields/n/visible_if",
        "exactly one of",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"string"},"m":{"type":"string"}},"x-ogkit":{"steps":[{"title":"Eins","fields":["n"]}]}}"#,
        "/x-ogkit/steps",
        "\"m\" is on no step",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"string"}},"x-ogkit":{"steps":[{"title":"Eins","fields":["n"]},{"title":"Zwei","fields":["n"]}]}}"#,
        "/x-ogkit/steps/1/fields/0",
        "already on an earlier step",
    ),
    (
        r#"{"type":"object","properties":{"n":{"type":"string"}},"x-ogkit":{"steps":[{"fields":["n"]}]}}"#,
        "/x-ogkit/steps/0",
        "needs a \"title\"",
    ),
    (
        r#"{"type":"object","properties":{"a":{"type":"string","enum":["x"]}},"if":{"properties":{"b":{"const":"x"}}},"then":{"required":["a"]}}"#,
        "/if/properties/b",
        "not a field here",
    ),
    (
        r#"{"type":"object","properties":{"art":{"type":"string","enum":["Ersterteilung","Verlängerung"]}},"allOf":[{"if":{"properties":{"art":{"const":"Verlaengerung"}}},"then":{"required":["art"]}}]}"#,
        "/allOf/0/if/properties/art",
        "not one of its choices",
    ),
    (
        r#"{"type":"object","properties":{"g":{"type":"object","properties":{"a":{"type":"boolean"},"b":{"type":"string"}}}},"x-ogkit":{"fields":{"g":{"fields":{"b":{"visible_if":{"field":"c","equals":true}}}}}}}"#,
        "/x-ogkit/fields/g/fields/b/visible_if",
        "\"c\", which does not exist; the fields here are: a, b",
    ),
    (
        r#"{"type":"object","properties":{"a":{"type":"string"}},"then":{"required":["a"]}}"#,
        "/then",
        "needs an \"if\"",
    ),
    (
        r#"{"type":"object","properties":{"g":{"type":"array","items":{"type":"object","properties":{"x":{"type":"string"}}}},"n":{"type":"string"}},"x-ogkit":{"fields":{"n":{"visible_if":{"field":"g/x","filled":true}}}}}"#,
        "/x-ogkit/fields/n/visible_if",
        "repeated group",
    ),
];

#[test]
fn each_mistake_gets_path_and_reason() {
    for (text, path, words) in MISTAKES {
        let error = error_of(text);
        assert_eq!(error.path(), Some(*path), "{text}: {error}");
        assert!(
            error.reason().contains(words),
            "{text}: expected {words:?} in {error}"
        );
    }
}

#[test]
fn invalid_json_gets_line_and_column() {
    let error = error_of("{\n  \"type\": \"object\",\n  \"properties\": {,}\n}");

    let SchemaError::Syntax { line, column, .. } = error else {
        panic!("expected a syntax error, got {error}")
    };
    assert_eq!((line, column), (3, 18));
    assert!(error_of("{\"type\": \"object\",}")
        .to_string()
        .starts_with("line 1, column "));
}

#[test]
fn error_text_starts_with_location() {
    let error =
        error_of(r#"{"type":"object","properties":{"plz":{"type":"string","format":"postcode"}}}"#);

    assert_eq!(
        error.to_string(),
        "schema at /properties/plz/format: unknown format \"postcode\"; supported are email, date, plz, iban and phone"
    );
}

#[test]
fn slash_in_name_is_escaped_in_path() {
    let error =
        error_of(r#"{"type":"object","properties":{"a/b":{"type":"string","minLength":"x"}}}"#);

    assert_eq!(error.path(), Some("/properties/a~1b/minLength"));
}
