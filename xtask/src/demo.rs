//! `cargo xtask demo`: installs what is missing, builds `pkg/` and serves
//! the demo city site with `ogkit serve` until interrupted.

use std::process::Command;

use anyhow::{bail, Result};

use crate::setup::{run_command, workspace_root};

const DEFAULT_ADDR: &str = "127.0.0.1:8080";

pub(crate) fn run(args: &[String]) -> Result<()> {
    let addr = parse_addr(args)?;
    crate::build::run(&[])?;
    let root = workspace_root();

    // Build the server before printing the address: a first release build
    // takes minutes, and an address opened before the server listens is refused.
    println!("demo: building the ogkit server (release)");
    run_command(
        Command::new("cargo")
            .args(["build", "--release", "--package", "ogkit-server", "--bin", "ogkit"])
            .current_dir(&root),
    )?;

    println!("demo: starting ogkit serve; open http://{addr}/ once it logs \"listening on\" (Ctrl+C stops it)");
    run_command(
        Command::new(root.join("target/release/ogkit"))
            .args(["serve", "--addr", &addr, "--pkg", "pkg", "--demo", "demo", "--docs", "www"])
            .current_dir(&root),
    )
}

fn parse_addr(args: &[String]) -> Result<String> {
    match args {
        [] => Ok(DEFAULT_ADDR.to_string()),
        [flag, addr] if flag == "--addr" => Ok(addr.clone()),
        [single] if single.starts_with("--addr=") => Ok(single.trim_start_matches("--addr=").to_string()),
        _ => bail!("usage: cargo xtask demo [--addr HOST:PORT] (default {DEFAULT_ADDR})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addr_defaults_to_loopback() {
        assert_eq!(parse_addr(&[]).ok().as_deref(), Some("127.0.0.1:8080"));
    }

    #[test]
    fn addr_flag_is_read() {
        let args = ["--addr".to_string(), "127.0.0.1:9000".to_string()];
        assert_eq!(parse_addr(&args).ok().as_deref(), Some("127.0.0.1:9000"));
        assert_eq!(parse_addr(&["--addr=0.0.0.0:80".to_string()]).ok().as_deref(), Some("0.0.0.0:80"));
        assert!(parse_addr(&["--port".to_string()]).is_err());
    }
}
