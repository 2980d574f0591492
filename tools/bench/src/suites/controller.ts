// Controller suite: N TServers (default 1,000) created at once in one namespace of a private
// kube-apiserver v1.20 (tools/kube-env), with the controller running as its own process
// (apps/controller, role `controller`, as in a cluster). Reports the time until every TServer is
// reconciled (StatefulSet, Service, TEndpoint with status, TExitedRecord, TServer status), the
// controller's peak resident memory (target < 300 MB), and the writes it sends during the
// following quiet period (target 0: no hot loop).
//
// No peer: upstream's Go controller cannot run here (no Go toolchain for it, no images).
//
// Knobs: BENCH_CONTROLLER_SERVERS (default 1000), BENCH_CONTROLLER_QUIET_S (default 60),
// BENCH_CONTROLLER_NODE_FLAGS (default: the V8 flags the controller image runs with, see
// apps/controller/README.md); --quick uses 200 servers and a 10 s quiet period.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startKubeEnv, type KubeEnv } from '@tars-ts/kube-env';
import { AlreadyExistsError, KubeClient, NotFoundError, Resources, loadKubeConfig, tarsResource, type KubeObject } from '@tars-ts/cluster';
import type { BenchRow, BenchSuite, Scenario } from '../types.ts';
import { freePort } from '@tars-ts/rpc/testing';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const NS = 'bench';
const PEAK_TARGET_MB = 300;
/** What the image runs the controller with (apps/controller/README.md, "Memory"). */
const IMAGE_NODE_FLAGS = '--max-semi-space-size=2 --optimize-for-size';

let env: KubeEnv | undefined;
let client: KubeClient;
let child: ChildProcess | undefined;
let metricsPort = 0;
let servers = 0;
let quietMs = 0;
let childLog = '';

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}\n--- controller log (tail) ---\n${childLog.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function applyCrds(): Promise<void> {
  const dir = join(repoRoot, 'charts/tarscontroller/crds');
  const crds = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJSON() as KubeObject & { spec: { group: string; names: { plural: string } } }));
  for (const crd of crds) await client.create(Resources.CustomResourceDefinition, undefined, crd).catch((e: unknown) => { if (!(e instanceof AlreadyExistsError)) throw e; });
  for (const crd of crds) {
    await until(`CRD ${crd.metadata.name}`, async () => {
      try {
        await client.request('GET', `/apis/${crd.spec.group}/v1beta3/namespaces/${NS}/${crd.spec.names.plural}`);
        return true;
      } catch (e) {
        if (e instanceof NotFoundError) return undefined;
        throw e;
      }
    }, 60_000, 200);
  }
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

async function writes(result: 'ok' | 'refused'): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('tars_controller_writes_total{') && l.includes(`result="${result}"`))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** Peak resident set size of the controller process (VmHWM), MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

async function setup(quick: boolean): Promise<void> {
  servers = quick ? 200 : Number(process.env.BENCH_CONTROLLER_SERVERS ?? 1000);
  quietMs = (quick ? 10 : Number(process.env.BENCH_CONTROLLER_QUIET_S ?? 60)) * 1000;
  // No controller-manager: nothing here needs pods or garbage collection, and it would compete
  // for the two cores.
  env = await startKubeEnv({ controllerManager: false });
  client = new KubeClient(loadKubeConfig({ kubeconfigPath: env.kubeconfigPath }), { fieldManager: 'bench' });
  await client.create(Resources.Namespace, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await applyCrds();
  await client.create(tarsResource('TFrameworkConfig'), NS, {
    apiVersion: 'k8s.tars.io/v1beta3',
    kind: 'TFrameworkConfig',
    metadata: { name: 'tars-framework' },
    imageBuild: { executor: { image: 'registry.bench/tars.tarskaniko:v1' } },
    imageUpload: { registry: 'registry.bench/upload' },
    nodeImage: { image: 'registry.bench/tars.tarsnode:v1', secret: 'node-secret' },
  } as KubeObject);
  metricsPort = await freePort();
  const nodeFlags = (process.env.BENCH_CONTROLLER_NODE_FLAGS ?? IMAGE_NODE_FLAGS).split(/\s+/).filter(Boolean);
  child = spawn(
    process.execPath,
    [...nodeFlags, join(repoRoot, 'apps/controller/src/main.ts'), 'controller', '--kubeconfig', env.kubeconfigPath, '--leader-elect', 'false', '--manage-node-labels', 'false', '--metrics-port', String(metricsPort), '--metrics-host', '127.0.0.1', '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, Namespace: NS } },
  );
  const keep = (c: Buffer) => (childLog = (childLog + c.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  await until('controller ready', async () => ((await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).ok ? true : undefined), 120_000, 250);
}

async function teardown(): Promise<void> {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  await env?.stop();
}

function tserver(i: number): KubeObject {
  const server = `S${String(i).padStart(4, '0')}`;
  return {
    apiVersion: 'k8s.tars.io/v1beta3',
    kind: 'TServer',
    metadata: { name: `bench-${server.toLowerCase()}`, namespace: NS },
    spec: {
      app: 'Bench',
      server,
      subType: 'tars',
      tars: { template: 'tars.cpp', servants: [{ name: 'MainObj', port: 10000 }, { name: 'AdminObj', port: 10001 }] },
      k8s: { replicas: 2, readinessGates: ['tars.io/active'] },
      release: { id: 'v1', image: 'registry.bench/bench.server:v1', nodeImage: 'registry.bench/tars.tarsnode:v1' },
    },
  } as KubeObject;
}

async function createAll(): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < servers) await client.create(tarsResource('TServer'), NS, tserver(next++));
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

async function reconciledCount(): Promise<number> {
  const [ts, sts, svc, te, ter] = await Promise.all([
    client.list<KubeObject & { status?: unknown }>(tarsResource('TServer'), NS),
    client.list(Resources.StatefulSet, NS),
    client.list(Resources.Service, NS),
    client.list<KubeObject & { status?: unknown }>(tarsResource('TEndpoint'), NS),
    client.list(tarsResource('TExitedRecord'), NS),
  ]);
  return Math.min(ts.items.filter((t) => t.status).length, sts.items.length, svc.items.length, te.items.filter((t) => t.status).length, ter.items.length);
}

const reconcile: Scenario = {
  name: 'reconcile',
  async run(): Promise<BenchRow[]> {
    const writesBefore = await writes('ok');
    const t0 = performance.now();
    await createAll();
    const created = performance.now();
    await until('all reconciled', async () => ((await reconciledCount()) >= servers ? true : undefined), 30 * 60_000, 2_000);
    const done = performance.now();
    const writesToSettle = (await writes('ok')) - writesBefore;
    // Let in-flight status updates land before the quiet window opens.
    await until('queues empty', async () => ((await metric('tars_controller_queue_depth')) === 0 ? true : undefined), 60_000, 500);
    const okBefore = await writes('ok');
    const refusedBefore = await writes('refused');
    await new Promise((r) => setTimeout(r, quietMs));
    const quietOk = (await writes('ok')) - okBefore;
    const quietRefused = (await writes('refused')) - refusedBefore;
    const peak = peakRssMb(child!.pid!);
    return [
      { name: `create ${servers} TServers (32 clients)`, ours: (created - t0) / 1000, peer: null, unit: 's', ratio: null },
      { name: `all ${servers} reconciled (from first create)`, ours: (done - t0) / 1000, peer: null, unit: 's', ratio: null },
      { name: 'writes to reconcile them (per TServer)', ours: writesToSettle / servers, peer: null, unit: 'writes', ratio: null, target: '5 (sts, svc, te, te status, ter; + ts status)', pass: writesToSettle / servers <= 6.5 },
      { name: 'controller peak RSS', ours: Math.round(peak), peer: null, unit: 'MB', ratio: null, target: `< ${PEAK_TARGET_MB} MB`, pass: peak < PEAK_TARGET_MB },
      { name: `writes during ${quietMs / 1000} s of quiet`, ours: quietOk + quietRefused, peer: null, unit: 'writes', ratio: null, target: '0', pass: quietOk + quietRefused === 0 },
    ];
  },
};

export const suite: BenchSuite = {
  name: 'controller',
  description: 'TServers created at once: time to reconcile, controller peak memory, writes in the quiet period after',
  setup: () => setup(process.argv.includes('--quick')),
  teardown,
  scenarios: [reconcile],
};
