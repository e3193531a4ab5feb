//! Ballot and poll definition checks, and the texts of their keys.

use ogkit_core::poll::{
    message, Ballot, Lang, Participation, Poll, PollPhase, Timestamp, Violation, MESSAGE_KEYS,
};

/// One single-choice question `farbe` (rot, gruen, blau) and one multiple
/// choice question `tage` (mo … fr) that takes 1 to 2 choices.
fn poll() -> Poll {
    serde_json::from_str(
        r#"{
        "id": "spielplatz",
        "title": "Neuer Spielplatz",
        "questions": [
          {"id": "farbe", "text": "Welche Farbe?", "kind": "single-choice",
           "choices": [{"id": "rot", "label": "Rot"}, {"id": "gruen", "label": "Grün"},
                       {"id": "blau", "label": "Blau", "description": "wie der Himmel"}]},
          {"id": "tage", "text": "Welche Tage?", "kind": "multiple-choice",
           "min_selections": 1, "max_selections": 2,
           "choices": [{"id": "mo", "label": "Montag"}, {"id": "di", "label": "Dienstag"},
                       {"id": "mi", "label": "Mittwoch"}, {"id": "do", "label": "Donnerstag"},
                       {"id": "fr", "label": "Freitag"}]}
        ],
        "opens_at": "2026-03-01T08:00:00+01:00",
        "closes_at": "2026-03-31T18:00:00+02:00",
        "participation": "open",
        "results": "after-vote"
      }"#,
    )
    .expect("the test poll parses")
}

fn ballot(entries: &[(&str, &[&str])]) -> Ballot {
    let mut ballot = Ballot::default();
    for (question, choices) in entries {
        ballot.selections.insert(
            (*question).to_owned(),
            choices.iter().map(|choice| (*choice).to_owned()).collect(),
        );
    }
    ballot
}

/// Returns (key, question, choice) of each violation, for compact tables.
fn summary(violations: &[Violation]) -> Vec<(String, Option<String>, Option<String>)> {
    violations
        .iter()
        .map(|violation| (violation.key.clone(), violation.question.clone(), violation.choice.clone()))
        .collect()
}

fn expected(items: &[(&str, Option<&str>, Option<&str>)]) -> Vec<(String, Option<String>, Option<String>)> {
    items
        .iter()
        .map(|(key, question, choice)| {
            ((*key).to_owned(), question.map(str::to_owned), choice.map(str::to_owned))
        })
        .collect()
}

#[test]
fn ballot_check_table() {
    let poll = poll();
    let cases: Vec<(&str, Ballot, Vec<(&str, Option<&str>, Option<&str>)>)> = vec![
        ("valid single and multiple", ballot(&[("farbe", &["rot"]), ("tage", &["mo", "fr"])]), vec![]),
        ("valid with one day", ballot(&[("farbe", &["blau"]), ("tage", &["mi"])]), vec![]),
        (
            "empty ballot",
            ballot(&[]),
            vec![
                ("ballot.too_few_choices", Some("farbe"), None),
                ("ballot.too_few_choices", Some("tage"), None),
            ],
        ),
        (
            "unknown choice",
            ballot(&[("farbe", &["lila"]), ("tage", &["mo"])]),
            vec![("ballot.unknown_choice", Some("farbe"), Some("lila"))],
        ),
        (
            "two choices on single choice",
            ballot(&[("farbe", &["rot", "blau"]), ("tage", &["mo"])]),
            vec![("ballot.too_many_choices", Some("farbe"), None)],
        ),
        (
            "three choices where two are allowed",
            ballot(&[("farbe", &["rot"]), ("tage", &["mo", "di", "mi"])]),
            vec![("ballot.too_many_choices", Some("tage"), None)],
        ),
        (
            "duplicate choice",
            ballot(&[("farbe", &["rot", "rot"]), ("tage", &["mo"])]),
            vec![("ballot.duplicate_choice", Some("farbe"), Some("rot"))],
        ),
        (
            "unknown question",
            ballot(&[("farbe", &["rot"]), ("tage", &["mo"]), ("wetter", &["gut"])]),
            vec![("ballot.unknown_question", Some("wetter"), None)],
        ),
        (
            "every problem at once",
            ballot(&[("farbe", &["rot", "gruen", "gruen", "x"]), ("zzz", &[]), ("tage", &[])]),
            vec![
                ("ballot.unknown_question", Some("zzz"), None),
                ("ballot.duplicate_choice", Some("farbe"), Some("gruen")),
                ("ballot.unknown_choice", Some("farbe"), Some("x")),
                ("ballot.too_many_choices", Some("farbe"), None),
                ("ballot.too_few_choices", Some("tage"), None),
            ],
        ),
    ];
    for (name, ballot, want) in cases {
        assert_eq!(summary(&poll.check_ballot(&ballot)), expected(&want), "case: {name}");
    }
}

#[test]
fn bound_violation_carries_numbers() {
    let violations = poll().check_ballot(&ballot(&[("farbe", &["rot"]), ("tage", &["mo", "di", "mi"])]));
    assert_eq!(violations.len(), 1);
    let violation = &violations[0];
    assert_eq!(violation.params.get("max").map(String::as_str), Some("2"));
    assert_eq!(violation.params.get("count").map(String::as_str), Some("3"));
    assert_eq!(
        violation.message(Lang::De),
        "Bei Frage „tage“ sind höchstens 2 Antworten möglich, ausgewählt sind 3."
    );
    assert_eq!(
        violation.message(Lang::En),
        "Question \"tage\" allows at most 2 choices, but 3 are selected."
    );
}

#[test]
fn valid_definition_has_no_violations() {
    assert_eq!(poll().check(), vec![]);
}

#[test]
fn definition_check_table() {
    let mut broken = poll();
    broken.id = "spiel platz".to_owned();
    broken.title = " ".to_owned();
    broken.closes_at = broken.opens_at;
    broken.questions[0].min_selections = Some(1);
    broken.questions[0].choices[1].id = "rot".to_owned();
    broken.questions[0].choices[2].label = String::new();
    broken.questions[1].max_selections = Some(6);
    broken.questions[1].id = "farbe".to_owned();

    let want = expected(&[
        ("poll.invalid_id", None, None),
        ("poll.missing_title", None, None),
        ("poll.closes_before_opening", None, None),
        ("poll.bounds_on_single_choice", Some("farbe"), None),
        ("poll.duplicate_choice", Some("farbe"), Some("rot")),
        ("poll.missing_choice_label", Some("farbe"), Some("blau")),
        ("poll.duplicate_question", Some("farbe"), None),
        ("poll.invalid_bounds", Some("farbe"), None),
    ]);
    assert_eq!(summary(&broken.check()), want);

    let mut empty = poll();
    empty.questions.clear();
    assert_eq!(summary(&empty.check()), expected(&[("poll.no_questions", None, None)]));
}

#[test]
fn poll_phase_follows_times() {
    let poll = poll();
    let opens = poll.opens_at.as_unix_seconds();
    let closes = poll.closes_at.as_unix_seconds();
    assert_eq!(poll.phase(Timestamp(opens - 1), false), PollPhase::NotOpenYet);
    assert_eq!(poll.phase(Timestamp(opens), false), PollPhase::Open);
    assert_eq!(poll.phase(Timestamp(closes - 1), false), PollPhase::Open);
    assert_eq!(poll.phase(Timestamp(closes), false), PollPhase::Closed);
    assert_eq!(poll.phase(Timestamp(opens), true), PollPhase::Closed);
}

#[test]
fn results_visibility_table() {
    use ogkit_core::poll::ResultsVisibility::{AfterClose, AfterVote, Live};
    use PollPhase::{Closed, Open};

    let cases = [
        (Live, Open, false, true),
        (AfterVote, Open, false, false),
        (AfterVote, Open, true, true),
        (AfterVote, Closed, false, true),
        (AfterClose, Open, true, false),
        (AfterClose, Closed, false, true),
    ];
    for (visibility, phase, has_voted, want) in cases {
        let mut poll = poll();
        poll.results = visibility;
        assert_eq!(poll.results_visible(phase, has_voted), want, "{visibility:?} {phase:?} {has_voted}");
    }
}

#[test]
fn poll_round_trips_through_json() {
    let poll = poll();
    let json = serde_json::to_string(&poll).expect("a poll serialises");
    assert!(json.contains("\"opens_at\":\"2026-03-01T07:00:00Z\""), "{json}");
    let back: Poll = serde_json::from_str(&json).expect("a poll deserialises");
    assert_eq!(back, poll);
    assert_eq!(back.participation, Participation::Open);
}

#[test]
fn unknown_field_is_rejected() {
    let json = serde_json::to_value(poll()).expect("a poll serialises");
    let mut object = json.as_object().cloned().expect("a poll is an object");
    object.insert("colour".to_owned(), serde_json::Value::from("red"));
    let result: Result<Poll, _> = serde_json::from_value(serde_json::Value::Object(object));
    assert!(result.is_err());
}

#[test]
fn every_key_has_both_languages() {
    for key in MESSAGE_KEYS {
        let german = message(key, &[], Lang::De);
        let english = message(key, &[], Lang::En);
        assert_ne!(german, *key, "no German text for {key}");
        assert_ne!(english, *key, "no English text for {key}");
        assert_ne!(german, english, "German and English are the same for {key}");
    }
}

#[test]
fn every_violation_key_has_text() {
    let mut broken = poll();
    broken.id = String::new();
    let keys = broken
        .check()
        .into_iter()
        .chain(poll().check_ballot(&ballot(&[("x", &["y"])])))
        .map(|violation| violation.key);
    for key in keys {
        assert!(MESSAGE_KEYS.contains(&key.as_str()), "{key} has no text");
    }
}

#[test]
fn unknown_key_returns_key() {
    assert_eq!(message("ballot.from_the_future", &[], Lang::De), "ballot.from_the_future");
}
