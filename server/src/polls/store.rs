//! Poll storage: the [`PollStore`] interface and its SQLite implementation.
//!
//! Durability: the database runs in WAL mode. Polls and codes are written
//! with `synchronous=FULL`, so a transaction is on disk when COMMIT returns,
//! also across a power loss. Ballots go through one writer task
//! ([`super::writer`]) that writes every waiting ballot in one transaction
//! and responds to each request only after the write-ahead log with that
//! commit is synced to disk ([`super::wal_sync`]).
//!
//! One ballot per voter and idempotent ballot ids are enforced by the
//! UNIQUE constraints of the `ballots` table. The writer first looks up the
//! clients' ballot ids only to find the receipts of resent ballots. The
//! insert itself uses `ON CONFLICT DO NOTHING`, so a second ballot of the
//! same voter is rejected by the database even if another process writes too.

use std::collections::HashMap;
use std::future::Future;
use std::path::Path;
use std::str::FromStr as _;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use ogkit_core::poll::{Ballot, Participation, Poll, PollPhase, Timestamp};
use serde::Serialize;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{Connection as _, Row as _};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::checkpoint;
use super::tally_hub::TallyHub;
use super::wal_sync::WalFile;
use super::writer::{self, WriteRequest, MAX_BATCH};

/// Page cache of the ballot writer's connection, in KiB as SQLite's
/// `cache_size` takes it when negative. The default of 2 MiB no longer holds
/// the index of voter keys after about 100,000 ballots, and each cache miss
/// is a read from the operating system.
const WRITER_CACHE_SIZE: &str = "-32768";

/// Maximum age of a poll in the cache of [`PollStore::recent_poll`].
/// A close by another process, such as `ogkit poll close`, reaches the
/// ballot route at most this much later; the writer sees it at once.
const RECENT_POLL_TTL: Duration = Duration::from_secs(1);

/// How long a connection waits for another writer's lock (such as an
/// `ogkit poll` command running next to the server) before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A poll as stored, with its state.
#[derive(Debug, Clone)]
pub(crate) struct StoredPoll {
    pub(crate) poll: Poll,
    /// Set when staff closed the poll.
    pub(crate) closed_at: Option<Timestamp>,
}

impl StoredPoll {
    /// Returns the phase of the poll at `now`.
    pub(crate) fn phase(&self, now: Timestamp) -> PollPhase {
        self.poll.phase(now, self.closed_at.is_some())
    }
}

/// A checked ballot on its way to the database.
#[derive(Debug, Clone)]
pub(crate) struct NewBallot {
    pub(crate) poll_id: String,
    pub(crate) ballot_id: Uuid,
    /// Hash of the voter token or of the invitation code.
    pub(crate) voter_key: [u8; 32],
    pub(crate) participation: Participation,
    pub(crate) ballot: Ballot,
}

/// Proof that a ballot is stored; a resent ballot gets the same receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Receipt {
    pub(crate) poll_id: String,
    pub(crate) ballot_id: Uuid,
    pub(crate) accepted_at: Timestamp,
}

/// Outcome of a submitted ballot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SubmitOutcome {
    /// Stored now.
    Accepted(Receipt),
    /// Stored earlier under the same ballot id and voter.
    Replayed(Receipt),
    /// This voter token or invitation code has a ballot already.
    AlreadyVoted,
    /// The ballot id belongs to another voter's ballot.
    BallotIdConflict,
    PollNotFound,
    PollNotOpenYet,
    PollClosed,
    /// The invitation code was never issued for this poll.
    UnknownCode,
}

/// Counts of a poll read in one snapshot.
#[derive(Debug, Clone, Default)]
pub(crate) struct StoredCounts {
    pub(crate) participants: u64,
    /// Highest ballot sequence number included in the counts.
    pub(crate) last_seq: i64,
    /// Count per (question id, choice id).
    pub(crate) counts: HashMap<(String, String), u64>,
}

/// Failure of a store operation.
#[derive(Debug, thiserror::Error)]
pub(crate) enum StoreError {
    #[error("poll {0}: a poll with this id exists already")]
    PollExists(String),
    #[error("poll {0}: not found")]
    PollNotFound(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error("the ballot was not stored because its transaction failed: {0}")]
    WriteFailed(String),
    #[error("the ballot writer has stopped")]
    WriterStopped,
}

/// Storage of polls, ballots and invitation codes.
///
/// The SQLite implementation is [`SqliteStore`]; the schema is plain SQL
/// so that a PostgreSQL implementation can follow the same interface.
pub(crate) trait PollStore: Send + Sync + 'static {
    /// Stores a new, checked poll.
    fn create_poll(
        &self,
        poll: &Poll,
        now: Timestamp,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Returns the poll with this id.
    fn poll(&self, id: &str) -> impl Future<Output = Result<Option<StoredPoll>, StoreError>> + Send;

    /// Returns the poll with this id as read at most [`RECENT_POLL_TTL`]
    /// ago. Only for checks that the ballot writer repeats inside its
    /// transaction: a close by another process may not be visible yet.
    fn recent_poll(
        &self,
        id: &str,
    ) -> impl Future<Output = Result<Option<Arc<StoredPoll>>, StoreError>> + Send;

    /// Closes a poll now, unless it is closed already, and returns it.
    fn close_poll(
        &self,
        id: &str,
        now: Timestamp,
    ) -> impl Future<Output = Result<Option<StoredPoll>, StoreError>> + Send;

    /// Stores hashes of new invitation codes.
    fn add_codes(
        &self,
        poll_id: &str,
        code_hashes: &[[u8; 32]],
        now: Timestamp,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Stores a ballot durably and returns the outcome once committed.
    fn submit(
        &self,
        ballot: NewBallot,
    ) -> impl Future<Output = Result<SubmitOutcome, StoreError>> + Send;

    /// Returns true when a ballot with this id is stored for the poll.
    fn has_ballot(
        &self,
        poll_id: &str,
        ballot_id: Uuid,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Reads the counts of a poll in one consistent snapshot.
    fn counts(&self, poll_id: &str) -> impl Future<Output = Result<StoredCounts, StoreError>> + Send;
}

/// [`PollStore`] on one SQLite file.
#[derive(Clone)]
pub(crate) struct SqliteStore {
    pool: SqlitePool,
    writer: mpsc::Sender<WriteRequest>,
    recent_polls: Arc<RecentPolls>,
}

/// Parsed polls with the time they were read, for
/// [`PollStore::recent_poll`]. Holds only polls that exist, so it grows
/// with the number of polls, not with the requests.
#[derive(Default)]
struct RecentPolls {
    polls: RwLock<HashMap<String, (Instant, Arc<StoredPoll>)>>,
}

impl RecentPolls {
    fn get(&self, id: &str) -> Option<Arc<StoredPoll>> {
        let polls = self.polls.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (read_at, stored) = polls.get(id)?;
        (read_at.elapsed() < RECENT_POLL_TTL).then(|| Arc::clone(stored))
    }

    fn insert(&self, stored: StoredPoll) -> Arc<StoredPoll> {
        let stored = Arc::new(stored);
        let mut polls = self.polls.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        polls.insert(stored.poll.id.clone(), (Instant::now(), Arc::clone(&stored)));
        stored
    }

    fn remove(&self, id: &str) {
        let mut polls = self.polls.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        polls.remove(id);
    }
}

impl SqliteStore {
    /// Opens (or creates) the database at `path`, applies the migrations
    /// and starts the ballot writer. Committed ballots are reported to `hub`
    /// before their requests get a response.
    pub(crate) async fn open(path: &Path, hub: Arc<TallyHub>) -> anyhow::Result<SqliteStore> {
        if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).with_context(|| {
                format!("cannot create the data directory {}", parent.display())
            })?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")
            .context("invalid SQLite options")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.clone())
            .await
            .with_context(|| format!("cannot open the database {}", path.display()))?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .with_context(|| format!("cannot apply the migrations to {}", path.display()))?;

        // The ballot writer syncs the write-ahead log itself before it
        // acknowledges, so its COMMIT need not wait for the disk.
        // Temporary tables in memory: SQLite otherwise creates and deletes a
        // temporary file for the RETURNING rows of every batch.
        let writer_options = options
            .clone()
            .synchronous(SqliteSynchronous::Normal)
            .pragma("temp_store", "memory")
            .pragma("cache_size", WRITER_CACHE_SIZE)
            .pragma("wal_autocheckpoint", checkpoint::WRITER_AUTOCHECKPOINT_PAGES);
        let connection = SqliteConnection::connect_with(&writer_options)
            .await
            .with_context(|| format!("cannot open the database {}", path.display()))?;
        // SQLite puts the WAL beside the resolved database file, so a
        // symbolic link in `path` must be resolved the same way. The first
        // sync fails at start-up, not at the first ballot, when the WAL
        // cannot be synced.
        let resolved = std::fs::canonicalize(path)
            .with_context(|| format!("cannot resolve the database path {}", path.display()))?;
        let wal = WalFile::of_database(&resolved);
        wal.sync().context("cannot sync the write-ahead log of the poll database")?;
        let checkpoint_connection =
            SqliteConnection::connect_with(&options.clone().synchronous(SqliteSynchronous::Normal))
                .await
                .with_context(|| format!("cannot open the database {}", path.display()))?;
        let (commits, committed) = tokio::sync::watch::channel(0);
        tokio::spawn(checkpoint::run(checkpoint_connection, committed));
        let (writer, queue) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(writer::run(connection, queue, hub, wal, commits));
        Ok(SqliteStore { pool, writer, recent_polls: Arc::default() })
    }
}

impl PollStore for SqliteStore {
    async fn create_poll(&self, poll: &Poll, now: Timestamp) -> Result<(), StoreError> {
        let definition =
            serde_json::to_string(poll).map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let result = sqlx::query(
            "INSERT INTO polls (id, definition, opens_at, closes_at, created_at) \
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&poll.id)
        .bind(definition)
        .bind(poll.opens_at.as_unix_seconds())
        .bind(poll.closes_at.as_unix_seconds())
        .bind(now.as_unix_seconds())
        .execute(&self.pool)
        .await?;
        if result.rows_affected() == 0 {
            return Err(StoreError::PollExists(poll.id.clone()));
        }
        Ok(())
    }

    async fn poll(&self, id: &str) -> Result<Option<StoredPoll>, StoreError> {
        let row = sqlx::query("SELECT definition, closed_at FROM polls WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| stored_poll(&row)).transpose()
    }

    async fn recent_poll(&self, id: &str) -> Result<Option<Arc<StoredPoll>>, StoreError> {
        if let Some(stored) = self.recent_polls.get(id) {
            return Ok(Some(stored));
        }
        let stored = self.poll(id).await?;
        Ok(stored.map(|stored| self.recent_polls.insert(stored)))
    }

    async fn close_poll(&self, id: &str, now: Timestamp) -> Result<Option<StoredPoll>, StoreError> {
        sqlx::query("UPDATE polls SET closed_at = ? WHERE id = ? AND closed_at IS NULL")
            .bind(now.as_unix_seconds())
            .bind(id)
            .execute(&self.pool)
            .await?;
        self.recent_polls.remove(id);
        self.poll(id).await
    }

    async fn add_codes(
        &self,
        poll_id: &str,
        code_hashes: &[[u8; 32]],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut transaction = self.pool.begin().await?;
        let exists = sqlx::query("SELECT 1 FROM polls WHERE id = ?")
            .bind(poll_id)
            .fetch_optional(&mut *transaction)
            .await?;
        if exists.is_none() {
            return Err(StoreError::PollNotFound(poll_id.to_owned()));
        }
        for hash in code_hashes {
            sqlx::query("INSERT INTO invitation_codes (poll_id, code_hash, created_at) VALUES (?, ?, ?)")
                .bind(poll_id)
                .bind(hash.as_slice())
                .bind(now.as_unix_seconds())
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    async fn submit(&self, ballot: NewBallot) -> Result<SubmitOutcome, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.writer
            .send(WriteRequest { ballot, reply })
            .await
            .map_err(|_| StoreError::WriterStopped)?;
        answer.await.map_err(|_| StoreError::WriterStopped)?
    }

    async fn has_ballot(&self, poll_id: &str, ballot_id: Uuid) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT 1 FROM ballots WHERE poll_id = ? AND ballot_id = ?")
            .bind(poll_id)
            .bind(ballot_id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    async fn counts(&self, poll_id: &str) -> Result<StoredCounts, StoreError> {
        // One read transaction, so the counts and last_seq describe the same
        // snapshot even while the writer commits.
        let mut transaction = self.pool.begin().await?;
        let summary = sqlx::query(
            "SELECT COUNT(*) AS participants, COALESCE(MAX(seq), 0) AS last_seq \
             FROM ballots WHERE poll_id = ?",
        )
        .bind(poll_id)
        .fetch_one(&mut *transaction)
        .await?;
        let rows = sqlx::query(
            "SELECT question_id, choice_id, COUNT(*) AS count FROM ballot_selections \
             WHERE poll_id = ? GROUP BY question_id, choice_id",
        )
        .bind(poll_id)
        .fetch_all(&mut *transaction)
        .await?;
        transaction.commit().await?;

        let mut counts = HashMap::new();
        for row in rows {
            let count: i64 = row.try_get("count")?;
            counts.insert(
                (row.try_get("question_id")?, row.try_get("choice_id")?),
                u64::try_from(count).unwrap_or(0),
            );
        }
        let participants: i64 = summary.try_get("participants")?;
        Ok(StoredCounts {
            participants: u64::try_from(participants).unwrap_or(0),
            last_seq: summary.try_get("last_seq")?,
            counts,
        })
    }
}

fn stored_poll(row: &sqlx::sqlite::SqliteRow) -> Result<StoredPoll, StoreError> {
    let definition: String = row.try_get("definition")?;
    let poll: Poll = serde_json::from_str(&definition)
        .map_err(|error| StoreError::Corrupt(format!("poll definition: {error}")))?;
    let closed_at: Option<i64> = row.try_get("closed_at")?;
    Ok(StoredPoll { poll, closed_at: closed_at.map(Timestamp) })
}

/// Returns the current time in whole seconds.
pub(crate) fn now() -> Timestamp {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    Timestamp(i64::try_from(seconds).unwrap_or(i64::MAX))
}
