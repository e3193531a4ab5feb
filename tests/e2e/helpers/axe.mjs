// Accessibility checks with axe-core, under the page's own CSP.
//
// A strict CSP blocks inline script tags, so axe is not added as a
// <script>. Playwright evaluates its source through the DevTools protocol,
// which the page's CSP does not govern, so the page keeps the same policy
// as in production while axe runs.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.1 level A and AA rules; the level ogkit promises. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe over the page (or only over `selector`) and returns its
 * violations.
 *
 * @param {import('playwright-core').Page} page
 * @param {string} [selector]
 */
export async function axeViolations(page, selector) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) {
    await page.evaluate(`${AXE_SOURCE}\n;undefined`);
  }
  return page.evaluate(
    async ({ selector, tags }) => {
      const context = selector ? { include: [selector] } : document;
      const results = await window.axe.run(context, { runOnly: { type: 'tag', values: tags } });
      return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        helpUrl: violation.helpUrl,
        nodes: violation.nodes.map((node) => ({
          target: node.target.join(' '),
          html: node.html,
          summary: node.failureSummary,
        })),
      }));
    },
    { selector, tags: WCAG_TAGS },
  );
}

/** Formats axe violations as readable text for an assertion message. */
export function formatViolations(violations) {
  return violations
    .map((violation) => {
      const nodes = violation.nodes
        .map((node) => `    at ${node.target}\n      ${node.html}\n      ${node.summary?.replace(/\n/g, '\n      ')}`)
        .join('\n');
      return `  ${violation.id} (${violation.impact}): ${violation.help}\n    ${violation.helpUrl}\n${nodes}`;
    })
    .join('\n');
}
