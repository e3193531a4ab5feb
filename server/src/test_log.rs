//! Capture of `tracing` output for tests that check what reaches the log.
//!
//! tracing-core caches per call site whether any subscriber is interested,
//! and a test on another thread that reaches the same call site while a
//! test registers its subscriber can leave that cache at "never", which
//! empties the capture. So each capturing test runs alone in a child
//! process of the test binary ([`run_alone`]) and installs a global
//! subscriber ([`capture_globally`]), which also receives the events of the
//! database's threads.

use std::sync::{Arc, Mutex};

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
pub(crate) struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// Returns everything logged so far.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)).into_owned()
    }
}

/// Installs a global subscriber that writes every event, at every level
/// and without colour codes, into the returned buffer.
///
/// # Panics
///
/// Panics when the process has a global subscriber already, which happens
/// when the calling test runs outside [`run_alone`].
pub(crate) fn capture_globally() -> Captured {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber)
        .expect("no other subscriber in this process; run this test through test_log::run_alone");
    captured
}

/// Runs the ignored test at `test_path` (such as
/// `forms::tests::logging::logged_submission_events`) alone in a child
/// process of this test binary and fails unless it passes.
pub(crate) fn run_alone(test_path: &str) {
    let test_binary = std::env::current_exe().expect("the test binary has a path");
    let output = std::process::Command::new(test_binary)
        .args([test_path, "--exact", "--ignored", "--test-threads=1"])
        .output()
        .expect("the test binary starts again");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the child test failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "the child process ran no test:\n{stdout}");
}
