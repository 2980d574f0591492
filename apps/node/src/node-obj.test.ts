// NodeObj (the K8S Node interface) driven by the generated proxy, and AdminF on the server's
// `local` endpoint: notifyServer, AdminF shutdown on stop/restart, start after stop, addFile.
import { readFileSync } from 'node:fs';
import { ConfigF, k8s } from '@tars-ts/interfaces';
import { Communicator, createServer, silentLogger, type Current, type TarsServer } from '@tars-ts/rpc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { eventually, Sandbox } from './testing/harness.ts';
import { freePort } from '@tars-ts/rpc/testing';

const SERVICE_HOST_SERVER = fileURLToPath(new URL('./testing/service-host-server.ts', import.meta.url));

/** A free TCP port for the fake server's AdminObj (the agent renders it into the config). */
class Config extends ConfigF.ConfigServant {
  readonly files: Record<string, string> = { 'app.yaml': 'greeting: hello\n' };
  loadConfig(_c: Current, app: string, server: string, filename: string) {
    const config = app === 'Test' && server === 'FakeServer' ? this.files[filename] : undefined;
    return config === undefined ? { ret: -1, config: '' } : { ret: 0, config };
  }
  ListConfig() { return { ret: -1, vf: [] }; }
  loadConfigByHost() { return { ret: -1, config: '' }; }
  checkConfig() { return { ret: -1, result: '' }; }
  ListConfigByInfo() { return { ret: -1, vf: [] }; }
  loadConfigByInfo() { return { ret: -1, config: '' }; }
  checkConfigByInfo() { return { ret: -1, result: '' }; }
  ListAllConfigByInfo() { return { ret: -1, vf: [] }; }
}

let box: Sandbox;
let comm: Communicator;
let configServer: TarsServer;
beforeEach(async () => {
  box = new Sandbox();
  comm = new Communicator({ logger: silentLogger });
  configServer = createServer({ logger: silentLogger });
  configServer.addServant(new Config(), 'tars.tarsconfig.ConfigObj', 'tcp -h 127.0.0.1 -p 0');
  await configServer.start();
});
afterEach(async () => {
  await box.cleanup();
  await comm.close();
  await configServer.stop(500);
});

async function agentWithAdmin() {
  const port = await freePort();
  const agent = await box.agent({
    profile: '<tars>\n<application>\n<server>\nlocal=${local}\n</server>\n</application>\n</tars>\n',
    overrides: { local: `tcp -h 127.0.0.1 -p ${port} -t 3000`, nodeObjEndpoint: 'tcp -h 127.0.0.1 -p 0', configObj: configServer.proxyString('tars.tarsconfig.ConfigObj') },
  });
  const node = comm.stringToProxy(k8s.Node.NodeProxy, agent.nodeObj as string);
  return { agent, node };
}

describe('NodeObj and AdminF', () => {
  it('passes notifyServer to the server through AdminF.notify, and only for its own server', async () => {
    const { agent, node } = await agentWithAdmin();
    await agent.waitFor((s) => s.present === 'Active', 8000);
    await eventually(() => box.events('admin-listening').length > 0, 5000, 'the AdminObj');
    expect(await node.notifyServer('Test', 'FakeServer', 'tars.viewstatus')).toEqual({ ret: 0, result: 'fake got: tars.viewstatus' });
    expect(await node.notifyServer('Other', 'Server', 'x')).toEqual({ ret: -1, result: 'this node runs Test.FakeServer, not Other.Server' });
  });

  it('stops through AdminF.shutdown (no SIGTERM), starts again, and restarts', async () => {
    const { agent, node } = await agentWithAdmin();
    const first = await agent.waitFor((s) => s.present === 'Active', 8000);
    await eventually(() => box.events('admin-listening').length > 0, 5000, 'the AdminObj');
    expect(await node.stopServer('Test', 'FakeServer')).toEqual({ ret: 0, result: 'Success' });
    await agent.waitFor((s) => s.pid === undefined && s.setting === 'Inactive', 8000);
    expect(box.events('admin-shutdown').map((e) => e.pid)).toEqual([first.pid]);
    expect(box.events('sigterm')).toEqual([]);
    expect(agent.exits.list()[0]).toMatchObject({ pid: first.pid, reason: 'stop', code: 0 });

    expect(await node.startServer('Test', 'FakeServer')).toEqual({ ret: 0, result: 'Success' });
    const second = await agent.waitFor((s) => s.present === 'Active', 8000);
    expect(await node.restartServer('Test', 'FakeServer')).toEqual({ ret: 0, result: 'Success' });
    await agent.waitFor((s) => s.present === 'Active' && s.pid !== second.pid, 8000);
    expect(agent.exits.list()[0]).toMatchObject({ pid: second.pid, reason: 'restart' });
  });

  it('addFile loads a file from the config service into the bin dir, refusing paths', async () => {
    const { node } = await agentWithAdmin();
    expect(await node.addFile('Test', 'FakeServer', 'app.yaml')).toEqual({ ret: 0, result: 'Success' });
    expect(readFileSync(`${box.dir}/bin/app.yaml`, 'utf8')).toBe('greeting: hello\n');
    expect(await node.addFile('Test', 'FakeServer', '../escape.yaml')).toEqual({ ret: -1, result: '"../escape.yaml" is not a plain file name' });
    const missing = await node.addFile('Test', 'FakeServer', 'none.yaml');
    expect(missing).toEqual({ ret: -1, result: 'loadConfig(Test, FakeServer, none.yaml) returned -1' });
  });

  it('supervises a @tars-ts/service ServiceHost: heartbeats, admin commands, AdminF shutdown with exit 0', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const logger = { debug: () => undefined, info: (m: string) => void lines.push(m), warn: (m: string) => void lines.push(m), error: (m: string) => void lines.push(m) };
    const agent = await box.agent({
      command: (_r, conf) => ({ command: process.execPath, args: [SERVICE_HOST_SERVER, `--config=${conf}`] }),
      profile: `<tars>\n<application>\n<server>\napp=\${app}\nserver=\${server}\nlocal=\${local}\nlogpath=\${logpath}\n</server>\n</application>\n</tars>\n`,
      overrides: { local: `tcp -h 127.0.0.1 -p ${port} -t 3000`, logger },
    });
    const { pid } = await agent.waitFor((s) => s.present === 'Active', 15_000);
    expect(await agent.notifyServer('tars.viewversion')).toContain('test-1.0');
    expect(agent.serverVersion()).toBe('test-1.0');
    await agent.close();
    expect(agent.exits.list()[0]).toMatchObject({ pid, reason: 'stop', code: 0, signal: null });
    expect(lines).toContain(`asked pid ${pid} to shut down through AdminF`);
  });
});
