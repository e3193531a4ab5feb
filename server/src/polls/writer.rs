//! The ballot writer: one task that stores every ballot (group commit).
//!
//! It takes every ballot waiting in its queue (up to [`MAX_BATCH`]) and
//! writes them in one transaction. Each request gets its response only
//! after the commit is on disk ([`wal_sync`]), so concurrent voters share
//! one sync and an acknowledged ballot is never lost.
//!
//! A batch costs a fixed number of statements whatever its size. Per poll
//! they are one read of the voting period and one lookup of the ballot ids
//! (plus one of the invitation codes in code polls), and then come one
//! multi-row insert of the ballots and one of their selections. sqlx runs every statement on the connection's
//! own thread, so each statement is a round trip between threads; with one
//! statement per ballot those round trips cost more CPU than SQLite itself.
//!
//! The outcomes are the same as if the ballots were written one after the
//! other in queue order. A ballot whose ballot id or voter key also belongs
//! to an earlier ballot of the same batch is written on its own after the
//! multi-row insert, with the lookup and insert of [`write_one`]. It shares
//! no key with any ballot in the multi-row insert that follows it in the
//! queue, so the order of the two steps cannot change an outcome.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use ogkit_core::poll::{Participation, Timestamp};
use sqlx::sqlite::{Sqlite, SqliteConnection};
use sqlx::{QueryBuilder, Row as _};
use tokio::sync::{mpsc, oneshot, watch};
use uuid::Uuid;

use super::store::{now, NewBallot, Receipt, StoreError, SubmitOutcome};
use super::tally_hub::{CommittedBallot, TallyHub};
use super::wal_sync::{self, CommittedBatch, WalFile};

/// Most ballots written in one transaction.
pub(crate) const MAX_BATCH: usize = 512;

/// Most rows of one multi-row INSERT: 256 rows of four values stay far
/// below SQLite's limit of 32,766 bound values per statement.
const ROWS_PER_INSERT: usize = 256;

/// A ballot on its way to the writer, with the channel for its outcome.
pub(crate) struct WriteRequest {
    pub(crate) ballot: NewBallot,
    pub(crate) reply: oneshot::Sender<Result<SubmitOutcome, StoreError>>,
}

/// Most committed batches that wait for the sync of the write-ahead log
/// before the writer pauses.
const BATCHES_AWAITING_SYNC: usize = 16;

/// Runs the ballot writer until every sender of `queue` is gone or a sync
/// of the write-ahead log fails. `connection` must use
/// `synchronous=NORMAL`: the acknowledgement stage syncs `wal` instead.
/// `commits` counts the committed batches for the checkpointer.
pub(crate) async fn run(
    mut connection: SqliteConnection,
    mut queue: mpsc::Receiver<WriteRequest>,
    hub: Arc<TallyHub>,
    wal: WalFile,
    commits: watch::Sender<u64>,
) {
    let (to_sync, awaiting_sync) = mpsc::channel(BATCHES_AWAITING_SYNC);
    let acknowledgements = tokio::spawn(wal_sync::acknowledge(awaiting_sync, wal, hub));

    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let ballots: Vec<&NewBallot> = batch.iter().map(|request| &request.ballot).collect();
        let started = std::time::Instant::now();
        let result = write_batch(&mut connection, &ballots).await;
        let elapsed_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        tracing::debug!(ballots = ballots.len(), elapsed_us, "ballot writer: batch written");
        match result {
            Ok((outcomes, committed)) => {
                commits.send_modify(|count| *count += 1);
                let replies = batch.drain(..).map(|request| request.reply).collect();
                let committed = CommittedBatch { replies, outcomes, committed };
                if let Err(mpsc::error::SendError(committed)) = to_sync.send(committed).await {
                    // The stage stopped after a failed sync, which it logged.
                    for reply in committed.replies {
                        let _ = reply.send(Err(StoreError::WriterStopped));
                    }
                    break;
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
    drop(to_sync);
    let _ = acknowledgements.await;
    tracing::info!("ballot writer: stopped");
}

type BatchResult = (Vec<SubmitOutcome>, Vec<CommittedBallot>);

/// Voting period of a poll as stored, read inside the writer's transaction.
#[derive(Clone, Copy)]
struct VotingWindow {
    opens_at: Timestamp,
    closes_at: Timestamp,
    closed: bool,
}

/// Voting periods by poll id; `None` for a poll that does not exist.
type Windows = HashMap<String, Option<VotingWindow>>;

/// A ballot stored before this batch, found by its ballot id.
struct StoredBallot {
    voter_key: Vec<u8>,
    accepted_at: Timestamp,
}

/// Plan of the writer for one ballot of a batch.
enum Step {
    /// The outcome is known without writing.
    Decided(SubmitOutcome),
    /// Part of the multi-row insert.
    Insert,
    /// Shares a key with an earlier ballot of the batch: written on its own
    /// after the multi-row insert.
    OnItsOwn,
}

/// Writes one batch in a transaction and returns one outcome per ballot
/// plus the ballots that were newly stored, in sequence order, after
/// COMMIT returned.
async fn write_batch(
    connection: &mut SqliteConnection,
    ballots: &[&NewBallot],
) -> Result<BatchResult, sqlx::Error> {
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *connection).await?;
    let now = now();

    let mut windows = Windows::new();
    let mut stored = HashMap::new();
    let mut issued = HashSet::new();
    for (poll_id, members) in group_by_poll(ballots) {
        let window = read_window(connection, poll_id).await?;
        windows.insert(poll_id.to_owned(), window);
        if window.is_none() {
            continue;
        }
        stored.insert(poll_id, stored_ballots(connection, poll_id, &members).await?);
        issued.extend(issued_codes(connection, poll_id, &members).await?);
    }

    let steps = plan(ballots, &windows, &stored, &issued, now);
    let inserts: Vec<&NewBallot> = ballots
        .iter()
        .zip(&steps)
        .filter(|(_, step)| matches!(step, Step::Insert))
        .map(|(ballot, _)| *ballot)
        .collect();
    let sequence_numbers = insert_ballots(connection, &inserts, now).await?;
    insert_selections(connection, &inserts, &sequence_numbers).await?;

    let mut outcomes = Vec::with_capacity(ballots.len());
    let mut committed = Vec::new();
    for (ballot, step) in ballots.iter().zip(steps) {
        let outcome = match step {
            Step::Decided(outcome) => outcome,
            Step::Insert => match sequence_numbers.get(&(ballot.poll_id.as_str(), ballot.ballot_id)) {
                Some(&seq) => accept(ballot, seq, now, &mut committed),
                None => SubmitOutcome::AlreadyVoted,
            },
            Step::OnItsOwn => write_one(connection, ballot, now, &mut windows, &mut committed).await?,
        };
        outcomes.push(outcome);
    }

    sqlx::query("COMMIT").execute(&mut *connection).await?;
    // The tally hub skips a ballot whose sequence number is not above the
    // last one it counted, so it must see them in ascending order.
    committed.sort_by_key(|ballot| ballot.seq);
    Ok((outcomes, committed))
}

/// Returns the ballots of each poll, polls in order of first appearance.
fn group_by_poll<'a>(ballots: &[&'a NewBallot]) -> Vec<(&'a str, Vec<&'a NewBallot>)> {
    let mut groups: Vec<(&str, Vec<&NewBallot>)> = Vec::new();
    for &ballot in ballots {
        match groups.iter_mut().find(|(poll_id, _)| *poll_id == ballot.poll_id) {
            Some((_, members)) => members.push(ballot),
            None => groups.push((&ballot.poll_id, vec![ballot])),
        }
    }
    groups
}

/// Decides each ballot as far as the state before the batch allows.
fn plan(
    ballots: &[&NewBallot],
    windows: &Windows,
    stored: &HashMap<&str, HashMap<String, StoredBallot>>,
    issued: &HashSet<(String, Vec<u8>)>,
    now: Timestamp,
) -> Vec<Step> {
    // Keys of ballots that may be stored by this batch.
    let mut claimed_ids: HashSet<(&str, Uuid)> = HashSet::new();
    let mut claimed_voters: HashSet<(&str, [u8; 32])> = HashSet::new();
    let mut steps = Vec::with_capacity(ballots.len());

    for ballot in ballots {
        let poll_id = ballot.poll_id.as_str();
        let id_key = (poll_id, ballot.ballot_id);
        let voter = (poll_id, ballot.voter_key);
        if claimed_ids.contains(&id_key) || claimed_voters.contains(&voter) {
            claimed_ids.insert(id_key);
            claimed_voters.insert(voter);
            steps.push(Step::OnItsOwn);
            continue;
        }

        // A resent ballot returns its receipt, even after the poll closed.
        let earlier = stored
            .get(poll_id)
            .and_then(|by_id| by_id.get(&ballot.ballot_id.to_string()));
        if let Some(earlier) = earlier {
            steps.push(Step::Decided(replay(ballot, &earlier.voter_key, earlier.accepted_at)));
            continue;
        }
        if let Some(outcome) = phase_outcome(windows.get(poll_id).copied().flatten(), now) {
            steps.push(Step::Decided(outcome));
            continue;
        }
        let unknown_code = ballot.participation == Participation::Code
            && !issued.contains(&(poll_id.to_owned(), ballot.voter_key.to_vec()));
        if unknown_code {
            steps.push(Step::Decided(SubmitOutcome::UnknownCode));
            continue;
        }
        claimed_ids.insert(id_key);
        claimed_voters.insert(voter);
        steps.push(Step::Insert);
    }
    steps
}

/// Returns the outcome for a ballot id that is stored already.
fn replay(ballot: &NewBallot, stored_voter_key: &[u8], accepted_at: Timestamp) -> SubmitOutcome {
    if stored_voter_key != ballot.voter_key {
        return SubmitOutcome::BallotIdConflict;
    }
    SubmitOutcome::Replayed(Receipt {
        poll_id: ballot.poll_id.clone(),
        ballot_id: ballot.ballot_id,
        accepted_at,
    })
}

/// Returns the rejection for a poll that is missing or not open at `now`.
fn phase_outcome(window: Option<VotingWindow>, now: Timestamp) -> Option<SubmitOutcome> {
    match window {
        None => Some(SubmitOutcome::PollNotFound),
        Some(window) if window.closed || now >= window.closes_at => Some(SubmitOutcome::PollClosed),
        Some(window) if now < window.opens_at => Some(SubmitOutcome::PollNotOpenYet),
        Some(_) => None,
    }
}

/// Records a newly stored ballot and returns its receipt.
fn accept(
    ballot: &NewBallot,
    seq: i64,
    now: Timestamp,
    committed: &mut Vec<CommittedBallot>,
) -> SubmitOutcome {
    committed.push(CommittedBallot {
        poll_id: ballot.poll_id.clone(),
        seq,
        ballot: ballot.ballot.clone(),
    });
    SubmitOutcome::Accepted(Receipt {
        poll_id: ballot.poll_id.clone(),
        ballot_id: ballot.ballot_id,
        accepted_at: now,
    })
}

async fn read_window(
    connection: &mut SqliteConnection,
    poll_id: &str,
) -> Result<Option<VotingWindow>, sqlx::Error> {
    let row = sqlx::query("SELECT opens_at, closes_at, closed_at FROM polls WHERE id = ?")
        .bind(poll_id)
        .fetch_optional(&mut *connection)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let closed_at: Option<i64> = row.try_get("closed_at")?;
    Ok(Some(VotingWindow {
        opens_at: Timestamp(row.try_get("opens_at")?),
        closes_at: Timestamp(row.try_get("closes_at")?),
        closed: closed_at.is_some(),
    }))
}

/// Returns the stored ballots of `poll_id` whose ids occur in `ballots`,
/// by ballot id.
async fn stored_ballots(
    connection: &mut SqliteConnection,
    poll_id: &str,
    ballots: &[&NewBallot],
) -> Result<HashMap<String, StoredBallot>, sqlx::Error> {
    let mut found = HashMap::new();
    for chunk in ballots.chunks(ROWS_PER_INSERT) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT ballot_id, voter_key, accepted_at FROM ballots WHERE poll_id = ",
        );
        query.push_bind(poll_id).push(" AND ballot_id IN (");
        let mut ids = query.separated(", ");
        for ballot in chunk {
            ids.push_bind(ballot.ballot_id.to_string());
        }
        query.push(")");
        for row in query.build().fetch_all(&mut *connection).await? {
            let stored = StoredBallot {
                voter_key: row.try_get("voter_key")?,
                accepted_at: Timestamp(row.try_get("accepted_at")?),
            };
            found.insert(row.try_get("ballot_id")?, stored);
        }
    }
    Ok(found)
}

/// Returns (poll id, code hash) of the issued invitation codes among the
/// code ballots of `ballots`.
async fn issued_codes(
    connection: &mut SqliteConnection,
    poll_id: &str,
    ballots: &[&NewBallot],
) -> Result<Vec<(String, Vec<u8>)>, sqlx::Error> {
    let code_ballots: Vec<&NewBallot> = ballots
        .iter()
        .filter(|ballot| ballot.participation == Participation::Code)
        .copied()
        .collect();
    let mut issued = Vec::new();
    for chunk in code_ballots.chunks(ROWS_PER_INSERT) {
        let mut query =
            QueryBuilder::<Sqlite>::new("SELECT code_hash FROM invitation_codes WHERE poll_id = ");
        query.push_bind(poll_id).push(" AND code_hash IN (");
        let mut hashes = query.separated(", ");
        for ballot in chunk {
            hashes.push_bind(ballot.voter_key.to_vec());
        }
        query.push(")");
        for row in query.build().fetch_all(&mut *connection).await? {
            issued.push((poll_id.to_owned(), row.try_get("code_hash")?));
        }
    }
    Ok(issued)
}

/// Inserts the ballots, skipping those whose voter has a ballot already,
/// and returns the sequence number of each stored ballot by (poll id,
/// ballot id). The ballots share no ballot id and no voter key.
async fn insert_ballots<'a>(
    connection: &mut SqliteConnection,
    ballots: &[&'a NewBallot],
    now: Timestamp,
) -> Result<HashMap<(&'a str, Uuid), i64>, sqlx::Error> {
    let mut sequence_numbers = HashMap::with_capacity(ballots.len());
    for chunk in ballots.chunks(ROWS_PER_INSERT) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO ballots (poll_id, ballot_id, voter_key, accepted_at) ",
        );
        query.push_values(chunk, |mut row, ballot| {
            row.push_bind(ballot.poll_id.as_str())
                .push_bind(ballot.ballot_id.to_string())
                .push_bind(ballot.voter_key.to_vec())
                .push_bind(now.as_unix_seconds());
        });
        // SQLite returns rows only for inserted ballots, in no promised
        // order, so they are matched by their ids.
        query.push(" ON CONFLICT DO NOTHING RETURNING seq, poll_id, ballot_id");
        let rows = query.build().fetch_all(&mut *connection).await?;
        let mut by_id: HashMap<(String, String), &NewBallot> = chunk
            .iter()
            .map(|ballot| ((ballot.poll_id.clone(), ballot.ballot_id.to_string()), *ballot))
            .collect();
        for row in rows {
            let key = (row.try_get("poll_id")?, row.try_get("ballot_id")?);
            if let Some(ballot) = by_id.remove(&key) {
                sequence_numbers.insert((ballot.poll_id.as_str(), ballot.ballot_id), row.try_get("seq")?);
            }
        }
    }
    Ok(sequence_numbers)
}

/// Inserts the selections of the stored ballots among `ballots`.
async fn insert_selections(
    connection: &mut SqliteConnection,
    ballots: &[&NewBallot],
    sequence_numbers: &HashMap<(&str, Uuid), i64>,
) -> Result<(), sqlx::Error> {
    let mut rows: Vec<(i64, &str, &str, &str)> = Vec::new();
    for ballot in ballots {
        let Some(&seq) = sequence_numbers.get(&(ballot.poll_id.as_str(), ballot.ballot_id)) else {
            continue;
        };
        for (question_id, choice_ids) in &ballot.ballot.selections {
            for choice_id in choice_ids {
                rows.push((seq, &ballot.poll_id, question_id, choice_id));
            }
        }
    }
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO ballot_selections (ballot_seq, poll_id, question_id, choice_id) ",
        );
        query.push_values(chunk, |mut row, (seq, poll_id, question_id, choice_id)| {
            row.push_bind(*seq).push_bind(*poll_id).push_bind(*question_id).push_bind(*choice_id);
        });
        query.build().execute(&mut *connection).await?;
    }
    Ok(())
}

/// Writes one ballot with its own statements: the sequential path for a
/// ballot that shares a key with an earlier ballot of its batch.
async fn write_one(
    connection: &mut SqliteConnection,
    ballot: &NewBallot,
    now: Timestamp,
    windows: &mut Windows,
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
        return Ok(replay(ballot, &voter_key, Timestamp(row.try_get("accepted_at")?)));
    }

    // The phase is checked inside the transaction, so no ballot is accepted
    // after a close has committed.
    let window = match windows.get(&ballot.poll_id) {
        Some(window) => *window,
        None => {
            let window = read_window(connection, &ballot.poll_id).await?;
            windows.insert(ballot.poll_id.clone(), window);
            window
        }
    };
    if let Some(outcome) = phase_outcome(window, now) {
        return Ok(outcome);
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
    Ok(accept(ballot, seq, now, committed))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use ogkit_core::poll::{Ballot, Poll};
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::Connection as _;
    use tempfile::TempDir;

    use super::*;
    use crate::polls::store::{PollStore as _, SqliteStore};

    /// Outcome without the receipt's time, which depends on the clock.
    #[derive(Debug, PartialEq, Eq)]
    enum Kind {
        Accepted,
        Replayed,
        AlreadyVoted,
        BallotIdConflict,
        PollNotFound,
        PollClosed,
        UnknownCode,
    }

    fn kind(outcome: &SubmitOutcome) -> Kind {
        match outcome {
            SubmitOutcome::Accepted(_) => Kind::Accepted,
            SubmitOutcome::Replayed(_) => Kind::Replayed,
            SubmitOutcome::AlreadyVoted => Kind::AlreadyVoted,
            SubmitOutcome::BallotIdConflict => Kind::BallotIdConflict,
            SubmitOutcome::PollNotFound => Kind::PollNotFound,
            SubmitOutcome::PollClosed => Kind::PollClosed,
            SubmitOutcome::PollNotOpenYet => panic!("no test poll opens in the future"),
            SubmitOutcome::UnknownCode => Kind::UnknownCode,
        }
    }

    fn poll(id: &str, participation: Participation) -> Poll {
        let toml = format!(
            r#"id = "{id}"
title = "Test"
opens_at = "2020-01-01T00:00:00Z"
closes_at = "2099-01-01T00:00:00Z"
participation = "{}"
results = "live"

[[questions]]
id = "q"
text = "Welche?"
kind = "single-choice"
choices = [{{ id = "A", label = "A" }}, {{ id = "B", label = "B" }}]
"#,
            if participation == Participation::Code { "code" } else { "open" }
        );
        toml::from_str(&toml).expect("the test poll is valid TOML")
    }

    /// Returns a ballot of `poll_id` with ballot id number `id` from voter number `voter`.
    fn ballot(poll_id: &str, id: u128, voter: u8, participation: Participation) -> NewBallot {
        let mut selections = BTreeMap::new();
        selections.insert("q".to_owned(), vec!["A".to_owned()]);
        NewBallot {
            poll_id: poll_id.to_owned(),
            ballot_id: Uuid::from_u128(id),
            voter_key: [voter; 32],
            participation,
            ballot: Ballot { selections },
        }
    }

    fn open(id: u128, voter: u8) -> NewBallot {
        ballot("open", id, voter, Participation::Open)
    }

    /// Creates a database with the open poll `open`, the code poll `code`
    /// with the codes of voters 1 and 2, and the closed poll `closed`. Returns
    /// it with a connection for the writer.
    async fn database() -> (TempDir, SqliteConnection) {
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        let path = root.path().join("polls.sqlite");
        let store = SqliteStore::open(&path, Arc::new(TallyHub::default())).await.expect("the database opens");
        for (id, participation) in [("open", Participation::Open), ("code", Participation::Code), ("closed", Participation::Open)] {
            store.create_poll(&poll(id, participation), now()).await.expect("the poll is stored");
        }
        store.add_codes("code", &[[1; 32], [2; 32]], now()).await.expect("the codes are stored");
        store.close_poll("closed", now()).await.expect("the poll closes");
        let connection = SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(&path))
            .await
            .expect("the writer connection opens");
        (root, connection)
    }

    async fn write(connection: &mut SqliteConnection, ballots: &[NewBallot]) -> (Vec<Kind>, Vec<CommittedBallot>) {
        let references: Vec<&NewBallot> = ballots.iter().collect();
        let (outcomes, committed) = write_batch(connection, &references).await.expect("the batch is written");
        (outcomes.iter().map(kind).collect(), committed)
    }

    async fn stored_ballots(connection: &mut SqliteConnection) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM ballots").fetch_one(connection).await.expect("the count runs")
    }

    #[tokio::test]
    async fn batch_matches_sequential_outcomes() {
        use Kind::*;
        let cases: Vec<(&str, Vec<NewBallot>, Vec<Kind>)> = vec![
            ("distinct voters", vec![open(1, 1), open(2, 2)], vec![Accepted, Accepted]),
            ("same voter twice", vec![open(1, 1), open(2, 1)], vec![Accepted, AlreadyVoted]),
            ("same ballot twice", vec![open(1, 1), open(1, 1)], vec![Accepted, Replayed]),
            ("ballot id of another voter", vec![open(1, 1), open(1, 2)], vec![Accepted, BallotIdConflict]),
            (
                "chain through a deferred ballot",
                vec![open(1, 1), open(1, 2), open(2, 2), open(3, 3)],
                vec![Accepted, BallotIdConflict, Accepted, Accepted],
            ),
            (
                "unknown and closed polls",
                vec![ballot("missing", 1, 1, Participation::Open), ballot("closed", 2, 2, Participation::Open), open(3, 3)],
                vec![PollNotFound, PollClosed, Accepted],
            ),
            (
                "codes",
                vec![
                    ballot("code", 1, 1, Participation::Code),
                    ballot("code", 2, 9, Participation::Code),
                    ballot("code", 3, 1, Participation::Code),
                    ballot("code", 4, 2, Participation::Code),
                ],
                vec![Accepted, UnknownCode, AlreadyVoted, Accepted],
            ),
            (
                "same ids in two polls",
                vec![open(1, 1), ballot("code", 1, 1, Participation::Code)],
                vec![Accepted, Accepted],
            ),
        ];
        for (name, ballots, expected) in cases {
            let (_root, mut connection) = database().await;
            let (outcomes, committed) = write(&mut connection, &ballots).await;
            assert_eq!(outcomes, expected, "{name}");
            let accepted = expected.iter().filter(|kind| **kind == Accepted).count();
            assert_eq!(committed.len(), accepted, "{name}: committed ballots");
            assert_eq!(stored_ballots(&mut connection).await, accepted as i64, "{name}: stored ballots");
            let sequence: Vec<i64> = committed.iter().map(|ballot| ballot.seq).collect();
            let mut sorted = sequence.clone();
            sorted.sort_unstable();
            assert_eq!(sequence, sorted, "{name}: committed in sequence order");
        }
    }

    #[tokio::test]
    async fn later_batch_sees_stored_ballots() {
        use Kind::*;
        let (_root, mut connection) = database().await;
        let (first, _) = write(&mut connection, &[open(1, 1), ballot("code", 2, 2, Participation::Code)]).await;
        assert_eq!(first, vec![Accepted, Accepted]);

        let second = vec![
            open(1, 1),
            open(5, 1),
            open(1, 7),
            ballot("code", 2, 2, Participation::Code),
            ballot("code", 6, 2, Participation::Code),
            open(8, 8),
        ];
        let (outcomes, committed) = write(&mut connection, &second).await;
        assert_eq!(outcomes, vec![Replayed, AlreadyVoted, BallotIdConflict, Replayed, AlreadyVoted, Accepted]);
        assert_eq!(committed.len(), 1);
        assert_eq!(stored_ballots(&mut connection).await, 3);
    }

    #[tokio::test]
    async fn replay_after_close_returns_receipt() {
        let (_root, mut connection) = database().await;
        let (first, _) = write(&mut connection, &[open(1, 1)]).await;
        assert_eq!(first, vec![Kind::Accepted]);
        sqlx::query("UPDATE polls SET closed_at = 1 WHERE id = 'open'")
            .execute(&mut connection)
            .await
            .expect("the poll closes");
        let (outcomes, _) = write(&mut connection, &[open(1, 1), open(2, 2)]).await;
        assert_eq!(outcomes, vec![Kind::Replayed, Kind::PollClosed]);
    }

    #[tokio::test]
    async fn large_batch_is_split_into_inserts() {
        let (_root, mut connection) = database().await;
        let ballots: Vec<NewBallot> = (0..MAX_BATCH)
            .map(|index| {
                let mut ballot = open(index as u128, 0);
                ballot.voter_key[..8].copy_from_slice(&(index as u64).to_le_bytes());
                ballot
            })
            .collect();
        let (outcomes, committed) = write(&mut connection, &ballots).await;
        assert!(outcomes.iter().all(|kind| *kind == Kind::Accepted), "{outcomes:?}");
        assert_eq!(committed.len(), MAX_BATCH);
        assert_eq!(stored_ballots(&mut connection).await, MAX_BATCH as i64);
        let selections: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ballot_selections")
            .fetch_one(&mut connection)
            .await
            .expect("the count runs");
        assert_eq!(selections, MAX_BATCH as i64);
    }
}
