//! Embeddable ogkit widgets: Yew components behind custom elements.
//!
//! A page loads `ogkit.js`, which defines the elements and, when the first
//! one connects, loads this module and calls [`mount`]. Every widget
//! renders into the light DOM of its element, with class names under the
//! `og-` prefix and `data-og-…` attributes as stable hooks. User-visible
//! text comes from [`i18n`]; the rules that need no browser (attribute
//! parsing, URL state, highlighting) are plain functions with native tests.

#[cfg(feature = "bench")]
pub mod bench;
#[cfg(feature = "builder")]
pub mod builder;
pub mod diagnostics;
#[cfg(feature = "form")]
pub mod form;
pub mod i18n;
pub mod mount;
#[cfg(feature = "poll")]
pub mod poll;
pub mod search;
#[cfg(feature = "data-table")]
pub mod table;
pub mod ui;

pub use mount::{mount, release, Widget};

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
