//! The dataset facts shown next to the table: title, licence, publisher,
//! source and last change.
//!
//! Where each comes from, first match wins:
//!
//! | fact | fields |
//! | --- | --- |
//! | title | dataset `title`, else `name` |
//! | licence | `license_title`, else a known name for `license_id`, else `license_id`; link from `license_url`, else the known licence page, else `license_id` when it is an http(s) URI (DCAT-AP.de licence URIs are) |
//! | attribution | DCAT-AP.de `licenseAttributionByText` |
//! | publisher | DCAT-AP.de `publisher_name` with `publisher_url`, else the `organization`'s `title` |
//! | source | dataset `url` (CKAN's "Source") |
//! | last change | resource `last_modified`, else DCAT-AP.de `modified`, else dataset `metadata_modified` |
//!
//! DCAT-AP.de fields appear either as top-level fields (ckanext-scheming,
//! ckanext-dcatde) or as `extras`, a list of `{"key", "value"}` objects;
//! both are read. `publisher_name` comes before the organization because
//! the organization is the account that holds the record in CKAN, which on
//! harvesting portals is the harvester, while DCAT-AP.de's `dct:publisher`
//! names who publishes the data.
//!
//! CKAN writes its own timestamps (`metadata_modified`, `last_modified`)
//! in UTC without a zone suffix. [`Timestamp`] reads them so and shows the
//! date in German time (CET, and CEST under the EU rule in force since
//! 1996), so a change at 23:30 UTC on 30 June shows as 1 July.

use super::super::json::JsonValue;
use super::package::{raw_string, string_field, Package, Resource};
use super::url::{is_web_url, ApiBase};
use super::Lang;

/// The licence of a dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Licence {
    /// The licence's name, e.g. `Datenlizenz Deutschland – Namensnennung – Version 2.0`.
    pub name: String,
    /// A link to the licence text, only http(s).
    pub url: Option<String>,
}

/// Who publishes a dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publisher {
    /// The publisher's name.
    pub name: String,
    /// A link to the publisher, only http(s).
    pub url: Option<String>,
}

/// One row of the facts list that the widget renders: a label, a text and
/// an optional link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfoLine {
    /// Stable hook for tests and styles: `licence`, `publisher`, `source`,
    /// `modified`, `portal`.
    pub hook: &'static str,
    /// The label, e.g. `Lizenz`.
    pub label: &'static str,
    /// The text, rendered as text.
    pub text: String,
    /// The link target, always an http(s) URL.
    pub url: Option<String>,
    /// For `modified`: the machine-readable date for `<time datetime>`.
    pub datetime: Option<String>,
}

/// The facts about a dataset that the widget shows with the table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DatasetInfo {
    /// The dataset's title.
    pub title: Option<String>,
    /// The licence.
    pub licence: Option<Licence>,
    /// The attribution text that the licence asks for, e.g. `Stadt Musterstadt, Umweltamt`.
    pub attribution: Option<String>,
    /// The publisher.
    pub publisher: Option<Publisher>,
    /// A link to the source of the data, only http(s).
    pub source: Option<String>,
    /// The dataset's page on the portal.
    pub portal_page: Option<String>,
    /// When the data or its description last changed.
    pub last_change: Option<Timestamp>,
}

impl DatasetInfo {
    /// Collects the facts of `package`, with the change date of `resource`
    /// when there is one, and the portal page on `base`.
    pub fn from_package(
        package: &Package,
        resource: Option<&Resource>,
        base: &ApiBase,
    ) -> DatasetInfo {
        let raw = &package.raw;
        let title = non_empty(&package.title)
            .or_else(|| non_empty(&package.name))
            .map(str::to_owned);
        let portal_page = non_empty(&package.name)
            .or_else(|| non_empty(&package.id))
            .map(|name| base.dataset_page_url(name));

        let last_change = resource
            .and_then(|resource| resource.last_modified.as_deref())
            .and_then(Timestamp::parse)
            .or_else(|| dcat_field(raw, "modified").and_then(|text| Timestamp::parse(&text)))
            .or_else(|| {
                string_field(raw, "metadata_modified").and_then(|text| Timestamp::parse(&text))
            });

        DatasetInfo {
            title,
            licence: licence(raw),
            attribution: dcat_field(raw, "licenseAttributionByText"),
            publisher: publisher(raw),
            source: web_url(raw_string(raw, "url")),
            portal_page,
            last_change,
        }
    }

    /// Collects what a resource alone tells, for when `package_show` of its
    /// dataset failed: its name and its change date.
    pub fn from_resource(resource: &Resource) -> DatasetInfo {
        DatasetInfo {
            title: non_empty(&resource.name).map(str::to_owned),
            last_change: resource
                .last_modified
                .as_deref()
                .or(resource.metadata_modified.as_deref())
                .and_then(Timestamp::parse),
            ..DatasetInfo::default()
        }
    }

    /// Returns the facts as labelled lines in `lang`, in the order licence,
    /// attribution, publisher, last change, source, portal page. Facts that
    /// are missing are left out.
    pub fn lines(&self, lang: Lang) -> Vec<InfoLine> {
        let label = |de: &'static str, en: &'static str| match lang {
            Lang::De => de,
            Lang::En => en,
        };
        let mut lines = Vec::new();
        if let Some(licence) = &self.licence {
            lines.push(InfoLine {
                hook: "licence",
                label: label("Lizenz", "Licence"),
                text: licence.name.clone(),
                url: licence.url.clone(),
                datetime: None,
            });
        }
        if let Some(attribution) = &self.attribution {
            lines.push(InfoLine {
                hook: "attribution",
                label: label("Namensnennung", "Attribution"),
                text: attribution.clone(),
                url: None,
                datetime: None,
            });
        }
        if let Some(publisher) = &self.publisher {
            lines.push(InfoLine {
                hook: "publisher",
                label: label("Herausgeber", "Publisher"),
                text: publisher.name.clone(),
                url: publisher.url.clone(),
                datetime: None,
            });
        }
        if let Some(change) = &self.last_change {
            lines.push(InfoLine {
                hook: "modified",
                label: label("Zuletzt geändert", "Last changed"),
                text: change.format(lang),
                url: None,
                datetime: Some(change.datetime_attribute()),
            });
        }
        if let Some(source) = &self.source {
            lines.push(InfoLine {
                hook: "source",
                label: label("Quelle", "Source"),
                text: source.clone(),
                url: Some(source.clone()),
                datetime: None,
            });
        }
        if let Some(page) = &self.portal_page {
            lines.push(InfoLine {
                hook: "portal",
                label: label("Datensatz im Portal", "Dataset on the portal"),
                text: page.clone(),
                url: Some(page.clone()),
                datetime: None,
            });
        }
        lines
    }
}

fn non_empty(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

fn web_url(text: Option<&str>) -> Option<String> {
    let text = text?.trim();
    is_web_url(text).then(|| text.to_owned())
}

/// Returns a DCAT-AP.de field, top-level or from `extras`, cleaned.
fn dcat_field(package: &JsonValue, key: &str) -> Option<String> {
    if let Some(text) = string_field(package, key) {
        return Some(text);
    }
    match package.get("extras")? {
        JsonValue::Array(extras) => extras
            .iter()
            .filter(|extra| raw_string(extra, "key") == Some(key))
            .find_map(|extra| string_field(extra, "value")),
        extras @ JsonValue::Object(_) => string_field(extras, key),
        _ => None,
    }
}

/// Returns a DCAT-AP.de field that must be an http(s) URL.
fn dcat_url(package: &JsonValue, key: &str) -> Option<String> {
    dcat_field(package, key).filter(|text| is_web_url(text))
}

fn publisher(package: &JsonValue) -> Option<Publisher> {
    if let Some(name) = dcat_field(package, "publisher_name") {
        return Some(Publisher {
            name,
            url: dcat_url(package, "publisher_url"),
        });
    }
    let organization = package.get("organization")?;
    let name =
        string_field(organization, "title").or_else(|| string_field(organization, "name"))?;
    Some(Publisher { name, url: None })
}

fn licence(package: &JsonValue) -> Option<Licence> {
    let title = string_field(package, "license_title");
    let id = string_field(package, "license_id");
    let known = id.as_deref().and_then(known_licence);

    let name = title
        .or_else(|| known.map(|(name, _)| name.to_owned()))
        .or_else(|| id.clone())?;
    let url = web_url(raw_string(package, "license_url"))
        .or_else(|| known.map(|(_, url)| url.to_owned()))
        .or_else(|| id.filter(|id| is_web_url(id)));
    Some(Licence { name, url })
}

/// Returns the name and licence page of a licence that German portals use,
/// by CKAN licence id or DCAT-AP.de licence URI. Names are the licences'
/// own, which are not translated.
fn known_licence(id: &str) -> Option<(&'static str, &'static str)> {
    let key = id
        .trim()
        .trim_end_matches('/')
        .rsplit("/def/licenses/")
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let licence = match key.as_str() {
        "dl-by-de/2.0" | "dl-de-by-2.0" => (
            "Datenlizenz Deutschland – Namensnennung – Version 2.0",
            "https://www.govdata.de/dl-de/by-2-0",
        ),
        "dl-zero-de/2.0" | "dl-de-zero-2.0" => (
            "Datenlizenz Deutschland – Zero – Version 2.0",
            "https://www.govdata.de/dl-de/zero-2-0",
        ),
        "cc-by/4.0" | "cc-by-4.0" => (
            "Creative Commons Namensnennung 4.0 International (CC BY 4.0)",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
        "cc-by-sa/4.0" | "cc-by-sa-4.0" => (
            "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0 International (CC BY-SA 4.0)",
            "https://creativecommons.org/licenses/by-sa/4.0/",
        ),
        "cc-zero" | "cc0-1.0" => (
            "Creative Commons Zero 1.0 (CC0 1.0)",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
        "odbl" | "odc-odbl" => (
            "Open Data Commons Open Database License (ODbL)",
            "https://opendatacommons.org/licenses/odbl/",
        ),
        _ => return None,
    };
    Some(licence)
}

/// A point in time as CKAN publishes it, shown as a German-time date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp {
    year: i32,
    month: u8,
    day: u8,
    /// Minutes after midnight in German time, `None` for a date without
    /// time.
    minutes: Option<u16>,
}

impl Timestamp {
    /// Reads `2024-03-05`, `2024-03-05T14:22:31.123456` (UTC, as CKAN
    /// writes it), `…Z`, `…+01:00`, `…+0100`, also with a space for `T`.
    /// Returns `None` for anything else, including impossible dates.
    ///
    /// ```
    /// use ogkit_table::ckan::Timestamp;
    /// use ogkit_table::Lang;
    ///
    /// let summer = Timestamp::parse("2024-06-30T23:30:00").unwrap();
    /// assert_eq!(summer.format(Lang::De), "1. Juli 2024");
    /// assert_eq!(summer.format(Lang::En), "1 July 2024");
    /// ```
    pub fn parse(text: &str) -> Option<Timestamp> {
        let text = text.trim();
        let bytes = text.as_bytes();
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = bytes.get(range)?;
            if !part.iter().all(u8::is_ascii_digit) {
                return None;
            }
            std::str::from_utf8(part).ok()?.parse().ok()
        };
        if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
            return None;
        }
        let year = i32::try_from(number(0..4)?).ok()?;
        let month = u8::try_from(number(5..7)?).ok()?;
        let day = u8::try_from(number(8..10)?).ok()?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        if bytes.len() == 10 {
            return Some(Timestamp {
                year,
                month,
                day,
                minutes: None,
            });
        }
        if !matches!(bytes.get(10), Some(b'T' | b't' | b' ')) || bytes.get(13) != Some(&b':') {
            return None;
        }
        let hour = number(11..13)?;
        let minute = number(14..16)?;
        let mut at = 16;
        if bytes.get(at) == Some(&b':') {
            let second = number(17..19)?;
            if second > 60 {
                return None;
            }
            at = 19;
            if bytes.get(at) == Some(&b'.') {
                at += 1;
                let start = at;
                while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                    at += 1;
                }
                if at == start {
                    return None;
                }
            }
        }
        if hour > 23 || minute > 59 {
            return None;
        }
        let offset = zone_offset(text.get(at..)?)?;

        let utc = days_from_civil(year, month, day) * 1440 + i64::from(hour * 60 + minute)
            - i64::from(offset);
        let local = utc + i64::from(german_offset(utc));
        let (year, month, day) = civil_from_days(local.div_euclid(1440));
        Some(Timestamp {
            year,
            month,
            day,
            minutes: u16::try_from(local.rem_euclid(1440)).ok(),
        })
    }

    /// Returns the date in `lang`: `5. März 2024` or `5 March 2024`.
    pub fn format(&self, lang: Lang) -> String {
        let month = usize::from(self.month - 1);
        match lang {
            Lang::De => format!("{}. {} {}", self.day, GERMAN_MONTHS[month], self.year),
            Lang::En => format!("{} {} {}", self.day, ENGLISH_MONTHS[month], self.year),
        }
    }

    /// Returns the German-time date for a `<time datetime>` attribute:
    /// `2024-03-05`.
    pub fn datetime_attribute(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Returns the German-time hour and minute, when the text had a time.
    pub fn time_of_day(&self) -> Option<(u8, u8)> {
        let minutes = self.minutes?;
        Some(((minutes / 60) as u8, (minutes % 60) as u8))
    }
}

const GERMAN_MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

const ENGLISH_MONTHS: [&str; 12] = [
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

/// Reads the zone after the time: nothing (UTC, as CKAN writes),
/// `Z`, `+hh:mm`, `+hhmm` or `+hh`. Returns the offset in minutes east of
/// UTC.
fn zone_offset(zone: &str) -> Option<i32> {
    if zone.is_empty() || zone == "Z" || zone == "z" {
        return Some(0);
    }
    let sign = match zone.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = zone[1..].chars().filter(|&c| c != ':').collect();
    if !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if hours > 18 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 60 + minutes))
}

/// Returns the offset of German time from UTC in minutes at `utc`
/// (minutes since 1970-01-01 00:00 UTC): 120 from the last Sunday of March
/// 01:00 UTC to the last Sunday of October 01:00 UTC, else 60.
///
/// NOTE: this is the EU rule in force since 1996. Earlier summer times
/// differ by up to a few weeks, which can move a date shown for a change
/// before 1996 by one day.
fn german_offset(utc: i64) -> i32 {
    let (year, _, _) = civil_from_days(utc.div_euclid(1440));
    let start = last_sunday(year, 3) * 1440 + 60;
    let end = last_sunday(year, 10) * 1440 + 60;
    if (start..end).contains(&utc) {
        120
    } else {
        60
    }
}

/// Returns the day number of the last Sunday of `month`.
fn last_sunday(year: i32, month: u8) -> i64 {
    let last = days_from_civil(year, month, days_in_month(year, month));
    // 1970-01-01 was a Thursday, so day 3 was a Sunday.
    let weekday = (last - 3).rem_euclid(7);
    last - weekday
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Returns the number of days from 1970-01-01 to the given date of the
/// proleptic Gregorian calendar. The year is shifted to start in March, so
/// the leap day is the last day of a shifted year and drops out of the
/// month arithmetic.
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (
        i32::try_from(year).unwrap_or(i32::MAX),
        month as u8,
        day as u8,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Option<String> {
        Timestamp::parse(text).map(|timestamp| timestamp.datetime_attribute())
    }

    #[test]
    fn civil_days_round_trip() {
        for days in [-800_000, -1, 0, 1, 59, 365, 10_957, 19_782, 2_932_896] {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(
                days_from_civil(year, month, day),
                days,
                "{year}-{month}-{day}"
            );
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn last_sundays_are_found() {
        assert_eq!(civil_from_days(last_sunday(2024, 3)), (2024, 3, 31));
        assert_eq!(civil_from_days(last_sunday(2024, 10)), (2024, 10, 27));
        assert_eq!(civil_from_days(last_sunday(2025, 3)), (2025, 3, 30));
    }

    #[test]
    fn ckan_utc_becomes_german_date() {
        assert_eq!(
            date("2024-01-15T22:59:59.999999").as_deref(),
            Some("2024-01-15")
        );
        assert_eq!(date("2024-01-15T23:00:00").as_deref(), Some("2024-01-16"));
        assert_eq!(date("2024-06-30T21:59:00").as_deref(), Some("2024-06-30"));
        assert_eq!(date("2024-06-30T22:00:00").as_deref(), Some("2024-07-01"));
        assert_eq!(date("2024-12-31T23:30:00Z").as_deref(), Some("2025-01-01"));
    }

    #[test]
    fn summer_time_switches_at_one_utc() {
        let before = Timestamp::parse("2024-03-31T00:59:00").unwrap();
        assert_eq!(before.time_of_day(), Some((1, 59)));
        let after = Timestamp::parse("2024-03-31T01:00:00").unwrap();
        assert_eq!(after.time_of_day(), Some((3, 0)));
        let autumn = Timestamp::parse("2024-10-27T01:00:00").unwrap();
        assert_eq!(autumn.time_of_day(), Some((2, 0)));
    }

    #[test]
    fn zone_suffixes_are_applied() {
        assert_eq!(
            Timestamp::parse("2024-01-15T08:00:00+01:00")
                .unwrap()
                .time_of_day(),
            Some((8, 0))
        );
        assert_eq!(
            Timestamp::parse("2024-01-15 08:00-0500")
                .unwrap()
                .time_of_day(),
            Some((14, 0))
        );
        assert_eq!(
            Timestamp::parse("2024-01-15T08:00:00+09")
                .unwrap()
                .time_of_day(),
            Some((0, 0))
        );
    }

    #[test]
    fn date_without_time_is_kept() {
        let timestamp = Timestamp::parse("2024-02-29").unwrap();
        assert_eq!(timestamp.time_of_day(), None);
        assert_eq!(timestamp.format(Lang::De), "29. Februar 2024");
    }

    #[test]
    fn invalid_timestamps_are_rejected() {
        for text in [
            "",
            "2024",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-01-32",
            "2024-1-5",
            "24-01-05",
            "05.03.2024",
            "2024-01-05T24:00",
            "2024-01-05T10:60",
            "2024-01-05T10:00:61",
            "2024-01-05T10:00:00.",
            "2024-01-05T10:00:00+25:00",
            "2024-01-05T10:00:00 UTC",
            "2024-01-05X10:00",
            "+12024-01-05",
            "２０２４-01-05",
        ] {
            assert_eq!(Timestamp::parse(text), None, "{text}");
        }
    }

    #[test]
    fn known_licence_by_uri_and_id() {
        assert_eq!(
            known_licence("http://dcat-ap.de/def/licenses/dl-by-de/2.0").map(|(name, _)| name),
            Some("Datenlizenz Deutschland – Namensnennung – Version 2.0")
        );
        assert!(known_licence("CC-BY-4.0").is_some());
        assert_eq!(known_licence("proprietary"), None);
    }
}
