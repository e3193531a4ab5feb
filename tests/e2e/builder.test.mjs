// <og-embed-builder>, the embed-code builder of the docs site, driven by
// the keyboard alone: each widget chosen with the arrow keys, fields filled
// in with Tab and typing, errors at the field and in the summary, the copy
// button with the clipboard and with the selected-text fallback, and axe in
// every state. The copied code, pasted into a page with nothing else,
// must mount a working widget.
//
// The builder is not part of the city kit in pkg/. The page loads the docs
// kit from /docs/kit/ (`cargo xtask docs` builds it into target/docs/kit/);
// OGKIT_BUILDER_KIT_DIR names another folder, e.g. a pkg/ built with
// `cargo xtask build --widgets og-service-search,og-embed-builder`. The
// test serves its pages itself, so that it can add the blank pages.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { axeViolations, formatViolations } from './helpers/axe.mjs';
import { describeLog, launchBrowser, openPage } from './helpers/browser.mjs';
import { DEMO_DIR, FIXTURE_DIR, PKG_DIR, REPO_ROOT } from './helpers/site.mjs';
import { startStaticServer, STRICT_CSP } from './helpers/static-server.mjs';
import { WAIT_MS } from './helpers/widgets.mjs';

const BUILDER = 'og-embed-builder';
const WIDGET_TAGS = ['og-service-search', 'og-data-table', 'og-poll', 'og-form'];

/** Returns the folder of a kit that contains the builder, or throws how to build one. */
function builderKitDir() {
  const candidates = [process.env.OGKIT_BUILDER_KIT_DIR, join(REPO_ROOT, 'target/docs/kit'), PKG_DIR].filter(Boolean);
  for (const dir of candidates) {
    const loader = join(dir, 'ogkit.js');
    if (existsSync(loader) && readFileSync(loader, 'utf8').includes(`"${BUILDER}"`)) {
      return dir;
    }
  }
  throw new Error(
    `no kit with ${BUILDER} in ${candidates.join(', ')}: run "cargo xtask docs", or ` +
      `"cargo xtask build --widgets og-service-search,og-embed-builder" for pkg/`,
  );
}

let server;
let launched;
let blankDir;
const pages = [];

before(async () => {
  blankDir = mkdtempSync(join(tmpdir(), 'ogkit-builder-'));
  server = await startStaticServer({
    csp: STRICT_CSP,
    routes: [
      { prefix: '/docs/kit/', dir: builderKitDir() },
      { prefix: '/ogkit/', dir: PKG_DIR },
      { prefix: '/test/', dir: FIXTURE_DIR },
      { prefix: '/leer/', dir: blankDir },
      { prefix: '/', dir: DEMO_DIR },
    ],
  });
  launched = await launchBrowser();
});

after(async () => {
  for (const opened of pages) {
    await opened.close().catch(() => {});
  }
  await launched?.close();
  await server?.close();
  rmSync(blankDir, { recursive: true, force: true });
});

async function open(path, options) {
  const opened = await openPage(launched, `${server.url}${path}`, options);
  opened.page.setDefaultTimeout(WAIT_MS);
  pages.push(opened);
  return opened;
}

async function openBuilder(path = '/test/builder.html') {
  const opened = await open(path);
  await opened.page.locator('.og-builder').waitFor();
  return opened;
}

async function assertAccessible(opened, state) {
  const violations = await axeViolations(opened.page);
  assert.deepEqual(violations, [], `${state}:\n${formatViolations(violations)}`);
  assert.deepEqual(opened.log.cspViolations, [], `${state}: ${describeLog(opened.log)}`);
  assert.deepEqual(opened.log.pageErrors, [], `${state}: ${describeLog(opened.log)}`);
}

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`. */
async function tabTo(page, selector, { backwards = false, limit = 80 } = {}) {
  for (let step = 0; step < limit; step += 1) {
    if (await page.evaluate((selector) => document.activeElement?.matches(selector) ?? false, selector)) {
      return;
    }
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  const active = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200));
  assert.fail(`Tab never reached ${selector}; focus is on ${active}`);
}

/** Chooses `tag` in the widget choice with the arrow keys. */
async function chooseWidget(page, tag) {
  await tabTo(page, '.og-builder__choice input[type=radio]:checked');
  const current = await page.evaluate(() => document.activeElement.value);
  const steps = WIDGET_TAGS.indexOf(tag) - WIDGET_TAGS.indexOf(current);
  for (let step = 0; step < Math.abs(steps); step += 1) {
    await page.keyboard.press(steps > 0 ? 'ArrowDown' : 'ArrowUp');
  }
  await page.locator(`[data-og-builder-fields="${tag}"]`).waitFor();
}

/** Returns the input of the field for `attribute` of the chosen widget. */
function field(page, attribute) {
  return page.locator(`[data-og-builder-fields] [id$="-${attribute}"]`);
}

/** Replaces the value of the field for `attribute` by keyboard and leaves it with Tab. */
async function typeInto(page, attribute, value) {
  const id = await field(page, attribute).getAttribute('id');
  await tabTo(page, `[id="${id}"]`);
  await page.keyboard.press('Control+A');
  if (value === '') {
    await page.keyboard.press('Delete');
  } else {
    await page.keyboard.type(value);
  }
  await page.keyboard.press('Tab');
}

function snippet(page) {
  return page.locator('.og-builder__code').inputValue();
}

function preview(page, tag) {
  return page.locator(`[data-og-builder-preview] > ${tag}`);
}

function liveText(page) {
  return page.locator('.og-builder [data-og-live]').textContent();
}

/** Writes `code` into a page with nothing else and opens it. */
async function openBlankPage(name, code) {
  writeFileSync(
    join(blankDir, `${name}.html`),
    `<!doctype html>\n<html lang="de">\n<head><meta charset="utf-8"><title>Leere Seite</title></head>\n<body>\n${code}\n</body>\n</html>\n`,
  );
  return open(`/leer/${name}.html`);
}

describe('og-embed-builder', () => {
  test('initial state is accessible', async () => {
    const opened = await openBuilder();
    const { page } = opened;
    await preview(page, 'og-service-search').locator('input[type=search]').waitFor();
    assert.equal(await page.locator('og-embed-builder').getAttribute('data-og-state'), 'ready');
    assert.equal(await page.locator('og-embed-builder > p').isHidden(), true, 'fallback text stays hidden');
    assert.equal(
      await snippet(page),
      '<script type="module" src="/ogkit/ogkit.js"></script>\n' +
        '<og-service-search src="/daten/muenchen.json" no-results-href="/kontakt.html"></og-service-search>',
    );
    await assertAccessible(opened, 'initial');
  });

  for (const tag of WIDGET_TAGS) {
    test(`${tag} chosen by keyboard`, async () => {
      const opened = await openBuilder();
      const { page } = opened;
      if (tag === 'og-service-search') {
        // Away and back, so the search is chosen by the keyboard too.
        await chooseWidget(page, 'og-poll');
      }
      await chooseWidget(page, tag);
      await preview(page, tag).waitFor();
      assert.match(await snippet(page), new RegExp(`^<script type="module" src="/ogkit/ogkit.js"></script>\\n<${tag} `));
      assert.match(await liveText(page), /Vorschau aktualisiert/);
      // Wait until the previewed widget has settled, so axe checks its final state.
      await page.waitForFunction(
        (tag) => ['ready', 'error'].includes(document.querySelector(`[data-og-builder-preview] > ${tag}`)?.getAttribute('data-og-state')),
        tag,
      );
      await assertAccessible(opened, `${tag} chosen`);
    });
  }

  test('invalid input shows errors and is kept', async () => {
    const opened = await openBuilder();
    const { page } = opened;
    const before = await snippet(page);
    await typeInto(page, 'max-results', '500');
    await typeInto(page, 'query-param', 'a&b');

    const maxResults = field(page, 'max-results');
    assert.equal(await maxResults.inputValue(), '500', 'the invalid value stays in the field');
    assert.equal(await maxResults.getAttribute('aria-invalid'), 'true');
    const describedBy = (await maxResults.getAttribute('aria-describedby')).split(' ');
    const messageId = describedBy.find((id) => id.endsWith('-error'));
    assert.ok(messageId, `aria-describedby names the error: ${describedBy}`);
    assert.equal(
      (await page.locator(`[id="${messageId}"]`).textContent()).trim(),
      'Fehler: „Höchstzahl der Treffer“ ist ungültig. Geben Sie eine ganze Zahl von 1 bis 100 ein.',
    );
    const summaryLinks = page.locator('.og-builder__summary a');
    assert.equal(await summaryLinks.count(), 2);
    assert.match(await liveText(page), /2 Angaben sind ungültig/);
    assert.equal(await page.locator('.og-builder__code').count(), 0, 'no code while a value is invalid');
    await assertAccessible(opened, 'validation errors');

    // The copy button leads to the summary, and its link back to the field.
    await tabTo(page, '.og-builder__copy');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('og-builder__summary'));
    assert.equal(await page.locator('[data-og-builder-copy]').getAttribute('data-og-builder-copy'), 'blocked');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), await maxResults.getAttribute('id'));
    await assertAccessible(opened, 'copy with errors');

    await typeInto(page, 'max-results', '5');
    await typeInto(page, 'query-param', '');
    assert.equal(await page.locator('.og-builder__summary').count(), 0);
    assert.equal(await maxResults.getAttribute('aria-invalid'), null);
    assert.equal(await snippet(page), before.replace('src="/daten/muenchen.json"', 'src="/daten/muenchen.json" max-results="5"'));
  });

  test('each widget rejects what it rejects', async () => {
    const cases = [
      ['og-service-search', 'no-results-href', 'javascript:alert(1)', /„Link, wenn nichts gefunden wird“ ist ungültig/],
      ['og-data-table', 'page-size', '0', /„Zeilen pro Seite“ ist ungültig/],
      ['og-data-table', 'src', '', /Geben Sie „Adresse der Datei“ an/],
      ['og-poll', 'poll', 'radweg 2026', /„Kennung der Umfrage“ ist ungültig/],
      ['og-form', 'schema', 'javascript:alert(1)', /„Adresse des Formularschemas“ ist ungültig/],
    ];
    const opened = await openBuilder();
    const { page } = opened;
    for (const [tag, attribute, value, message] of cases) {
      await chooseWidget(page, tag);
      const original = await field(page, attribute).inputValue();
      await typeInto(page, attribute, value);
      assert.equal(await field(page, attribute).inputValue(), value, `${tag} ${attribute} keeps the value`);
      assert.match(await page.locator('.og-builder__summary').textContent(), message, `${tag} ${attribute}`);
      await assertAccessible(opened, `${tag} with an invalid ${attribute}`);
      await typeInto(page, attribute, original);
      assert.equal(await page.locator('.og-builder__summary').count(), 0, `${tag} ${attribute} valid again`);
    }
  });

  test('copy puts the code on the clipboard', async () => {
    const opened = await openBuilder();
    const { page, context } = opened;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await chooseWidget(page, 'og-poll');
    await tabTo(page, '.og-builder__copy');
    await page.keyboard.press('Enter');
    const status = page.locator('[data-og-builder-copy]');
    await page.waitForFunction(() => document.querySelector('[data-og-builder-copy]')?.getAttribute('data-og-builder-copy') === 'copied');
    assert.equal(await status.getAttribute('role'), 'status');
    assert.match(await status.textContent(), /Der Code ist in der Zwischenablage/);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(
      copied,
      '<script type="module" src="/ogkit/ogkit.js"></script>\n<og-poll poll="radweg-bahnhof-altstadt"></og-poll>',
    );
    await assertAccessible(opened, 'copied');
  });

  test('copy without clipboard selects the code', async () => {
    const opened = await open('');
    const { page, context } = opened;
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
    });
    await page.goto(`${server.url}/test/builder.html`);
    await page.locator('.og-builder').waitFor();
    await tabTo(page, '.og-builder__copy');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-og-builder-copy]')?.getAttribute('data-og-builder-copy') === 'fallback');
    const selection = await page.evaluate(() => {
      const area = document.activeElement;
      return { focused: area.classList.contains('og-builder__code'), start: area.selectionStart, end: area.selectionEnd, length: area.value.length };
    });
    assert.deepEqual(selection, { focused: true, start: 0, end: selection.length, length: selection.length });
    assert.ok(selection.length > 0);
    assert.match(await page.locator('[data-og-builder-copy]').textContent(), /Strg\+C/);
    await assertAccessible(opened, 'copy fallback');
  });

  test('pasted search finds a service', async () => {
    const builder = await openBuilder();
    await typeInto(builder.page, 'placeholder', 'Was suchen Sie?');
    const code = await snippet(builder.page);
    const opened = await openBlankPage('suche', code);
    const input = opened.page.locator('og-service-search input[type=search]');
    await input.waitFor();
    assert.equal(await input.getAttribute('placeholder'), 'Was suchen Sie?');
    await input.focus();
    await opened.page.keyboard.type('Personalausweis');
    await opened.page.locator('og-service-search [data-og-hit]').first().waitFor();
    assert.match(await opened.page.locator('og-service-search [data-og-hit]').first().textContent(), /Personalausweis/i);
    assert.deepEqual(opened.log.cspViolations, [], describeLog(opened.log));
    assert.deepEqual(opened.log.pageErrors, [], describeLog(opened.log));
  });

  test('pasted table shows rows with inert markup', async () => {
    const builder = await openBuilder();
    const { page } = builder;
    await chooseWidget(page, 'og-data-table');
    const caption = '"><img src=x data-og-injected onerror="document.title=1"> Haushalt & Plan';
    await typeInto(page, 'caption', caption);
    await typeInto(page, 'page-size', '5');
    const code = await snippet(page);
    assert.ok(code.includes('caption="&quot;&gt;&lt;img src=x data-og-injected onerror=&quot;document.title=1&quot;&gt; Haushalt &amp; Plan"'), code);
    await preview(page, 'og-data-table').locator('tbody tr').first().waitFor();

    const opened = await openBlankPage('tabelle', code);
    const rows = opened.page.locator('og-data-table tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 5);
    assert.equal(await opened.page.locator('[data-og-injected]').count(), 0, 'markup in the caption stays text');
    assert.equal(await opened.page.locator('og-data-table').getAttribute('caption'), caption);
    assert.match(await opened.page.locator('og-data-table caption').textContent(), /<img src=x data-og-injected/);
    assert.equal(await opened.page.title(), 'Leere Seite');
  });

  test('pasted form shows its first step', async () => {
    const builder = await openBuilder();
    await chooseWidget(builder.page, 'og-form');
    const code = await snippet(builder.page);
    assert.match(code, /<og-form schema="\/formulare\/sperrmuell-anmelden.json"><\/og-form>$/);
    const opened = await openBlankPage('formular', code);
    await opened.page.locator('og-form [data-og-page]').waitFor();
    assert.ok((await opened.page.locator('og-form input').count()) > 0, 'the form has fields');
    assert.deepEqual(opened.log.pageErrors, [], describeLog(opened.log));
  });

  test('English builder and English widget', async () => {
    const opened = await openBuilder('/test/builder-en.html');
    const { page } = opened;
    assert.match(await page.locator('.og-builder__choice legend').textContent(), /Choose a widget/);
    await chooseWidget(page, 'og-poll');
    const language = field(page, 'lang');
    const id = await language.getAttribute('id');
    await tabTo(page, `[id="${id}"]`);
    await page.keyboard.press('ArrowDown');
    await page.locator('.og-builder__code').waitFor();
    await page.waitForFunction(() => document.querySelector('.og-builder__code')?.value.includes('lang="en"'));
    assert.equal(await preview(page, 'og-poll').getAttribute('lang'), 'en');
    await typeInto(page, 'poll', '');
    assert.match(await page.locator('.og-builder__summary').textContent(), /Please check your settings.*Enter the poll id\./s);
    await assertAccessible(opened, 'English with an error');
  });
});
