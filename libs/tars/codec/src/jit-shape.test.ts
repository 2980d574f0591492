// Optimized decoders must survive a full GC that finds no reader alive (a stat server between
// two report bursts): reader.ts and array-map.ts keep one instance each so that V8 keeps the
// hidden classes the optimized code depends on. Observed in a child process with V8's deopt trace.
import { describe, expect, it } from 'vitest';
import { ArrayMap } from './array-map.ts';
import { TarsReader } from './reader.ts';
import { codeDroppedAfter } from './testing/index.ts';

const script = `
const { ArrayMap, TarsReader, TarsWriter } = await import(${JSON.stringify(new URL('./index.ts', import.meta.url).href)});
const { StatMicMsgHead, StatMicMsgBody, sampleStatEntries } = await import(${JSON.stringify(new URL('./testing/index.ts', import.meta.url).href)});
const w = new TarsWriter();
const entries = sampleStatEntries(20);
w.writeMapBegin(0, entries.size);
for (const [h, b] of entries) { StatMicMsgHead.write(w, 0, h); StatMicMsgBody.write(w, 1, b); }
const frame = w.toBuffer();
function decode() {
  const r = new TarsReader(frame);
  r.nextField();
  const n = r.readMapSize();
  let sum = 0;
  for (let i = 0; i < n; i++) {
    r.nextField(); sum += StatMicMsgHead.read(r).slavePort;
    r.nextField();
    const body = StatMicMsgBody.read(r);
    // what generated readers build for a decoded map
    sum += ArrayMap.fromArrays([...body.intervalCount.keys()], [...body.intervalCount.values()], false).get(5) ?? 0;
  }
  return sum;
}
let sink = 0;
for (let i = 0; i < 20000; i++) sink += decode();
console.log('--- full GC with no reader alive ---');
globalThis.gc();
for (let i = 0; i < 100; i++) sink += decode();
console.log('--- done', sink > 0);
if (!(sink > 0)) process.exit(1);
`;

describe('optimized decoders and full GCs', () => {
  it('are not thrown away when a full GC finds no reader or decoded map alive', () => {
    const dropped = codeDroppedAfter(script, '--- full GC with no reader alive ---');
    const ours = new Set(['TarsReader', 'ArrayMap', 'decode', 'read', 'readFields', ...Object.getOwnPropertyNames(TarsReader.prototype), ...Object.getOwnPropertyNames(ArrayMap), ...Object.getOwnPropertyNames(ArrayMap.prototype)]);
    expect(dropped.filter((name) => ours.has(name))).toEqual([]);
  });
});
