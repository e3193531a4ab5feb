//! Checks for the named string formats: `email`, `date`, and ogkit's German
//! formats `plz`, `iban` and `phone`.
//!
//! Each check looks at a trimmed value. The checks are deliberately
//! practical: they catch typing mistakes, not every address that some RFC
//! allows (an e-mail address with a quoted local part is rejected) nor
//! every wrong one (an IBAN with correct check digits may still name an
//! account that does not exist).

use std::fmt;

/// A calendar date of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year, 1 to 9999.
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
}

impl Date {
    /// Returns the date when `year`, `month` and `day` name a real day.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Parses an ISO 8601 calendar date, `YYYY-MM-DD`, as `<input
    /// type="date">` sends it.
    pub fn parse_iso(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year = digits(&text[0..4])?;
        let month = digits(&text[5..7])?;
        let day = digits(&text[8..10])?;
        Date::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// Parses a German date, `T.M.JJJJ` or `TT.MM.JJJJ`, as people type it.
    pub fn parse_german(text: &str) -> Option<Date> {
        let mut parts = text.split('.');
        let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || day.len() > 2 || month.len() > 2 || year.len() != 4 {
            return None;
        }
        Date::new(
            u16::try_from(digits(year)?).ok()?,
            u8::try_from(digits(month)?).ok()?,
            u8::try_from(digits(day)?).ok()?,
        )
    }

    /// Returns the day `days` days later (earlier when negative), or `None`
    /// outside the years 1 to 9999.
    pub fn add_days(self, days: i32) -> Option<Date> {
        Date::from_day_number(self.day_number() + i64::from(days))
    }

    /// Returns the day of the week as an ISO 8601 number: 1 is Monday, 7 is
    /// Sunday.
    pub fn weekday(self) -> u8 {
        // Day 0 of the count, 1970-01-01, was a Thursday (4).
        (self.day_number() + 3).rem_euclid(7) as u8 + 1
    }

    /// Returns the calendar date in Germany (Europe/Berlin) at the moment
    /// `unix_seconds` (seconds since 1970-01-01T00:00:00Z).
    ///
    /// Germany uses UTC+1, and UTC+2 from 01:00 UTC on the last Sunday of
    /// March to 01:00 UTC on the last Sunday of October (the EU rule in
    /// force since 1996). So the new day starts at 23:00 UTC in winter and
    /// at 22:00 UTC in summer. Dates before 1996 use the same rule, which
    /// differs from history but not for any form filled in today.
    pub fn today_in_berlin(unix_seconds: i64) -> Date {
        let utc_day = unix_seconds.div_euclid(86_400);
        let year = Date::from_day_number(utc_day).map_or(1970, |date| date.year);
        let summer_start = last_sunday(year, 3) * 86_400 + 3600;
        let summer_end = last_sunday(year, 10) * 86_400 + 3600;
        let offset = if (summer_start..summer_end).contains(&unix_seconds) { 7200 } else { 3600 };
        let local_day = (unix_seconds + offset).div_euclid(86_400);
        Date::from_day_number(local_day)
            .unwrap_or(if local_day < 0 { Date { year: 1, month: 1, day: 1 } } else { Date { year: 9999, month: 12, day: 31 } })
    }

    /// Returns the number of days since 1970-01-01 (negative before).
    fn day_number(self) -> i64 {
        // Howard Hinnant's days_from_civil, for the proleptic Gregorian calendar.
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// Returns the date of a day number of [`Date::day_number`], or `None`
    /// outside the years 1 to 9999.
    fn from_day_number(number: i64) -> Option<Date> {
        let shifted = number + 719_468;
        let era = shifted.div_euclid(146_097);
        let day_of_era = shifted - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_index = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * month_index + 2) / 5 + 1;
        let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date::new(u16::try_from(year).ok()?, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
    }

    /// Returns the date as `TT.MM.JJJJ`, the German way of writing it.
    pub fn to_german(self) -> String {
        format!("{:02}.{:02}.{:04}", self.day, self.month, self.year)
    }
}

impl fmt::Display for Date {
    /// Writes the ISO form, `YYYY-MM-DD`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{:04}-{:02}-{:02}",
            self.year, self.month, self.day
        )
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Returns the day number of the last Sunday of `month` in `year`.
fn last_sunday(year: u16, month: u8) -> i64 {
    let last = Date { year, month, day: days_in_month(year, month) };
    last.day_number() - i64::from(last.weekday() % 7)
}

/// Parses a non-empty run of ASCII digits.
fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Returns true when `text` is a German postcode: exactly five digits.
pub fn is_plz(text: &str) -> bool {
    text.len() == 5 && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// Maximum length of an e-mail address, in bytes (the limit of the SMTP path).
const MAX_EMAIL_LEN: usize = 254;

/// Returns true when `text` looks like a deliverable e-mail address:
/// `local@domain`, no spaces, a domain of at least two labels made of
/// letters, digits and hyphens. Letters outside ASCII are allowed in both
/// parts (internationalised addresses).
pub fn is_email(text: &str) -> bool {
    if text.len() > MAX_EMAIL_LEN {
        return false;
    }
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };

    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !"@\"(),:;<>[\\]".contains(c));
    if !local_ok {
        return false;
    }

    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|top| top.chars().count() >= 2 && !top.chars().all(|c| c.is_ascii_digit()))
}

/// Minimum number of digits of a telephone number. Shorter numbers are
/// typing mistakes.
const MIN_PHONE_DIGITS: usize = 5;
/// Most digits of a telephone number (ITU-T E.164 allows 15).
const MAX_PHONE_DIGITS: usize = 15;

/// Returns true when `text` is a telephone number as people write it in
/// Germany: digits with optional spaces, `/`, `-`, `.` and brackets, and
/// optionally a leading `+` for the country code. `0151 2345678`,
/// `+49 (0)30 1234-56` and `030/123456` pass; letters do not.
pub fn is_phone(text: &str) -> bool {
    let body = text.strip_prefix('+').unwrap_or(text);
    if !body.starts_with(|c: char| c.is_ascii_digit() || c == '(') {
        return false;
    }
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || " /-.()".contains(c))
    {
        return false;
    }
    let mut depth = 0_i32;
    for c in body.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if !(0..=1).contains(&depth) {
            return false;
        }
    }
    let digit_count = body.chars().filter(char::is_ascii_digit).count();
    depth == 0 && (MIN_PHONE_DIGITS..=MAX_PHONE_DIGITS).contains(&digit_count)
}

/// Reason for rejecting an IBAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IbanProblem {
    /// Not two letters, two digits and letters or digits, or the wrong length
    /// for its country.
    Format,
    /// The mod-97 check over the whole IBAN fails: a typing mistake.
    CheckDigits,
}

/// Removes spaces and makes letters upper case, the form in which an IBAN
/// is checked and stored.
pub fn compact_iban(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Checks an IBAN after [`compact_iban`]: its shape, the length for its
/// country (for the countries of the SEPA area) and the ISO 13616 mod-97
/// check digits.
///
/// # Errors
///
/// Returns what is wrong with it.
pub fn check_iban(compact: &str) -> Result<(), IbanProblem> {
    let bytes = compact.as_bytes();
    let shape_ok = (15..=34).contains(&bytes.len())
        && bytes[..2].iter().all(u8::is_ascii_uppercase)
        && bytes[2..4].iter().all(u8::is_ascii_digit)
        && bytes[4..]
            .iter()
            .all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit());
    if !shape_ok {
        return Err(IbanProblem::Format);
    }
    if let Some(length) = iban_length(&compact[..2]) {
        if bytes.len() != length {
            return Err(IbanProblem::Format);
        }
    }

    // Move the country code and check digits to the end, turn letters into
    // two-digit numbers (A = 10 … Z = 35) and take the remainder digit by
    // digit, so no big integers are needed.
    let mut remainder: u32 = 0;
    for &byte in bytes[4..].iter().chain(&bytes[..4]) {
        let value = if byte.is_ascii_digit() {
            u32::from(byte - b'0')
        } else {
            u32::from(byte - b'A') + 10
        };
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    if remainder == 1 {
        Ok(())
    } else {
        Err(IbanProblem::CheckDigits)
    }
}

/// Returns the IBAN length of a country of the SEPA area, from the SWIFT
/// IBAN registry. Other countries are checked by shape and check digits
/// only.
fn iban_length(country: &str) -> Option<usize> {
    const LENGTHS: &[(&str, usize)] = &[
        ("AD", 24),
        ("AT", 20),
        ("BE", 16),
        ("BG", 22),
        ("CH", 21),
        ("CY", 28),
        ("CZ", 24),
        ("DE", 22),
        ("DK", 18),
        ("EE", 20),
        ("ES", 24),
        ("FI", 18),
        ("FR", 27),
        ("GB", 22),
        ("GI", 23),
        ("GR", 27),
        ("HR", 21),
        ("HU", 28),
        ("IE", 22),
        ("IS", 26),
        ("IT", 27),
        ("LI", 21),
        ("LT", 20),
        ("LU", 20),
        ("LV", 21),
        ("MC", 27),
        ("MT", 31),
        ("NL", 18),
        ("NO", 15),
        ("PL", 28),
        ("PT", 25),
        ("RO", 24),
        ("SE", 24),
        ("SI", 19),
        ("SK", 24),
        ("SM", 27),
        ("VA", 22),
    ];
    LENGTHS
        .iter()
        .find(|(code, _)| *code == country)
        .map(|(_, length)| *length)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leap_day_exists_only_in_leap_years() {
        assert!(Date::parse_iso("2024-02-29").is_some());
        assert!(Date::parse_iso("2023-02-29").is_none());
        assert!(Date::parse_iso("1900-02-29").is_none());
        assert!(Date::parse_iso("2000-02-29").is_some());
    }

    #[test]
    fn german_date_reads_short_forms() {
        assert_eq!(Date::parse_german("4.12.2026"), Date::new(2026, 12, 4));
        assert_eq!(Date::parse_german("04.12.2026"), Date::new(2026, 12, 4));
        assert_eq!(Date::parse_german("31.11.2026"), None);
        assert_eq!(Date::parse_german("4.12.26"), None);
    }

    #[test]
    fn iban_with_spaces_compacts() {
        assert_eq!(
            compact_iban("de89 3704 0044 0532 0130 00"),
            "DE89370400440532013000"
        );
    }
}
