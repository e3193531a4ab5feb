// pkg/ is an npm package: `cargo xtask build` writes package.json, the
// TypeScript declarations and the Custom Elements Manifest beside the
// widgets. `npm pack --dry-run` must accept it without the network, and
// every file that package.json names must exist. The declarations must
// compile under `tsc --strict` and catch typical mistakes.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { PKG_DIR, REPO_ROOT } from './helpers/site.mjs';

const readJson = (name) => JSON.parse(readFileSync(join(PKG_DIR, name), 'utf8'));

/** Tags and attribute lists of the ELEMENTS table of the built loader. */
function loaderElements() {
  const loader = readFileSync(join(PKG_DIR, 'ogkit.js'), 'utf8');
  // The minifier renames the variable, so find the object literal itself.
  const table = /\{\s*"og-service-search"\s*:\s*\[[^\]]*\](?:\s*,\s*"og-[a-z-]+"\s*:\s*\[[^\]]*\])*\s*,?\s*\}/.exec(loader);
  assert.ok(table, 'the built loader has its ELEMENTS table');
  return JSON.parse(table[0].replace(/,\s*\}$/, '}'));
}

const TYPES_DIR = join(REPO_ROOT, 'tests', 'types');

/**
 * Compiles `tests/types/NAME.ts` against the built declarations with
 * `tsc --strict` and returns the exit status and the error codes by line.
 */
function compileTypes(name) {
  const folder = mkdtempSync(join(tmpdir(), 'ogkit-types-'));
  try {
    const source = readFileSync(join(TYPES_DIR, `${name}.ts`), 'utf8').replaceAll(
      "'../../pkg/ogkit.js'",
      JSON.stringify(join(PKG_DIR, 'ogkit.js')),
    );
    const file = join(folder, `${name}.ts`);
    writeFileSync(file, source);
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'esnext'];
    args.push('--moduleResolution', 'bundler', '--lib', 'es2022,dom', '--pretty', 'false', file);
    const result = spawnSync(process.execPath, [tsc, ...args], { encoding: 'utf8' });
    const errors = [...result.stdout.matchAll(/\((\d+),\d+\): error (TS\d+)/g)].map((match) => `${match[1]} ${match[2]}`);
    return { status: result.status, output: result.stdout + result.stderr, errors };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('npm package in pkg/', () => {
  test('package.json has the required fields', () => {
    const cargo = readFileSync(join(REPO_ROOT, 'Cargo.toml'), 'utf8');
    const version = /\[workspace\.package\][^[]*?version\s*=\s*"([^"]+)"/s.exec(cargo)?.[1];
    const pkg = readJson('package.json');
    assert.equal(pkg.name, 'ogkit');
    assert.equal(pkg.version, version);
    assert.equal(pkg.license, 'EUPL-1.2');
    assert.equal(pkg.types, './ogkit.d.ts');
    assert.deepEqual(pkg.exports['.'], { types: './ogkit.d.ts', default: './ogkit.js' });
    for (const target of [pkg.main, pkg.types, pkg.customElements, ...Object.values(pkg.exports).flatMap((value) => (typeof value === 'string' ? [value] : Object.values(value)))]) {
      assert.ok(existsSync(join(PKG_DIR, target)), `${target} exists`);
    }
  });

  test('npm pack --dry-run succeeds offline', () => {
    const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--offline', '--ignore-scripts'], {
      cwd: PKG_DIR,
      encoding: 'utf8',
      env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
    });
    assert.equal(result.status, 0, `npm pack failed:\n${result.stderr}`);
    const [report] = JSON.parse(result.stdout);
    const files = report.files.map((file) => file.path).sort();
    for (const file of ['package.json', 'ogkit.js', 'ogkit.css', 'ogkit_widgets.js', 'ogkit_widgets_bg.wasm', 'ogkit.js.br', 'ogkit.d.ts', 'custom-elements.json']) {
      assert.ok(files.includes(file), `the package contains ${file}: ${files}`);
    }
    assert.equal(report.name, 'ogkit');
  });

  test('manifest and declarations match the loader', () => {
    const elements = loaderElements();
    const manifest = readJson('custom-elements.json');
    assert.equal(manifest.schemaVersion, '2.0.0');
    const declarations = manifest.modules.flatMap((module) => module.declarations);
    const fromManifest = Object.fromEntries(declarations.map((d) => [d.tagName, d.attributes.map((a) => a.name)]));
    assert.deepEqual(fromManifest, elements, 'custom-elements.json lists exactly the loader attributes');
    for (const declaration of declarations) {
      for (const attribute of declaration.attributes) {
        assert.ok(attribute.type?.text, `${declaration.tagName} ${attribute.name} has no type`);
        assert.ok(attribute.description, `${declaration.tagName} ${attribute.name} has no description`);
      }
      for (const event of declaration.events) {
        assert.match(event.name, /^og-[a-z]+$/);
        assert.match(event.type.text, /^CustomEvent<\{ .+ \}>$/);
      }
    }
    const types = readFileSync(join(PKG_DIR, 'ogkit.d.ts'), 'utf8');
    for (const declaration of declarations) {
      assert.ok(types.includes(`"${declaration.tagName}": ${declaration.name};`), `${declaration.tagName} in HTMLElementTagNameMap`);
      for (const event of declaration.events) {
        assert.ok(types.includes(`"${event.name}": CustomEvent<`), `${event.name} in HTMLElementEventMap`);
      }
    }
  });

  test('declarations compile in typical use', () => {
    const { status, output } = compileTypes('usage');
    assert.equal(status, 0, output);
  });

  test('declarations catch typical mistakes', () => {
    const { status, output, errors } = compileTypes('misuse');
    assert.equal(status, 2, output);
    assert.deepEqual(errors, ['9 TS2322', '13 TS2339', '18 TS2322'], output);
  });
});
