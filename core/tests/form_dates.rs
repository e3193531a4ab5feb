//! Relative date limits: the reference date in the Europe/Berlin calendar,
//! day arithmetic, weekdays, public holidays, and the `x-ogkit` keys that
//! set the limits.

use ogkit_core::form::{message, validate, validate_on, Date, Lang, Schema, SchemaError, ViolationKey};
use ogkit_core::table::parse_json;

fn date(text: &str) -> Date {
    Date::parse_iso(text).expect("an ISO date")
}

/// Seconds since the Unix epoch of a UTC date and time, counted day by day
/// so that the test does not share the arithmetic it checks.
fn utc(day: &str, hour: i64, minute: i64) -> i64 {
    let mut count = 0i64;
    let mut current = date("1970-01-01");
    let target = date(day);
    while current < target {
        current = current.add_days(1).expect("in range");
        count += 1;
    }
    count * 86_400 + hour * 3600 + minute * 60
}

#[test]
fn berlin_date_around_midnight() {
    // (UTC day, hour, minute, date in Berlin)
    let cases = [
        // Winter, UTC+1: the new day starts at 23:00 UTC.
        ("2026-01-14", 22, 59, "2026-01-14"),
        ("2026-01-14", 23, 0, "2026-01-15"),
        ("2026-12-31", 23, 0, "2027-01-01"),
        // Summer, UTC+2: the new day starts at 22:00 UTC.
        ("2026-07-01", 21, 59, "2026-07-01"),
        ("2026-07-01", 22, 0, "2026-07-02"),
        // Change to summer time on 2026-03-29 at 01:00 UTC.
        ("2026-03-28", 22, 59, "2026-03-28"),
        ("2026-03-28", 23, 0, "2026-03-29"),
        ("2026-03-29", 21, 59, "2026-03-29"),
        ("2026-03-29", 22, 0, "2026-03-30"),
        // Back to winter time on 2026-10-25 at 01:00 UTC.
        ("2026-10-24", 21, 59, "2026-10-24"),
        ("2026-10-24", 22, 0, "2026-10-25"),
        ("2026-10-25", 22, 59, "2026-10-25"),
        ("2026-10-25", 23, 0, "2026-10-26"),
        // Leap day.
        ("2028-02-28", 23, 30, "2028-02-29"),
    ];
    for (day, hour, minute, expected) in cases {
        assert_eq!(
            Date::today_in_berlin(utc(day, hour, minute)).to_string(),
            expected,
            "{day} {hour:02}:{minute:02} UTC"
        );
    }
}

#[test]
fn day_arithmetic_and_weekdays() {
    let cases = [
        ("2026-12-05", 0, "2026-12-05", 6),
        ("2026-12-05", 3, "2026-12-08", 2),
        ("2026-12-30", 3, "2027-01-02", 6),
        ("2028-02-27", 3, "2028-03-01", 3),
        ("2026-03-01", -1, "2026-02-28", 6),
        ("2000-02-28", 1, "2000-02-29", 2),
        ("2100-02-28", 1, "2100-03-01", 1),
    ];
    for (start, days, expected, weekday) in cases {
        let result = date(start).add_days(days).expect("in range");
        assert_eq!(result.to_string(), expected, "{start} + {days}");
        assert_eq!(result.weekday(), weekday, "weekday of {expected}");
    }
    assert_eq!(date("9999-12-31").add_days(1), None);
    assert_eq!(date("0001-01-01").add_days(-1), None);
}

const PICKUP: &str = r#"{
  "title": "Abholung",
  "type": "object",
  "properties": { "tag": { "type": "string", "title": "Tag", "format": "date" } },
  "x-ogkit": { "fields": { "tag": LIMITS } }
}"#;

fn schema(limits: &str) -> Result<Schema, SchemaError> {
    Schema::from_json(&PICKUP.replace("LIMITS", limits))
}

fn keys(schema: &Schema, day: &str, today: &str) -> Vec<ViolationKey> {
    let data = parse_json(&format!(r#"{{"tag":"{day}"}}"#)).expect("JSON");
    validate_on(schema, &data, date(today)).iter().map(|violation| violation.key).collect()
}

#[test]
fn not_in_the_past() {
    let schema = schema(r#"{ "min_days_from_today": 0 }"#).expect("valid schema");
    assert_eq!(keys(&schema, "2026-12-04", "2026-12-05"), [ViolationKey::DateTooEarly]);
    assert_eq!(keys(&schema, "2026-12-05", "2026-12-05"), []);
    assert_eq!(keys(&schema, "2030-01-01", "2026-12-05"), []);
    // German input is normalised before the check.
    assert_eq!(keys(&schema, "4.12.2026", "2026-12-05"), [ViolationKey::DateTooEarly]);
}

#[test]
fn window_and_weekdays() {
    let schema = schema(r#"{ "min_days_from_today": 3, "max_days_from_today": 10, "weekdays": [6, 1] }"#)
        .expect("valid schema");
    // 2026-12-05 is a Saturday.
    assert_eq!(keys(&schema, "2026-12-07", "2026-12-05"), [ViolationKey::DateTooEarly]);
    assert_eq!(keys(&schema, "2026-12-08", "2026-12-05"), [ViolationKey::WrongWeekday]);
    assert_eq!(keys(&schema, "2026-12-12", "2026-12-05"), []);
    assert_eq!(keys(&schema, "2026-12-14", "2026-12-05"), []);
    assert_eq!(keys(&schema, "2026-12-15", "2026-12-05"), [ViolationKey::WrongWeekday]);
    assert_eq!(keys(&schema, "2026-12-16", "2026-12-05"), [ViolationKey::DateTooLate, ViolationKey::WrongWeekday]);
    let data = parse_json(r#"{"tag":"2026-12-08"}"#).expect("JSON");
    let violations = validate_on(&schema, &data, date("2026-12-05"));
    assert_eq!(violations[0].param("weekdays"), Some("1,6"));
    assert_eq!(violations[0].param("weekday"), Some("2"));
}

#[test]
fn holidays_of_bavaria_excluded() {
    let schema = schema(r#"{ "min_days_from_today": 0, "weekdays": [1, 2, 3, 4, 5], "exclude_holidays": "DE-BY" }"#)
        .expect("valid schema");
    // Easter Monday 2027 is 29 March; Epiphany, 6 January 2027, a Wednesday.
    assert_eq!(keys(&schema, "2027-03-29", "2026-12-05"), [ViolationKey::PublicHoliday]);
    assert_eq!(keys(&schema, "2027-01-06", "2026-12-05"), [ViolationKey::PublicHoliday]);
    assert_eq!(keys(&schema, "2027-03-30", "2026-12-05"), []);
    // A holiday on a Saturday breaks both rules.
    assert_eq!(keys(&schema, "2026-12-26", "2026-12-05"), [ViolationKey::WrongWeekday, ViolationKey::PublicHoliday]);
    // Reformation Day is no holiday in Bavaria.
    assert_eq!(keys(&schema, "2029-10-31", "2026-12-05"), []);

    let data = parse_json(r#"{"tag":"2027-03-29"}"#).expect("JSON");
    let violations = validate_on(&schema, &data, date("2026-12-05"));
    assert_eq!(violations[0].param("holiday"), Some("ostermontag"));
    assert_eq!(violations[0].param("region"), Some("DE-BY"));
    assert_eq!(
        message(&violations[0], Lang::De),
        "„Tag“ ist ein Feiertag (Ostermontag): Bitte wählen Sie einen anderen Tag."
    );
    assert_eq!(message(&violations[0], Lang::En), "“Tag” is a public holiday (Easter Monday): choose another day.");
}

#[test]
fn nationwide_holidays_only_for_de() {
    let schema = schema(r#"{ "exclude_holidays": "DE" }"#).expect("valid schema");
    assert_eq!(keys(&schema, "2027-10-04", "2026-12-05"), []);
    assert_eq!(keys(&schema, "2027-10-03", "2026-12-05"), [ViolationKey::PublicHoliday]);
    assert_eq!(keys(&schema, "2027-01-06", "2026-12-05"), []);
    assert_eq!(keys(&schema, "2027-05-27", "2026-12-05"), []);

    // The check needs no reference date, so `validate` runs it as well.
    let data = parse_json(r#"{"tag":"2027-10-03"}"#).expect("JSON");
    let found: Vec<ViolationKey> = validate(&schema, &data).iter().map(|violation| violation.key).collect();
    assert_eq!(found, [ViolationKey::PublicHoliday]);
}

#[test]
fn bad_limits_are_rejected() {
    let cases = [
        (r#"{ "min_days_from_today": 1.5 }"#, "/x-ogkit/fields/tag/min_days_from_today"),
        (r#"{ "min_days_from_today": "3" }"#, "/x-ogkit/fields/tag/min_days_from_today"),
        (r#"{ "max_days_from_today": 40000 }"#, "/x-ogkit/fields/tag/max_days_from_today"),
        (r#"{ "min_days_from_today": 5, "max_days_from_today": 2 }"#, "/x-ogkit/fields/tag/max_days_from_today"),
        (r#"{ "weekdays": [] }"#, "/x-ogkit/fields/tag/weekdays"),
        (r#"{ "weekdays": [0] }"#, "/x-ogkit/fields/tag/weekdays/0"),
        (r#"{ "weekdays": [1, 8] }"#, "/x-ogkit/fields/tag/weekdays/1"),
        (r#"{ "weekdays": [1, 1] }"#, "/x-ogkit/fields/tag/weekdays/1"),
        (r#"{ "weekdays": "1-5" }"#, "/x-ogkit/fields/tag/weekdays"),
        (r#"{ "exclude_holidays": "BY" }"#, "/x-ogkit/fields/tag/exclude_holidays"),
        (r#"{ "exclude_holidays": "DE-XX" }"#, "/x-ogkit/fields/tag/exclude_holidays"),
        (r#"{ "exclude_holidays": true }"#, "/x-ogkit/fields/tag/exclude_holidays"),
    ];
    for (limits, expected_path) in cases {
        match schema(limits) {
            Err(SchemaError::Invalid { path, .. }) => assert_eq!(path, expected_path, "{limits}"),
            other => panic!("{limits}: expected an invalid schema, got {other:?}"),
        }
    }
    let text_field = PICKUP.replace(r#", "format": "date""#, "").replace("LIMITS", r#"{ "min_days_from_today": 0 }"#);
    match Schema::from_json(&text_field) {
        Err(SchemaError::Invalid { path, reason }) => {
            assert_eq!(path, "/x-ogkit/fields/tag/min_days_from_today");
            assert!(reason.contains("format"), "{reason}");
        }
        other => panic!("expected an invalid schema, got {other:?}"),
    }
}
