//! `cargo xtask bench [search|poll|table]`: the benchmarks. Each one writes only
//! its own section of BENCHMARKS.md ([`report`]), so they run in any order.

mod durable_inserts;
mod machine;
mod poll;
mod poll_report;
mod report;
mod search;
mod table;

use anyhow::{bail, Result};

pub(crate) const USAGE: &str = "usage: cargo xtask bench [search|poll|table]

Runs the named benchmark, or without a name all three in this order. Each one
writes only its own section of BENCHMARKS.md.";

pub(crate) fn run(args: &[String]) -> Result<()> {
    match args {
        [] => {
            search::run()?;
            poll::run()?;
            table::run()
        }
        [name] if name == "search" => search::run(),
        [name] if name == "poll" => poll::run(),
        [name] if name == "table" => table::run(),
        [other, ..] => bail!("unknown benchmark {other:?}\n\n{USAGE}"),
    }
}
