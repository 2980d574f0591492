// Optimized call handling must survive a full GC in a quiet moment, when no call is in flight:
// ServerCurrent and the client's PendingCall keep one instance each so that V8 keeps their
// hidden classes (see TarsReader.shapeAnchor). Observed in a child process with V8's deopt trace.
import { codeDroppedAfter } from '@tars-ts/codec/testing';
import { describe, expect, it } from 'vitest';

const url = (rel: string) => JSON.stringify(new URL(rel, import.meta.url).href);
const script = `
const { createServer, Communicator } = await import(${url('./index.ts')});
const { EchoProxy, EchoServant, freePort } = await import(${url('./testing/index.ts')});
const port = await freePort();
const server = createServer();
server.addServant(new EchoServant(), 'test.Echo.EchoObj', 'tcp -h 127.0.0.1 -p ' + port + ' -t 60000');
await server.start();
const comm = new Communicator();
const proxy = comm.stringToProxy(EchoProxy, 'test.Echo.EchoObj@tcp -h 127.0.0.1 -p ' + port);
async function burst(n) {
  for (let i = 0; i < n; i += 64) await Promise.all(Array.from({ length: 64 }, (_, j) => proxy.add(i, j)));
}
await burst(100000);
await new Promise((r) => setTimeout(r, 100));
console.log('--- full GC with no call in flight ---');
globalThis.gc();
await burst(640);
await comm.close();
await server.stop();
`;

describe('optimized call handling and full GCs', () => {
  it('is not thrown away when a full GC finds no call in flight', () => {
    const dropped = codeDroppedAfter(script, '--- full GC with no call in flight ---');
    const ours = ['PendingCall', 'ServerCurrent', 'dispatch', 'complete', 'settle', 'onFrame', 'send', 'get replyContextIfAny', 'get responseContext'];
    expect(dropped.filter((name) => ours.includes(name))).toEqual([]);
  });
});
