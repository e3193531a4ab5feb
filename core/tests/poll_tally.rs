//! Tally tables: counts and percentages for given ballots.

use ogkit_core::poll::{
    Ballot, Participation, PercentBase, Poll, Question, QuestionKind, ResultsVisibility, Tally,
    Timestamp,
};

/// A poll with one single-choice question whose choices are `c0`, `c1`, ….
fn single_choice_poll(choices: usize) -> Poll {
    poll_with(QuestionKind::SingleChoice, choices, None, None)
}

fn poll_with(kind: QuestionKind, choices: usize, min: Option<u32>, max: Option<u32>) -> Poll {
    Poll {
        id: "p".to_owned(),
        title: "Umfrage".to_owned(),
        description: None,
        questions: vec![Question {
            id: "q".to_owned(),
            text: "Frage".to_owned(),
            description: None,
            kind,
            min_selections: min,
            max_selections: max,
            choices: (0..choices)
                .map(|index| ogkit_core::poll::Choice {
                    id: format!("c{index}"),
                    label: format!("Antwort {index}"),
                    description: None,
                })
                .collect(),
        }],
        opens_at: Timestamp(0),
        closes_at: Timestamp(1_000),
        participation: Participation::Open,
        results: ResultsVisibility::Live,
    }
}

fn ballot(choices: &[&str]) -> Ballot {
    let mut ballot = Ballot::default();
    ballot
        .selections
        .insert("q".to_owned(), choices.iter().map(|choice| (*choice).to_owned()).collect());
    ballot
}

/// Tallies `counts[i]` ballots for choice `ci` and returns the percentages.
fn single_choice_percentages(counts: &[u64]) -> Vec<f64> {
    let poll = single_choice_poll(counts.len());
    let mut tally = Tally::new(&poll);
    for (index, &count) in counts.iter().enumerate() {
        for _ in 0..count {
            tally.add(&ballot(&[&format!("c{index}")]));
        }
    }
    tally.questions[0].choices.iter().map(|choice| choice.percent).collect()
}

fn sum_in_tenths(percentages: &[f64]) -> i64 {
    percentages.iter().map(|percent| (percent * 10.0).round() as i64).sum()
}

#[test]
fn single_choice_percentage_table() {
    // (counts, expected percentages). The comments give what rounding each
    // share on its own would produce.
    let cases: &[(&[u64], &[f64])] = &[
        (&[1], &[100.0]),
        (&[1, 1], &[50.0, 50.0]),
        // Naive: 33.3 + 33.3 + 33.3 = 99.9.
        (&[1, 1, 1], &[33.4, 33.3, 33.3]),
        // Naive: 16.7 * 2 + 66.7 = 100.1. All three remainders are equal,
        // so the two missing tenths go to the first two choices.
        (&[1, 1, 4], &[16.7, 16.7, 66.6]),
        // Naive: 14.3 * 7 = 100.1.
        (&[1, 1, 1, 1, 1, 1, 1], &[14.3, 14.3, 14.3, 14.3, 14.3, 14.3, 14.2]),
        // Naive: 11.1 * 9 = 99.9.
        (&[1, 1, 1, 1, 1, 1, 1, 1, 1], &[11.2, 11.1, 11.1, 11.1, 11.1, 11.1, 11.1, 11.1, 11.1]),
        // A choice without ballots never receives a leftover tenth.
        (&[2, 0, 1], &[66.7, 0.0, 33.3]),
        (&[0, 0, 3], &[0.0, 0.0, 100.0]),
        // The larger remainder wins over the earlier position:
        // 2/3 -> 666.67 tenths, 1/3 -> 333.33 tenths.
        (&[1, 2], &[33.3, 66.7]),
        (&[1999, 1], &[100.0, 0.0]),
        // Naive half-up: 99.85 -> 99.9 and 0.15 -> 0.2, together 100.1.
        (&[1997, 3], &[99.9, 0.1]),
    ];
    for (counts, expected) in cases {
        let percentages = single_choice_percentages(counts);
        assert_eq!(&percentages, expected, "counts {counts:?}");
        assert_eq!(sum_in_tenths(&percentages), 1000, "sum for counts {counts:?}");
    }
}

#[test]
fn equal_remainders_favour_first_choice() {
    // Every choice has the same remainder, whatever the order of arrival.
    let poll = single_choice_poll(3);
    let mut forward = Tally::new(&poll);
    let mut backward = Tally::new(&poll);
    for choice in ["c0", "c1", "c2"] {
        forward.add(&ballot(&[choice]));
    }
    for choice in ["c2", "c1", "c0"] {
        backward.add(&ballot(&[choice]));
    }
    assert_eq!(forward, backward);
    assert_eq!(forward.questions[0].choices[0].percent, 33.4);
}

#[test]
fn single_choice_sums_to_hundred_for_many_splits() {
    for a in 0..12u64 {
        for b in 0..12u64 {
            for c in 0..12u64 {
                if a + b + c == 0 {
                    continue;
                }
                let percentages = single_choice_percentages(&[a, b, c]);
                assert_eq!(sum_in_tenths(&percentages), 1000, "counts {a}, {b}, {c}");
            }
        }
    }
}

#[test]
fn zero_ballots_give_zero_percent() {
    let tally = Tally::new(&single_choice_poll(3));
    assert_eq!(tally.participants, 0);
    for choice in &tally.questions[0].choices {
        assert_eq!(choice.count, 0);
        assert_eq!(choice.percent, 0.0);
    }
}

#[test]
fn multiple_choice_uses_participant_shares() {
    let poll = poll_with(QuestionKind::MultipleChoice, 3, Some(0), Some(3));
    let mut tally = Tally::new(&poll);
    tally.add(&ballot(&["c0", "c1"]));
    tally.add(&ballot(&["c0"]));
    tally.add(&ballot(&["c0", "c1", "c2"]));
    tally.add(&ballot(&[]));
    tally.add(&ballot(&["c2"]));
    tally.add(&ballot(&["c0"]));

    let question = &tally.questions[0];
    assert_eq!(question.percent_base, PercentBase::Participants);
    assert_eq!(tally.participants, 6);
    let counts: Vec<u64> = question.choices.iter().map(|choice| choice.count).collect();
    assert_eq!(counts, [4, 2, 2]);
    // 4/6 = 66.67 %, 2/6 = 33.33 %; the sum exceeds 100 by design.
    let percentages: Vec<f64> = question.choices.iter().map(|choice| choice.percent).collect();
    assert_eq!(percentages, [66.7, 33.3, 33.3]);
}

#[test]
fn multiple_choice_rounds_half_up() {
    let poll = poll_with(QuestionKind::MultipleChoice, 2, Some(0), Some(2));
    let tally = Tally::from_counts(&poll, 2000, |_, choice| if choice == "c0" { 1 } else { 3 });
    let percentages: Vec<f64> = tally.questions[0].choices.iter().map(|choice| choice.percent).collect();
    // 1/2000 = 0.05 % and 3/2000 = 0.15 %.
    assert_eq!(percentages, [0.1, 0.2]);
}

#[test]
fn tally_from_counts_matches_added_ballots() {
    let poll = single_choice_poll(3);
    let mut added = Tally::new(&poll);
    for choice in ["c0", "c1", "c1", "c2", "c2", "c2", "c2"] {
        added.add(&ballot(&[choice]));
    }
    let counts = [("c0", 1), ("c1", 2), ("c2", 4)];
    let stored = Tally::from_counts(&poll, 7, |_, choice| {
        counts.iter().find(|(id, _)| *id == choice).map_or(0, |(_, count)| *count)
    });
    assert_eq!(added, stored);
    assert_eq!(stored.count("q", "c2"), Some(4));
    assert_eq!(stored.count("q", "missing"), None);
}

#[test]
fn tally_serialises_percent_base() {
    let tally = Tally::new(&single_choice_poll(1));
    let json = serde_json::to_value(&tally).expect("a tally serialises");
    assert_eq!(json["questions"][0]["percent_base"], "ballots");
    assert_eq!(json["questions"][0]["choices"][0]["percent"], 0.0);
    let back: Tally = serde_json::from_value(json).expect("a tally deserialises");
    assert_eq!(back, tally);
}
