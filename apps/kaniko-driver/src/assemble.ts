/**
 * Builds a FROM/ENV/COPY image without a container runtime: the base image's manifest and config
 * are read from its registry, the COPY sources become one gzipped tar layer (owned by root,
 * modes kept, fixed mtime), ENV goes into the config, and base layers, the new layer, the config
 * and the manifest are pushed to the destination (base layers by cross-repository mount when the
 * registry is the same, else copied as streams).
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readlink, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import type { BuildPlan } from './dockerfile.ts';
import { parseImageRef, readAll, RegistryClient, type Credentials, type ImageRef } from './registry-client.ts';

const MT = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
};
const ACCEPT = [MT.ociManifest, MT.dockerManifest, MT.ociIndex, MT.dockerList].join(', ');
const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string };
}
interface Manifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  manifests?: Descriptor[];
}
interface ImageConfig {
  config?: { Env?: string[]; [k: string]: unknown };
  rootfs: { type: string; diff_ids: string[] };
  history?: unknown[];
  created?: string;
  [k: string]: unknown;
}

export interface AssembleOptions {
  plan: BuildPlan;
  contextDir: string;
  destination: string;
  credentials(host: string): Credentials | undefined;
  insecure(host: string): boolean;
  skipTlsVerify: boolean;
  onPhase(phase: 'Building' | 'Pushing', message: string): Promise<void>;
  log(line: string): void;
  now?: Date;
}

/** Adds `dir` to the tar under `prefix` (sorted, so the layer is reproducible). */
async function addTree(pack: ReturnType<typeof tar.pack>, dir: string, prefix: string, mtime: Date): Promise<number> {
  let files = 0;
  for (const name of (await readdir(dir)).sort()) {
    const full = join(dir, name);
    const path = `${prefix}${name}`;
    const st = await lstat(full);
    const header = { name: path, mode: st.mode & 0o7777, uid: 0, gid: 0, uname: 'root', gname: 'root', mtime };
    if (st.isDirectory()) {
      pack.entry({ ...header, type: 'directory' } as never);
      files += await addTree(pack, full, `${path}/`, mtime);
    } else if (st.isSymbolicLink()) {
      pack.entry({ ...header, type: 'symlink', linkname: await readlink(full) } as never);
    } else if (st.isFile()) {
      pack.entry(header as never, await readFile(full));
      files++;
    }
  }
  return files;
}

export async function buildLayer(contextDir: string, plan: BuildPlan, mtime = new Date(0)): Promise<{ blob: Buffer; diffId: string; files: number }> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  let files = 0;
  for (const copy of plan.copies) {
    const dest = copy.dest.replace(/^\/+/, '').replace(/\/*$/, '/');
    files += await addTree(pack, join(contextDir, copy.src), dest === '/' ? '' : dest, mtime);
  }
  pack.finalize();
  await collected;
  const raw = Buffer.concat(chunks);
  return { blob: gzipSync(raw), diffId: sha256(raw), files };
}

async function getJson<T>(client: RegistryClient, path: string, accept: string, what: string): Promise<{ value: T; mediaType: string; raw: Buffer }> {
  const res = await client.expect(await client.request('GET', path, { Accept: accept }), [200], what);
  const raw = await readAll(res.body);
  return { value: JSON.parse(raw.toString('utf8')) as T, mediaType: String(res.headers['content-type'] ?? '').split(';')[0]!, raw };
}

async function pullBase(client: RegistryClient, ref: ImageRef): Promise<{ manifest: Manifest; config: ImageConfig; oci: boolean }> {
  let { value: manifest, mediaType } = await getJson<Manifest>(client, `/v2/${ref.repo}/manifests/${ref.reference}`, ACCEPT, `base image ${ref.host}/${ref.repo}:${ref.reference}`);
  mediaType = manifest.mediaType ?? mediaType;
  if (mediaType === MT.ociIndex || mediaType === MT.dockerList) {
    const pick = manifest.manifests?.find((m) => m.platform?.os === 'linux' && m.platform?.architecture === 'amd64') ?? manifest.manifests?.[0];
    if (!pick) throw new Error(`base image ${ref.repo}:${ref.reference} is an empty index`);
    ({ value: manifest, mediaType } = await getJson<Manifest>(client, `/v2/${ref.repo}/manifests/${pick.digest}`, ACCEPT, 'base image platform manifest'));
    mediaType = manifest.mediaType ?? mediaType;
  }
  if (!manifest.config || !Array.isArray(manifest.layers)) throw new Error(`base image manifest of type ${mediaType} is not supported`);
  const { value: config } = await getJson<ImageConfig>(client, `/v2/${ref.repo}/blobs/${manifest.config.digest}`, '*/*', 'base image config');
  return { manifest, config, oci: mediaType === MT.ociManifest };
}

async function upload(client: RegistryClient, repo: string, digest: string, body: Buffer | NodeJS.ReadableStream, size: number, location?: string): Promise<void> {
  let loc = location;
  if (!loc) {
    const started = await client.expect(await client.request('POST', `/v2/${repo}/blobs/uploads/`, { 'Content-Length': 0 }), [202], `start upload to ${repo}`);
    await readAll(started.body);
    loc = String(started.headers.location);
  }
  const url = new URL(loc, client.url('/'));
  url.searchParams.set('digest', digest);
  const res = await client.request('PUT', url, { 'Content-Type': 'application/octet-stream', 'Content-Length': size }, body as never);
  await readAll((await client.expect(res, [201], `upload ${digest} to ${repo}`)).body);
}

async function blobExists(client: RegistryClient, repo: string, digest: string): Promise<boolean> {
  const res = await client.request('HEAD', `/v2/${repo}/blobs/${digest}`);
  res.body.resume();
  return res.status === 200;
}

/** A base layer into the destination repository: present, mounted, or streamed across. */
async function copyBlob(src: RegistryClient, srcRef: ImageRef, dst: RegistryClient, dstRepo: string, layer: Descriptor): Promise<'present' | 'mounted' | 'copied'> {
  if (await blobExists(dst, dstRepo, layer.digest)) return 'present';
  let location: string | undefined;
  if (src.host === dst.host) {
    const res = await dst.request('POST', `/v2/${dstRepo}/blobs/uploads/?mount=${encodeURIComponent(layer.digest)}&from=${encodeURIComponent(srcRef.repo)}`, { 'Content-Length': 0 });
    await readAll(res.body);
    if (res.status === 201) return 'mounted';
    if (res.status === 202) location = String(res.headers.location);
  }
  const get = await src.expect(await src.request('GET', `/v2/${srcRef.repo}/blobs/${layer.digest}`), [200], `base layer ${layer.digest}`);
  await upload(dst, dstRepo, layer.digest, get.body, Number(get.headers['content-length'] ?? layer.size), location);
  return 'copied';
}

export async function assembleAndPush(o: AssembleOptions): Promise<{ digest: string }> {
  const baseRef = parseImageRef(o.plan.from);
  const dest = parseImageRef(o.destination);
  const client = (host: string, actions: string) => new RegistryClient(host, { credentials: o.credentials(host), insecure: o.insecure(host), skipTlsVerify: o.skipTlsVerify, actions });

  await o.onPhase('Building', 'building image');
  const src = client(baseRef.host, 'pull');
  const base = await pullBase(src, baseRef);
  o.log(`base ${o.plan.from}: ${base.manifest.layers.length} layers`);
  const layer = await buildLayer(o.contextDir, o.plan);
  const layerDigest = sha256(layer.blob);
  o.log(`layer ${layerDigest}: ${layer.files} files, ${layer.blob.length} bytes`);

  const config: ImageConfig = structuredClone(base.config);
  config.config ??= {};
  const env = new Map((config.config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e] as const));
  for (const [k, v] of o.plan.env) env.set(k, `${k}=${v}`);
  config.config.Env = [...env.values()];
  config.rootfs = { type: 'layers', diff_ids: [...(base.config.rootfs?.diff_ids ?? []), layer.diffId] };
  const created = (o.now ?? new Date()).toISOString();
  config.created = created;
  config.history = [...(base.config.history ?? []), ...o.plan.env.map(([k, v]) => ({ created, created_by: `ENV ${k}=${v}`, empty_layer: true })), { created, created_by: o.plan.copies.map((c) => `COPY ${c.src} ${c.dest}`).join('; ') }];
  const configBlob = Buffer.from(JSON.stringify(config));

  await o.onPhase('Pushing', 'pushing image');
  const dst = client(dest.host, 'pull,push');
  for (const l of base.manifest.layers) o.log(`base layer ${l.digest}: ${await copyBlob(src, baseRef, dst, dest.repo, l)}`);
  if (!(await blobExists(dst, dest.repo, layerDigest))) await upload(dst, dest.repo, layerDigest, layer.blob, layer.blob.length);
  const configDigest = sha256(configBlob);
  if (!(await blobExists(dst, dest.repo, configDigest))) await upload(dst, dest.repo, configDigest, configBlob, configBlob.length);

  const manifest = {
    schemaVersion: 2,
    mediaType: base.oci ? MT.ociManifest : MT.dockerManifest,
    config: { mediaType: base.oci ? MT.ociConfig : MT.dockerConfig, digest: configDigest, size: configBlob.length },
    layers: [...base.manifest.layers, { mediaType: base.oci ? MT.ociLayer : MT.dockerLayer, digest: layerDigest, size: layer.blob.length }],
  };
  const body = Buffer.from(JSON.stringify(manifest));
  const res = await dst.expect(await dst.request('PUT', `/v2/${dest.repo}/manifests/${dest.reference}`, { 'Content-Type': manifest.mediaType, 'Content-Length': body.length }, body), [201], `push manifest ${o.destination}`);
  await readAll(res.body);
  const digest = sha256(body);
  o.log(`pushed ${o.destination}@${digest}`);
  return { digest };
}
