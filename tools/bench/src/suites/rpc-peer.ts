// Child process of the rpc suite: `rpc-peer.ts server <kind>` prints `PORT <n>` and serves until
// stdin closes; `rpc-peer.ts client <kind> <port> <inFlight> <ms>` prints one JSON result line.
// Kinds: ours, official (@tars/rpc), raw-batched / raw-each (servers), raw (client), and canned
// (a server answering every request with one precomputed reply: isolates a client's cost).
// Client results carry CPU microseconds per call (user+system) to compare costs under load.
import { connect, createServer as createNetServer, type Socket } from 'node:net';
import { Communicator, createServer, silentLogger } from '@tars-ts/rpc';
import { EchoDescriptor, EchoProxy, EchoServant, requestFrame, SAMPLE_ENDPOINTS } from '@tars-ts/rpc/testing';
import { RequestPacket, ResponsePacket, TarsWriter } from '@tars-ts/codec';
import { loadWindow } from '../measure.ts';
import { freePort } from '@tars-ts/rpc/testing';

export const OBJ = 'Bench.Query.QueryObj';
const ID = 'Test.HelloServer.HelloObj';
const WARMUP_MS = 300;

async function waitConnectable(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = connect({ port, host: '127.0.0.1' });
      s.once('connect', () => { s.destroy(); r(true); });
      s.once('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`nothing listens on ${port}`);
}

/** Splits frames out of a stream; calls onFrames(count, bytes-of-complete-frames) per read. */
function frameCounter(onFrames: (frames: Buffer[], socket: Socket) => void) {
  let pending: Buffer | null = null;
  return (socket: Socket) => (chunk: Buffer) => {
    const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    let off = 0;
    const frames: Buffer[] = [];
    while (buf.length - off >= 4) {
      const len = buf.readUInt32BE(off);
      if (len < 5) { socket.destroy(); return; }
      if (buf.length - off < len) break;
      frames.push(buf.subarray(off, off + len));
      off += len;
    }
    pending = off < buf.length ? Buffer.from(buf.subarray(off)) : null;
    if (frames.length) onFrames(frames, socket);
  };
}

async function startServer(kind: string): Promise<number> {
  if (kind === 'ours') {
    const server = createServer({ logger: silentLogger });
    server.addServant(new EchoServant('bench'), OBJ, 'tcp -h 127.0.0.1 -p 0 -t 60000');
    await server.start();
    return server.endpointOf(OBJ).port;
  }
  if (kind === 'official') {
    const { startOfficialServer } = await import('./rpc-official.ts');
    const port = await freePort();
    startOfficialServer(port, OBJ);
    await waitConnectable(port);
    return port;
  }
  if (kind === 'raw-batched' || kind === 'raw-each') {
    const batched = kind === 'raw-batched';
    const net = createNetServer({ noDelay: true }, (socket) => {
      const onData = frameCounter((frames, s) => {
        if (batched) s.write(frames.length === 1 ? Buffer.from(frames[0]) : Buffer.concat(frames));
        else for (const f of frames) s.write(Buffer.from(f));
      })(socket);
      socket.on('data', onData);
      socket.on('error', () => {});
    });
    await new Promise<void>((r) => net.listen(0, '127.0.0.1', () => r()));
    return (net.address() as { port: number }).port;
  }
  if (kind === 'canned') {
    // Diagnostics: answers every request with a canned lookup reply (isolates the client's cost).
    const result = new TarsWriter();
    EchoDescriptor.methods.lookup.ret!.write(result, 0, SAMPLE_ENDPOINTS);
    const sBuffer = result.toBuffer();
    const net = createNetServer({ noDelay: true }, (socket) => {
      socket.on('data', frameCounter((frames, s) => {
        s.write(Buffer.concat(frames.map((f) => {
          const req = RequestPacket.decode(f.subarray(4));
          return ResponsePacket.encodeFrame(ResponsePacket.create({ iRequestId: req.iRequestId, sBuffer }));
        })));
      })(socket));
      socket.on('error', () => {});
    });
    await new Promise<void>((r) => net.listen(0, '127.0.0.1', () => r()));
    return (net.address() as { port: number }).port;
  }
  throw new Error(`unknown server kind ${kind}`);
}

interface Result { calls: number; ms: number; errors: number; cpuUsPerCall: number; sysUsPerCall?: number }

async function closedLoop(inFlight: number, ms: number, call: () => Promise<unknown>): Promise<Result> {
  let counting = false;
  let calls = 0;
  let errors = 0;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      try {
        await call();
        if (counting) calls++;
      } catch {
        errors++;
      }
    }
  };
  const workers = Array.from({ length: inFlight }, worker);
  const window = await loadWindow(WARMUP_MS, ms, (on) => (counting = on));
  stop = true;
  await Promise.all(workers);
  return { calls, ms: window.ms, errors, cpuUsPerCall: window.cpuUs / calls, sysUsPerCall: window.sysUs / calls };
}

/** Raw client: N frames in flight; every complete echoed frame is answered by a new one, batched per read. */
async function rawClient(port: number, inFlight: number, ms: number): Promise<Result> {
  const w = new TarsWriter();
  w.writeString(1, ID);
  const one = requestFrame({ iRequestId: 1, sServantName: OBJ, sFuncName: 'lookup', sBuffer: w.toBuffer(), iTimeout: 3000 });
  const many = Buffer.concat(Array.from({ length: inFlight }, () => one));
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  await new Promise<void>((r) => socket.once('connect', () => r()));
  let counting = false;
  let calls = 0;
  let stop = false;
  socket.on('data', frameCounter((frames, s) => {
    if (counting) calls += frames.length;
    if (!stop) s.write(many.subarray(0, frames.length * one.length));
  })(socket));
  socket.write(many);
  const window = await loadWindow(WARMUP_MS, ms, (on) => (counting = on));
  stop = true;
  socket.destroy();
  return { calls, ms: window.ms, errors: 0, cpuUsPerCall: 0 };
}

async function runClient(kind: string, port: number, inFlight: number, ms: number): Promise<Result> {
  const target = `${OBJ}@tcp -h 127.0.0.1 -p ${port}`;
  if (kind === 'ours') {
    const comm = new Communicator({ logger: silentLogger });
    const proxy = comm.stringToProxy(EchoProxy, target);
    const r = await closedLoop(inFlight, ms, () => proxy.lookup(ID));
    await comm.close();
    return r;
  }
  if (kind === 'official') {
    const { officialClient } = await import('./rpc-official.ts');
    const client = officialClient();
    const proxy = client.proxy(target);
    const r = await closedLoop(inFlight, ms, () => proxy.lookup(ID));
    client.destroy();
    return r;
  }
  if (kind === 'raw') return rawClient(port, inFlight, ms);
  throw new Error(`unknown client kind ${kind}`);
}

const [role, kind, ...rest] = process.argv.slice(2);
if (role === 'server') {
  const port = await startServer(kind);
  process.stdout.write(`PORT ${port}\n`);
  // each line on stdin asks for the CPU time used so far (µs, user+system); EOF ends the server
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (text: string) => {
    for (let i = 0; i < text.split('\n').length - 1; i++) {
      const u = process.cpuUsage();
      process.stdout.write(`CPU ${u.user + u.system}\n`);
    }
  });
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
} else if (role === 'client') {
  const [port, inFlight, ms] = rest.map(Number);
  const r = await runClient(kind, port, inFlight, ms);
  process.stdout.write(JSON.stringify(r) + '\n');
  process.exit(0);
} else if (role !== undefined) {
  console.error('usage: rpc-peer.ts server <kind> | client <kind> <port> <inFlight> <ms>');
  process.exit(2);
}
