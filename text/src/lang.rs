//! The languages that ogkit's messages are written in.

/// Language of a user-visible message: German (the default) or English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// German, the default.
    #[default]
    De,
    /// English.
    En,
}
