// axe-core finds no WCAG 2.1 A or AA violation in any state of
// <og-data-table>: loading, loaded, filtered, empty result, chart, error,
// at 320 px and on the demo page. axe runs under the page's own strict CSP.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { axeViolations, formatViolations } from './helpers/axe.mjs';
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
