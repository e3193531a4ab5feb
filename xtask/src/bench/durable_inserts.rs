//! The physical reference of the poll benchmark: how many durable
//! single-row inserts per second SQLite manages on this disk, and the count
//! of stored ballots after the load.
//!
//! It uses sqlx with its bundled SQLite, as the server does, in WAL mode.
//! Each insert is its own transaction and is on disk before the next one
//! starts, so the rate is about one sync of the write-ahead log per insert.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::Connection as _;

/// Rates of durable single-row inserts.
pub(crate) struct Reference {
    pub(crate) sqlite_version: String,
    /// `synchronous=FULL`: SQLite syncs the WAL inside each COMMIT.
    pub(crate) full: InsertRate,
    /// `synchronous=NORMAL` plus `fdatasync` of the WAL file after each
    /// COMMIT, as the server's ballot writer makes its commits durable.
    pub(crate) normal_then_sync: InsertRate,
}

/// Inserts done in a measured time.
pub(crate) struct InsertRate {
    pub(crate) inserts: u64,
    pub(crate) elapsed: Duration,
}

impl InsertRate {
    pub(crate) fn per_second(&self) -> f64 {
        self.inserts as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }
}

/// Table of the same shape as the server's `ballots` table, with the same
/// unique indexes, so that each insert updates as many B-trees.
const CREATE_TABLE: &str = "CREATE TABLE ballots (
    seq INTEGER PRIMARY KEY NOT NULL,
    poll_id TEXT NOT NULL,
    ballot_id TEXT NOT NULL,
    voter_key BLOB NOT NULL,
    accepted_at INTEGER NOT NULL,
    UNIQUE (poll_id, ballot_id),
    UNIQUE (poll_id, voter_key)
)";

/// Measures both insert rates for `duration` each, in fresh databases
/// inside `dir`.
pub(crate) fn measure(dir: &Path, duration: Duration) -> Result<Reference> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime for the SQLite reference")?;
    runtime.block_on(async {
        let full_path = dir.join("reference-full.sqlite");
        let (sqlite_version, full) = insert_rate(&full_path, SqliteSynchronous::Full, false, duration).await?;
        let normal_path = dir.join("reference-normal.sqlite");
        let (_, normal_then_sync) = insert_rate(&normal_path, SqliteSynchronous::Normal, true, duration).await?;
        Ok(Reference { sqlite_version, full, normal_then_sync })
    })
}

/// Inserts one row per transaction until `duration` has passed and returns
/// the SQLite version and the rate. With `sync_wal`, each COMMIT is followed
/// by `fdatasync` of the WAL file.
async fn insert_rate(
    path: &Path,
    synchronous: SqliteSynchronous,
    sync_wal: bool,
    duration: Duration,
) -> Result<(String, InsertRate)> {
    let options = SqliteConnectOptions::from_str("sqlite:")
        .context("invalid SQLite options")?
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(synchronous);
    let mut connection = SqliteConnection::connect_with(&options)
        .await
        .with_context(|| format!("cannot create the reference database {}", path.display()))?;
    sqlx::query(CREATE_TABLE)
        .execute(&mut connection)
        .await
        .with_context(|| format!("cannot create the table in {}", path.display()))?;
    let version: String = sqlx::query_scalar("SELECT sqlite_version()")
        .fetch_one(&mut connection)
        .await
        .context("cannot read the SQLite version")?;
    let wal = wal_path(path);

    let started = Instant::now();
    let mut inserts: u64 = 0;
    while started.elapsed() < duration {
        let serial = format!("{inserts:012x}");
        sqlx::query("INSERT INTO ballots (poll_id, ballot_id, voter_key, accepted_at) VALUES (?, ?, ?, ?)")
            .bind("reference")
            .bind(format!("00000000-0000-4000-8000-{serial}"))
            .bind(serial.as_bytes())
            .bind(0_i64)
            .execute(&mut connection)
            .await
            .with_context(|| format!("insert {inserts} into {} failed", path.display()))?;
        if sync_wal {
            OpenOptions::new()
                .write(true)
                .open(&wal)
                .and_then(|file| file.sync_data())
                .with_context(|| format!("cannot sync {}", wal.display()))?;
        }
        inserts += 1;
    }
    let rate = InsertRate { inserts, elapsed: started.elapsed() };
    connection.close().await.context("cannot close the reference database")?;
    Ok((version, rate))
}

/// Returns the number of ballots of `poll_id` stored in `database`.
pub(crate) fn count_ballots(database: &Path, poll_id: &str) -> Result<u64> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime for counting the ballots")?;
    runtime.block_on(async {
        let options = SqliteConnectOptions::from_str("sqlite:")
            .context("invalid SQLite options")?
            .filename(database)
            .read_only(true);
        let mut connection = SqliteConnection::connect_with(&options)
            .await
            .with_context(|| format!("cannot open {}", database.display()))?;
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ballots WHERE poll_id = ?")
            .bind(poll_id)
            .fetch_one(&mut connection)
            .await
            .with_context(|| format!("cannot count the ballots in {}", database.display()))?;
        connection.close().await.context("cannot close the database")?;
        Ok(u64::try_from(count).unwrap_or(0))
    })
}

/// Returns the path of the WAL file that SQLite keeps beside `database`.
fn wal_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}
