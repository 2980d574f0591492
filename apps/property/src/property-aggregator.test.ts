import { PropertyF } from '@tars-ts/interfaces';
import { describe, expect, it } from 'vitest';
import { PropertyAggregator, propertyRows } from './property-aggregator.ts';

const T0 = Date.parse('2024-01-01T10:59:10Z');
const head = (init: Partial<PropertyF.StatPropMsgHead> = {}) => PropertyF.StatPropMsgHead.create({ moduleName: 'Test.HelloServer', propertyName: 'queue', iPropertyVer: 2, ...init });
const body = (infos: Record<string, string>) => ({ vInfo: Object.entries(infos).map(([policy, value]) => ({ policy, value })) });
const rows = (agg: PropertyAggregator) => agg.takeAll().flatMap((w) => propertyRows(w, 1, 0));

describe('PropertyAggregator', () => {
  it('merges per head and policy, one row per policy, labelled by the window end', () => {
    const agg = new PropertyAggregator();
    agg.add(new Map([[head(), body({ Sum: '10', Max: '7', Avg: '4' })]]), '10.0.0.5', T0);
    agg.add(new Map([[head(), body({ Sum: '5', Max: '9', Avg: '8', Count: '2' })]]), '10.0.0.5', T0 + 20_000);
    expect(rows(agg).map((r) => [r.f_date, r.f_tflag, r.master_name, r.master_ip, r.property_name, r.policy, r.value])).toEqual([
      ['20240101', '1060', 'Test.HelloServer', '10.0.0.5', 'queue', 'Sum', 15],
      ['20240101', '1060', 'Test.HelloServer', '10.0.0.5', 'queue', 'Max', 9],
      ['20240101', '1060', 'Test.HelloServer', '10.0.0.5', 'queue', 'Avg', 6],
      ['20240101', '1060', 'Test.HelloServer', '10.0.0.5', 'queue', 'Count', 2],
    ]);
  });

  it('takes ip from the connection and keeps the other head fields in the key', () => {
    const agg = new PropertyAggregator();
    agg.add(new Map([[head({ ip: 'claimed' }), body({ Sum: '1' })], [head({ setName: 'sz', setArea: '1', setID: 'a' }), body({ Sum: '2' })]]), '10.0.0.5', T0);
    agg.add(new Map([[head({ ip: 'other' }), body({ Sum: '4' })]]), '10.0.0.5', T0);
    agg.add(new Map([[head(), body({ Sum: '8' })]]), '10.0.0.6', T0);
    agg.add(new Map([[head({ iPropertyVer: 1 }), body({ Sum: '16' })]]), '10.0.0.6', T0);
    expect(rows(agg).map((r) => [r.master_ip, r.set_name, r.value])).toEqual([
      ['10.0.0.5', '', 5], ['10.0.0.5', 'sz', 2], ['10.0.0.6', '', 8], ['10.0.0.6', '', 16],
    ]);
  });

  it('drops tars.tarsnode and invalid values, counting them, and keeps the rest of the entry', () => {
    const agg = new PropertyAggregator();
    const problems = agg.add(new Map([[head({ moduleName: 'tars.tarsnode' }), body({ Sum: '1' })], [head(), body({ Sum: 'x', Max: '3' })]]), 'p', T0);
    expect(problems).toEqual(['Test.HelloServer queue: Sum value "x" is not a number']);
    expect(agg.counters).toMatchObject({ entries: 2, values: 1, droppedFramework: 1, droppedInvalid: 1 });
    expect(rows(agg).map((r) => [r.policy, r.value])).toEqual([['Max', 3]]);
  });

  it('windows: minute boundaries, the hour, midnight', () => {
    const agg = new PropertyAggregator();
    const report = (iso: string) => agg.add(new Map([[head(), body({ Count: '1' })]]), 'p', Date.parse(iso));
    report('2024-01-01T10:59:59.999Z');
    report('2024-01-01T11:00:00.000Z');
    expect(agg.takeDue(Date.parse('2024-01-01T11:00:30Z')).map((w) => propertyRows(w, 1, 0)[0].f_tflag)).toEqual(['1060']);
    report('2024-01-01T23:59:00Z');
    expect(rows(agg).map((r) => [r.f_date, r.f_tflag])).toEqual([['20240101', '1101'], ['20240101', '2360']]);
  });

  it('refuses new heads beyond maxRecords', () => {
    const agg = new PropertyAggregator({ maxRecords: 1 });
    agg.add(new Map([[head({ propertyName: 'a' }), body({ Sum: '1' })], [head({ propertyName: 'b' }), body({ Sum: '1' })]]), 'p', T0);
    expect(agg.counters.droppedOverflow).toBe(1);
    expect(rows(agg).map((r) => r.property_name)).toEqual(['a']);
  });
});
