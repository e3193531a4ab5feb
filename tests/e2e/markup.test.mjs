// Markup in a catalogue is shown as text and never runs. Every payload in
// tests/site/catalogues/markup.json would set document.title to "XSS-n"
// and window.__pwned to n; links with javascript: or data: URLs must be
// dropped, and http(s) links must point exactly where the data says.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { useBrowser } from './helpers/session.mjs';
import { hitTexts, search, searchInput, waitForHits, waitForMount } from './helpers/widgets.mjs';

const WIDGET = '#suche';
const TITLE = 'Markup in Katalogdaten';

const session = useBrowser();

/** Returns what the widget contains that markup from the data could have created. */
function inspectWidget(page) {
  return page.evaluate((selector) => {
    const widget = document.querySelector(selector);
    const roots = [widget, ...[...widget.querySelectorAll('*')].map((element) => element.shadowRoot).filter(Boolean)];
    const forbidden = [];
    const handlers = [];
    const unsafeLinks = [];
    const links = [];
    for (const root of roots) {
      // The widget may draw its own icons (svg) or emphasis (b, i, mark);
      // elements that came from the data carry the payloads' attributes,
      // which the handler check below catches. These never belong inside.
      for (const element of root.querySelectorAll('script, style, iframe, object, embed, img[src="x"]')) {
        forbidden.push(element.outerHTML.slice(0, 120));
      }
      for (const element of root.querySelectorAll('*')) {
        for (const attribute of element.attributes) {
          if (/^on/i.test(attribute.name)) {
            handlers.push(`${element.tagName.toLowerCase()} ${attribute.name}="${attribute.value}"`);
          }
        }
      }
      for (const link of root.querySelectorAll('[href], [src], [action], [formaction]')) {
        const value = link.getAttribute('href') ?? link.getAttribute('src') ?? link.getAttribute('action') ?? '';
        if (/^\s*(javascript|data|vbscript):/i.test(value)) {
          unsafeLinks.push(`${link.tagName.toLowerCase()} ${value}`);
        }
        if (link.tagName === 'A') {
          links.push(link.getAttribute('href'));
        }
      }
    }
    return {
      forbidden,
      handlers,
      unsafeLinks,
      links,
      text: widget.textContent,
      pwned: window.__pwned ?? null,
      title: document.title,
      hiddenByStyle: getComputedStyle(document.querySelector('h1')).display === 'none',
    };
  }, WIDGET);
}

describe('markup in catalogue data', () => {
  test('payloads render as text', async () => {
    const { page, log } = await session.open('/test/markup.html');
    await waitForMount(page, WIDGET);
    await search(page, WIDGET, 'Sperrmüll');
    await waitForHits(page, WIDGET, (ids) => ids.length >= 5, 'five hits for Sperrmüll');

    const texts = (await hitTexts(page, WIDGET)).join('\n');
    assert.ok(texts.includes(`<script>document.title='XSS-1';window.__pwned=1</script>`), `script tag not shown as text:\n${texts}`);
    assert.ok(texts.includes('<img src=x onerror='), `img tag not shown as text:\n${texts}`);
    assert.ok(texts.includes('Tom &amp; Jerry & Co'), `"Tom &amp; Jerry & Co" not shown literally:\n${texts}`);

    const found = await inspectWidget(page);
    assert.deepEqual(found.forbidden, [], 'elements created from data');
    assert.deepEqual(found.handlers, [], 'event-handler attributes in the widget');
    assert.deepEqual(found.unsafeLinks, [], 'javascript: or data: links in the widget');
    assert.equal(found.pwned, null, 'a payload ran');
    assert.equal(found.title, TITLE, 'a payload changed document.title');
    assert.equal(found.hiddenByStyle, false, 'a <style> from the data hid the page');
    assert.deepEqual(log.pageErrors, []);
  });

  test('id from data stays inside attribute', async () => {
    const { page } = await session.open('/test/markup.html');
    await waitForMount(page, WIDGET);
    await search(page, WIDGET, 'Kennung');

    const ids = await waitForHits(page, WIDGET, (hits) => hits.length > 0, 'a hit for Kennung');
    assert.ok(ids.includes(`"><img src=x onerror="document.title='XSS-13';window.__pwned=13">`), `data-id was altered: ${JSON.stringify(ids)}`);
  });

  test('safe links keep their exact url', async () => {
    const { page } = await session.open('/test/markup.html');
    await waitForMount(page, WIDGET);
    await search(page, WIDGET, 'Jerry');
    await waitForHits(page, WIDGET, (ids) => ids.includes('x-amp'), 'the Tom & Jerry service');

    const found = await inspectWidget(page);
    const external = found.links.filter((href) => href && /^https?:/.test(href));
    for (const href of external) {
      assert.ok(
        href === 'https://example.org/?a=1&b=2' || !href.includes('example.org'),
        `link to example.org changed to ${href}`,
      );
    }
  });

  test('hover focus and enter run nothing', async () => {
    const { page, log } = await session.open('/test/markup.html');
    await waitForMount(page, WIDGET);
    await search(page, WIDGET, 'Sperrmüll');
    await waitForHits(page, WIDGET, (ids) => ids.length >= 5, 'five hits for Sperrmüll');

    for (const hit of await page.locator(`${WIDGET} [data-og-hit]`).all()) {
      await hit.hover();
    }
    for (const element of await page.locator(`${WIDGET} a, ${WIDGET} button, ${WIDGET} [tabindex]`).all()) {
      await element.focus().catch(() => {});
    }

    // Enter on the result whose service URL is javascript: must not run it.
    await searchInput(page, WIDGET).fill('Attributen');
    await waitForHits(page, WIDGET, (ids) => ids[0] === 'x-attr', 'x-attr as first hit');
    await searchInput(page, WIDGET).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.__ogTest.events.some((event) => event.type === 'og-select'));

    const found = await inspectWidget(page);
    assert.equal(found.pwned, null, 'a payload ran');
    assert.equal(found.title, TITLE, 'a payload changed document.title');
    assert.deepEqual(found.handlers, []);
    assert.deepEqual(log.pageErrors, []);
  });
});
