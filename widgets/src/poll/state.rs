//! The widget's state and every rule that decides what it shows, with no
//! browser in sight: which stage a poll is in for this browser, whether
//! its results are visible, the selection limits of a question, and the
//! ballot attempt that a retry resends.
//!
//! The component keeps one [`PollState`] in a Yew reducer. Each
//! [`Action`] changes it here; the component only runs the side effects
//! (fetching, storage, focus) that the counters in the state ask for:
//! a changed `load_seq` loads the poll, a changed `send_seq` sends the
//! current attempt, a changed `vote_seq` stores the receipt, dispatches
//! `og-vote` and moves focus to the confirmation.

use std::collections::BTreeMap;
use std::rc::Rc;

use ogkit_core::poll::{
    Ballot, Participation, Poll, PollPhase, Question, QuestionKind, ResultsVisibility, Timestamp, Violation,
};
use yew::Reducible;

use super::api::{BallotOutcome, LoadFailure, PollInfo, Receipt, Results};

/// Shortest time between two announcements of changed results, in
/// milliseconds: a busy poll changes every second, and a screen reader
/// that reads each change drowns everything else.
pub const RESULTS_ANNOUNCE_INTERVAL_MS: f64 = 15_000.0;

/// Record of this browser's ballot in a poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVote {
    /// The ballot's id; `None` when the server reported a ballot of this
    /// voter that this browser has no receipt for.
    pub ballot_id: Option<String>,
    /// When the server stored it, if known.
    pub accepted_at: Option<Timestamp>,
}

impl StoredVote {
    /// Creates the record of an acknowledged ballot.
    pub fn from_receipt(receipt: &Receipt) -> StoredVote {
        StoredVote { ballot_id: Some(receipt.ballot_id.clone()), accepted_at: Some(receipt.accepted_at) }
    }
}

/// Stage of the poll for this browser, which decides the main content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Before the poll opens: no form yet.
    NotOpenYet,
    /// Open, and this browser has not voted: the form.
    Voting,
    /// Open, and this browser has voted: the confirmation.
    Voted,
    /// Closed.
    Closed,
}

impl Stage {
    /// Returns the value of the `data-og-poll` hook.
    pub fn hook(self) -> &'static str {
        match self {
            Stage::NotOpenYet => "not-open-yet",
            Stage::Voting => "open",
            Stage::Voted => "voted",
            Stage::Closed => "closed",
        }
    }
}

/// Whether and how the results can be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResultsAccess {
    /// No results area, because the poll has not opened.
    None,
    /// Visible: load them, passing `ballot` when the poll shows results
    /// after voting, and follow the result stream when `live`.
    Visible { ballot: Option<String>, live: bool },
    /// Shown once this browser has voted.
    AfterVote,
    /// Shown once the poll has closed.
    AfterClose,
}

/// The stage and results access of a poll for this browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub stage: Stage,
    pub results: ResultsAccess,
}

/// Decides what to show from the poll, its phase at the server's clock and
/// the vote this browser has stored.
pub fn decide(info: &PollInfo, vote: Option<&StoredVote>) -> Decision {
    let poll = &info.poll;
    let stage = match (info.phase, vote) {
        (PollPhase::NotOpenYet, _) => Stage::NotOpenYet,
        (PollPhase::Open, None) => Stage::Voting,
        (PollPhase::Open, Some(_)) => Stage::Voted,
        (PollPhase::Closed, _) => Stage::Closed,
    };
    let ballot = vote.and_then(|vote| vote.ballot_id.clone());
    let proves_ballot = ballot.is_some();
    let live = info.phase == PollPhase::Open;
    let results = if info.phase == PollPhase::NotOpenYet {
        ResultsAccess::None
    } else if poll.results_visible(info.phase, proves_ballot) {
        // Only after-vote results need the proof; sending it elsewhere
        // would tell the server more than it needs.
        let ballot = if poll.results == ResultsVisibility::AfterVote && info.phase != PollPhase::Closed {
            ballot
        } else {
            None
        };
        ResultsAccess::Visible { ballot, live }
    } else if poll.results == ResultsVisibility::AfterVote && vote.is_none() {
        ResultsAccess::AfterVote
    } else {
        ResultsAccess::AfterClose
    };
    Decision { stage, results }
}

/// How many choices a question takes, as shown beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Single choice: exactly one.
    One,
    /// Multiple choice with the same minimum and maximum.
    Exactly(u32),
    /// At least this many, up to every choice.
    AtLeast(u32),
    /// Up to this many, or none.
    AtMost(u32),
    /// Between a minimum (at least 1) and a maximum.
    Between(u32, u32),
    /// Any number, also none.
    Any,
}

/// Returns the limit of a question in its simplest wording.
pub fn limit(question: &Question) -> Limit {
    if question.kind == QuestionKind::SingleChoice {
        return Limit::One;
    }
    let choices = u32::try_from(question.choices.len()).unwrap_or(u32::MAX);
    let max = question.max().min(choices);
    let min = question.min().min(max);
    match (min, max) {
        (min, max) if min == max => Limit::Exactly(min),
        (0, max) if max >= choices => Limit::Any,
        (0, max) => Limit::AtMost(max),
        (min, max) if max >= choices => Limit::AtLeast(min),
        (min, max) => Limit::Between(min, max),
    }
}

/// A problem of the selection at one question, found before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionProblem {
    /// Id of the question.
    pub question: String,
    /// Kind of problem.
    pub kind: ProblemKind,
}

/// Kind of problem with the selection at a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// Fewer choices than the minimum.
    TooFew,
    /// More choices than the maximum.
    TooMany,
    /// Another problem that the server reported, by its message key.
    Other(Violation),
}

/// Checks the selection with the core ballot check and returns one
/// problem per question that breaks its limit, in question order.
pub fn check_selection(poll: &Poll, selection: &BTreeMap<String, Vec<String>>) -> Vec<QuestionProblem> {
    let ballot = Ballot { selections: selection.clone() };
    problems_from_violations(poll.check_ballot(&ballot))
}

/// Turns violations (from the core check or the server) into at most one
/// problem per question; violations without a question keep their key.
pub fn problems_from_violations(violations: Vec<Violation>) -> Vec<QuestionProblem> {
    let mut problems: Vec<QuestionProblem> = Vec::new();
    for violation in violations {
        let question = violation.question.clone().unwrap_or_default();
        if problems.iter().any(|problem| problem.question == question) {
            continue;
        }
        let kind = match violation.key.as_str() {
            "ballot.too_few_choices" => ProblemKind::TooFew,
            "ballot.too_many_choices" => ProblemKind::TooMany,
            _ => ProblemKind::Other(violation),
        };
        problems.push(QuestionProblem { question, kind });
    }
    problems
}

/// One try to cast a ballot: the id is chosen once and resent unchanged
/// on every retry of the same selection, so a ballot whose response was lost
/// is stored once and the retry returns its receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// Random UUID of the ballot.
    pub ballot_id: String,
    /// The selection as sent.
    pub selections: BTreeMap<String, Vec<String>>,
    /// The invitation code as sent (code polls only).
    pub code: String,
}

/// Returns the attempt for sending `selections` and `code`: the previous
/// one when nothing changed, else a new one with `fresh_id`.
pub fn next_attempt(
    previous: Option<&Attempt>,
    selections: &BTreeMap<String, Vec<String>>,
    code: &str,
    fresh_id: String,
) -> Attempt {
    match previous {
        Some(previous) if previous.selections == *selections && previous.code == code => previous.clone(),
        _ => Attempt { ballot_id: fresh_id, selections: selections.clone(), code: code.to_owned() },
    }
}

/// A problem with the invitation code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeProblem {
    /// Nothing typed.
    Missing,
    /// The server does not know the code.
    Wrong,
    /// A ballot with this code is stored already.
    Used,
}

/// Loading state of the poll.
#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    Loading,
    Failed(LoadFailure),
    Ready(Rc<PollInfo>),
}

/// Sending state of the ballot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sending {
    Idle,
    InFlight,
    /// No response at all, so the retry resends the same attempt.
    NoResponse,
    /// A rejection that the form cannot fix by itself.
    Failed(BallotOutcome),
}

/// Results as far as they are loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum ResultsLoad {
    Waiting,
    Failed(LoadFailure),
    Ready(Rc<Results>),
}

/// A message for the polite live region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    Sending,
    Voted,
    AlreadyVoted,
    FixProblems(usize),
    SendFailed,
    ResultsUpdated(u64),
}

/// Everything the widget shows, changed only by [`Action`]s.
#[derive(Debug, Clone, PartialEq)]
pub struct PollState {
    pub load: Load,
    /// Incremented to (re)load the poll.
    pub load_seq: u32,
    pub vote: Option<StoredVote>,
    pub selection: BTreeMap<String, Vec<String>>,
    pub code: String,
    pub attempt: Option<Attempt>,
    pub sending: Sending,
    /// Incremented to send `attempt`.
    pub send_seq: u32,
    pub problems: Vec<QuestionProblem>,
    pub code_problem: Option<CodeProblem>,
    /// Incremented when problems are shown, to focus their summary.
    pub problems_seq: u32,
    /// The receipt of the ballot cast on this page, for the confirmation.
    pub receipt: Option<Receipt>,
    /// Incremented when a ballot is acknowledged.
    pub vote_seq: u32,
    pub results: ResultsLoad,
    /// Incremented to (re)load the results.
    pub results_seq: u32,
    pub notice: Option<Notice>,
    /// Time of the last results announcement, in ms since the epoch.
    last_results_notice_ms: f64,
}

/// A change to the widget's state.
#[derive(Debug, Clone)]
pub enum Action {
    /// The poll was fetched (or failed) for load number `seq`.
    Loaded { seq: u32, result: Result<PollInfo, LoadFailure> },
    /// Load the poll again, keeping what the user selected.
    Reload,
    /// A radio button or checkbox changed.
    Select { question: String, choice: String, checked: bool },
    /// The invitation code field changed.
    SetCode(String),
    /// The form was submitted; `fresh_id` is a new random ballot id, used
    /// unless the selection is unchanged since the last attempt.
    Submit { fresh_id: String },
    /// Resend the last attempt unchanged.
    Retry,
    /// The outcome of send number `seq`; `None` when no response arrived.
    Sent { seq: u32, outcome: Option<BallotOutcome> },
    /// Results arrived, from a request (`streamed` false) or the stream.
    ResultsLoaded { result: Result<Results, LoadFailure>, streamed: bool, now_ms: f64 },
    /// Load the results again.
    ReloadResults,
}

impl PollState {
    /// Creates the state of a widget that starts loading, with the vote
    /// this browser stored earlier.
    pub fn new(vote: Option<StoredVote>) -> PollState {
        PollState {
            load: Load::Loading,
            load_seq: 1,
            vote,
            selection: BTreeMap::new(),
            code: String::new(),
            attempt: None,
            sending: Sending::Idle,
            send_seq: 0,
            problems: Vec::new(),
            code_problem: None,
            problems_seq: 0,
            receipt: None,
            vote_seq: 0,
            results: ResultsLoad::Waiting,
            results_seq: 0,
            notice: None,
            last_results_notice_ms: f64::NEG_INFINITY,
        }
    }

    /// Returns the loaded poll.
    pub fn info(&self) -> Option<&PollInfo> {
        match &self.load {
            Load::Ready(info) => Some(info),
            _ => None,
        }
    }

    /// Returns the decision for the loaded poll.
    pub fn decision(&self) -> Option<Decision> {
        self.info().map(|info| decide(info, self.vote.as_ref()))
    }

    /// Applies one action.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Loaded { seq, result } => self.loaded(seq, result),
            Action::Reload => {
                self.load_seq = self.load_seq.wrapping_add(1);
                if !matches!(self.load, Load::Ready(_)) {
                    self.load = Load::Loading;
                }
            }
            Action::Select { question, choice, checked } => self.select(question, choice, checked),
            Action::SetCode(code) => {
                self.code = code;
                if self.code_problem.is_some() {
                    self.code_problem = None;
                }
            }
            Action::Submit { fresh_id } => self.submit(fresh_id),
            Action::Retry => {
                if self.attempt.is_some() && self.sending != Sending::InFlight {
                    self.start_sending();
                }
            }
            Action::Sent { seq, outcome } => {
                if seq == self.send_seq && self.sending == Sending::InFlight {
                    self.sent(outcome);
                }
            }
            Action::ResultsLoaded { result, streamed, now_ms } => self.results_loaded(result, streamed, now_ms),
            Action::ReloadResults => {
                self.results_seq = self.results_seq.wrapping_add(1);
                self.results = ResultsLoad::Waiting;
            }
        }
    }

    fn loaded(&mut self, seq: u32, result: Result<PollInfo, LoadFailure>) {
        if seq != self.load_seq {
            return;
        }
        let before = self.decision();
        match result {
            Ok(info) => self.load = Load::Ready(Rc::new(info)),
            // A failed background reload keeps the poll on screen.
            Err(failure) if !matches!(self.load, Load::Ready(_)) => self.load = Load::Failed(failure),
            Err(_) => {}
        }
        if self.decision() != before {
            self.results_changed();
        }
    }

    fn select(&mut self, question_id: String, choice: String, checked: bool) {
        let Some(question) = self.info().and_then(|info| info.poll.question(&question_id)) else {
            return;
        };
        let single = question.kind == QuestionKind::SingleChoice;
        let selected = self.selection.entry(question_id).or_default();
        if single {
            *selected = vec![choice];
        } else if checked {
            if !selected.contains(&choice) {
                selected.push(choice);
            }
        } else {
            selected.retain(|existing| *existing != choice);
        }
        // Shown problems follow the selection, so a fixed question loses
        // its message at once; new problems appear only on submit.
        if !self.problems.is_empty() {
            if let Some(info) = self.info() {
                let current = check_selection(&info.poll, &self.selection);
                self.problems.retain(|shown| current.iter().any(|problem| problem.question == shown.question));
            }
        }
    }

    fn submit(&mut self, fresh_id: String) {
        if self.sending == Sending::InFlight {
            return;
        }
        let Some(info) = self.info() else { return };
        if decide(info, self.vote.as_ref()).stage != Stage::Voting {
            return;
        }
        let code_poll = info.poll.participation == Participation::Code;
        self.problems = check_selection(&info.poll, &self.selection);
        self.code_problem = (code_poll && self.code.trim().is_empty()).then_some(CodeProblem::Missing);
        let count = self.problems.len() + usize::from(self.code_problem.is_some());
        if count > 0 {
            self.problems_seq = self.problems_seq.wrapping_add(1);
            self.notice = Some(Notice::FixProblems(count));
            self.sending = Sending::Idle;
            return;
        }
        let code = if code_poll { self.code.trim().to_owned() } else { String::new() };
        self.attempt = Some(next_attempt(self.attempt.as_ref(), &self.selection, &code, fresh_id));
        self.start_sending();
    }

    fn start_sending(&mut self) {
        self.sending = Sending::InFlight;
        self.send_seq = self.send_seq.wrapping_add(1);
        self.notice = Some(Notice::Sending);
    }

    fn sent(&mut self, outcome: Option<BallotOutcome>) {
        let code_poll = self.info().is_some_and(|info| info.poll.participation == Participation::Code);
        self.sending = Sending::Idle;
        let Some(outcome) = outcome else {
            self.sending = Sending::NoResponse;
            self.notice = Some(Notice::SendFailed);
            return;
        };
        match outcome {
            BallotOutcome::Accepted(receipt) => {
                self.vote = Some(StoredVote::from_receipt(&receipt));
                self.receipt = Some(receipt);
                self.attempt = None;
                self.code.clear();
                self.vote_seq = self.vote_seq.wrapping_add(1);
                self.notice = Some(Notice::Voted);
                self.results_changed();
            }
            BallotOutcome::AlreadyVoted if code_poll => self.code_failed(CodeProblem::Used),
            BallotOutcome::Unauthorized if code_poll => self.code_failed(CodeProblem::Wrong),
            BallotOutcome::AlreadyVoted => {
                self.vote = Some(StoredVote { ballot_id: None, accepted_at: None });
                self.attempt = None;
                self.vote_seq = self.vote_seq.wrapping_add(1);
                self.notice = Some(Notice::AlreadyVoted);
                self.results_changed();
            }
            BallotOutcome::Invalid(violations) => {
                self.problems = problems_from_violations(violations);
                self.problems_seq = self.problems_seq.wrapping_add(1);
                self.notice = Some(Notice::FixProblems(self.problems.len()));
            }
            outcome @ (BallotOutcome::Closed | BallotOutcome::NotOpenYet | BallotOutcome::NotFound) => {
                // The poll changed since the page loaded it: load it again, and show why.
                self.load_seq = self.load_seq.wrapping_add(1);
                self.sending = Sending::Failed(outcome);
                self.notice = Some(Notice::SendFailed);
            }
            outcome => {
                if outcome == BallotOutcome::BallotIdConflict {
                    self.attempt = None;
                }
                self.sending = Sending::Failed(outcome);
                self.notice = Some(Notice::SendFailed);
            }
        }
    }

    fn code_failed(&mut self, problem: CodeProblem) {
        self.code_problem = Some(problem);
        self.problems_seq = self.problems_seq.wrapping_add(1);
        self.notice = Some(Notice::FixProblems(1));
    }

    fn results_changed(&mut self) {
        self.results_seq = self.results_seq.wrapping_add(1);
        self.results = ResultsLoad::Waiting;
    }

    fn results_loaded(&mut self, result: Result<Results, LoadFailure>, streamed: bool, now_ms: f64) {
        let Some(poll_id) = self.info().map(|info| info.poll.id.clone()) else { return };
        match result {
            Ok(results) if results.tally.poll_id == poll_id => {
                let previous = match &self.results {
                    ResultsLoad::Ready(shown) => Some(shown.version),
                    _ => None,
                };
                if previous.is_some_and(|version| results.version < version) {
                    return;
                }
                let changed = previous.is_some_and(|version| results.version > version);
                if streamed && changed && now_ms - self.last_results_notice_ms >= RESULTS_ANNOUNCE_INTERVAL_MS {
                    self.last_results_notice_ms = now_ms;
                    self.notice = Some(Notice::ResultsUpdated(results.tally.participants));
                }
                self.results = ResultsLoad::Ready(Rc::new(results));
            }
            Ok(_) => self.results = ResultsLoad::Failed(LoadFailure::InvalidResponse),
            // A stream error keeps the shown results; the browser reconnects.
            Err(_) if streamed && matches!(self.results, ResultsLoad::Ready(_)) => {}
            Err(failure) => self.results = ResultsLoad::Failed(failure),
        }
    }
}

impl Reducible for PollState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut state = Rc::unwrap_or_clone(self);
        state.apply(action);
        Rc::new(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poll::api::decode_poll;

    fn poll_json(phase: &str, participation: &str, results: &str) -> String {
        format!(
            r#"{{
            "id": "radweg", "title": "Radweg",
            "questions": [
                {{"id": "route", "text": "Welche Route?", "kind": "single-choice",
                 "choices": [{{"id": "a", "label": "A"}}, {{"id": "b", "label": "B"}}]}},
                {{"id": "extras", "text": "Was fehlt?", "kind": "multiple-choice", "min_selections": 1, "max_selections": 2,
                 "choices": [{{"id": "licht", "label": "Licht"}}, {{"id": "baenke", "label": "Bänke"}}, {{"id": "wasser", "label": "Wasser"}}]}}
            ],
            "opens_at": "2026-03-01T07:00:00Z", "closes_at": "2026-03-31T16:00:00Z",
            "participation": "{participation}", "results": "{results}", "phase": "{phase}"
        }}"#
        )
    }

    fn info(phase: &str, participation: &str, results: &str) -> PollInfo {
        match decode_poll(200, &poll_json(phase, participation, results)) {
            Ok(info) => info,
            Err(failure) => panic!("test poll does not decode: {failure:?}"),
        }
    }

    fn voted() -> StoredVote {
        StoredVote { ballot_id: Some("0b0e5f6c-7a43-4d7e-9d0c-3c1f1f0a9b11".into()), accepted_at: None }
    }

    fn ready(phase: &str, participation: &str, results: &str) -> PollState {
        let mut state = PollState::new(None);
        state.apply(Action::Loaded { seq: 1, result: Ok(info(phase, participation, results)) });
        state
    }

    fn select_valid(state: &mut PollState) {
        state.apply(Action::Select { question: "route".into(), choice: "a".into(), checked: true });
        state.apply(Action::Select { question: "extras".into(), choice: "licht".into(), checked: true });
    }

    fn receipt(ballot_id: &str) -> Receipt {
        Receipt {
            poll_id: "radweg".into(),
            ballot_id: ballot_id.into(),
            accepted_at: Timestamp::parse("2026-03-02T10:00:00Z").unwrap_or(Timestamp(0)),
        }
    }

    mod decision {
        use super::*;

        fn visible(ballot: Option<&str>, live: bool) -> ResultsAccess {
            ResultsAccess::Visible { ballot: ballot.map(str::to_owned), live }
        }

        #[test]
        fn table_of_phases_votes_and_visibility() {
            let ballot = "0b0e5f6c-7a43-4d7e-9d0c-3c1f1f0a9b11";
            let cases = [
                ("not-open-yet", false, "live", Stage::NotOpenYet, ResultsAccess::None),
                ("open", false, "live", Stage::Voting, visible(None, true)),
                ("open", true, "live", Stage::Voted, visible(None, true)),
                ("open", false, "after-vote", Stage::Voting, ResultsAccess::AfterVote),
                ("open", true, "after-vote", Stage::Voted, visible(Some(ballot), true)),
                ("open", false, "after-close", Stage::Voting, ResultsAccess::AfterClose),
                ("open", true, "after-close", Stage::Voted, ResultsAccess::AfterClose),
                ("closed", false, "after-close", Stage::Closed, visible(None, false)),
                ("closed", true, "after-vote", Stage::Closed, visible(None, false)),
                ("closed", false, "live", Stage::Closed, visible(None, false)),
            ];
            for (phase, has_vote, results, stage, access) in cases {
                let vote = has_vote.then(voted);
                let decision = decide(&info(phase, "open", results), vote.as_ref());
                assert_eq!(decision.stage, stage, "{phase} {has_vote} {results}");
                assert_eq!(decision.results, access, "{phase} {has_vote} {results}");
            }
        }

        #[test]
        fn vote_without_receipt_waits_for_close() {
            let vote = StoredVote { ballot_id: None, accepted_at: None };
            let decision = decide(&info("open", "open", "after-vote"), Some(&vote));
            assert_eq!(decision.stage, Stage::Voted);
            assert_eq!(decision.results, ResultsAccess::AfterClose);
        }
    }

    mod limits {
        use super::*;

        fn question(kind: QuestionKind, choices: usize, min: Option<u32>, max: Option<u32>) -> Question {
            Question {
                id: "q".into(),
                text: "Q".into(),
                description: None,
                kind,
                min_selections: min,
                max_selections: max,
                choices: (0..choices)
                    .map(|index| ogkit_core::poll::Choice { id: format!("c{index}"), label: "C".into(), description: None })
                    .collect(),
            }
        }

        #[test]
        fn table_of_limits() {
            use QuestionKind::{MultipleChoice as M, SingleChoice as S};
            let cases = [
                (question(S, 3, None, None), Limit::One),
                (question(M, 3, None, None), Limit::AtLeast(1)),
                (question(M, 3, Some(2), Some(2)), Limit::Exactly(2)),
                (question(M, 3, Some(0), None), Limit::Any),
                (question(M, 4, Some(0), Some(2)), Limit::AtMost(2)),
                (question(M, 4, Some(2), Some(3)), Limit::Between(2, 3)),
                (question(M, 4, Some(1), Some(1)), Limit::Exactly(1)),
                // A maximum above the number of choices means every choice.
                (question(M, 3, Some(2), Some(9)), Limit::AtLeast(2)),
            ];
            for (question, expected) in cases {
                assert_eq!(limit(&question), expected, "{question:?}");
            }
        }

        #[test]
        fn selection_problems_come_per_question() {
            let info = info("open", "open", "live");
            let mut selection = BTreeMap::new();
            selection.insert("extras".to_owned(), vec!["licht".to_owned(), "baenke".to_owned(), "wasser".to_owned()]);
            let problems = check_selection(&info.poll, &selection);
            let found: Vec<(&str, &ProblemKind)> =
                problems.iter().map(|problem| (problem.question.as_str(), &problem.kind)).collect();
            assert_eq!(found, vec![("route", &ProblemKind::TooFew), ("extras", &ProblemKind::TooMany)]);
        }

        #[test]
        fn valid_selection_has_no_problem() {
            let mut state = ready("open", "open", "live");
            select_valid(&mut state);
            let problems = state.info().map(|info| check_selection(&info.poll, &state.selection));
            assert_eq!(problems, Some(Vec::new()));
        }
    }

    mod when_submitting {
        use super::*;

        #[test]
        fn problems_block_sending() {
            let mut state = ready("open", "open", "live");
            state.apply(Action::Submit { fresh_id: "id-1".into() });
            assert_eq!(state.send_seq, 0);
            assert_eq!(state.problems.len(), 2);
            assert_eq!(state.problems_seq, 1);
            assert_eq!(state.notice, Some(Notice::FixProblems(2)));
        }

        #[test]
        fn fixed_question_loses_its_problem() {
            let mut state = ready("open", "open", "live");
            state.apply(Action::Submit { fresh_id: "id-1".into() });
            state.apply(Action::Select { question: "route".into(), choice: "b".into(), checked: true });
            let questions: Vec<&str> = state.problems.iter().map(|problem| problem.question.as_str()).collect();
            assert_eq!(questions, vec!["extras"]);
        }

        #[test]
        fn radio_replaces_and_checkbox_toggles() {
            let mut state = ready("open", "open", "live");
            state.apply(Action::Select { question: "route".into(), choice: "a".into(), checked: true });
            state.apply(Action::Select { question: "route".into(), choice: "b".into(), checked: true });
            state.apply(Action::Select { question: "extras".into(), choice: "licht".into(), checked: true });
            state.apply(Action::Select { question: "extras".into(), choice: "wasser".into(), checked: true });
            state.apply(Action::Select { question: "extras".into(), choice: "licht".into(), checked: false });
            assert_eq!(state.selection.get("route"), Some(&vec!["b".to_owned()]));
            assert_eq!(state.selection.get("extras"), Some(&vec!["wasser".to_owned()]));
        }

        #[test]
        fn unknown_question_is_ignored() {
            let mut state = ready("open", "open", "live");
            state.apply(Action::Select { question: "nope".into(), choice: "a".into(), checked: true });
            assert!(state.selection.is_empty());
        }

        #[test]
        fn code_poll_needs_a_code() {
            let mut state = ready("open", "code", "live");
            select_valid(&mut state);
            state.apply(Action::Submit { fresh_id: "id-1".into() });
            assert_eq!(state.code_problem, Some(CodeProblem::Missing));
            assert_eq!(state.send_seq, 0);
            state.apply(Action::SetCode(" K7QM-2XHD-PW9A ".into()));
            assert_eq!(state.code_problem, None);
            state.apply(Action::Submit { fresh_id: "id-1".into() });
            assert_eq!(state.attempt.as_ref().map(|attempt| attempt.code.as_str()), Some("K7QM-2XHD-PW9A"));
        }

        #[test]
        fn double_submit_sends_once() {
            let mut state = ready("open", "open", "live");
            select_valid(&mut state);
            state.apply(Action::Submit { fresh_id: "id-1".into() });
            state.apply(Action::Submit { fresh_id: "id-2".into() });
            assert_eq!(state.send_seq, 1);
            assert_eq!(state.attempt.as_ref().map(|attempt| attempt.ballot_id.as_str()), Some("id-1"));
        }

        #[test]
        fn closed_poll_sends_nothing() {
            let mut state = ready("closed", "open", "live");
            select_valid(&mut state);
            state.apply(Action::Submit { fresh_id: "id-1".into() });
            assert_eq!(state.send_seq, 0);
        }
    }

    mod when_the_response_is_lost {
        use super::*;

        fn lost() -> PollState {
            let mut state = ready("open", "open", "live");
            select_valid(&mut state);
            state.apply(Action::Submit { fresh_id: "id-1".into() });
            state.apply(Action::Sent { seq: 1, outcome: None });
            state
        }

        #[test]
        fn selection_is_kept() {
            let state = lost();
            assert_eq!(state.sending, Sending::NoResponse);
            assert_eq!(state.selection.get("route"), Some(&vec!["a".to_owned()]));
            assert_eq!(state.notice, Some(Notice::SendFailed));
        }

        #[test]
        fn retry_resends_same_ballot_id() {
            let mut state = lost();
            state.apply(Action::Retry);
            assert_eq!(state.send_seq, 2);
            assert_eq!(state.attempt.as_ref().map(|attempt| attempt.ballot_id.as_str()), Some("id-1"));
        }

        #[test]
        fn resubmitting_same_selection_keeps_id() {
            let mut state = lost();
            state.apply(Action::Submit { fresh_id: "id-2".into() });
            assert_eq!(state.attempt.as_ref().map(|attempt| attempt.ballot_id.as_str()), Some("id-1"));
        }

        #[test]
        fn changed_selection_gets_new_id() {
            let mut state = lost();
            state.apply(Action::Select { question: "route".into(), choice: "b".into(), checked: true });
            state.apply(Action::Submit { fresh_id: "id-2".into() });
            assert_eq!(state.attempt.as_ref().map(|attempt| attempt.ballot_id.as_str()), Some("id-2"));
        }

        #[test]
        fn late_response_of_old_send_is_ignored() {
            let mut state = lost();
            state.apply(Action::Retry);
            state.apply(Action::Sent { seq: 1, outcome: Some(BallotOutcome::Accepted(receipt("id-1"))) });
            assert_eq!(state.sending, Sending::InFlight);
            assert_eq!(state.vote, None);
        }
    }

    mod when_the_server_responds {
        use super::*;

        fn sent(participation: &str, outcome: BallotOutcome) -> PollState {
            let mut state = ready("open", participation, "after-vote");
            select_valid(&mut state);
            state.apply(Action::SetCode("K7QM-2XHD-PW9A".into()));
            state.apply(Action::Submit { fresh_id: "0b0e5f6c-7a43-4d7e-9d0c-3c1f1f0a9b11".into() });
            state.apply(Action::Sent { seq: 1, outcome: Some(outcome) });
            state
        }

        #[test]
        fn receipt_makes_the_browser_voted() {
            let state = sent("open", BallotOutcome::Accepted(receipt("0b0e5f6c-7a43-4d7e-9d0c-3c1f1f0a9b11")));
            assert_eq!(state.decision().map(|decision| decision.stage), Some(Stage::Voted));
            assert_eq!(state.vote_seq, 1);
            assert_eq!(state.results_seq, 2, "results are reloaded for the new visibility");
            assert_eq!(state.attempt, None);
            assert_eq!(state.notice, Some(Notice::Voted));
        }

        #[test]
        fn already_voted_in_open_poll_is_a_vote() {
            let state = sent("open", BallotOutcome::AlreadyVoted);
            assert_eq!(state.decision().map(|decision| decision.stage), Some(Stage::Voted));
            assert_eq!(state.receipt, None);
        }

        #[test]
        fn code_errors_stay_in_the_form() {
            let used = sent("code", BallotOutcome::AlreadyVoted);
            assert_eq!(used.code_problem, Some(CodeProblem::Used));
            assert_eq!(used.decision().map(|decision| decision.stage), Some(Stage::Voting));
            let wrong = sent("code", BallotOutcome::Unauthorized);
            assert_eq!(wrong.code_problem, Some(CodeProblem::Wrong));
        }

        #[test]
        fn closed_response_reloads_the_poll() {
            let state = sent("open", BallotOutcome::Closed);
            assert_eq!(state.load_seq, 2);
            assert_eq!(state.sending, Sending::Failed(BallotOutcome::Closed));
        }

        #[test]
        fn server_violations_become_problems() {
            let violation = Violation::new("ballot.too_many_choices").in_question("extras");
            let state = sent("open", BallotOutcome::Invalid(vec![violation]));
            assert_eq!(state.problems, vec![QuestionProblem { question: "extras".into(), kind: ProblemKind::TooMany }]);
        }

        #[test]
        fn id_conflict_drops_the_attempt() {
            let state = sent("open", BallotOutcome::BallotIdConflict);
            assert_eq!(state.attempt, None);
        }
    }

    mod when_results_arrive {
        use super::*;
        use crate::poll::api::decode_results;

        fn results(version: u64, poll_id: &str) -> Results {
            let body = format!(
                r#"{{"version": {version}, "poll_id": "{poll_id}", "participants": {version}, "phase": "open", "questions": []}}"#
            );
            match decode_results(200, &body) {
                Ok(results) => results,
                Err(failure) => panic!("test results do not decode: {failure:?}"),
            }
        }

        fn shown_version(state: &PollState) -> Option<u64> {
            match &state.results {
                ResultsLoad::Ready(results) => Some(results.version),
                _ => None,
            }
        }

        #[test]
        fn older_version_is_dropped() {
            let mut state = ready("open", "open", "live");
            state.apply(Action::ResultsLoaded { result: Ok(results(5, "radweg")), streamed: true, now_ms: 0.0 });
            state.apply(Action::ResultsLoaded { result: Ok(results(4, "radweg")), streamed: false, now_ms: 0.0 });
            assert_eq!(shown_version(&state), Some(5));
        }

        #[test]
        fn other_poll_is_rejected() {
            let mut state = ready("open", "open", "live");
            state.apply(Action::ResultsLoaded { result: Ok(results(5, "other")), streamed: false, now_ms: 0.0 });
            assert_eq!(state.results, ResultsLoad::Failed(LoadFailure::InvalidResponse));
        }

        #[test]
        fn updates_are_announced_sparingly() {
            let mut state = ready("open", "open", "live");
            let load = |state: &mut PollState, version, now_ms| {
                state.apply(Action::ResultsLoaded { result: Ok(results(version, "radweg")), streamed: true, now_ms });
            };
            load(&mut state, 1, 0.0);
            assert_eq!(state.notice, None, "the first results are not news");
            load(&mut state, 2, 1_000.0);
            assert_eq!(state.notice, Some(Notice::ResultsUpdated(2)));
            load(&mut state, 3, 2_000.0);
            assert_eq!(state.notice, Some(Notice::ResultsUpdated(2)));
            load(&mut state, 4, 1_000.0 + RESULTS_ANNOUNCE_INTERVAL_MS);
            assert_eq!(state.notice, Some(Notice::ResultsUpdated(4)));
        }

        #[test]
        fn stream_error_keeps_results() {
            let mut state = ready("open", "open", "live");
            state.apply(Action::ResultsLoaded { result: Ok(results(2, "radweg")), streamed: true, now_ms: 0.0 });
            state.apply(Action::ResultsLoaded { result: Err(LoadFailure::InvalidResponse), streamed: true, now_ms: 0.0 });
            assert_eq!(shown_version(&state), Some(2));
        }
    }

    #[test]
    fn stale_load_is_ignored() {
        let mut state = PollState::new(None);
        state.apply(Action::Reload);
        state.apply(Action::Loaded { seq: 1, result: Err(LoadFailure::Network) });
        assert_eq!(state.load, Load::Loading);
    }

    #[test]
    fn failed_reload_keeps_the_poll() {
        let mut state = ready("open", "open", "live");
        state.apply(Action::Reload);
        state.apply(Action::Loaded { seq: 2, result: Err(LoadFailure::Network) });
        assert!(state.info().is_some());
    }
}
