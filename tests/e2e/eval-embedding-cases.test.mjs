// The embedding cases with their own pages from data/eval/cases/.
// case-27-double-script.html includes the loader twice as a classic script,
// injects a third copy and a new table after 2 s and a second release of
// the loader after 4 s. case-28-two-instances.html has two tables on one
// page, then adds a third one and removes the first one.
//
// The pages name the loader LOADER_URL (and LOADER_URL_V2) and contain
// inline scripts, so they are served without a Content-Security-Policy. The
// form elements of the second page are left out: they need <og-form>.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { describeLog, launchBrowser, openPage } from './helpers/browser.mjs';
import { PKG_DIR, REPO_ROOT } from './helpers/site.mjs';
import { startStaticServer } from './helpers/static-server.mjs';
import { idProblems, nextFrames, WAIT_MS } from './helpers/widgets.mjs';

const CASES_DIR = join(REPO_ROOT, 'data/eval/cases');
/** A file of more than 5 rows, served under case-01a's name as the double-loader case requires. */
const KOELN_CSV = join(REPO_ROOT, 'data/open-data/koeln_haushalt_bezirke_einzeldarstellung_utf8bom_crlf.csv');
const OTHER_RELEASE = '99.0.0-eval';

let launched;
let folder;
let server;
let release;

before(async () => {
  launched = await launchBrowser();
  folder = await mkdtemp(join(tmpdir(), 'ogkit-embedding-case-'));

  const loader = await readFile(join(PKG_DIR, 'ogkit.js'), 'utf8');
  const manifest = await readFile(join(REPO_ROOT, 'Cargo.toml'), 'utf8');
  release = manifest.match(/^version = "([^"]+)"/m)?.[1];
  assert.ok(release, 'Cargo.toml has no `version = "…"` line');
  await writeFile(join(folder, 'ogkit-v2.js'), loader.replace(`"${release}"`, `"${OTHER_RELEASE}"`));

  for (const name of ['case-27-double-script.html', 'case-28-two-instances.html']) {
    const page = await readFile(join(CASES_DIR, name), 'utf8');
    const filled = page
      .replaceAll('LOADER_URL_V2', '/static/widgets/v2/ogkit.js')
      .replaceAll('LOADER_URL', '/static/widgets/v1/ogkit.js');
    await writeFile(join(folder, name), filled);
  }

  server = await startStaticServer({
    routes: [
      { prefix: '/static/widgets/v1/', dir: PKG_DIR },
      { prefix: '/static/widgets/v2/ogkit.js', file: join(folder, 'ogkit-v2.js') },
      { prefix: '/daten/case-01a-utf8-bom.csv', file: KOELN_CSV },
      { prefix: '/daten/', dir: CASES_DIR },
      { prefix: '/seiten/', dir: folder },
    ],
  });
});

after(async () => {
  await launched?.close();
  await server?.close();
  if (folder) {
    await rm(folder, { recursive: true, force: true });
  }
});

/** Opens a case page with a counter of WebAssembly instantiations in `window.__ogInstances`. */
async function openCasePage(name) {
  const opened = await openPage(launched, null);
  await opened.context.addInitScript(() => {
    window.__ogInstances = 0;
    for (const name of ['instantiate', 'instantiateStreaming']) {
      const original = WebAssembly[name];
      WebAssembly[name] = function (...args) {
        window.__ogInstances += 1;
        return original.apply(this, args);
      };
    }
  });
  await opened.page.goto(`${server.url}/seiten/${name}`);
  return opened;
}

async function waitForRows(page, selector) {
  await page.waitForFunction(
    (selector) => document.querySelector(selector)?.querySelector('[data-og-table] tbody tr') != null,
    selector,
    { timeout: WAIT_MS },
  );
}

function rowCount(page, selector) {
  return page.$$eval(`${selector} [data-og-table] tbody tr`, (rows) => rows.length);
}

function rowTexts(page, selector) {
  return page.$$eval(`${selector} [data-og-table] tbody tr`, (rows) => rows.map((row) => row.textContent));
}

/** Returns, per og-data-table id, how many tables it contains. */
function tableCounts(page) {
  return page.evaluate(() =>
    Object.fromEntries([...document.querySelectorAll('og-data-table')].map((element) => [element.id, element.querySelectorAll('[data-og-table]').length])),
  );
}

function wasmRequests(log) {
  return log.requests.filter((url) => new URL(url).pathname.endsWith('.wasm'));
}

/** Sorts the first column of `selector` and waits until its header reports the order. */
async function sortFirstColumn(page, selector) {
  const before = await page.getAttribute(`${selector} [data-og-table] thead th:first-child`, 'aria-sort');
  await page.click(`${selector} [data-og-sort]:first-of-type`);
  await page.waitForFunction(
    ({ selector, before }) => {
      const now = document.querySelector(`${selector} [data-og-table] thead th:first-child`)?.getAttribute('aria-sort');
      return now && now !== before && now !== 'none';
    },
    { selector, before },
    { timeout: WAIT_MS },
  );
}

describe('loader included twice, then a third copy and a second release', () => {
  test('one module, one render each, one warning', async () => {
    const { page, log } = await openCasePage('case-27-double-script.html');
    await waitForRows(page, '#t1');
    await waitForRows(page, '#t2');
    await waitForRows(page, '#t3');
    await page.waitForFunction(
      () => performance.getEntriesByType('resource').some((entry) => entry.name.includes('/static/widgets/v2/ogkit.js')),
      null,
      { timeout: WAIT_MS },
    );
    await nextFrames(page);

    assert.equal(await rowCount(page, '#t1'), 5, 'page-size="5" set before the definition was lost');
    await sortFirstColumn(page, '#t1');
    assert.equal(await rowCount(page, '#t1'), 5);

    assert.deepEqual(await tableCounts(page), { t1: 1, t2: 1, t3: 1 });
    assert.deepEqual(log.pageErrors, [], `uncaught exceptions:\n${describeLog(log)}`);
    assert.equal(wasmRequests(log).length, 1, `wasm requested: ${wasmRequests(log)}`);
    assert.equal(await page.evaluate(() => window.__ogInstances), 1, 'the module was instantiated more than once');
    const warnings = log.console.filter(
      (entry) => entry.type === 'warning' && entry.text.includes(release) && entry.text.includes(OTHER_RELEASE),
    );
    assert.equal(warnings.length, 1, `expected one warning naming both releases:\n${describeLog(log)}`);
  });

  test('page size set as property before upgrade', async () => {
    const { page } = await openCasePage('case-27-double-script.html');
    await waitForRows(page, '#t2');

    assert.equal(await rowCount(page, '#t2'), 3);
  });
});

describe('two tables on one page', () => {
  test('state stays per instance through add and remove', async () => {
    const { page, log } = await openCasePage('case-28-two-instances.html');
    await waitForRows(page, '#ta');
    await waitForRows(page, '#tb');
    const tableB = await rowTexts(page, '#tb');

    await sortFirstColumn(page, '#ta');
    assert.deepEqual(await rowTexts(page, '#tb'), tableB, 'sorting A changed B');
    assert.equal(await page.getAttribute('#tb [data-og-table] thead th:first-child', 'aria-sort'), null);

    const { duplicates, dangling } = await idProblems(page);
    assert.deepEqual(duplicates, [], 'ids occur twice in the document');
    assert.deepEqual(dangling, [], 'references point outside their own widget');
    await page.click('#tb label[for]');
    const focusedInside = await page.evaluate(() => document.getElementById('tb').contains(document.activeElement));
    assert.ok(focusedInside, "clicking B's label did not focus B's own control");

    await page.click('#add');
    await waitForRows(page, '#tc');
    assert.deepEqual(await rowTexts(page, '#tb'), tableB, 'adding C changed B');
    assert.equal((await idProblems(page)).duplicates.length, 0, 'adding C repeated an id');

    await page.click('#remove');
    await nextFrames(page);
    await sortFirstColumn(page, '#tb');
    await nextFrames(page);
    assert.equal(await page.locator('#ta').count(), 0);
    assert.deepEqual(log.pageErrors, [], `uncaught exceptions:\n${describeLog(log)}`);
    assert.equal(wasmRequests(log).length, 1, `wasm requested: ${wasmRequests(log)}`);
    assert.equal(await page.evaluate(() => window.__ogInstances), 1);
  });
});
