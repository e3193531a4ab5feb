// The search works with the keyboard alone: Tab reaches the input, arrows
// move through the results, Enter opens one, Escape clears.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { waitForLoggedEvent } from './helpers/browser.mjs';
import { useBrowser } from './helpers/session.mjs';
import { hitIds, searchInput, waitForHits, waitForMount } from './helpers/widgets.mjs';

const WIDGET = '#suche';

const session = useBrowser();

/**
 * Returns the data-id of the result that the keyboard has reached: the
 * focused result, the one named by the input's aria-activedescendant, or
 * the one marked aria-selected.
 */
function activeHitId(page) {
  return page.evaluate((selector) => {
    const widget = document.querySelector(selector);
    const focusedHit = document.activeElement?.closest?.('[data-og-hit]');
    if (focusedHit && widget.contains(focusedHit)) {
      return focusedHit.getAttribute('data-id');
    }
    const input = widget.querySelector('input[type=search]');
    const activeId = input?.getAttribute('aria-activedescendant');
    const descendant = activeId ? document.getElementById(activeId)?.closest('[data-og-hit]') : null;
    if (descendant) {
      return descendant.getAttribute('data-id');
    }
    return widget.querySelector('[data-og-hit][aria-selected=true]')?.getAttribute('data-id') ?? null;
  }, WIDGET);
}

async function tabToSearchInput(page) {
  for (let press = 0; press < 10; press += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(
      (selector) => document.activeElement === document.querySelector(`${selector} input[type=search]`),
      WIDGET,
    );
    if (focused) {
      return true;
    }
  }
  return false;
}

test('keyboard reaches, browses and opens results', async () => {
  const { page, log } = await session.open('/test/search.html');
  await waitForMount(page, WIDGET);

  assert.ok(await tabToSearchInput(page), 'Tab never focused the search input');

  await page.keyboard.type('Führerschein');
  const ids = await waitForHits(page, WIDGET, (hits) => hits.length >= 2, 'two hits for Führerschein');

  await page.keyboard.press('ArrowDown');
  assert.equal(await activeHitId(page), ids[0], 'ArrowDown did not reach the first result');
  await page.keyboard.press('ArrowDown');
  assert.equal(await activeHitId(page), ids[1], 'a second ArrowDown did not reach the second result');
  await page.keyboard.press('ArrowUp');
  assert.equal(await activeHitId(page), ids[0], 'ArrowUp did not go back to the first result');

  await page.keyboard.press('Enter');
  const select = await waitForLoggedEvent(log, (event) => event.type === 'og-select', 'og-select after Enter');
  assert.equal(select.detail?.id, ids[0]);
  assert.equal(select.bubbles, true, 'og-select does not bubble');
});

test('escape clears query and results', async () => {
  const { page } = await session.open('/test/search.html');
  await waitForMount(page, WIDGET);
  const input = searchInput(page, WIDGET);

  await input.focus();
  await page.keyboard.type('Reisepass');
  await waitForHits(page, WIDGET, (hits) => hits.includes('rp'), 'Reisepass among the hits');
  await page.keyboard.press('Escape');

  await waitForHits(page, WIDGET, (hits) => hits.length === 0, 'no hits after Escape');
  assert.equal(await input.inputValue(), '');
  assert.deepEqual(await hitIds(page, WIDGET), []);
});

test('search event reports query and count', async () => {
  const { page, log } = await session.open('/test/search.html');
  await waitForMount(page, WIDGET);

  await searchInput(page, WIDGET).fill('Reisepass');
  const ids = await waitForHits(page, WIDGET, (hits) => hits.includes('rp'), 'Reisepass among the hits');
  await page.waitForFunction(() => window.__ogTest.events.some((event) => event.detail?.query === 'Reisepass'));

  const event = log.events.filter((entry) => entry.type === 'og-search').at(-1);
  assert.equal(event.detail.query, 'Reisepass');
  assert.equal(typeof event.detail.count, 'number');
  assert.ok(event.detail.count >= ids.length, `count ${event.detail.count} is below the ${ids.length} hits shown`);
  assert.equal(event.bubbles, true, 'og-search does not bubble');

  const announcement = await page.evaluate(
    (selector) => document.querySelector(`${selector} [aria-live=polite]`)?.textContent ?? null,
    WIDGET,
  );
  assert.ok(announcement !== null, 'the widget has no polite live region');
  assert.match(announcement, /\d/, `the live region does not announce the count: "${announcement}"`);
});
