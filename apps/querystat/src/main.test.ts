// The real program: main.ts with a config file answers MonitorQuery from the DuckDB file it names.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MonitorQuery } from '@tars-ts/interfaces';
import { Communicator } from '@tars-ts/rpc';
import { openDuckDbStore, type StatRow } from '@tars-ts/storage';
import { afterAll, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tarsquerystat-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

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
    const conf = join(dir, 'tarsquerystat.conf');
    writeFileSync(conf, `<tars>
  <application>
    <server>
      app=tars
      server=tarsquerystat
      <tars.tarsquerystat.QueryObjAdapter>
        endpoint=tcp -h 127.0.0.1 -p ${port} -t 60000
        servant=tars.tarsquerystat.QueryObj
      </tars.tarsquerystat.QueryObjAdapter>
    </server>
  </application>
  <storage>
    duckdb=${db}
    namespace=qtest
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
      expect(out).toContain('servants: tars.tarsquerystat.QueryObj');
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
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
