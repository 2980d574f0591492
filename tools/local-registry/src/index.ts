// A throwaway docker-registry (github.com/docker/distribution) on a free loopback port, for
// tests and local pushes (tools/images), optionally with htpasswd auth as image builds meet it;
// and the test helpers of apps/image and apps/kaniko-driver: a tiny FROM-scratch base image
// pushed with buildah, and reading an image back through the registry API.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import bcrypt from 'bcryptjs';
import tar from 'tar-stream';
import { promisify } from 'node:util';
import { freePort } from '@tars-ts/rpc/testing';

export { freePort };

export interface LocalRegistry {
  /** host:port, e.g. `127.0.0.1:41234`. */
  address: string;
  stop(): Promise<void>;
}

export interface TestRegistry extends LocalRegistry {
  user: string;
  password: string;
  /** `.dockerconfigjson` content for this registry. */
  dockerConfigJson(): string;
}

/**
 * Starts docker-registry storing blobs under `dir` (deletes enabled); resolves once `/v2/`
 * answers, with 401 when `htpasswd` asks for credentials.
 */
export async function startRegistry(dir: string, options: { htpasswd?: { user: string; password: string } } = {}): Promise<LocalRegistry> {
  const address = `127.0.0.1:${await freePort()}`;
  mkdirSync(join(dir, 'data'), { recursive: true });
  const lines = [
    'version: 0.1',
    'log: {level: warn}',
    `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}, delete: {enabled: true}}`,
    `http: {addr: "${address}"}`,
  ];
  if (options.htpasswd) {
    const { user, password } = options.htpasswd;
    writeFileSync(join(dir, 'htpasswd'), `${user}:${bcrypt.hashSync(password, 6)}\n`);
    lines.push(`auth: {htpasswd: {realm: local-registry, path: ${join(dir, 'htpasswd')}}}`);
  }
  writeFileSync(join(dir, 'config.yml'), [...lines, ''].join('\n'));
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const ready = options.htpasswd ? 401 : 200;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}):\n${stderr}`);
    const status = await fetch(`http://${address}/v2/`).then((r) => r.status, () => 0);
    if (status === ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not answer on ${address} within 15 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { address, stop };
}

/** A registry that wants `user`/`password` (htpasswd), as image builds push to. */
export async function startTestRegistry(dir: string, user = 'builder', password = 'p4ss-word'): Promise<TestRegistry> {
  const { address, stop } = await startRegistry(dir, { htpasswd: { user, password } });
  const auth = Buffer.from(`${user}:${password}`).toString('base64');
  return { address, user, password, dockerConfigJson: () => JSON.stringify({ auths: { [address]: { username: user, password, auth } } }), stop };
}

/** A FROM-scratch image with one file, built and pushed with buildah (temp storage, vfs). */
export async function pushTinyBase(storage: { root: string; runroot: string }, registry: TestRegistry, ref: string, dir: string): Promise<void> {
  mkdirSync(join(dir, 'ctx'), { recursive: true });
  writeFileSync(join(dir, 'ctx', 'base.txt'), 'tiny base\n');
  writeFileSync(join(dir, 'ctx', 'Dockerfile'), 'FROM scratch\nCOPY base.txt /etc/base.txt\nENV BaseImage=tiny\n');
  const flags = ['--storage-driver', 'vfs', '--root', storage.root, '--runroot', storage.runroot];
  const run = promisify(execFile);
  await run('buildah', [...flags, 'bud', '--isolation', 'chroot', '-t', ref, join(dir, 'ctx')], { timeout: 120_000 });
  await run('buildah', [...flags, 'push', '--tls-verify=false', '--creds', `${registry.user}:${registry.password}`, ref, `docker://${ref}`], { timeout: 120_000 });
  await run('buildah', [...flags, 'rmi', '-f', ref], { timeout: 60_000 });
}

export interface PulledImage {
  config: { config?: { Env?: string[] } };
  /** Files of the last layer (what `COPY root /` added), path → content. */
  lastLayer: Map<string, string>;
  layers: number;
}

/** Reads an image back through the registry API with basic auth. */
export async function pullImage(registry: TestRegistry, image: string): Promise<PulledImage> {
  const rest = image.slice(registry.address.length + 1);
  const colon = rest.lastIndexOf(':');
  const repo = rest.slice(0, colon);
  const tag = rest.slice(colon + 1);
  const headers = {
    Authorization: `Basic ${Buffer.from(`${registry.user}:${registry.password}`).toString('base64')}`,
    Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
  };
  const get = async (path: string) => {
    const res = await fetch(`http://${registry.address}/v2/${repo}/${path}`, { headers });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  };
  const manifest = JSON.parse((await get(`manifests/${tag}`)).toString()) as { config: { digest: string }; layers: { digest: string }[] };
  const config = JSON.parse((await get(`blobs/${manifest.config.digest}`)).toString());
  const layer = gunzipSync(await get(`blobs/${manifest.layers.at(-1)!.digest}`));
  const files = new Map<string, string>();
  const ex = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (h, stream, next) => {
      const parts: Buffer[] = [];
      stream.on('data', (c: Buffer) => parts.push(c));
      stream.on('end', () => {
        if (h.type === 'file') files.set(h.name.replace(/^\.?\//, ''), Buffer.concat(parts).toString());
        next();
      });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  ex.end(layer);
  await done;
  return { config, lastLayer: files, layers: manifest.layers.length };
}
