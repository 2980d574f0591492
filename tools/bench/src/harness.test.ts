import { describe, expect, it } from 'vitest';
import { compare, measure, median } from './measure.ts';
import { jsonLine, table } from './report.ts';
import { runSuite } from './run.ts';
import { suites } from './suites.ts';
import type { BenchOptions, BenchRow, BenchSuite } from './types.ts';

const quick: BenchOptions = { rounds: 3, roundMs: 5, warmupMs: 5 };

// Busy work whose cost grows with n, so relative speeds are predictable.
function work(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x * 31 + i) | 0;
  return x;
}

describe('measure', () => {
  it('reports positive ops/s and a cheaper operation as faster', () => {
    const { ours, peer } = compare(() => work(100), () => work(20000), quick);
    expect(ours.rounds).toHaveLength(3);
    expect(ours.opsPerSec).toBeGreaterThan(peer.opsPerSec);
    expect(ours.usPerOp).toBeCloseTo(1e6 / ours.opsPerSec);
    expect(measure(() => work(10), quick, 'wall').opsPerSec).toBeGreaterThan(0);
  });

  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe('report', () => {
  const row: BenchRow = { name: 'decode x', ours: 12345.6, peer: 400, unit: 'ops/s', ratio: 30.86, target: 'ratio >= 30', pass: true };

  it('prints one JSON object per row with the agreed fields', () => {
    const o = JSON.parse(jsonLine('codec', row));
    expect(o).toMatchObject({ suite: 'codec', name: 'decode x', ours: 12345.6, peer: 400, unit: 'ops/s', ratio: 30.86, pass: true });
  });

  it('prints a table with a header and one line per row, marking missed targets', () => {
    const t = table([row, { ...row, name: 'other', pass: false, peer: null, ratio: null }]).split('\n');
    expect(t).toHaveLength(4);
    expect(t[2]).toMatch(/^decode x\s+12,346\s+400\.0\s+ops\/s\s+30\.9x\s+ratio >= 30 ok$/);
    expect(t[3]).toMatch(/MISSED$/);
  });
});

describe('runSuite', () => {
  it('runs setup, the filtered scenarios in order, then teardown, even when a scenario fails', async () => {
    const log: string[] = [];
    const mk = (name: string): BenchRow => ({ name, ours: 1, peer: 1, unit: 'x', ratio: 1 });
    const suite: BenchSuite = {
      name: 't',
      description: 'test',
      setup: () => void log.push('setup'),
      teardown: () => void log.push('teardown'),
      scenarios: [
        { name: 'a-one', run: () => [mk('a1'), mk('a2')] },
        { name: 'b-two', run: async () => [mk('b')] },
        { name: 'a-three', run: () => { throw new Error('boom'); } },
      ],
    };
    const seen: string[] = [];
    await expect(runSuite(suite, quick, (r) => seen.push(r.name), 'a-')).rejects.toThrow('boom');
    expect(seen).toEqual(['a1', 'a2']);
    expect(log).toEqual(['setup', 'teardown']);
  });

  it('the registry has the codec suite', () => {
    expect(Object.keys(suites)).toContain('codec');
  });
});
