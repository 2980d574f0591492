import { afterEach, describe, expect, it } from 'vitest';
import { ArrayMap, TarsReader, UniAttribute, RequestPacket } from '@tars-ts/codec';
import { createServer, type TarsServer } from './server.ts';
import { Communicator } from '../client/communicator.ts';
import { EchoProxy, EchoServant } from '../testing/echo-service.ts';
import { argBlock, memoryLogger, rawConnect, requestFrame, sleep } from '../testing/raw-client.ts';
import type { AdapterOptions } from './adapter.ts';
import { int32Codec } from '../client/query-codecs.ts';

const OBJ = 'Test.Echo.EchoObj';
let server: TarsServer | undefined;
let comm: Communicator | undefined;

afterEach(async () => {
  await comm?.close();
  await server?.stop(1000);
  comm = undefined;
  server = undefined;
});

async function start(options: AdapterOptions = {}, endpoint = 'tcp -h 127.0.0.1 -p 0 -t 60000') {
  const logger = memoryLogger();
  const servant = new EchoServant();
  server = createServer({ logger });
  const adapter = server.addServant(servant, OBJ, endpoint, options);
  await server.start();
  return { logger, servant, adapter, port: server.endpointOf(OBJ).port };
}

const echoArgs = (s: string) => argBlock((w) => w.writeString(1, s));
const sleepArgs = (ms: number) => argBlock((w) => w.writeInt32(1, ms));

function readString0(buf: Buffer): string {
  const r = new TarsReader(buf);
  expect(r.nextField()).toBe(true);
  expect(r.tag).toBe(0);
  return r.readString();
}

describe('server dispatch', () => {
  it('answers a call with the result at tag 0 and echoes id, version and message type', async () => {
    const { port } = await start();
    const c = await rawConnect(port);
    c.socket.write(requestFrame({ iRequestId: 77, iMessageType: 0x10, sServantName: OBJ, sFuncName: 'echo', sBuffer: echoArgs('hello') }));
    await c.waitFor(1);
    const [r] = c.replies;
    expect(r.iRet).toBe(0);
    expect(r.iRequestId).toBe(77);
    expect(r.iVersion).toBe(1);
    expect(r.iMessageType).toBe(0x10);
    expect(readString0(r.sBuffer)).toBe('hello');
    c.socket.destroy();
  });

  it('returns -4 for an unknown servant, -3 for an unknown function, -1 for undecodable arguments, 0 for tars_ping', async () => {
    const { port } = await start();
    const c = await rawConnect(port);
    c.socket.write(Buffer.concat([
      requestFrame({ iRequestId: 1, sServantName: 'No.Such.Obj', sFuncName: 'echo', sBuffer: echoArgs('x') }),
      requestFrame({ iRequestId: 2, sServantName: OBJ, sFuncName: 'noSuchFunc' }),
      requestFrame({ iRequestId: 3, sServantName: OBJ, sFuncName: 'echo', sBuffer: argBlock((w) => w.writeInt32(1, 5)) }),
      requestFrame({ iRequestId: 4, sServantName: OBJ, sFuncName: 'echo', sBuffer: Buffer.alloc(0) }),
      requestFrame({ iRequestId: 5, sServantName: OBJ, sFuncName: 'tars_ping' }),
      // also 'constructor' or 'toString' must not reach the prototype
      requestFrame({ iRequestId: 6, sServantName: OBJ, sFuncName: 'constructor' }),
    ]));
    await c.waitFor(6);
    const byId = new Map(c.replies.map((r) => [r.iRequestId, r]));
    expect(byId.get(1)!.iRet).toBe(-4);
    expect(byId.get(2)!.iRet).toBe(-3);
    expect(byId.get(3)!.iRet).toBe(-1);
    expect(byId.get(3)!.sResultDesc).toMatch(/echo/);
    expect(byId.get(4)!.iRet).toBe(-1);
    expect(byId.get(5)!.iRet).toBe(0);
    expect(byId.get(5)!.sBuffer.length).toBe(0);
    expect(byId.get(6)!.iRet).toBe(-3);
    expect(c.isClosed()).toBe(false);
    c.socket.destroy();
  });

  it('turns servant exceptions into -99 with the message, and TarsError codes into iRet', async () => {
    const { port } = await start();
    const c = await rawConnect(port);
    c.socket.write(Buffer.concat([
      requestFrame({ iRequestId: 1, sServantName: OBJ, sFuncName: 'fail', sBuffer: argBlock((w) => w.writeInt32(1, 0)) }),
      requestFrame({ iRequestId: 2, sServantName: OBJ, sFuncName: 'fail', sBuffer: argBlock((w) => w.writeInt32(1, -123)) }),
    ]));
    await c.waitFor(2);
    expect(c.replies[0].iRet).toBe(-99);
    expect(c.replies[0].sResultDesc).toBe('plain failure');
    expect(c.replies[1].iRet).toBe(-123);
    c.socket.destroy();
  });

  it('never replies to one-way calls, even failing ones, but runs them', async () => {
    const { port, servant } = await start();
    const c = await rawConnect(port);
    c.socket.write(Buffer.concat([
      requestFrame({ iRequestId: 1, cPacketType: 1, sServantName: OBJ, sFuncName: 'notify', sBuffer: echoArgs('a') }),
      requestFrame({ iRequestId: 2, cPacketType: 1, sServantName: 'No.Such.Obj', sFuncName: 'notify' }),
      requestFrame({ iRequestId: 3, cPacketType: 1, sServantName: OBJ, sFuncName: 'nope' }),
      requestFrame({ iRequestId: 4, cPacketType: 1, sServantName: OBJ, sFuncName: 'fail', sBuffer: argBlock((w) => w.writeInt32(1, 0)) }),
      requestFrame({ iRequestId: 5, sServantName: OBJ, sFuncName: 'echo', sBuffer: echoArgs('after') }),
    ]));
    await c.waitFor(1);
    await sleep(100);
    expect(c.replies.map((r) => r.iRequestId)).toEqual([5]);
    expect(servant.notified).toEqual(['a']);
    c.socket.destroy();
  });

  it('answers many requests in flight out of order, matched by request id', async () => {
    const { port } = await start();
    const c = await rawConnect(port);
    c.socket.write(Buffer.concat([
      requestFrame({ iRequestId: 1, sServantName: OBJ, sFuncName: 'sleep', sBuffer: sleepArgs(150) }),
      requestFrame({ iRequestId: 2, sServantName: OBJ, sFuncName: 'sleep', sBuffer: sleepArgs(30) }),
      requestFrame({ iRequestId: 3, sServantName: OBJ, sFuncName: 'echo', sBuffer: echoArgs('now') }),
    ]));
    await c.waitFor(3);
    expect(c.replies.map((r) => r.iRequestId)).toEqual([3, 2, 1]);
    c.socket.destroy();

    comm = new Communicator();
    const proxy = comm.stringToProxy(EchoProxy, server!.proxyString(OBJ));
    const delays = Array.from({ length: 300 }, (_, i) => (i * 37) % 40);
    const results = await Promise.all(delays.map((d) => proxy.sleep(d)));
    expect(results).toEqual(delays);
  });

  it('handles a frame split into single bytes and many frames coalesced in one write', async () => {
    const { port } = await start();
    const c = await rawConnect(port);
    const frame = requestFrame({ iRequestId: 9, sServantName: OBJ, sFuncName: 'echo', sBuffer: echoArgs('split') });
    for (const byte of frame) {
      c.socket.write(Buffer.of(byte));
      await new Promise((r) => setImmediate(r));
    }
    await c.waitFor(1);
    expect(readString0(c.replies[0].sBuffer)).toBe('split');

    const n = 200;
    const readsBefore = c.reads();
    const frames = Array.from({ length: n }, (_, i) => requestFrame({ iRequestId: 100 + i, sServantName: OBJ, sFuncName: 'echo', sBuffer: echoArgs(`m${i}`) }));
    // and a frame cut in the middle of its length prefix, completed by the next write
    const tail = requestFrame({ iRequestId: 999, sServantName: OBJ, sFuncName: 'echo', sBuffer: echoArgs('tail') });
    c.socket.write(Buffer.concat([...frames, tail.subarray(0, 2)]));
    await c.waitFor(1 + n);
    // replies of one read go out in one write: the 200 replies arrive in very few reads
    expect(c.reads() - readsBefore).toBeLessThanOrEqual(3);
    c.socket.write(tail.subarray(2));
    await c.waitFor(2 + n);
    expect(c.replies.slice(1, 1 + n).map((r) => readString0(r.sBuffer))).toEqual(frames.map((_, i) => `m${i}`));
    expect(readString0(c.replies[1 + n].sBuffer)).toBe('tail');
    c.socket.destroy();
  });

  it('batches replies of async servant methods from one read into one write', async () => {
    const { port } = await start();
    const c = await rawConnect(port);
    const n = 100;
    const frames = Array.from({ length: n }, (_, i) =>
      requestFrame({ iRequestId: i + 1, sServantName: OBJ, sFuncName: 'add', sBuffer: argBlock((w) => { w.writeInt32(1, i); w.writeInt32(2, 1); }) }));
    c.socket.write(Buffer.concat(frames));
    await c.waitFor(n);
    expect(c.reads()).toBeLessThanOrEqual(2);
    const r = new TarsReader(c.replies[41].sBuffer);
    const got: Record<number, number> = {};
    while (r.nextField()) got[r.tag] = r.readInt32();
    expect(got).toEqual({ 0: 0, 3: 42 });
    c.socket.destroy();
  });
});

describe('server encode errors', () => {
  it('answers -2 when the servant returns something its return type cannot encode', async () => {
    class Sloppy extends EchoServant {
      override add(): Promise<{ ret: number; sum: number }> {
        return Promise.resolve({ ret: 0, sum: 2 ** 40 }); // not an int32
      }
    }
    const logger = memoryLogger();
    server = createServer({ logger });
    server.addServant(new Sloppy(), OBJ, 'tcp -h 127.0.0.1 -p 0');
    await server.start();
    const c = await rawConnect(server.endpointOf(OBJ).port);
    c.socket.write(Buffer.concat([
      requestFrame({ iRequestId: 1, sServantName: OBJ, sFuncName: 'echo', sBuffer: echoArgs('a') }),
      requestFrame({ iRequestId: 2, sServantName: OBJ, sFuncName: 'add', sBuffer: argBlock((w) => { w.writeInt32(1, 1); w.writeInt32(2, 2); }) }),
      requestFrame({ iRequestId: 3, sServantName: OBJ, sFuncName: 'echo', sBuffer: echoArgs('b') }),
    ]));
    await c.waitFor(3);
    const byId = new Map(c.replies.map((r) => [r.iRequestId, r]));
    expect(byId.get(2)!.iRet).toBe(-2);
    expect(byId.get(2)!.sResultDesc).toMatch(/encode error in add/);
    expect(readString0(byId.get(1)!.sBuffer)).toBe('a');
    expect(readString0(byId.get(3)!.sBuffer)).toBe('b');
    expect(logger.lines.some((l) => l.startsWith('error reply to'))).toBe(true);
    c.socket.destroy();
  });
});

describe('server queue', () => {
  it('answers -9 when the queue is full', async () => {
    const { port, adapter } = await start({ maxInFlight: 1, queueCap: 1 });
    const c = await rawConnect(port);
    c.socket.write(Buffer.concat([1, 2, 3].map((id) => requestFrame({ iRequestId: id, sServantName: OBJ, sFuncName: 'sleep', sBuffer: sleepArgs(100) }))));
    await c.waitFor(3);
    expect(c.replies.map((r) => [r.iRequestId, r.iRet])).toEqual([[3, -9], [1, 0], [2, 0]]);
    expect(adapter.stats.overloads).toBe(1);
    c.socket.destroy();
  });

  it('answers -6 when a request waited in the queue past its iTimeout', async () => {
    const { port, adapter } = await start({ maxInFlight: 1 });
    const c = await rawConnect(port);
    c.socket.write(Buffer.concat([
      requestFrame({ iRequestId: 1, sServantName: OBJ, sFuncName: 'sleep', sBuffer: sleepArgs(200) }),
      requestFrame({ iRequestId: 2, iTimeout: 50, sServantName: OBJ, sFuncName: 'echo', sBuffer: echoArgs('late') }),
      requestFrame({ iRequestId: 3, iTimeout: 5000, sServantName: OBJ, sFuncName: 'echo', sBuffer: echoArgs('fine') }),
    ]));
    await c.waitFor(3);
    const byId = new Map(c.replies.map((r) => [r.iRequestId, r.iRet]));
    expect([byId.get(1), byId.get(2), byId.get(3)]).toEqual([0, -6, 0]);
    expect(adapter.stats.queueTimeouts).toBe(1);
    c.socket.destroy();
  });
});

describe('server robustness', () => {
  it('closes only the connection that sent a bad frame, with a logged reason', async () => {
    const { port, logger, adapter } = await start({ maxPacketSize: 4096 });
    const good = await rawConnect(port);
    const cases: Buffer[] = [
      Buffer.from([0, 0, 0, 3, 1, 2, 3]), // length below 5
      Buffer.from([0, 0, 0x10, 1, 0, 0, 0, 0]), // length above maxPacketSize
      Buffer.concat([Buffer.from([0, 0, 0, 9]), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff])]), // garbage envelope
      requestFrame({ iRequestId: 1, sServantName: OBJ }).subarray(0, 12), // cut short, then EOF
    ];
    for (const bytes of cases.slice(0, 3)) {
      const bad = await rawConnect(port);
      bad.socket.write(bytes);
      await bad.closed;
    }
    expect(adapter.stats.badInput).toBe(3);
    expect(logger.lines.filter((l) => l.startsWith('warn closing connection'))).toHaveLength(3);
    expect(logger.lines.join('\n')).toMatch(/shorter than the 5-byte minimum/);
    expect(logger.lines.join('\n')).toMatch(/exceeds maxPacketSize/);
    expect(logger.lines.join('\n')).toMatch(/undecodable RequestPacket/);
    // a valid request in front of the bad frame still gets its answer before the close
    const mixed = await rawConnect(port);
    mixed.socket.write(Buffer.concat([
      requestFrame({ iRequestId: 41, sServantName: OBJ, sFuncName: 'echo', sBuffer: echoArgs('before') }),
      cases[0],
    ]));
    await mixed.closed;
    expect(mixed.replies.map((r) => r.iRequestId)).toEqual([41]);
    const cut = await rawConnect(port);
    cut.socket.end(cases[3]);
    await cut.closed;

    good.socket.write(requestFrame({ iRequestId: 5, sServantName: OBJ, sFuncName: 'echo', sBuffer: echoArgs('still here') }));
    await good.waitFor(1);
    expect(readString0(good.replies[0].sBuffer)).toBe('still here');
    good.socket.destroy();
  });

  it('closes connections idle longer than the endpoint -t timeout', async () => {
    const { port } = await start({}, 'tcp -h 127.0.0.1 -p 0 -t 200');
    const c = await rawConnect(port);
    const t0 = Date.now();
    await c.closed;
    const idle = Date.now() - t0;
    expect(idle).toBeGreaterThanOrEqual(180);
    expect(idle).toBeLessThan(1500);
  });

  it('sends the context a servant sets back with the reply (TARS tag 9, TUP too)', async () => {
    const { port } = await start();
    const c = await rawConnect(port);
    c.socket.write(Buffer.concat([
      requestFrame({ iRequestId: 1, sServantName: OBJ, sFuncName: 'whoami' }),
      requestFrame({ iRequestId: 2, sServantName: OBJ, sFuncName: 'echo', sBuffer: echoArgs('plain') }),
      requestFrame({ iVersion: 3, iRequestId: 3, sServantName: OBJ, sFuncName: 'whoami', sBuffer: new UniAttribute().encode() }),
    ]));
    await c.waitFor(3);
    const [first, second] = c.replies;
    expect(first.context.get('served-by')).toBe('echo');
    expect(second.context.size).toBe(0);
    expect(RequestPacket.decode(c.packets[2]).context.get('served-by')).toBe('echo');
    c.socket.destroy();
  });

  it('reports the caller as context node_name, else the peer IP', async () => {
    await start();
    comm = new Communicator();
    const proxy = comm.stringToProxy(EchoProxy, server!.proxyString(OBJ));
    expect(await proxy.whoami()).toBe('echo|127.0.0.1');
    expect(await proxy.whoami({ context: { node_name: 'node-7' } })).toBe('echo|node-7');
    expect(await proxy.whoami({ context: new Map([['node_name', 'node-8']]) })).toBe('echo|node-8');
    // a map decoded from a Tars struct (an ArrayMap) passes on as a context too
    expect(await proxy.whoami({ context: new ArrayMap([['node_name', 'node-9']]) })).toBe('echo|node-9');
  });

  it('serves several servants on one adapter and on separate adapters', async () => {
    const logger = memoryLogger();
    server = createServer({ logger });
    const a1 = server.addServant(new EchoServant('one'), 'App.S.One', 'tcp -h 127.0.0.1 -p 0');
    const a2 = server.addServant(new EchoServant('two'), 'App.S.Two', 'tcp -h 127.0.0.1 -p 0');
    const a3 = server.addServant(new EchoServant('three'), 'App.S.Three', 'tcp -h 127.0.0.1 -p 0 -t 1000');
    expect(a1).toBe(a2);
    expect(a3).not.toBe(a1);
    await server.start();
    comm = new Communicator();
    for (const [name, label] of [['App.S.One', 'one'], ['App.S.Two', 'two'], ['App.S.Three', 'three']]) {
      const p = comm.stringToProxy(EchoProxy, server.proxyString(name));
      expect((await p.whoami()).split('|')[0]).toBe(label);
    }
  });

  it('rejects a servant class without a descriptor or with a missing method', () => {
    server = createServer({ logger: memoryLogger() });
    class NoDescriptor {}
    expect(() => server!.addServant(new NoDescriptor(), 'A.B.C', 'tcp -h 127.0.0.1 -p 0')).toThrow(/static 'descriptor'/);
    class Partial { static descriptor = EchoServant.descriptor; echo() { return ''; } }
    expect(() => server!.addServant(new Partial(), 'A.B.D', 'tcp -h 127.0.0.1 -p 0')).toThrow(/add is not implemented/);
  });
});

describe('TUP (iVersion 3)', () => {
  it('answers with a RequestPacket-shaped reply: UniAttribute result, code in status', async () => {
    const { port } = await start();
    const c = await rawConnect(port);
    const args = new UniAttribute();
    args.put('a', int32Codec, 40);
    args.put('b', int32Codec, 2);
    c.socket.write(Buffer.concat([
      requestFrame({ iVersion: 3, iRequestId: 1, sServantName: OBJ, sFuncName: 'add', sBuffer: args.encode() }),
      requestFrame({ iVersion: 3, iRequestId: 2, sServantName: OBJ, sFuncName: 'nope', sBuffer: new UniAttribute().encode() }),
    ]));
    await c.waitFor(2);
    const byId = new Map(c.packets.map((p) => RequestPacket.decode(p)).map((r) => [r.iRequestId, r]));
    const ok = byId.get(1)!;
    const missing = byId.get(2)!;
    expect(ok.iVersion).toBe(3);
    expect(ok.sFuncName).toBe('add');
    expect(ok.status.get('STATUS_RESULT_CODE')).toBe('0');
    const result = UniAttribute.decode(ok.sBuffer);
    expect(result.take('', int32Codec)).toBe(0);
    expect(result.take('tars_ret', int32Codec)).toBe(0);
    expect(result.take('sum', int32Codec)).toBe(42);
    expect(missing.status.get('STATUS_RESULT_CODE')).toBe('-3');
    expect(UniAttribute.decode(missing.sBuffer).data.size).toBe(0);
    c.socket.destroy();
  });
});

describe('graceful shutdown', () => {
  it('lets calls in flight finish, then closes; new connections are refused', async () => {
    await start();
    comm = new Communicator({ backoffBase: 10 });
    const proxy = comm.stringToProxy(EchoProxy, server!.proxyString(OBJ));
    await proxy.echo('warm');
    const port = server!.endpointOf(OBJ).port;
    const inFlight = [proxy.sleep(300), proxy.sleep(150), proxy.echo('quick')];
    await sleep(30);
    const t0 = Date.now();
    const stopped = server!.stop(5000);
    await sleep(20);
    await expect(rawConnect(port)).rejects.toThrow();
    expect(await Promise.all(inFlight)).toEqual([300, 150, 'quick']);
    await stopped;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
    server = undefined;
  });
});
