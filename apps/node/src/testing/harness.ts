// Shared by the agent's tests: a temp dir per test, the fake server command, event reading,
// and agents that are always closed (no child process outlives a test).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNodeAgent, type NodeAgent, type NodeAgentOptions } from '../agent.ts';
import { localDescriptor } from '../local-descriptor.ts';
import { StaticRegistry, type RegistryPort } from '../registry-client.ts';

export const FAKE_SERVER = fileURLToPath(new URL('./fake-server.ts', import.meta.url));

export interface FakeEvent {
  type: string;
  pid: number;
  at: number;
  [key: string]: unknown;
}

export class Sandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'tarsnode-test-'));
  readonly eventsFile = join(this.dir, 'events.jsonl');
  private readonly agents: NodeAgent[] = [];

  events(type?: string): FakeEvent[] {
    let text = '';
    try {
      text = readFileSync(this.eventsFile, 'utf8');
    } catch {
      return [];
    }
    const all = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as FakeEvent);
    return type ? all.filter((e) => e.type === type) : all;
  }

  /** An agent running the fake server; `fake` sets its FAKE_* variables. */
  async agent(options: {
    fake?: Record<string, string>;
    profile?: string;
    registry?: RegistryPort;
    command?: NodeAgentOptions['command'];
    overrides?: Partial<NodeAgentOptions>;
    timing?: NodeAgentOptions['timing'];
  }): Promise<NodeAgent> {
    const registry = options.registry ?? new StaticRegistry(localDescriptor({
      app: 'Test', server: 'FakeServer', servants: [], profile: options.profile, withFramework: false, withLocal: false,
    }));
    const agent = await startNodeAgent({
      app: 'Test',
      server: 'FakeServer',
      podName: 'test-fakeserver-0',
      registry,
      command: options.command ?? ((_r, conf) => ({ command: process.execPath, args: [FAKE_SERVER, `--config=${conf}`] })),
      paths: {
        binDir: join(this.dir, 'bin'),
        dataDir: join(this.dir, 'data'),
        logDir: join(this.dir, 'log'),
        confFile: join(this.dir, 'conf', 'Test.FakeServer.config.conf'),
      },
      listenAddress: '127.0.0.1',
      serverObjEndpoint: 'tcp -h 127.0.0.1 -p 0 -t 60000',
      env: { ...process.env, FAKE_EVENTS: this.eventsFile, ...options.fake },
      timing: { tickMs: 25, backoffBaseMs: 100, backoffMaxMs: 400, stableAfterMs: 60_000, stopGraceMs: 2000, killGraceMs: 1000, reportRetryMs: 100, ...options.timing },
      ...options.overrides,
    });
    this.agents.push(agent);
    return agent;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.agents.map((a) => a.close()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Polls `fn` until it returns a truthy value (or fails after `timeoutMs`). */
export async function eventually<T>(fn: () => T | undefined | false, timeoutMs = 8000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
