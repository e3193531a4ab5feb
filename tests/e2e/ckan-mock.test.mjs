// Checks of the CKAN mock itself, so that the table tests can trust it:
// envelopes, paging, server-side sort, search and filters over the
// million-row resource, validation errors and every failure mode.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  BIG_FIELDS,
  BIG_RESOURCE_ID,
  BIG_ROW_COUNT,
  FAILURE_IDS,
  bigCell,
  bigRow,
  startCkanMock,
  words,
} from './helpers/ckan-mock.mjs';

let mock;

before(async () => {
  mock = await startCkanMock();
});

after(async () => {
  await mock?.close();
});

/** Calls an action and returns the HTTP status, the headers and the parsed body. */
async function call(action, params, base = mock) {
  const response = await fetch(`${base.apiBase}/${action}?${new URLSearchParams(params)}`);
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body };
}

async function search(params) {
  const { status, body } = await call('datastore_search', { resource_id: BIG_RESOURCE_ID, ...params });
  assert.equal(status, 200, JSON.stringify(body).slice(0, 300));
  return body.result;
}

/**
 * Counts the rows of the whole resource that pass `test`, which reads the
 * cells it needs through `cell(field)`.
 */
function countRows(test) {
  let count = 0;
  for (let index = 0; index < BIG_ROW_COUNT; index += 1) {
    if (test((field) => bigCell(index, field))) {
      count += 1;
    }
  }
  return count;
}

describe('when showing metadata', () => {
  test('server listens on loopback only', () => {
    assert.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('package_show returns envelope', async () => {
    const { status, headers, body } = await call('package_show', { id: 'baumkataster-musterstadt' });
    assert.equal(status, 200);
    assert.equal(headers.get('access-control-allow-origin'), '*');
    assert.equal(body.success, true);
    assert.match(body.help, /help_show\?name=package_show$/);
    assert.equal(body.result.title, 'Baumkataster Musterstadt');
    const datastore = body.result.resources.find((resource) => resource.datastore_active);
    assert.equal(datastore.id, BIG_RESOURCE_ID);
    assert.equal(datastore.package_id, body.result.id);
  });

  test('package_show finds dataset by id', async () => {
    const { body: byName } = await call('package_show', { id: 'wahlergebnisse-2024' });
    const { body: byId } = await call('package_show', { id: byName.result.id });
    assert.equal(byId.result.name, 'wahlergebnisse-2024');
  });

  test('resource_show returns resource', async () => {
    const { status, body } = await call('resource_show', { id: BIG_RESOURCE_ID });
    assert.equal(status, 200);
    assert.equal(body.result.datastore_active, true);
    assert.equal(body.result.package_id, '6f2c1a4e-8b3d-4e5f-a1b2-c3d4e5f6a7b8');
  });

  test('unknown id gives not found', async () => {
    for (const action of ['package_show', 'resource_show']) {
      const { status, body } = await call(action, { id: 'gibt-es-nicht' });
      assert.equal(status, 404, action);
      assert.deepEqual(body.error, { message: 'Not found', __type: 'Not Found Error' }, action);
      assert.equal(body.success, false, action);
    }
  });

  test('file resource is served with cors', async () => {
    const { body } = await call('package_show', { id: 'wahlergebnisse-2024' });
    const csv = body.result.resources.find((resource) => resource.format === 'csv');
    const response = await fetch(csv.url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.match(await response.text(), /^Stimmbezirk;Wahlberechtigte/);
  });

  test('preflight gets cors headers', async () => {
    const response = await fetch(`${mock.apiBase}/datastore_search`, { method: 'OPTIONS' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.match(response.headers.get('access-control-allow-methods'), /GET/);
  });
});

describe('when paging', () => {
  test('first page has defaults', async () => {
    const result = await search({});
    assert.equal(result.total, BIG_ROW_COUNT);
    assert.equal(result.limit, 100);
    assert.equal(result.offset, 0);
    assert.equal(result.records.length, 100);
    assert.deepEqual(result.fields, BIG_FIELDS);
    assert.deepEqual(result.records[0], bigRow(0));
    assert.deepEqual(result.records[99], bigRow(99));
    assert.match(result._links.next, /offset=100/);
    assert.doesNotMatch(result._links.start, /offset=/);
  });

  test('rows are generated the same each time', async () => {
    const first = await search({ offset: 123_456, limit: 1 });
    const second = await search({ offset: 123_456, limit: 1 });
    assert.deepEqual(first.records, second.records);
    assert.equal(first.records[0]._id, 123_457);
  });

  test('last page is short', async () => {
    const result = await search({ offset: BIG_ROW_COUNT - 10, limit: 25 });
    assert.equal(result.records.length, 10);
    assert.equal(result.records.at(-1)._id, BIG_ROW_COUNT);
    const beyond = await search({ offset: BIG_ROW_COUNT + 5, limit: 25 });
    assert.equal(beyond.records.length, 0);
    assert.equal(beyond.total, BIG_ROW_COUNT);
  });

  test('limit is capped at rows_max', async () => {
    const capped = await startCkanMock({ rowsMax: 50 });
    try {
      const { body } = await call('datastore_search', { resource_id: BIG_RESOURCE_ID, limit: 500 }, capped);
      assert.equal(body.result.limit, 50);
      assert.equal(body.result.records.length, 50);
    } finally {
      await capped.close();
    }
  });

  test('invalid numbers are validation errors', async () => {
    for (const params of [{ limit: 'zehn' }, { offset: '-1' }]) {
      const { status, body } = await call('datastore_search', { resource_id: BIG_RESOURCE_ID, ...params });
      assert.equal(status, 409, JSON.stringify(params));
      assert.equal(body.error.__type, 'Validation Error');
      assert.deepEqual(Object.values(body.error)[0], ['Invalid integer']);
    }
  });

  test('missing resource id is rejected', async () => {
    const { status, body } = await call('datastore_search', {});
    assert.equal(status, 409);
    assert.deepEqual(body.error.resource_id, ['Missing value']);
  });

  test('unknown resource is not found', async () => {
    const { status, body } = await call('datastore_search', { resource_id: 'b1000000-0000-4000-8000-000000000001' });
    assert.equal(status, 404);
    assert.equal(body.error.__type, 'Not Found Error');
  });
});

describe('when sorting', () => {
  test('numeric sort spans pages', async () => {
    const sort = '"Stammumfang (cm)" desc, "_id" asc';
    const first = await search({ sort, limit: 50 });
    const second = await search({ sort, limit: 50, offset: 50 });
    const rows = [...first.records, ...second.records];
    assert.equal(rows[0]['Stammumfang (cm)'], 449.9);
    for (let at = 1; at < rows.length; at += 1) {
      const [before, current] = [rows[at - 1], rows[at]];
      assert.ok(before['Stammumfang (cm)'] >= current['Stammumfang (cm)'], `row ${at} out of order`);
      if (before['Stammumfang (cm)'] === current['Stammumfang (cm)']) {
        assert.ok(before._id < current._id, `tie at row ${at} not in _id order`);
      }
    }
    assert.equal(first.sort, sort);
  });

  test('nulls are last ascending', async () => {
    const total = (await search({ limit: 1 })).total;
    const last = await search({ sort: 'Pflanzjahr asc', offset: total - 3, limit: 3 });
    assert.deepEqual(
      last.records.map((record) => record.Pflanzjahr),
      [null, null, null],
    );
    const first = await search({ sort: 'Pflanzjahr asc', limit: 1 });
    assert.equal(first.records[0].Pflanzjahr, 1900);
  });

  test('nulls are first descending', async () => {
    const result = await search({ sort: 'Pflanzjahr desc', limit: 3 });
    assert.deepEqual(
      result.records.map((record) => record.Pflanzjahr),
      [null, null, null],
    );
  });

  test('text sorts in german order', async () => {
    const result = await search({ sort: 'Art', limit: 1 });
    const expected = [...new Set(Array.from({ length: 2000 }, (_, index) => bigRow(index).Art))].sort(
      new Intl.Collator('de').compare,
    )[0];
    assert.equal(result.records[0].Art, expected);
  });

  test('unknown sort field is rejected', async () => {
    const { status, body } = await call('datastore_search', { resource_id: BIG_RESOURCE_ID, sort: '"Höhe" desc' });
    assert.equal(status, 409);
    assert.deepEqual(body.error.sort, ['field "Höhe" not in table']);
    assert.equal(body.error.__type, 'Validation Error');
  });
});

describe('when filtering', () => {
  test('exact filters match server-side', async () => {
    const filters = { Bezirk: 'Südstadt', Gefällt: true };
    const result = await search({ filters: JSON.stringify(filters), limit: 200 });
    assert.ok(result.records.length > 0);
    for (const record of result.records) {
      assert.equal(record.Bezirk, 'Südstadt');
      assert.equal(record.Gefällt, true);
    }
    assert.equal(result.total, countRows((cell) => cell('Bezirk') === 'Südstadt' && cell('Gefällt') === true));
    assert.deepEqual(result.filters, filters);
  });

  test('list filter matches any value', async () => {
    const result = await search({ filters: JSON.stringify({ Bezirk: ['Hafen', 'Grünau'], Pflanzjahr: '1990' }), limit: 500 });
    assert.ok(result.records.length > 0);
    for (const record of result.records) {
      assert.ok(['Hafen', 'Grünau'].includes(record.Bezirk), record.Bezirk);
      assert.equal(record.Pflanzjahr, 1990);
    }
    assert.equal(
      result.total,
      countRows((cell) => ['Hafen', 'Grünau'].includes(cell('Bezirk')) && cell('Pflanzjahr') === 1990),
    );
  });

  test('full text needs every word', async () => {
    const result = await search({ q: 'Linde altstadt', limit: 100 });
    assert.ok(result.records.length > 0);
    for (const record of result.records) {
      const rowWords = Object.values(record).flatMap((value) => (value === null ? [] : words(value)));
      assert.ok(rowWords.includes('linde'), JSON.stringify(record));
      assert.ok(rowWords.includes('altstadt'), JSON.stringify(record));
    }
    assert.equal(
      result.total,
      countRows((cell) => words(cell('Art')).includes('linde') && words(cell('Bezirk')).includes('altstadt')),
    );
  });

  test('field search with sort and paging', async () => {
    const q = JSON.stringify({ Art: 'Eiche' });
    const first = await search({ q, sort: '"Pflanzjahr" desc, "_id" asc', limit: 20, offset: 40_000 });
    assert.equal(first.total, countRows((cell) => words(cell('Art')).includes('eiche')));
    for (const record of first.records) {
      assert.match(record.Art, /Eiche$/);
    }
  });

  test('filters combine with search and sort', async () => {
    const params = {
      q: 'naturdenkmal',
      filters: JSON.stringify({ Bezirk: 'Mühlental' }),
      sort: '"Erfasst" asc',
      limit: 1000,
    };
    const result = await search(params);
    assert.equal(
      result.total,
      countRows((cell) => cell('Bemerkung') === 'Naturdenkmal' && cell('Bezirk') === 'Mühlental'),
    );
    const times = result.records.map((record) => record.Erfasst);
    assert.deepEqual(times, [...times].sort());
  });

  test('bad filters are validation errors', async () => {
    const cases = [
      [{ filters: '{"Bezirk": ' }, 'filters', 'Cannot parse JSON'],
      [{ filters: '["Hafen"]' }, 'filters', 'filters must be either a dict or null.'],
      [{ filters: '{"Höhe": 3}' }, 'filters', 'field "Höhe" not in table'],
      [{ q: '{"Höhe": "3"}' }, 'q', 'field "Höhe" not in table'],
    ];
    for (const [params, name, message] of cases) {
      const { status, body } = await call('datastore_search', { resource_id: BIG_RESOURCE_ID, ...params });
      assert.equal(status, 409, JSON.stringify(params));
      assert.deepEqual(body.error[name], [message], JSON.stringify(params));
    }
  });
});

describe('when failing on purpose', () => {
  test('server error has envelope', async () => {
    const { status, body } = await call('datastore_search', { resource_id: FAILURE_IDS.serverError });
    assert.equal(status, 500);
    assert.equal(body.success, false);
    assert.equal(body.error.__type, 'Internal Server Error');
  });

  test('html page replaces json', async () => {
    const { status, headers, body } = await call('package_show', { id: FAILURE_IDS.htmlPage });
    assert.equal(status, 200);
    assert.match(headers.get('content-type'), /^text\/html/);
    assert.match(body, /^<!DOCTYPE html>/);
  });

  test('broken json cannot be parsed', async () => {
    const { status, body } = await call('resource_show', { id: FAILURE_IDS.brokenJson });
    assert.equal(status, 200);
    assert.equal(typeof body, 'string');
  });

  test('cors refusal omits headers', async () => {
    const { status, headers, body } = await call('datastore_search', { resource_id: FAILURE_IDS.corsRefused, limit: 1 });
    assert.equal(status, 200);
    assert.equal(headers.get('access-control-allow-origin'), null);
    assert.equal(body.result.total, BIG_ROW_COUNT);
  });

  test('slow answer waits for release', async () => {
    const slow = await startCkanMock();
    try {
      let settled = false;
      const pending = call('datastore_search', { resource_id: FAILURE_IDS.slow, limit: 1 }, slow).then((reply) => {
        settled = true;
        return reply;
      });
      while (slow.requests.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(settled, false, 'the slow answer arrived before its release');
      slow.releaseSlow();
      const { status, body } = await pending;
      assert.equal(status, 200);
      assert.equal(body.result.records.length, 1);
    } finally {
      await slow.close();
    }
  });

  test('requests are recorded', async () => {
    const before = mock.requests.length;
    await search({ sort: 'Bezirk asc', limit: 5 });
    const recorded = mock.requests.slice(before);
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0].action, 'datastore_search');
    assert.equal(recorded[0].params.sort, 'Bezirk asc');
  });
});
