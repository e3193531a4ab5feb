//! `cargo xtask setup`: installs the tools that the build and the tests
//! need, skipping each one that is already present.
//!
//! Steps, in order: the `wasm32-unknown-unknown` target; the wasm-bindgen
//! CLI at the exact version of the `wasm-bindgen` crate in Cargo.lock
//! (wasm-pack and the test runner refuse a mismatch); wasm-pack; the npm
//! packages of package-lock.json (binaryen's `wasm-opt`, Playwright,
//! axe-core); Debian's Chromium and chromedriver for the browser tests.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub(crate) const USAGE: &str = "usage: cargo xtask setup

Installs what the build and the tests need, skipping each tool that is
already present: the wasm32-unknown-unknown target, the wasm-bindgen CLI at
the version of Cargo.lock, wasm-pack, the npm packages of package-lock.json,
and Debian's chromium and chromium-driver. Only root can install the last
two with apt-get; other users get the command to run as root.
Takes no options. Every command that builds or tests runs it first.";

pub(crate) fn run(args: &[String]) -> Result<()> {
    if let Some(extra) = args.first() {
        bail!("unexpected argument {extra:?}\n\n{USAGE}");
    }
    let root = workspace_root();

    install_wasm_target()?;
    install_wasm_bindgen(&root)?;
    install_wasm_pack()?;
    install_npm_packages(&root)?;
    install_chromium()?;
    Ok(())
}

/// Returns the workspace root, the parent of this crate's folder.
pub(crate) fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// Runs `command`, passing its output through, and fails when it fails.
pub(crate) fn run_command(command: &mut Command) -> Result<()> {
    let description = format!("{command:?}");
    let status = command.status().with_context(|| format!("could not start {description}"))?;
    if !status.success() {
        bail!("{description} failed with {status}");
    }
    Ok(())
}

/// Returns the standard output of `program args`, or `None` when it cannot
/// run or fails.
fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

fn step(name: &str, state: &str) {
    println!("setup: {name}: {state}");
}

fn install_wasm_target() -> Result<()> {
    let installed = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        step("wasm32 target", "present");
        return Ok(());
    }
    step("wasm32 target", "installing with rustup target add");
    run_command(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

fn install_wasm_bindgen(root: &Path) -> Result<()> {
    let lock_path = root.join("Cargo.lock");
    let lock = fs::read_to_string(&lock_path).with_context(|| format!("reading {}", lock_path.display()))?;
    let Some(version) = locked_version(&lock, "wasm-bindgen") else {
        bail!("{} has no wasm-bindgen package; run cargo build -p ogkit-widgets once", lock_path.display());
    };
    let installed = output_of("wasm-bindgen", &["--version"]).unwrap_or_default();
    let test_runner = output_of("wasm-bindgen-test-runner", &["--version"]).is_some();
    if installed.split_whitespace().nth(1) == Some(version.as_str()) && test_runner {
        step("wasm-bindgen CLI", &format!("{version} present"));
        return Ok(());
    }
    // Without --locked: the registry copy here lacks one exact version
    // pinned in the CLI's own lock file, so a locked install fails.
    step("wasm-bindgen CLI", &format!("installing {version} with cargo install (takes a few minutes)"));
    run_command(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]))
}

fn install_wasm_pack() -> Result<()> {
    if let Some(version) = output_of("wasm-pack", &["--version"]) {
        step("wasm-pack", &format!("{} present", version.trim()));
        return Ok(());
    }
    step("wasm-pack", "installing with cargo install (takes a few minutes)");
    run_command(Command::new("cargo").args(["install", "wasm-pack"]))
}

fn install_npm_packages(root: &Path) -> Result<()> {
    let lock = root.join("package-lock.json");
    // npm writes this copy of the lock file on every install; when it is
    // older than package-lock.json, the packages are stale.
    let installed_lock = root.join("node_modules/.package-lock.json");
    let wasm_opt = root.join("node_modules/.bin/wasm-opt");
    let fresh = match (modified(&lock), modified(&installed_lock)) {
        (Some(expected), Some(installed)) => installed >= expected,
        _ => false,
    };
    if fresh && wasm_opt.exists() {
        step("npm packages", "present");
        return Ok(());
    }
    step("npm packages", "installing with npm ci");
    run_command(Command::new("npm").arg("ci").arg("--no-audit").arg("--no-fund").current_dir(root))
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    fs::metadata(path).and_then(|metadata| metadata.modified()).ok()
}

fn install_chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        step("Chromium and chromedriver", "present");
        return Ok(());
    }
    let command = "apt-get update && apt-get install -y chromium chromium-driver";
    let is_root = output_of("id", &["-u"]).is_some_and(|uid| uid.trim() == "0");
    if !is_root {
        step("Chromium and chromedriver", &format!("missing; the browser tests need them, run as root: {command}"));
        return Ok(());
    }
    step("Chromium and chromedriver", "installing with apt-get");
    run_command(Command::new("apt-get").arg("update"))?;
    // CI has no terminal, so apt must not stop to ask configuration questions.
    run_command(
        Command::new("apt-get")
            .args(["install", "-y", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// Returns the version of package `name` in a Cargo.lock text.
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let version = lines.next()?.trim().strip_prefix("version = \"")?.strip_suffix('"')?;
            return Some(version.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locked_version_finds_exact_name() {
        let lock = "[[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.80\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(locked_version(lock, "wasm-bindgen").as_deref(), Some("0.2.130"));
        assert_eq!(locked_version(lock, "wasm-pack"), None);
    }
}
