//! Ballots and the check of a ballot against its poll.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;

use serde::{Deserialize, Serialize};

use super::Poll;

/// The choices one participant selected, keyed by question id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    /// Selected choice ids per question id. A question without an entry
    /// counts as no selection.
    pub selections: BTreeMap<String, Vec<String>>,
}

/// One problem found in a poll definition or a ballot.
///
/// `key` is stable (such as `ballot.too_many_choices`) and selects the text
/// in [`super::message`]; `params` fill its placeholders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// Stable message key.
    pub key: String,
    /// Question the problem belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// Choice the problem belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice: Option<String>,
    /// Values for the placeholders of the message, such as `max`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
}

impl Violation {
    /// Creates a violation with `key` and no location.
    pub fn new(key: &str) -> Violation {
        Violation { key: key.to_owned(), question: None, choice: None, params: BTreeMap::new() }
    }

    /// Sets the question the problem belongs to.
    pub fn in_question(mut self, question: &str) -> Violation {
        self.question = Some(question.to_owned());
        self
    }

    /// Sets the choice the problem belongs to.
    pub fn at_choice(mut self, choice: &str) -> Violation {
        self.choice = Some(choice.to_owned());
        self
    }

    /// Adds a placeholder value.
    pub fn with_param(mut self, name: &str, value: impl Display) -> Violation {
        self.params.insert(name.to_owned(), value.to_string());
        self
    }

    /// Returns the text of this violation in `lang`, with its location.
    pub fn message(&self, lang: super::Lang) -> String {
        let mut params: Vec<(&str, &str)> =
            self.params.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
        if let Some(question) = &self.question {
            params.push(("question", question));
        }
        if let Some(choice) = &self.choice {
            params.push(("choice", choice));
        }
        super::message(&self.key, &params, lang)
    }
}

impl Poll {
    /// Checks a ballot against this poll's questions and returns every
    /// problem; an empty list means the ballot is valid.
    ///
    /// Problems are listed in question order: unknown questions first (in id
    /// order), then per question unknown and duplicate choices, then a count
    /// outside the question's bounds. The count uses distinct choice ids, so
    /// a duplicate alone does not also make a ballot "too many".
    pub fn check_ballot(&self, ballot: &Ballot) -> Vec<Violation> {
        let mut violations = Vec::new();
        for question_id in ballot.selections.keys() {
            if self.question(question_id).is_none() {
                violations.push(Violation::new("ballot.unknown_question").in_question(question_id));
            }
        }

        for question in &self.questions {
            let selected = ballot.selections.get(&question.id).map(Vec::as_slice).unwrap_or(&[]);
            let mut distinct = BTreeSet::new();
            for choice_id in selected {
                if question.choice(choice_id).is_none() {
                    violations.push(
                        Violation::new("ballot.unknown_choice")
                            .in_question(&question.id)
                            .at_choice(choice_id),
                    );
                }
                if !distinct.insert(choice_id.as_str()) {
                    violations.push(
                        Violation::new("ballot.duplicate_choice")
                            .in_question(&question.id)
                            .at_choice(choice_id),
                    );
                }
            }

            let count = distinct.len();
            let bound = |key: &str| {
                Violation::new(key)
                    .in_question(&question.id)
                    .with_param("min", question.min())
                    .with_param("max", question.max())
                    .with_param("count", count)
            };
            if count > question.max() as usize {
                violations.push(bound("ballot.too_many_choices"));
            } else if count < question.min() as usize {
                violations.push(bound("ballot.too_few_choices"));
            }
        }
        violations
    }
}
