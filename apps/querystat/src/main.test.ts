// The real program: main.ts with a config file answers MonitorQuery from the DuckDB file it names.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MonitorQuery } from '@tars-ts/interfaces';
import { Communicator } from '@tars-ts/rpc';
import { openDuckDbStore, type StatRow } from '@tars-ts/storage';
import { freePort, startMain, testDir, writeServiceConfig } from '@tars-ts/monitoring/testing';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const dir = testDir('tarsquerystat-main-');

const row = (over: Partial<StatRow>): StatRow => ({
  source_id: '10.0.0.1', f_timestamp: 1704103560, f_date: '20240101', f_tflag: '1006', master_name: 'A.Client', slave_name: 'A.Server',
  interface_name: 'f', tars_version: '3.0.0', master_ip: '10.0.0.2', slave_ip: '10.0.0.3', slave_port: 1000, return_value: 0,
  succ_count: 1, timeout_count: 0, exce_count: 0, total_time: 10, interv_count: '5|1', maxrsp_time: 10, minrsp_time: 10, ...over,
});

describe('tarsquerystat main.ts', () => {
  it('answers tarsweb-shaped queries from its configured store and stops on SIGTERM', async () => {
    const db = join(dir, 'monitor.duckdb');
    const seed = await openDuckDbStore({ namespace: 'qtest', path: db });
    seed.writeStat([row({ succ_count: 3 }), row({ f_tflag: '1007', succ_count: 4, exce_count: 1 })]);
    await seed.close();

    const port = await freePort();
    const conf = writeServiceConfig(dir, { server: 'tarsquerystat', servant: 'tars.tarsquerystat.QueryObj', port, duckdb: db, namespace: 'qtest' });
    const child = await startMain(MAIN, conf);
    try {
      expect(child.output()).toContain('servants: tars.tarsquerystat.QueryObj');
      const comm = new Communicator({ timeout: 3000 });
      const proxy = comm.stringToProxy(MonitorQuery.MonitorQueryProxy, `tars.tarsquerystat.QueryObj@tcp -h 127.0.0.1 -p ${port}`);
      const { ret, rsp } = await proxy.query(MonitorQuery.MonitorQueryReq.create({
        uid: 'u', dataid: 'tars_stat', date: '20240101', tflag1: '0000', tflag2: '2360',
        indexs: ['succ_count', 'timeout_count', 'exce_count', 'total_time'], groupby: ['f_tflag'],
      }));
      await comm.close();
      expect(ret).toBe(0);
      expect(Object.fromEntries(rsp.result)).toEqual({ '1006': [3, 0, 0, 10], '1007': [4, 0, 1, 10] });
      child.kill('SIGTERM');
      expect(await child.exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
