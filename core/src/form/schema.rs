//! The parsed form schema: fields, their rules, conditions and UI hints.
//!
//! A [`Schema`] is what [`Schema::from_json`] makes of an ogkit schema file,
//! a JSON Schema 2020-12 object with an optional `x-ogkit` UI section. Every
//! property becomes a [`Field`] with a [`Kind`] and its [`Rules`]; the
//! `required` list, `x-ogkit` conditions and `if`/`then`/`else` blocks
//! become [`Field::required`], [`Field::required_if`], [`Field::visible_if`]
//! and [`Field::conditional_rules`]. Validation and rendering read only this
//! model, never the raw JSON.

use super::holidays::HolidayRegion;
use super::pattern::Pattern;
use super::translate::FormTexts;
use crate::table::JsonValue;

/// A form: its fields in display order, and optionally steps (pages).
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// Title of the form, such as "Sperrmüll anmelden".
    pub title: String,
    /// Introductory text shown above the first field.
    pub description: Option<String>,
    /// Top-level fields, in display order.
    pub fields: Vec<Field>,
    /// Pages of the form. Empty when the whole form is one page.
    pub steps: Vec<Step>,
    /// The "what happens next" text after sending (`x-ogkit.next_steps`);
    /// the widget has a general text for forms without one.
    pub next_steps: Option<String>,
    /// English texts (`x-ogkit.en`); [`Schema::localized`] applies them.
    pub english: Option<FormTexts>,
}

/// One page of a form with several steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Heading of the page.
    pub title: String,
    /// Text shown under the heading.
    pub description: Option<String>,
    /// Names of the top-level fields on this page, in display order.
    pub fields: Vec<String>,
}

/// One input of a form, or a group of inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Property name: the key of the value in the submitted data.
    pub name: String,
    /// Label shown to the user; the property name when the schema has no
    /// `title`.
    pub title: String,
    /// Longer explanation from the schema's `description`.
    pub description: Option<String>,
    /// First entry of `examples`, shown in error messages as a model.
    pub example: Option<String>,
    /// Initial value from `default`.
    pub default: Option<JsonValue>,
    /// Type of the value.
    pub kind: Kind,
    /// Rules that always apply.
    pub rules: Rules,
    /// Extra rules that apply while a condition holds, from
    /// `if`/`then`/`else` blocks. Both these and [`Field::rules`] must pass.
    pub conditional_rules: Vec<(Condition, Rules)>,
    /// True when the field is listed in its object's `required`.
    pub required: bool,
    /// The field is also required while this condition holds.
    pub required_if: Option<Condition>,
    /// The field is shown, validated and submitted only while this condition
    /// holds. `None` means always visible.
    pub visible_if: Option<Condition>,
    /// Presentation hints from the `x-ogkit` section.
    pub ui: FieldUi,
}

/// Type of a field's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A string (`"type": "string"`).
    Text,
    /// A whole number (`"type": "integer"`).
    Integer,
    /// A number (`"type": "number"`).
    Number,
    /// Yes or no (`"type": "boolean"`), shown as a checkbox.
    Boolean,
    /// A list of scalar values (`"type": "array"` whose `items` is a string,
    /// number or integer schema), usually checkboxes over choices. The item
    /// rules are in [`Rules::items`].
    List(Scalar),
    /// An object whose fields are shown together (`"type": "object"`).
    Group(Vec<Field>),
    /// A list of objects: the user adds as many entries as needed
    /// (`"type": "array"` with object `items`).
    Repeated(Vec<Field>),
}

/// Type of one item of a [`Kind::List`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// A string.
    Text,
    /// A whole number.
    Integer,
    /// A number.
    Number,
}

/// Constraints on a value. Every constraint is optional; each one that is
/// set must hold.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rules {
    /// Minimum number of characters (`minLength`), counted as Unicode scalar
    /// values after trimming.
    pub min_length: Option<u64>,
    /// Maximum number of characters (`maxLength`).
    pub max_length: Option<u64>,
    /// Regular expression the text must match somewhere (`pattern`); anchor
    /// it with `^…$` to match the whole text.
    pub pattern: Option<Pattern>,
    /// Named format (`format`).
    pub format: Option<Format>,
    /// Smallest allowed number (`minimum`), or for dates the earliest date
    /// (`formatMinimum`).
    pub minimum: Option<Bound>,
    /// Largest allowed number (`maximum`), or for dates the latest date
    /// (`formatMaximum`).
    pub maximum: Option<Bound>,
    /// Earliest date as days from the reference date, today in Germany
    /// (`x-ogkit` `min_days_from_today`); 0 means "not in the past".
    pub min_days_from_today: Option<i32>,
    /// Latest date as days from the reference date (`max_days_from_today`).
    pub max_days_from_today: Option<i32>,
    /// Allowed days of the week as ISO 8601 numbers, 1 (Monday) to 7
    /// (Sunday) (`x-ogkit` `weekdays`).
    pub weekdays: Option<Vec<u8>>,
    /// Region whose public holidays are not allowed (`x-ogkit`
    /// `exclude_holidays`, such as `DE-BY`).
    pub exclude_holidays: Option<HolidayRegion>,
    /// Allowed values (`enum`, or `oneOf` with `const` and `title`).
    pub choices: Option<Vec<Choice>>,
    /// Value the field must have (`const`); a consent checkbox uses
    /// `"const": true`.
    pub constant: Option<JsonValue>,
    /// Minimum number of list entries (`minItems`).
    pub min_items: Option<u64>,
    /// Maximum number of list entries (`maxItems`).
    pub max_items: Option<u64>,
    /// True when list entries must differ (`uniqueItems`).
    pub unique_items: bool,
    /// Rules for each entry of a [`Kind::List`] (`items`).
    pub items: Option<Box<Rules>>,
}

/// A lower or upper limit.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// The limit: a number, or an ISO date (`2026-12-31`) for date fields.
    pub value: BoundValue,
    /// True when the limit itself is not allowed (`exclusiveMinimum`,
    /// `exclusiveMaximum`).
    pub exclusive: bool,
}

/// The value of a [`Bound`].
#[derive(Debug, Clone, PartialEq)]
pub enum BoundValue {
    /// A number limit, with the literal as written in the schema.
    Number(f64, String),
    /// A date limit for fields with `"format": "date"`.
    Date(super::formats::Date),
}

/// One allowed value with its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The stored value: a string or a number.
    pub value: JsonValue,
    /// Label shown to the user; the value itself when the schema gives none.
    pub title: String,
}

/// Named formats of strings. `plz`, `iban` and `phone` are ogkit's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An e-mail address (`email`).
    Email,
    /// A calendar date as `YYYY-MM-DD` (`date`).
    Date,
    /// A German postcode: five digits (`plz`).
    Plz,
    /// An IBAN with valid mod-97 check digits (`iban`).
    Iban,
    /// A telephone number (`phone`).
    Phone,
}

impl Format {
    /// Returns the name used in schema files, such as `"plz"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Email => "email",
            Format::Date => "date",
            Format::Plz => "plz",
            Format::Iban => "iban",
            Format::Phone => "phone",
        }
    }

    /// Returns the format with the schema name `name`.
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "email" => Some(Format::Email),
            "date" => Some(Format::Date),
            "plz" => Some(Format::Plz),
            "iban" => Some(Format::Iban),
            "phone" => Some(Format::Phone),
            _ => None,
        }
    }
}

/// A condition on other fields' values, for `visible_if` and `required_if`.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The field has exactly this value.
    Equals {
        /// Reference to the field, see [`FieldRef`].
        field: FieldRef,
        /// The value to compare with.
        value: JsonValue,
    },
    /// The field has one of these values. For a list field: one of its
    /// entries is among these values.
    In {
        /// Reference to the field.
        field: FieldRef,
        /// The values to compare with.
        values: Vec<JsonValue>,
    },
    /// The field has a value: not missing, not blank, not an empty list.
    Filled {
        /// Reference to the field.
        field: FieldRef,
    },
    /// The inner condition does not hold.
    Not(Box<Condition>),
    /// Every inner condition holds.
    All(Vec<Condition>),
    /// At least one inner condition holds.
    Any(Vec<Condition>),
}

/// Reference from a condition to the field it tests.
///
/// A plain name (`"antragsart"`) is a field of the same object as the field
/// that carries the condition, so a condition inside a repeated group tests
/// the same entry. A path with a leading slash (`"/kontakt/art"`) starts at
/// the top of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRef {
    /// True when the path starts at the top of the form.
    pub absolute: bool,
    /// Property names from the start object down to the field.
    pub names: Vec<String>,
}

/// Presentation hints for one field.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldUi {
    /// Help text shown under the label.
    pub help: Option<String>,
    /// Control to show. [`Field::control`] picks one when unset.
    pub control: Option<Control>,
    /// The HTML `autocomplete` token, such as `postal-code`.
    pub autocomplete: Option<String>,
    /// Label of one entry of a repeated group, such as "Gegenstand".
    pub item_title: Option<String>,
}

/// The control a field is shown with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// A one-line text input.
    Input,
    /// A multi-line text area.
    Textarea,
    /// Radio buttons, one per choice.
    Radio,
    /// A drop-down list.
    Select,
    /// Checkboxes, one per choice of a list, or one for a boolean.
    Checkbox,
}

impl Control {
    /// Returns the name used in schema files, such as `"radio"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Control::Input => "input",
            Control::Textarea => "textarea",
            Control::Radio => "radio",
            Control::Select => "select",
            Control::Checkbox => "checkbox",
        }
    }

    /// Returns the control with the schema name `name`.
    pub fn from_name(name: &str) -> Option<Control> {
        match name {
            "input" => Some(Control::Input),
            "textarea" => Some(Control::Textarea),
            "radio" => Some(Control::Radio),
            "select" => Some(Control::Select),
            "checkbox" => Some(Control::Checkbox),
            _ => None,
        }
    }
}

/// Maximum number of choices that a single-choice field shows as radio
/// buttons when the schema picks no control. More become a drop-down list.
pub const MAX_RADIO_CHOICES: usize = 5;

impl Schema {
    /// Returns the top-level field named `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|field| field.name == name)
    }

    /// Returns the field at `path`, such as `["gegenstaende", "anzahl"]`,
    /// descending into groups and repeated groups.
    pub fn field_at(&self, path: &[&str]) -> Option<&Field> {
        let (first, rest) = path.split_first()?;
        let mut field = self.field(first)?;
        for name in rest {
            field = field.children()?.iter().find(|child| child.name == *name)?;
        }
        Some(field)
    }
}

impl Field {
    /// Returns the fields of a group or repeated group.
    pub fn children(&self) -> Option<&[Field]> {
        match &self.kind {
            Kind::Group(fields) | Kind::Repeated(fields) => Some(fields),
            _ => None,
        }
    }

    /// Returns the control to show: the one the schema names, otherwise a
    /// default by kind (radio buttons up to [`MAX_RADIO_CHOICES`] choices,
    /// then a drop-down list; checkboxes for lists and booleans).
    pub fn control(&self) -> Control {
        if let Some(control) = self.ui.control {
            return control;
        }
        match &self.kind {
            Kind::Boolean | Kind::List(_) => Control::Checkbox,
            _ => match &self.rules.choices {
                Some(choices) if choices.len() <= MAX_RADIO_CHOICES => Control::Radio,
                Some(_) => Control::Select,
                None => Control::Input,
            },
        }
    }
}
