// Forms for the <og-form> tests: a running `ogkit serve` with the
// submission API and the test schemas of tests/site/formulare/ registered.
//
// `cargo xtask test e2e` starts `ogkit serve --forms-dir` with those
// schemas and passes its address in OGKIT_BASE_URL. Run directly, the
// tests use the server of helpers/polls.mjs (target/debug/ogkit on a free
// port). Either way every schema is registered again through the admin
// API, which changes nothing for a schema that is already registered, and
// the demo's schemas are registered too, for the demo page.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import { pollSite } from './polls.mjs';
import { DEMO_DIR, FIXTURE_DIR } from './site.mjs';
import { WAIT_MS } from './widgets.mjs';

const SCHEMA_DIRS = [join(FIXTURE_DIR, 'formulare'), join(DEMO_DIR, 'formulare')];

let sitePromise = null;

/** Returns `{base, token}` of an `ogkit serve` with every test form registered. */
export function formSite() {
  if (!sitePromise) {
    sitePromise = registerForms();
  }
  return sitePromise;
}

async function registerForms() {
  const site = await pollSite();
  for (const dir of SCHEMA_DIRS) {
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
      const id = basename(file, '.json');
      const response = await fetch(`${site.base}/api/v1/admin/forms/${id}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${site.token}`, 'content-type': 'application/json' },
        body: readFileSync(join(dir, file), 'utf8'),
      });
      if (!response.ok) {
        throw new Error(`registering form ${id} failed: HTTP ${response.status}: ${await response.text()}`);
      }
    }
  }
  return site;
}

/** Returns the path of the fixture page that embeds a form with `attributes`. */
export function formPage(attributes) {
  return `/test/form.html?${new URLSearchParams(attributes)}`;
}

/** Waits until the form shows `formPageName`: a 1-based step, `check` or `done`. */
export async function waitForFormPage(page, formPageName, selector = '#formular') {
  await page.waitForFunction(
    ({ selector, formPageName }) =>
      document.querySelector(`${selector} [data-og-page]`)?.getAttribute('data-og-page') === String(formPageName),
    { selector, formPageName },
    { timeout: WAIT_MS },
  );
}

/** Returns what has focus: its id, or the data-og hooks that it carries. */
export function focusedElement(page) {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (!active) return null;
    const hooks = Object.fromEntries(
      [...active.attributes].filter((attribute) => attribute.name.startsWith('data-og-')).map((a) => [a.name, a.value]),
    );
    return { id: active.id, tag: active.tagName.toLowerCase(), hooks };
  });
}
