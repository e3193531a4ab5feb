// Checks of the test harness itself: a page with a deliberate CSP
// violation and deliberate accessibility faults must be caught, so that
// "zero violations" in the other tests means something.

import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { axeViolations } from './helpers/axe.mjs';
import { launchBrowser, openPage } from './helpers/browser.mjs';
import { startStaticServer, STRICT_CSP } from './helpers/static-server.mjs';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

let server;
let launched;

before(async () => {
  server = await startStaticServer({ csp: STRICT_CSP, routes: [{ prefix: '/', dir: FIXTURES }] });
  launched = await launchBrowser();
});

after(async () => {
  await launched?.close();
  await server?.close();
});

test('csp violation is recorded', async () => {
  const { page, log, close } = await openPage(launched, `${server.url}/harness-violations.html`);
  await page.waitForFunction(() => window.__ogTest.csp.length > 0);

  assert.equal(await page.evaluate(() => window.inlineScriptRan), undefined, 'the inline script ran under the CSP');
  assert.ok(
    log.cspViolations.some((violation) => violation.directive.startsWith('script-src')),
    `no script-src violation recorded: ${JSON.stringify(log.cspViolations)}`,
  );
  await close();
});

test('axe finds deliberate faults', async () => {
  const { page, close } = await openPage(launched, `${server.url}/harness-violations.html`);
  const ids = (await axeViolations(page)).map((violation) => violation.id);

  assert.ok(ids.includes('label'), `axe missed the unlabelled input: ${ids}`);
  assert.ok(ids.includes('image-alt'), `axe missed the image without alt: ${ids}`);
  await close();
});

test('requests to other hosts are aborted', async () => {
  // bypassCSP, because the page's own connect-src would block the request
  // before the route that this test checks.
  const { page, log, close } = await openPage(launched, `${server.url}/harness-violations.html`, { bypassCSP: true });
  const status = await page.evaluate(() =>
    fetch('http://example.invalid/').then(
      () => 'reached',
      () => 'blocked',
    ),
  );

  assert.equal(status, 'blocked');
  assert.ok(log.failedRequests.some((entry) => entry.startsWith('http://example.invalid/')));
  await close();
});
