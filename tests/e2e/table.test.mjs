// <og-data-table> in the browser: loading, sorting, filtering, paging,
// the URL fragment, downloads, untrusted cell text, the strict CSP, narrow
// screens and charts. The keyboard tests reach every control with Tab and
// press keys instead of clicking.
//
// The main fixture is the real budget table of Cologne's city districts
// (tests/site/table/koeln-bezirke.csv, 252 rows, numbers in German
// notation such as 9.577.207).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';

import { describeLog } from './helpers/browser.mjs';
import { useBrowser } from './helpers/session.mjs';
import { nextFrames, WAIT_MS } from './helpers/widgets.mjs';

const WIDGET = '#haushalt';

const session = useBrowser();

/** Opens a page and waits until the table of `selector` has rendered. */
async function openTable(path, selector = WIDGET, options = {}) {
  const opened = await session.open(path, options);
  await waitForTable(opened.page, selector);
  return opened;
}

async function waitForTable(page, selector) {
  await page.waitForFunction(
    (selector) => document.querySelector(selector)?.querySelector('[data-og-table] tbody tr') != null,
    selector,
    { timeout: WAIT_MS },
  );
}

/** Returns the texts of the cells in column `position` (0-based) of the shown rows. */
function columnTexts(page, selector, position) {
  return page.evaluate(
    ({ selector, position }) =>
      [...document.querySelectorAll(`${selector} [data-og-table] tbody tr`)].map(
        (row) => row.children[position]?.textContent.trim() ?? null,
      ),
    { selector, position },
  );
}

function rangeLabel(page, selector = WIDGET) {
  return page.locator(`${selector} [data-og-range]`).textContent();
}

/** Waits until the range label of the widget reads `expected`. */
async function waitForRange(page, expected, selector = WIDGET) {
  await page.waitForFunction(
    ({ selector, expected }) => document.querySelector(`${selector} [data-og-range]`)?.textContent === expected,
    { selector, expected },
    { timeout: WAIT_MS },
  );
}

/** Waits until the polite live region of the widget reads `expected`. */
async function waitForStatus(page, expected, selector = WIDGET) {
  await page.waitForFunction(
    ({ selector, expected }) => document.querySelector(`${selector} [data-og-status]`)?.textContent === expected,
    { selector, expected },
    { timeout: WAIT_MS },
  );
}

/**
 * Presses Tab until `matches(activeElement)` is true in the page and returns
 * how many presses it took. Fails after `limit` presses.
 */
async function tabTo(page, description, matches, limit = 120) {
  for (let presses = 0; presses < limit; presses += 1) {
    const found = await page.evaluate(`(${matches})(document.activeElement)`);
    if (found) {
      return presses;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${description}`);
}

function activeHook(page, attribute) {
  return page.evaluate((attribute) => document.activeElement?.getAttribute(attribute) ?? null, attribute);
}

describe('loading', () => {
  test('shows progress, then the table', async () => {
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

    await page.locator(`${WIDGET} [data-og-loading] progress`).waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getAttribute(WIDGET, 'data-og-state'), 'loading');
    const label = await page.locator(`${WIDGET} [data-og-loading] p`).textContent();
    assert.match(label, /Daten werden geladen/);
    assert.equal(await page.locator(`${WIDGET} > p`).first().isVisible(), true, 'the fallback is hidden while loading');

    release();
    await waitForTable(page, WIDGET);
    assert.equal(await page.getAttribute(WIDGET, 'data-og-state'), 'ready');
    assert.equal(await page.locator(`${WIDGET} > p`).first().isVisible(), false, 'the fallback is still shown');
    assert.equal(await rangeLabel(page), '1–20 von 252');
  });

  test('caption, headers and numbers', async () => {
    const { page, log } = await openTable('/test/table.html');

    const caption = await page.locator(`${WIDGET} caption`).textContent();
    assert.equal(caption, 'Haushalt der Stadtbezirke 2011 bis 2017 (Euro)');
    const scopes = await page.$$eval(`${WIDGET} thead th`, (cells) => cells.map((cell) => cell.getAttribute('scope')));
    assert.equal(scopes.length, 10);
    assert.ok(scopes.every((scope) => scope === 'col'), `scopes: ${scopes}`);
    const buttons = await page.$$eval(`${WIDGET} thead th > button[data-og-sort]`, (buttons) => buttons.length);
    assert.equal(buttons, 10, 'every header holds a sort button');

    const cell = page.locator(`${WIDGET} tbody tr:nth-child(2) td:nth-child(4)`);
    assert.equal(await cell.textContent(), '9.577.207');
    assert.equal(await cell.getAttribute('data-og-text'), '9.577.207');
    const align = await cell.evaluate((element) => getComputedStyle(element).textAlign);
    assert.equal(align, 'right');
    assert.deepEqual(log.pageErrors, [], describeLog(log));
  });

  test('english page formats numbers in english', async () => {
    const { page } = await openTable('/test/table-en.html', '#budget');

    const cell = page.locator('#budget tbody tr:nth-child(2) td:nth-child(4)');
    assert.equal(await cell.textContent(), '9,577,207');
    assert.equal(await cell.getAttribute('title'), '9.577.207', 'the original text is not kept');
    assert.equal(await rangeLabel(page, '#budget'), '1–20 of 252');
  });

  test('source and licence links are http only', async () => {
    const { page } = await openTable('/test/table.html');

    const source = page.locator(`${WIDGET} [data-og-attribution=source] a`);
    assert.equal(await source.getAttribute('href'), 'https://www.offenedaten-koeln.de/');
    const license = page.locator(`${WIDGET} [data-og-attribution=license]`);
    assert.equal(await license.textContent(), 'Lizenz: CC BY');
    assert.equal(await license.locator('a').count(), 0, 'a javascript: licence link was rendered');
    const notice = await page.locator(`${WIDGET} [data-og-config-warning]`).textContent();
    assert.match(notice, /license-href/);
  });
});

describe('years and postcodes', () => {
  test('shown as written, charted as categories', async () => {
    const { page, log } = await session.open('/test/empty.html');
    await page.evaluate(() => {
      const table = document.createElement('og-data-table');
      table.id = 'jahre';
      table.setAttribute('src', '/test/table/jahre.csv');
      document.getElementById('host').append(table);
    });
    await waitForTable(page, '#jahre');

    assert.deepEqual(await columnTexts(page, '#jahre', 0), ['2023', '2024']);
    assert.deepEqual(await columnTexts(page, '#jahre', 1), ['50667', '10115']);
    // Counts keep their digit grouping.
    assert.deepEqual(await columnTexts(page, '#jahre', 2), ['1.234.567', '1.250.000']);

    // The chart sums the inhabitants per year, not the years.
    await page.locator('#jahre [data-og-chart-toggle]').click();
    await page.locator('#jahre [data-og-chart-panel] svg').waitFor({ timeout: WAIT_MS });
    const x = page.locator('#jahre [data-og-chart-column="x"]');
    const y = page.locator('#jahre [data-og-chart-column="y"]');
    assert.equal(await x.inputValue(), '0');
    assert.equal(await y.inputValue(), '2');
    const yOptions = await y.locator('option').allTextContents();
    assert.deepEqual(yOptions, ['Einwohner']);
    assert.deepEqual(log.pageErrors, [], describeLog(log));
  });
});

describe('element properties', () => {
  test('dataset and title keep their built-in meaning', async () => {
    const { page } = await openTable('/test/table.html');

    const properties = await page.$eval(WIDGET, (element) => {
      element.setAttribute('data-note', 'eins');
      element.title = 'Haushalt';
      return {
        datasetIsMap: element.dataset instanceof DOMStringMap,
        note: element.dataset.note,
        titleAttribute: element.getAttribute('title'),
        srcProperty: element.src,
      };
    });
    assert.equal(properties.datasetIsMap, true, 'element.dataset is no longer the data-* map');
    assert.equal(properties.note, 'eins');
    assert.equal(properties.titleAttribute, 'Haushalt', 'element.title does not reflect its attribute');
    assert.match(properties.srcProperty, /koeln/, 'the widget attribute src lost its property');
  });
});

describe('sorting', () => {
  test('keyboard sort keeps focus on the header', async () => {
    const { page } = await openTable('/test/table.html');

    await tabTo(page, 'the sort button of "Ergebnis 2011"', (element) => element?.getAttribute('data-og-sort') === '3');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#haushalt th[aria-sort="ascending"]').length === 1);
    assert.equal(await activeHook(page, 'data-og-sort'), '3', 'focus left the header button');
    const ascending = await columnTexts(page, WIDGET, 3);
    assert.equal(ascending[0], '-62.633.915');
    const sortedColumn = await page.$eval(`${WIDGET} th[aria-sort]`, (cell) => cell.textContent);
    assert.match(sortedColumn, /Ergebnis 2011/);

    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#haushalt th[aria-sort]')?.getAttribute('aria-sort') === 'descending');
    assert.equal(await activeHook(page, 'data-og-sort'), '3');
    const descending = await columnTexts(page, WIDGET, 3);
    assert.equal(descending[0], '79.476.456');
  });

  test('shift adds a second sort key', async () => {
    const { page } = await openTable('/test/table.html');

    await tabTo(page, 'the sort button of "Bezeichnung"', (element) => element?.getAttribute('data-og-sort') === '1');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#haushalt th[aria-sort]')?.textContent.includes('Bezeichnung'));
    await tabTo(page, 'the sort button of "Plan 2017"', (element) => element?.getAttribute('data-og-sort') === '9');
    await page.keyboard.press('Shift+Enter');
    await page.waitForFunction(() =>
      document.querySelector('#haushalt [data-og-sort="9"]')?.textContent.includes('2. Sortierung aufsteigend'),
    );
    assert.equal(await activeHook(page, 'data-og-sort'), '9');

    const names = await columnTexts(page, WIDGET, 1);
    assert.ok(names.every((name) => name === 'Chorweiler'), `first rows: ${names}`);
    const plans = (await columnTexts(page, WIDGET, 9)).map((text) => Number(text.replace(/\./g, '')));
    assert.deepEqual(plans, [...plans].sort((a, b) => a - b), 'rows of one district are not sorted by Plan 2017');

    await page.click(`${WIDGET} [data-og-sort="9"]`, { modifiers: ['Shift'] });
    await page.waitForFunction(() =>
      document.querySelector('#haushalt [data-og-sort="9"]')?.textContent.includes('2. Sortierung absteigend'),
    );
  });

  test('german collation puts umlauts with their base letter', async () => {
    const { page } = await openTable('/test/table.html');

    await page.click(`${WIDGET} [data-og-sort="1"]`);
    await page.click(`${WIDGET} [data-og-sort="1"]`);
    await page.waitForFunction(() => document.querySelector('#haushalt th[aria-sort]')?.getAttribute('aria-sort') === 'descending');
    const names = await columnTexts(page, WIDGET, 1);
    assert.equal(names[0], 'Rodenkirchen');
    await page.selectOption(`${WIDGET} [data-og-page-size]`, '100');
    await waitForRange(page, '1–100 von 252');
    const shown = [...new Set(await columnTexts(page, WIDGET, 1))];
    assert.deepEqual(shown.slice(0, 4), ['Rodenkirchen', 'Porz', 'Nippes', 'Mühlheim']);
  });
});

describe('filters', () => {
  test('search narrows rows and announces the count', async () => {
    const { page } = await openTable('/test/table.html');

    await page.fill(`${WIDGET} [data-og-search]`, 'personal');
    await waitForRange(page, '1–9 von 9');
    await waitForStatus(page, '9 von 252 Einträgen angezeigt.');
    const live = page.locator(`${WIDGET} [data-og-status]`);
    assert.equal(await live.getAttribute('aria-live'), 'polite');
    assert.equal(await live.getAttribute('role'), 'status');
  });

  test('keyboard filters by value list and range', async () => {
    const { page } = await openTable('/test/table.html');

    await tabTo(page, 'the filter summary', (element) => element?.matches('[data-og-filters] > summary'));
    await page.keyboard.press('Enter');
    await tabTo(page, 'the Kalk checkbox', (element) =>
      element?.type === 'checkbox' && element.labels?.[0]?.textContent.startsWith('Kalk'),
    );
    await page.keyboard.press('Space');
    await waitForRange(page, '1–20 von 28');

    await tabTo(page, 'the lower bound of Plan 2012', (element) => element?.getAttribute('data-og-filter') === '4-from');
    await page.keyboard.type('1.000.000');
    await waitForRange(page, '1–9 von 9');
    await waitForStatus(page, '9 von 252 Einträgen angezeigt.');
    const summary = await page.locator(`${WIDGET} [data-og-filters] > summary`).textContent();
    assert.equal(summary, 'Filter nach Spalten (2 aktiv)');
  });

  test('contains filter folds umlauts', async () => {
    const { page } = await openTable('/test/table.html');

    await page.click(`${WIDGET} [data-og-filters] > summary`);
    await page.fill(`${WIDGET} [data-og-filter="2"]`, 'ertraege');
    await page.waitForFunction(() => document.querySelector('#haushalt [data-og-range]')?.textContent === '1–20 von 45');
    const lines = await columnTexts(page, WIDGET, 2);
    assert.ok(lines.every((line) => /erträge/i.test(line)), `rows: ${lines}`);
  });

  test('unreadable bound is marked', async () => {
    const { page } = await openTable('/test/table.html');

    await page.click(`${WIDGET} [data-og-filters] > summary`);
    await page.fill(`${WIDGET} [data-og-filter="5-to"]`, 'viel');
    const field = page.locator(`${WIDGET} [data-og-filter="5-to"]`);
    await page.waitForFunction(() => document.querySelector('#haushalt [data-og-filter="5-to"]')?.getAttribute('aria-invalid') === 'true');
    const described = await field.getAttribute('aria-describedby');
    const message = await page.locator(`[id="${described}"]`).textContent();
    assert.match(message, /Bitte eine Zahl eingeben/);
    assert.equal(await rangeLabel(page), '1–20 von 252');
  });

  test('empty result offers a reset', async () => {
    const { page } = await openTable('/test/table.html');

    await page.fill(`${WIDGET} [data-og-search]`, 'Xylophonqwertz');
    await page.locator(`${WIDGET} [data-og-empty]`).waitFor({ timeout: WAIT_MS });
    await waitForStatus(page, 'Keine Einträge gefunden.');
    assert.equal(await page.locator(`${WIDGET} [data-og-table]`).count(), 0);

    await page.focus(`${WIDGET} [data-og-empty] [data-og-reset]`);
    await page.keyboard.press('Enter');
    await waitForTable(page, WIDGET);
    assert.equal(await rangeLabel(page), '1–20 von 252');
    assert.equal(await page.evaluate(() => document.activeElement?.hasAttribute('data-og-search')), true,
      'focus did not move to the search field');
    assert.equal(await page.inputValue(`${WIDGET} [data-og-search]`), '');
  });
});

describe('paging', () => {
  test('keyboard paging keeps focus', async () => {
    const { page } = await openTable('/test/table.html');

    await tabTo(page, 'the next page button', (element) => element?.getAttribute('data-og-page') === 'next');
    await page.keyboard.press('Enter');
    await waitForRange(page, '21–40 von 252');
    assert.equal(await activeHook(page, 'data-og-page'), 'next');
    assert.equal(await page.locator(`${WIDGET} [data-og-page-of]`).textContent(), 'Seite 2 von 13');

    await tabTo(page, 'the last page button', (element) => element?.getAttribute('data-og-page') === 'last');
    await page.keyboard.press('Enter');
    await waitForRange(page, '241–252 von 252');
    const last = page.locator(`${WIDGET} [data-og-page="last"]`);
    assert.equal(await last.getAttribute('aria-disabled'), 'true');
    assert.equal(await activeHook(page, 'data-og-page'), 'last', 'focus left the disabled button');
    assert.equal(await page.locator(`${WIDGET} tbody tr`).count(), 12);
  });

  test('page size choice', async () => {
    const { page } = await openTable('/test/table.html');

    await tabTo(page, 'the page size choice', (element) => element?.hasAttribute('data-og-page-size'));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await waitForRange(page, '1–100 von 252');
    assert.equal(await page.locator(`${WIDGET} tbody tr`).count(), 100);
  });

  test('columns can be hidden and shown', async () => {
    const { page } = await openTable('/test/table.html');

    await page.click(`${WIDGET} [data-og-columns] > summary`);
    await page.uncheck(`${WIDGET} [data-og-column-toggle="2"]`);
    await page.waitForFunction(() => document.querySelectorAll('#haushalt thead th').length === 9);
    const headers = await page.$$eval(`${WIDGET} thead th`, (cells) => cells.map((cell) => cell.textContent));
    assert.ok(!headers.some((text) => text.includes('Teilplanzeile')), `headers: ${headers}`);
    await page.check(`${WIDGET} [data-og-column-toggle="2"]`);
    await page.waitForFunction(() => document.querySelectorAll('#haushalt thead th').length === 10);
  });

  test('100,000 rows render one page', async () => {
    const { page, context } = await session.open('/test/table.html');
    const lines = ['Nr;Name;Wert;Datum'];
    for (let row = 1; row <= 100_000; row += 1) {
      const day = String((row % 28) + 1).padStart(2, '0');
      lines.push(`${row};Eintrag ${row % 997};${(row * 7919) % 100_003};${day}.0${(row % 9) + 1}.2024`);
    }
    const body = `${lines.join('\n')}\n`;
    await context.route('**/test/table/gross.csv', (route) =>
      route.fulfill({ status: 200, contentType: 'text/csv; charset=utf-8', body }),
    );
    await page.goto(`${session.base}/test/table-big.html`);
    await waitForTable(page, '#gross');

    assert.equal(await rangeLabel(page, '#gross'), '1–20 von 100.000');
    assert.equal(await page.locator('#gross tbody tr').count(), 20);
    await page.evaluate(() => {
      window.__addedRows = 0;
      new MutationObserver((records) => {
        for (const record of records) {
          window.__addedRows += [...record.addedNodes].filter((node) => node.nodeName === 'TR').length;
        }
      }).observe(document.querySelector('#gross tbody'), { childList: true });
    });
    await page.click('#gross [data-og-sort="2"]');
    await page.waitForFunction(() => document.querySelector('#gross th[aria-sort]') != null, null, { timeout: WAIT_MS });
    await nextFrames(page);
    assert.equal(await page.locator('#gross tbody tr').count(), 20);
    const added = await page.evaluate(() => window.__addedRows);
    assert.ok(added <= 20, `sorting added ${added} rows to the DOM`);
    assert.equal((await columnTexts(page, '#gross', 2))[0], '1');
  });
});

describe('url fragment', () => {
  test('a link reproduces the view', async () => {
    const { page } = await openTable('/test/table.html');

    await page.fill(`${WIDGET} [data-og-search]`, 'Kalk');
    await page.click(`${WIDGET} [data-og-sort="9"]`);
    await page.click(`${WIDGET} [data-og-sort="9"]`);
    await page.click(`${WIDGET} [data-og-page="next"]`);
    await waitForRange(page, '21–28 von 28');
    await page.waitForFunction(() => location.hash.includes('tabelle.p=2'), null, { timeout: WAIT_MS });
    const url = await page.evaluate(() => location.href);
    assert.match(url, /#.*tabelle\.q=Kalk/);
    assert.match(url, /tabelle\.s=!Plan%202017/);
    const rows = await columnTexts(page, WIDGET, 9);

    const { page: second } = await openTable(url);
    await waitForRange(second, '21–28 von 28');
    assert.deepEqual(await columnTexts(second, WIDGET, 9), rows);
    assert.equal(await second.inputValue(`${WIDGET} [data-og-search]`), 'Kalk');
    assert.equal(await second.getAttribute(`${WIDGET} th:nth-child(10)`, 'aria-sort'), 'descending');
  });

  test('filters and hidden columns travel in the link', async () => {
    const fragment = '#tabelle.f.Bezeichnung=v:Porz,Kalk&tabelle.f.Plan%202012=n:1000000:&tabelle.h=Teilplanzeile&tabelle.n=10';
    const { page } = await openTable(`/test/table.html${fragment}`);

    await waitForRange(page, '1–10 von 18');
    assert.equal(await page.locator(`${WIDGET} thead th`).count(), 9);
    await page.click(`${WIDGET} [data-og-filters] > summary`);
    assert.equal(await page.inputValue(`${WIDGET} [data-og-filter="4-from"]`), '1.000.000');
  });

  test('bad fragment is ignored', async () => {
    const fragment = '#oben&tabelle.p=abc&tabelle.s=Gibt%20es%20nicht,!&tabelle.f.Plan%202012=n:x:&tabelle.zz=%E0%A4';
    const { page, log } = await openTable(`/test/table.html${fragment}`);

    assert.equal(await page.getAttribute(WIDGET, 'data-og-state'), 'ready');
    assert.match(await rangeLabel(page), / von 252$/);
    assert.equal(await page.locator(`${WIDGET} th[aria-sort]`).count(), 0);
    assert.deepEqual(log.pageErrors, [], describeLog(log));
  });

  test('hash change applies a new view', async () => {
    const { page } = await openTable('/test/table.html');

    await page.evaluate(() => {
      location.hash = 'tabelle.q=Kalk&tabelle.p=2';
    });
    await waitForRange(page, '21–28 von 28');
  });
});

describe('downloads', () => {
  test('csv has a byte-order mark and semicolons', async () => {
    const { page } = await openTable('/test/table.html');
    await page.fill(`${WIDGET} [data-og-search]`, 'Porz');
    await waitForRange(page, '1–20 von 28');
    await page.click(`${WIDGET} [data-og-sort="3"]`);
    await page.waitForFunction(() => document.querySelector('#haushalt th[aria-sort]') != null);

    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: WAIT_MS }),
      page.click(`${WIDGET} [data-og-download="csv"]`),
    ]);
    assert.equal(download.suggestedFilename(), 'koeln-bezirke.csv');
    const bytes = await readFile(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'no UTF-8 byte-order mark');
    const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'Bezirk;Bezeichnung;Teilplanzeile;Ergebnis 2011;Plan 2012;Plan 2013;Plan 2014;Plan 2015;Plan 2016;Plan 2017');
    assert.equal(lines.length, 29);
    assert.ok(lines.slice(1).every((line) => line.startsWith('7;Porz;')), 'rows outside the filter');
    const first = lines[1].split(';')[3];
    assert.equal(first, '-40.561.514', 'rows are not in the shown order or not in the original notation');
  });

  test('json has the filtered rows', async () => {
    const { page } = await openTable('/test/table.html');
    await page.fill(`${WIDGET} [data-og-search]`, 'Chorweiler');
    await waitForRange(page, '1–20 von 28');

    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: WAIT_MS }),
      page.click(`${WIDGET} [data-og-download="json"]`),
    ]);
    assert.equal(download.suggestedFilename(), 'koeln-bezirke.json');
    const records = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(records.length, 28);
    assert.equal(records[0].Bezeichnung, 'Chorweiler');
    assert.equal(typeof records[0]['Plan 2012'], 'number');
  });
});

describe('untrusted content', () => {
  test('markup in cells and headers stays text', async () => {
    const { page, log } = await session.open('/test/table-xss.html');
    await waitForTable(page, '#xss-csv');
    await waitForTable(page, '#xss-json');
    await page.click('#xss-csv [data-og-filters] > summary');
    await page.click('#xss-json [data-og-filters] > summary');
    await page.hover('#xss-csv tbody tr:first-child td:first-child');
    await nextFrames(page);

    const found = await page.evaluate(() => {
      const widgets = [...document.querySelectorAll('og-data-table')];
      const forbidden = widgets.flatMap((widget) =>
        [...widget.querySelectorAll('script, iframe, img, b, a[href^="javascript"], svg[onload]')].map((element) => element.outerHTML),
      );
      const handlers = widgets.flatMap((widget) =>
        [...widget.querySelectorAll('*')].flatMap((element) =>
          [...element.attributes].filter((attribute) => /^on/i.test(attribute.name)).map((attribute) => attribute.name),
        ),
      );
      return { forbidden, handlers, xss: window.__xss ?? null, headers: document.querySelector('#xss-csv thead').textContent };
    });
    assert.deepEqual(found.forbidden, []);
    assert.deepEqual(found.handlers, []);
    assert.equal(found.xss, null);
    assert.match(found.headers, /<img src=x onerror="window.__xss=1">/);
    const cell = await page.locator('#xss-csv tbody tr:first-child td:first-child').textContent();
    assert.equal(cell, '<b onmouseover="window.__xss=3">fett</b>');
    assert.deepEqual(log.pageErrors, [], describeLog(log));
  });
});

describe('strict csp', () => {
  test('table works without violations or inline styles', async () => {
    const { page, log } = await openTable('/test/table.html');
    const response = await page.request.get(`${session.base}/test/table.html`);
    const policy = response.headers()['content-security-policy'] ?? '';
    assert.match(policy, /script-src[^;]*'wasm-unsafe-eval'/, `no strict CSP: "${policy}"`);
    assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'/);

    await page.click(`${WIDGET} [data-og-sort="4"]`);
    await page.click(`${WIDGET} [data-og-chart-toggle]`);
    await page.locator(`${WIDGET} svg[data-og-chart]`).waitFor({ timeout: WAIT_MS });
    await Promise.all([page.waitForEvent('download', { timeout: WAIT_MS }), page.click(`${WIDGET} [data-og-download="csv"]`)]);

    const styled = await page.$$eval(`${WIDGET} [style]`, (elements) => elements.map((element) => element.outerHTML));
    assert.deepEqual(styled, []);
    assert.deepEqual(log.cspViolations, [], `CSP violations:\n${describeLog(log)}`);
    assert.deepEqual(log.pageErrors, []);
  });
});

describe('narrow screen', () => {
  test('table scrolls inside a labelled region', async () => {
    const { page } = await session.open('/test/table.html');
    await page.setViewportSize({ width: 320, height: 640 });
    await waitForTable(page, WIDGET);

    const region = page.locator(`${WIDGET} [data-og-scroll]`);
    assert.equal(await region.getAttribute('role'), 'region');
    assert.equal(await region.getAttribute('tabindex'), '0');
    const labelledBy = await region.getAttribute('aria-labelledby');
    assert.equal(await page.locator(`[id="${labelledBy}"]`).evaluate((element) => element.tagName), 'CAPTION');

    const sizes = await page.evaluate(() => {
      const scroll = document.querySelector('#haushalt [data-og-scroll]');
      return {
        page: document.documentElement.scrollWidth,
        viewport: document.documentElement.clientWidth,
        region: scroll.scrollWidth,
        regionVisible: scroll.clientWidth,
      };
    });
    assert.ok(sizes.page <= sizes.viewport, `the page scrolls sideways: ${JSON.stringify(sizes)}`);
    assert.ok(sizes.region > sizes.regionVisible, `the table does not scroll: ${JSON.stringify(sizes)}`);

    await region.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('#haushalt [data-og-scroll]').scrollLeft > 0);
  });
});

describe('chart', () => {
  test('line chart for a date column', async () => {
    const { page, log } = await openTable('/test/table-chart.html', '#messwerte');

    const svg = page.locator('#messwerte svg[data-og-chart="line"]');
    await svg.waitFor({ timeout: WAIT_MS });
    assert.equal(await svg.getAttribute('role'), 'img');
    const [titleId, descId] = (await svg.getAttribute('aria-labelledby')).split(' ');
    assert.equal(await page.locator(`[id="${titleId}"]`).evaluate((element) => element.tagName), 'title');
    const description = await page.locator(`[id="${descId}"]`).textContent();
    assert.match(description, /Liniendiagramm mit 5 Punkten von 01\.01\.2024 bis 05\.01\.2024/);
    assert.match(description, /Tabelle/);
    assert.equal(await svg.locator('circle').count(), 5);
    assert.equal(await page.locator('#messwerte [data-og-table]').count(), 1, 'the table is gone');
    assert.deepEqual(log.cspViolations, []);
  });

  test('bar chart follows the filters', async () => {
    const { page } = await openTable('/test/table.html');

    await page.click(`${WIDGET} [data-og-chart-toggle]`);
    const svg = page.locator(`${WIDGET} svg[data-og-chart="bar"]`);
    await svg.waitFor({ timeout: WAIT_MS });
    assert.equal(await svg.locator('[data-og-bar]').count(), 9);
    await page.selectOption(`${WIDGET} [data-og-chart-column="x"]`, { label: 'Teilplanzeile' });
    await page.waitForFunction(() => document.querySelectorAll('#haushalt [data-og-bar]').length === 25);
    await page.fill(`${WIDGET} [data-og-search]`, 'Mühlheim');
    await page.waitForFunction(() => document.querySelectorAll('#haushalt [data-og-bar]').length === 25);
    const description = await svg.locator('desc').textContent();
    assert.match(description, /die ersten 25 von 28 Kategorien/);
    await page.waitForFunction(() => location.hash.includes('tabelle.c=Teilplanzeile,Ergebnis%202011'));
  });

  test('json records with a value list', async () => {
    const { page } = await openTable('/test/table-chart.html', '#einrichtungen');

    assert.equal(await page.getAttribute('#einrichtungen [data-og-format]', 'data-og-format'), 'json');
    await page.click('#einrichtungen [data-og-filters] > summary');
    await page.check('#einrichtungen [data-og-filter="1"] label:text-is("Kita (2)")');
    await waitForRange(page, '1–2 von 2', '#einrichtungen');
  });
});
