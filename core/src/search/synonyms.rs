//! Synonym groups: everyday words that citizens type for the official terms
//! that catalogues use.
//!
//! Each group lists terms that mean the same thing to someone looking for a
//! service; a term may have several words ("medizinisch-psychologische
//! Untersuchung"). A query word that equals a term of a group also searches
//! for the other terms of that group, scored a little below a direct match.
//! A query word that starts or ends with a term of four letters or more is
//! rewritten as a compound ("Anwohnerparkausweis" also searches
//! "Bewohnerparkausweis"). A catalogue adds its own groups in its
//! `synonyms` field; they extend this list and never replace it.
//!
//! Keep this list to general German administrative vocabulary. A city's own
//! names for its offices and programmes belong in its catalogue.

/// Emits the built-in groups twice: as [`BUILT_IN`], the public list, and
/// as [`BUILT_IN_TEXT`], one string that search reads. The string spares
/// the WebAssembly module a table of about 300 pointers and lengths.
macro_rules! built_in_groups {
    ($([$($term:literal),+ $(,)?]),* $(,)?) => {
        /// The built-in synonym groups, in the spelling a reader expects. The
        /// editor documentation lists them too; change both together.
        pub const BUILT_IN: &[&[&str]] = &[$(&[$($term),+]),*];

        /// [`BUILT_IN`] as text: every term followed by `|`, every group
        /// ended by a line break.
        pub(super) const BUILT_IN_TEXT: &str = concat!($($($term, "|",)+ "\n",)*);
    };
}

built_in_groups! {
    // Vehicles and driving
    ["Auto", "Pkw", "Kfz", "Fahrzeug", "Kraftfahrzeug"],
    ["Motorrad", "Kraftrad", "Krad"],
    ["Führerschein", "Fahrerlaubnis"],
    ["MPU", "Idiotentest", "Fahreignung", "medizinisch-psychologische Untersuchung"],
    ["Nummernschild", "Kennzeichen", "Autokennzeichen"],
    ["TÜV", "Hauptuntersuchung"],
    ["zulassen", "Zulassung", "anmelden"],
    ["stilllegen", "Stilllegung", "Außerbetriebsetzung"],
    ["Knöllchen", "Strafzettel", "Verwarnungsgeld", "Bußgeld"],
    ["Blitzer", "Geschwindigkeitsmessung", "Geschwindigkeitsüberschreitung"],
    ["Fahrzeugschein", "Zulassungsbescheinigung Teil I"],
    ["Fahrzeugbrief", "Zulassungsbescheinigung Teil II"],
    ["Anwohner", "Bewohner"],
    ["Halteverbot", "Parkverbot"],
    // Identity documents and registration
    ["Perso", "Personalausweis"],
    ["Kinderpass", "Kinderreisepass"],
    [
        "ummelden",
        "umziehen",
        "umgezogen",
        "Umzug",
        "Adressänderung",
        "Wohnsitzanmeldung",
        "Wohnsitz anmelden",
        "Wohnung anmelden",
    ],
    ["wegziehen", "weggezogen", "Wegzug", "Wohnsitz abmelden", "Wohnung abmelden"],
    ["Zweitwohnung", "Zweitwohnsitz", "Nebenwohnung", "Nebenwohnsitz"],
    ["Hauptwohnsitz", "Hauptwohnung", "Erstwohnsitz"],
    ["Meldebestätigung", "Meldebescheinigung", "Wohnsitzbescheinigung"],
    ["Bürgeramt", "Bürgerbüro", "Bürgerservice", "Einwohnermeldeamt", "Meldebehörde"],
    ["Steuer-ID", "Steueridentifikationsnummer", "Identifikationsnummer"],
    ["Führungszeugnis", "Leumundszeugnis"],
    ["Einbürgerung", "einbürgern", "Staatsangehörigkeit", "Staatsbürgerschaft"],
    ["Aufenthaltserlaubnis", "Aufenthaltstitel", "Aufenthaltsgenehmigung"],
    ["Arbeitserlaubnis", "Arbeitsgenehmigung", "Beschäftigungserlaubnis"],
    ["Flüchtling", "Geflüchtete", "Asyl", "Asylbewerber"],
    // Family and life events
    ["heiraten", "Heirat", "Hochzeit", "Trauung", "Eheschließung"],
    ["Scheidung", "Ehescheidung"],
    ["Baby", "Säugling", "Neugeborenes", "Geburt"],
    ["Todesfall", "Sterbefall", "gestorben", "verstorben"],
    ["Beerdigung", "Bestattung", "Begräbnis", "Beisetzung"],
    ["Kita", "Kindertagesstätte", "Kindertageseinrichtung", "Kindergarten", "Kinderkrippe", "Kinderbetreuung"],
    ["Schulanmeldung", "Einschulung"],
    ["BAföG", "Ausbildungsförderung"],
    ["Azubi", "Auszubildende"],
    // Money, fees and benefits
    ["GEZ", "Rundfunkbeitrag", "Rundfunkgebühr", "Beitragsservice"],
    ["Hartz", "Hartz IV", "Hartz 4", "ALG II", "Bürgergeld", "Arbeitslosengeld II", "Grundsicherung für Arbeitsuchende"],
    ["Sozialhilfe", "Hilfe zum Lebensunterhalt"],
    ["Mietzuschuss", "Wohngeld"],
    ["Sozialwohnung", "Wohnberechtigungsschein", "WBS"],
    ["Kfz-Steuer", "Kraftfahrzeugsteuer"],
    // Home, waste and public space
    ["Müll", "Abfall"],
    ["Mülltonne", "Abfalltonne", "Abfallbehälter"],
    ["obdachlos", "wohnungslos", "Obdachlosigkeit", "Wohnungslosigkeit"],
    ["Lärm", "Ruhestörung"],
    ["Bauantrag", "Baugenehmigung"],
    ["Briefwahl", "Wahlschein", "Briefwahlunterlagen"],
    // Leisure, weapons, trade, devices
    ["Angelschein", "Angelkarte", "Fischereischein"],
    ["Waffenschein", "Waffenbesitzkarte"],
    ["Gewerbeschein", "Gewerbeanmeldung"],
    ["Firmengründung", "Unternehmensgründung", "Existenzgründung"],
    ["Handy", "Mobiltelefon", "Smartphone"],
    // Everyday verbs and states
    ["verloren", "verlieren", "Verlust"],
    ["gestohlen", "geklaut", "Diebstahl"],
    ["kaputt", "beschädigt", "defekt"],
    ["Impfung", "impfen", "Schutzimpfung"],
    ["Krankenkasse", "Krankenversicherung"],
}

/// German words that carry no meaning for finding a service. A query drops
/// them unless it has no other word.
pub(crate) const STOP_WORDS: &[&str] = &[
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines", "und",
    "oder", "fur", "mit", "von", "vom", "zu", "zum", "zur", "im", "in", "am", "an", "auf", "bei", "ich",
    "mich", "mir", "mein", "meine", "meinen", "wie", "was", "wo", "wer", "kann", "muss", "will", "ist",
];

/// Words that only express "I want this service" ("Perso beantragen"). A query
/// word from this list adds to the score where it matches, but a service
/// that lacks it still counts as matching every word.
pub(crate) const SOFT_WORDS: &[&str] = &[
    "beantragen", "beantrage", "beantragung", "antrag", "antrage", "bekommen", "erhalten", "brauche",
    "brauchen", "benotige", "benotigen", "machen", "mochte",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lists_every_group() {
        let groups: Vec<Vec<&str>> = BUILT_IN_TEXT
            .lines()
            .map(|line| line.split('|').filter(|term| !term.is_empty()).collect())
            .collect();
        let expected: Vec<Vec<&str>> = BUILT_IN.iter().map(|group| group.to_vec()).collect();
        assert_eq!(groups, expected);
    }

    #[test]
    fn terms_contain_no_separator() {
        for term in BUILT_IN.iter().flat_map(|group| group.iter()) {
            assert!(!term.contains('|'), "{term:?} contains the term separator");
            assert!(!term.contains('\n'), "{term:?} contains the group separator");
        }
    }
}
