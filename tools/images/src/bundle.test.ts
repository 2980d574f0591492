// Bundling and the app catalogue, without buildah: runs everywhere.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { APPS, appSpec, REPO_ROOT } from './apps.ts';
import { bundleApp, copyPackages, packageOf } from './bundle.ts';
import { humanBytes, sizeTable } from './sizes.ts';

const NODE24 = join(REPO_ROOT, 'node_modules', 'node', 'bin', 'node');
const tmp = mkdtempSync(join(tmpdir(), 'images-bundle-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bundleApp', () => {
  test('bundles the fixture into one ES module that runs with only its native addon beside it', async () => {
    const out = join(tmp, 'hello');
    const r = await bundleApp(join(REPO_ROOT, 'tools/images/fixtures/hello/src/main.ts'), out);
    // yaml and the relative .ts module are inside the bundle; only DuckDB (and its deps) beside it.
    expect(r.packages).toEqual(['@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-linux-x64', 'detect-libc']);
    expect(readdirSync(join(out, 'node_modules')).sort()).toEqual(['@duckdb', 'detect-libc']);
    expect(existsSync(join(out, 'app', 'main.mjs.map'))).toBe(true);
    // Type declarations are dropped and the DuckDB library loses its symbol tables.
    expect(existsSync(join(out, 'node_modules/@duckdb/node-api/lib/index.d.ts'))).toBe(false);
    const lib = 'node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so';
    expect(statSync(join(out, lib)).size).toBeLessThan(statSync(join(REPO_ROOT, lib)).size * 0.95);
    expect(r.bundleBytes).toBe(statSync(join(out, 'app', 'main.mjs')).size);
    // Run it from a directory outside the repo so nothing resolves through the workspace.
    const printed = JSON.parse(execFileSync(NODE24, [r.main, 'bundle'], { cwd: tmp, encoding: 'utf8' }));
    expect(printed).toMatchObject({ greeting: 'hello, bundle', yaml: { tars: ['registry', 'node'] }, duckdb: 42 });
  });

  test('a native addon outside NATIVE_PACKAGES fails with a message that says what to do', async () => {
    const dir = join(tmp, 'addon');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'main.ts'), "import addon from './thing.node';\nconsole.log(addon);\n");
    writeFileSync(join(dir, 'thing.node'), 'not really an addon');
    await expect(bundleApp(join(dir, 'main.ts'), join(tmp, 'addon-out'))).rejects.toThrow(/NATIVE_PACKAGES/);
  });
});

describe('copyPackages', () => {
  const nm = join(tmp, 'nm');
  const pkg = (name: string, deps: Record<string, Record<string, string>> = {}) => {
    mkdirSync(join(nm, name), { recursive: true });
    writeFileSync(join(nm, name, 'package.json'), JSON.stringify({ name, ...deps }));
  };

  test('copies the dependency closure and skips optional packages that are not installed', () => {
    pkg('a', { dependencies: { b: '1' }, optionalDependencies: { 'a-linux': '1', 'a-darwin': '1' } });
    pkg('b');
    pkg('a-linux');
    const to = join(tmp, 'copied');
    expect(copyPackages(['a'], nm, to)).toEqual(['a', 'a-linux', 'b']);
    expect(JSON.parse(readFileSync(join(to, 'b', 'package.json'), 'utf8')).name).toBe('b');
  });

  test('a missing required dependency names who needed it', () => {
    pkg('c', { dependencies: { gone: '1' } });
    expect(() => copyPackages(['c'], nm, join(tmp, 'copied2'))).toThrow(/gone \(needed by c\)/);
  });

  test('packageOf keeps the scope', () => {
    expect(packageOf('@duckdb/node-api/lib/x.js')).toBe('@duckdb/node-api');
    expect(packageOf('yaml/util')).toBe('yaml');
  });
});

describe('docker/', () => {
  test('every app has a Containerfile that runs node as user 10000 on the base', () => {
    for (const app of APPS) {
      const text = readFileSync(appSpec(app).containerfile, 'utf8');
      expect(text, app).toMatch(/^FROM \$\{BASE\}$/m);
      expect(text, app).toMatch(/^USER 10000:10000$/m);
      expect(text, app).toMatch(/^ENTRYPOINT \["node", /m);
    }
  });

  test('every directory under apps/ is in the image catalogue', () => {
    const dirs = existsSync(join(REPO_ROOT, 'apps')) ? readdirSync(join(REPO_ROOT, 'apps')).filter((d) => !d.startsWith('.')) : [];
    expect(dirs.filter((d) => !(APPS as readonly string[]).includes(d))).toEqual([]);
  });
});

test('size table lines up and shows pushed sizes when known', () => {
  expect(humanBytes(117_450_000)).toBe('112 MiB');
  expect(humanBytes(2048)).toBe('2.0 KiB');
  const table = sizeTable([
    { app: 'base', image: 'tars.base', layers: 3, bytes: 117_450_000, ownBytes: 117_450_000, pushedBytes: 47_000_000, seconds: 17 },
    { app: 'registry', image: 'tars.tarsregistry', layers: 4, bytes: 118_000_000, ownBytes: 550_000, seconds: 3.25 },
  ]).split('\n');
  expect(table[0]).toMatch(/^app\s+image\s+layers\s+size\s+app layers\s+compressed\s+build s$/);
  expect(table[2]).toMatch(/^base\s+tars\.base\s+3\s+112 MiB\s+112 MiB\s+45 MiB\s+17\.0$/);
  expect(table[3]).toMatch(/^registry\s+tars\.tarsregistry\s+4\s+113 MiB\s+537 KiB\s+-\s+3\.3$/);
});
