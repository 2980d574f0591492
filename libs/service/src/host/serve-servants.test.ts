import { Communicator, createServer } from '@tars-ts/rpc';
import { EchoProxy, EchoServant } from '@tars-ts/rpc/testing';
import { describe, expect, it } from 'vitest';
import { serveServants, syncedOrStopped } from './serve-servants.ts';

const OBJ = 'Test.Echo.EchoObj';

describe('serveServants', () => {
  it('starts a server of its own, says where it listens, and stops it', async () => {
    const served = await serveServants([{ servant: new EchoServant('own'), name: OBJ, endpoint: 'tcp -h 127.0.0.1 -p 0 -t 60000' }], {});
    const endpoint = served.endpointOf(OBJ);
    expect(endpoint).toMatch(/^tcp -h 127\.0\.0\.1 -p [1-9]\d* -t 60000$/);
    const comm = new Communicator();
    expect(await comm.stringToProxy(EchoProxy, `${OBJ}@${endpoint}`).whoami()).toMatch(/^own\|/);
    await served.stop();
    await expect(comm.stringToProxy(EchoProxy, `${OBJ}@${endpoint}`, { timeout: 500 }).whoami()).rejects.toThrow();
    await comm.close();
  });

  it('adds to a caller\'s server without starting or stopping it', async () => {
    const server = createServer();
    const served = await serveServants([{ servant: new EchoServant('shared'), name: OBJ, endpoint: 'tcp -h 127.0.0.1 -p 0 -t 60000' }], { server });
    expect(served.server).toBe(server);
    expect(served.endpointOf(OBJ)).toBe('');
    await server.start();
    await served.stop();
    const comm = new Communicator();
    expect(await comm.stringToProxy(EchoProxy, server.proxyString(OBJ)).whoami()).toMatch(/^shared\|/);
    await comm.close();
    await server.stop();
  });
});

describe('syncedOrStopped', () => {
  it('stops a core that cannot sync, and passes the error on', async () => {
    let stopped = 0;
    const failing = { synced: async () => { throw new Error('no sync'); }, stop: async () => void stopped++ };
    await expect(syncedOrStopped(failing, 10)).rejects.toThrow('no sync');
    expect(stopped).toBe(1);
    await syncedOrStopped({ synced: async () => {}, stop: async () => void stopped++ });
    expect(stopped).toBe(1);
  });
});
