// Shared set-up of a test file: one Chromium per file, the site's base URL,
// and pages that are closed after each test.

import { after, afterEach, before } from 'node:test';

import { launchBrowser, openPage } from './browser.mjs';
import { siteUrl } from './site.mjs';

/**
 * Registers before/after hooks for the calling test file and returns an
 * object whose `open(path, options)` opens a recording page on the site.
 */
export function useBrowser() {
  const session = { base: null, launched: null, pages: [] };

  before(async () => {
    session.base = await siteUrl();
    session.launched = await launchBrowser();
  });

  afterEach(async () => {
    for (const opened of session.pages.splice(0)) {
      await opened.close().catch(() => {});
    }
  });

  after(async () => {
    await session.launched?.close();
  });

  session.open = async (pathOrUrl, options = {}) => {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${session.base}${pathOrUrl}`;
    const opened = await openPage(session.launched, url, options);
    session.pages.push(opened);
    return opened;
  };

  return session;
}
