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

    /// Returns the sentence for the live region after a search settles. It
    /// names the query unless only filters are active.
    pub fn result_announcement(self, query: &str, strong: usize, weak: usize) -> String {
        let mut text = self.result_count(strong, weak);
        if !query.is_empty() {
            text.push_str(self.pick(" für „", " for “"));
            text.push_str(query);
            text.push_str(self.pick("“", "”"));
        }
        text
    }

    /// Returns the title above the tips when no service matches `query`, or
    /// the filters alone when `query` is empty.
    pub fn no_results_title(self, query: &str) -> String {
        match (self, query) {
            (Lang::De, "") => "Mit diesem Filter haben wir keine Leistung gefunden.".into(),
            (Lang::En, "") => "We found no service with this filter.".into(),
            (Lang::De, _) => format!("Zu „{query}“ haben wir keine Leistung gefunden."),
            (Lang::En, _) => format!("We found no service for “{query}”."),
        }
    }

    pub fn no_exact_results_title(self, query: &str) -> String {
        match (self, query) {
            (Lang::De, "") => "Mit diesem Filter gibt es keine genauen Treffer.".into(),
            (Lang::En, "") => "There are no exact results with this filter.".into(),
            (Lang::De, _) => format!("Zu „{query}“ gibt es keine genauen Treffer."),
            (Lang::En, _) => format!("There are no exact results for “{query}”."),
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
            (Lang::De, Failure::HtmlPage) => {
                "Unter der Adresse im Attribut „src“ liegt eine Webseite (HTML), kein Leistungskatalog. Bitte prüfen Sie die Adresse.".into()
            }
            (Lang::En, Failure::HtmlPage) => {
                "The address in the attribute “src” leads to a web page (HTML), not a service catalogue. Please check the address.".into()
            }
            (Lang::De, Failure::InvalidJson) => {
                "Die Datei unter der Adresse im Attribut „src“ ist kein gültiges JSON und damit kein Leistungskatalog. Bitte prüfen Sie die Adresse.".into()
            }
            (Lang::En, Failure::InvalidJson) => {
                "The file at the address in the attribute “src” is not valid JSON, so it is no service catalogue. Please check the address.".into()
            }
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
            (_, Failure::InvalidCatalogue(invalid)) => {
                let mut text = String::from(self.pick(
                    "Der Leistungskatalog enthält ungültige Daten (",
                    "The service catalogue contains invalid data (",
                ));
                text.push_str(&invalid.path);
                text.push_str(": ");
                text.push_str(&self.problem(&invalid.problem));
                text.push_str(").");
                text
            }
        }
    }

    /// Returns what is wrong with one catalogue value, without its path.
    pub fn problem(self, problem: &Problem) -> String {
        let (de, en, name) = match problem {
            Problem::Missing => ("Pflichtfeld fehlt", "required field is missing", None),
            Problem::NotObject => ("Objekt erwartet", "expected an object", None),
            Problem::NotString => ("Text erwartet", "expected a string", None),
            Problem::NotBoolean => ("true oder false erwartet", "expected true or false", None),
            Problem::NotList => ("Liste erwartet", "expected a list", None),
            Problem::NotWholeNumber => ("keine ganze Zahl", "not a whole number", None),
            Problem::BlockType(name) => ("unbekannter Blocktyp", "unknown block type", Some(name)),
            Problem::InlineType(name) => ("unbekannter Inline-Typ", "unknown inline type", Some(name)),
        };
        let mut text = String::from(self.pick(de, en));
        if let Some(name) = name {
            text.push_str(self.pick(" „", " \""));
            text.push_str(name);
            text.push_str(self.pick("“", "\""));
        }
        if let Problem::BlockType(_) = problem {
            text.push_str(self.pick(", erwartet „paragraph“ oder „list“", ", expected \"paragraph\" or \"list\""));
        }
        text
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
    /// The server sent an HTML page, usually because `src` is wrong.
    HtmlPage,
    /// The body is not JSON.
    InvalidJson,
    /// The JSON is not an ogkit catalogue (`format` missing or different).
    NotCatalogue,
    /// The catalogue has a `version` this build cannot read.
    UnsupportedVersion(u64),
    /// The catalogue's structure is wrong at one value.
    InvalidCatalogue(InvalidValue),
}

/// First invalid value in a catalogue, with its JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidValue {
    /// JSON path of the value, e.g. `services[3].name`.
    pub path: String,
    pub problem: Problem,
}

/// Kind of error in one catalogue value, worded by [`Lang::problem`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A required field is absent or `null`.
    Missing,
    NotObject,
    NotString,
    NotBoolean,
    NotList,
    NotWholeNumber,
    /// A rich-text block with this unknown `type`.
    BlockType(String),
    /// An inline rich-text element with this unknown `type`.
    InlineType(String),
}

/// English wording, for developer tools such as the benchmark.
impl std::fmt::Display for InvalidValue {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}: {}", self.path, Lang::En.problem(&self.problem))
    }
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

    #[test]
    fn announcement_names_query() {
        assert_eq!(Lang::De.result_announcement("Hund", 2, 0), "2 Treffer für „Hund“");
        assert_eq!(Lang::En.result_announcement("dog", 1, 0), "1 result for “dog”");
    }

    #[test]
    fn invalid_catalogue_speaks_language() {
        let failure = Failure::InvalidCatalogue(InvalidValue { path: "services[3].name".into(), problem: Problem::Missing });
        assert_eq!(
            Lang::De.failure(&failure),
            "Der Leistungskatalog enthält ungültige Daten (services[3].name: Pflichtfeld fehlt)."
        );
        assert_eq!(
            Lang::En.failure(&failure),
            "The service catalogue contains invalid data (services[3].name: required field is missing)."
        );
        let block = Problem::BlockType("table".into());
        assert_eq!(Lang::De.problem(&block), "unbekannter Blocktyp „table“, erwartet „paragraph“ oder „list“");
        assert_eq!(Lang::En.problem(&block), "unknown block type \"table\", expected \"paragraph\" or \"list\"");
    }

    #[test]
    fn filter_only_texts_have_no_quotes() {
        for lang in [Lang::De, Lang::En] {
            let texts = [lang.result_announcement("", 15, 0), lang.no_results_title(""), lang.no_exact_results_title("")];
            for text in texts {
                for quote in ['„', '“', '”'] {
                    assert!(!text.contains(quote), "{text}");
                }
            }
        }
        assert_eq!(Lang::De.result_announcement("", 15, 0), "15 Treffer");
        assert_eq!(Lang::En.result_announcement("", 15, 0), "15 results");
        assert_eq!(Lang::De.no_results_title(""), "Mit diesem Filter haben wir keine Leistung gefunden.");
        assert_eq!(Lang::En.no_results_title(""), "We found no service with this filter.");
    }
}
