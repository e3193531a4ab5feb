// axe-core finds no WCAG 2.1 A or AA violation in any state of
// <og-data-table>: loading, the first rows of a file still downloading,
// loaded, filtered, empty result, chart, error, at 320 px and on the demo
// page. axe runs under the page's own strict CSP.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { axeViolations, formatViolations } from './helpers/axe.mjs';
import { startHeldFileServer } from './helpers/held-file.mjs';
import { useBrowser } from './helpers/session.mjs';
import { idProblems, WAIT_MS } from './helpers/widgets.mjs';

const WIDGET = '#haushalt';

const session = useBrowser();

async function assertNoViolations(page, state) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `axe violations in the ${state} state:\n${formatViolations(violations)}`);
  const ids = await idProblems(page);
  assert.deepEqual(ids, { duplicates: [], dangling: [] }, `id problems in the ${state} state`);
}

async function openTable(path = '/test/table.html', selector = WIDGET) {
  const opened = await session.open(path);
  await opened.page.waitForFunction(
    (selector) => document.querySelector(selector)?.querySelector('[data-og-table] tbody tr') != null,
    selector,
    { timeout: WAIT_MS },
  );
  return opened;
}

describe('table accessibility', () => {
  test('loading state has no violations', async () => {
    const { page, context } = await session.open('/test/table.html');
    let release;
    const held = new Promise((resolve) => {
      release = resolve;
    });
    await context.route('**/test/table/koeln-bezirke.csv', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${session.base}/test/table.html`);
    await page.locator(`${WIDGET} [data-og-loading]`).waitFor({ timeout: WAIT_MS });

    await assertNoViolations(page, 'loading');
    release();
  });

  test('loaded state has no violations', async () => {
    const { page } = await openTable();
    await page.click(`${WIDGET} [data-og-sort="1"]`);
    await page.click(`${WIDGET} [data-og-sort="3"]`, { modifiers: ['Shift'] });
    await page.waitForFunction(() => document.querySelector('#haushalt th[aria-sort]') != null);

    await assertNoViolations(page, 'loaded');
  });

  test('filtered state has no violations', async () => {
    const { page } = await openTable();
    await page.click(`${WIDGET} [data-og-filters] > summary`);
    await page.click(`${WIDGET} [data-og-columns] > summary`);
    await page.fill(`${WIDGET} [data-og-search]`, 'Porz');
    await page.fill(`${WIDGET} [data-og-filter="4-from"]`, 'viel');
    await page.waitForFunction(() => document.querySelector('#haushalt [data-og-range]')?.textContent === '1–20 von 28');
    await page.waitForFunction(() => document.querySelector('#haushalt [aria-invalid="true"]') != null);

    await assertNoViolations(page, 'filtered');
  });

  test('empty result has no violations', async () => {
    const { page } = await openTable();
    await page.fill(`${WIDGET} [data-og-search]`, 'Xylophonqwertz');
    await page.locator(`${WIDGET} [data-og-empty]`).waitFor({ timeout: WAIT_MS });

    await assertNoViolations(page, 'empty result');
  });

  test('chart states have no violations', async () => {
    const { page } = await openTable('/test/table-chart.html', '#messwerte');
    await page.locator('#messwerte svg[data-og-chart="line"]').waitFor({ timeout: WAIT_MS });
    await page.click('#einrichtungen [data-og-chart-toggle]');
    await page.locator('#einrichtungen svg[data-og-chart="bar"]').waitFor({ timeout: WAIT_MS });

    await assertNoViolations(page, 'chart');
  });

  test('error states have no violations', async () => {
    const { page } = await session.open('/test/table-errors.html');
    await page.waitForFunction(
      () => [...document.querySelectorAll('og-data-table')].every((element) => ['ready', 'error'].includes(element.getAttribute('data-og-state'))),
      null,
      { timeout: WAIT_MS },
    );

    await assertNoViolations(page, 'error');
  });

  test('demo page has no violations', async () => {
    const { page } = await session.open('/daten.html');
    await page.waitForFunction(
      () => document.querySelectorAll('og-data-table [data-og-table]').length === 2,
      null,
      { timeout: WAIT_MS },
    );
    await page.locator('og-data-table svg[data-og-chart]').first().waitFor({ timeout: WAIT_MS });

    await assertNoViolations(page, 'demo page');
  });

  test('narrow screen has no violations', async () => {
    const { page } = await session.open('/test/table.html');
    await page.setViewportSize({ width: 320, height: 640 });
    await page.locator(`${WIDGET} [data-og-table]`).waitFor({ timeout: WAIT_MS });

    await assertNoViolations(page, 'narrow');
  });
});

/** A CSV file of `rows` rows, about 40 bytes each, in German notation. */
function largeCsv(rows) {
  const lines = ['Nr;Datum;Straße;Betrag'];
  for (let row = 1; row <= rows; row += 1) {
    const day = String((row % 28) + 1).padStart(2, '0');
    lines.push(`${row};${day}.03.2024;Hauptstraße ${row % 97};${row % 1000},${String(row % 100).padStart(2, '0')}`);
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

const PREVIEW_PAGE = `<!doctype html>
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
    <og-data-table id="gross" src="/datei.csv" caption="Zahlungen 2024"></og-data-table>
  </main>
</body>
</html>
`;

describe('table accessibility while a large file downloads', () => {
  let held;

  before(async () => {
    held = await startHeldFileServer({ page: PREVIEW_PAGE, body: largeCsv(200_000), firstBytes: 1024 * 1024 });
  });

  after(async () => {
    await held?.close();
  });

  test('first rows have a caption and no violations', async () => {
    const { page } = await session.open(`${held.base}/seite.html`);
    try {
      await page.locator('#gross [data-og-preview] tbody tr').first().waitFor({ timeout: WAIT_MS });
      assert.equal(await page.locator('#gross [data-og-loading]').count(), 1, 'the file should still be loading');

      const region = await page.evaluate(() => {
        const scroll = document.querySelector('#gross [data-og-preview]');
        const labelId = scroll.getAttribute('aria-labelledby');
        return {
          role: scroll.getAttribute('role'),
          tabIndex: scroll.tabIndex,
          label: labelId ? document.getElementById(labelId)?.textContent.trim() : null,
          caption: scroll.querySelector('caption')?.textContent.trim() ?? null,
        };
      });
      assert.equal(region.role, 'region');
      assert.equal(region.tabIndex, 0);
      assert.equal(region.caption, 'Zahlungen 2024: die ersten 20 Zeilen, die Datei wird noch geladen');
      assert.equal(region.label, region.caption);

      await assertNoViolations(page, 'preview');
    } finally {
      held.release();
    }
  });
});
