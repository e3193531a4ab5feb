//! Reading the poll API's JSON into the core poll types, and writing the
//! two small JSON documents the widget sends or stores.
//!
//! The text is parsed by the core's strict JSON parser
//! ([`ogkit_core::table::parse_json`]), which the data table uses too, and
//! the values are walked by hand. serde_json with the derived deserialisers
//! of the core types would have added about 90 KB to the WebAssembly
//! module, more than the whole poll widget. The rules follow the serde
//! attributes of `ogkit_core::poll`: required fields must be present with
//! the right type, optional ones may be missing or `null`, unknown fields
//! are ignored so that a newer server does not break an older widget.
//!
//! Percentages are read as decimal literals and kept to tenths, which is
//! what the core tally computes; this keeps float parsing out of the
//! bundle.

use std::collections::BTreeMap;

use ogkit_core::poll::{
    ChoiceCount, Choice, Participation, PercentBase, Poll, PollPhase, Question, QuestionKind, QuestionTally,
    ResultsVisibility, Tally, Timestamp, Violation,
};
use ogkit_core::table::{parse_json, JsonValue};

/// A body that is not of the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid;

type Decoded<T> = Result<T, Invalid>;

/// Parses `text` as JSON.
pub fn parse(text: &str) -> Decoded<JsonValue> {
    parse_json(text).map_err(|_| Invalid)
}

/// Returns the member `key` of an object; `None` when it is missing or
/// `null`. Fails when `value` is not an object.
fn member<'a>(value: &'a JsonValue, key: &str) -> Decoded<Option<&'a JsonValue>> {
    match value {
        JsonValue::Object(_) => Ok(value.get(key).filter(|member| **member != JsonValue::Null)),
        _ => Err(Invalid),
    }
}

fn required<'a>(value: &'a JsonValue, key: &str) -> Decoded<&'a JsonValue> {
    member(value, key)?.ok_or(Invalid)
}

fn string(value: &JsonValue) -> Decoded<String> {
    match value {
        JsonValue::String(text) => Ok(text.clone()),
        _ => Err(Invalid),
    }
}

fn optional_string(value: &JsonValue, key: &str) -> Decoded<Option<String>> {
    member(value, key)?.map(string).transpose()
}

fn list<T>(value: &JsonValue, item: impl Fn(&JsonValue) -> Decoded<T>) -> Decoded<Vec<T>> {
    match value {
        JsonValue::Array(items) => items.iter().map(item).collect(),
        _ => Err(Invalid),
    }
}

fn whole_number(value: &JsonValue) -> Decoded<u64> {
    value.as_u64().ok_or(Invalid)
}

fn optional_u32(value: &JsonValue, key: &str) -> Decoded<Option<u32>> {
    member(value, key)?.map(|number| u32::try_from(whole_number(number)?).map_err(|_| Invalid)).transpose()
}

fn timestamp(value: &JsonValue) -> Decoded<Timestamp> {
    Timestamp::parse(&string(value)?).map_err(|_| Invalid)
}

/// Reads one of the kebab-case names of a unit enum.
fn keyword<T: Copy>(value: &JsonValue, names: &[(&str, T)]) -> Decoded<T> {
    let text = string(value)?;
    names.iter().find(|(name, _)| *name == text).map(|(_, variant)| *variant).ok_or(Invalid)
}

/// Reads a non-negative decimal literal such as `33.4` or `100` in
/// tenths, rounding further digits half up; exponents are rejected.
fn tenths(value: &JsonValue) -> Decoded<u64> {
    let JsonValue::Number(text) = value else { return Err(Invalid) };
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || whole.len() > 15 {
        return Err(Invalid);
    }
    let whole: u64 = whole.parse().map_err(|_| Invalid)?;
    let mut fraction_digits = fraction.bytes().map(|byte| u64::from(byte - b'0'));
    let tenth = fraction_digits.next().unwrap_or(0);
    let round_up = u64::from(fraction_digits.next().unwrap_or(0) >= 5);
    Ok(whole * 10 + tenth + round_up)
}

fn phase(value: &JsonValue) -> Decoded<PollPhase> {
    keyword(
        value,
        &[("not-open-yet", PollPhase::NotOpenYet), ("open", PollPhase::Open), ("closed", PollPhase::Closed)],
    )
}

/// Reads the body of `GET /polls/{id}`: the poll with `phase` and `closed_at`.
pub fn poll_info(value: &JsonValue) -> Decoded<(Poll, PollPhase, Option<Timestamp>)> {
    let poll = Poll {
        id: string(required(value, "id")?)?,
        title: string(required(value, "title")?)?,
        description: optional_string(value, "description")?,
        questions: list(required(value, "questions")?, question)?,
        opens_at: timestamp(required(value, "opens_at")?)?,
        closes_at: timestamp(required(value, "closes_at")?)?,
        participation: keyword(
            required(value, "participation")?,
            &[("open", Participation::Open), ("code", Participation::Code)],
        )?,
        results: keyword(
            required(value, "results")?,
            &[
                ("live", ResultsVisibility::Live),
                ("after-vote", ResultsVisibility::AfterVote),
                ("after-close", ResultsVisibility::AfterClose),
            ],
        )?,
    };
    let closed_at = member(value, "closed_at")?.map(timestamp).transpose()?;
    Ok((poll, phase(required(value, "phase")?)?, closed_at))
}

fn question(value: &JsonValue) -> Decoded<Question> {
    Ok(Question {
        id: string(required(value, "id")?)?,
        text: string(required(value, "text")?)?,
        description: optional_string(value, "description")?,
        kind: keyword(
            required(value, "kind")?,
            &[("single-choice", QuestionKind::SingleChoice), ("multiple-choice", QuestionKind::MultipleChoice)],
        )?,
        min_selections: optional_u32(value, "min_selections")?,
        max_selections: optional_u32(value, "max_selections")?,
        choices: list(required(value, "choices")?, choice)?,
    })
}

fn choice(value: &JsonValue) -> Decoded<Choice> {
    Ok(Choice {
        id: string(required(value, "id")?)?,
        label: string(required(value, "label")?)?,
        description: optional_string(value, "description")?,
    })
}

/// Reads a results body: `version`, `phase` and the tally's fields.
pub fn results(value: &JsonValue) -> Decoded<(u64, Tally, PollPhase)> {
    let tally = Tally {
        poll_id: string(required(value, "poll_id")?)?,
        participants: whole_number(required(value, "participants")?)?,
        questions: list(required(value, "questions")?, question_tally)?,
    };
    Ok((whole_number(required(value, "version")?)?, tally, phase(required(value, "phase")?)?))
}

fn question_tally(value: &JsonValue) -> Decoded<QuestionTally> {
    Ok(QuestionTally {
        question_id: string(required(value, "question_id")?)?,
        percent_base: keyword(
            required(value, "percent_base")?,
            &[("ballots", PercentBase::Ballots), ("participants", PercentBase::Participants)],
        )?,
        choices: list(required(value, "choices")?, |value| {
            Ok(ChoiceCount {
                choice_id: string(required(value, "choice_id")?)?,
                count: whole_number(required(value, "count")?)?,
                percent: tenths(required(value, "percent")?)? as f64 / 10.0,
            })
        })?,
    })
}

/// Reads a receipt: `poll_id`, `ballot_id` and `accepted_at`.
pub fn receipt(value: &JsonValue) -> Decoded<(String, String, Timestamp)> {
    Ok((
        string(required(value, "poll_id")?)?,
        string(required(value, "ballot_id")?)?,
        timestamp(required(value, "accepted_at")?)?,
    ))
}

/// Reads an error body: its `code` and, for `invalid_ballot`, the violations.
pub fn api_error(value: &JsonValue) -> Decoded<(String, Vec<Violation>)> {
    let code = string(required(value, "code")?)?;
    let violations = member(value, "violations")?.map(|list_value| list(list_value, violation)).transpose()?;
    Ok((code, violations.unwrap_or_default()))
}

fn violation(value: &JsonValue) -> Decoded<Violation> {
    let params = match member(value, "params")? {
        Some(JsonValue::Object(members)) => members
            .iter()
            .map(|(name, value)| Ok((name.clone(), string(value)?)))
            .collect::<Decoded<BTreeMap<String, String>>>()?,
        Some(_) => return Err(Invalid),
        None => BTreeMap::new(),
    };
    Ok(Violation {
        key: string(required(value, "key")?)?,
        question: optional_string(value, "question")?,
        choice: optional_string(value, "choice")?,
        params,
    })
}

/// Reads the string member `key` of a stored record, if it is one.
pub fn stored_string(value: &JsonValue, key: &str) -> Decoded<Option<String>> {
    optional_string(value, key)
}

/// Reads the timestamp member `key` of a stored record, if it is one.
pub fn stored_timestamp(value: &JsonValue, key: &str) -> Decoded<Option<Timestamp>> {
    member(value, key)?.map(timestamp).transpose()
}

/// Writes `text` as a JSON string literal.
pub fn write_string(text: &str, out: &mut String) {
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            character if u32::from(character) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", u32::from(character)));
            }
            character => out.push(character),
        }
    }
    out.push('"');
}

/// Writes an object whose members are all strings or absent; absent
/// members are left out.
pub fn write_object(members: &[(&str, Option<&str>)], out: &mut String) {
    out.push('{');
    let mut first = true;
    for (name, value) in members {
        let Some(value) = value else { continue };
        if !first {
            out.push(',');
        }
        first = false;
        write_string(name, out);
        out.push(':');
        write_string(value, out);
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> JsonValue {
        JsonValue::Number(text.to_owned())
    }

    #[test]
    fn tenths_table() {
        let cases = [("0", Ok(0)), ("0.0", Ok(0)), ("33.4", Ok(334)), ("100.0", Ok(1000)), ("66.66", Ok(667)), ("12.34", Ok(123))];
        for (text, expected) in cases {
            assert_eq!(tenths(&number(text)), expected, "{text}");
        }
        for text in ["-1", "1e2", ".5", "1.5e1"] {
            assert_eq!(tenths(&number(text)), Err(Invalid), "{text}");
        }
        assert_eq!(tenths(&JsonValue::String("33.4".into())), Err(Invalid));
    }

    #[test]
    fn strings_are_escaped() {
        let mut out = String::new();
        write_string("a\"b\\c\nd\u{1}ü", &mut out);
        assert_eq!(out, "\"a\\\"b\\\\c\\nd\\u0001ü\"");
        assert_eq!(parse(&out).ok(), Some(JsonValue::String("a\"b\\c\nd\u{1}ü".into())));
    }

    #[test]
    fn absent_members_are_left_out() {
        let mut out = String::new();
        write_object(&[("a", Some("1")), ("b", None), ("c", Some("3"))], &mut out);
        assert_eq!(out, r#"{"a":"1","c":"3"}"#);
    }

    #[test]
    fn null_counts_as_missing() {
        let value = parse(r#"{"description": null}"#).unwrap_or(JsonValue::Null);
        assert_eq!(optional_string(&value, "description"), Ok(None));
        assert_eq!(optional_string(&JsonValue::Array(Vec::new()), "description"), Err(Invalid));
    }
}
