//! `ogkit import services` (in progress).
use std::path::Path;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum SourceFormat {
    /// DLDB JSON, as exported by Munich's and Berlin's service databases.
    Dldb,
    /// The OZG/LeiKa catalogue as CSV.
    LeikaCsv,
}

pub(crate) fn run(_from: SourceFormat, _input: &Path, _output: &Path) -> anyhow::Result<()> {
    anyhow::bail!("not built yet")
}
