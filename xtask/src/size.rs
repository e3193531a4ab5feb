//! `cargo xtask size`: the transfer size of every file in `pkg/`.
//!
//! Prints raw, gzip (level 9, as `gzip -9`) and brotli (quality 11, window
//! 22, as `brotli -q 11`) sizes per file and in total, and fails when the
//! gzip total exceeds the budget that a city page can afford.

use std::fs;
use std::io::Write;

use anyhow::{bail, Context, Result};

use crate::setup::workspace_root;

/// Maximum gzip size of the whole of `pkg/`: JavaScript, WebAssembly and CSS.
const BUDGET_GZIP_BYTES: u64 = 120 * 1024;

pub(crate) fn run(args: &[String]) -> Result<()> {
    if let Some(extra) = args.first() {
        bail!("unexpected argument {extra:?}; usage: cargo xtask size");
    }
    let pkg = workspace_root().join("pkg");
    let mut entries: Vec<_> = fs::read_dir(&pkg)
        .with_context(|| format!("reading {}; run cargo xtask build first", pkg.display()))?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
        .collect();
    entries.sort_by_key(|entry| entry.file_name());

    println!("{:<28} {:>10} {:>10} {:>10}", "file (pkg/)", "raw", "gzip -9", "brotli 11");
    let mut totals = [0u64; 3];
    for entry in entries {
        let bytes = fs::read(entry.path()).with_context(|| format!("reading {}", entry.path().display()))?;
        let sizes = [bytes.len() as u64, gzip_size(&bytes)?, brotli_size(&bytes)?];
        println!(
            "{:<28} {:>10} {:>10} {:>10}",
            entry.file_name().to_string_lossy(),
            kilobytes(sizes[0]),
            kilobytes(sizes[1]),
            kilobytes(sizes[2])
        );
        for (total, size) in totals.iter_mut().zip(sizes) {
            *total += size;
        }
    }
    println!("{:<28} {:>10} {:>10} {:>10}", "total", kilobytes(totals[0]), kilobytes(totals[1]), kilobytes(totals[2]));
    println!("(KB = 1024 bytes; budget: {} gzipped)", kilobytes(BUDGET_GZIP_BYTES));

    if totals[1] > BUDGET_GZIP_BYTES {
        bail!("pkg/ is {} gzipped, over the budget of {}", kilobytes(totals[1]), kilobytes(BUDGET_GZIP_BYTES));
    }
    Ok(())
}

fn kilobytes(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

fn gzip_size(bytes: &[u8]) -> Result<u64> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len() as u64)
}

fn brotli_size(bytes: &[u8]) -> Result<u64> {
    let mut output = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut output, 4096, 11, 22);
        writer.write_all(bytes)?;
    }
    Ok(output.len() as u64)
}
