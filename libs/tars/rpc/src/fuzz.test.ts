// Fuzz: >= 100,000 random and mutated frames against a running server over real sockets. The
// server must keep serving, close only the connections that sent undecodable input (logging
// why), and keep its memory flat. Seeded, so a failure can be replayed (FUZZ_SEED=...).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TarsWriter, UniAttribute } from '@tars-ts/codec';
import { createServer, type TarsServer } from './server/server.ts';
import type { Adapter } from './server/adapter.ts';
import { Communicator } from './client/communicator.ts';
import { EchoProxy, EchoServant } from './testing/echo-service.ts';
import { requestFrame } from './testing/raw-client.ts';
import { decodeRequest } from './envelope.ts';
import { int32Codec, stringCodec } from './client/query-codecs.ts';
import type { Current } from './types.ts';

const OBJ = 'Fuzz.Echo.EchoObj';
const MAX_PACKET = 64 * 1024;
const TARGET_FRAMES = 100_000;
const FRAMES_PER_CONNECTION = 250;
const PARALLEL = 6;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

/** xorshift32: small, fast, reproducible. */
function rng(seed: number) {
  let x = seed | 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
  };
}

/** Echo servant whose sleep is capped, so mutated arguments cannot park calls for long. */
class FuzzServant extends EchoServant {
  override sleep(_c: Current, ms: number): Promise<number> {
    return new Promise((r) => setTimeout(() => r(ms), Math.min(Math.max(ms, 0), 5)));
  }
  override notify(_c: Current, _s: string): void {
    this.calls++; // do not keep the strings
  }
}

function tarsArgs(fill: (w: TarsWriter) => void): Buffer {
  const w = new TarsWriter();
  fill(w);
  return w.toBuffer();
}

function seedCorpus(): Buffer[] {
  const tup = new UniAttribute().put('a', int32Codec, 7).put('b', int32Codec, 9).encode();
  const tupEcho = new UniAttribute().put('s', stringCodec, 'tup').encode();
  const ctx = new Map([['node_name', 'n1']]);
  return [
    requestFrame({ iRequestId: 1, sServantName: OBJ, sFuncName: 'echo', sBuffer: tarsArgs((w) => w.writeString(1, 'hello fuzz')), iTimeout: 3000, context: ctx }),
    requestFrame({ iRequestId: 2, sServantName: OBJ, sFuncName: 'add', sBuffer: tarsArgs((w) => { w.writeInt32(1, 1); w.writeInt32(2, 2); }) }),
    requestFrame({ iRequestId: 3, sServantName: OBJ, sFuncName: 'lookup', sBuffer: tarsArgs((w) => w.writeString(1, 'App.Server.Obj')) }),
    requestFrame({ iRequestId: 4, cPacketType: 1, sServantName: OBJ, sFuncName: 'notify', sBuffer: tarsArgs((w) => w.writeString(1, 'x'.repeat(300))) }),
    requestFrame({ iRequestId: 5, sServantName: OBJ, sFuncName: 'tars_ping' }),
    requestFrame({ iRequestId: 6, sServantName: OBJ, sFuncName: 'sleep', sBuffer: tarsArgs((w) => w.writeInt32(1, 1)) }),
    requestFrame({ iRequestId: 7, sServantName: 'No.Such.Obj', sFuncName: 'echo' }),
    requestFrame({ iRequestId: 8, sServantName: OBJ, sFuncName: 'nope', status: new Map([['k', 'v']]) }),
    requestFrame({ iVersion: 3, iRequestId: 9, sServantName: OBJ, sFuncName: 'add', sBuffer: tup }),
    requestFrame({ iVersion: 3, iRequestId: 10, sServantName: OBJ, sFuncName: 'echo', sBuffer: tupEcho }),
    requestFrame({ iVersion: 5, iRequestId: 11, sServantName: OBJ, sFuncName: 'echo', sBuffer: Buffer.from('{"s":"json"}') }),
    requestFrame({ iRequestId: 12, sServantName: OBJ, sFuncName: 'fail', sBuffer: tarsArgs((w) => w.writeInt32(1, 0)) }),
  ];
}

type Rand = ReturnType<typeof rng>;

/** One mutated or random frame, with a consistent length prefix unless the mutation is about it. */
function mutate(r: Rand, corpus: Buffer[]): Buffer {
  const base = Buffer.from(r.pick(corpus));
  const body = () => base.subarray(4);
  const reframe = (b: Buffer) => {
    const out = Buffer.allocUnsafe(b.length + 4);
    out.writeUInt32BE(b.length + 4, 0);
    b.copy(out, 4);
    return out;
  };
  switch (r.int(9)) {
    case 0: { // flip a few bytes of the packet
      const b = body();
      for (let i = 0, n = 1 + r.int(4); i < n; i++) b[r.int(b.length)] ^= 1 + r.int(255);
      return base;
    }
    case 1: // truncate the packet (prefix adjusted)
      return reframe(body().subarray(0, r.int(body().length)));
    case 2: { // bogus length prefix
      const choices = [0, 1, 4, base.length - 1, base.length + 1 + r.int(50), MAX_PACKET + 1 + r.int(1000), 0xffffffff, r.int(0x100000000)];
      base.writeUInt32BE(r.pick(choices) >>> 0, 0);
      return base;
    }
    case 3: { // wrong wire type in some field head
      const b = body();
      const at = r.int(b.length);
      b[at] = (b[at] & 0xf0) | r.int(16);
      return base;
    }
    case 4: { // huge sizes: 0x7f/0xff runs where lengths and sizes live
      const b = body();
      const at = r.int(Math.max(1, b.length - 4));
      b.writeUInt32BE(r.pick([0x7fffffff, 0xffffffff, 0x10000000, MAX_PACKET]), Math.min(at, b.length - 4));
      return base;
    }
    case 5: { // random bytes
      const b = Buffer.allocUnsafe(1 + r.int(200));
      for (let i = 0; i < b.length; i++) b[i] = r.int(256);
      return reframe(b);
    }
    case 6: { // spliced: head of one packet, tail of another
      const other = r.pick(corpus).subarray(4);
      const b = body();
      return reframe(Buffer.concat([b.subarray(0, r.int(b.length)), other.subarray(r.int(other.length))]));
    }
    case 7: { // insert garbage in the middle
      const b = body();
      const at = r.int(b.length);
      const junk = Buffer.alloc(1 + r.int(8), r.int(256));
      return reframe(Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]));
    }
    default: // unchanged valid frame
      return base;
  }
}

/** Would the server close the connection on this frame (bad prefix or undecodable envelope)? */
function closesConnection(frame: Buffer): boolean {
  if (frame.length < 4) return true;
  const len = frame.readUInt32BE(0);
  if (len !== frame.length) return true; // shorter/longer than sent: the stream is out of step
  if (len < 5 || len > MAX_PACKET) return true;
  try {
    decodeRequest(frame, 4, frame.length);
    return false;
  } catch {
    return true;
  }
}

function memory() {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss, buffers: m.arrayBuffers };
}

let server: TarsServer;
let adapter: Adapter;
/** Connection-closing reasons logged by the server (counted; the first few kept). */
let closingLogged = 0;
const closingSamples: string[] = [];
const logger = {
  debug: () => {},
  info: () => {},
  warn: (m: string) => {
    if (!m.startsWith('closing connection')) return;
    closingLogged++;
    if (closingSamples.length < 20) closingSamples.push(m);
  },
  error: () => {},
};

beforeAll(async () => {
  server = createServer({ logger });
  adapter = server.addServant(new FuzzServant('fuzz'), OBJ, 'tcp -h 127.0.0.1 -p 0 -t 60000', { maxPacketSize: MAX_PACKET });
  await server.start();
});
afterAll(async () => {
  await server.stop(1000);
});

/** Sends one batch on a fresh connection and waits until the server is done with it. */
async function session(port: number, frames: Buffer[], killer: Buffer | undefined, r: Rand): Promise<'closed-by-server' | 'done'> {
  const socket: Socket = connect({ port, host: '127.0.0.1' });
  socket.on('error', () => {});
  socket.on('data', () => {}); // replies are not checked here, only that serving goes on
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  const bytes = Buffer.concat(killer ? [...frames, killer] : frames);
  // split the stream at a few random points, as TCP may
  const cuts = [0, ...Array.from({ length: r.int(4) }, () => r.int(bytes.length)).sort((a, b) => a - b), bytes.length];
  for (let i = 1; i < cuts.length; i++) {
    if (socket.destroyed) break;
    socket.write(bytes.subarray(cuts[i - 1], cuts[i]));
    if (r.int(2) === 0) await new Promise((res) => setImmediate(res));
  }
  // half-close: the server answers what it has, then sees EOF (or has closed already)
  socket.end();
  const timer = setTimeout(() => socket.destroy(), 5000);
  await closed;
  clearTimeout(timer);
  return killer ? 'closed-by-server' : 'done';
}

describe('fuzz', () => {
  it(`survives ${TARGET_FRAMES} random and mutated frames (seed ${SEED})`, { timeout: 120_000 }, async () => {
    const port = server.endpointOf(OBJ).port;
    const r = rng(SEED);
    const corpus = seedCorpus();

    // warm up, then take the baseline
    const comm = new Communicator({ logger });
    const proxy = comm.stringToProxy(EchoProxy, server.proxyString(OBJ));
    for (let i = 0; i < 200; i++) await proxy.echo(`warm${i}`);
    const before = memory();

    let sent = 0;
    let killers = 0;
    const badBefore = adapter.stats.badInput;
    const requestsBefore = adapter.stats.requests;
    const worker = async (until: number) => {
      while (sent < until) {
        const batch: Buffer[] = [];
        let killer: Buffer | undefined;
        while (batch.length < FRAMES_PER_CONNECTION) {
          const f = mutate(r, corpus);
          if (!closesConnection(f)) batch.push(f);
          else if (!killer) killer = f;
        }
        if (r.int(4) === 0) killer = undefined; // some sessions end cleanly
        sent += batch.length + (killer ? 1 : 0);
        if (killer) killers++;
        await session(port, batch, killer, r);
      }
    };
    // three phases, memory measured after each: usage must level off, not grow with traffic
    const samples = [before];
    for (const share of [1 / 3, 2 / 3, 1]) {
      const until = Math.ceil(TARGET_FRAMES * share);
      await Promise.all(Array.from({ length: PARALLEL }, () => worker(until)));
      samples.push(memory());
    }

    // still serving, every bad connection closed with a reason, nothing left open
    expect(await proxy.echo('still alive')).toBe('still alive');
    expect(await proxy.add(2, 3)).toEqual({ ret: 0, sum: 5 });
    await comm.close();
    for (let i = 0; i < 100 && adapter.stats.connections > 0; i++) await new Promise((res) => setTimeout(res, 20));
    expect(adapter.stats.connections).toBe(0);

    const bad = adapter.stats.badInput - badBefore;
    expect(sent).toBeGreaterThanOrEqual(TARGET_FRAMES);
    // most frames before a killer were dispatched (replied, or one-way)
    expect(adapter.stats.requests - requestsBefore).toBeGreaterThan(TARGET_FRAMES * 0.6);
    // killers with a too-long prefix leave the server waiting for bytes: those end by our EOF, not as bad input
    expect(bad).toBeGreaterThan(killers * 0.5);
    expect(bad).toBeLessThanOrEqual(killers);
    // every bad connection is either logged or counted as not logged (the log is rate-limited)
    expect(closingLogged + adapter.stats.badInputUnlogged).toBe(bad);
    expect(closingLogged).toBeGreaterThan(0);
    expect(closingSamples.some((w) => /undecodable RequestPacket|frame length/.test(w))).toBe(true);

    const after = samples[3];
    const mb = (n: number) => (n / 1e6).toFixed(1);
    console.log(`fuzz memory after each phase: heap ${samples.map((m) => mb(m.heap)).join(' / ')} MB, ` +
      `rss ${samples.map((m) => mb(m.rss)).join(' / ')} MB, buffers ${samples.map((m) => mb(m.buffers)).join(' / ')} MB`);
    // generous bounds: the heap and buffers stay where they were; RSS (allocator pages kept by
    // the process) may rise once, then must level off between the second and third phase
    expect(after.heap - before.heap).toBeLessThan(16 * 1024 * 1024);
    expect(after.buffers - before.buffers).toBeLessThan(16 * 1024 * 1024);
    expect(after.rss - samples[2].rss).toBeLessThan(64 * 1024 * 1024);
    expect(after.rss - before.rss).toBeLessThan(384 * 1024 * 1024);
    console.log(`fuzz seed ${SEED}: ${sent} frames, ${killers} bad-frame sessions, ${bad} closed as bad input, ` +
      `${adapter.stats.requests - requestsBefore} requests dispatched; heap ${((after.heap - before.heap) / 1e6).toFixed(1)} MB, rss ${((after.rss - before.rss) / 1e6).toFixed(1)} MB`);
  });
});
