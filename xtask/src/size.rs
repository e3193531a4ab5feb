//! `cargo xtask size`: the transfer size of every file in `pkg/`.
//!
//! Prints, per file and in total, the raw size, the size after `gzip -9`,
//! the size of the `.gz` copy that `pkg/` ships (written by Zopfli, see
//! `compress`) and the size of the shipped `.br` copy (brotli quality 11).
//! The shipped copy is what a browser that reads no brotli receives from
//! `ogkit serve` or from a server set up as the docs describe; a server that
//! compresses on the fly sends about the `gzip -9` column.
//!
//! With `--widgets LIST` it first builds a kit with only those elements into
//! `target/size/` (as `cargo xtask build --widgets LIST` would build `pkg/`)
//! and measures that. A kit that has a budget fails when its shipped gzip
//! total exceeds it: the service search alone, what a city page with a
//! search downloads, may ship at most 120 KB.

use std::fs;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::compress;
use crate::setup::workspace_root;

/// Kits with a budget: their elements, and the most their JavaScript,
/// WebAssembly and CSS may ship in gzip format.
const BUDGETS: &[(&[&str], u64)] = &[(&["og-service-search"], 120 * 1024)];

pub(crate) const USAGE: &str = "usage: cargo xtask size [--widgets ELEMENTS]

Prints the raw size, the gzip -9 size and the size of the shipped .gz and .br
copies of every file in pkg/, and the totals.

  --widgets ELEMENTS  first build a kit with only these comma-separated elements
                      into target/size/ (as `cargo xtask build --widgets` does)
                      and measure that. The kit of og-service-search alone
                      fails when it ships more than 120 KB gzipped.";

pub(crate) fn run(args: &[String]) -> Result<()> {
    let root = workspace_root();
    let (pkg, budget) = match args {
        [] => (root.join("pkg"), None),
        [flag, list] if flag == "--widgets" => {
            let widgets = crate::build::parse_widgets(list)?;
            let kit = root.join("target/size").join(widgets.join("+"));
            crate::setup::run(&[])?;
            crate::build::build_into(&root, &kit, Some(&widgets))?;
            let budget = BUDGETS.iter().find(|(elements, _)| *elements == widgets.as_slice()).map(|(_, bytes)| *bytes);
            (kit, budget)
        }
        [extra, ..] => bail!("unexpected argument {extra:?}\n\n{USAGE}"),
    };
    measure(&pkg, budget)
}

/// Prints the sizes of the files in `pkg` and checks them against `budget`.
fn measure(pkg: &Path, budget: Option<u64>) -> Result<()> {
    let pkg = pkg.to_path_buf();
    let mut names: Vec<String> = fs::read_dir(&pkg)
        .with_context(|| format!("reading {}; run cargo xtask build first", pkg.display()))?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !compress::is_copy(name))
        .filter(|name| !crate::npm::METADATA_FILES.contains(&name.as_str()))
        .collect();
    names.sort();

    println!("{:<28} {:>10} {:>10} {:>10} {:>10}", "file", "raw", "gzip -9", "shipped gz", "shipped br");
    let mut totals = [0u64; 4];
    for name in &names {
        let sizes = sizes(&pkg, name)?;
        println!(
            "{:<28} {:>10} {:>10} {:>10} {:>10}",
            name,
            kilobytes(sizes[0]),
            kilobytes(sizes[1]),
            kilobytes(sizes[2]),
            kilobytes(sizes[3])
        );
        for (total, size) in totals.iter_mut().zip(sizes) {
            *total += size;
        }
    }
    println!(
        "{:<28} {:>10} {:>10} {:>10} {:>10}",
        "total",
        kilobytes(totals[0]),
        kilobytes(totals[1]),
        kilobytes(totals[2]),
        kilobytes(totals[3])
    );
    let root = workspace_root();
    let shown = pkg.strip_prefix(&root).unwrap_or(&pkg).display().to_string();
    println!("(KB = 1024 bytes; {shown})");
    match budget {
        Some(budget) if totals[2] > budget => {
            bail!("{shown} ships {} gzipped, over the budget of {}", kilobytes(totals[2]), kilobytes(budget))
        }
        Some(budget) => println!("within the budget of {} as shipped in gzip format", kilobytes(budget)),
        None => println!("no budget for this kit; `cargo xtask size --widgets og-service-search` checks the search kit"),
    }
    Ok(())
}

/// Raw, `gzip -9`, shipped `.gz` and shipped `.br` size of `name` in `pkg`.
fn sizes(pkg: &Path, name: &str) -> Result<[u64; 4]> {
    let path = pkg.join(name);
    let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    let shipped = |suffix: &str| -> Result<u64> {
        let copy = pkg.join(format!("{name}{suffix}"));
        let metadata = fs::metadata(&copy)
            .with_context(|| format!("{} is missing; run cargo xtask build", copy.display()))?;
        Ok(metadata.len())
    };
    Ok([bytes.len() as u64, compress::gzip_best(&bytes)?.len() as u64, shipped(".gz")?, shipped(".br")?])
}

fn kilobytes(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
