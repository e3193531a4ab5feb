// axe-core finds no WCAG 2.1 A or AA violation in any state of the search:
// empty, with results, without results, and with a catalogue that failed
// to load. axe runs under the page's own strict CSP.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { axeViolations, formatViolations } from './helpers/axe.mjs';
import { useBrowser } from './helpers/session.mjs';
import { search, waitForHits, waitForMount, waitForText } from './helpers/widgets.mjs';

const WIDGET = '#suche';

const session = useBrowser();

async function assertNoViolations(page, state) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `axe violations in the ${state} state:\n${formatViolations(violations)}`);
}

describe('accessibility', () => {
  test('empty state has no violations', async () => {
    const { page } = await session.open('/test/search.html');
    await waitForMount(page, WIDGET);

    await assertNoViolations(page, 'empty');
  });

  test('results state has no violations', async () => {
    const { page } = await session.open('/test/search.html');
    await waitForMount(page, WIDGET);
    await search(page, WIDGET, 'beantragen');
    await waitForHits(page, WIDGET, (ids) => ids.length >= 3, 'three hits for beantragen');

    await assertNoViolations(page, 'results');
  });

  test('no-results state has no violations', async () => {
    const { page } = await session.open('/test/search.html');
    await waitForMount(page, WIDGET);
    const detail = await search(page, WIDGET, 'Xylophonqwertz');

    assert.equal(detail.count, 0, 'a nonsense query found services');
    await assertNoViolations(page, 'no-results');
  });

  test('error state has no violations', async () => {
    const { page } = await session.open('/test/broken.html');
    await waitForText(page, '#kaputt', /nicht/i);

    await assertNoViolations(page, 'error');
  });

  test('demo page has no violations', async () => {
    const { page } = await session.open('/');
    await waitForMount(page, 'og-service-search');

    await assertNoViolations(page, 'demo page');
  });
});
