// Search as the citizen types: umlauts typed in every common way, prefixes
// while a word is still being typed, and a dead key in the middle of a word.
// The catalogues are tests/site/catalogues/case-12.json (S08 is stored
// decomposed, as NFD) and case-13.json.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { describeLog } from './helpers/browser.mjs';
import { useBrowser } from './helpers/session.mjs';
import { hitIds, hitTexts, search, searchInput, waitForMount, waitForSearch } from './helpers/widgets.mjs';

const WIDGET = '#suche';

const session = useBrowser();

/** Each row: every spelling must give the same hits, with `first` ranked first. */
const SPELLINGS = [
  { first: 'S01', spellings: ['Müll', 'müll', 'MÜLL', 'muell', 'Muell', 'mull'] },
  { first: 'S02', spellings: ['straße', 'Strasse', 'STRASSE', 'STRAẞE'], alsoIncludes: 'S01' },
  { first: 'S03', spellings: ['führerschein', 'fuehrerschein', 'fuhrerschein', 'FÜHRERSCHEIN'] },
  { first: 'S04', spellings: ['übergangswohnheim', 'Ubergangswohnheim', 'uebergangswohnheim'] },
  { first: 'S05', spellings: ['Ölspur', 'oelspur', 'olspur', 'ÖLSPUR'] },
  { first: 'S06', spellings: ['gaststättenerlaubnis', 'gaststaettenerlaubnis', 'gaststattenerlaubnis'] },
  { first: 'S07', spellings: ['goethe', 'Goethe-Gymnasium'] },
  { first: 'S08', spellings: ['wasserzähler', 'wasserza\u0308hler', 'wasserzaehler', 'wasserzahler'] },
  { first: 'S08', spellings: ['zählerstand', 'zaehlerstand'] },
  { first: 'S09', spellings: ['gerät', 'geraet', 'gerat'] },
  { first: 'S10', spellings: ['fälligkeiten', 'faelligkeiten'] },
];

/** Types `word` one key at a time and returns the hit ids after each keystroke, keyed by the query so far. */
async function typeKeyByKey(page, word) {
  const input = searchInput(page, WIDGET);
  await input.fill('');
  await input.focus();
  const after = new Map();
  for (let length = 1; length <= word.length; length += 1) {
    await page.keyboard.type(word[length - 1]);
    const query = word.slice(0, length);
    await waitForSearch(page, WIDGET, query);
    after.set(query, await hitIds(page, WIDGET));
  }
  return after;
}

describe('umlauts and spellings', () => {
  for (const row of SPELLINGS) {
    test(`${row.spellings[0]} in every spelling finds ${row.first}`, async () => {
      const { page } = await session.open('/test/spelling.html');
      await waitForMount(page, WIDGET);

      let reference = null;
      for (const spelling of row.spellings) {
        await search(page, WIDGET, spelling);
        const ids = await hitIds(page, WIDGET);
        assert.equal(ids[0], row.first, `"${spelling}" ranks ${JSON.stringify(ids)}`);
        if (row.alsoIncludes) {
          assert.ok(ids.includes(row.alsoIncludes), `"${spelling}" lacks ${row.alsoIncludes}: ${JSON.stringify(ids)}`);
        }
        reference ??= { spelling, ids: [...ids].sort() };
        assert.deepEqual([...ids].sort(), reference.ids, `"${spelling}" and "${reference.spelling}" differ`);
      }
    });
  }

  test('titles keep their original spelling', async () => {
    const { page } = await session.open('/test/spelling.html');
    await waitForMount(page, WIDGET);

    await search(page, WIDGET, 'muell');
    assert.ok((await hitTexts(page, WIDGET))[0].includes('Müllabfuhr'), 'the title lost its umlaut');

    await search(page, WIDGET, 'wasserzahler');
    const text = (await hitTexts(page, WIDGET))[0];
    assert.ok(text.normalize('NFC').includes('Wasserzähler ablesen'), `S08 shows "${text}"`);
    const splitMarks = await page.evaluate((selector) => {
      const hit = document.querySelector(`${selector} [data-og-hit]`);
      const walker = document.createTreeWalker(hit, NodeFilter.SHOW_TEXT);
      const split = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (/^[\u0300-\u036f]/.test(node.data)) split.push(node.data);
      }
      return split;
    }, WIDGET);
    assert.deepEqual(splitMarks, [], 'a highlight separates a combining mark from its letter');
  });
});

describe('search as you type', () => {
  test('bü finds bürgerbüro and bücherei', async () => {
    const { page } = await session.open('/test/typing.html');
    await waitForMount(page, WIDGET);

    await search(page, WIDGET, 'bü');
    const ids = await hitIds(page, WIDGET);
    assert.ok(ids.includes('T01'), `bü: ${JSON.stringify(ids)} lacks T01`);
    assert.ok(ids.includes('T02'), `bü: ${JSON.stringify(ids)} lacks T02`);
    assert.ok(!ids.includes('T03'), `bü finds Baumfällgenehmigung: ${JSON.stringify(ids)}`);
    if (ids.includes('T08')) {
      assert.ok(ids.indexOf('T08') > ids.indexOf('T01'), `bü, T08 after T01: ${JSON.stringify(ids)}`);
      assert.ok(ids.indexOf('T08') > ids.indexOf('T02'), `bü, T08 after T02: ${JSON.stringify(ids)}`);
    }

    await search(page, WIDGET, 'bür');
    const narrower = await hitIds(page, WIDGET);
    assert.equal(narrower[0], 'T01', `bür: ${JSON.stringify(narrower)}`);
  });

  test('führerschein stays found while typing', async () => {
    const { page } = await session.open('/test/typing.html');
    await waitForMount(page, WIDGET);

    for (const [word, from] of [
      ['Führerschein', 'Füh'],
      ['Fuehrerschein', 'Fueh'],
    ]) {
      const after = await typeKeyByKey(page, word);
      for (const [query, ids] of after) {
        if (query.length >= from.length) {
          assert.ok(ids.includes('T06'), `"${query}" lost T06: ${JSON.stringify(ids)}`);
        }
      }
    }
  });

  test('anmelden never loses a hit', async () => {
    const { page } = await session.open('/test/typing.html');
    await waitForMount(page, WIDGET);

    const after = await typeKeyByKey(page, 'anmelden');
    let previous = null;
    for (const [query, ids] of after) {
      if (query.length >= 3) {
        assert.ok(ids.includes('T04'), `"${query}": ${JSON.stringify(ids)} lacks T04`);
        assert.ok(ids.includes('T05'), `"${query}": ${JSON.stringify(ids)} lacks T05`);
      }
      if (previous && query.length >= 4) {
        for (const id of previous.filter((id) => ['T04', 'T05'].includes(id))) {
          assert.ok(ids.includes(id), `${id} disappeared at "${query}"`);
        }
      }
      previous = ids;
    }

    await search(page, WIDGET, 'anmeldung');
    const ids = await hitIds(page, WIDGET);
    assert.ok(ids.includes('T04'), `anmeldung: ${JSON.stringify(ids)} lacks T04`);
    assert.ok(ids.includes('T05'), `anmeldung: ${JSON.stringify(ids)} lacks T05`);
  });

  test('dead key gives same hits as cafe', async () => {
    const { page, context, log } = await session.open('/test/typing.html');
    await waitForMount(page, WIDGET);
    await search(page, WIDGET, 'cafe');
    const expected = await hitIds(page, WIDGET);
    assert.ok(expected.includes('T09'), `cafe: ${JSON.stringify(expected)}`);

    const input = searchInput(page, WIDGET);
    await input.fill('');
    await input.focus();
    await page.keyboard.type('Cafe');
    await page.keyboard.press('Backspace');
    // A German keyboard's dead key ´ opens a composition that the next key
    // completes; the DevTools protocol reproduces that sequence.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: '´', selectionStart: 1, selectionEnd: 1 });
    await cdp.send('Input.insertText', { text: 'é' });
    await waitForSearch(page, WIDGET, 'Café');

    assert.deepEqual(await hitIds(page, WIDGET), expected);
    assert.deepEqual(log.pageErrors, [], `uncaught exceptions:\n${describeLog(log)}`);
    const errorsShown = await page.evaluate((selector) => document.querySelector(`${selector} [role=alert]`)?.textContent ?? '', WIDGET);
    assert.equal(errorsShown, '', 'an error appeared while the dead key was pending');
  });
});
