// A tiny Tars server for the agent's tests: reads the rendered config (--config=FILE), sends
// keepAlive to the agent's ServerF (`node=` in the config) with the generated proxy, and behaves
// as the test asks through FAKE_* variables. It appends what happens to FAKE_EVENTS (JSON lines).
//   FAKE_BEATS      number of keepAlive calls before it falls silent (default: forever)
//   FAKE_BEAT_MS    heartbeat period (default 100)
//   FAKE_EXIT_AFTER_MS, FAKE_EXIT_CODE   exit on its own after a while
//   FAKE_IGNORE_TERM=1                   ignore SIGTERM (the agent must SIGKILL)
//   FAKE_ACTIVATING_MS                   send keepActiving for this long before the first keepAlive
// With `local=` in its config it serves AdminF there (unless FAKE_NO_ADMIN=1): notify echoes,
// shutdown exits 0.
import { appendFileSync, readFileSync } from 'node:fs';
import { AdminF, NodeF } from '@tars-ts/interfaces';
import { Communicator, createServer, silentLogger, type Current } from '@tars-ts/rpc';

const env = process.env;
const events = env.FAKE_EVENTS;
function event(type: string, extra: Record<string, unknown> = {}): void {
  if (events) appendFileSync(events, JSON.stringify({ type, pid: process.pid, at: Date.now(), ...extra }) + '\n');
}

const configArg = process.argv.find((a) => a.startsWith('--config='));
// A line scan instead of @tars-ts/service: the fixture must start fast (heartbeat deadlines run
// from the launch), and app/server/node are unique keys of the rendered file.
const text = readFileSync(configArg ? configArg.slice('--config='.length) : (env.TARS_CONFIG as string), 'utf8');
const optionalKey = (name: string): string | undefined => new RegExp(`^\\s*${name}\\s*=(.*)$`, 'm').exec(text)?.[1].trim();
const key = (name: string): string => {
  const value = optionalKey(name);
  if (value === undefined) throw new Error(`config has no ${name}=`);
  return value;
};
const app = key('app');
const server = key('server');
const node = key('node');
event('started', { app, server, node, cwd: process.cwd(), argv: process.argv.slice(2) });

const comm = new Communicator({ logger: silentLogger, timeout: 1000 });
const proxy = comm.stringToProxy(NodeF.ServerFProxy, node);
const info = { application: app, serverName: server, pid: process.pid, adapter: '' };

const beatMs = Number(env.FAKE_BEAT_MS ?? 100);
let beats = env.FAKE_BEATS === undefined ? Infinity : Number(env.FAKE_BEATS);
const activatingUntil = Date.now() + Number(env.FAKE_ACTIVATING_MS ?? 0);

async function beat(): Promise<void> {
  if (Date.now() < activatingUntil) {
    await proxy.keepActiving(info).catch(() => undefined);
    return;
  }
  if (beats <= 0) return;
  beats--;
  const ret = await proxy.keepAlive(info).catch((e: Error) => `error ${e.message}`);
  event('keepAlive', { ret });
  if (beats === 0) event('silent');
}
const timer = setInterval(() => void beat(), beatMs);
void beat();

if (env.FAKE_EXIT_AFTER_MS) {
  setTimeout(() => {
    event('exiting', { code: Number(env.FAKE_EXIT_CODE ?? 1) });
    process.exit(Number(env.FAKE_EXIT_CODE ?? 1));
  }, Number(env.FAKE_EXIT_AFTER_MS));
}

for (const sig of ['SIGHUP', 'SIGUSR2'] as const) process.on(sig, () => event('signal', { signal: sig }));

process.on('SIGTERM', () => {
  event('sigterm');
  if (env.FAKE_IGNORE_TERM === '1') return;
  clearInterval(timer);
  void comm.close().finally(() => process.exit(0));
});

const local = optionalKey('local');
if (local && env.FAKE_NO_ADMIN !== '1') {
  class Admin extends AdminF.AdminFServant {
    shutdown(): void {
      event('admin-shutdown');
      setTimeout(() => process.exit(0), 10);
    }
    notify(_c: Current, command: string): string {
      event('admin-notify', { command });
      return `fake got: ${command}`;
    }
    getPid(): bigint {
      return BigInt(process.pid);
    }
  }
  const admin = createServer({ logger: silentLogger });
  admin.addServant(new Admin(), 'AdminObj', local);
  void admin.start().then(() => event('admin-listening'));
}
