// A server on 127.0.0.1 that sends the first part of one file and keeps
// back the rest until the test releases it, so "the file is still
// downloading" is a state that a test controls rather than a moment in time.
// It also serves one test page and the built widgets from pkg/.

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

import { PKG_DIR } from './site.mjs';
import { STRICT_CSP } from './static-server.mjs';

const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

/**
 * Starts the server. `page` is served as `/seite.html` under the strict CSP,
 * `body` as `/datei.csv` with its full Content-Length, of which only the
 * first `firstBytes` are sent before `release()` is called. Without
 * `firstBytes` the whole file is sent at once.
 *
 * @param {{page: string, body: Buffer, firstBytes?: number}} options
 * @returns {Promise<{base: string, release: () => void, close: () => Promise<void>}>}
 */
export async function startHeldFileServer({ page, body, firstBytes }) {
  const waiting = new Set();
  const server = createServer(async (request, response) => {
    const path = new URL(request.url, 'http://127.0.0.1').pathname;
    if (path === '/seite.html') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': STRICT_CSP });
      response.end(page);
      return;
    }
    if (path === '/datei.csv') {
      response.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Length': String(body.length) });
      if (firstBytes === undefined) {
        response.end(body);
        return;
      }
      const held = new Promise((resolve) => waiting.add(resolve));
      response.write(body.subarray(0, firstBytes));
      await held;
      response.end(body.subarray(firstBytes));
      return;
    }
    const file = normalize(path.slice('/ogkit/'.length));
    if (!path.startsWith('/ogkit/') || file.startsWith('..')) {
      response.writeHead(404);
      response.end();
      return;
    }
    try {
      const content = await readFile(join(PKG_DIR, file));
      response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(content);
    } catch {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

  const release = () => {
    for (const resolve of waiting) {
      resolve();
    }
    waiting.clear();
  };
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    release,
    close: async () => {
      release();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
