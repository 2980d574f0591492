// Reports in, query out: the official @tars/monitor stat client and C++-shaped reports sent by
// our generated StatF proxy go to a running tarsstat; after its minute flush and a graceful stop,
// the generated MonitorQuery proxy asks a running tarsquerystat on the same DuckDB store and must
// get back exactly what was sent.
import { createRequire } from 'node:module';
import { MonitorQuery, StatF } from '@tars-ts/interfaces';
import { Communicator, silentLogger } from '@tars-ts/rpc';
import { openDuckDbStore, type MonitorStore } from '@tars-ts/storage';
// eslint-disable-next-line @nx/enforce-module-boundaries -- end-to-end test: the writer service feeds the query service under test
import { startStatService, type RunningStatService } from '@tars-ts/app-stat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStatQueryService, type RunningStatQueryService } from './querystat-service.ts';

const require = createRequire(import.meta.url);
const T0 = Date.parse('2024-01-01T10:05:10Z');
const LOCAL = '127.0.0.1';

let stat!: RunningStatService;
async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(stat?.counters())}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// A TarsCpp reporter's body: every point present, first point p with t < p (StatReport.cpp).
const POINTS = [5, 10, 50, 100, 200, 500, 1000, 2000, 3000];
function cppBody(latencies: number[], timeouts = 0, execs = 0): StatF.StatMicMsgBody {
  const intervalCount = new Map(POINTS.map((p) => [p, 0]));
  for (const t of latencies) {
    const p = POINTS.find((x) => t < x);
    if (p !== undefined) intervalCount.set(p, intervalCount.get(p)! + 1);
  }
  const nonZero = latencies.filter((t) => t > 0);
  return {
    count: latencies.length, timeoutCount: timeouts, execCount: execs, intervalCount,
    totalRspTime: BigInt(latencies.reduce((a, b) => a + b, 0)), maxRspTime: Math.max(0, ...latencies), minRspTime: nonZero.length ? Math.min(...nonZero) : 0,
  };
}

describe('stat reports → tarsstat → DuckDB → tarsquerystat', () => {
  let store: MonitorStore;

  let query: RunningStatQueryService;
  let comm: Communicator;
  let now = T0;
  const officialRpc = require('@tars/rpc');
  const officialStat = require('@tars/monitor').stat;

  beforeAll(async () => {
    store = await openDuckDbStore({ namespace: 'tars', path: ':memory:', threads: 1 });
    stat = await startStatService({ store, logger: silentLogger, sourceId: '10.9.9.9', endpoint: `tcp -h ${LOCAL} -p 0`, clock: () => now, utcOffsetMinutes: 0 });
    query = await startStatQueryService({ store, logger: silentLogger, endpoint: `tcp -h ${LOCAL} -p 0` });
    comm = new Communicator({ timeout: 3000 });
    officialStat.StatObj = stat.proxyString;
    officialStat.reportInterval = 20; // the module's 10 s minimum applies to init() only
  });

  afterAll(async () => {
    officialStat.stop();
    officialRpc.client.destroy();
    await comm.close();
    await query?.stop();
    await stat?.stop();
    await store?.close();
  });

  it('returns exactly the counts that were sent, per minute and per caller', async () => {
    const statProxy = comm.stringToProxy(StatF.StatFProxy, stat.proxyString);
    const head = (init: Partial<StatF.StatMicMsgHead>) =>
      StatF.StatMicMsgHead.create({ slaveName: 'Test.HelloServer', interfaceName: 'hello', slaveIp: '10.0.0.2', slavePort: 20000, ...init });

    // Minute 10:05 (window ending 10:06).
    // @tars/monitor (Node client side): 3 successes (12, 40, 700 ms), 1 timeout, 1 error.
    const nodeHeaders = { masterName: 'Node.Client', slaveName: 'Test.HelloServer', interfaceName: 'hello', masterIp: '', slaveIp: '10.0.0.2', slavePort: 20000, bFromClient: true };
    for (const t of [12, 40, 700]) officialStat.report(nodeHeaders, officialStat.TYPE.SUCCESS, t);
    officialStat.report(nodeHeaders, officialStat.TYPE.TIMEOUT);
    officialStat.report(nodeHeaders, officialStat.TYPE.ERROR);
    // C++ caller (client side, name@version), one-way, in two reports that must merge.
    const cppHead = head({ masterName: 'Cpp.Client@3.0.14', masterIp: 'ignored' });
    await statProxy.reportMicMsg(new Map([[cppHead, cppBody([3, 7], 1)]]), true, { oneway: true, context: { node_name: 'node-a' } });
    await statProxy.reportMicMsg(new Map([[head({ masterName: 'Cpp.Client@3.0.14', masterIp: 'other' }), cppBody([120])]]), true, { oneway: true });
    // C++ callee (server side) and framework traffic that must be dropped.
    await statProxy.reportMicMsg(new Map([
      [head({ masterName: 'stat_from_server', masterIp: '10.0.0.7', slaveIp: '', slavePort: 0 }), cppBody([5, 9], 0, 2)],
      [head({ slaveName: 'tars.tarsnode' }), cppBody([1])],
      [head({ masterName: 'tars.tarsnode@1.0' }), cppBody([1])],
    ]), false, { oneway: true });
    // a two-way call answers 0, like upstream
    expect(await statProxy.reportMicMsg(new Map([[head({ masterName: 'Cpp.Client@3.0.14' }), cppBody([], 0, 1)]]), true)).toBe(0);
    await until(() => stat.counters().entries === 1 + 1 + 1 + 3 + 1, 'every report');

    // The minute ends: the flusher writes window 1006; one more report lands in 1007.
    now = T0 + 60_000;
    expect(stat.flusher.flushDue()).toBe(3);
    await statProxy.reportMicMsg(new Map([[cppHead, cppBody([2000, 4000])]]), true, { oneway: true });
    await until(() => stat.counters().entries === 8, 'the last report');
    await stat.stop(); // graceful: the open window is written too
    expect(stat.counters()).toMatchObject({ merged: 6, droppedFrameworkSlave: 1, droppedFrameworkMaster: 1, rowsWritten: 4, rowsRefused: 0 });

    const queryProxy = comm.stringToProxy(MonitorQuery.MonitorQueryProxy, query.proxyString);
    const ask = async (groupby: string[], conditions: MonitorQuery.Condition[] = [], tflags = ['0000', '2360'], date = '20240101') => {
      const { ret, rsp } = await queryProxy.query(MonitorQuery.MonitorQueryReq.create({
        uid: 'e2e', dataid: 'tars_stat', date, tflag1: tflags[0], tflag2: tflags[1], conditions,
        indexs: ['succ_count', 'timeout_count', 'exce_count', 'total_time'], groupby,
      }));
      expect(ret).toBe(0);
      expect(rsp.ret).toBe(0);
      return Object.fromEntries(rsp.result);
    };
    const like = (field: string, val: string) => MonitorQuery.Condition.create({ field, op: MonitorQuery.OP.LIKE, val });

    // tarsweb's default chart: group by minute.
    expect(await ask(['f_tflag'], [like('slave_name', 'Test.HelloServer')])).toEqual({
      '1006': [3 + 2 + 1 + 2, 1 + 1, 1 + 2 + 1, 752 + 10 + 120 + 14],
      '1007': [2, 0, 0, 6000],
    });
    // tarsweb's "group by" view: date and one more field.
    expect(await ask(['f_date', 'master_name'])).toEqual({
      '20240101,Cpp.Client': [3 + 2, 1, 1, 130 + 6000],
      '20240101,Node.Client': [3, 1, 1, 752],
      '20240101,stat_from_server': [2, 0, 2, 14],
    });
    // client reports carry the caller's connection IP, server reports the callee's.
    expect(await ask(['f_date', 'master_ip'], [like('master_name', 'Cpp.Client')])).toEqual({ [`20240101,${LOCAL}`]: [5, 1, 1, 6130] });
    expect(await ask(['f_date', 'slave_ip'], [like('master_name', 'stat_from_server')])).toEqual({ [`20240101,${LOCAL}`]: [2, 0, 2, 14] });
    expect(await ask(['f_date', 'tars_version'], [like('master_name', 'Cpp.Client')])).toEqual({ '20240101,3.0.14': [5, 1, 1, 6130] });
    // a tflag range selects minutes
    expect(await ask(['f_tflag'], [], ['1007', '1007'])).toEqual({ '1007': [2, 0, 0, 6000] });
    // tarsweb also asks for the previous day (its comparison line): nothing there, still ret 0
    expect(await ask(['f_tflag'], [], ['0000', '2360'], '20231231')).toEqual({});
  });

  it('answers ret -1 with the reason for a request it cannot run', async () => {
    const queryProxy = comm.stringToProxy(MonitorQuery.MonitorQueryProxy, query.proxyString);
    const { ret, rsp } = await queryProxy.query(MonitorQuery.MonitorQueryReq.create({ uid: 'bad', date: '2024-01-01', indexs: ['succ_count'], groupby: ['f_tflag'] }));
    expect(ret).toBe(-1);
    expect(rsp.ret).toBe(-1);
    expect(rsp.msg).toMatch(/date/);
    const unknown = await queryProxy.query(MonitorQuery.MonitorQueryReq.create({ uid: 'bad', date: '20240101', indexs: ['nope'], groupby: [] }));
    expect(unknown.rsp.msg).toMatch(/unknown stat index "nope"/);
  });
});
