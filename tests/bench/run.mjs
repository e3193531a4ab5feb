// Runs the search benchmark in headless Chromium and writes BENCHMARKS.md.
//
//   node tests/bench/run.mjs --wasm DIR --munich FILE --leika FILE --out FILE [--size FILE]
//
// `cargo xtask bench search` builds the bench WebAssembly into DIR and
// passes the catalogues; --size names a file with the output of
// `cargo xtask size`, appended to the report. The page is served with
// cross-origin isolation, because Chromium then gives performance.now() a
// resolution of 5 µs instead of 100 µs.

import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { launchBrowser, openPage } from '../e2e/helpers/browser.mjs';
import { startStaticServer } from '../e2e/helpers/static-server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ROUNDS = 50;
const REPEAT = 10;
const BUILDS = 5;

const { values: options } = parseArgs({
  options: {
    wasm: { type: 'string' },
    munich: { type: 'string' },
    leika: { type: 'string' },
    out: { type: 'string', default: join(ROOT, 'BENCHMARKS.md') },
    size: { type: 'string' },
  },
});
for (const name of ['wasm', 'munich', 'leika']) {
  if (!options[name]) {
    console.error(`bench: --${name} is missing\nusage: node tests/bench/run.mjs --wasm DIR --munich FILE --leika FILE [--out FILE] [--size FILE]`);
    process.exit(2);
  }
}

const server = await startStaticServer({
  headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  routes: [
    { prefix: '/bench/', dir: join(ROOT, 'tests/bench') },
    { prefix: '/node_modules/', dir: join(ROOT, 'node_modules') },
    { prefix: '/wasm/', dir: resolve(options.wasm) },
    { prefix: '/catalogues/muenchen.json', file: resolve(options.munich) },
    { prefix: '/catalogues/leika.json', file: resolve(options.leika) },
    { prefix: '/eval/', dir: join(ROOT, 'data/eval') },
  ],
});
const launched = await launchBrowser();

let report;
try {
  const { page, log } = await openPage(launched, `${server.url}/bench/index.html`);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 }).catch((error) => {
    throw new Error(`the benchmark page did not load: ${error.message}\n${JSON.stringify(log, null, 1)}`);
  });
  report = await page.evaluate(
    (config) => window.runBenchmark(config),
    {
      rounds: ROUNDS,
      repeat: REPEAT,
      builds: BUILDS,
      catalogues: [
        { name: 'München (DLDB)', url: '/catalogues/muenchen.json', queriesUrl: '/eval/search-muenchen.tsv', k: 3 },
        { name: 'LeiKa (OZG NRW)', url: '/catalogues/leika.json', queriesUrl: '/eval/search-leika.tsv', k: 5 },
      ],
    },
  );
  report.chromium = launched.browser.version();
} finally {
  await launched.close();
  await server.close();
}

const markdown = formatReport(report, options.size ? readFileSync(options.size, 'utf8') : null);
writeFileSync(options.out, markdown);
console.log(markdown);

function formatReport(report, sizeOutput) {
  const packageVersion = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [];
  const microseconds = (ms) => `${(ms * 1000).toFixed(ms * 1000 < 10 ? 1 : 0)} µs`;
  const milliseconds = (ms) => `${ms.toFixed(1)} ms`;
  const percent = (fraction) => `${(fraction * 100).toFixed(0)} %`;

  lines.push('# Benchmarks', '');
  lines.push('Written by `cargo xtask bench search`; rerun it to update this page. The numbers are from one run on');
  lines.push('the machine below, so compare the ratios rather than the absolute times.', '');
  lines.push('## Search', '');
  lines.push(`- Date: ${new Date().toISOString().slice(0, 10)}`);
  lines.push(`- Machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, shared with other work while measuring`);
  lines.push(`- Browser: headless Chromium ${report.chromium}, cross-origin isolated: ${report.crossOriginIsolated} (timer resolution 5 µs when true, 100 µs when false)`);
  lines.push(`- Engines: ogkit (ogkit_core::search::Index in WebAssembly, built with the shipping size-optimised profile), MiniSearch ${packageVersion('minisearch')}, Fuse.js ${packageVersion('fuse.js')}`);
  lines.push('');
  lines.push('Method:', '');
  lines.push('- All engines run in the same page. Each gets the catalogue as `JSON.parse` returns it; the peers index the fields');
  lines.push('  name, keywords and description (summary plus description text) with boosts 3, 2 and 1.');
  lines.push('- MiniSearch: `prefix: true, fuzzy: 0.2` and a `processTerm` that folds German (lower case, marks removed, ß as ss,');
  lines.push('  ae/oe/ue as a/o/u). Fuse.js: `threshold: 0.35, ignoreLocation: true, ignoreDiacritics: true`, data and query');
  lines.push('  folded the same way. ogkit folds internally.');
  lines.push(`- Build: median of ${BUILDS} index builds from the parsed catalogue, including each engine's own conversion.`);
  lines.push(`- Query: every query of \`data/eval/search-*.tsv\` once as warm-up, then ${ROUNDS} rounds. Each sample is the mean of`);
  lines.push(`  ${REPEAT} back-to-back calls, timed with performance.now() around the call, including the crossing into WebAssembly`);
  lines.push('  and the mapping of hits to ids (ogkit) or the query folding and mapping of results to ids (peers).');
  lines.push('- Recall@k: share of labelled queries (kind other than `none`) with an expected id among the first k hits:');
  lines.push('  k = 3 for München, k = 5 for LeiKa. "none with hits" counts queries that should find nothing but got hits.');
  lines.push('');

  for (const catalogue of [...new Set(report.results.map((result) => result.catalogue))]) {
    const rows = report.results.filter((result) => result.catalogue === catalogue);
    const first = rows[0];
    lines.push(`### ${catalogue}: ${first.services} services, ${first.queries} queries (${first.labelled} labelled)`, '');
    lines.push(`| engine | index build | query median | query p95 | recall@${first.k} | none with hits |`);
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const row of rows) {
      lines.push(
        `| ${row.engine} | ${milliseconds(row.buildMs)} | ${microseconds(row.queryMedianMs)} | ${microseconds(row.queryP95Ms)} | ${percent(row.recall)} (${row.found}/${row.labelled}) | ${row.noneWithHits}/${row.noneQueries} |`,
      );
    }
    lines.push('');

    const ogkit = rows.find((row) => row.engine === 'ogkit');
    for (const peer of rows.filter((row) => row !== ogkit)) {
      const speedup = peer.queryMedianMs / ogkit.queryMedianMs;
      const recallGap = ((ogkit.recall - peer.recall) * 100).toFixed(0);
      lines.push(
        `- ogkit vs ${peer.engine}: median query ${speedup.toFixed(1)}× ${speedup >= 1 ? 'faster' : 'slower'}, p95 ${(peer.queryP95Ms / ogkit.queryP95Ms).toFixed(1)}×, recall ${recallGap >= 0 ? '+' : ''}${recallGap} points.`,
      );
    }
    lines.push(`- ogkit misses: ${ogkit.misses.length ? ogkit.misses.map((query) => `"${query}"`).join(', ') : 'none'}`);
    lines.push('');
  }

  lines.push('Targets: median query faster than MiniSearch and at least 20× faster than Fuse.js, with higher recall than both.');
  lines.push('');
  if (sizeOutput) {
    lines.push('## Bundle size', '');
    lines.push('Output of `cargo xtask size` for the shipped `pkg/` (target: at most 120 KB gzipped in total):', '');
    lines.push('```', sizeOutput.trimEnd(), '```', '');
  }
  return lines.join('\n');
}
