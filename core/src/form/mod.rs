//! Online forms: the schema format, validation of submitted data, and the
//! types that cross the wire between the `<og-form>` widget and the server.
//!
//! A form schema is JSON Schema 2020-12 (the subset that form builders such
//! as react-jsonschema-form use) plus an `x-ogkit` section for steps, field
//! order, help texts, controls, `autocomplete` tokens and conditions.
//! [`Schema::from_json`] reads it and rejects anything it would not
//! enforce; [`validate`] returns every [`Violation`] at once, and
//! [`message`] words a violation in German or English. The widget and the
//! server call the same functions, so both accept exactly the same data.
//!
//! ```
//! use ogkit_core::form::{message, validate, Lang, Schema};
//! use ogkit_core::table::parse_json;
//!
//! let schema = Schema::from_json(r#"{
//!     "type": "object",
//!     "required": ["plz"],
//!     "properties": { "plz": { "type": "string", "title": "Postleitzahl", "format": "plz" } }
//! }"#).unwrap();
//! let data = parse_json(r#"{ "plz": "1234" }"#).unwrap();
//! let violations = validate(&schema, &data);
//! assert_eq!(violations[0].path, "/plz");
//! assert!(message(&violations[0], Lang::De).contains("Postleitzahl"));
//! ```

mod autocomplete;
pub mod formats;
mod holidays;
mod message;
mod parse;
mod pattern;
mod schema;
mod submission;
mod translate;
mod validate;
pub mod value;
#[cfg(feature = "import")]
pub mod xdf;

pub use message::{field_label, message};
pub use parse::SchemaError;
pub use pattern::{Pattern, MAX_PATTERN_LEN};
pub use schema::{
    Bound, BoundValue, Choice, Condition, Control, Field, FieldRef, FieldUi, Format, Kind, Rules,
    Scalar, Schema, Step, MAX_RADIO_CHOICES,
};
pub use translate::{FieldTexts, FormTexts, StepTexts};
pub use submission::{is_valid_submission_id, Receipt, Submission};
pub use validate::{
    is_required, is_visible, normalize, offered_choices, prepare, prepare_on, prune, validate,
    validate_on, Violation, ViolationKey,
};

pub use formats::Date;
pub use holidays::{Holiday, HolidayRegion};
pub use crate::lang::Lang;
pub use crate::table::JsonValue;
