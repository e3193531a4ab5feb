//! Process tests of the poll server: many concurrent clients against a
//! real `ogkit serve`, and a SIGKILL in the middle of that load.
//!
//! The clients speak HTTP/1.1 with keep-alive over plain TCP sockets, one
//! thread each. No test measures time; they count ballots.

use std::io::{self, BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use tempfile::TempDir;

const OGKIT: &str = env!("CARGO_BIN_EXE_ogkit");

/// Concurrent client connections of the load tests.
const CLIENTS: usize = 64;

/// Ballots cast in the load test.
const LOAD_BALLOTS: usize = 20_000;

const POLL: &str = r#"
id = "last"
title = "Lasttest"
opens_at = "2020-01-01T00:00:00Z"
closes_at = "2099-01-01T00:00:00Z"
participation = "open"
results = "live"

[[questions]]
id = "q"
text = "Welche?"
kind = "single-choice"
choices = [{ id = "A", label = "A" }, { id = "B", label = "B" }, { id = "C", label = "C" }]
"#;

/// A temporary folder with a database that contains the poll `last`.
struct Setup {
    root: TempDir,
}

impl Setup {
    fn new() -> Setup {
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        let file = root.path().join("poll.toml");
        std::fs::write(&file, POLL).expect("the poll file can be written");
        let output = Command::new(OGKIT)
            .args(["poll", "create", "--file"])
            .arg(&file)
            .arg("--database")
            .arg(root.path().join("polls.sqlite"))
            .output()
            .expect("ogkit poll create runs");
        assert!(output.status.success(), "poll create failed: {}", String::from_utf8_lossy(&output.stderr));
        Setup { root }
    }

    fn database(&self) -> PathBuf {
        self.root.path().join("polls.sqlite")
    }

    /// Returns the number of participants that `ogkit poll export` reports.
    fn exported_participants(&self) -> u64 {
        let output = Command::new(OGKIT)
            .args(["poll", "export", "last", "--format", "json", "--database"])
            .arg(self.database())
            .output()
            .expect("ogkit poll export runs");
        assert!(output.status.success(), "export failed: {}", String::from_utf8_lossy(&output.stderr));
        let export: serde_json::Value = serde_json::from_slice(&output.stdout).expect("the export is JSON");
        export["tally"]["participants"].as_u64().expect("the export counts participants")
    }
}

/// A running `ogkit serve` on a free port of 127.0.0.1.
struct Server {
    child: Child,
    address: String,
    /// Everything the server wrote to stderr after the address line.
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(database: &Path) -> Server {
        let missing = database.with_file_name("missing");
        let mut child = Command::new(OGKIT)
            .args(["serve", "--addr", "127.0.0.1:0", "--ballot-rate-limit", "0"])
            .arg("--database")
            .arg(database)
            .arg("--pkg")
            .arg(&missing)
            .arg("--demo")
            .arg(&missing)
            .arg("--docs")
            .arg(&missing)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the ogkit binary starts");
        let mut stderr = BufReader::new(child.stderr.take().expect("stderr is piped"));
        let mut log = String::new();
        let address = loop {
            let mut line = String::new();
            let read = stderr.read_line(&mut line).expect("stderr is readable");
            assert!(read > 0, "ogkit exited before listening; log:\n{log}");
            log.push_str(&line);
            if let Some(rest) = line.split("listening on http://").nth(1) {
                break rest.split(|c: char| c.is_whitespace() || c == '"').next().unwrap_or("").to_owned();
            }
        };
        // Keep reading, so the server never blocks on a full pipe.
        let log = Arc::new(Mutex::new(String::new()));
        let reader_log = Arc::clone(&log);
        thread::spawn(move || {
            let mut line = String::new();
            while stderr.read_line(&mut line).is_ok_and(|read| read > 0) {
                reader_log.lock().expect("no reader panicked").push_str(&line);
                line.clear();
            }
        });
        Server { child, address, log }
    }

    /// Sends SIGTERM, waits for the exit and returns the log.
    fn stop(mut self) -> String {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
        // The reader thread sees the end of the pipe once the process is gone.
        for _ in 0..100 {
            if self.log.lock().expect("no reader panicked").contains("shutdown: stopped") {
                break;
            }
            thread::sleep(std::time::Duration::from_millis(10));
        }
        let log = self.log.lock().expect("no reader panicked");
        log.clone()
    }

    /// Sends SIGKILL: the process gets no chance to finish anything.
    fn kill(mut self) {
        self.child.kill().expect("the server can be killed");
        let _ = self.child.wait();
    }
}

/// One keep-alive HTTP/1.1 connection.
struct Client {
    reader: BufReader<TcpStream>,
    address: String,
}

impl Client {
    fn connect(address: &str) -> io::Result<Client> {
        let stream = TcpStream::connect(address)?;
        stream.set_nodelay(true)?;
        Ok(Client { reader: BufReader::new(stream), address: address.to_owned() })
    }

    /// Sends a request and returns the status and the body.
    fn send(&mut self, method: &str, path: &str, body: &str) -> io::Result<(u16, String)> {
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{body}",
            self.address,
            body.len()
        );
        self.reader.get_mut().write_all(request.as_bytes())?;

        let mut status_line = String::new();
        if self.reader.read_line(&mut status_line)? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed"));
        }
        let status: u16 = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, status_line.clone()))?;
        let mut length = 0;
        loop {
            let mut line = String::new();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed in headers"));
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }
}

/// Builds the ballot of voter `index`, with a fixed ballot id so it can be resent.
fn ballot(index: usize) -> String {
    let choice = ["A", "B", "C"][index % 3];
    format!(
        "{{\"ballot_id\":\"00000000-0000-4000-8000-{index:012}\",\"selections\":{{\"q\":[\"{choice}\"]}},\
         \"voter_token\":\"process-test-voter-{index:08}\"}}"
    )
}

/// What one client saw for one ballot.
#[derive(Debug, Clone)]
struct Sent {
    index: usize,
    status: u16,
    body: String,
}

/// Sends ballots `0..count` from [`CLIENTS`] threads. A thread stops at its
/// first connection error. Returns every ballot that got a response.
fn cast(address: &str, count: usize, acknowledged: &Arc<AtomicUsize>) -> Vec<Sent> {
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
                let Ok((status, body)) = client.send("POST", "/api/v1/polls/last/ballots", &ballot(index)) else {
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

#[test]
fn concurrent_ballots_are_all_stored() {
    let setup = Setup::new();
    let server = Server::start(&setup.database());
    let acknowledged = Arc::new(AtomicUsize::new(0));

    let sent = cast(&server.address, LOAD_BALLOTS, &acknowledged);

    assert_eq!(sent.len(), LOAD_BALLOTS, "every request got a response");
    let unexpected: Vec<&Sent> = sent.iter().filter(|sent| sent.status != 201).take(5).collect();
    assert!(unexpected.is_empty(), "ballots were rejected: {unexpected:?}");
    let mut client = Client::connect(&server.address).expect("a client connects");
    let (status, results) = client.send("GET", "/api/v1/polls/last/results", "").expect("results are served");
    assert_eq!(status, 200);
    let results: serde_json::Value = serde_json::from_str(&results).expect("results are JSON");
    server.stop();

    assert_eq!(results["participants"].as_u64(), Some(acknowledged.load(Ordering::SeqCst) as u64));
    assert_eq!(setup.exported_participants(), acknowledged.load(Ordering::SeqCst) as u64);
}

#[test]
fn shutdown_closes_open_result_streams() {
    let setup = Setup::new();
    let server = Server::start(&setup.database());
    let mut stream = TcpStream::connect(&server.address).expect("a client connects");
    let request = format!(
        "GET /api/v1/polls/last/results/stream HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.address
    );
    stream.write_all(request.as_bytes()).expect("the request is sent");
    let mut reader = BufReader::new(stream);
    let mut received = String::new();
    while !received.contains("event: tally") {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).expect("the stream is readable") > 0, "{received}");
        received.push_str(&line);
    }

    let log = server.stop();
    assert!(log.contains("shutdown: stopped"), "{log}");
    assert!(!log.contains("drain timeout"), "the open stream held up the shutdown: {log}");
}

#[test]
fn killed_server_keeps_acknowledged_ballots() {
    let setup = Setup::new();
    let server = Server::start(&setup.database());
    let address = server.address.clone();
    let acknowledged = Arc::new(AtomicUsize::new(0));

    // Kill the server once a quarter of the ballots is acknowledged, while
    // the clients keep sending.
    let killer = {
        let acknowledged = Arc::clone(&acknowledged);
        thread::spawn(move || {
            while acknowledged.load(Ordering::SeqCst) < LOAD_BALLOTS / 4 {
                thread::sleep(std::time::Duration::from_millis(1));
            }
            server.kill();
        })
    };
    let sent = cast(&address, LOAD_BALLOTS, &acknowledged);
    killer.join().expect("the killer thread finishes");
    let acknowledged: Vec<&Sent> = sent.iter().filter(|sent| sent.status == 201).collect();
    assert!(acknowledged.len() >= LOAD_BALLOTS / 4);
    assert!(acknowledged.len() < LOAD_BALLOTS, "the kill came after the load had finished");

    // After a restart on the same file, every acknowledged ballot is there:
    // resending it returns the same receipt (200, not 201).
    let server = Server::start(&setup.database());
    let stored_before_resend = {
        let mut client = Client::connect(&server.address).expect("a client connects");
        let (_, results) = client.send("GET", "/api/v1/polls/last/results", "").expect("results are served");
        let results: serde_json::Value = serde_json::from_str(&results).expect("results are JSON");
        results["participants"].as_u64().expect("results count participants")
    };
    assert!(stored_before_resend >= acknowledged.len() as u64);
    let mut client = Client::connect(&server.address).expect("a client connects");
    for sent in &acknowledged {
        let (status, body) = client.send("POST", "/api/v1/polls/last/ballots", &ballot(sent.index)).expect("the ballot is resent");
        assert_eq!(status, 200, "ballot {} was acknowledged but not stored: {body}", sent.index);
        assert_eq!(body, sent.body, "ballot {} has another receipt", sent.index);
    }

    // Resending every ballot stores the missing ones once each, so the
    // count ends at exactly one per voter.
    let fresh = Arc::new(AtomicUsize::new(0));
    let resent = cast(&server.address, LOAD_BALLOTS, &fresh);
    assert!(resent.iter().all(|sent| sent.status == 200 || sent.status == 201));
    server.stop();
    assert_eq!(stored_before_resend + fresh.load(Ordering::SeqCst) as u64, LOAD_BALLOTS as u64);
    assert_eq!(setup.exported_participants(), LOAD_BALLOTS as u64);
}
