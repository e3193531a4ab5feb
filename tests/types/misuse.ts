// Mistakes that the ogkit declarations must catch. The package test
// compiles this file with `tsc --strict` and expects exactly these errors,
// one per marked line.

import type {} from '../../pkg/ogkit.js';

const table = document.createElement('og-data-table');
// A number where the attribute property takes text: TS2322.
table.pageSize = 50;

document.addEventListener('og-search', (event) => {
  // A detail field that does not exist: TS2339.
  console.log(event.detail.hits);
});

const search = document.createElement('og-service-search');
// A boolean attribute property takes a boolean: TS2322.
search.onlineOnly = 'ja';
