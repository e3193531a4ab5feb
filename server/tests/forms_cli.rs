//! `ogkit form add|list|export|purge` on a temporary database.

use std::path::Path;
use std::process::{Command, Output};

const OGKIT: &str = env!("CARGO_BIN_EXE_ogkit");

const SCHEMA: &str = r#"{
    "title": "Sperrmüll anmelden",
    "type": "object",
    "required": ["name"],
    "properties": { "name": { "type": "string", "title": "Name" } }
}"#;

fn form(root: &Path, arguments: &[&str]) -> Output {
    Command::new(OGKIT)
        .arg("form")
        .args(arguments)
        .arg("--data-dir")
        .arg(root.join("data"))
        .output()
        .expect("the ogkit binary runs")
}

fn write(root: &Path, name: &str, text: &str) -> String {
    let path = root.join(name);
    std::fs::write(&path, text).expect("the schema file can be written");
    path.to_string_lossy().into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn add_list_export_purge() {
    let root = tempfile::tempdir().expect("a temporary directory can be created");
    let file = write(root.path(), "sperrmuell.json", SCHEMA);

    let added = form(root.path(), &["add", &file]);
    assert!(added.status.success(), "{}", stderr(&added));
    assert_eq!(stdout(&added), "form sperrmuell: created (schema version 1)\n");
    assert!(root.path().join("data/ogkit.sqlite").is_file());

    let again = form(root.path(), &["add", &file]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(stdout(&again), "form sperrmuell: unchanged (schema version 1)\n");

    let renamed = form(root.path(), &["add", &file, "--id", "sperrmuell-2027"]);
    assert!(renamed.status.success(), "{}", stderr(&renamed));
    assert_eq!(stdout(&renamed), "form sperrmuell-2027: created (schema version 1)\n");

    let changed = write(root.path(), "sperrmuell.json", &SCHEMA.replace("anmelden", "bestellen"));
    let updated = form(root.path(), &["add", &changed]);
    assert_eq!(stdout(&updated), "form sperrmuell: updated (schema version 2)\n");

    let listed = form(root.path(), &["list"]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    let lines: Vec<String> = stdout(&listed).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("sperrmuell\tversion 2\t0 submission(s)"), "{lines:?}");
    assert!(lines[1].starts_with("sperrmuell-2027\tversion 1\t0 submission(s)"), "{lines:?}");

    let csv = form(root.path(), &["export", "sperrmuell"]);
    assert!(csv.status.success(), "{}", stderr(&csv));
    assert_eq!(stdout(&csv), "\u{feff}reference;received_at;schema_version\n");

    let json = form(root.path(), &["export", "sperrmuell", "--format", "json"]);
    let export: serde_json::Value = serde_json::from_slice(&json.stdout).expect("the export is JSON");
    assert_eq!(export["form_id"], "sperrmuell");
    assert_eq!(export["schema_version"], 2);
    assert_eq!(export["submissions"], serde_json::json!([]));

    let purged = form(root.path(), &["purge", "--older-than", "90d"]);
    assert!(purged.status.success(), "{}", stderr(&purged));
    assert!(stdout(&purged).starts_with("0 submission(s) of all forms received before "), "{}", stdout(&purged));
    let purged = form(root.path(), &["purge", "--older-than", "12h", "--form", "sperrmuell"]);
    assert!(stdout(&purged).starts_with("0 submission(s) of form sperrmuell received before "), "{}", stdout(&purged));
}

#[test]
fn empty_database_lists_nothing() {
    let root = tempfile::tempdir().expect("a temporary directory can be created");
    let listed = form(root.path(), &["list"]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert!(stdout(&listed).contains("no forms registered"), "{}", stdout(&listed));
}

/// Every bad command with a part of the message that must explain it.
#[test]
fn bad_input_is_explained() {
    let root = tempfile::tempdir().expect("a temporary directory can be created");
    let valid = write(root.path(), "sperrmuell.json", SCHEMA);
    let not_json = write(root.path(), "kaputt.json", "{\"type\": ");
    let bad_format = write(
        root.path(),
        "plz.json",
        r#"{"type": "object", "properties": {"plz": {"type": "string", "format": "postleitzahl"}}}"#,
    );
    let bad_name = write(root.path(), "Sperrmüll 2026.json", SCHEMA);
    let missing = root.path().join("fehlt.json").to_string_lossy().into_owned();
    let added = form(root.path(), &["add", &valid]);
    assert!(added.status.success(), "{}", stderr(&added));

    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["add", &not_json], "kaputt.json: line 1"),
        (vec!["add", &bad_format], "/properties/plz/format"),
        (vec!["add", &bad_name], "the file name gives the form id \"Sperrmüll 2026\", which is invalid"),
        (vec!["add", &valid, "--id", "mit leerzeichen"], "--id \"mit leerzeichen\" is invalid"),
        (vec!["add", &missing], "cannot read the schema file"),
        (vec!["export", "fehlt"], "form fehlt not found"),
        (vec!["export", "sperrmuell", "--format", "xml"], "invalid value 'xml'"),
        (vec!["purge", "--older-than", "90"], "has no unit"),
        (vec!["purge", "--older-than", "3m"], "unknown unit 'm'"),
        (vec!["purge", "--older-than", "0d"], "at least 1h"),
        (vec!["purge", "--older-than", "-5d"], "--older-than"),
        (vec!["purge", "--older-than", "90d", "--form", "fehlt"], "form fehlt not found"),
        (vec!["purge"], "--older-than <PERIOD>"),
    ];
    for (arguments, expected) in cases {
        let output = form(root.path(), &arguments);
        assert!(!output.status.success(), "{arguments:?} succeeded");
        let message = stderr(&output);
        assert!(message.contains(expected), "{arguments:?}: {message}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn unwritable_stdout_is_an_error_not_a_panic() {
    let root = tempfile::TempDir::new().expect("a temporary folder");
    // Every write to /dev/full fails, as writes into a closed pipe do in
    // `ogkit form list | head -1`.
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full exists on Linux");

    let output = Command::new(env!("CARGO_BIN_EXE_ogkit"))
        .args(["form", "list", "--data-dir"])
        .arg(root.path().join("data"))
        .stdout(full)
        .output()
        .expect("the ogkit binary runs");
    let message = stderr(&output);

    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("cannot write to standard output"), "{message}");
    assert!(!message.contains("panicked"), "{message}");
}

#[test]
fn invalid_id_names_value_and_characters() {
    let root = tempfile::tempdir().expect("a temporary directory can be created");
    let valid = write(root.path(), "sperrmuell.json", SCHEMA);
    let long = "a".repeat(65);
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("bad id!", vec!["--id \"bad id!\" is invalid", "it contains ' ', '!'"]),
        ("straße", vec!["it contains 'ß'"]),
        ("", vec!["--id \"\" is invalid", "it is empty"]),
        (&long, vec!["it has 65 characters, more than 64"]),
    ];
    for (id, expected) in cases {
        let output = form(root.path(), &["add", &valid, "--id", id]);
        assert!(!output.status.success(), "--id {id:?} succeeded");
        let message = stderr(&output);
        for part in expected {
            assert!(message.contains(part), "--id {id:?}: {part:?} missing in {message}");
        }
        assert!(message.contains("ASCII letter (a-z, A-Z), a digit, - or _"), "--id {id:?}: {message}");
        assert!(!message.contains("pass --id"), "--id {id:?}: {message}");
    }
}
