//! Import of FIM XDatenfelder 2 files: the two fixtures in `data/forms/`
//! (byte-exact copies of public test files) and small hand-written cases.

#![cfg(feature = "import")]

use ogkit_core::form::xdf::{import, import_with, read_code_list, Import};
use ogkit_core::form::{validate, Format, Kind, Schema, ViolationKey};
use ogkit_core::table::parse_json;

fn import_fixture(name: &str) -> Import {
    let path = format!("{}/../data/forms/{name}", env!("CARGO_MANIFEST_DIR"));
    let xml = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("read {path}: {error}"));
    import(&xml).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn load(imported: &Import) -> Schema {
    Schema::from_json(&imported.schema_json())
        .unwrap_or_else(|error| panic!("imported schema does not load: {error}"))
}

/// Wraps Datenfelder in a minimal Stammdatenschema message.
fn message(structures: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<xdf:xdatenfelder.stammdatenschema.0102 xmlns:xdf="urn:xoev-de:fim:standard:xdatenfelder_2">
  <xdf:stammdatenschema>
    <xdf:identifikation><xdf:id>S1</xdf:id><xdf:version>1.0</xdf:version></xdf:identifikation>
    <xdf:name>Testschema</xdf:name>
    <xdf:bezeichnungEingabe>Testformular</xdf:bezeichnungEingabe>
    {structures}
  </xdf:stammdatenschema>
</xdf:xdatenfelder.stammdatenschema.0102>"#
    )
}

fn field(
    id: &str,
    label: &str,
    feldart: &str,
    datentyp: &str,
    anzahl: &str,
    extra: &str,
) -> String {
    format!(
        r#"<xdf:struktur><xdf:anzahl>{anzahl}</xdf:anzahl><xdf:enthaelt><xdf:datenfeld>
  <xdf:identifikation><xdf:id>{id}</xdf:id></xdf:identifikation>
  <xdf:name>{label}</xdf:name><xdf:bezeichnungEingabe>{label}</xdf:bezeichnungEingabe>
  <xdf:feldart><code>{feldart}</code></xdf:feldart><xdf:datentyp><code>{datentyp}</code></xdf:datentyp>
  {extra}
</xdf:datenfeld></xdf:enthaelt></xdf:struktur>"#
    )
}

mod simple_fixture {
    use super::*;

    #[test]
    fn group_becomes_required_group() {
        let schema = load(&import_fixture("xdatenfelder_fixture_v2_simple.xml"));

        let group = schema
            .field("natuerliche_person")
            .expect("group Natürliche Person");
        assert_eq!(schema.title, "Test");
        assert_eq!(schema.fields.len(), 1);
        assert_eq!(group.title, "Natürliche Person");
        assert!(group.required);
        assert!(matches!(group.kind, Kind::Group(_)));
    }

    #[test]
    fn family_name_keeps_its_constraints() {
        let schema = load(&import_fixture("xdatenfelder_fixture_v2_simple.xml"));

        let name = schema
            .field_at(&["natuerliche_person", "familienname"])
            .expect("field Familienname");
        assert_eq!(name.title, "Familienname");
        assert_eq!(name.kind, Kind::Text);
        assert!(name.required);
        assert_eq!(name.rules.min_length, Some(1));
        assert_eq!(name.rules.max_length, Some(120));
        assert_eq!(name.ui.help.as_deref(), Some("Hilfe Eingabe"));
    }

    #[test]
    fn rule_is_reported_with_position() {
        let imported = import_fixture("xdatenfelder_fixture_v2_simple.xml");

        assert_eq!(imported.issues.len(), 1, "{:?}", imported.issues);
        let issue = &imported.issues[0];
        assert_eq!((issue.line, issue.column), (32, 9));
        assert_eq!(issue.element, "R60000037 MindestEineAngabe");
        assert!(issue.reason.contains("rules"), "{}", issue.reason);
    }

    #[test]
    fn imported_schema_validates_data() {
        let schema = load(&import_fixture("xdatenfelder_fixture_v2_simple.xml"));
        let valid = parse_json(r#"{"natuerliche_person":{"familienname":"Musterfrau"}}"#)
            .expect("test JSON");
        let too_long = format!(
            r#"{{"natuerliche_person":{{"familienname":"{}"}}}}"#,
            "x".repeat(121)
        );
        let too_long = parse_json(&too_long).expect("test JSON");

        assert_eq!(validate(&schema, &valid), []);
        let violations = validate(&schema, &too_long);
        assert_eq!(violations.len(), 1);
        assert_eq!(violations[0].path, "/natuerliche_person/familienname");
        assert_eq!(violations[0].key, ViolationKey::TooLong);
    }
}

mod select_fixture {
    use super::*;

    #[test]
    fn referenced_code_list_becomes_text_field() {
        let imported = import_fixture("xdatenfelder_fixture_v2_select.xml");
        let schema = load(&imported);

        let hint = schema.field("hinweis").expect("field Hinweis");
        assert_eq!(hint.title, "Hinweis");
        assert_eq!(hint.kind, Kind::Text);
        assert!(hint.required);
        assert_eq!(hint.rules.choices, None);
    }

    #[test]
    fn missing_code_list_is_reported() {
        let imported = import_fixture("xdatenfelder_fixture_v2_select.xml");

        assert_eq!(imported.issues.len(), 1, "{:?}", imported.issues);
        let issue = &imported.issues[0];
        assert_eq!(issue.element, "F123 Hinweis");
        assert_eq!(issue.line, 34);
        assert!(
            issue.reason.contains("urn:de:example_1"),
            "{}",
            issue.reason
        );
    }
}

/// A genericode code list with the URN that the select fixture refers to.
const CODE_LIST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gc:CodeList xmlns:gc="http://docs.oasis-open.org/codelist/ns/genericode/1.0/">
  <Identification>
    <ShortName>hinweisarten</ShortName>
    <Version>1</Version>
    <CanonicalUri>urn:de:example</CanonicalUri>
    <CanonicalVersionUri>urn:de:example_1</CanonicalVersionUri>
  </Identification>
  <ColumnSet>
    <Column Id="schluessel" Use="required"><ShortName>Schlüssel</ShortName><Data Type="string"/></Column>
    <Column Id="kurz" Use="optional"><ShortName>Kürzel</ShortName><Data Type="string"/></Column>
    <Column Id="bezeichnung" Use="required"><ShortName>Bezeichnung</ShortName><Data Type="string"/></Column>
    <Key Id="key"><ShortName>Key</ShortName><ColumnRef Ref="schluessel"/></Key>
  </ColumnSet>
  <SimpleCodeList>
    <Row><Value ColumnRef="schluessel"><SimpleValue>01</SimpleValue></Value><Value ColumnRef="kurz"><SimpleValue>A</SimpleValue></Value><Value ColumnRef="bezeichnung"><SimpleValue>Allgemeiner Hinweis</SimpleValue></Value></Row>
    <Row><Value ColumnRef="schluessel"><SimpleValue>02</SimpleValue></Value><Value ColumnRef="bezeichnung"><SimpleValue>Frist</SimpleValue></Value></Row>
  </SimpleCodeList>
</gc:CodeList>"#;

mod code_lists {
    use super::*;

    #[test]
    fn genericode_rows_are_read() {
        let list = read_code_list(CODE_LIST).expect("valid code list");

        assert_eq!(
            list.canonical_version_uri.as_deref(),
            Some("urn:de:example_1")
        );
        assert_eq!(
            list.entries,
            [
                ("01".to_owned(), "Allgemeiner Hinweis".to_owned()),
                ("02".to_owned(), "Frist".to_owned())
            ]
        );
    }

    #[test]
    fn referenced_list_becomes_choices() {
        let path = format!(
            "{}/../data/forms/xdatenfelder_fixture_v2_select.xml",
            env!("CARGO_MANIFEST_DIR")
        );
        let xml = std::fs::read_to_string(&path).expect("fixture is readable");
        let list = read_code_list(CODE_LIST).expect("valid code list");

        let imported = import_with(&xml, &[list]).expect("fixture imports");
        let schema = load(&imported);

        let choices = schema
            .field("hinweis")
            .and_then(|field| field.rules.choices.clone())
            .expect("choices");
        let titles: Vec<&str> = choices.iter().map(|choice| choice.title.as_str()).collect();
        assert_eq!(titles, ["Allgemeiner Hinweis", "Frist"]);
        assert_eq!(imported.issues, []);
    }

    #[test]
    fn other_list_is_not_used() {
        let path = format!(
            "{}/../data/forms/xdatenfelder_fixture_v2_select.xml",
            env!("CARGO_MANIFEST_DIR")
        );
        let xml = std::fs::read_to_string(&path).expect("fixture is readable");
        let list = read_code_list(&CODE_LIST.replace("urn:de:example_1", "urn:de:example_2"))
            .expect("valid code list");

        let imported = import_with(&xml, &[list]).expect("fixture imports");

        assert_eq!(imported.issues.len(), 1);
        assert!(imported.issues[0].reason.contains("urn:de:example_1"));
    }

    #[test]
    fn stammdatenschema_is_no_code_list() {
        let path = format!(
            "{}/../data/forms/xdatenfelder_fixture_v2_select.xml",
            env!("CARGO_MANIFEST_DIR")
        );
        let xml = std::fs::read_to_string(&path).expect("fixture is readable");

        let error = read_code_list(&xml).expect_err("not a code list");

        assert!(
            error.to_string().starts_with("not a genericode code list"),
            "{error}"
        );
    }

    #[test]
    fn empty_code_list_is_rejected() {
        let start = CODE_LIST
            .find("<SimpleCodeList>")
            .expect("fixture has rows");
        let end = CODE_LIST
            .find("</SimpleCodeList>")
            .expect("fixture has rows");
        let empty = format!(
            "{}<SimpleCodeList>{}",
            &CODE_LIST[..start],
            &CODE_LIST[end..]
        );

        let error = read_code_list(&empty).expect_err("no rows");

        assert!(error.to_string().contains("at least one Row"), "{error}");
    }
}

mod datenfelder {
    use super::*;

    #[test]
    fn inline_values_become_choices() {
        let values = r#"<xdf:werte>
            <xdf:wert><xdf:code>01</xdf:code><xdf:name>Erstantrag</xdf:name></xdf:wert>
            <xdf:wert><xdf:code>02</xdf:code><xdf:name>Folgeantrag</xdf:name></xdf:wert>
        </xdf:werte>"#;
        let xml = message(&field("F1", "Antragsart", "select", "text", "1:1", values));

        let imported = import(&xml).expect("valid message");
        let schema = load(&imported);

        let choices = schema
            .field("antragsart")
            .and_then(|field| field.rules.choices.clone())
            .expect("choices");
        let titles: Vec<&str> = choices.iter().map(|choice| choice.title.as_str()).collect();
        assert_eq!(titles, ["Erstantrag", "Folgeantrag"]);
        assert_eq!(imported.issues, []);
    }

    #[test]
    fn datentypen_map_to_kinds() {
        let xml = message(
            &[
                field("F1", "Geburtsdatum", "input", "date", "1:1", ""),
                field("F2", "Einverstanden", "input", "bool", "0:1", ""),
                field(
                    "F3",
                    "Anzahl Personen",
                    "input",
                    "num_int",
                    "0:1",
                    r#"<xdf:praezisierung>{"minValue":"1","maxValue":"9"}</xdf:praezisierung>"#,
                ),
                field("F4", "Fläche", "input", "num", "0:1", ""),
            ]
            .concat(),
        );

        let schema = load(&import(&xml).expect("valid message"));

        let birth = schema.field("geburtsdatum").expect("date field");
        assert_eq!(birth.rules.format, Some(Format::Date));
        assert!(birth.required);
        assert_eq!(
            schema.field("einverstanden").map(|field| &field.kind),
            Some(&Kind::Boolean)
        );
        let persons = schema.field("anzahl_personen").expect("integer field");
        assert_eq!(persons.kind, Kind::Integer);
        assert!(persons.rules.minimum.is_some());
        assert!(persons.rules.maximum.is_some());
        assert_eq!(
            schema.field("flaeche").map(|field| &field.kind),
            Some(&Kind::Number)
        );
    }

    #[test]
    fn repeated_group_gets_item_limits() {
        let group = format!(
            r#"<xdf:struktur><xdf:anzahl>1:5</xdf:anzahl><xdf:enthaelt><xdf:datenfeldgruppe>
              <xdf:identifikation><xdf:id>G1</xdf:id></xdf:identifikation>
              <xdf:name>Kind</xdf:name>
              {}
            </xdf:datenfeldgruppe></xdf:enthaelt></xdf:struktur>"#,
            field("F1", "Vorname", "input", "text", "1:1", "")
        );

        let schema = load(&import(&message(&group)).expect("valid message"));

        let children = schema.field("kind").expect("repeated group");
        assert!(matches!(children.kind, Kind::Repeated(_)));
        assert_eq!(children.rules.min_items, Some(1));
        assert_eq!(children.rules.max_items, Some(5));
        assert!(children.required);
    }

    #[test]
    fn label_and_file_are_reported() {
        let xml = message(
            &[
                field(
                    "F1",
                    "Hinweistext",
                    "label",
                    "text",
                    "1:1",
                    "<xdf:inhalt>Bitte lesen.</xdf:inhalt>",
                ),
                field("F2", "Nachweis", "input", "file", "1:1", ""),
                field("F3", "Name", "input", "text", "1:1", ""),
            ]
            .concat(),
        );

        let imported = import(&xml).expect("valid message");
        let schema = load(&imported);

        let elements: Vec<&str> = imported
            .issues
            .iter()
            .map(|issue| issue.element.as_str())
            .collect();
        assert_eq!(elements, ["F1 Hinweistext", "F2 Nachweis"]);
        assert!(imported.issues[0].reason.contains("Bitte lesen."));
        let names: Vec<&str> = schema
            .fields
            .iter()
            .map(|field| field.name.as_str())
            .collect();
        assert_eq!(names, ["name"]);
    }

    #[test]
    fn unknown_precision_key_is_reported() {
        let xml = message(&field(
            "F1",
            "Name",
            "input",
            "text",
            "1:1",
            r#"<xdf:praezisierung>{"maxLength":"40","format":"upper"}</xdf:praezisierung>"#,
        ));

        let imported = import(&xml).expect("valid message");

        assert_eq!(imported.issues.len(), 1);
        assert!(
            imported.issues[0].reason.contains("\"format\""),
            "{}",
            imported.issues[0].reason
        );
        assert_eq!(
            load(&imported)
                .field("name")
                .and_then(|field| field.rules.max_length),
            Some(40)
        );
    }

    #[test]
    fn crossed_limits_are_reported() {
        let xml = message(&field(
            "F1",
            "Anzahl",
            "input",
            "num_int",
            "1:1",
            r#"<xdf:praezisierung>{"minValue":"9","maxValue":"1"}</xdf:praezisierung>"#,
        ));

        let imported = import(&xml).expect("valid message");
        let schema = load(&imported);

        assert_eq!(imported.issues.len(), 1);
        assert!(
            imported.issues[0].reason.contains("lower limit"),
            "{}",
            imported.issues[0].reason
        );
        assert_eq!(
            schema
                .field("anzahl")
                .and_then(|field| field.rules.minimum.clone()),
            None
        );
    }

    #[test]
    fn bad_anzahl_is_reported() {
        let xml = message(&field("F1", "Name", "input", "text", "eins", ""));

        let imported = import(&xml).expect("valid message");

        assert_eq!(imported.issues.len(), 1);
        assert!(imported.issues[0].reason.contains("\"eins\""));
        assert!(!load(&imported).field("name").expect("field").required);
    }

    #[test]
    fn same_labels_get_distinct_names() {
        let xml = message(
            &[
                field("F1", "Name", "input", "text", "1:1", ""),
                field("F2", "Name", "input", "text", "0:1", ""),
            ]
            .concat(),
        );

        let schema = load(&import(&xml).expect("valid message"));

        let names: Vec<&str> = schema
            .fields
            .iter()
            .map(|field| field.name.as_str())
            .collect();
        assert_eq!(names, ["name", "name_2"]);
    }
}

mod unreadable_input {
    use super::*;

    #[test]
    fn xdatenfelder_3_is_rejected() {
        let xml = r#"<xdf:xdatenfelder.stammdatenschema.0102 xmlns:xdf="urn:xoev-de:fim:standard:xdatenfelder_3.0.0"/>"#;

        let error = import(xml).expect_err("wrong namespace");

        assert!(error.to_string().contains("xdatenfelder_3.0.0"), "{error}");
    }

    #[test]
    fn missing_schema_element_is_rejected() {
        let xml = r#"<xdf:xdatenfelder.stammdatenschema.0102 xmlns:xdf="urn:xoev-de:fim:standard:xdatenfelder_2"/>"#;

        let error = import(xml).expect_err("no stammdatenschema");

        assert!(
            error.to_string().contains("stammdatenschema is missing"),
            "{error}"
        );
    }

    #[test]
    fn doctype_is_rejected() {
        let xml = r#"<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>"#;

        let error = import(xml).expect_err("DTDs are not allowed");

        assert!(error.to_string().starts_with("invalid XML"), "{error}");
    }
}
