// The demo site at `/` finds real services in the real catalogues (the
// Munich DLDB export and the LeiKa services of the OZG catalogue) when a
// citizen types everyday words.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { describeLog } from './helpers/browser.mjs';
import { useBrowser } from './helpers/session.mjs';
import { hitTexts, searchInput, waitForHits, waitForMount } from './helpers/widgets.mjs';

const MUNICH = 'og-service-search[src*="muenchen"]';
const LEIKA = 'og-service-search[src*="leika"]';

const session = useBrowser();

/** Types `query` key by key, as a citizen would, and waits for a hit whose text matches `pattern`. */
async function typeAndFind(page, selector, query, pattern) {
  const input = searchInput(page, selector);
  await input.click();
  await input.fill('');
  await input.pressSequentially(query);
  await waitForHits(page, selector, (ids) => ids.length > 0, `at least one hit for ${query}`);

  let texts = [];
  const found = await page
    .waitForFunction(
      ({ selector, source }) =>
        [...document.querySelectorAll(`${selector} [data-og-hit]`)].some((hit) =>
          new RegExp(source, 'i').test(hit.textContent),
        ),
      { selector, source: pattern.source },
      { timeout: 30_000 },
    )
    .then(
      () => true,
      () => false,
    );
  texts = await hitTexts(page, selector);
  return { found, texts };
}

describe('demo page', () => {
  test('personalausweis finds munich service', async () => {
    const { page, log } = await session.open('/');
    await waitForMount(page, MUNICH);

    const { found, texts } = await typeAndFind(page, MUNICH, 'Personalausweis', /Personalausweis/);

    assert.ok(found, `no hit mentions Personalausweis; hits: ${JSON.stringify(texts)}\n${describeLog(log)}`);
    assert.deepEqual(log.pageErrors, []);
  });

  test('fuehrerschein without umlaut finds führerschein', async () => {
    const { page } = await session.open('/');
    await waitForMount(page, MUNICH);

    const { found, texts } = await typeAndFind(page, MUNICH, 'fuehrerschein', /Führerschein/);

    assert.ok(found, `no hit mentions Führerschein; hits: ${JSON.stringify(texts)}`);
  });

  test('hundesteuer finds leika service', async () => {
    const { page, log } = await session.open('/');
    await waitForMount(page, LEIKA);

    const { found, texts } = await typeAndFind(page, LEIKA, 'Hundesteuer', /Hundesteuer/);

    assert.ok(found, `no hit mentions Hundesteuer; hits: ${JSON.stringify(texts)}\n${describeLog(log)}`);
  });
});
