//! Reference numbers such as `OG-2026-000123`: the year the submission was
//! received (UTC) and its number within that year, at least six digits.
//!
//! The numbers come from the `reference_counters` table, which the writer
//! raises inside the transaction that stores the submission. A number is
//! therefore only known to a client after COMMIT, and a crash before COMMIT
//! rolls back the counter together with the submission.

use std::fmt;

/// Prefix of every reference number.
const PREFIX: &str = "OG";

/// A reference number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reference {
    pub(crate) year: i64,
    pub(crate) number: i64,
}

impl fmt::Display for Reference {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{PREFIX}-{:04}-{:06}", self.year, self.number)
    }
}

/// Returns the calendar year (UTC) of a Unix time in seconds.
pub(crate) fn utc_year(unix_seconds: i64) -> i64 {
    // Howard Hinnant's civil_from_days, reduced to the year.
    let days = unix_seconds.div_euclid(86_400) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let year = year_of_era + era * 400;
    // The algorithm counts years from March, so January and February
    // belong to the next one.
    if month_index >= 10 {
        year + 1
    } else {
        year
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_is_zero_padded() {
        let cases = [
            (Reference { year: 2026, number: 123 }, "OG-2026-000123"),
            (Reference { year: 2026, number: 1 }, "OG-2026-000001"),
            (Reference { year: 2027, number: 1_234_567 }, "OG-2027-1234567"),
        ];
        for (reference, expected) in cases {
            assert_eq!(reference.to_string(), expected);
        }
    }

    #[test]
    fn year_changes_at_utc_midnight() {
        let cases = [
            (0, 1970),
            (1_767_225_599, 2025), // 2025-12-31T23:59:59Z
            (1_767_225_600, 2026), // 2026-01-01T00:00:00Z
            (1_772_323_200, 2026), // 2026-03-01T00:00:00Z
            (1_709_164_800, 2024), // 2024-02-29T00:00:00Z
            (-1, 1969),
        ];
        for (seconds, year) in cases {
            assert_eq!(utc_year(seconds), year, "{seconds}");
        }
    }
}
