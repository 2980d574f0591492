// buildImage: bundle one app, build its Containerfile on the base with buildah, optionally
// push it, and measure it.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { appExists, appSpec, REPO_ROOT, type AppName, type AppSpec } from './apps.ts';
import { ensureBase, type BaseImage } from './base.ts';
import { Buildah, type ImageConfig } from './buildah.ts';
import { bundleApp } from './bundle.ts';
import { stderrLog, timed, type Log } from './log.ts';
import { inspectRemote, isLoopback } from './registry.ts';
import { humanBytes, type SizeRow } from './sizes.ts';

export interface BuildOptions {
  /** Image tag; default `latest`. */
  tag?: string;
  /** Registry to push to, `host[:port][/path]`; loopback registries are used without TLS. */
  push?: string;
  log?: Log;
  buildah?: Buildah;
  root?: string;
  /** The base to build on; ensured (built or found in the cache) when absent. */
  base?: BaseImage;
}

export interface BuiltImage extends SizeRow {
  /** Local reference, `localhost/<image>:<tag>`. */
  ref: string;
  /** Where it was pushed, `<registry>/<image>:<tag>`. */
  remoteRef?: string;
  config: ImageConfig;
  /** npm packages copied beside the bundle (native addons and their dependencies). */
  packages: string[];
  bundleBytes: number;
}

export async function buildImage(app: AppName | AppSpec, opts: BuildOptions = {}): Promise<BuiltImage> {
  const root = opts.root ?? REPO_ROOT;
  const spec = typeof app === 'string' ? appSpec(app, root) : app;
  const log = opts.log ?? stderrLog;
  const buildah = opts.buildah ?? new Buildah();
  const tag = opts.tag ?? 'latest';
  if (!appExists(spec)) throw new Error(`${spec.name}: ${spec.entry} does not exist`);
  if (!existsSync(spec.containerfile)) throw new Error(`${spec.name}: no Containerfile at ${spec.containerfile}`);
  const start = performance.now();
  const base = opts.base ?? (await ensureBase({ buildah, log, root }));

  const ctx = join(buildah.root, 'ctx', `${spec.name}-${process.pid}`); // per process: builds may overlap
  const bundle = await timed(log, `${spec.name}: bundled`, () => bundleApp(spec.entry, ctx, root));
  const b = bundle.value;
  log(`${spec.name}: main.mjs ${humanBytes(b.bundleBytes)}` +
    (b.packages.length ? `, node_modules ${humanBytes(b.nodeModulesBytes)} (${b.packages.join(', ')})` : ''));
  for (const w of b.warnings.slice(0, 5)) log(`${spec.name}: esbuild warning: ${w}`);
  const containerfile = readFileSync(spec.containerfile, 'utf8');
  const copiesModules = /^\s*COPY\s.*\bnode_modules\//m.test(containerfile);
  if (b.packages.length && !copiesModules) {
    throw new Error(`${spec.name}: the bundle imports native packages (${b.packages.join(', ')}) but ${spec.containerfile} does not COPY node_modules/`);
  }
  if (copiesModules && !b.packages.length) {
    // The app does not use a native addon (yet); an empty layer keeps the Containerfile valid.
    log(`${spec.name}: note: the Containerfile copies node_modules/ but the bundle imports no native package`);
    mkdirSync(join(ctx, 'node_modules'), { recursive: true });
  }

  const ref = `localhost/${spec.image}:${tag}`;
  await timed(log, `${spec.name}: buildah bud ${ref}`, () =>
    buildah.run(['bud', '--layers', '--isolation', 'chroot', '-q', '-f', spec.containerfile,
      '--build-arg', `BASE=${base.ref}`, '-t', ref,
      '--label', `org.opencontainers.image.title=${spec.image}`,
      '--label', `org.opencontainers.image.version=${tag}`, ctx]));
  rmSync(ctx, { recursive: true, force: true }); // the store has it now; DuckDB alone is 68 MiB
  const image = await buildah.inspectImage(ref);
  const baseLayers = new Set((await buildah.inspectImage(base.ref)).layers.map((l) => l.digest));
  const row: BuiltImage = {
    app: spec.name,
    image: spec.image,
    ref,
    layers: image.layers.length,
    bytes: sum(image.layers.map((l) => l.size)),
    ownBytes: sum(image.layers.filter((l) => !baseLayers.has(l.digest)).map((l) => l.size)),
    seconds: 0,
    config: image.config,
    packages: b.packages,
    bundleBytes: b.bundleBytes,
  };
  if (opts.push) {
    const pushed = await pushImage(buildah, ref, `${opts.push.replace(/\/+$/, '')}/${spec.image}:${tag}`, log);
    row.remoteRef = pushed.ref;
    row.pushedBytes = pushed.bytes;
  }
  row.seconds = (performance.now() - start) / 1000;
  log(`${spec.name}: ${ref} ${humanBytes(row.bytes)} (${humanBytes(row.ownBytes)} on top of the base) in ${row.seconds.toFixed(1)} s`);
  return row;
}

/** Pushes a local image and returns the registry's view of it (compressed layer sizes). */
export async function pushImage(buildah: Buildah, local: string, remote: string, log: Log = stderrLog): Promise<{ ref: string; bytes: number }> {
  await timed(log, `push ${remote}`, () =>
    buildah.run(['push', '-q', `--tls-verify=${!isLoopback(remote)}`, local, `docker://${remote}`]));
  const inspected = await inspectRemote(remote);
  return { ref: remote, bytes: sum(inspected.layers.map((l) => l.size)) };
}

function sum(ns: number[]): number {
  return ns.reduce((a, b) => a + b, 0);
}
