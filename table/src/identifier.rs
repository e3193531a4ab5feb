//! Whole-number columns that name something instead of counting it: years,
//! postcodes, district and serial numbers. They are shown as written,
//! because `2.023` for a year or `50.667` for a postcode misleads, and a
//! chart does not add them up.
//!
//! A column counts as such when it is an integer column whose cells are
//! plain digits, without digit grouping or sign. Then either its name must
//! say so (`Jahr`, `PLZ`, `Nr`, `Stadtbezirk`, `Gemeindeschlüssel`, `ID` …)
//! or every value must be a plausible year, 1800 to 2100. The name check
//! compares whole words and word endings, so `Jahresumsatz` is no year.

use super::infer::{ColumnType, Value};
use super::TextColumn;

/// Words that name an identifier wherever they stand as a whole word.
const WORDS: [&str; 13] =
    ["nr", "no", "id", "plz", "zip", "ags", "ars", "key", "code", "jahr", "year", "kennung", "schlussel"];

/// Word endings that name an identifier: `Baujahr`, `Hausnummer`,
/// `Stimmbezirk`, `Postleitzahl`, `Gemeindeschlüssel`, `OBJECTID`.
const ENDINGS: [&str; 9] = ["jahr", "nummer", "nr", "bezirk", "schlussel", "kennziffer", "leitzahl", "code", "id"];

/// Returns true when the column of `kind` called `name`, with the cell
/// `texts` and typed `values`, contains identifiers; see the module comment.
pub(crate) fn is_identifier(name: &str, kind: ColumnType, texts: &TextColumn, values: &[Value]) -> bool {
    if kind != ColumnType::Integer {
        return false;
    }
    let mut all_years = true;
    let mut any_value = false;
    for (row, value) in values.iter().enumerate() {
        let Value::Number(number) = value else { continue };
        let text = texts.get(row).trim();
        if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
            return false;
        }
        any_value = true;
        all_years &= text.len() == 4 && (1800.0..=2100.0).contains(number);
    }
    any_value && (all_years || name_names_identifier(name))
}

fn name_names_identifier(name: &str) -> bool {
    let folded = ogkit_text::fold(name);
    folded
        .split(|c: char| !c.is_alphanumeric())
        .map(|word| word.trim_end_matches(|c: char| c.is_ascii_digit()))
        .filter(|word| !word.is_empty())
        .any(|word| WORDS.contains(&word) || ENDINGS.iter().any(|ending| word.ends_with(ending)))
}

#[cfg(test)]
mod tests {
    use crate::read_csv;
    use crate::CsvOptions;

    /// Returns whether each column of `csv` counts as identifiers.
    fn identifiers(csv: &str) -> Vec<bool> {
        let table = read_csv(csv.as_bytes(), &CsvOptions::default()).table;
        table.columns().iter().map(|column| column.is_identifier()).collect()
    }

    #[test]
    fn years_and_postcodes() {
        let csv = "Jahr;PLZ;Einwohner\n2023;50667;1234\n2024;10115;1250\n";
        assert_eq!(identifiers(csv), [true, true, false]);
    }

    #[test]
    fn names_from_city_files() {
        let csv = "NR_STIMMBEZIRK800;ABSTIMMBEZIRK;POSTZUSTELLBEZIRK;Gemeindeschlüssel;objekt_id;Anzahl\n\
                   10408;10408;50672;5315000;17;12000\n\
                   10409;10409;50674;5315000;18;13000\n";
        assert_eq!(identifiers(csv), [true, true, true, true, true, false]);
    }

    #[test]
    fn years_without_a_telling_name() {
        assert_eq!(identifiers("Stichtag;Wert\n1990;5\n2020;7\n"), [true, false]);
        // A value outside the years makes the column a count again.
        assert_eq!(identifiers("Menge;Wert\n1990;5\n20200;7\n"), [false, false]);
    }

    #[test]
    fn grouped_or_signed_digits_are_counts() {
        // Digit grouping in the file means the publisher counts.
        assert_eq!(identifiers("Einwohnernummer;Wert\n1.234;5\n2.345;7\n"), [false, false]);
        assert_eq!(identifiers("Nr;Wert\n-1;5\n2;7\n"), [false, false]);
    }

    #[test]
    fn word_endings_not_beginnings() {
        assert_eq!(identifiers("Jahresumsatz;Baujahr\n1500;1970\n2500000;1985\n"), [false, true]);
    }

    #[test]
    fn only_integer_columns() {
        // Decimals and text never count.
        assert_eq!(identifiers("Nr;Jahr\n1,5;abc\n2,5;2020\n"), [false, false]);
        // A column without any value is text.
        assert_eq!(identifiers("Jahr;Wert\n;1\n;2\n"), [false, false]);
    }
}
