// The large-file case: 500,000 rows (about 19 MB) written by the case's own
// script, data/eval/cases/gen-case-06b-large-csv.py. The held-file server
// sends the first megabyte and keeps back the rest until the test releases
// it, so "while the download continues" is a state the test controls, not
// a moment in time.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';

import { describeLog, launchBrowser, openPage } from './helpers/browser.mjs';
import { startHeldFileServer } from './helpers/held-file.mjs';
import { REPO_ROOT } from './helpers/site.mjs';
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
    <og-data-table id="gross" src="/datei.csv"></og-data-table>
  </main>
</body>
</html>
`;

let launched;
let fileServer;
/** Releases the rest of the file that the server keeps back. */
const releaseRest = () => fileServer?.release();

before(async () => {
  const { stdout: csv } = await promisify(execFile)('python3', [GENERATOR], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.ok(csv.length > 18_000_000, `the generator wrote ${csv.length} bytes`);
  fileServer = await startHeldFileServer({ page: PAGE, body: csv, firstBytes: FIRST_PART_BYTES });
  launched = await launchBrowser();
});

after(async () => {
  await launched?.close();
  await fileServer?.close();
});

/** Returns the cell texts of the shown rows, the file's own text for numbers. */
function shownRows(page) {
  return page.$$eval('#gross [data-og-table] tbody tr', (rows) =>
    rows.map((row) => [...row.children].map((cell) => cell.getAttribute('data-og-text') ?? cell.textContent.trim())),
  );
}

/** Opens the page and waits until the widget has read part of the first megabyte. */
async function openWhileHeld() {
  const opened = await openPage(launched, `${fileServer.base}/seite.html`);
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
