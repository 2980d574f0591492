// The builder pod's program with real components: a context as tarsimage prepares it, the
// TImage on the real kube-apiserver, a real docker-registry with htpasswd auth holding the base
// image, and the result read back from the registry. Plus main.ts as a process: exit codes and
// the termination message file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TImage } from '@tars-ts/api';
import { KubernetesClusterState, tarsResource, type KubeClient } from '@tars-ts/cluster';
import { createTestNamespace, deleteTestNamespace, describeKube, ensureTarsCrds, testKubeClient, testKubeconfigPath } from '@tars-ts/cluster/testing';
import { parseArgs } from './args.ts';
import { runDriver } from './driver.ts';
import { pullImage, pushTinyBase, startTestRegistry, type TestRegistry } from '@tars-ts/local-registry';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const hasTools = ['buildah', 'docker-registry'].every((b) => existsSync(`/usr/bin/${b}`));

function describeBuild(name: string, fn: () => void): void {
  if (hasTools) return describeKube(name, fn);
  if (process.env.CI === 'true') throw new Error('CI=true but buildah/docker-registry are missing: bash tools/images/setup.sh');
  describe.skip(`${name} [SKIPPED: buildah/docker-registry missing; bash tools/images/setup.sh]`, fn);
}

describeBuild('tarskaniko driver', () => {
  let client: KubeClient;
  let ns: string;
  let kubeconfig: string;
  let registry: TestRegistry;
  let base: string;
  const dir = mkdtempSync(join(tmpdir(), 'tarskaniko-'));

  beforeAll(async () => {
    client = await testKubeClient();
    kubeconfig = await testKubeconfigPath();
    await ensureTarsCrds(client);
    ns = await createTestNamespace(client, 'tarskaniko');
    registry = await startTestRegistry(join(dir, 'registry'));
    base = `${registry.address}/base/tiny:1`;
    await pushTinyBase({ root: join(dir, 'storage'), runroot: join(dir, 'run') }, registry, base, join(dir, 'base'));
  }, 240_000);

  afterAll(async () => {
    await registry?.stop();
    if (ns) await deleteTestNamespace(client, ns);
    rmSync(dir, { recursive: true, force: true });
  });

  /** A workspace as tarsimage leaves it for the pod, and a TImage waiting for task `id`. */
  async function prepare(id: string, timage: string, withAuth = true): Promise<string> {
    const ws = join(dir, id);
    mkdirSync(join(ws, 'root/usr/local/server/bin/conf'), { recursive: true });
    mkdirSync(join(ws, 'docker'), { recursive: true });
    writeFileSync(join(ws, 'root/usr/local/server/bin/HelloServer'), 'binary\n', { mode: 0o755 });
    writeFileSync(join(ws, 'root/usr/local/server/bin/conf/a.conf'), 'a=1\n');
    writeFileSync(join(ws, 'Dockerfile'), `FROM ${base}\nENV ServerType=go\nCOPY root /\n`);
    writeFileSync(join(ws, 'docker/config.json'), withAuth ? registry.dockerConfigJson() : '{"auths":{}}');
    await client.create(tarsResource('TImage'), ns, {
      apiVersion: 'k8s.tars.io/v1beta3', kind: 'TImage', metadata: { name: timage }, imageType: 'server',
      build: { running: { id, baseImage: base, image: `${registry.address}/tars/test.${timage}:${id}`, serverType: 'go', phase: 'Submitting', message: 'submitting task', handler: 'tars-tarsimage-0' } },
    } as never);
    return ws;
  }

  it('reports Building and Pushing on the TImage and pushes FROM/ENV/COPY as one new layer', async () => {
    const id = 'v20261124100000-abc-1234';
    const ws = await prepare(id, 'hello');
    const cluster = new KubernetesClusterState({ namespace: ns, kubeconfigPath: kubeconfig, component: 'tarskaniko-test' });
    const phases: string[] = [];
    const watch = cluster.resource('TImage').watch({ onUpdate: (t) => phases.push(`${t.build?.running?.phase}:${t.build?.running?.message}`) });
    await watch.synced;
    const destination = `${registry.address}/tars/test.hello:${id}`;
    const args = parseArgs([`--timage=hello`, `--id=${id}`, `--dockerfile=${ws}/Dockerfile`, `--context=dir://${ws}`, `--destination=${destination}`, '--cache=true', '--skip-tls-verify']);
    const lines: string[] = [];
    try {
      await runDriver({ args, cluster, dockerConfigDir: join(ws, 'docker'), log: (l) => lines.push(l) });
      for (let i = 0; i < 200 && phases.length < 2; i++) await new Promise((r) => setTimeout(r, 50)); // the watch may lag on a busy machine
    } finally {
      await cluster.close();
    }
    expect(phases).toEqual(['Building:building image', 'Pushing:pushing image']);
    // Same registry: the base layer is mounted, not downloaded and uploaded again.
    expect(lines.some((l) => /base layer sha256:[0-9a-f]+: mounted/.test(l))).toBe(true);
    const pulled = await pullImage(registry, destination);
    expect(pulled.layers).toBe(2);
    expect(pulled.config.config?.Env).toEqual(expect.arrayContaining(['BaseImage=tiny', 'ServerType=go']));
    expect(pulled.lastLayer.get('usr/local/server/bin/HelloServer')).toBe('binary\n');
    expect(pulled.lastLayer.get('usr/local/server/bin/conf/a.conf')).toBe('a=1\n');
    const t = await client.get<TImage>(tarsResource('TImage'), ns, 'hello');
    expect(t.build?.running).toMatchObject({ id, phase: 'Pushing' });
    // A real client accepts it: buildah pulls it (checking every digest and diff_id) and sees the config.
    const flags = ['--storage-driver', 'vfs', '--root', join(dir, 'storage'), '--runroot', join(dir, 'run')];
    const run = promisify(execFile);
    await run('buildah', [...flags, 'pull', '--tls-verify=false', '--creds', `${registry.user}:${registry.password}`, `docker://${destination}`], { timeout: 120_000 });
    const inspected = JSON.parse((await run('buildah', [...flags, 'inspect', '--type', 'image', destination])).stdout) as { OCIv1: { config: { Env: string[] } } };
    expect(inspected.OCIv1.config.Env).toEqual(expect.arrayContaining(['ServerType=go']));
    await run('buildah', [...flags, 'rmi', '-f', destination]);
  }, 60_000);

  async function runMain(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, TARS_TEST_KUBECONFIG: kubeconfig, Namespace: ns, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    return { code, output };
  }

  it('as a process: exits 0 when pushed; exits 1 with the reason in the termination file otherwise', async () => {
    const id = 'v20261124100001-abc-5678';
    const ws = await prepare(id, 'proc');
    const status = join(dir, 'status');
    const args = [`--timage=proc`, `--id=${id}`, `--dockerfile=${ws}/Dockerfile`, `--context=dir://${ws}`, `--destination=${registry.address}/tars/test.proc:${id}`];
    const ok = await runMain(args, { DOCKER_CONFIG: join(ws, 'docker'), TARS_KANIKO_STATUS_PATH: status });
    expect(ok.code, ok.output).toBe(0);
    expect(existsSync(status)).toBe(false);

    // Another task id: refused before building anything.
    const wrongId = await runMain([...args.slice(0, 1), '--id=v1-other', ...args.slice(2)], { DOCKER_CONFIG: join(ws, 'docker'), TARS_KANIKO_STATUS_PATH: status });
    expect(wrongId.code).toBe(1);
    expect(readFileSync(status, 'utf8')).toBe(`timage proc is not waiting for task v1-other (running: ${id})`);

    // No credentials for the registry: the registry's 401 is the reason.
    const id2 = 'v20261124100002-abc-9abc';
    const ws2 = await prepare(id2, 'noauth', false);
    const noAuth = await runMain([`--timage=noauth`, `--id=${id2}`, `--dockerfile=${ws2}/Dockerfile`, `--context=dir://${ws2}`, `--destination=${registry.address}/tars/test.noauth:${id2}`], { DOCKER_CONFIG: join(ws2, 'docker'), TARS_KANIKO_STATUS_PATH: status });
    expect(noAuth.code).toBe(1);
    expect(readFileSync(status, 'utf8')).toMatch(/wants credentials and none were given/);
  }, 90_000);
});
