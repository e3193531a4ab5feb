// The documentation site of `cargo xtask docs`, served by `ogkit serve`
// under /docs/. Every page of www/pages.toml loads in both languages under
// the strict CSP without console errors, and its live examples mount on the
// demo data. axe-core then finds no WCAG 2.1 A/AA violation. Every link
// between docs pages resolves to a page and an existing anchor, and every
// page links to its pair in the other language. /docs/de/ and /docs/en/
// show the start page of their language, and the page icon loads.
//
// The live examples need the demo poll and the demo forms, so the test uses
// the server of helpers/forms.mjs (the e2e server of `cargo xtask test`, or
// target/debug/ogkit started for this file) and creates the demo poll
// through the admin API. The pages come from target/docs/ (OGKIT_DOCS_DIR):
// run `cargo xtask docs` first when running this file alone.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { axeViolations, formatViolations } from './helpers/axe.mjs';
import { describeLog, launchBrowser, openPage } from './helpers/browser.mjs';
import { formSite } from './helpers/forms.mjs';
import { ensurePoll, hoursFromNow } from './helpers/polls.mjs';
import { DOCS_DIR, REPO_ROOT } from './helpers/site.mjs';
import { WAIT_MS } from './helpers/widgets.mjs';

/** Id of the poll that the poll pages embed, as in the demo site. */
const DEMO_POLL_ID = 'radweg-bahnhof-altstadt';

/**
 * Per element, the selector that exists inside it once it shows real
 * content from the demo data (not its fallback, not an error message).
 */
const MOUNTED = {
  'og-service-search': 'input[type=search]',
  'og-data-table': 'table[data-og-table] th',
  'og-poll': '[data-og-question], [data-og-results]',
  'og-form': '[data-og-page]',
  'og-embed-builder': '.og-builder__choice',
};

/** Returns the page pairs of www/pages.toml: `{de, en, section}` per pair. */
function sitePages() {
  const text = readFileSync(join(REPO_ROOT, 'www/pages.toml'), 'utf8');
  const pairs = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '[[page]]') {
      pairs.push({});
      continue;
    }
    const match = /^\s*(de|en|section)\s*=\s*"([^"]*)"\s*$/.exec(line);
    if (match && pairs.length > 0) {
      pairs.at(-1)[match[1]] = match[2];
    }
  }
  return pairs;
}

/** Returns the URL path of the page rendered from a source path such as `de/a.md`. */
function pagePath(source) {
  return `/docs/${source.replace(/\.md$/, '.html')}`;
}

const PAIRS = sitePages();
const PAGES = PAIRS.flatMap((pair) => [
  { path: pagePath(pair.de), lang: 'de', partner: pagePath(pair.en) },
  { path: pagePath(pair.en), lang: 'en', partner: pagePath(pair.de) },
]);

describe('docs site', () => {
  let site;
  let launched;
  /** Links between docs pages, collected from every page: `{from, href}`. */
  const links = [];
  /** Anchor ids per page path. */
  const anchors = new Map();

  before(async () => {
    if (!existsSync(join(DOCS_DIR, 'index.html'))) {
      throw new Error(`${DOCS_DIR}/index.html is missing: run "cargo xtask docs" first`);
    }
    site = await formSite();
    await ensurePoll(site, { id: DEMO_POLL_ID, opens_at: hoursFromNow(-1), closes_at: hoursFromNow(24 * 60) });
    launched = await launchBrowser();
  });

  after(async () => {
    await launched?.close();
  });

  test('pages.toml lists pairs', () => {
    assert.ok(PAIRS.length >= 10, `pages.toml lists only ${PAIRS.length} pairs`);
    for (const pair of PAIRS) {
      assert.match(pair.de ?? '', /^de\/.+\.md$/, JSON.stringify(pair));
      assert.match(pair.en ?? '', /^en\/.+\.md$/, JSON.stringify(pair));
    }
  });

  test('index links to both start pages', async () => {
    const opened = await openPage(launched, `${site.base}/docs/`);
    try {
      const hrefs = await opened.page.$$eval('a[href]', (elements) => elements.map((a) => a.getAttribute('href')));
      assert.ok(hrefs.includes(pagePath(PAIRS[0].de)), hrefs.join(', '));
      assert.ok(hrefs.includes(pagePath(PAIRS[0].en)), hrefs.join(', '));
      assert.deepEqual(await axeViolations(opened.page), []);
      assert.deepEqual(opened.log.cspViolations, [], describeLog(opened.log));
    } finally {
      await opened.close();
    }
  });

  for (const [lang, start] of [
    ['de', PAIRS[0].de],
    ['en', PAIRS[0].en],
  ]) {
    test(`/docs/${lang}/ shows the start page`, async () => {
      const response = await fetch(`${site.base}/docs/${lang}/`);
      assert.equal(response.status, 200, `/docs/${lang}/: HTTP ${response.status}`);
      const html = await response.text();
      assert.ok(html.includes(`<html lang="${lang}">`), `/docs/${lang}/ is not in ${lang}:\n${html.slice(0, 400)}`);
      assert.ok(
        html.includes(`<link rel="canonical" href="${pagePath(start)}">`),
        `/docs/${lang}/ does not name ${pagePath(start)} as canonical:\n${html.slice(0, 600)}`,
      );
      const startPage = await (await fetch(`${site.base}${pagePath(start)}`)).text();
      const mainOf = (text) => text.slice(text.indexOf('<main'), text.indexOf('</main>'));
      assert.equal(mainOf(html), mainOf(startPage), `/docs/${lang}/ differs from ${pagePath(start)}`);
    });
  }

  test('page icon loads', async () => {
    const opened = await openPage(launched, `${site.base}/docs/en/`);
    try {
      const href = await opened.page.getAttribute('link[rel="icon"]', 'href');
      assert.ok(href, '/docs/en/ has no <link rel="icon">');
      const response = await fetch(new URL(href, site.base));
      assert.equal(response.status, 200, `${href}: HTTP ${response.status}`);
      assert.match(response.headers.get('content-type') ?? '', /^image\/svg\+xml/);
      const consoleErrors = opened.log.console.filter((message) => message.type === 'error');
      assert.deepEqual(consoleErrors, [], `/docs/en/: console errors\n${describeLog(opened.log)}`);
    } finally {
      await opened.close();
    }
  });

  for (const entry of PAGES) {
    test(`${entry.path} loads, mounts and passes axe`, async () => {
      const opened = await openPage(launched, `${site.base}${entry.path}`);
      const { page, log } = opened;
      try {
        const response = await page.request.get(`${site.base}${entry.path}`);
        assert.equal(response.status(), 200, `${entry.path}: HTTP ${response.status()}`);
        assert.equal(await page.getAttribute('html', 'lang'), entry.lang);

        // Landmarks, skip link and the language switch to the paired page.
        assert.equal(await page.locator('main#inhalt').count(), 1, 'one main landmark');
        assert.equal(await page.locator('nav.docs-nav[aria-label]').count(), 1, 'the labelled site navigation');
        assert.equal(await page.locator('a[href="#inhalt"]').count(), 1, 'skip link');
        const switchLink = page.locator(`header a[hreflang][href="${entry.partner}"]`);
        assert.equal(await switchLink.count(), 1, `language switch to ${entry.partner}`);
        assert.equal(await page.locator('nav.docs-nav a[aria-current="page"]').getAttribute('href'), entry.path);

        // Every live example shows content from the demo data.
        const widgets = await page.$$eval('main *', (elements) =>
          elements.filter((element) => element.tagName.startsWith('OG-')).map((element) => element.tagName.toLowerCase()),
        );
        for (const [index, tag] of widgets.entries()) {
          const mounted = MOUNTED[tag];
          assert.ok(mounted, `${entry.path}: no mount check for <${tag}>`);
          await page
            .waitForFunction(
              ({ index, mounted }) => {
                const element = [...document.querySelectorAll('main *')].filter((node) =>
                  node.tagName.startsWith('OG-'),
                )[index];
                return element?.querySelector(mounted) != null;
              },
              { index, mounted },
              { timeout: WAIT_MS },
            )
            .catch((error) => {
              throw new Error(`${entry.path}: <${tag}> #${index + 1} did not mount (${error.message})\n${describeLog(log)}`);
            });
        }
        const errors = await page.$$eval('main [data-og-error], main .og-error', (nodes) =>
          nodes.filter((node) => !node.hidden).map((node) => node.textContent.trim()),
        );
        assert.deepEqual(errors, [], `${entry.path}: widgets show errors`);

        const violations = await axeViolations(page);
        assert.deepEqual(violations, [], `${entry.path}:\n${formatViolations(violations)}`);
        assert.deepEqual(log.cspViolations, [], `${entry.path}: CSP violations\n${describeLog(log)}`);
        assert.deepEqual(log.pageErrors, [], `${entry.path}: uncaught errors\n${describeLog(log)}`);
        const consoleErrors = log.console.filter((message) => message.type === 'error');
        assert.deepEqual(consoleErrors, [], `${entry.path}: console errors\n${describeLog(log)}`);

        anchors.set(
          entry.path,
          await page.$$eval('[id]', (elements) => elements.map((element) => element.id)),
        );
        const hrefs = await page.$$eval('a[href]', (elements) => elements.map((a) => a.getAttribute('href')));
        for (const href of hrefs) {
          if (href.startsWith('/docs/') || href.startsWith('#')) {
            links.push({ from: entry.path, href });
          }
        }
      } finally {
        await opened.close();
      }
    });
  }

  test('every page has its pair', () => {
    const paths = new Set(PAGES.map((entry) => entry.path));
    for (const entry of PAGES) {
      assert.ok(paths.has(entry.partner), `${entry.path} has no pair ${entry.partner}`);
      const partner = PAGES.find((other) => other.path === entry.partner);
      assert.equal(partner.partner, entry.path, `${entry.partner} does not link back to ${entry.path}`);
    }
  });

  test('links between docs pages resolve', async () => {
    assert.ok(links.length > PAGES.length, `only ${links.length} links were collected`);
    const problems = [];
    for (const { from, href } of links) {
      const [path, anchor] = href.startsWith('#') ? [from, href.slice(1)] : href.split('#');
      const target = path.split('?')[0];
      if (!anchors.has(target)) {
        const response = await fetch(`${site.base}${target}`);
        if (!response.ok) {
          problems.push(`${from}: ${href} gives HTTP ${response.status}`);
          continue;
        }
        if (target.endsWith('.html')) {
          problems.push(`${from}: ${href} is a docs page that pages.toml does not list`);
        }
        continue;
      }
      if (anchor && !anchors.get(target).includes(decodeURIComponent(anchor))) {
        problems.push(`${from}: ${href} points to a missing anchor`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
