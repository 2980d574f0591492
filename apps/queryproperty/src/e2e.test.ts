// Reports in, query out: the official @tars/monitor property client and C++-shaped reports sent
// by our generated PropertyF proxy go to a running tarsproperty; after a graceful stop the
// generated MonitorQuery proxy asks a running tarsqueryproperty on the same DuckDB store.
import { createRequire } from 'node:module';
import { MonitorQuery, PropertyF } from '@tars-ts/interfaces';
import { Communicator, silentLogger } from '@tars-ts/rpc';
import { openDuckDbStore, type MonitorStore } from '@tars-ts/storage';
// eslint-disable-next-line @nx/enforce-module-boundaries -- end-to-end test: the writer service feeds the query service under test
import { startPropertyService, type RunningPropertyService } from '@tars-ts/app-property';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPropertyQueryService, type RunningPropertyQueryService } from './queryproperty-service.ts';

const require = createRequire(import.meta.url);
const T0 = Date.parse('2024-01-01T10:05:10Z');
const LOCAL = '127.0.0.1';

let property!: RunningPropertyService;
async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(property?.counters())}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('property reports → tarsproperty → DuckDB → tarsqueryproperty', () => {
  let store: MonitorStore;
  let query: RunningPropertyQueryService;
  let comm: Communicator;
  const officialRpc = require('@tars/rpc');
  const monitor = require('@tars/monitor');

  beforeAll(async () => {
    store = await openDuckDbStore({ namespace: 'tars', path: ':memory:', threads: 1 });
    property = await startPropertyService({ store, logger: silentLogger, endpoint: `tcp -h ${LOCAL} -p 0`, clock: () => T0, utcOffsetMinutes: 0 });
    query = await startPropertyQueryService({ store, logger: silentLogger, endpoint: `tcp -h ${LOCAL} -p 0` });
    comm = new Communicator({ timeout: 3000 });
    const conf: Record<string, string> = {
      'tars.application.client.property': property.proxyString,
      'tars.application.client.report-interval': '20',
      'tars.application.client.modulename': 'Node.Client',
    };
    monitor.property.init({ get: (key: string, dflt?: string) => conf[key] ?? dflt });
  });

  afterAll(async () => {
    officialRpc.client.destroy();
    await comm.close();
    await query?.stop();
    await property?.stop();
    await store?.close();
  });

  it('returns exactly the values that were sent, per policy', async () => {
    // @tars/monitor: values 12, 7, 30 → Sum 49, Avg 16 (floor), Max 30, Min 7, Count 3, Distr.
    const P = monitor.POLICY;
    const queue = monitor.property.create('queue', [new P.Sum(), new P.Avg(), new P.Max(), new P.Min(), new P.Count(), new P.Distr([0, 10, 50, 100])]);
    for (const v of [12, 7, 30]) queue.report(v);

    // C++-shaped reports (PropertyReport.cpp: ip "", iPropertyVer 2), one-way, merged by the server.
    const proxy = comm.stringToProxy(PropertyF.PropertyFProxy, property.proxyString);
    const head = (moduleName: string) => PropertyF.StatPropMsgHead.create({ moduleName, ip: '', propertyName: 'queue', iPropertyVer: 2 });
    const body = (infos: Record<string, string>) => ({ vInfo: Object.entries(infos).map(([policy, value]) => ({ policy, value })) });
    await proxy.reportPropMsg(new Map([[head('Cpp.Server'), body({ Sum: '10', Avg: '2.5', Max: '8', Count: '4', Min: '3' })]]), { oneway: true });
    await proxy.reportPropMsg(new Map([
      [head('Cpp.Server'), body({ Sum: '6', Avg: '3.5', Max: '12', Count: '2', Min: '5' })],
      [head('tars.tarsnode'), body({ Sum: '99' })],
    ]), { oneway: true });
    expect(await proxy.reportPropMsg(new Map([[head('Cpp.Server'), body({ Count: '1' })]]))).toBe(0);
    await until(() => property.counters().entries === 1 + 1 + 2 + 1, 'every report');
    await property.stop(); // graceful: the open window is written
    expect(property.counters()).toMatchObject({ droppedFramework: 1, droppedInvalid: 0, rowsRefused: 0 });

    const queryProxy = comm.stringToProxy(MonitorQuery.MonitorQueryProxy, query.proxyString);
    const like = (field: string, val: string) => MonitorQuery.Condition.create({ field, op: MonitorQuery.OP.LIKE, val });
    const ask = async (groupby: string[], conditions: MonitorQuery.Condition[]) => {
      const { ret, rsp } = await queryProxy.query(MonitorQuery.MonitorQueryReq.create({
        uid: 'e2e', dataid: 'tars_property', date: '20240101', tflag1: '0000', tflag2: '2360', conditions, indexs: ['value'], groupby,
      }));
      expect(ret).toBe(0);
      expect(rsp.ret).toBe(0);
      return Object.fromEntries(rsp.result);
    };

    expect(await ask(['f_date', 'policy'], [like('master_name', 'Cpp.Server'), like('property_name', 'queue')])).toEqual({
      '20240101,Avg': [3], '20240101,Count': [7], '20240101,Max': [12], '20240101,Min': [3], '20240101,Sum': [16],
    });
    expect(await ask(['f_date', 'policy'], [like('master_name', 'Node.Client')])).toEqual({
      '20240101,Avg': [16], '20240101,Count': [3], '20240101,Distr': [0], '20240101,Max': [30], '20240101,Min': [7], '20240101,Sum': [49],
    });
    // tarsweb's default view: per minute, one policy; ip is the reporting connection's.
    expect(await ask(['f_tflag'], [like('master_name', 'Node.Client'), like('policy', 'Sum')])).toEqual({ '1006': [49] });
    expect(await ask(['f_date', 'master_ip'], [like('policy', 'Count')])).toEqual({ [`20240101,${LOCAL}`]: [10] });
  });
});
