// Where the end-to-end tests find the site under test.
//
// `cargo xtask test` starts `ogkit serve` with the demo site at `/`, the
// fixture pages of tests/site/ at `/test/` and pkg/ at `/ogkit/`, and passes
// its address in OGKIT_BASE_URL. Run directly (`node --test tests/e2e/`
// after `cargo xtask build`), the tests start a Node server with the same
// layout and the same strict CSP instead, so a test can be debugged without
// the Rust server.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startStaticServer, STRICT_CSP } from './static-server.mjs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const PKG_DIR = process.env.OGKIT_PKG_DIR ?? join(REPO_ROOT, 'pkg');
export const DEMO_DIR = process.env.OGKIT_DEMO_DIR ?? join(REPO_ROOT, 'demo');
export const FIXTURE_DIR = join(REPO_ROOT, 'tests/site');
/** The rendered docs site of `cargo xtask docs`, served under /docs/. */
export const DOCS_DIR = process.env.OGKIT_DOCS_DIR ?? join(REPO_ROOT, 'target/docs');

let baseUrlPromise = null;

/**
 * Returns the base URL of the site under test, starting a Node server with
 * the `ogkit serve` layout when OGKIT_BASE_URL is not set.
 */
export function siteUrl() {
  if (process.env.OGKIT_BASE_URL) {
    return Promise.resolve(process.env.OGKIT_BASE_URL.replace(/\/$/, ''));
  }
  if (!baseUrlPromise) {
    baseUrlPromise = startLocalSite();
  }
  return baseUrlPromise;
}

async function startLocalSite() {
  if (!existsSync(join(PKG_DIR, 'ogkit.js'))) {
    throw new Error(`${PKG_DIR}/ogkit.js is missing: run "cargo xtask build" first, or set OGKIT_BASE_URL`);
  }
  const server = await startStaticServer({
    csp: STRICT_CSP,
    routes: [
      { prefix: '/ogkit/', dir: PKG_DIR },
      { prefix: '/test/', dir: FIXTURE_DIR },
      { prefix: '/', dir: DEMO_DIR },
    ],
  });
  // One server serves every test of the file; it must not keep the test
  // process alive once the tests are done.
  server.unref();
  return server.url;
}

/** Folders that the Case 26 style servers of the tests map to URLs. */
export const SITE_ROUTES = {
  pkg: PKG_DIR,
  demo: DEMO_DIR,
  fixtures: FIXTURE_DIR,
};
