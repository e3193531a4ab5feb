// <og-data-table ckan="…"> against the CKAN mock: the dataset's facts,
// paging through a million DataStore rows, sorting and filtering on the
// server, a CSV resource through the file path, and every failure mode
// with its message and no accessibility violation.
//
// The pages are written per run, because they name the mock's random
// port, and served with the strict CSP plus the mock in connect-src, the
// one change a city must make to its policy for a CKAN table.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { axeViolations } from './helpers/axe.mjs';
import { describeLog, launchBrowser, openPage } from './helpers/browser.mjs';
import { BIG_FIELDS, BIG_RESOURCE_ID, FAILURE_IDS, startCkanMock } from './helpers/ckan-mock.mjs';
import { PKG_DIR } from './helpers/site.mjs';
import { startStaticServer, STRICT_CSP } from './helpers/static-server.mjs';
import { nextFrames, WAIT_MS } from './helpers/widgets.mjs';

let mock;
let site;
let launched;
let pagesDir;

/** Returns a test page around `body`, loading the widgets from /ogkit/. */
function page(title, body, lang = 'de') {
  return `<!doctype html>
<html lang="${lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>
  <link rel="stylesheet" href="/ogkit/ogkit.css">
  <script type="module" src="/ogkit/ogkit.js"></script>
</head>
<body>
  <main>
    <h1>${title}</h1>
    ${body}
  </main>
</body>
</html>
`;
}

before(async () => {
  mock = await startCkanMock();
  const ckan = mock.url;
  pagesDir = await mkdtemp(join(tmpdir(), 'ogkit-ckan-'));
  const pages = {
    'datastore.html': page(
      'Baumkataster',
      `<og-data-table id="baeume" ckan="${ckan}" dataset="baumkataster-musterstadt" page-size="20">
        <p><a href="${ckan}/dataset/baumkataster-musterstadt">Der Datensatz im Portal</a></p>
      </og-data-table>`,
    ),
    'datastore-en.html': page(
      'Tree register',
      `<og-data-table id="baeume" ckan="${ckan}/api/3" resource-id="${BIG_RESOURCE_ID}" page-size="10"></og-data-table>`,
      'en',
    ),
    'file.html': page(
      'Wahlergebnisse',
      `<og-data-table id="wahl" ckan="${ckan}" dataset="wahlergebnisse-2024"></og-data-table>`,
    ),
    'slow.html': page(
      'Langsamer Server',
      `<og-data-table id="langsam" ckan="${ckan}" resource-id="${FAILURE_IDS.slow}"></og-data-table>`,
    ),
    'errors.html': page(
      'Fehlerfälle',
      [
        ['fehlt', `ckan="${ckan}" resource-id="gibt-es-nicht"`],
        ['server', `ckan="${ckan}" resource-id="${FAILURE_IDS.serverError}"`],
        ['html', `ckan="${ckan}" dataset="${FAILURE_IDS.htmlPage}"`],
        ['kaputt', `ckan="${ckan}" resource-id="${FAILURE_IDS.brokenJson}"`],
        ['cors', `ckan="${ckan}" resource-id="${FAILURE_IDS.corsRefused}"`],
        ['ohne-tabelle', `ckan="${ckan}" dataset="bebauungsplaene"`],
        ['schema', `ckan="ftp://${ckan.slice('http://'.length)}" dataset="baumkataster-musterstadt"`],
        ['ohne-id', `ckan="${ckan}"`],
      ]
        .map(([id, attributes]) => `<section><h2>${id}</h2><og-data-table id="${id}" ${attributes}></og-data-table></section>`)
        .join('\n'),
    ),
  };
  for (const [name, html] of Object.entries(pages)) {
    await writeFile(join(pagesDir, name), html);
  }
  site = await startStaticServer({
    csp: `${STRICT_CSP}; connect-src 'self' ${ckan}`,
    routes: [
      { prefix: '/ogkit/', dir: PKG_DIR },
      { prefix: '/', dir: pagesDir },
    ],
  });
  launched = await launchBrowser();
});

after(async () => {
  await launched?.close();
  await site?.close();
  await mock?.close();
  if (pagesDir) {
    await rm(pagesDir, { recursive: true, force: true });
  }
});

/**
 * Opens a test page. The table's own events (og-load) are not among the
 * events that the browser helper records, so an init script collects them
 * in `window.__ogLoads` before the widget can fire one.
 */
async function open(path) {
  const opened = await openPage(launched, null);
  await opened.context.addInitScript(() => {
    window.__ogLoads = [];
    window.addEventListener('og-load', (event) => window.__ogLoads.push(event.detail), true);
  });
  await opened.page.goto(`${site.url}/${path}`);
  return opened;
}

/** Waits until the element `selector` has the host state `state`. */
async function waitForState(page, selector, state) {
  await page.waitForFunction(
    ({ selector, state }) => document.querySelector(selector)?.getAttribute('data-og-state') === state,
    { selector, state },
    { timeout: WAIT_MS },
  );
}

async function waitForRange(page, expected, selector = '#baeume') {
  await page.waitForFunction(
    ({ selector, expected }) => document.querySelector(`${selector} [data-og-range]`)?.textContent === expected,
    { selector, expected },
    { timeout: WAIT_MS },
  );
}

/**
 * Waits until the first cell of the shown rows reads `expected`, which
 * happens when the server's response has arrived.
 */
async function waitForFirstCell(page, expected, selector = '#baeume') {
  await page.waitForFunction(
    ({ selector, expected }) =>
      document.querySelector(`${selector} [data-og-table] tbody tr`)?.children[0]?.textContent.trim() === expected,
    { selector, expected },
    { timeout: WAIT_MS },
  );
}

/** Texts of the cells in column `position` (0-based) of the shown rows. */
function columnTexts(page, position, selector = '#baeume') {
  return page.evaluate(
    ({ selector, position }) =>
      [...document.querySelectorAll(`${selector} [data-og-table] tbody tr`)].map(
        (row) => row.children[position]?.textContent.trim() ?? null,
      ),
    { selector, position },
  );
}

/** Returns the position among the shown columns of the header named `name`. */
function headerPosition(page, name, selector = '#baeume') {
  return page.evaluate(
    ({ selector, name }) =>
      [...document.querySelectorAll(`${selector} [data-og-table] thead th`)].findIndex(
        (th) => th.querySelector('.og-table__sort-name')?.textContent === name,
      ),
    { selector, name },
  );
}

/** Returns the datastore_search requests that the mock received since `from`. */
function searchesSince(from) {
  return mock.requests.slice(from).filter((request) => request.action === 'datastore_search');
}

function assertNoViolations(violations, log) {
  assert.deepEqual(
    violations.map((violation) => `${violation.id}: ${violation.help}`),
    [],
    `axe violations:\n${JSON.stringify(violations, null, 2)}\n${describeLog(log)}`,
  );
}

describe('when the resource is in the datastore', () => {
  test('dataset facts are shown', async () => {
    const { page, log, close } = await open('datastore.html');
    try {
      await waitForState(page, '#baeume', 'ready');
      await waitForRange(page, '1–20 von 1.000.000');
      const caption = await page.locator('#baeume caption').textContent();
      assert.equal(caption, 'Baumkataster Musterstadt');

      const info = await page.evaluate(() =>
        Object.fromEntries(
          [...document.querySelectorAll('#baeume [data-og-info]')].map((line) => [
            line.dataset.ogInfo,
            {
              label: line.querySelector('dt').textContent,
              text: line.querySelector('dd').textContent,
              href: line.querySelector('a')?.getAttribute('href') ?? null,
              datetime: line.querySelector('time')?.getAttribute('datetime') ?? null,
            },
          ]),
        ),
      );
      assert.deepEqual(info.licence, {
        label: 'Lizenz',
        text: 'Datenlizenz Deutschland – Namensnennung – Version 2.0',
        href: 'https://www.govdata.de/dl-de/by-2-0',
        datetime: null,
      });
      assert.equal(info.publisher.text, 'Stadt Musterstadt – Grünflächenamt');
      assert.equal(info.attribution.text, 'Stadt Musterstadt, Grünflächenamt');
      assert.deepEqual(
        { text: info.modified.text, datetime: info.modified.datetime },
        { text: '18. November 2024', datetime: '2024-11-18' },
      );
      assert.equal(info.source.href, 'https://www.musterstadt.example/umwelt/baeume');
      assert.equal(info.portal.href, `${mock.url}/dataset/baumkataster-musterstadt`);

      const loads = await page.evaluate(() => window.__ogLoads);
      assert.equal(loads.length, 1, describeLog(log));
      assert.equal(loads[0].rows, 1_000_000);
      assert.equal(loads[0].datastore, true);
      assert.deepEqual(log.cspViolations, []);
      assert.deepEqual(log.pageErrors, []);
    } finally {
      await close();
    }
  });

  test('paging asks the server for one page', async () => {
    const { page, log, close } = await open('datastore.html');
    try {
      await waitForRange(page, '1–20 von 1.000.000');
      const before = mock.requests.length;
      await page.locator('#baeume [data-og-page="last"]').click();
      await waitForRange(page, '999.981–1.000.000 von 1.000.000');
      // Baum-Nr is a tree number, so it shows without digit grouping.
      await waitForFirstCell(page, '1999980');
      const numbers = await columnTexts(page, 0);
      assert.equal(numbers.length, 20);
      assert.equal(numbers.at(-1), '1999999');

      await page.locator('#baeume [data-og-page="previous"]').click();
      await waitForRange(page, '999.961–999.980 von 1.000.000');
      await waitForFirstCell(page, '1999960');

      const searches = searchesSince(before);
      assert.deepEqual(
        searches.map((request) => [request.params.offset, request.params.limit]),
        [
          ['999980', '20'],
          ['999960', '20'],
        ],
      );
      for (const request of mock.requests) {
        assert.ok(Number(request.params.limit ?? 0) <= 100, `a request asked for ${request.params.limit} rows`);
      }
      assert.deepEqual(log.pageErrors, []);
    } finally {
      await close();
    }
  });

  test('range label changes with the rows', async () => {
    const { page, close } = await open('datastore.html');
    try {
      await waitForRange(page, '1–20 von 1.000.000');
      // Hold the next page's response until the label has been checked.
      let release;
      const held = new Promise((resolve) => {
        release = resolve;
      });
      await page.route(
        (url) => url.pathname.endsWith('/datastore_search') && url.searchParams.get('offset') === '20',
        async (route) => {
          await held;
          await route.continue();
        },
      );
      await page.locator('#baeume [data-og-page="next"]').click();
      await page.waitForFunction(
        () => document.querySelector('#baeume [data-og-table]')?.getAttribute('aria-busy') === 'true',
        null,
        { timeout: WAIT_MS },
      );
      const whileBusy = await page.locator('#baeume [data-og-range]').textContent();
      assert.equal(whileBusy, '1–20 von 1.000.000');

      release();
      await waitForRange(page, '21–40 von 1.000.000');
      await waitForFirstCell(page, '1000020');
    } finally {
      await close();
    }
  });

  test('sort runs on the server', async () => {
    const { page, close } = await open('datastore.html');
    try {
      await waitForRange(page, '1–20 von 1.000.000');
      const position = await headerPosition(page, 'Stammumfang (cm)');
      assert.ok(position >= 0, 'no Stammumfang column');
      const before = mock.requests.length;
      const button = page.locator('#baeume th').nth(position).locator('button');

      await button.click();
      await page.waitForFunction(
        (position) => document.querySelectorAll('#baeume thead th')[position]?.getAttribute('aria-sort') === 'ascending',
        position,
        { timeout: WAIT_MS },
      );
      await page.waitForFunction(() => !document.querySelector('#baeume [aria-busy]'), null, { timeout: WAIT_MS });
      assert.equal((await columnTexts(page, position))[0], '20');

      await button.click();
      await page.waitForFunction(
        (position) => document.querySelectorAll('#baeume thead th')[position]?.getAttribute('aria-sort') === 'descending',
        position,
        { timeout: WAIT_MS },
      );
      await page.waitForFunction(() => !document.querySelector('#baeume [aria-busy]'), null, { timeout: WAIT_MS });
      const girths = await columnTexts(page, position);
      assert.equal(girths[0], '449,9');

      const sorts = searchesSince(before).map((request) => request.params.sort);
      assert.deepEqual(sorts, ['"Stammumfang (cm)" asc, "_id" asc', '"Stammumfang (cm)" desc, "_id" asc']);
      await waitForRange(page, '1–20 von 1.000.000');
    } finally {
      await close();
    }
  });

  test('search and filter run on the server', async () => {
    const { page, log, close } = await open('datastore.html');
    try {
      await waitForRange(page, '1–20 von 1.000.000');
      const before = mock.requests.length;
      await page.locator('#baeume [data-og-filters] summary').click();
      const district = await page.evaluate(() => {
        const fields = [...document.querySelectorAll('#baeume [data-og-filter]')];
        return fields.find((field) => field.querySelector('label').textContent === 'Bezirk')?.dataset.ogFilter;
      });
      await page.locator(`#baeume [data-og-filter="${district}"] input`).fill('Südstadt');
      await page.locator('#baeume [data-og-search]').fill('Linde');
      await page.locator('#baeume [data-og-apply]').click();

      await page.waitForFunction(
        () => /von (?!1\.000\.000)/.test(document.querySelector('#baeume [data-og-range]')?.textContent ?? ''),
        null,
        { timeout: WAIT_MS },
      );
      const [request] = searchesSince(before);
      assert.equal(request.params.q, 'Linde');
      assert.deepEqual(JSON.parse(request.params.filters), { Bezirk: 'Südstadt' });

      const expected = await fetch(
        `${mock.apiBase}/datastore_search?${new URLSearchParams({
          resource_id: BIG_RESOURCE_ID,
          q: 'Linde',
          filters: JSON.stringify({ Bezirk: 'Südstadt' }),
          limit: '1',
        })}`,
      ).then((response) => response.json());
      const total = expected.result.total.toLocaleString('de-DE');
      await waitForRange(page, `1–20 von ${total}`);

      const districtPosition = await headerPosition(page, 'Bezirk');
      const districts = new Set(await columnTexts(page, districtPosition));
      assert.deepEqual([...districts], ['Südstadt']);
      const species = await columnTexts(page, await headerPosition(page, 'Baumart'));
      for (const name of species) {
        assert.match(name, /Linde/);
      }
      const status = await page.locator('#baeume [data-og-status]').textContent();
      assert.equal(status, `${total} Einträge`);
      assert.deepEqual(log.pageErrors, []);
    } finally {
      await close();
    }
  });

  test('markup in cells stays text', async () => {
    const { page, close } = await open('datastore.html');
    try {
      await waitForRange(page, '1–20 von 1.000.000');
      await page.locator('#baeume [data-og-filters] summary').click();
      const remark = await page.evaluate(() => {
        const fields = [...document.querySelectorAll('#baeume [data-og-filter]')];
        return fields.find((field) => field.querySelector('label').textContent === 'Bemerkung')?.dataset.ogFilter;
      });
      await page.locator(`#baeume [data-og-filter="${remark}"] input`).fill('<b>Gefahrenbaum</b> & gesperrt');
      await page.locator('#baeume [data-og-apply]').click();
      await page.waitForFunction(
        () => /von (?!1\.000\.000)/.test(document.querySelector('#baeume [data-og-range]')?.textContent ?? ''),
        null,
        { timeout: WAIT_MS },
      );
      const texts = await columnTexts(page, await headerPosition(page, 'Bemerkung'));
      assert.ok(texts.length > 0);
      for (const text of texts) {
        assert.equal(text, '<b>Gefahrenbaum</b> & gesperrt');
      }
      assert.equal(await page.locator('#baeume [data-og-table] b').count(), 0);
    } finally {
      await close();
    }
  });

  test('range filter value is explained', async () => {
    const { page, close } = await open('datastore.html');
    try {
      await waitForRange(page, '1–20 von 1.000.000');
      await page.locator('#baeume [data-og-filters] summary').click();
      const year = await page.evaluate(() => {
        const fields = [...document.querySelectorAll('#baeume [data-og-filter]')];
        return fields.find((field) => field.querySelector('label').textContent === 'Pflanzjahr')?.dataset.ogFilter;
      });
      await page.locator(`#baeume [data-og-filter="${year}"] input`).fill('neunzehnhundert');
      await page.locator('#baeume [data-og-apply]').click();
      await page.waitForSelector(`#baeume [data-og-filter="${year}"] input[aria-invalid="true"]`, { timeout: WAIT_MS });
      const message = await page.locator(`#baeume [data-og-filter="${year}"] .og-table__field-error`).textContent();
      assert.ok(message.length > 0);
    } finally {
      await close();
    }
  });

  test('english page speaks english', async () => {
    const { page, close } = await open('datastore-en.html');
    try {
      await waitForRange(page, '1–10 of 1,000,000');
      const labels = await page.locator('#baeume [data-og-info] dt').allTextContents();
      assert.deepEqual(labels, ['Licence', 'Attribution', 'Publisher', 'Last changed', 'Source', 'Dataset on the portal']);
      const modified = await page.locator('#baeume [data-og-info="modified"] dd').textContent();
      assert.equal(modified, '18 November 2024');

      await page.locator('#baeume [data-og-download="csv"]').click();
      const limit = await page.locator('#baeume [data-og-download-limit]').textContent({ timeout: WAIT_MS });
      assert.equal(
        limit,
        'The result has 1,000,000 entries, but at most 50,000 can be downloaded. ' +
          "Narrow the search or the filters, or use the data portal's own download link.",
      );
      await page.locator('#baeume [data-og-chart-toggle]').click();
      const scope = await page.locator('#baeume [data-og-chart-scope]').textContent({ timeout: WAIT_MS });
      assert.equal(scope, 'The chart shows only the entries on this page (1–10 of 1,000,000), not every entry on the data portal.');

      // A new search clears the message about the earlier result.
      await page.locator('#baeume [data-og-search]').fill('Linde');
      await page.locator('#baeume [data-og-apply]').click();
      await page.locator('#baeume [data-og-download-limit]').waitFor({ state: 'detached', timeout: WAIT_MS });
    } finally {
      await close();
    }
  });

  test('datastore table passes axe', async () => {
    const { page, log, close } = await open('datastore.html');
    try {
      await waitForRange(page, '1–20 von 1.000.000');
      await page.locator('#baeume [data-og-filters] summary').click();
      assertNoViolations(await axeViolations(page, '#baeume'), log);
    } finally {
      await close();
    }
  });
});

describe('when the resource is a file', () => {
  test('csv goes through the file table', async () => {
    const { page, log, close } = await open('file.html');
    try {
      await waitForState(page, '#wahl', 'ready');
      await page.waitForSelector('#wahl [data-og-table] tbody tr', { timeout: WAIT_MS });
      const caption = await page.locator('#wahl caption').textContent();
      assert.equal(caption, 'Wahlergebnisse <Kommunalwahl> 2024');
      const format = await page.locator('#wahl [data-og-format]').getAttribute('data-og-format');
      assert.equal(format, 'csv');
      const rows = await page.locator('#wahl [data-og-table] tbody tr').count();
      assert.equal(rows, 3);

      const hooks = await page.locator('#wahl [data-og-info]').evaluateAll((lines) => lines.map((line) => line.dataset.ogInfo));
      assert.ok(!hooks.includes('source'), 'a javascript: source link was shown');
      const licence = await page.locator('#wahl [data-og-info="licence"] dd').textContent();
      assert.equal(licence, 'Datenlizenz Deutschland – Zero – Version 2.0');
      assert.ok(
        log.requests.some((url) => url.endsWith('/download/wahlergebnisse-2024.csv')),
        'the CSV resource was not downloaded',
      );
      assertNoViolations(await axeViolations(page, '#wahl'), log);
    } finally {
      await close();
    }
  });
});

describe('when loading fails', () => {
  const cases = [
    ['fehlt', 'Der CKAN-Server kennt die angefragten Daten nicht (Not found).'],
    ['server', 'Der CKAN-Server meldet einen Fehler (HTTP-Status 500, Internal Server Error: Internal Server Error).'],
    ['html', 'Der CKAN-Server hat eine Webseite statt Daten geschickt (HTTP-Status 200).'],
    ['kaputt', 'Die Antwort des CKAN-Servers ist kein gültiges JSON'],
    ['cors', 'ist nicht erreichbar oder erlaubt dieser Seite keinen Zugriff (CORS)'],
    ['ohne-tabelle', 'Der Datensatz „Bebauungspläne“ hat keine Ressource, die die Tabelle zeigen kann'],
    ['schema', 'beginnt mit „ftp:“'],
    ['ohne-id', 'Geben Sie mit dem Attribut resource-id eine Ressource oder mit dataset einen Datensatz an.'],
  ];

  test('each failure shows its message', async () => {
    const { page, log, close } = await open('errors.html');
    try {
      for (const [id, expected] of cases) {
        await waitForState(page, `#${id}`, 'error');
        const message = await page.locator(`#${id} [data-og-error]`).textContent();
        assert.ok(message.includes(expected), `#${id}: ${message}`);
      }
      assert.deepEqual(log.pageErrors, []);
    } finally {
      await close();
    }
  });

  test('error states pass axe', async () => {
    const { page, log, close } = await open('errors.html');
    try {
      for (const [id] of cases) {
        await waitForState(page, `#${id}`, 'error');
      }
      assertNoViolations(await axeViolations(page), log);
    } finally {
      await close();
    }
  });

  test('slow server keeps loading state', async () => {
    const { page, log, close } = await open('slow.html');
    try {
      await waitForState(page, '#langsam', 'loading');
      while (!mock.requests.some((request) => request.params.id === FAILURE_IDS.slow)) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(await page.locator('#langsam [data-og-loading]').count(), 1);
      assertNoViolations(await axeViolations(page, '#langsam'), log);
      mock.releaseSlow();
      await waitForState(page, '#langsam', 'ready');
      await page.waitForSelector('#langsam [data-og-table] tbody tr', { timeout: WAIT_MS });
    } finally {
      mock.releaseSlow();
      await close();
    }
  });
});

describe('the URL fragment of a datastore table', () => {
  /** The fragment of the page without `#`, decoded for reading. */
  function fragmentOf(page) {
    return page.evaluate(() => decodeURIComponent(window.location.hash.slice(1)));
  }

  /** Waits until no datastore request of the table is outstanding. */
  async function waitForIdle(page) {
    await page.waitForFunction(() => !document.querySelector('#baeume [aria-busy]'), null, { timeout: WAIT_MS });
  }

  test('a link restores sort, search, filter and page', async () => {
    const link = [
      'oben',
      'tabelle.q=Linde',
      `tabelle.s=!${encodeURIComponent('Stammumfang (cm)')}`,
      `tabelle.f.Bezirk=v:${encodeURIComponent('Südstadt')}`,
      'tabelle.p=2',
    ].join('&');
    const before = mock.requests.length;
    const { page, log, close } = await open(`datastore.html#${link}`);
    try {
      await page.waitForFunction(
        () => /^21–40 von (?!1\.000\.000)/.test(document.querySelector('#baeume [data-og-range]')?.textContent ?? ''),
        null,
        { timeout: WAIT_MS },
      );
      await waitForIdle(page);
      const last = searchesSince(before).at(-1);
      assert.equal(last.params.q, 'Linde');
      assert.deepEqual(JSON.parse(last.params.filters), { Bezirk: 'Südstadt' });
      assert.equal(last.params.sort, '"Stammumfang (cm)" desc, "_id" asc');
      assert.equal(last.params.offset, '20');

      const position = await headerPosition(page, 'Stammumfang (cm)');
      const sortState = await page.evaluate(
        (position) => document.querySelectorAll('#baeume thead th')[position]?.getAttribute('aria-sort'),
        position,
      );
      assert.equal(sortState, 'descending');
      assert.equal(await page.locator('#baeume [data-og-search]').inputValue(), 'Linde');
      assert.deepEqual([...new Set(await columnTexts(page, await headerPosition(page, 'Bezirk')))], ['Südstadt']);
      const district = await page.evaluate(() => {
        const fields = [...document.querySelectorAll('#baeume [data-og-filter]')];
        return fields.find((field) => field.querySelector('label').textContent === 'Bezirk')?.dataset.ogFilter;
      });
      assert.equal(await page.locator(`#baeume [data-og-filter="${district}"] input`).inputValue(), 'Südstadt');
      assertNoViolations(await axeViolations(page, '#baeume'), log);

      // Changes go back into the fragment; the other part stays.
      await page.locator('#baeume [data-og-page="next"]').click();
      await page.waitForFunction(() => window.location.hash.includes('tabelle.p=3'), null, { timeout: WAIT_MS });
      const fragment = await fragmentOf(page);
      assert.ok(fragment.startsWith('oben&'), fragment);
      assert.ok(fragment.includes('tabelle.s=!Stammumfang (cm)'), fragment);
      assert.ok(fragment.includes('tabelle.f.Bezirk=v:Südstadt'), fragment);
      assert.ok(fragment.includes('tabelle.q=Linde'), fragment);
      assert.deepEqual(log.pageErrors, []);
    } finally {
      await close();
    }
  });

  test('sorting and paging are written to the fragment', async () => {
    const { page, log, close } = await open('datastore.html');
    try {
      await waitForRange(page, '1–20 von 1.000.000');
      const position = await headerPosition(page, 'Pflanzjahr');
      await page.locator('#baeume th').nth(position).locator('button').click();
      await page.waitForFunction(() => window.location.hash === '#tabelle.s=Pflanzjahr', null, { timeout: WAIT_MS });
      await page.locator('#baeume [data-og-page-size]').selectOption('50');
      await page.locator('#baeume [data-og-page="next"]').click();
      await page.waitForFunction(
        () => window.location.hash === '#tabelle.s=Pflanzjahr&tabelle.p=2&tabelle.n=50',
        null,
        { timeout: WAIT_MS },
      );

      // A changed fragment (the back button, a pasted link) applies.
      const before = mock.requests.length;
      await page.evaluate(() => {
        window.location.hash = 'tabelle.s=!Pflanzjahr';
      });
      await waitForRange(page, '1–20 von 1.000.000');
      await waitForIdle(page);
      assert.equal(searchesSince(before).at(-1).params.sort, '"Pflanzjahr" desc, "_id" asc');
      assert.deepEqual(log.pageErrors, []);
    } finally {
      await close();
    }
  });

  test('an invalid fragment is ignored', async () => {
    const bad = [
      'tabelle.p=abc',
      'tabelle.n=99999',
      'tabelle.s=GibtEsNicht',
      'tabelle.f.Pflanzjahr=n:1900:2000',
      'tabelle.f.Bezirk=z:1',
      'tabelle.f.Unbekannt=v:x',
      'tabelle.zzz',
    ].join('&');
    const before = mock.requests.length;
    const { page, log, close } = await open(`datastore.html#${bad}`);
    try {
      await waitForRange(page, '1–20 von 1.000.000');
      await waitForIdle(page);
      const searches = searchesSince(before);
      assert.equal(searches.length, 1);
      assert.equal(searches[0].params.filters, undefined);
      assert.equal(searches[0].params.sort, undefined);
      assert.equal(searches[0].params.q, undefined);
      assert.deepEqual([searches[0].params.offset ?? '0', searches[0].params.limit], ['0', '20']);
      assert.deepEqual(log.pageErrors, []);
      assertNoViolations(await axeViolations(page, '#baeume'), log);
    } finally {
      await close();
    }
  });

  test('a page beyond the end shows the last page', async () => {
    const { page, log, close } = await open('datastore.html#tabelle.p=999999');
    try {
      await waitForRange(page, '999.981–1.000.000 von 1.000.000');
      await page.waitForFunction(() => window.location.hash === '#tabelle.p=50000', null, { timeout: WAIT_MS });
      assert.deepEqual(log.pageErrors, []);
    } finally {
      await close();
    }
  });
});

describe('downloads of a datastore table', () => {
  const SOUTH_LINDEN = [
    'tabelle.q=Linde',
    `tabelle.f.Bezirk=v:${encodeURIComponent('Südstadt')}`,
    `tabelle.s=!${encodeURIComponent('Stammumfang (cm)')}`,
  ].join('&');

  /** The mock's records for the view of SOUTH_LINDEN, in the server's order. */
  async function expectedRecords() {
    const params = new URLSearchParams({
      resource_id: BIG_RESOURCE_ID,
      q: 'Linde',
      filters: JSON.stringify({ Bezirk: 'Südstadt' }),
      sort: '"Stammumfang (cm)" desc, "_id" asc',
      limit: '32000',
    });
    const body = await fetch(`${mock.apiBase}/datastore_search?${params}`).then((response) => response.json());
    return body.result;
  }

  async function openFiltered() {
    const opened = await open(`datastore.html#${SOUTH_LINDEN}`);
    await opened.page.waitForFunction(
      () => /^1–20 von (?!1\.000\.000)/.test(document.querySelector('#baeume [data-og-range]')?.textContent ?? ''),
      null,
      { timeout: WAIT_MS },
    );
    await opened.page.waitForFunction(() => !document.querySelector('#baeume [aria-busy]'), null, { timeout: WAIT_MS });
    return opened;
  }

  test('csv holds every filtered and sorted row', async () => {
    const expected = await expectedRecords();
    assert.ok(expected.total > 1000, `the view has only ${expected.total} rows, too few for several requests`);
    assert.ok(expected.total < 50_000, `the view has ${expected.total} rows, over the download cap`);
    const { page, log, close } = await openFiltered();
    try {
      const before = mock.requests.length;
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: WAIT_MS }),
        page.click('#baeume [data-og-download="csv"]'),
      ]);
      assert.equal(download.suggestedFilename(), 'Baumkataster__DataStore_.csv');
      const bytes = await readFile(await download.path());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString('utf8').split('\r\n');
      assert.equal(lines.at(-1), '');
      lines.pop();
      const header = lines[0].split(';');
      assert.deepEqual(header, BIG_FIELDS.slice(1).map((field) => field.id));
      assert.equal(lines.length - 1, expected.total);
      const number = header.indexOf('Baum-Nr');
      const district = header.indexOf('Bezirk');
      for (const [index, record] of expected.records.entries()) {
        const cells = lines[index + 1].split(';');
        assert.equal(cells[number], String(record['Baum-Nr']), `row ${index}`);
        assert.equal(cells[district], 'Südstadt', `row ${index}`);
      }
      const searches = searchesSince(before);
      assert.ok(searches.length >= Math.ceil(expected.total / 1000), `${searches.length} requests`);
      for (const request of searches) {
        assert.equal(request.params.q, 'Linde');
        assert.equal(request.params.sort, '"Stammumfang (cm)" desc, "_id" asc');
      }
      await page.waitForFunction(
        () => document.querySelector('#baeume [data-og-status]')?.textContent.startsWith('Download fertig'),
        null,
        { timeout: WAIT_MS },
      );
      assert.deepEqual(log.pageErrors, []);
    } finally {
      await close();
    }
  });

  test('json holds every filtered and sorted row', async () => {
    const expected = await expectedRecords();
    const { page, log, close } = await openFiltered();
    try {
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: WAIT_MS }),
        page.click('#baeume [data-og-download="json"]'),
      ]);
      assert.equal(download.suggestedFilename(), 'Baumkataster__DataStore_.json');
      const records = JSON.parse(await readFile(await download.path(), 'utf8'));
      assert.equal(records.length, expected.total);
      const text = (value) => (value === null || value === undefined ? '' : String(value));
      for (const [index, record] of expected.records.entries()) {
        const { _id, ...fields } = record;
        assert.deepEqual(Object.keys(records[index]), Object.keys(fields), `row ${index}`);
        for (const [key, value] of Object.entries(fields)) {
          assert.equal(text(records[index][key]), text(value), `row ${index}, ${key}`);
        }
      }
      assert.deepEqual(log.pageErrors, []);
    } finally {
      await close();
    }
  });

  test('a result above the cap gets a message instead', async () => {
    const { page, log, close } = await open('datastore.html');
    try {
      await waitForRange(page, '1–20 von 1.000.000');
      const before = mock.requests.length;
      await page.locator('#baeume [data-og-download="csv"]').focus();
      await page.keyboard.press('Enter');
      const message = await page.locator('#baeume [data-og-download-limit]').textContent({ timeout: WAIT_MS });
      assert.match(message, /1\.000\.000 Einträge/);
      assert.match(message, /höchstens 50\.000/);
      assert.match(message, /Download-Link des Datenportals/);
      assert.equal(await page.locator('#baeume [data-og-status]').textContent(), message);
      assert.deepEqual(searchesSince(before), []);
      assertNoViolations(await axeViolations(page, '#baeume'), log);
    } finally {
      await close();
    }
  });

  test('a running download shows progress and can be cancelled', async () => {
    const { page, log, close } = await openFiltered();
    try {
      let release;
      const held = new Promise((resolve) => {
        release = resolve;
      });
      await page.route(
        (url) => url.pathname.endsWith('/datastore_search') && url.searchParams.get('offset') === '1000',
        async (route) => {
          await held;
          await route.continue();
        },
      );
      let downloads = 0;
      page.on('download', () => {
        downloads += 1;
      });
      await page.locator('#baeume [data-og-download="json"]').focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        () => document.querySelector('#baeume [data-og-download-progress] progress')?.value === 1000,
        null,
        { timeout: WAIT_MS },
      );
      const label = await page.locator('#baeume [data-og-download-progress] label').textContent();
      assert.match(label, /^Einträge für den Download: 1\.000 von [\d.]+ geladen$/);
      assert.equal(await page.locator('#baeume [data-og-download="json"]').getAttribute('aria-disabled'), 'true');
      assertNoViolations(await axeViolations(page, '#baeume'), log);

      await page.locator('#baeume [data-og-download-cancel]').focus();
      await page.keyboard.press('Enter');
      await page.locator('#baeume [data-og-download-cancelled]').waitFor({ timeout: WAIT_MS });
      assert.equal(await page.locator('#baeume [data-og-status]').textContent(), 'Der Download wurde abgebrochen.');
      assertNoViolations(await axeViolations(page, '#baeume'), log);
      // The held response arrives after the cancel and must start no download.
      const heldSettled = new Promise((resolve) => {
        const settle = (request) => {
          const url = new URL(request.url());
          if (url.pathname.endsWith('/datastore_search') && url.searchParams.get('offset') === '1000') resolve();
        };
        page.on('requestfinished', settle);
        page.on('requestfailed', settle);
      });
      release();
      await heldSettled;
      await page.waitForFunction(() => !document.querySelector('#baeume [data-og-download-progress]'), null, {
        timeout: WAIT_MS,
      });
      await nextFrames(page);
      assert.equal(downloads, 0);
      assert.deepEqual(log.pageErrors, []);
    } finally {
      await close();
    }
  });
});

describe('the chart of a datastore table', () => {
  test('the chart draws the rows of the current page', async () => {
    const { page, log, close } = await open('datastore.html');
    try {
      await waitForRange(page, '1–20 von 1.000.000');
      await page.locator('#baeume [data-og-chart-toggle]').focus();
      await page.keyboard.press('Enter');
      await page.locator('#baeume [data-og-chart-panel] svg').waitFor({ timeout: WAIT_MS });
      const scope = await page.locator('#baeume [data-og-chart-scope]').textContent();
      assert.equal(
        scope,
        'Das Diagramm zeigt nur die Einträge dieser Seite (1–20 von 1.000.000), nicht alle Einträge auf dem Datenportal.',
      );
      const description = await page.locator('#baeume [data-og-chart-panel] svg desc').textContent();
      assert.ok(description.endsWith(scope), description);
      assertNoViolations(await axeViolations(page, '#baeume'), log);

      // A bar chart of the girth per district sums the page's rows.
      const x = page.locator('#baeume [data-og-chart-column="x"]');
      await x.selectOption({ label: 'Bezirk' });
      await page.locator('#baeume [data-og-chart-column="y"]').selectOption({ label: 'Stammumfang (cm)' });
      await page.locator('#baeume svg[data-og-chart="bar"]').waitFor({ timeout: WAIT_MS });
      const districts = await columnTexts(page, await headerPosition(page, 'Bezirk'));
      const girths = (await columnTexts(page, await headerPosition(page, 'Stammumfang (cm)'))).map((text) =>
        Number(text.replace(/\./g, '').replace(',', '.')),
      );
      const sums = new Map();
      districts.forEach((district, index) => sums.set(district, (sums.get(district) ?? 0) + girths[index]));
      const bars = await page.evaluate(() =>
        [...document.querySelectorAll('#baeume [data-og-bar] > title')].map((title) => title.textContent),
      );
      assert.equal(bars.length, sums.size);
      for (const [district, sum] of sums) {
        const expected = `${district}: ${sum.toLocaleString('de-DE', { maximumFractionDigits: 2 })}`;
        assert.ok(bars.includes(expected), `${expected} not in ${bars.join(' | ')}`);
      }
      assertNoViolations(await axeViolations(page, '#baeume'), log);

      // The next page redraws with its own rows and says so.
      await page.locator('#baeume [data-og-page="next"]').click();
      await page.waitForFunction(
        () => document.querySelector('#baeume [data-og-chart-scope]')?.textContent.includes('(21–40 von 1.000.000)'),
        null,
        { timeout: WAIT_MS },
      );
      assert.deepEqual(log.pageErrors, []);
    } finally {
      await close();
    }
  });
});
