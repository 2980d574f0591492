// The real program: main.ts with a config file, a report over TCP, SIGTERM; the rows must be in
// the DuckDB file afterwards (graceful stop writes the open window before the store closes).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StatF } from '@tars-ts/interfaces';
import { Communicator } from '@tars-ts/rpc';
import { formatDate, openDuckDbStore } from '@tars-ts/storage';
import { afterAll, describe, expect, it } from 'vitest';
import { cppBody, head } from './testing/stat-fixtures.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tarsstat-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('tarsstat main.ts', () => {
  it('serves StatObj from its config and writes what it holds on SIGTERM', async () => {
    const port = await freePort();
    const db = join(dir, 'monitor.duckdb');
    const conf = join(dir, 'tarsstat.conf');
    writeFileSync(conf, `<tars>
  <application>
    <server>
      app=tars
      server=tarsstat
      localip=10.1.2.3
      logLevel=INFO
      <tars.tarsstat.StatObjAdapter>
        endpoint=tcp -h 127.0.0.1 -p ${port} -t 60000
        servant=tars.tarsstat.StatObj
      </tars.tarsstat.StatObjAdapter>
    </server>
  </application>
  <storage>
    duckdb=${db}
    namespace=maintest
  </storage>
</tars>
`);
    const child = spawn(process.execPath, [MAIN, `--config=${conf}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      for (let i = 0; i < 300 && !out.includes('started'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain('servants: tars.tarsstat.StatObj');
      const comm = new Communicator({ timeout: 3000 });
      const proxy = comm.stringToProxy(StatF.StatFProxy, `tars.tarsstat.StatObj@tcp -h 127.0.0.1 -p ${port}`);
      expect(await proxy.reportMicMsg(new Map([[head({ masterName: 'Main.Client@3.0.0' }), cppBody([11, 22], 1)]]), true)).toBe(0);
      await comm.close();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    const store = await openDuckDbStore({ namespace: 'maintest', path: db });
    try {
      const result = await store.queryStat({ date: formatDate(Date.now()), indexs: ['succ_count', 'timeout_count', 'total_time'], groupby: ['source_id', 'master_name'] });
      expect(Object.fromEntries(result)).toEqual({ '10.1.2.3,Main.Client': [2, 1, 33] });
    } finally {
      await store.close();
    }
  });
});
