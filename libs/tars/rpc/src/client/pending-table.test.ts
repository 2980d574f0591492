import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PendingTable } from './pending-table.ts';

describe('PendingTable', () => {
  it('finds entries by id, including ids that collide on a slot, and grows', () => {
    const t = new PendingTable<string>(16);
    t.set(1, 'a');
    t.set(17, 'b'); // same slot as 1 in a 16-slot table
    t.set(33, 'c');
    expect(t.size).toBe(3);
    expect(t.take(17)).toBe('b');
    expect(t.take(17)).toBeUndefined();
    expect(t.take(2)).toBeUndefined();
    for (let id = 100; id < 200; id++) t.set(id, `v${id}`); // forces growth
    expect(t.size).toBe(102);
    expect(t.take(1)).toBe('a');
    expect(t.take(33)).toBe('c');
    expect(t.take(150)).toBe('v150');
    expect(t.size).toBe(99);
  });

  it('sweeps and drains', () => {
    const t = new PendingTable<number>(16);
    for (let id = 1; id <= 40; id++) t.set(id, id);
    t.sweep((v) => v % 2 === 0);
    expect(t.size).toBe(20);
    expect(t.take(4)).toBeUndefined();
    expect(t.take(5)).toBe(5);
    expect(t.drain().sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i + 1).filter((v) => v !== 5));
    expect(t.size).toBe(0);
  });

  it('behaves like a Map under random set/take sequences', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 2000 })), { maxLength: 400 }), (ops) => {
        const t = new PendingTable<number>(16);
        const m = new Map<number, number>();
        for (const [isSet, id] of ops) {
          if (isSet) {
            if (m.has(id)) continue; // ids are unique while pending
            t.set(id, id * 3);
            m.set(id, id * 3);
          } else {
            const want = m.get(id);
            m.delete(id);
            if (t.take(id) !== want) return false;
          }
          if (t.size !== m.size) return false;
        }
        return t.drain().sort((a, b) => a - b).join() === [...m.values()].sort((a, b) => a - b).join();
      }),
      { numRuns: 200 },
    );
  });
});
