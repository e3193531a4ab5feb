// Every state of <og-poll>, each checked with axe-core for WCAG 2.1 A and
// AA, under the strict CSP of `ogkit serve`: open, not open yet, voted,
// already voted after a reload, closed with results, results hidden until
// the poll closes or until the browser has voted, code mode, selection
// problems, server unreachable (loading and sending), unknown poll,
// unusable attributes, and the loading state itself.
//
// The polls are created per run through the admin API (see
// helpers/polls.mjs), so every state exists whatever the date.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { axeViolations, formatViolations } from './helpers/axe.mjs';
import { describeLog } from './helpers/browser.mjs';
import {
  castBallot,
  closePoll,
  createPoll,
  ensurePoll,
  hoursFromNow,
  pollPage,
  pollSite,
  waitForPollState,
} from './helpers/polls.mjs';
import { useBrowser } from './helpers/session.mjs';
import { WAIT_MS } from './helpers/widgets.mjs';

const WIDGET = '#umfrage';

const session = useBrowser();
let site;

before(async () => {
  site = await pollSite();
});

/** Opens the fixture page with one widget for `attributes`. */
function openPoll(attributes) {
  return session.open(`${site.base}${pollPage(attributes)}`);
}

async function assertAccessible(page, log, state) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `axe violations in the ${state} state:\n${formatViolations(violations)}`);
  assert.deepEqual(log.cspViolations, [], `CSP violations in the ${state} state:\n${describeLog(log)}`);
  assert.deepEqual(log.pageErrors, [], `page errors in the ${state} state:\n${describeLog(log)}`);
}

function widgetText(page) {
  return page.locator(WIDGET).innerText();
}

describe('poll states', () => {
  test('open poll shows the form', async () => {
    const poll = await createPoll(site, { results: 'after-vote' });
    const { page, log } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'open');

    assert.equal(await page.locator(`${WIDGET} fieldset`).count(), 2);
    assert.equal(await page.locator(`${WIDGET} input[type=radio]`).count(), 3);
    assert.equal(await page.locator(`${WIDGET} input[type=checkbox]`).count(), 3);
    assert.match(await widgetText(page), /Wählen Sie 1 bis 2 Antworten/);
    assert.equal(await page.locator(`${WIDGET} [data-og-results]`).getAttribute('data-og-results'), 'after-vote');
    assert.equal(await page.locator(WIDGET).getAttribute('data-og-state'), 'ready');
    await assertAccessible(page, log, 'open');
  });

  test('not-open-yet poll shows its start', async () => {
    const poll = await createPoll(site, { opens_at: hoursFromNow(48), closes_at: hoursFromNow(72) });
    const { page, log } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'not-open-yet');

    assert.match(await widgetText(page), /Die Abstimmung beginnt am/);
    assert.equal(await page.locator(`${WIDGET} form`).count(), 0, 'a poll that has not opened shows a form');
    await assertAccessible(page, log, 'not-open-yet');
  });

  test('closed poll shows final results', async () => {
    const poll = await createPoll(site, { results: 'after-close' });
    await castBallot(site, poll.id, { route: ['fluss'], ausstattung: ['licht', 'breite'] });
    await castBallot(site, poll.id, { route: ['park'], ausstattung: ['licht'] });
    await closePoll(site, poll.id);
    const { page, log } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'closed');
    await page.locator(`${WIDGET} [data-og-results=visible]`).waitFor();

    assert.match(await widgetText(page), /Diese Umfrage ist beendet/);
    assert.equal(await page.locator(`${WIDGET} [data-og-participants]`).getAttribute('data-og-participants'), '2');
    assert.equal(await page.locator(`${WIDGET} [data-og-result-choice=licht]`).getAttribute('data-og-count'), '2');
    assert.match(await widgetText(page), /Beleuchtung\s*100,0\s%/);
    await assertAccessible(page, log, 'closed');
  });

  test('poll that closed by time is closed', async () => {
    const poll = await createPoll(site, { opens_at: hoursFromNow(-48), closes_at: hoursFromNow(-24) });
    const { page, log } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'closed');
    await page.locator(`${WIDGET} [data-og-results=visible]`).waitFor();

    assert.match(await widgetText(page), /Noch hat niemand abgestimmt/);
    await assertAccessible(page, log, 'closed by time');
  });

  test('results hidden until close say when', async () => {
    const poll = await createPoll(site, { results: 'after-close' });
    const { page, log } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'open');

    const hidden = page.locator(`${WIDGET} [data-og-results=after-close]`);
    assert.match(await hidden.innerText(), /nach dem Ende der Umfrage am .* veröffentlicht/);
    assert.equal(await page.locator(`${WIDGET} [data-og-results=visible]`).count(), 0);
    await assertAccessible(page, log, 'results hidden until close');
  });

  test('voted state shows receipt and results', async () => {
    const poll = await createPoll(site, { results: 'after-vote' });
    const { page, log } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'open');
    await page.locator(`${WIDGET} [data-og-choice=ring]`).check();
    await page.locator(`${WIDGET} [data-og-choice=baeume]`).check();
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForPollState(page, 'voted');
    await page.locator(`${WIDGET} [data-og-results=visible]`).waitFor();

    assert.match(await widgetText(page), /Vielen Dank! Ihre Stimme wurde gespeichert/);
    assert.match(await widgetText(page), /Empfangsbestätigung: Stimmzettel [0-9a-f-]{36}/);
    await assertAccessible(page, log, 'voted');
  });

  test('already voted after reload', async () => {
    const poll = await createPoll(site, { results: 'after-close' });
    const { page, log } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'open');
    await page.locator(`${WIDGET} [data-og-choice=fluss]`).check();
    await page.locator(`${WIDGET} [data-og-choice=licht]`).check();
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForPollState(page, 'voted');
    await page.reload();
    await waitForPollState(page, 'voted');

    assert.match(await widgetText(page), /Sie haben bei dieser Umfrage bereits abgestimmt/);
    assert.equal(await page.locator(`${WIDGET} [data-og-results]`).getAttribute('data-og-results'), 'after-close');
    await assertAccessible(page, log, 'already voted');
  });

  test('failed send keeps the form accessible', async () => {
    const poll = await createPoll(site);
    const { page, log } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'open');
    await page.route('**/api/v1/polls/*/ballots', (route) => route.abort('connectionrefused'));
    await page.locator(`${WIDGET} [data-og-choice=park]`).check();
    await page.locator(`${WIDGET} [data-og-choice=breite]`).check();
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await page.locator(`${WIDGET} [data-og-error=unreachable]`).waitFor();

    assert.equal(await page.locator(`${WIDGET} [data-og-retry=send]`).count(), 1);
    // Requests that the test aborted are reported as failed loads.
    log.console = log.console.filter((entry) => !/Failed to load resource/.test(entry.text));
    await assertAccessible(page, log, 'send failed');
  });

  test('code poll asks for the code', async () => {
    const poll = await createPoll(site, { participation: 'code' });
    const { page, log } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'open');

    const input = page.getByLabel('Ihr Zugangscode');
    assert.equal(await input.count(), 1, 'the code field has no label');
    assert.match((await input.getAttribute('aria-describedby')) ?? '', /code-hint/);
    await assertAccessible(page, log, 'code mode');
  });

  test('selection problems are accessible', async () => {
    const poll = await createPoll(site, { participation: 'code' });
    const { page, log } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'open');
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await page.locator(`${WIDGET} [data-og-problems]`).waitFor();

    assert.equal(await page.locator(`${WIDGET} [data-og-field-error]`).count(), 2);
    assert.equal(await page.locator(`${WIDGET} [data-og-code-error]`).count(), 1);
    await assertAccessible(page, log, 'selection problems');
  });

  test('loading poll is accessible', async () => {
    const poll = await createPoll(site);
    const { page, log } = await session.open(`${site.base}/test/empty.html`);
    // Hold the poll's definition until the loading state has been checked.
    let release;
    const held = new Promise((resolve) => {
      release = resolve;
    });
    await page.route(`**/api/v1/polls/${poll.id}`, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${site.base}${pollPage({ poll: poll.id })}`);
    await waitForPollState(page, 'loading');

    assert.match(await widgetText(page), /Die Umfrage wird geladen/);
    await assertAccessible(page, log, 'loading');

    release();
    await waitForPollState(page, 'open');
  });

  test('unreachable server offers retry', async () => {
    const poll = await createPoll(site);
    const { page, log } = await session.open(`${site.base}/test/empty.html`);
    await page.route('**/api/v1/polls/**', (route) => route.abort('connectionrefused'));
    await page.goto(`${site.base}${pollPage({ poll: poll.id })}`);
    await waitForPollState(page, 'unreachable');

    assert.match(await widgetText(page), /Server nicht erreichbar/);
    // An online device gets no advice to check its connection.
    assert.doesNotMatch(await widgetText(page), /Internetverbindung/);
    assert.equal(await page.locator(WIDGET).getAttribute('data-og-state'), 'error');
    assert.equal(await page.locator(`${WIDGET} > p`).first().isVisible(), true, 'the fallback content is hidden');
    // Requests that the test aborted are reported as failed loads.
    log.console = log.console.filter((entry) => !/Failed to load resource/.test(entry.text));
    await assertAccessible(page, log, 'unreachable');

    await page.unroute('**/api/v1/polls/**');
    await page.locator(`${WIDGET} [data-og-retry=load]`).click();
    await waitForPollState(page, 'open');
  });

  test('offline device is told so', async () => {
    const poll = await createPoll(site);
    const { page, context, log } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'open');

    await page.locator(`${WIDGET} [data-og-choice=fluss]`).check();
    await page.locator(`${WIDGET} [data-og-choice=licht]`).check();
    await context.setOffline(true);
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    const error = page.locator(`${WIDGET} [data-og-error=unreachable]`);
    await error.waitFor({ timeout: WAIT_MS });
    assert.match(await error.innerText(), /weil Ihr Gerät offline ist/);
    assert.match(await error.innerText(), /Prüfen Sie Ihre Internetverbindung/);
    assert.equal(await page.locator(`${WIDGET} [data-og-choice=fluss]`).isChecked(), true, 'the choice is kept');

    await context.setOffline(false);
    await page.locator(`${WIDGET} [data-og-retry=send]`).click();
    await waitForPollState(page, 'voted');
    log.console = log.console.filter((entry) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(entry.text));
    await assertAccessible(page, log, 'offline');
  });

  test('unknown poll is explained', async () => {
    const { page, log } = await openPoll({ poll: 'gibt-es-nicht-42' });
    await waitForPollState(page, 'not-found');

    assert.match(await widgetText(page), /Diese Umfrage gibt es nicht/);
    assert.equal(await page.locator(`${WIDGET} [data-og-retry]`).count(), 0);
    const warning = /^og-poll: \S*\/api\/v1\/polls\/gibt-es-nicht-42 \(attribute "poll"\) was not found \(HTTP 404\)/;
    assert.ok(log.console.some((entry) => entry.type === 'warning' && warning.test(entry.text)), describeLog(log));
    await assertAccessible(page, log, 'unknown poll');
  });

  test('missing poll attribute is explained', async () => {
    const { page, log } = await openPoll({});
    await waitForPollState(page, 'invalid-config');

    assert.match(await widgetText(page), /weil die Angabe „poll“ fehlt/);
    assert.ok(
      log.console.some((entry) => entry.type === 'warning' && entry.text.startsWith('og-poll: attribute poll=""')),
      `no console warning for the editors:\n${describeLog(log)}`,
    );
    await assertAccessible(page, log, 'missing poll attribute');
  });

  test('invalid server attribute is explained', async () => {
    const { page, log } = await openPoll({ poll: 'radweg', server: 'ftp://example.invalid', lang: 'en' });
    await waitForPollState(page, 'invalid-config');

    assert.match(await widgetText(page), /the server address "ftp:\/\/example.invalid" is invalid/);
    await assertAccessible(page, log, 'invalid server attribute');
  });

  test('demo page embeds an open poll', async () => {
    // The demo's poll id is fixed; `cargo xtask demo` creates it with the CLI.
    await ensurePoll(site, { id: 'radweg-bahnhof-altstadt', results: 'after-vote' });
    const { page, log } = await session.open(`${site.base}/beteiligung.html`);
    await page.waitForFunction(
      () => ['open', 'voted', 'closed'].includes(document.querySelector('og-poll [data-og-poll]')?.getAttribute('data-og-poll')),
      null,
      { timeout: WAIT_MS },
    );

    assert.match(await page.locator('og-poll').innerText(), /Wo soll der neue Radweg entlanglaufen\?/);
    await assertAccessible(page, log, 'demo page');
  });

  test('english page speaks english', async () => {
    const poll = await createPoll(site, { results: 'after-close' });
    const { page, log } = await openPoll({ poll: poll.id, lang: 'en' });
    await waitForPollState(page, 'open');

    const text = await widgetText(page);
    assert.match(text, /Choose one answer\./);
    assert.match(text, /Choose 1 to 2 answers\./);
    assert.match(text, /The results will be published after the poll closes on/);
    assert.equal(await page.locator(`${WIDGET} [data-og-submit]`).innerText(), 'Cast your vote');
    await assertAccessible(page, log, 'english');
  });
});
