//! Retention periods for `ogkit form purge --older-than`, such as `90d` or
//! `12h`: a whole number followed by `d` (days of 24 hours) or `h` (hours).
//!
//! Months and years have no fixed length, so they are not accepted; `m`
//! would also be ambiguous between minutes and months.

use std::fmt;

/// Maximum retention period: 100 years of 365 days, far beyond any
/// retention rule and far from overflowing a Unix time.
const MAX_SECONDS: i64 = 100 * 365 * 86_400;

/// A retention period in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Retention {
    seconds: i64,
    unit: Unit,
    count: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Days,
    Hours,
}

impl Retention {
    /// Returns the period in seconds.
    pub(crate) fn as_seconds(self) -> i64 {
        self.seconds
    }
}

impl fmt::Display for Retention {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let letter = match self.unit {
            Unit::Days => 'd',
            Unit::Hours => 'h',
        };
        write!(formatter, "{}{letter}", self.count)
    }
}

/// Parses a retention period such as `90d` or `12h`.
///
/// # Errors
///
/// Returns a message that names the text and shows valid examples.
pub(crate) fn parse_retention(text: &str) -> Result<Retention, String> {
    let examples = "use a whole number followed by d (days) or h (hours), such as 90d or 12h";
    let trimmed = text.trim();
    let Some(unit_char) = trimmed.chars().last() else {
        return Err(format!("the retention period is empty; {examples}"));
    };
    let digits = &trimmed[..trimmed.len() - unit_char.len_utf8()];
    let (unit, seconds_per_unit) = match unit_char.to_ascii_lowercase() {
        'd' => (Unit::Days, 86_400),
        'h' => (Unit::Hours, 3_600),
        _ if unit_char.is_ascii_digit() => {
            return Err(format!("{text:?} has no unit; {examples}"));
        }
        _ => {
            return Err(format!("{text:?} has the unknown unit {unit_char:?}; {examples}"));
        }
    };
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(format!("{text:?} is not a whole number of days or hours; {examples}"));
    }
    let count: i64 = digits
        .parse()
        .map_err(|_| format!("{text:?} is too long; the longest retention period is 36500d"))?;
    if count == 0 {
        return Err(format!(
            "{text:?} would delete every submission up to now; use at least 1h"
        ));
    }
    let seconds = count
        .checked_mul(seconds_per_unit)
        .filter(|seconds| *seconds <= MAX_SECONDS)
        .ok_or_else(|| format!("{text:?} is too long; the longest retention period is 36500d"))?;
    Ok(Retention { seconds, unit, count })
}

impl serde::Serialize for Retention {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_periods() {
        let cases = [
            ("90d", 90 * 86_400, "90d"),
            ("12h", 12 * 3_600, "12h"),
            ("1h", 3_600, "1h"),
            (" 7D ", 7 * 86_400, "7d"),
            ("36500d", 36_500 * 86_400, "36500d"),
        ];
        for (text, seconds, shown) in cases {
            let retention = parse_retention(text).unwrap_or_else(|error| panic!("{text}: {error}"));
            assert_eq!(retention.as_seconds(), seconds, "{text}");
            assert_eq!(retention.to_string(), shown, "{text}");
        }
    }

    #[test]
    fn invalid_periods_explain() {
        let cases = [
            ("", "is empty"),
            ("90", "has no unit"),
            ("3m", "unknown unit 'm'"),
            ("1y", "unknown unit 'y'"),
            ("d", "not a whole number"),
            ("-5d", "not a whole number"),
            ("1.5d", "not a whole number"),
            ("0d", "at least 1h"),
            ("36501d", "too long"),
            ("99999999999999999999d", "too long"),
            ("90 Tage", "unknown unit 'e'"),
        ];
        for (text, expected) in cases {
            let error = parse_retention(text).expect_err(text);
            assert!(error.contains(expected), "{text:?}: {error}");
            assert!(error.contains("90d") || error.contains("1h") || error.contains("36500d"), "{text:?}: {error}");
        }
    }
}
