//! The double-submission case against a real `ogkit serve`, with the
//! contact form of the required-fields case. One submission is sent several
//! times at the same instant, as a double click, Enter pressed twice or a
//! retry after a timeout would send it. The server stores one record and
//! answers every copy with a success and the same reference, so the widget
//! never reports a failure for a stored submission.

mod support;

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Barrier};
use std::thread;

use support::{Client, Server, OGKIT};
use tempfile::TempDir;

/// Requests sent at the same instant.
const SENDERS: usize = 8;

const PATH: &str = "/api/v1/forms/kontakt/submissions";

/// The valid submission of the required-fields case, with a fixed
/// submission id as the widget would reuse it on a retry.
const BODY: &str = r#"{"submission_id":"eval-double-submit-000001","data":{"vorname":"Erika","nachname":"Musterfrau","email":"erika.muster@example.org","anliegen":"Frage zur Grundsteuer"}}"#;

/// A temporary folder with the case schema as `forms/kontakt.json`.
struct Setup {
    root: TempDir,
}

impl Setup {
    fn new() -> Setup {
        let schema_path = format!("{}/../data/eval/cases/case-16-schema.json", env!("CARGO_MANIFEST_DIR"));
        let schema = std::fs::read(&schema_path).unwrap_or_else(|error| panic!("reading {schema_path}: {error}"));
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        std::fs::create_dir(root.path().join("forms")).expect("the forms directory can be created");
        std::fs::write(root.path().join("forms/kontakt.json"), schema).expect("the schema can be written");
        Setup { root }
    }

    fn database(&self) -> PathBuf {
        self.root.path().join("ogkit.sqlite")
    }

    fn start(&self) -> Server {
        let missing = self.root.path().join("missing");
        let forms = self.root.path().join("forms");
        let database = self.database();
        let arguments: Vec<&OsStr> = vec![
            OsStr::new("--submission-rate-limit"),
            OsStr::new("0"),
            OsStr::new("--forms-dir"),
            forms.as_os_str(),
            OsStr::new("--database"),
            database.as_os_str(),
            OsStr::new("--pkg"),
            missing.as_os_str(),
            OsStr::new("--demo"),
            missing.as_os_str(),
            OsStr::new("--docs"),
            missing.as_os_str(),
        ];
        Server::start(&arguments, "info")
    }

    /// Returns the submissions of `ogkit form export --format json`.
    fn exported(&self) -> Vec<serde_json::Value> {
        let output = Command::new(OGKIT)
            .args(["form", "export", "kontakt", "--format", "json", "--database"])
            .arg(self.database())
            .output()
            .expect("ogkit form export runs");
        assert!(output.status.success(), "export failed: {}", String::from_utf8_lossy(&output.stderr));
        let export: serde_json::Value = serde_json::from_slice(&output.stdout).expect("the export is JSON");
        export["submissions"].as_array().expect("the export lists submissions").clone()
    }
}

fn reference_of(body: &str) -> String {
    let receipt: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|error| panic!("the receipt {body:?} is not JSON: {error}"));
    receipt["reference"].as_str().unwrap_or_else(|| panic!("the receipt {body:?} has no reference")).to_owned()
}

/// Sends [`BODY`] from [`SENDERS`] connections that wait for each other
/// first, and returns every status and body.
fn send_at_once(address: &str) -> Vec<(u16, String)> {
    let barrier = Arc::new(Barrier::new(SENDERS));
    let senders: Vec<_> = (0..SENDERS)
        .map(|_| {
            let address = address.to_owned();
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                let mut client = Client::connect(&address).expect("the server accepts a connection");
                barrier.wait();
                client.send("POST", PATH, BODY).expect("the server responds")
            })
        })
        .collect();
    senders.into_iter().map(|sender| sender.join().expect("a sender finishes")).collect()
}

#[test]
fn simultaneous_copies_store_one_record() {
    let setup = Setup::new();
    let server = setup.start();

    let responses = send_at_once(&server.address);

    let created = responses.iter().filter(|(status, _)| *status == 201).count();
    let replayed = responses.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(created, 1, "{responses:?}");
    assert_eq!(replayed, SENDERS - 1, "{responses:?}");
    let first = reference_of(&responses[0].1);
    for (_, body) in &responses {
        assert_eq!(reference_of(body), first);
    }

    let mut client = Client::connect(&server.address).expect("the server accepts a connection");
    let (status, body) = client.send("POST", PATH, BODY).expect("the server responds");
    assert_eq!(status, 200, "{body}");
    assert_eq!(reference_of(&body), first);
    server.stop();

    let exported = setup.exported();
    assert_eq!(exported.len(), 1, "{exported:?}");
    assert_eq!(exported[0]["reference"], serde_json::Value::String(first));
    assert_eq!(
        exported[0]["data"],
        serde_json::json!({
            "vorname": "Erika",
            "nachname": "Musterfrau",
            "email": "erika.muster@example.org",
            "anliegen": "Frage zur Grundsteuer",
        })
    );
}

#[test]
fn blank_required_fields_store_nothing() {
    let setup = Setup::new();
    let server = setup.start();

    let body = r#"{"submission_id":"eval-double-submit-000002","data":{"vorname":"   ","nachname":"","email":"erika.muster@example.org","anliegen":"Frage zur Grundsteuer"}}"#;
    let mut client = Client::connect(&server.address).expect("the server accepts a connection");
    let (status, response) = client.send("POST", PATH, body).expect("the server responds");
    server.stop();

    assert_eq!(status, 422, "{response}");
    let error: serde_json::Value = serde_json::from_str(&response).expect("the error is JSON");
    let paths: Vec<&str> = error["violations"]
        .as_array()
        .expect("the error lists violations")
        .iter()
        .filter_map(|violation| violation["path"].as_str())
        .collect();
    assert_eq!(paths, ["/vorname", "/nachname"]);
    assert_eq!(setup.exported(), Vec::<serde_json::Value>::new());
}
