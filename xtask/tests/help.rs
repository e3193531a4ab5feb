//! Runs the xtask binary with help requests. A help request must print its
//! text and exit before any command starts to install or build anything.

use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().expect("starting the xtask binary")
}

fn stdout_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn help_lists_every_command() {
    let output = xtask(&["--help"]);
    assert!(output.status.success(), "exit status {}", output.status);
    let text = stdout_of(&output);
    for synopsis in [
        "setup",
        "build [--widgets ELEMENTS]",
        "docs [--pages-only]",
        "dist [--pkg DIR]",
        "demo [--addr HOST:PORT]",
        "test [SUITE…]",
        "size [--widgets ELEMENTS]",
        "bench [search|poll|table]",
    ] {
        assert!(text.contains(&format!("  {synopsis} ")), "--help lacks {synopsis:?}:\n{text}");
    }
}

#[test]
fn build_help_prints_usage() {
    let output = xtask(&["build", "--help"]);
    assert!(output.status.success(), "exit status {}, stderr: {}", output.status, String::from_utf8_lossy(&output.stderr));
    let text = stdout_of(&output);
    assert!(text.starts_with("usage: cargo xtask build [--widgets ELEMENTS]"), "{text}");
    assert!(text.contains("og-embed-builder"), "{text}");
}

#[test]
fn every_command_accepts_help() {
    for command in ["setup", "build", "docs", "dist", "demo", "test", "size", "bench"] {
        for flag in ["--help", "-h"] {
            let output = xtask(&[command, flag]);
            assert!(output.status.success(), "{command} {flag}: exit status {}", output.status);
            let text = stdout_of(&output);
            assert!(text.starts_with(&format!("usage: cargo xtask {command}")), "{command} {flag}:\n{text}");
        }
    }
}

#[test]
fn unknown_command_fails() {
    let output = xtask(&["deploy"]);
    assert_eq!(output.status.code(), Some(1));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("unknown command \"deploy\""), "{message}");
    assert!(message.contains("usage: cargo xtask <command>"), "{message}");
}
