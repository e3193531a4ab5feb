// Headless Chromium for the end-to-end tests, driven by playwright-core.
//
// Every page opened here records what the tests assert on: console
// messages, uncaught exceptions, Content-Security-Policy violations, the
// widgets' og-* events and every request. Requests to any host other than
// 127.0.0.1 are aborted, so a test can press Enter on a result whose link
// points to a city's real website without leaving this machine.

import { chromium } from 'playwright-core';

/** Flags for Debian's Chromium on a machine that reaches only loopback. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Events of the widgets that every page records, in order. */
export const WIDGET_EVENTS = ['og-search', 'og-select'];

/**
 * Starts Chromium. Playwright gives every launch a fresh `--user-data-dir`
 * of its own (it rejects one in `args`) and removes it on close.
 */
export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true });
  return { browser, close: () => browser.close() };
}

/**
 * Opens `url` in a new context and page that record console messages,
 * page errors, CSP violations, og-* events and requests.
 *
 * @param {{browser: import('playwright-core').Browser}} launched
 * @param {string} url
 * @param {{bypassCSP?: boolean, waitUntil?: string, locale?: string}} [options]
 */
export async function openPage(launched, url, options = {}) {
  const context = await launched.browser.newContext({
    bypassCSP: options.bypassCSP ?? false,
    locale: options.locale ?? 'de-DE',
    serviceWorkers: 'block',
  });
  await context.route('**/*', (route) => {
    const target = new URL(route.request().url());
    const local = target.hostname === '127.0.0.1' || ['data:', 'blob:'].includes(target.protocol);
    return local ? route.continue() : route.abort('blockedbyclient');
  });
  await context.addInitScript(recordInPage, WIDGET_EVENTS);

  const page = await context.newPage();
  const log = {
    console: [],
    pageErrors: [],
    requests: [],
    failedRequests: [],
    events: [],
    cspViolations: [],
  };
  page.on('console', (message) => {
    const text = message.text();
    if (text.startsWith('[og-test] event ')) {
      log.events.push(JSON.parse(text.slice('[og-test] event '.length)));
    } else if (text.startsWith('[og-test] csp ')) {
      log.cspViolations.push(JSON.parse(text.slice('[og-test] csp '.length)));
    } else {
      log.console.push({ type: message.type(), text });
    }
  });
  page.on('pageerror', (error) => log.pageErrors.push(String(error?.stack ?? error)));
  page.on('request', (request) => log.requests.push(request.url()));
  page.on('requestfailed', (request) =>
    log.failedRequests.push(`${request.url()}: ${request.failure()?.errorText ?? 'failed'}`),
  );

  if (url) {
    await page.goto(url, { waitUntil: options.waitUntil ?? 'load' });
  }
  return { page, context, log, close: () => context.close() };
}

/**
 * Runs in the page before any of its scripts (also under a strict CSP,
 * because Playwright installs it through the DevTools protocol, not as an
 * inline script). It reports through console messages, which survive
 * navigations, and keeps a copy on `window.__ogTest` for page-side checks.
 */
function recordInPage(eventTypes) {
  const record = { events: [], csp: [] };
  Object.defineProperty(window, '__ogTest', { value: record, configurable: true });

  document.addEventListener(
    'securitypolicyviolation',
    (event) => {
      const violation = {
        directive: event.effectiveDirective || event.violatedDirective,
        blocked: event.blockedURI,
        source: event.sourceFile,
        sample: event.sample,
      };
      record.csp.push(violation);
      console.debug(`[og-test] csp ${JSON.stringify(violation)}`);
    },
    true,
  );

  for (const type of eventTypes) {
    window.addEventListener(
      type,
      (event) => {
        const widget = event.composedPath().find((node) => node.tagName?.startsWith('OG-'));
        let detail = null;
        try {
          detail = JSON.parse(JSON.stringify(event.detail ?? null));
        } catch {
          detail = String(event.detail);
        }
        const entry = { type, detail, widget: widget?.id ?? null, bubbles: event.bubbles };
        record.events.push(entry);
        console.debug(`[og-test] event ${JSON.stringify(entry)}`);
      },
      true,
    );
  }
}

/** Formats what a page logged, for assertion messages. */
export function describeLog(log) {
  const lines = [];
  for (const error of log.pageErrors) lines.push(`page error: ${error}`);
  for (const entry of log.console) lines.push(`console.${entry.type}: ${entry.text}`);
  for (const violation of log.cspViolations) lines.push(`CSP violation: ${JSON.stringify(violation)}`);
  for (const failure of log.failedRequests) lines.push(`failed request: ${failure}`);
  return lines.length ? lines.join('\n') : '(nothing logged)';
}

/**
 * Waits until `log.events` has an entry for which `predicate` holds and
 * returns it. Reads the Node-side log, so it keeps working while the page
 * navigates away (for example after Enter on a result).
 */
export async function waitForLoggedEvent(log, predicate, description, timeoutMs = 60_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const event = log.events.find(predicate);
    if (event) {
      return event;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${description} within ${timeoutMs / 1000} s; events: ${JSON.stringify(log.events)}`);
}
