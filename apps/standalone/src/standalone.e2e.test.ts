// `npm start` end to end: the standalone in a child process on its own port base, then the
// official Node clients (@tars/registry, @tars/config) given nothing but its locator, the
// call-demo command, and Ctrl-C's signal stopping everything, the demo server included.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryF } from '@tars-ts/interfaces';
import { Communicator, silentLogger } from '@tars-ts/rpc';
import { runToEnd, startStandaloneChild, stopChild, type RunningChild } from './testing/child.ts';

const require = createRequire(import.meta.url);

/** Every framework object and the demo, with its Kubernetes edition port (moved by the base). */
const OBJECTS: [string, number][] = [
  ['tars.tarsregistry.QueryObj', 17890],
  ['tars.tarsregistry.RegistryObj', 17891],
  ['tars.tarsconfig.ConfigObj', 11111],
  ['tars.tarslog.LogObj', 12111],
  ['tars.tarsnotify.NotifyObj', 13111],
  ['tars.tarsproperty.PropertyObj', 14000],
  ['tars.tarsqueryproperty.QueryObj', 15000],
  ['tars.tarsquerystat.QueryObj', 16000],
  ['tars.tarsstat.StatObj', 17000],
  ['Demo.HelloServer.HelloObj', 10000],
];

interface OfficialEndpoint { host: string; port: number }

/** Polls `read` until `done` holds; fails with the last value seen. */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`still ${JSON.stringify(last)} after ${ms} ms`);
}

describe('npm start (standalone) with the official clients', () => {
  let dir: string;
  let run: RunningChild | undefined;
  let locator: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'standalone-e2e-'));
    run = await startStandaloneChild(join(dir, 'data'));
    locator = /locator: (tars\.tarsregistry\.QueryObj@tcp -h \S+ -p \d+)/.exec(run.output())![1]!;
  }, 120_000);

  afterAll(async () => {
    if (run) await stopChild(run);
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs one line per object with its endpoint, then the ready line, the locator and how to call the demo', () => {
    const out = run!.output();
    for (const [obj, port] of OBJECTS) {
      expect(out).toMatch(new RegExp(`${obj.replaceAll('.', '\\.')}\\s+tcp -h 127\\.0\\.0\\.1 -p ${run!.portBase + port - 10_000}\\b`));
    }
    expect(out).toMatch(/ready in \d+ ms \(\d+ ms since the process started; 8 framework services, 1 servers, RSS \d+ MiB\)/);
    expect(locator).toBe(`tars.tarsregistry.QueryObj@tcp -h 127.0.0.1 -p ${run!.portBase + 7890}`);
    expect(out).toContain(`npm start -- call-demo --port-base ${run!.portBase}`);
  });

  it('@tars/registry finds every framework object and the demo through the locator alone', async () => {
    const client = require('@tars/registry').New();
    client.setLocator(locator);
    try {
      for (const [obj, port] of OBJECTS) {
        const r = await client.findObjectById(obj);
        const found = (r.response.return.value as OfficialEndpoint[]).map((e) => `${e.host}:${e.port}`);
        expect({ obj, found }).toEqual({ obj, found: [`127.0.0.1:${run!.portBase + port - 10_000}`] });
      }
      const unknown = await client.findObjectById('Nope.Server.Obj');
      expect(unknown.response.return.value).toEqual([]);
    } finally {
      client._proxy?._worker?.destroy();
    }
  });

  it('@tars/config finds tarsconfig through the registry and loads the demo configs from the manifests', async () => {
    const confFile = join(dir, 'Demo.HelloServer.config.conf');
    writeFileSync(confFile, [
      '<tars>', '<application>', '<client>', `locator=${locator}`, 'async-invoke-timeout=5000', '</client>',
      '<server>', 'app=Demo', 'server=HelloServer', 'localip=127.0.0.1', '</server>', '</application>', '</tars>', '',
    ].join('\n'));
    const TarsConfig = require('@tars/config');
    const cfg = new TarsConfig(confFile);
    try {
      expect(await cfg.loadConfig('HelloServer.conf')).toEqual({ hello: { greeting: 'Hello' } });
      expect(await cfg.loadConfig('Demo.conf', { location: 'APP' })).toEqual({ demo: { owner: 'standalone' } });
      expect(await cfg.loadList()).toEqual(['HelloServer.conf']);
      expect(await cfg.loadConfig('missing.conf', { format: 'TEXT' })).toMatch(/does not exist or is not activated/);
    } finally {
      cfg._client?._worker?.destroy();
    }
  });

  it('keeps the registry in step with the demo process: killed → inactive, restarted by the agent → active again', async () => {
    const first = await runToEnd(['call-demo', '--port-base', String(run!.portBase), 'before']);
    const pid = Number(/pid (\d+)\)/.exec(first.output)?.[1]);
    expect(pid).toBeGreaterThan(0);
    const comm = new Communicator({ logger: silentLogger });
    const query = comm.stringToProxy(QueryF.QueryFProxy, locator);
    const state = async () => {
      const r = await query.findObjectById4All('Demo.HelloServer.HelloObj');
      return `${r.activeEp.length} active, ${r.inactiveEp.length} inactive`;
    };
    try {
      expect(await state()).toBe('1 active, 0 inactive');
      process.kill(pid, 'SIGKILL');
      await until(state, (s) => s === '0 active, 1 inactive', 15_000);
      await until(state, (s) => s === '1 active, 0 inactive', 45_000);
    } finally {
      await comm.close();
    }
    const second = await runToEnd(['call-demo', '--port-base', String(run!.portBase), 'after']);
    const newPid = Number(/pid (\d+)\)/.exec(second.output)?.[1]);
    expect(newPid).toBeGreaterThan(0);
    expect(newPid).not.toBe(pid);
    expect(run!.output()).toMatch(new RegExp(`Demo\\.HelloServer pid ${pid} exited by signal SIGKILL \\(crash`));
  }, 90_000);

  it('call-demo resolves Demo.HelloServer.HelloObj through the registry and calls it; SIGTERM stops everything, the demo included', async () => {
    const called = await runToEnd(['call-demo', '--port-base', String(run!.portBase), 'e2e']);
    expect(called.code).toBe(0);
    expect(called.output).toContain(`resolved Demo.HelloServer.HelloObj -> tcp -h 127.0.0.1 -p ${run!.portBase}`);
    const pid = Number(/Hello, e2e! \(from Demo\.HelloServer, pid (\d+)\)/.exec(called.output)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).not.toThrow();

    run!.child.kill('SIGTERM');
    expect(await run!.exited).toBe(0);
    expect(run!.output()).toMatch(/Demo\.HelloServer pid \d+ exited with code 0 \(stop/);
    expect(run!.output()).toContain('shutdown complete, exit code 0');
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  }, 60_000);
});

describe('npm start stopped while it starts', () => {
  it('waits for the start to finish, then stops everything, the demo included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'standalone-e2e-early-'));
    let run: RunningChild | undefined;
    try {
      run = await startStandaloneChild(join(dir, 'data'), [], 90_000, /\] started .* as pid \d+/);
      const pid = Number(/\] started .* as pid (\d+)/.exec(run.output())![1]);
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.output()).not.toContain('ready in');
      expect(run.output()).toContain('shutdown complete, exit code 0');
      expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    } finally {
      if (run) await stopChild(run);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('npm start killed outright', () => {
  it('the demo server notices its node agent is gone and stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'standalone-e2e-kill-'));
    let run: RunningChild | undefined;
    try {
      run = await startStandaloneChild(join(dir, 'data'));
      const pid = Number(/\] started .* as pid (\d+)/.exec(run.output())![1]);
      expect(() => process.kill(pid, 0)).not.toThrow();
      run.child.kill('SIGKILL');
      await run.exited;
      await until(async () => {
        try {
          process.kill(pid, 0);
          return 'alive';
        } catch {
          return 'gone';
        }
      }, (s) => s === 'gone', 15_000);
    } finally {
      if (run) await stopChild(run);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('call-demo without a running standalone', () => {
  it('says the registry does not answer and exits 1', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const r = await runToEnd(['call-demo', '--locator', `tars.tarsregistry.QueryObj@tcp -h 127.0.0.1 -p ${port}`]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(new RegExp(`call-demo: the registry at tars\\.tarsregistry\\.QueryObj@tcp -h 127\\.0\\.0\\.1 -p ${port} does not answer .*is \`npm start\` running`));
  }, 30_000);
});
