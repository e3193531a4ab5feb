//! Every user-visible string of `<og-form>`, in German (the default) and
//! English. Messages about the input come from the core's
//! `ogkit_core::form::message`, the same sentences the server sends.

use super::api::SendFailure;
use super::config::{ConfigError, ConfigProblem};
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

    pub fn loading(self) -> &'static str {
        self.pick("Das Formular wird geladen …", "Loading the form …")
    }

    pub fn load_failed(self) -> &'static str {
        self.pick(
            "Das Formular kann gerade nicht geladen werden. Bitte versuchen Sie es später noch einmal.",
            "The form cannot be loaded right now. Please try again later.",
        )
    }

    pub fn load_not_found(self) -> &'static str {
        self.pick(
            "Dieses Formular gibt es nicht. Vielleicht wurde es entfernt oder der Link ist falsch.",
            "This form does not exist. It may have been removed, or the link is wrong.",
        )
    }

    pub fn schema_invalid(self) -> &'static str {
        self.pick(
            "Dieses Formular kann nicht angezeigt werden, weil seine Beschreibung fehlerhaft ist. Für die Redaktion: Die Browser-Konsole nennt den Fehler.",
            "This form cannot be shown because its definition is invalid. For editors: the browser console names the problem.",
        )
    }

    pub fn retry_load(self) -> &'static str {
        self.pick("Erneut laden", "Load again")
    }

    pub fn config_error(self, error: &ConfigError) -> String {
        let value = &error.value;
        match (error.problem, self.is_german()) {
            (ConfigProblem::MissingSchema, true) => "Dieses Formular kann nicht angezeigt werden, weil die Angabe „schema“ fehlt. \
                 Für die Redaktion: Tragen Sie die Adresse des Formularschemas ein, zum Beispiel schema=\"/formulare/sperrmuell.json\"."
                .to_owned(),
            (ConfigProblem::MissingSchema, false) => "This form cannot be shown because the attribute \"schema\" is missing. \
                 For editors: set it to the address of the form schema, for example schema=\"/formulare/sperrmuell.json\"."
                .to_owned(),
            (ConfigProblem::InvalidUrl, true) => format!(
                "Dieses Formular kann nicht angezeigt werden: „{value}“ ist keine gültige Adresse für „{}“. \
                 Für die Redaktion: Erwartet wird eine Adresse mit https:// oder ein Pfad wie /formulare/sperrmuell.json.",
                error.attribute
            ),
            (ConfigProblem::InvalidUrl, false) => format!(
                "This form cannot be shown: \"{value}\" is not a valid address for \"{}\". \
                 For editors: use an https:// address or a path such as /formulare/sperrmuell.json.",
                error.attribute
            ),
            (ConfigProblem::InvalidFormId, true) => format!(
                "Dieses Formular kann nicht angezeigt werden: „{value}“ ist keine gültige Formularkennung. \
                 Für die Redaktion: Erlaubt sind Buchstaben ohne Umlaute, Ziffern, - und _."
            ),
            (ConfigProblem::InvalidFormId, false) => format!(
                "This form cannot be shown: \"{value}\" is not a valid form id. \
                 For editors: use letters without accents, digits, - and _."
            ),
            (ConfigProblem::MissingAction, true) => "Dieses Formular kann nicht angezeigt werden, weil unklar ist, wohin es gesendet wird. \
                 Für die Redaktion: Geben Sie „action“ (Adresse für das Absenden) oder „form“ (Kennung des Formulars) an."
                .to_owned(),
            (ConfigProblem::MissingAction, false) => "This form cannot be shown because it is unclear where to send it. \
                 For editors: set \"action\" (the submission address) or \"form\" (the form id)."
                .to_owned(),
        }
    }

    pub fn step_of(self, step: usize, count: usize) -> String {
        if self.is_german() {
            format!("Schritt {step} von {count}")
        } else {
            format!("Step {step} of {count}")
        }
    }

    /// Returns the page heading of a form without steps, whose title is
    /// already the heading above.
    pub fn details_heading(self) -> &'static str {
        self.pick("Ihre Angaben", "Your details")
    }

    pub fn choose(self) -> &'static str {
        self.pick("Bitte auswählen", "Select an answer")
    }

    pub fn next(self) -> &'static str {
        self.pick("Weiter", "Continue")
    }

    pub fn back(self) -> &'static str {
        self.pick("Zurück", "Back")
    }

    pub fn check_title(self) -> &'static str {
        self.pick("Prüfen Sie Ihre Angaben", "Check your answers")
    }

    pub fn check_intro(self) -> &'static str {
        self.pick(
            "Bitte prüfen Sie Ihre Angaben, bevor Sie das Formular absenden.",
            "Check your answers before you send the form.",
        )
    }

    pub fn change(self) -> &'static str {
        self.pick("Ändern", "Change")
    }

    pub fn not_given(self) -> &'static str {
        self.pick("Keine Angabe", "Not given")
    }

    pub fn yes(self) -> &'static str {
        self.pick("Ja", "Yes")
    }

    pub fn no(self) -> &'static str {
        self.pick("Nein", "No")
    }

    pub fn submit(self) -> &'static str {
        self.pick("Absenden", "Send")
    }

    pub fn sending(self) -> &'static str {
        self.pick("Wird gesendet …", "Sending …")
    }

    pub fn retry(self) -> &'static str {
        self.pick("Erneut senden", "Send again")
    }

    pub fn add_entry(self, item: &str) -> String {
        if self.is_german() {
            format!("{item} hinzufügen")
        } else {
            format!("Add {item}")
        }
    }

    pub fn remove_entry(self, item: &str, number: usize) -> String {
        if self.is_german() {
            format!("{item} {number} entfernen")
        } else {
            format!("Remove {item} {number}")
        }
    }

    /// Returns the heading of the error summary, which states the number
    /// of problems.
    pub fn problems_title(self, count: usize) -> String {
        match (self.is_german(), count) {
            (true, 1) => "Es gibt 1 Problem".to_owned(),
            (true, _) => format!("Es gibt {count} Probleme"),
            (false, 1) => "There is 1 problem".to_owned(),
            (false, _) => format!("There are {count} problems"),
        }
    }

    /// Returns the sentence that explains the asterisk after a label.
    pub fn required_note(self) -> &'static str {
        self.pick("Felder mit * müssen ausgefüllt werden.", "Fields marked with * are required.")
    }

    pub fn error_prefix(self) -> &'static str {
        self.pick("Fehler: ", "Error: ")
    }

    /// Returns the text in front of a field's message, read by screen
    /// readers only.
    pub fn error_label(self) -> &'static str {
        self.pick("Fehler:", "Error:")
    }

    pub fn send_failure(self, failure: SendFailure) -> &'static str {
        match failure {
            SendFailure::Unreachable => self.pick(
                "Ihre Angaben konnten nicht gesendet werden, weil der Server nicht erreichbar ist. Ihre Eingaben bleiben erhalten. Bitte versuchen Sie es noch einmal.",
                "Your answers could not be sent because the server cannot be reached. Your input is kept. Please try again.",
            ),
            SendFailure::ServerError => self.pick(
                "Beim Speichern ist auf dem Server ein Fehler aufgetreten. Ihre Eingaben bleiben erhalten. Bitte versuchen Sie es noch einmal.",
                "The server failed to store your answers. Your input is kept. Please try again.",
            ),
            SendFailure::RateLimited => self.pick(
                "Von Ihrem Anschluss wurden gerade sehr viele Formulare gesendet. Bitte versuchen Sie es in einigen Minuten noch einmal.",
                "Very many forms were just sent from your connection. Please try again in a few minutes.",
            ),
            SendFailure::FormNotFound => self.pick(
                "Dieses Formular nimmt keine Angaben mehr an. Bitte wenden Sie sich an die Verwaltung.",
                "This form no longer accepts answers. Please contact the administration.",
            ),
            SendFailure::Rejected => self.pick(
                "Der Server hat die Angaben nicht angenommen. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.",
                "The server did not accept the answers. Please reload the page and try again.",
            ),
        }
    }

    pub fn done_title(self) -> &'static str {
        self.pick("Ihre Angaben wurden gesendet", "Your answers have been sent")
    }

    pub fn reference_label(self) -> &'static str {
        self.pick("Ihre Vorgangsnummer", "Your reference number")
    }

    pub fn next_steps_title(self) -> &'static str {
        self.pick("Wie es weitergeht", "What happens next")
    }

    pub fn next_steps(self) -> &'static str {
        self.pick(
            "Wir bearbeiten Ihr Anliegen und melden uns, wenn wir Rückfragen haben. Bitte notieren Sie die Vorgangsnummer und geben Sie sie bei Fragen an.",
            "We will process your request and contact you if we have questions. Please note the reference number and quote it when you get in touch.",
        )
    }

    pub fn entry_label(self, item: &str, number: usize) -> String {
        format!("{item} {number}")
    }
}
