//! Every user-visible string of `<og-poll>`, in German (the default) and
//! English.
//!
//! Texts that the server's error codes and the core ballot check already
//! have come from `ogkit_core::poll::message`; the rest is here. Dates
//! arrive formatted, because formatting them needs the browser's `Intl`.

use ogkit_core::poll::{message, Question, Violation, MESSAGE_KEYS};

use super::api::{BallotOutcome, LoadFailure};
use super::config::{ConfigError, ConfigProblem};
use super::state::{CodeProblem, Limit, Notice, ProblemKind};
use crate::i18n::Lang;

/// The texts of one widget in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text(pub Lang);

impl Text {
    fn pick(self, de: &'static str, en: &'static str) -> &'static str {
        match self.0 {
            Lang::De => de,
            Lang::En => en,
        }
    }

    fn is_german(self) -> bool {
        self.0 == Lang::De
    }

    /// Returns the core message of `key` in this language.
    fn core(self, key: &str, params: &[(&str, &str)]) -> String {
        let lang = match self.0 {
            Lang::De => ogkit_core::poll::Lang::De,
            Lang::En => ogkit_core::poll::Lang::En,
        };
        message(key, params, lang)
    }

    pub fn loading(self) -> &'static str {
        self.pick("Die Umfrage wird geladen …", "Loading the poll …")
    }

    pub fn config_error(self, error: &ConfigError) -> String {
        let value = &error.value;
        match (error.problem, self.is_german()) {
            (ConfigProblem::Missing, true) => "Diese Umfrage kann nicht angezeigt werden, weil die Angabe „poll“ fehlt. \
                 Für die Redaktion: Tragen Sie die Kennung der Umfrage ein, zum Beispiel poll=\"radweg-2026\"."
                .to_owned(),
            (ConfigProblem::Missing, false) => "This poll cannot be shown because the attribute \"poll\" is missing. \
                 For editors: set it to the id of the poll, for example poll=\"radweg-2026\"."
                .to_owned(),
            (ConfigProblem::InvalidPollId, true) => format!(
                "Diese Umfrage kann nicht angezeigt werden: „{value}“ ist keine gültige Kennung. \
                 Für die Redaktion: Erlaubt sind Buchstaben ohne Umlaute, Ziffern, - und _."
            ),
            (ConfigProblem::InvalidPollId, false) => format!(
                "This poll cannot be shown: \"{value}\" is not a valid poll id. \
                 For editors: use letters without accents, digits, - and _."
            ),
            (ConfigProblem::InvalidServer, true) => format!(
                "Diese Umfrage kann nicht angezeigt werden: Die Serveradresse „{value}“ ist ungültig. \
                 Für die Redaktion: Erwartet wird eine Adresse wie https://beteiligung.example.de oder ein Pfad, der mit / beginnt."
            ),
            (ConfigProblem::InvalidServer, false) => format!(
                "This poll cannot be shown: the server address \"{value}\" is invalid. \
                 For editors: use an address such as https://beteiligung.example.de, or a path starting with /."
            ),
        }
    }

    /// Returns the message for a poll that could not be loaded. `online` is
    /// the browser's `navigator.onLine`, and only an offline device gets the
    /// advice to check its connection.
    pub fn load_failure(self, failure: &LoadFailure, online: bool) -> String {
        match failure {
            LoadFailure::NotFound => self
                .pick(
                    "Diese Umfrage gibt es nicht. Vielleicht wurde sie entfernt oder der Link ist falsch.",
                    "This poll does not exist. It may have been removed, or the link is wrong.",
                )
                .to_owned(),
            LoadFailure::Network if online => self
                .pick(
                    "Die Umfrage kann gerade nicht geladen werden, weil der Server nicht erreichbar ist. \
                     Bitte versuchen Sie es später erneut.",
                    "The poll cannot be loaded right now because the server cannot be reached. \
                     Please try again later.",
                )
                .to_owned(),
            LoadFailure::Network => self
                .pick(
                    "Die Umfrage kann gerade nicht geladen werden, weil Ihr Gerät offline ist. \
                     Bitte prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.",
                    "The poll cannot be loaded right now because your device is offline. \
                     Please check your internet connection and try again.",
                )
                .to_owned(),
            LoadFailure::Status { status, .. } if self.is_german() => format!(
                "Die Umfrage kann gerade nicht geladen werden (Fehler {status} des Servers). Bitte versuchen Sie es später erneut."
            ),
            LoadFailure::Status { status, .. } => {
                format!("The poll cannot be loaded right now (server error {status}). Please try again later.")
            }
            LoadFailure::InvalidResponse | LoadFailure::ResultsHidden => self
                .pick(
                    "Die Umfrage kann nicht angezeigt werden, weil der Server eine unerwartete Antwort geschickt hat. \
                     Bitte versuchen Sie es später erneut.",
                    "The poll cannot be shown because the server sent an unexpected answer. Please try again later.",
                )
                .to_owned(),
        }
    }

    pub fn retry_load(self) -> &'static str {
        self.pick("Erneut versuchen", "Try again")
    }

    pub fn opens_at(self, date: &str) -> String {
        if self.is_german() {
            format!("Die Abstimmung beginnt am {date}. Bitte schauen Sie dann wieder vorbei.")
        } else {
            format!("Voting opens on {date}. Please come back then.")
        }
    }

    pub fn closes_at(self, date: &str) -> String {
        if self.is_german() {
            format!("Sie können bis {date} abstimmen.")
        } else {
            format!("You can vote until {date}.")
        }
    }

    pub fn closed(self, date: &str) -> String {
        if self.is_german() {
            format!("Diese Umfrage ist beendet (seit {date}). Es können keine Stimmen mehr abgegeben werden.")
        } else {
            format!("This poll has closed (since {date}). No more votes can be cast.")
        }
    }

    pub fn limit(self, limit: Limit) -> String {
        let german = self.is_german();
        match limit {
            Limit::One | Limit::Exactly(1) if german => "Wählen Sie eine Antwort.".to_owned(),
            Limit::One | Limit::Exactly(1) => "Choose one answer.".to_owned(),
            Limit::Exactly(count) if german => format!("Wählen Sie genau {count} Antworten."),
            Limit::Exactly(count) => format!("Choose exactly {count} answers."),
            Limit::AtLeast(1) if german => "Wählen Sie mindestens eine Antwort, gern auch mehrere.".to_owned(),
            Limit::AtLeast(1) => "Choose at least one answer; several are welcome.".to_owned(),
            Limit::AtLeast(count) if german => format!("Wählen Sie mindestens {count} Antworten."),
            Limit::AtLeast(count) => format!("Choose at least {count} answers."),
            Limit::AtMost(1) if german => "Wählen Sie höchstens eine Antwort oder keine.".to_owned(),
            Limit::AtMost(1) => "Choose at most one answer, or none.".to_owned(),
            Limit::AtMost(count) if german => format!("Wählen Sie bis zu {count} Antworten oder keine."),
            Limit::AtMost(count) => format!("Choose up to {count} answers, or none."),
            Limit::Between(min, max) if german => format!("Wählen Sie {min} bis {max} Antworten."),
            Limit::Between(min, max) => format!("Choose {min} to {max} answers."),
            Limit::Any if german => "Wählen Sie beliebig viele Antworten oder keine.".to_owned(),
            Limit::Any => "Choose as many answers as you like, or none.".to_owned(),
        }
    }

    /// Returns the message of a selection problem at `question`, where
    /// `count` choices are selected.
    pub fn problem(self, kind: &ProblemKind, question: &Question, count: usize) -> String {
        let german = self.is_german();
        let (min, max) = (question.min(), question.max());
        match kind {
            // A question that takes several answers needs "at least" one.
            ProblemKind::TooFew if min <= 1 && max > 1 && german => {
                "Bitte wählen Sie mindestens eine Antwort.".to_owned()
            }
            ProblemKind::TooFew if min <= 1 && max > 1 => "Please choose at least one answer.".to_owned(),
            ProblemKind::TooFew if min <= 1 && german => "Bitte wählen Sie eine Antwort.".to_owned(),
            ProblemKind::TooFew if min <= 1 => "Please choose an answer.".to_owned(),
            ProblemKind::TooFew if german => {
                format!("Bitte wählen Sie mindestens {min} Antworten (gewählt: {count}).")
            }
            ProblemKind::TooFew => format!("Please choose at least {min} answers (chosen: {count})."),
            ProblemKind::TooMany if german => {
                format!("Bitte wählen Sie höchstens {max} Antworten (gewählt: {count}).")
            }
            ProblemKind::TooMany => format!("Please choose at most {max} answers (chosen: {count})."),
            ProblemKind::Other(violation) => self.violation(violation, question),
        }
    }

    /// Returns a violation's core message with the question's text in
    /// place of its id.
    pub fn violation(self, violation: &Violation, question: &Question) -> String {
        let mut params: Vec<(&str, &str)> =
            violation.params.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
        params.push(("question", &question.text));
        let choice = violation.choice.as_deref().unwrap_or("");
        let label = question.choice(choice).map_or(choice, |choice| choice.label.as_str());
        params.push(("choice", label));
        self.core(&violation.key, &params)
    }

    pub fn problems_heading(self) -> &'static str {
        self.pick("Bitte prüfen Sie Ihre Angaben", "Please check your answers")
    }

    pub fn code_label(self) -> &'static str {
        self.pick("Ihr Zugangscode", "Your invitation code")
    }

    pub fn code_hint(self) -> &'static str {
        self.pick(
            "Sie finden den Code in Ihrer Einladung, zum Beispiel K7QM-2XHD-PW9A. \
             Groß- und Kleinschreibung und Bindestriche spielen keine Rolle.",
            "You find the code in your invitation, for example K7QM-2XHD-PW9A. \
             Upper or lower case and dashes do not matter.",
        )
    }

    pub fn code_problem(self, problem: CodeProblem) -> &'static str {
        match problem {
            CodeProblem::Missing => self.pick("Bitte geben Sie Ihren Zugangscode ein.", "Please enter your invitation code."),
            CodeProblem::Wrong => self.pick(
                "Dieser Zugangscode ist ungültig. Bitte prüfen Sie ihn auf Tippfehler.",
                "This invitation code is not valid. Please check it for typing errors.",
            ),
            CodeProblem::Used => self.pick(
                "Mit diesem Zugangscode wurde bereits abgestimmt. Jeder Code gilt für genau eine Stimme.",
                "This invitation code has already been used. Each code is valid for one vote.",
            ),
        }
    }

    pub fn submit(self) -> &'static str {
        self.pick("Stimme abgeben", "Cast your vote")
    }

    pub fn sending(self) -> &'static str {
        self.pick("Ihre Stimme wird gesendet …", "Sending your vote …")
    }

    /// Returns the message for a vote without a response; see
    /// [`Text::load_failure`] for `online`.
    pub fn no_response(self, online: bool) -> &'static str {
        if online {
            self.pick(
                "Ihre Stimme konnte nicht gesendet werden, weil der Server nicht erreichbar ist. \
                 Ihre Auswahl bleibt erhalten. Bitte senden Sie die Stimme später erneut.",
                "Your vote could not be sent because the server cannot be reached. \
                 Your selection is kept. Please send the vote again later.",
            )
        } else {
            self.pick(
                "Ihre Stimme konnte nicht gesendet werden, weil Ihr Gerät offline ist. \
                 Ihre Auswahl bleibt erhalten. Prüfen Sie Ihre Internetverbindung und senden Sie die Stimme erneut.",
                "Your vote could not be sent because your device is offline. \
                 Your selection is kept. Check your internet connection and send the vote again.",
            )
        }
    }

    pub fn send_again(self) -> &'static str {
        self.pick("Stimme erneut senden", "Send vote again")
    }

    pub fn send_failure(self, outcome: &BallotOutcome) -> String {
        match outcome {
            BallotOutcome::Closed => self.core("error.poll_closed", &[]),
            BallotOutcome::NotOpenYet => self.core("error.poll_not_open_yet", &[]),
            BallotOutcome::NotFound => self.core("error.poll_not_found", &[]),
            BallotOutcome::BallotIdConflict => self
                .pick(
                    "Ihre Stimme wurde nicht gespeichert. Bitte senden Sie sie noch einmal ab.",
                    "Your vote was not recorded. Please send it once more.",
                )
                .to_owned(),
            BallotOutcome::Unauthorized | BallotOutcome::AlreadyVoted => self.core("error.unauthorized", &[]),
            BallotOutcome::Rejected { code, .. } if MESSAGE_KEYS.contains(&format!("error.{code}").as_str()) => {
                self.core(&format!("error.{code}"), &[])
            }
            BallotOutcome::Rejected { status, .. } | BallotOutcome::Unexpected { status } if self.is_german() => format!(
                "Ihre Stimme wurde nicht gespeichert (Fehler {status} des Servers). \
                 Ihre Auswahl bleibt erhalten; bitte versuchen Sie es später erneut."
            ),
            BallotOutcome::Rejected { status, .. } | BallotOutcome::Unexpected { status } => format!(
                "Your vote was not recorded (server error {status}). Your selection is kept; please try again later."
            ),
            BallotOutcome::Invalid(_) | BallotOutcome::Accepted(_) => self.core("error.invalid_ballot", &[]),
        }
    }

    pub fn thanks(self) -> &'static str {
        self.pick("Vielen Dank! Ihre Stimme wurde gespeichert.", "Thank you! Your vote has been recorded.")
    }

    pub fn voted_before(self) -> &'static str {
        self.pick("Sie haben bei dieser Umfrage bereits abgestimmt.", "You have already voted in this poll.")
    }

    pub fn voted_without_receipt(self) -> &'static str {
        self.pick(
            "Von diesem Browser aus wurde bereits abgestimmt. Jede Person kann nur einmal abstimmen.",
            "A vote has already been cast from this browser. Each person can vote only once.",
        )
    }

    pub fn receipt(self, ballot_id: &str, date: Option<&str>) -> String {
        match (date, self.is_german()) {
            (Some(date), true) => format!("Ihre Empfangsbestätigung: Stimmzettel {ballot_id}, gespeichert am {date}."),
            (None, true) => format!("Ihre Empfangsbestätigung: Stimmzettel {ballot_id}."),
            (Some(date), false) => format!("Your receipt: ballot {ballot_id}, recorded on {date}."),
            (None, false) => format!("Your receipt: ballot {ballot_id}."),
        }
    }

    pub fn receipt_note(self) -> &'static str {
        self.pick(
            "Dieser Browser merkt sich Ihre Teilnahme. Ihre Auswahl wird nicht angezeigt und nicht auf diesem Gerät gespeichert.",
            "This browser remembers that you took part. Your selection is neither shown nor kept on this device.",
        )
    }

    pub fn results_after_vote(self) -> &'static str {
        self.pick("Die Ergebnisse sehen Sie, nachdem Sie abgestimmt haben.", "You will see the results after you have voted.")
    }

    pub fn results_after_close(self, date: &str) -> String {
        if self.is_german() {
            format!("Die Ergebnisse werden nach dem Ende der Umfrage am {date} veröffentlicht.")
        } else {
            format!("The results will be published after the poll closes on {date}.")
        }
    }

    pub fn results_heading(self, live: bool) -> &'static str {
        match live {
            true => self.pick("Zwischenstand", "Results so far"),
            false => self.pick("Ergebnis", "Results"),
        }
    }

    pub fn results_live_note(self) -> &'static str {
        self.pick("Der Zwischenstand wird laufend aktualisiert.", "The results are updated as votes come in.")
    }

    pub fn participants(self, count: u64) -> String {
        match (count, self.is_german()) {
            (0, true) => "Noch hat niemand abgestimmt.".to_owned(),
            (0, false) => "Nobody has voted yet.".to_owned(),
            (1, true) => "1 Person hat abgestimmt.".to_owned(),
            (1, false) => "1 person has voted.".to_owned(),
            (count, true) => format!("{count} Personen haben abgestimmt."),
            (count, false) => format!("{count} people have voted."),
        }
    }

    pub fn votes(self, count: u64) -> String {
        match (count, self.is_german()) {
            (1, true) => "1 Stimme".to_owned(),
            (1, false) => "1 vote".to_owned(),
            (count, true) => format!("{count} Stimmen"),
            (count, false) => format!("{count} votes"),
        }
    }

    /// Formats a percentage with one decimal: `37,5 %` or `37.5%`.
    pub fn percent(self, value: f64) -> String {
        let tenths = (value.clamp(0.0, 100.0) * 10.0).round() as u64;
        let (whole, tenth) = (tenths / 10, tenths % 10);
        match self.0 {
            Lang::De => format!("{whole},{tenth}\u{a0}%"),
            Lang::En => format!("{whole}.{tenth}%"),
        }
    }

    pub fn share_of_participants(self) -> &'static str {
        self.pick(
            "Mehrfachauswahl: Die Prozentzahlen sind Anteile der Personen, die abgestimmt haben. \
             Weil jede Person mehrere Antworten wählen konnte, ergeben sie zusammen mehr als 100 %.",
            "Multiple choice: the percentages are shares of the people who voted. \
             Because each person could choose several answers, they add up to more than 100%.",
        )
    }

    pub fn table_toggle(self) -> &'static str {
        self.pick("Ergebnis als Tabelle", "Results as a table")
    }

    pub fn table_headers(self) -> [&'static str; 3] {
        match self.0 {
            Lang::De => ["Antwort", "Stimmen", "Anteil"],
            Lang::En => ["Answer", "Votes", "Share"],
        }
    }

    pub fn table_share_header(self, participants: bool) -> &'static str {
        match participants {
            true => self.pick("Anteil der Abstimmenden", "Share of voters"),
            false => self.pick("Anteil", "Share"),
        }
    }

    pub fn results_failure(self, failure: &LoadFailure) -> &'static str {
        match failure {
            LoadFailure::ResultsHidden => self.pick("Die Ergebnisse sind noch nicht sichtbar.", "The results are not visible yet."),
            LoadFailure::Network => self.pick(
                "Die Ergebnisse können gerade nicht geladen werden, weil der Server nicht erreichbar ist.",
                "The results cannot be loaded right now because the server cannot be reached.",
            ),
            _ => self.pick(
                "Die Ergebnisse können gerade nicht geladen werden. Bitte versuchen Sie es später erneut.",
                "The results cannot be loaded right now. Please try again later.",
            ),
        }
    }

    pub fn retry_results(self) -> &'static str {
        self.pick("Ergebnisse erneut laden", "Load results again")
    }

    pub fn results_loading(self) -> &'static str {
        self.pick("Die Ergebnisse werden geladen …", "Loading the results …")
    }

    pub fn notice(self, notice: Notice) -> String {
        let german = self.is_german();
        match notice {
            Notice::Sending => self.sending().to_owned(),
            Notice::Voted => self.thanks().to_owned(),
            Notice::AlreadyVoted => self.voted_without_receipt().to_owned(),
            Notice::FixProblems(1) if german => "Eine Angabe muss korrigiert werden.".to_owned(),
            Notice::FixProblems(1) => "One answer needs correcting.".to_owned(),
            Notice::FixProblems(count) if german => format!("{count} Angaben müssen korrigiert werden."),
            Notice::FixProblems(count) => format!("{count} answers need correcting."),
            // The error itself is shown in an alert, which screen readers
            // announce; repeating it here would make them read it twice.
            Notice::SendFailed => String::new(),
            Notice::ResultsUpdated(count) if german => format!("Zwischenstand aktualisiert: {}", self.participants(count)),
            Notice::ResultsUpdated(count) => format!("Results updated: {}", self.participants(count)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ogkit_core::poll::{Choice, QuestionKind};

    const DE: Text = Text(Lang::De);
    const EN: Text = Text(Lang::En);

    fn question() -> Question {
        Question {
            id: "extras".into(),
            text: "Was fehlt?".into(),
            description: None,
            kind: QuestionKind::MultipleChoice,
            min_selections: Some(2),
            max_selections: Some(3),
            choices: ["licht", "baenke", "wasser", "baeume"]
                .iter()
                .map(|id| Choice { id: (*id).into(), label: format!("Label {id}"), description: None })
                .collect(),
        }
    }

    #[test]
    fn percent_uses_language_conventions() {
        assert_eq!(DE.percent(37.5), "37,5\u{a0}%");
        assert_eq!(EN.percent(37.5), "37.5%");
        assert_eq!(DE.percent(100.0), "100,0\u{a0}%");
        assert_eq!(EN.percent(-3.0), "0.0%");
        assert_eq!(EN.percent(250.0), "100.0%");
        assert_eq!(EN.percent(f64::NAN), "0.0%");
    }

    #[test]
    fn limits_are_worded_in_both_languages() {
        assert_eq!(DE.limit(Limit::One), "Wählen Sie eine Antwort.");
        assert_eq!(EN.limit(Limit::Between(2, 3)), "Choose 2 to 3 answers.");
        assert_eq!(DE.limit(Limit::AtMost(2)), "Wählen Sie bis zu 2 Antworten oder keine.");
        for limit in [Limit::One, Limit::Exactly(2), Limit::AtLeast(1), Limit::AtLeast(2), Limit::AtMost(1), Limit::Any] {
            assert_ne!(DE.limit(limit), EN.limit(limit), "{limit:?}");
        }
    }

    #[test]
    fn problems_name_bounds_and_count() {
        assert_eq!(DE.problem(&ProblemKind::TooMany, &question(), 4), "Bitte wählen Sie höchstens 3 Antworten (gewählt: 4).");
        assert_eq!(EN.problem(&ProblemKind::TooFew, &question(), 1), "Please choose at least 2 answers (chosen: 1).");
    }

    #[test]
    fn empty_multiple_choice_asks_for_one() {
        let several = Question { min_selections: Some(1), max_selections: Some(2), ..question() };
        assert_eq!(DE.problem(&ProblemKind::TooFew, &several, 0), "Bitte wählen Sie mindestens eine Antwort.");
        assert_eq!(EN.problem(&ProblemKind::TooFew, &several, 0), "Please choose at least one answer.");
        let single = Question { kind: QuestionKind::SingleChoice, min_selections: None, max_selections: None, ..question() };
        assert_eq!(DE.problem(&ProblemKind::TooFew, &single, 0), "Bitte wählen Sie eine Antwort.");
    }

    #[test]
    fn server_violation_shows_labels_not_ids() {
        let violation = Violation::new("ballot.unknown_choice").in_question("extras").at_choice("licht");
        let text = DE.problem(&ProblemKind::Other(violation), &question(), 1);
        assert_eq!(text, "Antwort „Label licht“ gibt es bei Frage „Was fehlt?“ nicht.");
    }

    #[test]
    fn unknown_error_code_gets_generic_text() {
        let answer = BallotOutcome::Rejected { status: 418, code: "teapot".into() };
        assert!(DE.send_failure(&answer).contains("Fehler 418"));
        let known = BallotOutcome::Rejected { status: 429, code: "rate_limited".into() };
        assert!(EN.send_failure(&known).starts_with("Too many ballots"));
    }

    #[test]
    fn participants_have_plural_forms() {
        assert_eq!(DE.participants(1), "1 Person hat abgestimmt.");
        assert_eq!(EN.participants(3), "3 people have voted.");
        assert_eq!(EN.votes(1), "1 vote");
        assert_eq!(DE.votes(2), "2 Stimmen");
    }

    #[test]
    fn returning_voter_reads_already_voted() {
        assert!(DE.voted_before().contains("bereits abgestimmt"));
        assert!(EN.voted_before().contains("already voted"));
        assert!(DE.voted_without_receipt().contains("bereits abgestimmt"));
        assert!(EN.voted_without_receipt().contains("already"));
    }

    #[test]
    fn config_errors_name_the_value() {
        let error = ConfigError { attribute: "server", value: "ftp://x".into(), problem: ConfigProblem::InvalidServer };
        assert!(DE.config_error(&error).contains("„ftp://x“"));
        assert!(EN.config_error(&error).contains("\"ftp://x\""));
    }
}
