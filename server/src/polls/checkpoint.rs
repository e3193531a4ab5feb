//! Checkpoints of the write-ahead log next to the ballot writer.
//!
//! A checkpoint copies the pages of the WAL back into the database file and
//! then syncs the WAL and the database file. By default SQLite runs one
//! inside COMMIT once the WAL contains 1,000 pages. Under load the ballot
//! writer reaches that many times a second, because each batch writes
//! about one page per ballot into the index of voter keys, and every such
//! checkpoint would stop it for the copy and two syncs.
//!
//! Here a separate connection runs a PASSIVE checkpoint at most every
//! [`CHECKPOINT_INTERVAL`] while ballots are committed. PASSIVE copies
//! without taking the write lock, so the writer goes on meanwhile. SQLite
//! reuses the WAL from its start only when a write transaction begins after
//! every page has been copied, which seldom happens while the writer is
//! busy. The writer's own automatic checkpoint, raised to
//! [`WRITER_AUTOCHECKPOINT_PAGES`], therefore still bounds the WAL, and by
//! then it has little left to copy.

use std::time::Duration;

use sqlx::sqlite::SqliteConnection;
use sqlx::Row as _;
use tokio::sync::watch;

/// Pause between two checkpoints while ballots are committed.
pub(crate) const CHECKPOINT_INTERVAL: Duration = Duration::from_millis(100);

/// `wal_autocheckpoint` of the ballot writer's connection, in pages of
/// 4 KiB: the WAL grows to about 32 MiB before the writer checkpoints
/// itself.
pub(crate) const WRITER_AUTOCHECKPOINT_PAGES: &str = "8000";

/// Runs a checkpoint after each change of `commits` (at most one per
/// [`CHECKPOINT_INTERVAL`]) until the writer drops the sender.
pub(crate) async fn run(mut connection: SqliteConnection, mut commits: watch::Receiver<u64>) {
    let mut failing = false;
    while commits.changed().await.is_ok() {
        match checkpoint(&mut connection).await {
            Ok(_) if failing => {
                tracing::info!("checkpoint: succeeded again after failures");
                failing = false;
            }
            Ok(_) => {}
            // Logged once per run of failures, because a lasting error would
            // otherwise repeat ten times a second.
            Err(error) if !failing => {
                tracing::warn!(
                    error = %error,
                    "checkpoint: failed; the ballot writer's automatic checkpoint still bounds the write-ahead log"
                );
                failing = true;
            }
            Err(_) => {}
        }
        tokio::time::sleep(CHECKPOINT_INTERVAL).await;
    }
}

/// Pages in the WAL and pages of it copied into the database file, as
/// `PRAGMA wal_checkpoint` reports them after a checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CheckpointPages {
    pub(crate) in_wal: i64,
    pub(crate) copied: i64,
}

/// Runs one PASSIVE checkpoint.
pub(crate) async fn checkpoint(connection: &mut SqliteConnection) -> Result<CheckpointPages, sqlx::Error> {
    let row = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(connection).await?;
    // The columns are busy, log and checkpointed, in this order.
    Ok(CheckpointPages { in_wal: row.try_get(1)?, copied: row.try_get(2)? })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::Connection as _;

    use super::*;
    use crate::polls::store::{now, PollStore as _, SqliteStore};
    use crate::polls::tally_hub::TallyHub;

    const POLL: &str = r#"id = "p"
title = "Test"
opens_at = "2020-01-01T00:00:00Z"
closes_at = "2099-01-01T00:00:00Z"
participation = "open"
results = "live"

[[questions]]
id = "q"
text = "Welche?"
kind = "single-choice"
choices = [{ id = "A", label = "A" }, { id = "B", label = "B" }]
"#;

    #[tokio::test]
    async fn checkpoint_copies_every_page() {
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        let path = root.path().join("polls.sqlite");
        let store = SqliteStore::open(&path, Arc::new(TallyHub::default())).await.expect("the database opens");
        let poll = toml::from_str(POLL).expect("the test poll is valid TOML");
        store.create_poll(&poll, now()).await.expect("the poll is stored");

        let mut connection = SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(&path))
            .await
            .expect("a second connection opens");
        let pages = checkpoint(&mut connection).await.expect("the checkpoint runs");
        assert!(pages.in_wal > 0, "{pages:?}");
        assert_eq!(pages.copied, pages.in_wal, "no reader or writer holds pages back");
    }

    #[tokio::test]
    async fn checkpointer_stops_with_writer() {
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        let path = root.path().join("polls.sqlite");
        let _store = SqliteStore::open(&path, Arc::new(TallyHub::default())).await.expect("the database opens");
        let connection = SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(&path))
            .await
            .expect("a second connection opens");

        let (commits, watched) = watch::channel(0);
        let checkpointer = tokio::spawn(run(connection, watched));
        commits.send_modify(|count| *count += 1);
        drop(commits);
        checkpointer.await.expect("the checkpointer ends without panicking");
    }
}
