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

/// A table read by `ogkit_core::table`, for `cargo xtask bench table`.
///
/// The calls go straight to the core: [`BenchTable::parse`] is the widget's
/// read and type step without the streaming and the yields to the browser,
/// [`BenchTable::sort`] and [`BenchTable::filter`] are the row selection
/// that the widget runs on a click on a column header and on a keystroke in
/// a column filter. The row indices stay in WebAssembly, as in the widget,
/// and only a count or the first row crosses back.
#[cfg(feature = "data-table")]
#[wasm_bindgen]
pub struct BenchTable {
    loaded: ogkit_core::table::Loaded,
    folding: Option<ogkit_core::table::Folding>,
}

#[cfg(feature = "data-table")]
#[wasm_bindgen]
impl BenchTable {
    /// Reads and types a CSV file given as bytes, pushed to the reader in
    /// chunks of `chunk_bytes` (the widget receives the response body in
    /// chunks too). Encoding, delimiter and header are detected.
    pub fn parse(bytes: &[u8], chunk_bytes: usize) -> BenchTable {
        let mut reader = ogkit_core::table::CsvReader::new(ogkit_core::table::CsvOptions::default());
        for chunk in bytes.chunks(chunk_bytes.max(1)) {
            reader.push(chunk);
        }
        BenchTable { loaded: reader.finish(), folding: None }
    }

    /// Number of data rows.
    #[wasm_bindgen(js_name = rowCount)]
    pub fn row_count(&self) -> usize {
        self.loaded.table.row_count()
    }

    /// Number of issues found while reading (0 for the generated file).
    #[wasm_bindgen(js_name = issueCount)]
    pub fn issue_count(&self) -> usize {
        self.loaded.issues.len()
    }

    /// Returns the column names with their inferred types, such as
    /// `Betrag:Number`, one per column.
    #[wasm_bindgen(js_name = columnTypes)]
    pub fn column_types(&self) -> Vec<String> {
        self.loaded
            .table
            .columns()
            .iter()
            .map(|column| format!("{}:{:?}", column.name(), column.kind()))
            .collect()
    }

    /// Returns the index of the column called `name`.
    ///
    /// # Errors
    ///
    /// Returns an error naming the column when the table has none by that
    /// name.
    #[wasm_bindgen(js_name = columnIndex)]
    pub fn column_index(&self, name: &str) -> Result<usize, JsError> {
        self.loaded
            .table
            .column_index(name)
            .ok_or_else(|| JsError::new(&format!("BenchTable: no column called {name:?}")))
    }

    /// Folds at most about `cells` cells for search, as the widget does in
    /// idle time after loading, and returns true once every column is
    /// folded. The first call starts the folding.
    #[wasm_bindgen(js_name = foldStep)]
    pub fn fold_step(&mut self, cells: usize) -> bool {
        let table = &self.loaded.table;
        self.folding.get_or_insert_with(|| table.start_folding()).step(table, cells)
    }

    /// Sorts all rows by one column and returns the index of the first row
    /// in the new order.
    pub fn sort(&self, column: usize, descending: bool) -> Option<usize> {
        let query = ogkit_core::table::Query {
            sort: vec![ogkit_core::table::SortKey { column, descending }],
            ..ogkit_core::table::Query::default()
        };
        self.loaded.table.select(&query).first().copied()
    }

    /// Keeps the rows whose cell in `column` contains `text` after German
    /// folding, and returns how many there are.
    pub fn filter(&self, column: usize, text: &str) -> usize {
        let query = ogkit_core::table::Query {
            filters: vec![(column, ogkit_core::table::ColumnFilter::Contains(text.to_owned()))],
            ..ogkit_core::table::Query::default()
        };
        self.loaded.table.select(&query).len()
    }

    /// Text of one cell, for checking that the engines agree.
    pub fn text(&self, row: usize, column: usize) -> String {
        self.loaded.table.text(row, column).to_owned()
    }
}
