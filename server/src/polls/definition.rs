//! Reads the TOML poll definition of `ogkit poll create` and lists every
//! problem of the file at once.
//!
//! serde stops at the first key that is missing, unknown or of the wrong
//! type. So this module first checks each key of the poll, of its questions
//! and of their choices on its own and collects every problem with its line.
//! Only a file without such problems is deserialized into a [`Poll`]. A TOML
//! syntax error is reported alone, because the parser cannot go on after it.

use serde::de::{DeserializeOwned, IntoDeserializer as _};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use ogkit_core::poll::{Participation, Poll, QuestionKind, ResultsVisibility, Timestamp};

use crate::serve::config::line_of;

/// A failure to read a poll definition.
#[derive(Debug)]
pub(crate) enum DefinitionError {
    /// The text is not valid TOML. The message names the line.
    Syntax(String),
    /// Every missing, unknown or mistyped key, each with its line.
    Keys(Vec<String>),
}

/// One key of a TOML table in the poll format.
struct Field {
    name: &'static str,
    required: bool,
    kind: FieldKind,
}

enum FieldKind {
    /// A value that must deserialize into one type. The function returns
    /// the deserializer's message when it does not.
    Value(fn(&Spanned<DeValue<'_>>) -> Result<(), String>),
    /// A list of tables with these keys, such as `[[questions]]`.
    Tables(&'static [Field]),
}

const fn value(name: &'static str, required: bool, check: fn(&Spanned<DeValue<'_>>) -> Result<(), String>) -> Field {
    Field { name, required, kind: FieldKind::Value(check) }
}

const CHOICE_FIELDS: &[Field] = &[
    value("id", true, typed::<String>),
    value("label", true, typed::<String>),
    value("description", false, typed::<String>),
];

const QUESTION_FIELDS: &[Field] = &[
    value("id", true, typed::<String>),
    value("text", true, typed::<String>),
    value("description", false, typed::<String>),
    value("kind", true, typed::<QuestionKind>),
    value("min_selections", false, typed::<u32>),
    value("max_selections", false, typed::<u32>),
    Field { name: "choices", required: true, kind: FieldKind::Tables(CHOICE_FIELDS) },
];

const POLL_FIELDS: &[Field] = &[
    value("id", true, typed::<String>),
    value("title", true, typed::<String>),
    value("description", false, typed::<String>),
    Field { name: "questions", required: true, kind: FieldKind::Tables(QUESTION_FIELDS) },
    value("opens_at", true, typed::<Timestamp>),
    value("closes_at", true, typed::<Timestamp>),
    value("participation", true, typed::<Participation>),
    value("results", true, typed::<ResultsVisibility>),
];

/// Parses a poll definition.
///
/// # Errors
///
/// Returns the syntax error of invalid TOML, or else every missing,
/// unknown and mistyped key. The rules between keys (ids, dates in order,
/// selection limits) are left to [`Poll::check`].
pub(crate) fn parse(text: &str) -> Result<Poll, DefinitionError> {
    let root = DeTable::parse(text).map_err(|error| {
        let line = error.span().map_or_else(String::new, |span| format!("line {}: ", line_of(text, span.start)));
        DefinitionError::Syntax(format!("{line}{}", error.message().trim_end()))
    })?;
    let mut problems = Vec::new();
    check_table(text, root.get_ref(), line_of(text, root.span().start), "", POLL_FIELDS, &mut problems);
    if !problems.is_empty() {
        // The parsed table does not keep the order of the file.
        problems.sort_by_key(|(line, _)| *line);
        let messages = problems.into_iter().map(|(line, message)| format!("line {line}: {message}")).collect();
        return Err(DefinitionError::Keys(messages));
    }
    // The checks above cover every key of `Poll`, so this is expected to
    // succeed; its message is still shown if a key was missed.
    toml::from_str(text).map_err(|error| DefinitionError::Keys(vec![error.message().trim_end().to_owned()]))
}

/// Checks the keys of one table and appends a line number and a message
/// per problem. `prefix` is the path of the table, such as `questions[0].`.
fn check_table(
    text: &str,
    table: &DeTable<'_>,
    table_line: usize,
    prefix: &str,
    fields: &[Field],
    problems: &mut Vec<(usize, String)>,
) {
    for (key, item) in table {
        let name: &str = key.get_ref();
        let line = line_of(text, key.span().start);
        let Some(field) = fields.iter().find(|field| field.name == name) else {
            let known: Vec<&str> = fields.iter().map(|field| field.name).collect();
            let message = format!(
                "unknown key \"{prefix}{name}\"; remove it or correct the spelling (known keys here: {})",
                known.join(", ")
            );
            problems.push((line, message));
            continue;
        };
        match &field.kind {
            FieldKind::Value(check) => {
                if let Err(message) = check(item) {
                    problems.push((line, format!("key \"{prefix}{name}\": {message}")));
                }
            }
            FieldKind::Tables(item_fields) => {
                let Some(array) = item.get_ref().as_array() else {
                    let message = format!("key \"{prefix}{name}\": expected a list of tables, such as [[{name}]] sections");
                    problems.push((line, message));
                    continue;
                };
                for (index, element) in array.iter().enumerate() {
                    let element_line = line_of(text, element.span().start);
                    let path = format!("{prefix}{name}[{index}]");
                    match element.get_ref().as_table() {
                        Some(inner) => {
                            check_table(text, inner, element_line, &format!("{path}."), item_fields, problems);
                        }
                        None => problems.push((element_line, format!("\"{path}\": expected a table"))),
                    }
                }
            }
        }
    }
    for field in fields.iter().filter(|field| field.required) {
        let present = table.keys().any(|key| key.get_ref() == field.name);
        if !present {
            problems.push((table_line, format!("missing key \"{prefix}{}\"", field.name)));
        }
    }
}

/// Returns `Ok` when `item` deserializes into `T`, or else the
/// deserializer's message, such as `invalid type: integer, expected a string`.
fn typed<T: DeserializeOwned>(item: &Spanned<DeValue<'_>>) -> Result<(), String> {
    T::deserialize(item.clone().into_deserializer())
        .map(|_| ())
        .map_err(|error| error.message().trim_end().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLL: &str = r#"id = "rad"
title = "Radwege"
opens_at = 2026-03-01T08:00:00+01:00
closes_at = "2026-03-15T18:00:00+01:00"
participation = "code"
results = "after-close"

[[questions]]
id = "q"
text = "Wo fehlt ein Radweg?"
kind = "multiple-choice"
max_selections = 2
choices = [{ id = "nord", label = "Nord" }, { id = "sued", label = "Süd" }]
"#;

    fn problems(text: &str) -> Vec<String> {
        match parse(text) {
            Err(DefinitionError::Keys(problems)) => problems,
            other => panic!("expected key problems, found {other:?}"),
        }
    }

    #[test]
    fn valid_definition_parses() {
        let poll = parse(POLL).expect("the poll is valid");
        assert_eq!(poll.id, "rad");
        assert_eq!(poll.questions[0].choices.len(), 2);
        assert_eq!(poll.participation, Participation::Code);
    }

    #[test]
    fn every_key_problem_listed() {
        let text = POLL
            .replace("title = \"Radwege\"", "title = 5")
            .replace("participation = \"code\"", "participation = \"everyone\"")
            .replace("results = \"after-close\"\n", "reults = \"live\"\n")
            .replace("max_selections = 2", "max_selections = -1")
            .replace("label = \"Süd\"", "lable = \"Süd\"");
        let problems = problems(&text);
        let expected = [
            "line 2: key \"title\": invalid type: integer `5`, expected a string",
            "line 5: key \"participation\": unknown variant `everyone`",
            "line 6: unknown key \"reults\"",
            "line 12: key \"questions[0].max_selections\"",
            "line 13: unknown key \"questions[0].choices[1].lable\"",
            "line 13: missing key \"questions[0].choices[1].label\"",
            "missing key \"results\"",
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        let lines: Vec<usize> = problems
            .iter()
            .map(|problem| problem["line ".len()..problem.find(':').expect("a line number")].parse().expect("a number"))
            .collect();
        assert!(lines.is_sorted(), "problems in the order of the file: {problems:#?}");
        for part in expected {
            assert!(problems.iter().any(|problem| problem.contains(part)), "{part:?} missing in {problems:#?}");
        }
    }

    #[test]
    fn wrong_shapes_are_named() {
        let problems = problems("id = \"rad\"\nquestions = \"keine\"\n");
        assert!(problems.iter().any(|problem| problem.contains("line 2: key \"questions\": expected a list of tables")), "{problems:#?}");
        assert!(problems.iter().any(|problem| problem.contains("line 1: missing key \"title\"")), "{problems:#?}");

        let problems = super::tests::problems(&POLL.replace("choices = [{ id = \"nord\", label = \"Nord\" }, ", "choices = [\"nord\", "));
        assert!(problems.iter().any(|problem| problem.contains("\"questions[0].choices[0]\": expected a table")), "{problems:#?}");
    }

    #[test]
    fn syntax_error_reported_alone() {
        match parse("id = \"rad\"\ntitle = \n") {
            Err(DefinitionError::Syntax(message)) => assert!(message.starts_with("line 2: "), "{message}"),
            other => panic!("expected a syntax error, found {other:?}"),
        }
    }
}
