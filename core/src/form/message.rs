//! German and English sentences for every [`ViolationKey`].
//!
//! Each sentence names the field by its title and tells what to do, because
//! it is read both next to the field and, out of context, in the error
//! summary at the top of the form and by screen readers. A field inside a
//! repeated group is named with its entry: „Bezeichnung“ (Gegenstand 2).
//!
//! A `pattern` says nothing a user can act on, so simple patterns such as
//! `^[A-Z]{2}[0-9]{5}$` are put into words ("2 capital letters, then 5
//! digits"); for other patterns the message falls back to the schema's
//! first `examples` entry, then to a general request to check the input.

use super::formats::Date;
use super::holidays::Holiday;
use super::validate::{Violation, ViolationKey};
use crate::lang::Lang;

/// Returns the sentence for `violation` in `lang`.
pub fn message(violation: &Violation, lang: Lang) -> String {
    let field = field_label(violation, lang);
    let param = |name: &str| violation.param(name).unwrap_or_default().to_owned();
    let german = lang == Lang::De;

    match violation.key {
        ViolationKey::Required => match (violation.param("input"), german) {
            (Some("choice"), true) => format!("{field} fehlt: Bitte wählen Sie eine Antwort aus."),
            (Some("choice"), false) => format!("{field} is missing: select an answer."),
            (Some("checkbox"), true) => format!("{field} fehlt: Bitte setzen Sie das Häkchen."),
            (Some("checkbox"), false) => format!("{field} is missing: tick the box."),
            (Some("entries"), true) => {
                format!("{field} fehlt: Bitte fügen Sie mindestens einen Eintrag hinzu.")
            }
            (Some("entries"), false) => format!("{field} is missing: add at least one entry."),
            (_, true) => format!("{field} fehlt: Bitte füllen Sie dieses Feld aus."),
            (_, false) => format!("{field} is missing: fill in this field."),
        },
        ViolationKey::InvalidType => {
            let expected = param("expected");
            if german {
                let what = match expected.as_str() {
                    "integer" => "eine ganze Zahl, zum Beispiel 3",
                    "number" => "eine Zahl, zum Beispiel 2,5",
                    "boolean" => "Ja oder Nein",
                    "list" => "eine Liste",
                    "object" => "eine Gruppe von Angaben",
                    _ => "einen Text",
                };
                format!("{field} hat einen ungültigen Wert: Bitte geben Sie {what} ein.")
            } else {
                let what = match expected.as_str() {
                    "integer" => "a whole number, for example 3",
                    "number" => "a number, for example 2.5",
                    "boolean" => "yes or no",
                    "list" => "a list",
                    "object" => "a group of details",
                    _ => "text",
                };
                format!("{field} has an invalid value: enter {what}.")
            }
        }
        ViolationKey::TooShort => {
            let (min, length) = (param("min"), param("length"));
            if german {
                format!("{field} ist zu kurz: Bitte geben Sie mindestens {min} Zeichen ein (bisher {length}).")
            } else {
                format!(
                    "{field} is too short: enter at least {min} {} (now {length}).",
                    plural(&min, "character", "characters")
                )
            }
        }
        ViolationKey::TooLong => {
            let (max, length) = (param("max"), param("length"));
            if german {
                format!("{field} ist zu lang: Bitte kürzen Sie auf höchstens {max} Zeichen (bisher {length}).")
            } else {
                format!(
                    "{field} is too long: shorten it to at most {max} {} (now {length}).",
                    plural(&max, "character", "characters")
                )
            }
        }
        ViolationKey::PatternMismatch => {
            let shape = describe_pattern(&param("pattern"), lang);
            let example = violation.param("example");
            match (shape, example, german) {
                (Some(shape), Some(example), true) => {
                    format!("{field} hat nicht das erwartete Format: Bitte geben Sie {shape} ein, zum Beispiel {example}.")
                }
                (Some(shape), Some(example), false) => {
                    format!("{field} is not in the expected format: enter {shape}, for example {example}.")
                }
                (Some(shape), None, true) => format!("{field} hat nicht das erwartete Format: Bitte geben Sie {shape} ein."),
                (Some(shape), None, false) => format!("{field} is not in the expected format: enter {shape}."),
                (None, Some(example), true) => {
                    format!("{field} hat nicht das erwartete Format: Bitte geben Sie es so ein wie im Beispiel {example}.")
                }
                (None, Some(example), false) => {
                    format!("{field} is not in the expected format: enter it like the example {example}.")
                }
                (None, None, true) => {
                    format!("{field} hat nicht das erwartete Format: Bitte prüfen Sie Ihre Eingabe und den Hinweis zum Feld.")
                }
                (None, None, false) => format!("{field} is not in the expected format: check your input and the hint for this field."),
            }
        }
        ViolationKey::InvalidEmail => {
            if german {
                format!("{field} ist keine gültige E-Mail-Adresse: Bitte geben Sie sie in der Form name@beispiel.de ein.")
            } else {
                format!(
                    "{field} is not a valid email address: enter it in the form name@example.com."
                )
            }
        }
        ViolationKey::InvalidDate => {
            if german {
                format!("{field} ist kein gültiges Datum: Bitte geben Sie es als TT.MM.JJJJ ein, zum Beispiel 24.12.2026.")
            } else {
                format!(
                    "{field} is not a valid date: enter it as DD.MM.YYYY, for example 24.12.2026."
                )
            }
        }
        ViolationKey::InvalidPlz => {
            if german {
                format!("{field} ist keine gültige Postleitzahl: Bitte geben Sie fünf Ziffern ein, zum Beispiel 10115.")
            } else {
                format!(
                    "{field} is not a valid German postcode: enter five digits, for example 10115."
                )
            }
        }
        ViolationKey::InvalidIban => {
            if german {
                format!("{field} ist keine gültige IBAN: Sie beginnt mit dem Ländercode und hat in Deutschland 22 Stellen, zum Beispiel DE89 3704 0044 0532 0130 00.")
            } else {
                format!("{field} is not a valid IBAN: it starts with the country code and has 22 characters in Germany, for example DE89 3704 0044 0532 0130 00.")
            }
        }
        ViolationKey::IbanCheckDigits => {
            if german {
                format!("{field} enthält einen Tippfehler, denn die Prüfziffern der IBAN passen nicht: Bitte vergleichen Sie die IBAN mit Ihren Kontounterlagen.")
            } else {
                format!("{field} contains a typing mistake, because the IBAN check digits do not match: compare the IBAN with your bank details.")
            }
        }
        ViolationKey::InvalidPhone => {
            if german {
                format!("{field} ist keine gültige Telefonnummer: Bitte verwenden Sie nur Ziffern, Leerzeichen und + / - ( ), zum Beispiel 030 1234567.")
            } else {
                format!("{field} is not a valid phone number: use only digits, spaces and + / - ( ), for example +49 30 1234567.")
            }
        }
        ViolationKey::TooSmall => {
            let min = number(&param("min"), lang);
            match (violation.param("exclusive") == Some("true"), german) {
                (true, true) => {
                    format!("{field} ist zu klein: Bitte geben Sie eine Zahl größer als {min} ein.")
                }
                (true, false) => {
                    format!("{field} is too small: enter a number greater than {min}.")
                }
                (false, true) => {
                    format!("{field} ist zu klein: Bitte geben Sie mindestens {min} ein.")
                }
                (false, false) => format!("{field} is too small: enter at least {min}."),
            }
        }
        ViolationKey::TooLarge => {
            let max = number(&param("max"), lang);
            match (violation.param("exclusive") == Some("true"), german) {
                (true, true) => {
                    format!("{field} ist zu groß: Bitte geben Sie eine Zahl kleiner als {max} ein.")
                }
                (true, false) => format!("{field} is too large: enter a number less than {max}."),
                (false, true) => {
                    format!("{field} ist zu groß: Bitte geben Sie höchstens {max} ein.")
                }
                (false, false) => format!("{field} is too large: enter at most {max}."),
            }
        }
        ViolationKey::DateTooEarly => {
            let min = date(&param("min"), lang);
            if german {
                format!(
                    "{field} liegt zu früh: Bitte wählen Sie den {min} oder ein späteres Datum."
                )
            } else {
                format!("{field} is too early: choose {min} or a later date.")
            }
        }
        ViolationKey::WrongWeekday => {
            let allowed = weekday_list(&param("weekdays"), german);
            if german {
                format!("{field} ist an diesem Wochentag nicht möglich: Bitte wählen Sie einen Tag von {allowed}.")
            } else {
                format!("{field} is not possible on this day of the week: choose a day from {allowed}.")
            }
        }
        ViolationKey::PublicHoliday => {
            let name = Holiday::from_id(&param("holiday")).map(|holiday| holiday.name(lang));
            match (name, german) {
                (Some(name), true) => {
                    format!("{field} ist ein Feiertag ({name}): Bitte wählen Sie einen anderen Tag.")
                }
                (Some(name), false) => format!("{field} is a public holiday ({name}): choose another day."),
                (None, true) => format!("{field} ist ein Feiertag: Bitte wählen Sie einen anderen Tag."),
                (None, false) => format!("{field} is a public holiday: choose another day."),
            }
        }
        ViolationKey::DateTooLate => {
            let max = date(&param("max"), lang);
            if german {
                format!(
                    "{field} liegt zu spät: Bitte wählen Sie den {max} oder ein früheres Datum."
                )
            } else {
                format!("{field} is too late: choose {max} or an earlier date.")
            }
        }
        ViolationKey::NotAChoice => {
            let value = param("value");
            if german {
                format!("{field}: „{value}“ ist hier nicht möglich. Bitte wählen Sie eine der angebotenen Antworten.")
            } else {
                format!(
                    "{field}: “{value}” is not possible here. Select one of the answers offered."
                )
            }
        }
        ViolationKey::TooFewItems => {
            let (min, count) = (param("min"), param("count"));
            match (violation.param("input"), german) {
                (Some("entries"), true) => format!(
                    "{field}: Bitte geben Sie mindestens {min} {} an (bisher {count}).",
                    plural(&min, "Eintrag", "Einträge")
                ),
                (Some("entries"), false) => format!(
                    "{field}: add at least {min} {} (now {count}).",
                    plural(&min, "entry", "entries")
                ),
                (_, true) => format!(
                    "{field}: Bitte wählen Sie mindestens {min} {} aus (bisher {count}).",
                    plural(&min, "Antwort", "Antworten")
                ),
                (_, false) => format!(
                    "{field}: select at least {min} {} (now {count}).",
                    plural(&min, "answer", "answers")
                ),
            }
        }
        ViolationKey::TooManyItems => {
            let (max, count) = (param("max"), param("count"));
            match (violation.param("input"), german) {
                (Some("entries"), true) => format!(
                    "{field}: Bitte geben Sie höchstens {max} {} an (bisher {count}).",
                    plural(&max, "Eintrag", "Einträge")
                ),
                (Some("entries"), false) => format!(
                    "{field}: enter at most {max} {} (now {count}).",
                    plural(&max, "entry", "entries")
                ),
                (_, true) => format!(
                    "{field}: Bitte wählen Sie höchstens {max} {} aus (bisher {count}).",
                    plural(&max, "Antwort", "Antworten")
                ),
                (_, false) => format!(
                    "{field}: select at most {max} {} (now {count}).",
                    plural(&max, "answer", "answers")
                ),
            }
        }
        ViolationKey::DuplicateItem => {
            let value = param("value");
            if german {
                format!("{field}: „{value}“ ist doppelt angegeben. Bitte entfernen Sie einen der beiden Einträge.")
            } else {
                format!("{field}: “{value}” is given twice. Remove one of the two entries.")
            }
        }
        ViolationKey::MustAccept => {
            if german {
                format!("{field}: Bitte bestätigen Sie dies mit einem Häkchen, um das Formular abzusenden.")
            } else {
                format!("{field}: tick the box to confirm; the form cannot be sent without it.")
            }
        }
        ViolationKey::WrongValue => {
            let expected = param("expected");
            if german {
                format!("{field}: Hier ist nur „{expected}“ möglich.")
            } else {
                format!("{field}: only “{expected}” is possible here.")
            }
        }
    }
}

/// Returns the field name as it appears in messages: the title in quotation
/// marks, followed by the entry for a field in a repeated group, such as
/// „Bezeichnung“ (Gegenstand 2).
pub fn field_label(violation: &Violation, lang: Lang) -> String {
    let quoted = match lang {
        Lang::De => format!("„{}“", violation.field),
        Lang::En => format!("“{}”", violation.field),
    };
    match (violation.param("entry"), violation.param("number")) {
        (Some(entry), Some(number)) => format!("{quoted} ({entry} {number})"),
        _ => quoted,
    }
}

fn plural<'a>(count: &str, one: &'a str, many: &'a str) -> &'a str {
    if count == "1" {
        one
    } else {
        many
    }
}

/// Writes a number literal with a decimal comma for German.
fn number(literal: &str, lang: Lang) -> String {
    match lang {
        Lang::De => literal.replace('.', ","),
        Lang::En => literal.to_owned(),
    }
}

/// Writes an ISO date as `24.12.2026` (German) or `24 December 2026`.
fn date(iso: &str, lang: Lang) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let Some(parsed) = Date::parse_iso(iso) else {
        return iso.to_owned();
    };
    match lang {
        Lang::De => parsed.to_german(),
        Lang::En => format!(
            "{} {} {}",
            parsed.day,
            MONTHS[usize::from(parsed.month) - 1],
            parsed.year
        ),
    }
}

/// Largest count in a pattern that [`describe_pattern`] puts into words.
const MAX_WORDED_COUNT: u32 = 100;

/// A run of one kind of character in a simple pattern.
struct Piece {
    class: CharClass,
    min: u32,
    /// `None` means no upper limit.
    max: Option<u32>,
}

#[derive(Clone, PartialEq)]
enum CharClass {
    Digit,
    Upper,
    Lower,
    Letter,
    UpperOrDigit,
    LetterOrDigit,
    Literal(char),
}

/// Puts an anchored pattern made of character classes and counts into
/// words, such as "2 Großbuchstaben, danach 5 Ziffern". Returns `None` for
/// anything more complex.
fn describe_pattern(pattern: &str, lang: Lang) -> Option<String> {
    let pieces = parse_simple_pattern(pattern)?;
    let words: Vec<String> = pieces
        .iter()
        .map(|piece| describe_piece(piece, lang))
        .collect();
    let (last, rest) = words.split_last()?;
    if rest.is_empty() {
        return Some(last.clone());
    }
    let joiner = match lang {
        Lang::De => ", danach ",
        Lang::En => ", then ",
    };
    Some(format!("{}{joiner}{last}", rest.join(joiner)))
}

fn parse_simple_pattern(pattern: &str) -> Option<Vec<Piece>> {
    let body = pattern.strip_prefix('^')?.strip_suffix('$')?;
    let chars: Vec<char> = body.chars().collect();
    let mut pieces: Vec<Piece> = Vec::new();
    let mut index = 0;

    while index < chars.len() {
        let (class, next) = match chars[index] {
            '[' => {
                let end = chars[index..].iter().position(|&c| c == ']')? + index;
                let inside: String = chars[index + 1..end].iter().collect();
                let class = match inside.as_str() {
                    "0-9" => CharClass::Digit,
                    "A-Z" => CharClass::Upper,
                    "a-z" => CharClass::Lower,
                    "A-Za-z" | "a-zA-Z" => CharClass::Letter,
                    "A-Z0-9" | "0-9A-Z" => CharClass::UpperOrDigit,
                    "A-Za-z0-9" | "a-zA-Z0-9" | "0-9A-Za-z" => CharClass::LetterOrDigit,
                    _ => return None,
                };
                (class, end + 1)
            }
            '\\' => match chars.get(index + 1)? {
                'd' => (CharClass::Digit, index + 2),
                c @ ('.' | '-' | '/' | '+' | '(' | ')' | ' ') => {
                    (CharClass::Literal(*c), index + 2)
                }
                _ => return None,
            },
            c if c.is_alphanumeric() || c == '-' || c == ' ' || c == '/' => {
                (CharClass::Literal(c), index + 1)
            }
            _ => return None,
        };
        index = next;

        let (min, max) = match chars.get(index) {
            Some('{') => {
                let end = chars[index..].iter().position(|&c| c == '}')? + index;
                let inside: String = chars[index + 1..end].iter().collect();
                index = end + 1;
                match inside.split_once(',') {
                    None => {
                        let count = inside.parse().ok()?;
                        (count, Some(count))
                    }
                    Some((low, "")) => (low.parse().ok()?, None),
                    Some((low, high)) => (low.parse().ok()?, Some(high.parse().ok()?)),
                }
            }
            Some('+') => {
                index += 1;
                (1, None)
            }
            Some('*' | '?') => return None,
            _ => (1, Some(1)),
        };

        // Counts beyond this are not worth putting into words, and a
        // violation from the wire could carry any pattern.
        if min > MAX_WORDED_COUNT || max.is_some_and(|max| max > MAX_WORDED_COUNT || max < min) {
            return None;
        }
        match pieces.last_mut() {
            Some(last) if last.class == class && class != CharClass::Literal(' ') => {
                last.min += min;
                last.max = last.max.zip(max).map(|(a, b)| a + b);
                if last.min > MAX_WORDED_COUNT {
                    return None;
                }
            }
            _ => pieces.push(Piece { class, min, max }),
        }
    }
    (!pieces.is_empty()).then_some(pieces)
}

fn describe_piece(piece: &Piece, lang: Lang) -> String {
    let german = lang == Lang::De;
    let (one, many) = match (&piece.class, german) {
        (CharClass::Digit, true) => ("Ziffer", "Ziffern"),
        (CharClass::Digit, false) => ("digit", "digits"),
        (CharClass::Upper, true) => ("Großbuchstaben", "Großbuchstaben"),
        (CharClass::Upper, false) => ("capital letter", "capital letters"),
        (CharClass::Lower, true) => ("Kleinbuchstaben", "Kleinbuchstaben"),
        (CharClass::Lower, false) => ("lower-case letter", "lower-case letters"),
        (CharClass::Letter, true) => ("Buchstaben", "Buchstaben"),
        (CharClass::Letter, false) => ("letter", "letters"),
        (CharClass::UpperOrDigit, true) => {
            ("Großbuchstaben oder Ziffer", "Großbuchstaben oder Ziffern")
        }
        (CharClass::UpperOrDigit, false) => {
            ("capital letter or digit", "capital letters or digits")
        }
        (CharClass::LetterOrDigit, true) => ("Buchstaben oder Ziffer", "Buchstaben oder Ziffern"),
        (CharClass::LetterOrDigit, false) => ("letter or digit", "letters or digits"),
        (CharClass::Literal(' '), true) => return "ein Leerzeichen".to_owned(),
        (CharClass::Literal(' '), false) => return "a space".to_owned(),
        (CharClass::Literal(c), true) => {
            return format!("„{}“", c.to_string().repeat(piece.min as usize))
        }
        (CharClass::Literal(c), false) => {
            return format!("“{}”", c.to_string().repeat(piece.min as usize))
        }
    };
    let noun = |count: u32| if count == 1 { one } else { many };
    match (piece.max, german) {
        (Some(max), _) if max == piece.min => {
            let count = if piece.min == 1 && german {
                article(&piece.class)
            } else {
                piece.min.to_string()
            };
            format!("{count} {}", noun(piece.min))
        }
        (Some(max), true) => format!("{} bis {max} {}", piece.min, noun(max)),
        (Some(max), false) => format!("{} to {max} {}", piece.min, noun(max)),
        (None, true) => format!("mindestens {} {}", piece.min, noun(piece.min)),
        (None, false) => format!("at least {} {}", piece.min, noun(piece.min)),
    }
}

/// Returns the German indefinite article for one character of `class`, in
/// the accusative that "Bitte geben Sie … ein" needs.
fn article(class: &CharClass) -> String {
    match class {
        CharClass::Digit => "eine".to_owned(),
        _ => "einen".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parking_permit_pattern_is_worded() {
        assert_eq!(
            describe_pattern("^[A-Z]{2}[0-9]{5}$", Lang::De).as_deref(),
            Some("2 Großbuchstaben, danach 5 Ziffern")
        );
        assert_eq!(
            describe_pattern("^[A-Z]{2}[0-9]{5}$", Lang::En).as_deref(),
            Some("2 capital letters, then 5 digits")
        );
    }

    #[test]
    fn postcode_pattern_is_worded() {
        assert_eq!(
            describe_pattern("^[0-9]{5}$", Lang::De).as_deref(),
            Some("5 Ziffern")
        );
        assert_eq!(
            describe_pattern("^\\d{5}$", Lang::En).as_deref(),
            Some("5 digits")
        );
    }

    #[test]
    fn complex_pattern_is_not_worded() {
        assert_eq!(describe_pattern("^(a|b)+$", Lang::De), None);
        assert_eq!(describe_pattern("[0-9]{5}", Lang::De), None);
        assert_eq!(describe_pattern("^[0-9]?$", Lang::De), None);
        assert_eq!(
            describe_pattern("^a{4294967295}a{4294967295}$", Lang::De),
            None
        );
        assert_eq!(describe_pattern("^[0-9]{5,2}$", Lang::De), None);
    }
}

/// Returns the names of the ISO weekday numbers in `numbers` ("1,2,3"),
/// joined with commas and a final "oder" / "or".
fn weekday_list(numbers: &str, german: bool) -> String {
    const GERMAN: [&str; 7] = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"];
    const ENGLISH: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    let names: Vec<&str> = numbers
        .split(',')
        .filter_map(|number| number.trim().parse::<usize>().ok())
        .filter_map(|number| if german { GERMAN.get(number.wrapping_sub(1)) } else { ENGLISH.get(number.wrapping_sub(1)) })
        .copied()
        .collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} {} {last}", rest.join(", "), if german { "oder" } else { "or" }),
    }
}
