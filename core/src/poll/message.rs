//! German and English texts for every violation key and every error code
//! of the poll API.
//!
//! Texts contain placeholders in braces (`{max}`), filled from the
//! parameters. Violation keys start with `poll.` (definitions) or `ballot.`;
//! API error codes are listed under `error.` plus the code, such as
//! `error.already_voted`, so a widget translates a server error by its code.

pub use crate::lang::Lang;

/// Every key that [`message`] knows, with its German and English text.
const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "ballot.unknown_question",
        "Frage „{question}“ gibt es in dieser Umfrage nicht.",
        "Question \"{question}\" does not exist in this poll.",
    ),
    (
        "ballot.unknown_choice",
        "Antwort „{choice}“ gibt es bei Frage „{question}“ nicht.",
        "Choice \"{choice}\" does not exist for question \"{question}\".",
    ),
    (
        "ballot.duplicate_choice",
        "Antwort „{choice}“ ist bei Frage „{question}“ mehrfach ausgewählt.",
        "Choice \"{choice}\" is selected more than once for question \"{question}\".",
    ),
    (
        "ballot.too_many_choices",
        "Bei Frage „{question}“ sind höchstens {max} Antworten möglich, ausgewählt sind {count}.",
        "Question \"{question}\" allows at most {max} choices, but {count} are selected.",
    ),
    (
        "ballot.too_few_choices",
        "Bei Frage „{question}“ sind mindestens {min} Antworten nötig, ausgewählt sind {count}.",
        "Question \"{question}\" needs at least {min} choices, but {count} are selected.",
    ),
    (
        "poll.invalid_id",
        "Die Kennung „{id}“ ist ungültig: erlaubt sind 1 bis 64 Buchstaben (a–z, A–Z), Ziffern, - und _.",
        "The id \"{id}\" is invalid: use 1 to 64 letters (a-z, A-Z), digits, - and _.",
    ),
    ("poll.missing_title", "Die Umfrage braucht einen Titel.", "The poll needs a title."),
    (
        "poll.no_questions",
        "Die Umfrage braucht mindestens eine Frage.",
        "The poll needs at least one question.",
    ),
    (
        "poll.closes_before_opening",
        "Das Ende der Umfrage (closes_at) muss nach ihrem Beginn (opens_at) liegen.",
        "The poll must close (closes_at) after it opens (opens_at).",
    ),
    (
        "poll.duplicate_question",
        "Die Kennung der Frage „{question}“ kommt mehrfach vor.",
        "The question id \"{question}\" is used more than once.",
    ),
    (
        "poll.missing_question_text",
        "Frage „{question}“ braucht einen Text.",
        "Question \"{question}\" needs a text.",
    ),
    (
        "poll.no_choices",
        "Frage „{question}“ braucht mindestens eine Antwort.",
        "Question \"{question}\" needs at least one choice.",
    ),
    (
        "poll.bounds_on_single_choice",
        "Frage „{question}“ ist eine Einfachauswahl; min_selections und max_selections gelten nur bei Mehrfachauswahl.",
        "Question \"{question}\" is single choice; min_selections and max_selections apply to multiple choice only.",
    ),
    (
        "poll.invalid_bounds",
        "Frage „{question}“: Mindest- ({min}) und Höchstzahl ({max}) der Antworten passen nicht zu {choices} Antworten.",
        "Question \"{question}\": the minimum ({min}) and maximum ({max}) number of choices do not fit {choices} choices.",
    ),
    (
        "poll.duplicate_choice",
        "Die Kennung der Antwort „{choice}“ kommt bei Frage „{question}“ mehrfach vor.",
        "The choice id \"{choice}\" is used more than once in question \"{question}\".",
    ),
    (
        "poll.missing_choice_label",
        "Antwort „{choice}“ bei Frage „{question}“ braucht eine Beschriftung.",
        "Choice \"{choice}\" of question \"{question}\" needs a label.",
    ),
    ("error.poll_not_found", "Diese Umfrage gibt es nicht.", "This poll does not exist."),
    ("error.poll_closed", "Die Umfrage ist beendet.", "The poll has closed."),
    (
        "error.poll_not_open_yet",
        "Die Umfrage hat noch nicht begonnen.",
        "The poll has not opened yet.",
    ),
    (
        "error.already_voted",
        "Sie haben bereits abgestimmt.",
        "You have already voted.",
    ),
    (
        "error.ballot_id_conflict",
        "Diese Stimmzettel-Kennung wurde schon für eine andere Stimme verwendet. Bitte laden Sie die Seite neu.",
        "This ballot id was already used for another ballot. Please reload the page.",
    ),
    (
        "error.invalid_ballot",
        "Die Stimme ist unvollständig oder fehlerhaft.",
        "The ballot is incomplete or invalid.",
    ),
    (
        "error.results_hidden",
        "Die Ergebnisse sind noch nicht sichtbar.",
        "The results are not visible yet.",
    ),
    (
        "error.origin_not_allowed",
        "Von dieser Website aus kann nicht abgestimmt werden.",
        "Voting is not allowed from this website.",
    ),
    (
        "error.unauthorized",
        "Der Zugangscode fehlt oder ist ungültig.",
        "The access code is missing or invalid.",
    ),
    (
        "error.rate_limited",
        "Zu viele Stimmen von diesem Anschluss. Bitte versuchen Sie es später erneut.",
        "Too many ballots from this connection. Please try again later.",
    ),
    (
        "error.payload_too_large",
        "Die Anfrage ist zu groß.",
        "The request is too large.",
    ),
    ("error.bad_json", "Die Anfrage ist fehlerhaft.", "The request is malformed."),
    (
        "error.internal",
        "Auf dem Server ist ein Fehler aufgetreten. Bitte versuchen Sie es später erneut.",
        "The server failed. Please try again later.",
    ),
];

/// Every key with a text, for tests and for widgets that list them.
pub const MESSAGE_KEYS: &[&str] = &[
    "ballot.unknown_question",
    "ballot.unknown_choice",
    "ballot.duplicate_choice",
    "ballot.too_many_choices",
    "ballot.too_few_choices",
    "poll.invalid_id",
    "poll.missing_title",
    "poll.no_questions",
    "poll.closes_before_opening",
    "poll.duplicate_question",
    "poll.missing_question_text",
    "poll.no_choices",
    "poll.bounds_on_single_choice",
    "poll.invalid_bounds",
    "poll.duplicate_choice",
    "poll.missing_choice_label",
    "error.poll_not_found",
    "error.poll_closed",
    "error.poll_not_open_yet",
    "error.already_voted",
    "error.ballot_id_conflict",
    "error.invalid_ballot",
    "error.results_hidden",
    "error.origin_not_allowed",
    "error.unauthorized",
    "error.rate_limited",
    "error.payload_too_large",
    "error.bad_json",
    "error.internal",
];

/// Returns the text for `key` in `lang` with `{name}` placeholders filled
/// from `params`. An unknown key returns the key itself, so a widget shows
/// something readable even when the server is newer than the widget.
///
/// ```
/// use ogkit_core::poll::{message, Lang};
///
/// let text = message("ballot.too_many_choices", &[("question", "q1"), ("max", "2"), ("count", "3")], Lang::En);
/// assert_eq!(text, "Question \"q1\" allows at most 2 choices, but 3 are selected.");
/// ```
pub fn message(key: &str, params: &[(&str, &str)], lang: Lang) -> String {
    let Some((_, german, english)) = MESSAGES.iter().find(|(known, _, _)| *known == key) else {
        return key.to_owned();
    };
    let mut text = match lang {
        Lang::De => (*german).to_owned(),
        Lang::En => (*english).to_owned(),
    };
    for (name, value) in params {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_list_matches_texts() {
        let keys: Vec<&str> = MESSAGES.iter().map(|(key, _, _)| *key).collect();
        assert_eq!(keys, MESSAGE_KEYS);
    }
}
