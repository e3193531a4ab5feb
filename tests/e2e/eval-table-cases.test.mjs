// <og-data-table> in Chromium with the byte-exact table case files of
// data/eval/cases/. They cover Excel exports (BOM, Windows-1252), line
// breaks inside quoted fields, delimiters with decimal commas, blank lines,
// ragged rows and an unclosed quote. A CKAN DataStore returns at most 100
// records per response, and markup in the data must stay text.
//
// Each test serves the page and the case files through Playwright routes
// on the site's own origin, so a test chooses the Content-Type of every
// file. The CKAN responses come from the case's three mock responses.
// The pages carry the same strict Content-Security-Policy as `ogkit serve`.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { describeLog, launchBrowser, openPage } from './helpers/browser.mjs';
import { REPO_ROOT, siteUrl } from './helpers/site.mjs';
import { STRICT_CSP } from './helpers/static-server.mjs';
import { nextFrames, WAIT_MS } from './helpers/widgets.mjs';

const CASES_DIR = join(REPO_ROOT, 'data/eval/cases');

/** The resource of the CKAN case, and the maximum records in one response. */
const RESOURCE_ID = '00000000-0000-4000-8000-000000000006';
const SITE_ROWS_MAX = 100;

let base;
let launched;

before(async () => {
  base = await siteUrl();
  launched = await launchBrowser();
});

after(async () => {
  await launched?.close();
});

function caseBytes(name) {
  return readFile(join(CASES_DIR, name));
}

/** Returns a page around `body` that loads the widgets from /ogkit/. */
function pageHtml(body) {
  return `<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <title>Testfall</title>
  <link rel="stylesheet" href="/ogkit/ogkit.css">
  <script type="module" src="/ogkit/ogkit.js"></script>
</head>
<body>
  <main>
    <h1>Testfall</h1>
    ${body}
  </main>
</body>
</html>
`;
}

/**
 * Opens `body` as a page at /eval/seite.html (plus `hash`). `files` maps
 * a path under /eval/ to `{ bytes, type }`, the exact response body and
 * Content-Type; `extraRoutes` adds handlers of its own.
 */
async function openCase(body, { files = {}, hash = '', extraRoutes = [] } = {}) {
  const opened = await openPage(launched, null);
  const { context, page } = opened;
  await context.route(`${base}/eval/seite.html`, (route) =>
    route.fulfill({
      status: 200,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': STRICT_CSP },
      body: pageHtml(body),
    }),
  );
  for (const [path, file] of Object.entries(files)) {
    await context.route(`${base}/eval/${path}`, (route) =>
      route.fulfill({ status: 200, headers: { 'Content-Type': file.type }, body: file.bytes }),
    );
  }
  for (const [pattern, handler] of extraRoutes) {
    await context.route(pattern, handler);
  }
  await page.goto(`${base}/eval/seite.html${hash}`);
  return opened;
}

/** Waits until the widget `selector` has left its loading state and returns that state. */
async function settled(page, selector) {
  await page.waitForFunction(
    (selector) => ['ready', 'error'].includes(document.querySelector(selector)?.getAttribute('data-og-state')),
    selector,
    { timeout: WAIT_MS },
  );
  return page.getAttribute(selector, 'data-og-state');
}

async function waitForRows(page, selector) {
  await page.waitForFunction(
    (selector) => document.querySelector(selector)?.querySelector('[data-og-table] tbody tr') != null,
    selector,
    { timeout: WAIT_MS },
  );
}

function headers(page, selector) {
  return page.$$eval(`${selector} [data-og-table] thead th`, (cells) =>
    cells.map((cell) => (cell.querySelector('.og-table__sort-name') ?? cell).textContent),
  );
}

/** Returns the texts of the shown rows, one array of cell texts per row. */
function rows(page, selector) {
  return page.$$eval(`${selector} [data-og-table] tbody tr`, (rows) =>
    rows.map((row) => [...row.children].map((cell) => cell.textContent)),
  );
}

function rangeLabel(page, selector) {
  return page.locator(`${selector} [data-og-range]`).textContent();
}

/** Returns every text the widget shows, its alert and its folded warnings included. */
function widgetText(page, selector) {
  return page.$eval(selector, (element) => element.textContent);
}

describe('excel exports', () => {
  const leistungen = ['Reisepass', 'Personalausweis', 'Führungszeugnis'];

  test('utf-8 bom never reaches the header', async () => {
    const bytes = await caseBytes('case-01a-utf8-bom.csv');
    const { page, log } = await openCase('<og-data-table id="t" src="/eval/01a.csv"></og-data-table>', {
      files: { '01a.csv': { bytes, type: 'text/csv' } },
    });
    await waitForRows(page, '#t');

    const names = await headers(page, '#t');
    assert.deepEqual(names, ['Leistung', 'Gebühr (EUR)', 'Zuständig']);
    assert.equal(names[0].length, 8);
    assert.ok(!names[0].includes('\uFEFF'), 'the byte-order mark is in the first name');
    assert.ok(!names[0].includes('"'), 'a quote is in the first name');
    assert.deepEqual((await rows(page, '#t')).map((row) => row[0]), leistungen);
    assert.deepEqual(log.pageErrors, [], describeLog(log));
  });

  test('columns chosen by name and sorted', async () => {
    const bytes = await caseBytes('case-01a-utf8-bom.csv');
    const { page } = await openCase('<og-data-table id="t" src="/eval/01a.csv"></og-data-table>', {
      files: { '01a.csv': { bytes, type: 'text/csv' } },
      hash: `#tabelle.s=Leistung&tabelle.h=${encodeURIComponent('Zuständig')}`,
    });
    await waitForRows(page, '#t');

    assert.deepEqual(await headers(page, '#t'), ['Leistung', 'Gebühr (EUR)']);
    assert.deepEqual((await rows(page, '#t')).map((row) => row[0]), [
      'Führungszeugnis',
      'Personalausweis',
      'Reisepass',
    ]);
  });

  test('without header the first cell is leistung', async () => {
    const bytes = await caseBytes('case-01a-utf8-bom.csv');
    const { page } = await openCase('<og-data-table id="t" src="/eval/01a.csv" header-row="none"></og-data-table>', {
      files: { '01a.csv': { bytes, type: 'text/csv' } },
    });
    await waitForRows(page, '#t');

    const shown = await rows(page, '#t');
    assert.equal(shown[0][0], 'Leistung');
    assert.equal(shown.length, 4);
  });

  for (const type of ['text/csv', 'text/csv; charset=ISO-8859-1']) {
    test(`windows-1252 served as ${type}`, async () => {
      const bytes = await caseBytes('case-01b-cp1252.csv');
      const { page } = await openCase('<og-data-table id="t" src="/eval/01b.csv"></og-data-table>', {
        files: { '01b.csv': { bytes, type } },
      });
      await waitForRows(page, '#t');

      assert.deepEqual(await headers(page, '#t'), ['Straße', 'Gebühr (€)', 'Hinweis']);
      const shown = await rows(page, '#t');
      assert.deepEqual(shown.map((row) => row[0]), ['Großer Umzug', 'Führerschein ändern', 'Übergabe Schlüssel']);
      assert.equal(shown[2][2], '„kostenfrei“');
      const text = await page.evaluate(() => document.body.textContent);
      assert.ok(!text.includes('\uFFFD'), 'a replacement character is shown');
      assert.ok(!/[\u0080-\u009F]/.test(text), 'a C1 control character is shown');
    });
  }
});

describe('line breaks in quoted fields', () => {
  test('lf records with crlf inside a field', async () => {
    const bytes = await caseBytes('case-02a-lf-records-crlf-in-field.csv');
    const { page } = await openCase('<og-data-table id="t" src="/eval/02a.csv"></og-data-table>', {
      files: { '02a.csv': { bytes, type: 'text/csv' } },
    });
    assert.equal(await settled(page, '#t'), 'ready');

    assert.deepEqual(await headers(page, '#t'), ['Leistung', 'Hinweise']);
    const shown = await rows(page, '#t');
    assert.equal(shown.length, 2);
    assert.deepEqual(shown[0][1].split(/\r?\n/), ['Bitte mitbringen:', 'Personalausweis', 'Wohnungsgeberbestätigung']);
    assert.deepEqual(shown[1], ['Hund anmelden', 'Formular online']);
    assert.equal(await page.locator('#t [data-og-error]').count(), 0);
  });

  test('crlf records with lf and a blank line inside a field', async () => {
    const bytes = await caseBytes('case-02b-crlf-records-lf-in-field.csv');
    const { page } = await openCase('<og-data-table id="t" src="/eval/02b.csv"></og-data-table>', {
      files: { '02b.csv': { bytes, type: 'text/csv' } },
    });
    assert.equal(await settled(page, '#t'), 'ready');

    assert.deepEqual(await headers(page, '#t'), ['Leistung', 'Hinweise', 'Gebühr']);
    const shown = await rows(page, '#t');
    assert.equal(shown.length, 2);
    assert.equal(shown[0][1], 'Termin "online" buchen\n\nmax. 5 m³ pro Abholung');
    assert.equal(shown[0][2].trim(), '0,00');
    assert.deepEqual(shown[1].map((text) => text.trim()), ['Altkleider', 'Container am Wertstoffhof', '']);
  });

  // Text cells use `white-space: pre-line`. With the default `normal`, the
  // three lines of the cell would show as one line.
  test('line breaks stay visible in the cell', async () => {
    const bytes = await caseBytes('case-02a-lf-records-crlf-in-field.csv');
    const { page } = await openCase('<og-data-table id="t" src="/eval/02a.csv"></og-data-table>', {
      files: { '02a.csv': { bytes, type: 'text/csv' } },
    });
    await waitForRows(page, '#t');

    const cell = page.locator('#t [data-og-table] tbody tr:first-child td:nth-child(2)');
    const lines = (await cell.innerText()).split('\n').filter((line) => line.trim() !== '');
    assert.deepEqual(lines, ['Bitte mitbringen:', 'Personalausweis', 'Wohnungsgeberbestätigung']);
  });
});

describe('delimiters with decimal commas', () => {
  test('semicolon budget, tab values and a tie', async () => {
    const files = {
      '03a.csv': { bytes: await caseBytes('case-03a-semicolon.csv'), type: 'text/csv' },
      '03b.tsv': { bytes: await caseBytes('case-03b-tab.tsv'), type: 'text/tab-separated-values' },
      '03c.csv': { bytes: await caseBytes('case-03c-tie.csv'), type: 'text/csv' },
    };
    const { page } = await openCase(
      `<og-data-table id="a" src="/eval/03a.csv" fragment-key="a"></og-data-table>
       <og-data-table id="b" src="/eval/03b.tsv" fragment-key="b"></og-data-table>
       <og-data-table id="c" src="/eval/03c.csv" fragment-key="c"></og-data-table>
       <og-data-table id="d" src="/eval/03c.csv" fragment-key="d" delimiter=";"></og-data-table>`,
      { files },
    );
    for (const selector of ['#a', '#b', '#c', '#d']) {
      await waitForRows(page, selector);
    }

    assert.deepEqual(await headers(page, '#a'), ['Produkt', 'Bezeichnung', 'Ansatz 2024', 'Ansatz 2025']);
    const budget = await rows(page, '#a');
    assert.equal(budget.length, 4);
    assert.equal(budget[0][0], '11.1.01');
    assert.equal(budget[3][1], 'Öffentliches Grün');
    assert.equal(budget[3][3].trim(), '');

    assert.equal((await headers(page, '#b')).length, 3);
    const market = (await rows(page, '#b')).find((row) => row[0] === 'Marktplatz');
    assert.deepEqual(market.slice(1).map((text) => text.trim()), ['21,5', '38,2']);

    for (const selector of ['#c', '#d']) {
      assert.deepEqual(await headers(page, selector), ['Messstelle', 'Nitrat, mg/l'], selector);
      const wells = await rows(page, selector);
      assert.equal(wells.length, 3, selector);
      assert.equal(wells.find((row) => row[0] === 'Brunnen Süd')?.[1].trim(), '8,9', selector);
    }
  });
});

describe('blank lines, ragged rows and an unclosed quote', () => {
  for (const name of ['case-05a-trailing-blank.csv', 'case-05a2-trailing-blank-crlf.csv']) {
    test(`${name} has two rows`, async () => {
      const bytes = await caseBytes(name);
      const { page } = await openCase('<og-data-table id="t" src="/eval/05a.csv"></og-data-table>', {
        files: { '05a.csv': { bytes, type: 'text/csv' } },
      });
      assert.equal(await settled(page, '#t'), 'ready');

      const shown = await rows(page, '#t');
      assert.deepEqual(shown.map((row) => row.map((text) => text.trim())), [
        ['Altstadt', '12.400'],
        ['Nordviertel', '8.150'],
      ]);
      assert.equal(await rangeLabel(page, '#t'), '1–2 von 2');
      assert.equal(await page.locator('#t [data-og-error]').count(), 0);
      assert.equal(await page.locator('#t [data-og-warnings]').count(), 0);
    });
  }

  test('ragged rows are kept and named', async () => {
    const bytes = await caseBytes('case-05b-ragged.csv');
    const { page } = await openCase('<og-data-table id="t" src="/eval/05b.csv"></og-data-table>', {
      files: { '05b.csv': { bytes, type: 'text/csv' } },
    });
    assert.equal(await settled(page, '#t'), 'ready');

    const names = await headers(page, '#t');
    const shown = await rows(page, '#t');
    assert.deepEqual(shown.map((row) => row[0]), ['Altstadt', 'Nordviertel', 'Südstadt', 'Hafen "Ost"', 'Westend']);
    assert.equal(shown[1][names.indexOf('Fläche km²')].trim(), '');
    const text = await widgetText(page, '#t');
    assert.ok(shown[2].includes('Sonderzone') || /Zeile 4[^]*Sonderzone/.test(text), 'Sonderzone is dropped silently');
    const warnings = await page.locator('#t [data-og-warnings]').textContent();
    assert.match(warnings, /Zeile 3/);
    assert.match(warnings, /Zeile 4/);
  });

  test('unclosed quote names line 5', async () => {
    const bytes = await caseBytes('case-05c-unclosed-quote.csv');
    const { page } = await openCase('<og-data-table id="t" src="/eval/05c.csv"></og-data-table>', {
      files: { '05c.csv': { bytes, type: 'text/csv' } },
    });
    await settled(page, '#t');

    const alert = await page.locator('#t [role=alert]').textContent();
    assert.match(alert, /Zeile 5/);
    assert.match(alert, /Anführungszeichen/);
    const shown = await rows(page, '#t');
    assert.deepEqual(shown.map((row) => row[0]), ['Altstadt', 'Nordviertel', 'Südstadt']);
    for (const row of shown) {
      for (const cell of row) {
        assert.ok(!/Westend|Bergheim/.test(cell), `cell "${cell}" holds a later line`);
      }
    }
  });
});

describe('ckan datastore with a site limit of 100 records', () => {
  /** Returns a route handler for the case's CKAN API, and the searches it received. */
  async function ckanMock() {
    const records = [];
    let fields = null;
    for (const offset of [0, 100, 200]) {
      const answer = JSON.parse(await caseBytes(`case-06a-ckan/datastore_search-offset-${offset}.json`));
      records.push(...answer.result.records);
      fields = answer.result.fields;
    }
    const resource = {
      id: RESOURCE_ID,
      package_id: 'haltestellen',
      name: 'Haltestellen',
      format: 'CSV',
      datastore_active: true,
      url_type: 'datastore',
      url: `${base}/datastore/dump/${RESOURCE_ID}`,
      state: 'active',
      position: 0,
    };
    const searches = [];
    const reply = (route, status, body) =>
      route.fulfill({ status, headers: { 'Content-Type': 'application/json;charset=utf-8' }, body: JSON.stringify(body) });
    const notFound = { success: false, error: { __type: 'Not Found Error', message: 'Not found' } };

    const handler = (route) => {
      const url = new URL(route.request().url());
      const action = url.pathname.split('/').pop();
      const params = url.searchParams;
      if (action === 'resource_show') {
        return params.get('id') === RESOURCE_ID ? reply(route, 200, { success: true, result: resource }) : reply(route, 404, notFound);
      }
      if (action === 'package_show') {
        return params.get('id') === 'haltestellen'
          ? reply(route, 200, { success: true, result: { id: 'haltestellen', name: 'haltestellen', title: 'Haltestellen', resources: [resource] } })
          : reply(route, 404, notFound);
      }
      if (action !== 'datastore_search') {
        return reply(route, 400, { success: false, error: { message: `unknown action ${action}` } });
      }
      searches.push(Object.fromEntries(params));
      if ((params.get('resource_id') ?? params.get('id')) !== RESOURCE_ID) {
        return reply(route, 404, notFound);
      }
      const offset = Number(params.get('offset') ?? 0);
      const limit = Math.min(Number(params.get('limit') ?? 100), SITE_ROWS_MAX);
      return reply(route, 200, {
        success: true,
        result: {
          include_total: true,
          resource_id: RESOURCE_ID,
          fields,
          records_format: 'objects',
          records: records.slice(offset, offset + limit),
          limit,
          offset,
          total: records.length,
        },
      });
    };
    return { handler, searches };
  }

  async function openDatastore(pageSize, hash = '') {
    const mock = await ckanMock();
    const opened = await openCase(
      `<og-data-table id="t" ckan="${base}" resource-id="${RESOURCE_ID}" page-size="${pageSize}"></og-data-table>`,
      { hash, extraRoutes: [[`${base}/api/3/action/**`, mock.handler]] },
    );
    await waitForRows(opened.page, '#t');
    return { ...opened, searches: mock.searches };
  }

  test('page 10 of 25 rows shows stops 226 to 250', async () => {
    const { page, searches, log } = await openDatastore(25);

    assert.equal(await rangeLabel(page, '#t'), '1–25 von 250');
    assert.ok(!(await headers(page, '#t')).includes('_id'), 'the _id column is shown');

    await page.click('#t [data-og-page="last"]');
    await page.waitForFunction(
      () => document.querySelector('#t [data-og-range]')?.textContent === '226–250 von 250',
      null,
      { timeout: WAIT_MS },
    );
    const names = await headers(page, '#t');
    const stops = (await rows(page, '#t')).map((row) => row[names.indexOf('Haltestelle')]);
    assert.equal(stops.length, 25);
    assert.equal(stops[0], 'Haltestelle 226');
    assert.equal(stops[24], 'Haltestelle 250');
    assert.ok(searches.some((search) => search.offset === '225'), JSON.stringify(searches));
    assert.ok(searches.every((search) => Number(search.limit ?? 100) <= 32000), JSON.stringify(searches));
    assert.deepEqual(log.pageErrors, [], describeLog(log));
  });

  // The site returns at most 100 records per request, so a page of 250
  // rows needs follow-up requests at offsets 100 and 200.
  test('page larger than site limit is complete', async () => {
    const { page, searches } = await openDatastore(250);

    assert.equal(await rangeLabel(page, '#t'), '1–250 von 250');
    const names = await headers(page, '#t');
    const stops = (await rows(page, '#t')).map((row) => row[names.indexOf('Haltestelle')]);
    assert.equal(stops.length, 250, `requests: ${JSON.stringify(searches)}`);
    assert.equal(stops[249], 'Haltestelle 250');
  });
});

describe('markup in the data', () => {
  const TITLE = 'Testfall';

  /** Lists what the data must never create inside the widgets. */
  function forbiddenMarkup(page) {
    return page.evaluate(() => {
      const widgets = [...document.querySelectorAll('og-data-table')];
      const roots = widgets.flatMap((widget) => [widget, widget.shadowRoot].filter(Boolean));
      const found = [];
      for (const root of roots) {
        for (const element of root.querySelectorAll('img, script, svg:not([data-og-chart]), style, b, i, iframe')) {
          found.push(element.outerHTML);
        }
        for (const element of root.querySelectorAll('*')) {
          for (const attribute of element.attributes) {
            if (/^on/i.test(attribute.name)) found.push(`${element.tagName} ${attribute.name}`);
          }
        }
        for (const link of root.querySelectorAll('a[href]')) {
          if (!/^https?:/i.test(link.href)) found.push(`link to ${link.getAttribute('href')}`);
        }
      }
      return found;
    });
  }

  /** Moves the mouse over every shown cell and clicks it. */
  async function touchEveryCell(page, selector) {
    const cells = page.locator(`${selector} [data-og-table] tbody td`);
    const count = await cells.count();
    for (let index = 0; index < count; index += 1) {
      await cells.nth(index).hover();
      await cells.nth(index).click();
    }
  }

  async function assertInert(page, step) {
    await nextFrames(page);
    assert.equal(await page.title(), TITLE, `document.title changed after ${step}`);
    assert.deepEqual(await forbiddenMarkup(page), [], `after ${step}`);
  }

  test('payloads stay text through sort, paging and filter', async () => {
    const files = {
      '09.csv': { bytes: await caseBytes('case-09.csv'), type: 'text/csv' },
      '09.json': { bytes: await caseBytes('case-09.json'), type: 'application/json' },
    };
    const { page, log } = await openCase(
      `<og-data-table id="csv" src="/eval/09.csv" fragment-key="csv" page-size="2"></og-data-table>
       <og-data-table id="json" src="/eval/09.json" fragment-key="json" page-size="2"></og-data-table>`,
      { files },
    );
    await waitForRows(page, '#csv');
    await waitForRows(page, '#json');
    await assertInert(page, 'rendering');

    for (const selector of ['#csv', '#json']) {
      await touchEveryCell(page, selector);
      await assertInert(page, `${selector}: touching every cell`);
      const sorts = await page.locator(`${selector} [data-og-sort]`).count();
      for (let position = 0; position < sorts; position += 1) {
        for (const direction of ['ascending', 'descending']) {
          await page.locator(`${selector} [data-og-sort]`).nth(position).click();
          await touchEveryCell(page, selector);
          await assertInert(page, `${selector}: sorting column ${position} ${direction}`);
        }
      }
      // The JSON case has two records, so at two rows per page it has one page.
      if ((await page.getAttribute(`${selector} [data-og-page="next"]`, 'aria-disabled')) !== 'true') {
        await page.click(`${selector} [data-og-page="next"]`);
        await touchEveryCell(page, selector);
        await page.click(`${selector} [data-og-page="previous"]`);
        await assertInert(page, `${selector}: paging`);
      }
      await page.fill(`${selector} [data-og-search]`, 'Markt');
      await page.waitForFunction(
        (selector) => /von 1$/.test(document.querySelector(`${selector} [data-og-range]`)?.textContent ?? ''),
        selector,
        { timeout: WAIT_MS },
      );
      await touchEveryCell(page, selector);
      await assertInert(page, `${selector}: filtering "Markt"`);
      await page.fill(`${selector} [data-og-search]`, '');
    }

    await page.selectOption('#csv [data-og-page-size]', '10');
    await page.waitForFunction(() => document.querySelectorAll('#csv [data-og-table] tbody tr').length === 4, null, {
      timeout: WAIT_MS,
    });
    const cells = (await rows(page, '#csv')).flat();
    assert.ok(cells.includes(`<img src=x onerror="document.title='XSS-1'">`), JSON.stringify(cells));
    assert.ok(cells.includes('Tom &amp; Jerry & Co'), JSON.stringify(cells));
    assert.ok(cells.includes('<style>*{display:none}</style>'), JSON.stringify(cells));
    const links = await page.$$eval('#csv [data-og-table] a[href]', (links) => links.map((link) => link.getAttribute('href')));
    assert.ok(links.every((href) => /^https?:/.test(href)), JSON.stringify(links));
    if (links.length > 0) {
      assert.ok(links.includes('https://example.org/?a=1&b=2'), JSON.stringify(links));
    }
    const hidden = await page.evaluate(() => {
      const table = document.querySelector('#csv [data-og-table]');
      return table.getBoundingClientRect().height === 0 || getComputedStyle(table).display === 'none';
    });
    assert.equal(hidden, false, 'the <style> cell hid the table');
    assert.deepEqual(log.pageErrors, [], describeLog(log));
  });
});
