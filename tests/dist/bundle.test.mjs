// The release bundle as a city receives it: `cargo xtask test dist` builds
// dist/ogkit-VERSION.tar.gz and passes its path in OGKIT_DIST_ARCHIVE. The
// test unpacks it into a temporary folder, checks every checksum, starts
// the unpacked server with the bundle's own example configuration on a free
// loopback port, and uses the demo pages in Chromium under the server's
// strict Content-Security-Policy.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { describeLog, launchBrowser, openPage } from '../e2e/helpers/browser.mjs';
import { hitTexts, searchInput, waitForHits, waitForMount, WAIT_MS } from '../e2e/helpers/widgets.mjs';

const ARCHIVE = process.env.OGKIT_DIST_ARCHIVE;
const HASHED_NAME = /^[a-z_]+\.[0-9a-f]{16}\.(wasm|js|css)$/;

/** Every file below `dir`, as paths with `/` relative to `dir`. */
function filesBelow(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      files.push(relative(dir, join(entry.parentPath ?? entry.path, entry.name)).split('\\').join('/'));
    }
  }
  return files.sort();
}

function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Starts the unpacked server and resolves with its base URL once it listens. */
function startServer(bundle, dataDir) {
  const child = spawn(
    join(bundle, 'ogkit'),
    ['serve', '--config', join(bundle, 'deploy/ogkit.example.toml'), '--addr', '127.0.0.1:0', '--data-dir', dataDir],
    { cwd: dataDir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, RUST_LOG: 'info' } },
  );
  let log = '';
  const listening = new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const match = /listening on (http:\/\/[^\s"]+)/.exec(log);
      if (match) {
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`ogkit serve exited with ${code} before listening:\n${log}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, listening, exited, log: () => log };
}

describe('release bundle', () => {
  let workDir;
  let bundle;
  let server;
  let base;
  let launched;

  before(async () => {
    assert.ok(ARCHIVE, 'OGKIT_DIST_ARCHIVE is not set; run `cargo xtask test dist`, which builds the archive');
    workDir = mkdtempSync(join(tmpdir(), 'ogkit-dist-'));
    const unpacked = spawnSync('tar', ['-xzf', ARCHIVE, '-C', workDir], { encoding: 'utf8' });
    assert.equal(unpacked.status, 0, `tar failed: ${unpacked.stderr}`);
    const folders = readdirSync(workDir);
    assert.equal(folders.length, 1, `the archive has one top folder, found ${folders}`);
    assert.match(folders[0], /^ogkit-\d+\.\d+\.\d+/);
    bundle = join(workDir, folders[0]);
    server = startServer(bundle, mkdtempSync(join(workDir, 'data-')));
    base = await server.listening;
    launched = await launchBrowser();
  });

  after(async () => {
    await launched?.close();
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    if (workDir) {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  test('checksums match every file', () => {
    const listed = new Map();
    for (const line of readFileSync(join(bundle, 'SHA256SUMS'), 'utf8').trimEnd().split('\n')) {
      const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
      assert.ok(match, `malformed line in SHA256SUMS: ${JSON.stringify(line)}`);
      listed.set(match[2], match[1]);
    }
    const files = filesBelow(bundle).filter((file) => file !== 'SHA256SUMS');
    assert.deepEqual([...listed.keys()].sort(), files, 'SHA256SUMS lists exactly the files of the bundle');
    for (const file of files) {
      assert.equal(sha256(join(bundle, file)), listed.get(file), `checksum of ${file}`);
    }
  });

  test('contents are complete', () => {
    assert.ok(statSync(join(bundle, 'ogkit')).mode & 0o100, 'the server binary is executable');
    assert.match(readFileSync(join(bundle, 'LICENSE'), 'utf8'), /EUROPEAN UNION PUBLIC LICENCE v\. 1\.2/);
    const notices = readFileSync(join(bundle, 'THIRD-PARTY-NOTICES.txt'), 'utf8');
    for (const crate of ['axum', 'tokio', 'sqlx-sqlite', 'yew', 'wasm-bindgen', 'serde']) {
      assert.match(notices, new RegExp(`^  ${crate} \\S+: \\S`, 'm'), `the notices list ${crate}`);
    }
    assert.match(notices, /npm packages: none ships/);
    for (const file of ['deploy/ogkit.example.toml', 'deploy/ogkit.service', 'deploy/nginx.conf', 'deploy/apache.conf', 'CHANGELOG.md', 'demo/index.html', 'demo/daten/muenchen.json']) {
      assert.ok(statSync(join(bundle, file)).isFile(), `${file} is in the bundle`);
    }
    const pkg = readdirSync(join(bundle, 'pkg'));
    assert.ok(!pkg.includes('ogkit_widgets_bg.wasm') && !pkg.includes('ogkit.css'), `unhashed names left: ${pkg}`);
    const loader = readFileSync(join(bundle, 'pkg/ogkit.js'), 'utf8');
    const hashed = pkg.filter((name) => HASHED_NAME.test(name));
    assert.equal(hashed.length, 3, `wasm, glue and CSS carry a hash: ${pkg}`);
    const npm = JSON.parse(readFileSync(join(bundle, 'pkg/package.json'), 'utf8'));
    const targets = [npm.main, npm.types, ...Object.values(npm.exports).flatMap((value) => (typeof value === 'string' ? [value] : Object.values(value)))];
    for (const target of targets) {
      assert.ok(pkg.includes(target.replace(/^\.\//, '')), `pkg/package.json names ${target}, which the bundle has`);
    }
    for (const name of hashed) {
      assert.ok(loader.includes(name), `ogkit.js names ${name}`);
      assert.ok(pkg.includes(`${name}.gz`) && pkg.includes(`${name}.br`), `${name} has its .gz and .br copies`);
    }
  });

  test('server sends cache headers for hashed names and the loader', async () => {
    const pkg = readdirSync(join(bundle, 'pkg'));
    const wasm = pkg.find((name) => HASHED_NAME.test(name) && name.endsWith('.wasm'));
    const response = await fetch(`${base}/ogkit/${wasm}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/wasm');
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const loader = await fetch(`${base}/ogkit/ogkit.js`);
    assert.equal(loader.status, 200);
    assert.equal(loader.headers.get('cache-control'), 'public, max-age=3600');
  });

  test('demo page searches under the strict policy', async () => {
    const { page, log, close } = await openPage(launched, `${base}/`);
    try {
      const csp = (await fetch(`${base}/`)).headers.get('content-security-policy');
      assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
      const selector = 'og-service-search[src*="muenchen"]';
      await waitForMount(page, selector);
      const input = searchInput(page, selector);
      await input.click();
      await input.pressSequentially('Personalausweis');
      await waitForHits(page, selector, (ids) => ids.length > 0, 'a hit for Personalausweis');
      const texts = await hitTexts(page, selector);
      assert.ok(texts.some((text) => /Personalausweis/.test(text)), `hits: ${JSON.stringify(texts)}`);
      assert.ok(log.requests.some((url) => HASHED_NAME.test(url.split('/').pop())), 'the hashed files were loaded');
      assert.deepEqual(log.cspViolations, [], describeLog(log));
      assert.deepEqual(log.pageErrors, [], describeLog(log));
    } finally {
      await close();
    }
  });

  test('data tables mount on the data page', async () => {
    const { page, log, close } = await openPage(launched, `${base}/daten.html`);
    try {
      await page.waitForFunction(
        () => {
          const tables = [...document.querySelectorAll('og-data-table')];
          return tables.length > 0 && tables.every((table) => table.querySelector('[data-og-table] tbody tr'));
        },
        null,
        { timeout: WAIT_MS },
      );
      assert.deepEqual(log.cspViolations, [], describeLog(log));
      assert.deepEqual(log.pageErrors, [], describeLog(log));
    } finally {
      await close();
    }
  });

  test('docs are served', async () => {
    const response = await fetch(`${base}/docs/`);
    assert.equal(response.status, 200, `GET /docs/ returned ${response.status}`);
    for (const path of ['/docs/de/erste-schritte.html', '/docs/en/getting-started.html', '/docs/kit/ogkit.js']) {
      const page = await fetch(`${base}${path}`);
      assert.equal(page.status, 200, `GET ${path} returned ${page.status}`);
    }
    const german = await (await fetch(`${base}/docs/de/erste-schritte.html`)).text();
    assert.match(german, /<html lang="de"/, 'the German start page is rendered HTML');
    assert.match(german, /\/docs\/en\/getting-started\.html/, 'the German start page links to its English pair');
  });

  test('server stops cleanly on SIGTERM', async () => {
    server.child.kill('SIGTERM');
    const { code } = await server.exited;
    assert.equal(code, 0, server.log());
    assert.match(server.log(), /shutdown: stopped/);
  });
});
