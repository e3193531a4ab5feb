//! Poll storage: the [`PollStore`] interface and its SQLite implementation.
//!
//! Durability: the database runs in WAL mode with `synchronous=FULL`, so a
//! transaction is on disk when COMMIT returns, also across a power loss.
//! Ballots go through one writer task that takes every ballot waiting in
//! its queue (up to [`MAX_BATCH`]), writes them in one transaction and
//! responds to each request only after COMMIT has returned. Concurrent voters
//! thus share one fsync instead of paying one each (group commit), and an
//! acknowledged ballot is never lost.
//!
//! One ballot per voter and idempotent ballot ids are enforced by the
//! UNIQUE constraints of the `ballots` table. The writer first looks up the
//! client's ballot id only to find the receipt of a resent ballot; the insert
//! itself uses `ON CONFLICT DO NOTHING`, so a second ballot of the same
//! voter is rejected by the database even if another process writes too.

use std::collections::HashMap;
use std::future::Future;
use std::path::Path;
use std::str::FromStr as _;
use std::sync::Arc;
use std::time::Duration;

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

use super::tally_hub::{CommittedBallot, TallyHub};

/// Most ballots written in one transaction.
pub(crate) const MAX_BATCH: usize = 512;

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
}

struct WriteRequest {
    ballot: NewBallot,
    reply: oneshot::Sender<Result<SubmitOutcome, StoreError>>,
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

        let connection = SqliteConnection::connect_with(&options)
            .await
            .with_context(|| format!("cannot open the database {}", path.display()))?;
        let (writer, queue) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(run_writer(connection, queue, hub));
        Ok(SqliteStore { pool, writer })
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

    async fn close_poll(&self, id: &str, now: Timestamp) -> Result<Option<StoredPoll>, StoreError> {
        sqlx::query("UPDATE polls SET closed_at = ? WHERE id = ? AND closed_at IS NULL")
            .bind(now.as_unix_seconds())
            .bind(id)
            .execute(&self.pool)
            .await?;
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

/// Runs the ballot writer, which batches queued ballots into one
/// transaction each.
async fn run_writer(
    mut connection: SqliteConnection,
    mut queue: mpsc::Receiver<WriteRequest>,
    hub: Arc<TallyHub>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let ballots: Vec<&NewBallot> = batch.iter().map(|request| &request.ballot).collect();
        match write_batch(&mut connection, &ballots).await {
            Ok((outcomes, committed)) => {
                // The hub learns about the ballots before any voter hears
                // back, so a results request after the receipt includes it.
                hub.apply(committed).await;
                for (request, outcome) in batch.drain(..).zip(outcomes) {
                    let _ = request.reply.send(Ok(outcome));
                }
            }
            Err(error) => {
                tracing::error!(ballots = batch.len(), error = %error, "ballot writer: transaction failed, rolled back");
                let _ = sqlx::query("ROLLBACK").execute(&mut connection).await;
                let message = error.to_string();
                for request in batch.drain(..) {
                    let failure = StoreError::WriteFailed(message.clone());
                    let _ = request.reply.send(Err(failure));
                }
            }
        }
    }
    tracing::info!("ballot writer: stopped");
}

type BatchResult = (Vec<SubmitOutcome>, Vec<CommittedBallot>);

/// Writes one batch in a transaction and returns one outcome per ballot
/// plus the ballots that were newly stored, after COMMIT returned.
async fn write_batch(
    connection: &mut SqliteConnection,
    ballots: &[&NewBallot],
) -> Result<BatchResult, sqlx::Error> {
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *connection).await?;
    let now = now();
    let mut outcomes = Vec::with_capacity(ballots.len());
    let mut committed = Vec::new();
    let mut polls: HashMap<String, Option<(Timestamp, Timestamp, bool)>> = HashMap::new();

    for ballot in ballots {
        let outcome = write_one(connection, ballot, now, &mut polls, &mut committed).await?;
        outcomes.push(outcome);
    }

    sqlx::query("COMMIT").execute(&mut *connection).await?;
    Ok((outcomes, committed))
}

async fn write_one(
    connection: &mut SqliteConnection,
    ballot: &NewBallot,
    now: Timestamp,
    polls: &mut HashMap<String, Option<(Timestamp, Timestamp, bool)>>,
    committed: &mut Vec<CommittedBallot>,
) -> Result<SubmitOutcome, sqlx::Error> {
    let ballot_id = ballot.ballot_id.to_string();

    // A resent ballot returns its receipt, even after the poll closed.
    let existing = sqlx::query(
        "SELECT voter_key, accepted_at FROM ballots WHERE poll_id = ? AND ballot_id = ?",
    )
    .bind(&ballot.poll_id)
    .bind(&ballot_id)
    .fetch_optional(&mut *connection)
    .await?;
    if let Some(row) = existing {
        let voter_key: Vec<u8> = row.try_get("voter_key")?;
        if voter_key != ballot.voter_key {
            return Ok(SubmitOutcome::BallotIdConflict);
        }
        return Ok(SubmitOutcome::Replayed(Receipt {
            poll_id: ballot.poll_id.clone(),
            ballot_id: ballot.ballot_id,
            accepted_at: Timestamp(row.try_get("accepted_at")?),
        }));
    }

    // The phase is checked inside the transaction, so no ballot is accepted
    // after a close has committed.
    if !polls.contains_key(&ballot.poll_id) {
        let row = sqlx::query("SELECT opens_at, closes_at, closed_at FROM polls WHERE id = ?")
            .bind(&ballot.poll_id)
            .fetch_optional(&mut *connection)
            .await?;
        let times = match row {
            Some(row) => {
                let closed_at: Option<i64> = row.try_get("closed_at")?;
                Some((
                    Timestamp(row.try_get("opens_at")?),
                    Timestamp(row.try_get("closes_at")?),
                    closed_at.is_some(),
                ))
            }
            None => None,
        };
        polls.insert(ballot.poll_id.clone(), times);
    }
    match polls.get(&ballot.poll_id).copied().flatten() {
        None => return Ok(SubmitOutcome::PollNotFound),
        Some((_, closes_at, closed)) if closed || now >= closes_at => {
            return Ok(SubmitOutcome::PollClosed)
        }
        Some((opens_at, _, _)) if now < opens_at => return Ok(SubmitOutcome::PollNotOpenYet),
        Some(_) => {}
    }

    if ballot.participation == Participation::Code {
        let issued = sqlx::query("SELECT 1 FROM invitation_codes WHERE poll_id = ? AND code_hash = ?")
            .bind(&ballot.poll_id)
            .bind(ballot.voter_key.as_slice())
            .fetch_optional(&mut *connection)
            .await?;
        if issued.is_none() {
            return Ok(SubmitOutcome::UnknownCode);
        }
    }

    let inserted = sqlx::query(
        "INSERT INTO ballots (poll_id, ballot_id, voter_key, accepted_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT DO NOTHING RETURNING seq",
    )
    .bind(&ballot.poll_id)
    .bind(&ballot_id)
    .bind(ballot.voter_key.as_slice())
    .bind(now.as_unix_seconds())
    .fetch_optional(&mut *connection)
    .await?;
    let Some(inserted) = inserted else {
        return Ok(SubmitOutcome::AlreadyVoted);
    };
    let seq: i64 = inserted.try_get("seq")?;

    for (question_id, choice_ids) in &ballot.ballot.selections {
        for choice_id in choice_ids {
            sqlx::query(
                "INSERT INTO ballot_selections (ballot_seq, poll_id, question_id, choice_id) \
                 VALUES (?, ?, ?, ?)",
            )
            .bind(seq)
            .bind(&ballot.poll_id)
            .bind(question_id)
            .bind(choice_id)
            .execute(&mut *connection)
            .await?;
        }
    }
    committed.push(CommittedBallot {
        poll_id: ballot.poll_id.clone(),
        seq,
        ballot: ballot.ballot.clone(),
    });
    Ok(SubmitOutcome::Accepted(Receipt {
        poll_id: ballot.poll_id.clone(),
        ballot_id: ballot.ballot_id,
        accepted_at: now,
    }))
}

/// Returns the current time in whole seconds.
pub(crate) fn now() -> Timestamp {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    Timestamp(i64::try_from(seconds).unwrap_or(i64::MAX))
}
