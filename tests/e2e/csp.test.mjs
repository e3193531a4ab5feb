// The widgets under a strict Content-Security-Policy, and with broken
// delivery of the WebAssembly module.
//
// The first test runs against the site under test (`ogkit serve`), whose
// own CSP must be strict and must not get in the way. The others use a
// Node server that can do what ogkit serve never does: drop
// 'wasm-unsafe-eval' from the policy, serve the .wasm file as text/plain,
// or answer it with a 404 page. There the page sits at
// /gemeinde/rathaus/seite.html and the loader at /static/widgets/v1/, so a
// module URL resolved against the page instead of the script shows up as a
// request under /gemeinde/rathaus/.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { describeLog } from './helpers/browser.mjs';
import { useBrowser } from './helpers/session.mjs';
import { FIXTURE_DIR, PKG_DIR } from './helpers/site.mjs';
import { CSP_WITHOUT_WASM, startStaticServer, STRICT_CSP } from './helpers/static-server.mjs';
import { search, waitForHits, waitForMount, waitForText } from './helpers/widgets.mjs';

const WIDGET = '#suche';
const PAGE_PATH = '/gemeinde/rathaus/seite.html';

const session = useBrowser();

/** Starts a Node server for one delivery variant with the nested layout. */
function startVariant({ csp, wasm }) {
  return startStaticServer({
    csp,
    wasm,
    routes: [
      { prefix: '/static/widgets/v1/', dir: PKG_DIR },
      { prefix: PAGE_PATH, file: join(FIXTURE_DIR, 'gemeinde/rathaus/seite.html') },
      { prefix: '/daten/', dir: join(FIXTURE_DIR, 'catalogues') },
    ],
  });
}

/** Asserts that no request for widget assets went to the page's folder. */
function assertNoPageRelativeRequests(server) {
  const misplaced = server.requests.filter((path) => path.startsWith('/gemeinde/rathaus/') && path !== PAGE_PATH);
  assert.deepEqual(misplaced, [], 'widget assets were requested relative to the page');
}

/** Asserts that the paragraph after the widget is still shown unchanged. */
async function assertParagraphIntact(page) {
  const paragraph = page.locator('#after');
  assert.equal(await paragraph.isVisible(), true, 'the paragraph after the widget is hidden');
  assert.equal(await paragraph.textContent(), 'Text nach dem Widget');
}

describe('strict csp of the site', () => {
  test('search works without violations', async () => {
    const { page, log } = await session.open('/test/search.html');
    const response = await page.request.get(`${session.base}/test/search.html`);
    const policy = response.headers()['content-security-policy'] ?? '';

    assert.match(policy, /script-src[^;]*'wasm-unsafe-eval'/, `ogkit serve sends no strict CSP: "${policy}"`);
    assert.doesNotMatch(policy, /'unsafe-eval'|'unsafe-inline'/, `the CSP allows too much: "${policy}"`);

    await waitForMount(page, WIDGET);
    await search(page, WIDGET, 'Reisepass');
    await waitForHits(page, WIDGET, (ids) => ids.includes('rp'), 'Reisepass among the hits');

    assert.deepEqual(log.cspViolations, [], `CSP violations:\n${describeLog(log)}`);
    assert.deepEqual(log.pageErrors, []);
  });
});

describe('wasm delivery variants', () => {
  test('strict csp with wasm-unsafe-eval works', async () => {
    const server = await startVariant({ csp: STRICT_CSP, wasm: 'normal' });
    try {
      const { page, log } = await session.open(`${server.url}${PAGE_PATH}`);
      await waitForMount(page, WIDGET);
      await search(page, WIDGET, 'Hundesteuer');
      await waitForHits(page, WIDGET, (ids) => ids.includes('hs'), 'Hundesteuer among the hits');

      assert.deepEqual(log.cspViolations, [], `CSP violations:\n${describeLog(log)}`);
      assert.ok(
        server.requests.some((path) => path.startsWith('/static/widgets/v1/') && path.endsWith('.wasm')),
        `the wasm module was not loaded from the loader's folder: ${server.requests}`,
      );
      assertNoPageRelativeRequests(server);
    } finally {
      await server.close();
    }
  });

  test('csp without wasm-unsafe-eval shows message', async () => {
    const server = await startVariant({ csp: CSP_WITHOUT_WASM, wasm: 'normal' });
    try {
      const { page, log } = await session.open(`${server.url}${PAGE_PATH}`);
      const text = await waitForText(page, WIDGET, /nicht/i);

      assert.ok(await page.locator(WIDGET).isVisible(), 'the message is not visible');
      assert.ok(text.trim().length > 0);
      await assertParagraphIntact(page);
      assert.ok(
        // The browser's own refusal does not count: the widget must say how to fix the policy.
        log.console.some((entry) => /ogkit|og-service-search/i.test(entry.text) && entry.text.includes("'wasm-unsafe-eval'")),
        `no console message of ogkit names 'wasm-unsafe-eval':\n${describeLog(log)}`,
      );
      assertNoPageRelativeRequests(server);
    } finally {
      await server.close();
    }
  });

  test('wasm served as text still works', async () => {
    const server = await startVariant({ csp: undefined, wasm: 'text' });
    try {
      const { page, log } = await session.open(`${server.url}${PAGE_PATH}`);
      await waitForMount(page, WIDGET);
      await search(page, WIDGET, 'Hundesteuer');
      await waitForHits(page, WIDGET, (ids) => ids.includes('hs'), 'Hundesteuer among the hits');

      const warnings = log.console.filter((entry) => entry.type === 'warning' || entry.type === 'error');
      assert.ok(warnings.length <= 1, `more than one console warning:\n${describeLog(log)}`);
      assert.deepEqual(log.pageErrors, []);
      assertNoPageRelativeRequests(server);
    } finally {
      await server.close();
    }
  });

  test('wasm 404 shows error naming it', async () => {
    const server = await startVariant({ csp: undefined, wasm: '404' });
    try {
      const { page, log } = await session.open(`${server.url}${PAGE_PATH}`);
      await waitForText(page, WIDGET, /nicht/i);

      await assertParagraphIntact(page);
      assert.ok(
        log.console.some((entry) => /\.wasm/.test(entry.text) && /404/.test(entry.text)),
        `no console message names the .wasm URL and status 404:\n${describeLog(log)}`,
      );
      assert.deepEqual(log.pageErrors, []);
      assertNoPageRelativeRequests(server);
    } finally {
      await server.close();
    }
  });
});

describe('static server for variants', () => {
  let server;
  before(async () => {
    server = await startVariant({ csp: STRICT_CSP, wasm: 'normal' });
  });
  after(() => server.close());

  test('rejects paths outside its folders', async () => {
    const response = await fetch(`${server.url}/daten/%2e%2e/%2e%2e/%2e%2e/Cargo.toml`);
    assert.equal(response.status, 404);
  });
});
