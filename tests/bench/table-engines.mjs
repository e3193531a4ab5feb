// The data table benchmark page: ogkit against PapaParse (reading and
// typing a CSV file) and against Tabulator (sorting and filtering 100,000
// rows), each timed with performance.now() around the call.
//
// `tests/bench/table-run.mjs` opens this page once per engine and phase, in
// a fresh browser context, and calls `window.runTable`. The page needs
// Chromium's `--enable-precise-memory-info` and `--js-flags=--expose-gc`
// for the memory figures.

import { TabulatorFull as Tabulator } from '/node_modules/tabulator-tables/dist/js/tabulator_esm.min.mjs';
import initOgkit, { BenchTable } from '/wasm/ogkit_widgets.js';

// `papaparse.min.js` is a UMD script that table.html loads before this module.
const Papa = window.Papa;

/** A German number such as `1.234.567,89`, `-12,5` or `42`. */
const GERMAN_NUMBER = /^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/;
/** A German date, `TT.MM.JJJJ`. */
const GERMAN_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

function germanNumber(text) {
  return Number(text.replace(/\./g, '').replace(',', '.'));
}

function germanDate(text) {
  const [, day, month, year] = GERMAN_DATE.exec(text);
  return Date.UTC(Number(year), Number(month) - 1, Number(day));
}

/**
 * Gives PapaParse's rows the typing that ogkit does. A column whose
 * non-empty cells are all numbers or German numbers becomes numbers
 * (PapaParse's dynamic typing has already converted the plain ones). A
 * column whose cells are all German dates becomes UTC timestamps. Empty
 * cells become null. Returns the type chosen per column.
 */
function typeGermanColumns(rows, fields) {
  const types = {};
  for (const field of fields) {
    let numbers = true;
    let dates = true;
    for (const row of rows) {
      const cell = row[field];
      if (cell === null || cell === undefined || cell === '') continue;
      if (typeof cell === 'number') {
        dates = false;
        continue;
      }
      if (numbers && !GERMAN_NUMBER.test(cell)) numbers = false;
      if (dates && !GERMAN_DATE.test(cell)) dates = false;
      if (!numbers && !dates) break;
    }
    types[field] = 'text';
    if (numbers) types[field] = 'number';
    else if (dates) types[field] = 'date';
    for (const row of rows) {
      const cell = row[field];
      if (cell === '' || cell === undefined) row[field] = null;
      else if (typeof cell !== 'string') continue;
      else if (types[field] === 'number') row[field] = germanNumber(cell);
      else if (types[field] === 'date') row[field] = germanDate(cell);
    }
  }
  return types;
}

/** Reads the bytes with PapaParse, as a page would, then types the columns. */
function papaParse(bytes) {
  const text = new TextDecoder('utf-8').decode(bytes);
  const result = Papa.parse(text, { header: true, dynamicTyping: true, skipEmptyLines: true });
  const types = typeGermanColumns(result.data, result.meta.fields);
  return { rows: result.data, fields: result.meta.fields, types, errors: result.errors.length, delimiter: result.meta.delimiter };
}

/** Returns the bytes of the header and the first `rows` data rows. */
function firstRows(bytes, rows) {
  let lines = 0;
  for (let index = 0; index < bytes.length; index += 1) {
    if (bytes[index] === 10) {
      lines += 1;
      if (lines === rows + 1) return bytes.subarray(0, index + 1);
    }
  }
  return bytes;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** JS heap in use after a full garbage collection, in bytes. */
function retainedHeap() {
  window.gc();
  window.gc();
  return performance.memory.usedJSHeapSize;
}

/**
 * Memory of one engine, each figure minus its value before the engine
 * started. `heapPeak` is the largest JS heap in use seen right after a
 * timed call, garbage not yet collected. `heapRetained` is the heap after a
 * full collection at the end. `wasm` is the growth of ogkit's WebAssembly
 * memory, which never shrinks and so is its peak.
 */
class MemoryProbe {
  constructor(wasmMemory) {
    this.wasmMemory = wasmMemory;
    this.baseHeap = retainedHeap();
    this.baseWasm = wasmMemory ? wasmMemory.buffer.byteLength : 0;
    this.maxHeap = this.baseHeap;
  }

  sample() {
    this.maxHeap = Math.max(this.maxHeap, performance.memory.usedJSHeapSize);
  }

  result() {
    const retained = retainedHeap();
    return {
      heapPeak: this.maxHeap - this.baseHeap,
      heapRetained: retained - this.baseHeap,
      wasm: this.wasmMemory ? this.wasmMemory.buffer.byteLength - this.baseWasm : 0,
    };
  }
}

async function loadCsv(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Reads and types the whole file `runs` times. */
async function parsePhase(engine, bytes, { runs, chunkBytes }) {
  const wasm = engine === 'ogkit' ? await initOgkit({ module_or_path: '/wasm/ogkit_widgets_bg.wasm' }) : null;
  const probe = new MemoryProbe(wasm?.memory);
  const times = [];
  let summary = null;
  for (let run = 0; run < runs; run += 1) {
    if (engine === 'ogkit') {
      const started = performance.now();
      const table = BenchTable.parse(bytes, chunkBytes);
      times.push(performance.now() - started);
      probe.sample();
      summary = { rows: table.rowCount(), issues: table.issueCount(), types: table.columnTypes() };
      table.free();
    } else {
      const started = performance.now();
      let result = papaParse(bytes);
      times.push(performance.now() - started);
      probe.sample();
      summary = {
        rows: result.rows.length,
        issues: result.errors,
        types: result.fields.map((field) => `${field}:${result.types[field]}`),
        delimiter: result.delimiter,
      };
      result = null;
    }
  }
  return { times, summary, memory: probe.result() };
}

/**
 * Builds the engine's table over the first `rows` rows (not timed), then
 * times sorts by a text and a number column and filter keystrokes.
 */
async function gridPhase(engine, bytes, { rows, textColumn, numberColumn, filterColumn, filterText, rounds }) {
  const slice = firstRows(bytes, rows);
  const wasm = engine === 'ogkit' ? await initOgkit({ module_or_path: '/wasm/ogkit_widgets_bg.wasm' }) : null;
  const probe = new MemoryProbe(wasm?.memory);
  const grid = engine === 'ogkit' ? ogkitGrid(slice) : await tabulatorGrid(slice);
  probe.sample();
  const idle = await grid.prepareInIdleTime();
  probe.sample();

  const time = (action) => {
    const started = performance.now();
    const result = action();
    const elapsed = performance.now() - started;
    probe.sample();
    return { elapsed, result };
  };

  const sorts = { text: [], number: [] };
  const firstRowsSorted = {};
  for (let round = 0; round < rounds; round += 1) {
    for (const [kind, column] of [['text', textColumn], ['number', numberColumn]]) {
      for (const descending of [false, true]) {
        const { elapsed, result } = time(() => grid.sort(column, descending));
        sorts[kind].push(elapsed);
        firstRowsSorted[`${kind}${descending ? ' desc' : ''}`] = result;
      }
    }
  }
  grid.clearSort();

  // A keystroke is one more letter of `filterText`, and each round types
  // it from its first letter. The first keystroke of round 0 comes after
  // the idle-time preparation, like a citizen who starts typing a moment
  // after the table appeared. `unpreparedKeystroke` is one typed before it.
  const keystrokes = [];
  let firstKeystroke = null;
  const matches = {};
  for (let round = 0; round < rounds; round += 1) {
    for (let length = 1; length <= filterText.length; length += 1) {
      const typed = filterText.slice(0, length);
      const { elapsed, result } = time(() => grid.filter(filterColumn, typed));
      if (firstKeystroke === null) firstKeystroke = elapsed;
      else keystrokes.push(elapsed);
      matches[typed] = result;
    }
    grid.clearFilter();
  }
  const memory = probe.result();
  // After the memory reading, because the fresh table adds to it.
  const unpreparedKeystroke = grid.unpreparedKeystroke?.(filterColumn, filterText.slice(0, 1)) ?? null;
  return {
    rows: grid.rowCount,
    idle,
    unpreparedKeystroke,
    sortText: sorts.text,
    sortNumber: sorts.number,
    firstKeystroke,
    keystrokes,
    matches,
    firstRowsSorted,
    memory,
    measured: grid.measured,
  };
}

/** Milliseconds of folding per idle period, as `IDLE_SLICE_MILLIS` in the widget. */
const IDLE_SLICE_MILLIS = 30;
/** Cells per `foldStep` call, as `FOLD_STEP_ROWS` in the widget. */
const FOLD_STEP_ROWS = 2048;

/** Waits for an idle period, as `yield_until_idle` in the widget. */
function untilIdle() {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve());
    else setTimeout(resolve, 0);
  });
}

function ogkitGrid(slice) {
  const table = BenchTable.parse(slice, 65536);
  const row = (index) => (index === undefined ? null : table.text(index, table.columnIndex('Nr')));
  return {
    rowCount: table.rowCount(),
    /**
     * Folds the texts for search in idle time, the way the widget does after
     * loading: slices of work between idle periods. Returns the work done.
     */
    async prepareInIdleTime() {
      const slices = [];
      let done = false;
      while (!done) {
        await untilIdle();
        const started = performance.now();
        while (!done && performance.now() - started < IDLE_SLICE_MILLIS) done = table.foldStep(FOLD_STEP_ROWS);
        slices.push(performance.now() - started);
      }
      return { total: slices.reduce((sum, slice) => sum + slice, 0), slices: slices.length, longest: Math.max(...slices) };
    },
    /** Times one keystroke on a fresh table whose texts are not folded yet. */
    unpreparedKeystroke(column, text) {
      const fresh = BenchTable.parse(slice, 65536);
      const started = performance.now();
      fresh.filter(fresh.columnIndex(column), text);
      const elapsed = performance.now() - started;
      fresh.free();
      return elapsed;
    },
    measured: 'BenchTable.sort/filter: Table::select in WebAssembly over all rows, returning the first row or the count',
    sort: (column, descending) => row(table.sort(table.columnIndex(column), descending)),
    filter: (column, text) => table.filter(table.columnIndex(column), text),
    clearSort() {},
    clearFilter() {},
  };
}

async function tabulatorGrid(slice) {
  const parsed = papaParse(slice);
  const columns = parsed.fields.map((field) => ({
    title: field,
    field,
    sorter: parsed.types[field] === 'text' ? 'string' : 'number',
    sorterParams: parsed.types[field] === 'text' ? { locale: 'de' } : {},
  }));
  const element = document.getElementById('grid');
  const table = new Tabulator(element, { data: parsed.rows, columns, height: '400px', layout: 'fitColumns' });
  await new Promise((resolve) => table.on('tableBuilt', resolve));
  const firstActive = () => table.getRows('active')[0]?.getData().Nr ?? null;
  return {
    rowCount: table.getDataCount(),
    // Tabulator prepares its rows when the table is built, before this.
    prepareInIdleTime: async () => null,
    measured:
      'table.setSort / table.setFilter(field, "like", text): Tabulator sorts or filters all rows and redraws the rows ' +
      'its virtual DOM shows (height 400 px), synchronously',
    sort(column, descending) {
      table.setSort(column, descending ? 'desc' : 'asc');
      return firstActive();
    },
    filter(column, text) {
      table.setFilter(column, 'like', text);
      return table.getDataCount('active');
    },
    clearSort: () => table.clearSort(),
    clearFilter: () => table.clearFilter(),
  };
}

/**
 * Runs one phase for one engine.
 *
 * @param {{phase: 'parse'|'grid', engine: 'ogkit'|'papaparse'|'tabulator', csvUrl: string}} config
 *   plus the settings of the phase (see parsePhase and gridPhase)
 */
async function runTable(config) {
  if (!performance.memory || typeof window.gc !== 'function') {
    throw new Error('start Chromium with --enable-precise-memory-info and --js-flags=--expose-gc');
  }
  const bytes = await loadCsv(config.csvUrl);
  const result = config.phase === 'parse' ? await parsePhase(config.engine, bytes, config) : await gridPhase(config.engine, bytes, config);
  return { ...result, bytes: bytes.length, crossOriginIsolated: window.crossOriginIsolated };
}

window.runTable = runTable;
window.benchReady = true;
