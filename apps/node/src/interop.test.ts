// ServerF as the official @tars/rpc client calls it (node-agent sends keepAlive two-way with no
// adapter, tars-protocol.md §5.6). There is no npm ServerF proxy, so this one is written by hand
// on @tars/stream, as tars2node would generate it.
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from './testing/harness.ts';

const require = createRequire(import.meta.url);
const TarsRpc = require('@tars/rpc');
const TarsStream = require('@tars/stream');

function OfficialServerFProxy(this: any) {
  this._name = undefined;
  this._worker = undefined;
}
function serverInfo(application: string, serverName: string, pid: number, adapter: string) {
  return {
    _writeTo(os: any) {
      os.writeString(0, application);
      os.writeString(1, serverName);
      os.writeInt32(2, pid);
      os.writeString(3, adapter);
    },
  };
}
OfficialServerFProxy.prototype.call = function (func: 'keepAlive' | 'keepActiving', app: string, server: string, pid: number) {
  const os = new TarsStream.TarsOutputStream();
  os.writeStruct(1, serverInfo(app, server, pid, ''));
  return this._worker.tars_invoke(func, os.getBinBuffer(), {}).then((data: any) => new TarsStream.TarsInputStream(data.response.sBuffer).readInt32(0, true, 0));
};
OfficialServerFProxy.prototype.getLatestKeepAliveTime = function () {
  return this._worker.tars_invoke('getLatestKeepAliveTime', new TarsStream.TarsOutputStream().getBinBuffer(), {})
    .then((data: any) => new TarsStream.TarsInputStream(data.response.sBuffer).readUInt32(0, true, 0));
};

let box: Sandbox;
let comm: any;
beforeEach(() => {
  box = new Sandbox();
  comm = TarsRpc.Communicator.New();
});
afterEach(async () => {
  comm.destroy();
  await box.cleanup();
});

describe('ServerF with the official @tars/rpc client', () => {
  it('accepts keepActiving and keepAlive for its server, and answers -1 for others', async () => {
    // A program that sends no heartbeat itself: the official client speaks for it.
    const agent = await box.agent({ command: () => ({ command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] }) });
    const { pid } = await agent.waitFor((s) => s.present === 'Activating', 8000);
    const proxy = comm.stringToProxy(OfficialServerFProxy, agent.serverObj);
    expect(await proxy.call('keepActiving', 'Test', 'FakeServer', pid)).toBe(0);
    expect(agent.state().present).toBe('Activating');
    expect(await proxy.call('keepAlive', 'Test', 'FakeServer', pid)).toBe(0);
    expect(agent.state().present).toBe('Active');
    expect(await proxy.call('keepAlive', 'Other', 'Server', 1)).toBe(-1);
    const now = Math.floor(Date.now() / 1000);
    expect(Math.abs((await proxy.getLatestKeepAliveTime()) - now)).toBeLessThanOrEqual(2);
  });
});
