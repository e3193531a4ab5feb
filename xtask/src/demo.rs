//! `cargo xtask demo`: installs what is missing, builds `pkg/`, renders the
//! docs into `target/docs/`, creates the demo poll and serves the demo city
//! site and the docs with `ogkit serve` until interrupted.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};

use crate::setup::{run_command, workspace_root};

const DEFAULT_ADDR: &str = "127.0.0.1:8080";

pub(crate) const USAGE: &str = "usage: cargo xtask demo [--addr HOST:PORT]

Installs what is missing, builds pkg/, renders the docs into target/docs/,
creates the demo poll and serves the demo site and the docs with `ogkit serve`
until interrupted.

  --addr HOST:PORT  address and port to listen on (default 127.0.0.1:8080);
                    --addr=HOST:PORT works too.";

/// Id of the poll that `demo/beteiligung.html` embeds.
const DEMO_POLL_ID: &str = "radweg-bahnhof-altstadt";

/// Data directory of the demo server and of the `ogkit poll` commands,
/// relative to the workspace root (the default of both).
const DEMO_DATA_DIR: &str = "ogkit-data";

/// Days that the demo poll stays open after its first creation.
const DEMO_POLL_DAYS: i64 = 60;

pub(crate) fn run(args: &[String]) -> Result<()> {
    let addr = parse_addr(args)?;
    crate::build::run(&[])?;
    crate::docs::run(&[])?;
    let root = workspace_root();

    // Build the server before printing the address: a first release build
    // takes minutes, and an address opened before the server listens is refused.
    println!("demo: building the ogkit server (release)");
    run_command(
        Command::new("cargo")
            .args(["build", "--release", "--package", "ogkit-server", "--bin", "ogkit"])
            .current_dir(&root),
    )?;

    create_demo_poll(&root)?;

    println!("demo: starting ogkit serve; open http://{addr}/ once it logs \"listening on\" (Ctrl+C stops it)");
    run_command(
        Command::new(root.join("target/release/ogkit"))
            .args(["serve", "--addr", &addr, "--pkg", "pkg", "--demo", "demo", "--docs", crate::docs::OUTPUT_DIR])
            .args(["--forms-dir", "demo/formulare"])
            .current_dir(&root),
    )
}

/// Creates the demo poll with `ogkit poll create` unless the database has
/// it already, so a second run keeps its ballots. The poll opens a day
/// before the first run and closes [`DEMO_POLL_DAYS`] days after it.
fn create_demo_poll(root: &Path) -> Result<()> {
    let ogkit = root.join("target/release/ogkit");
    let exists = Command::new(&ogkit)
        .args(["poll", "export", DEMO_POLL_ID, "--data-dir", DEMO_DATA_DIR])
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .with_context(|| format!("cannot run {}", ogkit.display()))?
        .success();
    if exists {
        println!("demo: poll {DEMO_POLL_ID} exists in {DEMO_DATA_DIR}/, keeping it");
        return Ok(());
    }

    let now = SystemTime::now().duration_since(UNIX_EPOCH).context("the system clock is before 1970")?.as_secs();
    let now = i64::try_from(now).context("the system clock is past the year 292 billion")?;
    let definition = demo_poll_toml(now - 86_400, now + DEMO_POLL_DAYS * 86_400);
    let file = root.join("target/demo-poll.toml");
    std::fs::write(&file, definition).with_context(|| format!("cannot write {}", file.display()))?;
    println!("demo: creating poll {DEMO_POLL_ID} in {DEMO_DATA_DIR}/");
    run_command(
        Command::new(&ogkit)
            .args(["poll", "create", "--data-dir", DEMO_DATA_DIR, "--file"])
            .arg(&file)
            .current_dir(root),
    )
}

/// Returns the demo poll as TOML, open between two Unix times.
fn demo_poll_toml(opens_at: i64, closes_at: i64) -> String {
    format!(
        r#"id = "{DEMO_POLL_ID}"
title = "Wo soll der neue Radweg entlanglaufen?"
description = """
Die Musterstadt baut eine sichere Radverbindung vom Hauptbahnhof in die Altstadt. \
Vier Routen sind möglich. Das Ergebnis der Umfrage geht an den Stadtrat, der im Frühjahr entscheidet."""
opens_at = "{opens_at}"
closes_at = "{closes_at}"
participation = "open"
results = "after-vote"

[[questions]]
id = "route"
text = "Welche Route soll der neue Radweg nehmen?"
kind = "single-choice"
choices = [
  {{ id = "flussufer", label = "Am Flussufer entlang", description = "3,1 km, flach und ohne Autoverkehr, bisher unbeleuchtet" }},
  {{ id = "ringstrasse", label = "Über die Ringstraße", description = "2,4 km, eigene Spur neben der Fahrbahn, sechs Ampeln" }},
  {{ id = "stadtpark", label = "Durch den Stadtpark", description = "2,8 km, gemeinsamer Weg mit Fußgängerinnen und Fußgängern" }},
  {{ id = "bahntrasse", label = "Auf der alten Bahntrasse", description = "3,5 km, ohne Kreuzungen, frühestens 2028 befahrbar" }},
]

[[questions]]
id = "ausstattung"
text = "Was ist Ihnen an dem Radweg besonders wichtig?"
description = "Sie können bis zu drei Antworten wählen."
kind = "multiple-choice"
min_selections = 1
max_selections = 3
choices = [
  {{ id = "beleuchtung", label = "Gute Beleuchtung" }},
  {{ id = "breite", label = "Genug Breite zum Überholen" }},
  {{ id = "abstellen", label = "Fahrradständer am Bahnhof und am Markt" }},
  {{ id = "winterdienst", label = "Räum- und Streudienst im Winter" }},
  {{ id = "schatten", label = "Schatten durch Bäume" }},
]
"#,
        opens_at = rfc3339(opens_at),
        closes_at = rfc3339(closes_at),
    )
}

/// Formats Unix seconds as an RFC 3339 date-time in UTC, such as
/// `2026-03-01T07:00:00Z`.
fn rfc3339(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let seconds = unix_seconds.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 in the proleptic Gregorian
    // calendar, with years starting in March so the leap day comes last.
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", seconds / 3600, seconds % 3600 / 60, seconds % 60)
}

fn parse_addr(args: &[String]) -> Result<String> {
    match args {
        [] => Ok(DEFAULT_ADDR.to_string()),
        [flag, addr] if flag == "--addr" => Ok(addr.clone()),
        [single] if single.starts_with("--addr=") => Ok(single.trim_start_matches("--addr=").to_string()),
        _ => bail!("unexpected arguments {args:?}\n\n{USAGE}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_names_default_addr() {
        assert!(USAGE.contains(&format!("(default {DEFAULT_ADDR})")), "{USAGE}");
    }

    #[test]
    fn addr_defaults_to_loopback() {
        assert_eq!(parse_addr(&[]).ok().as_deref(), Some("127.0.0.1:8080"));
    }

    #[test]
    fn rfc3339_table() {
        let cases = [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_772_348_400, "2026-03-01T07:00:00Z"),
            (4_102_444_799, "2099-12-31T23:59:59Z"),
        ];
        for (seconds, expected) in cases {
            assert_eq!(rfc3339(seconds), expected);
        }
    }

    #[test]
    fn demo_poll_names_its_id_and_times() {
        let toml = demo_poll_toml(0, 86_400);
        assert!(toml.starts_with("id = \"radweg-bahnhof-altstadt\""));
        assert!(toml.contains("opens_at = \"1970-01-01T00:00:00Z\""));
        assert!(toml.contains("closes_at = \"1970-01-02T00:00:00Z\""));
    }

    #[test]
    fn addr_flag_is_read() {
        let args = ["--addr".to_string(), "127.0.0.1:9000".to_string()];
        assert_eq!(parse_addr(&args).ok().as_deref(), Some("127.0.0.1:9000"));
        assert_eq!(parse_addr(&["--addr=0.0.0.0:80".to_string()]).ok().as_deref(), Some("0.0.0.0:80"));
        assert!(parse_addr(&["--port".to_string()]).is_err());
    }
}
