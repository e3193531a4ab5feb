//! The example forms of the demo city in `demo/formulare/`: each loads,
//! and realistic submissions, good and bad, validate as a city expects.

use ogkit_core::form::value::to_json;
use ogkit_core::form::{
    message, prepare, prepare_on, validate, validate_on, Date, Lang, Schema, Violation, ViolationKey,
};
use ogkit_core::table::{parse_json, JsonValue};

fn demo_text(name: &str) -> String {
    let path = format!("{}/../demo/formulare/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("read {path}: {error}"))
}

fn demo(name: &str) -> Schema {
    Schema::from_json(&demo_text(name)).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn data(text: &str) -> JsonValue {
    parse_json(text).unwrap_or_else(|error| panic!("test data: {error:?}"))
}

/// The reference date of the bulky-waste tests, a Wednesday: the earliest
/// pickup is 2026-04-04, three days later.
fn reference_date() -> Date {
    Date::new(2026, 4, 1).expect("a real day")
}

fn paths_and_keys(violations: &[Violation]) -> Vec<(&str, ViolationKey)> {
    violations
        .iter()
        .map(|violation| (violation.path.as_str(), violation.key))
        .collect()
}

mod bulky_waste {
    use super::*;

    const GOOD: &str = r#"{
        "name": " Erika Musterfrau ",
        "email": "erika.musterfrau@example.org",
        "telefon": "",
        "adresse": { "strasse": "Lindenallee", "hausnummer": "12a", "plz": "12345", "ort": "Musterstadt" },
        "wunschtermin": "14.04.2026",
        "abstellort": "gehweg",
        "gegenstaende": [
            { "art": "moebel", "beschreibung": "Kleiderschrank, zerlegt", "anzahl": "1" },
            { "art": "elektro", "geraet": "Kühlschrank", "anzahl": 1 },
            { "art": "matratze", "geraet": "Herd", "anzahl": 2 }
        ],
        "hinweis": "Bitte klingeln bei Musterfrau.",
        "einwilligung": true
    }"#;

    #[test]
    fn schema_has_four_steps() {
        let schema = demo("sperrmuell-anmelden.json");

        let titles: Vec<&str> = schema
            .steps
            .iter()
            .map(|step| step.title.as_str())
            .collect();
        assert_eq!(
            titles,
            [
                "Ihre Kontaktdaten",
                "Abholung",
                "Gegenstände",
                "Einwilligung"
            ]
        );
    }

    #[test]
    fn pickup_date_counts_from_reference_date() {
        let schema = demo("sperrmuell-anmelden.json");
        let with_date = |date: &str| data(&GOOD.replace("14.04.2026", date));
        let keys = |date: &str, today: Date| -> Vec<ViolationKey> {
            validate_on(&schema, &with_date(date), today).iter().map(|violation| violation.key).collect()
        };

        // Past days and the next two days are too early, the third day is
        // the first allowed one; weekends are never allowed.
        assert_eq!(keys("2026-03-31", reference_date()), [ViolationKey::DateTooEarly]);
        assert_eq!(keys("2026-04-01", reference_date()), [ViolationKey::DateTooEarly]);
        assert_eq!(keys("2026-04-03", reference_date()), [ViolationKey::DateTooEarly]);
        assert_eq!(keys("2026-04-04", reference_date()), [ViolationKey::WrongWeekday]);
        assert_eq!(keys("2026-04-06", reference_date()), []);
        assert_eq!(keys("2027-04-01", reference_date()), []);
        assert_eq!(keys("2027-04-02", reference_date()), [ViolationKey::DateTooLate]);

        // The same date is fine a day earlier and too early a day later.
        let monday = Date::new(2026, 4, 6).expect("a real day");
        assert_eq!(keys("2026-04-09", Date::new(2026, 4, 6).expect("a real day")), []);
        assert_eq!(keys("2026-04-08", monday), [ViolationKey::DateTooEarly]);

        let violations = validate_on(&schema, &with_date("2026-04-11"), reference_date());
        assert_eq!(
            message(&violations[0], Lang::De),
            "„Wunschtermin“ ist an diesem Wochentag nicht möglich: Bitte wählen Sie einen Tag von Montag, Dienstag, Mittwoch, Donnerstag oder Freitag."
        );
        assert_eq!(
            message(&violations[0], Lang::En),
            "“Wunschtermin” is not possible on this day of the week: choose a day from Monday, Tuesday, Wednesday, Thursday or Friday."
        );
    }

    #[test]
    fn validate_without_date_skips_relative_limits() {
        let request = data(&GOOD.replace("14.04.2026", "2020-01-04"));
        assert!(validate(&demo("sperrmuell-anmelden.json"), &request).is_empty());
        assert!(prepare(&demo("sperrmuell-anmelden.json"), &request).is_ok());
    }

    #[test]
    fn complete_request_is_stored_clean() {
        let stored =
            prepare_on(&demo("sperrmuell-anmelden.json"), &data(GOOD), reference_date()).expect("valid request");

        assert_eq!(
            to_json(&stored),
            concat!(
                r#"{"name":"Erika Musterfrau","email":"erika.musterfrau@example.org","#,
                r#""adresse":{"strasse":"Lindenallee","hausnummer":"12a","plz":"12345","ort":"Musterstadt"},"#,
                r#""wunschtermin":"2026-04-14","abstellort":"gehweg","gegenstaende":["#,
                r#"{"art":"moebel","beschreibung":"Kleiderschrank, zerlegt","anzahl":1},"#,
                r#"{"art":"elektro","geraet":"Kühlschrank","anzahl":1},"#,
                r#"{"art":"matratze","anzahl":2}],"#,
                r#""hinweis":"Bitte klingeln bei Musterfrau.","einwilligung":true}"#
            )
        );
    }

    #[test]
    fn hasty_request_lists_every_problem() {
        let request = data(
            r#"{
            "name": "E",
            "email": "erika.musterfrau@example",
            "adresse": { "strasse": "Lindenallee", "hausnummer": "12 a", "plz": "1234" },
            "wunschtermin": "2025-12-24",
            "abstellort": "dachboden",
            "gegenstaende": [ { "art": "elektro", "anzahl": 0 } ],
            "einwilligung": false
        }"#,
        );

        let violations = validate_on(&demo("sperrmuell-anmelden.json"), &request, reference_date());

        assert_eq!(
            paths_and_keys(&violations),
            [
                ("/name", ViolationKey::TooShort),
                ("/email", ViolationKey::InvalidEmail),
                ("/adresse/hausnummer", ViolationKey::PatternMismatch),
                ("/adresse/plz", ViolationKey::InvalidPlz),
                ("/adresse/ort", ViolationKey::Required),
                ("/wunschtermin", ViolationKey::DateTooEarly),
                ("/abstellort", ViolationKey::NotAChoice),
                ("/gegenstaende/0/geraet", ViolationKey::Required),
                ("/gegenstaende/0/anzahl", ViolationKey::TooSmall),
                ("/einwilligung", ViolationKey::MustAccept),
            ]
        );
        assert_eq!(
            message(&violations[2], Lang::De),
            "„Hausnummer“ hat nicht das erwartete Format: Bitte geben Sie es so ein wie im Beispiel 12a."
        );
        assert_eq!(
            message(&violations[5], Lang::De),
            "„Wunschtermin“ liegt zu früh: Bitte wählen Sie den 04.04.2026 oder ein späteres Datum."
        );
        assert_eq!(
            message(&violations[7], Lang::En),
            "“Welches Gerät?” (Gegenstand 1) is missing: select an answer."
        );
    }

    #[test]
    fn empty_request_names_required_inputs() {
        let violations = validate_on(&demo("sperrmuell-anmelden.json"), &data("{}"), reference_date());

        let paths: Vec<&str> = violations
            .iter()
            .map(|violation| violation.path.as_str())
            .collect();
        assert_eq!(
            paths,
            [
                "/name",
                "/email",
                "/adresse/strasse",
                "/adresse/hausnummer",
                "/adresse/plz",
                "/adresse/ort",
                "/wunschtermin",
                "/abstellort",
                "/gegenstaende",
                "/einwilligung",
            ]
        );
        assert!(violations
            .iter()
            .all(|violation| violation.key == ViolationKey::Required));
    }
}

mod report_an_issue {
    use super::*;

    #[test]
    fn anonymous_report_is_stored() {
        let report = data(
            r#"{"kategorie":"beleuchtung","beschreibung":"Die Laterne vor Haus 4 flackert seit Tagen.",
                "ort":{"strasse":"Am Markt 4","plz":""},"rueckmeldung":false,"kontakt":{"email":"x"}}"#,
        );

        let stored = prepare(&demo("anliegen-melden.json"), &report).expect("valid report");

        assert_eq!(
            to_json(&stored),
            r#"{"kategorie":"beleuchtung","beschreibung":"Die Laterne vor Haus 4 flackert seit Tagen.","ort":{"strasse":"Am Markt 4"},"rueckmeldung":false}"#
        );
    }

    #[test]
    fn feedback_needs_email() {
        let report = data(
            r#"{"kategorie":"muell","beschreibung":"Sperrmüll an der Bushaltestelle abgeladen.",
                "ort":{"strasse":"Bahnhofstraße / Ecke Gartenweg"},"rueckmeldung":true}"#,
        );

        let violations = validate(&demo("anliegen-melden.json"), &report);

        assert_eq!(
            paths_and_keys(&violations),
            [("/kontakt/email", ViolationKey::Required)]
        );
        assert_eq!(
            message(&violations[0], Lang::De),
            "„E-Mail-Adresse“ fehlt: Bitte füllen Sie dieses Feld aus."
        );
    }

    #[test]
    fn feedback_with_contact_is_stored() {
        let report = data(
            r#"{"kategorie":"gruen","beschreibung":"Ein großer Ast hängt über dem Gehweg.",
                "ort":{"strasse":"Parkstraße 9","genauer":"Beim Spielplatzeingang"},"rueckmeldung":true,
                "kontakt":{"name":"Max Mustermann","email":"max@example.org","telefon":"0151 2345678"}}"#,
        );

        let stored = prepare(&demo("anliegen-melden.json"), &report).expect("valid report");

        assert!(to_json(&stored).contains(r#""kontakt":{"name":"Max Mustermann","email":"max@example.org","telefon":"0151 2345678"}"#));
    }

    #[test]
    fn vague_report_is_rejected() {
        let report = data(r#"{"kategorie":"Müll","beschreibung":"kaputt","ort":{}}"#);

        let violations = validate(&demo("anliegen-melden.json"), &report);

        assert_eq!(
            paths_and_keys(&violations),
            [
                ("/kategorie", ViolationKey::NotAChoice),
                ("/beschreibung", ViolationKey::TooShort),
                ("/ort/strasse", ViolationKey::Required),
            ]
        );
    }
}

mod imported_from_fim {
    use super::*;

    #[test]
    fn imported_schema_loads() {
        let schema = demo("fim-natuerliche-person.json");

        assert!(schema
            .field_at(&["natuerliche_person", "familienname"])
            .is_some());
        let violations = validate(
            &schema,
            &data(r#"{"natuerliche_person":{"familienname":"  "}}"#),
        );
        assert_eq!(
            paths_and_keys(&violations),
            [("/natuerliche_person/familienname", ViolationKey::Required)]
        );
    }

    #[cfg(feature = "import")]
    #[test]
    fn demo_file_matches_fresh_import() {
        let path = format!(
            "{}/../data/forms/xdatenfelder_fixture_v2_simple.xml",
            env!("CARGO_MANIFEST_DIR")
        );
        let xml = std::fs::read_to_string(&path).expect("fixture is readable");

        let mut imported = ogkit_core::form::xdf::import(&xml).expect("fixture imports");
        // The fixture's own title is "Test"; the demo gives the form the
        // title that `ogkit form import-xdf --title` sets.
        assert!(imported.schema_json().contains(r#""title": "Test""#));
        imported.set_title("Angaben zur Person");

        assert_eq!(
            imported.schema_json(),
            demo_text("fim-natuerliche-person.json")
        );
    }
}
