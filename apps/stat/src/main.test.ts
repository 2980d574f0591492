// The real program: main.ts with a config file, a report over TCP, SIGTERM; the rows must be in
// the DuckDB file afterwards (graceful stop writes the open window before the store closes).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StatF } from '@tars-ts/interfaces';
import { Communicator } from '@tars-ts/rpc';
import { formatDate, openDuckDbStore } from '@tars-ts/storage';
import { freePort, startMain, testDir, writeServiceConfig } from '@tars-ts/monitoring/testing';
import { describe, expect, it } from 'vitest';
import { cppBody, head } from './testing/stat-fixtures.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const dir = testDir('tarsstat-main-');

describe('tarsstat main.ts', () => {
  it('serves StatObj from its config and writes what it holds on SIGTERM', async () => {
    const port = await freePort();
    const db = join(dir, 'monitor.duckdb');
    const conf = writeServiceConfig(dir, { server: 'tarsstat', servant: 'tars.tarsstat.StatObj', port, serverKeys: { localip: '10.1.2.3', logLevel: 'INFO' }, duckdb: db, namespace: 'maintest' });
    const child = await startMain(MAIN, conf);
    try {
      expect(child.output()).toContain('servants: tars.tarsstat.StatObj');
      const comm = new Communicator({ timeout: 3000 });
      const proxy = comm.stringToProxy(StatF.StatFProxy, `tars.tarsstat.StatObj@tcp -h 127.0.0.1 -p ${port}`);
      expect(await proxy.reportMicMsg(new Map([[head({ masterName: 'Main.Client@3.0.0' }), cppBody([11, 22], 1)]]), true)).toBe(0);
      await comm.close();
      child.kill('SIGTERM');
      expect(await child.exited).toBe(0);
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
