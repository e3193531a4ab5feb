// Polls for the <og-poll> tests: a running `ogkit serve` with an admin
// token, and helpers that create polls in every state through the admin API.
//
// `cargo xtask test e2e` starts `ogkit serve` with a fresh database and
// passes its address in OGKIT_BASE_URL and its admin token in
// OGKIT_ADMIN_TOKEN. Run directly (`node --test tests/e2e/poll.test.mjs`),
// the tests start target/debug/ogkit themselves on a free loopback port,
// with the same site layout and a database in a temporary folder; the
// static Node server of the other tests has no poll API.

import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DEMO_DIR, DOCS_DIR, FIXTURE_DIR, PKG_DIR, REPO_ROOT } from './site.mjs';
import { WAIT_MS } from './widgets.mjs';

let sitePromise = null;

/**
 * Returns `{base, token}`: the base URL of an `ogkit serve` with the poll
 * API and its admin token.
 */
export function pollSite() {
  if (!sitePromise) {
    sitePromise = startPollSite();
  }
  return sitePromise;
}

async function startPollSite() {
  const base = process.env.OGKIT_BASE_URL;
  const token = process.env.OGKIT_ADMIN_TOKEN;
  if (base && token) {
    return { base: base.replace(/\/$/, ''), token };
  }
  if (base) {
    throw new Error(
      'OGKIT_BASE_URL is set without OGKIT_ADMIN_TOKEN: the poll tests create their polls through the admin API; ' +
        'set both, or neither to let the tests start ogkit serve themselves',
    );
  }
  return startServer();
}

async function startServer() {
  const binary = join(REPO_ROOT, 'target/debug/ogkit');
  if (!existsSync(binary)) {
    throw new Error(`${binary} is missing: run "cargo build -p ogkit-server" first, or set OGKIT_BASE_URL`);
  }
  if (!existsSync(join(PKG_DIR, 'ogkit.js'))) {
    throw new Error(`${PKG_DIR}/ogkit.js is missing: run "cargo xtask build" first`);
  }
  const work = mkdtempSync(join(tmpdir(), 'ogkit-poll-test-'));
  const site = join(work, 'site');
  cpSync(DEMO_DIR, site, { recursive: true });
  cpSync(FIXTURE_DIR, join(site, 'test'), { recursive: true });
  const token = randomBytes(24).toString('hex');
  const logPath = join(work, 'server.log');
  const log = openSync(logPath, 'w');

  const child = spawn(
    binary,
    [
      'serve',
      '--addr',
      '127.0.0.1:0',
      '--pkg',
      PKG_DIR,
      '--demo',
      site,
      '--docs',
      DOCS_DIR,
      '--data-dir',
      join(work, 'data'),
    ],
    { env: { ...process.env, OGKIT_ADMIN_TOKEN: token, NO_COLOR: '1' }, stdio: ['ignore', log, log] },
  );
  child.unref();
  process.on('exit', () => child.kill('SIGTERM'));

  // The server logs "listening on http://ADDR" once it accepts connections.
  for (;;) {
    const match = /listening on (http:\/\/[0-9.:]+)/.exec(readFileSync(logPath, 'utf8'));
    if (match) {
      return { base: match[1], token };
    }
    if (child.exitCode !== null) {
      throw new Error(`ogkit serve exited with ${child.exitCode} before listening:\n${readFileSync(logPath, 'utf8')}`);
    }
    // A server built with the log compiled out never logs "listening".
    if (/static max level is `off`/.test(readFileSync(logPath, 'utf8'))) {
      child.kill('SIGTERM');
      throw new Error(`${binary} was built without its log: run "cargo build -p ogkit-server" again`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Returns a poll id that no earlier test run has used. */
export function uniqueId(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Returns the RFC 3339 text of now plus `hours` (negative: in the past). */
export function hoursFromNow(hours) {
  return new Date(Date.now() + hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Returns a poll definition with a single-choice and a multiple-choice
 * question, open from an hour ago for a day unless `overrides` set
 * otherwise.
 */
export function pollDefinition(overrides = {}) {
  return {
    id: uniqueId('umfrage'),
    title: 'Wo soll der neue Radweg entlanglaufen?',
    description: 'Die Stadt plant einen Radweg vom Bahnhof zur Altstadt.',
    opens_at: hoursFromNow(-1),
    closes_at: hoursFromNow(24),
    participation: 'open',
    results: 'live',
    questions: [
      {
        id: 'route',
        text: 'Welche Route bevorzugen Sie?',
        kind: 'single-choice',
        choices: [
          { id: 'fluss', label: 'Am Flussufer' },
          { id: 'ring', label: 'Entlang der Ringstraße', description: 'mit neuer Ampel am Markt' },
          { id: 'park', label: 'Durch den Stadtpark' },
        ],
      },
      {
        id: 'ausstattung',
        text: 'Was ist Ihnen am Radweg wichtig?',
        kind: 'multiple-choice',
        min_selections: 1,
        max_selections: 2,
        choices: [
          { id: 'licht', label: 'Beleuchtung' },
          { id: 'breite', label: 'Breite Fahrbahn' },
          { id: 'baeume', label: 'Schatten durch Bäume' },
        ],
      },
    ],
    ...overrides,
  };
}

async function admin(site, method, path, body) {
  const response = await fetch(`${site.base}/api/v1/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${site.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} /api/v1/admin${path}: HTTP ${response.status}: ${text}`);
  }
  return JSON.parse(text);
}

/** Creates a poll through the admin API and returns its definition. */
export async function createPoll(site, overrides = {}) {
  const poll = pollDefinition(overrides);
  await admin(site, 'POST', '/polls', poll);
  return poll;
}

/**
 * Creates the poll unless a poll with its id exists, as the demo's fixed
 * poll id needs; returns the definition.
 */
export async function ensurePoll(site, overrides) {
  const poll = pollDefinition(overrides);
  try {
    await admin(site, 'POST', '/polls', poll);
  } catch (error) {
    if (!/HTTP 409/.test(String(error))) {
      throw error;
    }
  }
  return poll;
}

/** Closes a poll now. */
export function closePoll(site, id) {
  return admin(site, 'POST', `/polls/${id}/close`);
}

/** Issues `count` invitation codes and returns them. */
export async function issueCodes(site, id, count) {
  const answer = await admin(site, 'POST', `/polls/${id}/codes`, { count });
  return answer.codes;
}

/**
 * Casts a ballot as another voter would, with a fresh voter token, and
 * returns the receipt.
 */
export async function castBallot(site, id, selections) {
  const response = await fetch(`${site.base}/api/v1/polls/${id}/ballots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ballot_id: randomUUID(), selections, voter_token: randomUUID() }),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`ballot for ${id}: HTTP ${response.status}: ${text}`);
  }
  return JSON.parse(text);
}

/** Returns the path of the fixture page that embeds `poll` with `attributes`. */
export function pollPage(attributes) {
  const query = new URLSearchParams(attributes);
  return `/test/poll.html?${query}`;
}

/** Waits until the widget shows `state` in its `data-og-poll` hook. */
export async function waitForPollState(page, state, selector = '#umfrage') {
  await page.waitForFunction(
    ({ selector, state }) => document.querySelector(`${selector} [data-og-poll]`)?.getAttribute('data-og-poll') === state,
    { selector, state },
    { timeout: WAIT_MS },
  );
}
