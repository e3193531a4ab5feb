//! The `poll` section of BENCHMARKS.md, rendered from one run of
//! `cargo xtask bench poll`.

use super::durable_inserts::Reference;
use super::machine::CpuShares;
use super::poll::{
    Load, Resent, CONNECTIONS, LOAD_SECONDS, RATE_LIMIT, REFERENCE_DURATION, TARGET_BALLOTS_PER_SECOND,
    TARGET_P99_MS, THREADS,
};

/// Everything one run measured.
pub(super) struct Run {
    pub(super) date: String,
    pub(super) machine: String,
    pub(super) wrk_version: String,
    pub(super) reference: Reference,
    pub(super) load: Load,
    /// CPU use during the load, where `/proc` could be read.
    pub(super) cpu: Option<CpuShares>,
    pub(super) resent: Resent,
    pub(super) stored: u64,
}

impl Run {
    /// Returns the ballots with a receipt: 201 or 200 during the load or on
    /// resending.
    pub(super) fn acknowledged(&self) -> u64 {
        self.load.created + self.load.replayed + self.resent.created + self.resent.replayed
    }

    /// Returns one line for the console.
    pub(super) fn summary(&self) -> String {
        format!(
            "bench: {:.0} ballots/s, p50 {}, p99 {}, {} errors; reference {:.0} durable inserts/s; \
             stored {} of {} acknowledged",
            self.load.ballots_per_second(),
            milliseconds(self.load.p50_us),
            milliseconds(self.load.p99_us),
            self.load.errors(),
            self.reference.full.per_second(),
            self.stored,
            self.acknowledged()
        )
    }

    /// Returns the section text, without the markers.
    pub(super) fn markdown(&self) -> String {
        let parts = [
            self.setup(),
            self.results(),
            self.count_check(),
            self.physical_reference(),
            method(),
            self.targets(),
        ];
        let mut text = parts.join("\n\n");
        text.push('\n');
        text
    }

    fn setup(&self) -> String {
        [
            "## Poll ballots".to_owned(),
            String::new(),
            "Written by `cargo xtask bench poll`; rerun it to update this section. The numbers are from one \
             run on a machine shared with other work, so they vary from run to run."
                .to_owned(),
            String::new(),
            format!("- Date: {}", self.date),
            format!("- Machine: {}", self.machine),
            format!(
                "- Server: `ogkit serve`, release build, on 127.0.0.1; SQLite {} in WAL mode; \
                 `--ballot-rate-limit {RATE_LIMIT}`, because every request comes from 127.0.0.1 and the \
                 default of 300 ballots per address and hour would reject all but the first 300 \
                 (the limiter still runs for every ballot)",
                self.reference.sqlite_version
            ),
            format!(
                "- Load: wrk {} with `xtask/src/bench/ballots.lua`, {THREADS} threads, {CONNECTIONS} \
                 connections, {LOAD_SECONDS} s, on the same machine as the server. Every request is a new \
                 ballot with its own ballot id and voter token.",
                self.wrk_version
            ),
        ]
        .join("\n")
    }

    fn results(&self) -> String {
        let load = &self.load;
        let rate = load.ballots_per_second();
        let mut lines = vec![
            "| measure | result | target |".to_owned(),
            "| --- | ---: | ---: |".to_owned(),
            format!(
                "| acknowledged ballots per second | {} | at least {} ({}) |",
                thousands(rate),
                thousands(TARGET_BALLOTS_PER_SECOND),
                met(rate >= TARGET_BALLOTS_PER_SECOND)
            ),
            format!("| latency p50 | {} | |", milliseconds(load.p50_us)),
            format!("| latency p90 | {} | |", milliseconds(load.p90_us)),
            format!(
                "| latency p99 | {} | under {TARGET_P99_MS:.0} ms ({}) |",
                milliseconds(load.p99_us),
                met(p99_ms(load) < TARGET_P99_MS)
            ),
            format!("| latency max | {} | |", milliseconds(load.max_us)),
            format!(
                "| errors: non-2xx / connect / read / write / time-out | {} / {} / {} / {} / {} | 0 ({}) |",
                load.other_status,
                load.connect_errors,
                load.read_errors,
                load.write_errors,
                load.timeouts,
                met(load.errors() == 0)
            ),
        ];
        if let Some(error) = &load.first_error {
            lines.push(String::new());
            lines.push(format!("First error response: `{error}`"));
        }
        if let Some(cpu) = &self.cpu {
            let per_ballot_us = cpu.process_seconds * 1e6 / (load.created.max(1) as f64);
            lines.push(String::new());
            lines.push(format!(
                "CPU during the load: the server used {:.0} % of the machine ({per_ballot_us:.0} µs of CPU \
                 per acknowledged ballot); all other processes, wrk and other work on the machine \
                 included, used {:.0} %.",
                cpu.process * 100.0,
                cpu.others * 100.0
            ));
        }
        lines.join("\n")
    }

    fn count_check(&self) -> String {
        let load = &self.load;
        let verdict = if self.stored == self.acknowledged() { "equal" } else { "NOT EQUAL" };
        format!(
            "Count check: {} ballots acknowledged during the load ({} with 201, {} with 200), {} \
             unanswered when wrk stopped and resent afterwards ({} answered 201, {} answered 200, {} \
             failed), {} stored in the database: {verdict}.",
            count(load.created + load.replayed),
            count(load.created),
            count(load.replayed),
            count(load.in_flight.len() as u64),
            count(self.resent.created),
            count(self.resent.replayed),
            count(self.resent.failed),
            count(self.stored)
        )
    }

    fn physical_reference(&self) -> String {
        let reference = &self.reference;
        let ratio = self.load.ballots_per_second() / reference.full.per_second().max(f64::EPSILON);
        [
            format!(
                "Physical reference: durable single-row inserts into SQLite {} on the same disk, one \
                 transaction per insert, into a table shaped like `ballots`, {} s each \
                 (`xtask/src/bench/durable_inserts.rs`):",
                reference.sqlite_version,
                REFERENCE_DURATION.as_secs()
            ),
            String::new(),
            "| WAL mode and sync | inserts per second |".to_owned(),
            "| --- | ---: |".to_owned(),
            format!(
                "| `synchronous=FULL`: SQLite syncs the WAL inside COMMIT (the server's poll and code writes) | {} |",
                thousands(reference.full.per_second())
            ),
            format!(
                "| `synchronous=NORMAL`, then `fdatasync` of the WAL file (the ballot writer's way) | {} |",
                thousands(reference.normal_then_sync.per_second())
            ),
            String::new(),
            format!(
                "The server acknowledged {ratio:.0} times as many ballots per second as SQLite commits durable \
                 single-row transactions with `synchronous=FULL`."
            ),
            String::new(),
            "How the server gets there (`server/src/polls/writer.rs`, `wal_sync.rs`): one writer task takes \
             every waiting ballot and writes them in one transaction with a fixed number of statements. Its \
             COMMIT does not wait for the disk. A separate stage syncs the write-ahead log with `fdatasync` \
             and only then answers the ballots of every batch committed before that sync, while the writer \
             already writes the next batches. One sync thus covers many ballots (group commit). A second \
             connection copies the log into the database file (checkpoint) every 100 ms, so the writer does \
             not stop for that either."
                .to_owned(),
        ]
        .join("\n")
    }

    fn targets(&self) -> String {
        let load = &self.load;
        let all_met = load.ballots_per_second() >= TARGET_BALLOTS_PER_SECOND
            && p99_ms(load) < TARGET_P99_MS
            && load.errors() == 0;
        format!(
            "Targets: at least {} acknowledged ballots per second with p99 under {TARGET_P99_MS:.0} ms and \
             no errors: {}.",
            thousands(TARGET_BALLOTS_PER_SECOND),
            met(all_met)
        )
    }
}

fn method() -> String {
    [
        "Method:",
        "",
        "- Ballots per second: 201 responses during the load divided by wrk's run time. A ballot is \
         acknowledged only after the write-ahead log holding its commit is synced to disk.",
        "- Latency: wrk's per-request time from sending the request to reading the whole response, over \
         all requests of the run.",
        "- Errors: responses other than 200 and 201, plus wrk's connect, read, write and time-out (10 s) \
         errors.",
        "- Count check: the script tracks unanswered ballots by id. After the load each of them is sent \
         once more, then the server is stopped, and `SELECT COUNT(*) FROM ballots` must equal the \
         acknowledged ballots.",
        "- The reference runs in the debug build of xtask, with SQLite compiled without optimisation, so \
         when syncs are fast it understates SQLite's rate.",
    ]
    .join("\n")
}

fn p99_ms(load: &Load) -> f64 {
    load.p99_us as f64 / 1000.0
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "missed"
    }
}

fn milliseconds(microseconds: u64) -> String {
    format!("{:.1} ms", microseconds as f64 / 1000.0)
}

fn count(value: u64) -> String {
    thousands(value as f64)
}

/// Formats a number as a whole number with commas between thousands.
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::durable_inserts::InsertRate;
    use super::*;

    fn run(stored: u64) -> Run {
        let rate = |inserts| InsertRate { inserts, elapsed: Duration::from_secs(3) };
        Run {
            date: "2026-12-04".to_owned(),
            machine: "test machine".to_owned(),
            wrk_version: "4.1.0".to_owned(),
            reference: Reference { sqlite_version: "3.46.0".to_owned(), full: rate(900), normal_then_sync: rate(1200) },
            cpu: Some(CpuShares { process: 0.45, others: 0.5, process_seconds: 13.5 }),
            load: Load {
                duration_us: 15_000_000,
                created: 165_000,
                p50_us: 4_000,
                p90_us: 8_000,
                p99_us: 20_000,
                max_us: 40_000,
                in_flight: vec!["{}".to_owned(); 64],
                ..Load::default()
            },
            resent: Resent { created: 2, replayed: 62, failed: 0 },
            stored,
        }
    }

    #[test]
    fn section_shows_results_and_targets() {
        let text = run(165_064).markdown();
        assert!(text.starts_with("## Poll ballots\n"), "{text}");
        assert!(text.contains("| acknowledged ballots per second | 11,000 | at least 10,000 (met) |"), "{text}");
        assert!(text.contains("| latency p99 | 20.0 ms | under 25 ms (met) |"), "{text}");
        assert!(text.contains("165,064 stored in the database: equal."), "{text}");
        assert!(text.contains("| 300 |"), "{text}");
        assert!(text.contains("the server used 45 % of the machine (82 µs of CPU per acknowledged ballot)"), "{text}");
        assert!(text.ends_with("no errors: met.\n"), "{text}");
    }

    #[test]
    fn count_mismatch_is_marked() {
        let text = run(165_000).markdown();
        assert!(text.contains("165,000 stored in the database: NOT EQUAL."), "{text}");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(999.4), "999");
        assert_eq!(thousands(10_000.0), "10,000");
        assert_eq!(thousands(1_234_567.0), "1,234,567");
    }
}
