/**
 * The behaviour every MonitorStore backend must show. A backend test calls
 * `describeMonitorStoreContract(name, open)`, where `open(options)` opens a store for
 * `options.namespace`; opening the same namespace again must reach the same data (a restart).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreLogger } from './logger.ts';
import { QueryOp, type MonitorQuery } from './query.ts';
import { InvalidRowError, type KEventRow, type NotifyRow, type PropertyRow, type StatRow } from './rows.ts';
import type { MonitorStore, StoreOptions } from './store.ts';

export type OpenStore = (options: StoreOptions) => Promise<MonitorStore>;

let seq = 0;
export const uniqueNamespace = (tag: string) => `ct-${tag}-${process.pid}-${Date.now().toString(36)}-${seq++}`;

export function statRow(over: Partial<StatRow> = {}): StatRow {
  return {
    source_id: '10.0.0.9',
    f_timestamp: 1704103500,
    f_date: '20240101',
    f_tflag: '1005',
    master_name: 'Test.ClientServer',
    slave_name: 'Test.HelloServer',
    interface_name: 'hello',
    tars_version: '3.0.1',
    master_ip: '10.1.0.1',
    slave_ip: '10.2.0.1',
    slave_port: 10000,
    return_value: 0,
    succ_count: 10,
    timeout_count: 1,
    exce_count: 2,
    total_time: 100,
    interv_count: '5|3,10|7',
    maxrsp_time: 30,
    minrsp_time: 3,
    ...over,
  };
}

export function propertyRow(over: Partial<PropertyRow> = {}): PropertyRow {
  return {
    f_timestamp: 1704103500,
    f_date: '20240101',
    f_tflag: '1005',
    master_name: 'Test.HelloServer',
    master_ip: '10.2.0.1',
    property_name: 'queue',
    set_name: '',
    set_area: '',
    set_id: '',
    policy: 'Sum',
    value: 1,
    ...over,
  };
}

export function notifyRow(over: Partial<NotifyRow> = {}): NotifyRow {
  return {
    timestamp: 1704103500,
    notifyTime: '2024-01-01T10:05:00+0000',
    app: 'Test',
    server: 'HelloServer',
    podName: 'test-helloserver-0',
    impThread: '',
    level: '[normal]',
    message: 'restart',
    source: 'server',
    ...over,
  };
}

export function keventRow(over: Partial<KEventRow> = {}): KEventRow {
  return {
    uid: '6f1c0a52-0000-4000-8000-000000000001',
    resourceVersion: '100',
    timestamp: 1704103500,
    event: {
      involvedObject: { kind: 'Pod', namespace: 'tars', name: 'test-helloserver-0' },
      type: 'Normal',
      reason: 'Started',
      message: 'Started container',
    },
    ...over,
  };
}

const STAT_INDEXES = ['succ_count', 'timeout_count', 'exce_count', 'total_time'];

const statQuery = (over: Partial<MonitorQuery> = {}): MonitorQuery => ({
  date: '20240101',
  tflag1: '0000',
  tflag2: '2360',
  conditions: [],
  indexs: STAT_INDEXES,
  groupby: ['f_tflag'],
  ...over,
});

function recordingLogger(): StoreLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info() {}, warn: (m) => void warnings.push(m), error() {} };
}

export function describeMonitorStoreContract(name: string, open: OpenStore): void {
  describe(`MonitorStore contract: ${name}`, () => {
    const opened: MonitorStore[] = [];
    const openStore = async (options: Partial<StoreOptions> & { namespace?: string } = {}) => {
      const store = await open({ namespace: uniqueNamespace(name.slice(0, 2)), utcOffsetMinutes: 0, ...options });
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('writes stat rows and answers a tarsweb minute query with exact sums', async () => {
      const store = await openStore();
      store.writeStat([
        statRow({ f_tflag: '1005', succ_count: 10, timeout_count: 1, exce_count: 2, total_time: 100 }),
        statRow({ f_tflag: '1005', master_ip: '10.1.0.2', succ_count: 5, timeout_count: 0, exce_count: 1, total_time: 60 }),
        statRow({ f_tflag: '1006', succ_count: 7, timeout_count: 3, exce_count: 0, total_time: 70 }),
        statRow({ f_tflag: '1060', succ_count: 1, timeout_count: 0, exce_count: 0, total_time: 9 }),
      ]);
      await store.flush();
      const result = await store.queryStat(statQuery());
      expect([...result.entries()]).toEqual([
        ['1005', [15, 1, 3, 160]],
        ['1006', [7, 3, 0, 70]],
        ['1060', [1, 0, 0, 9]],
      ]);
      await store.compact();
      expect(await store.queryStat(statQuery())).toEqual(result);
    });

    it('groups by f_date and a name field, keys joined with "," in groupby order', async () => {
      const store = await openStore();
      store.writeStat([
        statRow({ interface_name: 'hello', succ_count: 1 }),
        statRow({ interface_name: 'hello', f_tflag: '1100', succ_count: 2 }),
        statRow({ interface_name: 'bye', succ_count: 4 }),
      ]);
      await store.flush();
      const byInterface = await store.queryStat(statQuery({ groupby: ['f_date', 'interface_name'], indexs: ['succ_count'] }));
      expect([...byInterface.entries()]).toEqual([
        ['20240101,bye', [4]],
        ['20240101,hello', [3]],
      ]);
      const reversed = await store.queryStat(statQuery({ groupby: ['interface_name', 'slave_port'], indexs: ['succ_count'] }));
      expect([...reversed.keys()]).toEqual(['bye,10000', 'hello,10000']);
    });

    it('filters by conditions (LIKE as equality, LIKE with %, EQ, comparisons) and by the tflag range', async () => {
      const store = await openStore();
      store.writeStat([
        statRow({ slave_name: 'Test.HelloServer', f_tflag: '0001', succ_count: 1 }),
        statRow({ slave_name: 'Test.HelloServer', f_tflag: '1200', succ_count: 2 }),
        statRow({ slave_name: 'Test.HelloServer', f_tflag: '2360', succ_count: 4 }),
        statRow({ slave_name: 'Test.HelloServer2', f_tflag: '1200', succ_count: 8 }),
        statRow({ slave_name: 'Other.Server', f_tflag: '1200', succ_count: 16, master_ip: '10.9.9.9' }),
      ]);
      await store.flush();
      const sum = async (q: Partial<MonitorQuery>) => (await store.queryStat(statQuery({ groupby: [], indexs: ['succ_count'], ...q }))).get('')![0];
      expect(await sum({})).toBe(31);
      expect(await sum({ conditions: [{ field: 'slave_name', op: QueryOp.LIKE, val: 'Test.HelloServer' }] })).toBe(7);
      expect(await sum({ conditions: [{ field: 'slave_name', op: QueryOp.LIKE, val: 'Test.%' }] })).toBe(15);
      expect(await sum({ conditions: [{ field: 'master_ip', op: 'EQ', val: '10.9.9.9' }] })).toBe(16);
      expect(await sum({ conditions: [{ field: 'f_tflag', op: QueryOp.GT, val: '1200' }] })).toBe(4);
      expect(await sum({ conditions: [{ field: 'slave_port', op: QueryOp.EQ, val: '10000' }] })).toBe(31);
      expect(await sum({ tflag1: '0002', tflag2: '2359' })).toBe(26);
      expect(await sum({ tflag1: '1200', tflag2: '1200' })).toBe(26);
      expect(await sum({ tflag1: '', tflag2: '' })).toBe(31);
    });

    it('aggregates max of max, smallest non-zero min, total count and mean time', async () => {
      const store = await openStore();
      store.writeStat([
        statRow({ maxrsp_time: 30, minrsp_time: 0, succ_count: 0, timeout_count: 2, exce_count: 0, total_time: 0 }),
        statRow({ maxrsp_time: 80, minrsp_time: 7, succ_count: 3, timeout_count: 0, exce_count: 1, total_time: 90 }),
        statRow({ maxrsp_time: 50, minrsp_time: 4, succ_count: 1, timeout_count: 0, exce_count: 0, total_time: 10 }),
        statRow({ f_tflag: '1006', maxrsp_time: 0, minrsp_time: 0, succ_count: 0, timeout_count: 1, exce_count: 0, total_time: 0 }),
      ]);
      await store.flush();
      const result = await store.queryStat(statQuery({ indexs: ['maxrsp_time', 'minrsp_time', 'total_count', 'ave_time'] }));
      expect([...result.entries()]).toEqual([
        ['1005', [80, 4, 7, 25]],
        ['1006', [0, 0, 1, 0]],
      ]);
    });

    it('reads only the requested date; a day without data answers no keys (grouped) or one zero row', async () => {
      const store = await openStore();
      store.writeStat([statRow({ f_date: '20240101', succ_count: 1 }), statRow({ f_date: '20240102', succ_count: 5 })]);
      await store.flush();
      expect([...(await store.queryStat(statQuery({ date: '20240102', indexs: ['succ_count'] }))).entries()]).toEqual([['1005', [5]]]);
      expect((await store.queryStat(statQuery({ date: '20240103' }))).size).toBe(0);
      expect([...(await store.queryStat(statQuery({ date: '20240103', groupby: [] }))).entries()]).toEqual([['', [0, 0, 0, 0]]]);
    });

    it('reduces property values per policy (Max, Min, Avg, Sum) and groups by policy', async () => {
      const store = await openStore();
      const rows: PropertyRow[] = [];
      for (const [ip, minute, v] of [['10.0.0.1', '1005', 10], ['10.0.0.2', '1005', 30], ['10.0.0.1', '1006', 20]] as const) {
        for (const policy of ['Sum', 'Max', 'Min', 'Avg', 'Count']) rows.push(propertyRow({ master_ip: ip, f_tflag: minute, policy, value: v }));
      }
      rows.push(propertyRow({ property_name: 'other', policy: 'Sum', value: 1000 }));
      store.writeProperty(rows);
      await store.flush();
      const byPolicy = await store.queryProperty({
        date: '20240101',
        tflag1: '0000',
        tflag2: '2360',
        conditions: [{ field: 'property_name', op: QueryOp.LIKE, val: 'queue' }],
        indexs: ['value'],
        groupby: ['f_date', 'policy'],
      });
      expect([...byPolicy.entries()]).toEqual([
        ['20240101,Avg', [20]],
        ['20240101,Count', [60]],
        ['20240101,Max', [30]],
        ['20240101,Min', [10]],
        ['20240101,Sum', [60]],
      ]);
      const maxPerMinute = await store.queryProperty({
        date: '20240101',
        tflag1: '0000',
        tflag2: '2360',
        conditions: [
          { field: 'property_name', op: QueryOp.LIKE, val: 'queue' },
          { field: 'policy', op: QueryOp.LIKE, val: 'Max' },
        ],
        indexs: ['value'],
        groupby: ['f_tflag'],
      });
      expect([...maxPerMinute.entries()]).toEqual([
        ['1005', [30]],
        ['1006', [20]],
      ]);
    });

    it('stores notify records and returns them newest first, filtered', async () => {
      const store = await openStore();
      store.writeNotify([
        notifyRow({ timestamp: 100, message: 'first' }),
        notifyRow({ timestamp: 300, message: 'third' }),
        notifyRow({ timestamp: 200, message: 'second', level: '[error]' }),
        notifyRow({ timestamp: 400, server: 'OtherServer', message: 'other' }),
      ]);
      await store.flush();
      const rows = await store.queryNotify({ app: 'Test', server: 'HelloServer' });
      expect(rows.map((r) => r.message)).toEqual(['third', 'second', 'first']);
      expect(rows[1]).toEqual(notifyRow({ timestamp: 200, message: 'second', level: '[error]' }));
      expect((await store.queryNotify({ server: 'HelloServer', limit: 1 })).map((r) => r.message)).toEqual(['third']);
      expect((await store.queryNotify({ level: '[error]' })).map((r) => r.message)).toEqual(['second']);
      expect((await store.queryNotify({ from: 150, to: 350 })).map((r) => r.message)).toEqual(['third', 'second']);
    });

    it('keeps one kevent per uid:resourceVersion, within a batch, across batches and after a restart', async () => {
      const namespace = uniqueNamespace('kev');
      const first = await open({ namespace, utcOffsetMinutes: 0 });
      first.writeKEvents([keventRow(), keventRow(), keventRow({ resourceVersion: '101', timestamp: 1704103600 })]);
      await first.flush();
      first.writeKEvents([keventRow()]);
      await first.close();
      const second = await openStore({ namespace });
      second.writeKEvents([keventRow(), keventRow({ resourceVersion: '101', timestamp: 1704103600 })]);
      await second.flush();
      const events = await second.queryKEvents({ kind: 'Pod', name: 'test-helloserver-0' });
      expect(events.map((e) => `${e.uid}:${e.resourceVersion}`)).toEqual([
        '6f1c0a52-0000-4000-8000-000000000001:101',
        '6f1c0a52-0000-4000-8000-000000000001:100',
      ]);
      expect(events[1]).toEqual(keventRow());
      expect(await second.queryKEvents({ reason: 'Killing' })).toEqual([]);
    });

    it('drops metadata from stored kevents', async () => {
      const store = await openStore();
      const row = keventRow();
      store.writeKEvents([{ ...row, event: { ...row.event, metadata: { name: 'x.1', uid: row.uid } } }]);
      await store.flush();
      expect((await store.queryKEvents({}))[0]!.event).toEqual(row.event);
    });

    it('applies retention: old days and old stream records go, recent ones stay', async () => {
      const store = await openStore({ retentionDays: { stat: 15, property: 15, notify: 3, kevent: 3 } });
      const now = Date.UTC(2024, 0, 20, 12, 0, 0);
      const nowS = now / 1000;
      store.writeStat([statRow({ f_date: '20240104' }), statRow({ f_date: '20240105' }), statRow({ f_date: '20240120' })]);
      store.writeProperty([propertyRow({ f_date: '20240104' }), propertyRow({ f_date: '20240119' })]);
      store.writeNotify([notifyRow({ timestamp: nowS - 4 * 86400, message: 'old' }), notifyRow({ timestamp: nowS - 3600, message: 'new' })]);
      store.writeKEvents([keventRow({ timestamp: nowS - 5 * 86400 }), keventRow({ resourceVersion: '7', timestamp: nowS - 60 })]);
      await store.flush();
      const report = await store.applyRetention(now);
      const ns = store.layout.namespace;
      expect(report.dropped).toEqual([`${ns}_property_20240104`, `${ns}_stat_20240104`].sort());
      expect(report.notifyDeleted).toBe(1);
      expect(report.keventDeleted).toBe(1);
      const total = async (date: string) => (await store.queryStat(statQuery({ date, groupby: [], indexs: ['succ_count'] }))).get('')![0];
      expect(await total('20240104')).toBe(0);
      expect(await total('20240105')).toBe(10);
      expect(await total('20240120')).toBe(10);
      expect((await store.queryNotify({})).map((r) => r.message)).toEqual(['new']);
      expect((await store.queryKEvents({})).map((r) => r.resourceVersion)).toEqual(['7']);
      // Writing to a dropped day again recreates it.
      store.writeStat([statRow({ f_date: '20240104', succ_count: 3 })]);
      await store.flush();
      expect(await total('20240104')).toBe(3);
    });

    it('flushes on close: rows queued but never flushed are readable after reopening', async () => {
      const namespace = uniqueNamespace('close');
      const first = await open({ namespace, utcOffsetMinutes: 0, buffer: { flushIntervalMs: 3_600_000, batchSize: 1_000_000 } });
      first.writeStat([statRow({ succ_count: 41 })]);
      first.writeNotify([notifyRow({ message: 'bye' })]);
      expect(first.counters().stat.pending).toBe(1);
      await first.close();
      expect(() => first.writeStat([statRow()])).toThrow(/closed/);
      const second = await openStore({ namespace });
      expect((await second.queryStat(statQuery({ groupby: [], indexs: ['succ_count'] }))).get('')).toEqual([41]);
      expect((await second.queryNotify({})).map((r) => r.message)).toEqual(['bye']);
    });

    it('counts and logs overflow of a full buffer, and writes what it accepted', async () => {
      const logger = recordingLogger();
      const store = await openStore({ logger, buffer: { perKind: { stat: { capacity: 5, batchSize: 100, flushIntervalMs: 3_600_000 } } } });
      expect(store.writeStat(Array.from({ length: 3 }, () => statRow({ succ_count: 1 })))).toBe(3);
      expect(store.writeStat(Array.from({ length: 4 }, () => statRow({ succ_count: 1 })))).toBe(2);
      expect(store.writeStat([statRow()])).toBe(0);
      expect(store.counters().stat).toMatchObject({ accepted: 5, overflow: 3, pending: 5 });
      expect(logger.warnings.filter((w) => w.includes('stat write buffer full'))).toHaveLength(1);
      await store.flush();
      expect(store.counters().stat).toMatchObject({ written: 5, pending: 0, failed: 0 });
      expect((await store.queryStat(statQuery({ groupby: [], indexs: ['succ_count'] }))).get('')).toEqual([5]);
      expect(store.writeStat([statRow({ succ_count: 1 })])).toBe(1);
    });

    it('rejects a bad batch whole with a clear error and keeps accepting good rows', async () => {
      const store = await openStore();
      expect(() => store.writeStat([statRow(), statRow({ f_tflag: '2461' })])).toThrow(InvalidRowError);
      expect(() => store.writeStat([statRow(), { ...statRow(), succ_count: -1 }])).toThrow(/row 1: field succ_count must be a non-negative 32-bit integer/);
      expect(() => store.writeProperty([propertyRow({ f_date: '20240230' })])).toThrow(/no such calendar day/);
      expect(() => store.writeStat([statRow({ f_timestamp: 2 ** 40 })])).toThrow(/f_timestamp must be a non-negative 32-bit integer/);
      expect(() => store.writeStat([statRow({ slave_port: 1.5 })])).toThrow(/slave_port must be a 32-bit integer/);
      expect(() => store.writeKEvents([keventRow({ uid: '' })])).toThrow(/uid/);
      expect(store.counters().stat.accepted).toBe(0);
      store.writeStat([statRow({ succ_count: 2 })]);
      await store.flush();
      expect((await store.queryStat(statQuery({ groupby: [], indexs: ['succ_count'] }))).get('')).toEqual([2]);
    });

    it('rejects unknown fields, indexes and malformed dates in queries', async () => {
      const store = await openStore();
      await expect(store.queryStat(statQuery({ groupby: ['f_tflag; DROP TABLE x'] }))).rejects.toThrow(/unknown stat group-by field/);
      await expect(store.queryStat(statQuery({ indexs: ['value'] }))).rejects.toThrow(/unknown stat index/);
      await expect(store.queryStat(statQuery({ conditions: [{ field: 'nope', op: 0, val: 'x' }] }))).rejects.toThrow(/unknown stat field/);
      await expect(store.queryStat(statQuery({ date: '2024-01-01' }))).rejects.toThrow(/YYYYMMDD/);
      await expect(store.queryStat(statQuery({ tflag2: '2500' }))).rejects.toThrow(/tflag2/);
      await expect(store.queryProperty({ date: '20240101', indexs: ['succ_count'], groupby: [] })).rejects.toThrow(/unknown property index/);
    });
  });
}
