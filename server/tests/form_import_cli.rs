//! `ogkit form import-xdf` run as a program: output file, the list of what
//! was not converted, and exit codes for unreadable input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ogkit_core::form::Schema;

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Returns a path in cargo's scratch folder for tests, with no file there yet.
fn scratch(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("form_import_cli-{name}"));
    let _ = std::fs::remove_file(&path);
    path
}

fn import_xdf(input: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "form",
        "import-xdf",
        input.to_str().expect("test paths are UTF-8"),
    ];
    args.extend(["-o", output.to_str().expect("test paths are UTF-8")]);
    args.extend(extra);
    Command::new(env!("CARGO_BIN_EXE_ogkit"))
        .args(&args)
        .current_dir(repository_root())
        .output()
        .expect("the ogkit binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn fixture(name: &str) -> PathBuf {
    repository_root().join("data/forms").join(name)
}

#[test]
fn fixture_converts_and_lists_rule() {
    let output = scratch("simple.json");

    let run = import_xdf(&fixture("xdatenfelder_fixture_v2_simple.xml"), &output, &[]);

    assert!(run.status.success(), "{}", stderr(&run));
    let text = std::fs::read_to_string(&output).expect("the schema was written");
    let schema = Schema::from_json(&text).expect("the written schema loads");
    assert!(schema
        .field_at(&["natuerliche_person", "familienname"])
        .is_some());
    let report = stderr(&run);
    assert!(report.contains("not converted (1):"), "{report}");
    assert!(
        report.contains("xdatenfelder_fixture_v2_simple.xml:32:9: R60000037 MindestEineAngabe"),
        "{report}"
    );
}

#[test]
fn title_option_replaces_working_title() {
    let output = scratch("titled.json");
    let input = fixture("xdatenfelder_fixture_v2_simple.xml");

    let run = import_xdf(&input, &output, &["--title", "Angaben zur Person"]);

    assert!(run.status.success(), "{}", stderr(&run));
    let text = std::fs::read_to_string(&output).expect("the schema was written");
    let schema = Schema::from_json(&text).expect("the written schema loads");
    assert_eq!(schema.title, "Angaben zur Person");
    let demo = std::fs::read_to_string(repository_root().join("demo/formulare/fim-natuerliche-person.json"))
        .expect("the demo schema is readable");
    assert_eq!(text, demo, "the demo schema is not this command's output");

    let blank = import_xdf(&input, &scratch("blank-title.json"), &["--title", "  "]);
    assert!(!blank.status.success());
    assert!(stderr(&blank).contains("--title is empty"), "{}", stderr(&blank));
}

#[test]
fn strict_mode_refuses_partial_conversion() {
    let output = scratch("select-strict.json");

    let run = import_xdf(
        &fixture("xdatenfelder_fixture_v2_select.xml"),
        &output,
        &["--strict"],
    );

    assert!(!run.status.success());
    assert!(
        stderr(&run).contains("urn:de:example_1"),
        "{}",
        stderr(&run)
    );
    assert!(!output.exists());
}

#[test]
fn missing_file_fails_with_message() {
    let output = scratch("missing.json");

    let run = import_xdf(Path::new("data/forms/no-such-file.xml"), &output, &[]);

    assert!(!run.status.success());
    assert!(
        stderr(&run).contains("cannot read data/forms/no-such-file.xml"),
        "{}",
        stderr(&run)
    );
    assert!(!output.exists());
}

#[test]
fn non_xml_fails_with_message() {
    let input = scratch("not-xml.xml");
    std::fs::write(&input, "Name;Vorname\n").expect("the scratch folder is writable");
    let output = scratch("not-xml.json");

    let run = import_xdf(&input, &output, &[]);

    assert!(!run.status.success());
    assert!(stderr(&run).contains("invalid XML"), "{}", stderr(&run));
    assert!(!output.exists());
}

#[test]
fn latin1_file_fails_with_hint() {
    let input = scratch("latin1.xml");
    std::fs::write(
        &input,
        b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>Gr\xfc\xdfe</a>",
    )
    .expect("the scratch folder is writable");
    let output = scratch("latin1.json");

    let run = import_xdf(&input, &output, &[]);

    assert!(!run.status.success());
    assert!(stderr(&run).contains("not UTF-8"), "{}", stderr(&run));
}

#[test]
fn code_list_fills_choices() {
    let list = scratch("hinweise.xml");
    std::fs::write(
        &list,
        r#"<gc:CodeList xmlns:gc="http://docs.oasis-open.org/codelist/ns/genericode/1.0/">
  <Identification><ShortName>h</ShortName><Version>1</Version>
    <CanonicalUri>urn:de:example</CanonicalUri><CanonicalVersionUri>urn:de:example_1</CanonicalVersionUri></Identification>
  <ColumnSet>
    <Column Id="code"><ShortName>Code</ShortName></Column>
    <Column Id="name"><ShortName>Name</ShortName></Column>
    <Key Id="k"><ShortName>K</ShortName><ColumnRef Ref="code"/></Key>
  </ColumnSet>
  <SimpleCodeList>
    <Row><Value ColumnRef="code"><SimpleValue>01</SimpleValue></Value><Value ColumnRef="name"><SimpleValue>Frist</SimpleValue></Value></Row>
  </SimpleCodeList>
</gc:CodeList>"#,
    )
    .expect("the scratch folder is writable");
    let output = scratch("select-with-list.json");
    let list_arg = list.to_str().expect("test paths are UTF-8");

    let run = import_xdf(
        &fixture("xdatenfelder_fixture_v2_select.xml"),
        &output,
        &["--codelist", list_arg, "--strict"],
    );

    assert!(run.status.success(), "{}", stderr(&run));
    let text = std::fs::read_to_string(&output).expect("the schema was written");
    let schema = Schema::from_json(&text).expect("the written schema loads");
    let choices = schema
        .field("hinweis")
        .and_then(|field| field.rules.choices.clone())
        .expect("choices");
    assert_eq!(choices[0].title, "Frist");
    assert!(
        stderr(&run).contains("everything was converted"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn broken_code_list_fails_with_message() {
    let output = scratch("select-broken-list.json");

    let run = import_xdf(
        &fixture("xdatenfelder_fixture_v2_select.xml"),
        &output,
        &[
            "--codelist",
            "data/forms/xdatenfelder_fixture_v2_simple.xml",
        ],
    );

    assert!(!run.status.success());
    assert!(
        stderr(&run).contains("not a genericode code list"),
        "{}",
        stderr(&run)
    );
    assert!(!output.exists());
}

#[test]
fn missing_output_folder_is_created() {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("form_import_cli-new-folder");
    let _ = std::fs::remove_dir_all(&folder);
    let output = folder.join("formulare/person.json");

    let run = import_xdf(&fixture("xdatenfelder_fixture_v2_simple.xml"), &output, &[]);

    assert!(run.status.success(), "{}", stderr(&run));
    assert!(output.is_file(), "{} was not written", output.display());
}
