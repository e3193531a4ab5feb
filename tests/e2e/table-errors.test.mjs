// Bad input for <og-data-table>: every case shows a clear message in the
// widget's language with its detail (HTTP status, line number) and never a
// table without a word. A guessed encoding is a note beside the table.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { describeLog } from './helpers/browser.mjs';
import { useBrowser } from './helpers/session.mjs';
import { WAIT_MS } from './helpers/widgets.mjs';

const session = useBrowser();

/** Waits until the widget `selector` reports a final state and returns it. */
async function settledState(page, selector) {
  const handle = await page.waitForFunction(
    (selector) => {
      const state = document.querySelector(selector)?.getAttribute('data-og-state');
      return state === 'ready' || state === 'error' ? state : null;
    },
    selector,
    { timeout: WAIT_MS },
  );
  return handle.jsonValue();
}

/** Returns the text of the widget's alert, its state and whether it shows a table. */
async function errorOf(page, selector) {
  const state = await settledState(page, selector);
  return page.evaluate(
    ({ selector, state }) => {
      const widget = document.querySelector(selector);
      const alert = widget.querySelector('[role=alert][data-og-error]');
      return {
        state,
        alert: alert?.textContent ?? null,
        tables: widget.querySelectorAll('table').length,
        rows: widget.querySelectorAll('table tbody tr').length,
      };
    },
    { selector, state },
  );
}

/** Opens the page of failing tables with the network request of `#netz` refused. */
async function openErrorPage(path = '/test/table-errors.html') {
  const opened = await session.open(path);
  await opened.context.route('**/test/table/netz.csv', (route) => route.abort('connectionrefused'));
  await opened.page.goto(`${session.base}${path}`);
  return opened;
}

describe('when the file cannot be fetched', () => {
  test('http error names the status', async () => {
    const { page, log } = await openErrorPage();
    const result = await errorOf(page, '#fehlt');

    assert.equal(result.state, 'error');
    assert.match(result.alert, /HTTP-Status 404/);
    assert.equal(result.tables, 0);
    // The editor learns in the console which address and attribute to check.
    const warnings = log.console.filter((entry) => entry.type === 'warning').map((entry) => entry.text);
    const expected = /^og-data-table: \S*gibt-es-nicht\.csv \(attribute "src"\) was not found \(HTTP 404\)\. Check the address/;
    assert.ok(warnings.some((text) => expected.test(text)), describeLog(log));
  });

  test('refused request says so', async () => {
    const { page, log } = await openErrorPage();
    const result = await errorOf(page, '#netz');

    assert.equal(result.state, 'error');
    assert.match(result.alert, /keine Verbindung zum Server, oder der Server erlaubt den Abruf von dieser Seite nicht \(CORS\)/);
    assert.equal(result.tables, 0);
    const warnings = log.console.filter((entry) => entry.type === 'warning').map((entry) => entry.text);
    const expected = /^og-data-table: no response for \S*netz\.csv \(attribute "src"\)\. .*connect-src/;
    assert.ok(warnings.some((text) => expected.test(text)), describeLog(log));
  });

  test('html page instead of csv', async () => {
    const { page } = await openErrorPage();
    for (const selector of ['#html', '#html-typ']) {
      const result = await errorOf(page, selector);
      assert.equal(result.state, 'error', selector);
      assert.match(result.alert, /eine Webseite \(HTML\), keine CSV- oder JSON-Datei/, selector);
      assert.equal(result.tables, 0, selector);
    }
  });

  test('format attribute overrides an html label', async () => {
    const { page, context } = await session.open('/test/empty.html');
    // A server that labels every file text/html.
    await context.route('**/daten/etikett.csv', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: 'Name;Wert\r\nA;1\r\nB;2\r\n' }),
    );
    await page.evaluate(() => {
      for (const [id, format] of [['mit', 'csv'], ['ohne', null]]) {
        const table = document.createElement('og-data-table');
        table.id = id;
        table.setAttribute('src', '/daten/etikett.csv');
        if (format) table.setAttribute('format', format);
        document.getElementById('host').append(table);
      }
    });

    assert.equal(await settledState(page, '#mit'), 'ready');
    assert.equal(await page.locator('#mit table tbody tr').count(), 2);
    const without = await errorOf(page, '#ohne');
    assert.equal(without.state, 'error');
    assert.match(without.alert, /eine Webseite \(HTML\)/);
  });

  test('missing src is explained', async () => {
    const { page, log } = await openErrorPage();
    const result = await errorOf(page, '#ohne');

    assert.match(result.alert, /keine Datei angegeben\. Bitte tragen Sie im Attribut src/);
    // The heading already says that the table cannot be shown.
    assert.equal(result.alert.match(/kann nicht angezeigt werden/g)?.length, 1, result.alert);
    const notice = await page.locator('#ohne [data-og-config-warning]').textContent();
    assert.match(notice, /„viele“ des Attributs page-size/);
    const warnings = log.console.filter((entry) => entry.type === 'warning').map((entry) => entry.text);
    assert.ok(warnings.some((text) => text.startsWith('og-data-table: attribute "src" is missing')), describeLog(log));
  });
});

describe('when the file has no usable rows', () => {
  test('empty file', async () => {
    const { page } = await openErrorPage();
    const result = await errorOf(page, '#leer');

    assert.equal(result.state, 'error');
    assert.match(result.alert, /Die Datei ist leer\. Bitte prüfen Sie/);
    const status = await page.waitForFunction(
      () => document.querySelector('#leer [data-og-status]')?.textContent || null,
      null,
      { timeout: WAIT_MS },
    );
    assert.match(await status.jsonValue(), /^Die Tabelle kann nicht angezeigt werden\. Die Datei ist leer\./);
    assert.equal(result.tables, 0);
  });

  test('header only', async () => {
    const { page } = await openErrorPage();
    const result = await errorOf(page, '#kopf');

    assert.equal(result.state, 'error');
    assert.match(result.alert, /nur eine Kopfzeile und keine Datenzeilen/);
    assert.equal(result.tables, 0);
  });

  test('json without a list of objects', async () => {
    const { page } = await openErrorPage();
    const result = await errorOf(page, '#zahlen');

    assert.equal(result.state, 'error');
    assert.match(result.alert, /keine Liste von Datensätzen \(gefunden: Zahl\)/);
    assert.equal(result.tables, 0);
  });
});

describe('when a quote is never closed', () => {
  test('rows before it show with the line', async () => {
    const { page } = await openErrorPage();
    const result = await errorOf(page, '#zitat');

    assert.equal(result.state, 'ready');
    assert.match(result.alert, /Die Tabelle ist unvollständig/);
    assert.match(result.alert, /Zeile 3: Ein Anführungszeichen wird nicht geschlossen/);
    assert.equal(result.rows, 1, 'the rows before the quote are not shown');
  });
});

describe('in english', () => {
  test('messages follow the page language', async () => {
    const { page } = await session.open('/test/table-en.html');

    const missing = await errorOf(page, '#missing');
    assert.match(missing.alert, /The data could not be loaded: the server answered with HTTP status 404/);
    const quote = await errorOf(page, '#quote');
    assert.match(quote.alert, /Line 3: A quotation mark is never closed/);
  });
});

describe('when the encoding is guessed', () => {
  test('a note, not an error', async () => {
    const { page } = await session.open('/test/table-chart.html');
    const result = await errorOf(page, '#kodierung');

    assert.equal(result.state, 'ready');
    assert.equal(result.alert, null);
    const note = await page.locator('#kodierung [data-og-note="encoding-guessed"]').textContent();
    assert.match(note, /als Windows-1252 erkannt/);
    const cells = await page.$$eval('#kodierung tbody td', (cells) => cells.map((cell) => cell.textContent));
    assert.deepEqual(cells, ['Mühlenweg', '12,50 €', 'Königsallee', '7,00 €']);
  });
});

describe('one failure', () => {
  test('leaves the other widgets working', async () => {
    const { page, log } = await openErrorPage();
    for (const selector of ['#fehlt', '#netz', '#html', '#leer', '#kopf', '#zahlen', '#zitat', '#ohne']) {
      await settledState(page, selector);
    }
    assert.deepEqual(log.pageErrors, [], describeLog(log));
    const fallbackShown = await page.evaluate(() => document.querySelector('main h1').textContent);
    assert.equal(fallbackShown, 'Datentabellen mit fehlerhaften Daten');
  });
});
