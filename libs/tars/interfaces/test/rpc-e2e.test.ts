// The generated proxies and servants on the real RPC stack (@tars-ts/rpc), called by our own
// generated proxies and by the official clients (@tars/registry QueryFProxy, @tars/monitor
// StatFProxy on @tars/rpc): out parameters, struct map keys, TUP, one-way.
import { createRequire } from 'node:module';
import { Communicator, createServer, type Current, type TarsServer } from '@tars-ts/rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EndpointF, QueryF, StatF } from '../src/index.ts';

const require = createRequire(import.meta.url);

const ep = (host: string, port: number): EndpointF.EndpointF => EndpointF.EndpointF.create({ host, port, timeout: 60000, istcp: 1 });

class Query extends QueryF.QueryFServant {
  readonly changes: Array<Map<string, string>> = [];
  findObjectById(_c: Current, id: string) {
    return id === 'none' ? [] : [ep('10.0.0.1', 1000), ep('10.0.0.2', 1001)];
  }
  findObjectById4Any(_c: Current, id: string) {
    return { ret: 0, activeEp: [ep(`${id}.a`, 1)], inactiveEp: [ep(`${id}.b`, 2)] };
  }
  findObjectById4All(_c: Current, id: string) {
    return this.findObjectById4Any(_c, id);
  }
  findObjectByIdInSameGroup(current: Current, id: string) {
    return { ret: 0, activeEp: [ep(current.callerHost, 3)], inactiveEp: [ep(id, 4)] };
  }
  findObjectByIdInSameStation(_c: Current, id: string, station: string) {
    return { ret: 0, activeEp: [ep(`${id}@${station}`, 5)], inactiveEp: [] };
  }
  async findObjectByIdInSameSet(_c: Current, id: string, setId: string) {
    return setId.split('.').length === 3 ? { ret: 0, activeEp: [ep(`${id}@${setId}`, 6)], inactiveEp: [] } : { ret: -1, activeEp: [], inactiveEp: [] };
  }
  findObjectNodeName(_c: Current, id: string) {
    return { ret: 0, nodeName: [`${id}-node`] };
  }
  registerChange(_c: Current, timestamp: Map<string, string>, _name: string) {
    this.changes.push(timestamp);
    return timestamp.size;
  }
  registerQuery() {
    return 0;
  }
  getLocker() {
    return 7;
  }
}

class Stat extends StatF.StatFServant {
  readonly reports: Array<{ msg: Map<StatF.StatMicMsgHead, StatF.StatMicMsgBody>; fromClient: boolean; oneway: boolean }> = [];
  reportMicMsg(current: Current, msg: Map<StatF.StatMicMsgHead, StatF.StatMicMsgBody>, bFromClient: boolean) {
    this.reports.push({ msg, fromClient: bFromClient, oneway: current.packetType === 1 });
    return 0;
  }
  reportSampleMsg(_c: Current, msg: StatF.StatSampleMsg[]) {
    return msg.length;
  }
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

const head = (slave: string): StatF.StatMicMsgHead =>
  StatF.StatMicMsgHead.create({ masterName: 'App.Client', slaveName: slave, interfaceName: 'call', masterIp: '10.0.0.9', slaveIp: '10.0.0.8', slavePort: 80, returnValue: 0 });
const body = (count: number): StatF.StatMicMsgBody =>
  StatF.StatMicMsgBody.create({ count, intervalCount: new Map([[100, count]]), totalRspTime: 12345678901n, maxRspTime: 9, minRspTime: 1 });

describe('generated code on @tars-ts/rpc', () => {
  let server: TarsServer;
  let comm: Communicator;
  const query = new Query();
  const stat = new Stat();

  beforeAll(async () => {
    server = createServer();
    server.addServant(query, 'tars.tarsregistry.QueryObj', 'tcp -h 127.0.0.1 -p 0');
    server.addServant(stat, 'tars.tarsstat.StatObj', 'tcp -h 127.0.0.1 -p 0');
    await server.start();
    comm = new Communicator();
  });
  afterAll(async () => {
    await comm.close();
    await server.stop(1000);
  });

  it('our proxy: return values, out parameters, maps, TUP', async () => {
    const q = comm.stringToProxy(QueryF.QueryFProxy, server.proxyString('tars.tarsregistry.QueryObj'));
    expect((await q.findObjectById('x')).map((e) => [e.host, e.port])).toEqual([['10.0.0.1', 1000], ['10.0.0.2', 1001]]);
    expect(await q.findObjectById4Any('obj')).toEqual({ ret: 0, activeEp: [ep('obj.a', 1)], inactiveEp: [ep('obj.b', 2)] });
    expect(await q.findObjectByIdInSameSet('obj', 'bad')).toEqual({ ret: -1, activeEp: [], inactiveEp: [] });
    expect(await q.findObjectByIdInSameGroup('obj', { context: { node_name: 'node-7' } })).toMatchObject({ activeEp: [{ host: 'node-7' }] });
    expect(await q.registerChange(new Map([['a', '1'], ['b', '2']]), 'n')).toBe(2);
    expect(query.changes.at(-1)).toEqual(new Map([['a', '1'], ['b', '2']]));
    expect(await q.findObjectNodeName('obj', { version: 3 })).toEqual({ ret: 0, nodeName: ['obj-node'] });
    expect(await q.findObjectByIdInSameStation('obj', 'sz', { version: 3 })).toMatchObject({ ret: 0, activeEp: [{ host: 'obj@sz' }] });
  });

  it('our proxy: struct map keys and one-way reports', async () => {
    const s = comm.stringToProxy(StatF.StatFProxy, server.proxyString('tars.tarsstat.StatObj'));
    const msg = new Map([[head('A.S1'), body(3)], [head('A.S2'), body(4)]]);
    expect(await s.reportMicMsg(msg, true)).toBe(0);
    expect(stat.reports.at(-1)).toEqual({ msg, fromClient: true, oneway: false });
    const before = stat.reports.length;
    await s.reportMicMsg(new Map([[head('A.S3'), body(5)]]), false, { oneway: true });
    await until(() => stat.reports.length > before, 'the one-way report');
    expect(stat.reports.at(-1)).toMatchObject({ fromClient: false, oneway: true });
    expect([...stat.reports.at(-1)!.msg.keys()].map((k) => k.slaveName)).toEqual(['A.S3']);
  });

  describe('official @tars/rpc clients', () => {
    let official: any;
    beforeAll(() => {
      official = require('@tars/rpc').Communicator.New();
    });
    afterAll(() => official.destroy());

    it('@tars/registry QueryFProxy reads our out parameters', async () => {
      const Proxy = require('@tars/registry/QueryFProxy.js').tars.QueryFProxy;
      const q = official.stringToProxy(Proxy, server.proxyString('tars.tarsregistry.QueryObj'));
      const r = await q.findObjectById4Any('obj');
      expect(r.response.return).toBe(0);
      expect(r.response.arguments.activeEp.toObject().map((e: any) => [e.host, e.port])).toEqual([['obj.a', 1]]);
      expect(r.response.arguments.inactiveEp.toObject().map((e: any) => [e.host, e.port])).toEqual([['obj.b', 2]]);
      const list = await q.findObjectById('x');
      expect(list.response.return.toObject().map((e: any) => e.port)).toEqual([1000, 1001]);
    });

    it('@tars/monitor StatFProxy sends struct-keyed maps we decode', async () => {
      const TarsStream = require('@tars/stream');
      const mod = require('@tars/monitor/stat/StatFProxy.js').tars;
      const s = official.stringToProxy(mod.StatFProxy, server.proxyString('tars.tarsstat.StatObj'));
      const map = new TarsStream.Map(mod.StatMicMsgHead, mod.StatMicMsgBody);
      const h = new mod.StatMicMsgHead();
      h.masterName = 'Node.Client';
      h.slaveName = 'App.Server';
      h.interfaceName = 'call';
      h.slavePort = 80;
      const b = new mod.StatMicMsgBody();
      b.count = 10;
      b.totalRspTime = 2000;
      b.intervalCount.insert(100, 10);
      map.insert(h, b);
      const before = stat.reports.length;
      const r = await s.reportMicMsg(map, true);
      expect(r.response.return).toBe(0);
      expect(stat.reports.length).toBe(before + 1);
      const [[k, v]] = [...stat.reports.at(-1)!.msg];
      expect(k).toMatchObject({ masterName: 'Node.Client', slaveName: 'App.Server', interfaceName: 'call', slavePort: 80 });
      expect(v).toMatchObject({ count: 10, totalRspTime: 2000n, intervalCount: new Map([[100, 10]]) });
    });
  });
});
