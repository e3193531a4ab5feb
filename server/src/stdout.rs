//! Output of the command-line tools on standard output.
//!
//! `println!` panics when standard output is closed or fails, for example
//! in `ogkit form list | head -1`. The commands write through [`print`]
//! instead, so such a failure ends the command with an error message.

use std::io::Write;

use anyhow::Context;

/// Writes `text` to standard output and flushes it.
///
/// # Errors
///
/// Fails when standard output is closed or cannot be written.
pub(crate) fn print(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .context("cannot write to standard output")
}
