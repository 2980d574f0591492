// The agent with real child processes (the fake server in testing/) over real sockets.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RegistryPort } from './registry-client.ts';
import type { StateReport } from './state-reporter.ts';
import { eventually, Sandbox } from './testing/harness.ts';
import { localDescriptor } from './local-descriptor.ts';
import { memoryLogger } from '@tars-ts/rpc/testing';

let box: Sandbox;
beforeEach(() => {
  box = new Sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

/** A RegistryPort that remembers every report (the registry servant test uses the real proxy). */
function recordingRegistry(profile = ''): RegistryPort & { reports: StateReport[] } {
  const descriptor = localDescriptor({ app: 'Test', server: 'FakeServer', servants: [], profile, withFramework: false, withLocal: false });
  const reports: StateReport[] = [];
  return {
    reports,
    getServerDescriptor: async () => descriptor,
    updateServerState: async (_pod, setting, present, pid) => void reports.push({ setting, present, pid }),
  };
}

describe('node agent with a real server process', () => {
  it('renders the config, starts the server and turns Active on its first keepAlive', async () => {
    const agent = await box.agent({});
    const s = await agent.waitFor((x) => x.present === 'Active', 8000);
    const [started] = box.events('started');
    expect(started.pid).toBe(s.pid);
    expect(started.node).toBe(agent.serverObj);
    expect(started.argv).toEqual([`--config=${box.dir}/conf/Test.FakeServer.config.conf`]);
    expect(started.cwd).toBe(`${box.dir}/bin`);
    const conf = readFileSync(`${box.dir}/conf/Test.FakeServer.config.conf`, 'utf8');
    expect(conf).toContain(`node=${agent.serverObj}`);
    expect(conf).toContain(`basepath=${box.dir}/bin/`);
    // The fake logs the answer once it arrives, just after the agent turned Active.
    const [beat] = await eventually(() => box.events('keepAlive').length > 0 && box.events('keepAlive'), 3000, 'a keepAlive answer');
    expect(beat.ret).toBe(0);
  });

  it('restarts a server whose heartbeat stops', async () => {
    const agent = await box.agent({ fake: { FAKE_BEATS: '3', FAKE_BEAT_MS: '100' }, profile: '<tars>\n<application>\n<server>\nhearttimeout=3\n</server>\n</application>\n</tars>\n' });
    await eventually(() => box.events('started').length >= 2, 15_000, 'a second start');
    const [first, second] = box.events('started');
    expect(second.pid).not.toBe(first.pid);
    // The silent server was asked to stop (SIGTERM), not left running beside the new one.
    expect(box.events('sigterm').map((e) => e.pid)).toContain(first.pid);
    const exit = agent.exits.list().at(-1)!;
    expect(exit).toMatchObject({ pid: first.pid, reason: 'heartbeat-timeout', code: 0, signal: null });
    // Restarted only after the silence exceeded hearttimeout (3 s) since the last beat.
    const lastBeat = box.events('keepAlive').filter((e) => e.pid === first.pid).at(-1)!;
    expect(exit.exitedAt - lastBeat.at).toBeGreaterThanOrEqual(2700); // 3 s minus the reply latency of that beat
  });

  it('records a crash with its exit code and restarts with growing delays', async () => {
    const agent = await box.agent({ fake: { FAKE_EXIT_AFTER_MS: '150', FAKE_EXIT_CODE: '3' }, timing: { backoffMaxMs: 200 } });
    await eventually(() => agent.exits.list().length >= 3, 10_000, 'three exits');
    const exits = agent.exits.list().reverse().slice(0, 3);
    for (const e of exits) expect(e).toMatchObject({ reason: 'crash', code: 3, signal: null });
    expect(exits.map((e) => e.restartInMs)).toEqual([100, 200, 200]);
    const starts = box.events('started').map((e) => e.at);
    // The gap between an exit and the next start is at least the announced delay.
    for (let i = 0; i < 2; i++) expect(starts[i + 1] - exits[i].exitedAt).toBeGreaterThanOrEqual(exits[i].restartInMs! - 30);
  });

  it('retries a server that will not start, with growing delays, recording each failure', async () => {
    const agent = await box.agent({ command: () => ({ command: `${box.dir}/no-such-binary`, args: [] }) });
    await eventually(() => agent.exits.list().length >= 4, 10_000, 'four failed starts');
    const exits = agent.exits.list().reverse().slice(0, 4);
    for (const e of exits) {
      expect(e.reason).toBe('spawn-failed');
      expect(e.error).toMatch(/no-such-binary.*ENOENT/);
    }
    expect(exits.map((e) => e.restartInMs)).toEqual([100, 200, 400, 400]);
    for (let i = 0; i < 3; i++) expect(exits[i + 1].exitedAt - exits[i].exitedAt).toBeGreaterThanOrEqual(exits[i].restartInMs! - 30);
    expect(agent.state().present).toBe('Inactive');
  });

  it('stops with SIGTERM, records a clean exit and reports every state in order', async () => {
    const registry = recordingRegistry();
    const logger = memoryLogger();
    const agent = await box.agent({ registry, overrides: { logger } });
    const { pid } = await agent.waitFor((x) => x.present === 'Active', 8000);
    await agent.close();
    expect(box.events('sigterm').map((e) => e.pid)).toEqual([pid]);
    expect(agent.exits.list()[0]).toMatchObject({ pid, reason: 'stop', code: 0, signal: null, restartInMs: undefined });
    // a clean exit that was asked for is logged as routine, once
    const exitLines = logger.lines.filter((l) => l.includes(`pid ${pid} exited`));
    expect(exitLines).toHaveLength(1);
    expect(exitLines[0]).toMatch(new RegExp(`^info Test\\.FakeServer pid ${pid} exited with code 0 \\(stop, ran \\d+ ms, no restart\\)$`));
    expect(registry.reports).toEqual([
      { setting: 'Active', present: 'Inactive', pid: 0 },
      { setting: 'Active', present: 'Activating', pid },
      { setting: 'Active', present: 'Active', pid },
      { setting: 'Inactive', present: 'Deactivating', pid },
      { setting: 'Inactive', present: 'Inactive', pid: 0 },
    ]);
    expect(() => process.kill(pid!, 0)).toThrow(/ESRCH/); // gone, not merely unreachable (EPERM)
  });

  it('kills a server that ignores SIGTERM after the grace period', async () => {
    const logger = memoryLogger();
    const agent = await box.agent({ fake: { FAKE_IGNORE_TERM: '1' }, timing: { stopGraceMs: 300 }, overrides: { logger } });
    const { pid } = await agent.waitFor((x) => x.present === 'Active', 8000);
    const t0 = Date.now();
    await agent.close();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect(box.events('sigterm').map((e) => e.pid)).toEqual([pid]);
    expect(agent.exits.list()[0]).toMatchObject({ pid, reason: 'stop', code: null, signal: 'SIGKILL' });
    expect(logger.lines.filter((l) => l.includes(`pid ${pid} exited by signal SIGKILL`))).toHaveLength(1);
    expect(logger.lines.find((l) => l.includes(`pid ${pid} exited`))).toMatch(/^warn /);
  });

  it('restarts on request without backoff and keeps the server down after stop until start', async () => {
    const agent = await box.agent({});
    const first = await agent.waitFor((x) => x.present === 'Active', 8000);
    agent.restart();
    const second = await agent.waitFor((x) => x.present === 'Active' && x.pid !== first.pid, 8000);
    expect(agent.exits.list()[0]).toMatchObject({ pid: first.pid, reason: 'restart', restartInMs: 0 });
    agent.stop();
    await agent.waitFor((x) => x.pid === undefined && x.setting === 'Inactive', 8000);
    await new Promise((r) => setTimeout(r, 300));
    expect(agent.state().launches).toBe(2);
    agent.start();
    const third = await agent.waitFor((x) => x.present === 'Active', 8000);
    expect(new Set([first.pid, second.pid, third.pid]).size).toBe(3);
  });

  it('does not launch without a descriptor, alarms, and retries with backoff', async () => {
    let calls = 0;
    const alarms: string[] = [];
    const registry: RegistryPort = {
      getServerDescriptor: async () => {
        calls++;
        throw new Error('getServerDescriptor returned -1');
      },
      updateServerState: async () => undefined,
    };
    const agent = await box.agent({ registry, overrides: { notify: { report: async (m) => void alarms.push(m) } } });
    await eventually(() => calls >= 3, 5000, 'three descriptor attempts');
    expect(box.events('started')).toEqual([]);
    expect(agent.exits.list()).toEqual([]);
    expect(alarms[0]).toBe('[alarm] cannot prepare the launch: getServerDescriptor returned -1');
  });

  it('runs a program without heartbeats as Active and leaves it alone (heartbeat: false)', async () => {
    const agent = await box.agent({
      command: () => ({ command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] }),
      profile: '<tars>\n<application>\n<server>\nhearttimeout=0.2\n</server>\n</application>\n</tars>\n',
      overrides: { heartbeat: false },
    });
    const { pid } = await agent.waitFor((s) => s.present === 'Active', 8000);
    await new Promise((r) => setTimeout(r, 800));
    expect(agent.state()).toMatchObject({ present: 'Active', pid, launches: 1 });
    expect(agent.exits.list()).toEqual([]);
  });
});
