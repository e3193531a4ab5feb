// Runs the search benchmark in headless Chromium and writes BENCHMARKS.md.
//
//   node tests/bench/run.mjs --wasm DIR --munich FILE --leika FILE --out FILE [--size FILE]
//
// `cargo xtask bench search` builds the bench WebAssembly into DIR and
// passes the catalogues; --size names a file with the output of
// `cargo xtask size`, appended to the report. The page is served with
// cross-origin isolation, because Chromium then gives performance.now() a
// resolution of 5 µs instead of 100 µs.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { launchBrowser, openPage } from '../e2e/helpers/browser.mjs';
import { startStaticServer } from '../e2e/helpers/static-server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ROUNDS = 50;
// One call per sample: with cross-origin isolation the timer resolves 5 µs,
// fine enough for queries that take 100 µs or more.
const REPEAT = 1;
const BUILDS = 5;
// Fuse.js takes tens of milliseconds per query on these catalogues, so 50
// full rounds would take half an hour; each engine gets this much time per
// catalogue and the table reports how many rounds it completed.
const BUDGET_MS = 60_000;

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

// The labelled LeiKa queries name services by the `id` column of the LeiKa
// table, while the demo catalogue is imported from the joined catalogue and
// uses LeiKa keys as ids. Both CSV files list the services in the same
// order, so row i of the table is service i of the catalogue; a row is only
// mapped when the names agree (ignoring runs of spaces).
const leikaIdMap = mapLeikaIds(
  join(ROOT, 'data/services/ozg_nrw_2019_leika_leistungen.csv'),
  JSON.parse(readFileSync(resolve(options.leika), 'utf8')),
);

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
  page.on('crash', () => console.error('bench: the Chromium page crashed'));
  page.on('console', (message) => console.error(`bench: page console: ${message.text()}`));
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 }).catch((error) => {
    throw new Error(`the benchmark page did not load: ${error.message}\n${JSON.stringify(log, null, 1)}`);
  });
  report = await page.evaluate(
    (config) => window.runBenchmark(config),
    {
      rounds: ROUNDS,
      repeat: REPEAT,
      builds: BUILDS,
      budgetMs: BUDGET_MS,
      catalogues: [
        { name: 'München (DLDB)', url: '/catalogues/muenchen.json', queriesUrl: '/eval/search-muenchen.tsv', k: 3 },
        {
          name: 'LeiKa (OZG NRW)',
          url: '/catalogues/leika.json',
          queriesUrl: '/eval/search-leika.tsv',
          k: 5,
          idMap: leikaIdMap.map,
        },
      ],
    },
  );
  report.chromium = launched.browser.version();
  report.leikaMapped = leikaIdMap.mapped;
  report.leikaUnmapped = leikaIdMap.unmapped;
} finally {
  await launched.close();
  await server.close();
}

mkdirSync(join(ROOT, 'target/bench'), { recursive: true });
writeFileSync(join(ROOT, 'target/bench/report.json'), JSON.stringify(report, null, 1));
const markdown = formatReport(report, options.size ? readFileSync(options.size, 'utf8') : null);
writeFileSync(options.out, markdown);
console.log(markdown);

/**
 * Returns a map from the LeiKa table's `id` to the id of the service at the
 * same position in `catalogue`, with counts of mapped and unmapped rows.
 */
function mapLeikaIds(csvPath, catalogue) {
  const rows = parseCsv(readFileSync(csvPath, 'utf8'));
  const header = rows.shift();
  const idColumn = header.indexOf('id');
  const nameColumn = header.indexOf('name');
  const squeeze = (text) => (text ?? '').replace(/\s+/g, ' ').trim();
  const map = {};
  let unmapped = 0;
  rows.forEach((row, position) => {
    const service = catalogue.services[position];
    if (service && squeeze(service.name) === squeeze(row[nameColumn])) {
      map[row[idColumn]] = service.id;
    } else {
      unmapped += 1;
    }
  });
  return { map, mapped: Object.keys(map).length, unmapped };
}

/** Parses CSV with double-quoted fields (RFC 4180), returning rows of fields. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += char;
    }
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Describes how ogkit's time compares with a peer's, e.g. "3.1× faster (120 µs vs 372 µs)". */
function compare(ogkitMs, peerMs) {
  const detail = `(${(ogkitMs * 1000).toFixed(0)} µs vs ${(peerMs * 1000).toFixed(0)} µs)`;
  if (ogkitMs <= peerMs) {
    return `${(peerMs / ogkitMs).toFixed(1)}× faster ${detail}`;
  }
  return `${(ogkitMs / peerMs).toFixed(1)}× slower ${detail}`;
}

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
  lines.push(`- Query: every query of \`data/eval/search-*.tsv\` (labelled and \`none\`) once as warm-up, then up to ${ROUNDS} rounds,`);
  lines.push(`  stopping early when an engine has used ${BUDGET_MS / 1000} s on a catalogue (column "rounds"). Each sample is ${REPEAT === 1 ? 'one call' : `the mean of ${REPEAT} calls`},`);
  lines.push('  timed with performance.now() around the call, including the crossing into WebAssembly and the mapping of hits');
  lines.push('  to ids (ogkit) or the query folding and the mapping of results to ids (peers).');
  lines.push('- Recall@k: share of labelled queries (kind other than `none`) with an expected id among the first k hits:');
  lines.push('  k = 3 for München, k = 5 for LeiKa. "none with hits" counts queries that should find nothing but got hits');
  lines.push('  (ogkit\'s hits marked weak count as hits here).');
  lines.push('- The LeiKa queries name services by the `id` column of `ozg_nrw_2019_leika_leistungen.csv`; the demo catalogue');
  lines.push('  is imported from the joined catalogue with LeiKa keys as ids. The rows of both files are in the same order, so');
  lines.push(`  expected ids are translated by position where the names agree (${report.leikaMapped} rows mapped, ${report.leikaUnmapped} not).`);
  lines.push('');

  for (const catalogue of [...new Set(report.results.map((result) => result.catalogue))]) {
    const rows = report.results.filter((result) => result.catalogue === catalogue);
    const first = rows[0];
    lines.push(`### ${catalogue}: ${first.services} services, ${first.queries} queries (${first.labelled} labelled)`, '');
    lines.push(`| engine | index build | query median | query p95 | rounds | recall@${first.k} | none with hits |`);
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const row of rows) {
      lines.push(
        `| ${row.engine} | ${milliseconds(row.buildMs)} | ${microseconds(row.queryMedianMs)} | ${microseconds(row.queryP95Ms)} | ${row.rounds} | ${percent(row.recall)} (${row.found}/${row.labelled}) | ${row.noneWithHits}/${row.noneQueries} |`,
      );
    }
    lines.push('');

    const ogkit = rows.find((row) => row.engine === 'ogkit');
    for (const peer of rows.filter((row) => row !== ogkit)) {
      const recallGap = Math.round((ogkit.recall - peer.recall) * 100);
      lines.push(
        `- ogkit vs ${peer.engine}: median query ${compare(ogkit.queryMedianMs, peer.queryMedianMs)}, ` +
          `p95 ${compare(ogkit.queryP95Ms, peer.queryP95Ms)}, recall ${recallGap >= 0 ? '+' : ''}${recallGap} points.`,
      );
    }
    lines.push(`- ogkit misses: ${ogkit.misses.length ? ogkit.misses.map((query) => `"${query}"`).join(', ') : 'none'}`);
    lines.push('');
  }

  lines.push('Targets: median query faster than MiniSearch and at least 20× faster than Fuse.js, with higher recall than both.');
  lines.push('');
  for (const catalogue of [...new Set(report.results.map((result) => result.catalogue))]) {
    const rows = report.results.filter((result) => result.catalogue === catalogue);
    const ogkit = rows.find((row) => row.engine === 'ogkit');
    const mini = rows.find((row) => row.engine.startsWith('MiniSearch'));
    const fuse = rows.find((row) => row.engine.startsWith('Fuse'));
    const verdict = (met) => (met ? 'met' : 'not met');
    lines.push(
      `- ${catalogue}: faster than MiniSearch ${verdict(ogkit.queryMedianMs < mini.queryMedianMs)}; ` +
        `20× faster than Fuse.js ${verdict(fuse.queryMedianMs / ogkit.queryMedianMs >= 20)}; ` +
        `higher recall than both ${verdict(ogkit.recall > mini.recall && ogkit.recall > fuse.recall)}.`,
    );
  }
  lines.push('');
  if (sizeOutput) {
    lines.push('## Bundle size', '');
    lines.push(
      'Output of `cargo xtask size --widgets og-service-search`: the kit that a page with a service search ' +
        'downloads (target: at most 120 KB as shipped in gzip format):',
      '',
    );
    lines.push('```', sizeOutput.trimEnd(), '```', '');
  }
  return lines.join('\n');
}
