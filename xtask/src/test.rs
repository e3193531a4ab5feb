//! `cargo xtask test`: every test of the project, in one run.
//!
//! The suites run in a fixed order and the run stops at the first suite that
//! fails, because later suites build on earlier ones (the end-to-end tests
//! need a widget build that compiles):
//!
//! 1. `setup`: install what is missing (wasm target, wasm-bindgen CLI,
//!    wasm-pack, npm packages, Chromium).
//! 2. `native`: `cargo test --workspace` (core, server, xtask).
//! 3. `widgets`: the widget crate's `wasm-bindgen-test` tests in headless
//!    Chromium through chromedriver.
//! 4. `e2e`: `cargo xtask build`, then `ogkit serve` on a free loopback
//!    port with the demo site, the fixture pages of `tests/site/`, a fresh
//!    poll database and a random admin token, then `node --test tests/e2e/`
//!    against it (the poll tests create their polls through the admin API).
//!    The server is stopped afterwards, also when a test fails.
//! 5. `dist`: `cargo xtask dist` with the `pkg/` of the e2e suite (built
//!    first when missing), then `node --test tests/dist/`, which unpacks
//!    the archive, checks its checksums, starts its server with its own
//!    example configuration and loads the demo pages in Chromium.
//!
//! Each suite's output is passed through and its pass and fail counts are
//! read from the runners' summary lines. The run ends with the plain line
//! `N passed, N failed` that CI reads.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// Flags that every Chromium started by the tests and the benchmarks gets.
/// Without the networking flags Chromium keeps trying to reach Google hosts,
/// which this machine and CI cannot reach. The fresh `--user-data-dir` is
/// added per run.
pub(crate) const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
];

/// How long `ogkit serve` may take to print its address. Only reached when
/// the server hangs before binding; a normal start takes well under a second.
const SERVER_START_LIMIT: Duration = Duration::from_secs(120);

pub(crate) const USAGE: &str = "usage: cargo xtask test [SUITE…]

Runs the suites in this order and stops at the first failure:
  native    cargo test --workspace (core, server, xtask)
  widgets   widget tests in headless Chromium (wasm-bindgen-test)
  e2e       cargo xtask build, ogkit serve, node --test tests/e2e/
  dist      cargo xtask dist from that pkg/, then node --test tests/dist/
            (unpacks the archive, runs its server, checks its checksums)
  size      the search-only kit against its size budget (cargo xtask size)
Without SUITE all of them run. Setup (installing missing tools) always runs first.";

/// Pass and fail counts of one suite or of the whole run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

/// Error of a suite whose runner counted tests before it failed, so the
/// summary can still add them up.
#[derive(Debug)]
struct SuiteFailure {
    tally: Tally,
    message: String,
}

impl std::fmt::Display for SuiteFailure {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for SuiteFailure {}

/// Result of one suite, for the closing summary.
struct SuiteReport {
    name: &'static str,
    tally: Tally,
    error: Option<String>,
}

/// Runs the suites named in `args` (all when empty) and prints the summary.
pub(crate) fn run(args: &[String]) -> Result<()> {
    let selected = parse_suites(args)?;
    let root = crate::setup::workspace_root();

    let mut reports: Vec<SuiteReport> = Vec::new();
    let suites: [(&'static str, fn(&Path) -> Result<Tally>); 6] = [
        ("setup", run_setup),
        ("native", run_native),
        ("widgets", run_widgets),
        ("e2e", run_e2e),
        ("dist", run_dist),
        ("size", run_size),
    ];
    for (name, suite) in suites {
        if name != "setup" && !selected.contains(&name) {
            continue;
        }
        println!("\n==> xtask test: {name}");
        match suite(&root) {
            Ok(tally) => reports.push(SuiteReport { name, tally, error: None }),
            Err(error) => {
                let tally = error
                    .chain()
                    .find_map(|cause| cause.downcast_ref::<SuiteFailure>())
                    .map(|failure| failure.tally)
                    .unwrap_or_default();
                reports.push(SuiteReport { name, tally, error: Some(format!("{error:#}")) });
                break;
            }
        }
    }

    print_summary(&reports)
}

fn parse_suites(args: &[String]) -> Result<Vec<&'static str>> {
    let known = ["native", "widgets", "e2e", "dist", "size"];
    if args.is_empty() {
        return Ok(known.to_vec());
    }
    let mut selected = Vec::new();
    for arg in args {
        match known.iter().find(|name| **name == arg.as_str()) {
            Some(name) => selected.push(*name),
            None => bail!("unknown suite {arg:?}: expected one of {}\n\n{USAGE}", known.join(", ")),
        }
    }
    Ok(selected)
}

/// Prints one line per suite and the closing `N passed, N failed` line.
///
/// A suite that failed without a counted test failure (a compile error, a
/// server that did not start) counts as one failed test, so that the closing
/// line never reads "0 failed" for a failed run. Exits the process with
/// status 1 when a suite failed.
fn print_summary(reports: &[SuiteReport]) -> Result<()> {
    let mut total = Tally::default();
    let mut failed_suite = None;

    println!("\n==> xtask test: summary");
    for report in reports {
        let mut tally = report.tally;
        match &report.error {
            None => println!("  {:<8} ok      {} passed, {} failed", report.name, tally.passed, tally.failed),
            Some(error) => {
                if tally.failed == 0 {
                    tally.failed = 1;
                }
                println!("  {:<8} FAILED  {error}", report.name);
                failed_suite = Some(report.name);
            }
        }
        total.add(tally);
    }
    if let Some(name) = failed_suite {
        println!("xtask test: suite {name} failed (see its output above)");
    }
    println!("{} passed, {} failed", total.passed, total.failed);
    std::io::stdout().flush().ok();

    // Exiting here keeps the count line the last line of the output, which
    // CI reads; returning an error would print one more line after it.
    if failed_suite.is_some() {
        std::process::exit(1);
    }
    Ok(())
}

fn run_setup(_root: &Path) -> Result<Tally> {
    crate::setup::run(&[]).context("installing the missing tools failed")?;
    Ok(Tally::default())
}

/// Builds the search-only kit and checks it against its budget: one test
/// that passes or fails.
fn run_size(_root: &Path) -> Result<Tally> {
    let args = ["--widgets".to_string(), "og-service-search".to_string()];
    match crate::size::run(&args) {
        Ok(()) => Ok(Tally { passed: 1, failed: 0 }),
        Err(error) => {
            let message = format!("{error:#}");
            Err(SuiteFailure { tally: Tally { passed: 0, failed: 1 }, message }.into())
        }
    }
}

fn run_native(root: &Path) -> Result<Tally> {
    let mut command = Command::new(cargo());
    command.current_dir(root).args(["test", "--workspace", "--exclude", "ogkit-widgets"]);
    run_counted(command, "cargo test --workspace")
}

/// Runs the widget crate's tests for wasm32 in headless Chromium.
///
/// wasm-bindgen-test-runner starts chromedriver and merges the capabilities
/// of the file named by `WASM_BINDGEN_TEST_WEBDRIVER_JSON` with its own
/// Chromium flags, so the project's flags and a fresh profile go there.
fn run_widgets(root: &Path) -> Result<Tally> {
    let work_dir = root.join("target/xtask-test");
    let profile_dir = fresh_dir(&work_dir.join("chromium-profile-widgets"))?;
    let webdriver_json = work_dir.join("webdriver.json");
    std::fs::write(&webdriver_json, webdriver_capabilities(&profile_dir))
        .with_context(|| format!("cannot write {}", webdriver_json.display()))?;

    let mut command = Command::new(cargo());
    command
        .current_dir(root)
        .args(["test", "-p", "ogkit-widgets", "--target", "wasm32-unknown-unknown"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .env("CHROMEDRIVER", chromedriver_path())
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &webdriver_json)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "300");
    run_counted(command, "widget tests in Chromium")
}

/// Returns the webdriver capabilities: Debian's Chromium with the project's
/// flags. wasm-bindgen-test-runner adds `headless` and `no-sandbox` itself.
fn webdriver_capabilities(profile_dir: &Path) -> String {
    let mut args: Vec<String> = CHROMIUM_FLAGS
        .iter()
        .map(|flag| json_string(flag.trim_start_matches("--")))
        .collect();
    args.push(json_string(&format!("user-data-dir={}", profile_dir.display())));
    format!(
        "{{\n  \"goog:chromeOptions\": {{\n    \"binary\": {},\n    \"args\": [{}]\n  }}\n}}\n",
        json_string(&chromium_path()),
        args.join(", ")
    )
}

fn run_e2e(root: &Path) -> Result<Tally> {
    crate::build::run(&[]).context("cargo xtask build failed")?;
    if !root.join("pkg/ogkit.js").is_file() {
        bail!("the build left no pkg/ogkit.js; the end-to-end tests load the widgets from there");
    }
    crate::docs::run(&[]).context("cargo xtask docs failed")?;

    let site = assemble_site(root)?;
    let server = Server::start(root, &site)?;
    println!("xtask test: ogkit serve is listening on {}", server.base_url);

    let work_dir = root.join("target/xtask-test");
    let mut command = Command::new("node");
    command
        .current_dir(root)
        .args(["--test", "--test-reporter=spec", "--test-concurrency=1", "tests/e2e/"])
        .env("OGKIT_BASE_URL", &server.base_url)
        .env("OGKIT_ADMIN_TOKEN", &server.admin_token)
        .env("OGKIT_PKG_DIR", root.join("pkg"))
        .env("OGKIT_DOCS_DIR", root.join(crate::docs::OUTPUT_DIR))
        .env("OGKIT_SITE_DIR", &site)
        .env("OGKIT_ARTIFACT_DIR", work_dir.join("e2e-artifacts"))
        .env("CHROMIUM", chromium_path());
    let result = run_counted(command, "node --test tests/e2e/");

    // Stopping here, before the summary, keeps the server's shutdown lines
    // out of the closing line that CI reads.
    let server_log = server.stop();
    if result.is_err() {
        println!("xtask test: ogkit serve log: {}", server_log.display());
    }
    result
}

fn run_dist(root: &Path) -> Result<Tally> {
    if !root.join("pkg/ogkit.js").is_file() {
        crate::build::run(&[]).context("cargo xtask build failed")?;
    }
    let started = Instant::now();
    let archives = crate::dist::create(root, Some(Path::new("pkg"))).context("cargo xtask dist failed")?;
    println!("xtask test: the release bundle took {:.0} s to build", started.elapsed().as_secs_f64());
    let tar = archives
        .iter()
        .find(|path| path.to_string_lossy().ends_with(".tar.gz"))
        .context("cargo xtask dist wrote no .tar.gz archive")?;

    let mut command = Command::new("node");
    command
        .current_dir(root)
        .args(["--test", "--test-reporter=spec", "--test-concurrency=1", "tests/dist/"])
        .env("OGKIT_DIST_ARCHIVE", tar)
        .env("CHROMIUM", chromium_path());
    run_counted(command, "node --test tests/dist/")
}

/// Builds the folder that `ogkit serve --demo` serves at `/`: the demo site
/// with its catalogues, and the fixture pages of `tests/site/` under `/test/`.
fn assemble_site(root: &Path) -> Result<PathBuf> {
    let site = fresh_dir(&root.join("target/xtask-test/site"))?;
    let demo = root.join("demo");
    if demo.is_dir() {
        copy_dir(&demo, &site)?;
    }
    copy_dir(&root.join("tests/site"), &site.join("test"))?;
    Ok(site)
}

/// A running `ogkit serve`, stopped when dropped.
struct Server {
    child: Child,
    base_url: String,
    /// Bearer token of the admin API, with which the poll tests create polls.
    admin_token: String,
    log_path: PathBuf,
}

impl Server {
    fn start(root: &Path, site: &Path) -> Result<Server> {
        let status = Command::new(cargo())
            .current_dir(root)
            .args(["build", "--quiet", "-p", "ogkit-server", "--bin", "ogkit"])
            .status()
            .context("cannot run cargo build for the ogkit server")?;
        if !status.success() {
            bail!("building the ogkit server failed ({status})");
        }

        let log_path = root.join("target/xtask-test/server.log");
        // A fresh database per run, so the tests never meet polls of an
        // earlier run or of the demo.
        let data_dir = fresh_dir(&root.join("target/xtask-test/data"))?;
        let admin_token = random_token()?;
        let binary = root.join("target/debug/ogkit");
        let mut child = Command::new(&binary)
            .current_dir(root)
            .args(["serve", "--addr", "127.0.0.1:0", "--pkg"])
            .arg(root.join("pkg"))
            .arg("--demo")
            .arg(site)
            .arg("--docs")
            .arg(root.join(crate::docs::OUTPUT_DIR))
            .arg("--data-dir")
            .arg(&data_dir)
            // The form tests' schemas, registered as forms by file name.
            .arg("--forms-dir")
            .arg(site.join("test/formulare"))
            .env("NO_COLOR", "1")
            .env("OGKIT_ADMIN_TOKEN", &admin_token)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;

        // Both streams go to the log; the address line may come on either,
        // depending on how the server sets up its logging.
        let (sender, receiver) = mpsc::channel::<String>();
        let log = std::fs::File::create(&log_path)
            .with_context(|| format!("cannot create {}", log_path.display()))?;
        let log = std::sync::Arc::new(std::sync::Mutex::new(log));
        if let Some(stdout) = child.stdout.take() {
            forward_lines(stdout, sender.clone(), log.clone());
        }
        if let Some(stderr) = child.stderr.take() {
            forward_lines(stderr, sender, log);
        }

        let mut server = Server { child, base_url: String::new(), admin_token, log_path };
        let started = Instant::now();
        loop {
            match receiver.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    if let Some(url) = listening_url(&line) {
                        server.base_url = url;
                        return Ok(server);
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(Duration::from_millis(200));
                    let status = server.child.try_wait().ok().flatten();
                    bail!(
                        "ogkit serve exited ({}) before printing \"listening on http://…\"; log: {}\n{}",
                        status.map_or("still running".to_string(), |s| s.to_string()),
                        server.log_path.display(),
                        tail(&server.log_path, 20)
                    );
                }
            }
            if started.elapsed() > SERVER_START_LIMIT {
                bail!(
                    "ogkit serve printed no \"listening on http://…\" line within {} s; log: {}\n{}",
                    SERVER_START_LIMIT.as_secs(),
                    server.log_path.display(),
                    tail(&server.log_path, 20)
                );
            }
        }
    }

    /// Stops the server and returns the path of its log.
    fn stop(mut self) -> PathBuf {
        self.terminate();
        self.log_path.clone()
    }

    /// Sends SIGTERM, waits for a clean exit, and kills the process if it
    /// has not exited after ten seconds.
    fn terminate(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .stderr(Stdio::null())
            .status();
        let asked = Instant::now();
        while asked.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(status)) = self.child.try_wait() {
                if !status.success() {
                    println!("xtask test: ogkit serve exited with {status} on SIGTERM");
                }
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        println!("xtask test: ogkit serve ignored SIGTERM for 10 s, killing it");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.terminate();
    }
}

fn forward_lines(
    stream: impl std::io::Read + Send + 'static,
    sender: mpsc::Sender<String>,
    log: std::sync::Arc<std::sync::Mutex<std::fs::File>>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if let Ok(mut file) = log.lock() {
                let _ = writeln!(file, "{line}");
            }
            let _ = sender.send(line);
        }
    });
}

/// Returns 32 random bytes from the operating system as hex, for the admin
/// token of the test server.
fn random_token() -> Result<String> {
    use std::io::Read as _;
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut bytes))
        .context("cannot read /dev/urandom for the admin token of the test server")?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Returns `http://ADDR` from a log line containing `listening on http://ADDR`.
fn listening_url(line: &str) -> Option<String> {
    let start = line.find("listening on http://")? + "listening on ".len();
    let url: String = line[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '/' | '.' | '[' | ']' | '-'))
        .collect();
    let url = url.trim_end_matches('/').to_string();
    (url.len() > "http://".len()).then_some(url)
}

/// Runs `command`, passing its standard output through, and counts the
/// tests from the summary lines of cargo test, wasm-bindgen-test and
/// node's test runner.
fn run_counted(mut command: Command, what: &str) -> Result<Tally> {
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {what}"))?;

    let mut tally = Tally::default();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            println!("{line}");
            if let Some(counts) = parse_counts(&line) {
                tally.add(counts);
            }
        }
    }
    let status = child.wait().with_context(|| format!("{what} did not finish"))?;
    finish(status, tally, what)
}

fn finish(status: ExitStatus, tally: Tally, what: &str) -> Result<Tally> {
    if status.success() && tally.failed == 0 {
        return Ok(tally);
    }
    let message = if tally.failed > 0 {
        format!("{what}: {} passed, {} failed", tally.passed, tally.failed)
    } else {
        format!("{what} exited with {status}")
    };
    Err(SuiteFailure { tally, message }.into())
}

/// Reads the counts from one summary line, if it is one:
/// cargo test and wasm-bindgen-test `test result: ok. 3 passed; 0 failed; …`,
/// node's spec reporter `ℹ pass 3` / `ℹ fail 0`, node's TAP reporter
/// `# pass 3` / `# fail 0`.
fn parse_counts(line: &str) -> Option<Tally> {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix("test result: ") {
        let number_before = |word: &str| -> Option<u64> {
            let end = rest.find(word)?;
            rest[..end].trim_end().rsplit([' ', '.']).next()?.parse().ok()
        };
        return Some(Tally {
            passed: number_before(" passed").unwrap_or(0),
            failed: number_before(" failed").unwrap_or(0),
        });
    }
    let rest = line.strip_prefix("ℹ ").or_else(|| line.strip_prefix("# "))?;
    let (word, number) = rest.split_once(' ')?;
    let number: u64 = number.trim().parse().ok()?;
    match word {
        "pass" => Some(Tally { passed: number, failed: 0 }),
        "fail" => Some(Tally { passed: 0, failed: number }),
        _ => None,
    }
}

/// Returns the Chromium binary: `$CHROMIUM`, else Debian's `/usr/bin/chromium`.
pub(crate) fn chromium_path() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string())
}

fn chromedriver_path() -> String {
    std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".to_string())
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// Empties `dir` (creating it when missing) and returns it.
pub(crate) fn fresh_dir(dir: &Path) -> Result<PathBuf> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("cannot empty {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir.to_path_buf())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let entries = std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("cannot copy {} to {}", entry.path().display(), target.display()))?;
        }
    }
    Ok(())
}

fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

fn json_string(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if (c as u32) < 0x20 => quoted.push_str(&format!("\\u{:04x}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_summary_is_counted() {
        let line = "test result: FAILED. 12 passed; 3 failed; 1 ignored; 0 measured; 0 filtered out";
        assert_eq!(parse_counts(line), Some(Tally { passed: 12, failed: 3 }));
    }

    #[test]
    fn node_spec_and_tap_summaries_are_counted() {
        assert_eq!(parse_counts("ℹ pass 7"), Some(Tally { passed: 7, failed: 0 }));
        assert_eq!(parse_counts("ℹ fail 2"), Some(Tally { passed: 0, failed: 2 }));
        assert_eq!(parse_counts("# pass 4"), Some(Tally { passed: 4, failed: 0 }));
        assert_eq!(parse_counts("ℹ tests 9"), None);
        assert_eq!(parse_counts("# Subtest: pass 3"), None);
    }

    #[test]
    fn other_lines_are_not_counted() {
        assert_eq!(parse_counts("running 3 tests"), None);
        assert_eq!(parse_counts("test search::finds_umlauts ... ok"), None);
    }

    #[test]
    fn listening_line_gives_base_url() {
        let line = "2026-12-04T20:00:00Z  INFO ogkit::serve: listening on http://127.0.0.1:41234";
        assert_eq!(listening_url(line).as_deref(), Some("http://127.0.0.1:41234"));
        let coloured = "\u{1b}[32mINFO\u{1b}[0m listening on http://127.0.0.1:5000\u{1b}[0m";
        assert_eq!(listening_url(coloured).as_deref(), Some("http://127.0.0.1:5000"));
        assert_eq!(listening_url("listening on http://"), None);
        assert_eq!(listening_url("starting"), None);
    }

    #[test]
    fn failed_suite_keeps_its_counts() {
        let counted = Tally { passed: 34, failed: 1 };
        let error = finish(failed_status(), counted, "node --test").err().map(|error| error.context("e2e"));
        let tally = error
            .as_ref()
            .and_then(|error| error.chain().find_map(|cause| cause.downcast_ref::<SuiteFailure>()))
            .map(|failure| failure.tally);
        assert_eq!(tally, Some(counted));
    }

    fn failed_status() -> ExitStatus {
        use std::os::unix::process::ExitStatusExt;
        ExitStatus::from_raw(1 << 8)
    }

    #[test]
    fn unknown_suite_is_rejected() {
        assert!(parse_suites(&["lint".to_string()]).is_err());
        assert_eq!(parse_suites(&[]).ok(), Some(vec!["native", "widgets", "e2e", "dist", "size"]));
    }

    #[test]
    fn capabilities_carry_flags_and_profile() {
        let json = webdriver_capabilities(Path::new("/tmp/profile"));
        assert!(json.contains("\"disable-background-networking\""));
        assert!(json.contains("\"user-data-dir=/tmp/profile\""));
    }
}
