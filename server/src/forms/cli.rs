//! `ogkit form …`: staff commands that work on the database file directly,
//! also while `ogkit serve` runs on it (SQLite serialises the writers).

use std::path::PathBuf;

use anyhow::Context as _;
use ogkit_core::poll::Timestamp;

use crate::polls::DatabaseArgs;

use super::export::{self, ExportFormat};
use super::read_schema_file;
use super::retention::{parse_retention, Retention};
use super::store::{now, FormStore as _, SqliteFormStore};

#[derive(Debug, clap::Subcommand)]
pub(crate) enum FormCommand {
    /// Register a form schema (JSON). The form id is the file name without
    /// .json unless --id is given; a changed schema becomes a new version.
    Add {
        /// The schema file.
        #[arg(value_name = "SCHEMA.json")]
        file: PathBuf,
        /// Form id, used in the URL /api/v1/forms/ID (default: the file
        /// name without .json).
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// List the registered forms with their schema version and the number
    /// of stored submissions.
    List {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Print every submission of a form: CSV for spreadsheets (UTF-8 with
    /// byte order mark, ";" between cells) or JSON.
    Export {
        /// Id of the form.
        id: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Delete submissions older than a retention period, for data
    /// minimisation. Reference numbers are never given out again.
    Purge {
        /// Retention period: a whole number with d (days) or h (hours),
        /// such as 90d or 12h.
        #[arg(long, value_name = "PERIOD", value_parser = parse_retention)]
        older_than: Retention,
        /// Purge only this form (default: every form).
        #[arg(long, value_name = "ID")]
        form: Option<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// Runs one `ogkit form` command.
pub(crate) fn run(command: FormCommand) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("failed to start the async runtime")?;
    runtime.block_on(run_async(command))
}

pub(super) async fn run_async(command: FormCommand) -> anyhow::Result<()> {
    match command {
        FormCommand::Add { file, id, database } => {
            let schema = read_schema_file(&file, id.as_deref())?;
            let store = SqliteFormStore::open(&database.database_path()).await?;
            let registration = store.register(&schema.id, &schema.text, now()).await?;
            crate::stdout::print(&format!(
                "form {}: {} (schema version {})\n",
                schema.id,
                registration.as_str(),
                registration.version()
            ))?;
        }
        FormCommand::List { database } => {
            let store = SqliteFormStore::open(&database.database_path()).await?;
            let forms = store.forms().await?;
            let mut text = String::new();
            if forms.is_empty() {
                text.push_str("no forms registered; add one with `ogkit form add SCHEMA.json`\n");
            }
            for form in forms {
                text.push_str(&format!(
                    "{}\tversion {}\t{} submission(s)\tupdated {}\n",
                    form.id, form.version, form.submissions, form.updated_at
                ));
            }
            crate::stdout::print(&text)?;
        }
        FormCommand::Export { id, format, output, database } => {
            let store = SqliteFormStore::open(&database.database_path()).await?;
            let Some(form) = store.form(&id).await? else {
                anyhow::bail!(
                    "form {id} not found in {}; `ogkit form list` shows the registered forms",
                    database.database_path().display()
                );
            };
            let submissions = store.submissions(&id).await?;
            let (text, _) = export::render(&form, &submissions, format, now())?;
            match output {
                Some(path) => std::fs::write(&path, text)
                    .with_context(|| format!("{}: cannot write the export", path.display()))?,
                None => crate::stdout::print(&text).context("cannot write the export")?,
            }
        }
        FormCommand::Purge { older_than, form, database } => {
            let store = SqliteFormStore::open(&database.database_path()).await?;
            if let Some(id) = &form {
                anyhow::ensure!(
                    store.form(id).await?.is_some(),
                    "form {id} not found in {}; `ogkit form list` shows the registered forms",
                    database.database_path().display()
                );
            }
            let cutoff = Timestamp(now().as_unix_seconds() - older_than.as_seconds());
            let deleted = store.purge(cutoff, form.as_deref()).await?;
            let scope = form.map_or_else(|| "all forms".to_owned(), |id| format!("form {id}"));
            crate::stdout::print(&format!("{deleted} submission(s) of {scope} received before {cutoff} deleted\n"))?;
        }
    }
    Ok(())
}
