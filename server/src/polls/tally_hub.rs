//! Live tallies: one in-memory [`Tally`] per poll, kept current by the
//! ballot writer and watched by the result streams.
//!
//! A poll's tally is loaded from the database on first use. After that the
//! writer applies every committed ballot before it responds to the voter. Both
//! steps take the same lock, and each tally remembers the highest ballot
//! sequence number it contains, so a ballot is counted exactly once whether
//! the load or the writer came first. Versions only grow, and a watch
//! channel always holds the newest tally, so a stream never sends an older
//! tally after a newer one.

use std::collections::HashMap;
use std::sync::Arc;

use ogkit_core::poll::{Ballot, Tally};
use serde::Serialize;
use tokio::sync::{watch, Mutex};

use super::store::{PollStore, StoreError, StoredPoll};

/// A ballot that the writer has committed.
#[derive(Debug, Clone)]
pub(crate) struct CommittedBallot {
    pub(crate) poll_id: String,
    pub(crate) seq: i64,
    pub(crate) ballot: Ballot,
}

/// A tally with its version, as sent to clients.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TallySnapshot {
    /// Number of ballots counted; it only grows, so clients can drop any
    /// snapshot with a version lower than one they have shown.
    pub(crate) version: u64,
    #[serde(flatten)]
    pub(crate) tally: Tally,
}

struct LiveTally {
    tally: Tally,
    last_seq: i64,
    sender: watch::Sender<Arc<TallySnapshot>>,
}

/// Every loaded tally, by poll id.
#[derive(Default)]
pub(crate) struct TallyHub {
    polls: Mutex<HashMap<String, LiveTally>>,
}

impl TallyHub {
    /// Returns a receiver of the poll's tally, loading it from `store` on
    /// first use.
    pub(crate) async fn watch<S: PollStore>(
        &self,
        store: &S,
        stored: &StoredPoll,
    ) -> Result<watch::Receiver<Arc<TallySnapshot>>, StoreError> {
        let mut polls = self.polls.lock().await;
        if let Some(live) = polls.get(&stored.poll.id) {
            return Ok(live.sender.subscribe());
        }

        // The lock is held while loading, so the writer cannot apply a
        // ballot between this read and the insert below.
        let counts = store.counts(&stored.poll.id).await?;
        let tally = Tally::from_counts(&stored.poll, counts.participants, |question, choice| {
            counts.counts.get(&(question.to_owned(), choice.to_owned())).copied().unwrap_or(0)
        });
        let snapshot = Arc::new(TallySnapshot { version: tally.participants, tally: tally.clone() });
        let (sender, receiver) = watch::channel(snapshot);
        polls.insert(stored.poll.id.clone(), LiveTally { tally, last_seq: counts.last_seq, sender });
        Ok(receiver)
    }

    /// Counts committed ballots into the loaded tallies. Ballots of polls
    /// not loaded yet are skipped, because loading reads them from the
    /// database.
    pub(crate) async fn apply(&self, committed: Vec<CommittedBallot>) {
        if committed.is_empty() {
            return;
        }
        let mut polls = self.polls.lock().await;
        let mut changed = Vec::new();
        for ballot in committed {
            let Some(live) = polls.get_mut(&ballot.poll_id) else {
                continue;
            };
            if ballot.seq <= live.last_seq {
                continue;
            }
            live.tally.add(&ballot.ballot);
            live.last_seq = ballot.seq;
            if !changed.contains(&ballot.poll_id) {
                changed.push(ballot.poll_id);
            }
        }
        for poll_id in changed {
            if let Some(live) = polls.get(&poll_id) {
                let snapshot =
                    TallySnapshot { version: live.tally.participants, tally: live.tally.clone() };
                live.sender.send_replace(Arc::new(snapshot));
            }
        }
    }
}
