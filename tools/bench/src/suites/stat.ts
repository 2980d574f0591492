// Stat suite: what tarsstat sustains end to end. A child process runs our StatObj (RPC server,
// batch decode, aggregation, 1-minute windows, DuckDB store); this process writes one-way
// StatF.reportMicMsg frames built exactly as @tars/monitor sends them (@tars/stream + its
// StatFProxy structs, framed like @tars/rpc compose()) over one TCP connection, as fast as the
// socket takes them. The clock runs from the first byte to the last aggregated row in DuckDB
// (graceful stop: windows written, store flushed); the stored succ_count total must equal what was
// sent. Peak memory is the server process's RSS. The server runs with --max-semi-space-size=4, as
// apps/stat/README.md recommends: V8's default lets the young generation grow to ~100 MB under
// this allocation rate, which is most of the difference between ~230 MB and ~340 MB peak RSS.
// "One core" is the server's own CPU time (user + system, DuckDB's thread included): on a shared
// machine the wall clock also counts time spent waiting for a core; the wall rate is shown too.
//
// Peer: the same frames merely decoded by @tars/stream, the way @tars/rpc's server and the
// StatFProxy servant code read them, no aggregation or storage at all: the cost of reading the
// input with the official stack (no official tarsstat exists for Node to compare with).
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { measure } from '../measure.ts';
import type { BenchOptions, BenchRow, BenchSuite, Scenario } from '../types.ts';

const require = createRequire(import.meta.url);
const Tars = require('@tars/stream');
const RequestF = require('@tars/rpc/core/rpc-tars/RequestF.js').tars;
const PeerStatF = require('@tars/monitor/stat/StatFProxy.js').tars;

const SERVER = fileURLToPath(new URL('./stat-server.ts', import.meta.url));
const SERVER_FLAGS = ['--max-semi-space-size=4'];
const POINTS = [5, 10, 50, 100, 200, 500, 1000, 2000, 3000];

interface Pool {
  frames: Buffer[];
  perFrame: number;
  /** Sum of body.count over one pass of the pool. */
  succPerPass: number;
  distinctHeads: number;
}

/**
 * `frameCount` frames of `perFrame` entries; heads are spread over `distinctHeads` combinations
 * (callers × callees × interfaces, C++ `name@version` callers), so a pass repeats each head
 * `frameCount * perFrame / distinctHeads` times, as reports do within a minute.
 */
function buildPool(frameCount: number, perFrame: number, distinctHeads: number): Pool {
  const frames: Buffer[] = [];
  let succ = 0;
  let h = 0;
  for (let f = 0; f < frameCount; f++) {
    const map = new Tars.Map(PeerStatF.StatMicMsgHead, PeerStatF.StatMicMsgBody);
    for (let e = 0; e < perFrame; e++, h = (h + 1) % distinctHeads) {
      const head = new PeerStatF.StatMicMsgHead();
      head.masterName = `App${h % 50}.Client${h % 7}@3.0.${h % 3}`;
      head.slaveName = `App${h % 13}.Server${h % 11}`;
      head.interfaceName = `method${h % 23}`;
      head.masterIp = '';
      head.slaveIp = `10.0.${h % 5}.${h % 200}`;
      head.slavePort = 10000 + (h % 9);
      head.returnValue = 0;
      const body = new PeerStatF.StatMicMsgBody();
      body.count = 1 + (e % 5);
      body.timeoutCount = e % 3 === 0 ? 1 : 0;
      body.execCount = e % 7 === 0 ? 1 : 0;
      for (const p of POINTS) body.intervalCount.insert(p, p === 50 ? body.count : 0);
      body.totalRspTime = body.count * 20;
      body.maxRspTime = 40;
      body.minRspTime = 3;
      succ += body.count;
      map.insert(head, body);
    }
    frames.push(encodeFrame(map, f + 1));
  }
  return { frames, perFrame, succPerPass: succ, distinctHeads };
}

// StatFProxy.reportMicMsg's _encode, then tars-client.js compose() with cPacketType 1 (one-way).
function encodeFrame(map: unknown, requestId: number): Buffer {
  const args = new Tars.TarsOutputStream();
  args.writeMap(1, map);
  args.writeBoolean(2, true);
  const req = new RequestF.RequestPacket();
  req.iVersion = 1;
  req.cPacketType = 1;
  req.iMessageType = 0;
  req.iTimeout = 60000;
  req.iRequestId = requestId;
  req.sServantName = 'tars.tarsstat.StatObj';
  req.sFuncName = 'reportMicMsg';
  req.sBuffer = args.getBinBuffer();
  const os = new Tars.TarsOutputStream();
  os.setHeaderLength(0);
  req._writeTo(os);
  os.setHeaderLength(os.getBinBuffer().length);
  return Buffer.from(os.getBinBuffer().toNodeBuffer());
}

// tars-server.js feed() reading the envelope, then the servant's dispatch reading the arguments.
function peerDecode(frame: Buffer): number {
  const is = new Tars.TarsInputStream(new Tars.BinBuffer(frame.subarray(4)));
  const req = RequestF.RequestPacket._readFrom(is);
  const args = new Tars.TarsInputStream(req.sBuffer);
  const msg = args.readMap(1, true, Tars.Map(PeerStatF.StatMicMsgHead, PeerStatF.StatMicMsgBody));
  args.readBoolean(2, true);
  return msg.size();
}

interface ServerResult {
  entries: number;
  merged: number;
  rows: number;
  storedSucc: number;
  expectedSucc: number;
  ms: number;
  flushMs: number;
  rssReceivedMb: number;
  heapReceivedMb: number;
  cpuMs: number;
  rssBeforeMb: number;
  peakRssMb: number;
  maxRssMb: number;
}

function lines(child: ChildProcess): AsyncIterator<string> {
  return createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
}

async function runEndToEnd(pool: Pool, passes: number): Promise<ServerResult> {
  const child = spawn(process.execPath, [...SERVER_FLAGS, SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    const out = lines(child);
    const first = await out.next();
    const m = /^PORT (\d+)$/.exec(String(first.value));
    if (!m) throw new Error(`stat-server said: ${first.value}`);
    const socket = connect({ port: Number(m[1]), host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    // Frames go out in 64 KiB-ish writes, as a busy client's would; the socket's backpressure paces us.
    const chunks: Buffer[] = [];
    for (let i = 0; i < pool.frames.length; i += 8) chunks.push(Buffer.concat(pool.frames.slice(i, i + 8)));
    child.stdin!.write('START\n');
    for (let p = 0; p < passes; p++) {
      for (const c of chunks) if (!socket.write(c)) await new Promise((r) => socket.once('drain', r));
    }
    child.stdin!.write(`DONE ${pool.frames.length * pool.perFrame * passes} ${pool.succPerPass * passes}\n`);
    const result = await out.next();
    socket.destroy();
    return JSON.parse(String(result.value)) as ServerResult;
  } finally {
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.stdin!.end();
    await exited;
    clearTimeout(t);
  }
}

const endToEnd: Scenario = {
  name: 'ingest',
  async run(opts: BenchOptions): Promise<BenchRow[]> {
    const pool = buildPool(200, 100, 20_000);
    // ~2M entries by default (about 4 s at the target), 1M with --quick
    const passes = opts.rounds >= 5 ? 100 : 50;
    const runs: ServerResult[] = [];
    for (let i = 0; i < (opts.rounds >= 5 ? 3 : 1); i++) runs.push(await runEndToEnd(pool, passes));
    for (const r of runs) {
      if (r.storedSucc !== r.expectedSucc || r.entries !== pool.frames.length * pool.perFrame * passes) {
        throw new Error(`stat bench lost data: ${JSON.stringify(r)}`);
      }
    }
    // The median run by CPU rate; its other figures go with it.
    const cpuRate = (r: ServerResult) => r.entries / (r.cpuMs / 1000);
    const median = [...runs].sort((a, b) => cpuRate(a) - cpuRate(b))[runs.length >> 1];
    const rate = cpuRate(median);
    const wallRate = (median.entries / median.ms) * 1000;
    const peak = Math.max(...runs.map((r) => Math.max(r.peakRssMb, r.maxRssMb)));

    let k = 0;
    const peer = measure(() => peerDecode(pool.frames[k++ % pool.frames.length]), opts);
    const peerRate = peer.opsPerSec * pool.perFrame;

    // TarsCpp splits reports into packets of about 1400 bytes (MAX_REPORT_SIZE): ~10 entries each,
    // so per-call costs weigh ten times more than with @tars/monitor's one big map.
    const small = buildPool(2000, 10, 20_000);
    const cpp = await runEndToEnd(small, opts.rounds >= 5 ? 50 : 25);
    if (cpp.storedSucc !== cpp.expectedSucc) throw new Error(`stat bench lost data: ${JSON.stringify(cpp)}`);
    let k2 = 0;
    const cppPeer = measure(() => peerDecode(small.frames[k2++ % small.frames.length]), opts).opsPerSec * small.perFrame;

    return [
      {
        name: `entries in over TCP → rows in DuckDB, per server CPU-second (${pool.perFrame}/frame, ${pool.distinctHeads} heads, ${median.entries} entries → ${median.rows} rows)`,
        ours: Math.round(rate), peer: Math.round(peerRate), unit: 'entries/cpu-s', ratio: rate / peerRate,
        target: 'ours >= 500,000', pass: rate >= 500_000,
      },
      { name: 'the same, wall clock (shared machine: includes waiting for a core)', ours: Math.round(wallRate), peer: null, unit: 'entries/s', ratio: null },
      { name: `C++-shaped frames (${small.perFrame}/frame, ${small.frames[0].length} B), per server CPU-second`, ours: Math.round(cpuRate(cpp)), peer: Math.round(cppPeer), unit: 'entries/cpu-s', ratio: cpuRate(cpp) / cppPeer },
      { name: 'server peak RSS (DuckDB in process, --max-semi-space-size=4)', ours: Math.round(Math.max(peak, cpp.peakRssMb, cpp.maxRssMb)), peer: null, unit: 'MB', ratio: null, target: 'ours <= 300', pass: Math.max(peak, cpp.peakRssMb, cpp.maxRssMb) <= 300 },
      { name: 'server RSS before the first report', ours: Math.round(median.rssBeforeMb), peer: null, unit: 'MB', ratio: null },
      { name: 'time from last byte sent to rows stored', ours: Math.round(median.flushMs), peer: null, unit: 'ms', ratio: null },
    ];
  },
};

/** For profiling by hand: one run, the server's own numbers. */
export { buildPool, runEndToEnd };

export const suite: BenchSuite = {
  name: 'stat',
  description: 'tarsstat end to end: @tars/monitor-shaped one-way reportMicMsg frames over TCP into our StatObj, aggregated rows out in DuckDB; peer = @tars/stream decoding the same frames',
  scenarios: [endToEnd],
};
