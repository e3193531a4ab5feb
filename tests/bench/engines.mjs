// The benchmark page: the three search engines over the same catalogues and
// queries, each timed the same way in the same page.
//
// `tests/bench/run.mjs` opens this page and calls `window.runBenchmark`.
// Every engine gets the catalogue as `JSON.parse` returns it, and its build
// time includes whatever it needs to index that: serde decoding for ogkit,
// flattening (and, for Fuse.js, folding) into documents for the peers. Query time is measured with
// performance.now() around the call and includes what a widget would need
// to get ranked ids: for ogkit the crossing into WebAssembly and back with
// the ids, for the peers the German folding of the query and the mapping of
// their results to ids.

import Fuse from '/node_modules/fuse.js/dist/fuse.mjs';
import MiniSearch from '/node_modules/minisearch/dist/es/index.js';
import initOgkit, { BenchIndex } from '/wasm/ogkit_widgets.js';

/**
 * Folds German text the way a user types it without a German keyboard:
 * lower case, umlauts and other marks stripped, ß as ss, and ae/oe/ue as
 * a/o/u, so "Führerschein", "fuehrerschein" and "fuhrerschein" agree. The
 * peers get this on both sides, which ogkit does internally.
 */
function foldGerman(text) {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/ae/g, 'a')
    .replace(/oe/g, 'o')
    .replace(/ue/g, 'u');
}

/** Returns the plain text of an ogkit rich-text block list. */
function plainText(blocks) {
  const parts = [];
  const visit = (inlines) => {
    for (const inline of inlines ?? []) {
      if (inline.type === 'text') parts.push(inline.text);
      else if (inline.type === 'line_break') parts.push(' ');
      else visit(inline.content);
    }
  };
  for (const block of blocks ?? []) {
    if (block.type === 'paragraph') visit(block.content);
    else if (block.type === 'list') for (const item of block.items ?? []) visit(item);
    parts.push(' ');
  }
  return parts.join(' ');
}

/** Converts an ogkit catalogue to the flat documents the peers index. */
function documentsOf(catalogue) {
  return catalogue.services.map((service) => ({
    id: service.id,
    name: service.name ?? '',
    keywords: (service.keywords ?? []).join(' '),
    description: [service.summary ?? '', plainText(service.description)].join(' '),
  }));
}

/** The engines, each with `build(catalogue)` returning `search(query, limit)`. */
const ENGINES = {
  ogkit: {
    build(catalogue) {
      const index = new BenchIndex(catalogue);
      return (query, limit) => index.search(query, limit);
    },
  },
  'MiniSearch 7.2.0': {
    build(catalogue) {
      const search = new MiniSearch({
        fields: ['name', 'keywords', 'description'],
        idField: 'id',
        processTerm: (term) => foldGerman(term),
        searchOptions: { boost: { name: 3, keywords: 2 }, prefix: true, fuzzy: 0.2 },
      });
      search.addAll(documentsOf(catalogue));
      return (query, limit) =>
        search
          .search(query)
          .slice(0, limit)
          .map((result) => result.id);
    },
  },
  'Fuse.js 7.5.0': {
    build(catalogue) {
      const documents = documentsOf(catalogue).map((document) => ({
        id: document.id,
        name: foldGerman(document.name),
        keywords: foldGerman(document.keywords),
        description: foldGerman(document.description),
      }));
      const fuse = new Fuse(documents, {
        keys: [
          { name: 'name', weight: 3 },
          { name: 'keywords', weight: 2 },
          { name: 'description', weight: 1 },
        ],
        threshold: 0.35,
        ignoreLocation: true,
        ignoreDiacritics: true,
      });
      return (query, limit) => fuse.search(foldGerman(query), { limit }).map((result) => result.item.id);
    },
  },
};

function percentile(sorted, fraction) {
  if (sorted.length === 0) return NaN;
  const position = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, position)];
}

/**
 * Runs the benchmark.
 *
 * @param {object} config
 * @param {Array<{name: string, url: string, queriesUrl: string, k: number, idMap?: object}>} config.catalogues
 *   `idMap` translates the ids of the query file into the catalogue's ids
 * @param {number} config.rounds timed rounds over all labelled queries
 * @param {number} config.repeat calls per timed sample; the sample is their mean
 * @param {number} config.builds index builds per engine; the median is reported
 * @param {number} config.budgetMs time after which an engine starts no further
 *   round on a catalogue, so a slow engine ends with fewer (reported) rounds
 */
async function runBenchmark({ catalogues, rounds, repeat, builds, budgetMs }) {
  await initOgkit({ module_or_path: '/wasm/ogkit_widgets_bg.wasm' });
  const results = [];

  for (const catalogueConfig of catalogues) {
    const text = await (await fetch(catalogueConfig.url)).text();
    const idMap = catalogueConfig.idMap ?? {};
    const queries = parseQueries(await (await fetch(catalogueConfig.queriesUrl)).text()).map((query) => ({
      ...query,
      expected: query.expected.map((id) => idMap[id] ?? id),
    }));
    const labelled = queries.filter((query) => query.expected.length > 0);

    for (const [engineName, engine] of Object.entries(ENGINES)) {
      const buildTimes = [];
      let search = null;
      for (let build = 0; build < builds; build += 1) {
        const catalogue = JSON.parse(text);
        const started = performance.now();
        search = engine.build(catalogue);
        buildTimes.push(performance.now() - started);
      }

      let found = 0;
      const misses = [];
      for (const query of labelled) {
        const ids = search(query.query, catalogueConfig.k);
        if (ids.some((id) => query.expected.includes(String(id)))) found += 1;
        else misses.push(query.query);
      }
      const noneQueries = queries.filter((query) => query.kind === 'none');
      const noneWithHits = noneQueries.filter((query) => search(query.query, catalogueConfig.k).length > 0).length;

      // Warm-up round: lets the JIT compile the peers' code and the
      // engine fill its caches before anything is timed.
      for (const query of queries) search(query.query, catalogueConfig.k);

      const samples = [];
      const timingStarted = performance.now();
      let roundsDone = 0;
      while (roundsDone < rounds && performance.now() - timingStarted < budgetMs) {
        roundsDone += 1;
        for (const query of queries) {
          const started = performance.now();
          for (let call = 0; call < repeat; call += 1) search(query.query, catalogueConfig.k);
          samples.push((performance.now() - started) / repeat);
        }
      }
      samples.sort((a, b) => a - b);
      buildTimes.sort((a, b) => a - b);

      results.push({
        catalogue: catalogueConfig.name,
        services: JSON.parse(text).services.length,
        queries: queries.length,
        labelled: labelled.length,
        k: catalogueConfig.k,
        engine: engineName,
        buildMs: percentile(buildTimes, 0.5),
        queryMedianMs: percentile(samples, 0.5),
        queryP95Ms: percentile(samples, 0.95),
        rounds: roundsDone,
        recall: found / labelled.length,
        found,
        misses,
        noneQueries: noneQueries.length,
        noneWithHits,
      });
    }
  }
  return {
    results,
    userAgent: navigator.userAgent,
    crossOriginIsolated: window.crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency,
  };
}

/** Parses a labelled query file: query, comma-separated expected ids, kind, note. */
function parseQueries(tsv) {
  return tsv
    .split('\n')
    .slice(1)
    .filter((line) => line.trim())
    .map((line) => {
      const [query, expected = '', kind = ''] = line.split('\t');
      return {
        query,
        expected: expected
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean),
        kind: kind.trim(),
      };
    });
}

window.runBenchmark = runBenchmark;
window.benchReady = true;
