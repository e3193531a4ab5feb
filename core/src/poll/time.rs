//! Points in time for poll opening and closing, written as RFC 3339 text.
//!
//! A [`Timestamp`] counts whole seconds since the Unix epoch (UTC). Parsing
//! accepts the RFC 3339 `date-time` form (`2026-03-01T08:00:00+01:00`,
//! `2026-03-01T07:00:00Z`, fractional seconds are cut off). Formatting always
//! writes UTC with a `Z`. Leap seconds (`:60`) are rejected; polls open and
//! close at ordinary seconds. The code is a few lines of calendar
//! arithmetic so that the core stays small in the browser bundle.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time, in whole seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

/// Error of a text that is not an RFC 3339 date-time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date-time {text:?}: {reason}; expected RFC 3339 such as 2026-03-01T08:00:00+01:00")]
pub struct TimestampError {
    text: String,
    reason: &'static str,
}

impl TimestampError {
    /// Returns the text that failed to parse.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl Timestamp {
    /// Parses an RFC 3339 date-time.
    ///
    /// # Errors
    ///
    /// Returns [`TimestampError`] when the text is not of the form
    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` or names a day that does
    /// not exist.
    pub fn parse(text: &str) -> Result<Timestamp, TimestampError> {
        let fail = |reason| TimestampError { text: text.to_owned(), reason };
        let bytes = text.as_bytes();
        if bytes.len() < 20 {
            return Err(fail("too short"));
        }
        let number = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = bytes.get(range)?;
            if part.iter().all(u8::is_ascii_digit) {
                Some(part.iter().fold(0, |value, digit| value * 10 + i64::from(digit - b'0')))
            } else {
                None
            }
        };
        let separators_ok = bytes[4] == b'-'
            && bytes[7] == b'-'
            && matches!(bytes[10], b'T' | b't' | b' ')
            && bytes[13] == b':'
            && bytes[16] == b':';
        if !separators_ok {
            return Err(fail("misplaced separator"));
        }
        let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
            number(0..4),
            number(5..7),
            number(8..10),
            number(11..13),
            number(14..16),
            number(17..19),
        ) else {
            return Err(fail("expected digits"));
        };
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return Err(fail("no such day"));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(fail("no such time of day"));
        }

        let mut rest = &bytes[19..];
        if rest.first() == Some(&b'.') {
            let digits = rest[1..].iter().take_while(|byte| byte.is_ascii_digit()).count();
            if digits == 0 {
                return Err(fail("expected digits after the decimal point"));
            }
            rest = &rest[1 + digits..];
        }
        let offset_seconds = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let digits = [*h1, *h2, *m1, *m2];
                if !digits.iter().all(u8::is_ascii_digit) {
                    return Err(fail("invalid offset"));
                }
                let hours = i64::from((h1 - b'0') * 10 + (h2 - b'0'));
                let minutes = i64::from((m1 - b'0') * 10 + (m2 - b'0'));
                if hours > 23 || minutes > 59 {
                    return Err(fail("invalid offset"));
                }
                let magnitude = hours * 3600 + minutes * 60;
                if *sign == b'-' {
                    -magnitude
                } else {
                    magnitude
                }
            }
            _ => return Err(fail("expected Z or an offset such as +01:00 at the end")),
        };

        let local = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
        Ok(Timestamp(local - offset_seconds))
    }

    /// Returns the seconds since the Unix epoch.
    pub fn as_unix_seconds(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Timestamp {
    /// Writes the time in UTC, such as `2026-03-01T07:00:00Z`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(86_400);
        let seconds = self.0.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        write!(
            formatter,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            seconds / 3600,
            seconds % 3600 / 60,
            seconds % 60
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TimestampVisitor)
    }
}

/// Reads a timestamp from a string, or from a one-entry map whose value is
/// a string. The `toml` crate hands unquoted TOML date-times
/// (`opens_at = 2026-03-01T08:00:00+01:00`) to serde in that map form.
struct TimestampVisitor;

impl<'de> serde::de::Visitor<'de> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an RFC 3339 date-time such as \"2026-03-01T08:00:00+01:00\"")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Timestamp, E> {
        Timestamp::parse(text).map_err(E::custom)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Timestamp, A::Error> {
        let Some((_, text)) = map.next_entry::<String, String>()? else {
            return Err(serde::de::Error::custom("expected an RFC 3339 date-time, found an empty table"));
        };
        if map.next_key::<String>()?.is_some() {
            return Err(serde::de::Error::custom("expected an RFC 3339 date-time, found a table"));
        }
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Counts the days from 1970-01-01 to the given date of the proleptic
/// Gregorian calendar. The calendar is shifted to start in March, so the
/// leap day is the last day of its year and each era is 400 years long.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Inverts [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let cases: &[(&str, i64)] = &[
            ("1970-01-01T00:00:00Z", 0),
            ("2026-03-01T08:00:00+01:00", 1_772_348_400),
            ("2026-03-01T07:00:00Z", 1_772_348_400),
            ("2026-03-01T07:00:00.999Z", 1_772_348_400),
            ("2024-02-29T23:59:59-00:30", 1_709_251_199 + 1800),
            ("1969-12-31T23:59:59Z", -1),
        ];
        for (text, expected) in cases {
            assert_eq!(Timestamp::parse(text).map(|t| t.0), Ok(*expected), "{text}");
        }
    }

    #[test]
    fn invalid_texts_are_rejected() {
        for text in [
            "",
            "2026-03-01",
            "2026-03-01T08:00:00",
            "2026-02-29T08:00:00Z",
            "2026-13-01T08:00:00Z",
            "2026-03-01T24:00:00Z",
            "2026-03-01T08:00:60Z",
            "2026-03-01T08:00:00+1:00",
            "2026-03-01T08:00:00.Z",
            "2026/03/01T08:00:00Z",
            "2026-03-01T08:00:00Zjunk",
            "２０２６-03-01T08:00:00Z",
        ] {
            assert!(Timestamp::parse(text).is_err(), "{text:?} was accepted");
        }
    }

    #[test]
    fn display_round_trips() {
        for seconds in [0, -1, 951_782_400, 1_709_251_199, 1_772_348_400, 4_102_444_800] {
            let text = Timestamp(seconds).to_string();
            assert_eq!(Timestamp::parse(&text), Ok(Timestamp(seconds)), "{text}");
        }
        assert_eq!(Timestamp(1_772_348_400).to_string(), "2026-03-01T07:00:00Z");
    }
}
