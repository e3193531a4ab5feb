//! The submissions of a form as CSV or JSON, for `ogkit form export` and
//! `GET /api/v1/admin/forms/{id}/export`.
//!
//! JSON keeps every value as submitted (after the core's normalisation).
//!
//! CSV is written for spreadsheets set to German: UTF-8 with a byte order
//! mark (so Excel reads umlauts correctly), `;` between cells, a decimal
//! comma in numbers, and `ja`/`nein` for booleans. Each field is one column
//! named by its path. A field in a group is `adresse.plz`, and an entry of
//! a repeated group is `gegenstaende.1.bezeichnung` (counted from 1). A
//! list of choices is one cell with the values joined by `, `. Columns
//! follow the field order of the current schema. Fields that only older
//! schema versions had come last, in order of first appearance.
//!
//! Submitted text that a spreadsheet would run as a formula (starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, so
//! opening an export cannot execute anything a citizen typed.

use std::cmp::Ordering;
use std::collections::HashMap;

use ogkit_core::form::{Field, JsonValue, Schema};
use ogkit_core::poll::Timestamp;
use ogkit_core::table::parse_json;
use serde::Serialize;

use super::store::{StoredForm, StoredSubmission};

/// Output format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ExportFormat {
    Csv,
    Json,
}

/// Byte order mark that makes spreadsheet programs read the CSV as UTF-8.
const BOM: &str = "\u{feff}";

/// Rank of a path segment that the current schema does not know; such
/// columns sort after the known ones.
const UNKNOWN_RANK: usize = usize::MAX;

#[derive(Serialize)]
struct JsonExport<'a> {
    form_id: &'a str,
    schema_version: i64,
    exported_at: Timestamp,
    submissions: Vec<JsonSubmission<'a>>,
}

#[derive(Serialize)]
struct JsonSubmission<'a> {
    reference: &'a str,
    submission_id: &'a str,
    schema_version: i64,
    received_at: Timestamp,
    #[serde(serialize_with = "ogkit_core::form::value::serialize")]
    data: JsonValue,
}

/// Renders the export; returns the text and its media type.
///
/// NOTE: the whole export is built in memory, which suits tens of
/// thousands of submissions per form, not millions.
///
/// # Errors
///
/// Fails when a stored submission is not valid JSON, which only a damaged
/// database can cause.
pub(crate) fn render(
    form: &StoredForm,
    submissions: &[StoredSubmission],
    format: ExportFormat,
    exported_at: Timestamp,
) -> anyhow::Result<(String, &'static str)> {
    let parsed = parse_data(submissions)?;
    match format {
        ExportFormat::Json => {
            let export = JsonExport {
                form_id: &form.id,
                schema_version: form.version,
                exported_at,
                submissions: submissions
                    .iter()
                    .zip(parsed)
                    .map(|(submission, data)| JsonSubmission {
                        reference: &submission.reference,
                        submission_id: &submission.submission_id,
                        schema_version: submission.schema_version,
                        received_at: submission.received_at,
                        data,
                    })
                    .collect(),
            };
            Ok((serde_json::to_string_pretty(&export)? + "\n", "application/json"))
        }
        ExportFormat::Csv => {
            // A stored schema that no longer parses only loses the column
            // order; the cells are still complete.
            let schema = Schema::from_json(&form.schema).ok();
            let text = render_csv(schema.as_ref(), submissions, &parsed)?;
            Ok((text, "text/csv; charset=utf-8"))
        }
    }
}

fn parse_data(submissions: &[StoredSubmission]) -> anyhow::Result<Vec<JsonValue>> {
    submissions
        .iter()
        .map(|submission| {
            parse_json(&submission.data).map_err(|error| {
                anyhow::anyhow!(
                    "submission {}: the stored data is not valid JSON: line {}, column {}: {}",
                    submission.reference,
                    error.line,
                    error.column,
                    error.reason
                )
            })
        })
        .collect()
}

/// One step of a column path: a property name or a 1-based entry number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Segment {
    Name(String),
    Entry(usize),
}

type Cells = Vec<(Vec<Segment>, String)>;

fn render_csv(
    schema: Option<&Schema>,
    submissions: &[StoredSubmission],
    parsed: &[JsonValue],
) -> anyhow::Result<String> {
    let rows: Vec<Cells> = parsed
        .iter()
        .map(|data| {
            let mut cells = Vec::new();
            flatten(data, &mut Vec::new(), &mut cells);
            cells
        })
        .collect();

    // Columns in order of first appearance, then sorted by the schema.
    let mut columns: Vec<Vec<Segment>> = Vec::new();
    let mut index_of: HashMap<Vec<Segment>, usize> = HashMap::new();
    for cells in &rows {
        for (path, _) in cells {
            if !index_of.contains_key(path) {
                index_of.insert(path.clone(), columns.len());
                columns.push(path.clone());
            }
        }
    }
    let fields = schema.map_or(&[][..], |schema| schema.fields.as_slice());
    let mut ordered: Vec<(Vec<usize>, usize, Vec<Segment>)> = columns
        .into_iter()
        .enumerate()
        .map(|(appearance, path)| (sort_key(fields, &path), appearance, path))
        .collect();
    ordered.sort_by(|left, right| match left.0.cmp(&right.0) {
        Ordering::Equal => left.1.cmp(&right.1),
        other => other,
    });
    let columns: Vec<Vec<Segment>> = ordered.into_iter().map(|(_, _, path)| path).collect();

    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    let mut header = vec!["reference".to_owned(), "received_at".to_owned(), "schema_version".to_owned()];
    header.extend(columns.iter().map(|path| column_name(path)));
    writer.write_record(&header)?;
    for (submission, cells) in submissions.iter().zip(&rows) {
        let by_path: HashMap<&Vec<Segment>, &String> = cells.iter().map(|(path, cell)| (path, cell)).collect();
        let mut record = vec![
            submission.reference.clone(),
            submission.received_at.to_string(),
            submission.schema_version.to_string(),
        ];
        record.extend(columns.iter().map(|path| by_path.get(path).map_or_else(String::new, |cell| (*cell).clone())));
        writer.write_record(&record)?;
    }
    let bytes = writer.into_inner().map_err(|error| anyhow::anyhow!("CSV export failed: {error}"))?;
    Ok(format!("{BOM}{}", String::from_utf8(bytes)?))
}

/// Collects one cell per scalar, with its path. A list whose entries are
/// all scalars is one cell; other lists give one path per entry.
fn flatten(value: &JsonValue, path: &mut Vec<Segment>, cells: &mut Cells) {
    match value {
        JsonValue::Object(members) => {
            for (name, member) in members {
                path.push(Segment::Name(name.clone()));
                flatten(member, path, cells);
                path.pop();
            }
        }
        JsonValue::Array(items) if items.iter().all(is_scalar) => {
            let texts: Vec<String> = items.iter().map(cell_text).collect();
            cells.push((path.clone(), texts.join(", ")));
        }
        JsonValue::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(Segment::Entry(index + 1));
                flatten(item, path, cells);
                path.pop();
            }
        }
        scalar => cells.push((path.clone(), cell_text(scalar))),
    }
}

fn is_scalar(value: &JsonValue) -> bool {
    !matches!(value, JsonValue::Object(_) | JsonValue::Array(_))
}

/// Returns the text of a scalar for a German spreadsheet.
fn cell_text(value: &JsonValue) -> String {
    match value {
        JsonValue::Null => String::new(),
        JsonValue::Bool(true) => "ja".to_owned(),
        JsonValue::Bool(false) => "nein".to_owned(),
        JsonValue::Number(literal) => literal.replace('.', ","),
        JsonValue::String(text) => defuse_formula(text),
        // Not reached through `flatten`, which splits lists and objects.
        JsonValue::Array(_) | JsonValue::Object(_) => ogkit_core::form::value::to_json(value),
    }
}

/// Prefixes text that a spreadsheet would run as a formula with `'`.
fn defuse_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn column_name(path: &[Segment]) -> String {
    let parts: Vec<String> = path
        .iter()
        .map(|segment| match segment {
            Segment::Name(name) => name.clone(),
            Segment::Entry(number) => number.to_string(),
        })
        .collect();
    parts.join(".")
}

/// Returns the sort key of a column: per segment, the field's position in
/// the schema or the entry number. Entries of a repeated group thus stay
/// together, field by field.
fn sort_key(fields: &[Field], path: &[Segment]) -> Vec<usize> {
    let mut key = Vec::with_capacity(path.len());
    let mut current: Option<&[Field]> = Some(fields);
    for segment in path {
        match segment {
            Segment::Entry(number) => key.push(*number),
            Segment::Name(name) => {
                let found = current.and_then(|fields| fields.iter().position(|field| field.name == *name));
                match found {
                    Some(position) => {
                        key.push(position);
                        current = current.and_then(|fields| fields[position].children());
                    }
                    None => {
                        key.push(UNKNOWN_RANK);
                        current = None;
                    }
                }
            }
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = r#"{
        "type": "object",
        "properties": {
            "name": { "type": "string", "title": "Name" },
            "adresse": {
                "type": "object",
                "properties": {
                    "strasse": { "type": "string" },
                    "plz": { "type": "string", "format": "plz" }
                }
            },
            "gegenstaende": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "bezeichnung": { "type": "string" },
                        "anzahl": { "type": "integer" }
                    }
                }
            },
            "tage": { "type": "array", "items": { "type": "string", "enum": ["mo", "di", "mi"] } },
            "gewicht": { "type": "number" },
            "einverstanden": { "type": "boolean" }
        }
    }"#;

    fn form() -> StoredForm {
        StoredForm { id: "sperrmuell".to_owned(), version: 2, schema: SCHEMA.to_owned() }
    }

    fn submission(reference: &str, data: &str) -> StoredSubmission {
        StoredSubmission {
            reference: reference.to_owned(),
            submission_id: format!("submission-id-of-{reference}"),
            schema_version: 1,
            received_at: Timestamp(1_767_225_600),
            data: data.to_owned(),
        }
    }

    fn csv_lines(submissions: &[StoredSubmission]) -> Vec<String> {
        let (text, media_type) =
            render(&form(), submissions, ExportFormat::Csv, Timestamp(1_767_225_600)).expect("the export renders");
        assert_eq!(media_type, "text/csv; charset=utf-8");
        assert!(text.starts_with(BOM), "the CSV starts with a byte order mark");
        text.trim_start_matches(BOM).lines().map(str::to_owned).collect()
    }

    #[test]
    fn columns_follow_schema_order() {
        let lines = csv_lines(&[
            submission(
                "OG-2026-000001",
                r#"{"einverstanden":true,"tage":["mo","mi"],"gegenstaende":[{"anzahl":2,"bezeichnung":"Sofa"},{"bezeichnung":"Tisch"}],"adresse":{"plz":"12345","strasse":"Hauptstr. 1"},"name":"Erika"}"#,
            ),
            submission("OG-2026-000002", r#"{"name":"Max","gewicht":12.5,"alt":"x"}"#),
        ]);
        assert_eq!(
            lines[0],
            "reference;received_at;schema_version;name;adresse.strasse;adresse.plz;\
             gegenstaende.1.bezeichnung;gegenstaende.1.anzahl;gegenstaende.2.bezeichnung;\
             tage;gewicht;einverstanden;alt"
        );
        assert_eq!(
            lines[1],
            "OG-2026-000001;2026-01-01T00:00:00Z;1;Erika;Hauptstr. 1;12345;Sofa;2;Tisch;mo, mi;;ja;"
        );
        assert_eq!(lines[2], "OG-2026-000002;2026-01-01T00:00:00Z;1;Max;;;;;;;12,5;;x");
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn formulas_are_defused() {
        let cases = [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+49 30 1234", "'+49 30 1234"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("Müller; Meier", "Müller; Meier"),
        ];
        for (text, expected) in cases {
            let data = serde_json::json!({ "name": text }).to_string();
            let lines = csv_lines(&[submission("OG-2026-000001", &data)]);
            let text = lines.join("\n");
            let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.as_bytes());
            let record = reader.records().next().expect("one row").expect("a valid row");
            assert_eq!(record.get(3), Some(expected), "{text:?}");
        }
    }

    #[test]
    fn json_keeps_values_and_order() {
        let submissions = [submission("OG-2026-000001", r#"{"name":"Erika","gewicht":12.5,"tage":["mo"]}"#)];
        let (text, media_type) =
            render(&form(), &submissions, ExportFormat::Json, Timestamp(1_767_225_600)).expect("the export renders");
        assert_eq!(media_type, "application/json");
        let export: serde_json::Value = serde_json::from_str(&text).expect("the export is JSON");
        assert_eq!(export["form_id"], "sperrmuell");
        assert_eq!(export["schema_version"], 2);
        assert_eq!(export["exported_at"], "2026-01-01T00:00:00Z");
        let first = &export["submissions"][0];
        assert_eq!(first["reference"], "OG-2026-000001");
        assert_eq!(first["data"]["gewicht"], 12.5);
        assert_eq!(first["data"]["tage"][0], "mo");
        assert!(text.find("\"name\"") < text.find("\"gewicht\""), "member order is kept: {text}");
    }
}
