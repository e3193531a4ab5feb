//! The chart view: bars for a category column against a number column, a
//! line for a date column against a number column, drawn as SVG.
//!
//! The chart sums the number column per category (or per date) over the
//! rows that pass the search and the filters, so it always shows what the
//! table below it lists. The table stays the accessible form of the data:
//! the SVG is one image with a `<title>` and a `<desc>` that names the
//! largest value or the range, and it points readers to the table.
//! Colours come from classes in `ogkit.css`; the SVG carries only
//! presentation attributes such as `x` and `width`, never `style`.

use ogkit_core::table::{format_number, ColumnType, DateValue, Table, Value};
use yew::prelude::*;

use super::text::{self, core_lang};
use crate::i18n::Lang;

/// Most bars drawn; further categories are named in the description.
pub const MAX_BARS: usize = 25;

/// Most points drawn with a marker; a longer line has none.
const MAX_MARKERS: usize = 60;

/// One bar: a category and the sum of its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Category text as in the table (trimmed).
    pub label: String,
    /// Sum of the number column over the category's rows.
    pub value: f64,
}

/// The bars of a chart and how many categories there were in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    /// At most [`MAX_BARS`] bars, in the order the categories first occur.
    pub bars: Vec<Bar>,
    /// Number of distinct categories with a value.
    pub categories: usize,
}

/// One point of a line: a date and the sum of its values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// The date (with time for date-time columns).
    pub date: DateValue,
    /// Sum of the number column over the rows of that date.
    pub value: f64,
}

/// Returns true when `kind` can be the category or date axis.
pub fn is_axis_column(kind: ColumnType) -> bool {
    matches!(kind, ColumnType::Text | ColumnType::Boolean | ColumnType::Integer) || kind.is_date()
}

/// Returns the default chart columns: the first date column (else the
/// first text column, else the first identifier column such as a year)
/// and the first other number column that is no identifier, preferring
/// one that is no code either. A code is a whole-number column with at
/// most `max_codes` distinct values, such as a district number: its sum
/// means nothing.
pub fn default_columns(table: &Table, max_codes: usize) -> Option<(usize, usize)> {
    let visible = table.visible_columns();
    let kind = |column: usize| table.columns()[column].kind();
    let x = visible
        .iter()
        .copied()
        .find(|&column| kind(column).is_date())
        .or_else(|| visible.iter().copied().find(|&column| kind(column) == ColumnType::Text))
        .or_else(|| visible.iter().copied().find(|&column| table.columns()[column].is_identifier()))?;
    let numbers: Vec<usize> = visible
        .iter()
        .copied()
        .filter(|&column| column != x && kind(column).is_number() && !table.columns()[column].is_identifier())
        .collect();
    let is_code =
        |column: usize| kind(column) == ColumnType::Integer && table.distinct_values(column, max_codes).is_some();
    let y = numbers.iter().copied().find(|&column| !is_code(column)).or_else(|| numbers.first().copied())?;
    Some((x, y))
}

/// Sums column `y` per category of column `x` over `rows`, in the order in
/// which the categories first occur. Rows without a number are skipped.
pub fn bars(table: &Table, rows: &[usize], x: usize, y: usize) -> Bars {
    let mut sums: Vec<Bar> = Vec::new();
    let mut positions = std::collections::HashMap::new();
    for &row in rows {
        let Value::Number(value) = table.value(row, y) else { continue };
        let label = table.text(row, x).trim();
        match positions.get(label) {
            Some(&position) => {
                let bar: &mut Bar = &mut sums[position];
                bar.value += value;
            }
            None => {
                positions.insert(label, sums.len());
                sums.push(Bar { label: label.to_string(), value });
            }
        }
    }
    let categories = sums.len();
    sums.truncate(MAX_BARS);
    Bars { bars: sums, categories }
}

/// Sums column `y` per date of column `x` over `rows`, sorted by date.
pub fn points(table: &Table, rows: &[usize], x: usize, y: usize) -> Vec<Point> {
    let mut points: Vec<Point> = Vec::new();
    for &row in rows {
        let (Value::Date(date), Value::Number(value)) = (table.value(row, x), table.value(row, y)) else { continue };
        points.push(Point { date, value });
    }
    points.sort_by_key(|point| point.date);
    let mut merged: Vec<Point> = Vec::with_capacity(points.len());
    for point in points {
        match merged.last_mut() {
            Some(last) if last.date == point.date => last.value += point.value,
            _ => merged.push(point),
        }
    }
    merged
}

/// Returns the number of days from 1970-01-01 to `date`, with the time of
/// day as a fraction, so dates can be placed on a linear axis.
pub fn day_number(date: DateValue) -> f64 {
    // Days from civil date, after Howard Hinnant's public-domain algorithm.
    let year = i64::from(date.year) - i64::from(date.month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(date.month);
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(date.day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    let seconds = f64::from(date.hour) * 3600.0 + f64::from(date.minute) * 60.0 + f64::from(date.second);
    days as f64 + seconds / 86_400.0
}

/// Returns a date as the reader's language writes it.
pub fn date_label(date: DateValue, lang: Lang) -> String {
    match lang {
        Lang::De => format!("{:02}.{:02}.{:04}", date.day, date.month, date.year),
        Lang::En => format!("{:04}-{:02}-{:02}", date.year, date.month, date.day),
    }
}

/// Maps `value` from `[low, high]` onto `[start, end]`; the middle when
/// the domain is empty.
pub fn scale(value: f64, low: f64, high: f64, start: f64, end: f64) -> f64 {
    if high <= low {
        return (start + end) / 2.0;
    }
    start + (value - low) / (high - low) * (end - start)
}

/// Cuts `label` to `max` characters, with an ellipsis when it was longer.
pub fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        return label.to_string();
    }
    let mut short: String = label.chars().take(max.saturating_sub(1)).collect();
    short.push('…');
    short
}

fn number(value: f64, lang: Lang) -> String {
    // Sums of decimals pick up binary noise (0.1 + 0.2); six decimals are
    // more than any published figure has.
    let rounded = (value * 1e6).round() / 1e6;
    format_number(rounded, core_lang(lang))
}

const WIDTH: f64 = 640.0;

fn with_note(description: String, note: &str) -> String {
    if note.is_empty() {
        description
    } else {
        format!("{} {note}", description.trim_end())
    }
}

/// Draws the bar chart. `ids` are the ids of the title and description,
/// and a non-empty `note` ends the description.
pub fn bar_chart(bars: &Bars, title: &str, ids: (&str, &str), note: &str, lang: Lang) -> Html {
    const LABEL_WIDTH: f64 = 190.0;
    const VALUE_WIDTH: f64 = 100.0;
    const ROW: f64 = 28.0;
    const BAR: f64 = 18.0;
    let height = ROW * bars.bars.len() as f64 + 16.0;
    let low = bars.bars.iter().map(|bar| bar.value).fold(0.0_f64, f64::min);
    let high = bars.bars.iter().map(|bar| bar.value).fold(0.0_f64, f64::max);
    let x = |value: f64| scale(value, low, high, LABEL_WIDTH, WIDTH - VALUE_WIDTH);
    let largest = bars
        .bars
        .iter()
        .max_by(|a, b| a.value.total_cmp(&b.value))
        .map(|bar| (bar.label.clone(), number(bar.value, lang)));
    let description = text::chart_bar_description(
        bars.bars.len(),
        bars.categories,
        largest.as_ref().map(|(label, value)| (label.as_str(), value.as_str())),
        lang,
    );

    html! {
        <svg class="og-table__chart-svg" viewBox={ format!("0 0 {WIDTH} {height}") } role="img"
            aria-labelledby={ format!("{} {}", ids.0, ids.1) } data-og-chart="bar">
            <title id={ ids.0.to_string() }>{ title }</title>
            <desc id={ ids.1.to_string() }>{ with_note(description, note) }</desc>
            <line class="og-table__chart-axis" x1={ x(0.0).to_string() } x2={ x(0.0).to_string() }
                y1="4" y2={ (height - 4.0).to_string() } />
            { for bars.bars.iter().enumerate().map(|(position, bar)| {
                let top = 8.0 + ROW * position as f64;
                let start = x(bar.value.min(0.0));
                let end = x(bar.value.max(0.0));
                let value = number(bar.value, lang);
                let label = if bar.label.is_empty() { text::empty_value(lang).to_string() } else { bar.label.clone() };
                html! {
                    <g class="og-table__chart-bar" data-og-bar="">
                        <title>{ format!("{label}: {value}") }</title>
                        <text class="og-table__chart-label" x={ (LABEL_WIDTH - 8.0).to_string() }
                            y={ (top + BAR / 2.0).to_string() } text-anchor="end" dominant-baseline="central">
                            { shorten(&label, 28) }
                        </text>
                        <rect class="og-table__chart-mark" x={ start.to_string() } y={ top.to_string() }
                            width={ (end - start).max(1.0).to_string() } height={ BAR.to_string() } />
                        <text class="og-table__chart-value" x={ (end + 4.0).to_string() }
                            y={ (top + BAR / 2.0).to_string() } dominant-baseline="central">
                            { value }
                        </text>
                    </g>
                }
            }) }
        </svg>
    }
}

/// Draws the line chart. `ids` are the ids of the title and description,
/// and a non-empty `note` ends the description.
pub fn line_chart(points: &[Point], title: &str, ids: (&str, &str), note: &str, lang: Lang) -> Html {
    const HEIGHT: f64 = 320.0;
    const LEFT: f64 = 96.0;
    const RIGHT: f64 = 24.0;
    const TOP: f64 = 16.0;
    const BOTTOM: f64 = 40.0;
    let (Some(first), Some(last)) = (points.first(), points.last()) else { return Html::default() };
    let (t0, t1) = (day_number(first.date), day_number(last.date));
    let low = points.iter().map(|point| point.value).fold(f64::INFINITY, f64::min);
    let high = points.iter().map(|point| point.value).fold(f64::NEG_INFINITY, f64::max);
    let x = |date: DateValue| scale(day_number(date), t0, t1, LEFT, WIDTH - RIGHT);
    let y = |value: f64| scale(value, low, high, HEIGHT - BOTTOM, TOP);

    let mut path = String::new();
    for (position, point) in points.iter().enumerate() {
        path.push_str(if position == 0 { "M" } else { " L" });
        path.push_str(&format!("{:.1} {:.1}", x(point.date), y(point.value)));
    }
    let description = text::chart_line_description(
        points.len(),
        &date_label(first.date, lang),
        &date_label(last.date, lang),
        &number(low, lang),
        &number(high, lang),
        lang,
    );
    let baseline = HEIGHT - BOTTOM;

    html! {
        <svg class="og-table__chart-svg" viewBox={ format!("0 0 {WIDTH} {HEIGHT}") } role="img"
            aria-labelledby={ format!("{} {}", ids.0, ids.1) } data-og-chart="line">
            <title id={ ids.0.to_string() }>{ title }</title>
            <desc id={ ids.1.to_string() }>{ with_note(description, note) }</desc>
            <line class="og-table__chart-axis" x1={ LEFT.to_string() } x2={ LEFT.to_string() }
                y1={ TOP.to_string() } y2={ baseline.to_string() } />
            <line class="og-table__chart-axis" x1={ LEFT.to_string() } x2={ (WIDTH - RIGHT).to_string() }
                y1={ baseline.to_string() } y2={ baseline.to_string() } />
            <text class="og-table__chart-label" x={ (LEFT - 8.0).to_string() } y={ y(high).to_string() }
                text-anchor="end" dominant-baseline="central">{ number(high, lang) }</text>
            <text class="og-table__chart-label" x={ (LEFT - 8.0).to_string() } y={ y(low).to_string() }
                text-anchor="end" dominant-baseline="central">{ number(low, lang) }</text>
            <text class="og-table__chart-label" x={ LEFT.to_string() } y={ (baseline + 24.0).to_string() }
                text-anchor="start">{ date_label(first.date, lang) }</text>
            <text class="og-table__chart-label" x={ (WIDTH - RIGHT).to_string() } y={ (baseline + 24.0).to_string() }
                text-anchor="end">{ date_label(last.date, lang) }</text>
            <path class="og-table__chart-line" d={ path } fill="none" />
            if points.len() <= MAX_MARKERS {
                { for points.iter().map(|point| html! {
                    <circle class="og-table__chart-point" cx={ format!("{:.1}", x(point.date)) }
                        cy={ format!("{:.1}", y(point.value)) } r="3.5">
                        <title>{ format!("{}: {}", date_label(point.date, lang), number(point.value, lang)) }</title>
                    </circle>
                }) }
            }
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use ogkit_core::table::{parse_date, read_csv, CsvOptions};

    use super::*;

    fn table() -> Table {
        let csv = "Bezirk;Datum;Betrag\nMitte;01.01.2024;10\nNord;01.01.2024;5\nMitte;02.01.2024;2,5\nSüd;02.01.2024;-\n";
        read_csv(csv.as_bytes(), &CsvOptions::default()).table
    }

    #[test]
    fn bars_sum_per_category() {
        let table = table();
        let bars = bars(&table, &[0, 1, 2, 3], 0, 2);
        assert_eq!(bars.categories, 2);
        assert_eq!(bars.bars, [Bar { label: "Mitte".into(), value: 12.5 }, Bar { label: "Nord".into(), value: 5.0 }]);
    }

    #[test]
    fn bars_follow_row_order() {
        let table = table();
        let bars = bars(&table, &[1, 0], 0, 2);
        assert_eq!(bars.bars[0].label, "Nord");
    }

    #[test]
    fn points_sum_per_date() {
        let table = table();
        let points = points(&table, &[2, 1, 0, 3], 1, 2);
        assert_eq!(points.len(), 2);
        assert_eq!(points[0].value, 15.0);
        assert_eq!(points[1].value, 2.5);
    }

    #[test]
    fn default_columns_prefer_dates() {
        assert_eq!(default_columns(&table(), 12), Some((1, 2)));
        let text_only = read_csv(b"A;B\nx;y\n", &CsvOptions::default()).table;
        assert_eq!(default_columns(&text_only, 12), None);
    }

    #[test]
    fn default_value_is_no_code() {
        let csv = "Bezirk;Name;Betrag\n1;Mitte;10\n2;Nord;20\n1;Mitte;30\n";
        let table = read_csv(csv.as_bytes(), &CsvOptions::default()).table;
        assert_eq!(default_columns(&table, 2), Some((1, 2)));
    }

    #[test]
    fn years_are_an_axis_not_a_value() {
        let csv = "Jahr;PLZ;Einwohner\n2023;50667;1234\n2024;10115;1250\n";
        let table = read_csv(csv.as_bytes(), &CsvOptions::default()).table;
        assert_eq!(default_columns(&table, 12), Some((0, 2)));
        // Only identifiers: nothing to add up, so no chart.
        let only_years = read_csv(b"Jahr;PLZ\n2023;50667\n2024;10115\n", &CsvOptions::default()).table;
        assert_eq!(default_columns(&only_years, 12), None);
    }

    #[test]
    fn day_numbers_are_linear() {
        let day = |text: &str| day_number(parse_date(text).expect("date"));
        assert_eq!(day("1970-01-01"), 0.0);
        assert_eq!(day("2000-03-01") - day("2000-02-28"), 2.0);
        assert_eq!(day("01.01.2024 12:00"), day("2024-01-01") + 0.5);
    }

    #[test]
    fn scale_handles_empty_domain() {
        assert_eq!(scale(5.0, 0.0, 10.0, 0.0, 100.0), 50.0);
        assert_eq!(scale(3.0, 3.0, 3.0, 0.0, 100.0), 50.0);
    }

    #[test]
    fn long_labels_are_shortened() {
        assert_eq!(shorten("Innenstadt", 28), "Innenstadt");
        assert_eq!(shorten("abcdef", 4), "abc…");
    }
}
