// The real program: main.ts with a config file, a property report over TCP, SIGTERM; the rows
// must be in the DuckDB file afterwards (graceful stop writes the open window before the store closes).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PropertyF } from '@tars-ts/interfaces';
import { Communicator } from '@tars-ts/rpc';
import { formatDate, openDuckDbStore } from '@tars-ts/storage';
import { afterAll, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tarsproperty-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('tarsproperty main.ts', () => {
  it('serves PropertyObj from its config and writes what it holds on SIGTERM', async () => {
    const port = await freePort();
    const db = join(dir, 'monitor.duckdb');
    const conf = join(dir, 'tarsproperty.conf');
    writeFileSync(conf, `<tars>
  <application>
    <server>
      app=tars
      server=tarsproperty
      localip=10.1.2.3
      logLevel=INFO
      <tars.tarsproperty.PropertyObjAdapter>
        endpoint=tcp -h 127.0.0.1 -p ${port} -t 60000
        servant=tars.tarsproperty.PropertyObj
      </tars.tarsproperty.PropertyObjAdapter>
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
      expect(out).toContain('servants: tars.tarsproperty.PropertyObj');
      const comm = new Communicator({ timeout: 3000 });
      const proxy = comm.stringToProxy(PropertyF.PropertyFProxy, `tars.tarsproperty.PropertyObj@tcp -h 127.0.0.1 -p ${port}`);
      const head = PropertyF.StatPropMsgHead.create({ moduleName: 'Main.Server', propertyName: 'queue', iPropertyVer: 2 });
      const body = { vInfo: [{ policy: 'Sum', value: '7' }, { policy: 'Max', value: '5' }] };
      expect(await proxy.reportPropMsg(new Map([[head, body]]))).toBe(0);
      await comm.close();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
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
