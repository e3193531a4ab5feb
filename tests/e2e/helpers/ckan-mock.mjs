// A CKAN Action API stand-in for the table tests, on 127.0.0.1 only.
//
// It serves `package_show`, `resource_show` and `datastore_search` under
// `/api/3/action/` as the CKAN API documentation describes them: the
// `{"help", "success", "result"}` envelope, error envelopes with `__type`
// and `message` (404 for Not Found, 409 for Validation Error), CORS headers
// as CKAN sends them with `ckan.cors.origin_allow_all`, and for the
// DataStore `fields`, `records`, `total`, `offset`, `limit` and `_links`.
//
// The big DataStore resource is a tree register of 1,000,000 rows. Each row
// is computed from its index and a fixed seed whenever it is needed, so the
// rows are never held in memory together. Sorting, full-text search (`q`)
// and exact-value filters (`filters`) run on the server over all rows; the
// mock keeps only index lists (4 bytes per row) of recent queries.
//
// Deliberate differences from a real CKAN, kept small on purpose:
// - `q` matches whole words, ignoring case, where PostgreSQL full-text
//   search would also stem words ("Linden" matching "Linde");
// - text sorts by German collation (Intl.Collator 'de'), where PostgreSQL
//   sorts by the database collation;
// - only `records_format=objects` is supported.
//
// Failure modes are chosen by id, for resources and datasets alike; see
// FAILURE_IDS.

import { createServer } from 'node:http';

/** Id of the generated DataStore resource of 1,000,000 rows. */
export const BIG_RESOURCE_ID = 'a1b2c3d4-0000-4000-8000-baumkataster';

/** Number of rows of the generated resource. */
export const BIG_ROW_COUNT = 1_000_000;

/** Ids that make the mock fail, for `id` and `resource_id` alike. */
export const FAILURE_IDS = {
  /** HTTP 500 with CKAN's error envelope. */
  serverError: 'fehler-500',
  /** HTTP 200 with an HTML page, as a portal front page behind a wrong address. */
  htmlPage: 'html-seite',
  /** The answer of the big resource, but only after `slowMs` or `releaseSlow()`. */
  slow: 'langsam',
  /** The answer of the big resource without CORS headers, so browsers refuse it. */
  corsRefused: 'cors-verweigert',
  /** HTTP 200 with a JSON text cut off in the middle. */
  brokenJson: 'json-kaputt',
};

const SEED = 0x5eed_2024;
const DEFAULT_LIMIT = 100;
const SITE_ROWS_MAX = 32_000;
const CACHE_ENTRIES = 8;

const SPECIES = [
  'Winter-Linde', 'Sommer-Linde', 'Spitz-Ahorn', 'Berg-Ahorn', 'Feld-Ahorn', 'Stiel-Eiche',
  'Trauben-Eiche', 'Rot-Eiche', 'Hainbuche', 'Rotbuche', 'Gemeine Esche', 'Rosskastanie',
  'Platane', 'Robinie', 'Sand-Birke', 'Schwarz-Erle', 'Vogel-Kirsche', 'Gemeine Kiefer',
  'Gemeine Fichte', 'Europäische Lärche', 'Silber-Weide', 'Ulme', 'Walnuss', 'Ginkgo',
];
const DISTRICTS = [
  'Altstadt', 'Nordviertel', 'Südstadt', 'Östliche Vorstadt', 'Hafen', 'Am Weinberg', 'Grünau',
  'Lindenhof', 'Mühlental', 'Neustadt',
];
const REMARKS = ['Naturdenkmal', 'Jungbaum', 'Pflegeschnitt geplant', '<b>Gefahrenbaum</b> & gesperrt'];

/** The DataStore fields of the big resource, `_id` first as CKAN sends it. */
export const BIG_FIELDS = [
  { id: '_id', type: 'int' },
  { id: 'Baum-Nr', type: 'int' },
  { id: 'Art', type: 'text', info: { label: 'Baumart', notes: 'Deutscher Name der Art' } },
  { id: 'Bezirk', type: 'text' },
  { id: 'Pflanzjahr', type: 'int4' },
  { id: 'Stammumfang (cm)', type: 'numeric' },
  { id: 'Letzte Kontrolle', type: 'date' },
  { id: 'Erfasst', type: 'timestamp' },
  { id: 'Gefällt', type: 'bool' },
  { id: 'Bemerkung', type: 'text' },
];

const FIELD_TYPES = new Map(BIG_FIELDS.map((field) => [field.id, field.type]));

/** A 32-bit mix of the row index, the column number and the seed (murmur3's finaliser). */
function mix(row, column) {
  let h = (SEED ^ Math.imul(row + 1, 0x9e3779b1) ^ Math.imul(column + 1, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// Each column is computed from (row, column) alone, so any cell can be
// read without its neighbours. The `…Code` functions give the integer that
// the cell's text and its sort rank are derived from.
const speciesCode = (row) => mix(row, 2) % SPECIES.length;
const districtCode = (row) => mix(row, 3) % DISTRICTS.length;
const plantYear = (row) => (mix(row, 4) % 100 < 5 ? null : 1900 + (mix(row, 14) % 125));
const girthTenths = (row) => 200 + (mix(row, 5) % 4300);
const inspectionDay = (row) => (mix(row, 6) % 100 < 8 ? null : mix(row, 16) % 2190);
const recordedSecond = (row) => mix(row, 7) % 157_680_000;
const felled = (row) => mix(row, 8) % 100 < 3;
const remarkCode = (row) => {
  const roll = mix(row, 9) % 1000;
  return roll < REMARKS.length * 5 ? roll % REMARKS.length : null;
};

const DAY_MS = 86_400_000;
const INSPECTION_START = Date.UTC(2019, 0, 1);
const RECORDED_START = Date.UTC(2020, 0, 1);

const isoDate = (day) => new Date(INSPECTION_START + day * DAY_MS).toISOString().slice(0, 10);

/** One function per field: the cell of a row as CKAN's JSON writes it. */
const CELL = {
  _id: (row) => row + 1,
  'Baum-Nr': (row) => 1_000_000 + row,
  Art: (row) => SPECIES[speciesCode(row)],
  Bezirk: (row) => DISTRICTS[districtCode(row)],
  Pflanzjahr: plantYear,
  'Stammumfang (cm)': (row) => girthTenths(row) / 10,
  'Letzte Kontrolle': (row) => {
    const day = inspectionDay(row);
    return day === null ? null : isoDate(day);
  },
  Erfasst: (row) => new Date(RECORDED_START + recordedSecond(row) * 1000).toISOString().slice(0, 19),
  Gefällt: felled,
  Bemerkung: (row) => {
    const remark = remarkCode(row);
    return remark === null ? null : REMARKS[remark];
  },
};

/** Returns the cell of `field` in row `index` (0-based) of the big resource. */
export function bigCell(index, field) {
  return CELL[field](index);
}

/**
 * Returns row `index` (0-based) of the big resource as CKAN's `objects`
 * record format writes it.
 */
export function bigRow(index) {
  return Object.fromEntries(BIG_FIELDS.map(({ id }) => [id, CELL[id](index)]));
}

// Sort ranks: integers, `null` as NULL_RANK. PostgreSQL puts NULL last in
// ascending and first in descending order, and so does NULL_RANK once the
// rank is negated for descending order.
const NULL_RANK = 2 ** 31;
const collator = new Intl.Collator('de');
const rankOf = (words) => {
  const sorted = [...words].sort(collator.compare);
  return words.map((word) => sorted.indexOf(word));
};
const SPECIES_RANK = rankOf(SPECIES);
const DISTRICT_RANK = rankOf(DISTRICTS);
const REMARK_RANK = rankOf(REMARKS);

const SORT_RANK = {
  _id: (row) => row,
  'Baum-Nr': (row) => row,
  Art: (row) => SPECIES_RANK[speciesCode(row)],
  Bezirk: (row) => DISTRICT_RANK[districtCode(row)],
  Pflanzjahr: (row) => plantYear(row) ?? NULL_RANK,
  'Stammumfang (cm)': (row) => girthTenths(row),
  'Letzte Kontrolle': (row) => inspectionDay(row) ?? NULL_RANK,
  Erfasst: (row) => recordedSecond(row),
  Gefällt: (row) => (felled(row) ? 1 : 0),
  Bemerkung: (row) => {
    const remark = remarkCode(row);
    return remark === null ? NULL_RANK : REMARK_RANK[remark];
  },
};

/** Lower-case words of a text, as the full-text match compares them. */
export function words(text) {
  return String(text).toLocaleLowerCase('de').match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Returns a test of one row for one search word in `field`, or in every
 * field when `field` is null. Word lists of the small vocabularies are
 * computed once, so a search over a million rows stays a few integer
 * comparisons per row.
 */
function wordMatcher(word, field) {
  const codesWith = (vocabulary) =>
    new Set(vocabulary.flatMap((text, code) => (words(text).includes(word) ? [code] : [])));
  const species = codesWith(SPECIES);
  const districts = codesWith(DISTRICTS);
  const remarks = codesWith(REMARKS);
  const number = /^\d+$/.test(word) ? Number(word) : null;
  const date = (row, column) => {
    const text = CELL[column](row);
    return text !== null && words(text).includes(word);
  };

  const tests = {
    _id: (row) => number === row + 1,
    'Baum-Nr': (row) => number === 1_000_000 + row,
    Art: (row) => species.has(speciesCode(row)),
    Bezirk: (row) => districts.has(districtCode(row)),
    Pflanzjahr: (row) => number !== null && plantYear(row) === number,
    'Stammumfang (cm)': (row) => words(girthTenths(row) / 10).includes(word),
    'Letzte Kontrolle': (row) => date(row, 'Letzte Kontrolle'),
    Erfasst: (row) => date(row, 'Erfasst'),
    Gefällt: (row) => (word === 'true' && felled(row)) || (word === 'false' && !felled(row)),
    Bemerkung: (row) => {
      const remark = remarkCode(row);
      return remark !== null && remarks.has(remark);
    },
  };
  if (field !== null) {
    return tests[field];
  }
  // CKAN's `_full_text` covers the text and number columns; dates are
  // left out here because scanning their text for every row is slow.
  const all = ['_id', 'Baum-Nr', 'Art', 'Bezirk', 'Pflanzjahr', 'Bemerkung'].map((name) => tests[name]);
  return (row) => all.some((test) => test(row));
}

/** Returns a test of one row for one filter value, compared as CKAN's `"field" = value`. */
function valueMatcher(field, value) {
  const type = FIELD_TYPES.get(field);
  if (value === null) {
    return () => false;
  }
  if (type === 'bool') {
    const wanted = value === true || String(value).toLowerCase() === 'true';
    return (row) => felled(row) === wanted;
  }
  if (type === 'int' || type === 'int4' || type === 'numeric') {
    const wanted = Number(value);
    return (row) => CELL[field](row) === wanted;
  }
  if (field === 'Art') {
    const code = SPECIES.indexOf(String(value));
    return (row) => speciesCode(row) === code;
  }
  if (field === 'Bezirk') {
    const code = DISTRICTS.indexOf(String(value));
    return (row) => districtCode(row) === code;
  }
  if (field === 'Bemerkung') {
    const code = REMARKS.indexOf(String(value));
    return (row) => remarkCode(row) === code;
  }
  return (row) => CELL[field](row) === String(value);
}

class ValidationError extends Error {
  constructor(errors) {
    super('validation');
    this.errors = errors;
  }
}

/** Reads a request parameter that CKAN's schema takes as a non-negative integer. */
function naturalNumber(params, name, fallback) {
  const text = params.get(name);
  if (text === null || text === '') {
    return fallback;
  }
  if (!/^\d+$/.test(text.trim())) {
    throw new ValidationError({ [name]: ['Invalid integer'] });
  }
  return Number(text.trim());
}

/** Reads a JSON parameter (`filters`, or `q` as an object). */
function jsonParameter(params, name) {
  const text = params.get(name);
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError({ [name]: ['Cannot parse JSON'] });
  }
}

function checkField(name, field) {
  if (!FIELD_TYPES.has(field)) {
    throw new ValidationError({ [name]: [`field "${field}" not in table`] });
  }
}

/**
 * Parses `sort` as CKAN does: split at commas, one optional `asc` or
 * `desc`, one pair of double quotes around the name stripped.
 */
function parseSort(text) {
  const keys = [];
  for (const part of text.split(',')) {
    const clause = part.trim();
    if (clause === '') {
      continue;
    }
    const match = /^(.+?)( +(asc|desc))?$/i.exec(clause);
    let field = match[1];
    if (field.length > 1 && field.startsWith('"') && field.endsWith('"')) {
      field = field.slice(1, -1);
    }
    checkField('sort', field);
    keys.push({ field, descending: (match[3] ?? 'asc').toLowerCase() === 'desc' });
  }
  return keys;
}

/** Parses `q`: a text searched in all fields, or a JSON object of field and text. */
function parseQuery(params) {
  const text = params.get('q');
  if (text === null || text.trim() === '') {
    return [];
  }
  const trimmed = text.trim();
  let pairs;
  if (trimmed.startsWith('{')) {
    const object = jsonParameter(params, 'q');
    pairs = Object.entries(object).map(([field, value]) => {
      checkField('q', field);
      return [field, String(value)];
    });
  } else {
    pairs = [[null, trimmed]];
  }
  return pairs.flatMap(([field, value]) => words(value).map((word) => wordMatcher(word, field)));
}

function parseFilters(params) {
  if (params.get('filters') === null) {
    return { tests: [], echo: undefined };
  }
  const filters = jsonParameter(params, 'filters');
  if (filters === null || typeof filters !== 'object' || Array.isArray(filters)) {
    throw new ValidationError({ filters: ['filters must be either a dict or null.'] });
  }
  const tests = Object.entries(filters).map(([field, value]) => {
    checkField('filters', field);
    const matchers = (Array.isArray(value) ? value : [value]).map((one) => valueMatcher(field, one));
    return (row) => matchers.some((test) => test(row));
  });
  return { tests, echo: filters };
}

/** The index lists of recent queries, so paging through them costs no rescan. */
class OrderCache {
  constructor() {
    this.entries = new Map();
  }

  get(key, compute) {
    if (this.entries.has(key)) {
      const value = this.entries.get(key);
      this.entries.delete(key);
      this.entries.set(key, value);
      return value;
    }
    const value = compute();
    this.entries.set(key, value);
    if (this.entries.size > CACHE_ENTRIES) {
      this.entries.delete(this.entries.keys().next().value);
    }
    return value;
  }
}

function matchingRows(tests) {
  const rows = new Uint32Array(BIG_ROW_COUNT);
  let count = 0;
  for (let row = 0; row < BIG_ROW_COUNT; row += 1) {
    if (tests.every((test) => test(row))) {
      rows[count] = row;
      count += 1;
    }
  }
  return rows.slice(0, count);
}

function sortRows(rows, allKeys) {
  // Both sort paths break ties by row index, which is `_id` order, so a
  // trailing `_id asc` (the widget's tie-breaker) changes nothing.
  const keys = allKeys.at(-1)?.field === '_id' && !allKeys.at(-1).descending && allKeys.length > 1 ? allKeys.slice(0, -1) : allKeys;
  if (keys.length === 1) {
    // One key: rank and row index in one float64 (rank below 2^32, index
    // below 2^20, so the product stays an exact integer), sorted natively.
    const [{ field, descending }] = keys;
    const rank = SORT_RANK[field];
    const packed = new Float64Array(rows.length);
    for (let at = 0; at < rows.length; at += 1) {
      const value = rank(rows[at]);
      packed[at] = (descending ? -value : value) * 1_048_576 + rows[at];
    }
    packed.sort();
    return Uint32Array.from(packed, (value) => ((value % 1_048_576) + 1_048_576) % 1_048_576);
  }
  const ranks = keys.map(({ field }) => Float64Array.from(rows, SORT_RANK[field]));
  const positions = Uint32Array.from(rows, (_, at) => at);
  positions.sort((a, b) => {
    for (let k = 0; k < keys.length; k += 1) {
      const difference = ranks[k][a] - ranks[k][b];
      if (difference !== 0) {
        return keys[k].descending ? -difference : difference;
      }
    }
    return rows[a] - rows[b];
  });
  return Uint32Array.from(positions, (at) => rows[at]);
}

const ALL_ROWS = { length: BIG_ROW_COUNT, at: (position) => position };

/** The datasets and file resources of the mock portal. */
function catalogue(site) {
  const resource = (fields) => ({
    cache_last_updated: null,
    cache_url: null,
    description: '',
    hash: '',
    mimetype: null,
    position: 0,
    state: 'active',
    url_type: null,
    datastore_active: false,
    last_modified: null,
    metadata_modified: '2024-11-18T07:45:03.981230',
    created: '2024-11-18T07:40:10.004512',
    ...fields,
  });
  const packages = [
    {
      id: '6f2c1a4e-8b3d-4e5f-a1b2-c3d4e5f6a7b8',
      name: 'baumkataster-musterstadt',
      title: 'Baumkataster Musterstadt',
      notes: 'Alle Straßen- und Parkbäume der Stadt.',
      license_id: 'dl-by-de/2.0',
      license_title: 'Datenlizenz Deutschland – Namensnennung – Version 2.0',
      license_url: 'https://www.govdata.de/dl-de/by-2-0',
      url: 'https://www.musterstadt.example/umwelt/baeume',
      metadata_modified: '2024-11-18T07:45:03.981230',
      organization: { id: 'org-1', name: 'gruenflaechenamt', title: 'Grünflächenamt Musterstadt', type: 'organization' },
      extras: [
        { key: 'licenseAttributionByText', value: 'Stadt Musterstadt, Grünflächenamt' },
        { key: 'publisher_name', value: 'Stadt Musterstadt – Grünflächenamt' },
        { key: 'publisher_url', value: 'https://www.musterstadt.example/gruenflaechenamt' },
      ],
      resources: [
        resource({
          id: 'b1000000-0000-4000-8000-000000000001',
          name: 'Datenbeschreibung',
          format: 'PDF',
          url: `${site}/download/baumkataster.pdf`,
        }),
        resource({
          id: BIG_RESOURCE_ID,
          name: 'Baumkataster (DataStore)',
          format: 'CSV',
          datastore_active: true,
          url_type: 'datastore',
          last_modified: '2024-11-17T23:15:00.000000',
          url: `${site}/datastore/dump/${BIG_RESOURCE_ID}`,
        }),
      ],
    },
    {
      id: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
      name: 'wahlergebnisse-2024',
      title: 'Wahlergebnisse <Kommunalwahl> 2024',
      license_id: 'http://dcat-ap.de/def/licenses/dl-zero-de/2.0',
      url: 'javascript:alert(1)',
      metadata_modified: '2024-06-10T22:30:00.000000',
      organization: { id: 'org-2', name: 'wahlamt', title: 'Wahlamt' },
      resources: [
        resource({
          id: 'c2000000-0000-4000-8000-000000000001',
          name: 'Ergebnisse (JSON)',
          format: 'JSON',
          url: `${site}/download/wahlergebnisse-2024.json`,
        }),
        resource({
          id: 'c2000000-0000-4000-8000-000000000002',
          name: 'Ergebnisse (CSV)',
          format: 'csv',
          url: `${site}/download/wahlergebnisse-2024.csv`,
          last_modified: '2024-06-10T22:30:00',
        }),
      ],
    },
    {
      id: '8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e',
      name: 'bebauungsplaene',
      title: 'Bebauungspläne',
      license_id: 'other-closed',
      license_title: 'Andere (nicht offen)',
      resources: [
        resource({ id: 'd3000000-0000-4000-8000-000000000001', name: 'Übersicht', format: 'PDF', url: `${site}/download/bplan.pdf` }),
        resource({ id: 'd3000000-0000-4000-8000-000000000002', name: 'Liste', format: 'XLSX', url: `${site}/download/bplan.xlsx` }),
      ],
    },
  ];
  for (const dataset of packages) {
    dataset.num_resources = dataset.resources.length;
    dataset.state = 'active';
    dataset.private = false;
    dataset.type = 'dataset';
    for (const item of dataset.resources) {
      item.package_id = dataset.id;
    }
  }
  return packages;
}

/** Files that the mock serves for file resources. */
const FILES = {
  '/download/wahlergebnisse-2024.csv': {
    type: 'text/csv; charset=utf-8',
    body:
      'Stimmbezirk;Wahlberechtigte;Wähler;Wahlbeteiligung\n' +
      'Altstadt 1;1.234;812;65,8 %\n' +
      'Südstadt 2;2.045;1.190;58,2 %\n' +
      'Hafen <3>;987;401;40,6 %\n',
  },
  '/download/wahlergebnisse-2024.json': {
    type: 'application/json',
    body: JSON.stringify([{ Stimmbezirk: 'Altstadt 1', Wahlberechtigte: 1234 }]),
  },
};

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, PUT, GET, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'X-CKAN-API-KEY, Authorization, Content-Type',
};

/**
 * Starts the mock on a free port of 127.0.0.1.
 *
 * @param {object} [options]
 * @param {number} [options.slowMs] delay of answers for FAILURE_IDS.slow,
 *   in milliseconds; `releaseSlow()` answers them at once.
 * @param {number} [options.rowsMax] the site's `ckan.datastore.search.rows_max`.
 * @returns {Promise<{url: string, apiBase: string, requests: Array<{action: string, params: Record<string, string>}>,
 *   releaseSlow: () => void, close: () => Promise<void>}>}
 */
export async function startCkanMock({ slowMs = 60_000, rowsMax = SITE_ROWS_MAX } = {}) {
  const requests = [];
  const cache = new OrderCache();
  const pendingSlow = new Set();
  let site = '';
  let packages = [];

  const findPackage = (id) => packages.find((dataset) => dataset.id === id || dataset.name === id);
  const findResource = (id) =>
    packages.flatMap((dataset) => dataset.resources).find((resource) => resource.id === id);

  function datastoreSearch(params, help) {
    const resourceId = params.get('resource_id') ?? params.get('id');
    if (!resourceId) {
      throw new ValidationError({ resource_id: ['Missing value'] });
    }
    if (resourceId !== BIG_RESOURCE_ID) {
      return { status: 404, body: notFound(help, `Resource "${resourceId}" was not found.`) };
    }
    const recordsFormat = params.get('records_format') ?? 'objects';
    if (recordsFormat !== 'objects') {
      throw new ValidationError({ records_format: ['Value must be one of: objects (this mock)'] });
    }
    const limit = Math.min(naturalNumber(params, 'limit', DEFAULT_LIMIT), rowsMax);
    const offset = naturalNumber(params, 'offset', 0);
    const sortText = params.get('sort') ?? '';
    const sort = parseSort(sortText);
    const searchTests = parseQuery(params);
    const { tests: filterTests, echo: filtersEcho } = parseFilters(params);
    const tests = [...searchTests, ...filterTests];

    const selectionKey = JSON.stringify([params.get('q') ?? '', params.get('filters') ?? '']);
    const orderKey = JSON.stringify([selectionKey, sort]);
    let order = ALL_ROWS;
    if (tests.length > 0 || sort.length > 0) {
      const rows = cache.get(selectionKey, () => (tests.length > 0 ? matchingRows(tests) : null));
      const sorted =
        sort.length > 0
          ? cache.get(orderKey, () => sortRows(rows ?? Uint32Array.from({ length: BIG_ROW_COUNT }, (_, i) => i), sort))
          : rows;
      order = { length: sorted.length, at: (position) => sorted[position] };
    }

    const records = [];
    for (let position = offset; position < Math.min(order.length, offset + limit); position += 1) {
      records.push(bigRow(order.at(position)));
    }

    const linkParams = new URLSearchParams(params);
    linkParams.delete('offset');
    const start = `/api/3/action/datastore_search?${linkParams}`;
    linkParams.set('offset', String(offset + limit));
    const result = {
      include_total: true,
      limit,
      offset,
      records_format: 'objects',
      resource_id: resourceId,
      total_estimation_threshold: null,
      fields: BIG_FIELDS,
      records,
      ...(sortText ? { sort: sortText } : {}),
      ...(filtersEcho ? { filters: filtersEcho } : {}),
      ...(params.get('q') ? { q: params.get('q') } : {}),
      total: order.length,
      total_was_estimated: false,
      _links: { start, next: `/api/3/action/datastore_search?${linkParams}` },
    };
    return { status: 200, body: { help, success: true, result } };
  }

  function answer(action, params, help) {
    if (action === 'package_show') {
      const dataset = findPackage(params.get('id') ?? '');
      return dataset
        ? { status: 200, body: { help, success: true, result: dataset } }
        : { status: 404, body: notFound(help, 'Not found') };
    }
    if (action === 'resource_show') {
      const resource = findResource(params.get('id') ?? '');
      return resource
        ? { status: 200, body: { help, success: true, result: resource } }
        : { status: 404, body: notFound(help, 'Not found') };
    }
    if (action === 'datastore_search') {
      return datastoreSearch(params, help);
    }
    return { status: 400, body: { help, success: false, error: { __type: 'Bad request', message: `Action name not known: ${action}` } } };
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    const params = url.searchParams;
    const failureId = params.get('id') ?? params.get('resource_id');
    const cors = failureId === FAILURE_IDS.corsRefused ? {} : CORS_HEADERS;

    if (request.method === 'OPTIONS') {
      response.writeHead(200, { ...cors, 'Content-Length': '0' });
      response.end();
      return;
    }
    if (FILES[url.pathname]) {
      const file = FILES[url.pathname];
      response.writeHead(200, { ...cors, 'Content-Type': file.type });
      response.end(file.body);
      return;
    }
    const match = /^\/api\/3\/action\/([a-z_]+)$/.exec(url.pathname);
    if (!match) {
      sendPage(response, 404, cors);
      return;
    }
    const action = match[1];
    requests.push({ action, params: Object.fromEntries(params) });
    const help = `${site}/api/3/action/help_show?name=${action}`;

    if (failureId === FAILURE_IDS.htmlPage) {
      sendPage(response, 200, cors);
      return;
    }
    if (failureId === FAILURE_IDS.brokenJson) {
      response.writeHead(200, { ...cors, 'Content-Type': 'application/json;charset=utf-8' });
      response.end('{"help": "x", "success": true, "result": {"id": ');
      return;
    }
    if (failureId === FAILURE_IDS.serverError) {
      sendJson(response, 500, cors, {
        help,
        success: false,
        error: { __type: 'Internal Server Error', message: 'Internal Server Error' },
      });
      return;
    }

    // The slow and the CORS-refusing ids stand for the big resource.
    const realParams = new URLSearchParams(params);
    for (const name of ['id', 'resource_id']) {
      if (realParams.get(name) === FAILURE_IDS.slow || realParams.get(name) === FAILURE_IDS.corsRefused) {
        realParams.set(name, BIG_RESOURCE_ID);
      }
    }
    let reply;
    try {
      reply = answer(action, realParams, help);
    } catch (error) {
      if (!(error instanceof ValidationError)) {
        throw error;
      }
      reply = { status: 409, body: { help, success: false, error: { ...error.errors, __type: 'Validation Error' } } };
    }

    if (failureId === FAILURE_IDS.slow) {
      const send = () => {
        pendingSlow.delete(send);
        clearTimeout(timer);
        if (!response.destroyed) {
          sendJson(response, reply.status, cors, reply.body);
        }
      };
      const timer = setTimeout(send, slowMs);
      pendingSlow.add(send);
      return;
    }
    sendJson(response, reply.status, cors, reply.body);
  });

  // A test that counts a million rows blocks the event loop for seconds.
  // With Node's default of 5 s, the server could close a kept-alive
  // connection just as the client reuses it.
  server.keepAliveTimeout = 120_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  site = `http://127.0.0.1:${port}`;
  packages = catalogue(site);

  return {
    url: site,
    apiBase: `${site}/api/3/action`,
    requests,
    releaseSlow: () => {
      for (const send of [...pendingSlow]) {
        send();
      }
    },
    close: () =>
      new Promise((resolve) => {
        for (const send of [...pendingSlow]) {
          send();
        }
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

function notFound(help, message) {
  return { help, success: false, error: { message, __type: 'Not Found Error' } };
}

function sendJson(response, status, cors, body) {
  response.writeHead(status, { ...cors, 'Content-Type': 'application/json;charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}

function sendPage(response, status, cors) {
  response.writeHead(status, { ...cors, 'Content-Type': 'text/html; charset=utf-8' });
  response.end(
    '<!DOCTYPE html><html lang="de"><head><title>Open-Data-Portal Musterstadt</title></head>' +
      '<body><h1>Willkommen im Open-Data-Portal</h1></body></html>',
  );
}
