//! Process tests of `ogkit serve`: start the real binary on port 0, talk
//! HTTP/1.1 over a plain TCP socket, stop it with SIGTERM and read its log.

use std::fs;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, ChildStderr, Command, ExitStatus, Stdio};

use tempfile::TempDir;

const OGKIT: &str = env!("CARGO_BIN_EXE_ogkit");

/// Creates a `pkg/`, `demo/` and `target/docs/` with one file each.
fn site() -> TempDir {
    let root = tempfile::tempdir().expect("a temporary directory can be created");
    for (relative, content) in [
        ("pkg/ogkit.js", "export const loaded = true;\n"),
        ("demo/index.html", "<!doctype html><title>Demo</title>\n"),
        ("target/docs/index.html", "<!doctype html><title>Docs</title>\n"),
    ] {
        let path = root.path().join(relative);
        fs::create_dir_all(path.parent().expect("fixture paths have a parent"))
            .expect("fixture directories can be created");
        fs::write(path, content).expect("fixture files can be written");
    }
    root
}

/// A running `ogkit serve` and the log lines read so far.
struct Server {
    child: Child,
    stderr: BufReader<ChildStderr>,
    log: Vec<String>,
}

impl Server {
    /// Starts `ogkit serve` in `root` with `arguments` after `serve`.
    fn start(root: &Path, arguments: &[&str]) -> Server {
        Server::start_logging(root, arguments, "info")
    }

    /// Starts `ogkit serve` with `RUST_LOG` set to `level`.
    fn start_logging(root: &Path, arguments: &[&str], level: &str) -> Server {
        let mut child = Command::new(OGKIT)
            .arg("serve")
            .args(arguments)
            .current_dir(root)
            .env("RUST_LOG", level)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the ogkit binary starts");
        let stderr = BufReader::new(child.stderr.take().expect("stderr is piped"));
        Server {
            child,
            stderr,
            log: Vec::new(),
        }
    }

    /// Reads log lines until one contains `needle`, and returns that line.
    /// Panics with the whole log when the process exits first.
    fn wait_for_line(&mut self, needle: &str) -> String {
        loop {
            let mut line = String::new();
            let read = self
                .stderr
                .read_line(&mut line)
                .expect("stderr is readable");
            if read == 0 {
                panic!(
                    "ogkit exited before logging {needle:?}; log:\n{}",
                    self.log.join("")
                );
            }
            self.log.push(line.clone());
            if line.contains(needle) {
                return line;
            }
        }
    }

    /// Waits for the `listening on` line and returns the address in it.
    fn address(&mut self) -> String {
        let line = self.wait_for_line("listening on http://");
        let (_, rest) = line
            .split_once("listening on http://")
            .expect("the line contains the marker");
        rest.split(|character: char| character.is_whitespace() || character == '"')
            .next()
            .expect("split yields at least one part")
            .to_owned()
    }

    /// Sends `signal` (a name for the `kill` command, such as `TERM`).
    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .expect("the kill command runs");
        assert!(status.success(), "kill -{signal} failed");
    }

    /// Sends SIGTERM, reads the rest of the log and waits for the exit.
    fn terminate(self) -> (ExitStatus, String) {
        self.signal("TERM");
        self.finish()
    }

    /// Reads the log to its end and waits for the exit.
    fn finish(mut self) -> (ExitStatus, String) {
        let mut rest = String::new();
        self.stderr
            .read_to_string(&mut rest)
            .expect("stderr is readable");
        self.log.push(rest);
        let status = self.child.wait().expect("ogkit can be waited for");
        (status, self.log.join(""))
    }
}

/// Sends one HTTP/1.1 GET and returns the whole response as text.
fn http_get(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("the server accepts connections");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .expect("the request can be sent");
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .expect("the response can be read");
    response
}

#[test]
fn serves_file_and_stops_on_sigterm() {
    let root = site();
    let mut server = Server::start(root.path(), &["--addr", "127.0.0.1:0"]);
    let address = server.address();
    assert!(address.starts_with("127.0.0.1:"), "{address}");
    assert_ne!(address, "127.0.0.1:0");

    let response = http_get(&address, "/ogkit/ogkit.js");
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(
        response.contains("content-type: text/javascript; charset=utf-8\r\n"),
        "{response}"
    );
    assert!(
        response.ends_with("export const loaded = true;\n"),
        "{response}"
    );

    let health = http_get(&address, "/api/v1/health");
    assert!(health.contains("\"status\":\"ok\""), "{health}");

    let (status, log) = server.terminate();
    assert_eq!(status.code(), Some(0), "{log}");
    assert!(log.contains("ogkit serve: starting"), "{log}");
    assert!(log.contains("signal=\"SIGTERM\""), "{log}");
    assert!(log.contains("shutdown: stopped"), "{log}");
}

#[test]
fn ctrl_c_also_stops_cleanly() {
    let root = site();
    let mut server = Server::start(root.path(), &["--addr", "127.0.0.1:0"]);
    server.address();
    server.signal("INT");
    let (status, log) = server.finish();
    assert_eq!(status.code(), Some(0), "{log}");
    assert!(log.contains("signal=\"SIGINT\""), "{log}");
    assert!(log.contains("shutdown: stopped"), "{log}");
}

#[test]
fn open_request_finishes_after_sigterm() {
    // A body far larger than the socket buffers, so the server is still
    // writing it when the signal arrives.
    const SIZE: usize = 16 * 1024 * 1024;
    let root = site();
    let large: Vec<u8> = (0..SIZE).map(|index| (index % 251) as u8).collect();
    fs::write(root.path().join("pkg/large.bin"), &large).expect("the large file can be written");
    let mut server = Server::start(root.path(), &["--addr", "127.0.0.1:0"]);
    let address = server.address();

    let mut stream = TcpStream::connect(&address).expect("the server accepts connections");
    let request =
        format!("GET /ogkit/large.bin HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .expect("the request can be sent");
    let mut first = [0_u8; 12];
    stream.read_exact(&mut first).expect("the response starts");
    assert_eq!(&first, b"HTTP/1.1 200");

    server.signal("TERM");
    server.wait_for_line("shutdown: signal received");
    let mut rest = Vec::new();
    stream
        .read_to_end(&mut rest)
        .expect("the response can be read to the end");
    let header_end = rest
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("the response has a header block");
    let body = &rest[header_end + 4..];
    assert_eq!(body.len(), SIZE);
    assert!(body == large.as_slice());

    let (status, log) = server.finish();
    assert_eq!(status.code(), Some(0), "{log}");
    assert!(log.contains("shutdown: stopped"), "{log}");
}

#[test]
fn request_log_omits_query_strings() {
    let root = site();
    let mut server = Server::start_logging(root.path(), &["--addr", "127.0.0.1:0"], "debug");
    let address = server.address();
    let response = http_get(&address, "/index.html?name=Erika+Mustermann");
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");

    let (status, log) = server.terminate();
    assert_eq!(status.code(), Some(0), "{log}");
    assert!(log.contains("path=/index.html"), "{log}");
    assert!(log.contains("status=200"), "{log}");
    assert!(log.contains("latency="), "{log}");
    assert!(!log.contains("Mustermann"), "{log}");
    // The client connects from 127.0.0.1 too, so that address may appear
    // only in the line about the server's own socket.
    let lines_with_ip: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("127.0.0.1"))
        .collect();
    assert_eq!(lines_with_ip.len(), 1, "{log}");
    assert!(lines_with_ip[0].contains("listening on"), "{log}");
}

#[test]
fn busy_port_fails_with_advice() {
    let root = site();
    let occupied = TcpListener::bind("127.0.0.1:0").expect("a free port can be bound");
    let address = occupied
        .local_addr()
        .expect("bound socket has an address")
        .to_string();

    let server = Server::start(root.path(), &["--addr", &address]);
    let (status, log) = server.finish();
    assert!(!status.success(), "{log}");
    assert!(
        log.contains(&format!("cannot listen on {address}")),
        "{log}"
    );
    assert!(log.contains("already in use"), "{log}");
    assert!(log.contains("--addr"), "{log}");
    assert!(
        !root.path().join("ogkit-data").exists(),
        "a failed start left the default data directory behind"
    );
    drop(occupied);
}

#[test]
fn missing_pkg_is_a_warning_with_fix() {
    let root = site();
    fs::remove_dir_all(root.path().join("pkg")).expect("pkg can be removed");
    let mut server = Server::start(root.path(), &["--addr", "127.0.0.1:0"]);
    let address = server.address();

    let response = http_get(&address, "/ogkit/ogkit.js");
    assert!(
        response.starts_with("HTTP/1.1 404 Not Found\r\n"),
        "{response}"
    );

    let (status, log) = server.terminate();
    assert_eq!(status.code(), Some(0), "{log}");
    assert!(log.contains("WARN"), "{log}");
    assert!(log.contains("--pkg pkg: directory not found"), "{log}");
    assert!(log.contains("cargo xtask build"), "{log}");
}

#[test]
fn file_as_directory_is_an_error() {
    let root = site();
    let server = Server::start(
        root.path(),
        &["--addr", "127.0.0.1:0", "--docs", "pkg/ogkit.js"],
    );
    let (status, log) = server.finish();
    assert!(!status.success(), "{log}");
    assert!(
        log.contains("--docs pkg/ogkit.js: not a directory"),
        "{log}"
    );
}

#[test]
fn json_log_has_listening_message() {
    let root = site();
    let mut server = Server::start(
        root.path(),
        &["--addr", "127.0.0.1:0", "--log-format", "json"],
    );
    let line = server.wait_for_line("listening on http://");
    let event: serde_json::Value = serde_json::from_str(&line).expect("the log line is JSON");
    let message = event["fields"]["message"].as_str().unwrap_or("");
    assert!(
        message.starts_with("listening on http://127.0.0.1:"),
        "{line}"
    );

    let (status, log) = server.terminate();
    assert_eq!(status.code(), Some(0), "{log}");
}

#[test]
fn invalid_origin_is_rejected() {
    let output = Command::new(OGKIT)
        .args([
            "serve",
            "--allow-origin",
            "https://www.example-stadt.de/pfad",
        ])
        .output()
        .expect("the ogkit binary starts");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("invalid origin"), "{stderr}");
    assert!(stderr.contains("no path"), "{stderr}");
}

#[test]
fn help_names_flags_and_defaults() {
    let output = Command::new(OGKIT)
        .args(["serve", "--help"])
        .output()
        .expect("the ogkit binary starts");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "--addr <HOST:PORT>",
        "[default: 127.0.0.1:8080]",
        "--pkg <DIR>",
        "[default: pkg]",
        "--demo <DIR>",
        "[default: demo]",
        "--docs <DIR>",
        "[default: target/docs]",
        "--allow-origin <URL>",
        "--log-format <FORMAT>",
        "[default: text]",
        "cargo xtask build",
    ] {
        assert!(help.contains(expected), "missing {expected:?} in:\n{help}");
    }
}
