// <og-form> with the byte-exact form schemas of data/eval/cases/: blank
// required fields (case 16), conditional fields that neither block nor leak
// (case 17), error messages for screen-reader users (case 20), double
// submission against a slow and a failing endpoint (case 22) and the two
// forms of the two-instance page (case 28).
//
// The schemas are registered on a real `ogkit serve` under their own ids,
// so payloads reach the real submission service unless a test routes them
// to a mock response with Playwright.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { axeViolations, formatViolations } from './helpers/axe.mjs';
import { describeLog } from './helpers/browser.mjs';
import { focusedElement, formPage, formSite, waitForFormPage } from './helpers/forms.mjs';
import { useBrowser } from './helpers/session.mjs';
import { PKG_DIR, REPO_ROOT } from './helpers/site.mjs';
import { startStaticServer } from './helpers/static-server.mjs';
import { idProblems, WAIT_MS } from './helpers/widgets.mjs';

const CASES_DIR = join(REPO_ROOT, 'data/eval/cases');
const WIDGET = '#formular';
const FORMS = { 'eval-case-16': 'case-16-schema.json', 'eval-case-17': 'case-17-schema.json', 'eval-case-20': 'case-20-schema.json' };
const SUBMISSIONS = '**/api/v1/forms/*/submissions';
/** How long the slow mock endpoint of case 22 waits before it responds. */
const SLOW_ANSWER_MS = 3000;

const session = useBrowser();
let site;

before(async () => {
  site = await formSite();
  for (const [id, file] of Object.entries(FORMS)) {
    const response = await fetch(`${site.base}/api/v1/admin/forms/${id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${site.token}`, 'content-type': 'application/json' },
      body: readFileSync(join(CASES_DIR, file)),
    });
    assert.ok(response.ok, `registering ${file} as ${id} failed: HTTP ${response.status}: ${await response.text()}`);
  }
});

/** Opens a page with the registered form `id`; `sent` collects the parsed body of every submission request. */
async function openForm(id, attributes = {}) {
  const opened = await session.open(`${site.base}/test/empty.html`);
  opened.page.setDefaultTimeout(WAIT_MS);
  opened.sent = [];
  opened.page.on('request', (request) => {
    if (request.method() === 'POST' && /\/api\/v1\/forms\/[^/]+\/submissions$/.test(request.url())) {
      opened.sent.push(JSON.parse(request.postData() ?? 'null'));
    }
  });
  await opened.page.goto(`${site.base}${formPage({ form: id, ...attributes })}`);
  await waitForFormPage(opened.page, 1);
  return opened;
}

function field(page, pointer) {
  return page.locator(`${WIDGET} [data-og-field="${pointer}"]`);
}

function input(page, pointer) {
  return field(page, pointer).locator('input, textarea, select').first();
}

function option(page, pointer, label) {
  return field(page, pointer).getByLabel(label, { exact: true });
}

function summary(page) {
  return page.locator(`${WIDGET} [data-og-summary]`);
}

async function next(page, expected) {
  await page.locator(`${WIDGET} [data-og-next]`).click();
  await waitForFormPage(page, expected);
}

async function waitForDone(page) {
  await waitForFormPage(page, 'done');
  return page.locator(`${WIDGET} [data-og-reference]`).innerText();
}

/** Returns the stored submissions of a registered form, from the admin export. */
async function storedSubmissions(id) {
  const response = await fetch(`${site.base}/api/v1/admin/forms/${id}/export?format=json`, {
    headers: { authorization: `Bearer ${site.token}` },
  });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()).submissions;
}

/** Types text into a field and deletes it again key by key, as a user would. */
async function typeAndDelete(page, pointer, text) {
  await input(page, pointer).click();
  await page.keyboard.type(text);
  for (let index = 0; index < text.length; index += 1) {
    await page.keyboard.press('Backspace');
  }
}

/** Returns the error texts shown at fields, keyed by their field's pointer. */
function fieldErrors(page) {
  return page.evaluate((selector) => {
    const errors = {};
    for (const error of document.querySelectorAll(`${selector} [data-og-field-error]`)) {
      errors[error.closest('[data-og-field]').getAttribute('data-og-field')] = error.textContent;
    }
    return errors;
  }, WIDGET);
}

const CASE_16_PAYLOAD = {
  vorname: 'Erika',
  nachname: 'Musterfrau',
  email: 'erika.muster@example.org',
  anliegen: 'Frage zur Grundsteuer',
};

/** Fills case 16's form as in its second step: spaces around the first name, no phone number. */
async function fillCase16(page) {
  await input(page, '/vorname').fill(' Erika ');
  await input(page, '/nachname').fill('Musterfrau');
  await input(page, '/email').fill('erika.muster@example.org');
  await input(page, '/anliegen').fill('Frage zur Grundsteuer');
}

describe('case 16: blank required fields', () => {
  test('spaces and cleared text block', async () => {
    const { page, sent } = await openForm('eval-case-16');
    await input(page, '/vorname').fill('   ');
    await typeAndDelete(page, '/nachname', 'Musterfrau');
    await input(page, '/email').fill('erika.muster@example.org');
    await input(page, '/anliegen').fill('Frage zur Grundsteuer');
    await page.locator(`${WIDGET} [data-og-next]`).click();
    await summary(page).waitFor();

    const errors = await fieldErrors(page);
    assert.deepEqual(Object.keys(errors).sort(), ['/nachname', '/vorname'], JSON.stringify(errors));
    assert.match(errors['/vorname'], /Vorname/);
    assert.match(errors['/nachname'], /Nachname/);
    assert.equal(await input(page, '/telefon').getAttribute('aria-invalid'), null);
    assert.equal(await page.locator(`${WIDGET} [data-og-page]`).getAttribute('data-og-page'), '1');
    assert.deepEqual(sent, []);
  });

  test('trimmed payload without optional key', async () => {
    const { page, sent } = await openForm('eval-case-16');
    await fillCase16(page);
    await next(page, 'check');
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForDone(page);
    assert.equal(sent.length, 1, JSON.stringify(sent));
    assert.equal(JSON.stringify(sent[0].data), JSON.stringify(CASE_16_PAYLOAD));
  });

  test('phone typed and deleted is absent', async () => {
    const { page, sent } = await openForm('eval-case-16');
    await page.reload();
    await waitForFormPage(page, 1);
    await fillCase16(page);
    await typeAndDelete(page, '/telefon', '0151');
    await next(page, 'check');
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForDone(page);
    assert.equal(sent.length, 1, JSON.stringify(sent));
    assert.equal(JSON.stringify(sent[0].data), JSON.stringify(CASE_16_PAYLOAD));
    assert.ok(!('telefon' in sent[0].data));
  });
});

describe('case 17: conditional fields', () => {
  /** Steps 1 to 3 of the case: Ersterteilung with two documents, Verlängerung, an invalid number, back. */
  async function switchBranches(page) {
    await option(page, '/antragsart', 'Ersterteilung').check();
    await option(page, '/unterlagen', 'Fahrzeugschein').check();
    await option(page, '/unterlagen', 'Meldebescheinigung').check();

    await option(page, '/antragsart', 'Verlängerung').check();
    const number = input(page, '/bisherigeNummer');
    await number.waitFor();
    assert.match(await field(page, '/bisherigeNummer').locator('label').innerText(), /Nummer des bisherigen Ausweises/);
    const offered = await field(page, '/unterlagen').locator('label').allInnerTexts();
    assert.deepEqual(offered, ['Fahrzeugschein', 'Bisheriger Ausweis']);
    assert.equal(await option(page, '/unterlagen', 'Fahrzeugschein').isChecked(), true);
    assert.equal(await option(page, '/unterlagen', 'Bisheriger Ausweis').isChecked(), false);

    await number.fill('BP1234');
    await option(page, '/antragsart', 'Ersterteilung').check();
    await field(page, '/bisherigeNummer').waitFor({ state: 'detached' });
    assert.equal(await option(page, '/unterlagen', 'Fahrzeugschein').isChecked(), true);
    assert.equal(await option(page, '/unterlagen', 'Meldebescheinigung').isChecked(), false, 'the removed choice came back');
  }

  test('hidden branch neither blocks nor leaks', async () => {
    const { page, sent } = await openForm('eval-case-17');
    await switchBranches(page);
    await next(page, 'check');
    assert.equal(await summary(page).count(), 0);
    const answers = await page.locator(`${WIDGET} [data-og-answers]`).innerText();
    assert.doesNotMatch(answers, /bisherigen Ausweises|BP1234/);

    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForDone(page);
    assert.equal(sent.length, 1, JSON.stringify(sent));
    assert.deepEqual(sent[0].data, { antragsart: 'Ersterteilung', unterlagen: ['Fahrzeugschein'] });
  });

  test('number field is empty again', async () => {
    const { page } = await openForm('eval-case-17');
    await switchBranches(page);
    await option(page, '/antragsart', 'Verlängerung').check();
    await input(page, '/bisherigeNummer').waitFor();
    assert.equal(await input(page, '/bisherigeNummer').inputValue(), '');
  });

  test('visible number is required', async () => {
    const { page, sent } = await openForm('eval-case-17');
    await option(page, '/antragsart', 'Verlängerung').check();
    await input(page, '/bisherigeNummer').waitFor();
    await page.locator(`${WIDGET} [data-og-next]`).click();
    await summary(page).waitFor();
    const errors = await fieldErrors(page);
    assert.deepEqual(Object.keys(errors), ['/bisherigeNummer'], JSON.stringify(errors));
    assert.match(errors['/bisherigeNummer'], /Nummer des bisherigen Ausweises/);
    assert.equal(await input(page, '/bisherigeNummer').getAttribute('aria-invalid'), 'true');

    await input(page, '/bisherigeNummer').fill('BP12345');
    await option(page, '/unterlagen', 'Bisheriger Ausweis').check();
    await next(page, 'check');
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForDone(page);
    assert.equal(sent.length, 1, JSON.stringify(sent));
    assert.deepEqual(sent[0].data, {
      antragsart: 'Verlängerung',
      unterlagen: ['Bisheriger Ausweis'],
      bisherigeNummer: 'BP12345',
    });
  });
});

describe('case 20: errors for screen readers', () => {
  /** Fills the form by keyboard as the case describes and presses Enter in the postcode field. */
  async function submitWithFourProblems(page) {
    await page.keyboard.press('Tab');
    assert.equal((await focusedElement(page))?.id, await input(page, '/name').getAttribute('id'));
    await page.keyboard.type('A');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal((await focusedElement(page))?.id, await input(page, '/plz').getAttribute('id'));
    await page.keyboard.type('1234');
    await page.keyboard.press('Enter');
    await summary(page).waitFor();
  }

  test('summary, links and field states', async () => {
    const { page, sent, log } = await openForm('eval-case-20');
    await submitWithFourProblems(page);
    assert.deepEqual(sent, []);

    // The summary has focus and states the number of problems.
    assert.ok((await focusedElement(page))?.hooks['data-og-summary'] !== undefined, 'the summary did not take focus');
    assert.equal(await summary(page).locator('h3').innerText(), 'Es gibt 4 Probleme');
    const links = summary(page).locator('a');
    assert.equal(await links.count(), 4);

    // Announced once: focus reads the summary, so it is no live region and
    // sits in none, no inline error is one, and the status region does not
    // repeat it.
    const live = await page.evaluate((selector) => {
      const isLive = (element) =>
        ['alert', 'status', 'log'].includes(element.getAttribute('role')) || element.hasAttribute('aria-live');
      const summary = document.querySelector(`${selector} [data-og-summary]`);
      let summaryLive = false;
      for (let node = summary; node; node = node.parentElement) {
        summaryLive ||= isLive(node);
      }
      const liveErrors = [...document.querySelectorAll(`${selector} [data-og-field-error]`)].filter((error) =>
        error.closest('[role=alert],[role=status],[role=log],[aria-live]'),
      );
      const statusTexts = [...document.querySelectorAll(`${selector} [role=status],${selector} [aria-live]`)].map(
        (element) => element.textContent,
      );
      return { summaryLive, liveErrors: liveErrors.length, statusTexts };
    }, WIDGET);
    assert.equal(live.summaryLive, false, 'the focused summary is also a live region');
    assert.equal(live.liveErrors, 0, 'inline errors are in live regions');
    assert.ok(live.statusTexts.every((text) => !/Problem/.test(text)), live.statusTexts.join('|'));

    // Every invalid field: aria-invalid, and aria-describedby naming its
    // visible error text in the same tree scope.
    for (const pointer of ['/name', '/email', '/plz', '/strasse']) {
      const described = await input(page, pointer).evaluate((control) => {
        const root = control.getRootNode();
        const ids = (control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
        const targets = ids.map((id) => root.getElementById(id));
        const error = targets.find((target) => target?.hasAttribute('data-og-field-error'));
        return {
          invalid: control.getAttribute('aria-invalid'),
          missing: ids.filter((_, index) => !targets[index]),
          error: error ? error.textContent : null,
          visible: error ? error.checkVisibility() && error.getBoundingClientRect().height > 0 : false,
        };
      });
      assert.equal(described.invalid, 'true', pointer);
      assert.deepEqual(described.missing, [], `${pointer}: aria-describedby names ids outside its tree scope`);
      assert.ok(described.error, `${pointer}: aria-describedby does not name its error`);
      assert.ok(described.visible, `${pointer}: the error text is not visible`);
    }
    assert.equal(await input(page, '/hinweis').getAttribute('aria-invalid'), null);

    // Required fields are marked for assistive technology, and the asterisk is explained in text.
    for (const pointer of ['/name', '/email', '/plz', '/strasse']) {
      assert.equal(await input(page, pointer).getAttribute('aria-required'), 'true', pointer);
      assert.match(await field(page, pointer).locator('label').innerText(), /\*/, pointer);
    }
    assert.equal(await input(page, '/hinweis').getAttribute('aria-required'), null);
    assert.doesNotMatch(await field(page, '/hinweis').locator('label').innerText(), /\*/);
    assert.match(await page.locator(`${WIDGET} .og-form__required-note`).innerText(), /\*.*ausgefüllt/);

    // Not by colour alone: the message is text that starts with "Fehler:".
    const plzError = field(page, '/plz').locator('[data-og-field-error]');
    assert.match(await plzError.textContent(), /^Fehler:.*Postleitzahl/);

    const violations = await axeViolations(page, WIDGET);
    assert.deepEqual(violations, [], formatViolations(violations));

    // The Postleitzahl link, by keyboard, moves focus into the field, whose
    // description carries the error text once.
    const plzIndex = (await links.allInnerTexts()).findIndex((text) => /Postleitzahl/.test(text));
    assert.ok(plzIndex >= 0);
    for (let index = 0; index <= plzIndex; index += 1) {
      await page.keyboard.press('Tab');
    }
    assert.equal((await focusedElement(page))?.hooks['data-og-problem'], '/plz');
    await page.keyboard.press('Enter');
    const plz = input(page, '/plz');
    assert.equal((await focusedElement(page))?.id, await plz.getAttribute('id'));
    const description = await plz.evaluate((control) =>
      (control.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .map((id) => control.getRootNode().getElementById(id)?.textContent ?? '')
        .join(' '),
    );
    const message = (await plzError.textContent()).replace(/^Fehler:\s*/, '');
    assert.equal(description.split(message).length - 1, 1, `the error is not in the description once: ${description}`);
    assert.match(await field(page, '/plz').locator('label').innerText(), /Postleitzahl/);

    // Fixed and left: the field is valid again.
    await page.keyboard.press('End');
    for (let index = 0; index < 4; index += 1) {
      await page.keyboard.press('Backspace');
    }
    await page.keyboard.type('12345');
    await page.keyboard.press('Tab');
    assert.equal(await plz.inputValue(), '12345');
    assert.equal(await plz.getAttribute('aria-invalid'), null);
    assert.equal(await plzError.count(), 0);
    assert.deepEqual(sent, []);
    assert.deepEqual(log.cspViolations, [], describeLog(log));
  });

  test('one problem has singular heading', async () => {
    const { page } = await openForm('eval-case-20');
    await input(page, '/name').fill('Erika Mustermann');
    await input(page, '/email').fill('erika@example.org');
    await input(page, '/strasse').fill('Hauptstraße 1');
    await input(page, '/plz').fill('1234');
    await page.locator(`${WIDGET} [data-og-next]`).click();
    await summary(page).waitFor();
    assert.equal(await summary(page).locator('h3').innerText(), 'Es gibt 1 Problem');
  });

  test('English heading counts problems', async () => {
    const { page } = await openForm('eval-case-20', { lang: 'en' });
    await input(page, '/name').fill('A');
    await page.locator(`${WIDGET} [data-og-next]`).click();
    await summary(page).waitFor();
    assert.equal(await summary(page).locator('h3').innerText(), 'There are 4 problems');
    assert.match(await page.locator(`${WIDGET} .og-form__required-note`).innerText(), /\* are required/);
    const violations = await axeViolations(page, WIDGET);
    assert.deepEqual(violations, [], formatViolations(violations));
  });
});

describe('case 22: double submission', () => {
  /** Responds to every submission after `SLOW_ANSWER_MS` with `status` and returns the list of request bodies. */
  async function slowEndpoint(page, status) {
    const requests = [];
    await page.route(SUBMISSIONS, async (route) => {
      const body = JSON.parse(route.request().postData() ?? 'null');
      requests.push(body);
      await new Promise((resolve) => setTimeout(resolve, SLOW_ANSWER_MS));
      const answer =
        status === 201
          ? { submission_id: body.submission_id, reference: `OG-2026-${900000 + requests.length}` }
          : { code: 'internal', message: 'mock failure' };
      await route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(answer) });
    });
    return requests;
  }

  /** Returns the submit button's text and busy state at the next animation frame. */
  function buttonAtNextFrame(page) {
    return page.evaluate(
      (selector) =>
        new Promise((resolve) =>
          requestAnimationFrame(() => {
            const button = document.querySelector(`${selector} [data-og-submit]`);
            resolve({
              text: button?.textContent ?? null,
              busy: button?.getAttribute('aria-disabled') === 'true' || button?.disabled === true,
            });
          }),
        ),
      WIDGET,
    );
  }

  test('double click sends one request', async () => {
    const { page } = await openForm('eval-case-16');
    const requests = await slowEndpoint(page, 201);
    await fillCase16(page);
    await next(page, 'check');
    await page.locator(`${WIDGET} [data-og-submit]`).dblclick();
    const button = await buttonAtNextFrame(page);
    assert.match(button.text, /Wird gesendet …/);
    assert.ok(button.busy, 'the button is neither disabled nor aria-disabled');
    assert.match(await page.locator(`${WIDGET} [data-og-status]`).textContent(), /Wird gesendet/);

    await waitForDone(page);
    assert.equal(requests.length, 1, JSON.stringify(requests));
    assert.equal(await page.locator(`${WIDGET} [data-og-confirmation]`).count(), 1);
    assert.equal(await page.locator(`${WIDGET} [data-og-error]`).count(), 0);
  });

  test('double Enter sends one request', async () => {
    const { page } = await openForm('eval-case-16');
    const requests = await slowEndpoint(page, 201);
    await fillCase16(page);
    // Enter twice in the last field opens the check page once; the second
    // Enter reaches the new page's heading and sends nothing.
    await input(page, '/anliegen').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await waitForFormPage(page, 'check');
    assert.equal(requests.length, 0);

    // The check page sends the form: Enter twice on "Absenden".
    await page.locator(`${WIDGET} [data-og-submit]`).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    const button = await buttonAtNextFrame(page);
    assert.match(button.text, /Wird gesendet …/);
    assert.ok(button.busy, 'the button is neither disabled nor aria-disabled');
    await waitForDone(page);
    assert.equal(requests.length, 1, JSON.stringify(requests));
    assert.equal(await page.locator(`${WIDGET} [data-og-confirmation]`).count(), 1);
  });

  test('HTTP 500 keeps values for one retry', async () => {
    const { page } = await openForm('eval-case-16');
    const requests = await slowEndpoint(page, 500);
    await fillCase16(page);
    await next(page, 'check');
    await page.locator(`${WIDGET} [data-og-submit]`).dblclick();
    const error = page.locator(`${WIDGET} [data-og-error]`);
    await error.waitFor();
    assert.equal(requests.length, 1);
    assert.match(await error.innerText(), /Fehler/);
    const submit = page.locator(`${WIDGET} [data-og-submit]`);
    assert.equal(await submit.getAttribute('aria-disabled'), null);
    assert.equal(await submit.isDisabled(), false);
    assert.equal(await submit.innerText(), 'Absenden');
    const answers = await page.locator(`${WIDGET} [data-og-answers]`).innerText();
    for (const value of Object.values(CASE_16_PAYLOAD)) {
      assert.ok(answers.includes(value), `${value} is gone: ${answers}`);
    }

    // "Erneut senden" against the real server: one request, the same key.
    await page.unroute(SUBMISSIONS);
    const retried = [];
    await page.route(SUBMISSIONS, async (route) => {
      retried.push(JSON.parse(route.request().postData() ?? 'null'));
      await route.continue();
    });
    await page.locator(`${WIDGET} [data-og-retry]`).click();
    await waitForDone(page);
    assert.equal(retried.length, 1, JSON.stringify(retried));
    assert.equal(retried[0].submission_id, requests[0].submission_id);
    assert.equal(JSON.stringify(retried[0].data), JSON.stringify(CASE_16_PAYLOAD));
  });

  test('retry after timeout stores one record', async () => {
    const { page } = await openForm('eval-case-16');
    const sent = [];
    // The first request reaches the server, which stores it, but the
    // browser never gets the answer.
    await page.route(SUBMISSIONS, async (route) => {
      sent.push(JSON.parse(route.request().postData() ?? 'null'));
      await route.fetch();
      await route.abort('timedout');
    });
    await fillCase16(page);
    await next(page, 'check');
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await page.locator(`${WIDGET} [data-og-retry]`).waitFor();
    await page.unroute(SUBMISSIONS);
    await page.route(SUBMISSIONS, async (route) => {
      sent.push(JSON.parse(route.request().postData() ?? 'null'));
      await route.continue();
    });
    await page.locator(`${WIDGET} [data-og-retry]`).click();
    const reference = await waitForDone(page);

    assert.equal(sent.length, 2);
    assert.equal(sent[1].submission_id, sent[0].submission_id, 'the retry used another idempotency key');
    const stored = (await storedSubmissions('eval-case-16')).filter((record) => record.submission_id === sent[0].submission_id);
    assert.equal(stored.length, 1, JSON.stringify(stored));
    assert.equal(stored[0].reference, reference);
    assert.equal(await page.locator(`${WIDGET} [data-og-error]`).count(), 0, 'a failure is shown for a stored submission');
  });
});

describe('case 28: two forms on one page', () => {
  let folder;
  let server;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ogkit-form-case-28-'));
    const page = await readFile(join(CASES_DIR, 'case-28-two-instances.html'), 'utf8');
    await writeFile(join(folder, 'case-28.html'), page.replaceAll('LOADER_URL', '/static/widgets/v1/ogkit.js'));
    server = await startStaticServer({
      routes: [
        { prefix: '/static/widgets/v1/', dir: PKG_DIR },
        { prefix: '/daten/', dir: CASES_DIR },
        { prefix: '/seiten/', dir: folder },
      ],
    });
  });

  after(async () => {
    await server?.close();
    if (folder) {
      await rm(folder, { recursive: true, force: true });
    }
  });

  test('forms keep their own state', async () => {
    const { page, log } = await session.open(`${server.url}/seiten/case-28.html`);
    page.setDefaultTimeout(WAIT_MS);
    const posted = [];
    await page.route(SUBMISSIONS, async (route) => {
      const body = JSON.parse(route.request().postData() ?? 'null');
      posted.push(body);
      await route.fulfill({
        status: 201,
        contentType: 'application/json',
        body: JSON.stringify({ submission_id: body.submission_id, reference: 'OG-2026-000028' }),
      });
    });
    await waitForFormPage(page, 1, '#fa');
    await waitForFormPage(page, 1, '#fb');

    await page.locator('#fa [data-og-field="/vorname"] input').fill('Erika');
    assert.equal(await page.locator('#fb [data-og-field="/vorname"] input').inputValue(), '');

    await page.locator('#fb [data-og-field="/vorname"] label').click();
    const focusedInB = await page.evaluate(() => {
      const active = document.activeElement;
      return document.getElementById('fb').contains(active) && active.closest('[data-og-field]')?.getAttribute('data-og-field');
    });
    assert.equal(focusedInB, '/vorname', "clicking B's label did not focus B's input");

    const { duplicates, dangling } = await idProblems(page);
    assert.deepEqual(duplicates, [], 'ids occur twice in the document');
    assert.deepEqual(dangling, [], 'references point outside their own widget');

    for (const [name, value] of Object.entries(CASE_16_PAYLOAD)) {
      await page.locator(`#fb [data-og-field="/${name}"]`).locator('input, textarea').first().fill(value);
    }
    await page.locator('#fb [data-og-next]').click();
    await waitForFormPage(page, 'check', '#fb');
    await page.locator('#fb [data-og-submit]').click();
    await waitForFormPage(page, 'done', '#fb');

    assert.equal(posted.length, 1);
    assert.deepEqual(posted[0].data, CASE_16_PAYLOAD);
    assert.equal(await page.locator('#fb [data-og-confirmation]').count(), 1);
    assert.equal(await page.locator('#fa [data-og-confirmation]').count(), 0);
    assert.equal(await page.locator('#fa [data-og-page]').getAttribute('data-og-page'), '1');
    assert.equal(await page.locator('#fa [data-og-field="/vorname"] input').inputValue(), 'Erika');
    assert.deepEqual(log.pageErrors, [], describeLog(log));
  });
});
