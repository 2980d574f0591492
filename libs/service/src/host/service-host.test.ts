import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AdminF, NodeF } from '@tars-ts/interfaces';
import { Communicator, createServer, silentLogger, type Current, type TarsServer } from '@tars-ts/rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { Shutdown } from '../lifecycle/shutdown.ts';
import { ServiceHost } from './service-host.ts';

/** A stand-in tarsnode: records what the service reports on ServerObj. */
class FakeNode extends NodeF.ServerFServant {
  readonly keepAlives: NodeF.ServerInfo[] = [];
  readonly versions: string[][] = [];
  readonly calls: string[] = [];
  keepAlive(_c: Current, info: NodeF.ServerInfo): number {
    this.keepAlives.push(info);
    this.calls.push('keepAlive');
    return 0;
  }
  keepActiving(): number {
    this.calls.push('keepActiving');
    return 0;
  }
  reportVersion(_c: Current, app: string, server: string, version: string): number {
    this.versions.push([app, server, version]);
    return 0;
  }
  getLatestKeepAliveTime(): number {
    return Math.floor(Date.now() / 1000);
  }
}

/** An app servant for the test: AdminF's shape is enough to prove addServant uses the config adapter. */
class EchoServant extends AdminF.AdminFServant {
  shutdown(): void {}
  notify(_c: Current, command: string): string {
    return `echo:${command}`;
  }
  getPid(): bigint {
    return 1n;
  }
}

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function startFakeNode(): Promise<{ node: FakeNode; server: TarsServer }> {
  const node = new FakeNode();
  const server = createServer({ logger: silentLogger });
  server.addServant(node, 'tars.tarsnode.ServerObj', 'tcp -h 127.0.0.1 -p 0 -t 60000');
  await server.start();
  cleanup.push(() => server.stop(100));
  return { node, server };
}

function writeConfig(dir: string, nodeProxy: string): string {
  const file = join(dir, 'Test.HostServer.config.conf');
  writeFileSync(
    file,
    `<tars>
  <application>
    <client>
      sync-invoke-timeout=2000
    </client>
    <server>
      app=Test
      server=HostServer
      logpath=${dir}/app_log
      logLevel=DEBUG
      local=tcp -h 127.0.0.1 -p 0 -t 3000
      node=${nodeProxy}
      metrics-port=0
      <Test.HostServer.EchoObjAdapter>
        endpoint=tcp -h 127.0.0.1 -p 0 -t 60000
        servant=Test.HostServer.EchoObj
        queuecap=100
      </Test.HostServer.EchoObjAdapter>
    </server>
  </application>
</tars>
`,
  );
  return file;
}

describe('ServiceHost', () => {
  it('runs a configured service end to end: logs, readiness, tarsnode heartbeat, AdminF, shutdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tars-host-'));
    const { node, server: nodeServer } = await startFakeNode();
    const file = writeConfig(dir, nodeServer.proxyString('tars.tarsnode.ServerObj'));
    const exits: number[] = [];

    const host = await ServiceHost.start({
      argv: ['node', 'main.ts', `--config=${file}`],
      env: { TARS_CONFIG__tars__application__server__logLevel: 'INFO' },
      handleSignals: false,
      exit: (code) => exits.push(code),
      version: '9.9.9',
      keepAliveIntervalMs: 50,
    });
    cleanup.push(() => host.stop());
    expect(host.logger.level).toBe('INFO'); // the environment override won over the file
    host.addServant(new EchoServant(), 'Test.HostServer.EchoObj');
    expect(() => host.addServant(new EchoServant(), 'Test.HostServer.OtherObj')).toThrow('no adapter in the config serves Test.HostServer.OtherObj');

    const monitorUrl = host.monitor!.url;
    expect((await fetch(`${monitorUrl}/readyz`)).status).toBe(503);
    await expect.poll(() => node.calls).toEqual(['keepActiving']);
    await host.listen();
    expect((await fetch(`${monitorUrl}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${monitorUrl}/metrics`)).text()).toContain('app="Test",server="HostServer"');

    await expect.poll(() => node.keepAlives.length).toBeGreaterThanOrEqual(2);
    expect(node.keepAlives[0]).toEqual({ application: 'Test', serverName: 'HostServer', pid: process.pid, adapter: '' });
    expect(node.versions).toEqual([['Test', 'HostServer', '9.9.9']]);
    expect(node.calls[0]).toBe('keepActiving'); // sent while the service was still starting

    const client = new Communicator({ logger: silentLogger });
    cleanup.push(() => client.close());
    const echo = client.stringToProxy(AdminF.AdminFProxy, host.rpc.proxyString('Test.HostServer.EchoObj'));
    expect(await echo.notify('hi')).toBe('echo:hi');
    const scraped = await (await fetch(`${monitorUrl}/metrics`)).text();
    expect(scraped).toMatch(/tars_adapter_requests_total\{servants="Test\.HostServer\.EchoObj",app="Test",server="HostServer"\} 1\n/);
    expect(scraped).toMatch(/tars_adapter_connections\{servants="Test\.HostServer\.EchoObj",app="Test",server="HostServer"\} 1\n/);

    const admin = client.stringToProxy(AdminF.AdminFProxy, host.rpc.proxyString('AdminObj'));
    expect(await admin.getPid()).toBe(BigInt(process.pid));
    expect(await admin.notify('tars.setloglevel WARN')).toBe('set log level [WARN] ok');
    const status = await admin.notify('tars.viewstatus');
    expect(status).toContain('application: Test\nserver: HostServer');
    expect(status).toContain('logLevel: WARN');
    expect(status).toContain('servants: AdminObj');
    expect(await admin.notify('tars.viewversion')).toBe('9.9.9');
    host.logger.info('hidden at WARN');
    host.logger.warn('about to stop');
    expect(await admin.notify('tars.setloglevel info')).toBe('set log level [INFO] ok');

    const stopped: string[] = [];
    host.onStop('app store', () => void stopped.push(`store, ready=${String(host.shutdown.stopping)}`));
    await admin.shutdown();
    await expect.poll(() => exits).toEqual([0]);
    expect(stopped).toEqual(['store, ready=true']);
    await expect(fetch(`${monitorUrl}/healthz`)).rejects.toThrow();
    await expect(echo.notify('again', { timeout: 300 })).rejects.toThrow();

    const log = readFileSync(join(dir, 'app_log', 'Test', 'HostServer', 'Test.HostServer.log'), 'utf8');
    expect(log).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\|\d+\|INFO\|Test\.HostServer configured from /m);
    expect(log).toContain('|INFO|Test.HostServer started');
    expect(log).toContain('|WARN|about to stop');
    expect(log).not.toContain('hidden at WARN');
    expect(log).toContain('|INFO|shutting down (AdminF.shutdown from 127.0.0.1)');
    const keepAlivesAtStop = node.keepAlives.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(node.keepAlives.length).toBe(keepAlivesAtStop);
  });

  it('runs without a config file when given names, and explains what is missing otherwise', async () => {
    const exits: number[] = [];
    const host = await ServiceHost.start({ argv: [], env: {}, app: 'Dev', server: 'Box', console: false, handleSignals: false, exit: (c) => exits.push(c) });
    expect(host.serverConfig).toMatchObject({ app: 'Dev', server: 'Box', logLevel: 'DEBUG' });
    expect(host.monitor).toBeUndefined();
    await host.listen();
    expect(host.rpc.adapters).toEqual([]);
    expect(await host.admin.dispatch('tars.connection')).toBe('no adapters');
    expect(await host.stop()).toBe(0);
    expect(exits).toEqual([0]);

    await expect(ServiceHost.start({ argv: [], env: {}, handleSignals: false })).rejects.toThrow('no config: pass --config=FILE, set TARS_CONFIG');
    await expect(
      ServiceHost.start({ argv: [], env: {}, config: '<tars>\n<application>\n<server>\napp=A\nserver=B\nlogLevel=LOUD\n</server>\n</application>\n</tars>', handleSignals: false }),
    ).rejects.toThrow(/logLevel>: unknown log level "LOUD"/);
  });

  it('lets several hosts in one process share a shutdown: every RPC server stops before any app hook', async () => {
    const exits: number[] = [];
    const shared = new Shutdown({ exit: (c) => exits.push(c) });
    const start = (server: string) => ServiceHost.start({ argv: [], env: {}, app: 'tars', server, console: false, shutdown: shared });
    const a = await start('tarsstat');
    const b = await start('tarsproperty');
    a.addServant(new EchoServant(), 'tars.tarsstat.EchoObj', 'tcp -h 127.0.0.1 -p 0');
    b.addServant(new EchoServant(), 'tars.tarsproperty.EchoObj', 'tcp -h 127.0.0.1 -p 0');
    await a.listen();
    await b.listen();
    const client = new Communicator({ logger: silentLogger });
    cleanup.push(() => client.close());
    const proxyB = client.stringToProxy(AdminF.AdminFProxy, b.rpc.proxyString('tars.tarsproperty.EchoObj'));
    expect(await proxyB.notify('x')).toBe('echo:x');

    const seen: string[] = [];
    a.onStop('stat store', async () => {
      const ready = (await b.health.readiness()).ready;
      const bAnswers = await proxyB.notify('y', { timeout: 300 }).then(() => true, () => false);
      seen.push(`b ready=${ready} b answers=${bAnswers}`);
    });
    expect(await a.stop('test')).toBe(0);
    expect(seen).toEqual(['b ready=false b answers=false']);
    expect(exits).toEqual([0]);
  });

  it('is a real process that stops on SIGTERM with exit code 0 and a complete log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tars-host-child-'));
    const file = writeConfig(dir, 'tars.tarsnode.ServerObj@tcp -h 127.0.0.1 -p 1 -t 1000'); // no tarsnode: heartbeat fails quietly
    const child = spawn(process.execPath, [resolve(import.meta.dirname, 'testing/host-child.ts'), `--config=${file}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    await new Promise<void>((ready, fail) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) ready();
      });
      child.on('exit', () => fail(new Error(`child exited early: ${out} ${err}`)));
    });
    const port = Number(/^ready (\d+)/.exec(out)![1]);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(err).toBe('');
    const log = readFileSync(join(dir, 'app_log', 'Test', 'HostServer', 'Test.HostServer.log'), 'utf8');
    const lines = log.trimEnd().split('\n').map((l) => l.split('|').slice(2).join('|'));
    // Drop the noise of the absent tarsnode; what remains is the life of the service in order.
    expect(lines.filter((l) => !/^(WARN|INFO)\|(keepAlive|keepActiving|reportVersion) |connect failed/.test(l))).toEqual([
      expect.stringMatching(/^INFO\|Test\.HostServer configured from .*, metrics on port \d+$/),
      'INFO|Test.HostServer started, pid ' + child.pid + ', servants: AdminObj',
      'INFO|shutting down (signal SIGTERM)',
      'DEBUG|stopped Test.HostServer readiness',
      'DEBUG|stopped Test.HostServer tarsnode keepAlive',
      'DEBUG|stopped Test.HostServer rpc server',
      'INFO|app stopped',
      'DEBUG|stopped app',
      'DEBUG|stopped Test.HostServer communicator',
      'DEBUG|stopped Test.HostServer monitor server',
    ]);
  });
});

