//! Problems found while reading a table, and their German and English text.
//!
//! Reading never stops at the first problem: every [`Issue`] carries a
//! stable [`IssueKey`], the line and column it concerns, and named
//! parameters. The widget turns it into a sentence with [`message`], so the
//! wording lives in one place and both languages stay in step.

use std::fmt;

pub use ogkit_text::lang::Lang;

/// How much an issue matters to the reader of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Information, for example which encoding was guessed.
    Note,
    /// The data was read, but some of it may not be what the publisher meant.
    Warning,
    /// Part of the data could not be read; the table is incomplete or empty.
    Error,
}

/// Stable identifier of an issue; [`IssueKey::as_str`] is the key that
/// [`message`] accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IssueKey {
    /// No encoding was given and the bytes were not valid UTF-8, so they were
    /// read as Windows-1252. Parameter `encoding`.
    EncodingGuessed,
    /// The encoding label is unknown; the encoding was detected instead.
    /// Parameter `label`.
    UnknownEncoding,
    /// The file was declared UTF-8 but has bytes that are not; they show as
    /// U+FFFD.
    InvalidUtf8,
    /// A UTF-8 file contains single bytes that are not UTF-8; they were read
    /// as Windows-1252.
    MixedEncoding,
    /// The input contains no data at all.
    EmptyInput,
    /// Lines above the header were skipped. Parameter `count`.
    TitleLinesSkipped,
    /// No record starts on the requested header line. Parameter `requested`.
    HeaderLineNotFound,
    /// A header cell is empty and got a generated name. Parameter `name`.
    EmptyHeader,
    /// A header name occurs twice and got a suffix. Parameters `original`
    /// and `name`.
    DuplicateHeader,
    /// A row has fewer values than the header. Parameters `expected`, `found`.
    RowTooShort,
    /// A row has more values than the header; they went into extra columns.
    /// Parameters `expected`, `found`, `columns`.
    RowTooLong,
    /// A quote opened here is never closed; reading stopped at this line.
    UnclosedQuote,
    /// More issues of one kind than are listed. Parameters `key`, `count`.
    IssuesTruncated,
    /// The JSON text is not valid. Parameter `reason`.
    JsonSyntax,
    /// The JSON contains no list of records. Parameter `found`.
    JsonNotRecords,
    /// A JSON list entry is not an object and was skipped. Parameter `index`.
    JsonEntryNotObject,
}

impl IssueKey {
    /// Returns the stable key, e.g. `"unclosed-quote"`.
    pub fn as_str(self) -> &'static str {
        match self {
            IssueKey::EncodingGuessed => "encoding-guessed",
            IssueKey::UnknownEncoding => "unknown-encoding",
            IssueKey::InvalidUtf8 => "invalid-utf8",
            IssueKey::MixedEncoding => "mixed-encoding",
            IssueKey::EmptyInput => "empty-input",
            IssueKey::TitleLinesSkipped => "title-lines-skipped",
            IssueKey::HeaderLineNotFound => "header-line-not-found",
            IssueKey::EmptyHeader => "empty-header",
            IssueKey::DuplicateHeader => "duplicate-header",
            IssueKey::RowTooShort => "row-too-short",
            IssueKey::RowTooLong => "row-too-long",
            IssueKey::UnclosedQuote => "unclosed-quote",
            IssueKey::IssuesTruncated => "issues-truncated",
            IssueKey::JsonSyntax => "json-syntax",
            IssueKey::JsonNotRecords => "json-not-records",
            IssueKey::JsonEntryNotObject => "json-entry-not-object",
        }
    }
}

/// A problem found while reading, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// How much the issue matters.
    pub severity: Severity,
    /// What happened.
    pub key: IssueKey,
    /// 1-based line in the file where the problem starts, when there is one.
    pub line: Option<u64>,
    /// Name of the column concerned, when there is one.
    pub column: Option<String>,
    /// Named parameters of the message.
    pub params: Vec<(&'static str, String)>,
}

impl Issue {
    pub(crate) fn new(severity: Severity, key: IssueKey) -> Issue {
        Issue {
            severity,
            key,
            line: None,
            column: None,
            params: Vec::new(),
        }
    }

    pub(crate) fn at_line(mut self, line: u64) -> Issue {
        self.line = Some(line);
        self
    }

    pub(crate) fn in_column(mut self, column: &str) -> Issue {
        self.column = Some(column.to_owned());
        self
    }

    pub(crate) fn with(mut self, name: &'static str, value: impl ToString) -> Issue {
        self.params.push((name, value.to_string()));
        self
    }

    /// Returns the value of the parameter `name`, if the issue has it.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Returns the sentence for this issue in `lang`, position included.
    pub fn message(&self, lang: Lang) -> String {
        let mut params: Vec<(&str, &str)> = self
            .params
            .iter()
            .map(|(key, value)| (*key, value.as_str()))
            .collect();
        let line = self.line.map(|line| line.to_string());
        if let Some(line) = &line {
            params.push(("line", line));
        }
        if let Some(column) = &self.column {
            params.push(("column", column));
        }
        message(self.key.as_str(), &params, lang)
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message(Lang::En))
    }
}

/// Returns the text for the message `key` in `lang`, with `{name}` replaced
/// by the parameter of that name.
///
/// Keys are the [`IssueKey`] strings plus `page-range` (`first`, `last`,
/// `total`), `row-count` (`count`) and `incomplete`, and the
/// [`CkanKey`](super::ckan::CkanKey) strings. When a message has a
/// `line` parameter, the text starts with "Zeile N:" or "Line N:". An
/// unknown key returns the key itself, so a newer widget never shows a
/// blank.
///
/// ```
/// use ogkit_table::{message, Lang};
///
/// let text = message("unclosed-quote", &[("line", "5")], Lang::De);
/// assert!(text.starts_with("Zeile 5: Ein Anführungszeichen"));
/// ```
pub fn message(key: &str, params: &[(&str, &str)], lang: Lang) -> String {
    // An unclosed quote before the first data row leaves no rows to show.
    let no_rows = params.iter().any(|(name, value)| *name == "rows" && *value == "0");
    let key = if key == "unclosed-quote" && no_rows { "unclosed-quote-no-rows" } else { key };
    let template = match template(key, lang) {
        Some(template) => template,
        None => return key.to_owned(),
    };

    let mut text = String::new();
    let line = params
        .iter()
        .find(|(name, _)| *name == "line")
        .map(|(_, value)| *value);
    if let Some(line) = line {
        text.push_str(match lang {
            Lang::De => "Zeile ",
            Lang::En => "Line ",
        });
        text.push_str(line);
        text.push_str(": ");
    }
    let column = params
        .iter()
        .find(|(name, _)| *name == "column")
        .map(|(_, value)| *value);
    if let Some(column) = column {
        text.push_str(match lang {
            Lang::De => "Spalte „",
            Lang::En => "Column \"",
        });
        text.push_str(column);
        text.push_str(match lang {
            Lang::De => "“: ",
            Lang::En => "\": ",
        });
    }
    // The JSON reader reports its reason and the kind of value it found in
    // English words; translate them here so callers pass them unchanged.
    let translated: Vec<(&str, &str)> = params
        .iter()
        .map(|&(name, value)| match name {
            "reason" | "found" => (name, json_word(value, lang)),
            _ => (name, value),
        })
        .collect();
    text.push_str(&fill(template, &translated));
    text
}

/// Returns an English reason or value kind of the JSON reader in `lang`.
fn json_word(reason: &str, lang: Lang) -> &str {
    if lang == Lang::En {
        return reason;
    }
    match reason {
        "unexpected text after the end" => "weiterer Text nach dem Ende",
        "nesting is too deep" => "zu tief verschachtelt",
        "unexpected end, expected a value" => "unerwartetes Ende, ein Wert fehlt",
        "expected a value" => "ein Wert fehlt",
        "invalid number" => "ungültige Zahl",
        "unexpected end inside a string" => "unerwartetes Ende in einer Zeichenkette",
        "invalid escape in a string" => "ungültige Escape-Sequenz in einer Zeichenkette",
        "control character inside a string" => "Steuerzeichen in einer Zeichenkette",
        "invalid \\u escape" => "ungültige \\u-Escape-Sequenz",
        "expected , or ] in a list" => "Komma oder ] in einer Liste fehlt",
        "expected a quoted member name" => "Name in Anführungszeichen fehlt",
        "expected : after a member name" => "Doppelpunkt nach einem Namen fehlt",
        "expected , or } in an object" => "Komma oder } in einem Objekt fehlt",
        "true/false" => "wahr/falsch",
        "number" => "Zahl",
        "string" => "Text",
        "list" => "Liste",
        "object" => "Objekt ohne Liste von Objekten",
        "an empty list" => "eine leere Liste",
        other => other,
    }
}

fn fill(template: &str, params: &[(&str, &str)]) -> String {
    let mut result = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        result.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match params.iter().find(|(key, _)| *key == name) {
                    Some((_, value)) => result.push_str(value),
                    None => {
                        result.push('{');
                        result.push_str(name);
                        result.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                result.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    result.push_str(rest);
    result
}

fn template(key: &str, lang: Lang) -> Option<&'static str> {
    let (de, en) = match key {
        "encoding-guessed" => (
            "Die Zeichenkodierung war nicht angegeben und wurde als {encoding} erkannt. Falls Umlaute falsch erscheinen, geben Sie die Zeichenkodierung mit dem Attribut encoding an.",
            "The character encoding was not declared and was detected as {encoding}. If umlauts look wrong, set the encoding attribute.",
        ),
        "unknown-encoding" => (
            "Die Zeichenkodierung „{label}“ ist unbekannt; sie wurde stattdessen aus den Daten erkannt. Möglich sind utf-8, windows-1252, iso-8859-1, iso-8859-15 und utf-16.",
            "The character encoding \"{label}\" is unknown, so it was detected from the data. Supported are utf-8, windows-1252, iso-8859-1, iso-8859-15 and utf-16.",
        ),
        "invalid-utf8" => (
            "Die Datei ist als UTF-8 angegeben, enthält hier aber andere Zeichen; sie werden als � angezeigt. Prüfen Sie die Zeichenkodierung (Attribut encoding).",
            "The file is declared as UTF-8 but contains other bytes here; they show as �. Check the character encoding (encoding attribute).",
        ),
        "mixed-encoding" => (
            "Die Datei mischt Zeichenkodierungen; Zeichen, die kein UTF-8 sind, wurden als Windows-1252 gelesen.",
            "The file mixes character encodings; bytes that are not UTF-8 were read as Windows-1252.",
        ),
        "empty-input" => (
            "Die Datei ist leer. Bitte prüfen Sie, ob die Adresse auf die richtige Datei zeigt, oder wenden Sie sich an die Stelle, die sie veröffentlicht.",
            "The file is empty. Please check that the address points to the right file, or contact the office that publishes it.",
        ),
        "title-lines-skipped" => (
            "{count} Zeile(n) über der Kopfzeile wurden als Titel übersprungen.",
            "{count} line(s) above the header were skipped as a title.",
        ),
        "header-line-not-found" => (
            "Die Kopfzeile {requested} enthält keine Daten. Geben Sie eine Zeile mit Spaltennamen an.",
            "Header line {requested} holds no data. Choose a line with column names.",
        ),
        "empty-header" => (
            "Eine Spalte hat keinen Namen und heißt jetzt „{name}“.",
            "A column has no name and is now called \"{name}\".",
        ),
        "duplicate-header" => (
            "Der Spaltenname „{original}“ kommt mehrfach vor; diese Spalte heißt jetzt „{name}“.",
            "The column name \"{original}\" occurs more than once; this column is now called \"{name}\".",
        ),
        "row-too-short" => (
            "Die Zeile hat {found} statt {expected} Werte; die fehlenden Werte bleiben leer.",
            "The row has {found} values instead of {expected}; the missing values are empty.",
        ),
        "row-too-long" => (
            "Die Zeile hat {found} statt {expected} Werte; die zusätzlichen Werte {values} stehen in der Spalte {columns}.",
            "The row has {found} values instead of {expected}; the extra values {values} are in the column {columns}.",
        ),
        "unclosed-quote" => (
            "Ein Anführungszeichen wird nicht geschlossen. Die Tabelle zeigt nur die Zeilen davor und ist unvollständig; bitte die Datei prüfen.",
            "A quotation mark is never closed. The table shows only the rows before it and is incomplete; please check the file.",
        ),
        "unclosed-quote-no-rows" => (
            "Ein Anführungszeichen wird nicht geschlossen, und davor steht keine Datenzeile; bitte die Datei prüfen.",
            "A quotation mark is never closed, and no data row comes before it; please check the file.",
        ),
        "issues-truncated" => (
            "{count} weitere Hinweise dieser Art ({key}) werden nicht einzeln aufgeführt.",
            "{count} more issues of this kind ({key}) are not listed.",
        ),
        "json-syntax" => (
            "Die Datei ist kein gültiges JSON (Zeichen {position}: {reason}).",
            "The file is not valid JSON (character {position}: {reason}).",
        ),
        "json-not-records" => (
            "Das JSON enthält keine Liste von Datensätzen (gefunden: {found}). Erwartet wird eine Liste von Objekten oder ein Objekt mit der Liste unter „records“, „data“ oder „result.records“.",
            "The JSON contains no list of records (found: {found}). Expected a list of objects, or an object with the list under \"records\", \"data\" or \"result.records\".",
        ),
        "json-entry-not-object" => (
            "Eintrag {index} der Liste ist kein Objekt und wurde übersprungen.",
            "Entry {index} of the list is not an object and was skipped.",
        ),
        "page-range" => ("{first}–{last} von {total}", "{first}–{last} of {total}"),
        "page-range-empty" => ("0 von {total}", "0 of {total}"),
        "row-count" => ("{count} Einträge", "{count} entries"),
        "row-count-one" => ("1 Eintrag", "1 entry"),
        "incomplete" => (
            "Die Tabelle ist unvollständig, weil beim Lesen ein Fehler auftrat.",
            "The table is incomplete because reading failed part way.",
        ),
        _ => return super::ckan::template(key, lang),
    };
    Some(match lang {
        Lang::De => de,
        Lang::En => en,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_issue_key_has_both_texts() {
        let keys = [
            IssueKey::EncodingGuessed,
            IssueKey::UnknownEncoding,
            IssueKey::InvalidUtf8,
            IssueKey::MixedEncoding,
            IssueKey::EmptyInput,
            IssueKey::TitleLinesSkipped,
            IssueKey::HeaderLineNotFound,
            IssueKey::EmptyHeader,
            IssueKey::DuplicateHeader,
            IssueKey::RowTooShort,
            IssueKey::RowTooLong,
            IssueKey::UnclosedQuote,
            IssueKey::IssuesTruncated,
            IssueKey::JsonSyntax,
            IssueKey::JsonNotRecords,
            IssueKey::JsonEntryNotObject,
        ];
        for key in keys {
            assert!(
                template(key.as_str(), Lang::De).is_some(),
                "{key:?} has no German text"
            );
            assert!(
                template(key.as_str(), Lang::En).is_some(),
                "{key:?} has no English text"
            );
        }
    }

    #[test]
    fn unknown_key_returns_key() {
        assert_eq!(message("no-such-key", &[], Lang::De), "no-such-key");
    }

    #[test]
    fn missing_parameter_stays_visible() {
        assert_eq!(fill("a {x} b", &[]), "a {x} b");
    }

    #[test]
    fn column_prefix_is_quoted() {
        let text = message(
            "empty-header",
            &[("column", "Spalte 3"), ("name", "Spalte 3")],
            Lang::De,
        );
        assert!(text.starts_with("Spalte „Spalte 3“: "));
    }
}
