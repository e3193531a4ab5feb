//! `cargo xtask bench [search|poll]`: the benchmarks. Each one writes only
//! its own section of BENCHMARKS.md ([`report`]), so they run in any order.

mod durable_inserts;
mod machine;
mod poll;
mod poll_report;
mod report;
mod search;

use anyhow::{bail, Result};

const USAGE: &str = "usage: cargo xtask bench [search|poll]   (no name: both, search first)";

pub(crate) fn run(args: &[String]) -> Result<()> {
    match args {
        [] => {
            search::run()?;
            poll::run()
        }
        [name] if name == "search" => search::run(),
        [name] if name == "poll" => poll::run(),
        [other, ..] => bail!("unknown benchmark {other:?}\n{USAGE}"),
    }
}
