//! Pure logic of ogkit, shared by the browser widgets and the server.
//!
//! This crate has no I/O, no logging and no global state. It builds for the
//! native target and for `wasm32-unknown-unknown`, so rules tested here hold
//! in the browser too.

pub mod catalogue;
pub mod form;
pub use ogkit_text::lang;
pub mod poll;
pub mod richtext;
pub mod search;
pub use ogkit_table as table;
pub use ogkit_text as text;

#[cfg(feature = "import")]
pub mod import;
