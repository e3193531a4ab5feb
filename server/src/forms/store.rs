//! Form storage on SQLite: registered schemas, submissions and reference
//! numbers.
//!
//! Durability follows the poll store: WAL mode with `synchronous=FULL`, and
//! one writer task that stores every submission waiting in its queue in one
//! transaction and responds to each request only after COMMIT has returned
//! (group commit). An acknowledged submission, and so every reference
//! number a client has seen, survives a crash or a power loss.
//!
//! Inside that transaction the writer looks up the submission id first. A
//! known id with the same data returns the stored reference (a replay); with
//! other data it is a conflict. Otherwise the writer raises the year's
//! counter in `reference_counters` and inserts the submission. The UNIQUE
//! constraints on `(form_id, submission_id)` and `reference` back both rules
//! up, also when an `ogkit form` command writes to the file at the same time.
//!
//! Connections run with `secure_delete` on, so purged submissions are
//! overwritten in the database file rather than left in free pages.

use std::future::Future;
use std::path::Path;
use std::str::FromStr as _;
use std::time::Duration;

use anyhow::Context as _;
use ogkit_core::poll::Timestamp;
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{Connection as _, Row as _};
use tokio::sync::{mpsc, oneshot};

use super::reference::{utc_year, Reference};

/// Most submissions written in one transaction.
const MAX_BATCH: usize = 256;

/// How long a connection waits for another writer's lock (the poll writer,
/// or an `ogkit form` command running next to the server) before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A registered form with the schema that new submissions are checked
/// against.
#[derive(Debug, Clone)]
pub(crate) struct StoredForm {
    pub(crate) id: String,
    pub(crate) version: i64,
    /// The schema file as registered.
    pub(crate) schema: String,
}

/// A form with its counts, for `ogkit form list` and the admin API.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FormSummary {
    pub(crate) id: String,
    pub(crate) version: i64,
    pub(crate) created_at: Timestamp,
    pub(crate) updated_at: Timestamp,
    pub(crate) submissions: u64,
}

/// Effect of registering a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Registration {
    /// The form is new; its schema is version 1.
    Created,
    /// The form existed with another schema; this one is the new version.
    Updated { version: i64 },
    /// The form has this schema already.
    Unchanged { version: i64 },
}

impl Registration {
    /// Returns the schema version that is now current.
    pub(crate) fn version(self) -> i64 {
        match self {
            Registration::Created => 1,
            Registration::Updated { version } | Registration::Unchanged { version } => version,
        }
    }

    /// Returns `created`, `updated` or `unchanged`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Registration::Created => "created",
            Registration::Updated { .. } => "updated",
            Registration::Unchanged { .. } => "unchanged",
        }
    }
}

/// A checked submission on its way to the database.
#[derive(Debug, Clone)]
pub(crate) struct NewSubmission {
    pub(crate) form_id: String,
    pub(crate) schema_version: i64,
    /// Idempotency key chosen by the client.
    pub(crate) submission_id: String,
    /// The submitted data as JSON text.
    pub(crate) data: String,
}

/// Reference number and receipt time of a stored submission; a resent
/// submission gets the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stored {
    pub(crate) reference: String,
    pub(crate) received_at: Timestamp,
}

/// Outcome of a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SubmitOutcome {
    /// Stored now.
    Accepted(Stored),
    /// Stored earlier under the same submission id with the same data.
    Replayed(Stored),
    /// The submission id belongs to a stored submission with other data.
    SubmissionIdConflict,
    /// No form with this id is registered.
    FormNotFound,
}

/// A stored submission, for the export.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StoredSubmission {
    pub(crate) reference: String,
    pub(crate) submission_id: String,
    pub(crate) schema_version: i64,
    pub(crate) received_at: Timestamp,
    /// The submitted data as JSON text.
    #[serde(skip)]
    pub(crate) data: String,
}

/// Failure of a store operation.
#[derive(Debug, thiserror::Error)]
pub(crate) enum StoreError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("the submission was not stored because its transaction failed: {0}")]
    WriteFailed(String),
    #[error("the submission writer has stopped")]
    WriterStopped,
}

/// Storage of forms and submissions.
///
/// The SQLite implementation is [`SqliteFormStore`]. The schema is plain
/// SQL (`ON CONFLICT`, `RETURNING`), so a PostgreSQL implementation can
/// follow the same interface.
pub(crate) trait FormStore: Send + Sync + 'static {
    /// Registers `schema` as the current schema of form `id`.
    fn register(
        &self,
        id: &str,
        schema: &str,
        now: Timestamp,
    ) -> impl Future<Output = Result<Registration, StoreError>> + Send;

    /// Returns the form with its current schema.
    fn form(&self, id: &str) -> impl Future<Output = Result<Option<StoredForm>, StoreError>> + Send;

    /// Returns every form, ordered by id.
    fn forms(&self) -> impl Future<Output = Result<Vec<FormSummary>, StoreError>> + Send;

    /// Stores a submission durably and returns the outcome once committed.
    fn submit(
        &self,
        submission: NewSubmission,
    ) -> impl Future<Output = Result<SubmitOutcome, StoreError>> + Send;

    /// Returns the submissions of a form in the order they were received.
    fn submissions(
        &self,
        form_id: &str,
    ) -> impl Future<Output = Result<Vec<StoredSubmission>, StoreError>> + Send;

    /// Deletes the submissions received before `cutoff`, of one form or of
    /// all, and returns how many were deleted.
    fn purge(
        &self,
        cutoff: Timestamp,
        form_id: Option<&str>,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;
}

/// [`FormStore`] on one SQLite file, which may be the poll database.
#[derive(Clone)]
pub(crate) struct SqliteFormStore {
    pool: SqlitePool,
    writer: mpsc::Sender<WriteRequest>,
}

struct WriteRequest {
    submission: NewSubmission,
    reply: oneshot::Sender<Result<SubmitOutcome, StoreError>>,
}

impl SqliteFormStore {
    /// Opens (or creates) the database at `path`, applies the migrations
    /// and starts the submission writer.
    pub(crate) async fn open(path: &Path) -> anyhow::Result<SqliteFormStore> {
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
            .pragma("secure_delete", "ON")
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
        tokio::spawn(run_writer(connection, queue));
        Ok(SqliteFormStore { pool, writer })
    }
}

impl FormStore for SqliteFormStore {
    async fn register(&self, id: &str, schema: &str, now: Timestamp) -> Result<Registration, StoreError> {
        let digest: [u8; 32] = Sha256::digest(schema.as_bytes()).into();
        // IMMEDIATE takes the write lock before the read, so two processes
        // registering the same form wait for each other instead of failing
        // when the read transaction cannot become a write transaction.
        let mut transaction = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let current = sqlx::query(
            "SELECT f.current_version, v.schema_sha256 FROM forms f \
             JOIN form_versions v ON v.form_id = f.id AND v.version = f.current_version \
             WHERE f.id = ?",
        )
        .bind(id)
        .fetch_optional(&mut *transaction)
        .await?;

        let registration = match current {
            None => {
                sqlx::query(
                    "INSERT INTO forms (id, current_version, created_at, updated_at) VALUES (?, 1, ?, ?)",
                )
                .bind(id)
                .bind(now.as_unix_seconds())
                .bind(now.as_unix_seconds())
                .execute(&mut *transaction)
                .await?;
                Registration::Created
            }
            Some(row) => {
                let version: i64 = row.try_get("current_version")?;
                let stored_digest: Vec<u8> = row.try_get("schema_sha256")?;
                if stored_digest == digest {
                    return Ok(Registration::Unchanged { version });
                }
                let latest: i64 =
                    sqlx::query_scalar("SELECT MAX(version) FROM form_versions WHERE form_id = ?")
                        .bind(id)
                        .fetch_one(&mut *transaction)
                        .await?;
                let version = latest + 1;
                sqlx::query("UPDATE forms SET current_version = ?, updated_at = ? WHERE id = ?")
                    .bind(version)
                    .bind(now.as_unix_seconds())
                    .bind(id)
                    .execute(&mut *transaction)
                    .await?;
                Registration::Updated { version }
            }
        };
        sqlx::query(
            "INSERT INTO form_versions (form_id, version, schema, schema_sha256, created_at) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(registration.version())
        .bind(schema)
        .bind(digest.as_slice())
        .bind(now.as_unix_seconds())
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(registration)
    }

    async fn form(&self, id: &str) -> Result<Option<StoredForm>, StoreError> {
        let row = sqlx::query(
            "SELECT f.current_version, v.schema FROM forms f \
             JOIN form_versions v ON v.form_id = f.id AND v.version = f.current_version \
             WHERE f.id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(StoredForm {
            id: id.to_owned(),
            version: row.try_get("current_version")?,
            schema: row.try_get("schema")?,
        }))
    }

    async fn forms(&self) -> Result<Vec<FormSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT f.id, f.current_version, f.created_at, f.updated_at, \
             (SELECT COUNT(*) FROM submissions s WHERE s.form_id = f.id) AS submissions \
             FROM forms f ORDER BY f.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut forms = Vec::with_capacity(rows.len());
        for row in rows {
            let submissions: i64 = row.try_get("submissions")?;
            forms.push(FormSummary {
                id: row.try_get("id")?,
                version: row.try_get("current_version")?,
                created_at: Timestamp(row.try_get("created_at")?),
                updated_at: Timestamp(row.try_get("updated_at")?),
                submissions: u64::try_from(submissions).unwrap_or(0),
            });
        }
        Ok(forms)
    }

    async fn submit(&self, submission: NewSubmission) -> Result<SubmitOutcome, StoreError> {
        let (reply, outcome) = oneshot::channel();
        self.writer
            .send(WriteRequest { submission, reply })
            .await
            .map_err(|_| StoreError::WriterStopped)?;
        outcome.await.map_err(|_| StoreError::WriterStopped)?
    }

    async fn submissions(&self, form_id: &str) -> Result<Vec<StoredSubmission>, StoreError> {
        let rows = sqlx::query(
            "SELECT reference, submission_id, schema_version, received_at, data \
             FROM submissions WHERE form_id = ? ORDER BY seq",
        )
        .bind(form_id)
        .fetch_all(&self.pool)
        .await?;
        let mut submissions = Vec::with_capacity(rows.len());
        for row in rows {
            submissions.push(StoredSubmission {
                reference: row.try_get("reference")?,
                submission_id: row.try_get("submission_id")?,
                schema_version: row.try_get("schema_version")?,
                received_at: Timestamp(row.try_get("received_at")?),
                data: row.try_get("data")?,
            });
        }
        Ok(submissions)
    }

    async fn purge(&self, cutoff: Timestamp, form_id: Option<&str>) -> Result<u64, StoreError> {
        let result = match form_id {
            Some(form_id) => {
                sqlx::query("DELETE FROM submissions WHERE received_at < ? AND form_id = ?")
                    .bind(cutoff.as_unix_seconds())
                    .bind(form_id)
                    .execute(&self.pool)
                    .await?
            }
            None => {
                sqlx::query("DELETE FROM submissions WHERE received_at < ?")
                    .bind(cutoff.as_unix_seconds())
                    .execute(&self.pool)
                    .await?
            }
        };
        let deleted = result.rows_affected();
        if deleted > 0 {
            // Until a checkpoint, the WAL file still contains the pages as
            // they were before the delete. TRUNCATE copies the new pages back
            // and empties the WAL file.
            let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&self.pool).await?;
            let busy: i64 = row.try_get(0)?;
            if busy != 0 {
                tracing::warn!(
                    deleted,
                    "form purge: the WAL checkpoint was blocked by a reader; \
                     the deleted submissions leave the WAL file at the next checkpoint"
                );
            }
        }
        Ok(deleted)
    }
}

/// Runs the submission writer, which stores queued submissions in one
/// transaction per batch.
async fn run_writer(mut connection: SqliteConnection, mut queue: mpsc::Receiver<WriteRequest>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let submissions: Vec<&NewSubmission> = batch.iter().map(|request| &request.submission).collect();
        match write_batch(&mut connection, &submissions).await {
            Ok(outcomes) => {
                for (request, outcome) in batch.drain(..).zip(outcomes) {
                    let _ = request.reply.send(Ok(outcome));
                }
            }
            Err(error) => {
                // The error names SQL, never the bound data.
                tracing::error!(
                    submissions = batch.len(),
                    error = %error,
                    "submission writer: transaction failed, rolled back"
                );
                let _ = sqlx::query("ROLLBACK").execute(&mut connection).await;
                let message = error.to_string();
                for request in batch.drain(..) {
                    let _ = request.reply.send(Err(StoreError::WriteFailed(message.clone())));
                }
            }
        }
    }
    tracing::info!("submission writer: stopped");
}

/// Writes one batch in a transaction and returns one outcome per
/// submission, after COMMIT returned.
async fn write_batch(
    connection: &mut SqliteConnection,
    submissions: &[&NewSubmission],
) -> Result<Vec<SubmitOutcome>, sqlx::Error> {
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *connection).await?;
    let now = now();
    let mut outcomes = Vec::with_capacity(submissions.len());
    for submission in submissions {
        outcomes.push(write_one(connection, submission, now).await?);
    }
    sqlx::query("COMMIT").execute(&mut *connection).await?;
    Ok(outcomes)
}

async fn write_one(
    connection: &mut SqliteConnection,
    submission: &NewSubmission,
    now: Timestamp,
) -> Result<SubmitOutcome, sqlx::Error> {
    let digest: [u8; 32] = Sha256::digest(submission.data.as_bytes()).into();

    let existing = sqlx::query(
        "SELECT reference, data_sha256, received_at FROM submissions \
         WHERE form_id = ? AND submission_id = ?",
    )
    .bind(&submission.form_id)
    .bind(&submission.submission_id)
    .fetch_optional(&mut *connection)
    .await?;
    if let Some(row) = existing {
        let stored_digest: Vec<u8> = row.try_get("data_sha256")?;
        if stored_digest != digest {
            return Ok(SubmitOutcome::SubmissionIdConflict);
        }
        return Ok(SubmitOutcome::Replayed(Stored {
            reference: row.try_get("reference")?,
            received_at: Timestamp(row.try_get("received_at")?),
        }));
    }

    let form = sqlx::query("SELECT 1 FROM forms WHERE id = ?")
        .bind(&submission.form_id)
        .fetch_optional(&mut *connection)
        .await?;
    if form.is_none() {
        return Ok(SubmitOutcome::FormNotFound);
    }

    let year = utc_year(now.as_unix_seconds());
    let number: i64 = sqlx::query_scalar(
        "INSERT INTO reference_counters (year, last_number) VALUES (?, 1) \
         ON CONFLICT (year) DO UPDATE SET last_number = last_number + 1 \
         RETURNING last_number",
    )
    .bind(year)
    .fetch_one(&mut *connection)
    .await?;
    let reference = Reference { year, number }.to_string();

    sqlx::query(
        "INSERT INTO submissions \
         (form_id, schema_version, submission_id, reference, data, data_sha256, received_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&submission.form_id)
    .bind(submission.schema_version)
    .bind(&submission.submission_id)
    .bind(&reference)
    .bind(&submission.data)
    .bind(digest.as_slice())
    .bind(now.as_unix_seconds())
    .execute(&mut *connection)
    .await?;

    Ok(SubmitOutcome::Accepted(Stored { reference, received_at: now }))
}

/// Returns the current time in whole seconds.
pub(crate) fn now() -> Timestamp {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    Timestamp(i64::try_from(seconds).unwrap_or(i64::MAX))
}
