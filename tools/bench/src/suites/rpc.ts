// RPC suite: a QueryF-shaped call (one string in, vector<EndpointF> of 3 out) at 1, 16 and 128
// calls in flight, server and client in separate child processes. Ours (client+server) against
// @tars/rpc (client+server) in alternating rounds (median of 3), and against a raw socket that
// only frames and echoes the bytes: batched (all replies of one read in one write: the practical
// ceiling) and one write per reply. Also CPU per call (client + server), steadier than calls/s
// when the machine is busy.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { BenchOptions, BenchRow, BenchSuite, Scenario } from '../types.ts';

const PEER = fileURLToPath(new URL('./rpc-peer.ts', import.meta.url));
const LEVELS = [1, 16, 128];
/** Must match rpc-peer.ts: calls before the counted window. */
const WARMUP_MS = 300;

interface Result { calls: number; ms: number; errors: number; cpuUsPerCall: number }

function runChild(args: string[]): ChildProcess {
  return spawn(process.execPath, [PEER, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
}

/** Lines a child prints, read one at a time. */
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
    for (const w of waiting.splice(0)) w.reject(new Error(`rpc-peer ${child.spawnargs.slice(2).join(' ')} exited with ${code}`));
  });
  return () => {
    const l = queue.shift();
    if (l !== undefined) return Promise.resolve(l);
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
}

interface ServerHandle {
  port: number;
  /** CPU time the server process has used so far, µs. */
  cpu(): Promise<number>;
}

async function withServer<T>(kind: string, fn: (server: ServerHandle) => Promise<T>): Promise<T> {
  const child = runChild(['server', kind]);
  const next = lines(child);
  try {
    const line = await next();
    const m = /^PORT (\d+)$/.exec(line);
    if (!m) throw new Error(`server ${kind} said: ${line}`);
    const cpu = async () => {
      child.stdin!.write('cpu\n');
      const reply = await next();
      const c = /^CPU (\d+)$/.exec(reply);
      if (!c) throw new Error(`server ${kind} said: ${reply}`);
      return Number(c[1]);
    };
    return await fn({ port: Number(m[1]), cpu });
  } finally {
    child.stdin!.end();
    const exited = new Promise((r) => child.once('exit', r));
    const t = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(t);
  }
}

interface Measured {
  callsPerSecond: number;
  /** Client plus server CPU per call, µs (server figure includes the client's warm-up). */
  cpuUsPerCall: number;
}

async function client(kind: string, server: ServerHandle, inFlight: number, ms: number): Promise<Measured> {
  const cpu0 = await server.cpu();
  const child = runChild(['client', kind, String(server.port), String(inFlight), String(ms)]);
  const r = JSON.parse(await lines(child)()) as Result;
  const serverUs = (await server.cpu()) - cpu0;
  if (r.errors > 0) throw new Error(`${kind} client at ${inFlight} in flight: ${r.errors} failed calls`);
  // the server also served the warm-up calls: scale by the time share of the counted window
  const served = r.calls * (1 + WARMUP_MS / r.ms);
  return { callsPerSecond: (r.calls / r.ms) * 1000, cpuUsPerCall: r.cpuUsPerCall + serverUs / served };
}

/** calls/s and CPU per call for each in-flight level of one client/server pairing. */
async function measure(serverKind: string, clientKind: string, levels: number[], ms: number): Promise<Map<number, Measured>> {
  return withServer(serverKind, async (server) => {
    const out = new Map<number, Measured>();
    for (const n of levels) out.set(n, await client(clientKind, server, n, ms));
    return out;
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Ours and @tars/rpc measured in alternating rounds (medians reported), both servers up the
 * whole time, so a change in machine load hits both sides alike.
 */
async function measureAlternating(levels: number[], ms: number, rounds: number): Promise<{ ours: Map<number, Measured>; official: Map<number, Measured> }> {
  return withServer('ours', (oursServer) => withServer('official', async (officialServer) => {
    const ours = new Map<number, Measured>();
    const official = new Map<number, Measured>();
    for (const n of levels) {
      const o: Measured[] = [];
      const p: Measured[] = [];
      for (let i = 0; i < rounds; i++) {
        o.push(await client('ours', oursServer, n, ms));
        p.push(await client('official', officialServer, n, ms));
      }
      const pick = (ms: Measured[]): Measured => ({ callsPerSecond: median(ms.map((m) => m.callsPerSecond)), cpuUsPerCall: median(ms.map((m) => m.cpuUsPerCall)) });
      ours.set(n, pick(o));
      official.set(n, pick(p));
    }
    return { ours, official };
  }));
}

const round = (x: number) => Math.round(x);

const scenario: Scenario = {
  name: 'QueryF-shaped call',
  async run(opts: BenchOptions): Promise<BenchRow[]> {
    // three alternating rounds of ~0.7 s per side and level by default, shorter with --quick
    const quick = opts.rounds * opts.roundMs < 1000;
    const ms = quick ? 300 : 700;
    const { ours, official } = await measureAlternating(LEVELS, ms, 3);
    const rawBatched = await measure('raw-batched', 'raw', LEVELS, ms);
    const rawEach = await measure('raw-each', 'raw', [128], ms);
    const rows: BenchRow[] = [];
    for (const n of LEVELS) {
      const o = ours.get(n)!.callsPerSecond;
      const p = official.get(n)!.callsPerSecond;
      const row: BenchRow = { name: `ours vs @tars/rpc, ${n} in flight`, ours: round(o), peer: round(p), unit: 'calls/s', ratio: o / p };
      if (n === 128) {
        row.target = 'ratio >= 4';
        row.pass = o / p >= 4;
      }
      rows.push(row);
    }
    // CPU per call (client + server) is steadier than calls/s on a busy machine
    const oc = ours.get(128)!.cpuUsPerCall;
    const pc = official.get(128)!.cpuUsPerCall;
    rows.push({ name: 'CPU per call (client+server), 128 in flight', ours: oc, peer: pc, unit: 'us/call', ratio: pc / oc });
    for (const n of LEVELS) {
      rows.push({ name: `raw echo batched (ceiling), ${n} in flight`, ours: round(rawBatched.get(n)!.callsPerSecond), peer: null, unit: 'calls/s', ratio: null });
    }
    rows.push({ name: 'raw echo one write per reply, 128 in flight', ours: round(rawEach.get(128)!.callsPerSecond), peer: null, unit: 'calls/s', ratio: null });
    const o128 = ours.get(128)!.callsPerSecond;
    const r128 = rawBatched.get(128)!.callsPerSecond;
    rows.push({ name: 'ours / raw batched, 128 in flight', ours: round(o128), peer: round(r128), unit: 'calls/s', ratio: o128 / r128, target: 'ratio >= 0.4', pass: o128 / r128 >= 0.4 });
    return rows;
  },
};

export const suite: BenchSuite = {
  name: 'rpc',
  description: 'QueryF-shaped call, client and server in separate processes: ours vs @tars/rpc vs raw socket',
  scenarios: [scenario],
};
