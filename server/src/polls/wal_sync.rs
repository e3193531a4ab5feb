//! Durability of the ballot writer: it commits with `synchronous=NORMAL`
//! and this stage syncs the write-ahead log before any voter hears back.
//!
//! With `synchronous=FULL` SQLite syncs the WAL inside COMMIT, while the
//! writer holds the write lock, so the next batch cannot start before the
//! disk has finished the sync. On a disk that takes about 3 ms per sync, that caps
//! the writer at one batch per sync whatever the CPU could do. Here COMMIT
//! only writes the WAL frames into the page cache. The acknowledgement
//! stage then calls `fdatasync` on the WAL file, which covers every frame
//! written before the call, and only then updates the live tallies and
//! responds. While it waits for the disk, the writer already writes the next
//! batches, and one sync covers all batches committed in the meantime.
//!
//! A ballot is therefore acknowledged only after its commit is on disk, as
//! with `synchronous=FULL`. Before that sync SQLite's own guarantee for
//! WAL mode with `synchronous=NORMAL` applies: after a power loss the
//! database is consistent and the last commits may be missing, but none of
//! them was acknowledged. Readers on other connections may see a committed
//! ballot for the few milliseconds before its sync.
//!
//! A failed sync cannot be retried safely: Linux may drop the unwritten
//! pages and report success on the next call. The stage therefore fails the
//! waiting ballots and stops, and the writer stops with it, so no ballot is
//! acknowledged after a sync failure. The server keeps serving the results.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use super::store::{StoreError, SubmitOutcome};
use super::tally_hub::{CommittedBallot, TallyHub};

/// The write-ahead log of one SQLite database, named as SQLite names it.
pub(crate) struct WalFile {
    path: PathBuf,
    directory: PathBuf,
    directory_synced: AtomicBool,
}

impl WalFile {
    /// Returns the WAL file of the database at `database`.
    pub(crate) fn of_database(database: &Path) -> WalFile {
        let mut name = database.as_os_str().to_owned();
        name.push("-wal");
        let directory = match database.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        WalFile { path: PathBuf::from(name), directory, directory_synced: AtomicBool::new(false) }
    }

    /// Flushes the WAL file to disk, and once per process its directory,
    /// so that the file's directory entry is on disk too.
    ///
    /// The file is opened anew for each sync, so the sync always reaches
    /// the file SQLite writes now. SQLite keeps it while any connection is
    /// open, and the writer's connection stays open.
    pub(crate) fn sync(&self) -> io::Result<()> {
        let file = OpenOptions::new().write(true).open(&self.path).map_err(|error| {
            io::Error::new(error.kind(), format!("cannot open {}: {error}", self.path.display()))
        })?;
        file.sync_data().map_err(|error| {
            io::Error::new(error.kind(), format!("cannot sync {}: {error}", self.path.display()))
        })?;
        if !self.directory_synced.load(Ordering::Relaxed) {
            File::open(&self.directory).and_then(|directory| directory.sync_all()).map_err(|error| {
                io::Error::new(error.kind(), format!("cannot sync {}: {error}", self.directory.display()))
            })?;
            self.directory_synced.store(true, Ordering::Relaxed);
        }
        Ok(())
    }
}

/// A committed batch whose voters wait for the sync.
pub(crate) struct CommittedBatch {
    pub(crate) replies: Vec<oneshot::Sender<Result<SubmitOutcome, StoreError>>>,
    pub(crate) outcomes: Vec<SubmitOutcome>,
    pub(crate) committed: Vec<CommittedBallot>,
}

/// Runs the acknowledgement stage until the writer drops its sender or a
/// sync fails.
pub(crate) async fn acknowledge(
    mut batches: mpsc::Receiver<CommittedBatch>,
    wal: WalFile,
    hub: Arc<TallyHub>,
) {
    let wal = Arc::new(wal);
    let mut waiting = Vec::new();
    while batches.recv_many(&mut waiting, usize::MAX).await > 0 {
        let syncing = Arc::clone(&wal);
        let failure = match tokio::task::spawn_blocking(move || syncing.sync()).await {
            Ok(Ok(())) => None,
            Ok(Err(error)) => Some(error),
            Err(error) => Some(io::Error::other(format!("the sync task failed: {error}"))),
        };
        if let Some(error) = failure {
            let ballots: usize = waiting.iter().map(|batch| batch.replies.len()).sum();
            tracing::error!(
                ballots,
                error = %error,
                "ballot writer: syncing the write-ahead log failed; no further ballots are accepted"
            );
            batches.close();
            while let Ok(batch) = batches.try_recv() {
                waiting.push(batch);
            }
            let message = format!("the commit could not be made durable: {error}");
            for batch in waiting.drain(..) {
                for reply in batch.replies {
                    let _ = reply.send(Err(StoreError::WriteFailed(message.clone())));
                }
            }
            return;
        }

        for batch in waiting.drain(..) {
            // The hub learns about the ballots before any voter hears back,
            // so a results request after the receipt includes them.
            hub.apply(batch.committed).await;
            for (reply, outcome) in batch.replies.into_iter().zip(batch.outcomes) {
                let _ = reply.send(Ok(outcome));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wal_file_is_named_like_sqlite() {
        let wal = WalFile::of_database(Path::new("data/ogkit.sqlite"));
        assert_eq!(wal.path, PathBuf::from("data/ogkit.sqlite-wal"));
        assert_eq!(wal.directory, PathBuf::from("data"));
    }

    #[test]
    fn wal_file_without_directory_uses_current() {
        let wal = WalFile::of_database(Path::new("ogkit.sqlite"));
        assert_eq!(wal.directory, PathBuf::from("."));
    }

    #[test]
    fn missing_wal_file_fails_sync() {
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        let wal = WalFile::of_database(&root.path().join("missing.sqlite"));
        let error = wal.sync().expect_err("a missing WAL file cannot be synced");
        assert!(error.to_string().contains("missing.sqlite-wal"), "{error}");
    }

    #[test]
    fn existing_wal_file_is_synced() {
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        let database = root.path().join("polls.sqlite");
        std::fs::write(root.path().join("polls.sqlite-wal"), b"frames").expect("the file is written");
        let wal = WalFile::of_database(&database);
        wal.sync().expect("the WAL file and its directory are synced");
        assert!(wal.directory_synced.load(Ordering::Relaxed));
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn symlinked_database_syncs_real_wal() {
        use crate::polls::store::{PollStore as _, SqliteStore};

        let root = tempfile::tempdir().expect("a temporary directory can be created");
        let real = root.path().join("real");
        std::fs::create_dir(&real).expect("the directory is created");
        let link = root.path().join("link.sqlite");
        std::os::unix::fs::symlink(real.join("polls.sqlite"), &link).expect("the link is created");

        let store = SqliteStore::open(&link, Arc::new(TallyHub::default())).await.expect("the database opens");
        assert!(real.join("polls.sqlite-wal").is_file(), "SQLite writes the WAL beside the link target");
        let found = store.poll("none").await.expect("the database answers");
        assert!(found.is_none());
    }

    #[tokio::test]
    async fn failed_sync_fails_ballots_and_stops() {
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        let wal = WalFile::of_database(&root.path().join("missing.sqlite"));
        let (batches, waiting) = mpsc::channel(4);
        let stage = tokio::spawn(acknowledge(waiting, wal, Arc::new(TallyHub::default())));

        let (reply, answer) = oneshot::channel();
        let batch = CommittedBatch { replies: vec![reply], outcomes: vec![SubmitOutcome::AlreadyVoted], committed: Vec::new() };
        assert!(batches.send(batch).await.is_ok(), "the stage accepts the first batch");
        let outcome = answer.await.expect("the stage answers");
        assert!(matches!(outcome, Err(StoreError::WriteFailed(_))), "{outcome:?}");

        stage.await.expect("the stage ends without panicking");
        let (reply, _answer) = oneshot::channel();
        let batch = CommittedBatch { replies: vec![reply], outcomes: Vec::new(), committed: Vec::new() };
        assert!(batches.send(batch).await.is_err(), "the stopped stage takes no more batches");
    }
}
