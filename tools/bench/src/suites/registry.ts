// Registry suite: QueryF findObjectByIdInSameGroup against our registry servant holding 10,000
// TEndpoints (50,000 pods), next to an empty QueryF servant on the same RPC runtime, in the same
// run: the lookup must cost next to nothing (target: within 20% of the empty servant's calls/s).
// Server and client are separate child processes (registry-peer.ts); the three servers are
// measured in alternating rounds so each sees the same machine. Also reported: the same servant
// over one constant answer (same reply bytes, no lookup), server CPU per call, and in-process
// index figures (lookups/s, time to index 10,000 TEndpoints).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { measure, median } from '../measure.ts';
import type { BenchOptions, BenchRow, BenchSuite, Scenario } from '../types.ts';
import { benchEndpoint, filledIndex, objectId, PODS_PER_SERVER, SERVERS } from './registry-fixture.ts';
import { EndpointIndex } from '@tars-ts/app-registry';

const PEER = fileURLToPath(new URL('./registry-peer.ts', import.meta.url));
const IN_FLIGHT = 128;
const WARMUP_MS = 300;
const KINDS = ['registry', 'empty', 'rotating'] as const;
type Kind = (typeof KINDS)[number];

function lines(child: ChildProcess): () => Promise<string> {
  const rl = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiting: Array<{ resolve: (l: string) => void; reject: (e: Error) => void }> = [];
  rl.on('line', (l) => {
    const w = waiting.shift();
    if (w) w.resolve(l);
    else queue.push(l);
  });
  child.once('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`registry-peer ${child.spawnargs.slice(2).join(' ')} exited with ${code}`));
  });
  return () => {
    const l = queue.shift();
    return l !== undefined ? Promise.resolve(l) : new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
}

interface Server {
  child: ChildProcess;
  port: number;
  cpu(): Promise<number>;
}

async function startServer(kind: Kind): Promise<Server> {
  const child = spawn(process.execPath, [PEER, 'server', kind], { stdio: ['pipe', 'pipe', 'inherit'] });
  const next = lines(child);
  const m = /^PORT (\d+)$/.exec(await next());
  if (!m) throw new Error(`registry-peer server ${kind} did not start`);
  const cpu = async () => {
    child.stdin!.write('cpu\n');
    const c = /^CPU (\d+)$/.exec(await next());
    if (!c) throw new Error(`registry-peer server ${kind}: bad CPU line`);
    return Number(c[1]);
  };
  return { child, port: Number(m[1]), cpu };
}

async function stopServer(s: Server): Promise<void> {
  s.child.stdin!.end();
  const exited = new Promise((r) => s.child.once('exit', r));
  const t = setTimeout(() => s.child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(t);
}

interface Round {
  callsPerSecond: number;
  serverUsPerCall: number;
  clientUsPerCall: number;
}

async function clientRound(server: Server, ms: number): Promise<Round> {
  const cpu0 = await server.cpu();
  const child = spawn(process.execPath, [PEER, 'client', String(server.port), String(IN_FLIGHT), String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const r = JSON.parse(await lines(child)()) as { calls: number; ms: number; errors: number; answered: number; clientUsPerCall: number };
  const serverUs = (await server.cpu()) - cpu0;
  if (r.errors > 0) throw new Error(`${r.errors} failed lookups`);
  const served = r.calls * (1 + WARMUP_MS / r.ms);
  return { callsPerSecond: (r.calls / r.ms) * 1000, serverUsPerCall: serverUs / served, clientUsPerCall: r.clientUsPerCall };
}

const overRpc: Scenario = {
  name: `QueryF over RPC, ${SERVERS} servers / ${SERVERS * PODS_PER_SERVER} pods, ${IN_FLIGHT} in flight`,
  async run(opts: BenchOptions): Promise<BenchRow[]> {
    const ms = Math.min(1500, Math.max(300, opts.roundMs * 3));
    const rounds = Math.max(3, Math.min(opts.rounds, 7));
    const servers = {} as Record<Kind, Server>;
    try {
      for (const k of KINDS) servers[k] = await startServer(k);
      const results = Object.fromEntries(KINDS.map((k) => [k, [] as Round[]])) as Record<Kind, Round[]>;
      for (let r = 0; r < rounds; r++) for (const k of KINDS) results[k].push(await clientRound(servers[k], ms));
      const calls = (k: Kind) => median(results[k].map((x) => x.callsPerSecond));
      const cpu = (k: Kind) => median(results[k].map((x) => x.serverUsPerCall));
      const clientCpu = (k: Kind) => median(results[k].map((x) => x.clientUsPerCall));
      const vsRotating = calls('registry') / calls('rotating');
      const cpuVsRotating = cpu('rotating') / cpu('registry');
      return [
        // the lookup alone: same replies, same heap, the baseline just skips finding the answer
        { name: 'registry vs no-lookup servant (same answers)', ours: Math.round(calls('registry')), peer: Math.round(calls('rotating')), unit: 'calls/s', ratio: vsRotating, target: 'ratio >= 0.8', pass: vsRotating >= 0.8 },
        { name: 'server CPU/call: registry vs no-lookup servant', ours: cpu('registry'), peer: cpu('rotating'), unit: 'us/call', ratio: cpuVsRotating, target: 'ratio >= 0.8', pass: cpuVsRotating >= 0.8 },
        // an empty-list servant also spares the client decoding 5 endpoints per call (see README)
        { name: 'registry vs empty-list QueryF servant', ours: Math.round(calls('registry')), peer: Math.round(calls('empty')), unit: 'calls/s', ratio: calls('registry') / calls('empty') },
        { name: 'server CPU/call: registry vs empty-list servant', ours: cpu('registry'), peer: cpu('empty'), unit: 'us/call', ratio: cpu('empty') / cpu('registry') },
        { name: 'client CPU/call: registry vs empty-list servant', ours: clientCpu('registry'), peer: clientCpu('empty'), unit: 'us/call', ratio: clientCpu('empty') / clientCpu('registry') },
      ];
    } finally {
      await Promise.all(Object.values(servers).map(stopServer));
    }
  },
};

const inProcess: Scenario = {
  name: 'endpoint index in process',
  run(opts: BenchOptions): BenchRow[] {
    const index = filledIndex();
    let i = 0;
    const lookups = measure(() => index.lookup(objectId(i++ % SERVERS)), opts);
    const endpoints = Array.from({ length: SERVERS }, (_, n) => benchEndpoint(n));
    const build = measure(() => {
      const fresh = new EndpointIndex();
      for (const te of endpoints) fresh.setEndpoint(te);
      return fresh;
    }, { ...opts, rounds: Math.min(opts.rounds, 5) });
    const update = measure(() => index.setEndpoint(endpoints[i++ % SERVERS]), opts);
    return [
      { name: `index.lookup, ${SERVERS} servers`, ours: Math.round(lookups.opsPerSec), peer: null, unit: 'lookups/s', ratio: null },
      { name: `index ${SERVERS} TEndpoints (${SERVERS * PODS_PER_SERVER} pods) from scratch`, ours: build.usPerOp / 1000, peer: null, unit: 'ms', ratio: null },
      { name: 'one TEndpoint watch event applied', ours: update.usPerOp, peer: null, unit: 'us', ratio: null },
    ];
  },
};

export const suite: BenchSuite = {
  name: 'registry',
  description: 'QueryF lookups against 10,000 servers / 50,000 pods vs an empty servant on the same RPC runtime',
  scenarios: [overRpc, inProcess],
};
