// Attribute changes after mount, removal without leaks, and the query in
// the page URL.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { describeLog } from './helpers/browser.mjs';
import { useBrowser } from './helpers/session.mjs';
import { hitIds, search, searchInput, waitForHits, waitForMount, WAIT_MS } from './helpers/widgets.mjs';

const WIDGET = '#suche';

const session = useBrowser();

/** Returns the texts a user perceives of the widget: visible text, placeholder and labels. */
function widgetWording(page) {
  return page.evaluate((selector) => {
    const widget = document.querySelector(selector);
    const input = widget.querySelector('input[type=search]');
    return [
      widget.innerText,
      input?.placeholder ?? '',
      input?.getAttribute('aria-label') ?? '',
      [...(input?.labels ?? [])].map((label) => label.textContent).join(' '),
    ].join(' | ');
  }, WIDGET);
}

describe('attribute changes after mount', () => {
  test('lang en switches ui text', async () => {
    const { page } = await session.open('/test/search.html');
    await waitForMount(page, WIDGET);
    await search(page, WIDGET, 'Xylophonqwertz');
    const german = await widgetWording(page);

    await page.evaluate((selector) => document.querySelector(selector).setAttribute('lang', 'en'), WIDGET);
    await page.waitForFunction(
      ({ selector, german }) => {
        const widget = document.querySelector(selector);
        const input = widget.querySelector('input[type=search]');
        const wording = [
          widget.innerText,
          input?.placeholder ?? '',
          input?.getAttribute('aria-label') ?? '',
          [...(input?.labels ?? [])].map((label) => label.textContent).join(' '),
        ].join(' | ');
        return wording !== german;
      },
      { selector: WIDGET, german },
      { timeout: WAIT_MS },
    );
    const english = await widgetWording(page);

    assert.notEqual(english, german);
    assert.doesNotMatch(english, /\b(keine|Suche|gefunden|Leistungen)\b/, `German words left after lang="en": ${english}`);
    assert.equal(await searchInput(page, WIDGET).inputValue(), 'Xylophonqwertz', 'switching lang lost the query');
  });

  test('max-results limits hits', async () => {
    const { page } = await session.open('/test/search.html');
    await waitForMount(page, WIDGET);
    await search(page, WIDGET, 'beantragen');
    await waitForHits(page, WIDGET, (ids) => ids.length >= 4, 'four hits for beantragen');

    await page.evaluate((selector) => document.querySelector(selector).setAttribute('max-results', '2'), WIDGET);
    await waitForHits(page, WIDGET, (ids) => ids.length === 2, 'two hits after max-results="2"');

    await page.evaluate((selector) => document.querySelector(selector).setAttribute('max-results', '3'), WIDGET);
    await waitForHits(page, WIDGET, (ids) => ids.length === 3, 'three hits after max-results="3"');
  });

  test('src change loads other catalogue', async () => {
    const { page } = await session.open('/test/search.html');
    await waitForMount(page, WIDGET);

    await page.evaluate(
      (selector) => document.querySelector(selector).setAttribute('src', '/test/catalogues/leistungen.json'),
      WIDGET,
    );
    await searchInput(page, WIDGET).fill('Kirchenaustritt');
    await waitForHits(page, WIDGET, (ids) => ids.includes('L-ka'), 'Kirchenaustritt from the new catalogue');
  });
});

describe('removal', () => {
  test('thousand mounts leak nothing', async () => {
    const { page, context, log } = await session.open('/test/empty.html');
    const cdp = await context.newCDPSession(page);

    // Counts og-* events dispatched on elements no longer in the document:
    // a removed instance that still reacts to anything shows up here.
    await page.evaluate(() => {
      window.__detachedDispatches = 0;
      const dispatch = EventTarget.prototype.dispatchEvent;
      EventTarget.prototype.dispatchEvent = function dispatchEvent(event) {
        if (event.type.startsWith('og-') && this instanceof Node && !this.isConnected) {
          window.__detachedDispatches += 1;
        }
        return dispatch.call(this, event);
      };
    });

    const cycle = (count) =>
      page.evaluate(async ({ count, waitMs }) => {
        const host = document.getElementById('host');
        for (let round = 0; round < count; round += 1) {
          const element = document.createElement('og-service-search');
          element.setAttribute('src', '/test/catalogues/services.json');
          host.append(element);
          // Every other element is removed at once, before it could mount,
          // the others after mounting, so both paths of removal are taken.
          if (round % 2 === 1) {
            const started = performance.now();
            while (!element.querySelector('input[type=search]')) {
              if (performance.now() - started > waitMs) {
                throw new Error(`instance ${round} did not mount`);
              }
              await new Promise((resolve) => setTimeout(resolve, 1));
            }
          }
          element.remove();
        }
      }, { count, waitMs: WAIT_MS });

    const counters = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { nodes, jsEventListeners } = await cdp.send('Memory.getDOMCounters');
      const documentListeners = await listenerCount(cdp, 'document');
      const windowListeners = await listenerCount(cdp, 'window');
      const elements = await page.evaluate(() => document.querySelectorAll('*').length);
      return { nodes, jsEventListeners, documentListeners, windowListeners, elements };
    };

    await cycle(100);
    const early = await counters();
    await cycle(900);
    const late = await counters();

    assert.equal(late.elements, early.elements, 'elements left in the document');
    assert.equal(late.documentListeners, early.documentListeners, 'listeners left on document');
    assert.equal(late.windowListeners, early.windowListeners, 'listeners left on window');
    // Some slack for caches of the engine; a leak of one node or listener
    // per instance would add 900.
    assert.ok(late.nodes - early.nodes < 300, `DOM nodes grew from ${early.nodes} to ${late.nodes}`);
    assert.ok(
      late.jsEventListeners - early.jsEventListeners < 100,
      `event listeners grew from ${early.jsEventListeners} to ${late.jsEventListeners}`,
    );

    // A fresh instance still works, and no removed one reacts to it.
    await page.evaluate(() => {
      const element = document.createElement('og-service-search');
      element.id = 'letzte';
      element.setAttribute('src', '/test/catalogues/services.json');
      document.getElementById('host').append(element);
    });
    await waitForMount(page, '#letzte');
    await search(page, '#letzte', 'Hundesteuer');
    await waitForHits(page, '#letzte', (ids) => ids.includes('hs'), 'Hundesteuer in the fresh instance');
    await page.evaluate(() => window.dispatchEvent(new PopStateEvent('popstate')));

    assert.equal(await page.evaluate(() => window.__detachedDispatches), 0, 'a removed instance dispatched events');
    assert.deepEqual(log.pageErrors, [], `uncaught exceptions:\n${describeLog(log)}`);
  });
});

async function listenerCount(cdp, expression) {
  const { result } = await cdp.send('Runtime.evaluate', { expression });
  const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
  await cdp.send('Runtime.releaseObject', { objectId: result.objectId });
  return listeners.length;
}

describe('query in the url', () => {
  test('q parameter prefills and searches', async () => {
    const { page } = await session.open('/test/search.html?q=Reisepass');
    await waitForMount(page, WIDGET);

    await waitForHits(page, WIDGET, (ids) => ids.includes('rp'), 'Reisepass among the hits');
    assert.equal(await searchInput(page, WIDGET).inputValue(), 'Reisepass');
  });

  test('back button restores previous query', async () => {
    const { page } = await session.open('/test/search.html?q=Reisepass');
    await waitForMount(page, WIDGET);
    await waitForHits(page, WIDGET, (ids) => ids.includes('rp'), 'Reisepass among the hits');

    // Enter commits the search as a new history entry; typing alone only
    // replaces the current one, so the history is not flooded per keystroke.
    await searchInput(page, WIDGET).fill('Hundesteuer');
    await searchInput(page, WIDGET).press('Enter');
    await waitForHits(page, WIDGET, (ids) => ids.includes('hs'), 'Hundesteuer among the hits');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'Hundesteuer', null, {
      timeout: WAIT_MS,
    });

    await page.goBack();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'Reisepass', null, {
      timeout: WAIT_MS,
    });
    await waitForMount(page, WIDGET);
    await waitForHits(page, WIDGET, (ids) => ids.includes('rp') && !ids.includes('hs'), 'Reisepass hits again');
    assert.equal(await searchInput(page, WIDGET).inputValue(), 'Reisepass');
    assert.deepEqual((await hitIds(page, WIDGET)).includes('hs'), false);
  });

  test('enter after settled typing adds history entry', async () => {
    const { page } = await session.open('/test/search.html');
    await waitForMount(page, WIDGET);

    // Wait until the settled search has rewritten the current entry, as it
    // does when the user pauses before pressing Enter.
    await search(page, WIDGET, 'Hundesteuer');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'Hundesteuer', null, {
      timeout: WAIT_MS,
    });
    await searchInput(page, WIDGET).press('Enter');
    await page.locator(`${WIDGET} [data-og-hit][data-id="hs"]`).click();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('q-id') === 'hs', null, {
      timeout: WAIT_MS,
    });

    await page.goBack();
    await page.waitForFunction(() => !new URLSearchParams(location.search).has('q-id'), null, { timeout: WAIT_MS });
    assert.equal(await page.evaluate(() => new URLSearchParams(location.search).get('q')), 'Hundesteuer');

    await page.goBack();
    await page.waitForFunction(
      () => location.pathname === '/test/search.html' && !new URLSearchParams(location.search).has('q'),
      null,
      { timeout: WAIT_MS },
    );
    await page.waitForFunction((selector) => document.querySelector(`${selector} input[type=search]`)?.value === '', WIDGET, {
      timeout: WAIT_MS,
    });
  });
});
