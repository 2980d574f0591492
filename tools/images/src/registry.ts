// A throwaway docker-registry (github.com/docker/distribution) on a free loopback port, for
// tests and local pushes; and `skopeo inspect` of what was pushed to any registry.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ImageConfig } from './buildah.ts';
import { run } from './exec.ts';

export interface LocalRegistry {
  /** host:port, e.g. `127.0.0.1:41234`. */
  address: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts docker-registry storing blobs under `dir`; resolves once `/v2/` answers. */
export async function startRegistry(dir: string): Promise<LocalRegistry> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  mkdirSync(join(dir, 'data'), { recursive: true });
  const config = join(dir, 'config.yml');
  writeFileSync(config, [
    'version: 0.1',
    'log: {level: warn}',
    `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}, delete: {enabled: true}}`,
    `http: {addr: "${address}"}`, '',
  ].join('\n'));
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-4000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}):\n${stderr}`);
    try {
      const res = await fetch(`http://${address}/v2/`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop(child, exited);
      throw new Error(`docker-registry did not answer on ${address} within 10 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { address, stop: () => stop(child, exited) };
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await exited;
}

export interface RemoteImage {
  mediaType: string;
  config: ImageConfig;
  /** Layer blobs as stored in the registry (compressed sizes). */
  layers: { digest: string; size: number; mediaType: string }[];
}

/** TLS is skipped only for loopback registries, the ones this tool starts. */
export function isLoopback(registry: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(registry);
}

export async function inspectRemote(ref: string): Promise<RemoteImage> {
  const tls = `--tls-verify=${!isLoopback(ref)}`;
  const manifest = JSON.parse(await run(['skopeo', 'inspect', tls, '--raw', `docker://${ref}`]));
  const config = JSON.parse(await run(['skopeo', 'inspect', tls, '--config', `docker://${ref}`]));
  if (!Array.isArray(manifest.layers)) throw new Error(`${ref}: expected an image manifest, got ${manifest.mediaType}`);
  return { mediaType: manifest.mediaType, config: config.config ?? {}, layers: manifest.layers };
}
