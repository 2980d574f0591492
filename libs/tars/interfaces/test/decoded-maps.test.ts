// Decoded map<K,V> values are ArrayMaps (ADR 0011) with Map's semantics: a repeated primitive
// key keeps its last value, once, like Map#set; struct keys are kept one per entry.
import { ArrayMap, TarsReader, TarsWriter } from '@tars-ts/codec';
import { describe, expect, it } from 'vitest';
import { StatF } from '../src/index.ts';

function bodyWithIntervals(pairs: Array<[number, number]>): Buffer {
  const w = new TarsWriter();
  w.writeInt32(0, 1);
  w.writeInt32(1, 0);
  w.writeInt32(2, 0);
  w.writeMapBegin(3, pairs.length);
  for (const [k, v] of pairs) {
    w.writeInt32(0, k);
    w.writeInt32(1, v);
  }
  w.writeInt64(4, 7n);
  w.writeInt32(5, 9);
  w.writeInt32(6, 1);
  return w.toBuffer();
}

describe('decoded maps', () => {
  it('are ArrayMaps usable as Maps', () => {
    const body = StatF.StatMicMsgBody.decode(bodyWithIntervals([[5, 1], [10, 2], [50, 3]]));
    expect(body.intervalCount).toBeInstanceOf(ArrayMap);
    expect(body.intervalCount.get(10)).toBe(2);
    expect([...body.intervalCount.keys()]).toEqual([5, 10, 50]);
    body.intervalCount.set(100, 4); // decoded values stay mutable, as Maps are
    expect(StatF.StatMicMsgBody.decode(StatF.StatMicMsgBody.encode(body)).intervalCount).toEqual(new Map([[5, 1], [10, 2], [50, 3], [100, 4]]));
  });

  it('keep one entry per repeated primitive key, with the last value (as Map#set)', () => {
    const pairs: Array<[number, number]> = [[5, 1], [10, 2], [5, 3]];
    for (let i = 0; i < 30; i++) pairs.push([1000 + (i % 20), i]); // past the linear-scan size too
    const m = StatF.StatMicMsgBody.decode(bodyWithIntervals(pairs)).intervalCount;
    expect(m).toEqual(new Map(pairs));
    expect(m.size).toBe(new Map(pairs).size);
  });

  it('keep every struct key, equal fields or not (Map compares objects by identity)', () => {
    const head = StatF.StatMicMsgHead.create({ masterName: 'A', slaveName: 'B', interfaceName: 'f', masterIp: '1', slaveIp: '2' });
    const body = StatF.StatMicMsgBody.create({ count: 1 });
    const msg = new Map([[head, body], [{ ...head }, { ...body, count: 2 }]]);
    const [param] = StatF.StatFDescriptor.methods.reportMicMsg.params;
    const w = new TarsWriter();
    param.write(w, 0, msg);
    const r = new TarsReader(w.toBuffer());
    r.nextField();
    const decoded = param.read(r) as Map<StatF.StatMicMsgHead, StatF.StatMicMsgBody>;
    expect(decoded.size).toBe(2);
    expect([...decoded.values()].map((b) => b.count)).toEqual([1, 2]);
  });
});
