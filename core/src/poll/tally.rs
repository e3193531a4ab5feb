//! Counting ballots and turning counts into percentages.
//!
//! How percentages are rounded, and what to re-check after a change:
//!
//! - Single choice: each ballot selects exactly one choice, so the
//!   percentages of a question add up to exactly 100.0 whenever at least one
//!   ballot was counted. They are computed in tenths of a percent with the
//!   largest remainder method: every choice first gets the rounded-down
//!   share `count * 1000 / participants`, then the tenths still missing to
//!   1000 go, one each, to the choices with the largest remainders. Equal
//!   remainders favour the choice listed first in the poll, so the result
//!   does not depend on the order in which ballots arrived. Three equal
//!   choices give 33.4, 33.3, 33.3.
//! - Multiple choice: a ballot may select several choices, so a percentage
//!   is the share of participants who selected that choice, rounded half up
//!   to a tenth. These need not add up to 100 ([`PercentBase::Participants`]).
//! - No ballots: every percentage is 0.0.
//!
//! The tests in `core/tests/poll_tally.rs` pin cases that naive rounding
//! gets wrong (sums of 99.9 and 100.1).

use serde::{Deserialize, Serialize};

use super::{Ballot, Poll, QuestionKind};

/// Counts and percentages of every question of one poll.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// Id of the counted poll.
    pub poll_id: String,
    /// Number of ballots counted.
    pub participants: u64,
    /// One entry per question, in poll order.
    pub questions: Vec<QuestionTally>,
}

/// Counts of one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionTally {
    /// Id of the question.
    pub question_id: String,
    /// What the percentages of this question are shares of.
    pub percent_base: PercentBase,
    /// One entry per choice, in poll order.
    pub choices: Vec<ChoiceCount>,
}

/// What a percentage is a share of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PercentBase {
    /// Share of all selections; single choice, adds up to 100.0.
    Ballots,
    /// Share of participants who selected the choice; multiple choice.
    Participants,
}

/// Count of one choice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceCount {
    /// Id of the choice.
    pub choice_id: String,
    /// Number of ballots that selected this choice.
    pub count: u64,
    /// Percentage with one decimal, such as 33.4.
    pub percent: f64,
}

impl Tally {
    /// Creates a tally of `poll` with no ballots.
    pub fn new(poll: &Poll) -> Tally {
        let questions = poll
            .questions
            .iter()
            .map(|question| QuestionTally {
                question_id: question.id.clone(),
                percent_base: match question.kind {
                    QuestionKind::SingleChoice => PercentBase::Ballots,
                    QuestionKind::MultipleChoice => PercentBase::Participants,
                },
                choices: question
                    .choices
                    .iter()
                    .map(|choice| ChoiceCount {
                        choice_id: choice.id.clone(),
                        count: 0,
                        percent: 0.0,
                    })
                    .collect(),
            })
            .collect();
        Tally { poll_id: poll.id.clone(), participants: 0, questions }
    }

    /// Creates a tally from stored counts. `count(question_id, choice_id)`
    /// returns how many ballots selected that choice.
    pub fn from_counts(
        poll: &Poll,
        participants: u64,
        mut count: impl FnMut(&str, &str) -> u64,
    ) -> Tally {
        let mut tally = Tally::new(poll);
        tally.participants = participants;
        for question in &mut tally.questions {
            for choice in &mut question.choices {
                choice.count = count(&question.question_id, &choice.choice_id);
            }
        }
        tally.update_percentages();
        tally
    }

    /// Counts one ballot. Choice ids that the poll does not know are
    /// skipped, so check the ballot with [`Poll::check_ballot`] first.
    pub fn add(&mut self, ballot: &Ballot) {
        self.participants += 1;
        for question in &mut self.questions {
            let Some(selected) = ballot.selections.get(&question.question_id) else {
                continue;
            };
            for choice in &mut question.choices {
                if selected.contains(&choice.choice_id) {
                    choice.count += 1;
                }
            }
        }
        self.update_percentages();
    }

    /// Returns the count of one choice, or `None` for unknown ids.
    pub fn count(&self, question_id: &str, choice_id: &str) -> Option<u64> {
        let question = self.questions.iter().find(|question| question.question_id == question_id)?;
        let choice = question.choices.iter().find(|choice| choice.choice_id == choice_id)?;
        Some(choice.count)
    }

    fn update_percentages(&mut self) {
        for question in &mut self.questions {
            let counts: Vec<u64> = question.choices.iter().map(|choice| choice.count).collect();
            let tenths = match question.percent_base {
                PercentBase::Ballots => largest_remainder_tenths(&counts),
                PercentBase::Participants => share_tenths(&counts, self.participants),
            };
            for (choice, tenths) in question.choices.iter_mut().zip(tenths) {
                choice.percent = tenths as f64 / 10.0;
            }
        }
    }
}

/// Splits 1000 tenths of a percent among `counts` by the largest remainder
/// method; equal remainders favour the lower index. All zero when the
/// counts add up to zero.
pub(crate) fn largest_remainder_tenths(counts: &[u64]) -> Vec<u64> {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return vec![0; counts.len()];
    }
    // u128 because count * 1000 overflows u64 only for absurd counts, and
    // the cost is nothing next to the clarity of never overflowing.
    let scaled = |count: u64| u128::from(count) * 1000;
    let total_wide = u128::from(total);
    let mut tenths: Vec<u64> =
        counts.iter().map(|&count| (scaled(count) / total_wide) as u64).collect();
    let remainders: Vec<u128> = counts.iter().map(|&count| scaled(count) % total_wide).collect();

    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]).then(a.cmp(&b)));
    let missing = 1000 - tenths.iter().sum::<u64>();
    for &index in order.iter().take(missing as usize) {
        tenths[index] += 1;
    }
    tenths
}

/// Returns each count as tenths of a percent of `participants`, rounded
/// half up; all zero without participants.
pub(crate) fn share_tenths(counts: &[u64], participants: u64) -> Vec<u64> {
    if participants == 0 {
        return vec![0; counts.len()];
    }
    let participants = u128::from(participants);
    counts
        .iter()
        .map(|&count| ((u128::from(count) * 2000 + participants) / (2 * participants)) as u64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_equal_choices_favour_first() {
        assert_eq!(largest_remainder_tenths(&[1, 1, 1]), vec![334, 333, 333]);
    }

    #[test]
    fn largest_remainder_sums_to_thousand() {
        let cases: &[&[u64]] =
            &[&[1], &[1, 2], &[1, 1, 1, 1, 1, 1, 1], &[3, 3, 3, 1], &[0, 0, 5], &[997, 2, 1]];
        for counts in cases {
            assert_eq!(largest_remainder_tenths(counts).iter().sum::<u64>(), 1000, "{counts:?}");
        }
    }
}
