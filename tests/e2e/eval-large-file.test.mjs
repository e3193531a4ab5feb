// The large-file case: 500,000 rows (about 19 MB) written by the case's own
// script, data/eval/cases/gen-case-06b-large-csv.py. A small server sends
// the first megabyte and keeps back the rest until the test releases it, so
// "while the download continues" is a state the test controls, not a
// moment in time.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';

import { describeLog, launchBrowser, openPage } from './helpers/browser.mjs';
import { PKG_DIR, REPO_ROOT } from './helpers/site.mjs';
import { STRICT_CSP } from './helpers/static-server.mjs';
import { nextFrames, WAIT_MS } from './helpers/widgets.mjs';

const GENERATOR = join(REPO_ROOT, 'data/eval/cases/gen-case-06b-large-csv.py');
const FIRST_PART_BYTES = 1024 * 1024;

const PAGE = `<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <title>Große Datei</title>
  <link rel="stylesheet" href="/ogkit/ogkit.css">
  <script type="module" src="/ogkit/ogkit.js"></script>
</head>
<body>
  <main>
    <h1>Große Datei</h1>
    <og-data-table id="gross" src="/gross.csv"></og-data-table>
  </main>
</body>
</html>
`;

const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

let csv;
let launched;
let server;
let base;
/** Releases the rest of the file that the server keeps back. */
let releaseRest = () => {};

before(async () => {
  const { stdout } = await promisify(execFile)('python3', [GENERATOR], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  csv = stdout;
  assert.ok(csv.length > 18_000_000, `the generator wrote ${csv.length} bytes`);

  server = createServer(async (request, response) => {
    const path = new URL(request.url, 'http://127.0.0.1').pathname;
    if (path === '/seite.html') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': STRICT_CSP });
      response.end(PAGE);
      return;
    }
    if (path === '/gross.csv') {
      const held = new Promise((resolve) => {
        releaseRest = resolve;
      });
      response.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Length': String(csv.length) });
      response.write(csv.subarray(0, FIRST_PART_BYTES));
      await held;
      response.end(csv.subarray(FIRST_PART_BYTES));
      return;
    }
    const file = normalize(path.slice('/ogkit/'.length));
    if (!path.startsWith('/ogkit/') || file.startsWith('..')) {
      response.writeHead(404);
      response.end();
      return;
    }
    try {
      const body = await readFile(join(PKG_DIR, file));
      response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  launched = await launchBrowser();
});

after(async () => {
  releaseRest();
  await launched?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve());
});

/** Returns the cell texts of the shown rows, the file's own text for numbers. */
function shownRows(page) {
  return page.$$eval('#gross [data-og-table] tbody tr', (rows) =>
    rows.map((row) => [...row.children].map((cell) => cell.getAttribute('data-og-text') ?? cell.textContent.trim())),
  );
}

/** Opens the page and waits until the widget has read part of the first megabyte. */
async function openWhileHeld() {
  const opened = await openPage(launched, `${base}/seite.html`);
  await opened.page.waitForFunction(
    () => Number(document.querySelector('#gross progress')?.getAttribute('value') ?? 0) > 0,
    null,
    { timeout: WAIT_MS },
  );
  return opened;
}

describe('500,000 rows streamed', () => {
  // While the file loads, the widget shows the first page of the rows read
  // so far next to the progress bar.
  test('first rows show while the download continues', async () => {
    const { page, close } = await openWhileHeld();
    try {
      // Once the widget reports rows read, the first 20 of them are known.
      // The bytes received are reported before that and also contain digits.
      await page.waitForFunction(
        () => /Zeilen werden gelesen: [1-9]/.test(document.querySelector('#gross [data-og-loading] p')?.textContent ?? ''),
        null,
        { timeout: WAIT_MS },
      );
      await nextFrames(page);
      const rows = await shownRows(page);
      assert.equal(rows.length, 20);
      assert.deepEqual(rows[0], ['1', '01.01.2024 00:00', 'Bahnhofstraße', '0,1']);
    } finally {
      releaseRest();
      await close();
    }
  });

  test('complete file gives 500.000 entries', async () => {
    const { page, log, close } = await openWhileHeld();
    try {
      assert.equal(await page.locator('#gross [data-og-error]').count(), 0);
      releaseRest();
      await page.waitForFunction(
        () => document.querySelector('#gross [data-og-range]')?.textContent === '1–20 von 500.000',
        null,
        { timeout: WAIT_MS },
      );
      const first = await shownRows(page);
      assert.equal(first.length, 20);
      assert.deepEqual(first[0], ['1', '01.01.2024 00:00', 'Bahnhofstraße', '0,1']);
      assert.deepEqual(first.map((row) => row[0]), Array.from({ length: 20 }, (_, index) => String(index + 1)));

      await page.click('#gross [data-og-page="last"]');
      await page.waitForFunction(
        () => document.querySelector('#gross [data-og-range]')?.textContent === '499.981–500.000 von 500.000',
        null,
        { timeout: WAIT_MS },
      );
      const last = await shownRows(page);
      assert.deepEqual(last.at(-1), ['500000', '13.12.2024 05:19', 'Marktplatz', '0,0']);
      assert.deepEqual(log.pageErrors, [], describeLog(log));
    } finally {
      releaseRest();
      await close();
    }
  });
});
