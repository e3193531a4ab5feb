//! The form cases from real bug reports of other form tools, each checked
//! with the exact value its description gives. The schemas are byte-exact
//! copies in `data/eval/cases/`.

use ogkit_core::form::value::to_json;
use ogkit_core::form::{
    message, normalize, prepare, validate, Lang, Schema, Violation, ViolationKey,
};
use ogkit_core::table::{parse_json, JsonValue};

fn load(name: &str) -> Schema {
    let path = format!("{}/../data/eval/cases/{name}", env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("read {path}: {error}"));
    Schema::from_json(&text).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn data(text: &str) -> JsonValue {
    parse_json(text).expect("test data is valid JSON")
}

fn paths(violations: &[Violation]) -> Vec<&str> {
    violations
        .iter()
        .map(|violation| violation.path.as_str())
        .collect()
}

/// Returns the stored data as JSON text with keys sorted, so that key order
/// does not matter in comparisons.
fn sorted_json(value: &JsonValue) -> String {
    fn sort(value: &JsonValue) -> JsonValue {
        match value {
            JsonValue::Object(members) => {
                let mut members: Vec<(String, JsonValue)> = members
                    .iter()
                    .map(|(key, item)| (key.clone(), sort(item)))
                    .collect();
                members.sort_by(|left, right| left.0.cmp(&right.0));
                JsonValue::Object(members)
            }
            JsonValue::Array(items) => JsonValue::Array(items.iter().map(sort).collect()),
            other => other.clone(),
        }
    }
    to_json(&sort(value))
}

mod required_fields_with_spaces {
    use super::*;

    #[test]
    fn spaces_and_cleared_fields_are_missing() {
        let schema = load("case-16-schema.json");
        let submitted = data(
            r#"{"vorname":"   ","nachname":"","email":"erika.muster@example.org","anliegen":"Frage zur Grundsteuer"}"#,
        );

        let violations = validate(&schema, &submitted);

        assert_eq!(paths(&violations), ["/vorname", "/nachname"]);
        assert!(violations
            .iter()
            .all(|violation| violation.key == ViolationKey::Required));
        assert!(message(&violations[0], Lang::De).contains("Vorname"));
        assert!(message(&violations[1], Lang::De).contains("Nachname"));
        assert!(!violations
            .iter()
            .any(|violation| violation.path == "/telefon"));
    }

    #[test]
    fn surrounding_spaces_are_trimmed() {
        let schema = load("case-16-schema.json");
        let submitted = data(
            r#"{"vorname":" Erika ","nachname":"Musterfrau","email":"erika.muster@example.org","anliegen":"Frage zur Grundsteuer"}"#,
        );

        let stored = prepare(&schema, &submitted).expect("valid submission");

        assert_eq!(
            to_json(&stored),
            r#"{"vorname":"Erika","nachname":"Musterfrau","email":"erika.muster@example.org","anliegen":"Frage zur Grundsteuer"}"#
        );
    }

    #[test]
    fn cleared_optional_field_is_absent() {
        let schema = load("case-16-schema.json");
        let untouched = data(
            r#"{"vorname":" Erika ","nachname":"Musterfrau","email":"erika.muster@example.org","anliegen":"Frage zur Grundsteuer"}"#,
        );
        let cleared = data(
            r#"{"vorname":" Erika ","nachname":"Musterfrau","email":"erika.muster@example.org","telefon":"","anliegen":"Frage zur Grundsteuer"}"#,
        );

        let untouched = prepare(&schema, &untouched).expect("valid submission");
        let cleared = prepare(&schema, &cleared).expect("valid submission");

        assert_eq!(to_json(&cleared), to_json(&untouched));
        assert!(!to_json(&cleared).contains("telefon"));
    }
}

mod conditional_fields {
    use super::*;

    #[test]
    fn hidden_invalid_number_neither_blocks_nor_leaks() {
        let schema = load("case-17-schema.json");
        let submitted = data(
            r#"{"antragsart":"Ersterteilung","unterlagen":["Fahrzeugschein"],"bisherigeNummer":"BP1234"}"#,
        );

        let violations = validate(&schema, &submitted);
        let stored = prepare(&schema, &submitted).expect("hidden field does not block");

        assert_eq!(violations, []);
        assert_eq!(
            sorted_json(&stored),
            r#"{"antragsart":"Ersterteilung","unterlagen":["Fahrzeugschein"]}"#
        );
    }

    #[test]
    fn visible_number_is_required() {
        let schema = load("case-17-schema.json");
        let submitted = data(r#"{"antragsart":"Verlängerung"}"#);

        let violations = validate(&schema, &submitted);

        assert_eq!(paths(&violations), ["/bisherigeNummer"]);
        assert_eq!(violations[0].key, ViolationKey::Required);
        assert!(message(&violations[0], Lang::De).contains("Nummer des bisherigen Ausweises"));
    }

    #[test]
    fn renewal_with_number_is_stored() {
        let schema = load("case-17-schema.json");
        let submitted = data(
            r#"{"antragsart":"Verlängerung","unterlagen":["Bisheriger Ausweis"],"bisherigeNummer":"BP12345"}"#,
        );

        let stored = prepare(&schema, &submitted).expect("valid renewal");

        assert_eq!(
            sorted_json(&stored),
            r#"{"antragsart":"Verlängerung","bisherigeNummer":"BP12345","unterlagen":["Bisheriger Ausweis"]}"#
        );
    }

    #[test]
    fn choice_of_other_branch_is_rejected() {
        let schema = load("case-17-schema.json");
        let submitted = data(
            r#"{"antragsart":"Verlängerung","unterlagen":["Meldebescheinigung"],"bisherigeNummer":"BP12345"}"#,
        );

        let violations = validate(&schema, &submitted);

        assert_eq!(paths(&violations), ["/unterlagen/0"]);
        assert_eq!(violations[0].key, ViolationKey::NotAChoice);
    }

    #[test]
    fn invalid_visible_number_is_reported() {
        let schema = load("case-17-schema.json");
        let submitted = data(r#"{"antragsart":"Verlängerung","bisherigeNummer":"BP1234"}"#);

        let violations = validate(&schema, &submitted);

        assert_eq!(paths(&violations), ["/bisherigeNummer"]);
        assert_eq!(violations[0].key, ViolationKey::PatternMismatch);
        let text = message(&violations[0], Lang::De);
        assert!(
            text.contains("2 Großbuchstaben, danach 5 Ziffern"),
            "{text}"
        );
    }

    #[test]
    fn normalize_drops_hidden_values() {
        let schema = load("case-17-schema.json");
        let submitted =
            data(r#"{"antragsart":"Ersterteilung","bisherigeNummer":"BP12345","unbekannt":"x"}"#);

        assert_eq!(
            to_json(&normalize(&schema, &submitted)),
            r#"{"antragsart":"Ersterteilung"}"#
        );
    }
}

mod screen_reader_messages {
    use super::*;

    #[test]
    fn four_problems_are_reported_at_once() {
        let schema = load("case-20-schema.json");
        let submitted = data(r#"{"name":"A","email":"","plz":"1234","strasse":""}"#);

        let violations = validate(&schema, &submitted);

        assert_eq!(paths(&violations), ["/name", "/email", "/plz", "/strasse"]);
    }

    #[test]
    fn messages_name_field_and_action() {
        let schema = load("case-20-schema.json");
        let submitted = data(r#"{"name":"A","email":"","plz":"1234","strasse":""}"#);

        let violations = validate(&schema, &submitted);
        let german: Vec<String> = violations
            .iter()
            .map(|violation| message(violation, Lang::De))
            .collect();
        let english: Vec<String> = violations
            .iter()
            .map(|violation| message(violation, Lang::En))
            .collect();

        for (text, title) in
            german
                .iter()
                .zip(["Name", "E-Mail", "Postleitzahl", "Straße und Hausnummer"])
        {
            assert!(text.contains(title), "{text}");
            assert!(text.contains("Bitte"), "{text}");
        }
        assert!(german[0].contains("mindestens 2 Zeichen"), "{}", german[0]);
        assert!(german[2].contains("5 Ziffern"), "{}", german[2]);
        assert!(
            english[0].contains("at least 2 characters"),
            "{}",
            english[0]
        );
        assert!(english[2].contains("5 digits"), "{}", english[2]);
    }

    #[test]
    fn corrected_postcode_clears_its_error() {
        let schema = load("case-20-schema.json");
        let submitted = data(r#"{"name":"A","plz":"12345"}"#);

        let violations = validate(&schema, &submitted);

        assert!(!paths(&violations).contains(&"/plz"));
    }
}

/// The double-submission case: the request body that the widget sends, and
/// sends again unchanged on a retry, so the server can store one record.
/// Counting requests and the busy button are checked by the widget and
/// server tests.
mod double_submission {
    use ogkit_core::form::{is_valid_submission_id, Submission};

    use super::*;

    fn submission() -> Submission {
        let schema = load("case-16-schema.json");
        let typed = data(
            r#"{"vorname":"Erika","nachname":"Musterfrau","email":"erika.muster@example.org","anliegen":"Frage zur Grundsteuer"}"#,
        );
        Submission {
            submission_id: "0b9e7c52-3f0a-4d8e-9c1a-5e2f6a7b8c9d".to_owned(),
            data: prepare(&schema, &typed).expect("valid data"),
        }
    }

    #[test]
    fn retry_sends_same_body() {
        let first = submission().to_json();
        let retry = submission().to_json();

        assert_eq!(first, retry);
        assert_eq!(
            first,
            r#"{"submission_id":"0b9e7c52-3f0a-4d8e-9c1a-5e2f6a7b8c9d","data":{"vorname":"Erika","nachname":"Musterfrau","email":"erika.muster@example.org","anliegen":"Frage zur Grundsteuer"}}"#
        );
    }

    #[test]
    fn body_reads_back_with_serde() {
        let body = submission().to_json();

        let read: Submission = serde_json::from_str(&body).expect("the body is valid JSON");

        assert_eq!(read, submission());
        assert_eq!(serde_json::to_string(&read).expect("serialises"), body);
    }

    #[test]
    fn submission_ids_are_checked() {
        assert!(is_valid_submission_id(
            "0b9e7c52-3f0a-4d8e-9c1a-5e2f6a7b8c9d"
        ));
        assert!(is_valid_submission_id("Zx_9-aaaaaaaaaaaa"));
        assert!(!is_valid_submission_id("kurz"));
        assert!(!is_valid_submission_id("0b9e7c52 3f0a 4d8e 9c1a"));
        assert!(!is_valid_submission_id(&"a".repeat(65)));
    }
}
