//! Table tests of the validation rules: each row is one value for one
//! field of a test schema and the violation it must give, or none.

use ogkit_core::form::value::to_json;
use ogkit_core::form::{
    message, normalize, prune, validate, Lang, Schema, Violation, ViolationKey,
};
use ogkit_core::table::{parse_json, JsonValue};

/// A schema with one field per rule under test. Only `pflicht` is required,
/// so each row can test one field alone.
const SCHEMA: &str = r#"{
  "title": "Prüfformular",
  "type": "object",
  "required": ["pflicht"],
  "properties": {
    "pflicht": { "type": "string", "title": "Pflichtfeld" },
    "kurz": { "type": "string", "title": "Kürzel", "minLength": 2, "maxLength": 5 },
    "kennzeichen": { "type": "string", "title": "Kennzeichen", "pattern": "^[A-Z]{1,3}-[A-Z]{1,2} [0-9]{1,4}$", "examples": ["B-AB 123"] },
    "plz": { "type": "string", "title": "Postleitzahl", "format": "plz" },
    "iban": { "type": "string", "title": "IBAN", "format": "iban" },
    "email": { "type": "string", "title": "E-Mail", "format": "email" },
    "telefon": { "type": "string", "title": "Telefon", "format": "phone" },
    "termin": { "type": "string", "title": "Wunschtermin", "format": "date", "formatMinimum": "2026-01-01", "formatMaximum": "2026-12-31" },
    "datum": { "type": "string", "title": "Datum", "format": "date" },
    "anzahl": { "type": "integer", "title": "Anzahl", "minimum": 1, "maximum": 10 },
    "gewicht": { "type": "number", "title": "Gewicht in kg", "exclusiveMinimum": 0, "maximum": 99.5 },
    "anrede": { "type": "string", "title": "Anrede", "oneOf": [
      { "const": "frau", "title": "Frau" }, { "const": "herr", "title": "Herr" }, { "const": "divers", "title": "Divers" }
    ] },
    "stufe": { "type": "integer", "title": "Stufe", "enum": [1, 2, 3] },
    "themen": { "type": "array", "title": "Themen", "uniqueItems": true, "maxItems": 2,
      "items": { "type": "string", "enum": ["Verkehr", "Umwelt", "Kultur"] } },
    "einwilligung": { "type": "boolean", "title": "Einwilligung Datenschutz", "const": true }
  }
}"#;

fn schema() -> Schema {
    Schema::from_json(SCHEMA).unwrap_or_else(|error| panic!("test schema: {error}"))
}

fn data(text: &str) -> JsonValue {
    parse_json(text).unwrap_or_else(|error| panic!("test data {text}: {error:?}"))
}

/// Validates `{"pflicht": "x", field: value}` and returns the violations.
fn check(field: &str, value: &str) -> Vec<Violation> {
    validate(
        &schema(),
        &data(&format!(r#"{{"pflicht":"x","{field}":{value}}}"#)),
    )
}

/// Runs rows of (field, JSON value, expected key or `None` for valid).
fn run_table(rows: &[(&str, &str, Option<ViolationKey>)]) {
    for (field, value, expected) in rows {
        let violations = check(field, value);
        let keys: Vec<ViolationKey> = violations.iter().map(|violation| violation.key).collect();
        match expected {
            None => assert!(
                violations.is_empty(),
                "{field} = {value}: expected valid, got {violations:?}"
            ),
            Some(key) => {
                assert_eq!(keys, [*key], "{field} = {value}");
                assert!(
                    violations[0].path.starts_with(&format!("/{field}")),
                    "{field} = {value}: {:?}",
                    violations[0]
                );
            }
        }
    }
}

#[test]
fn required_field_rows() {
    for text in [
        r#"{}"#,
        r#"{"pflicht":""}"#,
        r#"{"pflicht":"   "}"#,
        r#"{"pflicht":"\t\n"}"#,
        r#"{"pflicht":null}"#,
    ] {
        let violations = validate(&schema(), &data(text));
        let keys: Vec<ViolationKey> = violations.iter().map(|violation| violation.key).collect();
        assert_eq!(keys, [ViolationKey::Required], "{text}");
        assert_eq!(violations[0].path, "/pflicht", "{text}");
    }
    assert_eq!(validate(&schema(), &data(r#"{"pflicht":" a "}"#)), []);
}

#[test]
fn length_rows() {
    run_table(&[
        ("kurz", r#""A""#, Some(ViolationKey::TooShort)),
        ("kurz", r#""AB""#, None),
        ("kurz", r#""  AB  ""#, None),
        ("kurz", r#""ÄÖ""#, None),
        ("kurz", r#""ABCDE""#, None),
        ("kurz", r#""ABCDEF""#, Some(ViolationKey::TooLong)),
        ("kurz", r#""""#, None),
        ("kurz", "5", Some(ViolationKey::InvalidType)),
    ]);
}

#[test]
fn pattern_rows() {
    run_table(&[
        ("kennzeichen", r#""B-AB 123""#, None),
        ("kennzeichen", r#""HH-X 1""#, None),
        (
            "kennzeichen",
            r#""b-ab 123""#,
            Some(ViolationKey::PatternMismatch),
        ),
        (
            "kennzeichen",
            r#""B-AB 12345""#,
            Some(ViolationKey::PatternMismatch),
        ),
        (
            "kennzeichen",
            r#""xB-AB 123""#,
            Some(ViolationKey::PatternMismatch),
        ),
    ]);
}

#[test]
fn plz_rows() {
    run_table(&[
        ("plz", r#""10115""#, None),
        ("plz", r#""01067""#, None),
        ("plz", r#"" 10115 ""#, None),
        ("plz", r#""1011""#, Some(ViolationKey::InvalidPlz)),
        ("plz", r#""101155""#, Some(ViolationKey::InvalidPlz)),
        ("plz", r#""1011a""#, Some(ViolationKey::InvalidPlz)),
        ("plz", r#""10 115""#, Some(ViolationKey::InvalidPlz)),
        ("plz", r#""１０１１５""#, Some(ViolationKey::InvalidPlz)),
    ]);
}

#[test]
fn iban_rows() {
    run_table(&[
        ("iban", r#""DE89370400440532013000""#, None),
        ("iban", r#""DE89 3704 0044 0532 0130 00""#, None),
        ("iban", r#""de89 3704 0044 0532 0130 00""#, None),
        ("iban", r#""AT611904300234573201""#, None),
        ("iban", r#""NL91ABNA0417164300""#, None),
        ("iban", r#""FR1420041010050500013M02606""#, None),
        ("iban", r#""GB82WEST12345698765432""#, None),
        ("iban", r#""CH9300762011623852957""#, None),
        (
            "iban",
            r#""DE88370400440532013000""#,
            Some(ViolationKey::IbanCheckDigits),
        ),
        (
            "iban",
            r#""DE89370400440532013001""#,
            Some(ViolationKey::IbanCheckDigits),
        ),
        (
            "iban",
            r#""DE89370400440523013000""#,
            Some(ViolationKey::IbanCheckDigits),
        ),
        (
            "iban",
            r#""DE8937040044053201300""#,
            Some(ViolationKey::InvalidIban),
        ),
        (
            "iban",
            r#""DE893704004405320130000""#,
            Some(ViolationKey::InvalidIban),
        ),
        (
            "iban",
            r#""3704004405320130""#,
            Some(ViolationKey::InvalidIban),
        ),
        (
            "iban",
            r#""DE89-3704-0044-0532-0130-00""#,
            Some(ViolationKey::InvalidIban),
        ),
    ]);
}

#[test]
fn stored_iban_is_compact() {
    let stored = normalize(
        &schema(),
        &data(r#"{"pflicht":"x","iban":" de89 3704 0044 0532 0130 00 "}"#),
    );

    assert_eq!(
        to_json(&stored),
        r#"{"pflicht":"x","iban":"DE89370400440532013000"}"#
    );
}

#[test]
fn email_rows() {
    run_table(&[
        ("email", r#""erika.muster@example.org""#, None),
        ("email", r#""a+b@sub.example.de""#, None),
        ("email", r#""müller@bücher.de""#, None),
        ("email", r#"" erika@example.org ""#, None),
        ("email", r#""erika""#, Some(ViolationKey::InvalidEmail)),
        ("email", r#""erika@""#, Some(ViolationKey::InvalidEmail)),
        (
            "email",
            r#""@example.org""#,
            Some(ViolationKey::InvalidEmail),
        ),
        (
            "email",
            r#""erika@example""#,
            Some(ViolationKey::InvalidEmail),
        ),
        (
            "email",
            r#""erika muster@example.org""#,
            Some(ViolationKey::InvalidEmail),
        ),
        (
            "email",
            r#""erika..m@example.org""#,
            Some(ViolationKey::InvalidEmail),
        ),
        (
            "email",
            r#""erika@-example.org""#,
            Some(ViolationKey::InvalidEmail),
        ),
        (
            "email",
            r#""erika@example.c""#,
            Some(ViolationKey::InvalidEmail),
        ),
        (
            "email",
            r#""erika@example..org""#,
            Some(ViolationKey::InvalidEmail),
        ),
    ]);
}

#[test]
fn phone_rows() {
    run_table(&[
        ("telefon", r#""030 1234567""#, None),
        ("telefon", r#""+49 (0)30 1234-56""#, None),
        ("telefon", r#""0151/2345678""#, None),
        ("telefon", r#""1234""#, Some(ViolationKey::InvalidPhone)),
        (
            "telefon",
            r#""030-CALL-ME""#,
            Some(ViolationKey::InvalidPhone),
        ),
        (
            "telefon",
            r#""+49 30 1234567 8901234""#,
            Some(ViolationKey::InvalidPhone),
        ),
        ("telefon", r#""030 (123""#, Some(ViolationKey::InvalidPhone)),
        (
            "telefon",
            r#""++49 30 123456""#,
            Some(ViolationKey::InvalidPhone),
        ),
    ]);
}

#[test]
fn date_rows() {
    run_table(&[
        ("datum", r#""2026-02-28""#, None),
        ("datum", r#""2024-02-29""#, None),
        ("datum", r#""28.02.2026""#, None),
        ("datum", r#""1.3.2026""#, None),
        ("datum", r#""2026-02-30""#, Some(ViolationKey::InvalidDate)),
        ("datum", r#""2025-02-29""#, Some(ViolationKey::InvalidDate)),
        ("datum", r#""30.02.2026""#, Some(ViolationKey::InvalidDate)),
        ("datum", r#""2026-2-28""#, Some(ViolationKey::InvalidDate)),
        ("datum", r#""morgen""#, Some(ViolationKey::InvalidDate)),
    ]);
}

#[test]
fn date_range_rows() {
    run_table(&[
        ("termin", r#""2026-01-01""#, None),
        ("termin", r#""2026-12-31""#, None),
        ("termin", r#""15.06.2026""#, None),
        (
            "termin",
            r#""2025-12-31""#,
            Some(ViolationKey::DateTooEarly),
        ),
        ("termin", r#""2027-01-01""#, Some(ViolationKey::DateTooLate)),
    ]);
}

#[test]
fn german_date_is_stored_as_iso() {
    let stored = normalize(&schema(), &data(r#"{"pflicht":"x","datum":"1.3.2026"}"#));

    assert_eq!(to_json(&stored), r#"{"pflicht":"x","datum":"2026-03-01"}"#);
}

#[test]
fn number_range_rows() {
    run_table(&[
        ("anzahl", "1", None),
        ("anzahl", "10", None),
        ("anzahl", r#""3""#, None),
        ("anzahl", "0", Some(ViolationKey::TooSmall)),
        ("anzahl", "11", Some(ViolationKey::TooLarge)),
        ("anzahl", "2.5", Some(ViolationKey::InvalidType)),
        ("anzahl", r#""3,5""#, Some(ViolationKey::InvalidType)),
        ("anzahl", r#""drei""#, Some(ViolationKey::InvalidType)),
        ("gewicht", r#""2,5""#, None),
        ("gewicht", "99.5", None),
        ("gewicht", "0", Some(ViolationKey::TooSmall)),
        ("gewicht", r#""-1""#, Some(ViolationKey::TooSmall)),
        ("gewicht", "99.6", Some(ViolationKey::TooLarge)),
        ("gewicht", r#""1.000,5""#, Some(ViolationKey::InvalidType)),
        ("gewicht", "1e400", Some(ViolationKey::InvalidType)),
    ]);
}

#[test]
fn typed_numbers_are_stored_as_numbers() {
    let stored = normalize(
        &schema(),
        &data(r#"{"pflicht":"x","anzahl":" 03 ","gewicht":"2,5"}"#),
    );

    assert_eq!(
        to_json(&stored),
        r#"{"pflicht":"x","anzahl":3,"gewicht":2.5}"#
    );
}

#[test]
fn choice_rows() {
    run_table(&[
        ("anrede", r#""frau""#, None),
        ("anrede", r#""Frau""#, Some(ViolationKey::NotAChoice)),
        ("anrede", r#""mx""#, Some(ViolationKey::NotAChoice)),
        ("stufe", "2", None),
        ("stufe", r#""2""#, None),
        ("stufe", "2.0", None),
        ("stufe", "4", Some(ViolationKey::NotAChoice)),
        ("themen", r#"["Verkehr","Kultur"]"#, None),
        (
            "themen",
            r#"["Verkehr","Sport"]"#,
            Some(ViolationKey::NotAChoice),
        ),
        (
            "themen",
            r#"["Verkehr","Verkehr"]"#,
            Some(ViolationKey::DuplicateItem),
        ),
        (
            "themen",
            r#"["Verkehr","Umwelt","Kultur"]"#,
            Some(ViolationKey::TooManyItems),
        ),
        ("themen", r#""Verkehr""#, Some(ViolationKey::InvalidType)),
        ("themen", r#"[]"#, None),
    ]);
}

#[test]
fn consent_rows() {
    run_table(&[
        ("einwilligung", "true", None),
        ("einwilligung", "false", Some(ViolationKey::MustAccept)),
        ("einwilligung", r#""ja""#, Some(ViolationKey::InvalidType)),
    ]);
}

#[test]
fn every_problem_is_reported_at_once() {
    let violations = validate(
        &schema(),
        &data(
            r#"{"kurz":"A","plz":"1","iban":"DE00","email":"x","anzahl":0,"anrede":"x","einwilligung":false}"#,
        ),
    );

    let paths: Vec<&str> = violations
        .iter()
        .map(|violation| violation.path.as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "/pflicht",
            "/kurz",
            "/plz",
            "/iban",
            "/email",
            "/anzahl",
            "/anrede",
            "/einwilligung"
        ]
    );
}

#[test]
fn data_that_is_no_object_is_rejected() {
    for text in ["[]", "\"Erika\"", "null", "42"] {
        let violations = validate(&schema(), &data(text));
        assert_eq!(violations.len(), 1, "{text}");
        assert_eq!(violations[0].path, "", "{text}");
        assert_eq!(violations[0].key, ViolationKey::InvalidType, "{text}");
    }
}

#[test]
fn unknown_keys_are_not_stored() {
    let stored = normalize(
        &schema(),
        &data(r#"{"pflicht":"x","__proto__":{"a":1},"admin":true}"#),
    );

    assert_eq!(to_json(&stored), r#"{"pflicht":"x"}"#);
}

/// A form with a branch (private person or company), a contact request
/// and a repeated group.
const CONDITIONAL: &str = r#"{
  "title": "Sperrmüll",
  "type": "object",
  "required": ["antragsteller", "gegenstaende"],
  "properties": {
    "antragsteller": { "type": "string", "title": "Sie sind", "enum": ["privat", "firma"] },
    "firmenname": { "type": "string", "title": "Name der Firma" },
    "rueckruf": { "type": "boolean", "title": "Rückruf gewünscht" },
    "telefon": { "type": "string", "title": "Telefon", "format": "phone" },
    "gegenstaende": {
      "type": "array", "title": "Gegenstände", "minItems": 1, "maxItems": 3,
      "items": {
        "type": "object",
        "required": ["bezeichnung"],
        "properties": {
          "bezeichnung": { "type": "string", "title": "Bezeichnung", "maxLength": 40 },
          "anzahl": { "type": "integer", "title": "Anzahl", "minimum": 1 },
          "elektro": { "type": "boolean", "title": "Elektrogerät" },
          "geraeteart": { "type": "string", "title": "Art des Geräts" }
        }
      }
    }
  },
  "x-ogkit": {
    "fields": {
      "firmenname": { "visible_if": { "field": "antragsteller", "equals": "firma" }, "required_if": { "field": "antragsteller", "equals": "firma" } },
      "telefon": { "required_if": { "field": "rueckruf", "equals": true } },
      "gegenstaende": {
        "item_title": "Gegenstand",
        "fields": { "geraeteart": { "visible_if": { "field": "elektro", "equals": true }, "required_if": { "field": "elektro", "equals": true } } }
      }
    }
  }
}"#;

fn conditional() -> Schema {
    Schema::from_json(CONDITIONAL).unwrap_or_else(|error| panic!("conditional schema: {error}"))
}

fn paths_and_keys(violations: &[Violation]) -> Vec<(String, ViolationKey)> {
    violations
        .iter()
        .map(|violation| (violation.path.clone(), violation.key))
        .collect()
}

mod conditional_required {
    use super::*;

    #[test]
    fn company_name_required_for_company() {
        let violations = validate(
            &conditional(),
            &data(r#"{"antragsteller":"firma","gegenstaende":[{"bezeichnung":"Sofa"}]}"#),
        );

        assert_eq!(
            paths_and_keys(&violations),
            [("/firmenname".to_owned(), ViolationKey::Required)]
        );
    }

    #[test]
    fn company_name_hidden_for_person() {
        let submitted = data(
            r#"{"antragsteller":"privat","firmenname":"Muster GmbH","gegenstaende":[{"bezeichnung":"Sofa"}]}"#,
        );

        assert_eq!(validate(&conditional(), &submitted), []);
        assert!(!to_json(&normalize(&conditional(), &submitted)).contains("Muster GmbH"));
    }

    #[test]
    fn phone_required_only_for_callback() {
        let without = data(
            r#"{"antragsteller":"privat","rueckruf":false,"gegenstaende":[{"bezeichnung":"Sofa"}]}"#,
        );
        let with = data(
            r#"{"antragsteller":"privat","rueckruf":true,"telefon":" ","gegenstaende":[{"bezeichnung":"Sofa"}]}"#,
        );

        assert_eq!(validate(&conditional(), &without), []);
        assert_eq!(
            paths_and_keys(&validate(&conditional(), &with)),
            [("/telefon".to_owned(), ViolationKey::Required)]
        );
    }

    #[test]
    fn visible_phone_is_still_checked() {
        let submitted = data(
            r#"{"antragsteller":"privat","telefon":"abc","gegenstaende":[{"bezeichnung":"Sofa"}]}"#,
        );

        assert_eq!(
            paths_and_keys(&validate(&conditional(), &submitted)),
            [("/telefon".to_owned(), ViolationKey::InvalidPhone)]
        );
    }
}

mod repeated_groups {
    use super::*;

    #[test]
    fn missing_group_needs_one_entry() {
        for text in [
            r#"{"antragsteller":"privat"}"#,
            r#"{"antragsteller":"privat","gegenstaende":[]}"#,
        ] {
            let violations = validate(&conditional(), &data(text));
            assert_eq!(
                paths_and_keys(&violations),
                [("/gegenstaende".to_owned(), ViolationKey::Required)],
                "{text}"
            );
            assert_eq!(violations[0].param("input"), Some("entries"));
        }
    }

    #[test]
    fn entry_problems_name_the_entry() {
        let submitted = data(
            r#"{"antragsteller":"privat","gegenstaende":[{"bezeichnung":"Sofa","anzahl":1},{"bezeichnung":" ","anzahl":0}]}"#,
        );

        let violations = validate(&conditional(), &submitted);

        assert_eq!(
            paths_and_keys(&violations),
            [
                (
                    "/gegenstaende/1/bezeichnung".to_owned(),
                    ViolationKey::Required
                ),
                ("/gegenstaende/1/anzahl".to_owned(), ViolationKey::TooSmall),
            ]
        );
        assert_eq!(
            message(&violations[0], Lang::De),
            "„Bezeichnung“ (Gegenstand 2) fehlt: Bitte füllen Sie dieses Feld aus."
        );
        assert_eq!(
            message(&violations[0], Lang::En),
            "“Bezeichnung” (Gegenstand 2) is missing: fill in this field."
        );
    }

    #[test]
    fn too_many_entries_are_reported() {
        let submitted = data(
            r#"{"antragsteller":"privat","gegenstaende":[{"bezeichnung":"A"},{"bezeichnung":"B"},{"bezeichnung":"C"},{"bezeichnung":"D"}]}"#,
        );

        let violations = validate(&conditional(), &submitted);

        assert_eq!(
            paths_and_keys(&violations),
            [("/gegenstaende".to_owned(), ViolationKey::TooManyItems)]
        );
        assert_eq!(violations[0].param("max"), Some("3"));
    }

    #[test]
    fn condition_tests_same_entry() {
        let submitted = data(
            r#"{"antragsteller":"privat","gegenstaende":[{"bezeichnung":"Kühlschrank","elektro":true},{"bezeichnung":"Sofa","geraeteart":"Kühlgerät"}]}"#,
        );

        let violations = validate(&conditional(), &submitted);
        let stored = normalize(&conditional(), &submitted);

        assert_eq!(
            paths_and_keys(&violations),
            [(
                "/gegenstaende/0/geraeteart".to_owned(),
                ViolationKey::Required
            )]
        );
        assert_eq!(
            to_json(&stored),
            r#"{"antragsteller":"privat","gegenstaende":[{"bezeichnung":"Kühlschrank","elektro":true},{"bezeichnung":"Sofa"}]}"#
        );
    }

    #[test]
    fn entry_that_is_no_object_is_rejected() {
        let submitted = data(r#"{"antragsteller":"privat","gegenstaende":["Sofa"]}"#);

        let violations = validate(&conditional(), &submitted);

        assert_eq!(
            paths_and_keys(&violations),
            [("/gegenstaende/0".to_owned(), ViolationKey::InvalidType)]
        );
    }
}

mod pruning_while_filling_in {
    use super::*;

    const PERMIT: &str = include_str!("../../data/eval/cases/case-17-schema.json");

    #[test]
    fn switching_branch_removes_unoffered_choice() {
        let schema = Schema::from_json(PERMIT).expect("case schema loads");
        let filled = data(
            r#"{"antragsart":"Verlängerung","unterlagen":["Fahrzeugschein","Meldebescheinigung"]}"#,
        );

        let pruned = prune(&schema, &filled);

        assert_eq!(
            to_json(&pruned),
            r#"{"antragsart":"Verlängerung","unterlagen":["Fahrzeugschein"]}"#
        );
    }

    #[test]
    fn switching_back_clears_hidden_number() {
        let schema = Schema::from_json(PERMIT).expect("case schema loads");
        let filled = data(
            r#"{"antragsart":"Ersterteilung","unterlagen":["Fahrzeugschein"],"bisherigeNummer":"BP1234"}"#,
        );

        let pruned = prune(&schema, &filled);
        let switched = data(&to_json(&pruned).replace("Ersterteilung", "Verlängerung"));

        assert_eq!(
            to_json(&pruned),
            r#"{"antragsart":"Ersterteilung","unterlagen":["Fahrzeugschein"]}"#
        );
        assert!(!to_json(&prune(&schema, &switched)).contains("bisherigeNummer"));
    }

    #[test]
    fn typed_number_keeps_its_choice() {
        let schema = Schema::from_json(
            r#"{"type":"object","properties":{
                "stufe":{"type":"integer","enum":[1,2]},
                "grund":{"type":"string"}},
              "x-ogkit":{"fields":{"grund":{"visible_if":{"field":"stufe","equals":2}}}}}"#,
        )
        .expect("valid schema");
        let typed = data(r#"{"stufe":" 2","grund":"Umzug"}"#);

        let pruned = prune(&schema, &typed);

        assert_eq!(to_json(&pruned), r#"{"stufe":" 2","grund":"Umzug"}"#);
        assert_eq!(validate(&schema, &typed), []);
    }

    #[test]
    fn typed_text_keeps_its_spaces() {
        let pruned = prune(&schema(), &data(r#"{"pflicht":"Erika ","kurz":" A"}"#));

        assert_eq!(to_json(&pruned), r#"{"pflicht":"Erika ","kurz":" A"}"#);
    }
}

#[test]
fn every_message_names_field_in_both_languages() {
    let mut violations = validate(
        &schema(),
        &data(
            r#"{"kurz":"ABCDEFG","kennzeichen":"x","plz":"1","iban":"DE88370400440532013000","email":"x","telefon":"x",
                "termin":"2025-01-01","datum":"x","anzahl":99,"gewicht":0,"anrede":"x","themen":["Verkehr","Verkehr","Umwelt"],
                "einwilligung":false}"#,
        ),
    );
    violations.extend(validate(
        &schema(),
        &data(r#"{"pflicht":"x","kurz":"A","iban":"DE00","termin":"2027-01-01","anzahl":"x"}"#),
    ));
    violations.extend(validate(
        &conditional(),
        &data(r#"{"antragsteller":"privat","gegenstaende":[{},{},{},{}]}"#),
    ));

    let mut keys: Vec<&str> = violations
        .iter()
        .map(|violation| violation.key.as_str())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    assert!(
        keys.len() >= 18,
        "only {} keys covered: {keys:?}",
        keys.len()
    );
    for violation in &violations {
        let german = message(violation, Lang::De);
        let english = message(violation, Lang::En);
        assert!(german.contains(&violation.field), "{german}");
        assert!(english.contains(&violation.field), "{english}");
        assert_ne!(german, english);
        assert!(
            german.ends_with('.') && english.ends_with('.'),
            "{german} / {english}"
        );
    }
}

#[test]
fn violation_crosses_wire_as_json() {
    let violations = check("kurz", r#""A""#);

    let json = serde_json::to_string(&violations[0]).expect("violations serialise");
    let back: Violation = serde_json::from_str(&json).expect("violations deserialise");

    assert_eq!(
        json,
        r#"{"path":"/kurz","field":"Kürzel","key":"too_short","params":{"length":"1","min":"2"}}"#
    );
    assert_eq!(back, violations[0]);
}
