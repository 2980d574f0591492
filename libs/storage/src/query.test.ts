import { describe, expect, it } from 'vitest';
import { normalizeQuery, PROPERTY_SPEC, QueryError, sortedResult, STAT_SPEC } from './query.ts';

const base = { date: '20240101', indexs: ['succ_count'], groupby: ['f_tflag'] };

describe('normalizeQuery', () => {
  it('defaults the tflag range to the whole day and maps op numbers to names', () => {
    const q = normalizeQuery(STAT_SPEC, { ...base, tflag1: '', conditions: [{ field: 'slave_name', op: 5, val: 'A.B' }, { field: 'slave_port', op: 'gte' as never, val: '10' }] });
    expect(q.tflag1).toBe('0000');
    expect(q.tflag2).toBe('2360');
    expect(q.conditions).toEqual([
      { field: 'slave_name', type: 'string', op: 'LIKE', val: 'A.B' },
      { field: 'slave_port', type: 'int', op: 'GTE', val: '10' },
    ]);
  });

  it('turns LIKE on a numeric or time field into equality, and refuses wildcards there', () => {
    expect(normalizeQuery(STAT_SPEC, { ...base, conditions: [{ field: 'f_tflag', op: 5, val: '1005' }] }).conditions[0]!.op).toBe('EQ');
    expect(() => normalizeQuery(STAT_SPEC, { ...base, conditions: [{ field: 'slave_port', op: 5, val: '10%' }] })).toThrow(/wildcards/);
  });

  it('refuses bad values with a message naming the part', () => {
    const bad: [object, RegExp][] = [
      [{ date: '20240132' }, /query date/],
      [{ tflag1: '9999' }, /tflag1/],
      [{ indexs: [] }, /indexs must be a non-empty array/],
      [{ groupby: ['f_tflag', 'f_tflag'] }, /given twice/],
      [{ conditions: [{ field: 'slave_name', op: 9, val: 'x' }] }, /unknown condition op/],
      [{ conditions: [{ field: 'slave_port', op: 0, val: '1; drop' }] }, /needs an integer/],
      [{ conditions: [{ field: 'slave_name', op: 0, val: 5 }] }, /val must be a string/],
    ];
    for (const [over, message] of bad) expect(() => normalizeQuery(STAT_SPEC, { ...base, ...over } as never)).toThrow(message);
    expect(() => normalizeQuery(PROPERTY_SPEC, { ...base, indexs: ['value'], groupby: ['slave_name'] })).toThrow(QueryError);
  });
});

describe('sortedResult', () => {
  it('orders keys by group values, numbers numerically', () => {
    const r = sortedResult([
      [['b', '10'], [1]],
      [['a', '9'], [2]],
      [['b', '9'], [3]],
      [['a', '-1'], [4]],
    ]);
    expect([...r.keys()]).toEqual(['a,-1', 'a,9', 'b,9', 'b,10']);
  });
});
