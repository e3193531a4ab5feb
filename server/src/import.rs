//! `ogkit import services`: converts a DLDB export or an OZG/LeiKa CSV file
//! into an ogkit catalogue and prints what was imported, skipped and changed.
//!
//! The conversion itself lives in `ogkit_core::import`. This module reads
//! and writes the files, applies the command-line overrides for title and
//! source, and formats the report for a terminal.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use ogkit_core::catalogue::{Catalogue, Source};
use ogkit_core::import::{self, Import, ImportError, Issue, Options, Report};

/// Number of issues of one kind that the summary lists before "… and N more".
const LISTED_PER_REASON: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SourceFormat {
    /// DLDB JSON, as exported by Munich's and Berlin's service databases.
    Dldb,
    /// The OZG/LeiKa catalogue as CSV (the joined catalogue or the LeiKa table).
    LeikaCsv,
}

impl SourceFormat {
    fn label(self) -> &'static str {
        match self {
            SourceFormat::Dldb => "DLDB JSON",
            SourceFormat::LeikaCsv => "OZG/LeiKa CSV",
        }
    }
}

/// Arguments of `ogkit import services`.
#[derive(Debug, clap::Args)]
pub(crate) struct ServicesArgs {
    /// Format of INPUT.
    #[arg(long = "from", value_enum)]
    pub(crate) from: SourceFormat,
    /// The catalogue file to read.
    pub(crate) input: PathBuf,
    /// Output file for the ogkit catalogue JSON, replaced if it exists.
    #[arg(short = 'o', long = "output")]
    pub(crate) output: PathBuf,
    /// Catalogue title shown above the search [default: set by the data, e.g. for Munich].
    #[arg(long)]
    pub(crate) title: Option<String>,
    /// Publisher of the data, shown as attribution [default: set by the data].
    #[arg(long, value_name = "NAME")]
    pub(crate) source_name: Option<String>,
    /// Web page of the data's origin, an http(s) URL.
    #[arg(long, value_name = "URL")]
    pub(crate) source_url: Option<String>,
    /// Licence of the data, as an SPDX id or name, e.g. "EUPL-1.2" or "dl-de/by-2-0".
    #[arg(long)]
    pub(crate) licence: Option<String>,
    /// Web page of the licence text, an http(s) URL.
    #[arg(long, value_name = "URL")]
    pub(crate) licence_url: Option<String>,
    /// Absolute http(s) URL against which relative links in descriptions are
    /// resolved; without it, such links keep only their text.
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// Indent the JSON output for reading; the file grows by about half.
    #[arg(long)]
    pub(crate) pretty: bool,
    /// List every skipped record and every warning, not only the first few of each kind.
    #[arg(short, long)]
    pub(crate) verbose: bool,
}

/// Runs `ogkit import services`.
pub(crate) fn run(args: &ServicesArgs) -> anyhow::Result<()> {
    let bytes = fs::read(&args.input).with_context(|| format!("cannot read {}", args.input.display()))?;
    let options = Options { base_url: args.base_url.clone() };
    let result = match args.from {
        SourceFormat::Dldb => import::dldb::read_with(&bytes, &options),
        SourceFormat::LeikaCsv => import::leika_csv::read_with(&bytes, &options),
    };
    let Import { mut catalogue, report } = match result {
        Ok(import) => import,
        Err(error) => bail!("{}: {error}{}", args.input.display(), format_hint(args.from, &error, &bytes)),
    };
    apply_overrides(&mut catalogue, args)?;

    eprint!("{}", summary(&args.input, args.from, &report, args.verbose));
    if report.imported == 0 {
        bail!("{}: no service could be imported, so {} was not written", args.input.display(), args.output.display());
    }
    if catalogue.source.is_none() {
        eprintln!("note: the catalogue names no source; set --source-name and --licence for the attribution");
    }

    let json = to_json(&catalogue, args.pretty)?;
    write_atomically(&args.output, &json)?;
    eprintln!("wrote {} ({})", args.output.display(), format_size(json.len()));
    Ok(())
}

/// Returns a hint for the usual cause of an error, the wrong `--from`.
fn format_hint(from: SourceFormat, error: &ImportError, bytes: &[u8]) -> &'static str {
    let starts_like_json =
        bytes.iter().find(|byte| !byte.is_ascii_whitespace()).is_some_and(|&byte| byte == b'{' || byte == b'[');
    match (from, error) {
        (SourceFormat::LeikaCsv, ImportError::JsonNotCsv { .. }) => " (use --from dldb for a DLDB export)",
        (SourceFormat::Dldb, ImportError::InvalidJson { .. }) if !starts_like_json => {
            " (use --from leika-csv for a CSV file)"
        }
        _ => "",
    }
}

/// Sets the title and source fields given on the command line.
fn apply_overrides(catalogue: &mut Catalogue, args: &ServicesArgs) -> anyhow::Result<()> {
    if let Some(title) = &args.title {
        catalogue.title = Some(title.trim().to_owned()).filter(|title| !title.is_empty());
    }
    let check = |option: &str, value: &Option<String>| -> anyhow::Result<Option<String>> {
        match value {
            Some(raw) => match import::check_url(raw) {
                Ok(url) => Ok(Some(url)),
                Err(problem) => bail!("--{option}: {problem}"),
            },
            None => Ok(None),
        }
    };
    let source_url = check("source-url", &args.source_url)?;
    let licence_url = check("licence-url", &args.licence_url)?;

    let overrides = [&args.source_name, &source_url, &args.licence, &licence_url];
    if overrides.iter().all(|value| value.is_none()) {
        return Ok(());
    }

    let source = catalogue.source.get_or_insert_with(Source::default);
    let text = |value: &Option<String>| value.as_ref().map(|text| text.trim().to_owned());
    if args.source_name.is_some() {
        source.name = text(&args.source_name);
    }
    if source_url.is_some() {
        source.url = source_url;
    }
    if args.licence.is_some() {
        source.licence = text(&args.licence);
    }
    if licence_url.is_some() {
        source.licence_url = licence_url;
    }
    Ok(())
}

/// Serialises the catalogue. Field order comes from the types and service
/// order from the input, so the same input always gives the same bytes.
fn to_json(catalogue: &Catalogue, pretty: bool) -> anyhow::Result<Vec<u8>> {
    let mut json = if pretty { serde_json::to_vec_pretty(catalogue) } else { serde_json::to_vec(catalogue) }
        .context("cannot serialise the catalogue")?;
    json.push(b'\n');
    Ok(json)
}

/// Writes `bytes` to a temporary file beside `path` and renames it, so a
/// failed run never leaves a half-written catalogue behind. Missing parent
/// folders are created, so `-o daten/NAME.json` works in a fresh folder.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder {} for {}", parent.display(), path.display()))?;
    }
    let file_name = path.file_name().with_context(|| format!("{}: not a file name", path.display()))?;
    let mut temporary_name = file_name.to_os_string();
    temporary_name.push(".tmp");
    let temporary = path.with_file_name(temporary_name);
    let written = fs::File::create(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(error) = written.and_then(|()| fs::rename(&temporary, path)) {
        let _ = fs::remove_file(&temporary);
        return Err(error).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}

/// Formats the report: counts, then skipped records and warnings grouped
/// by reason with the first few positions of each.
fn summary(input: &Path, from: SourceFormat, report: &Report, verbose: bool) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "read {} records from {} ({})", report.read, input.display(), from.label());
    let _ = writeln!(text, "imported {}, skipped {}", report.imported, report.skipped.len());
    write_group(&mut text, "skipped", &report.skipped, verbose);
    write_group(&mut text, "warnings", &report.warnings, verbose);
    text
}

fn write_group(text: &mut String, title: &str, issues: &[Issue], verbose: bool) {
    if issues.is_empty() {
        return;
    }
    let _ = writeln!(text, "{title} ({}):", issues.len());
    for (reason, members) in Report::group_by_reason(issues) {
        let _ = writeln!(text, "  {reason}: {}", members.len());
        let listed = if verbose { members.len() } else { LISTED_PER_REASON };
        for issue in members.iter().take(listed) {
            let _ = writeln!(text, "    {issue}");
        }
        if members.len() > listed {
            let _ = writeln!(text, "    … and {} more (--verbose lists all)", members.len() - listed);
        }
    }
}

fn format_size(bytes: usize) -> String {
    if bytes < 10_000 {
        format!("{bytes} bytes")
    } else {
        format!("{} KB", (bytes + 500) / 1000)
    }
}
