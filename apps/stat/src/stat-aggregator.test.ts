import { TarsDecodeError, TarsReader, TarsWriter } from '@tars-ts/codec';
import { StatF } from '@tars-ts/interfaces';
import { describe, expect, it } from 'vitest';
import { readStatBatch } from './stat-batch.ts';
import { StatAggregator, windowEndOf } from './stat-aggregator.ts';
import { windowRows } from './stat-flusher.ts';
import { batchOf, cppBody, head } from './testing/stat-fixtures.ts';

const T0 = Date.parse('2024-01-01T10:05:10Z');

function rowsOf(agg: StatAggregator, nowMs = T0 + 3_600_000) {
  return agg.takeDue(nowMs).map((w) => windowRows(w, '10.9.9.9', 1, 0));
}

describe('StatAggregator merging', () => {
  it('adds counts and time, keeps the max and the smallest non-zero minimum, adds buckets per point', () => {
    const agg = new StatAggregator();
    agg.add(batchOf([[head({}), cppBody([3, 40, 0])]]), true, '1.1.1.1', T0);
    agg.add(batchOf([[head({}), cppBody([7, 2500], 1, 2)]]), true, '1.1.1.1', T0 + 1000);
    agg.add(batchOf([[head({}), cppBody([], 1)]]), true, '1.1.1.1', T0 + 2000); // timeouts only: min 0 must not win
    const [[row]] = rowsOf(agg);
    expect(row).toMatchObject({
      succ_count: 5, timeout_count: 2, exce_count: 2, total_time: 3 + 40 + 0 + 7 + 2500,
      maxrsp_time: 2500, minrsp_time: 3, interv_count: '5|2,10|1,50|1,100|0,200|0,500|0,1000|0,2000|0,3000|1',
    });
  });

  it('minimum rule: zero is replaced by the first non-zero, a smaller non-zero replaces a larger', () => {
    const agg = new StatAggregator();
    const body = (min: number) => ({ ...cppBody([1]), minRspTime: min });
    for (const min of [0, 9, 0, 4, 6]) agg.add(batchOf([[head({}), body(min)]]), true, 'p', T0);
    expect(rowsOf(agg)[0][0].minrsp_time).toBe(4);
  });

  it('adds buckets at points it has not seen, in ascending order', () => {
    const agg = new StatAggregator();
    const b1 = { ...cppBody([1]), intervalCount: new Map([[100, 1], [5, 2]]) };
    const b2 = { ...cppBody([1]), intervalCount: new Map([[50, 3], [100, 4], [7000, 1]]) };
    agg.add(batchOf([[head({}), b1]]), true, 'p', T0);
    agg.add(batchOf([[head({}), b2]]), true, 'p', T0);
    expect(rowsOf(agg)[0][0].interv_count).toBe('5|2,50|3,100|5,7000|1');
  });

  it('client reports take the caller IP from the connection, server reports the callee IP', () => {
    const agg = new StatAggregator();
    agg.add(batchOf([[head({ masterIp: 'set-by-client' }), cppBody([1])]]), true, '10.0.0.7', T0);
    agg.add(batchOf([[head({ masterName: 'stat_from_server', masterIp: '10.0.0.7', slaveIp: '' }), cppBody([2])]]), false, '10.0.0.2', T0);
    const rows = rowsOf(agg)[0];
    expect(rows.map((r) => [r.master_name, r.master_ip, r.slave_ip, r.tars_version])).toEqual([
      ['Test.Client', '10.0.0.7', '10.0.0.2', '3.0.0'],
      ['stat_from_server', '10.0.0.7', '10.0.0.2', ''],
    ]);
  });

  it('merges heads that differ only in what the server overwrites or splits', () => {
    const agg = new StatAggregator();
    agg.add(batchOf([[head({ masterIp: 'a' }), cppBody([1])], [head({ masterIp: 'b' }), cppBody([2])]]), true, '10.0.0.7', T0);
    agg.add(batchOf([[head({ masterName: 'Test.Client', tarsVersion: '3.0.0' }), cppBody([3])]]), true, '10.0.0.7', T0);
    const rows = rowsOf(agg)[0];
    expect(rows).toHaveLength(1);
    expect(rows[0].succ_count).toBe(3);
  });

  it('keeps heads apart per peer, per side, and per set fields', () => {
    const agg = new StatAggregator();
    const e = (init = {}) => [head(init), cppBody([1])] as [StatF.StatMicMsgHead, StatF.StatMicMsgBody];
    agg.add(batchOf([e(), e({ slaveSetName: 'sz', slaveSetArea: '1', slaveSetID: 'a' })]), true, '10.0.0.7', T0);
    agg.add(batchOf([e()]), true, '10.0.0.8', T0);
    agg.add(batchOf([e()]), false, '10.0.0.7', T0);
    expect(rowsOf(agg)[0]).toHaveLength(4);
  });

  it('drops framework names and empty bodies, and counts why', () => {
    const agg = new StatAggregator();
    agg.add(batchOf([
      [head({ slaveName: 'tars.tarsstat' }), cppBody([1])],
      [head({ masterName: 'elk@7.0' }), cppBody([1])],
      [head({ interfaceName: 'empty' }), cppBody([])],
      [head({}), cppBody([1])],
    ]), true, 'p', T0);
    agg.add(batchOf([[head({ slaveName: 'tars.tarsstat' }), cppBody([1])]]), true, 'p', T0); // cached drop, still counted
    expect(agg.counters).toMatchObject({ entries: 5, merged: 1, droppedFrameworkSlave: 2, droppedFrameworkMaster: 1, droppedEmpty: 1 });
    // the head whose only body was empty yields no row
    expect(rowsOf(agg)[0].map((r) => r.interface_name)).toEqual(['hello']);
  });

  it('drops entries with negative numbers', () => {
    const agg = new StatAggregator();
    agg.add(batchOf([[head({}), { ...cppBody([1]), count: -1 }], [head({ interfaceName: 'x' }), { ...cppBody([1]), totalRspTime: -5n }]]), true, 'p', T0);
    expect(agg.counters.droppedInvalid).toBe(2);
    expect(rowsOf(agg).flat()).toEqual([]);
  });

  it('stops taking new heads at maxRecords but keeps merging known ones', () => {
    const agg = new StatAggregator({ maxRecords: 2 });
    agg.add(batchOf(['a', 'b', 'c'].map((f) => [head({ interfaceName: f }), cppBody([1])])), true, 'p', T0);
    agg.add(batchOf([[head({ interfaceName: 'a' }), cppBody([1])], [head({ interfaceName: 'c' }), cppBody([1])]]), true, 'p', T0);
    expect(agg.counters.droppedOverflow).toBe(2);
    expect(rowsOf(agg)[0].map((r) => [r.interface_name, r.succ_count])).toEqual([['a', 2], ['b', 1]]);
  });

  it('stays correct past the raw-head cache bound (dropped heads are not cached forever)', () => {
    const agg = new StatAggregator({ maxRecords: 1 });
    const dropped = (n: number) => [head({ slaveName: 'tars.tarsnode', interfaceName: `f${n}` }), cppBody([1])] as [StatF.StatMicMsgHead, StatF.StatMicMsgBody];
    agg.add(batchOf([dropped(1), dropped(2), dropped(3), [head({}), cppBody([1])]]), true, 'p', T0);
    agg.add(batchOf([dropped(3), [head({}), cppBody([2])], [head({}), cppBody([3])]]), true, 'p', T0);
    expect(agg.counters).toMatchObject({ entries: 7, merged: 3, droppedFrameworkSlave: 4, droppedOverflow: 0 });
    expect(rowsOf(agg)[0].map((r) => [r.interface_name, r.succ_count])).toEqual([['hello', 3]]);
  });

  it('rejects a call whose head does not decode without merging any of its entries', () => {
    const w = new TarsWriter();
    w.writeMapBegin(1, 2);
    StatF.StatMicMsgHead.write(w, 0, head({}));
    StatF.StatMicMsgBody.write(w, 1, cppBody([1]));
    w.writeStructBegin(0); // a head with only masterName
    w.writeString(0, 'x');
    w.writeStructEnd();
    StatF.StatMicMsgBody.write(w, 1, cppBody([1]));
    const r = new TarsReader(w.toBuffer());
    r.nextField();
    const agg = new StatAggregator();
    expect(() => agg.add(readStatBatch(r), true, 'p', T0)).toThrow(TarsDecodeError);
    expect(agg.counters.merged).toBe(0);
    expect(rowsOf(agg)).toEqual([]);
  });
});

describe('StatAggregator windows', () => {
  it('puts a report in the minute it arrives and labels the window by its end', () => {
    const agg = new StatAggregator();
    const at = (iso: string) => Date.parse(iso);
    agg.add(batchOf([[head({}), cppBody([1])]]), true, 'p', at('2024-01-01T10:05:00.000Z'));
    agg.add(batchOf([[head({}), cppBody([1])]]), true, 'p', at('2024-01-01T10:05:59.999Z'));
    agg.add(batchOf([[head({}), cppBody([1])]]), true, 'p', at('2024-01-01T10:06:00.000Z'));
    agg.add(batchOf([[head({}), cppBody([1])]]), true, 'p', at('2024-01-01T10:59:30.000Z'));
    agg.add(batchOf([[head({}), cppBody([1])]]), true, 'p', at('2024-01-01T23:59:01.000Z'));
    agg.add(batchOf([[head({}), cppBody([1])]]), true, 'p', at('2024-01-02T00:00:01.000Z'));
    const rows = rowsOf(agg, at('2024-01-03T00:00:00Z')).flat();
    expect(rows.map((r) => [r.f_date, r.f_tflag, r.succ_count])).toEqual([
      ['20240101', '1006', 2],
      ['20240101', '1007', 1],
      ['20240101', '1060', 1], // the window ending at 11:00 is hour 10 minute 60
      ['20240101', '2360', 1], // midnight: previous day
      ['20240102', '0001', 1],
    ]);
  });

  it('hands over only windows that have ended, and the open one on takeAll', () => {
    const agg = new StatAggregator();
    agg.add(batchOf([[head({}), cppBody([1])]]), true, 'p', T0);
    expect(agg.takeDue(T0 + 1000)).toEqual([]);
    expect(agg.takeDue(windowEndOf(T0)).map((w) => w.endMs)).toEqual([windowEndOf(T0)]);
    agg.add(batchOf([[head({}), cppBody([1])]]), true, 'p', T0 + 60_000);
    expect(agg.takeDue(T0 + 61_000)).toEqual([]);
    expect(agg.takeAll().map((w) => w.records.size)).toEqual([1]);
    expect(agg.takeAll()).toEqual([]);
  });
});
