// Registry suite: QueryF findObjectByIdInSameGroup against our registry servant holding 10,000
// TEndpoints (50,000 pods), next to an empty QueryF servant on the same RPC runtime, in the same
// run: the lookup must cost next to nothing (target: within 20% of the empty servant's calls/s).
// Server and client are separate child processes (registry-peer.ts); the servers are measured in
// alternating rounds so each sees the same machine. Two drivers: a load generator (pre-encoded
// requests, answers sampled and checked), which makes the server the limit, and our QueryF proxy,
// which decodes every answer as a Tars service does and so is limited by the client. Also
// reported: the same servant over one constant answer (same reply bytes, no lookup), CPU per
// call, and in-process index figures (lookups/s, time to index 10,000 TEndpoints).
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

type Driver = 'loadgen' | 'client';

async function round(server: Server, driver: Driver, ms: number): Promise<Round> {
  const cpu0 = await server.cpu();
  const child = spawn(process.execPath, [PEER, driver, String(server.port), String(IN_FLIGHT), String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const r = JSON.parse(await lines(child)()) as { calls: number; ms: number; errors: number; clientUsPerCall: number; checked?: number; checkedActive?: number; checkedInactive?: number };
  const serverUs = (await server.cpu()) - cpu0;
  if (r.errors > 0) throw new Error(`${r.errors} failed lookups`);
  if (r.checked !== undefined && r.checked === 0) throw new Error('load generator checked no reply');
  const served = r.calls * (1 + WARMUP_MS / r.ms);
  return { callsPerSecond: (r.calls / r.ms) * 1000, serverUsPerCall: serverUs / served, clientUsPerCall: r.clientUsPerCall };
}

// The load generator samples replies: the registry must answer PODS-1 active and 1 inactive
// endpoints per lookup, the empty servant none (a fast wrong answer would not count).
async function checkAnswers(server: Server, kind: Kind): Promise<void> {
  const child = spawn(process.execPath, [PEER, 'loadgen', String(server.port), String(IN_FLIGHT), '200'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const r = JSON.parse(await lines(child)()) as { checked: number; checkedActive: number; checkedInactive: number };
  const [active, inactive] = kind === 'empty' ? [0, 0] : [PODS_PER_SERVER - 1, 1];
  if (r.checked === 0 || r.checkedActive !== active * r.checked || r.checkedInactive !== inactive * r.checked) {
    throw new Error(`${kind} servant: sampled answers hold ${r.checkedActive}/${r.checkedInactive} endpoints in ${r.checked} replies, expected ${active}/${inactive} each`);
  }
}

const overRpc: Scenario = {
  name: `QueryF over RPC, ${SERVERS} servers / ${SERVERS * PODS_PER_SERVER} pods, ${IN_FLIGHT} in flight`,
  async run(opts: BenchOptions): Promise<BenchRow[]> {
    const ms = Math.min(1500, Math.max(300, opts.roundMs * 3));
    const rounds = Math.max(3, Math.min(opts.rounds, 7));
    const servers = {} as Record<Kind, Server>;
    try {
      for (const k of KINDS) servers[k] = await startServer(k);
      for (const k of KINDS) await checkAnswers(servers[k], k);
      const results = { loadgen: {}, client: {} } as Record<Driver, Record<Kind, Round[]>>;
      for (const d of ['loadgen', 'client'] as const) for (const k of KINDS) results[d][k] = [];
      // alternating rounds: every server and driver sees the same stretch of machine time
      for (let r = 0; r < rounds; r++) {
        for (const d of ['loadgen', 'client'] as const) for (const k of KINDS) results[d][k].push(await round(servers[k], d, ms));
      }
      const calls = (d: Driver, k: Kind) => median(results[d][k].map((x) => x.callsPerSecond));
      const serverCpu = (d: Driver, k: Kind) => median(results[d][k].map((x) => x.serverUsPerCall));
      const clientCpu = (d: Driver, k: Kind) => median(results[d][k].map((x) => x.clientUsPerCall));
      const vsEmpty = calls('loadgen', 'registry') / calls('loadgen', 'empty');
      return [
        // the server's capacity: requests come from a load generator that does not decode answers
        { name: 'lookups/s (load generator): registry vs empty servant', ours: Math.round(calls('loadgen', 'registry')), peer: Math.round(calls('loadgen', 'empty')), unit: 'calls/s', ratio: vsEmpty, target: 'ratio >= 0.8', pass: vsEmpty >= 0.8 },
        { name: 'lookups/s (load generator): registry vs no-lookup', ours: Math.round(calls('loadgen', 'registry')), peer: Math.round(calls('loadgen', 'rotating')), unit: 'calls/s', ratio: calls('loadgen', 'registry') / calls('loadgen', 'rotating') },
        { name: 'server CPU/call (load generator): vs empty', ours: serverCpu('loadgen', 'registry'), peer: serverCpu('loadgen', 'empty'), unit: 'us/call', ratio: serverCpu('loadgen', 'empty') / serverCpu('loadgen', 'registry') },
        { name: 'load generator CPU/call: registry vs empty', ours: clientCpu('loadgen', 'registry'), peer: clientCpu('loadgen', 'empty'), unit: 'us/call', ratio: clientCpu('loadgen', 'empty') / clientCpu('loadgen', 'registry') },
        // what a Tars service sees: our QueryFProxy decodes every answer (five EndpointF here, none
        // from the empty servant), which bounds these figures by the client (see README)
        { name: 'calls/s (QueryF proxy): registry vs empty servant', ours: Math.round(calls('client', 'registry')), peer: Math.round(calls('client', 'empty')), unit: 'calls/s', ratio: calls('client', 'registry') / calls('client', 'empty') },
        { name: 'calls/s (QueryF proxy): registry vs no-lookup', ours: Math.round(calls('client', 'registry')), peer: Math.round(calls('client', 'rotating')), unit: 'calls/s', ratio: calls('client', 'registry') / calls('client', 'rotating') },
        { name: 'proxy CPU/call: registry vs empty servant', ours: clientCpu('client', 'registry'), peer: clientCpu('client', 'empty'), unit: 'us/call', ratio: clientCpu('client', 'empty') / clientCpu('client', 'registry') },
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
    // ids as requests carry them: bytes inside one buffer
    const idBytes = Array.from({ length: SERVERS }, (_, n) => Buffer.from(objectId(n)));
    const byBytes = measure(() => {
      const b = idBytes[i++ % SERVERS];
      return index.lookupBytes(b, 0, b.length);
    }, opts);
    const endpoints = Array.from({ length: SERVERS }, (_, n) => benchEndpoint(n));
    const build = measure(() => {
      const fresh = new EndpointIndex();
      for (const te of endpoints) fresh.setEndpoint(te);
      return fresh;
    }, { ...opts, rounds: Math.min(opts.rounds, 5) });
    const update = measure(() => index.setEndpoint(endpoints[i++ % SERVERS]), opts);
    return [
      { name: `index.lookup (string id), ${SERVERS} servers`, ours: Math.round(lookups.opsPerSec), peer: null, unit: 'lookups/s', ratio: null },
      { name: `index.lookupBytes (id as request bytes)`, ours: Math.round(byBytes.opsPerSec), peer: null, unit: 'lookups/s', ratio: null },
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
