// axe-core over <og-form> in every state a citizen meets: each step, the
// error summary with messages at the fields, the check-your-answers page,
// a failed submission, the confirmation, English texts, a repeated group,
// and the demo page with its three forms. WCAG 2.1 A and AA, no
// violation allowed, and no CSP violation either.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { axeViolations, formatViolations } from './helpers/axe.mjs';
import { describeLog } from './helpers/browser.mjs';
import { formPage, formSite, waitForFormPage } from './helpers/forms.mjs';
import { useBrowser } from './helpers/session.mjs';
import { WAIT_MS } from './helpers/widgets.mjs';

const WIDGET = '#formular';
const SCHEMA = '/test/formulare/test-antrag.json';

const session = useBrowser();
let site;

before(async () => {
  site = await formSite();
});

/** Opens `path` with the longer wait of the other tests: a busy machine can need more than 30 s. */
async function open(path) {
  const opened = await session.open(`${site.base}${path}`);
  opened.page.setDefaultTimeout(WAIT_MS);
  return opened;
}

async function assertAccessible(opened, state) {
  const violations = await axeViolations(opened.page);
  assert.deepEqual(violations, [], `${state}:\n${formatViolations(violations)}`);
  assert.deepEqual(opened.log.cspViolations, [], `${state}: ${describeLog(opened.log)}`);
  assert.deepEqual(opened.log.pageErrors, [], `${state}: ${describeLog(opened.log)}`);
}

function input(page, pointer) {
  return page.locator(`${WIDGET} [data-og-field="${pointer}"]`).locator('input, textarea, select').first();
}

async function next(page, expected) {
  await page.locator(`${WIDGET} [data-og-next]`).click();
  await waitForFormPage(page, expected);
}

describe('test form', () => {
  test('every step, errors, check page and confirmation', async () => {
    const opened = await open(`${formPage({ schema: SCHEMA })}`);
    const { page } = opened;
    await waitForFormPage(page, 1);
    await assertAccessible(opened, 'step 1');

    await page.locator(`${WIDGET} [data-og-next]`).click();
    await page.locator(`${WIDGET} [data-og-summary]`).waitFor();
    await assertAccessible(opened, 'step 1 with errors');

    await input(page, '/name').fill('Erika Mustermann');
    await input(page, '/email').fill('erika@example.de');
    await next(page, 2);
    await assertAccessible(opened, 'step 2');
    await page.locator(`${WIDGET} [data-og-field="/art"] input`).nth(1).check();
    await page.locator(`${WIDGET} [data-og-next]`).click();
    await page.locator(`${WIDGET} [data-og-summary]`).waitFor();
    await assertAccessible(opened, 'step 2 with errors in a conditional field and radio group');
    await input(page, '/geraet').fill('Herd');
    await next(page, 3);
    await page.locator(`${WIDGET} [data-og-next]`).click();
    await page.locator(`${WIDGET} [data-og-summary]`).waitFor();
    await assertAccessible(opened, 'step 3 with errors in a group');
    await input(page, '/adresse/strasse').fill('Hauptstraße 1');
    await input(page, '/adresse/plz').fill('10115');
    await next(page, 4);
    await page.locator(`${WIDGET} [data-og-next]`).click();
    await page.locator(`${WIDGET} [data-og-summary]`).waitFor();
    await assertAccessible(opened, 'step 4 with an unticked consent box');
    await input(page, '/einwilligung').check();
    await next(page, 'check');
    await assertAccessible(opened, 'check page');

    await page.route('**/api/v1/forms/*/submissions', (route) => route.abort('connectionrefused'));
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await page.locator(`${WIDGET} [data-og-error=unreachable]`).waitFor();
    await assertAccessible(opened, 'server unreachable');
    await page.unroute('**/api/v1/forms/*/submissions');
    await page.locator(`${WIDGET} [data-og-retry=send]`).click();
    await waitForFormPage(page, 'done');
    await assertAccessible(opened, 'confirmation');
  });

  test('English errors', async () => {
    const opened = await open(`${formPage({ schema: SCHEMA, lang: 'en' })}`);
    await waitForFormPage(opened.page, 1);
    await opened.page.locator(`${WIDGET} [data-og-next]`).click();
    await opened.page.locator(`${WIDGET} [data-og-summary]`).waitFor();
    await assertAccessible(opened, 'English errors');
  });

  test('invalid attributes and missing schema', async () => {
    const invalid = await open(`${formPage({ schema: 'javascript:x' })}`);
    await invalid.page.locator(`${WIDGET} [data-og-error=config]`).waitFor();
    assert.deepEqual(await axeViolations(invalid.page), []);
    const missing = await open(`${formPage({ schema: '/test/formulare/fehlt.json' })}`);
    await missing.page.locator(`${WIDGET} [data-og-error=not-found]`).waitFor();
    assert.deepEqual(await axeViolations(missing.page), []);
  });
});

describe('demo page', () => {
  test('three forms and a repeated group', async () => {
    const opened = await open('/formulare.html');
    const { page } = opened;
    for (const index of [0, 1, 2]) {
      await page.locator('og-form').nth(index).locator('[data-og-page="1"]').waitFor();
    }
    await assertAccessible(opened, 'demo page');

    // Sperrmüll: move to the step with the repeated group and add an entry.
    const sperrmuell = page.locator('og-form').first();
    await sperrmuell.locator('[data-og-field="/name"] input').fill('Erika Mustermann');
    await sperrmuell.locator('[data-og-field="/email"] input').fill('erika@example.de');
    await sperrmuell.locator('[data-og-next]').click();
    await sperrmuell.locator('[data-og-page="2"]').waitFor();
    await sperrmuell.locator('[data-og-field="/adresse/strasse"] input').fill('Hauptstraße');
    await sperrmuell.locator('[data-og-field="/adresse/hausnummer"] input').fill('1');
    await sperrmuell.locator('[data-og-field="/adresse/plz"] input').fill('10115');
    await sperrmuell.locator('[data-og-field="/adresse/ort"] input').fill('Musterstadt');
    // The pickup date counts from today: a Wednesday one to two weeks ahead.
    const pickup = new Date();
    pickup.setUTCDate(pickup.getUTCDate() + 7 + ((10 - pickup.getUTCDay()) % 7));
    await sperrmuell.locator('[data-og-field="/wunschtermin"] input').fill(pickup.toISOString().slice(0, 10));
    await sperrmuell.locator('[data-og-field="/abstellort"] input').first().check();
    await sperrmuell.locator('[data-og-next]').click();
    await sperrmuell.locator('[data-og-page="3"]').waitFor();
    await sperrmuell.locator('[data-og-add]').click();
    await sperrmuell.locator('[data-og-entry="1"]').waitFor();
    const focusedEntry = await page.evaluate(() => document.activeElement?.getAttribute('data-og-entry'));
    assert.equal(focusedEntry, '1', 'focus did not move to the new entry');
    await sperrmuell.locator('[data-og-next]').click();
    await sperrmuell.locator('[data-og-summary]').waitFor();
    await assertAccessible(opened, 'repeated group with errors');
    await page.evaluate(() => sessionStorage.clear());
  });
});
