// The strict-CSP case with its own page. data/eval/cases/case-26-csp-page.html
// contains one <og-data-table> that reads case-03a-semicolon.csv, and a
// paragraph after it. The page sits at /gemeinde/rathaus/seite.html and the
// loader at /static/widgets/v1/, so an asset URL resolved against the page
// shows up as a request under /gemeinde/rathaus/.
//
// The four variants are those of the case: the strict policy with
// 'wasm-unsafe-eval', the same policy without it, .wasm served as
// text/plain, and .wasm answered with a 404 page.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { describeLog, launchBrowser, openPage } from './helpers/browser.mjs';
import { PKG_DIR, REPO_ROOT } from './helpers/site.mjs';
import { CSP_WITHOUT_WASM, startStaticServer, STRICT_CSP } from './helpers/static-server.mjs';
import { WAIT_MS } from './helpers/widgets.mjs';

const CASES_DIR = join(REPO_ROOT, 'data/eval/cases');
const PAGE_PATH = '/gemeinde/rathaus/seite.html';
const LOADER_PATH = '/static/widgets/v1/ogkit.js';
const WIDGET = 'og-data-table';

let launched;
let pageDir;

before(async () => {
  launched = await launchBrowser();
  // The case page names its loader LOADER_URL, in a comment and in the
  // script tag. Everything else stays as written.
  const template = await readFile(join(CASES_DIR, 'case-26-csp-page.html'), 'utf8');
  pageDir = await mkdtemp(join(tmpdir(), 'ogkit-csp-case-'));
  await writeFile(join(pageDir, 'seite.html'), template.replaceAll('LOADER_URL', LOADER_PATH));
});

after(async () => {
  await launched?.close();
  if (pageDir) {
    await rm(pageDir, { recursive: true, force: true });
  }
});

/** Starts the server of one variant and opens the case page on it. */
async function openVariant({ csp, wasm }) {
  const server = await startStaticServer({
    csp,
    wasm,
    routes: [
      { prefix: '/static/widgets/v1/', dir: PKG_DIR },
      { prefix: PAGE_PATH, file: join(pageDir, 'seite.html') },
      { prefix: '/daten/', dir: CASES_DIR },
    ],
  });
  const opened = await openPage(launched, `${server.url}${PAGE_PATH}`);
  return { ...opened, server };
}

async function waitForRows(page) {
  await page.waitForFunction((selector) => document.querySelector(selector)?.querySelector('tbody tr') != null, WIDGET, {
    timeout: WAIT_MS,
  });
}

/** Waits until the widget shows text matching `pattern` and returns that text. */
async function waitForWidgetText(page, pattern) {
  await page.waitForFunction(
    ({ selector, source }) => new RegExp(source).test(document.querySelector(selector)?.textContent ?? ''),
    { selector: WIDGET, source: pattern.source },
    { timeout: WAIT_MS },
  );
  return page.locator(WIDGET).textContent();
}

function assertAssetsFromLoaderFolder(server) {
  const misplaced = server.requests.filter((path) => path.startsWith('/gemeinde/rathaus/') && path !== PAGE_PATH);
  assert.deepEqual(misplaced, [], 'widget assets were requested relative to the page');
  const assets = server.requests.filter((path) => /\.(js|wasm|css)$/.test(path));
  assert.ok(
    assets.every((path) => path.startsWith('/static/widgets/v1/')),
    `assets outside the loader's folder: ${assets}`,
  );
}

async function assertParagraphIntact(page) {
  const paragraph = page.locator('#after');
  assert.equal(await paragraph.isVisible(), true, 'the paragraph after the widget is hidden');
  assert.equal(await paragraph.textContent(), 'Text nach dem Widget');
}

async function assertNoSpinner(page) {
  const loading = await page.$$eval(`${WIDGET} progress, ${WIDGET} [data-og-loading]`, (elements) => elements.length);
  assert.equal(loading, 0, 'a loading indicator is still shown next to the message');
}

describe('case page under each delivery variant', () => {
  test('strict csp with wasm-unsafe-eval', async () => {
    const { page, log, server } = await openVariant({ csp: STRICT_CSP, wasm: 'normal' });
    try {
      await waitForRows(page);

      const products = await page.$$eval(`${WIDGET} tbody tr`, (rows) => rows.map((row) => row.children[0].textContent));
      assert.equal(products.length, 4);
      assert.equal(products[0], '11.1.01');
      const padding = await page.$eval(`${WIDGET} tbody td`, (cell) => getComputedStyle(cell).paddingTop);
      assert.notEqual(padding, '0px', 'the table has no styles');
      assert.deepEqual(log.cspViolations, [], `CSP violations:\n${describeLog(log)}`);
      assert.deepEqual(log.pageErrors, [], describeLog(log));
      assertAssetsFromLoaderFolder(server);
      await assertParagraphIntact(page);
    } finally {
      await server.close();
    }
  });

  test('strict csp without wasm-unsafe-eval', async () => {
    const { page, log, server } = await openVariant({ csp: CSP_WITHOUT_WASM, wasm: 'normal' });
    try {
      const text = await waitForWidgetText(page, /kann auf dieser Seite nicht geladen werden/);

      assert.match(text, /kann auf dieser Seite nicht geladen werden/);
      assert.ok(await page.locator(WIDGET).isVisible(), 'the message is not visible');
      assert.ok(
        log.console.some((entry) => /ogkit|og-data-table/i.test(entry.text) && entry.text.includes("'wasm-unsafe-eval'")),
        `no console message of ogkit names 'wasm-unsafe-eval':\n${describeLog(log)}`,
      );
      await assertNoSpinner(page);
      await assertParagraphIntact(page);
      assertAssetsFromLoaderFolder(server);
    } finally {
      await server.close();
    }
  });

  test('wasm served as text', async () => {
    const { page, log, server } = await openVariant({ csp: undefined, wasm: 'text' });
    try {
      await waitForRows(page);

      const warnings = log.console.filter((entry) => entry.type === 'warning' || entry.type === 'error');
      assert.ok(warnings.length <= 1, `more than one console warning:\n${describeLog(log)}`);
      assert.deepEqual(log.pageErrors, [], describeLog(log));
      assertAssetsFromLoaderFolder(server);
    } finally {
      await server.close();
    }
  });

  test('wasm answered with 404', async () => {
    const { page, log, server } = await openVariant({ csp: undefined, wasm: '404' });
    try {
      await waitForWidgetText(page, /nicht geladen werden/);

      assert.ok(
        log.console.some((entry) => /\/static\/widgets\/v1\/[^\s]*\.wasm/.test(entry.text) && /404/.test(entry.text)),
        `no console message names the .wasm URL and status 404:\n${describeLog(log)}`,
      );
      assert.deepEqual(log.pageErrors, [], describeLog(log));
      await assertNoSpinner(page);
      await assertParagraphIntact(page);
      assertAssetsFromLoaderFolder(server);
    } finally {
      await server.close();
    }
  });
});

describe('documented policy', () => {
  test('lists wasm-unsafe-eval, never unsafe-eval', async () => {
    for (const file of ['README.md', 'README.de.md', 'www/de/dienstleistungssuche.md', 'www/en/service-search.md']) {
      const text = await readFile(join(REPO_ROOT, file), 'utf8');
      const policies = [...text.matchAll(/script-src\s+'[^\n`]*/g)].map((match) => match[0]);
      assert.ok(policies.length > 0, `${file} names no script-src`);
      for (const policy of policies) {
        assert.match(policy, /'wasm-unsafe-eval'/, `${file}: ${policy}`);
        assert.doesNotMatch(policy, /(^|\s)'unsafe-eval'/, `${file}: ${policy}`);
      }
    }
  });
});
