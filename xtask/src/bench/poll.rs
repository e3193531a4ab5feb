//! `cargo xtask bench poll`: acknowledged ballots per second of the vote
//! service, written to the `poll` section of BENCHMARKS.md.
//!
//! Steps: install wrk when missing (Debian's package), build `ogkit` in
//! release and create a fresh database with one open poll. Then measure the
//! physical reference (durable single-row inserts into SQLite on the same
//! disk), start `ogkit serve` on 127.0.0.1, and let wrk send ballots over
//! [`CONNECTIONS`] connections for [`LOAD_SECONDS`]. The wrk script
//! `ballots.lua` makes every request a new ballot with its own ballot id and
//! voter token. Afterwards the ballots still unanswered when wrk stopped are
//! resent (a resent ballot gets its receipt), the server is stopped, and the
//! ballots stored in the database must equal the acknowledged ones.
//!
//! Targets are reported, not enforced: a slow run still writes its numbers.
//! A count mismatch fails the command after the section is written.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};

use super::durable_inserts;
use super::poll_report::Run;
use super::machine;
use crate::setup::{run_command, workspace_root};

/// Name of the section in BENCHMARKS.md.
const SECTION: &str = "poll";

/// Concurrent connections of the load.
pub(super) const CONNECTIONS: u32 = 64;

/// wrk threads: one per core of the 2-core machines the project runs on.
pub(super) const THREADS: u32 = 2;

/// Duration of the load, in seconds.
pub(super) const LOAD_SECONDS: u32 = 15;

/// Duration of each of the two reference measurements.
pub(super) const REFERENCE_DURATION: Duration = Duration::from_secs(3);

/// `--ballot-rate-limit` of the server under test, in ballots per hour and
/// client address. Every request comes from 127.0.0.1, so the default of
/// 300 would reject all but the first 300 ballots. The limiter stays on.
pub(super) const RATE_LIMIT: u32 = 10_000_000;

/// Targets of the benchmark.
pub(super) const TARGET_BALLOTS_PER_SECOND: f64 = 10_000.0;
pub(super) const TARGET_P99_MS: f64 = 25.0;

/// How long `ogkit serve` may take to print its address.
const SERVER_START_LIMIT: Duration = Duration::from_secs(60);

const POLL_ID: &str = "bench";

const POLL: &str = r#"id = "bench"
title = "Lasttest"
opens_at = "2020-01-01T00:00:00Z"
closes_at = "2099-01-01T00:00:00Z"
participation = "open"
results = "live"

[[questions]]
id = "q"
text = "Welche Variante?"
kind = "single-choice"
choices = [{ id = "A", label = "A" }, { id = "B", label = "B" }, { id = "C", label = "C" }]
"#;

/// The wrk script; written next to the database for wrk to load.
const WRK_SCRIPT: &str = include_str!("ballots.lua");

pub(crate) fn run() -> Result<()> {
    let root = workspace_root();
    let wrk_version = install_wrk()?;

    println!("bench: building ogkit (release)");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run_command(
        Command::new(cargo)
            .current_dir(&root)
            .args(["build", "--release", "-p", "ogkit-server", "--bin", "ogkit"]),
    )?;
    let ogkit = root.join("target/release/ogkit");

    let dir = crate::test::fresh_dir(&root.join("target/bench/poll"))?;
    let database = dir.join("ogkit.sqlite");
    let poll_file = dir.join("poll.toml");
    std::fs::write(&poll_file, POLL).with_context(|| format!("cannot write {}", poll_file.display()))?;
    run_command(
        Command::new(&ogkit)
            .args(["poll", "create", "--file"])
            .arg(&poll_file)
            .arg("--database")
            .arg(&database),
    )?;
    let script = dir.join("ballots.lua");
    std::fs::write(&script, WRK_SCRIPT).with_context(|| format!("cannot write {}", script.display()))?;

    println!(
        "bench: durable single-row inserts into SQLite, {} s for each setting",
        REFERENCE_DURATION.as_secs()
    );
    let reference = durable_inserts::measure(&dir, REFERENCE_DURATION)?;

    let mut server = Server::start(&ogkit, &database, &dir)?;
    println!("bench: ogkit serve listens on {}; wrk sends ballots for {LOAD_SECONDS} s", server.address);
    let server_pid = server.child.id();
    let cpu_before = machine::CpuSample::read(server_pid);
    let load_started = Instant::now();
    // On an error the server stops when `server` is dropped.
    let load = run_wrk(&script, &server.address)?;
    let load_seconds = load_started.elapsed().as_secs_f64();
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let cpu = cpu_before
        .zip(machine::CpuSample::read(server_pid))
        .and_then(|(before, after)| before.shares_until(&after, cores, load_seconds));
    println!("bench: resending the {} ballots unanswered when wrk stopped", load.in_flight.len());
    let resent = resend(&server.address, &load.in_flight);
    let server_log = server.stop();
    let stored = durable_inserts::count_ballots(&database, POLL_ID)?;

    let run = Run {
        date: machine::utc_date(),
        machine: machine::describe(&dir),
        wrk_version,
        reference,
        load,
        cpu,
        resent,
        stored,
    };
    let benchmarks = root.join("BENCHMARKS.md");
    super::report::write_section(&benchmarks, SECTION, &run.markdown())?;
    println!("{}", run.summary());
    println!("bench: wrote the {SECTION} section of {}", benchmarks.display());

    if run.stored != run.acknowledged() {
        bail!(
            "the database holds {} ballots, but {} were acknowledged; every acknowledged ballot \
             must be stored exactly once (server log: {})",
            run.stored,
            run.acknowledged(),
            server_log.display()
        );
    }
    Ok(())
}

/// Returns the version of wrk, installing Debian's package when missing.
fn install_wrk() -> Result<String> {
    if let Some(version) = wrk_version() {
        println!("bench: wrk {version} present");
        return Ok(version);
    }
    let command = "apt-get install -y wrk";
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0");
    if !is_root {
        bail!(
            "wrk is missing; the poll benchmark uses its Lua scripting to send a new ballot with \
             every request. Install it as root with `{command}` and rerun"
        );
    }
    println!("bench: wrk is missing, installing it with apt-get");
    let install = |update: bool| -> Result<()> {
        if update {
            run_command(Command::new("apt-get").arg("update"))?;
        }
        run_command(
            Command::new("apt-get")
                .args(["install", "-y", "wrk"])
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )
    };
    // A machine whose package lists were never downloaded has no entry for wrk yet.
    install(false)
        .or_else(|_| install(true))
        .with_context(|| format!("cannot install wrk; run `apt-get update && {command}` as root and rerun"))?;
    wrk_version().ok_or_else(|| anyhow!("apt-get installed wrk, but `wrk -v` does not run"))
}

/// Returns the version that `wrk -v` prints, such as `debian/4.1.0-3+b2`.
fn wrk_version() -> Option<String> {
    let output = Command::new("wrk").arg("-v").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    let line = text.lines().find(|line| line.starts_with("wrk "))?;
    line.split_whitespace().nth(1).map(str::to_owned)
}

/// A running `ogkit serve`.
struct Server {
    child: Child,
    /// Host and port, such as `127.0.0.1:41234`.
    address: String,
    log_path: PathBuf,
}

impl Server {
    fn start(ogkit: &Path, database: &Path, dir: &Path) -> Result<Server> {
        let missing = dir.join("no-files");
        let log_path = dir.join("server.log");
        let mut child = Command::new(ogkit)
            .args(["serve", "--addr", "127.0.0.1:0", "--ballot-rate-limit", &RATE_LIMIT.to_string()])
            .arg("--database")
            .arg(database)
            .arg("--pkg")
            .arg(&missing)
            .arg("--demo")
            .arg(&missing)
            .arg("--docs")
            .arg(&missing)
            // The default log level, whatever RUST_LOG the caller set.
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", ogkit.display()))?;

        let stderr = child.stderr.take().ok_or_else(|| anyhow!("the server's stderr is not piped"))?;
        let mut log = std::fs::File::create(&log_path)
            .with_context(|| format!("cannot create {}", log_path.display()))?;
        let (lines, received) = mpsc::channel();
        // Keeps reading until the server exits, so it never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let _ = writeln!(log, "{line}");
                let _ = lines.send(line);
            }
        });

        let mut server = Server { child, address: String::new(), log_path };
        let started = Instant::now();
        while started.elapsed() < SERVER_START_LIMIT {
            match received.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    if let Some(address) = listening_address(&line) {
                        server.address = address;
                        return Ok(server);
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        let log = server.stop();
        bail!(
            "ogkit serve did not print \"listening on http://…\" within {} s; see its log {}",
            SERVER_START_LIMIT.as_secs(),
            log.display()
        )
    }

    /// Sends SIGTERM, waits for the exit (killing the process after 30 s)
    /// and returns the path of the log.
    fn stop(&mut self) -> PathBuf {
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .stderr(Stdio::null())
                .status();
            let asked = Instant::now();
            while asked.elapsed() < Duration::from_secs(30) {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return self.log_path.clone();
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            println!("bench: ogkit serve ignored SIGTERM for 30 s, killing it");
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        self.log_path.clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Returns `HOST:PORT` from a log line containing `listening on http://HOST:PORT`.
fn listening_address(line: &str) -> Option<String> {
    let rest = line.split("listening on http://").nth(1)?;
    let address: String = rest.chars().take_while(|c| !c.is_whitespace() && *c != '"').collect();
    (!address.is_empty()).then_some(address)
}

/// Measurements of wrk, parsed from the lines that `ballots.lua` prints.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Load {
    pub(super) requests: u64,
    pub(super) duration_us: u64,
    /// 201 responses: ballots stored by this request.
    pub(super) created: u64,
    /// 200 responses: receipts of ballots stored before.
    pub(super) replayed: u64,
    /// Responses with any other status.
    pub(super) other_status: u64,
    pub(super) connect_errors: u64,
    pub(super) read_errors: u64,
    pub(super) write_errors: u64,
    pub(super) timeouts: u64,
    pub(super) p50_us: u64,
    pub(super) p90_us: u64,
    pub(super) p99_us: u64,
    pub(super) max_us: u64,
    pub(super) mean_us: u64,
    /// First response with another status than 200 or 201, shortened.
    pub(super) first_error: Option<String>,
    /// Bodies of the ballots without a response when wrk stopped.
    pub(super) in_flight: Vec<String>,
}

impl Load {
    pub(super) fn errors(&self) -> u64 {
        self.other_status + self.connect_errors + self.read_errors + self.write_errors + self.timeouts
    }

    pub(super) fn ballots_per_second(&self) -> f64 {
        self.created as f64 / (self.duration_us as f64 / 1e6).max(f64::EPSILON)
    }
}

fn run_wrk(script: &Path, address: &str) -> Result<Load> {
    let run_id = format!("{:08x}", run_id());
    let output = Command::new("wrk")
        .args(["-t", &THREADS.to_string(), "-c", &CONNECTIONS.to_string()])
        .args(["-d", &format!("{LOAD_SECONDS}s"), "--timeout", "10s", "-s"])
        .arg(script)
        .arg(format!("http://{address}"))
        .args(["--", &format!("/api/v1/polls/{POLL_ID}/ballots"), &run_id])
        .stdin(Stdio::null())
        .output()
        .context("cannot run wrk")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in stdout.lines().filter(|line| !line.starts_with("ogkit-bench-in-flight ")) {
        println!("{line}");
    }
    if !output.status.success() {
        bail!("wrk failed with {}: {}", output.status, String::from_utf8_lossy(&output.stderr));
    }
    parse_wrk_output(&stdout)
}

/// Returns a number for the ids of one run, from the clock and the
/// process id. Every run uses a fresh database, so this only keeps the ids
/// of different runs apart in logs.
fn run_id() -> u32 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.subsec_nanos());
    nanos ^ std::process::id().rotate_left(16)
}

fn parse_wrk_output(stdout: &str) -> Result<Load> {
    let mut load = Load::default();
    let mut found = false;
    for line in stdout.lines() {
        if let Some(body) = line.strip_prefix("ogkit-bench-in-flight ") {
            load.in_flight.push(body.to_owned());
        } else if let Some(error) = line.strip_prefix("ogkit-bench-first-error ") {
            load.first_error = Some(error.to_owned());
        } else if let Some(pairs) = line.strip_prefix("ogkit-bench ") {
            found = true;
            for pair in pairs.split_whitespace() {
                let (key, value) = pair
                    .split_once('=')
                    .ok_or_else(|| anyhow!("wrk script output {pair:?} is not key=value"))?;
                let value: u64 = value
                    .parse()
                    .with_context(|| format!("wrk script output {pair:?}: the value is not a whole number"))?;
                let field = match key {
                    "requests" => &mut load.requests,
                    "duration_us" => &mut load.duration_us,
                    "created" => &mut load.created,
                    "replayed" => &mut load.replayed,
                    "other_status" => &mut load.other_status,
                    "connect_errors" => &mut load.connect_errors,
                    "read_errors" => &mut load.read_errors,
                    "write_errors" => &mut load.write_errors,
                    "timeouts" => &mut load.timeouts,
                    "p50_us" => &mut load.p50_us,
                    "p90_us" => &mut load.p90_us,
                    "p99_us" => &mut load.p99_us,
                    "max_us" => &mut load.max_us,
                    "mean_us" => &mut load.mean_us,
                    _ => continue,
                };
                *field = value;
            }
        }
    }
    if !found {
        bail!("wrk printed no \"ogkit-bench\" line; did it load ballots.lua? Output:\n{stdout}");
    }
    Ok(load)
}

/// Statuses of the resent ballots.
#[derive(Debug, Default)]
pub(super) struct Resent {
    /// 201: stored by the resend (the first request never reached the writer).
    pub(super) created: u64,
    /// 200: stored during the load, receipt returned again.
    pub(super) replayed: u64,
    /// Any other status, or no response.
    pub(super) failed: u64,
}

/// Sends each ballot once more, one connection per ballot.
fn resend(address: &str, bodies: &[String]) -> Resent {
    let path = format!("/api/v1/polls/{POLL_ID}/ballots");
    let mut resent = Resent::default();
    for body in bodies {
        match post(address, &path, body) {
            Ok(201) => resent.created += 1,
            Ok(200) => resent.replayed += 1,
            Ok(status) => {
                println!("bench: resent ballot got status {status}: {body}");
                resent.failed += 1;
            }
            Err(error) => {
                println!("bench: resending a ballot failed: {error:#}");
                resent.failed += 1;
            }
        }
    }
    resent
}

/// Sends one POST with a JSON body and returns the status code.
fn post(address: &str, path: &str, body: &str) -> Result<u16> {
    let mut stream = TcpStream::connect(address).with_context(|| format!("cannot connect to {address}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).context("cannot read the response")?;
    let response = String::from_utf8_lossy(&response);
    let status_line = response.lines().next().unwrap_or("");
    status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| anyhow!("invalid HTTP status line {status_line:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRK_OUTPUT: &str = "Running 15s test @ http://127.0.0.1:1234\n\
        ogkit-bench requests=1000 duration_us=2000000 created=998 replayed=0 other_status=2 \
        connect_errors=0 read_errors=1 write_errors=0 timeouts=0 p50_us=4000 p90_us=6000 \
        p99_us=9500 max_us=20000 mean_us=4500\n\
        ogkit-bench-in-flight {\"ballot_id\":\"x\"}\n\
        ogkit-bench-first-error 429 {\"code\":\"rate_limited\"}\n";

    #[test]
    fn wrk_output_is_parsed() {
        let load = parse_wrk_output(WRK_OUTPUT).expect("the output is complete");
        assert_eq!(load.requests, 1000);
        assert_eq!(load.created, 998);
        assert_eq!(load.p99_us, 9500);
        assert_eq!(load.errors(), 3);
        assert_eq!(load.in_flight, vec!["{\"ballot_id\":\"x\"}".to_owned()]);
        assert_eq!(load.first_error.as_deref(), Some("429 {\"code\":\"rate_limited\"}"));
        assert!((load.ballots_per_second() - 499.0).abs() < 1e-9);
    }

    #[test]
    fn wrk_output_without_summary_is_rejected() {
        let error = parse_wrk_output("Running 15s test\n").expect_err("no summary line");
        assert!(error.to_string().contains("no \"ogkit-bench\" line"), "{error}");
    }

    #[test]
    fn wrk_output_with_bad_number_is_rejected() {
        let error = parse_wrk_output("ogkit-bench requests=many\n").expect_err("not a number");
        assert!(error.to_string().contains("requests=many"), "{error}");
    }

    #[test]
    fn listening_line_gives_address() {
        let line = "2026-12-04T20:00:00Z  INFO ogkit::serve: listening on http://127.0.0.1:41234";
        assert_eq!(listening_address(line).as_deref(), Some("127.0.0.1:41234"));
        assert_eq!(listening_address("starting"), None);
    }
}
