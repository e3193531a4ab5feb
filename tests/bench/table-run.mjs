// Runs the data table benchmark in headless Chromium and writes its report.
//
//   node tests/bench/table-run.mjs --wasm DIR --csv FILE --out FILE [--size FILE]
//
// `cargo xtask bench table` generates FILE, builds the bench WebAssembly
// into DIR and passes --size, a JSON file with the gzip sizes of the widget
// bundle with and without the data-table feature. Every engine and phase
// runs in a fresh browser context of one Chromium, so one engine's memory
// does not count for the next.

import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { chromium } from 'playwright-core';

import { CHROMIUM_FLAGS } from '../e2e/helpers/browser.mjs';
import { startStaticServer } from '../e2e/helpers/static-server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PARSE_RUNS = 3;
const GRID = {
  rows: 100_000,
  textColumn: 'Straße',
  numberColumn: 'Betrag',
  filterColumn: 'Bemerkung',
  filterText: 'überla',
  rounds: 3,
};
const CHUNK_BYTES = 65_536;

const { values: options } = parseArgs({
  options: {
    wasm: { type: 'string' },
    csv: { type: 'string' },
    out: { type: 'string' },
    size: { type: 'string' },
  },
});
for (const name of ['wasm', 'csv', 'out']) {
  if (!options[name]) {
    console.error(`bench: --${name} is missing\nusage: node tests/bench/table-run.mjs --wasm DIR --csv FILE --out FILE [--size FILE]`);
    process.exit(2);
  }
}

const server = await startStaticServer({
  headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  routes: [
    { prefix: '/bench/', dir: join(ROOT, 'tests/bench') },
    { prefix: '/node_modules/', dir: join(ROOT, 'node_modules') },
    { prefix: '/wasm/', dir: resolve(options.wasm) },
    { prefix: '/table.csv', file: resolve(options.csv) },
  ],
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [...CHROMIUM_FLAGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  headless: true,
});

const results = {};
try {
  for (const [phase, engine, settings] of [
    ['parse', 'ogkit', { runs: PARSE_RUNS, chunkBytes: CHUNK_BYTES }],
    ['parse', 'papaparse', { runs: PARSE_RUNS }],
    ['grid', 'ogkit', GRID],
    ['grid', 'tabulator', GRID],
  ]) {
    console.log(`bench: ${phase} with ${engine}`);
    results[`${phase}:${engine}`] = await runInFreshContext({ phase, engine, csvUrl: '/table.csv', ...settings });
  }
  results.chromium = browser.version();
} finally {
  await browser.close();
  await server.close();
}

writeFileSync(join(dirname(resolve(options.out)), 'table-report.json'), JSON.stringify(results, null, 1));
const size = options.size ? JSON.parse(readFileSync(options.size, 'utf8')) : null;
const markdown = formatReport(results, size);
writeFileSync(options.out, markdown);
console.log(markdown);

async function runInFreshContext(config) {
  const context = await browser.newContext({ locale: 'de-DE', serviceWorkers: 'block' });
  await context.route('**/*', (route) => {
    const target = new URL(route.request().url());
    return target.hostname === '127.0.0.1' ? route.continue() : route.abort('blockedbyclient');
  });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error?.stack ?? error)));
    page.on('console', (message) => console.error(`bench: page console: ${message.text()}`));
    await page.goto(`${server.url}/bench/table.html`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 }).catch((error) => {
      throw new Error(`the benchmark page did not load: ${error.message}\n${errors.join('\n')}`);
    });
    return await page.evaluate((settings) => window.runTable(settings), config);
  } finally {
    await context.close();
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function formatReport(results, size) {
  const version = (name) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
  const ms = (value) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  const verdict = (met) => (met ? 'met' : 'not met');

  const ogkitParse = results['parse:ogkit'];
  const papaParse = results['parse:papaparse'];
  const ogkitGrid = results['grid:ogkit'];
  const tabulator = results['grid:tabulator'];
  const throughput = (result) => result.bytes / 1e6 / (median(result.times) / 1000);
  const parseRatio = throughput(ogkitParse) / throughput(papaParse);
  const rows = [
    ['sort by text (Straße)', median(ogkitGrid.sortText), median(tabulator.sortText)],
    ['sort by number (Betrag)', median(ogkitGrid.sortNumber), median(tabulator.sortNumber)],
    ['filter keystroke (median)', median(ogkitGrid.keystrokes), median(tabulator.keystrokes)],
    ['first filter keystroke, after idle folding', ogkitGrid.firstKeystroke, tabulator.firstKeystroke],
  ];
  const memoryLine = (name, memory) =>
    `| ${name} | ${mb(memory.heapPeak)} | ${mb(memory.heapRetained)} | ${mb(memory.wasm)} | ${mb(memory.heapPeak + memory.wasm)} |`;

  const lines = [];
  lines.push('## Data table', '');
  lines.push('Written by `cargo xtask bench table`; rerun it to update this section. One run on the machine below, so');
  lines.push('compare the ratios rather than the absolute times.', '');
  lines.push(`- Date: ${new Date().toISOString().slice(0, 10)}`);
  lines.push(`- Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, shared with other work while measuring`);
  lines.push(`- Browser: headless Chromium ${results.chromium} with \`--enable-precise-memory-info --js-flags=--expose-gc\`, cross-origin isolated: ${ogkitParse.crossOriginIsolated}`);
  lines.push(`- Engines: ogkit (\`ogkit_core::table\` in WebAssembly, built as shipped: profile wasm-release with opt-level 3 for the \`ogkit-table\` crate and "z" for the rest, then wasm-opt -Oz), PapaParse ${version('papaparse')}, Tabulator ${version('tabulator-tables')} (TabulatorFull)`);
  lines.push(`- Data: \`target/bench/table.csv\`, ${mb(ogkitParse.bytes)} generated by xtask from a fixed seed: ${ogkitParse.summary.rows} rows of`);
  lines.push('  `Nr;Datum;Stadtteil;Straße;Kategorie;Betrag;Menge;Anteil;Bemerkung` with semicolons, CRLF, dates as');
  lines.push('  `TT.MM.JJJJ`, amounts like `1.234.567,89` (2 % empty), shares like `0,35`, text with umlauts and ß, and every');
  lines.push('  tenth remark quoted with a semicolon and doubled quotes.');
  lines.push('');
  lines.push('Method:', '');
  lines.push(`- Parse and type: the whole file as bytes already in the page, median of ${PARSE_RUNS} runs. ogkit: \`CsvReader\` fed in`);
  lines.push(`  ${CHUNK_BYTES / 1024} KiB chunks, detecting encoding, delimiter and header, then typing every column (\`finish\`), including the`);
  lines.push('  copy of the bytes into WebAssembly. PapaParse: `TextDecoder`, then `Papa.parse(text, { header: true,');
  lines.push('  dynamicTyping: true, skipEmptyLines: true })` with the delimiter detected, then a German typing step in');
  lines.push('  JavaScript that checks every column for German numbers or dates and converts them (dynamic typing alone');
  lines.push('  reads `1.234,56` as text and `1.234` as 1.234).');
  lines.push(`- Sort and filter: the first ${GRID.rows} rows of the same file; ogkit reads them with \`BenchTable\`, Tabulator gets`);
  lines.push('  the rows that PapaParse plus the typing step produce (not timed). Sorts alternate ascending and descending,');
  lines.push(`  ${GRID.rounds} rounds; a filter keystroke is one more letter of "${GRID.filterText}" in a contains filter on \`${GRID.filterColumn}\`, typed`);
  lines.push(`  ${GRID.rounds} times. ogkit: ${ogkitGrid.measured}. Tabulator: ${tabulator.measured}.`);
  lines.push('  Tabulator\'s text sorter compares with `localeCompare(…, "de")`; its number sorter compares numbers.');
  lines.push('- Memory: JS heap from `performance.memory.usedJSHeapSize` (precise), each engine in a fresh browser context.');
  lines.push('  "JS heap peak" is the largest heap in use seen right after a timed call, before garbage collection, minus the');
  lines.push('  heap before the engine started; a collection during the call can hide a higher peak. "retained" is after');
  lines.push('  `gc()` at the end. "wasm" is the growth of ogkit\'s WebAssembly memory, which never shrinks and so is its peak.');
  lines.push('  The file\'s bytes live outside the JS heap in both cases and are not counted.');
  lines.push('');
  lines.push('### Parse and type', '');
  lines.push('| engine | median | throughput | rows | issues or errors |');
  lines.push('| --- | ---: | ---: | ---: | ---: |');
  lines.push(`| ogkit | ${ms(median(ogkitParse.times))} | ${throughput(ogkitParse).toFixed(1)} MB/s | ${ogkitParse.summary.rows} | ${ogkitParse.summary.issues} |`);
  lines.push(`| PapaParse + German typing | ${ms(median(papaParse.times))} | ${throughput(papaParse).toFixed(1)} MB/s | ${papaParse.summary.rows} | ${papaParse.summary.issues} |`);
  lines.push('');
  lines.push(`- ogkit column types: ${ogkitParse.summary.types.join(', ')}`);
  lines.push(`- PapaParse column types: ${papaParse.summary.types.join(', ')}`);
  lines.push(`- Throughput ratio ogkit / PapaParse: ${parseRatio.toFixed(2)}×`);
  lines.push('');
  lines.push(`### Sort and filter, ${ogkitGrid.rows} rows`, '');
  lines.push('| operation | ogkit | Tabulator | Tabulator / ogkit |');
  lines.push('| --- | ---: | ---: | ---: |');
  for (const [name, ours, theirs] of rows) {
    lines.push(`| ${name} | ${ms(ours)} | ${ms(theirs)} | ${(theirs / ours).toFixed(1)}× |`);
  }
  lines.push('');
  const agree = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  lines.push(`- Rows left per keystroke, ogkit: ${JSON.stringify(ogkitGrid.matches)}; Tabulator: ${JSON.stringify(tabulator.matches)} (${agree(ogkitGrid.matches, tabulator.matches) ? 'equal' : 'different'}).`);
  lines.push('  ogkit folds German text before comparing, so "ü" also finds a plain "u"; Tabulator\'s `like` only lowercases.');
  lines.push(`- First row (Nr) after each sort, ogkit: ${JSON.stringify(ogkitGrid.firstRowsSorted)}; Tabulator: ${JSON.stringify(tabulator.firstRowsSorted)}.`);
  lines.push('  ogkit puts rows without a value last in both directions; Tabulator\'s number sorter puts empty cells first when ascending.');
  const idle = ogkitGrid.idle;
  lines.push(`- Idle folding: after loading, the widget folds the texts of every column for search (German folding, once per`);
  lines.push(`  column) in idle time. Here that took ${ms(idle.total)} in ${idle.slices} slices of at most ${ms(idle.longest)}, between`);
  lines.push('  idle periods, before the sorts and keystrokes above. Tabulator prepares its rows when the table is built.');
  lines.push(`- A first keystroke typed before the idle folding ends folds its column itself: ${ms(ogkitGrid.unpreparedKeystroke)} for`);
  lines.push(`  "${GRID.filterText.slice(0, 1)}" on a fresh table, against ${ms(tabulator.firstKeystroke)} for Tabulator's first keystroke.`);
  lines.push('');
  lines.push('### Memory', '');
  lines.push('| engine and phase | JS heap peak | JS heap retained | wasm | peak total |');
  lines.push('| --- | ---: | ---: | ---: | ---: |');
  lines.push(memoryLine('ogkit, parse and type', ogkitParse.memory));
  lines.push(memoryLine('PapaParse + typing, parse and type', papaParse.memory));
  lines.push(memoryLine(`ogkit, ${GRID.rows} rows with sort and filter`, ogkitGrid.memory));
  lines.push(memoryLine(`Tabulator, ${GRID.rows} rows with sort and filter`, tabulator.memory));
  lines.push('');
  if (size) {
    const addedWasm = size.withWasmGzip - size.withoutWasmGzip;
    const addedJs = size.withJsGzip - size.withoutJsGzip;
    lines.push('### Bundle size', '');
    lines.push(`Widget bundle built like \`pkg/\` (profile wasm-release, wasm-opt with the flags from \`widgets/Cargo.toml\`),`);
    lines.push(`with the features [${size.featuresWith}] and with [${size.featuresWithout}]; sizes after \`gzip -9\`:`, '');
    lines.push(`| file | with ${size.feature} | without | added |`);
    lines.push('| --- | ---: | ---: | ---: |');
    lines.push(`| ogkit_widgets_bg.wasm | ${kb(size.withWasmGzip)} | ${kb(size.withoutWasmGzip)} | ${kb(addedWasm)} |`);
    lines.push(`| ogkit_widgets.js | ${kb(size.withJsGzip)} | ${kb(size.withoutJsGzip)} | ${kb(addedJs)} |`);
    lines.push(`| total | ${kb(size.withWasmGzip + size.withJsGzip)} | ${kb(size.withoutWasmGzip + size.withoutJsGzip)} | ${kb(addedWasm + addedJs)} |`);
    lines.push('');
  }
  const sortRatios = rows.slice(0, 2).map(([, ours, theirs]) => theirs / ours);
  const filterRatio = rows[2][2] / rows[2][1];
  const firstRatio = rows[3][2] / rows[3][1];
  lines.push('Targets: at least 2× PapaParse\'s throughput, and sorting and filtering at least 3× faster than Tabulator.', '');
  lines.push(`- Throughput ${parseRatio.toFixed(2)}× PapaParse: ${verdict(parseRatio >= 2)}.`);
  lines.push(`- Sort ${sortRatios.map((ratio) => `${ratio.toFixed(1)}×`).join(' (text), ')} (number) faster than Tabulator: ${verdict(sortRatios.every((ratio) => ratio >= 3))}.`);
  lines.push(`- Filter keystroke ${filterRatio.toFixed(1)}× faster than Tabulator (median): ${verdict(filterRatio >= 3)}.`);
  lines.push(`- First filter keystroke, after idle folding, ${firstRatio.toFixed(1)}× faster than Tabulator: ${verdict(firstRatio >= 3)}.`);
  lines.push('');
  return lines.join('\n');
}
