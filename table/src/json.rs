//! Reading JSON records into a table.
//!
//! Accepted shapes, tried in this order:
//!
//! - a list of objects: `[{"Name": "A"}, …]`;
//! - an object with that list under `records`, `data`, `result.records`
//!   (a CKAN DataStore response) or `result` (when it is a list).
//!
//! Nested objects become columns named by their path (`veranstaltung.titel`);
//! a list inside a record becomes one cell with its JSON text. Columns come
//! in order of first appearance, or in the order of CKAN's `fields` when
//! the response has them. CKAN's internal `_id` column is hidden.
//!
//! The parser is a small strict one of our own (RFC 8259), so the browser
//! bundle carries no JSON library. It keeps number literals as written and
//! limits nesting to [`MAX_DEPTH`] so hostile input cannot exhaust the stack.

use super::decode::{decode_all, Encoding};
use super::infer::Origin;
use super::message::{Issue, IssueKey, Severity};
use super::{unique_names, Loaded, Notation, RawTable};

/// Deepest nesting of lists and objects the parser accepts.
pub const MAX_DEPTH: usize = 128;

/// A parsed JSON value. Numbers keep their literal text; objects keep their
/// key order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonValue {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number literal as written, e.g. `-1.5e3`.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// A list.
    Array(Vec<JsonValue>),
    /// An object with its members in file order.
    Object(Vec<(String, JsonValue)>),
}

impl JsonValue {
    /// Returns the member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        match self {
            JsonValue::Object(members) => members
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value),
            _ => None,
        }
    }

    /// Returns the value as a whole number when it is a non-negative integer
    /// literal.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            JsonValue::Number(text) => text.parse().ok(),
            _ => None,
        }
    }

    fn kind_name(&self) -> &'static str {
        match self {
            JsonValue::Null => "null",
            JsonValue::Bool(_) => "true/false",
            JsonValue::Number(_) => "number",
            JsonValue::String(_) => "string",
            JsonValue::Array(_) => "list",
            JsonValue::Object(_) => "object",
        }
    }

    /// Writes the value as compact JSON.
    fn write(&self, out: &mut String) {
        match self {
            JsonValue::Null => out.push_str("null"),
            JsonValue::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            JsonValue::Number(text) => out.push_str(text),
            JsonValue::String(text) => write_string(text, out),
            JsonValue::Array(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            JsonValue::Object(members) => {
                out.push('{');
                for (index, (key, value)) in members.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    write_string(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// Writes `text` as a JSON string literal.
pub(crate) fn write_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Invalid JSON: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// 1-based line.
    pub line: u64,
    /// 1-based character position in the line.
    pub column: u64,
    /// Reason in English, e.g. `expected a value`.
    pub reason: &'static str,
}

/// Parses JSON text.
///
/// # Errors
///
/// Returns where and why the text is not valid JSON, or nests deeper than
/// [`MAX_DEPTH`].
pub fn parse_json(text: &str) -> Result<JsonValue, JsonError> {
    let mut parser = JsonParser {
        bytes: text.as_bytes(),
        position: 0,
    };
    parser.skip_space();
    let value = parser.value(0)?;
    parser.skip_space();
    if parser.position < parser.bytes.len() {
        return Err(parser.error("unexpected text after the end"));
    }
    Ok(value)
}

struct JsonParser<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl JsonParser<'_> {
    fn error(&self, reason: &'static str) -> JsonError {
        let before = &self.bytes[..self.position.min(self.bytes.len())];
        let line = before.iter().filter(|&&byte| byte == b'\n').count() as u64 + 1;
        let line_start = before
            .iter()
            .rposition(|&byte| byte == b'\n')
            .map_or(0, |at| at + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count() as u64
            + 1;
        JsonError {
            line,
            column,
            reason,
        }
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.position) {
            self.position += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<JsonValue, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting is too deep"));
        }
        match self.bytes.get(self.position) {
            None => Err(self.error("unexpected end, expected a value")),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(JsonValue::String),
            Some(b't') => self.literal("true", JsonValue::Bool(true)),
            Some(b'f') => self.literal("false", JsonValue::Bool(false)),
            Some(b'n') => self.literal("null", JsonValue::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a value")),
        }
    }

    fn literal(&mut self, word: &str, value: JsonValue) -> Result<JsonValue, JsonError> {
        if self.bytes[self.position..].starts_with(word.as_bytes()) {
            self.position += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn number(&mut self) -> Result<JsonValue, JsonError> {
        let start = self.position;
        let digits = |parser: &mut Self| {
            let from = parser.position;
            while parser
                .bytes
                .get(parser.position)
                .is_some_and(u8::is_ascii_digit)
            {
                parser.position += 1;
            }
            parser.position > from
        };
        if self.bytes.get(self.position) == Some(&b'-') {
            self.position += 1;
        }
        if self.bytes.get(self.position) == Some(&b'0') {
            self.position += 1;
        } else if !digits(self) {
            return Err(self.error("invalid number"));
        }
        if self.bytes.get(self.position) == Some(&b'.') {
            self.position += 1;
            if !digits(self) {
                return Err(self.error("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.position) {
            self.position += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.position) {
                self.position += 1;
            }
            if !digits(self) {
                return Err(self.error("invalid number"));
            }
        }
        let text = String::from_utf8_lossy(&self.bytes[start..self.position]).into_owned();
        Ok(JsonValue::Number(text))
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.position += 1;
        let mut result = Vec::new();
        loop {
            let Some(&byte) = self.bytes.get(self.position) else {
                return Err(self.error("unexpected end inside a string"));
            };
            self.position += 1;
            match byte {
                b'"' => break,
                b'\\' => {
                    let Some(&escape) = self.bytes.get(self.position) else {
                        return Err(self.error("unexpected end inside a string"));
                    };
                    self.position += 1;
                    let c = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{C}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => {
                            self.position -= 1;
                            return Err(self.error("invalid escape in a string"));
                        }
                    };
                    let mut buffer = [0; 4];
                    result.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
                }
                0x00..=0x1F => {
                    self.position -= 1;
                    return Err(self.error("control character inside a string"));
                }
                _ => result.push(byte),
            }
        }
        Ok(String::from_utf8_lossy(&result).into_owned())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self
            .bytes
            .get(self.position..self.position + 4)
            .ok_or_else(|| self.error("invalid \\u escape"))?;
        let text = std::str::from_utf8(digits).map_err(|_| self.error("invalid \\u escape"))?;
        let value = u32::from_str_radix(text, 16).map_err(|_| self.error("invalid \\u escape"))?;
        self.position += 4;
        Ok(value)
    }

    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.bytes[self.position..].starts_with(b"\\u") {
            let saved = self.position;
            self.position += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            self.position = saved;
        }
        Ok(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }

    fn array(&mut self, depth: usize) -> Result<JsonValue, JsonError> {
        self.position += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.bytes.get(self.position) == Some(&b']') {
            self.position += 1;
            return Ok(JsonValue::Array(items));
        }
        loop {
            self.skip_space();
            items.push(self.value(depth + 1)?);
            self.skip_space();
            match self.bytes.get(self.position) {
                Some(b',') => self.position += 1,
                Some(b']') => {
                    self.position += 1;
                    return Ok(JsonValue::Array(items));
                }
                _ => return Err(self.error("expected , or ] in a list")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<JsonValue, JsonError> {
        self.position += 1;
        let mut members = Vec::new();
        self.skip_space();
        if self.bytes.get(self.position) == Some(&b'}') {
            self.position += 1;
            return Ok(JsonValue::Object(members));
        }
        loop {
            self.skip_space();
            if self.bytes.get(self.position) != Some(&b'"') {
                return Err(self.error("expected a quoted member name"));
            }
            let key = self.string()?;
            self.skip_space();
            if self.bytes.get(self.position) != Some(&b':') {
                return Err(self.error("expected : after a member name"));
            }
            self.position += 1;
            self.skip_space();
            let value = self.value(depth + 1)?;
            members.push((key, value));
            self.skip_space();
            match self.bytes.get(self.position) {
                Some(b',') => self.position += 1,
                Some(b'}') => {
                    self.position += 1;
                    return Ok(JsonValue::Object(members));
                }
                _ => return Err(self.error("expected , or } in an object")),
            }
        }
    }
}

/// Reads JSON bytes into a table. JSON is UTF-8: a BOM is skipped, and
/// bytes that are not UTF-8 become U+FFFD with an `invalid-utf8` warning.
///
/// ```
/// use ogkit_table::read_json;
///
/// let loaded = read_json(br#"{"result": {"records": [{"_id": 1, "Linie": "2"}]}}"#);
/// assert_eq!(loaded.table.column_names(), ["_id", "Linie"]);
/// assert!(loaded.table.columns()[0].is_hidden());
/// ```
pub fn read_json(bytes: &[u8]) -> Loaded {
    let (text, _, mut issues) = decode_all(bytes, Some(Encoding::Utf8));
    match parse_json(&text) {
        Ok(value) => {
            let mut loaded = read_json_value(&value);
            issues.append(&mut loaded.issues);
            loaded.issues = issues;
            loaded
        }
        Err(error) => {
            let issue = Issue::new(Severity::Error, IssueKey::JsonSyntax)
                .at_line(error.line)
                .with("position", error.column)
                .with("reason", error.reason);
            issues.push(issue);
            Loaded::failed(issues, None, None)
        }
    }
}

/// Reads an already parsed JSON value into a table, for callers that parse
/// with the browser's `JSON.parse` and convert the result.
pub fn read_json_value(value: &JsonValue) -> Loaded {
    let Some((records, fields)) = find_records(value) else {
        let found = match value {
            JsonValue::Array(items) if !items.is_empty() => items[0].kind_name(),
            JsonValue::Array(_) => "an empty list",
            other => other.kind_name(),
        };
        let issue = Issue::new(Severity::Error, IssueKey::JsonNotRecords).with("found", found);
        return Loaded::failed(vec![issue], None, None);
    };

    let mut issues = Vec::new();
    let mut names: Vec<String> = fields.unwrap_or_default();
    let mut flat_records = Vec::with_capacity(records.len());
    for (index, record) in records.iter().enumerate() {
        let JsonValue::Object(_) = record else {
            issues.push(
                Issue::new(Severity::Warning, IssueKey::JsonEntryNotObject)
                    .with("index", index + 1),
            );
            continue;
        };
        let mut cells = Vec::new();
        flatten("", record, &mut cells);
        for (name, _) in &cells {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        flat_records.push((index as u64 + 1, cells));
    }

    let unique = unique_names(&names, None, &mut issues);
    let mut raw = RawTable::with_names(unique);
    for (position, name) in names.iter().enumerate() {
        raw.hidden[position] = name == "_id";
    }
    for (line, cells) in flat_records {
        let mut row: Vec<(String, Origin)> = vec![(String::new(), Origin::Text); names.len()];
        for (name, (text, origin)) in cells {
            if let Some(position) = names.iter().position(|known| *known == name) {
                row[position] = (text, origin);
            }
        }
        for (position, (_, origin)) in row.iter().enumerate() {
            raw.origins[position].push(*origin);
        }
        raw.push_row(line, row.iter().map(|(text, _)| text.as_str()));
    }

    Loaded {
        table: raw.into_table(Notation::German),
        issues,
        complete: true,
        encoding: None,
        delimiter: None,
        header_line: None,
    }
}

/// Returns the list of records and, for CKAN responses, the field order.
fn find_records(value: &JsonValue) -> Option<(&[JsonValue], Option<Vec<String>>)> {
    let has_objects = |items: &[JsonValue]| {
        items
            .iter()
            .any(|item| matches!(item, JsonValue::Object(_)))
    };
    if let JsonValue::Array(items) = value {
        return has_objects(items).then_some((items.as_slice(), None));
    }

    let result = value.get("result");
    let candidates = [
        (value.get("records"), value.get("fields")),
        (value.get("data"), None),
        (
            result.and_then(|result| result.get("records")),
            result.and_then(|result| result.get("fields")),
        ),
        (result, None),
    ];
    for (records, fields) in candidates {
        if let Some(JsonValue::Array(items)) = records {
            if has_objects(items) {
                return Some((items.as_slice(), fields.and_then(field_names)));
            }
        }
    }
    None
}

/// Returns the `id` of every CKAN field description.
fn field_names(fields: &JsonValue) -> Option<Vec<String>> {
    let JsonValue::Array(fields) = fields else {
        return None;
    };
    let names: Vec<String> = fields
        .iter()
        .filter_map(|field| match field.get("id") {
            Some(JsonValue::String(id)) => Some(id.clone()),
            _ => None,
        })
        .collect();
    (!names.is_empty()).then_some(names)
}

fn flatten(prefix: &str, value: &JsonValue, cells: &mut Vec<(String, (String, Origin))>) {
    match value {
        JsonValue::Object(members) => {
            for (key, member) in members {
                let name = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                if let JsonValue::Object(inner) = member {
                    if !inner.is_empty() {
                        flatten(&name, member, cells);
                        continue;
                    }
                }
                cells.push((name, cell_text(member)));
            }
        }
        other => cells.push((prefix.to_owned(), cell_text(other))),
    }
}

fn cell_text(value: &JsonValue) -> (String, Origin) {
    match value {
        JsonValue::Null => (String::new(), Origin::Text),
        JsonValue::Bool(true) => ("true".to_owned(), Origin::Text),
        JsonValue::Bool(false) => ("false".to_owned(), Origin::Text),
        JsonValue::Number(text) => (text.clone(), Origin::JsonNumber),
        JsonValue::String(text) => (text.clone(), Origin::Text),
        other => {
            let mut text = String::new();
            other.write(&mut text);
            (text, Origin::Text)
        }
    }
}

/// Returns the offset of the next CKAN `datastore_search` request, or
/// `None` when the response `page` completes the resource.
///
/// A site may return fewer records than asked for (its configured maximum),
/// so the next offset is the response's `offset` plus the records it actually
/// holds, and paging continues while that is below `total`. A response with
/// no records ends paging, so a wrong `total` cannot loop forever.
///
/// ```
/// use ogkit_table::{datastore_next_offset, parse_json};
///
/// let page = parse_json(r#"{"result": {"offset": 100, "total": 250, "records": [{}, {}]}}"#).unwrap();
/// assert_eq!(datastore_next_offset(&page), Some(102));
/// ```
pub fn datastore_next_offset(page: &JsonValue) -> Option<u64> {
    result_next_offset(page.get("result")?)
}

/// Returns the offset after the `result` object of a `datastore_search`
/// response; see [`datastore_next_offset`]. An offset so large that the
/// next one would overflow ends paging.
pub(crate) fn result_next_offset(result: &JsonValue) -> Option<u64> {
    let JsonValue::Array(records) = result.get("records")? else {
        return None;
    };
    let offset = result
        .get("offset")
        .and_then(JsonValue::as_u64)
        .unwrap_or(0);
    let total = result.get("total").and_then(JsonValue::as_u64)?;
    let next = offset.checked_add(records.len() as u64)?;
    (!records.is_empty() && next < total).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_decoded() {
        let value = parse_json(r#""a\"b\u00e4\ud83d\ude00\n""#).unwrap();
        assert_eq!(value, JsonValue::String("a\"bä\u{1F600}\n".to_owned()));
    }

    #[test]
    fn error_has_line_and_position() {
        let error = parse_json("[1,\n 2,,]").unwrap_err();
        assert_eq!((error.line, error.column), (2, 4));
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let text = "[".repeat(10_000);
        assert_eq!(parse_json(&text).unwrap_err().reason, "nesting is too deep");
    }

    #[test]
    fn number_literal_is_kept() {
        assert_eq!(
            parse_json("-1.50e3").unwrap(),
            JsonValue::Number("-1.50e3".to_owned())
        );
        assert!(parse_json("01").is_err());
        assert!(parse_json("1.").is_err());
    }
}
