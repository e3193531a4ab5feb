//! Process tests of the form server: concurrent clients against a real
//! `ogkit serve`, a SIGKILL in the middle of that load, and the log of a
//! server running at the most detailed log level.
//!
//! No test measures time; they count submissions and compare references.

mod support;

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use support::{Client, Server, OGKIT};
use tempfile::TempDir;

/// Concurrent client connections of the load test.
const CLIENTS: usize = 32;

/// Submissions sent in the load test.
const LOAD_SUBMISSIONS: usize = 4_000;

const SCHEMA: &str = r#"{
    "title": "Sperrmüll anmelden",
    "type": "object",
    "required": ["name", "plz"],
    "properties": {
        "name": { "type": "string", "title": "Name", "minLength": 2 },
        "plz": { "type": "string", "title": "Postleitzahl", "format": "plz" }
    }
}"#;

/// A temporary folder with the schema in `forms/` and a database path.
struct Setup {
    root: TempDir,
}

impl Setup {
    fn new() -> Setup {
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        std::fs::create_dir(root.path().join("forms")).expect("the forms directory can be created");
        std::fs::write(root.path().join("forms/sperrmuell.json"), SCHEMA).expect("the schema can be written");
        Setup { root }
    }

    fn database(&self) -> PathBuf {
        self.root.path().join("ogkit.sqlite")
    }

    fn start(&self, log_filter: &str) -> Server {
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
        Server::start(&arguments, log_filter)
    }

    /// Returns the references in `ogkit form export --format json`.
    fn exported_references(&self) -> Vec<String> {
        exported_references(&self.database())
    }
}

fn exported_references(database: &Path) -> Vec<String> {
    let output = Command::new(OGKIT)
        .args(["form", "export", "sperrmuell", "--format", "json", "--database"])
        .arg(database)
        .output()
        .expect("ogkit form export runs");
    assert!(output.status.success(), "export failed: {}", String::from_utf8_lossy(&output.stderr));
    let export: serde_json::Value = serde_json::from_slice(&output.stdout).expect("the export is JSON");
    export["submissions"]
        .as_array()
        .expect("the export lists submissions")
        .iter()
        .map(|submission| submission["reference"].as_str().expect("a reference").to_owned())
        .collect()
}

/// Builds submission `index`, with a fixed submission id so it can be resent.
fn submission(index: usize) -> String {
    format!(
        "{{\"submission_id\":\"process-test-{index:012}\",\"data\":{{\"name\":\"Person {index}\",\"plz\":\"{:05}\"}}}}",
        10_000 + index % 89_999
    )
}

/// What one client saw for one submission.
#[derive(Debug, Clone)]
struct Sent {
    index: usize,
    status: u16,
    body: String,
}

/// Sends submissions `0..count` from [`CLIENTS`] threads. A thread stops at
/// its first connection error. Returns every submission that got a response.
fn send_all(address: &str, count: usize, acknowledged: &Arc<AtomicUsize>) -> Vec<Sent> {
    let results = Arc::new(Mutex::new(Vec::with_capacity(count)));
    let mut threads = Vec::new();
    for client_index in 0..CLIENTS {
        let address = address.to_owned();
        let results = Arc::clone(&results);
        let acknowledged = Arc::clone(acknowledged);
        threads.push(thread::spawn(move || {
            let Ok(mut client) = Client::connect(&address) else {
                return;
            };
            for index in (client_index..count).step_by(CLIENTS) {
                let path = "/api/v1/forms/sperrmuell/submissions";
                let Ok((status, body)) = client.send("POST", path, &submission(index)) else {
                    return;
                };
                if status == 201 {
                    acknowledged.fetch_add(1, Ordering::SeqCst);
                }
                results.lock().expect("no thread panicked").push(Sent { index, status, body });
            }
        }));
    }
    for thread in threads {
        thread.join().expect("a client thread finishes");
    }
    Arc::try_unwrap(results).expect("all threads are done").into_inner().expect("no thread panicked")
}

fn reference_of(body: &str) -> String {
    let receipt: serde_json::Value = serde_json::from_str(body).expect("a receipt is JSON");
    receipt["reference"].as_str().expect("a receipt has a reference").to_owned()
}

#[test]
fn killed_server_keeps_acknowledged_submissions() {
    let setup = Setup::new();
    let server = setup.start("info");
    let address = server.address.clone();
    let acknowledged = Arc::new(AtomicUsize::new(0));

    // Kill the server once a quarter of the submissions is acknowledged,
    // while the clients keep sending.
    let killer = {
        let acknowledged = Arc::clone(&acknowledged);
        thread::spawn(move || {
            while acknowledged.load(Ordering::SeqCst) < LOAD_SUBMISSIONS / 4 {
                thread::sleep(std::time::Duration::from_millis(1));
            }
            server.kill();
        })
    };
    let sent = send_all(&address, LOAD_SUBMISSIONS, &acknowledged);
    killer.join().expect("the killer thread finishes");
    let acknowledged: Vec<&Sent> = sent.iter().filter(|sent| sent.status == 201).collect();
    assert!(acknowledged.len() >= LOAD_SUBMISSIONS / 4);
    assert!(acknowledged.len() < LOAD_SUBMISSIONS, "the kill came after the load had finished");
    let references: HashSet<String> = acknowledged.iter().map(|sent| reference_of(&sent.body)).collect();
    assert_eq!(references.len(), acknowledged.len(), "two acknowledged submissions share a reference");

    // After a restart on the same file, every acknowledged submission is
    // there: resending it returns the same reference (200, not 201).
    let stored_before_resend = setup.exported_references();
    assert!(stored_before_resend.len() >= acknowledged.len());
    let server = setup.start("info");
    let mut client = Client::connect(&server.address).expect("a client connects");
    for sent in &acknowledged {
        let (status, body) = client
            .send("POST", "/api/v1/forms/sperrmuell/submissions", &submission(sent.index))
            .expect("the submission is resent");
        assert_eq!(status, 200, "submission {} was acknowledged but not stored: {body}", sent.index);
        assert_eq!(body, sent.body, "submission {} has another reference", sent.index);
    }

    // Resending every submission stores the missing ones once each, with
    // references that no earlier submission had.
    let fresh = Arc::new(AtomicUsize::new(0));
    let resent = send_all(&server.address, LOAD_SUBMISSIONS, &fresh);
    assert_eq!(resent.len(), LOAD_SUBMISSIONS, "every request got a response");
    let unexpected: Vec<&Sent> = resent.iter().filter(|sent| sent.status != 200 && sent.status != 201).take(5).collect();
    assert!(unexpected.is_empty(), "{unexpected:?}");
    server.stop();

    assert_eq!(stored_before_resend.len() + fresh.load(Ordering::SeqCst), LOAD_SUBMISSIONS);
    let exported = setup.exported_references();
    assert_eq!(exported.len(), LOAD_SUBMISSIONS);
    let distinct: HashSet<&String> = exported.iter().collect();
    assert_eq!(distinct.len(), LOAD_SUBMISSIONS, "a reference was given out twice");
}

#[test]
fn trace_log_has_no_submitted_values() {
    let setup = Setup::new();
    let server = setup.start("trace");
    let mut client = Client::connect(&server.address).expect("a client connects");
    let path = "/api/v1/forms/sperrmuell/submissions";
    let valid = r#"{"submission_id":"trace-test-000000001","data":{"name":"Quaxelbrink","plz":"10115"}}"#;
    let invalid = r#"{"submission_id":"trace-test-000000002","data":{"name":"Quaxelbrink","plz":"Quaxelstadt"}}"#;
    let broken = r#"{"submission_id":"trace-test-000000003","data":{"name":"Quaxelbrink"#;
    let cases = [(valid, 201), (valid, 200), (invalid, 422), (broken, 400)];
    for (body, status) in cases {
        let (actual, response) = client.send("POST", path, body).expect("the request is answered");
        assert_eq!(actual, status, "{response}");
    }
    let log = server.stop();
    assert!(log.contains("submission: stored"), "the trace log is captured: {log}");
    assert!(!log.contains("Quaxel"), "a submitted value reached the log:\n{log}");
}
