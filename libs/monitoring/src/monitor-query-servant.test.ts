import { MonitorQuery } from '@tars-ts/interfaces';
import type { Current } from '@tars-ts/rpc';
import { QueryError } from '@tars-ts/storage';
import { describe, expect, it } from 'vitest';
import { MonitorQueryImp, monitorQueryServant, toStoreQuery } from './monitor-query-servant.ts';

const current = { remoteAddress: '10.0.0.9' } as Current;
const req = MonitorQuery.MonitorQueryReq.create({
  uid: 'u', dataid: 'tars_stat', date: '20240101', tflag1: '0000', tflag2: '2360',
  conditions: [MonitorQuery.Condition.create({ field: 'slave_name', op: MonitorQuery.OP.LIKE, val: 'A.B' })],
  indexs: ['succ_count'], groupby: ['f_tflag'],
});

function logger() {
  const lines: string[] = [];
  const log = (level: string) => (m: string) => lines.push(`${level} ${m}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

describe('MonitorQueryImp', () => {
  it('passes the request to the store and the result back', async () => {
    const seen: unknown[] = [];
    const imp = new MonitorQueryImp(async (q) => (seen.push(q), new Map([['1006', [3]]])), logger());
    const { ret, rsp } = await imp.query(current, req);
    expect(seen).toEqual([toStoreQuery(req)]);
    expect(toStoreQuery(req)).toEqual({ date: '20240101', tflag1: '0000', tflag2: '2360', conditions: [{ field: 'slave_name', op: 5, val: 'A.B' }], indexs: ['succ_count'], groupby: ['f_tflag'] });
    expect(ret).toBe(0);
    expect(rsp).toMatchObject({ ret: 0, msg: '', result: new Map([['1006', [3]]]) });
  });

  it('answers -1 with the reason; a refused request is INFO, a store failure ERROR', async () => {
    const log = logger();
    const refused = await new MonitorQueryImp(async () => { throw new QueryError('unknown stat index "x"'); }, log).query(current, req);
    const failed = await new MonitorQueryImp(async () => { throw new Error('connection refused'); }, log).query(current, req);
    expect([refused.ret, refused.rsp.ret, refused.rsp.msg]).toEqual([-1, -1, 'unknown stat index "x"']);
    expect([failed.ret, failed.rsp.ret, failed.rsp.msg]).toEqual([-1, -1, 'connection refused']);
    expect(log.lines).toEqual([
      'info query u from 10.0.0.9 refused: unknown stat index "x"',
      'error query u from 10.0.0.9 failed: connection refused',
    ]);
  });

  it('answers from the rows of its kind', async () => {
    const seen: string[] = [];
    const store = {
      queryStat: async () => (seen.push('stat'), new Map([['s', [1]]])),
      queryProperty: async () => (seen.push('property'), new Map([['p', [2]]])),
    };
    expect((await monitorQueryServant('stat', store, logger()).query(current, req)).rsp.result).toEqual(new Map([['s', [1]]]));
    expect((await monitorQueryServant('property', store, logger()).query(current, req)).rsp.result).toEqual(new Map([['p', [2]]]));
    expect(seen).toEqual(['stat', 'property']);
  });
});
