//! The compressed copies that `pkg/` ships beside each file.
//!
//! `cargo xtask build` writes `NAME.gz` and `NAME.br` next to every
//! JavaScript, WebAssembly and CSS file, so a server sends them as they are
//! instead of compressing on each request: `ogkit serve` does, and so do
//! nginx (`gzip_static`, `brotli_static`) and Apache (`MultiViews` with type
//! maps). The `.gz` files are written by Zopfli: the gzip format that every
//! browser reads, about 5 % smaller than `gzip -9` and slow to write, which
//! a build can afford once.

use std::fs;
use std::io::Write;
use std::num::NonZeroU64;
use std::path::Path;

use anyhow::{Context, Result};

/// Suffixes of the compressed copies, which are not files of their own.
pub(crate) const SUFFIXES: [&str; 2] = [".gz", ".br"];

/// Returns whether `name` is a compressed copy of another file.
pub(crate) fn is_copy(name: &str) -> bool {
    SUFFIXES.iter().any(|suffix| name.ends_with(suffix))
}

/// Writes `FILE.gz` and `FILE.br` for every file in `dir` that is not itself
/// a copy, and removes copies whose file is gone.
pub(crate) fn write_copies(dir: &Path) -> Result<()> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        if entry.file_type().is_ok_and(|kind| kind.is_file()) {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    for name in &names {
        let path = dir.join(name);
        if is_copy(name) {
            let original = SUFFIXES.iter().find_map(|suffix| name.strip_suffix(suffix)).unwrap_or(name);
            if !names.iter().any(|other| other == original) {
                fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
            }
            continue;
        }
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        write(&dir.join(format!("{name}.gz")), &zopfli_gzip(&bytes)?)?;
        write(&dir.join(format!("{name}.br")), &brotli(&bytes)?)?;
    }
    Ok(())
}

/// Writes `FILE.gz` and `FILE.br` for one file, replacing older copies.
pub(crate) fn write_copies_of(path: &Path) -> Result<()> {
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let name = path.file_name().context("a file has a name")?.to_string_lossy();
    write(&path.with_file_name(format!("{name}.gz")), &zopfli_gzip(&bytes)?)?;
    write(&path.with_file_name(format!("{name}.br")), &brotli(&bytes)?)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// Compresses with Zopfli into the gzip format.
pub(crate) fn zopfli_gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut options = zopfli::Options::default();
    // Past 15 iterations the module shrinks by a few bytes per second of build.
    options.iteration_count = NonZeroU64::new(15).context("iteration count")?;
    let mut output = Vec::new();
    zopfli::compress(options, zopfli::Format::Gzip, bytes, &mut output).context("compressing with Zopfli")?;
    Ok(output)
}

/// Compresses like `gzip -9`.
pub(crate) fn gzip_best(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

/// Compresses like `brotli -q 11` (window 22).
pub(crate) fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut output = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut output, 4096, 11, 22);
        writer.write_all(bytes)?;
    }
    Ok(output)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn zopfli_output_is_gzip_that_inflates_to_the_input() {
        let input = "Personalausweis beantragen; Reisepass beantragen; ".repeat(200);
        let compressed = zopfli_gzip(input.as_bytes()).unwrap();
        let mut inflated = String::new();
        flate2::read::GzDecoder::new(&compressed[..]).read_to_string(&mut inflated).unwrap();
        assert_eq!(inflated, input);
        assert!(compressed.len() <= gzip_best(input.as_bytes()).unwrap().len());
    }

    #[test]
    fn copies_are_written_and_stale_ones_removed() {
        let dir = std::env::temp_dir().join(format!("ogkit-compress-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("a.js"), "export const a = 1;\n".repeat(50)).unwrap();
        fs::write(dir.join("gone.wasm.gz"), b"stale").unwrap();
        write_copies(&dir).unwrap();
        let mut names: Vec<_> =
            fs::read_dir(&dir).unwrap().map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(names, ["a.js", "a.js.br", "a.js.gz"]);
    }

    #[test]
    fn copies_are_recognised_by_suffix() {
        assert!(is_copy("ogkit_widgets_bg.wasm.gz"));
        assert!(is_copy("ogkit.css.br"));
        assert!(!is_copy("ogkit.js"));
    }
}
