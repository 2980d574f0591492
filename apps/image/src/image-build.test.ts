// The upload API end to end with real components: a multipart upload over HTTP, the TImage on
// the real kube-apiserver, buildah building the generated Dockerfile on a tiny base pulled from
// a real docker-registry with htpasswd auth, the push with the credentials of the Secret, and
// the result read back from the registry. Also the refusals: 401, 413, bad names, busy TImage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubernetesClusterState, Resources, tarsResource, type KubeClient } from '@tars-ts/cluster';
import type { TImage } from '@tars-ts/api';
import { createTestNamespace, deleteTestNamespace, describeKube, ensureTarsCrds, testKubeClient, testKubeconfigPath } from '@tars-ts/cluster/testing';
import { BuildahBuilder } from './buildah-builder.ts';
import { BuildEngine } from './build-engine.ts';
import { createImageServer } from './http-server.ts';
import { KubeSecretReader } from './secrets.ts';
import { freePort, pullImage, pushTinyBase, startTestRegistry, type TestRegistry } from '@tars-ts/local-registry';
import { serverPackage } from './testing/server-package.ts';

const TOKEN = 'upload-token-1';
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const hasTools = ['buildah', 'docker-registry'].every((b) => existsSync(`/usr/bin/${b}`));

/** Needs the API server and buildah + docker-registry (bash tools/images/setup.sh); CI fails without them. */
function describeBuild(name: string, fn: () => void): void {
  if (hasTools) return describeKube(name, fn);
  if (process.env.CI === 'true') throw new Error('CI=true but buildah/docker-registry are missing: bash tools/images/setup.sh');
  describe.skip(`${name} [SKIPPED: buildah/docker-registry missing; bash tools/images/setup.sh]`, fn);
}

interface Answer {
  status: number;
  message: string;
  handler: string;
  result?: { id: string; image: string; secret?: string; source: string };
}

describeBuild('tarsimage upload → buildah → registry → TImage', () => {
  let client: KubeClient;
  let ns: string;
  let cluster: KubernetesClusterState;
  let registry: TestRegistry;
  let server: Server;
  let base: string;
  let url: string;
  const dir = mkdtempSync(join(tmpdir(), 'tarsimage-'));
  const uploadDir = join(dir, 'upload');
  const storage = { root: join(dir, 'storage'), runroot: join(dir, 'run') };

  beforeAll(async () => {
    client = await testKubeClient();
    await ensureTarsCrds(client);
    ns = await createTestNamespace(client, 'tarsimage');
    registry = await startTestRegistry(join(dir, 'registry'));
    base = `${registry.address}/base/tiny:1`;
    await pushTinyBase(storage, registry, base, join(dir, 'base'));

    await client.create(Resources.Secret, ns, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'push-secret' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(registry.dockerConfigJson()).toString('base64') } } as never);
    await client.create(tarsResource('TFrameworkConfig'), ns, {
      apiVersion: 'k8s.tars.io/v1beta3', kind: 'TFrameworkConfig', metadata: { name: 'tars-framework' },
      imageBuild: { maxBuildTime: 300, executor: { image: 'registry.example/tars.tarskaniko:v1' } },
      imageUpload: { registry: `${registry.address}/tars`, secret: 'push-secret' },
      nodeImage: { image: 'registry.example/tars.tarsnode:v1' },
      recordLimit: { timageRelease: 10, texitedPod: 10, tconfigHistory: 10 },
    } as never);
    // Ten old releases at the record limit: the new one goes first, the oldest drops out.
    const releases = Array.from({ length: 10 }, (_, i) => ({ id: `old-${9 - i}`, image: `example/old:${9 - i}` }));
    await client.create(tarsResource('TImage'), ns, { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TImage', metadata: { name: 'test-helloserver' }, imageType: 'server', releases } as never);
    await client.create(tarsResource('TImage'), ns, { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TImage', metadata: { name: 'cppbase' }, imageType: 'base', supportedType: ['cpp'] } as never);

    cluster = new KubernetesClusterState({ namespace: ns, kubeconfigPath: await testKubeconfigPath(), component: 'tarsimage-test' });
    const engine = new BuildEngine({
      cluster, secrets: new KubeSecretReader(cluster.client, ns), podName: 'tars-tarsimage-0', buildDir: join(dir, 'build'), logger: quiet,
      builder: new BuildahBuilder({ ...storage, storageDriver: 'vfs' }),
    });
    server = createImageServer({ engine, auth: { kind: 'tokens', tokens: [TOKEN] }, podName: 'tars-tarsimage-0', uploadDir, maxUploadBytes: 256 * 1024, logger: quiet });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }, 240_000);

  afterAll(async () => {
    server?.close();
    await cluster?.close();
    await registry?.stop();
    if (ns) await deleteTestNamespace(client, ns);
    rmSync(dir, { recursive: true, force: true });
  });

  function form(fields: Record<string, string>, pkg?: { name: string; data: Buffer }): FormData {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.set(k, v);
    if (pkg) f.set('ServerFile', new Blob([new Uint8Array(pkg.data)]), pkg.name);
    return f;
  }

  const fields = (extra: Record<string, string> = {}) => ({ ServerApp: 'Test', ServerName: 'HelloServer', ServerType: 'cpp', BaseImage: base, BaseImageSecret: 'push-secret', CreatePerson: 'alice', Mark: 'first build', ...extra });
  const timage = () => client.get<TImage>(tarsResource('TImage'), ns, 'test-helloserver');

  it('builds the uploaded package, pushes it with the secret, prepends the release and streams the phases', async () => {
    const pkg = await serverPackage('HelloServer', { HelloServer: '#!/bin/true\n', 'conf/hello.conf': 'a=1\n' });
    const res = await fetch(`${url}/api/v1beta2/timage/test-helloserver/building?wait=1`, {
      method: 'POST', body: form(fields(), { name: 'HelloServer.tgz', data: pkg }), headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'application/x-ndjson' },
    });
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const answer = lines.at(-1) as unknown as Answer;
    expect(answer, JSON.stringify(lines.slice(-8))).toMatchObject({ status: 200, handler: 'tars-tarsimage-0', result: { source: 'test-helloserver', secret: 'push-secret' } });
    const phases = lines.slice(0, -1).filter((l) => l.phase !== 'log').map((l) => `${l.phase}:${l.message}`);
    expect(phases).toEqual(['Pending:pending', 'Preparing:preparing context', 'Preparing:preparing secret', 'Building:building image', 'Pushing:pushing image', 'Done:Success']);
    expect(lines.some((l) => l.phase === 'log')).toBe(true);

    const { id, image } = answer.result!;
    expect(id).toMatch(/^v\d{14}-[0-9a-f]{1,8}-[0-9a-f]{4}$/);
    expect(image).toBe(`${registry.address}/tars/test.helloserver:${id}`);

    const t = await timage();
    expect(t.build?.running).toBeUndefined();
    expect(t.build?.last).toMatchObject({ id, phase: 'Done', message: 'Success', image, baseImage: base, serverType: 'cpp', handler: 'tars-tarsimage-0', createPerson: 'alice' });
    expect(t.releases).toHaveLength(10);
    expect(t.releases![0]).toMatchObject({ id, image, secret: 'push-secret', createPerson: 'alice', mark: 'first build' });
    expect(t.releases!.slice(1).map((r) => r.id)).toEqual(['old-9', 'old-8', 'old-7', 'old-6', 'old-5', 'old-4', 'old-3', 'old-2', 'old-1']);

    const pulled = await pullImage(registry, image);
    expect(pulled.config.config?.Env).toEqual(expect.arrayContaining(['ServerType=cpp', 'BaseImage=tiny']));
    expect(pulled.lastLayer.get('usr/local/server/bin/HelloServer')).toBe('#!/bin/true\n');
    expect(pulled.lastLayer.get('usr/local/server/bin/conf/hello.conf')).toBe('a=1\n');
    expect(pulled.layers).toBe(2);
    // The package and the build context are gone once the task ended.
    expect(readdirSync(uploadDir)).toEqual([]);
    expect(readdirSync(join(dir, 'build'))).toEqual([]);
  }, 180_000);

  it('answers 201 at once without wait, uses ServerTag, and refuses a second task while one runs', async () => {
    const pkg = await serverPackage('HelloServer', { HelloServer: 'v2\n' });
    const res = await fetch(`${url}/api/v1beta3/timage/test-helloserver/building`, {
      method: 'POST', body: form(fields({ ServerTag: 'v2.0' }), { name: 'HelloServer.tar.gz', data: pkg }), headers: { Authorization: `Basic ${Buffer.from(`any:${TOKEN}`).toString('base64')}` },
    });
    const answer = (await res.json()) as Answer;
    expect(res.status).toBe(201);
    expect(answer.result!.image).toBe(`${registry.address}/tars/test.helloserver:v2.0`);
    const busy = await fetch(`${url}/api/v1beta3/timage/test-helloserver/building`, { method: 'POST', body: form(fields(), { name: 'p.tgz', data: pkg }), headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(busy.status).toBe(400);
    expect(((await busy.json()) as Answer).message).toMatch(/another task is running/);
    // Wait for the first task to end.
    for (let i = 0; i < 600 && (await timage()).build?.running; i++) await new Promise((r) => setTimeout(r, 200));
    const t = await timage();
    expect(t.build?.last).toMatchObject({ id: answer.result!.id, phase: 'Done' });
    expect(t.releases![0]!.image).toBe(`${registry.address}/tars/test.helloserver:v2.0`);
    expect((await pullImage(registry, answer.result!.image)).lastLayer.get('usr/local/server/bin/HelloServer')).toBe('v2\n');
  }, 180_000);

  it('records a failed build (base image missing) in build.last and answers 500', async () => {
    const pkg = await serverPackage('HelloServer', { HelloServer: 'x\n' });
    const res = await fetch(`${url}/api/v1beta2/timage/test-helloserver/building?wait=true`, {
      method: 'POST', body: form(fields({ BaseImage: `${registry.address}/base/missing:1` }), { name: 'p.tgz', data: pkg }), headers: { Authorization: `Bearer ${TOKEN}` },
    });
    const answer = (await res.json()) as Answer;
    expect(res.status).toBe(500);
    expect(answer.message).toMatch(/buildah bud/);
    const t = await timage();
    expect(t.build?.running).toBeUndefined();
    expect(t.build?.last).toMatchObject({ id: answer.result!.id, phase: 'Failed' });
    expect(t.build!.last!.message).toMatch(/missing/);
    expect(t.releases![0]!.image).toMatch(/:v2\.0$/);
  }, 120_000);

  it('refuses without or with a wrong token (401), before reading the upload', async () => {
    const pkg = await serverPackage('HelloServer', { HelloServer: 'x\n' });
    for (const headers of [{}, { Authorization: 'Bearer wrong' }, { Authorization: `Basic ${Buffer.from('u:wrong').toString('base64')}` }] as Record<string, string>[]) {
      const res = await fetch(`${url}/api/v1beta2/timage/test-helloserver/building`, { method: 'POST', body: form(fields(), { name: 'p.tgz', data: pkg }), headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
    }
    expect(readdirSync(uploadDir)).toEqual([]);
  });

  it('refuses an oversized upload with 413 and keeps nothing', async () => {
    const big = Buffer.alloc(400 * 1024, 7);
    // Without Content-Length (chunked): refused while streaming.
    const status = await new Promise<number>((resolve, reject) => {
      const boundary = 'XBOUNDARY';
      const req = request(`${url}/api/v1beta2/timage/test-helloserver/building`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (e) => (e.message.includes('EPIPE') || e.message.includes('ECONNRESET') ? undefined : reject(e)));
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="ServerApp"\r\n\r\nTest\r\n--${boundary}\r\nContent-Disposition: form-data; name="ServerFile"; filename="big.tgz"\r\nContent-Type: application/octet-stream\r\n\r\n`);
      req.write(big);
      req.end(`\r\n--${boundary}--\r\n`);
    });
    expect(status).toBe(413);
    // With Content-Length over the limit: refused before reading.
    const res = await fetch(`${url}/api/v1beta2/timage/test-helloserver/building`, { method: 'POST', body: form(fields(), { name: 'p.tgz', data: big }), headers: { Authorization: `Bearer ${TOKEN}` } }).catch((e: Error) => e);
    expect(res instanceof Error ? res.message : res.status).toBe(413);
    expect(readdirSync(uploadDir)).toEqual([]);
    expect((await timage()).build?.running).toBeUndefined();
  });

  it('refuses invalid names, types and packages with 400 and changes nothing', async () => {
    const pkg = await serverPackage('HelloServer', { HelloServer: 'x\n' });
    const before = await timage();
    const cases: [string, Record<string, string>, { name: string; data: Buffer } | undefined, RegExp][] = [
      ['test-helloserver', fields({ ServerApp: '../etc' }), { name: 'p.tgz', data: pkg }, /ServerApp/],
      ['test-helloserver', fields({ ServerType: 'python' }), { name: 'p.tgz', data: pkg }, /ServerType/],
      ['test-helloserver', fields({ ServerTag: 'bad tag' }), { name: 'p.tgz', data: pkg }, /ServerTag/],
      ['test-helloserver', fields({ BaseImage: 'Bad Image;rm' }), { name: 'p.tgz', data: pkg }, /BaseImage/],
      ['test-helloserver', fields({ Secret: 'Bad_Secret' }), { name: 'p.tgz', data: pkg }, /Secret/],
      ['test-helloserver', fields(), { name: 'p.exe', data: pkg }, /\.tgz/],
      ['test-helloserver', fields(), undefined, /ServerFile/],
      ['Bad_TImage', fields(), { name: 'p.tgz', data: pkg }, /timage name/],
      ['no-such-timage', fields(), { name: 'p.tgz', data: pkg }, /not found/],
      ['cppbase', fields(), { name: 'p.tgz', data: pkg }, /not server/],
    ];
    for (const [name, f, file, message] of cases) {
      const res = await fetch(`${url}/api/v1beta2/timage/${name}/building`, { method: 'POST', body: form(f, file), headers: { Authorization: `Bearer ${TOKEN}` } });
      const answer = (await res.json()) as Answer;
      expect([res.status, answer.message], JSON.stringify(f)).toEqual([400, expect.stringMatching(message)]);
    }
    expect(readdirSync(uploadDir)).toEqual([]);
    const after = await timage();
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('main.ts as a process: serves the API from its config, builds with buildah, exits 0 on SIGTERM', async () => {
    await client.create(tarsResource('TImage'), ns, { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TImage', metadata: { name: 'main-helloserver' }, imageType: 'server' } as never);
    const port = await freePort();
    const overrides = [
      `/tars/image<listen>=127.0.0.1:${port}`, '/tars/image<builder>=buildah', '/tars/image<max-upload>=1M',
      `/tars/image<buildah-root>=${storage.root}`, `/tars/image<buildah-runroot>=${storage.runroot}`, '/tars/image<buildah-storage-driver>=vfs',
    ].join('\n');
    const child = spawn(process.execPath, [fileURLToPath(new URL('./main.ts', import.meta.url))], {
      env: { ...process.env, TARS_TEST_KUBECONFIG: await testKubeconfigPath(), Namespace: ns, PodName: 'tars-tarsimage-1', WorkSpaceInPod: join(dir, 'ws'), TARS_IMAGE_TOKENS: 'main-token', TARS_CONFIG_OVERRIDE: overrides },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    try {
      for (let i = 0; i < 300 && !output.includes('tarsimage listening'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(output).toContain(`tarsimage listening on 127.0.0.1:${port}, builder buildah, auth tokens`);
      const pkg = await serverPackage('HelloServer', { HelloServer: 'main\n' });
      const res = await fetch(`http://127.0.0.1:${port}/api/v1beta2/timage/main-helloserver/building?wait=1`, { method: 'POST', body: form(fields(), { name: 'HelloServer.tgz', data: pkg }), headers: { Authorization: 'Bearer main-token' } });
      const answer = (await res.json()) as Answer;
      expect([res.status, answer.message], output).toEqual([200, 'succ']);
      expect(answer.handler).toBe('tars-tarsimage-1');
      const t = await client.get<TImage>(tarsResource('TImage'), ns, 'main-helloserver');
      expect(t.releases?.[0]).toMatchObject({ id: answer.result!.id, image: answer.result!.image });
      expect((await pullImage(registry, answer.result!.image)).lastLayer.get('usr/local/server/bin/HelloServer')).toBe('main\n');
      expect(readdirSync(join(dir, 'ws', 'upload', 'tars-tarsimage-1'))).toEqual([]);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, output).toBe(0);
  }, 120_000);
});

