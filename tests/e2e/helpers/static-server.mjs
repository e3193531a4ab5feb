// A small static file server on 127.0.0.1 for the end-to-end tests.
//
// `ogkit serve` is the server the tests normally run against. This one
// exists for what a real server must never do: serve the widgets with a CSP
// that lacks 'wasm-unsafe-eval', serve the .wasm file as text/plain or answer
// it with a 404 page, and place the loader and the page on paths of their
// own. It records every request path, so tests can count downloads.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The Content-Security-Policy that ogkit promises to work under. */
export const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:";

/** The same policy without 'wasm-unsafe-eval': WebAssembly cannot compile. */
export const CSP_WITHOUT_WASM = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:";

/**
 * Starts a static server on a free loopback port.
 *
 * @param {object} options
 * @param {Array<{prefix: string, dir?: string, file?: string}>} options.routes
 *   URL prefixes mapped to folders (`dir`) or to one file (`file`); the
 *   first matching prefix wins.
 * @param {string} [options.csp] Content-Security-Policy header for HTML responses.
 * @param {'normal'|'text'|'404'} [options.wasm] how `.wasm` files are served.
 * @param {Record<string, string>} [options.headers] extra headers on every response.
 * @returns {Promise<{url: string, requests: string[], unref: () => void, close: () => Promise<void>}>}
 */
export async function startStaticServer({ routes, csp, wasm = 'normal', headers: extraHeaders = {} }) {
  const requests = [];

  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://127.0.0.1').pathname);
    requests.push(path);

    if (path.endsWith('.wasm') && wasm === '404') {
      sendHtml(response, 404, '<!doctype html><html><body>Nicht gefunden</body></html>', csp);
      return;
    }

    const file = resolveFile(routes, path);
    if (!file) {
      sendHtml(response, 404, '<!doctype html><html><body>Nicht gefunden</body></html>', csp);
      return;
    }

    let body;
    try {
      const info = await stat(file);
      body = info.isDirectory() ? await readFile(join(file, 'index.html')) : await readFile(file);
    } catch {
      sendHtml(response, 404, '<!doctype html><html><body>Nicht gefunden</body></html>', csp);
      return;
    }

    const extension = (await isDirectory(file)) ? '.html' : extname(file);
    let type = MIME_TYPES[extension] ?? 'application/octet-stream';
    if (extension === '.wasm' && wasm === 'text') {
      type = 'text/plain';
    }
    const headers = { ...extraHeaders, 'Content-Type': type, 'Cache-Control': 'no-store' };
    if (csp && extension === '.html') {
      headers['Content-Security-Policy'] = csp;
    }
    response.writeHead(200, headers);
    response.end(body);
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    // Lets the process exit while the server still listens.
    unref: () => server.unref(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

function resolveFile(routes, path) {
  for (const route of routes) {
    if (route.file && path === route.prefix) {
      return route.file;
    }
    if (route.dir && path.startsWith(route.prefix)) {
      const relative = normalize(path.slice(route.prefix.length));
      // Rejects `..` after normalisation, so no request leaves the folder.
      if (relative.startsWith('..') || relative.includes(`${sep}..`)) {
        return null;
      }
      return join(route.dir, relative);
    }
  }
  return null;
}

async function isDirectory(file) {
  try {
    return (await stat(file)).isDirectory();
  } catch {
    return false;
  }
}

function sendHtml(response, status, html, csp) {
  const headers = { 'Content-Type': 'text/html; charset=utf-8' };
  if (csp) {
    headers['Content-Security-Policy'] = csp;
  }
  response.writeHead(status, headers);
  response.end(html);
}
