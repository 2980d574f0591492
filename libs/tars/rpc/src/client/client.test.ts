import { afterEach, describe, expect, it } from 'vitest';
import { createServer as createNetServer } from 'node:net';
import { createServer, type TarsServer } from '../server/server.ts';
import { Communicator } from './communicator.ts';
import { EchoProxy, EchoServant } from '../testing/echo-service.ts';
import { memoryLogger, sleep } from '../testing/raw-client.ts';
import { ConnectionError, NoEndpointError, ServerError, TarsError, TimeoutError } from '../errors.ts';
import { Servant } from '../servant.ts';
import type { Current } from '../types.ts';
import { QueryFDescriptor, makeEndpointF, type EndpointF } from './query-codecs.ts';
import { FrameDecoder, RequestPacket, ResponsePacket, TarsReader, TarsWriter } from '@tars-ts/codec';
import { ClientDecodeError } from '../errors.ts';
import { freePort } from '../testing/ports.ts';

const OBJ = 'Test.Echo.EchoObj';
const servers: TarsServer[] = [];
const comms: Communicator[] = [];

afterEach(async () => {
  await Promise.all(comms.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.stop(500)));
});

async function echoServer(label: string, port = 0, name = OBJ): Promise<{ server: TarsServer; servant: EchoServant; port: number }> {
  const servant = new EchoServant(label);
  const server = createServer({ logger: memoryLogger() });
  server.addServant(servant, name, `tcp -h 127.0.0.1 -p ${port}`);
  await server.start();
  servers.push(server);
  return { server, servant, port: server.endpointOf(name).port };
}

function communicator(options: ConstructorParameters<typeof Communicator>[0] = {}): Communicator {
  const c = new Communicator({ logger: memoryLogger(), ...options });
  comms.push(c);
  return c;
}

const ep = (port: number) => `tcp -h 127.0.0.1 -p ${port}`;

async function labels(proxy: EchoProxy, n: number, hashCode?: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await proxy.whoami(hashCode === undefined ? undefined : { hashCode })).split('|')[0]);
  return out;
}

function count(xs: string[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const x of xs) c[x] = (c[x] ?? 0) + 1;
  return c;
}

/** A server that answers by hand: a bad result block, or a broken envelope, on request. */
async function misbehavingServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const net = createNetServer((socket) => {
    const decoder = new FrameDecoder();
    socket.on('error', () => {});
    socket.on('data', (chunk) => decoder.push(chunk, (packet) => {
      const req = RequestPacket.decode(packet);
      const r = new TarsReader(req.sBuffer);
      r.nextField();
      const arg = r.readString();
      if (arg === 'bad-result') {
        socket.write(ResponsePacket.encodeFrame(ResponsePacket.create({ iRequestId: req.iRequestId, sBuffer: Buffer.from([0x06, 0xff]) })));
      } else if (arg === 'bad-envelope') {
        const w = new TarsWriter();
        w.writeInt16(1, 1);
        w.writeInt32(3, req.iRequestId);
        w.writeRaw(Buffer.from([0xff, 0xff, 0xff]));
        const body = w.toBuffer();
        const frame = Buffer.alloc(body.length + 4);
        frame.writeUInt32BE(frame.length, 0);
        body.copy(frame, 4);
        socket.write(frame);
      } else {
        const w = new TarsWriter();
        w.writeString(0, arg);
        socket.write(ResponsePacket.encodeFrame(ResponsePacket.create({ iRequestId: req.iRequestId, sBuffer: w.toBuffer() })));
      }
    }));
  });
  await new Promise<void>((r) => net.listen(0, '127.0.0.1', () => r()));
  return {
    port: (net.address() as { port: number }).port,
    close: () => new Promise<void>((r) => { net.close(() => r()); }),
  };
}

describe('client calls', () => {
  it('fails only the affected call on a bad result, and the connection on a broken reply', async () => {
    const srv = await misbehavingServer();
    const comm = communicator();
    try {
      const p = comm.stringToProxy(EchoProxy, `${OBJ}@${ep(srv.port)}`);
      expect(await p.echo('fine')).toBe('fine');
      await expect(p.echo('bad-result')).rejects.toBeInstanceOf(ClientDecodeError);
      expect(await p.echo('same connection')).toBe('same connection');
      const inFlight = p.echo('x'.repeat(10)).catch((e: unknown) => e);
      await expect(p.echo('bad-envelope')).rejects.toBeInstanceOf(TarsError);
      await inFlight; // answered before, or failed with the closed connection; either way settled
      expect(await p.echo('reconnected')).toBe('reconnected');
    } finally {
      await comm.close();
      await srv.close();
    }
  });

  it('calls with TARS and TUP, out parameters, one-way and ping', async () => {
    const { port, servant } = await echoServer('a');
    const comm = communicator();
    const p = comm.stringToProxy(EchoProxy, `${OBJ}@${ep(port)}`);
    expect(await p.echo('x')).toBe('x');
    expect(await p.add(40, 2)).toEqual({ ret: 0, sum: 42 });
    expect(await p.add(1, 2, { version: 3 })).toEqual({ ret: 0, sum: 3 });
    expect(await p.lookup('y', { version: 3 })).toHaveLength(3);
    expect(await p.notify('one-way', { oneway: true })).toBeUndefined();
    await p.tarsObject.ping();
    await expect(p.fail(-55)).rejects.toMatchObject({ name: 'ServerError', code: -55 });
    await expect(p.fail(-55, { version: 3 })).rejects.toBeInstanceOf(ServerError);
    await sleep(20);
    expect(servant.notified).toEqual(['one-way']);
  });

  it('writes many calls of one tick in a few writes and settles every one, one-way included', async () => {
    const { port, servant } = await echoServer('a');
    const comm = communicator();
    const p = comm.stringToProxy(EchoProxy, `${OBJ}@${ep(port)}`);
    const text = 'x'.repeat(100);
    const oneways = Array.from({ length: 300 }, (_, i) => p.notify(`${i}${text}`, { oneway: true }));
    const twoways = Array.from({ length: 300 }, (_, i) => p.echo(`${i}`));
    expect(await Promise.all(oneways)).toHaveLength(300);
    expect(await Promise.all(twoways)).toEqual(Array.from({ length: 300 }, (_, i) => `${i}`));
    expect(servant.notified).toHaveLength(300);
  });

  it('rejects a call whose arguments cannot be encoded, without disturbing the calls around it', async () => {
    const { port } = await echoServer('a');
    const comm = communicator();
    const p = comm.stringToProxy(EchoProxy, `${OBJ}@${ep(port)}`);
    const before = p.echo('before');
    const bad = p.add(1, 2 ** 40); // not an int32
    const after = p.echo('after');
    await expect(bad).rejects.toMatchObject({ code: -13, message: /cannot encode request/ });
    expect(await Promise.all([before, after])).toEqual(['before', 'after']);
  });

  it('refuses calls beyond maxQueuedBytes instead of buffering without bound', async () => {
    const { port } = await echoServer('a');
    const comm = communicator({ maxQueuedBytes: 2000 });
    const p = comm.stringToProxy(EchoProxy, `${OBJ}@${ep(port)}`);
    // all in the tick that starts connecting: nothing can be written yet
    const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => p.echo(`${i}-${'y'.repeat(80)}`)));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(ok).toBeGreaterThan(5);
    expect(refused.length).toBeGreaterThan(50);
    expect(refused[0].reason).toMatchObject({ name: 'ConnectionError', code: -13 });
    expect(await p.echo('afterwards')).toBe('afterwards');
  });

  it('times out with TimeoutError (-7) and keeps the connection usable', async () => {
    const { port } = await echoServer('a');
    const comm = communicator();
    const p = comm.stringToProxy(EchoProxy, `${OBJ}@${ep(port)}`);
    const t0 = performance.now();
    const err = await p.sleep(400, { timeout: 100 }).catch((e: unknown) => e);
    const took = performance.now() - t0;
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TarsError).code).toBe(-7);
    expect(took).toBeGreaterThanOrEqual(95);
    expect(took).toBeLessThan(300);
    expect(await p.echo('after')).toBe('after');
    // mixed timeouts on one connection: each call expires on its own deadline
    const slow = p.sleep(300, { timeout: 1000 });
    const fast = p.sleep(300, { timeout: 50 }).catch((e: unknown) => e);
    expect(await fast).toBeInstanceOf(TimeoutError);
    expect(await slow).toBe(300);
  });

  it('round-robins over direct endpoints and sticks to one endpoint per hash code', async () => {
    const a = await echoServer('a');
    const b = await echoServer('b');
    const c = await echoServer('c');
    const comm = communicator();
    const p = comm.stringToProxy(EchoProxy, `${OBJ}@${ep(a.port)}:${ep(b.port)}:${ep(c.port)}`);
    expect(count(await labels(p, 30))).toEqual({ a: 10, b: 10, c: 10 });
    for (const h of [0, 1, 2, 17, 12345]) {
      const got = await labels(p, 5, h);
      expect(new Set(got).size).toBe(1);
    }
    const spread = new Set<string>();
    for (let h = 0; h < 9; h++) spread.add((await labels(p, 1, h))[0]);
    expect(spread.size).toBe(3);
  });

  it('fails a dead endpoint once, ejects it, and sends everything to the live one', async () => {
    const live = await echoServer('live');
    const dead = await freePort();
    const comm = communicator({ ejectTime: 60_000 });
    const p = comm.stringToProxy(EchoProxy, `${OBJ}@${ep(dead)}:${ep(live.port)}`);
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => p.whoami()));
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0].reason).toBeInstanceOf(ConnectionError);
    expect(failed[0].reason.code).toBe(-8);
    expect(count(await labels(p, 20))).toEqual({ live: 20 });
  });

  it('reconnects with backoff after the server restarts', async () => {
    const first = await echoServer('first');
    const comm = communicator({ backoffBase: 20, backoffMax: 200 });
    const p = comm.stringToProxy(EchoProxy, `${OBJ}@${ep(first.port)}`);
    expect(await p.whoami()).toMatch(/^first/);
    const pending = p.sleep(1000).catch((e: unknown) => e);
    await sleep(20);
    await first.server.stop(0);
    servers.splice(servers.indexOf(first.server), 1);
    expect(await pending).toBeInstanceOf(ConnectionError);
    await expect(p.echo('down', { timeout: 200 })).rejects.toBeInstanceOf(TarsError);
    await echoServer('second', first.port);
    const t0 = performance.now();
    let answer = '';
    while (!answer && performance.now() - t0 < 3000) {
      answer = await p.whoami({ timeout: 300 }).catch(() => '');
      if (!answer) await sleep(20);
    }
    expect(answer).toMatch(/^second/);
  });

  it('rejects pending calls when the communicator closes', async () => {
    const { port } = await echoServer('a');
    const comm = communicator();
    const p = comm.stringToProxy(EchoProxy, `${OBJ}@${ep(port)}`);
    const pending = p.sleep(500);
    await sleep(20);
    await comm.close();
    await expect(pending).rejects.toBeInstanceOf(ConnectionError);
  });

  it('refuses an unparsable proxy string and a bare name without locator', () => {
    const comm = communicator();
    expect(() => comm.stringToProxy(EchoProxy, 'Obj@tcp -p 1')).toThrow(/missing -h/);
    expect(() => comm.stringToProxy(EchoProxy, 'Obj')).toThrow(/no locator/);
  });
});

/** A registry double built on our own server: answers QueryF lookups from a table. */
class FakeRegistry extends Servant {
  static readonly descriptor = QueryFDescriptor;
  answers = new Map<string, EndpointF[]>();
  failing = false;
  lookups: Array<{ fn: string; id: string; nodeName: string | undefined; setId?: string }> = [];
  private answer(fn: string, c: Current, id: string, setId?: string) {
    this.lookups.push({ fn, id, nodeName: c.context.get('node_name'), setId });
    if (this.failing) throw new Error('registry down');
    return { ret: 0, activeEp: this.answers.get(id) ?? [], inactiveEp: [] };
  }
  findObjectById(_c: Current, id: string) { return this.answers.get(id) ?? []; }
  findObjectById4Any(c: Current, id: string) { return this.answer('4Any', c, id); }
  findObjectById4All(c: Current, id: string) { return this.answer('4All', c, id); }
  findObjectByIdInSameGroup(c: Current, id: string) { return this.answer('group', c, id); }
  findObjectByIdInSameStation(c: Current, id: string) { return this.answer('station', c, id); }
  findObjectByIdInSameSet(c: Current, id: string, setId: string) { return this.answer('set', c, id, setId); }
}

const endpointF = (port: number) => makeEndpointF({ host: '127.0.0.1', port, timeout: 60000, istcp: 1 });

describe('locator', () => {
  async function registry() {
    const reg = new FakeRegistry();
    const server = createServer({ logger: memoryLogger() });
    server.addServant(reg, 'tars.tarsregistry.QueryObj', 'tcp -h 127.0.0.1 -p 0');
    await server.start();
    servers.push(server);
    return { reg, locator: server.proxyString('tars.tarsregistry.QueryObj') };
  }

  it('resolves a bare name, queues calls until the answer, and follows refreshes', async () => {
    const { reg, locator } = await registry();
    const a = await echoServer('a');
    const b = await echoServer('b');
    reg.answers.set(OBJ, [endpointF(a.port)]);
    const comm = communicator({ locator, refreshInterval: 150, nodeName: 'node-1' });
    const p = comm.stringToProxy(EchoProxy, OBJ);
    expect(await Promise.all([p.whoami(), p.whoami()])).toEqual(['a|127.0.0.1', 'a|127.0.0.1']);
    expect(reg.lookups[0]).toMatchObject({ fn: 'group', id: OBJ, nodeName: 'node-1' });
    const adapterA = a.server.adapters[0];
    expect(adapterA.stats.connections).toBe(1);
    reg.answers.set(OBJ, [endpointF(b.port)]);
    await sleep(300);
    expect(count(await labels(p, 4))).toEqual({ b: 4 });
    expect(reg.lookups.length).toBeGreaterThanOrEqual(2);
    // the endpoint that left the list is no longer used: its connection is closed
    expect(adapterA.stats.connections).toBe(0);
  });

  it('keeps the old list on an empty answer and retries at the empty-retry interval', async () => {
    const { reg, locator } = await registry();
    const a = await echoServer('a');
    reg.answers.set(OBJ, [endpointF(a.port)]);
    const comm = communicator({ locator, refreshInterval: 10_000, emptyRetryInterval: 60, errorRetryInterval: 10_000 });
    const p = comm.stringToProxy(EchoProxy, OBJ);
    expect(await p.whoami()).toMatch(/^a/);
    expect(reg.lookups).toHaveLength(1);
    // force a refresh by asking for a second name that first gets an empty answer
    const other = comm.stringToProxy(EchoProxy, 'Other.Obj');
    await sleep(250);
    const n = reg.lookups.filter((l) => l.id === 'Other.Obj').length;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThanOrEqual(6);
    await expect(other.echo('x', { timeout: 50 })).rejects.toBeInstanceOf(TimeoutError);
    // once it appears, waiting callers are served
    const o = await echoServer('o', 0, 'Other.Obj');
    reg.answers.set('Other.Obj', [endpointF(o.port)]);
    const late = comm.stringToProxy(EchoProxy, 'Other.Obj').echo('late', { timeout: 1000 });
    expect(await late).toBe('late');
  });

  it('on an empty refresh keeps calling the known endpoints', async () => {
    const { reg, locator } = await registry();
    const a = await echoServer('a');
    reg.answers.set(OBJ, [endpointF(a.port)]);
    const comm = communicator({ locator, refreshInterval: 50, emptyRetryInterval: 50 });
    const p = comm.stringToProxy(EchoProxy, OBJ);
    expect(await p.whoami()).toMatch(/^a/);
    reg.answers.set(OBJ, []);
    await sleep(200);
    expect(reg.lookups.length).toBeGreaterThanOrEqual(3);
    expect(await p.whoami()).toMatch(/^a/);
  });

  it('retries at the error interval when the lookup fails, keeping the old list', async () => {
    const { reg, locator } = await registry();
    const a = await echoServer('a');
    reg.answers.set(OBJ, [endpointF(a.port)]);
    const comm = communicator({ locator, refreshInterval: 10_000, emptyRetryInterval: 10_000, errorRetryInterval: 40 });
    const p = comm.stringToProxy(EchoProxy, OBJ);
    reg.failing = true;
    await sleep(220);
    // first lookup failed, then retried every ~40 ms
    expect(reg.lookups.length).toBeGreaterThanOrEqual(3);
    reg.failing = false;
    expect(await p.whoami({ timeout: 1000 })).toMatch(/^a/);
    const before = reg.lookups.length;
    await sleep(150);
    expect(reg.lookups.length - before).toBeLessThanOrEqual(1);
  });

  it('uses findObjectByIdInSameSet when a set is configured', async () => {
    const { reg, locator } = await registry();
    const a = await echoServer('a');
    reg.answers.set(OBJ, [endpointF(a.port)]);
    const comm = communicator({ locator, setId: 'sz.a.1' });
    const p = comm.stringToProxy(EchoProxy, OBJ);
    expect(await p.whoami()).toMatch(/^a/);
    expect(reg.lookups[0]).toMatchObject({ fn: 'set', id: OBJ, setId: 'sz.a.1' });
  });

  it('fails calls with a timeout when the registry is unreachable', async () => {
    const dead = await freePort();
    const comm = communicator({ locator: `tars.tarsregistry.QueryObj@${ep(dead)}`, errorRetryInterval: 50 });
    const p = comm.stringToProxy(EchoProxy, OBJ);
    const err = await p.echo('x', { timeout: 150 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TarsError);
    expect(err).not.toBeInstanceOf(NoEndpointError);
  });
});
