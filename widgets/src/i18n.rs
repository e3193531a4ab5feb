//! Every user-visible string of the widgets, in German (the default) and
//! English.
//!
//! Widgets never format user text themselves: they ask [`Lang`] for a
//! sentence, so a translation is one match arm in this file. The loader in
//! `js/ogkit.js` keeps a copy of the two messages it shows when the
//! WebAssembly module itself cannot start, because no Rust runs then.

/// Language of a widget's text, picked from `lang` on the element or its
/// nearest ancestor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// German, also used for every language tag that is not English.
    #[default]
    De,
    /// English (`en`, `en-GB`, …).
    En,
}

impl Lang {
    /// Returns the language for a BCP 47 tag such as `de-DE` or `en`; anything
    /// that is not English falls back to German.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::De
        }
    }

    /// Returns the BCP 47 tag written into the widget's `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    fn pick(self, de: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::De => de,
            Lang::En => en,
        }
    }

    pub fn search_label(self) -> &'static str {
        self.pick("Leistung suchen", "Search for a service")
    }

    pub fn search_placeholder(self) -> &'static str {
        self.pick("z. B. Personalausweis, Ummeldung, Hund", "e.g. identity card, change of address, dog")
    }

    pub fn search_hint(self) -> &'static str {
        self.pick(
            "Die Treffer erscheinen beim Tippen. Mit Pfeil nach unten gelangen Sie in die Trefferliste, Escape leert das Feld.",
            "Results appear as you type. Press the down arrow to move into the results; Escape clears the field.",
        )
    }

    pub fn category_label(self) -> &'static str {
        self.pick("Lebenslage oder Thema", "Life situation or topic")
    }

    pub fn category_all(self) -> &'static str {
        self.pick("Alle", "All")
    }

    pub fn online_only_label(self) -> &'static str {
        self.pick("Nur online beantragbare Leistungen", "Only services available online")
    }

    pub fn results_label(self) -> &'static str {
        self.pick("Treffer", "Results")
    }

    pub fn weak_results_label(self) -> &'static str {
        self.pick("Ungenaue Treffer", "Less exact results")
    }

    pub fn weak_results_note(self) -> &'static str {
        self.pick(
            "Diese Leistungen passen nur ungefähr zu Ihrer Eingabe.",
            "These services only roughly match what you typed.",
        )
    }

    /// Returns the visible and announced result count, e.g. "3 Treffer".
    pub fn result_count(self, strong: usize, weak: usize) -> String {
        let strong_text = match (self, strong) {
            (Lang::De, 0) => "Keine Treffer".to_string(),
            (Lang::De, n) => format!("{n} Treffer"),
            (Lang::En, 0) => "No results".to_string(),
            (Lang::En, 1) => "1 result".to_string(),
            (Lang::En, n) => format!("{n} results"),
        };
        match (self, weak) {
            (_, 0) => strong_text,
            (Lang::De, n) => format!("{strong_text}, {n} ungenaue"),
            (Lang::En, n) => format!("{strong_text}, {n} less exact"),
        }
    }

    /// Returns the sentence for the live region after a search settles.
    pub fn result_announcement(self, query: &str, strong: usize, weak: usize) -> String {
        let count = self.result_count(strong, weak);
        match self {
            Lang::De => format!("{count} für „{query}“"),
            Lang::En => format!("{count} for “{query}”"),
        }
    }

    pub fn no_results_title(self, query: &str) -> String {
        match self {
            Lang::De => format!("Zu „{query}“ haben wir keine Leistung gefunden."),
            Lang::En => format!("We found no service for “{query}”."),
        }
    }

    pub fn no_exact_results_title(self, query: &str) -> String {
        match self {
            Lang::De => format!("Zu „{query}“ gibt es keine genauen Treffer."),
            Lang::En => format!("There are no exact results for “{query}”."),
        }
    }

    pub fn no_results_tips(self) -> [&'static str; 3] {
        match self {
            Lang::De => [
                "Prüfen Sie die Schreibweise oder verwenden Sie ein kürzeres Wort.",
                "Beschreiben Sie Ihr Anliegen mit anderen Worten, z. B. „umziehen“ statt „Wohnsitzwechsel“.",
                "Entfernen Sie den Filter für Lebenslage oder Online-Leistungen.",
            ],
            Lang::En => [
                "Check the spelling or try a shorter word.",
                "Describe what you need in other words, e.g. “moving house” instead of “change of residence”.",
                "Remove the life situation or online filter.",
            ],
        }
    }

    pub fn no_results_contact(self) -> &'static str {
        self.pick("Kontakt zur Stadtverwaltung", "Contact the city administration")
    }

    pub fn back_to_results(self) -> &'static str {
        self.pick("Zurück zu den Treffern", "Back to the results")
    }

    pub fn fees_heading(self) -> &'static str {
        self.pick("Gebühren", "Fees")
    }

    pub fn office_heading(self) -> &'static str {
        self.pick("Zuständige Stelle", "Responsible office")
    }

    pub fn links_heading(self) -> &'static str {
        self.pick("Formulare und Links", "Forms and links")
    }

    pub fn phone_label(self) -> &'static str {
        self.pick("Telefon", "Phone")
    }

    pub fn email_label(self) -> &'static str {
        self.pick("E-Mail", "Email")
    }

    pub fn more_information(self) -> &'static str {
        self.pick("Weitere Informationen", "More information")
    }

    pub fn apply_online(self) -> &'static str {
        self.pick("Online beantragen", "Apply online")
    }

    pub fn online_badge(self) -> &'static str {
        self.pick("online", "online")
    }

    pub fn updated(self, date: &str) -> String {
        match self {
            Lang::De => format!("Stand: {date}"),
            Lang::En => format!("Last updated: {date}"),
        }
    }

    pub fn leika_key(self, key: &str) -> String {
        format!("{} {key}", self.pick("Leistungsschlüssel (LeiKa):", "LeiKa service key:"))
    }

    pub fn loading(self) -> &'static str {
        self.pick("Leistungen werden geladen …", "Loading services …")
    }

    pub fn attribution_data(self) -> &'static str {
        self.pick("Daten", "Data")
    }

    pub fn attribution_licence(self) -> &'static str {
        self.pick("Lizenz", "Licence")
    }

    pub fn failure(self, failure: &Failure) -> String {
        match (self, failure) {
            (Lang::De, Failure::MissingSource) => {
                "Die Leistungssuche ist nicht eingerichtet: Es fehlt die Adresse des Leistungskatalogs (Attribut „src“).".into()
            }
            (Lang::En, Failure::MissingSource) => {
                "The service search is not set up: the address of the service catalogue is missing (attribute “src”).".into()
            }
            (Lang::De, Failure::HttpStatus(status)) => format!(
                "Der Leistungskatalog konnte nicht geladen werden: Der Server antwortete mit Status {status}{}.",
                status_reason_de(*status)
            ),
            (Lang::En, Failure::HttpStatus(status)) => format!(
                "The service catalogue could not be loaded: the server answered with status {status}{}.",
                status_reason_en(*status)
            ),
            (Lang::De, Failure::Network) => {
                "Der Leistungskatalog konnte nicht geladen werden: Der Server ist nicht erreichbar. Bitte versuchen Sie es später noch einmal.".into()
            }
            (Lang::En, Failure::Network) => {
                "The service catalogue could not be loaded: the server cannot be reached. Please try again later.".into()
            }
            (Lang::De, Failure::InvalidJson) => {
                "Der Leistungskatalog ist beschädigt: Die Datei ist kein gültiges JSON.".into()
            }
            (Lang::En, Failure::InvalidJson) => "The service catalogue is damaged: the file is not valid JSON.".into(),
            (Lang::De, Failure::NotCatalogue) => {
                "Die geladene Datei ist kein ogkit-Leistungskatalog (das Feld „format“ fehlt oder hat einen anderen Wert).".into()
            }
            (Lang::En, Failure::NotCatalogue) => {
                "The loaded file is not an ogkit service catalogue (the field “format” is missing or has another value).".into()
            }
            (Lang::De, Failure::UnsupportedVersion(version)) => format!(
                "Der Leistungskatalog hat Version {version}; diese Leistungssuche kann nur Version {} lesen.",
                ogkit_core::catalogue::VERSION
            ),
            (Lang::En, Failure::UnsupportedVersion(version)) => format!(
                "The service catalogue has version {version}; this service search can only read version {}.",
                ogkit_core::catalogue::VERSION
            ),
            (Lang::De, Failure::InvalidCatalogue(detail)) => {
                format!("Der Leistungskatalog enthält ungültige Daten ({detail}).")
            }
            (Lang::En, Failure::InvalidCatalogue(detail)) => {
                format!("The service catalogue contains invalid data ({detail}).")
            }
        }
    }

    pub fn config_notice(self, attribute: &str, value: &str) -> String {
        match self {
            Lang::De => format!(
                "Hinweis für die Redaktion: Der Wert „{value}“ im Attribut „{attribute}“ ist ungültig und wird ignoriert."
            ),
            Lang::En => {
                format!("Note for editors: the value “{value}” of the attribute “{attribute}” is invalid and is ignored.")
            }
        }
    }
}

/// Why a widget could not show its data. The widget shows the matching
/// sentence from [`Lang::failure`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The element has no `src` attribute.
    MissingSource,
    /// The server answered with a status other than 2xx.
    HttpStatus(u16),
    /// The request failed before any answer (offline, blocked, DNS).
    Network,
    /// The body is not JSON.
    InvalidJson,
    /// The JSON is not an ogkit catalogue (`format` missing or different).
    NotCatalogue,
    /// The catalogue has a `version` this build cannot read.
    UnsupportedVersion(u64),
    /// The catalogue's structure is wrong, with the decoder's description.
    InvalidCatalogue(String),
}

fn status_reason_de(status: u16) -> &'static str {
    match status {
        404 => " (Datei nicht gefunden)",
        401 | 403 => " (Zugriff verweigert)",
        500..=599 => " (Serverfehler)",
        _ => "",
    }
}

fn status_reason_en(status: u16) -> &'static str {
    match status {
        404 => " (file not found)",
        401 | 403 => " (access denied)",
        500..=599 => " (server error)",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_tags_pick_english() {
        for tag in ["en", "EN", "en-GB", "en_US", " en "] {
            assert_eq!(Lang::from_tag(tag), Lang::En, "{tag:?}");
        }
    }

    #[test]
    fn other_tags_pick_german() {
        for tag in ["de", "de-AT", "", "fr", "eng", "x-en"] {
            assert_eq!(Lang::from_tag(tag), Lang::De, "{tag:?}");
        }
    }

    #[test]
    fn not_found_names_status() {
        let text = Lang::De.failure(&Failure::HttpStatus(404));
        assert!(text.contains("404"), "{text}");
        assert!(text.contains("nicht gefunden"), "{text}");
        let text = Lang::En.failure(&Failure::HttpStatus(404));
        assert!(text.contains("404"), "{text}");
    }

    #[test]
    fn result_count_has_plural() {
        assert_eq!(Lang::En.result_count(1, 0), "1 result");
        assert_eq!(Lang::En.result_count(2, 1), "2 results, 1 less exact");
        assert_eq!(Lang::De.result_count(0, 0), "Keine Treffer");
        assert_eq!(Lang::De.result_count(3, 2), "3 Treffer, 2 ungenaue");
    }
}
