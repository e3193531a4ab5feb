//! Pages of a CKAN DataStore resource: the `datastore_search` request and
//! its result.
//!
//! The request carries `resource_id`, `limit`, `offset`, and optionally
//! `sort` (`"Bezirk" asc, "_id" asc`), `q` (full text over all fields, or a
//! JSON object of field and text) and `filters` (a JSON object of field and
//! exact value, or list of values). CKAN splits `sort` at commas and strips
//! one pair of double quotes around a name, so a field whose name contains
//! a comma or a double quote cannot be sorted by; such a name is rejected
//! here rather than sent as a request that fails or sorts by the wrong field.
//!
//! The result holds `fields` (id and type of each column, `_id` first),
//! `records`, `total` (matching rows, possibly estimated when
//! `total_was_estimated` is true), `offset` and `limit`. A site may cap
//! `limit` below the requested value (`ckan.datastore.search.rows_max`,
//! 32000 by default), which is why paging follows
//! the records actually received (as
//! [`datastore_next_offset`](super::super::datastore_next_offset) does) and
//! not the requested limit.
//!
//! [`DatastoreRequest::for_query`] turns the widget's [`Query`] into a
//! request. What `datastore_search` cannot do is left out and reported as a
//! [`CkanNote`]: number and date ranges (the API matches exact values only),
//! and a column text filter together with a search over all columns (`q` is
//! either a text or an object, not both).

use super::super::infer::{parse_bool, parse_date, parse_number, DateValue};
use super::super::json::{read_json_value, result_next_offset, write_string, JsonValue};
use super::super::view::{ColumnFilter, Query};
use super::super::{unique_names, ColumnType, Loaded, Notation, RawTable};
use super::package::string_field;
use super::url::{percent_encode, ApiBase};
use super::Lang;
use super::{clean_text, CkanError, CkanKey, CkanNote};

/// The largest `limit` sent, CKAN's default for
/// `ckan.datastore.search.rows_max`.
pub const MAX_LIMIT: u64 = 32_000;

/// A column of a DataStore resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatastoreField {
    /// The field name as the server knows it; requests use it unchanged.
    pub id: String,
    /// CKAN's type name as published (`int`, `numeric`, `text`,
    /// `timestamp`, …), or the Data Dictionary's `type_override`.
    pub ckan_type: String,
    /// The table's column type for `ckan_type`.
    pub kind: ColumnType,
    /// The Data Dictionary label (`info.label`), when the publisher gave
    /// one, for the column header.
    pub label: Option<String>,
}

impl DatastoreField {
    fn from_json(value: &JsonValue) -> Option<DatastoreField> {
        let JsonValue::String(id) = value.get("id")? else {
            return None;
        };
        if id.is_empty() {
            return None;
        }
        let info = value.get("info");
        let ckan_type = info
            .and_then(|info| string_field(info, "type_override"))
            .or_else(|| string_field(value, "type"))
            .unwrap_or_else(|| "text".to_owned());
        Some(DatastoreField {
            id: id.clone(),
            kind: column_type_for(&ckan_type),
            ckan_type,
            label: info.and_then(|info| string_field(info, "label")),
        })
    }

    /// Returns true for CKAN's internal row number, which the table hides.
    pub fn is_internal(&self) -> bool {
        self.id == "_id"
    }
}

/// Maps a CKAN DataStore type (a PostgreSQL type name) to a column type.
/// Unknown types, arrays (`_text`) and JSON are text.
///
/// ```
/// use ogkit_table::ckan::column_type_for;
/// use ogkit_table::ColumnType;
///
/// assert_eq!(column_type_for("int4"), ColumnType::Integer);
/// assert_eq!(column_type_for("timestamp"), ColumnType::DateTime);
/// ```
pub fn column_type_for(ckan_type: &str) -> ColumnType {
    match ckan_type.trim().to_ascii_lowercase().as_str() {
        "int" | "int2" | "int4" | "int8" | "integer" | "bigint" | "smallint" | "serial"
        | "bigserial" => ColumnType::Integer,
        "numeric" | "float" | "float4" | "float8" | "real" | "double precision" | "decimal"
        | "number" => ColumnType::Decimal,
        "money" => ColumnType::Currency,
        "date" => ColumnType::Date,
        "timestamp"
        | "timestamptz"
        | "timestamp without time zone"
        | "timestamp with time zone" => ColumnType::DateTime,
        "bool" | "boolean" => ColumnType::Boolean,
        _ => ColumnType::Text,
    }
}

/// One decoded `datastore_search` result.
#[derive(Debug, Clone, PartialEq)]
pub struct DatastorePage {
    /// The resource's fields in server order, `_id` included.
    pub fields: Vec<DatastoreField>,
    /// The number of rows that match the request.
    pub total: u64,
    /// True when the server estimated `total` instead of counting.
    pub total_was_estimated: bool,
    /// The offset of the first record of this page.
    pub offset: u64,
    /// The records of this page as a table; its columns follow `fields`,
    /// and `_id` is hidden.
    pub loaded: Loaded,
    /// The offset of the next page, or `None` on the last page.
    pub next_offset: Option<u64>,
}

impl DatastorePage {
    /// Reads the `result` of `datastore_search` (as returned by
    /// [`decode_response`](super::decode_response)).
    ///
    /// # Errors
    ///
    /// [`CkanKey::ResultInvalid`] when `records` is no list, `fields` is no
    /// list, or `total` is no whole number that fits 64 bits. `offset`
    /// defaults to 0.
    pub fn from_result(result: &JsonValue) -> Result<DatastorePage, CkanError> {
        let invalid = |field: &str, expected: &str| {
            CkanError::new(CkanKey::ResultInvalid)
                .with("field", field)
                .with("expected", expected)
        };
        let Some(JsonValue::Array(records)) = result.get("records") else {
            return Err(invalid("records", "list"));
        };
        let fields: Vec<DatastoreField> = match result.get("fields") {
            Some(JsonValue::Array(items)) => {
                items.iter().filter_map(DatastoreField::from_json).collect()
            }
            None => Vec::new(),
            Some(_) => return Err(invalid("fields", "list")),
        };
        let total = result
            .get("total")
            .and_then(JsonValue::as_u64)
            .ok_or_else(|| invalid("total", "whole number"))?;
        let offset = match result.get("offset") {
            None | Some(JsonValue::Null) => 0,
            Some(value) => value
                .as_u64()
                .ok_or_else(|| invalid("offset", "whole number"))?,
        };
        let total_was_estimated = matches!(
            result.get("total_was_estimated"),
            Some(JsonValue::Bool(true))
        );

        // The result itself has `records` and `fields` side by side, the
        // shape that the JSON reader takes as a CKAN DataStore response.
        let loaded = if records.is_empty() {
            empty_table(&fields)
        } else {
            read_json_value(result)
        };
        let next_offset = result_next_offset(result);

        Ok(DatastorePage {
            fields,
            total,
            total_was_estimated,
            offset,
            loaded,
            next_offset,
        })
    }

    /// Returns a note for the widget when `total` is an estimate.
    pub fn total_note(&self) -> Option<CkanNote> {
        self.total_was_estimated
            .then(|| CkanNote::new(CkanKey::TotalEstimated).with("total", self.total))
    }
}

/// The table of a page without records: the columns of `fields` and no
/// rows, so the widget keeps its header when a filter matches nothing.
fn empty_table(fields: &[DatastoreField]) -> Loaded {
    let names: Vec<String> = fields.iter().map(|field| field.id.clone()).collect();
    let mut issues = Vec::new();
    let unique = unique_names(&names, None, &mut issues);
    let mut raw = RawTable::with_names(unique);
    for (position, field) in fields.iter().enumerate() {
        raw.hidden[position] = field.is_internal();
    }
    Loaded {
        table: raw.into_table(Notation::International),
        issues,
        complete: true,
        encoding: None,
        delimiter: None,
        header_line: None,
    }
}

/// One sort criterion of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortField {
    /// The field name.
    pub field: String,
    /// True for descending order.
    pub descending: bool,
}

/// The full-text part (`q`) of a request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FullText {
    /// No full-text search.
    #[default]
    None,
    /// Words searched in every field (`q` as text).
    All(String),
    /// Words searched in single fields (`q` as an object).
    Fields(Vec<(String, String)>),
}

/// A `datastore_search` request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DatastoreRequest {
    /// The resource id.
    pub resource_id: String,
    /// The number of rows asked for; sent as at least 1 and at most
    /// [`MAX_LIMIT`].
    pub limit: u64,
    /// The number of rows to skip.
    pub offset: u64,
    /// Sort criteria, the first deciding first; empty leaves the order to
    /// the server.
    pub sort: Vec<SortField>,
    /// The full-text search.
    pub full_text: FullText,
    /// Exact-value filters: field and accepted values (one value, or any of
    /// several).
    pub filters: Vec<(String, Vec<String>)>,
}

impl DatastoreRequest {
    /// Builds the request for one page of the widget's `query`, where the
    /// query's column indices are positions in `fields` (the page table's
    /// columns follow `fields`). Returns the request and a note for each
    /// part of the query that the server cannot apply.
    ///
    /// A sort is completed with `_id` ascending when the resource has it,
    /// so rows that compare equal keep one order on every page.
    pub fn for_query(
        resource_id: &str,
        fields: &[DatastoreField],
        query: &Query,
        offset: u64,
        limit: u64,
    ) -> (DatastoreRequest, Vec<CkanNote>) {
        let mut notes = Vec::new();
        let column_name = |index: usize| {
            fields
                .get(index)
                .map_or_else(|| format!("#{}", index + 1), |field| field.id.clone())
        };

        let mut sort = Vec::new();
        for key in &query.sort {
            match fields.get(key.column) {
                Some(field) if sortable(&field.id) => {
                    if !sort.iter().any(|known: &SortField| known.field == field.id) {
                        sort.push(SortField {
                            field: field.id.clone(),
                            descending: key.descending,
                        });
                    }
                }
                _ => notes.push(
                    CkanNote::new(CkanKey::SortSkipped).with("column", column_name(key.column)),
                ),
            }
        }
        let has_id = fields.iter().any(DatastoreField::is_internal);
        if !sort.is_empty() && has_id && !sort.iter().any(|key| key.field == "_id") {
            sort.push(SortField {
                field: "_id".to_owned(),
                descending: false,
            });
        }

        let search = query.search.trim();
        let mut full_text = if search.is_empty() {
            FullText::None
        } else {
            FullText::All(search.to_owned())
        };
        let mut filters: Vec<(String, Vec<String>)> = Vec::new();
        for (column, filter) in &query.filters {
            let Some(field) = fields.get(*column) else {
                notes.push(
                    CkanNote::new(CkanKey::FilterSkipped)
                        .with("column", column_name(*column))
                        .with("reason", "column"),
                );
                continue;
            };
            let skip = |reason: &str| {
                CkanNote::new(CkanKey::FilterSkipped)
                    .with("column", &field.id)
                    .with("reason", reason)
            };
            match filter {
                ColumnFilter::Contains(text) => {
                    let text = text.trim();
                    if text.is_empty() {
                        continue;
                    }
                    match &mut full_text {
                        FullText::All(_) => notes.push(skip("with-search")),
                        FullText::None => {
                            full_text = FullText::Fields(vec![(field.id.clone(), text.to_owned())]);
                        }
                        FullText::Fields(list) => list.push((field.id.clone(), text.to_owned())),
                    }
                }
                ColumnFilter::OneOf(values) => {
                    let kept: Vec<String> = values
                        .iter()
                        .map(|value| value.trim().to_owned())
                        .filter(|value| !value.is_empty())
                        .collect();
                    if kept.len() < values.len() {
                        notes.push(skip("empty"));
                    }
                    if !kept.is_empty() {
                        filters.push((field.id.clone(), kept));
                    }
                }
                ColumnFilter::NumberRange { .. } | ColumnFilter::DateRange { .. } => {
                    notes.push(skip("range"));
                }
            }
        }

        let request = DatastoreRequest {
            resource_id: resource_id.to_owned(),
            limit,
            offset,
            sort,
            full_text,
            filters,
        };
        (request, notes)
    }

    /// Returns the request URL on `base`.
    ///
    /// ```
    /// use ogkit_table::ckan::{ApiBase, DatastoreRequest, SortField};
    ///
    /// let base = ApiBase::parse("https://daten.example.de").unwrap();
    /// let request = DatastoreRequest {
    ///     resource_id: "b4c1".to_owned(),
    ///     limit: 20,
    ///     offset: 40,
    ///     sort: vec![SortField { field: "Baumart".to_owned(), descending: true }],
    ///     ..DatastoreRequest::default()
    /// };
    /// assert_eq!(
    ///     request.url(&base).unwrap(),
    ///     "https://daten.example.de/api/3/action/datastore_search?resource_id=b4c1&limit=20&offset=40&sort=%22Baumart%22%20desc"
    /// );
    /// ```
    ///
    /// # Errors
    ///
    /// [`CkanKey::IdMissing`] for an empty resource id, and
    /// [`CkanKey::FieldName`] for a sort field whose name contains a comma
    /// or a double quote, or is empty.
    pub fn url(&self, base: &ApiBase) -> Result<String, CkanError> {
        let resource_id = self.resource_id.trim();
        if resource_id.is_empty() {
            return Err(CkanError::new(CkanKey::IdMissing));
        }
        let mut url = base.action_url("datastore_search");
        url.push_str("?resource_id=");
        url.push_str(&percent_encode(resource_id));
        url.push_str("&limit=");
        url.push_str(&self.limit.clamp(1, MAX_LIMIT).to_string());
        url.push_str("&offset=");
        url.push_str(&self.offset.to_string());

        if !self.sort.is_empty() {
            let mut sort = String::new();
            for (index, key) in self.sort.iter().enumerate() {
                if !sortable(&key.field) {
                    return Err(
                        CkanError::new(CkanKey::FieldName).with("field", clean_text(&key.field))
                    );
                }
                if index > 0 {
                    sort.push_str(", ");
                }
                sort.push('"');
                sort.push_str(&key.field);
                sort.push_str(if key.descending { "\" desc" } else { "\" asc" });
            }
            url.push_str("&sort=");
            url.push_str(&percent_encode(&sort));
        }

        match &self.full_text {
            FullText::None => {}
            FullText::All(text) => {
                url.push_str("&q=");
                url.push_str(&percent_encode(text));
            }
            FullText::Fields(pairs) => {
                let mut object = String::from("{");
                for (index, (field, text)) in pairs.iter().enumerate() {
                    if index > 0 {
                        object.push(',');
                    }
                    write_string(field, &mut object);
                    object.push(':');
                    write_string(text, &mut object);
                }
                object.push('}');
                url.push_str("&q=");
                url.push_str(&percent_encode(&object));
            }
        }

        if !self.filters.is_empty() {
            let mut object = String::from("{");
            for (index, (field, values)) in self.filters.iter().enumerate() {
                if index > 0 {
                    object.push(',');
                }
                write_string(field, &mut object);
                object.push(':');
                if let [value] = values.as_slice() {
                    write_string(value, &mut object);
                } else {
                    object.push('[');
                    for (position, value) in values.iter().enumerate() {
                        if position > 0 {
                            object.push(',');
                        }
                        write_string(value, &mut object);
                    }
                    object.push(']');
                }
            }
            object.push('}');
            url.push_str("&filters=");
            url.push_str(&percent_encode(&object));
        }
        Ok(url)
    }
}

/// Turns what a reader typed into an exact-value filter into the text that
/// CKAN compares with a field of `kind`: numbers as plain decimals
/// (`1.234,5` becomes `1234.5`), dates in ISO form (`05.03.2024` becomes
/// `2024-03-05`), yes/no as `true` or `false`, texts trimmed. Numbers are
/// read in the reader's notation first (`lang`), then in the other one.
/// Returns `None` when the text does not fit the type, or is blank.
///
/// ```
/// use ogkit_table::ckan::filter_value;
/// use ogkit_table::{ColumnType, Lang};
///
/// assert_eq!(filter_value(ColumnType::Decimal, "1.234,5", Lang::De).as_deref(), Some("1234.5"));
/// assert_eq!(filter_value(ColumnType::Date, "5.3.2024", Lang::De).as_deref(), Some("2024-03-05"));
/// assert_eq!(filter_value(ColumnType::Boolean, "ja", Lang::De).as_deref(), Some("true"));
/// ```
pub fn filter_value(kind: ColumnType, text: &str, lang: Lang) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match kind {
        ColumnType::Integer | ColumnType::Decimal | ColumnType::Percent | ColumnType::Currency => {
            let (first, second) = match lang {
                Lang::De => (Notation::German, Notation::International),
                Lang::En => (Notation::International, Notation::German),
            };
            let number = parse_number(text, first).or_else(|| parse_number(text, second))?;
            if !number.is_finite() {
                return None;
            }
            if number.fract() == 0.0 && number.abs() < 1e15 {
                Some(format!("{}", number as i64))
            } else {
                Some(format!("{number}"))
            }
        }
        ColumnType::Date => parse_date(text).map(|date| date.date_only().to_iso()),
        ColumnType::DateTime => parse_date(text).map(DateValue::to_iso),
        ColumnType::Boolean => parse_bool(text).map(|flag| flag.to_string()),
        ColumnType::Text => Some(text.to_owned()),
    }
}

/// Returns true when CKAN can read `field` back from a sort clause.
fn sortable(field: &str) -> bool {
    !field.is_empty() && !field.contains([',', '"']) && field.trim() == field
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse_json, SortKey};

    fn field(id: &str, ckan_type: &str) -> DatastoreField {
        DatastoreField {
            id: id.to_owned(),
            ckan_type: ckan_type.to_owned(),
            kind: column_type_for(ckan_type),
            label: None,
        }
    }

    fn tree_fields() -> Vec<DatastoreField> {
        vec![
            field("_id", "int"),
            field("Baumart", "text"),
            field("Pflanzjahr", "int4"),
            field("Bezirk", "text"),
        ]
    }

    fn base() -> ApiBase {
        ApiBase::parse("http://127.0.0.1:5000").unwrap()
    }

    #[test]
    fn filter_values_follow_type() {
        let cases = [
            (ColumnType::Integer, "1.990", Lang::De, Some("1990")),
            (ColumnType::Integer, " 42 ", Lang::En, Some("42")),
            (ColumnType::Decimal, "187,5", Lang::De, Some("187.5")),
            (ColumnType::Decimal, "187.5", Lang::De, Some("187.5")),
            (ColumnType::Decimal, "1,234.5", Lang::En, Some("1234.5")),
            (ColumnType::Decimal, "zwölf", Lang::De, None),
            (ColumnType::Date, "13.05.2024", Lang::De, Some("2024-05-13")),
            (ColumnType::Date, "2024-05-13", Lang::En, Some("2024-05-13")),
            (
                ColumnType::Date,
                "13.05.2024 09:30",
                Lang::De,
                Some("2024-05-13"),
            ),
            (
                ColumnType::DateTime,
                "13.05.2024 09:30",
                Lang::De,
                Some("2024-05-13T09:30:00"),
            ),
            (ColumnType::Date, "gestern", Lang::De, None),
            (ColumnType::Boolean, "Nein", Lang::De, Some("false")),
            (ColumnType::Boolean, "true", Lang::En, Some("true")),
            (ColumnType::Boolean, "vielleicht", Lang::De, None),
            (ColumnType::Text, "  Südstadt ", Lang::De, Some("Südstadt")),
            (ColumnType::Text, "   ", Lang::De, None),
        ];
        for (kind, text, lang, expected) in cases {
            assert_eq!(
                filter_value(kind, text, lang).as_deref(),
                expected,
                "{kind:?} {text:?}"
            );
        }
    }

    #[test]
    fn types_map_to_columns() {
        let cases = [
            ("int", ColumnType::Integer),
            ("INT8", ColumnType::Integer),
            ("numeric", ColumnType::Decimal),
            ("float8", ColumnType::Decimal),
            ("text", ColumnType::Text),
            ("timestamp", ColumnType::DateTime),
            ("date", ColumnType::Date),
            ("bool", ColumnType::Boolean),
            ("json", ColumnType::Text),
            ("_text", ColumnType::Text),
            ("", ColumnType::Text),
        ];
        for (ckan_type, kind) in cases {
            assert_eq!(column_type_for(ckan_type), kind, "{ckan_type}");
        }
    }

    #[test]
    fn limit_is_clamped() {
        let mut request = DatastoreRequest {
            resource_id: "r".to_owned(),
            limit: 0,
            ..DatastoreRequest::default()
        };
        assert!(request.url(&base()).unwrap().contains("&limit=1&"));
        request.limit = 1_000_000;
        assert!(request.url(&base()).unwrap().contains("&limit=32000&"));
    }

    #[test]
    fn empty_resource_id_is_rejected() {
        let request = DatastoreRequest {
            resource_id: "  ".to_owned(),
            ..DatastoreRequest::default()
        };
        assert_eq!(request.url(&base()).unwrap_err().key(), CkanKey::IdMissing);
    }

    #[test]
    fn unsortable_names_are_rejected() {
        for name in ["a,b", "say \"hi\"", "", " padded"] {
            let request = DatastoreRequest {
                resource_id: "r".to_owned(),
                sort: vec![SortField {
                    field: name.to_owned(),
                    descending: false,
                }],
                ..DatastoreRequest::default()
            };
            let error = request.url(&base()).unwrap_err();
            assert_eq!(error.key(), CkanKey::FieldName, "{name:?}");
        }
    }

    #[test]
    fn query_sort_gets_id_tiebreak() {
        let query = Query {
            sort: vec![SortKey {
                column: 3,
                descending: true,
            }],
            ..Query::default()
        };
        let (request, notes) = DatastoreRequest::for_query("r", &tree_fields(), &query, 0, 10);
        assert!(notes.is_empty());
        assert_eq!(
            request.sort,
            [
                SortField {
                    field: "Bezirk".to_owned(),
                    descending: true
                },
                SortField {
                    field: "_id".to_owned(),
                    descending: false
                }
            ]
        );
    }

    #[test]
    fn query_without_sort_sends_none() {
        let (request, _) =
            DatastoreRequest::for_query("r", &tree_fields(), &Query::default(), 0, 10);
        assert!(request.sort.is_empty());
        assert_eq!(request.full_text, FullText::None);
        assert!(request.filters.is_empty());
    }

    #[test]
    fn unknown_sort_column_is_noted() {
        let query = Query {
            sort: vec![SortKey {
                column: 9,
                descending: false,
            }],
            ..Query::default()
        };
        let (request, notes) = DatastoreRequest::for_query("r", &tree_fields(), &query, 0, 10);
        assert!(request.sort.is_empty());
        assert_eq!(notes[0].key(), CkanKey::SortSkipped);
        assert_eq!(notes[0].param("column"), Some("#10"));
    }

    #[test]
    fn filters_map_to_request() {
        let query = Query {
            search: String::new(),
            filters: vec![
                (1, ColumnFilter::Contains(" Linde ".to_owned())),
                (
                    3,
                    ColumnFilter::OneOf(vec!["Mitte".to_owned(), "Nord".to_owned()]),
                ),
                (
                    2,
                    ColumnFilter::NumberRange {
                        min: Some(1990.0),
                        max: None,
                    },
                ),
            ],
            sort: Vec::new(),
        };
        let (request, notes) = DatastoreRequest::for_query("r", &tree_fields(), &query, 0, 10);
        assert_eq!(
            request.full_text,
            FullText::Fields(vec![("Baumart".to_owned(), "Linde".to_owned())])
        );
        assert_eq!(
            request.filters,
            [(
                "Bezirk".to_owned(),
                vec!["Mitte".to_owned(), "Nord".to_owned()]
            )]
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].key(), CkanKey::FilterSkipped);
        assert_eq!(notes[0].param("reason"), Some("range"));
    }

    #[test]
    fn column_text_with_search_is_noted() {
        let query = Query {
            search: "Ahorn".to_owned(),
            filters: vec![(3, ColumnFilter::Contains("Mitte".to_owned()))],
            sort: Vec::new(),
        };
        let (request, notes) = DatastoreRequest::for_query("r", &tree_fields(), &query, 0, 10);
        assert_eq!(request.full_text, FullText::All("Ahorn".to_owned()));
        assert_eq!(notes[0].param("reason"), Some("with-search"));
    }

    #[test]
    fn url_encodes_every_part() {
        let request = DatastoreRequest {
            resource_id: "a b&c".to_owned(),
            limit: 25,
            offset: 999_975,
            sort: vec![
                SortField {
                    field: "Straße & Nr.".to_owned(),
                    descending: false,
                },
                SortField {
                    field: "_id".to_owned(),
                    descending: true,
                },
            ],
            full_text: FullText::All("Linde #1 +x".to_owned()),
            filters: vec![
                ("Bezirk".to_owned(), vec!["Süd \"Ost\"".to_owned()]),
                (
                    "Jahr".to_owned(),
                    vec!["2020".to_owned(), "2021".to_owned()],
                ),
            ],
        };
        let url = request.url(&base()).unwrap();
        assert_eq!(
            url,
            "http://127.0.0.1:5000/api/3/action/datastore_search?resource_id=a%20b%26c&limit=25&offset=999975\
             &sort=%22Stra%C3%9Fe%20%26%20Nr.%22%20asc%2C%20%22_id%22%20desc\
             &q=Linde%20%231%20%2Bx\
             &filters=%7B%22Bezirk%22%3A%22S%C3%BCd%20%5C%22Ost%5C%22%22%2C%22Jahr%22%3A%5B%222020%22%2C%222021%22%5D%7D"
        );
    }

    #[test]
    fn field_text_search_is_json_object() {
        let request = DatastoreRequest {
            resource_id: "r".to_owned(),
            limit: 10,
            full_text: FullText::Fields(vec![("Art".to_owned(), "Eiche".to_owned())]),
            ..DatastoreRequest::default()
        };
        let url = request.url(&base()).unwrap();
        assert!(url.ends_with("&q=%7B%22Art%22%3A%22Eiche%22%7D"), "{url}");
    }

    #[test]
    fn page_reads_fields_and_records() {
        let result = parse_json(
            r#"{"fields": [{"id": "_id", "type": "int"}, {"id": "Baumart", "type": "text", "info": {"label": "Art des Baums"}}, {"id": "Pflanzjahr", "type": "int4"}],
                "records": [{"_id": 1, "Baumart": "Linde", "Pflanzjahr": 1990}, {"_id": 2, "Baumart": "Ahorn", "Pflanzjahr": null}],
                "offset": 0, "total": 5, "limit": 2}"#,
        )
        .unwrap();
        let page = DatastorePage::from_result(&result).unwrap();
        assert_eq!(page.total, 5);
        assert_eq!(page.next_offset, Some(2));
        assert_eq!(page.fields[1].label.as_deref(), Some("Art des Baums"));
        assert_eq!(page.fields[2].kind, ColumnType::Integer);
        let table = &page.loaded.table;
        assert_eq!(table.column_names(), ["_id", "Baumart", "Pflanzjahr"]);
        assert!(table.columns()[0].is_hidden());
        assert_eq!(table.text(1, 1), "Ahorn");
    }

    #[test]
    fn empty_page_keeps_columns() {
        let result = parse_json(
            r#"{"fields": [{"id": "_id", "type": "int"}, {"id": "Bezirk", "type": "text"}], "records": [], "total": 0}"#,
        )
        .unwrap();
        let page = DatastorePage::from_result(&result).unwrap();
        assert_eq!(page.loaded.table.column_names(), ["_id", "Bezirk"]);
        assert_eq!(page.loaded.table.row_count(), 0);
        assert!(page.loaded.table.columns()[0].is_hidden());
        assert_eq!(page.next_offset, None);
    }

    #[test]
    fn bad_numbers_are_rejected() {
        for (json, field) in [
            (r#"{"records": [], "total": 1e400}"#, "total"),
            (
                r#"{"records": [], "total": 99999999999999999999999}"#,
                "total",
            ),
            (r#"{"records": [], "total": -1}"#, "total"),
            (r#"{"records": [], "total": "12"}"#, "total"),
            (r#"{"records": [], "total": 1, "offset": 1.5}"#, "offset"),
            (r#"{"records": {}, "total": 1}"#, "records"),
            (r#"{"records": [], "fields": {}, "total": 1}"#, "fields"),
        ] {
            let error = DatastorePage::from_result(&parse_json(json).unwrap()).unwrap_err();
            assert_eq!(error.key(), CkanKey::ResultInvalid, "{json}");
            assert_eq!(error.param("field"), Some(field), "{json}");
        }
    }

    #[test]
    fn offset_near_maximum_ends_paging() {
        let json = format!(
            r#"{{"records": [{{"a": 1}}], "total": {}, "offset": {}}}"#,
            u64::MAX,
            u64::MAX
        );
        let page = DatastorePage::from_result(&parse_json(&json).unwrap()).unwrap();
        assert_eq!(page.next_offset, None);
    }

    #[test]
    fn estimated_total_gives_note() {
        let result =
            parse_json(r#"{"records": [], "total": 1000000, "total_was_estimated": true}"#)
                .unwrap();
        let page = DatastorePage::from_result(&result).unwrap();
        let note = page.total_note().unwrap();
        assert_eq!(note.key(), CkanKey::TotalEstimated);
        assert_eq!(note.param("total"), Some("1000000"));
    }
}
