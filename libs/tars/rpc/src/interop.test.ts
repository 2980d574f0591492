// Interop with the official @tars/rpc package, both directions, TARS (1) and TUP (3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type TarsServer } from './server/server.ts';
import { Communicator } from './client/communicator.ts';
import { EchoProxy, EchoServant, SAMPLE_ENDPOINTS } from './testing/echo-service.ts';
import { memoryLogger, sleep } from './testing/raw-client.ts';
import { officialClient, startOfficialServer, type OfficialClient, type OfficialServer } from './testing/official-peers.ts';
import { ServerError } from './errors.ts';
import { freePort } from './testing/ports.ts';

const OBJ = 'Test.Echo.EchoObj';

async function waitListening(port: number): Promise<void> {
  const comm = new Communicator({ logger: memoryLogger(), backoffBase: 10, backoffMax: 20, ejectTime: 0 });
  try {
    for (let i = 0; i < 100; i++) {
      // any answer, even -3 (the official servant has no tars_ping), means it is listening
      const ok = await comm.objectProxy(`${OBJ}@tcp -h 127.0.0.1 -p ${port}`).ping({ timeout: 200 }).then(() => true, (e: unknown) => e instanceof ServerError);
      if (ok) return;
      await sleep(20);
    }
    throw new Error(`official server on ${port} did not come up`);
  } finally {
    await comm.close();
  }
}

describe('our client -> @tars/rpc server', () => {
  let official: OfficialServer;
  let comm: Communicator;
  let proxy: EchoProxy;

  beforeAll(async () => {
    const port = await freePort();
    official = startOfficialServer(port, OBJ);
    await waitListening(port);
    comm = new Communicator({ logger: memoryLogger() });
    proxy = comm.stringToProxy(EchoProxy, `${OBJ}@tcp -h 127.0.0.1 -p ${port}`);
  });
  afterAll(async () => {
    await comm.close();
    official.stop();
  });

  it('calls over TARS (iVersion 1)', async () => {
    expect(await proxy.echo('héllo wörld')).toBe('héllo wörld');
    expect(await proxy.add(40, 2)).toEqual({ ret: 0, sum: 42 });
    // the npm EndpointF predates nodeName (tag 14): that field comes back empty
    const withoutNodeName = SAMPLE_ENDPOINTS.map((e) => ({ ...e, nodeName: '' }));
    expect(await proxy.lookup('x')).toEqual(withoutNodeName);
    const many = await Promise.all(Array.from({ length: 200 }, (_, i) => proxy.echo(`m${i}`)));
    expect(many).toEqual(Array.from({ length: 200 }, (_, i) => `m${i}`));
  });

  it('calls over TUP (iVersion 3)', async () => {
    expect(await proxy.echo('tup', { version: 3 })).toBe('tup');
    expect(await proxy.add(5, 6, { version: 3 })).toEqual({ ret: 0, sum: 11 });
    expect((await proxy.lookup('x', { version: 3 })).map((e) => [e.host, e.port])).toEqual(SAMPLE_ENDPOINTS.map((e) => [e.host, e.port]));
  });

  it('surfaces the official server error codes', async () => {
    await expect(proxy.fail(1)).rejects.toMatchObject({ code: -42 });
    await expect(proxy.whoami()).rejects.toMatchObject({ code: -3 });
    await expect(proxy.fail(1, { version: 3 })).rejects.toBeInstanceOf(ServerError);
  });
});

describe('@tars/rpc client -> our server', () => {
  let server: TarsServer;
  let servant: EchoServant;
  let client: OfficialClient;
  let name: string;

  beforeAll(async () => {
    servant = new EchoServant();
    server = createServer({ logger: memoryLogger() });
    server.addServant(servant, OBJ, 'tcp -h 127.0.0.1 -p 0 -t 60000');
    await server.start();
    name = server.proxyString(OBJ);
    client = officialClient();
  });
  afterAll(async () => {
    client.destroy();
    await server.stop(500);
  });

  it('calls over TARS (iVersion 1)', async () => {
    const p = client.proxy(name);
    expect(await p.echo('héllo')).toBe('héllo');
    expect(await p.add(40, 2)).toEqual({ ret: 0, sum: 42 });
    const eps = await p.lookup('x');
    expect(eps.map((e) => [e.host, e.port, e.timeout, e.istcp, e.setId])).toEqual(SAMPLE_ENDPOINTS.map((e) => [e.host, e.port, e.timeout, e.istcp, e.setId]));
    const many = await Promise.all(Array.from({ length: 200 }, (_, i) => p.echo(`m${i}`)));
    expect(many).toEqual(Array.from({ length: 200 }, (_, i) => `m${i}`));
  });

  it('delivers one-way calls', async () => {
    const p = client.proxy(name);
    await p.notify('from official');
    for (let i = 0; i < 50 && servant.notified.length === 0; i++) await sleep(10);
    expect(servant.notified).toContain('from official');
  });

  it('returns -3 for an unknown function to the official client', async () => {
    const p = client.proxy(name);
    const err = await p.raw('noSuchFunction').then(() => undefined, (e: any) => e);
    expect(err?.response?.error?.code ?? err?.error?.code ?? err?.code).toBe(-3);
  });

  it('calls over TUP (iVersion 3)', async () => {
    // a separate communicator: the official client fixes the protocol version per object proxy
    const tup = officialClient();
    try {
      const q = tup.proxy(name, 3);
      expect(await q.tupAdd(40, 2)).toEqual({ ret: 0, sum: 42, code: 0 });
      expect(await q.tupEcho('tüp')).toBe('tüp');
    } finally {
      tup.destroy();
    }
  });
});
