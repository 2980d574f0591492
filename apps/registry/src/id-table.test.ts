import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdTable } from './id-table.ts';

describe('IdTable', () => {
  it('agrees with a Map for any sequence of set/delete, looked up by string and by bytes', () => {
    // few distinct ids (so sequences revisit them), incl. non-ASCII and the empty id
    const id = fc.oneof(fc.constantFrom('', 'A.B.C', 'A.B.c', 'é.ü.ß', 'App1.Server1.MainObj'), fc.nat(300).map((i) => `App${i % 7}.Server${i}.Obj`));
    const op = fc.oneof(fc.tuple(fc.constant('set' as const), id, fc.integer()), fc.tuple(fc.constant('delete' as const), id, fc.constant(0)));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const table = new IdTable<number>();
        const want = new Map<string, number>();
        for (const [kind, k, v] of ops) {
          if (kind === 'set') {
            table.set(k, v);
            want.set(k, v);
          } else {
            expect(table.delete(k)).toBe(want.delete(k));
          }
          expect(table.size).toBe(want.size);
        }
        for (const k of new Set(ops.map((o) => o[1]))) {
          expect(table.get(k)).toBe(want.get(k));
          // the bytes inside a larger buffer, as they sit in a request
          const b = Buffer.concat([Buffer.from('xx'), Buffer.from(k), Buffer.from('yy')]);
          expect(table.getBytes(b, 2, b.length - 2)).toBe(want.get(k));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('stays small while the same ids are deleted and set again (watch updates)', () => {
    const table = new IdTable<number>();
    for (let round = 0; round < 2000; round++) {
      for (let i = 0; i < 50; i++) table.delete(`App.Server${i}.Obj`);
      for (let i = 0; i < 50; i++) table.set(`App.Server${i}.Obj`, round);
    }
    expect(table.size).toBe(50);
    expect(table.get('App.Server7.Obj')).toBe(1999);
    // 50 keys of ~16 bytes: the arena and the slots were rebuilt, not grown per update
    const internals = table as unknown as { arena: Uint8Array; slots: Int32Array };
    expect(internals.arena.length).toBeLessThanOrEqual(8192);
    expect(internals.slots.length).toBeLessThanOrEqual(4 * 256); // 4 ints a slot, at most a quarter used after a rebuild
  });

  it('holds 20,000 ids and finds each', () => {
    const table = new IdTable<number>();
    for (let i = 0; i < 20_000; i++) table.set(`App${i % 100}.Server${i}.MainObj`, i);
    for (let i = 0; i < 20_000; i += 97) expect(table.get(`App${i % 100}.Server${i}.MainObj`)).toBe(i);
    expect(table.get('App1.Server2.MainObj')).toBeUndefined();
  });
});
