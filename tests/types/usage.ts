// Typical uses of the ogkit declarations by a city's TypeScript code. The
// package test compiles this file with `tsc --strict`, which must pass.

import type { OgDataTableElement, OgLoadEventDetail } from '../../pkg/ogkit.js';

const table = document.querySelector('og-data-table');
if (table) {
  const typed: OgDataTableElement = table;
  typed.pageSize = '50';
  typed.src = '/daten/haushalt.csv';
  typed.addEventListener('og-load', (event) => {
    const detail: OgLoadEventDetail = event.detail;
    console.log(detail.rows, detail.columns, detail.complete);
  });
}

document.addEventListener('og-select', (event) => {
  const id: string = event.detail.id;
  console.log(id);
});

window.addEventListener('og-submit', (event) => {
  const reference: string = event.detail.reference;
  console.log(reference);
});

const search = document.createElement('og-service-search');
search.onlineOnly = true;
search.maxResults = '5';

const poll = document.querySelector('og-poll');
poll?.addEventListener('og-vote', (event) => {
  console.log(event.detail.receipt.ballot_id);
});
