/**
 * Test helpers for the monitoring apps' `main.ts` tests (`@tars-ts/monitoring/testing`): a
 * temporary directory, a free port, the Tars config file of one service on a DuckDB store, and
 * the real program as a child process. Assertions stay in the tests.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
export { freePort } from '@tars-ts/rpc/testing';

/** A new temporary directory `<prefix>XXXXXX`, removed after the test file's tests (vitest `afterAll`). */
export function testDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface ServiceConfigOptions {
  /** `tarsstat`, … (app is `tars`). */
  server: string;
  /** The one servant, `tars.tarsstat.StatObj`, served on 127.0.0.1:`port`. */
  servant: string;
  port: number;
  /** Extra `/tars/application/server` keys, e.g. `{ localip: '10.1.2.3', logLevel: 'INFO' }`. */
  serverKeys?: Record<string, string>;
  /** The DuckDB file and namespace of `<storage>`. */
  duckdb: string;
  namespace: string;
}

/** The text of a service's config file with one adapter and a DuckDB store. */
export function serviceConfig(o: ServiceConfigOptions): string {
  const keys = Object.entries(o.serverKeys ?? {}).map(([k, v]) => `      ${k}=${v}\n`).join('');
  return `<tars>
  <application>
    <server>
      app=tars
      server=${o.server}
${keys}      <${o.servant}Adapter>
        endpoint=tcp -h 127.0.0.1 -p ${o.port} -t 60000
        servant=${o.servant}
      </${o.servant}Adapter>
    </server>
  </application>
  <storage>
    duckdb=${o.duckdb}
    namespace=${o.namespace}
  </storage>
</tars>
`;
}

/** Writes `serviceConfig(o)` to `<dir>/<server>.conf` and returns its path. */
export function writeServiceConfig(dir: string, o: ServiceConfigOptions): string {
  const file = join(dir, `${o.server}.conf`);
  writeFileSync(file, serviceConfig(o));
  return file;
}

export interface MainProcess {
  /** stdout and stderr so far. */
  output(): string;
  /** The exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** Runs `node <main> --config=<configFile>` and waits (up to 15 s) until it logs `started`. */
export async function startMain(main: string, configFile: string): Promise<MainProcess> {
  const child = spawn(process.execPath, [main, `--config=${configFile}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  for (let i = 0; i < 300 && !out.includes('started'); i++) await new Promise((r) => setTimeout(r, 50));
  return { output: () => out, exited, kill: (signal) => void child.kill(signal) };
}
