// The agent against a registry and a notify service over real sockets (generated k8s Registry
// servant, legacy NotifyF), and the tarsnode CLI as a real process resolving them via a locator.
import { spawn } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { k8s } from '@tars-ts/interfaces';
import { Communicator, silentLogger } from '@tars-ts/rpc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { legacyNotify } from './agent.ts';
import { TarsRegistryClient } from './registry-client.ts';
import { FakeFramework } from './testing/fake-framework.ts';
import { eventually, FAKE_SERVER, Sandbox } from './testing/harness.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

let box: Sandbox;
let framework: FakeFramework;
let comm: Communicator;
const children: Array<() => void> = [];
beforeEach(async () => {
  box = new Sandbox();
  framework = await new FakeFramework().start();
  comm = new Communicator({ logger: silentLogger });
});
afterEach(async () => {
  for (const kill of children.splice(0)) kill();
  await box.cleanup();
  await comm.close();
  await framework.stop();
});

const PROFILE = '<tars>\n<application>\n<server>\napp=${app}\nserver=${server}\n</server>\n</application>\n</tars>\n';

function descriptor(profile: string): k8s.RegistryDescriptor.ServerDescriptor {
  const adapter = k8s.RegistryDescriptor.AdapterDescriptor.create({
    adapterName: 'Test.FakeServer.FakeObjAdapter', servant: 'Test.FakeServer.FakeObj', endpoint: 'tcp -h ${localip} -p 21001 -t 5000',
    threadNum: 2, maxConnections: 100, queuecap: 50, queuetimeout: 5000, protocol: 'tars',
  });
  return k8s.RegistryDescriptor.ServerDescriptor.create({ profile, asyncThreadNum: 4, adapters: new Map([[adapter.adapterName, adapter]]) });
}

describe('agent with a registry and notify', () => {
  it('fetches the descriptor, renders it and reports each state with the PID context', async () => {
    framework.registry.descriptor = descriptor('<tars>\n<application>\n<server>\napp=${app}\nserver=${server}\nlogLevel=INFO\nlocal=${local}\n</server>\n</application>\n</tars>\n');
    const registry = new TarsRegistryClient(comm.stringToProxy(k8s.Registry.RegistryProxy, framework.proxy('tars.tarsregistry.RegistryObj')));
    const agent = await box.agent({ registry, fake: { FAKE_NO_ADMIN: '1' }, overrides: { listenAddress: 'test-fakeserver-0.test-fakeserver', local: 'tcp -h 127.0.0.1 -p 1 -t 3000' } });
    const { pid } = await agent.waitFor((s) => s.present === 'Active', 8000);
    await eventually(() => framework.registry.states.length >= 3, 5000, 'three state reports');
    expect(framework.registry.descriptorCalls).toEqual([['Test', 'FakeServer']]);
    const conf = readFileSync(`${box.dir}/conf/Test.FakeServer.config.conf`, 'utf8');
    expect(conf).toContain('endpoint=tcp -h test-fakeserver-0.test-fakeserver -p 21001 -t 5000');
    expect(conf).toContain('logLevel=INFO');
    expect(conf).toContain('local=tcp -h 127.0.0.1 -p 1 -t 3000');
    // AdminF.shutdown fails (the fake serves no AdminObj here): the agent falls back to SIGTERM.
    await agent.close();
    expect(box.events('sigterm').map((e) => e.pid)).toEqual([pid]);
    expect(framework.registry.states).toEqual([
      { podName: 'test-fakeserver-0', setting: 'Active', present: 'Inactive', pid: '0' },
      { podName: 'test-fakeserver-0', setting: 'Active', present: 'Activating', pid: String(pid) },
      { podName: 'test-fakeserver-0', setting: 'Active', present: 'Active', pid: String(pid) },
      { podName: 'test-fakeserver-0', setting: 'Inactive', present: 'Deactivating', pid: String(pid) },
      { podName: 'test-fakeserver-0', setting: 'Inactive', present: 'Inactive', pid: '0' },
    ]);
  });

  it('sends exit alarms through legacy reportServer(App.Server, "-1", message)', async () => {
    framework.registry.descriptor = descriptor(PROFILE);
    const registry = new TarsRegistryClient(comm.stringToProxy(k8s.Registry.RegistryProxy, framework.proxy('tars.tarsregistry.RegistryObj')));
    const notify = legacyNotify(comm, framework.proxy('tars.tarsnotify.NotifyObj'), 'Test', 'FakeServer');
    await box.agent({ registry, fake: { FAKE_EXIT_AFTER_MS: '100', FAKE_EXIT_CODE: '7' }, overrides: { notify } });
    await eventually(() => framework.notify.reports.length > 0, 8000, 'an alarm');
    expect(framework.notify.reports[0]).toEqual(['Test.FakeServer', '-1', '[alarm] server exit with code 7']);
  });

  it('refuses to launch when the registry has no descriptor', async () => {
    const registry = new TarsRegistryClient(comm.stringToProxy(k8s.Registry.RegistryProxy, framework.proxy('tars.tarsregistry.RegistryObj')));
    const notify = legacyNotify(comm, framework.proxy('tars.tarsnotify.NotifyObj'), 'Test', 'FakeServer');
    await box.agent({ registry, overrides: { notify } });
    await eventually(() => framework.notify.reports.length > 0, 5000, 'an alarm');
    expect(framework.notify.reports[0][2]).toMatch(/^\[alarm\] cannot prepare the launch: getServerDescriptor\(Test, FakeServer\) returned -1/);
    expect(box.events('started')).toEqual([]);
  });
});

describe('tarsnode run (the CLI as a process)', () => {
  function runCli(args: string[], env: Record<string, string> = {}): { exited: Promise<{ code: number | null; stderr: string }>; kill: (s: NodeJS.Signals) => void; pid: number; stderr: () => string } {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: box.dir, env: { ...process.env, FAKE_EVENTS: box.eventsFile, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; stderr: string }>((r) => child.once('exit', (code) => r({ code, stderr })));
    children.push(() => child.kill('SIGKILL'));
    return { exited, kill: (s) => child.kill(s), pid: child.pid as number, stderr: () => stderr };
  }

  it('wraps a server through a locator: descriptor from the registry, states reported, SIGTERM stops cleanly', async () => {
    framework.registry.descriptor = descriptor(PROFILE);
    const cli = runCli(['run', '--app', 'Test', '--server', 'FakeServer', '--registry', framework.proxy('tars.tarsregistry.QueryObj'),
      '--node-endpoint', 'tcp -h 127.0.0.1 -p 0', '--', process.execPath, FAKE_SERVER]);
    await eventually(() => framework.registry.states.some((s) => s.present === 'Active'), 10_000, 'Active reported');
    const [started] = box.events('started');
    expect(started.argv).toEqual([`--config=${box.dir}/.tarsnode/Test.FakeServer/conf/Test.FakeServer.config.conf`]);
    cli.kill('SIGTERM');
    const { code, stderr } = await cli.exited;
    expect(code, stderr).toBe(0);
    expect(box.events('sigterm').map((e) => e.pid)).toEqual([started.pid]);
    expect(framework.registry.states.at(-1)).toEqual({ podName: 'test-fakeserver', setting: 'Inactive', present: 'Inactive', pid: '0' });
  });

  it('without a registry: forwards signals to the server and writes exit records to --exits', async () => {
    const cli = runCli(['run', '--app', 'Demo', '--server', 'Hello', '--servant', 'HelloObj:21002', '--node-endpoint', 'tcp -h 127.0.0.1 -p 0',
      '--exits', 'exits.jsonl', '--', process.execPath, FAKE_SERVER]);
    await eventually(() => box.events('keepAlive').length > 0, 10_000, 'a heartbeat');
    const [started] = box.events('started');
    const conf = readFileSync(`${box.dir}/.tarsnode/Demo.Hello/conf/Demo.Hello.config.conf`, 'utf8');
    expect(conf).toContain('endpoint=tcp -h 127.0.0.1 -p 21002 -t 60000');
    expect(conf).toContain('servant=Demo.Hello.HelloObj');
    process.kill(cli.pid, 'SIGUSR2');
    process.kill(cli.pid, 'SIGHUP');
    await eventually(() => box.events('signal').length === 2, 5000, 'forwarded signals');
    expect(box.events('signal').map((e) => [e.pid, e.signal]).sort()).toEqual([[started.pid, 'SIGHUP'], [started.pid, 'SIGUSR2']]);
    cli.kill('SIGTERM');
    const { code, stderr } = await cli.exited;
    expect(code, stderr).toBe(0);
    const exits = readFileSync(`${box.dir}/exits.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(exits).toEqual([expect.objectContaining({ app: 'Demo', server: 'Hello', pid: started.pid, reason: 'stop', code: 0, signal: null })]);
  });

  it('explains bad flags and exits 2', async () => {
    const cli = runCli(['run', '--app', 'Test', '--', 'x']);
    const { code, stderr } = await cli.exited;
    expect(code).toBe(2);
    expect(stderr).toContain('tarsnode: run: --app and --server are required');
  });

  it('runs as a pod: environment, tarsnode.conf, launcher by ServerType, output to stdout_stderr', async () => {
    framework.registry.descriptor = descriptor(PROFILE);
    const base = `${box.dir}/base`;
    mkdirSync(`${base}/bin`, { recursive: true });
    // A "cpp" server: the executable named after the server in ServerBinDir.
    writeFileSync(`${base}/bin/FakeServer`, `#!/bin/sh\necho fake output\nexec "${process.execPath}" "${FAKE_SERVER}" "$@"\n`);
    chmodSync(`${base}/bin/FakeServer`, 0o755);
    writeFileSync(`${box.dir}/tarsnode.conf`, [
      '<tars>', '<application>', '<client>', `locator=${framework.proxy('tars.tarsregistry.QueryObj')}`, '</client>', '<server>',
      '<ServerAdapter>', 'endpoint=tcp -h 127.0.0.1 -p 0 -t 60000', 'servant=tars.tarsnode.ServerObj', '</ServerAdapter>',
      '<NodeAdapter>', 'endpoint=tcp -h 127.0.0.1 -p 0 -t 60000', 'servant=tars.tarsnode.NodeObj', '</NodeAdapter>',
      '</server>', '</application>', '<node>', `registryObj=${framework.proxy('tars.tarsregistry.RegistryObj')}`, '</node>', '</tars>', '',
    ].join('\n'));
    const cli = runCli([`--config=${box.dir}/tarsnode.conf`], {
      ServerApp: 'Test', ServerName: 'FakeServer', PodName: 'test-fakeserver-0', ServerBaseDir: base, ServerLogDir: `${box.dir}/log`, ServerType: 'cpp',
    });
    await eventually(() => framework.registry.states.some((s) => s.present === 'Active'), 10_000, 'Active reported');
    const [started] = box.events('started');
    expect(started.argv).toEqual([`--config=${base}/conf/Test.FakeServer.config.conf`]);
    expect(started.cwd).toBe(`${base}/bin`);
    expect(readFileSync(`${base}/conf/Test.FakeServer.config.conf`, 'utf8')).toContain('endpoint=tcp -h test-fakeserver-0.test-fakeserver -p 21001 -t 5000');
    expect(readFileSync(`${box.dir}/log/Test/FakeServer/stdout_stderr`, 'utf8')).toContain('fake output');
    cli.kill('SIGTERM');
    const { code, stderr } = await cli.exited;
    expect(code, stderr).toBe(0);
    expect(framework.registry.states[0]).toEqual({ podName: 'test-fakeserver-0', setting: 'Active', present: 'Inactive', pid: '0' });
    expect(framework.registry.states.at(-1)).toMatchObject({ setting: 'Inactive', present: 'Inactive' });
    expect(existsSync(`${base}/data`)).toBe(true);
  });

  it('foreground launcher: --target=config writes the command line, --target=daemon observes the server', async () => {
    framework.registry.descriptor = descriptor('<tars>\n<application>\n<server>\napp=${app}\nserver=${server}\nlocal=${local}\nhearttimeout=2\n</server>\n</application>\n</tars>\n');
    const base = `${box.dir}/base`;
    mkdirSync(`${base}/bin`, { recursive: true });
    writeFileSync(`${base}/bin/FakeServer`, `#!/bin/sh\nexec "${process.execPath}" "${FAKE_SERVER}" "$@"\n`);
    chmodSync(`${base}/bin/FakeServer`, 0o755);
    const port = await new Promise<number>((resolve) => {
      const s = createNetServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    writeFileSync(`${box.dir}/tarsnode.conf`, [
      '<tars>', '<application>', '<client>', `locator=${framework.proxy('tars.tarsregistry.QueryObj')}`, '</client>', '<server>',
      '<ServerAdapter>', `endpoint=tcp -h 127.0.0.1 -p ${port} -t 60000`, 'servant=tars.tarsnode.ServerObj', '</ServerAdapter>',
      '</server>', '</application>', '<node>', `registryObj=${framework.proxy('tars.tarsregistry.RegistryObj')}`, '</node>', '</tars>', '',
    ].join('\n'));
    const env = { ServerApp: 'Test', ServerName: 'FakeServer', PodName: 'test-fakeserver-0', ServerBaseDir: base, ServerLogDir: `${box.dir}/log`, LauncherType: 'foreground' };

    const refused = await runCli([`--config=${box.dir}/tarsnode.conf`], env).exited;
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('LauncherType foreground: run `tarsnode pod --target=config');

    const config = await runCli(['pod', `--config=${box.dir}/tarsnode.conf`, '--target=config', `--outfile=${box.dir}/argvs`], env).exited;
    expect(config.code, config.stderr).toBe(0);
    const line = readFileSync(`${box.dir}/argvs`, 'utf8').trim();
    expect(line).toBe(`LD_LIBRARY_PATH='${base}/bin:${base}/bin/lib' exec '${base}/bin/FakeServer' '--config=${base}/conf/Test.FakeServer.config.conf'`);
    const conf = readFileSync(`${base}/conf/Test.FakeServer.config.conf`, 'utf8');
    expect(conf).toContain(`node=tars.tarsnode.ServerObj@tcp -h 127.0.0.1 -p ${port} -t 60000`);
    expect(conf).toContain('local=tcp -h test-fakeserver-0.test-fakeserver -t 6000 -p 19385');

    const daemon = runCli(['pod', `--config=${box.dir}/tarsnode.conf`, '--target=daemon'], env);
    await eventually(() => daemon.stderr().includes('(observing)'), 10_000, 'the daemon listening');
    // The "container's PID 1": the server started from the written line, beating twice then silent.
    const server = spawn('sh', ['-c', line], { env: { ...process.env, FAKE_EVENTS: box.eventsFile, FAKE_BEATS: '2', FAKE_NO_ADMIN: '1' }, stdio: 'ignore' });
    children.push(() => server.kill('SIGKILL'));
    await eventually(() => framework.registry.states.some((s) => s.present === 'Active'), 10_000, 'Active reported');
    const [started] = box.events('started');
    expect(framework.registry.states.find((s) => s.present === 'Active')).toEqual({ podName: 'test-fakeserver-0', setting: 'Active', present: 'Active', pid: String(started.pid) });
    // Silent for longer than hearttimeout: an alarm, but the daemon neither kills nor relaunches.
    await eventually(() => framework.notify.reports.length > 0, 8000, 'an overtime alarm');
    expect(framework.notify.reports[0]).toEqual(['Test.FakeServer', '-1', expect.stringMatching(/^\[alarm\] heartbeat overtime \(adapter Test\.FakeServer\.FakeObjAdapter, pid \d+\)$/)]);
    expect(box.events('sigterm')).toEqual([]);
    expect(box.events('started')).toHaveLength(1);
    daemon.kill('SIGTERM');
    const { code, stderr } = await daemon.exited;
    expect(code, stderr).toBe(0);
    expect(server.exitCode).toBeNull(); // still running: not the daemon's to stop
    expect(framework.registry.states.at(-1)).toMatchObject({ setting: 'Inactive' });
  });
});
