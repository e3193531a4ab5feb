// Filling in <og-form> against a real `ogkit serve`: by keyboard alone to
// the reference number, the error summary and its links, conditional
// fields, back and forward and the change links of the check page, the
// draft kept over a reload, markup in the schema kept inert, a retry after
// a lost response and after a server error that keeps the input and gets
// the same reference, violations from the server, and English texts.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { axeViolations, formatViolations } from './helpers/axe.mjs';
import { describeLog } from './helpers/browser.mjs';
import { focusedElement, formPage, formSite, waitForFormPage } from './helpers/forms.mjs';
import { useBrowser } from './helpers/session.mjs';
import { WAIT_MS } from './helpers/widgets.mjs';

const WIDGET = '#formular';
const SCHEMA = '/test/formulare/test-antrag.json';
const REFERENCE = /^OG-\d{4}-\d{6,}$/;

const session = useBrowser();
let site;

before(async () => {
  site = await formSite();
});

/** Opens the fixture page with `attributes`, recording og-submit events in `window.__ogSubmits`. */
async function openForm(attributes) {
  const opened = await session.open(`${site.base}/test/empty.html`);
  // A busy machine can need more than Playwright's default of 30 s.
  opened.page.setDefaultTimeout(WAIT_MS);
  await opened.context.addInitScript(() => {
    window.__ogSubmits = [];
    window.addEventListener('og-submit', (event) => {
      const widget = event.composedPath().find((node) => node.tagName === 'OG-FORM');
      window.__ogSubmits.push({ detail: event.detail, bubbles: event.bubbles, widget: widget?.id ?? null });
    });
  });
  await opened.page.goto(`${site.base}${formPage(attributes)}`);
  await waitForFormPage(opened.page, 1);
  return opened;
}

function field(page, pointer) {
  return page.locator(`${WIDGET} [data-og-field="${pointer}"]`);
}

function input(page, pointer) {
  return field(page, pointer).locator('input, textarea, select').first();
}

async function next(page, expected) {
  await page.locator(`${WIDGET} [data-og-next]`).click();
  await waitForFormPage(page, expected);
}

/** Fills in every step of the test form with valid data and stops on the check page. */
async function fillAll(page) {
  await input(page, '/name').fill('Erika Mustermann');
  await input(page, '/email').fill('erika@example.de');
  await next(page, 2);
  await field(page, '/art').locator('input').nth(1).check();
  await input(page, '/geraet').fill('Kühlschrank');
  await input(page, '/anzahl').fill('2');
  await next(page, 3);
  await input(page, '/adresse/strasse').fill('Hauptstraße 1');
  await input(page, '/adresse/plz').fill('10115');
  await next(page, 4);
  await input(page, '/einwilligung').check();
  await next(page, 'check');
}

function submissionRequests(log) {
  return log.requests.filter((url) => /\/api\/v1\/forms\/[^/]+\/submissions$/.test(url));
}

describe('filling in', () => {
  test('keyboard alone reaches the reference', async () => {
    const { page, log } = await openForm({ schema: SCHEMA });
    assert.equal(await page.locator(`${WIDGET} [data-og-step-count]`).innerText(), 'Schritt 1 von 4');

    await page.keyboard.press('Tab');
    assert.equal((await focusedElement(page))?.id, await input(page, '/name').getAttribute('id'));
    await page.keyboard.type('Erika Mustermann');
    await page.keyboard.press('Tab');
    await page.keyboard.type('erika@example.de');
    await page.keyboard.press('Enter');
    await waitForFormPage(page, 2);
    assert.equal((await focusedElement(page))?.tag, 'h3', 'focus did not move to the step heading');
    assert.equal(await page.locator(`${WIDGET} [data-og-step-count]`).innerText(), 'Schritt 2 von 4');

    // Into the radio group; the arrow key moves to and selects "Elektrogerät",
    // which shows the conditional field.
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await input(page, '/geraet').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type('Kühlschrank');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2');
    await page.keyboard.press('Enter');
    await waitForFormPage(page, 3);

    await page.keyboard.press('Tab');
    await page.keyboard.type('Hauptstraße 1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('10115');
    await page.keyboard.press('Enter');
    await waitForFormPage(page, 4);

    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    assert.ok((await focusedElement(page))?.hooks['data-og-next'] !== undefined, 'Tab did not reach "Weiter"');
    await page.keyboard.press('Enter');
    await waitForFormPage(page, 'check');

    const answers = await page.locator(`${WIDGET} [data-og-answer]`).allInnerTexts();
    assert.ok(answers.some((row) => row.includes('Elektrogerät')), answers.join('\n'));
    assert.ok(answers.some((row) => row.includes('Kühlschrank')), answers.join('\n'));
    for (let presses = 0; presses < 40; presses += 1) {
      if ((await focusedElement(page))?.hooks['data-og-submit'] !== undefined) break;
      await page.keyboard.press('Tab');
    }
    assert.ok((await focusedElement(page))?.hooks['data-og-submit'] !== undefined, 'Tab did not reach "Absenden"');
    await page.keyboard.press('Enter');
    await waitForFormPage(page, 'done');

    const focused = await focusedElement(page);
    assert.ok(focused?.hooks['data-og-confirmation'] !== undefined, 'focus did not move to the confirmation');
    const reference = await page.locator(`${WIDGET} [data-og-reference]`).getAttribute('data-og-reference');
    assert.match(reference ?? '', REFERENCE);
    assert.match(await page.locator(`${WIDGET} [data-og-confirmation]`).innerText(), /Wie es weitergeht/);
    const submits = await page.evaluate(() => window.__ogSubmits);
    assert.equal(submits.length, 1);
    assert.equal(submits[0].detail.reference, reference);
    assert.equal(submits[0].detail.form, 'test-antrag');
    assert.equal(submits[0].bubbles, true);
    assert.equal(submits[0].widget, 'formular');
    assert.equal(submissionRequests(log).length, 1);
    assert.deepEqual(log.pageErrors, [], describeLog(log));
    assert.deepEqual(log.cspViolations, [], describeLog(log));
  });

  test('back and forward keep values', async () => {
    const { page } = await openForm({ schema: SCHEMA });
    await fillAll(page);
    for (const expected of [4, 3, 2, 1]) {
      await page.locator(`${WIDGET} [data-og-back]`).click();
      await waitForFormPage(page, expected);
    }
    assert.equal(await input(page, '/name').inputValue(), 'Erika Mustermann');
    await next(page, 2);
    assert.equal(await field(page, '/art').locator('input').nth(1).isChecked(), true);
    assert.equal(await input(page, '/geraet').inputValue(), 'Kühlschrank');
    assert.equal(await input(page, '/anzahl').inputValue(), '2');
  });

  test('conditional field keeps other values', async () => {
    const { page } = await openForm({ schema: SCHEMA });
    await input(page, '/name').fill('Erika Mustermann');
    await input(page, '/email').fill('erika@example.de');
    await next(page, 2);
    assert.equal(await field(page, '/geraet').count(), 0, 'the conditional field shows before its condition holds');
    await input(page, '/anzahl').fill('3');
    await field(page, '/art').locator('input').nth(1).check();
    await input(page, '/geraet').fill('Herd');
    await field(page, '/art').locator('input').nth(0).check();
    await field(page, '/geraet').waitFor({ state: 'detached' });
    assert.equal(await input(page, '/anzahl').inputValue(), '3');
    // The hidden field's value is gone, the other ones stay.
    await field(page, '/art').locator('input').nth(1).check();
    assert.equal(await input(page, '/geraet').inputValue(), '');
    assert.equal(await input(page, '/anzahl').inputValue(), '3');
  });

  test('change link returns to check page', async () => {
    const { page } = await openForm({ schema: SCHEMA });
    await fillAll(page);
    await page.locator(`${WIDGET} [data-og-change="/email"]`).click();
    await waitForFormPage(page, 1);
    assert.equal((await focusedElement(page))?.id, await input(page, '/email').getAttribute('id'));
    await input(page, '/email').fill('max@example.de');
    await next(page, 'check');
    assert.match(await page.locator(`${WIDGET} [data-og-answer="/email"]`).innerText(), /max@example\.de/);
  });
});

describe('errors', () => {
  test('summary takes focus and links to fields', async () => {
    const { page, log } = await openForm({ schema: SCHEMA });
    const title = await page.title();
    await input(page, '/email').fill('keine-adresse');
    await page.locator(`${WIDGET} [data-og-next]`).click();
    await page.locator(`${WIDGET} [data-og-summary]`).waitFor();

    const summary = page.locator(`${WIDGET} [data-og-summary]`);
    // Focus announces the summary, so it is no alert as well.
    assert.equal(await summary.getAttribute('role'), 'group');
    assert.equal(await summary.locator('h3').innerText(), 'Es gibt 2 Probleme');
    assert.ok((await focusedElement(page))?.hooks['data-og-summary'] !== undefined, 'the summary did not take focus');
    assert.equal(await page.title(), `Fehler: ${title}`);
    const links = await summary.locator('a').allInnerTexts();
    assert.equal(links.length, 2, links.join('\n'));
    assert.match(links[0], /„Vor- und Nachname“ fehlt/);
    assert.match(links[1], /„E-Mail-Adresse“/);
    assert.equal(await page.locator(`${WIDGET} [data-og-page]`).getAttribute('data-og-page'), '1');

    // The message is repeated at the field and tied to its input.
    const email = input(page, '/email');
    assert.equal(await email.getAttribute('aria-invalid'), 'true');
    const error = field(page, '/email').locator('[data-og-field-error]');
    const describedBy = ((await email.getAttribute('aria-describedby')) ?? '').split(' ');
    assert.ok(describedBy.includes(await error.getAttribute('id')), 'the message is not tied to the input');
    assert.ok(describedBy.includes(await field(page, '/email').locator('.og-form__hint').getAttribute('id')));
    assert.match(await error.innerText(), /E-Mail-Adresse/);

    // Each link moves focus to its field.
    await summary.locator('a').nth(1).click();
    assert.equal((await focusedElement(page))?.id, await email.getAttribute('id'));
    await summary.locator('a').nth(0).press('Enter');
    assert.equal((await focusedElement(page))?.id, await input(page, '/name').getAttribute('id'));
    assert.equal(new URL(page.url()).hash, '', 'the link changed the address of the page');

    // Fixing both removes the messages and the title prefix.
    await input(page, '/name').fill('Erika Mustermann');
    assert.equal(await field(page, '/name').locator('[data-og-field-error]').count(), 0);
    assert.equal(await page.title(), `Fehler: ${title}`, 'one problem is left');
    await email.fill('erika@example.de');
    await summary.waitFor({ state: 'detached' });
    assert.equal(await page.title(), title);
    assert.equal(await email.getAttribute('aria-invalid'), null);
    assert.deepEqual(submissionRequests(log), []);
  });

  test('radio group link focuses first choice', async () => {
    const { page } = await openForm({ schema: SCHEMA });
    await input(page, '/name').fill('Erika Mustermann');
    await input(page, '/email').fill('erika@example.de');
    await next(page, 2);
    await field(page, '/art').locator('input').nth(1).check();
    await page.locator(`${WIDGET} [data-og-next]`).click();
    const summary = page.locator(`${WIDGET} [data-og-summary]`);
    await summary.waitFor();
    assert.match(await summary.innerText(), /„Welches Gerät\?“ fehlt/);
    await field(page, '/art').locator('input').nth(0).check();
    await summary.waitFor({ state: 'detached' });
    await next(page, 3);
    await page.locator(`${WIDGET} [data-og-back]`).click();
    await waitForFormPage(page, 2);
    await field(page, '/art').locator('input').nth(1).check();
    await page.locator(`${WIDGET} [data-og-next]`).click();
    await summary.locator('a').first().click();
    assert.equal((await focusedElement(page))?.id, await input(page, '/geraet').getAttribute('id'));
  });

  test('server violations show like client ones', async () => {
    const { page } = await openForm({ schema: SCHEMA });
    await fillAll(page);
    await page.route('**/api/v1/forms/*/submissions', (route) =>
      route.fulfill({
        status: 422,
        contentType: 'application/json',
        body: JSON.stringify({
          code: 'invalid_submission',
          message: 'the submission has 1 problem(s), listed in violations',
          violations: [
            {
              path: '/adresse/plz',
              field: 'Postleitzahl',
              key: 'invalid_plz',
              message: 'English text',
              message_de: '„Postleitzahl“ wird in diesem Gebiet nicht bedient.',
            },
          ],
        }),
      }),
    );
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    const summary = page.locator(`${WIDGET} [data-og-summary]`);
    await summary.waitFor();
    await waitForFormPage(page, 3);
    assert.ok((await focusedElement(page))?.hooks['data-og-summary'] !== undefined);
    assert.equal(await summary.locator('a').innerText(), '„Postleitzahl“ wird in diesem Gebiet nicht bedient.');
    assert.equal(await input(page, '/adresse/plz').getAttribute('aria-invalid'), 'true');
    assert.equal(await input(page, '/adresse/plz').inputValue(), '10115');
  });
});

describe('sending', () => {
  test('retry after lost response gets same reference', async () => {
    const { page, log } = await openForm({ schema: SCHEMA });
    await fillAll(page);
    const sent = [];
    // The first request reaches the server, but its response is lost.
    await page.route('**/api/v1/forms/*/submissions', async (route) => {
      sent.push(JSON.parse(route.request().postData() ?? '{}'));
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await page.locator(`${WIDGET} [data-og-error=unreachable]`).waitFor();
    assert.match(await page.locator(`${WIDGET} [data-og-error=unreachable]`).innerText(), /Ihre Eingaben bleiben erhalten/);
    assert.equal(await page.locator(`${WIDGET} [data-og-page]`).getAttribute('data-og-page'), 'check');

    await page.unroute('**/api/v1/forms/*/submissions');
    let response = null;
    await page.route('**/api/v1/forms/*/submissions', async (route) => {
      sent.push(JSON.parse(route.request().postData() ?? '{}'));
      const fetched = await route.fetch();
      response = { status: fetched.status(), body: await fetched.json() };
      await route.fulfill({ response: fetched });
    });
    await page.locator(`${WIDGET} [data-og-retry=send]`).click();
    await waitForFormPage(page, 'done');

    assert.equal(sent.length, 2);
    assert.equal(sent[1].submission_id, sent[0].submission_id, 'the retry used a new submission id');
    assert.deepEqual(sent[1].data, sent[0].data);
    assert.equal(sent[0].data.geraet, 'Kühlschrank');
    assert.equal(response?.status, 200, 'the server did not recognise the resent submission');
    const reference = await page.locator(`${WIDGET} [data-og-reference]`).getAttribute('data-og-reference');
    assert.equal(reference, response?.body.reference);
    assert.match(reference ?? '', REFERENCE);
    assert.equal(submissionRequests(log).length, 2);
  });

  test('server error keeps input for retry', async () => {
    const { page } = await openForm({ schema: SCHEMA });
    await fillAll(page);
    await page.route('**/api/v1/forms/*/submissions', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: '{"code":"internal","message":"x"}' }),
    );
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await page.locator(`${WIDGET} [data-og-error=server]`).waitFor();
    // Going back shows every value still there.
    await page.locator(`${WIDGET} [data-og-back]`).click();
    await waitForFormPage(page, 4);
    assert.equal(await input(page, '/einwilligung').isChecked(), true);
    await next(page, 'check');
    await page.unroute('**/api/v1/forms/*/submissions');
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForFormPage(page, 'done');
    assert.match((await page.locator(`${WIDGET} [data-og-reference]`).getAttribute('data-og-reference')) ?? '', REFERENCE);
  });
});

describe('draft', () => {
  test('reload with save-draft keeps input', async () => {
    const { page } = await openForm({ schema: SCHEMA, 'save-draft': '' });
    await input(page, '/name').fill('Erika Mustermann');
    await input(page, '/email').fill('erika@example.de');
    await next(page, 2);
    await field(page, '/art').locator('input').nth(1).check();
    await input(page, '/geraet').fill('Trockner');

    await page.reload();
    await waitForFormPage(page, 2);
    assert.equal(await field(page, '/art').locator('input').nth(1).isChecked(), true);
    assert.equal(await input(page, '/geraet').inputValue(), 'Trockner');
    await page.locator(`${WIDGET} [data-og-back]`).click();
    await waitForFormPage(page, 1);
    assert.equal(await input(page, '/name').inputValue(), 'Erika Mustermann');

    // After sending, the draft is gone.
    await next(page, 2);
    await next(page, 3);
    await input(page, '/adresse/strasse').fill('Hauptstraße 1');
    await input(page, '/adresse/plz').fill('10115');
    await next(page, 4);
    await input(page, '/einwilligung').check();
    await next(page, 'check');
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForFormPage(page, 'done');
    const stored = await page.evaluate(() => Object.keys(sessionStorage).filter((key) => key.startsWith('ogkit.form.')));
    assert.deepEqual(stored, []);
    await page.reload();
    await waitForFormPage(page, 1);
    assert.equal(await input(page, '/name').inputValue(), '');
  });

  test('reload after lost response resends same id', async () => {
    const { page } = await openForm({ schema: SCHEMA, 'save-draft': '' });
    await fillAll(page);
    const sent = [];
    await page.route('**/api/v1/forms/*/submissions', async (route) => {
      sent.push(JSON.parse(route.request().postData() ?? '{}'));
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await page.locator(`${WIDGET} [data-og-error=unreachable]`).waitFor();
    await page.unroute('**/api/v1/forms/*/submissions');

    await page.reload();
    await waitForFormPage(page, 'check');
    await page.route('**/api/v1/forms/*/submissions', async (route) => {
      sent.push(JSON.parse(route.request().postData() ?? '{}'));
      await route.continue();
    });
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForFormPage(page, 'done');
    assert.equal(sent.length, 2);
    assert.equal(sent[1].submission_id, sent[0].submission_id, 'the reload made a new submission id');
  });

  test('without save-draft nothing is stored', async () => {
    const { page } = await openForm({ schema: SCHEMA });
    await input(page, '/name').fill('Erika Mustermann');
    await next(page, 1).catch(() => {});
    const stored = await page.evaluate(() => Object.keys(sessionStorage));
    assert.deepEqual(stored, []);
    await page.reload();
    await waitForFormPage(page, 1);
    assert.equal(await input(page, '/name').inputValue(), '');
  });

  test('corrupt stored draft starts afresh', async () => {
    const { page, log } = await openForm({ schema: SCHEMA, 'save-draft': '' });
    await page.evaluate(() => {
      sessionStorage.setItem('ogkit.form.draft:/api/v1/forms/test-antrag/submissions', '{"version":1,"page":2,"data":');
    });
    await page.reload();
    await waitForFormPage(page, 1);
    assert.equal(await input(page, '/name').inputValue(), '');
    const stored = await page.evaluate(() => Object.keys(sessionStorage));
    assert.deepEqual(stored, [], 'the damaged draft was kept');
    assert.deepEqual(log.pageErrors, [], describeLog(log));
  });
});

describe('relative dates', () => {
  /** Returns a date `days` from today in Germany as YYYY-MM-DD, by the browser-independent Intl API. */
  function berlinDate(days) {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
    const date = new Date(`${today}T12:00:00Z`);
    date.setUTCDate(date.getUTCDate() + days);
    return date.toISOString().slice(0, 10);
  }

  /** Returns the first date at least `days` from today whose ISO weekday (1 = Monday) is `weekday`. */
  function berlinWeekday(days, weekday) {
    for (let offset = days; ; offset += 1) {
      const date = berlinDate(offset);
      if (((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1 === weekday) return date;
    }
  }

  test('pickup date not in the past', async () => {
    const { page, log } = await openForm({ form: 'sperrmuell-anmelden' });
    await input(page, '/name').fill('Erika Mustermann');
    await input(page, '/email').fill('erika@example.de');
    await next(page, 2);
    await input(page, '/adresse/strasse').fill('Hauptstraße');
    await input(page, '/adresse/hausnummer').fill('1');
    await input(page, '/adresse/plz').fill('10115');
    await input(page, '/adresse/ort').fill('Musterstadt');
    await field(page, '/abstellort').locator('input').first().check();

    const date = input(page, '/wunschtermin');
    assert.equal(await date.getAttribute('min'), berlinDate(3), 'the date picker starts three days from today');
    assert.equal(await date.getAttribute('max'), berlinDate(365));

    const errorAt = async (value) => {
      await date.fill(value);
      await page.locator(`${WIDGET} [data-og-next]`).click();
      const error = field(page, '/wunschtermin').locator('[data-og-field-error]');
      await error.waitFor();
      return error.innerText();
    };
    assert.match(await errorAt('2000-01-03'), /zu früh/);
    assert.match(await errorAt(berlinDate(-1)), /zu früh/);
    assert.match(await errorAt(berlinDate(0)), /zu früh/);
    assert.match(await errorAt(berlinWeekday(4, 6)), /Wochentag.*Montag.*Freitag/);

    await date.fill(berlinWeekday(4, 3));
    await next(page, 3);
    assert.deepEqual(log.cspViolations, [], describeLog(log));
  });
});

describe('bilingual schema', () => {
  /** Fills in the demo's bulky-waste form up to the check page; `labels` are the texts of the language shown. */
  async function fillPickup(page, labels) {
    await input(page, '/name').fill('Erika Mustermann');
    await input(page, '/email').fill('erika@example.de');
    await next(page, 2);
    await input(page, '/adresse/strasse').fill('Hauptstraße');
    await input(page, '/adresse/hausnummer').fill('1');
    await input(page, '/adresse/plz').fill('10115');
    await input(page, '/adresse/ort').fill('Musterstadt');
    const pickup = new Date();
    pickup.setUTCDate(pickup.getUTCDate() + 7 + ((10 - pickup.getUTCDay()) % 7));
    await input(page, '/wunschtermin').fill(pickup.toISOString().slice(0, 10));
    await field(page, '/abstellort').getByLabel(labels.pavement, { exact: true }).check();
    // The repeated group starts with its one required entry.
    await next(page, 3);
    await input(page, '/gegenstaende/0/art').selectOption({ label: labels.furniture });
    await input(page, '/gegenstaende/0/anzahl').fill('1');
    await next(page, 4);
    await input(page, '/einwilligung').check();
    await next(page, 'check');
  }

  test('English texts from the schema', async () => {
    const { page, log } = await openForm({ form: 'sperrmuell-anmelden', lang: 'en' });
    const widget = page.locator(WIDGET);
    assert.equal(await widget.locator('.og-form__title').innerText(), 'Register bulky waste');
    assert.equal(await widget.locator('h3').first().innerText(), 'Your contact details');
    assert.match(await field(page, '/name').locator('label').innerText(), /^Full name/);
    assert.match(await field(page, '/email').locator('.og-form__hint').innerText(), /We will send the confirmation/);
    assert.match(await widget.locator('.og-form__required-note').innerText(), /Fields marked with \* are required/);
    await page.locator(`${WIDGET} [data-og-next]`).click();
    await page.locator(`${WIDGET} [data-og-summary]`).waitFor();
    assert.match(await page.locator(`${WIDGET} [data-og-summary]`).innerText(), /“Full name” is missing/);
    let violations = await axeViolations(page, WIDGET);
    assert.deepEqual(violations, [], formatViolations(violations));

    await fillPickup(page, { pavement: 'On the pavement in front of the house', furniture: 'Furniture' });
    const answers = await widget.locator('[data-og-answers]').allInnerTexts();
    assert.ok(answers.join('\n').includes('Furniture'), answers.join('\n'));
    assert.ok(answers.join('\n').includes('Collection address'), answers.join('\n'));
    violations = await axeViolations(page, WIDGET);
    assert.deepEqual(violations, [], formatViolations(violations));

    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForFormPage(page, 'done');
    assert.match(await widget.locator('[data-og-confirmation]').innerText(), /send you the collection date by e-mail/);
    violations = await axeViolations(page, WIDGET);
    assert.deepEqual(violations, [], formatViolations(violations));
    assert.deepEqual(log.cspViolations, [], describeLog(log));
  });

  test('German texts stay German', async () => {
    const { page } = await openForm({ form: 'sperrmuell-anmelden' });
    const widget = page.locator(WIDGET);
    assert.equal(await widget.locator('.og-form__title').innerText(), 'Sperrmüll anmelden');
    assert.match(await field(page, '/name').locator('label').innerText(), /^Vor- und Nachname/);
    let violations = await axeViolations(page, WIDGET);
    assert.deepEqual(violations, [], formatViolations(violations));

    await fillPickup(page, { pavement: 'Am Gehweg vor dem Haus', furniture: 'Möbel' });
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForFormPage(page, 'done');
    assert.match(await widget.locator('[data-og-confirmation]').innerText(), /Abholtermin per E-Mail/);
    violations = await axeViolations(page, WIDGET);
    assert.deepEqual(violations, [], formatViolations(violations));
  });

  test('missing English falls back to German', async () => {
    // The imported FIM form has German texts only.
    const { page } = await openForm({ schema: '/formulare/fim-natuerliche-person.json', lang: 'en' });
    const widget = page.locator(WIDGET);
    assert.equal(await widget.locator('.og-form__title').innerText(), 'Angaben zur Person');
    assert.equal(await widget.locator('[data-og-next]').innerText(), 'Continue');
  });
});

describe('untrusted schema text', () => {
  test('markup in titles, hints and choices stays inert', async () => {
    const { page, log } = await openForm({ schema: '/test/formulare/test-markup.json' });
    await page.locator(`${WIDGET} [data-og-field="/feld"]`).waitFor();
    const widget = page.locator(WIDGET);
    assert.equal(await widget.locator('img, script, style, svg, b, i, u, a[href^="javascript"]').count(), 0);
    const shown = await widget.innerText();
    assert.ok(shown.includes('<img src=x onerror="window.__ogInjected=1">Markup-Test'), shown);
    assert.ok(shown.includes('<script>window.__ogInjected=3</script>Name'), shown);
    assert.ok(shown.includes('<style>body{display:none}</style>Hinweis'), shown);
    assert.ok(shown.includes('<u>Zwei</u>'), shown);
    await page.locator(`${WIDGET} [data-og-next]`).click();
    await page.locator(`${WIDGET} [data-og-summary]`).waitFor();
    assert.equal(await widget.locator('img, script, style, svg').count(), 0);
    assert.equal(await page.evaluate(() => window.__ogInjected), undefined);
    assert.equal(await widget.locator('[style]').count(), 0, 'inline styles break a strict CSP');
    assert.deepEqual(log.cspViolations, [], describeLog(log));
  });
});

describe('attributes and languages', () => {
  test('English texts and error prefix', async () => {
    const { page } = await openForm({ schema: SCHEMA, lang: 'en' });
    assert.equal(await page.locator(`${WIDGET} [data-og-step-count]`).innerText(), 'Step 1 of 4');
    const title = await page.title();
    await page.locator(`${WIDGET} [data-og-next]`).click();
    await page.locator(`${WIDGET} [data-og-summary]`).waitFor();
    assert.equal(await page.title(), `Error: ${title}`);
    assert.match(await page.locator(`${WIDGET} [data-og-summary]`).innerText(), /There (is 1 problem|are \d+ problems)/);
    assert.match(await page.locator(`${WIDGET} [data-og-summary]`).innerText(), /“Vor- und Nachname” is missing/);
  });

  test('form attribute loads schema from server', async () => {
    const { page } = await openForm({ form: 'test-antrag' });
    assert.equal(await page.locator(`${WIDGET} .og-form__title`).innerText(), 'Testantrag');
    assert.equal(await input(page, '/name').getAttribute('autocomplete'), 'name');
    assert.equal(await input(page, '/email').getAttribute('autocomplete'), 'email');
    assert.equal(await input(page, '/email').getAttribute('type'), 'email');
  });

  test('invalid attributes explain themselves', async () => {
    const opened = await session.open(`${site.base}${formPage({ schema: 'javascript:alert(1)' })}`);
    const error = opened.page.locator(`${WIDGET} [data-og-error=config]`);
    await error.waitFor({ timeout: WAIT_MS });
    assert.match(await error.innerText(), /keine gültige Adresse für „schema“/);
    assert.equal(await opened.page.locator(WIDGET).getAttribute('data-og-state'), 'error');
    assert.ok(opened.log.console.some((entry) => entry.text.startsWith('og-form: attribute schema=')), describeLog(opened.log));
  });

  test('missing schema shows message', async () => {
    const opened = await session.open(`${site.base}${formPage({ schema: '/test/formulare/gibt-es-nicht.json' })}`);
    await opened.page.locator(`${WIDGET} [data-og-error=not-found]`).waitFor({ timeout: WAIT_MS });
    assert.equal(await opened.page.locator(WIDGET).getAttribute('data-og-state'), 'error');
    const warning = /^og-form: \S*gibt-es-nicht\.json \(attribute "schema"\) was not found \(HTTP 404\)/;
    assert.ok(opened.log.console.some((entry) => entry.type === 'warning' && warning.test(entry.text)), describeLog(opened.log));
  });
});
