// Preset filters: a category that the catalogue lacks, and the texts shown
// when a filter is active but nothing is typed.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { describeLog } from './helpers/browser.mjs';
import { useBrowser } from './helpers/session.mjs';
import { search, waitForHits, waitForMount, WAIT_MS } from './helpers/widgets.mjs';

const session = useBrowser();

/** Waits until the element matching `selector` has text matching `pattern`, and returns the text. */
async function waitForElementText(page, selector, pattern) {
  const handle = await page.waitForFunction(
    ({ selector, source }) => {
      const text = document.querySelector(selector)?.textContent ?? '';
      return new RegExp(source).test(text) ? text : null;
    },
    { selector, source: pattern.source },
    { timeout: WAIT_MS },
  );
  return handle.jsonValue();
}

describe('category attribute', () => {
  test('unknown category is ignored with notice', async () => {
    const { page, log } = await session.open('/test/search.html');
    await page.evaluate(() => {
      const element = document.createElement('og-service-search');
      element.id = 'gefiltert';
      element.setAttribute('src', '/test/catalogues/services.json');
      element.setAttribute('category', 'GibtEsNicht');
      document.querySelector('main').append(element);
    });
    await waitForMount(page, '#gefiltert');

    const notice = await waitForElementText(page, '#gefiltert [data-og-config-warning]', /GibtEsNicht/);
    assert.match(notice, /Hinweis für die Redaktion/);
    assert.match(notice, /category/);
    assert.equal(await page.locator('#gefiltert [data-og-no-results]').count(), 0, 'the unknown category alone hid every service');

    const warning = log.console.find((entry) => entry.text.startsWith('og-service-search: attribute "category"'));
    assert.ok(warning, `no console warning for the category:\n${describeLog(log)}`);
    assert.match(warning.text, /"GibtEsNicht"/);
    assert.match(warning.text, /Lebenslage or Themenfeld/);

    await search(page, '#gefiltert', 'Hundesteuer');
    await waitForHits(page, '#gefiltert', (ids) => ids.includes('hs'), 'Hundesteuer found despite the unknown category');
  });
});

describe('filter without words', () => {
  test('status names count without quotes', async () => {
    const { page } = await session.open('/test/search.html');
    await waitForMount(page, '#suche');
    await page.evaluate(() => document.querySelector('#suche').setAttribute('online-only', ''));
    const german = await waitForElementText(page, '#suche [data-og-status]', /Treffer/);
    assert.match(german, /^(\d+|Keine) Treffer(, \d+ ungenaue)?$/);

    await page.evaluate(() => {
      const element = document.createElement('og-service-search');
      element.id = 'online';
      element.setAttribute('lang', 'en');
      element.setAttribute('src', '/test/catalogues/services.json');
      element.setAttribute('online-only', '');
      document.querySelector('main').append(element);
    });
    const english = await waitForElementText(page, '#online [data-og-status]', /result/);
    assert.match(english, /^(\d+ results?|No results)(, \d+ less exact)?$/);
  });
});
