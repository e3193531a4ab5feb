//! Reading cell texts as numbers, dates and yes/no values, and choosing a
//! type for each column.
//!
//! A column gets a type only when every non-empty cell fits it, so one odd
//! value makes the column text instead of silently losing that value. The
//! number notation is decided per column: `1.234,56` is German, `1,234.56`
//! international, and a column where every value fits both (`1.234`)
//! follows the rest of the table, then the delimiter (a comma-separated file
//! is international, anything else German). Integers with a leading zero
//! (`01`, `00288001900`) and more than 15 digits are identifiers and stay
//! text, and so do product codes like `11.1.01`.
//!
//! Statistics offices mark gaps with `-`, `–`, `.`, `x`, `/` or `…`. In a
//! column whose other cells are numbers or dates these count as missing
//! values; elsewhere they are plain text. Cell texts are never changed: the
//! typed value sits beside the original.

use super::message::Lang;

/// Type of a column, decided from all its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Any text; also the type of a column with no values.
    Text,
    /// Whole numbers.
    Integer,
    /// Numbers with a fractional part in at least one cell.
    Decimal,
    /// Numbers with a `%` sign; the value is the number before the sign.
    Percent,
    /// Amounts with `€` or `EUR` in at least one cell.
    Currency,
    /// Calendar dates.
    Date,
    /// Dates where at least one cell has a time of day.
    DateTime,
    /// `ja`/`nein` (also `true`/`false`, `wahr`/`falsch`).
    Boolean,
}

impl ColumnType {
    /// Returns true for the types whose values are numbers.
    pub fn is_number(self) -> bool {
        matches!(
            self,
            ColumnType::Integer | ColumnType::Decimal | ColumnType::Percent | ColumnType::Currency
        )
    }

    /// Returns true for [`ColumnType::Date`] and [`ColumnType::DateTime`].
    pub fn is_date(self) -> bool {
        matches!(self, ColumnType::Date | ColumnType::DateTime)
    }
}

/// Number notation of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notation {
    /// `1.234,56`: dot between thousands, comma before decimals.
    German,
    /// `1,234.56` or `1234.56`.
    International,
}

/// A date with an optional time of day, ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateValue {
    /// Year, e.g. 2024.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
    /// Hour, 0 to 23; 0 when the text has no time.
    pub hour: u8,
    /// Minute, 0 to 59.
    pub minute: u8,
    /// Second, 0 to 59.
    pub second: u8,
    /// True when the text had a time of day.
    pub has_time: bool,
}

impl DateValue {
    /// Returns the same day at midnight without a time.
    pub fn date_only(self) -> DateValue {
        DateValue {
            hour: 0,
            minute: 0,
            second: 0,
            has_time: false,
            ..self
        }
    }

    /// Returns the ISO 8601 form, `2024-01-31` or `2024-01-31T08:30:00`.
    pub fn to_iso(self) -> String {
        if self.has_time {
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                self.year, self.month, self.day, self.hour, self.minute, self.second
            )
        } else {
            format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
        }
    }
}

/// The typed reading of one cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// Empty cell, or a gap marker in a number or date column.
    Missing,
    /// A cell of a text column.
    Text,
    /// A number; percentages are stored as written (`12,5 %` is 12.5).
    Number(f64),
    /// A date, with time when the column has times.
    Date(DateValue),
    /// A yes/no value.
    Bool(bool),
}

/// What a single cell can be read as, before the column decides.
#[derive(Debug, Clone, Copy, PartialEq)]
struct NumberReading {
    german: Option<(f64, bool)>,
    international: Option<(f64, bool)>,
    unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    None,
    Percent,
    Currency,
}

/// Returns true when `text` is empty or only whitespace.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(is_space)
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{A0}' || c == '\u{202F}'
}

fn trim(text: &str) -> &str {
    text.trim_matches(is_space)
}

/// Returns true for the gap markers of official statistics.
pub fn is_gap_marker(text: &str) -> bool {
    matches!(
        trim(text),
        "-" | "–"
            | "—"
            | "."
            | "x"
            | "X"
            | "/"
            | "…"
            | "..."
            | "k.A."
            | "k. A."
            | "n/a"
            | "N/A"
            | "NA"
    )
}

/// Reads `text` as a yes/no value.
pub fn parse_bool(text: &str) -> Option<bool> {
    let text = trim(text);
    const YES: [&str; 3] = ["ja", "true", "wahr"];
    const NO: [&str; 3] = ["nein", "false", "falsch"];
    if YES.iter().any(|word| text.eq_ignore_ascii_case(word)) {
        Some(true)
    } else if NO.iter().any(|word| text.eq_ignore_ascii_case(word)) {
        Some(false)
    } else {
        None
    }
}

/// Reads `text` as a number in the given notation, accepting a sign, `%`
/// and `€`/`EUR`. Use it for numbers typed into a filter as well.
///
/// ```
/// use ogkit_table::{parse_number, Notation};
///
/// assert_eq!(parse_number("1.234,56 €", Notation::German), Some(1234.56));
/// assert_eq!(parse_number("-1,234.5", Notation::International), Some(-1234.5));
/// assert_eq!(parse_number("11.1.01", Notation::German), None);
/// ```
pub fn parse_number(text: &str, notation: Notation) -> Option<f64> {
    let reading = read_number(text)?;
    let value = match notation {
        Notation::German => reading.german,
        Notation::International => reading.international,
    };
    value.map(|(number, _)| number)
}

/// Splits a number cell into its body of digits, points and commas, its
/// sign (true for negative) and its unit, or returns `None` when the cell
/// cannot be a number in either notation.
fn number_body(text: &str) -> Option<(&str, bool, Unit)> {
    // Most cells of a number column are plain digits, points and commas,
    // which the general path below would return unchanged.
    let bytes = text.as_bytes();
    let plain = bytes.iter().all(|&b| b.is_ascii_digit() || b == b'.' || b == b',');
    if plain && bytes.first().is_some_and(u8::is_ascii_digit) && bytes.last().is_some_and(u8::is_ascii_digit) {
        return Some((text, false, Unit::None));
    }

    let mut body = trim(text);
    let mut unit = Unit::None;
    if let Some(rest) = body.strip_suffix('%') {
        body = trim(rest);
        unit = Unit::Percent;
    } else if let Some(rest) = body.strip_suffix('€').or_else(|| body.strip_suffix("EUR")) {
        body = trim(rest);
        unit = Unit::Currency;
    } else if let Some(rest) = body.strip_prefix('€') {
        body = trim(rest);
        unit = Unit::Currency;
    }

    let mut negative = false;
    if let Some(rest) = body.strip_prefix('-').or_else(|| body.strip_prefix('−')) {
        negative = true;
        body = rest;
    } else if let Some(rest) = body.strip_prefix('+') {
        body = rest;
    }
    if unit == Unit::None {
        if let Some(rest) = body.strip_prefix('€') {
            body = trim(rest);
            unit = Unit::Currency;
        }
    }

    let bytes = body.as_bytes();
    let starts_and_ends_with_digit = bytes.first().is_some_and(u8::is_ascii_digit)
        && bytes.last().is_some_and(u8::is_ascii_digit);
    if !starts_and_ends_with_digit
        || !bytes
            .iter()
            .all(|&b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return None;
    }
    Some((body, negative, unit))
}

fn read_number(text: &str) -> Option<NumberReading> {
    let (body, negative, unit) = number_body(text)?;
    let sign = if negative { -1.0 } else { 1.0 };
    let german = read_grouped(body, b'.', b',').map(|(value, fraction)| (sign * value, fraction));
    // Plain digits read the same in both notations.
    let international = if body.bytes().all(|b| b.is_ascii_digit()) {
        german
    } else {
        read_grouped(body, b',', b'.').map(|(value, fraction)| (sign * value, fraction))
    };
    if german.is_none() && international.is_none() {
        return None;
    }
    Some(NumberReading {
        german,
        international,
        unit,
    })
}

/// Reads `text` as a number in one notation only, returning the value,
/// whether it has a fractional part, and its unit. Gives the same value as
/// [`read_number`] in that notation, in about half the work.
fn read_number_in(text: &str, notation: Notation) -> Option<(f64, bool, Unit)> {
    let (body, negative, unit) = number_body(text)?;
    let sign = if negative { -1.0 } else { 1.0 };
    let (group, decimal) = match notation {
        Notation::German => (b'.', b','),
        Notation::International => (b',', b'.'),
    };
    read_grouped(body, group, decimal).map(|(value, fraction)| (sign * value, fraction, unit))
}

/// Reads digits with optional thousands groups and one decimal mark;
/// returns the value and whether it has a fractional part.
///
/// `body` contains only ASCII digits, `.` and `,` ([`number_body`] checks
/// that first). Every cell of a number column passes through here up to
/// three times while a column is typed, so the groups are checked in place
/// and the digits are assembled on the stack instead of in a new `String`.
fn read_grouped(body: &str, group: u8, decimal: u8) -> Option<(f64, bool)> {
    let (integer, fraction) = match body.as_bytes().iter().position(|&b| b == decimal) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    if let Some(fraction) = fraction {
        if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }

    // Split on the byte. In the size-optimised WebAssembly build, a `char`
    // pattern encodes the char and sets up a searcher for every cell.
    let mut groups = integer.as_bytes().split(|&b| b == group);
    let first = groups.next()?;
    if first.is_empty() || !first.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let grouped = first.len() < integer.len();
    if grouped {
        let well_grouped = first.len() <= 3
            && first[0] != b'0'
            && groups.all(|part| part.len() == 3 && part.iter().all(u8::is_ascii_digit));
        if !well_grouped {
            return None;
        }
    } else if first.len() > 1 && first[0] == b'0' {
        return None;
    }

    let digits = integer.bytes().filter(u8::is_ascii_digit);
    let digit_count = digits.clone().count();
    if digit_count > 15 {
        return None;
    }
    let Some(fraction) = fraction else {
        // At most 15 digits fit a u64 and convert to f64 exactly, as
        // parsing the digits as f64 would.
        let value = digits.fold(0u64, |value, digit| value * 10 + u64::from(digit - b'0'));
        return Some((value as f64, false));
    };

    // The decimal text `digits.fraction`, parsed by the standard library so
    // that rounding matches `str::parse::<f64>`.
    let mut buffer = [0u8; 64];
    let length = digit_count + 1 + fraction.len();
    let value: f64 = if length <= buffer.len() {
        for (slot, digit) in buffer.iter_mut().zip(digits) {
            *slot = digit;
        }
        buffer[digit_count] = b'.';
        buffer[digit_count + 1..length].copy_from_slice(fraction.as_bytes());
        std::str::from_utf8(&buffer[..length]).ok()?.parse().ok()?
    } else {
        let mut text: String = digits.map(char::from).collect();
        text.push('.');
        text.push_str(fraction);
        text.parse().ok()?
    };
    Some((value, true))
}

/// Splits `text` at `separator` into exactly three parts, or returns
/// `None` for any other count.
fn three_parts(text: &str, separator: char) -> Option<[&str; 3]> {
    let mut parts = text.split(separator);
    let three = [parts.next()?, parts.next()?, parts.next()?];
    match parts.next() {
        Some(_) => None,
        None => Some(three),
    }
}

/// Reads `text` as a date: `31.12.2024`, `1.2.2024`, `31.12.24`,
/// `2024-12-31`, each optionally followed by a time `hh:mm` or `hh:mm:ss`
/// (after a space, or after `T` for the ISO form).
///
/// Two-digit years 00–68 are 2000–2068 and 69–99 are 1969–1999, as in
/// POSIX `strptime`.
///
/// ```
/// use ogkit_table::parse_date;
///
/// let date = parse_date("13.12.2024 05:19").unwrap();
/// assert_eq!((date.year, date.month, date.day, date.hour, date.minute), (2024, 12, 13, 5, 19));
/// assert!(parse_date("11.1.01").is_none());
/// ```
pub fn parse_date(text: &str) -> Option<DateValue> {
    let text = trim(text);
    let (date_part, separator, time_part) = match text.find([' ', 'T']) {
        Some(at) => (
            &text[..at],
            Some(text.as_bytes()[at]),
            Some(trim(&text[at + 1..])),
        ),
        None => (text, None, None),
    };

    let (year, month, day) = if date_part.contains('-') {
        let parts = three_parts(date_part, '-')?;
        if parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
            return None;
        }
        (number(parts[0])?, number(parts[1])?, number(parts[2])?)
    } else {
        let parts = three_parts(date_part, '.')?;
        if separator == Some(b'T') {
            return None;
        }
        let year = match parts[2].len() {
            4 if (1..=2).contains(&parts[0].len()) && (1..=2).contains(&parts[1].len()) => {
                number(parts[2])?
            }
            2 if parts[0].len() == 2 && parts[1].len() == 2 => {
                let short = number(parts[2])?;
                if short < 69 {
                    2000 + short
                } else {
                    1900 + short
                }
            }
            _ => return None,
        };
        (year, number(parts[1])?, number(parts[0])?)
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }

    let mut value = DateValue {
        year: year as i32,
        month: month as u8,
        day: day as u8,
        hour: 0,
        minute: 0,
        second: 0,
        has_time: false,
    };
    if let Some(time) = time_part {
        let time = time.strip_suffix('Z').unwrap_or(time);
        let parts: Vec<&str> = time.split(':').collect();
        let hour_fits = (1..=2).contains(&parts[0].len());
        if !(2..=3).contains(&parts.len())
            || !hour_fits
            || parts[1..].iter().any(|part| part.len() != 2)
        {
            return None;
        }
        let hour = number(parts[0])?;
        let minute = number(parts[1])?;
        let second = match parts.get(2) {
            Some(part) => number(part)?,
            None => 0,
        };
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        value.hour = hour as u8;
        value.minute = minute as u8;
        value.second = second as u8;
        value.has_time = true;
    }
    Some(value)
}

fn number(digits: &str) -> Option<u32> {
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Source of a cell, which changes how a number text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Text from a CSV file or a JSON string.
    Text,
    /// A JSON number literal: always international notation.
    JsonNumber,
}

/// The outcome of typing one column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Typed {
    pub(crate) kind: ColumnType,
    pub(crate) notation: Option<Notation>,
    pub(crate) values: Vec<Value>,
}

// Column typing works cell by cell, in two passes, so that a long column
// can be typed in steps (see `typing.rs`): a `ColumnScan` looks at every
// cell and decides the type, then a `ValueScan` reads every cell as that
// type. The rules go in this order. A column without any value is text.
// Yes/no in every non-blank cell makes it boolean. Numbers in every cell
// that is neither blank nor a gap marker make it numbers, and dates in all
// those cells (at least one) make it dates. Anything else is text.

/// Notations that the numbers of a column fit, checked cell by cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NotationScan {
    german: bool,
    international: bool,
    seen: bool,
    /// True once a cell was no number: the column is no number column.
    failed: bool,
}

impl NotationScan {
    fn new() -> NotationScan {
        NotationScan { german: true, international: true, seen: false, failed: false }
    }

    fn add(&mut self, cell: &str, origin: Option<Origin>) {
        if self.failed || is_blank(cell) || is_gap_marker(cell) {
            return;
        }
        let Some(reading) = read_number(cell) else {
            self.failed = true;
            return;
        };
        self.seen = true;
        self.german &= reading.german.is_some() && origin != Some(Origin::JsonNumber);
        self.international &= reading.international.is_some();
    }

    /// Returns the notation the numbers must use, `Some(None)` when both
    /// fit, or `None` when a cell is no number or there is no number.
    pub(crate) fn result(&self) -> Option<Option<Notation>> {
        if self.failed {
            return None;
        }
        match (self.seen, self.german, self.international) {
            (false, _, _) | (true, false, false) => None,
            (true, true, true) => Some(None),
            (true, true, false) => Some(Some(Notation::German)),
            (true, false, true) => Some(Some(Notation::International)),
        }
    }
}

/// The type a column gets, before its values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    Text,
    Boolean,
    /// Numbers in this notation; `None` when every value fits both.
    Numbers(Option<Notation>),
    Dates {
        any_time: bool,
    },
}

/// The first pass over a column: what every cell could be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ColumnScan {
    any_value: bool,
    all_bool: bool,
    pub(crate) numbers: NotationScan,
    dates_ok: bool,
    any_date: bool,
    any_time: bool,
}

impl ColumnScan {
    pub(crate) fn new() -> ColumnScan {
        ColumnScan {
            any_value: false,
            all_bool: true,
            numbers: NotationScan::new(),
            dates_ok: true,
            any_date: false,
            any_time: false,
        }
    }

    /// Looks at one cell. Each test stops at the first cell that fails it,
    /// so a column costs little more than its first few cells per test.
    pub(crate) fn add(&mut self, cell: &str, origin: Option<Origin>) {
        if is_blank(cell) {
            return;
        }
        self.any_value = true;
        if self.all_bool && parse_bool(cell).is_none() {
            self.all_bool = false;
        }
        self.numbers.add(cell, origin);
        if self.dates_ok && !is_gap_marker(cell) {
            match parse_date(cell) {
                Some(date) => {
                    self.any_date = true;
                    self.any_time |= date.has_time;
                }
                None => self.dates_ok = false,
            }
        }
    }

    pub(crate) fn decision(&self) -> Decision {
        if !self.any_value {
            Decision::Text
        } else if self.all_bool {
            Decision::Boolean
        } else if let Some(notation) = self.numbers.result() {
            Decision::Numbers(notation)
        } else if self.dates_ok && self.any_date {
            Decision::Dates { any_time: self.any_time }
        } else {
            Decision::Text
        }
    }
}

/// The second pass over a column: every cell read as the decided type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ValueScan {
    decision: Decision,
    notation: Notation,
    values: Vec<Value>,
    fraction: bool,
    percent: bool,
    currency: bool,
}

impl ValueScan {
    /// Starts reading a column of `rows` cells; `fallback` is the notation
    /// for numbers that fit both.
    pub(crate) fn new(decision: Decision, fallback: Notation, rows: usize) -> ValueScan {
        let notation = match decision {
            Decision::Numbers(notation) => notation.unwrap_or(fallback),
            _ => fallback,
        };
        ValueScan {
            decision,
            notation,
            values: Vec::with_capacity(rows),
            fraction: false,
            percent: false,
            currency: false,
        }
    }

    pub(crate) fn add(&mut self, cell: &str) {
        let value = match self.decision {
            Decision::Text if is_blank(cell) => Value::Missing,
            Decision::Text => Value::Text,
            Decision::Boolean => parse_bool(cell).map(Value::Bool).unwrap_or(Value::Missing),
            Decision::Dates { .. } => parse_date(cell).map(Value::Date).unwrap_or(Value::Missing),
            Decision::Numbers(_) => match read_number_in(cell, self.notation) {
                Some((value, has_fraction, unit)) => {
                    self.fraction |= has_fraction;
                    self.percent |= unit == Unit::Percent;
                    self.currency |= unit == Unit::Currency;
                    Value::Number(value)
                }
                None => Value::Missing,
            },
        };
        self.values.push(value);
    }

    /// Returns the typed column, or `None` when it must be read again as
    /// text: a column with both percentages and amounts is no number column.
    pub(crate) fn finish(self) -> Option<Typed> {
        let (kind, notation) = match self.decision {
            Decision::Text => (ColumnType::Text, None),
            Decision::Boolean => (ColumnType::Boolean, None),
            Decision::Dates { any_time: false } => (ColumnType::Date, None),
            Decision::Dates { any_time: true } => (ColumnType::DateTime, None),
            Decision::Numbers(_) => {
                let kind = match (self.percent, self.currency, self.fraction) {
                    (true, true, _) => return None,
                    (true, false, _) => ColumnType::Percent,
                    (false, true, _) => ColumnType::Currency,
                    (false, false, true) => ColumnType::Decimal,
                    (false, false, false) => ColumnType::Integer,
                };
                (kind, Some(self.notation))
            }
        };
        Some(Typed { kind, notation, values: self.values })
    }
}

/// Formats a number for display: `1.234,5` in German, `1,234.5` in
/// English, with as many decimals as the value needs.
///
/// ```
/// use ogkit_table::{format_number, Lang};
///
/// assert_eq!(format_number(9577207.0, Lang::De), "9.577.207");
/// assert_eq!(format_number(-1234.56, Lang::En), "-1,234.56");
/// ```
pub fn format_number(value: f64, lang: Lang) -> String {
    format_digits(&format!("{value}"), lang)
}

/// Formats a number with exactly `decimals` decimals, e.g. amounts with 2.
pub fn format_number_fixed(value: f64, decimals: usize, lang: Lang) -> String {
    format_digits(&format!("{value:.decimals$}"), lang)
}

fn format_digits(plain: &str, lang: Lang) -> String {
    if !plain.bytes().any(|b| b.is_ascii_digit()) {
        return plain.to_owned();
    }
    let (group, decimal) = match lang {
        Lang::De => ('.', ','),
        Lang::En => (',', '.'),
    };
    let (sign, unsigned) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain),
    };
    let (integer, fraction) = match unsigned.split_once('.') {
        Some((integer, fraction)) => (integer, Some(fraction)),
        None => (unsigned, None),
    };

    let mut result = String::with_capacity(plain.len() + plain.len() / 3);
    result.push_str(sign);
    for (position, digit) in integer.chars().enumerate() {
        if position > 0 && (integer.len() - position) % 3 == 0 {
            result.push(group);
        }
        result.push(digit);
    }
    if let Some(fraction) = fraction {
        result.push(decimal);
        result.push_str(fraction);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_zero_integer_is_identifier() {
        assert!(read_number("01").is_none());
        assert!(read_number("00288001900").is_none());
        assert_eq!(parse_number("0", Notation::German), Some(0.0));
        assert_eq!(parse_number("0,5", Notation::German), Some(0.5));
    }

    #[test]
    fn fixed_decimals_are_grouped() {
        assert_eq!(format_number_fixed(1250000.0, 2, Lang::De), "1.250.000,00");
        assert_eq!(format_number_fixed(0.5, 0, Lang::En), "0");
    }

    /// The grouped-number reader as it was before it stopped allocating:
    /// split into a `Vec`, digits joined in a `String`, parsed as f64.
    fn read_grouped_by_allocating(body: &str, group: u8, decimal: u8) -> Option<(f64, bool)> {
        let (integer, fraction) = match body.as_bytes().iter().position(|&b| b == decimal) {
            Some(at) => (&body[..at], Some(&body[at + 1..])),
            None => (body, None),
        };
        if let Some(fraction) = fraction {
            if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
        }
        let groups: Vec<&str> = integer.split(char::from(group)).collect();
        let first = groups.first()?;
        if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if groups.len() > 1 {
            let well_grouped = first.len() <= 3
                && !first.starts_with('0')
                && groups[1..].iter().all(|part| part.len() == 3 && part.bytes().all(|b| b.is_ascii_digit()));
            if !well_grouped {
                return None;
            }
        } else if first.len() > 1 && first.starts_with('0') {
            return None;
        }
        let mut digits: String = groups.concat();
        if digits.len() > 15 {
            return None;
        }
        if let Some(fraction) = fraction {
            digits.push('.');
            digits.push_str(fraction);
        }
        let value: f64 = digits.parse().ok()?;
        Some((value, fraction.is_some()))
    }

    #[test]
    fn grouped_reader_matches_allocating_reader() {
        // Every string of up to 7 characters over these bytes, plus long
        // fractions and integers around the 15-digit limit.
        let alphabet = [b'0', b'1', b'5', b'9', b'.', b','];
        let mut bodies: Vec<String> = vec![String::new()];
        let mut previous = vec![String::new()];
        for _ in 0..7 {
            let mut next = Vec::new();
            for body in &previous {
                for &byte in &alphabet {
                    let mut longer = body.clone();
                    longer.push(char::from(byte));
                    next.push(longer);
                }
            }
            bodies.extend(next.iter().cloned());
            previous = next;
        }
        bodies.push(format!("1,{}", "3".repeat(80)));
        bodies.push(format!("0.{}", "7".repeat(63)));
        bodies.push("999.999.999.999.999,5".to_owned());
        bodies.push("1.999.999.999.999.999".to_owned());
        bodies.push("123456789012345".to_owned());
        bodies.push("1234567890123456".to_owned());
        bodies.push("9.007.199.254.740,993".to_owned());

        for body in &bodies {
            for text in [body.clone(), format!("-{body}"), format!("{body} €"), format!("+{body}%")] {
                let reading = read_number(&text);
                for notation in [Notation::German, Notation::International] {
                    let expected = reading.and_then(|reading| {
                        let chosen = match notation {
                            Notation::German => reading.german,
                            Notation::International => reading.international,
                        };
                        chosen.map(|(value, fraction)| (value, fraction, reading.unit))
                    });
                    assert_eq!(read_number_in(&text, notation), expected, "text {text:?}, {notation:?}");
                }
            }
            if body.bytes().all(|b| b.is_ascii_digit()) {
                assert_eq!(read_grouped(body, b'.', b','), read_grouped(body, b',', b'.'), "body {body:?}");
            }
            // Spaces around the body force the general path of number_body.
            assert_eq!(number_body(body), number_body(&format!(" {body} ")), "body {body:?}");
            for (group, decimal) in [(b'.', b','), (b',', b'.')] {
                assert_eq!(
                    read_grouped(body, group, decimal),
                    read_grouped_by_allocating(body, group, decimal),
                    "body {body:?}, group {}",
                    char::from(group)
                );
            }
        }
    }

    #[test]
    fn dates_need_three_parts() {
        assert!(parse_date("1.2.2024").is_some());
        assert!(parse_date("2024-12-31").is_some());
        assert!(parse_date("1.2").is_none());
        assert!(parse_date("1.2.3.2024").is_none());
        assert!(parse_date("2024-12").is_none());
        assert!(parse_date("2024-12-31-1").is_none());
        assert!(parse_date("31.12.2024T10:00").is_none());
    }

    #[test]
    fn leap_day_is_checked() {
        assert!(parse_date("29.02.2024").is_some());
        assert!(parse_date("29.02.2023").is_none());
        assert!(parse_date("2024-02-30").is_none());
    }
}
