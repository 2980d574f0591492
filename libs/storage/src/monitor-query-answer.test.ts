import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerMonitorQuery } from './monitor-query-answer.ts';
import { propertyRow, statRow } from './monitor-store.contract.ts';
import { openDuckDbStore } from './open.ts';
import type { MonitorStore } from './store.ts';

let store: MonitorStore;
beforeAll(async () => {
  store = await openDuckDbStore({ namespace: 'tars', path: ':memory:' });
  store.writeStat([statRow({ succ_count: 4 })]);
  store.writeProperty([propertyRow({ value: 9 })]);
  await store.flush();
});
afterAll(() => store.close());

describe('answerMonitorQuery', () => {
  it('answers ret 0 with the result for the chosen dataset', async () => {
    const stat = await answerMonitorQuery(store, 'stat', { date: '20240101', tflag1: '0000', tflag2: '2360', conditions: [], indexs: ['succ_count'], groupby: ['f_tflag'] });
    expect(stat).toEqual({ ret: 0, rsp: { ret: 0, msg: '', lastTime: '', activeDb: 1, totalDb: 1, retThreads: [0], result: new Map([['1005', [4]]]) } });
    const property = await answerMonitorQuery(store, 'property', { date: '20240101', indexs: ['value'], groupby: ['property_name'] });
    expect([...property.rsp.result.entries()]).toEqual([['queue', [9]]]);
  });

  it('answers ret -1 with the reason in msg for a bad request', async () => {
    const bad = await answerMonitorQuery(store, 'stat', { date: '20240101', indexs: ['value'], groupby: [] });
    expect(bad.ret).toBe(-1);
    expect(bad.rsp.ret).toBe(-1);
    expect(bad.rsp.msg).toMatch(/^QueryError: unknown stat index "value"/);
    expect(bad.rsp.result.size).toBe(0);
  });
});
