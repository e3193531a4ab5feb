// How the tests find, drive and read the widgets, through their stable hooks
// only (element names, `input[type=search]`, `data-og-hit`, `data-id`,
// og-* events), never through class names.
//
// WIDGETS lists, per element, the markup a generic test can embed and the
// selector that shows it has mounted. The loader, CSP and multi-instance
// tests loop over it, so a new widget joins them by adding an entry here
// and its fixture data under tests/site/.

/** Widgets that the generic embedding tests cover. */
export const WIDGETS = [
  {
    tag: 'og-service-search',
    // Attributes that make the widget render real content from fixture data.
    attributes: { src: '/test/catalogues/services.json' },
    // Present once the widget has replaced its fallback with its own UI.
    mounted: 'input[type=search]',
  },
  {
    tag: 'og-form',
    attributes: { schema: '/test/formulare/test-antrag.json' },
    mounted: '[data-og-page]',
  },
];

/** Default time to wait for a widget condition; generous for a busy CI machine. */
export const WAIT_MS = 60_000;

/**
 * Waits until the element matching `selector` has mounted, that is, until
 * it contains `mountedSelector`.
 */
export async function waitForMount(page, selector, mountedSelector = 'input[type=search]') {
  await page.waitForFunction(
    ({ selector, mountedSelector }) => document.querySelector(selector)?.querySelector(mountedSelector) != null,
    { selector, mountedSelector },
    { timeout: WAIT_MS },
  );
}

/** Returns the search input of the widget matching `selector`. */
export function searchInput(page, selector) {
  return page.locator(`${selector} input[type=search]`);
}

/** Returns the `data-id` of every hit of the widget, in rank order. */
export function hitIds(page, selector) {
  return page.evaluate(
    (selector) =>
      [...(document.querySelector(selector)?.querySelectorAll('[data-og-hit]') ?? [])].map((hit) =>
        hit.getAttribute('data-id'),
      ),
    selector,
  );
}

/** Returns the visible text of every hit of the widget, in rank order. */
export function hitTexts(page, selector) {
  return page.evaluate(
    (selector) =>
      [...(document.querySelector(selector)?.querySelectorAll('[data-og-hit]') ?? [])].map((hit) => hit.textContent),
    selector,
  );
}

/**
 * Sets the query of a widget's search input as a paste would, and waits
 * until the widget has announced the search with an og-search event whose
 * query matches, and its list has been rendered. Returns the event's detail.
 */
export async function search(page, selector, query) {
  await searchInput(page, selector).fill(query);
  return waitForSearch(page, selector, query);
}

/**
 * Waits for the og-search event of `query` from the widget matching
 * `selector`, then for two animation frames so the list is painted.
 * Returns the event's detail.
 */
export async function waitForSearch(page, selector, query) {
  const handle = await page.waitForFunction(
    ({ selector, query }) => {
      const widget = document.querySelector(selector);
      const events = window.__ogTest.events.filter(
        (event) => event.type === 'og-search' && (event.widget === widget?.id || !widget?.id),
      );
      const last = events.at(-1);
      return last && last.detail?.query === query ? last.detail : null;
    },
    { selector, query },
    { timeout: WAIT_MS },
  );
  const detail = await handle.jsonValue();
  await nextFrames(page);
  return detail;
}

/**
 * Waits until `check(ids)` holds for the widget's hit ids, so a test can
 * wait for results without knowing how the widget debounces typing.
 */
export async function waitForHits(page, selector, check, description) {
  const started = Date.now();
  let ids = [];
  while (Date.now() - started < WAIT_MS) {
    ids = await hitIds(page, selector);
    if (check(ids)) {
      return ids;
    }
    await page.waitForTimeout(50);
  }
  throw new Error(`${selector}: hits never satisfied "${description}"; last hits: ${JSON.stringify(ids)}`);
}

/** Waits until the widget's visible text matches `pattern` and returns it. */
export async function waitForText(page, selector, pattern) {
  const handle = await page.waitForFunction(
    ({ selector, source, flags }) => {
      const text = document.querySelector(selector)?.innerText ?? '';
      return new RegExp(source, flags).test(text) ? text : null;
    },
    { selector, source: pattern.source, flags: pattern.flags },
    { timeout: WAIT_MS },
  );
  return handle.jsonValue();
}

/** Resolves after two animation frames in the page. */
export function nextFrames(page) {
  return page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );
}

/**
 * Returns the ids that occur more than once in the document, and the
 * `for`, `aria-labelledby`, `aria-describedby`, `aria-controls` and
 * `aria-activedescendant` references inside each `og-*` element that point
 * to no element inside that same element.
 */
export function idProblems(page) {
  return page.evaluate(() => {
    const counts = new Map();
    for (const element of document.querySelectorAll('[id]')) {
      counts.set(element.id, (counts.get(element.id) ?? 0) + 1);
    }
    const duplicates = [...counts].filter(([, count]) => count > 1).map(([id]) => id);

    const dangling = [];
    const widgets = [...document.querySelectorAll('*')].filter((element) => element.tagName.startsWith('OG-'));
    const attributes = ['for', 'aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-activedescendant'];
    for (const widget of widgets) {
      for (const attribute of attributes) {
        for (const element of widget.querySelectorAll(`[${attribute}]`)) {
          for (const id of element.getAttribute(attribute).split(/\s+/).filter(Boolean)) {
            const target = document.getElementById(id);
            if (!target || !widget.contains(target)) {
              dangling.push(`${widget.id || widget.tagName}: ${attribute}="${id}"`);
            }
          }
        }
      }
    }
    return { duplicates, dangling };
  });
}
