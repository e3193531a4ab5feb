// Voting with <og-poll> against a real `ogkit serve`: by keyboard alone,
// with the selection limits enforced before sending, with markup in the
// poll texts kept inert, with a retry after a lost response that returns the
// same receipt, "already voted" after a reload, invitation codes, live
// results from the result stream, the og-vote event, the strict CSP, and
// result streams that close when the element is removed.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { describeLog } from './helpers/browser.mjs';
import {
  castBallot,
  createPoll,
  issueCodes,
  pollPage,
  pollSite,
  waitForPollState,
} from './helpers/polls.mjs';
import { useBrowser } from './helpers/session.mjs';
import { WAIT_MS } from './helpers/widgets.mjs';

const WIDGET = '#umfrage';

/** `EventSource.CLOSED`. */
const EVENT_SOURCE_CLOSED = 2;

const session = useBrowser();
let site;

before(async () => {
  site = await pollSite();
});

/**
 * Opens the fixture page for `attributes` in a fresh browser context, with
 * every og-vote event recorded in `window.__ogVotes` and every EventSource
 * in `window.__ogStreams`.
 */
async function openPoll(attributes) {
  const opened = await session.open(`${site.base}/test/empty.html`);
  await opened.context.addInitScript(() => {
    window.__ogVotes = [];
    window.addEventListener('og-vote', (event) => {
      const widget = event.composedPath().find((node) => node.tagName === 'OG-POLL');
      window.__ogVotes.push({ detail: event.detail, bubbles: event.bubbles, widget: widget?.id ?? null });
    });
    // Counts result streams, so a test can tell whether removed widgets closed theirs.
    window.__ogStreams = [];
    const Native = window.EventSource;
    window.EventSource = class extends Native {
      constructor(...args) {
        super(...args);
        window.__ogStreams.push(this);
      }
    };
  });
  await opened.page.goto(`${site.base}${pollPage(attributes)}`);
  return opened;
}

function widgetText(page) {
  return page.locator(WIDGET).innerText();
}

/** Returns the requests that sent a ballot. */
function ballotRequests(log) {
  return log.requests.filter((url) => /\/api\/v1\/polls\/[^/]+\/ballots$/.test(url));
}

async function votes(page) {
  return page.evaluate(() => window.__ogVotes);
}

async function waitForParticipants(page, count) {
  await page.waitForFunction(
    ({ selector, count }) =>
      document.querySelector(`${selector} [data-og-participants]`)?.getAttribute('data-og-participants') === String(count),
    { selector: WIDGET, count },
    { timeout: WAIT_MS },
  );
}

describe('voting', () => {
  test('keyboard alone casts a vote', async () => {
    const poll = await createPoll(site, { results: 'after-vote' });
    const { page, log } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'open');

    // Into the radio group; the arrow key moves to and selects the second route.
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    // Out of the group to the checkboxes: the first and third.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.hasAttribute('data-og-submit'));
    assert.equal(focused, true, 'Tab did not reach the submit button');
    await page.keyboard.press('Enter');
    await waitForPollState(page, 'voted');

    const active = await page.evaluate(() => document.activeElement?.getAttribute('data-og-confirmation'));
    assert.equal(active, 'voted', 'focus did not move to the confirmation');
    await page.locator(`${WIDGET} [data-og-results=visible]`).waitFor();
    assert.equal(await page.locator(`${WIDGET} [data-og-result-choice=ring]`).getAttribute('data-og-count'), '1');
    assert.equal(await page.locator(`${WIDGET} [data-og-result-choice=licht]`).getAttribute('data-og-count'), '1');
    assert.equal(await page.locator(`${WIDGET} [data-og-result-choice=baeume]`).getAttribute('data-og-count'), '1');
    assert.equal(await page.locator(`${WIDGET} [data-og-result-choice=breite]`).getAttribute('data-og-count'), '0');
    assert.match(await page.locator(`${WIDGET} [data-og-status]`).innerText(), /Ihre Stimme wurde gespeichert/);
    assert.deepEqual(log.pageErrors, [], describeLog(log));
  });

  test('limits are checked before sending', async () => {
    const poll = await createPoll(site);
    const { page, log } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'open');
    for (const choice of ['licht', 'breite', 'baeume']) {
      await page.locator(`${WIDGET} [data-og-choice=${choice}]`).check();
    }
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await page.locator(`${WIDGET} [data-og-problems]`).waitFor();

    assert.deepEqual(ballotRequests(log), [], 'a ballot that breaks the limits was sent');
    const focused = await page.evaluate(() => document.activeElement?.hasAttribute('data-og-problems'));
    assert.equal(focused, true, 'focus did not move to the list of problems');
    const route = page.locator(`${WIDGET} fieldset[data-og-question=route]`);
    const extras = page.locator(`${WIDGET} fieldset[data-og-question=ausstattung]`);
    const extrasError = extras.locator('[data-og-field-error]');
    assert.equal(await extrasError.innerText(), 'Bitte wählen Sie höchstens 2 Antworten (gewählt: 3).');
    const describedBy = (await extras.getAttribute('aria-describedby')) ?? '';
    assert.ok(describedBy.split(' ').includes(await extrasError.getAttribute('id')), 'the error is not tied to its fieldset');
    assert.equal(await route.locator('[data-og-field-error]').innerText(), 'Bitte wählen Sie eine Antwort.');

    // The link in the list of problems moves focus to the question's first choice.
    await page.locator(`${WIDGET} [data-og-problems] a`, { hasText: 'Welche Route' }).click();
    const focusedChoice = await page.evaluate(() => document.activeElement?.getAttribute('data-og-choice'));
    assert.equal(focusedChoice, 'fluss');
    assert.equal(new URL(page.url()).hash, '', 'the link changed the address of the page');

    // Fixing both questions removes the messages and lets the ballot through.
    await page.locator(`${WIDGET} [data-og-choice=baeume]`).uncheck();
    assert.equal(await extras.locator('[data-og-field-error]').count(), 0);
    await page.locator(`${WIDGET} [data-og-choice=fluss]`).check();
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForPollState(page, 'voted');
    assert.equal(ballotRequests(log).length, 1);
  });

  test('markup in poll texts stays inert', async () => {
    const poll = await createPoll(site, {
      title: '<img src=x onerror="window.__pwned=1">Radweg',
      description: '<script>window.__pwned=2</script><b>fett</b>',
      questions: [
        {
          id: 'route',
          text: '<a href="javascript:window.__pwned=3">Route</a>?',
          description: '<style>body{display:none}</style>',
          kind: 'single-choice',
          choices: [
            { id: 'a', label: '<img src=x onerror="window.__pwned=4">A' },
            { id: 'b', label: '<svg onload="window.__pwned=5">B</svg>', description: '<iframe src="/"></iframe>' },
          ],
        },
      ],
    });
    const { page, log } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'open');
    await page.locator(`${WIDGET} [data-og-choice=a]`).check();
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await page.locator(`${WIDGET} [data-og-results=visible]`).waitFor();

    const root = page.locator(`${WIDGET} [data-og-poll]`);
    for (const tag of ['img', 'script', 'style', 'iframe', 'b', 'a']) {
      assert.equal(await root.locator(tag).count(), 0, `a <${tag}> from the poll text became an element`);
    }
    assert.equal(await root.locator('svg:not(.og-poll__bar)').count(), 0, 'an <svg> from the poll text became an element');
    const text = await widgetText(page);
    assert.ok(text.includes('<img src=x onerror="window.__pwned=1">Radweg'), `title not shown as text: ${text}`);
    assert.ok(text.includes('<script>window.__pwned=2</script><b>fett</b>'), 'description not shown as text');
    assert.equal(await page.evaluate(() => window.__pwned ?? null), null);
    assert.deepEqual(log.pageErrors, []);
    assert.equal(await page.locator('body').isVisible(), true);
  });
});

describe('retry and storage', () => {
  test('retry after lost response keeps selection and receipt', async () => {
    const poll = await createPoll(site, { results: 'after-vote' });
    const { page, log } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'open');
    await page.locator(`${WIDGET} [data-og-choice=park]`).check();
    await page.locator(`${WIDGET} [data-og-choice=breite]`).check();

    // The first ballot reaches the server and is stored, but its response is lost.
    const sent = [];
    await page.route('**/api/v1/polls/*/ballots', async (route) => {
      sent.push(JSON.parse(route.request().postData() ?? '{}'));
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await page.locator(`${WIDGET} [data-og-error=unreachable]`).waitFor();

    assert.match(await widgetText(page), /Ihre Auswahl bleibt erhalten/);
    assert.equal(await page.locator(`${WIDGET} [data-og-choice=park]`).isChecked(), true, 'the selection was lost');
    assert.equal(await page.locator(`${WIDGET} [data-og-choice=breite]`).isChecked(), true, 'the selection was lost');
    assert.equal(await votes(page).then((list) => list.length), 0, 'og-vote fired without a receipt');

    // The retry goes through and resends the same ballot id.
    await page.unroute('**/api/v1/polls/*/ballots');
    await page.route('**/api/v1/polls/*/ballots', async (route) => {
      sent.push(JSON.parse(route.request().postData() ?? '{}'));
      await route.continue();
    });
    await page.locator(`${WIDGET} [data-og-retry=send]`).click();
    await waitForPollState(page, 'voted');

    assert.equal(sent.length, 2);
    assert.equal(sent[1].ballot_id, sent[0].ballot_id, 'the retry used a new ballot id');
    assert.equal(sent[1].voter_token, sent[0].voter_token);
    assert.deepEqual(sent[1].selections, { route: ['park'], ausstattung: ['breite'] });
    const receipt = await page.locator(`${WIDGET} [data-og-receipt]`).getAttribute('data-og-receipt');
    assert.equal(receipt, sent[0].ballot_id, 'the receipt is not the one of the first, stored ballot');
    await page.locator(`${WIDGET} [data-og-results=visible]`).waitFor();
    assert.equal(await page.locator(`${WIDGET} [data-og-participants]`).getAttribute('data-og-participants'), '1');
    assert.equal(ballotRequests(log).length, 2);
  });

  test('reload shows already voted', async () => {
    const poll = await createPoll(site, { results: 'after-vote' });
    const { page } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'open');
    await page.locator(`${WIDGET} [data-og-choice=fluss]`).check();
    await page.locator(`${WIDGET} [data-og-choice=licht]`).check();
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForPollState(page, 'voted');
    const receipt = await page.locator(`${WIDGET} [data-og-receipt]`).getAttribute('data-og-receipt');

    await page.reload();
    await waitForPollState(page, 'voted');

    assert.match(await widgetText(page), /Sie haben bei dieser Umfrage bereits abgestimmt/);
    assert.equal(await page.locator(`${WIDGET} [data-og-receipt]`).getAttribute('data-og-receipt'), receipt);
    assert.equal(await page.locator(`${WIDGET} form`).count(), 0, 'the form is offered again');
    // After-vote results need the stored ballot id, so they show after the reload too.
    await page.locator(`${WIDGET} [data-og-results=visible]`).waitFor();
  });

  test('second ballot from the same browser is refused', async () => {
    const poll = await createPoll(site);
    const { page } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'open');
    await page.locator(`${WIDGET} [data-og-choice=fluss]`).check();
    await page.locator(`${WIDGET} [data-og-choice=licht]`).check();
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForPollState(page, 'voted');

    // Forget the receipt but keep the voter token, as a second tab would.
    await page.evaluate((id) => {
      for (const key of Object.keys(localStorage)) {
        if (key.startsWith('ogkit.poll.vote:') && key.endsWith(`:${id}`)) localStorage.removeItem(key);
      }
    }, poll.id);
    await page.reload();
    await waitForPollState(page, 'open');
    await page.locator(`${WIDGET} [data-og-choice=park]`).check();
    await page.locator(`${WIDGET} [data-og-choice=breite]`).check();
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForPollState(page, 'voted');

    assert.match(await widgetText(page), /Von diesem Browser aus wurde bereits abgestimmt/);
    assert.equal(await votes(page).then((list) => list.length), 0, 'og-vote fired for a refused ballot');
  });
});

describe('code mode', () => {
  test('wrong, valid and used codes', async () => {
    const poll = await createPoll(site, { participation: 'code', results: 'after-vote' });
    const [code] = await issueCodes(site, poll.id, 2);

    const first = await openPoll({ poll: poll.id });
    await waitForPollState(first.page, 'open');
    const choose = async (page) => {
      await page.locator(`${WIDGET} [data-og-choice=ring]`).check();
      await page.locator(`${WIDGET} [data-og-choice=licht]`).check();
    };
    await choose(first.page);
    const input = first.page.getByLabel('Ihr Zugangscode');
    await input.fill('AAAA-BBBB-CCCC');
    await first.page.locator(`${WIDGET} [data-og-submit]`).click();
    await first.page.locator(`${WIDGET} [data-og-code-error]`).waitFor();

    const wrong = first.page.locator(`${WIDGET} [data-og-code-error]`);
    assert.match(await wrong.innerText(), /Dieser Zugangscode ist ungültig/);
    assert.ok(((await input.getAttribute('aria-describedby')) ?? '').includes(await wrong.getAttribute('id')));
    assert.equal(await input.getAttribute('aria-invalid'), 'true');

    // Lower case and no dashes are accepted, as the hint states.
    await input.fill(code.toLowerCase().replaceAll('-', ''));
    await first.page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForPollState(first.page, 'voted');
    await first.page.locator(`${WIDGET} [data-og-results=visible]`).waitFor();

    // The same code in another browser is used up.
    const second = await openPoll({ poll: poll.id });
    await waitForPollState(second.page, 'open');
    await choose(second.page);
    await second.page.getByLabel('Ihr Zugangscode').fill(code);
    await second.page.locator(`${WIDGET} [data-og-submit]`).click();
    await second.page.locator(`${WIDGET} [data-og-code-error]`).waitFor();
    assert.match(await second.page.locator(`${WIDGET} [data-og-code-error]`).innerText(), /bereits abgestimmt/);
    assert.equal(await second.page.locator(`${WIDGET} [data-og-poll]`).getAttribute('data-og-poll'), 'open');
  });
});

describe('live results and events', () => {
  test('stream updates when another client votes', async () => {
    const poll = await createPoll(site, { results: 'live' });
    const watcher = await openPoll({ poll: poll.id });
    await waitForPollState(watcher.page, 'open');
    await waitForParticipants(watcher.page, 0);

    const voter = await openPoll({ poll: poll.id });
    await waitForPollState(voter.page, 'open');
    await voter.page.locator(`${WIDGET} [data-og-choice=park]`).check();
    await voter.page.locator(`${WIDGET} [data-og-choice=baeume]`).check();
    await voter.page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForPollState(voter.page, 'voted');

    await waitForParticipants(watcher.page, 1);
    const park = watcher.page.locator(`${WIDGET} [data-og-result-choice=park]`);
    assert.equal(await park.getAttribute('data-og-count'), '1');
    assert.match(await park.innerText(), /100,0\s%\s\(1 Stimme\)/);
    assert.equal(await watcher.page.locator(`${WIDGET} [data-og-poll]`).getAttribute('data-og-poll'), 'open');

    await castBallot(site, poll.id, { route: ['fluss'], ausstattung: ['baeume'] });
    await waitForParticipants(watcher.page, 2);
    assert.match(await park.innerText(), /50,0\s%/);
    assert.equal(await watcher.page.locator(`${WIDGET} [data-og-result-choice=baeume]`).getAttribute('data-og-count'), '2');
  });

  test('og-vote bubbles with the receipt', async () => {
    const poll = await createPoll(site);
    const { page } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'open');
    await page.locator(`${WIDGET} [data-og-choice=fluss]`).check();
    await page.locator(`${WIDGET} [data-og-choice=licht]`).check();
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForPollState(page, 'voted');

    const recorded = await votes(page);
    assert.equal(recorded.length, 1);
    const [vote] = recorded;
    assert.equal(vote.bubbles, true);
    assert.equal(vote.widget, 'umfrage');
    assert.equal(vote.detail.poll, poll.id);
    assert.equal(vote.detail.receipt.poll_id, poll.id);
    assert.match(vote.detail.receipt.ballot_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(vote.detail.receipt.accepted_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const receipt = await page.locator(`${WIDGET} [data-og-receipt]`).getAttribute('data-og-receipt');
    assert.equal(vote.detail.receipt.ballot_id, receipt);
  });

  test('strict csp allows voting and bars', async () => {
    const poll = await createPoll(site, { results: 'live' });
    const { page, log } = await openPoll({ poll: poll.id });
    const response = await page.request.get(`${site.base}${pollPage({ poll: poll.id })}`);
    const policy = response.headers()['content-security-policy'] ?? '';
    assert.match(policy, /script-src[^;]*'wasm-unsafe-eval'/, `ogkit serve sends no strict CSP: "${policy}"`);
    assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'/, `the CSP allows too much: "${policy}"`);

    await waitForPollState(page, 'open');
    await page.locator(`${WIDGET} [data-og-choice=ring]`).check();
    await page.locator(`${WIDGET} [data-og-choice=breite]`).check();
    await page.locator(`${WIDGET} [data-og-submit]`).click();
    await waitForPollState(page, 'voted');
    await waitForParticipants(page, 1);

    const fill = page.locator(`${WIDGET} [data-og-result-choice=ring] .og-poll__bar-fill`);
    assert.equal(await fill.getAttribute('width'), '1000');
    assert.ok((await fill.boundingBox())?.width > 0, 'the bar is not drawn');
    assert.equal(await page.locator(`${WIDGET} [style]`).count(), 0, 'an element has a style attribute');
    assert.deepEqual(log.cspViolations, [], `CSP violations:\n${describeLog(log)}`);
    assert.deepEqual(log.pageErrors, []);
  });

  test('removed widgets close their streams', async () => {
    const poll = await createPoll(site, { results: 'live' });
    const { page, log } = await openPoll({ poll: poll.id });
    await waitForPollState(page, 'open');
    await waitForParticipants(page, 0);

    for (let round = 0; round < 20; round += 1) {
      await page.evaluate(() => {
        const widget = document.getElementById('umfrage');
        const parent = widget.parentNode;
        widget.remove();
        parent.append(widget);
      });
      await waitForPollState(page, 'open');
      await waitForParticipants(page, 0);
    }

    const streams = await page.evaluate(() => window.__ogStreams.map((stream) => stream.readyState));
    const open = streams.filter((state) => state !== EVENT_SOURCE_CLOSED).length;
    assert.ok(streams.length >= 21, `expected a stream per mount, saw ${streams.length}`);
    assert.equal(open, 1, `streams still open after 20 removals: ${JSON.stringify(streams)}`);
    assert.deepEqual(log.pageErrors, []);
  });
});
