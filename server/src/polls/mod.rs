//! Participation polls on the server: storage, the JSON API under
//! `/api/v1/polls` and `/api/v1/admin/polls`, and the `ogkit poll` commands.
//!
//! The poll model, ballot checks and the tally come from
//! `ogkit_core::poll`, so the widget and the server check ballots with the
//! same code. This module adds what needs a server: one ballot per voter
//! token or invitation code (enforced by the database), durable storage,
//! the origin allowlist, the rate limit and the admin token. `docs/polls.md`
//! describes the API and the operation.

mod admin;
mod checkpoint;
mod cli;
mod definition;
mod error;
mod export;
mod guard;
mod routes;
mod store;
mod tally_hub;
#[cfg(test)]
mod tests;
mod wal_sync;
mod writer;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;

use crate::guard::{admin_token_hash, RateLimiter, RejectionLog};
use crate::serve::{parse_allowed_origin, AllowedOrigin};

pub(crate) use cli::{run as run_command, PollCommand};
pub(crate) use store::{PollStore, SqliteStore};
pub(crate) use tally_hub::TallyHub;

#[cfg(test)]
use crate::guard::hash_token;

/// Location of the database of polls and forms.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct DatabaseArgs {
    /// Directory for the server's data; the database of polls and forms
    /// is DIR/ogkit.sqlite unless --database is given.
    #[arg(long, value_name = "DIR", default_value = "ogkit-data")]
    pub(crate) data_dir: PathBuf,

    /// Path of the SQLite database file of polls and forms (created when
    /// missing).
    #[arg(long, value_name = "FILE")]
    pub(crate) database: Option<PathBuf>,
}

impl DatabaseArgs {
    /// Returns the database file to open.
    pub(crate) fn database_path(&self) -> PathBuf {
        self.database.clone().unwrap_or_else(|| self.data_dir.join("ogkit.sqlite"))
    }
}

/// Poll settings of `ogkit serve`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct PollArgs {
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,

    /// Origin of another website whose pages may send ballots, such as
    /// https://www.example-stadt.de. Repeat for several; "*" allows every
    /// origin. Pages of this server are always allowed.
    #[arg(long = "ballot-origin", value_name = "URL", value_parser = parse_allowed_origin)]
    pub(crate) ballot_origins: Vec<AllowedOrigin>,

    /// File whose first line is the bearer token of the admin API
    /// (at least 16 characters). Alternatively set OGKIT_ADMIN_TOKEN.
    /// Without either, the admin API returns 401 to every request.
    #[arg(long, value_name = "FILE")]
    pub(crate) admin_token_file: Option<PathBuf>,

    /// Ballots per hour accepted from one client address in open polls
    /// (0: no limit). Behind a reverse proxy every client has the proxy's
    /// address, so raise the limit or set it to 0 there.
    #[arg(long, value_name = "COUNT", default_value_t = 300)]
    pub(crate) ballot_rate_limit: u32,
}

/// Settings of the poll API, resolved from [`PollArgs`].
#[derive(Clone, Debug, Default)]
pub(crate) struct PollConfig {
    pub(crate) ballot_origins: Vec<AllowedOrigin>,
    /// SHA-256 of the admin token; `None` disables the admin API.
    pub(crate) admin_token_hash: Option<[u8; 32]>,
    pub(crate) ballot_rate_limit: u32,
}

impl PollConfig {
    /// Resolves the admin token from the file or the environment.
    pub(crate) fn from_args(args: &PollArgs) -> anyhow::Result<PollConfig> {
        Ok(PollConfig {
            ballot_origins: args.ballot_origins.clone(),
            admin_token_hash: admin_token_hash(args.admin_token_file.as_deref())?,
            ballot_rate_limit: args.ballot_rate_limit,
        })
    }
}

/// State shared by the poll handlers.
pub(crate) struct PollService<S> {
    pub(crate) store: S,
    pub(crate) hub: Arc<TallyHub>,
    pub(crate) config: PollConfig,
    pub(crate) limiter: RateLimiter,
    /// Throttle of the warnings for ballots that the origin check rejects.
    pub(crate) origin_rejections: RejectionLog,
    /// Set to true at shutdown, which ends every result stream.
    pub(crate) stop_streams: tokio::sync::watch::Sender<bool>,
}

impl<S: PollStore> PollService<S> {
    /// Creates the service; `hub` must be the one the store reports to.
    pub(crate) fn new(store: S, hub: Arc<TallyHub>, config: PollConfig) -> Arc<PollService<S>> {
        let limiter = RateLimiter::new(config.ballot_rate_limit);
        let (stop_streams, _) = tokio::sync::watch::channel(false);
        let origin_rejections = RejectionLog::default();
        Arc::new(PollService { store, hub, config, limiter, origin_rejections, stop_streams })
    }
}

/// Handle of the running poll service, for the shutdown.
pub(crate) struct PollsHandle(Arc<PollService<SqliteStore>>);

impl PollsHandle {
    /// Ends every open result stream. A stream is a response that never
    /// completes, so without this a graceful shutdown would wait for the
    /// drain timeout whenever a results page is open.
    pub(crate) fn stop_streams(&self) {
        self.0.stop_streams.send_replace(true);
    }
}

/// Opens the database and returns the poll routes for `/api`.
pub(crate) async fn start(args: &PollArgs) -> anyhow::Result<(Router, PollsHandle)> {
    let config = PollConfig::from_args(args)?;
    let path = args.database.database_path();
    let hub = Arc::new(TallyHub::default());
    let store = SqliteStore::open(&path, Arc::clone(&hub)).await?;
    tracing::info!(
        database = %path.display(),
        ballot_origins = config.ballot_origins.len(),
        admin_api = config.admin_token_hash.is_some(),
        ballot_rate_limit = config.ballot_rate_limit,
        "polls: database ready"
    );
    let service = PollService::new(store, hub, config);
    Ok((router(Arc::clone(&service)), PollsHandle(service)))
}

/// Routes below `/api`: the public poll API, the admin API and the
/// OpenAPI document.
pub(crate) fn router<S: PollStore>(service: Arc<PollService<S>>) -> Router {
    routes::router(Arc::clone(&service)).merge(admin::router(service))
}
