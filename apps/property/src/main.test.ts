// The real program: main.ts with a config file, a property report over TCP, SIGTERM; the rows
// must be in the DuckDB file afterwards (graceful stop writes the open window before the store closes).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PropertyF } from '@tars-ts/interfaces';
import { Communicator } from '@tars-ts/rpc';
import { formatDate, openDuckDbStore } from '@tars-ts/storage';
import { freePort, startMain, testDir, writeServiceConfig } from '@tars-ts/monitoring/testing';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const dir = testDir('tarsproperty-main-');

describe('tarsproperty main.ts', () => {
  it('serves PropertyObj from its config and writes what it holds on SIGTERM', async () => {
    const port = await freePort();
    const db = join(dir, 'monitor.duckdb');
    const conf = writeServiceConfig(dir, { server: 'tarsproperty', servant: 'tars.tarsproperty.PropertyObj', port, serverKeys: { localip: '10.1.2.3', logLevel: 'INFO' }, duckdb: db, namespace: 'maintest' });
    const child = await startMain(MAIN, conf);
    try {
      expect(child.output()).toContain('servants: tars.tarsproperty.PropertyObj');
      const comm = new Communicator({ timeout: 3000 });
      const proxy = comm.stringToProxy(PropertyF.PropertyFProxy, `tars.tarsproperty.PropertyObj@tcp -h 127.0.0.1 -p ${port}`);
      const head = PropertyF.StatPropMsgHead.create({ moduleName: 'Main.Server', propertyName: 'queue', iPropertyVer: 2 });
      const body = { vInfo: [{ policy: 'Sum', value: '7' }, { policy: 'Max', value: '5' }] };
      expect(await proxy.reportPropMsg(new Map([[head, body]]))).toBe(0);
      await comm.close();
      child.kill('SIGTERM');
      expect(await child.exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    const store = await openDuckDbStore({ namespace: 'maintest', path: db });
    try {
      const result = await store.queryProperty({ date: formatDate(Date.now()), indexs: ['value'], groupby: ['master_ip', 'policy'] });
      expect(Object.fromEntries(result)).toEqual({ '127.0.0.1,Max': [5], '127.0.0.1,Sum': [7] });
    } finally {
      await store.close();
    }
  });
});
