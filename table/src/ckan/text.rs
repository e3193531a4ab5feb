//! German and English texts of the CKAN errors and notes.
//!
//! The table's [`message`](super::super::message) function looks keys up
//! here when they are not its own, so every table text is reached through
//! one function. Messages for web editors name the attribute to fix; those
//! for citizens say what happened and what to try.

use super::super::infer::format_number;
use super::Lang;

/// Returns the template for the CKAN message `key` in `lang`.
pub(crate) fn template(key: &str, lang: Lang) -> Option<&'static str> {
    let (de, en) = match key {
        "ckan-base-invalid" => (
            "Die CKAN-Adresse „{value}“ ist ungültig. Geben Sie im Attribut ckan die vollständige Adresse des Portals an, zum Beispiel https://daten.example.de.",
            "The CKAN address \"{value}\" is not valid. Set the ckan attribute to the full address of the portal, for example https://daten.example.de.",
        ),
        "ckan-base-scheme" => (
            "Die CKAN-Adresse „{value}“ beginnt mit „{scheme}:“. Erlaubt sind nur Adressen mit http:// oder https://.",
            "The CKAN address \"{value}\" starts with \"{scheme}:\". Only addresses with http:// or https:// are allowed.",
        ),
        "ckan-id-missing" => (
            "Es ist nicht angegeben, welche Daten die Tabelle zeigen soll. Geben Sie mit dem Attribut resource-id eine Ressource oder mit dataset einen Datensatz an.",
            "The table does not know which data to show. Set the resource-id attribute to a resource or the dataset attribute to a dataset.",
        ),
        "ckan-empty-response" => (
            "Der CKAN-Server hat eine leere Antwort geschickt (HTTP-Status {status}).",
            "The CKAN server sent an empty response (HTTP status {status}).",
        ),
        "ckan-html-response" => (
            "Der CKAN-Server hat eine Webseite statt Daten geschickt (HTTP-Status {status}). Prüfen Sie die Adresse im Attribut ckan; sie muss auf ein CKAN-Portal zeigen.",
            "The CKAN server sent a web page instead of data (HTTP status {status}). Check the address in the ckan attribute; it must point to a CKAN portal.",
        ),
        "ckan-invalid-json" => (
            "Die Antwort des CKAN-Servers ist kein gültiges JSON ({reason}, HTTP-Status {status}).",
            "The response of the CKAN server is not valid JSON ({reason}, HTTP status {status}).",
        ),
        "ckan-not-ckan" => (
            "Die Antwort kommt nicht von der CKAN-API (HTTP-Status {status}). Prüfen Sie die Adresse im Attribut ckan.",
            "The response does not come from the CKAN API (HTTP status {status}). Check the address in the ckan attribute.",
        ),
        "ckan-not-found" => (
            "Der CKAN-Server kennt die angefragten Daten nicht ({message}). Prüfen Sie die Attribute resource-id und dataset.",
            "The CKAN server does not know the requested data ({message}). Check the resource-id and dataset attributes.",
        ),
        "ckan-forbidden" => (
            "Der CKAN-Server verweigert den Zugriff ({message}). Die Tabelle kann nur öffentliche Daten zeigen.",
            "The CKAN server denies access ({message}). The table can only show public data.",
        ),
        "ckan-validation" => (
            "Der CKAN-Server hat die Anfrage abgelehnt: {details}.",
            "The CKAN server rejected the request: {details}.",
        ),
        "ckan-server-error" => (
            "Der CKAN-Server meldet einen Fehler (HTTP-Status {status}, {type}: {message}). Bitte versuchen Sie es später noch einmal.",
            "The CKAN server reports an error (HTTP status {status}, {type}: {message}). Please try again later.",
        ),
        "ckan-result-invalid" => (
            "Die Antwort des CKAN-Servers ist unvollständig: Das Feld „{field}“ fehlt oder hat den falschen Typ.",
            "The response of the CKAN server is incomplete: the field \"{field}\" is missing or has the wrong type.",
        ),
        "ckan-no-table-resource" => (
            "Der Datensatz „{dataset}“ hat keine Ressource, die die Tabelle zeigen kann: keine im CKAN-DataStore, keine CSV- und keine JSON-Datei (vorhanden: {found}). Wählen Sie mit resource-id eine Ressource oder einen anderen Datensatz.",
            "The dataset \"{dataset}\" has no resource that the table can show: none in the CKAN DataStore, no CSV and no JSON file (found: {found}). Choose a resource with resource-id, or another dataset.",
        ),
        "ckan-resource-format" => (
            "Die Ressource „{resource}“ hat das Format {format}. Die Tabelle zeigt CSV- und JSON-Dateien und Ressourcen im CKAN-DataStore.",
            "The resource \"{resource}\" has the format {format}. The table shows CSV and JSON files and resources in the CKAN DataStore.",
        ),
        "ckan-resource-url" => (
            "Die Ressource „{resource}“ hat keine Download-Adresse mit http:// oder https:// (angegeben: {url}) und wird deshalb nicht geladen.",
            "The resource \"{resource}\" has no download address with http:// or https:// (given: {url}), so it is not loaded.",
        ),
        "ckan-field-name" => (
            "Nach der Spalte „{field}“ kann der CKAN-Server nicht sortieren, weil ihr Name leer ist, mit Leerraum beginnt oder endet oder ein Komma oder Anführungszeichen enthält.",
            "The CKAN server cannot sort by the column \"{field}\" because its name is empty, starts or ends with white space, or contains a comma or a double quote.",
        ),
        "ckan-network" => (
            "Der CKAN-Server {base} ist nicht erreichbar oder erlaubt dieser Seite keinen Zugriff (CORS). Bitte versuchen Sie es später noch einmal.",
            "The CKAN server {base} cannot be reached or does not allow this page to read from it (CORS). Please try again later.",
        ),
        "ckan-timeout" => (
            "Der CKAN-Server {base} hat nicht innerhalb von {seconds} Sekunden geantwortet. Bitte versuchen Sie es später noch einmal.",
            "The CKAN server {base} did not answer within {seconds} seconds. Please try again later.",
        ),
        "ckan-sort-skipped" => (
            "Nach dieser Spalte kann der CKAN-Server nicht sortieren; die Sortierung wurde nicht übernommen.",
            "The CKAN server cannot sort by this column, so the sort order was not applied.",
        ),
        "ckan-filter-skipped" => ("{reason}", "{reason}"),
        "ckan-total-estimated" => (
            "Die Zahl der Einträge ist eine Schätzung des CKAN-Servers: etwa {total}.",
            "The number of entries is an estimate by the CKAN server: about {total}.",
        ),
        _ => return None,
    };
    Some(match lang {
        Lang::De => de,
        Lang::En => en,
    })
}

/// Returns a parameter value in `lang`: the reason of a skipped filter as a
/// sentence, a total with digit grouping, anything else unchanged.
pub(super) fn param_text(name: &str, value: &str, lang: Lang) -> String {
    match (name, value, lang) {
        ("reason", "range", Lang::De) => {
            "Der CKAN-Server filtert nur nach genauen Werten, deshalb wurde der Bereichsfilter nicht angewendet.".to_owned()
        }
        ("reason", "range", Lang::En) => {
            "The CKAN server filters by exact values only, so the range filter was not applied.".to_owned()
        }
        ("reason", "with-search", Lang::De) => {
            "Der CKAN-Server kann die Suche in einer Spalte nicht mit der Suche in allen Spalten verbinden, deshalb wurde sie nicht angewendet.".to_owned()
        }
        ("reason", "with-search", Lang::En) => {
            "The CKAN server cannot combine a search in one column with a search in all columns, so it was not applied.".to_owned()
        }
        ("reason", "empty", Lang::De) => {
            "Der CKAN-Server kann nicht nach leeren Zellen filtern, deshalb wurde dieser Wert nicht angewendet.".to_owned()
        }
        ("reason", "empty", Lang::En) => {
            "The CKAN server cannot filter for empty cells, so this value was not applied.".to_owned()
        }
        ("reason", "column", Lang::De) => {
            "Der CKAN-Server kennt diese Spalte nicht, deshalb wurde der Filter nicht angewendet.".to_owned()
        }
        ("reason", "column", Lang::En) => {
            "The CKAN server does not know this column, so the filter was not applied.".to_owned()
        }
        ("total", _, _) => match value.parse::<u64>() {
            Ok(total) => format_number(total as f64, lang),
            Err(_) => value.to_owned(),
        },
        _ => value.to_owned(),
    }
}
