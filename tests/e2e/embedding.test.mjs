// Embedding on real CMS pages: several instances on one page, the loader
// included more than once, and one broken widget next to a working one.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { describeLog } from './helpers/browser.mjs';
import { useBrowser } from './helpers/session.mjs';
import { FIXTURE_DIR, PKG_DIR, REPO_ROOT } from './helpers/site.mjs';
import { startStaticServer, STRICT_CSP } from './helpers/static-server.mjs';
import {
  WIDGETS,
  hitIds,
  idProblems,
  search,
  searchInput,
  waitForHits,
  waitForMount,
  waitForText,
} from './helpers/widgets.mjs';

const session = useBrowser();

function wasmRequests(log) {
  return log.requests.filter((url) => new URL(url).pathname.endsWith('.wasm'));
}

/** Returns, per og-* element id, how many times its mounted UI occurs in it. */
function mountCounts(page, mountedSelector) {
  return page.evaluate(
    (mountedSelector) =>
      Object.fromEntries(
        [...document.querySelectorAll('*')]
          .filter((element) => element.tagName.startsWith('OG-'))
          .map((element) => [element.id, element.querySelectorAll(mountedSelector).length]),
      ),
    mountedSelector,
  );
}

describe('two instances on one page', () => {
  test('typing in one leaves other unchanged', async () => {
    const { page, log } = await session.open('/test/two.html');
    await waitForMount(page, '#stadt');
    await waitForMount(page, '#leika');
    await search(page, '#leika', 'Kirchenaustritt');
    const leikaBefore = await waitForHits(page, '#leika', (ids) => ids.includes('L-ka'), 'Kirchenaustritt in #leika');

    await search(page, '#stadt', 'Reisepass');
    await waitForHits(page, '#stadt', (ids) => ids.includes('rp'), 'Reisepass in #stadt');

    assert.equal(await searchInput(page, '#leika').inputValue(), 'Kirchenaustritt');
    assert.deepEqual(await hitIds(page, '#leika'), leikaBefore, 'typing in #stadt changed the hits of #leika');
    assert.ok(!(await hitIds(page, '#stadt')).some((id) => id.startsWith('L-')), '#stadt shows LeiKa services');
    assert.equal(wasmRequests(log).length, 1, `wasm requested ${wasmRequests(log).length} times`);
  });

  test('ids are unique and labels resolve locally', async () => {
    const { page } = await session.open('/test/two.html');
    await waitForMount(page, '#stadt');
    await waitForMount(page, '#leika');
    await search(page, '#stadt', 'Ausweis');
    await search(page, '#leika', 'Ausweis');

    const { duplicates, dangling } = await idProblems(page);
    assert.deepEqual(duplicates, [], 'ids occur twice in the document');
    assert.deepEqual(dangling, [], 'references point outside their own widget');

    for (const id of ['stadt', 'leika']) {
      const label = page.locator(`#${id} label`).first();
      assert.equal(await label.count(), 1, `#${id} has no label element`);
      await label.click();
      const focusedInside = await page.evaluate(
        (id) => document.getElementById(id).contains(document.activeElement) && document.activeElement.matches('input'),
        id,
      );
      assert.ok(focusedInside, `clicking the label of #${id} did not focus its own input`);
    }
  });
});

describe('loader included more than once', () => {
  test('loads wasm once and renders once', async () => {
    const { page, log } = await session.open('/test/twice.html');
    await waitForMount(page, '#erste');
    await waitForMount(page, '#zweite');

    // A CMS that reloads a fragment adds the loader again, once under the
    // same URL and once under another one (a cache-busting query), and a
    // new element.
    await page.evaluate(() => {
      for (const src of ['/ogkit/ogkit.js', '/ogkit/ogkit.js?nachgeladen=1']) {
        const script = document.createElement('script');
        script.type = 'module';
        script.src = src;
        document.body.append(script);
      }
      const third = document.createElement('og-service-search');
      third.id = 'dritte';
      third.setAttribute('src', '/test/catalogues/services.json');
      document.querySelector('main').append(third);
    });
    await waitForMount(page, '#dritte');
    await page.waitForFunction(() =>
      performance.getEntriesByType('resource').some((entry) => entry.name.includes('nachgeladen=1')),
    );
    await search(page, '#dritte', 'Hundesteuer');
    await waitForHits(page, '#dritte', (ids) => ids.includes('hs'), 'Hundesteuer in #dritte');

    assert.deepEqual(log.pageErrors, [], `uncaught exceptions:\n${describeLog(log)}`);
    assert.equal(wasmRequests(log).length, 1, `wasm requested ${wasmRequests(log).length} times: ${wasmRequests(log)}`);
    assert.deepEqual(await mountCounts(page, 'input[type=search]'), { erste: 1, zweite: 1, dritte: 1 });
  });
});

describe('a second release of the loader', () => {
  test('warns once and keeps widgets working', async () => {
    // A copy of the loader that claims another release, as when a theme
    // ships an older ogkit.js than the page's content blocks.
    // The build minifies the loader; the release stays in it as a string
    // literal, the crate version from the workspace manifest.
    const loader = readFileSync(join(PKG_DIR, 'ogkit.js'), 'utf8');
    const manifest = readFileSync(join(REPO_ROOT, 'Cargo.toml'), 'utf8');
    const release = manifest.match(/^version = "([^"]+)"/m)?.[1];
    assert.ok(release, 'Cargo.toml has no `version = "…"` line');
    assert.equal(loader.split(`"${release}"`).length, 2, `pkg/ogkit.js should hold the release "${release}" once`);
    const otherRelease = '99.0.0-test';
    const folder = mkdtempSync(join(tmpdir(), 'ogkit-loader-v2-'));
    writeFileSync(join(folder, 'ogkit.js'), loader.replace(`"${release}"`, `"${otherRelease}"`));

    const server = await startStaticServer({
      csp: STRICT_CSP,
      routes: [
        { prefix: '/ogkit-v2/', dir: folder },
        { prefix: '/ogkit/', dir: PKG_DIR },
        { prefix: '/test/', dir: FIXTURE_DIR },
      ],
    });
    try {
      const { page, log } = await session.open(`${server.url}/test/twice.html`);
      await waitForMount(page, '#erste');
      await page.evaluate(() => {
        const script = document.createElement('script');
        script.type = 'module';
        script.src = '/ogkit-v2/ogkit.js';
        document.body.append(script);
      });
      await page.waitForFunction(
        () => performance.getEntriesByType('resource').some((entry) => entry.name.includes('/ogkit-v2/ogkit.js')),
        null,
        { timeout: 60_000 },
      );
      await search(page, '#erste', 'Hundesteuer');
      await waitForHits(page, '#erste', (ids) => ids.includes('hs'), 'Hundesteuer in #erste after the second release');

      const warnings = log.console.filter(
        (entry) => entry.type === 'warning' && entry.text.includes(release) && entry.text.includes(otherRelease),
      );
      assert.equal(warnings.length, 1, `expected one warning naming both releases:\n${describeLog(log)}`);
      assert.deepEqual(log.pageErrors, [], `uncaught exceptions:\n${describeLog(log)}`);
      assert.equal(wasmRequests(log).length, 1);
    } finally {
      await server.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('broken catalogue next to a working one', () => {
  test('broken widget explains and other works', async () => {
    const { page, log } = await session.open('/test/broken.html');
    const message = await waitForText(page, '#kaputt', /nicht/i);
    await waitForMount(page, '#heil');
    await search(page, '#heil', 'Hundesteuer');
    await waitForHits(page, '#heil', (ids) => ids.includes('hs'), 'Hundesteuer in #heil');

    assert.ok(message.trim().length > 10, `the message is not readable: "${message}"`);
    assert.ok(await page.locator('#kaputt').isVisible(), 'the broken widget shows nothing');
    assert.deepEqual(await hitIds(page, '#kaputt'), []);
    assert.equal(await page.locator('#after').textContent(), 'Text nach den Widgets');
    assert.deepEqual(log.pageErrors, [], `uncaught exceptions:\n${describeLog(log)}`);
    // The console names the address and the attribute to check.
    const warning =
      'og-service-search: /test/catalogues/gibt-es-nicht.json (attribute "src") was not found (HTTP 404). ' +
      'Check the address in the attribute.';
    assert.ok(log.console.some((entry) => entry.type === 'warning' && entry.text === warning), describeLog(log));
  });
});

describe('a wrong catalogue address', () => {
  test('web page or csv is named', async () => {
    const { page, log } = await session.open('/test/empty.html');
    await page.evaluate(() => {
      for (const [id, src] of [
        ['seite', '/test/search.html'],
        ['tabelle', '/test/table/koeln-bezirke.csv'],
      ]) {
        const search = document.createElement('og-service-search');
        search.id = id;
        search.setAttribute('src', src);
        document.getElementById('host').append(search);
      }
    });
    const html = await waitForText(page, '#seite', /Webseite/);
    assert.match(html, /Unter der Adresse im Attribut „src“ liegt eine Webseite \(HTML\), kein Leistungskatalog/);
    const csv = await waitForText(page, '#tabelle', /JSON/);
    assert.match(csv, /ist kein gültiges JSON und damit kein Leistungskatalog\. Bitte prüfen Sie die Adresse/);
    assert.deepEqual(log.pageErrors, [], describeLog(log));
  });
});

describe('every widget', () => {
  for (const widget of WIDGETS) {
    test(`${widget.tag} mounts twice with one download`, async () => {
      const { page, log } = await session.open('/test/empty.html');
      await page.evaluate((widget) => {
        for (const id of ['eins', 'zwei']) {
          const element = document.createElement(widget.tag);
          element.id = id;
          for (const [name, value] of Object.entries(widget.attributes)) {
            element.setAttribute(name, value);
          }
          document.getElementById('host').append(element);
        }
      }, widget);
      await waitForMount(page, '#eins', widget.mounted);
      await waitForMount(page, '#zwei', widget.mounted);

      const { duplicates } = await idProblems(page);
      assert.deepEqual(duplicates, []);
      assert.equal(wasmRequests(log).length, 1);
      assert.deepEqual(log.pageErrors, []);
      assert.deepEqual(log.cspViolations, []);
    });
  }
});
