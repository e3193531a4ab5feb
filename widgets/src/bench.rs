//! The search benchmark's entry point into WebAssembly.
//!
//! `cargo xtask bench search` builds this crate with the `bench` feature
//! into a folder under `target/`, never into `pkg/`, and times these calls
//! from JavaScript next to Fuse.js and MiniSearch. The calls go straight to
//! [`ogkit_core::search::Index`], so the numbers show the search itself plus
//! the crossing between JavaScript and WebAssembly that the widget also
//! pays, without rendering.

use ogkit_core::catalogue::Catalogue;
use ogkit_core::search::{Index, SearchOptions};
use wasm_bindgen::prelude::*;

/// A search index over one catalogue, as the benchmark page uses it.
#[wasm_bindgen]
pub struct BenchIndex {
    index: Index,
    ids: Vec<String>,
}

#[wasm_bindgen]
impl BenchIndex {
    /// Builds the index from a catalogue that `JSON.parse` has already
    /// read, decoded the way the widget decodes the `Response.json()` value.
    ///
    /// # Errors
    ///
    /// Returns an error naming the problem when `catalogue` is not an
    /// ogkit catalogue.
    #[wasm_bindgen(constructor)]
    pub fn new(catalogue: JsValue) -> Result<BenchIndex, JsError> {
        let catalogue: Catalogue = crate::search::decode::catalogue(&catalogue)
            .map_err(|error| JsError::new(&format!("BenchIndex: not an ogkit catalogue: {error}")))?;
        let ids = catalogue.services.iter().map(|service| service.id.clone()).collect();
        Ok(BenchIndex { index: Index::new(&catalogue), ids })
    }

    /// Returns the ids of the best `max_results` services for `query`,
    /// best first.
    pub fn search(&self, query: &str, max_results: usize) -> Vec<String> {
        let options = SearchOptions { max_results, ..SearchOptions::default() };
        self.index
            .search(query, &options)
            .hits
            .iter()
            .filter_map(|hit| self.ids.get(hit.service).cloned())
            .collect()
    }

    /// Number of distinct terms in the index.
    #[wasm_bindgen(js_name = termCount)]
    pub fn term_count(&self) -> usize {
        self.index.term_count()
    }
}
