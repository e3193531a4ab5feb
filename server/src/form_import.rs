//! `ogkit form import-xdf`: converts a FIM XDatenfelder 2 Stammdatenschema
//! into an ogkit form schema and lists what could not be converted.
//!
//! The conversion lives in `ogkit_core::form::xdf`. This module reads and
//! writes the files, checks that the result loads as a form schema, and
//! prints the issues with their positions.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use ogkit_core::form::xdf;
use ogkit_core::form::Schema;

/// Arguments of `ogkit form import-xdf`.
#[derive(Debug, clap::Args)]
pub(crate) struct ImportXdfArgs {
    /// The XDatenfelder 2 file (xdatenfelder.stammdatenschema.0102) to read.
    #[arg(value_name = "FILE.xml")]
    pub(crate) input: PathBuf,
    /// Output file for the ogkit form schema, replaced if it exists.
    #[arg(short = 'o', long = "output", value_name = "SCHEMA.json")]
    pub(crate) output: PathBuf,
    /// A genericode code list (from the XRepository) whose values become the
    /// choices of select fields that refer to it. Repeat for several lists.
    #[arg(long = "codelist", value_name = "FILE.xml")]
    pub(crate) code_lists: Vec<PathBuf>,
    /// Exit with an error, and write nothing, when anything could not be
    /// converted.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Form title to use instead of the Stammdatenschema's
    /// `bezeichnungEingabe`, which citizens see as the form's heading.
    #[arg(long, value_name = "TEXT")]
    pub(crate) title: Option<String>,
}

/// Runs `ogkit form import-xdf`.
pub(crate) fn run(args: &ImportXdfArgs) -> anyhow::Result<()> {
    let input = args.input.display();
    let bytes = fs::read(&args.input).with_context(|| format!("cannot read {input}"))?;
    let text = utf8(&bytes, &args.input)?;
    let mut code_lists = Vec::new();
    for path in &args.code_lists {
        let list_bytes =
            fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let list_text = utf8(&list_bytes, path)?;
        match xdf::read_code_list(list_text) {
            Ok(list) => code_lists.push(list),
            Err(error) => bail!("{}: {error}", path.display()),
        }
    }
    let mut imported = match xdf::import_with(text, &code_lists) {
        Ok(imported) => imported,
        Err(error) => bail!("{input}: {error}"),
    };
    if let Some(title) = &args.title {
        let title = title.trim();
        if title.is_empty() {
            bail!("--title is empty; give the form title that citizens see, such as --title \"Angaben zur Person\"");
        }
        imported.set_title(title);
    }

    let json = imported.schema_json();
    let schema = Schema::from_json(&json).with_context(|| {
        format!("{input}: the converted schema does not load, which is a bug in the import")
    })?;

    let fields = count_fields(&schema);
    eprintln!(
        "read {input}: \"{}\", {fields} {}",
        schema.title,
        if fields == 1 { "field" } else { "fields" }
    );
    if imported.issues.is_empty() {
        eprintln!("everything was converted");
    } else {
        eprintln!("not converted ({}):", imported.issues.len());
        for issue in &imported.issues {
            eprintln!(
                "  {input}:{}:{}: {}: {}",
                issue.line, issue.column, issue.element, issue.reason
            );
        }
        if args.strict {
            bail!(
                "{input}: {} parts could not be converted, so {} was not written (--strict)",
                imported.issues.len(),
                args.output.display()
            );
        }
    }

    write_atomically(&args.output, json.as_bytes())?;
    eprintln!("wrote {}", args.output.display());
    Ok(())
}

/// Returns the text of an XML file without a byte order mark.
fn utf8<'a>(bytes: &'a [u8], path: &Path) -> anyhow::Result<&'a str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(_) => bail!(
            "{}: the file is not UTF-8; XDatenfelder and genericode files are UTF-8, so convert it first (for example with iconv -f ISO-8859-15 -t UTF-8)",
            path.display()
        ),
    }
}

/// Counts the fields of a schema, those inside groups included.
fn count_fields(schema: &Schema) -> usize {
    fn count(fields: &[ogkit_core::form::Field]) -> usize {
        fields
            .iter()
            .map(|field| field.children().map_or(1, count))
            .sum()
    }
    count(&schema.fields)
}

/// Writes `bytes` to a temporary file beside `path` and renames it, so a
/// failed run never leaves a half-written schema behind. Missing parent
/// folders are created, so `-o daten/NAME.json` works in a fresh folder.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder {} for {}", parent.display(), path.display()))?;
    }
    let file_name = path
        .file_name()
        .with_context(|| format!("{}: not a file name", path.display()))?;
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
