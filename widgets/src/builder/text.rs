//! Texts of `<og-embed-builder>` in German and English.

use super::fields::{Problem, WidgetKind};
use crate::i18n::Lang;

fn pick(lang: Lang, de: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
}

/// Returns the widget's name as shown to editors.
pub fn widget_name(kind: WidgetKind, lang: Lang) -> &'static str {
    match kind {
        WidgetKind::ServiceSearch => pick(lang, "Dienstleistungssuche", "Service search"),
        WidgetKind::DataTable => pick(lang, "Datentabelle", "Data table"),
        WidgetKind::Poll => pick(lang, "Umfrage", "Poll"),
        WidgetKind::Form => pick(lang, "Online-Formular", "Online form"),
    }
}

/// Returns one sentence on what the widget does.
pub fn widget_hint(kind: WidgetKind, lang: Lang) -> &'static str {
    match kind {
        WidgetKind::ServiceSearch => pick(
            lang,
            "Bürgerinnen und Bürger finden Verwaltungsleistungen mit eigenen Worten.",
            "Citizens find administrative services in their own words.",
        ),
        WidgetKind::DataTable => pick(
            lang,
            "Zeigt eine CSV- oder JSON-Datei als Tabelle zum Sortieren, Filtern und Herunterladen.",
            "Shows a CSV or JSON file as a table to sort, filter and download.",
        ),
        WidgetKind::Poll => pick(
            lang,
            "Eine Beteiligungsumfrage des ogkit-Servers zum Abstimmen.",
            "A participation poll of the ogkit server to vote in.",
        ),
        WidgetKind::Form => pick(
            lang,
            "Ein Online-Antrag Schritt für Schritt, gesendet an den ogkit-Server.",
            "A step-by-step online application, sent to the ogkit server.",
        ),
    }
}

pub fn title(lang: Lang) -> &'static str {
    pick(lang, "Baukasten für Einbettungscode", "Embed code builder")
}

pub fn choose_legend(lang: Lang) -> &'static str {
    pick(lang, "1. Widget wählen", "1. Choose a widget")
}

pub fn fields_legend(kind: WidgetKind, lang: Lang) -> String {
    match lang {
        Lang::De => format!("2. Angaben für: {}", widget_name(kind, lang)),
        Lang::En => format!("2. Settings for: {}", widget_name(kind, lang)),
    }
}

pub fn required_note(lang: Lang) -> &'static str {
    pick(lang, "Pflichtangaben sind mit „(Pflicht)“ markiert.", "Required settings are marked \"(required)\".")
}

pub fn required_mark(lang: Lang) -> &'static str {
    pick(lang, "(Pflicht)", "(required)")
}

pub fn preview_heading(lang: Lang) -> &'static str {
    pick(lang, "3. Vorschau", "3. Preview")
}

pub fn preview_stale(lang: Lang) -> &'static str {
    pick(
        lang,
        "Die Vorschau zeigt den letzten gültigen Stand. Sie wird aktualisiert, sobald alle Angaben gültig sind.",
        "The preview shows the last valid settings. It is updated as soon as all settings are valid.",
    )
}

pub fn code_heading(lang: Lang) -> &'static str {
    pick(lang, "4. Code kopieren", "4. Copy the code")
}

pub fn code_label(lang: Lang) -> &'static str {
    pick(lang, "HTML-Code für Ihre Seite", "HTML code for your page")
}

pub fn code_hint(lang: Lang) -> &'static str {
    pick(
        lang,
        "Fügen Sie den Code im HTML-Modus Ihres Redaktionssystems ein. Das Skript braucht jede Seite nur einmal, auch bei mehreren Widgets.",
        "Paste the code in the HTML mode of your content management system. Each page needs the script only once, even with several widgets.",
    )
}

pub fn code_missing(lang: Lang) -> &'static str {
    pick(
        lang,
        "Der Code erscheint, sobald alle Angaben gültig sind.",
        "The code appears as soon as all settings are valid.",
    )
}

pub fn copy_button(lang: Lang) -> &'static str {
    pick(lang, "Code kopieren", "Copy code")
}

pub fn copied(lang: Lang) -> &'static str {
    pick(
        lang,
        "Der Code ist in der Zwischenablage. Fügen Sie ihn jetzt in Ihre Seite ein.",
        "The code is on the clipboard. Paste it into your page now.",
    )
}

pub fn copy_fallback(lang: Lang) -> &'static str {
    pick(
        lang,
        "Der Browser erlaubt das Kopieren nicht. Der Code im Feld ist markiert: Kopieren Sie ihn mit Strg+C (auf dem Mac mit Cmd+C).",
        "The browser does not allow copying. The code in the field is selected: copy it with Ctrl+C (on a Mac with Cmd+C).",
    )
}

pub fn copy_blocked(lang: Lang) -> &'static str {
    pick(
        lang,
        "Der Code kann noch nicht kopiert werden. Korrigieren Sie zuerst die Angaben in der Fehlerliste.",
        "The code cannot be copied yet. First correct the settings in the list of errors.",
    )
}

pub fn summary_title(lang: Lang) -> &'static str {
    pick(lang, "Bitte prüfen Sie Ihre Angaben", "Please check your settings")
}

pub fn error_prefix(lang: Lang) -> &'static str {
    pick(lang, "Fehler:", "Error:")
}

pub fn preview_updated(kind: WidgetKind, lang: Lang) -> String {
    match lang {
        Lang::De => format!("Vorschau aktualisiert: {}.", widget_name(kind, lang)),
        Lang::En => format!("Preview updated: {}.", widget_name(kind, lang)),
    }
}

pub fn errors_announcement(count: usize, lang: Lang) -> String {
    match (lang, count) {
        (Lang::De, 1) => "1 Angabe ist ungültig. Die Vorschau wurde nicht aktualisiert.".to_owned(),
        (Lang::De, _) => format!("{count} Angaben sind ungültig. Die Vorschau wurde nicht aktualisiert."),
        (Lang::En, 1) => "1 setting is invalid. The preview was not updated.".to_owned(),
        (Lang::En, _) => format!("{count} settings are invalid. The preview was not updated."),
    }
}

pub fn language_german(lang: Lang) -> &'static str {
    pick(lang, "Deutsch", "German")
}

pub fn language_english(lang: Lang) -> &'static str {
    pick(lang, "Englisch", "English")
}

/// Returns the label of the field for `attribute` of `kind`.
pub fn label(kind: WidgetKind, attribute: &str, lang: Lang) -> &'static str {
    match (kind, attribute) {
        (WidgetKind::ServiceSearch, "src") => {
            pick(lang, "Adresse des Leistungskatalogs", "Address of the service catalogue")
        }
        (WidgetKind::DataTable, "src") => pick(lang, "Adresse der Datei", "Address of the file"),
        (_, "placeholder") => pick(lang, "Beispieltext im Suchfeld", "Example text in the search field"),
        (_, "max-results") => pick(lang, "Höchstzahl der Treffer", "Maximum number of results"),
        (_, "category") => pick(lang, "Voreingestellte Lebenslage oder Thema", "Preset life situation or topic"),
        (_, "online-only") => pick(
            lang,
            "Zuerst nur online beantragbare Leistungen zeigen",
            "Show only services available online at first",
        ),
        (_, "no-results-href") => pick(lang, "Link, wenn nichts gefunden wird", "Link when nothing is found"),
        (_, "query-param") => {
            pick(lang, "Name des Suchparameters in der Adresse", "Name of the search parameter in the address")
        }
        (_, "caption") => pick(lang, "Überschrift der Tabelle", "Table caption"),
        (_, "page-size") => pick(lang, "Zeilen pro Seite", "Rows per page"),
        (_, "format") => pick(lang, "Dateiformat", "File format"),
        (_, "encoding") => pick(lang, "Zeichenkodierung", "Character encoding"),
        (_, "delimiter") => pick(lang, "Trennzeichen", "Delimiter"),
        (_, "header-row") => pick(lang, "Kopfzeile", "Header row"),
        (_, "source") => pick(lang, "Quelle", "Source"),
        (_, "source-href") => pick(lang, "Link zur Quelle", "Link to the source"),
        (_, "license") => pick(lang, "Lizenz", "Licence"),
        (_, "license-href") => pick(lang, "Link zur Lizenz", "Link to the licence"),
        (_, "chart") => pick(lang, "Diagramm gleich anzeigen", "Show the chart at once"),
        (_, "fragment-key") => {
            pick(lang, "Name des Tabellenzustands in der Adresse", "Name of the table state in the address")
        }
        (_, "poll") => pick(lang, "Kennung der Umfrage", "Poll id"),
        (_, "server") => pick(lang, "Adresse des ogkit-Servers", "Address of the ogkit server"),
        (_, "schema") => pick(lang, "Adresse des Formularschemas", "Address of the form schema"),
        (_, "form") => pick(lang, "Kennung des Formulars auf dem Server", "Form id on the server"),
        (_, "action") => pick(lang, "Adresse für das Absenden", "Submission address"),
        (_, "save-draft") => {
            pick(lang, "Eingaben beim Neuladen der Seite behalten", "Keep the input when the page is reloaded")
        }
        (_, "lang") => pick(lang, "Sprache des Widgets", "Language of the widget"),
        _ => "",
    }
}

/// Returns the help text of the field for `attribute` of `kind`: what it
/// sets, which values are allowed and what an empty field means.
pub fn help(kind: WidgetKind, attribute: &str, lang: Lang) -> &'static str {
    match (kind, attribute) {
        (WidgetKind::ServiceSearch, "src") => pick(
            lang,
            "Pfad oder http(s)-Adresse eines Leistungskatalogs im ogkit-Format, z. B. /daten/muenchen.json.",
            "Path or http(s) address of a service catalogue in the ogkit format, e.g. /daten/muenchen.json.",
        ),
        (WidgetKind::DataTable, "src") => pick(
            lang,
            "Pfad oder http(s)-Adresse einer CSV- oder JSON-Datei, z. B. /daten/koeln-haushalt-bezirke.csv.",
            "Path or http(s) address of a CSV or JSON file, e.g. /daten/koeln-haushalt-bezirke.csv.",
        ),
        (_, "placeholder") => pick(lang, "Leer lassen für den Standardtext.", "Leave empty for the standard text."),
        (_, "max-results") => pick(lang, "Ganze Zahl von 1 bis 100. Leer lassen für 10.", "Whole number from 1 to 100. Leave empty for 10."),
        (_, "category") => pick(
            lang,
            "Name einer Lebenslage oder eines Themenfelds, genau wie im Katalog geschrieben. Leer lassen, um in allen Leistungen zu suchen.",
            "Name of a life situation or topic, written exactly as in the catalogue. Leave empty to search all services.",
        ),
        (_, "online-only") => pick(
            lang,
            "Besucherinnen und Besucher können den Filter selbst ausschalten.",
            "Visitors can switch the filter off themselves.",
        ),
        (_, "no-results-href") => pick(
            lang,
            "http(s)-Adresse oder Pfad, der mit / beginnt, z. B. /kontakt.html. Leer lassen, um keinen Link zu zeigen.",
            "http(s) address or a path starting with /, e.g. /kontakt.html. Leave empty to show no link.",
        ),
        (_, "query-param") => pick(
            lang,
            "Buchstaben, Ziffern, - oder _, höchstens 32 Zeichen. Nur nötig, wenn eine Seite mehrere Suchen hat. Leer lassen für q.",
            "Letters, digits, - or _, at most 32 characters. Only needed when a page has several searches. Leave empty for q.",
        ),
        (_, "caption") => pick(lang, "Leer lassen, um den Dateinamen zu zeigen.", "Leave empty to show the file name."),
        (_, "page-size") => pick(lang, "Ganze Zahl von 1 bis 500. Leer lassen für 20.", "Whole number from 1 to 500. Leave empty for 20."),
        (_, "format") => pick(
            lang,
            "csv oder json. Leer lassen, dann wird das Format aus der Datei erkannt.",
            "csv or json. Leave empty to detect the format from the file.",
        ),
        (_, "encoding") => pick(
            lang,
            "utf-8, windows-1252, iso-8859-1, iso-8859-15 oder utf-16. Leer lassen, dann wird die Kodierung erkannt.",
            "utf-8, windows-1252, iso-8859-1, iso-8859-15 or utf-16. Leave empty to detect the encoding.",
        ),
        (_, "delimiter") => pick(
            lang,
            "Ein Zeichen wie ; oder , oder das Wort tab. Leer lassen, dann wird das Trennzeichen erkannt.",
            "One character such as ; or , or the word tab. Leave empty to detect the delimiter.",
        ),
        (_, "header-row") => pick(
            lang,
            "Zeilennummer ab 1, none für eine Datei ohne Kopfzeile oder auto. Leer lassen für auto.",
            "Line number from 1, none for a file without a header row, or auto. Leave empty for auto.",
        ),
        (_, "source") => pick(lang, "Wird unter der Tabelle gezeigt.", "Shown below the table."),
        (_, "source-href" | "license-href") => pick(
            lang,
            "http(s)-Adresse, z. B. https://www.offenedaten-koeln.de/.",
            "http(s) address, e.g. https://www.offenedaten-koeln.de/.",
        ),
        (_, "license") => pick(lang, "Name der Lizenz, z. B. CC BY 4.0.", "Name of the licence, e.g. CC BY 4.0."),
        (_, "chart") => pick(
            lang,
            "Ohne diese Angabe öffnen Besucherinnen und Besucher das Diagramm selbst.",
            "Without it, visitors open the chart themselves.",
        ),
        (_, "fragment-key") => pick(
            lang,
            "Buchstaben, Ziffern, - oder _, höchstens 32 Zeichen. Nur nötig, wenn eine Seite mehrere Tabellen hat. Leer lassen für tabelle.",
            "Letters, digits, - or _, at most 32 characters. Only needed when a page has several tables. Leave empty for tabelle.",
        ),
        (_, "poll") => pick(
            lang,
            "1 bis 64 Buchstaben (a–z, A–Z), Ziffern, - oder _, wie in der Verwaltung der Umfrage angegeben, z. B. radweg-bahnhof-altstadt.",
            "1 to 64 letters (a–z, A–Z), digits, - or _, as given where the poll is managed, e.g. radweg-bahnhof-altstadt.",
        ),
        (_, "server") => pick(
            lang,
            "http(s)-Adresse oder Pfad, der mit / beginnt. Leer lassen, wenn die Umfrage auf demselben Server liegt wie die Seite.",
            "http(s) address or a path starting with /. Leave empty when the poll is on the same server as the page.",
        ),
        (_, "schema") => pick(
            lang,
            "Pfad oder http(s)-Adresse der Schemadatei, z. B. /formulare/sperrmuell-anmelden.json. Leer lassen, wenn Sie die Kennung angeben.",
            "Path or http(s) address of the schema file, e.g. /formulare/sperrmuell-anmelden.json. Leave empty when you give the form id.",
        ),
        (_, "form") => pick(
            lang,
            "1 bis 64 Buchstaben, Ziffern, - oder _. Leer lassen, dann gilt der Dateiname des Schemas ohne .json.",
            "1 to 64 letters, digits, - or _. Leave empty to use the schema's file name without .json.",
        ),
        (_, "action") => pick(
            lang,
            "Pfad oder http(s)-Adresse. Leer lassen, dann wird an den ogkit-Server des Schemas gesendet.",
            "Path or http(s) address. Leave empty to send to the ogkit server of the schema.",
        ),
        (_, "save-draft") => pick(
            lang,
            "Speichert die Eingaben nur in diesem Browser-Tab, bis es geschlossen wird.",
            "Stores the input only in this browser tab until it is closed.",
        ),
        (_, "lang") => pick(
            lang,
            "Sprache aller Texte des Widgets. Ohne Angabe gilt die Sprache der Seite.",
            "Language of all texts of the widget. Without it, the language of the page applies.",
        ),
        _ => "",
    }
}

/// Returns the error message of a field: what is wrong and what to enter.
pub fn error(kind: WidgetKind, attribute: &str, problem: Problem, lang: Lang) -> String {
    let field = label(kind, attribute, lang);
    let expected = match problem {
        Problem::Missing => {
            return match lang {
                Lang::De => format!("Geben Sie „{field}“ an."),
                Lang::En => format!("Enter the {}.", lower_first(field)),
            };
        }
        Problem::NoAction => {
            return pick(
                lang,
                "Aus dem Schema ergibt sich keine Adresse für das Absenden. Geben Sie die Kennung des Formulars oder die Adresse für das Absenden an.",
                "No submission address follows from the schema. Enter the form id or the submission address.",
            )
            .to_owned();
        }
        Problem::Invalid => expected(attribute, lang),
    };
    match lang {
        Lang::De => format!("„{field}“ ist ungültig. {expected}"),
        Lang::En => format!("The {} is invalid. {expected}", lower_first(field)),
    }
}

fn expected(attribute: &str, lang: Lang) -> &'static str {
    match attribute {
        "max-results" => pick(lang, "Geben Sie eine ganze Zahl von 1 bis 100 ein.", "Enter a whole number from 1 to 100."),
        "page-size" => pick(lang, "Geben Sie eine ganze Zahl von 1 bis 500 ein.", "Enter a whole number from 1 to 500."),
        "no-results-href" | "server" => pick(
            lang,
            "Geben Sie eine Adresse mit http:// oder https:// oder einen Pfad an, der mit / beginnt.",
            "Enter an address with http:// or https:// or a path starting with /.",
        ),
        "query-param" | "fragment-key" => pick(
            lang,
            "Erlaubt sind Buchstaben, Ziffern, - und _, höchstens 32 Zeichen.",
            "Use letters, digits, - and _, at most 32 characters.",
        ),
        "format" => pick(lang, "Geben Sie csv oder json ein.", "Enter csv or json."),
        "encoding" => pick(
            lang,
            "Geben Sie utf-8, windows-1252, iso-8859-1, iso-8859-15 oder utf-16 ein.",
            "Enter utf-8, windows-1252, iso-8859-1, iso-8859-15 or utf-16.",
        ),
        "delimiter" => pick(lang, "Geben Sie ein Zeichen wie ; oder , ein oder das Wort tab.", "Enter one character such as ; or , or the word tab."),
        "header-row" => pick(lang, "Geben Sie eine Zeilennummer ab 1, none oder auto ein.", "Enter a line number from 1, none or auto."),
        "source-href" | "license-href" => pick(
            lang,
            "Geben Sie eine Adresse an, die mit http:// oder https:// beginnt.",
            "Enter an address starting with http:// or https://.",
        ),
        "poll" | "form" => pick(
            lang,
            "Erlaubt sind 1 bis 64 Buchstaben (a–z, A–Z), Ziffern, - und _, ohne Leerzeichen.",
            "Use 1 to 64 letters (a–z, A–Z), digits, - and _, without spaces.",
        ),
        "schema" | "action" => pick(
            lang,
            "Geben Sie einen Pfad wie /formulare/sperrmuell-anmelden.json oder eine Adresse mit http:// oder https:// an, ohne Leerzeichen.",
            "Enter a path such as /formulare/sperrmuell-anmelden.json or an address with http:// or https://, without spaces.",
        ),
        _ => pick(lang, "Prüfen Sie den Wert.", "Check the value."),
    }
}

fn lower_first(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_lowercase().chain(characters).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fields::fields;
    use super::*;

    #[test]
    fn every_field_has_label_and_help() {
        for kind in WidgetKind::ALL {
            for field in fields(kind) {
                for lang in [Lang::De, Lang::En] {
                    assert!(!label(kind, field.attribute, lang).is_empty(), "{} {}", kind.tag(), field.attribute);
                    assert!(!help(kind, field.attribute, lang).is_empty(), "{} {}", kind.tag(), field.attribute);
                }
            }
        }
    }

    #[test]
    fn errors_name_the_field() {
        let german = error(WidgetKind::ServiceSearch, "max-results", Problem::Invalid, Lang::De);
        assert_eq!(german, "„Höchstzahl der Treffer“ ist ungültig. Geben Sie eine ganze Zahl von 1 bis 100 ein.");
        let english = error(WidgetKind::Poll, "poll", Problem::Missing, Lang::En);
        assert_eq!(english, "Enter the poll id.");
    }
}
