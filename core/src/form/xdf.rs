//! Import of FIM XDatenfelder 2 Stammdatenschema files into ogkit form
//! schemas.
//!
//! FIM (Föderales Informationsmanagement) describes the data of an
//! administrative service as a Stammdatenschema: a tree of Datenfeldgruppen
//! (groups) and Datenfelder (fields). Each element sits in a `struktur`
//! whose `anzahl` (`min:max`, `*` for no limit) sets how often it occurs.
//! The import maps:
//!
//! - a Datenfeld by its Feldart and Datentyp. Feldart `input` with Datentyp
//!   `text`, `date`, `bool`, `num`, `num_int` or `num_currency` becomes a
//!   string, date, boolean, number or integer field. Feldart `select`
//!   becomes a field with choices;
//! - `praezisierung` (`minLength`, `maxLength`, `minValue`, `maxValue`,
//!   `pattern`) to the JSON Schema keywords;
//! - a Datenfeldgruppe to a group;
//! - `anzahl` to `required` (minimum 1) or to a repeated group or list
//!   (maximum above 1) with `minItems` and `maxItems`;
//! - `bezeichnungEingabe` to the title, `hilfetextEingabe` to the help text,
//!   `inhalt` of an input field to the default value.
//!
//! Code lists: XDatenfelder 2 refers to code lists by their genericode
//! URN. Values listed inline (`werte`/`wert` with `code` and `name`, as
//! some editors export them) become choices, and so do the rows of a
//! genericode file passed to [`import_with`] (see [`read_code_list`]). A
//! select field whose list is neither inline nor passed becomes a text
//! field, and the reference is reported.
//!
//! Everything that is not converted is reported as an [`Issue`] with its
//! line and column: rules (`regel`, whose scripts ogkit does not run),
//! labels (Feldart `label`), file fields, unknown `praezisierung` keys and
//! unknown elements. Editorial metadata (status, dates of validity,
//! versions, Beschreibung, Definition, Bezug) describes the schema rather
//! than the form and is not carried over; the FIM id and version of each
//! element go into its `$comment`.

use std::fmt;

use roxmltree::{Document, Node};

use super::pattern::Pattern;
use super::value::to_json_pretty;
use crate::table::{parse_json, JsonValue};

/// Namespace of XDatenfelder 2.
pub const XDF2_NAMESPACE: &str = "urn:xoev-de:fim:standard:xdatenfelder_2";
/// Root element of a Stammdatenschema message.
const ROOT_ELEMENT: &str = "xdatenfelder.stammdatenschema.0102";

/// The result of an import: the schema and what could not be converted.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// The ogkit form schema as a JSON document.
    pub schema: JsonValue,
    /// Everything that was not converted, or only in part, in file order.
    pub issues: Vec<Issue>,
}

impl Import {
    /// Returns the schema as indented JSON text, ready to save.
    pub fn schema_json(&self) -> String {
        to_json_pretty(&self.schema)
    }

    /// Replaces the form title that the Stammdatenschema gave, for files
    /// whose `bezeichnungEingabe` is a working title such as "Test".
    pub fn set_title(&mut self, title: &str) {
        if let JsonValue::Object(members) = &mut self.schema {
            if let Some((_, value)) = members.iter_mut().find(|(key, _)| key == "title") {
                *value = JsonValue::String(title.to_owned());
            }
        }
    }
}

/// One part of the input that was not converted, or converted only in part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// 1-based line of the element in the XML file.
    pub line: u32,
    /// 1-based column of the element.
    pub column: u32,
    /// The element: its FIM id and name, such as `F60000227 Familienname`,
    /// or its tag name when it has no id.
    pub element: String,
    /// Explanation of the problem and what to do about it, in English.
    pub reason: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "line {}, column {}, {}: {}",
            self.line, self.column, self.element, self.reason
        )
    }
}

/// A file that cannot be imported at all.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum XdfError {
    /// The file is not well-formed XML.
    Xml {
        /// Description with line and column, from the XML parser.
        reason: String,
    },
    /// The file is XML but not an XDatenfelder 2 Stammdatenschema.
    NotStammdatenschema {
        /// Root element and namespace found instead.
        found: String,
    },
    /// The file is XML but not a genericode code list.
    NotCodeList {
        /// The root element found instead.
        found: String,
    },
    /// A required part is missing.
    Missing {
        /// 1-based line of the element that lacks the part.
        line: u32,
        /// The missing part, such as `the element stammdatenschema`.
        part: String,
    },
}

impl fmt::Display for XdfError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XdfError::Xml { reason } => write!(formatter, "invalid XML: {reason}"),
            XdfError::NotStammdatenschema { found } => write!(
                formatter,
                "not an XDatenfelder 2 Stammdatenschema: expected the root element {ROOT_ELEMENT} in namespace {XDF2_NAMESPACE}, found {found}"
            ),
            XdfError::NotCodeList { found } => write!(
                formatter,
                "not a genericode code list: expected the root element CodeList in namespace {GENERICODE_NAMESPACE}, found {found}"
            ),
            XdfError::Missing { line, part } => write!(formatter, "line {line}: {part} is missing"),
        }
    }
}

impl std::error::Error for XdfError {}

/// Converts the text of an XDatenfelder 2 Stammdatenschema file.
///
/// # Errors
///
/// Returns an error when the text is not XML, not a Stammdatenschema, or
/// lacks its `stammdatenschema` element. Anything smaller that cannot be
/// converted is reported in [`Import::issues`] instead.
pub fn import(xml: &str) -> Result<Import, XdfError> {
    import_with(xml, &[])
}

/// Converts a Stammdatenschema like [`import`], taking the values of
/// referenced code lists from `code_lists`.
///
/// # Errors
///
/// As [`import`].
pub fn import_with(xml: &str, code_lists: &[CodeList]) -> Result<Import, XdfError> {
    let document = Document::parse(xml).map_err(|error| XdfError::Xml {
        reason: error.to_string(),
    })?;
    let root = document.root_element();
    let root_name = root.tag_name();
    if root_name.name() != ROOT_ELEMENT || root_name.namespace() != Some(XDF2_NAMESPACE) {
        let found = match root_name.namespace() {
            Some(namespace) => format!("{} in namespace {namespace}", root_name.name()),
            None => format!("{} without namespace", root_name.name()),
        };
        return Err(XdfError::NotStammdatenschema { found });
    }
    let Some(schema_node) = child(root, "stammdatenschema") else {
        return Err(XdfError::Missing {
            line: position(&document, root).0,
            part: "the element stammdatenschema".to_owned(),
        });
    };

    let mut importer = Importer {
        document: &document,
        code_lists,
        issues: Vec::new(),
    };
    let title = child_text(schema_node, "bezeichnungEingabe")
        .or_else(|| child_text(schema_node, "name"))
        .unwrap_or_else(|| "Formular".to_owned());
    let mut members = vec![
        (
            "$schema".to_owned(),
            string("https://json-schema.org/draft/2020-12/schema"),
        ),
        (
            "$comment".to_owned(),
            string(&format!(
                "Imported from FIM XDatenfelder 2, Stammdatenschema {}",
                identification(schema_node)
            )),
        ),
        ("title".to_owned(), string(&title)),
    ];
    if let Some(help) = child_text(schema_node, "hilfetext") {
        members.push(("description".to_owned(), string(&help)));
    }
    members.push(("type".to_owned(), string("object")));

    importer.check_children(schema_node, SCHEMA_ELEMENTS);
    importer.report_rules(schema_node);
    let object = importer.convert_structures(schema_node);
    members.extend(object.schema_members());
    if !object.ui.is_empty() {
        members.push((
            "x-ogkit".to_owned(),
            JsonValue::Object(vec![("fields".to_owned(), JsonValue::Object(object.ui))]),
        ));
    }

    Ok(Import {
        schema: JsonValue::Object(members),
        issues: importer.issues,
    })
}

/// Namespace of OASIS genericode 1.0, the format of code lists in the
/// XRepository.
pub const GENERICODE_NAMESPACE: &str = "http://docs.oasis-open.org/codelist/ns/genericode/1.0/";

/// A code list read from a genericode file, for select fields that refer
/// to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeList {
    /// `CanonicalUri`, such as `urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:staat`.
    pub canonical_uri: Option<String>,
    /// `CanonicalVersionUri`, the URI of this version.
    pub canonical_version_uri: Option<String>,
    /// `Version`.
    pub version: Option<String>,
    /// `(code, title)` for each row, in file order.
    pub entries: Vec<(String, String)>,
}

/// Reads a genericode code list.
///
/// The code is the column of the list's first key, or the first column. The
/// title is the first other column whose id or short name contains `name`,
/// `bezeichnung`, `beschreibung` or `wert`, or else the second column.
///
/// # Errors
///
/// Returns an error when the text is not XML, not a genericode `CodeList`,
/// or has no rows.
pub fn read_code_list(xml: &str) -> Result<CodeList, XdfError> {
    let document = Document::parse(xml).map_err(|error| XdfError::Xml {
        reason: error.to_string(),
    })?;
    let root = document.root_element();
    let root_name = root.tag_name();
    if root_name.name() != "CodeList" || root_name.namespace() != Some(GENERICODE_NAMESPACE) {
        return Err(XdfError::NotCodeList {
            found: root_name.name().to_owned(),
        });
    }

    let identification = child(root, "Identification");
    let text = |name: &str| identification.and_then(|node| child_text(node, name));
    let columns: Vec<(String, String)> = child(root, "ColumnSet")
        .map(|set| {
            children(set, "Column")
                .filter_map(|column| {
                    let id = column.attribute("Id")?.to_owned();
                    let short_name = child_text(column, "ShortName").unwrap_or_default();
                    Some((id, short_name))
                })
                .collect()
        })
        .unwrap_or_default();
    let key = child(root, "ColumnSet")
        .and_then(|set| child(set, "Key"))
        .and_then(|key| child(key, "ColumnRef"))
        .and_then(|reference| reference.attribute("Ref"))
        .map(str::to_owned);
    let Some(code_column) = key.or_else(|| columns.first().map(|(id, _)| id.clone())) else {
        return Err(XdfError::Missing {
            line: position(&document, root).0,
            part: "the ColumnSet with at least one Column".to_owned(),
        });
    };
    let is_title = |(id, short_name): &(String, String)| {
        let words = format!("{id} {short_name}").to_lowercase();
        ["name", "bezeichnung", "beschreibung", "wert"]
            .iter()
            .any(|word| words.contains(word))
    };
    let others: Vec<&(String, String)> = columns
        .iter()
        .filter(|(id, _)| *id != code_column)
        .collect();
    let title_column = others
        .iter()
        .find(|column| is_title(column))
        .or(others.first())
        .map(|(id, _)| id.clone());

    let mut entries = Vec::new();
    for row in child(root, "SimpleCodeList")
        .into_iter()
        .flat_map(|list| children(list, "Row"))
    {
        let value = |column: &str| {
            children(row, "Value")
                .find(|value| value.attribute("ColumnRef") == Some(column))
                .and_then(|value| child_text(value, "SimpleValue"))
        };
        let Some(code) = value(&code_column) else {
            continue;
        };
        let title = title_column
            .as_deref()
            .and_then(value)
            .unwrap_or_else(|| code.clone());
        entries.push((code, title));
    }
    if entries.is_empty() {
        return Err(XdfError::Missing {
            line: position(&document, root).0,
            part: "a SimpleCodeList with at least one Row".to_owned(),
        });
    }

    Ok(CodeList {
        canonical_uri: text("CanonicalUri"),
        canonical_version_uri: text("CanonicalVersionUri"),
        version: text("Version"),
        entries,
    })
}

/// Elements of the base data that every FIM element may carry.
const BASE_ELEMENTS: &[&str] = &[
    "identifikation",
    "name",
    "bezeichnungEingabe",
    "bezeichnungAusgabe",
    "beschreibung",
    "definition",
    "bezug",
    "status",
    "fachlicherErsteller",
    "versionshinweis",
    "freigabedatum",
    "veroeffentlichungsdatum",
    "gueltigAb",
    "gueltigBis",
    "regel",
];
const SCHEMA_ELEMENTS: &[&str] = &[
    "hilfetext",
    "ableitungsmodifikationenStruktur",
    "ableitungsmodifikationenRepraesentation",
    "struktur",
];
const GROUP_ELEMENTS: &[&str] = &[
    "schemaelementart",
    "hilfetextEingabe",
    "hilfetextAusgabe",
    "struktur",
];
const FIELD_ELEMENTS: &[&str] = &[
    "schemaelementart",
    "hilfetextEingabe",
    "hilfetextAusgabe",
    "feldart",
    "datentyp",
    "praezisierung",
    "inhalt",
    "codelisteReferenz",
    "werte",
];

struct Importer<'a, 'input> {
    document: &'a Document<'input>,
    code_lists: &'a [CodeList],
    issues: Vec<Issue>,
}

/// The converted children of one object: properties, required names and
/// UI entries.
#[derive(Default)]
struct Converted {
    properties: Vec<(String, JsonValue)>,
    required: Vec<String>,
    ui: Vec<(String, JsonValue)>,
}

impl Converted {
    fn schema_members(&self) -> Vec<(String, JsonValue)> {
        let mut members = Vec::new();
        if !self.required.is_empty() {
            members.push((
                "required".to_owned(),
                JsonValue::Array(self.required.iter().map(|name| string(name)).collect()),
            ));
        }
        members.push((
            "properties".to_owned(),
            JsonValue::Object(self.properties.clone()),
        ));
        members
    }
}

/// How often an element occurs, from `anzahl` (`min:max`).
#[derive(Clone, Copy)]
struct Occurrence {
    min: u64,
    /// `None` for `*`.
    max: Option<u64>,
}

impl Occurrence {
    fn is_repeated(self) -> bool {
        self.max.is_none_or(|max| max > 1)
    }
}

impl Importer<'_, '_> {
    /// Converts the `struktur` children of a schema or group.
    fn convert_structures(&mut self, parent: Node) -> Converted {
        let mut converted = Converted::default();
        for structure in children(parent, "struktur") {
            self.check_children(structure, &["anzahl", "bezug", "enthaelt"]);
            let occurrence = self.occurrence(structure);
            let Some(contains) = child(structure, "enthaelt") else {
                self.issue(structure, "struktur", "the structure contains no element (enthaelt is missing); nothing was converted");
                continue;
            };
            for element in contains.children().filter(Node::is_element) {
                match element.tag_name().name() {
                    "datenfeldgruppe" => self.convert_group(element, occurrence, &mut converted),
                    "datenfeld" => self.convert_field(element, occurrence, &mut converted),
                    other => self.issue(
                        element,
                        other,
                        "unknown element inside enthaelt; it was not converted",
                    ),
                }
            }
        }
        converted
    }

    fn convert_group(&mut self, node: Node, occurrence: Occurrence, parent: &mut Converted) {
        self.check_children(node, GROUP_ELEMENTS);
        self.report_rules(node);
        let name = unique_name(&element_name(node), &parent.properties);
        let inner = self.convert_structures(node);
        if inner.properties.is_empty() {
            self.issue(
                node,
                &describe(node),
                "the group has no field that could be converted, so it was left out",
            );
            return;
        }

        let mut object = vec![("type".to_owned(), string("object"))];
        object.extend(inner.schema_members());
        let mut ui = Vec::new();
        if let Some(help) = child_text(node, "hilfetextEingabe") {
            ui.push(("help".to_owned(), string(&help)));
        }
        if !inner.ui.is_empty() {
            ui.push(("fields".to_owned(), JsonValue::Object(inner.ui)));
        }

        let header = header_members(node);
        let schema = if occurrence.is_repeated() {
            let mut members = header;
            members.push(("type".to_owned(), string("array")));
            members.extend(count_members(occurrence));
            members.push(("items".to_owned(), JsonValue::Object(object)));
            JsonValue::Object(members)
        } else {
            let mut members = header;
            members.extend(object);
            JsonValue::Object(members)
        };
        parent.properties.push((name.clone(), schema));
        if occurrence.min >= 1 {
            parent.required.push(name.clone());
        }
        if !ui.is_empty() {
            parent.ui.push((name, JsonValue::Object(ui)));
        }
    }

    fn convert_field(&mut self, node: Node, occurrence: Occurrence, parent: &mut Converted) {
        self.check_children(node, FIELD_ELEMENTS);
        self.report_rules(node);
        let label = describe(node);
        let feldart = code(node, "feldart").unwrap_or_default();
        let datentyp = code(node, "datentyp").unwrap_or_default();

        let mut value = match (feldart.as_str(), datentyp.as_str()) {
            ("label", _) => {
                let text = child_text(node, "inhalt").unwrap_or_default();
                self.issue(node, &label, &format!("a label (Feldart label) is static text, which ogkit forms do not show between fields; put the text into the help of a nearby field: \"{text}\""));
                return;
            }
            (_, "file" | "obj") => {
                self.issue(node, &label, &format!("the Datentyp {datentyp} (file upload) is not supported by ogkit forms; the field was left out"));
                return;
            }
            ("input" | "select", "text") => vec![("type".to_owned(), string("string"))],
            ("input" | "select", "date") => vec![
                ("type".to_owned(), string("string")),
                ("format".to_owned(), string("date")),
            ],
            ("input" | "select", "bool") => vec![("type".to_owned(), string("boolean"))],
            ("input" | "select", "num") => vec![("type".to_owned(), string("number"))],
            ("input" | "select", "num_int") => vec![("type".to_owned(), string("integer"))],
            ("input" | "select", "num_currency") => {
                self.issue(node, &label, "the Datentyp num_currency became a plain number: ogkit does not limit it to two decimal places or show a currency");
                vec![("type".to_owned(), string("number"))]
            }
            ("input" | "select", other) => {
                self.issue(
                    node,
                    &label,
                    &format!("unknown Datentyp \"{other}\"; the field was left out"),
                );
                return;
            }
            (other, _) => {
                self.issue(
                    node,
                    &label,
                    &format!("unknown Feldart \"{other}\"; the field was left out"),
                );
                return;
            }
        };

        if feldart == "select" {
            value.extend(self.choices(node, &label, &datentyp));
        }
        if let Some(text) = child_text(node, "praezisierung") {
            value.extend(self.precision(node, &label, &text, &datentyp, feldart == "select"));
        }
        if feldart == "input" {
            if let Some(default) = child_text(node, "inhalt") {
                match typed_default(&default, &datentyp) {
                    Some(default) => value.push(("default".to_owned(), default)),
                    None => self.issue(node, &label, &format!("the default value (inhalt) \"{default}\" does not fit the Datentyp {datentyp}; it was left out")),
                }
            }
        }

        let name = unique_name(&element_name(node), &parent.properties);
        let mut header = header_members(node);
        let schema = if occurrence.is_repeated() {
            header.push(("type".to_owned(), string("array")));
            header.extend(count_members(occurrence));
            header.push(("items".to_owned(), JsonValue::Object(value)));
            JsonValue::Object(header)
        } else {
            header.extend(value);
            JsonValue::Object(header)
        };
        parent.properties.push((name.clone(), schema));
        if occurrence.min >= 1 {
            parent.required.push(name.clone());
        }

        let mut ui = Vec::new();
        if let Some(help) = child_text(node, "hilfetextEingabe") {
            ui.push(("help".to_owned(), string(&help)));
        }
        if !ui.is_empty() {
            parent.ui.push((name, JsonValue::Object(ui)));
        }
    }

    /// Returns `oneOf` for inline values, or nothing (and an issue) for a
    /// code list that is only referenced.
    fn choices(&mut self, node: Node, label: &str, datentyp: &str) -> Vec<(String, JsonValue)> {
        let values: Vec<Node> = child(node, "werte")
            .map(|list| children(list, "wert").collect())
            .unwrap_or_default();
        if !values.is_empty() {
            let mut pairs = Vec::new();
            for value in values {
                match child_text(value, "code") {
                    Some(code) => {
                        let title = child_text(value, "name").unwrap_or_else(|| code.clone());
                        pairs.push((code, title));
                    }
                    None => self.issue(
                        value,
                        label,
                        "a value of the code list has no code; it was left out",
                    ),
                }
            }
            return self.one_of(node, label, datentyp, &pairs);
        }

        let generic = child(node, "codelisteReferenz")
            .and_then(|list| child(list, "genericodeIdentification"));
        let version_uri = generic.and_then(|generic| child_text(generic, "canonicalVersionUri"));
        let uri = generic.and_then(|generic| child_text(generic, "canonicalIdentification"));
        let version = generic.and_then(|generic| child_text(generic, "version"));
        // The version URI names one version exactly; the URI and version
        // number are the fallback when either side lacks it.
        let found =
            self.code_lists
                .iter()
                .find(|list| match (&version_uri, &list.canonical_version_uri) {
                    (Some(wanted), Some(offered)) => wanted == offered,
                    _ => uri.is_some() && list.canonical_uri == uri && list.version == version,
                });
        if let Some(list) = found {
            return self.one_of(node, label, datentyp, &list.entries);
        }

        let reason = match version_uri.or(uri) {
            Some(uri) => format!("the selection list refers to the code list {uri}, whose values are not in this file; the field became a free text field, so pass the genericode file with --codelist or add the values as \"oneOf\" entries with \"const\" and \"title\""),
            None => "the selection list has neither values nor a code list reference; the field became a free text field".to_owned(),
        };
        self.issue(node, label, &reason);
        Vec::new()
    }

    /// Returns `oneOf` for `(code, title)` pairs, reporting duplicates and
    /// codes that do not fit the Datentyp.
    fn one_of(
        &mut self,
        node: Node,
        label: &str,
        datentyp: &str,
        pairs: &[(String, String)],
    ) -> Vec<(String, JsonValue)> {
        let mut entries: Vec<JsonValue> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for (code, title) in pairs {
            if seen.contains(&code.as_str()) {
                self.issue(
                    node,
                    label,
                    &format!("the code \"{code}\" is listed twice; the second one was left out"),
                );
                continue;
            }
            let Some(constant) = typed_default(code, datentyp) else {
                self.issue(
                    node,
                    label,
                    &format!(
                        "the code \"{code}\" does not fit the Datentyp {datentyp}; it was left out"
                    ),
                );
                continue;
            };
            entries.push(JsonValue::Object(vec![
                ("const".to_owned(), constant),
                ("title".to_owned(), string(title)),
            ]));
            seen.push(code);
        }
        if entries.is_empty() {
            self.issue(
                node,
                label,
                "the selection list has no usable value; the field became a free text field",
            );
            return Vec::new();
        }
        vec![("oneOf".to_owned(), JsonValue::Array(entries))]
    }

    /// Converts `praezisierung`, a JSON object of constraints.
    fn precision(
        &mut self,
        node: Node,
        label: &str,
        text: &str,
        datentyp: &str,
        has_choices: bool,
    ) -> Vec<(String, JsonValue)> {
        let Ok(JsonValue::Object(entries)) = parse_json(text) else {
            self.issue(node, label, &format!("the Präzisierung \"{text}\" is not a JSON object; its constraints were not converted"));
            return Vec::new();
        };
        let is_number = matches!(datentyp, "num" | "num_int" | "num_currency");
        let mut converted = Vec::new();
        for (key, value) in entries {
            let literal = match &value {
                JsonValue::String(text) => text.trim().to_owned(),
                JsonValue::Number(literal) => literal.clone(),
                _ => String::new(),
            };
            let target = match (key.as_str(), datentyp) {
                ("minLength" | "maxLength", "text") if !has_choices => key.clone(),
                ("pattern", "text") if !has_choices => "pattern".to_owned(),
                ("minValue", _) if is_number => "minimum".to_owned(),
                ("maxValue", _) if is_number => "maximum".to_owned(),
                ("minValue", "date") => "formatMinimum".to_owned(),
                ("maxValue", "date") => "formatMaximum".to_owned(),
                _ => {
                    self.issue(node, label, &format!("the Präzisierung \"{key}\" does not apply to Datentyp {datentyp} or is unknown; it was not converted"));
                    continue;
                }
            };
            let json = match target.as_str() {
                "minLength" | "maxLength" => literal
                    .parse::<u64>()
                    .ok()
                    .map(|count| JsonValue::Number(count.to_string())),
                "minimum" | "maximum" => literal
                    .parse::<f64>()
                    .ok()
                    .filter(|number| number.is_finite())
                    .map(|_| JsonValue::Number(literal.clone())),
                "formatMinimum" | "formatMaximum" => {
                    super::formats::Date::parse_iso(&literal).map(|date| string(&date.to_string()))
                }
                _ => match Pattern::new(&literal) {
                    Ok(_) => Some(string(&literal)),
                    Err(reason) => {
                        self.issue(
                            node,
                            label,
                            &format!("the pattern \"{literal}\" was not converted: {reason}"),
                        );
                        continue;
                    }
                },
            };
            match json {
                Some(json) => converted.push((target, json)),
                None => self.issue(node, label, &format!("the Präzisierung \"{key}\" has the invalid value \"{literal}\"; it was not converted")),
            }
        }

        // A lower limit above the upper one would make the schema unusable,
        // so such a pair is reported and left out.
        for (low, high) in [
            ("minLength", "maxLength"),
            ("minimum", "maximum"),
            ("formatMinimum", "formatMaximum"),
        ] {
            let value = |name: &str| {
                converted
                    .iter()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.clone())
            };
            let crossed = match (value(low), value(high)) {
                (Some(JsonValue::Number(a)), Some(JsonValue::Number(b))) => a
                    .parse::<f64>()
                    .ok()
                    .zip(b.parse::<f64>().ok())
                    .is_some_and(|(a, b)| a > b),
                (Some(JsonValue::String(a)), Some(JsonValue::String(b))) => a > b,
                _ => false,
            };
            if crossed {
                self.issue(node, label, &format!("the Präzisierung gives a lower limit ({low}) above the upper limit ({high}); neither was converted"));
                converted.retain(|(key, _)| key != low && key != high);
            }
        }
        converted
    }

    fn occurrence(&mut self, structure: Node) -> Occurrence {
        let text = child_text(structure, "anzahl").unwrap_or_default();
        let parsed = text.split_once(':').and_then(|(min, max)| {
            let min = min.trim().parse::<u64>().ok()?;
            let max = match max.trim() {
                "*" => None,
                number => Some(number.parse::<u64>().ok()?),
            };
            max.is_none_or(|max| max >= min && max >= 1)
                .then_some(Occurrence { min, max })
        });
        parsed.unwrap_or_else(|| {
            self.issue(structure, "anzahl", &format!("the Anzahl \"{text}\" is not of the form min:max; the element was treated as optional and single (0:1)"));
            Occurrence { min: 0, max: Some(1) }
        })
    }

    fn report_rules(&mut self, node: Node) {
        for rule in children(node, "regel") {
            let label = describe(rule);
            self.issue(rule, &label, "rules (Regeln) are scripts that ogkit does not run; express the rule with required, x-ogkit visible_if or required_if, or check it when processing the submission");
        }
    }

    /// Reports child elements that the import does not know.
    fn check_children(&mut self, node: Node, allowed: &[&str]) {
        for element in node.children().filter(Node::is_element) {
            let name = element.tag_name().name();
            if !allowed.contains(&name) && !BASE_ELEMENTS.contains(&name) {
                self.issue(element, name, "unknown element; it was not converted");
            }
        }
    }

    fn issue(&mut self, node: Node, element: &str, reason: &str) {
        let (line, column) = position(self.document, node);
        self.issues.push(Issue {
            line,
            column,
            element: element.to_owned(),
            reason: reason.to_owned(),
        });
    }
}

/// Returns the title and `$comment` of an element.
fn header_members(node: Node) -> Vec<(String, JsonValue)> {
    let title = child_text(node, "bezeichnungEingabe")
        .or_else(|| child_text(node, "name"))
        .unwrap_or_else(|| identification(node));
    vec![
        ("title".to_owned(), string(&title)),
        (
            "$comment".to_owned(),
            string(&format!("FIM {}", identification(node))),
        ),
    ]
}

fn count_members(occurrence: Occurrence) -> Vec<(String, JsonValue)> {
    let mut members = Vec::new();
    if occurrence.min > 0 {
        members.push((
            "minItems".to_owned(),
            JsonValue::Number(occurrence.min.to_string()),
        ));
    }
    if let Some(max) = occurrence.max {
        members.push(("maxItems".to_owned(), JsonValue::Number(max.to_string())));
    }
    members
}

/// Converts a text value to the JSON type of a Datentyp.
fn typed_default(text: &str, datentyp: &str) -> Option<JsonValue> {
    match datentyp {
        "bool" => match text {
            "true" | "1" => Some(JsonValue::Bool(true)),
            "false" | "0" => Some(JsonValue::Bool(false)),
            _ => None,
        },
        "num" | "num_currency" => text
            .parse::<f64>()
            .ok()
            .filter(|number| number.is_finite())
            .map(|_| JsonValue::Number(text.to_owned())),
        "num_int" => text
            .parse::<i64>()
            .ok()
            .map(|number| JsonValue::Number(number.to_string())),
        "date" => super::formats::Date::parse_iso(text).map(|date| string(&date.to_string())),
        _ => Some(string(text)),
    }
}

/// Returns `id version`, such as `F60000227 1.1`.
fn identification(node: Node) -> String {
    let Some(identification) = child(node, "identifikation") else {
        return node.tag_name().name().to_owned();
    };
    let id = child_text(identification, "id").unwrap_or_default();
    match child_text(identification, "version") {
        Some(version) => format!("{id} version {version}"),
        None => id,
    }
}

/// Returns the id and name of an element for issues, such as
/// `F60000227 Familienname`.
fn describe(node: Node) -> String {
    let id =
        child(node, "identifikation").and_then(|identification| child_text(identification, "id"));
    let name = child_text(node, "name");
    match (id, name) {
        (Some(id), Some(name)) => format!("{id} {name}"),
        (Some(id), None) => id,
        (None, Some(name)) => name,
        (None, None) => node.tag_name().name().to_owned(),
    }
}

/// Returns a property name made from the element's label: lower case ASCII
/// letters, digits and underscores, with umlauts spelled out (`ä` → `ae`).
fn element_name(node: Node) -> String {
    let label = child_text(node, "bezeichnungEingabe")
        .or_else(|| child_text(node, "name"))
        .unwrap_or_default();
    let mut name = String::new();
    for c in label.to_lowercase().chars() {
        match c {
            'a'..='z' | '0'..='9' => name.push(c),
            'ä' => name.push_str("ae"),
            'ö' => name.push_str("oe"),
            'ü' => name.push_str("ue"),
            'ß' => name.push_str("ss"),
            _ if !name.ends_with('_') && !name.is_empty() => name.push('_'),
            _ => {}
        }
    }
    let name = name.trim_end_matches('_').to_owned();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        let id = child(node, "identifikation")
            .and_then(|identification| child_text(identification, "id"))
            .unwrap_or_default();
        return format!(
            "feld_{}{}",
            id.to_lowercase(),
            if name.is_empty() {
                String::new()
            } else {
                format!("_{name}")
            }
        );
    }
    name
}

/// Appends `_2`, `_3` … to `name` while it is already taken.
fn unique_name(name: &str, taken: &[(String, JsonValue)]) -> String {
    let is_taken = |candidate: &str| taken.iter().any(|(existing, _)| existing == candidate);
    if !is_taken(name) {
        return name.to_owned();
    }
    (2..)
        .map(|number| format!("{name}_{number}"))
        .find(|candidate| !is_taken(candidate))
        .unwrap_or_default()
}

fn string(text: &str) -> JsonValue {
    JsonValue::String(text.to_owned())
}

fn child<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    node.children()
        .find(|candidate| candidate.is_element() && candidate.tag_name().name() == name)
}

fn children<'a, 'input: 'a>(
    node: Node<'a, 'input>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children()
        .filter(move |candidate| candidate.is_element() && candidate.tag_name().name() == name)
}

/// Returns the trimmed text content of a child element, `None` when it is
/// missing or empty.
fn child_text(node: Node, name: &str) -> Option<String> {
    let element = child(node, name)?;
    let text: String = element
        .descendants()
        .filter(Node::is_text)
        .filter_map(|text| text.text())
        .collect();
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Returns the `code` of a code element such as `feldart`.
fn code(node: Node, name: &str) -> Option<String> {
    child(node, name).and_then(|element| child_text(element, "code"))
}

fn position(document: &Document, node: Node) -> (u32, u32) {
    let position = document.text_pos_at(node.range().start);
    (position.row, position.col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umlauts_are_spelled_out_in_names() {
        let xml = r#"<x xmlns:xdf="u"><xdf:bezeichnungEingabe>Straße / Hausnummer (Wohnort)</xdf:bezeichnungEingabe></x>"#;
        let document = Document::parse(xml).expect("test XML");
        assert_eq!(
            element_name(document.root_element()),
            "strasse_hausnummer_wohnort"
        );
    }

    #[test]
    fn html_file_is_rejected() {
        let error = import("<html><body/></html>").expect_err("not XDatenfelder");
        assert!(
            error.to_string().contains("found html without namespace"),
            "{error}"
        );
    }

    #[test]
    fn broken_xml_is_rejected() {
        let error = import("<a><b></a>").expect_err("not well-formed");
        assert!(error.to_string().starts_with("invalid XML"), "{error}");
    }
}
