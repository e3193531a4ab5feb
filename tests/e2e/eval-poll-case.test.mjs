// The concurrent-votes case from the browser's side: a single-choice poll
// with the choices A, B and C. After voting, a reload shows that the voter
// has already voted, and the results. While other voters add ballots, the
// count the widget shows never goes down. The server side of the case
// (simultaneous ballots of one voter token) is tested in
// server/src/polls/tests.rs.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { describeLog } from './helpers/browser.mjs';
import { castBallot, createPoll, pollPage, pollSite, waitForPollState } from './helpers/polls.mjs';
import { useBrowser } from './helpers/session.mjs';
import { WAIT_MS } from './helpers/widgets.mjs';

const WIDGET = '#umfrage';

/** Ballots that other voters add while the page watches the count. */
const OTHER_VOTERS = 20;

const session = useBrowser();
let site;

before(async () => {
  site = await pollSite();
});

function casePoll() {
  return createPoll(site, {
    title: 'Einfache Auswahl',
    description: '',
    results: 'live',
    questions: [
      {
        id: 'q',
        text: 'Welche Variante?',
        kind: 'single-choice',
        choices: [
          { id: 'A', label: 'A' },
          { id: 'B', label: 'B' },
          { id: 'C', label: 'C' },
        ],
      },
    ],
  });
}

async function openPoll(id) {
  const opened = await session.open(`${site.base}/test/empty.html`);
  await opened.page.goto(`${site.base}${pollPage({ poll: id })}`);
  await waitForPollState(opened.page, 'open');
  return opened;
}

async function voteFor(page, choice) {
  await page.locator(`${WIDGET} [data-og-choice=${choice}]`).check();
  await page.locator(`${WIDGET} [data-og-submit]`).click();
  await waitForPollState(page, 'voted');
}

describe('single-choice poll of the concurrent-votes case', () => {
  // The case expects the words "bereits abgestimmt" in the message that a
  // returning voter reads.
  test('reload says already voted', async () => {
    const poll = await casePoll();
    const { page, log } = await openPoll(poll.id);
    await voteFor(page, 'A');

    await page.reload();
    await waitForPollState(page, 'voted');

    assert.match(await page.locator(WIDGET).innerText(), /bereits abgestimmt/);
    await page.locator(`${WIDGET} [data-og-results=visible]`).waitFor({ timeout: WAIT_MS });
    assert.equal(await page.locator(`${WIDGET} form`).count(), 0, 'the form is offered again');
    assert.deepEqual(log.pageErrors, [], describeLog(log));
  });

  test('shown count never goes down', async () => {
    const poll = await casePoll();
    const { page, log } = await openPoll(poll.id);
    await voteFor(page, 'A');
    await page.evaluate((selector) => {
      window.__ogCounts = [];
      const record = () => {
        const value = document.querySelector(`${selector} [data-og-participants]`)?.getAttribute('data-og-participants');
        if (value != null) window.__ogCounts.push(Number(value));
      };
      record();
      new MutationObserver(record).observe(document.querySelector(selector), {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-og-participants'],
      });
    }, WIDGET);

    const choices = ['A', 'B', 'C'];
    await Promise.all(
      Array.from({ length: OTHER_VOTERS }, (_, index) => castBallot(site, poll.id, { q: [choices[index % 3]] })),
    );
    await page.waitForFunction(
      ({ selector, total }) =>
        document.querySelector(`${selector} [data-og-participants]`)?.getAttribute('data-og-participants') === String(total),
      { selector: WIDGET, total: OTHER_VOTERS + 1 },
      { timeout: WAIT_MS },
    );

    const counts = await page.evaluate(() => window.__ogCounts);
    for (let index = 1; index < counts.length; index += 1) {
      assert.ok(counts[index] >= counts[index - 1], `the count went down: ${counts}`);
    }
    assert.equal(counts.at(-1), OTHER_VOTERS + 1);
    assert.deepEqual(log.pageErrors, [], describeLog(log));
  });
});
