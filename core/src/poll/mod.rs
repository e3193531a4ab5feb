//! Participation polls: a [`Poll`] asks one or more questions, a citizen
//! casts one [`Ballot`], and the [`Tally`] counts the ballots.
//!
//! Terms: a [`Question`] is single choice (exactly one [`Choice`]) or
//! multiple choice (between a minimum and a maximum number of choices). A
//! ballot holds the selected choice ids per question. [`Participation`]
//! says who may vote: anyone with a voter token (`open`) or holders of a
//! one-time invitation code (`code`). [`ResultsVisibility`] says when the
//! tally is shown.
//!
//! This module checks definitions ([`Poll::check`]) and ballots
//! ([`Poll::check_ballot`]) and returns every [`Violation`] at once, each
//! with a stable key that [`message`] turns into German or English text. It
//! counts ballots ([`Tally`]) but stores nothing: the one-ballot-per-voter
//! rule lives in the server's database, where it holds under concurrency.

mod ballot;
mod message;
mod tally;
mod time;

use serde::{Deserialize, Serialize};

pub use ballot::{Ballot, Violation};
pub use message::{message, Lang, MESSAGE_KEYS};
pub use tally::{ChoiceCount, PercentBase, QuestionTally, Tally};
pub use time::{Timestamp, TimestampError};

/// A participation poll as staff define it and the widget shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Poll {
    /// Stable id used in URLs: ASCII letters, digits, `-` and `_`.
    pub id: String,
    /// Title shown above the questions.
    pub title: String,
    /// Optional introduction (plain text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The questions, in display order.
    pub questions: Vec<Question>,
    /// First moment at which ballots are accepted.
    pub opens_at: Timestamp,
    /// Moment from which ballots are rejected.
    pub closes_at: Timestamp,
    /// Who may cast a ballot.
    pub participation: Participation,
    /// When the tally becomes visible to participants.
    pub results: ResultsVisibility,
}

/// One question of a poll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Id, unique within the poll.
    pub id: String,
    /// The question as shown to citizens.
    pub text: String,
    /// Optional explanation below the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Single or multiple choice.
    pub kind: QuestionKind,
    /// Minimum number of selected choices; multiple choice only (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_selections: Option<u32>,
    /// Maximum number of selected choices; multiple choice only (default:
    /// every choice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_selections: Option<u32>,
    /// The choices, in display order.
    pub choices: Vec<Choice>,
}

/// Whether a question takes one choice or several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    /// Exactly one choice.
    SingleChoice,
    /// Between `min_selections` and `max_selections` choices.
    MultipleChoice,
}

/// One choice of a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Id, unique within the question.
    pub id: String,
    /// Text of the choice.
    pub label: String,
    /// Optional explanation below the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Who may cast a ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Participation {
    /// Anyone; one ballot per voter token that the browser generates.
    Open,
    /// Holders of a one-time invitation code; one ballot per code.
    Code,
}

/// When participants may see the tally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResultsVisibility {
    /// Always, also before voting.
    Live,
    /// To a participant once their ballot is stored, and to everyone after closing.
    AfterVote,
    /// Only after the poll has closed.
    AfterClose,
}

/// Phase of a poll at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PollPhase {
    /// Before `opens_at`.
    NotOpenYet,
    /// Ballots are accepted.
    Open,
    /// At or after `closes_at`, or closed early by staff.
    Closed,
}

/// Longest id of a poll, question or choice, in bytes.
pub const MAX_ID_LEN: usize = 64;

impl Question {
    /// Returns the minimum number of choices a ballot selects.
    pub fn min(&self) -> u32 {
        match self.kind {
            QuestionKind::SingleChoice => 1,
            QuestionKind::MultipleChoice => self.min_selections.unwrap_or(1),
        }
    }

    /// Returns the maximum number of choices a ballot selects.
    pub fn max(&self) -> u32 {
        match self.kind {
            QuestionKind::SingleChoice => 1,
            QuestionKind::MultipleChoice => self
                .max_selections
                .unwrap_or_else(|| u32::try_from(self.choices.len()).unwrap_or(u32::MAX)),
        }
    }

    /// Returns the choice with this id.
    pub fn choice(&self, id: &str) -> Option<&Choice> {
        self.choices.iter().find(|choice| choice.id == id)
    }
}

impl Poll {
    /// Returns the question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|question| question.id == id)
    }

    /// Returns the phase at `now`. `closed_early` is true when staff closed
    /// the poll before `closes_at`.
    pub fn phase(&self, now: Timestamp, closed_early: bool) -> PollPhase {
        if closed_early || now >= self.closes_at {
            PollPhase::Closed
        } else if now < self.opens_at {
            PollPhase::NotOpenYet
        } else {
            PollPhase::Open
        }
    }

    /// Returns true when a participant may see the tally in `phase`.
    /// `has_voted` is true when the request proves a stored ballot.
    pub fn results_visible(&self, phase: PollPhase, has_voted: bool) -> bool {
        match self.results {
            ResultsVisibility::Live => true,
            ResultsVisibility::AfterVote => has_voted || phase == PollPhase::Closed,
            ResultsVisibility::AfterClose => phase == PollPhase::Closed,
        }
    }

    /// Checks the definition and returns every problem found; an empty list
    /// means the poll can be stored.
    pub fn check(&self) -> Vec<Violation> {
        let mut violations = Vec::new();
        if !is_valid_id(&self.id) {
            violations.push(Violation::new("poll.invalid_id").with_param("id", &self.id));
        }
        if self.title.trim().is_empty() {
            violations.push(Violation::new("poll.missing_title"));
        }
        if self.questions.is_empty() {
            violations.push(Violation::new("poll.no_questions"));
        }
        if self.closes_at <= self.opens_at {
            violations.push(Violation::new("poll.closes_before_opening"));
        }

        for (index, question) in self.questions.iter().enumerate() {
            let located = |key: &str| Violation::new(key).in_question(&question.id);
            if !is_valid_id(&question.id) {
                violations.push(located("poll.invalid_id").with_param("id", &question.id));
            }
            if self.questions[..index].iter().any(|earlier| earlier.id == question.id) {
                violations.push(located("poll.duplicate_question"));
            }
            if question.text.trim().is_empty() {
                violations.push(located("poll.missing_question_text"));
            }
            if question.choices.is_empty() {
                violations.push(located("poll.no_choices"));
            }
            let bounds_given = question.min_selections.is_some() || question.max_selections.is_some();
            if question.kind == QuestionKind::SingleChoice && bounds_given {
                violations.push(located("poll.bounds_on_single_choice"));
            }
            let choice_count = u32::try_from(question.choices.len()).unwrap_or(u32::MAX);
            if question.min() > question.max() || question.max() == 0 || question.max() > choice_count
            {
                violations.push(
                    located("poll.invalid_bounds")
                        .with_param("min", question.min())
                        .with_param("max", question.max())
                        .with_param("choices", choice_count),
                );
            }
            for (choice_index, choice) in question.choices.iter().enumerate() {
                let at_choice = |key: &str| located(key).at_choice(&choice.id);
                if !is_valid_id(&choice.id) {
                    violations.push(at_choice("poll.invalid_id").with_param("id", &choice.id));
                }
                if question.choices[..choice_index].iter().any(|earlier| earlier.id == choice.id) {
                    violations.push(at_choice("poll.duplicate_choice"));
                }
                if choice.label.trim().is_empty() {
                    violations.push(at_choice("poll.missing_choice_label"));
                }
            }
        }
        violations
    }
}

/// Returns true when `id` is 1 to [`MAX_ID_LEN`] ASCII letters, digits, `-` or `_`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}
