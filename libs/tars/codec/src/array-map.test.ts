import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrayMap, isMap } from './array-map.ts';

const objA = { a: 1 };
const objB = { a: 1 }; // equal fields, another identity: a different key, as in Map
// Keys where Map's SameValueZero differs from ===, or from deep equality.
const KEYS: unknown[] = [0, -0, 1, NaN, '1', 1n, 2n ** 64n, objA, objB, '', undefined, null, true];

type Op = { op: 'set'; k: number; v: number } | { op: 'delete' | 'get' | 'has'; k: number } | { op: 'clear' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('set' as const), k: fc.nat(40), v: fc.integer() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('delete' as const, 'get' as const, 'has' as const), k: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('clear' as const) }) },
);

// Key number k: one of KEYS for small k (the tricky ones), else a number or string, so maps
// grow past the linear-scan limit and switch to the index.
const keyOf = (k: number): unknown => (k < KEYS.length ? KEYS[k] : k % 2 ? k : `k${k}`);

describe('ArrayMap', () => {
  it('behaves like Map for any sequence of set/get/has/delete/clear (incl. NaN, ±0, objects, bigint)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        const want = new Map<unknown, number>();
        const got = new ArrayMap<unknown, number>();
        for (const o of ops) {
          if (o.op === 'clear') {
            want.clear();
            got.clear();
            continue;
          }
          const k = keyOf(o.k);
          if (o.op === 'set') {
            expect(got.set(k, o.v)).toBe(got);
            want.set(k, o.v);
          } else {
            expect(got[o.op](k)).toStrictEqual(want[o.op](k));
          }
          expect(got.size).toBe(want.size);
        }
        expect([...got.keys()]).toStrictEqual([...want.keys()]);
        expect([...got.values()]).toStrictEqual([...want.values()]);
        expect([...got]).toStrictEqual([...want]);
        expect([...got.entries()]).toStrictEqual([...want.entries()]);
        const seen: unknown[] = [];
        got.forEach(function (this: unknown, v, k, m) {
          expect(m).toBe(got);
          expect(this).toBe(seen);
          seen.push(k, v);
        }, seen);
        expect(seen).toStrictEqual([...want].flat());
      }),
      { numRuns: 300 },
    );
  });

  it('looks keys up through an index once it holds more than 16, and keeps it current', () => {
    const m = new ArrayMap<number, string>();
    for (let i = 0; i < 40; i++) m.set(i, `v${i}`);
    expect(m.get(39)).toBe('v39');
    m.set(40, 'v40'); // after the index exists
    m.append(41, 'v41');
    expect(m.get(40)).toBe('v40');
    expect(m.get(41)).toBe('v41');
    expect(m.delete(3)).toBe(true);
    expect(m.has(3)).toBe(false);
    expect(m.get(4)).toBe('v4'); // positions moved after the delete
    expect(m.size).toBe(41);
  });

  it('iterates like a Map while entries are deleted and added during the loop (small and indexed maps)', () => {
    for (const n of [8, 40]) {
      const entries = Array.from({ length: n }, (_, i) => [i, `v${i}`] as [number, string]);
      const run = (m: Map<number, string>) => {
        m.get(0); // builds the index of the large one
        const seen: unknown[] = [];
        for (const [k, v] of m) {
          seen.push(k, v);
          if (k % 3 === 0) m.delete(k + 1); // not visited yet: must be skipped
          if (k % 4 === 0) m.delete(k - 1); // visited already: the loop must not lose its place
          if (k === 5) m.set(1000, 'late'); // added: must be visited
        }
        return [seen, [...m]];
      };
      expect(run(new ArrayMap(entries))).toStrictEqual(run(new Map(entries)));
    }
  });

  it('deletes from a large map in O(1) each, compacting once half are holes, in order', () => {
    const m = new ArrayMap<string, number>();
    for (let i = 0; i < 20_000; i++) m.set(`k${i}`, i);
    for (let i = 0; i < 20_000; i++) {
      if (i % 100 === 0) continue;
      expect(m.delete(`k${i}`)).toBe(true);
      if (i % 997 === 0) expect(m.get(`k${i + 1}`)).toBe(i + 1); // lookups between the deletes
    }
    expect(m.size).toBe(200);
    expect([...m.keys()].slice(0, 3)).toEqual(['k0', 'k100', 'k200']);
    expect(m.get('k19900')).toBe(19900);
    expect((m as unknown as { ks: unknown[] }).ks.length).toBeLessThan(400); // compacted
  });

  it('append adds without looking for an equal key (decoders use it for struct keys only)', () => {
    const m = new ArrayMap<object, number>();
    m.append(objA, 1);
    m.append(objB, 2);
    expect(m.size).toBe(2);
    expect(m.get(objB)).toBe(2);
  });

  it('is accepted where a Map is and prints like one', () => {
    const m = new ArrayMap<number, string>([[1, 'a'], [2, 'b']]);
    const asMap: Map<number, string> = m;
    expect(new Map(asMap)).toStrictEqual(new Map([[1, 'a'], [2, 'b']]));
    expect(isMap(m) && isMap(new Map()) && !isMap({})).toBe(true);
    expect(inspect(m)).toBe("ArrayMap(2) { 1 => 'a', 2 => 'b' }");
    expect(Object.prototype.toString.call(m)).toBe('[object ArrayMap]');
  });

  it('equals a Map with the same entries in tests (vitest.setup.ts), and only then', () => {
    expect(new ArrayMap([[1, 'a']])).toEqual(new Map([[1, 'a']]));
    expect(new Map([[1, 'a']])).toEqual(new ArrayMap([[1, 'a']]));
    expect(new ArrayMap([[1, 'a']])).not.toEqual(new Map([[1, 'b']]));
    expect(new ArrayMap([[1, 'a']])).not.toEqual({ 1: 'a' });
  });
});

describe('ArrayMap.fromArrays', () => {
  it('keeps what a sequence of Map#set leaves, for any keys, sorted or not', () => {
    const key = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(-0, NaN, 0.5), fc.constantFrom('10', '9', 'a', ''), fc.bigInt({ min: -2n, max: 2n }));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.integer()), { maxLength: 40 }), fc.boolean(), (entries, sortFirst) => {
        if (sortFirst) entries.sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
        const m = ArrayMap.fromArrays(entries.map((e) => e[0]), entries.map((e) => e[1]), false);
        expect([...m]).toStrictEqual([...new Map(entries)]);
      }),
      { numRuns: 500 },
    );
  });

  it('sees a repeat in keys that look ascending only across types (no trust in mixed order)', () => {
    // '10' < '9' (as strings), '9' < 9.5 and 9.5 < '10' (as numbers): a cycle, with '10' twice
    const m = ArrayMap.fromArrays<unknown, number>(['10', '9', 9.5, '10'], [1, 2, 3, 4], false);
    expect([...m]).toStrictEqual([...new Map<unknown, number>([['10', 1], ['9', 2], [9.5, 3], ['10', 4]])]);
  });
});
