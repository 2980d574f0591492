// Bundles an app's main.ts (and every workspace library and npm package it imports) into one
// ES module with esbuild. Native addons cannot be bundled: their packages stay external and are
// copied, with their installed dependencies, into node_modules beside the bundle.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { REPO_ROOT } from './apps.ts';
import { have, run } from './exec.ts';

/** Packages that load a `.node` addon; kept out of the bundle. */
export const NATIVE_PACKAGES = ['@duckdb/node-api'];

export interface BundleResult {
  /** The bundle, `<outDir>/app/main.mjs` (with `main.mjs.map` beside it). */
  main: string;
  bundleBytes: number;
  /** Top-level packages copied to `<outDir>/node_modules`, including dependencies. */
  packages: string[];
  nodeModulesBytes: number;
  /** esbuild's warnings, `file:line: text`. */
  warnings: string[];
}

// An ES module bundle has no `require`; CommonJS dependencies that call it for Node built-ins
// get one made from import.meta.url.
const BANNER = "import { createRequire as __tarsCreateRequire } from 'node:module';\nconst require = __tarsCreateRequire(import.meta.url);";

/** Fails the build with a clear message when a package outside NATIVE_PACKAGES loads an addon. */
const nativeGuard: Plugin = {
  name: 'native-guard',
  setup(b) {
    b.onLoad({ filter: /\.node$/ }, (args) => ({
      errors: [{ text: `native addon ${args.path} cannot be bundled: add its package to NATIVE_PACKAGES in tools/images/src/bundle.ts` }],
    }));
  },
};

export async function bundleApp(entry: string, outDir: string, root = REPO_ROOT): Promise<BundleResult> {
  if (!existsSync(entry)) throw new Error(`no entry point ${entry}`);
  rmSync(outDir, { recursive: true, force: true });
  const main = join(outDir, 'app', 'main.mjs');
  const result = await build({
    entryPoints: [entry],
    outfile: main,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    // Stack traces point at the TypeScript sources (node --enable-source-maps); the sources
    // themselves stay out of the image.
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    external: NATIVE_PACKAGES.flatMap((p) => [p, `${p}/*`]),
    banner: { js: BANNER },
    plugins: [nativeGuard],
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: root,
  });
  const imported = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imp of output.imports) if (imp.external && !imp.path.startsWith('node:')) imported.add(packageOf(imp.path));
  }
  const packages = copyPackages([...imported].filter((p) => NATIVE_PACKAGES.includes(p)), join(root, 'node_modules'), join(outDir, 'node_modules'));
  if (packages.length) await slimPackages(join(outDir, 'node_modules'));
  return {
    main,
    bundleBytes: statSync(main).size,
    packages,
    nodeModulesBytes: packages.length ? dirBytes(join(outDir, 'node_modules')) : 0,
    warnings: result.warnings.map((w) => `${w.location ? `${w.location.file}:${w.location.line}: ` : ''}${w.text}`),
  };
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Copies `names` and their dependency closure from a hoisted node_modules. Optional
 * dependencies that are not installed (other platforms' binaries) are skipped; a missing
 * required one is an error.
 */
export function copyPackages(names: string[], from: string, to: string): string[] {
  const copied: string[] = [];
  const queue = names.map((name) => ({ name, optional: false, by: 'the bundle' }));
  while (queue.length) {
    const { name, optional, by } = queue.shift()!;
    if (copied.includes(name)) continue;
    // A dependency nested under its dependent's own node_modules came along with it.
    if (existsSync(join(from, by, 'node_modules', name, 'package.json'))) continue;
    const src = join(from, name);
    if (!existsSync(join(src, 'package.json'))) {
      if (optional) continue;
      throw new Error(`${name} (needed by ${by}) is not installed in ${from}`);
    }
    mkdirSync(join(to, name, '..'), { recursive: true });
    cpSync(src, join(to, name), { recursive: true, dereference: true });
    copied.push(name);
    const pkg = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8'));
    for (const dep of Object.keys(pkg.dependencies ?? {})) queue.push({ name: dep, optional: false, by: name });
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) queue.push({ name: dep, optional: true, by: name });
  }
  return copied.sort();
}

/**
 * Drops type declarations and strips symbol tables from native libraries (npm ships DuckDB's
 * unstripped: 70.5 → 59.6 MB). Skipped without binutils' `strip`.
 */
export async function slimPackages(dir: string): Promise<void> {
  const canStrip = have('strip');
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (/\.d\.[cm]?ts$/.test(entry.name)) rmSync(path);
    else if (canStrip && /\.(node|so(\.\d+)*)$/.test(entry.name)) await run(['strip', '--strip-unneeded', path]);
  }
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}
