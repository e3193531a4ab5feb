//! Every user-visible string of `<og-data-table>`, in German (the default)
//! and English.
//!
//! Messages about the file itself (encoding, broken rows, JSON errors) and
//! the page and row-count labels come from the core's
//! [`message`](ogkit_core::table::message), so they read the same wherever
//! a table is shown. This file holds the widget's own texts.

use ogkit_core::table::{format_number, format_number_fixed};

use super::load::LoadFailure;
use crate::i18n::Lang;

/// Converts the widget language into the core's message language.
pub fn core_lang(lang: Lang) -> ogkit_core::lang::Lang {
    match lang {
        Lang::De => ogkit_core::lang::Lang::De,
        Lang::En => ogkit_core::lang::Lang::En,
    }
}

/// Returns `count` in the display format of `lang` (`1.234` or `1,234`).
pub fn count(count: usize, lang: Lang) -> String {
    format_number(count as f64, core_lang(lang))
}

fn pick(lang: Lang, de: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
}

/// Returns a byte count as megabytes or kilobytes, e.g. "1,2 MB".
pub fn bytes(bytes: u64, lang: Lang) -> String {
    let core = core_lang(lang);
    if bytes >= 1_000_000 {
        format!("{} MB", format_number_fixed(bytes as f64 / 1_000_000.0, 1, core))
    } else {
        format!("{} kB", format_number_fixed((bytes as f64 / 1000.0).ceil(), 0, core))
    }
}

/// Returns the label of the progress bar while bytes arrive.
pub fn loading_bytes(received: u64, total: Option<u64>, lang: Lang) -> String {
    let received = bytes(received, lang);
    match (total, lang) {
        (Some(total), Lang::De) => format!("Daten werden geladen: {received} von {}", bytes(total, lang)),
        (Some(total), Lang::En) => format!("Loading data: {received} of {}", bytes(total, lang)),
        (None, Lang::De) => format!("Daten werden geladen: {received}"),
        (None, Lang::En) => format!("Loading data: {received}"),
    }
}

/// Returns the label of the progress bar once rows are being read.
pub fn loading_rows(rows: usize, lang: Lang) -> String {
    let rows = count(rows, lang);
    match lang {
        Lang::De => format!("Zeilen werden gelesen: {rows}"),
        Lang::En => format!("Reading rows: {rows}"),
    }
}

pub fn loading_types(lang: Lang) -> &'static str {
    pick(lang, "Spalten werden ausgewertet …", "Analysing the columns …")
}

/// Returns the caption of the first rows shown while the file still loads.
pub fn preview_caption(caption: &str, rows: usize, lang: Lang) -> String {
    let rows = count(rows, lang);
    match (caption.is_empty(), lang) {
        (false, Lang::De) => format!("{caption}: die ersten {rows} Zeilen, die Datei wird noch geladen"),
        (false, Lang::En) => format!("{caption}: the first {rows} rows, the file is still loading"),
        (true, Lang::De) => format!("Die ersten {rows} Zeilen, die Datei wird noch geladen"),
        (true, Lang::En) => format!("The first {rows} rows, the file is still loading"),
    }
}

/// Returns the busy note while a large table is being filtered and sorted.
pub fn selecting(lang: Lang) -> &'static str {
    pick(lang, "Die Einträge werden sortiert und gefiltert …", "Sorting and filtering the entries …")
}

pub fn loading_start(lang: Lang) -> &'static str {
    pick(lang, "Daten werden geladen …", "Loading data …")
}

/// Returns the message for a file that could not be loaded.
pub fn failure(failure: &LoadFailure, lang: Lang) -> String {
    match (failure, lang) {
        (LoadFailure::MissingSource, Lang::De) => {
            "Es ist keine Datei angegeben. Bitte tragen Sie im Attribut src die Adresse einer CSV- oder JSON-Datei ein.".into()
        }
        (LoadFailure::MissingSource, Lang::En) => {
            "No file is given. Please put the address of a CSV or JSON file in the src attribute.".into()
        }
        (LoadFailure::Network, Lang::De) => "Die Daten konnten nicht geladen werden: keine Verbindung zum Server, oder der Server erlaubt den Abruf von dieser Seite nicht (CORS). Bitte versuchen Sie es später noch einmal.".into(),
        (LoadFailure::Network, Lang::En) => "The data could not be loaded: no connection to the server, or the server does not allow this page to fetch it (CORS). Please try again later.".into(),
        (LoadFailure::HttpStatus(status), Lang::De) => {
            format!("Die Daten konnten nicht geladen werden: Der Server antwortete mit HTTP-Status {status}.")
        }
        (LoadFailure::HttpStatus(status), Lang::En) => {
            format!("The data could not be loaded: the server answered with HTTP status {status}.")
        }
        (LoadFailure::HtmlPage, Lang::De) => "Unter der angegebenen Adresse liegt eine Webseite (HTML), keine CSV- oder JSON-Datei. Bitte prüfen Sie die Adresse im Attribut src.".into(),
        (LoadFailure::HtmlPage, Lang::En) => "The address points to a web page (HTML), not to a CSV or JSON file. Please check the address in the src attribute.".into(),
        (LoadFailure::Decode, Lang::De) => "Die Datei konnte nicht in der angegebenen Zeichenkodierung gelesen werden.".into(),
        (LoadFailure::Decode, Lang::En) => "The file could not be read in the given character encoding.".into(),
    }
}

pub fn failure_title(lang: Lang) -> &'static str {
    pick(lang, "Die Tabelle kann nicht angezeigt werden", "The table cannot be shown")
}

pub fn header_only(lang: Lang) -> &'static str {
    pick(
        lang,
        "Die Datei enthält nur eine Kopfzeile und keine Datenzeilen.",
        "The file contains only a header row and no data rows.",
    )
}

pub fn incomplete_title(lang: Lang) -> &'static str {
    pick(lang, "Die Tabelle ist unvollständig", "The table is incomplete")
}

pub fn search_label(lang: Lang) -> &'static str {
    pick(lang, "In allen Spalten suchen", "Search all columns")
}

pub fn search_hint(lang: Lang) -> &'static str {
    pick(
        lang,
        "Alle eingegebenen Wörter müssen in einer Zeile vorkommen. Umlaute dürfen Sie als ae, oe, ue schreiben.",
        "Every word you type must occur in a row. Umlauts may be written as ae, oe, ue.",
    )
}

pub fn filters_summary(active: usize, lang: Lang) -> String {
    match (active, lang) {
        (0, Lang::De) => "Filter nach Spalten".into(),
        (0, Lang::En) => "Filter by column".into(),
        (n, Lang::De) => format!("Filter nach Spalten ({n} aktiv)"),
        (n, Lang::En) => format!("Filter by column ({n} active)"),
    }
}

pub fn reset_filters(lang: Lang) -> &'static str {
    pick(lang, "Suche und Filter zurücksetzen", "Reset search and filters")
}

pub fn contains_label(lang: Lang) -> &'static str {
    pick(lang, "enthält", "contains")
}

pub fn range_from(lang: Lang) -> &'static str {
    pick(lang, "von", "from")
}

pub fn range_to(lang: Lang) -> &'static str {
    pick(lang, "bis", "to")
}

pub fn invalid_number(lang: Lang) -> &'static str {
    pick(lang, "Bitte eine Zahl eingeben, z. B. 1.234,5.", "Please enter a number, e.g. 1,234.5.")
}

pub fn invalid_date(lang: Lang) -> &'static str {
    pick(lang, "Bitte ein Datum eingeben, z. B. 31.12.2024.", "Please enter a date, e.g. 2024-12-31.")
}

pub fn empty_value(lang: Lang) -> &'static str {
    pick(lang, "(leer)", "(empty)")
}

pub fn sort_hint(lang: Lang) -> &'static str {
    pick(
        lang,
        "Sortieren: Spaltenüberschrift wählen; nochmals wählen kehrt die Reihenfolge um. Mit gedrückter Umschalttaste kommt eine weitere Sortierung hinzu.",
        "Sort: choose a column heading; choose it again to reverse the order. Hold Shift to add a further sort key.",
    )
}

/// Returns the hidden text after a sorted column's name, e.g.
/// ", aufsteigend sortiert" or ", 2. Sortierung absteigend".
pub fn sort_state(position: usize, descending: bool, lang: Lang) -> String {
    let direction = match (descending, lang) {
        (false, Lang::De) => "aufsteigend",
        (true, Lang::De) => "absteigend",
        (false, Lang::En) => "ascending",
        (true, Lang::En) => "descending",
    };
    match (position, lang) {
        (0, Lang::De) => format!(", {direction} sortiert"),
        (0, Lang::En) => format!(", sorted {direction}"),
        (n, Lang::De) => format!(", {}. Sortierung {direction}", n + 1),
        (n, Lang::En) => format!(", sort key {} {direction}", n + 1),
    }
}

pub fn page_size_label(lang: Lang) -> &'static str {
    pick(lang, "Einträge pro Seite", "Entries per page")
}

pub fn pages_label(lang: Lang) -> &'static str {
    pick(lang, "Seiten der Tabelle", "Table pages")
}

pub fn first_page(lang: Lang) -> &'static str {
    pick(lang, "Erste Seite", "First page")
}

pub fn previous_page(lang: Lang) -> &'static str {
    pick(lang, "Vorherige Seite", "Previous page")
}

pub fn next_page(lang: Lang) -> &'static str {
    pick(lang, "Nächste Seite", "Next page")
}

pub fn last_page(lang: Lang) -> &'static str {
    pick(lang, "Letzte Seite", "Last page")
}

pub fn page_of(page: usize, pages: usize, lang: Lang) -> String {
    let (page, pages) = (count(page, lang), count(pages, lang));
    match lang {
        Lang::De => format!("Seite {page} von {pages}"),
        Lang::En => format!("Page {page} of {pages}"),
    }
}

pub fn columns_summary(hidden: usize, lang: Lang) -> String {
    match (hidden, lang) {
        (0, Lang::De) => "Spalten ein- und ausblenden".into(),
        (0, Lang::En) => "Show and hide columns".into(),
        (n, Lang::De) => format!("Spalten ein- und ausblenden ({n} ausgeblendet)"),
        (n, Lang::En) => format!("Show and hide columns ({n} hidden)"),
    }
}

pub fn download_label(lang: Lang) -> &'static str {
    pick(lang, "Angezeigte Einträge herunterladen", "Download the entries shown")
}

pub fn download_csv(lang: Lang) -> &'static str {
    pick(lang, "CSV (Excel)", "CSV (Excel)")
}

pub fn download_json(lang: Lang) -> &'static str {
    pick(lang, "JSON", "JSON")
}

pub fn source_label(lang: Lang) -> &'static str {
    pick(lang, "Quelle:", "Source:")
}

pub fn license_label(lang: Lang) -> &'static str {
    pick(lang, "Lizenz:", "Licence:")
}

/// Returns the sentence for the live region after the rows changed.
pub fn filtered_announcement(shown: usize, total: usize, lang: Lang) -> String {
    match (shown, lang) {
        (0, Lang::De) => "Keine Einträge gefunden.".into(),
        (0, Lang::En) => "No entries found.".into(),
        (_, Lang::De) => format!("{} von {} Einträgen angezeigt.", count(shown, lang), count(total, lang)),
        (_, Lang::En) => format!("Showing {} of {} entries.", count(shown, lang), count(total, lang)),
    }
}

pub fn empty_result(lang: Lang) -> &'static str {
    pick(
        lang,
        "Keine Einträge passen zu Ihrer Suche und Ihren Filtern.",
        "No entries match your search and filters.",
    )
}

pub fn notes_summary(notes: usize, lang: Lang) -> String {
    match lang {
        Lang::De => format!("Hinweise zu den Daten ({notes})"),
        Lang::En => format!("Notes on the data ({notes})"),
    }
}

pub fn table_region(lang: Lang) -> &'static str {
    pick(lang, "Die Tabelle lässt sich seitlich scrollen.", "The table scrolls sideways.")
}

pub fn chart_show(lang: Lang) -> &'static str {
    pick(lang, "Diagramm anzeigen", "Show chart")
}

pub fn chart_hide(lang: Lang) -> &'static str {
    pick(lang, "Diagramm ausblenden", "Hide chart")
}

pub fn chart_x_label(lang: Lang) -> &'static str {
    pick(lang, "Kategorie oder Datum", "Category or date")
}

pub fn chart_y_label(lang: Lang) -> &'static str {
    pick(lang, "Wert", "Value")
}

pub fn chart_unavailable(lang: Lang) -> &'static str {
    pick(
        lang,
        "Für ein Diagramm braucht die Tabelle eine Spalte mit Zahlen und eine Spalte mit Kategorien oder Datumsangaben.",
        "A chart needs a column of numbers and a column of categories or dates.",
    )
}

pub fn chart_no_data(lang: Lang) -> &'static str {
    pick(lang, "Für diese Auswahl gibt es keine Werte zum Zeichnen.", "There are no values to draw for this selection.")
}

pub fn chart_table_note(lang: Lang) -> &'static str {
    pick(
        lang,
        "Die Tabelle unter dem Diagramm enthält dieselben Daten.",
        "The table below the chart holds the same data.",
    )
}

/// Returns the chart's title, e.g. "Summe von Einwohner nach Bezirk".
pub fn chart_title(y: &str, x: &str, lang: Lang) -> String {
    match lang {
        Lang::De => format!("Summe von „{y}“ nach „{x}“"),
        Lang::En => format!("Sum of \"{y}\" by \"{x}\""),
    }
}

/// Returns the chart's description for screen readers.
pub fn chart_bar_description(bars: usize, categories: usize, largest: Option<(&str, &str)>, lang: Lang) -> String {
    let mut text = match lang {
        Lang::De => format!("Balkendiagramm mit {} Balken", count(bars, lang)),
        Lang::En => format!("Bar chart with {} bars", count(bars, lang)),
    };
    if categories > bars {
        text.push_str(&match lang {
            Lang::De => format!(" (die ersten {} von {} Kategorien)", count(bars, lang), count(categories, lang)),
            Lang::En => format!(" (the first {} of {} categories)", count(bars, lang), count(categories, lang)),
        });
    }
    if let Some((name, value)) = largest {
        text.push_str(&match lang {
            Lang::De => format!(". Größter Wert unter den gezeigten Balken: {name} mit {value}"),
            Lang::En => format!(". Largest value among the bars shown: {name} with {value}"),
        });
    }
    text.push_str(". ");
    text.push_str(chart_table_note(lang));
    text
}

/// Returns the line chart's description for screen readers.
pub fn chart_line_description(points: usize, first: &str, last: &str, min: &str, max: &str, lang: Lang) -> String {
    let points = count(points, lang);
    let text = match lang {
        Lang::De => format!("Liniendiagramm mit {points} Punkten von {first} bis {last}; Werte zwischen {min} und {max}. "),
        Lang::En => format!("Line chart with {points} points from {first} to {last}; values between {min} and {max}. "),
    };
    text + chart_table_note(lang)
}

pub fn chart_truncated(shown: usize, total: usize, lang: Lang) -> String {
    match lang {
        Lang::De => format!("Das Diagramm zeigt die ersten {} von {} Kategorien in der Reihenfolge der Tabelle.", count(shown, lang), count(total, lang)),
        Lang::En => format!("The chart shows the first {} of {} categories in the order of the table.", count(shown, lang), count(total, lang)),
    }
}

/// Returns the visible note about an ignored attribute value.
pub fn config_notice(attribute: &str, value: &str, lang: Lang) -> String {
    match lang {
        Lang::De => format!("Hinweis für die Redaktion: Der Wert „{value}“ des Attributs {attribute} wurde ignoriert."),
        Lang::En => format!("Note for editors: the value \"{value}\" of the {attribute} attribute was ignored."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_use_display_format() {
        assert_eq!(bytes(1_234_567, Lang::De), "1,2 MB");
        assert_eq!(bytes(1_234_567, Lang::En), "1.2 MB");
        assert_eq!(bytes(1500, Lang::De), "2 kB");
    }

    #[test]
    fn sort_state_names_position() {
        assert_eq!(sort_state(0, false, Lang::De), ", aufsteigend sortiert");
        assert_eq!(sort_state(1, true, Lang::En), ", sort key 2 descending");
    }

    #[test]
    fn announcement_counts_rows() {
        assert_eq!(filtered_announcement(42, 1234, Lang::De), "42 von 1.234 Einträgen angezeigt.");
        assert_eq!(filtered_announcement(0, 5, Lang::En), "No entries found.");
    }
}
