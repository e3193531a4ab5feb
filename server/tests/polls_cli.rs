//! `ogkit poll …` commands on a temporary database.

use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

const OGKIT: &str = env!("CARGO_BIN_EXE_ogkit");

const POLL: &str = r#"
id = "rad"
title = "Radwege"
opens_at = "2020-01-01T00:00:00Z"
closes_at = "2099-01-01T00:00:00+01:00"
participation = "code"
results = "after-close"

[[questions]]
id = "q"
text = "Wo fehlt ein Radweg?"
kind = "multiple-choice"
max_selections = 2
choices = [{ id = "nord", label = "Nord" }, { id = "sued", label = "Süd" }, { id = "ost", label = "Ost" }]
"#;

fn poll(root: &Path, arguments: &[&str]) -> Output {
    Command::new(OGKIT)
        .arg("poll")
        .args(arguments)
        .arg("--data-dir")
        .arg(root.join("data"))
        .output()
        .expect("the ogkit binary runs")
}

fn write(root: &TempDir, name: &str, text: &str) -> String {
    let path = root.path().join(name);
    std::fs::write(&path, text).expect("the poll file can be written");
    path.to_string_lossy().into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn create_codes_close_export() {
    let root = tempfile::tempdir().expect("a temporary directory can be created");
    let file = write(&root, "rad.toml", POLL);

    let created = poll(root.path(), &["create", "--file", &file]);
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(root.path().join("data/ogkit.sqlite").is_file());

    let again = poll(root.path(), &["create", "--file", &file]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("poll rad exists already"), "{}", stderr(&again));

    let codes = poll(root.path(), &["codes", "rad", "--count", "3"]);
    assert!(codes.status.success(), "{}", stderr(&codes));
    let lines: Vec<String> = stdout(&codes).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 3);
    for code in &lines {
        assert_eq!(code.len(), 14, "{code}");
        assert!(code.chars().all(|c| c == '-' || c.is_ascii_uppercase() || c.is_ascii_digit()), "{code}");
    }
    assert_ne!(lines[0], lines[1]);

    let closed = poll(root.path(), &["close", "rad"]);
    assert!(closed.status.success(), "{}", stderr(&closed));
    assert!(stdout(&closed).starts_with("poll rad closed at "), "{}", stdout(&closed));

    let json = poll(root.path(), &["export", "rad", "--format", "json"]);
    assert!(json.status.success(), "{}", stderr(&json));
    let export: serde_json::Value = serde_json::from_slice(&json.stdout).expect("the export is JSON");
    assert!(export["closed_at"].is_string(), "{export}");
    assert_eq!(export["poll"]["closes_at"], "2098-12-31T23:00:00Z");
    assert_eq!(export["tally"]["questions"][0]["percent_base"], "participants");

    let csv = poll(root.path(), &["export", "rad", "--format", "csv"]);
    assert!(csv.status.success(), "{}", stderr(&csv));
    let text = stdout(&csv);
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(text.lines().nth(2).is_some_and(|line| line.contains(",sued,Süd,0,0.0")), "{text}");
}

#[test]
fn unquoted_toml_date_times_are_read() {
    let root = tempfile::tempdir().expect("a temporary directory can be created");
    let unquoted = POLL
        .replace("\"2020-01-01T00:00:00Z\"", "2020-01-01T00:00:00Z")
        .replace("\"2099-01-01T00:00:00+01:00\"", "2099-01-01T00:00:00+01:00");
    let file = write(&root, "unquoted.toml", &unquoted);
    let created = poll(root.path(), &["create", "--file", &file]);
    assert!(created.status.success(), "{}", stderr(&created));
    let json = poll(root.path(), &["export", "rad", "--format", "json"]);
    let export: serde_json::Value = serde_json::from_slice(&json.stdout).expect("the export is JSON");
    assert_eq!(export["poll"]["closes_at"], "2098-12-31T23:00:00Z");
}

#[test]
fn bad_inputs_are_explained() {
    let root = tempfile::tempdir().expect("a temporary directory can be created");
    let not_toml = write(&root, "kaputt.toml", "id = ");
    let backwards = write(
        &root,
        "rueckwaerts.toml",
        &POLL.replace("2099-01-01T00:00:00+01:00", "2019-01-01T00:00:00Z"),
    );
    let bad_time = write(&root, "zeit.toml", &POLL.replace("2020-01-01T00:00:00Z", "1. Januar 2020"));
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["create", "--file", &not_toml], "invalid poll definition"),
        (vec!["create", "--file", &backwards], "The poll must close (closes_at) after it opens (opens_at)."),
        (vec!["create", "--file", &bad_time], "expected RFC 3339"),
        (vec!["create", "--file", "/nonexistent/poll.toml"], "cannot read the poll file"),
        (vec!["codes", "unbekannt", "--count", "2"], "poll unbekannt not found"),
        (vec!["codes", "unbekannt", "--count", "0"], "--count must be between 1 and"),
        (vec!["close", "unbekannt"], "poll unbekannt not found"),
        (vec!["export", "unbekannt"], "poll unbekannt not found"),
    ];
    for (arguments, expected) in cases {
        let output = poll(root.path(), &arguments);
        assert!(!output.status.success(), "{arguments:?} succeeded");
        assert!(stderr(&output).contains(expected), "{arguments:?}: {}", stderr(&output));
    }
}

/// Runs `ogkit poll ARGUMENTS` with standard output on `/dev/full`, where
/// every write fails, as writes into a closed pipe do in
/// `ogkit poll export ID | head -1`.
#[cfg(target_os = "linux")]
fn poll_with_unwritable_stdout(root: &TempDir, arguments: &[&str]) -> Output {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full exists on Linux");
    Command::new(OGKIT)
        .arg("poll")
        .args(arguments)
        .arg("--data-dir")
        .arg(root.path().join("data"))
        .stdout(full)
        .output()
        .expect("the ogkit binary runs")
}

#[cfg(target_os = "linux")]
#[test]
fn unwritable_stdout_is_an_error_not_a_panic() {
    let root = TempDir::new().expect("a temporary folder");
    let file = write(&root, "poll.toml", POLL);
    assert!(poll(root.path(), &["create", "--file", &file]).status.success());

    for arguments in [&["codes", "rad", "--count", "2"][..], &["export", "rad"][..]] {
        let output = poll_with_unwritable_stdout(&root, arguments);
        let message = stderr(&output);

        assert_eq!(output.status.code(), Some(1), "{arguments:?}: {message}");
        assert!(message.contains("cannot write to standard output"), "{arguments:?}: {message}");
        assert!(!message.contains("panicked"), "{arguments:?}: {message}");
    }
    let codes = poll_with_unwritable_stdout(&root, &["codes", "rad", "--count", "2"]);
    assert!(stderr(&codes).contains("the 2 codes are stored but were not printed"), "{}", stderr(&codes));
}

#[test]
fn codes_for_open_poll_rejected() {
    let root = tempfile::tempdir().expect("a temporary directory can be created");
    let file = write(&root, "offen.toml", &POLL.replace("participation = \"code\"", "participation = \"open\""));
    let created = poll(root.path(), &["create", "--file", &file]);
    assert!(created.status.success(), "{}", stderr(&created));

    let codes = poll(root.path(), &["codes", "rad", "--count", "3"]);
    assert!(!codes.status.success(), "codes were issued for an open poll: {}", stdout(&codes));
    assert_eq!(stdout(&codes), "", "no code is printed");
    let message = stderr(&codes);
    assert!(message.contains("poll rad is open to everyone"), "{message}");
    assert!(message.contains("participation = \"code\""), "{message}");
    assert!(message.contains("new id"), "{message}");
}

#[test]
fn create_help_names_rendered_guide() {
    let output = Command::new(OGKIT).args(["poll", "create", "--help"]).output().expect("the ogkit binary runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let help = stdout(&output);
    assert!(!help.contains(".md"), "the release bundle has no Markdown sources: {help}");
    assert!(help.contains("/docs/en/managing-polls.html"), "{help}");
    assert!(help.contains("docs/en/managing-polls.html in the release"), "{help}");

    // The docs site renders each page of www/pages.toml to the same path
    // with .html, so the page must be listed there.
    let pages = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../www/pages.toml"))
        .expect("www/pages.toml can be read");
    assert!(pages.contains("en = \"en/managing-polls.md\""), "the guide page is not in www/pages.toml");
}

#[test]
fn create_lists_every_key_problem() {
    let root = tempfile::tempdir().expect("a temporary directory can be created");
    let text = POLL
        .replace("title = \"Radwege\"", "title = 5")
        .replace("participation = \"code\"", "participation = \"everyone\"")
        .replace("kind = \"multiple-choice\"", "kind = \"multiple\"");
    let file = write(&root, "kaputt.toml", &text);
    let output = poll(root.path(), &["create", "--file", &file]);
    assert!(!output.status.success(), "an invalid poll was created");
    let message = stderr(&output);
    assert!(message.contains("the poll has problems"), "{message}");
    assert!(message.contains("line 3: key \"title\""), "{message}");
    assert!(message.contains("line 6: key \"participation\""), "{message}");
    assert!(message.contains("line 12: key \"questions[0].kind\""), "{message}");
    assert!(!root.path().join("data/ogkit.sqlite").exists(), "nothing is stored");
}
