import { createRequire } from 'node:module';
import { TarsDecodeError, TarsReader, TarsWriter } from '@tars-ts/codec';
import { StatF } from '@tars-ts/interfaces';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BODY_WIDTH, decodeHead, hashBytes, readStatBatch, StatFBatchDescriptor, type StatBatch } from './stat-batch.ts';
import { batchOf, cppBody, head } from './testing/stat-fixtures.ts';

const require = createRequire(import.meta.url);
const msgParam = StatF.StatFDescriptor.methods.reportMicMsg.params[0];

function readerAtMap(bytes: Buffer): TarsReader {
  const r = new TarsReader(bytes);
  r.nextField();
  return r;
}

const arbHead = fc.record({
  masterName: fc.string({ maxLength: 20 }), slaveName: fc.string({ maxLength: 20 }), interfaceName: fc.string({ maxLength: 20 }),
  masterIp: fc.string({ maxLength: 15 }), slaveIp: fc.string({ maxLength: 15 }), slavePort: fc.integer({ min: -1, max: 65535 }),
  returnValue: fc.integer(), slaveSetName: fc.string({ maxLength: 5 }), slaveSetArea: fc.string({ maxLength: 5 }),
  slaveSetID: fc.string({ maxLength: 5 }), tarsVersion: fc.string({ maxLength: 8 }),
});
const arbBody = fc.record({
  count: fc.integer(), timeoutCount: fc.integer(), execCount: fc.integer(),
  intervalCount: fc.array(fc.tuple(fc.integer(), fc.integer()), { maxLength: 12 }).map((kv) => new Map(kv)),
  totalRspTime: fc.bigInt({ min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n }), maxRspTime: fc.integer(), minRspTime: fc.integer(),
});

describe('readStatBatch (reportMicMsg map as flat arrays)', () => {
  it('reads what the generated decoder reads, for any map', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbHead, arbBody), { maxLength: 20 }), (entries) => {
        const w = new TarsWriter();
        msgParam.write(w, 1, new Map(entries));
        const bytes = w.toBuffer();
        const expected = [...(msgParam.read(readerAtMap(bytes)) as Map<StatF.StatMicMsgHead, StatF.StatMicMsgBody>)];
        const b = readStatBatch(readerAtMap(bytes));
        expect(b.size).toBe(expected.length);
        expected.forEach(([h, body], i) => {
          expect(decodeHead(b, i)).toEqual(h);
          expect(b.bodies.slice(i * BODY_WIDTH, (i + 1) * BODY_WIDTH)).toEqual([
            body.count, body.timeoutCount, body.execCount, Number(body.totalRspTime), body.maxRspTime, body.minRspTime,
          ]);
          const pairs = b.buckets.slice(b.bucketStart[i], b.bucketStart[i + 1]);
          expect(pairs).toEqual([...body.intervalCount].flat());
        });
      }),
      { numRuns: 200 },
    );
  });

  const headBytes = (b: StatBatch, i: number) => b.buf.subarray(b.headStart[i], b.headEnd[i]);

  it('locates each head: equal heads have equal bytes and hashes, different heads differ', () => {
    const b = batchOf([
      [head({ interfaceName: 'a' }), cppBody([1])],
      [head({ interfaceName: 'b' }), cppBody([1])],
      [head({ interfaceName: 'a' }), cppBody([2])],
    ]);
    expect(headBytes(b, 0).equals(headBytes(b, 2))).toBe(true);
    expect(headBytes(b, 0).equals(headBytes(b, 1))).toBe(false);
    expect(b.headHash[0]).toBe(b.headHash[2]);
    expect(b.headHash[0]).not.toBe(b.headHash[1]);
    expect(b.headHash[1]).toBe(hashBytes(b.buf, b.headStart[1], b.headEnd[1]));
  });

  it('reads @tars/monitor frames (extra head fields skipped, totalRspTime as any int width)', () => {
    const TarsStream = require('@tars/stream');
    const mod = require('@tars/monitor/stat/StatFProxy.js').tars;
    const map = new TarsStream.Map(mod.StatMicMsgHead, mod.StatMicMsgBody);
    const h = new mod.StatMicMsgHead();
    Object.assign(h, { masterName: 'Node.Client', slaveName: 'App.Server', interfaceName: 'call', slavePort: 80, returnValue: -3 });
    const body = new mod.StatMicMsgBody();
    Object.assign(body, { count: 10, timeoutCount: 1, execCount: 2, totalRspTime: 5_000_000_000, maxRspTime: 900, minRspTime: 0 });
    body.intervalCount.insert(100, 4);
    body.intervalCount.insert(5, 6);
    map.insert(h, body);
    const os = new TarsStream.TarsOutputStream();
    os.writeMap(1, map);
    const b = readStatBatch(readerAtMap(Buffer.from(os.getBinBuffer().toNodeBuffer())));
    expect(decodeHead(b, 0)).toMatchObject({ masterName: 'Node.Client', slaveName: 'App.Server', interfaceName: 'call', slavePort: 80, returnValue: -3 });
    expect(b.bodies).toEqual([10, 1, 2, 5_000_000_000, 900, 0]);
    const pairs = b.buckets.slice(b.bucketStart[0], b.bucketStart[1]);
    expect(new Map([[pairs[0], pairs[1]], [pairs[2], pairs[3]]])).toEqual(new Map([[5, 6], [100, 4]]));
  });

  it('rejects a body without a required field, naming it', () => {
    const w = new TarsWriter();
    w.writeMapBegin(1, 1);
    StatF.StatMicMsgHead.write(w, 0, head({}));
    w.writeStructBegin(1);
    w.writeInt32(0, 1); // count only
    w.writeStructEnd();
    expect(() => readStatBatch(readerAtMap(w.toBuffer()))).toThrow(/required field timeoutCount is missing \(entry 0\)/);
  });

  it('rejects a key that is not a struct and truncated input with TarsDecodeError', () => {
    const w = new TarsWriter();
    w.writeMapBegin(1, 1);
    w.writeString(0, 'not a head');
    w.writeInt32(1, 1);
    expect(() => readStatBatch(readerAtMap(w.toBuffer()))).toThrow(TarsDecodeError);
    const full = new TarsWriter();
    msgParam.write(full, 1, new Map([[head({}), cppBody([3, 4])]]));
    const bytes = full.toBuffer();
    expect(() => readStatBatch(readerAtMap(bytes.subarray(0, bytes.length - 3)))).toThrow(TarsDecodeError);
  });

  it('keeps the generated codecs for bFromClient and reportSampleMsg', () => {
    expect(StatFBatchDescriptor.name).toBe('tars.StatF');
    expect(StatFBatchDescriptor.methods.reportMicMsg.params.map((p) => [p.name, p.tag])).toEqual([['msg', 1], ['bFromClient', 2]]);
    expect(StatFBatchDescriptor.methods.reportSampleMsg).toBe(StatF.StatFDescriptor.methods.reportSampleMsg);
    expect((StatFBatchDescriptor.methods.reportMicMsg.params[0].empty() as { size: number }).size).toBe(0);
  });
});
