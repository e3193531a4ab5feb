//! Online forms on the server: registered schemas, the submission API under
//! `/api/v1/forms`, the admin API under `/api/v1/admin/forms` and
//! `/api/v1/admin/submissions`, and the `ogkit form` commands.
//!
//! The schema model and the validation come from `ogkit_core::form`, so the
//! `<og-form>` widget and the server accept exactly the same data. This
//! module adds what needs a server: durable storage with reference numbers
//! (`OG-2026-000123`), replays by submission id, the origin allowlist, the
//! rate limit, the admin token, the export and the purge. Submitted values
//! are personal data: they go to the database and to the export, never to
//! the log. `docs/forms.md` describes the API and the operation.
//!
//! A form's id is not part of its schema. It is the file name without
//! `.json` for `ogkit form add` and `--forms-dir`, and the URL path for the
//! admin API.

mod admin;
mod cli;
mod error;
mod export;
mod reference;
mod retention;
mod routes;
mod store;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use axum::Router;
use ogkit_core::form::Schema;

use crate::guard::{admin_token_hash, RateLimiter, RejectionLog};
use crate::polls::PollArgs;
use crate::serve::{parse_allowed_origin, AllowedOrigin};

pub(crate) use cli::{run as run_command, FormCommand};
pub(crate) use store::{FormStore, SqliteFormStore};

/// Form settings of `ogkit serve`. The database file and the admin token
/// are the ones of the polls (`--data-dir`, `--database`,
/// `--admin-token-file`).
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct FormArgs {
    /// Directory of form schemas. At start-up every DIR/NAME.json is
    /// registered as the form NAME; a changed file becomes a new schema
    /// version. A file that cannot be used is skipped with an error in the
    /// log, unless --strict-forms is set.
    #[arg(long, value_name = "DIR")]
    pub(crate) forms_dir: Option<PathBuf>,

    /// Stop at start-up when a schema file in --forms-dir cannot be used,
    /// instead of skipping it with an error in the log.
    #[arg(long)]
    pub(crate) strict_forms: bool,

    /// Origin of another website whose pages may send form submissions,
    /// such as https://www.example-stadt.de. Repeat for several; "*"
    /// allows every origin. Pages of this server are always allowed.
    #[arg(long = "form-origin", value_name = "URL", value_parser = parse_allowed_origin)]
    pub(crate) form_origins: Vec<AllowedOrigin>,

    /// Form submissions per hour accepted from one client address (0: no
    /// limit). Behind a reverse proxy every client has the proxy's address,
    /// so raise the limit or set it to 0 there.
    #[arg(long, value_name = "COUNT", default_value_t = 60)]
    pub(crate) submission_rate_limit: u32,
}

/// Settings of the form API, resolved from [`FormArgs`].
#[derive(Clone, Debug, Default)]
pub(crate) struct FormConfig {
    pub(crate) form_origins: Vec<AllowedOrigin>,
    /// SHA-256 of the admin token; `None` disables the admin API.
    pub(crate) admin_token_hash: Option<[u8; 32]>,
    pub(crate) submission_rate_limit: u32,
}

/// State shared by the form handlers.
pub(crate) struct FormService<S> {
    pub(crate) store: S,
    pub(crate) config: FormConfig,
    pub(crate) limiter: RateLimiter,
    /// Throttle of the warnings for submissions that the origin check
    /// rejects.
    pub(crate) origin_rejections: RejectionLog,
}

impl<S: FormStore> FormService<S> {
    /// Creates the service.
    pub(crate) fn new(store: S, config: FormConfig) -> Arc<FormService<S>> {
        let limiter = RateLimiter::new(config.submission_rate_limit);
        let origin_rejections = RejectionLog::default();
        Arc::new(FormService { store, config, limiter, origin_rejections })
    }
}

/// Opens the database, registers the schemas of `--forms-dir` and returns
/// the form routes for `/api`.
pub(crate) async fn start(args: &FormArgs, polls: &PollArgs) -> anyhow::Result<Router> {
    let config = FormConfig {
        form_origins: args.form_origins.clone(),
        admin_token_hash: admin_token_hash(polls.admin_token_file.as_deref())?,
        submission_rate_limit: args.submission_rate_limit,
    };
    let path = polls.database.database_path();
    let store = SqliteFormStore::open(&path).await?;
    if let Some(dir) = &args.forms_dir {
        register_dir(&store, dir, args.strict_forms).await?;
    }
    tracing::info!(
        database = %path.display(),
        form_origins = config.form_origins.len(),
        admin_api = config.admin_token_hash.is_some(),
        submission_rate_limit = config.submission_rate_limit,
        "forms: database ready"
    );
    Ok(router(FormService::new(store, config)))
}

/// Routes below `/api`: the public form API and the admin API.
pub(crate) fn router<S: FormStore>(service: Arc<FormService<S>>) -> Router {
    routes::router(Arc::clone(&service)).merge(admin::router(service))
}

/// Returns true for a usable form id: 1 to 64 ASCII letters, digits, `-`
/// and `_`, so it fits a URL path and a file name unchanged.
pub(crate) fn is_valid_form_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

/// Describes why `id` is no valid form id, or returns `None` for a valid
/// one.
fn form_id_problem(id: &str) -> Option<String> {
    if is_valid_form_id(id) {
        return None;
    }
    if id.is_empty() {
        return Some("it is empty".to_owned());
    }
    let mut invalid: Vec<char> = Vec::new();
    for character in id.chars() {
        let allowed = character.is_ascii_alphanumeric() || character == '-' || character == '_';
        if !allowed && !invalid.contains(&character) {
            invalid.push(character);
        }
    }
    if invalid.is_empty() {
        return Some(format!("it has {} characters, more than 64", id.len()));
    }
    let listed: Vec<String> = invalid.iter().map(|character| format!("{character:?}")).collect();
    Some(format!("it contains {}", listed.join(", ")))
}

/// A schema file read from disk and checked, ready to register.
#[derive(Debug)]
pub(crate) struct SchemaFile {
    pub(crate) id: String,
    pub(crate) text: String,
}

/// Reads and checks a schema file; the form id is `id` or else the file
/// name without `.json`.
///
/// # Errors
///
/// Fails with a message naming the file when it cannot be read, its name is
/// no valid form id, or the schema cannot be used.
pub(crate) fn read_schema_file(path: &Path, id: Option<&str>) -> anyhow::Result<SchemaFile> {
    let id = match id {
        Some(id) => {
            if let Some(problem) = form_id_problem(id) {
                anyhow::bail!(
                    "--id {id:?} is invalid: {problem}; a form id has 1 to 64 characters, each an \
                     ASCII letter (a-z, A-Z), a digit, - or _, such as sperrmuell-2026"
                );
            }
            id.to_owned()
        }
        None => {
            let stem = path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
            if let Some(problem) = form_id_problem(&stem) {
                anyhow::bail!(
                    "{}: the file name gives the form id {stem:?}, which is invalid: {problem}; \
                     rename the file to 1 to 64 ASCII letters (a-z, A-Z), digits, - and _ before \
                     .json, such as sperrmuell.json (`ogkit form add` also takes the id from --id)",
                    path.display()
                );
            }
            stem
        }
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the schema file", path.display()))?;
    Schema::from_json(&text).map_err(|error| anyhow::anyhow!("{}: {error}", path.display()))?;
    Ok(SchemaFile { id, text })
}

/// Registers every `*.json` file of `dir`, in file name order.
///
/// A file that cannot be read or is no usable schema fails the whole call
/// when `strict` is set. Otherwise it is skipped with an `error` log line,
/// so that one broken file does not take the polls, the other forms and the
/// widget files offline. A form registered from an earlier version of the
/// skipped file keeps that version; a new form stays unknown.
async fn register_dir<S: FormStore>(store: &S, dir: &Path, strict: bool) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("--forms-dir {}: cannot read the directory", dir.display()))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("--forms-dir {}: cannot read the directory", dir.display()))?;
        let path = entry.path();
        if path.extension().is_some_and(|extension| extension == "json") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    if paths.is_empty() {
        tracing::warn!(dir = %dir.display(), "forms: --forms-dir has no *.json file");
    }
    for path in paths {
        let file = match read_schema_file(&path, None) {
            Ok(file) => file,
            Err(error) if strict => {
                return Err(error.context("--forms-dir (--strict-forms stops at the first unusable file)"));
            }
            Err(error) => {
                log_skipped_file(store, &path, &error).await;
                continue;
            }
        };
        let registration = store.register(&file.id, &file.text, store::now()).await?;
        tracing::info!(
            form_id = %file.id,
            version = registration.version(),
            change = registration.as_str(),
            "forms: schema registered"
        );
    }
    Ok(())
}

/// Logs a schema file of `--forms-dir` that [`register_dir`] skips, and
/// which version of the form, if any, is served instead.
async fn log_skipped_file<S: FormStore>(store: &S, path: &Path, error: &anyhow::Error) {
    let id = path.file_stem().and_then(|stem| stem.to_str()).unwrap_or_default();
    let registered = if is_valid_form_id(id) {
        store.form(id).await.ok().flatten().map(|form| form.version)
    } else {
        None
    };
    match registered {
        Some(version) => tracing::error!(
            file = %path.display(),
            form_id = id,
            served_version = version,
            "forms: schema file skipped, the form keeps its version registered earlier: {error:#}; \
             correct the file and restart, or start with --strict-forms to stop on such files"
        ),
        None => tracing::error!(
            file = %path.display(),
            "forms: schema file skipped, its form answers form_not_found: {error:#}; correct the \
             file and restart, or start with --strict-forms to stop on such files"
        ),
    }
}
