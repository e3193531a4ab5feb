//! Public holidays in Germany, for the `exclude_holidays` rule of date
//! fields: an appointment form should not offer a bulky-waste pickup on
//! Easter Monday.
//!
//! The rules are the holiday laws in force in 2026 (the nationwide days
//! and each state's own), applied to every year. So a date before a
//! state introduced a holiday is treated as if the holiday already
//! existed, as with Berlin's Frauentag, a holiday since 2019. Holidays of
//! only part of a state are not included: Fronleichnam in some towns of
//! Saxony and Thuringia, Mariä Himmelfahrt in the Catholic towns of
//! Bavaria, and the Augsburger Friedensfest. One-off holidays, such as
//! 8 May 2025 in Berlin, are not included either.

use std::fmt;

use super::formats::Date;
use crate::lang::Lang;

/// The states of Germany by their ISO 3166-2 code, `DE-BY` for Bavaria.
const STATES: [&str; 16] = [
    "BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH",
];

/// The region whose public holidays count: Germany (`DE`, the nationwide
/// holidays only) or one state (`DE-BY`, the nationwide holidays and the
/// state's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HolidayRegion {
    /// Two-letter state code such as `BY`, or `None` for Germany.
    state: Option<&'static str>,
}

impl HolidayRegion {
    /// Parses `DE` or a state's ISO 3166-2 code such as `DE-NW`, in upper
    /// or lower case.
    pub fn parse(code: &str) -> Option<HolidayRegion> {
        let code = code.trim().to_ascii_uppercase();
        if code == "DE" {
            return Some(HolidayRegion { state: None });
        }
        let state = code.strip_prefix("DE-")?;
        let state = STATES.iter().find(|known| **known == state)?;
        Some(HolidayRegion { state: Some(state) })
    }

    fn has(self, states: &[&str]) -> bool {
        self.state.is_some_and(|state| states.contains(&state))
    }

    /// Returns the public holiday on `date` in this region, if any.
    pub fn holiday(self, date: Date) -> Option<Holiday> {
        let easter = easter_sunday(date.year)?;
        let from_easter = |days: i32| easter.add_days(days) == Some(date);
        let on = |month: u8, day: u8| date.month == month && date.day == day;

        let nationwide = [
            (on(1, 1), Holiday::Neujahr),
            (from_easter(-2), Holiday::Karfreitag),
            (from_easter(1), Holiday::Ostermontag),
            (on(5, 1), Holiday::TagDerArbeit),
            (from_easter(39), Holiday::ChristiHimmelfahrt),
            (from_easter(50), Holiday::Pfingstmontag),
            (on(10, 3), Holiday::TagDerDeutschenEinheit),
            (on(12, 25), Holiday::ErsterWeihnachtstag),
            (on(12, 26), Holiday::ZweiterWeihnachtstag),
        ];
        if let Some((_, holiday)) = nationwide.iter().find(|(matches, _)| *matches) {
            return Some(*holiday);
        }

        let of_states = [
            (on(1, 6) && self.has(&["BW", "BY", "ST"]), Holiday::HeiligeDreiKoenige),
            (on(3, 8) && self.has(&["BE", "MV"]), Holiday::Frauentag),
            (from_easter(0) && self.has(&["BB", "HE"]), Holiday::Ostersonntag),
            (from_easter(49) && self.has(&["BB", "HE"]), Holiday::Pfingstsonntag),
            (from_easter(60) && self.has(&["BW", "BY", "HE", "NW", "RP", "SL"]), Holiday::Fronleichnam),
            (on(8, 15) && self.has(&["SL"]), Holiday::MariaeHimmelfahrt),
            (on(9, 20) && self.has(&["TH"]), Holiday::Weltkindertag),
            (
                on(10, 31) && self.has(&["BB", "HB", "HH", "MV", "NI", "SN", "ST", "SH", "TH"]),
                Holiday::Reformationstag,
            ),
            (on(11, 1) && self.has(&["BW", "BY", "NW", "RP", "SL"]), Holiday::Allerheiligen),
            (is_buss_und_bettag(date) && self.has(&["SN"]), Holiday::BussUndBettag),
        ];
        of_states.iter().find(|(matches, _)| *matches).map(|(_, holiday)| *holiday)
    }
}

impl fmt::Display for HolidayRegion {
    /// Writes the code, `DE` or `DE-BY`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.state {
            None => formatter.write_str("DE"),
            Some(state) => write!(formatter, "DE-{state}"),
        }
    }
}

/// A public holiday in Germany.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holiday {
    Neujahr,
    HeiligeDreiKoenige,
    Frauentag,
    Karfreitag,
    Ostersonntag,
    Ostermontag,
    TagDerArbeit,
    ChristiHimmelfahrt,
    Pfingstsonntag,
    Pfingstmontag,
    Fronleichnam,
    MariaeHimmelfahrt,
    Weltkindertag,
    TagDerDeutschenEinheit,
    Reformationstag,
    Allerheiligen,
    BussUndBettag,
    ErsterWeihnachtstag,
    ZweiterWeihnachtstag,
}

/// Every holiday with its stable identifier, German and English name.
const NAMES: [(Holiday, &str, &str, &str); 19] = [
    (Holiday::Neujahr, "neujahr", "Neujahr", "New Year's Day"),
    (Holiday::HeiligeDreiKoenige, "heilige_drei_koenige", "Heilige Drei Könige", "Epiphany"),
    (Holiday::Frauentag, "frauentag", "Internationaler Frauentag", "International Women's Day"),
    (Holiday::Karfreitag, "karfreitag", "Karfreitag", "Good Friday"),
    (Holiday::Ostersonntag, "ostersonntag", "Ostersonntag", "Easter Sunday"),
    (Holiday::Ostermontag, "ostermontag", "Ostermontag", "Easter Monday"),
    (Holiday::TagDerArbeit, "tag_der_arbeit", "Tag der Arbeit", "Labour Day"),
    (Holiday::ChristiHimmelfahrt, "christi_himmelfahrt", "Christi Himmelfahrt", "Ascension Day"),
    (Holiday::Pfingstsonntag, "pfingstsonntag", "Pfingstsonntag", "Whit Sunday"),
    (Holiday::Pfingstmontag, "pfingstmontag", "Pfingstmontag", "Whit Monday"),
    (Holiday::Fronleichnam, "fronleichnam", "Fronleichnam", "Corpus Christi"),
    (Holiday::MariaeHimmelfahrt, "mariae_himmelfahrt", "Mariä Himmelfahrt", "Assumption Day"),
    (Holiday::Weltkindertag, "weltkindertag", "Weltkindertag", "World Children's Day"),
    (Holiday::TagDerDeutschenEinheit, "tag_der_deutschen_einheit", "Tag der Deutschen Einheit", "German Unity Day"),
    (Holiday::Reformationstag, "reformationstag", "Reformationstag", "Reformation Day"),
    (Holiday::Allerheiligen, "allerheiligen", "Allerheiligen", "All Saints' Day"),
    (Holiday::BussUndBettag, "buss_und_bettag", "Buß- und Bettag", "Day of Repentance and Prayer"),
    (Holiday::ErsterWeihnachtstag, "erster_weihnachtstag", "1. Weihnachtstag", "Christmas Day"),
    (Holiday::ZweiterWeihnachtstag, "zweiter_weihnachtstag", "2. Weihnachtstag", "Boxing Day"),
];

impl Holiday {
    /// Returns the stable identifier, such as `tag_der_deutschen_einheit`,
    /// used in a violation's parameters.
    pub fn id(self) -> &'static str {
        NAMES.iter().find(|entry| entry.0 == self).map_or("", |entry| entry.1)
    }

    /// Returns the holiday of an identifier from [`Holiday::id`].
    pub fn from_id(id: &str) -> Option<Holiday> {
        NAMES.iter().find(|entry| entry.1 == id).map(|entry| entry.0)
    }

    /// Returns the holiday's name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        let entry = NAMES.iter().find(|entry| entry.0 == self);
        match lang {
            Lang::De => entry.map_or("", |entry| entry.2),
            Lang::En => entry.map_or("", |entry| entry.3),
        }
    }
}

/// Returns Easter Sunday of `year` in the Gregorian calendar, computed
/// with the anonymous Gregorian algorithm. The tests check it against known
/// dates and against the range 22 March to 25 April.
fn easter_sunday(year: u16) -> Option<Date> {
    let year = i32::from(year);
    let golden = year % 19;
    let century = year / 100;
    let in_century = year % 100;
    let leap_centuries = century / 4;
    let century_rest = century % 4;
    let moon_correction = (century + 8) / 25;
    let moon_shift = (century - moon_correction + 1) / 3;
    let epact = (19 * golden + century - leap_centuries - moon_shift + 15) % 30;
    let quarter = in_century / 4;
    let quarter_rest = in_century % 4;
    let weekday_shift = (32 + 2 * century_rest + 2 * quarter - epact - quarter_rest) % 7;
    let correction = (golden + 11 * epact + 22 * weekday_shift) / 451;
    let month = (epact + weekday_shift - 7 * correction + 114) / 31;
    let day = (epact + weekday_shift - 7 * correction + 114) % 31 + 1;
    Date::new(u16::try_from(year).ok()?, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
}

/// Returns true on Buß- und Bettag: the Wednesday before 23 November, so
/// a Wednesday from 16 to 22 November.
fn is_buss_und_bettag(date: Date) -> bool {
    date.month == 11 && (16..=22).contains(&date.day) && date.weekday() == 3
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(iso: &str) -> Date {
        Date::parse_iso(iso).expect("a valid date")
    }

    #[test]
    fn easter_sunday_known_years() {
        let known = [
            (2000, "2000-04-23"),
            (2008, "2008-03-23"),
            (2011, "2011-04-24"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
        ];
        for (year, expected) in known {
            assert_eq!(easter_sunday(year), Some(date(expected)), "Easter {year}");
        }
    }

    #[test]
    fn easter_sunday_is_a_sunday_in_range() {
        for year in 1583..=9999 {
            let easter = easter_sunday(year).expect("a date");
            assert_eq!(easter.weekday(), 7, "Easter {year}");
            assert!(easter >= Date::new(year, 3, 22).expect("a date"), "Easter {year}");
            assert!(easter <= Date::new(year, 4, 25).expect("a date"), "Easter {year}");
        }
    }

    #[test]
    fn region_codes() {
        assert_eq!(HolidayRegion::parse("DE").map(|region| region.to_string()).as_deref(), Some("DE"));
        assert_eq!(HolidayRegion::parse(" de-by ").map(|region| region.to_string()).as_deref(), Some("DE-BY"));
        for invalid in ["", "BY", "DE-", "DE-XX", "AT-9", "DE-BY-M", "DEBY"] {
            assert_eq!(HolidayRegion::parse(invalid), None, "{invalid:?}");
        }
    }

    #[test]
    fn nationwide_holidays_2026() {
        let germany = HolidayRegion::parse("DE").expect("a region");
        let expected = [
            ("2026-01-01", Holiday::Neujahr),
            ("2026-04-03", Holiday::Karfreitag),
            ("2026-04-06", Holiday::Ostermontag),
            ("2026-05-01", Holiday::TagDerArbeit),
            ("2026-05-14", Holiday::ChristiHimmelfahrt),
            ("2026-05-25", Holiday::Pfingstmontag),
            ("2026-10-03", Holiday::TagDerDeutschenEinheit),
            ("2026-12-25", Holiday::ErsterWeihnachtstag),
            ("2026-12-26", Holiday::ZweiterWeihnachtstag),
        ];
        for (iso, holiday) in expected {
            assert_eq!(germany.holiday(date(iso)), Some(holiday), "{iso}");
        }

        let mut count = 0;
        let mut day = date("2026-01-01");
        while day.year == 2026 {
            if germany.holiday(day).is_some() {
                count += 1;
            }
            day = day.add_days(1).expect("a date");
        }
        assert_eq!(count, 9);
    }

    #[test]
    fn state_holidays() {
        let region = |code: &str| HolidayRegion::parse(code).expect("a region");
        let cases = [
            ("DE-BY", "2026-01-06", Some(Holiday::HeiligeDreiKoenige)),
            ("DE-NW", "2026-01-06", None),
            ("DE-BE", "2027-03-08", Some(Holiday::Frauentag)),
            ("DE-BB", "2026-04-05", Some(Holiday::Ostersonntag)),
            ("DE-BY", "2026-04-05", None),
            ("DE-HE", "2026-05-24", Some(Holiday::Pfingstsonntag)),
            ("DE-NW", "2026-06-04", Some(Holiday::Fronleichnam)),
            ("DE-SN", "2026-06-04", None),
            ("DE-SL", "2026-08-15", Some(Holiday::MariaeHimmelfahrt)),
            ("DE-BY", "2026-08-15", None),
            ("DE-TH", "2026-09-20", Some(Holiday::Weltkindertag)),
            ("DE-HH", "2026-10-31", Some(Holiday::Reformationstag)),
            ("DE-BW", "2026-10-31", None),
            ("DE-BW", "2026-11-01", Some(Holiday::Allerheiligen)),
            ("DE-SN", "2026-11-18", Some(Holiday::BussUndBettag)),
            ("DE-SN", "2025-11-19", Some(Holiday::BussUndBettag)),
            ("DE-SN", "2026-11-25", None),
            ("DE-BY", "2026-11-18", None),
            ("DE", "2026-01-06", None),
            ("DE-BY", "2026-10-03", Some(Holiday::TagDerDeutschenEinheit)),
        ];
        for (code, iso, expected) in cases {
            assert_eq!(region(code).holiday(date(iso)), expected, "{code} {iso}");
        }
    }

    #[test]
    fn names_and_ids() {
        for (holiday, id, german, english) in NAMES {
            assert_eq!(holiday.id(), id);
            assert_eq!(Holiday::from_id(id), Some(holiday));
            assert_eq!(holiday.name(Lang::De), german);
            assert_eq!(holiday.name(Lang::En), english);
        }
        assert_eq!(Holiday::from_id("unknown"), None);
    }
}
