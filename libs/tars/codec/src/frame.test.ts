import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, TarsFrameError } from './index.ts';

const packet = (n: number, fill: number) => Buffer.alloc(n, fill);

function collect(d: FrameDecoder, chunks: Uint8Array[]): string[] {
  const out: string[] = [];
  for (const c of chunks) d.push(c, (p) => out.push(p.toString('hex')));
  return out;
}

describe('FrameDecoder', () => {
  it('delivers coalesced frames from one chunk without copying', () => {
    const a = packet(3, 1);
    const b = packet(10, 2);
    const chunk = Buffer.concat([encodeFrame(a), encodeFrame(b)]);
    const got: Buffer[] = [];
    new FrameDecoder().push(chunk, (p) => got.push(p));
    expect(got.map((p) => p.toString('hex'))).toEqual([a.toString('hex'), b.toString('hex')]);
    expect(got[0].buffer).toBe(chunk.buffer);
  });

  it('reassembles frames split anywhere, including inside the length prefix', () => {
    const packets = [packet(1, 1), packet(300, 2), packet(5, 3), packet(70000, 4)];
    const stream = Buffer.concat(packets.map(encodeFrame));
    const want = packets.map((p) => p.toString('hex'));
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 12 }), (cuts) => {
        const at = [0, ...cuts.sort((x, y) => x - y), stream.length];
        const chunks = at.slice(1).map((end, i) => stream.subarray(at[i], end));
        const d = new FrameDecoder();
        expect(collect(d, chunks)).toEqual(want);
        expect(d.bufferedBytes).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('byte-by-byte delivery works and keeps only the partial tail', () => {
    const stream = Buffer.concat([encodeFrame(packet(20, 9)), encodeFrame(packet(2, 8)).subarray(0, 3)]);
    const d = new FrameDecoder();
    const got = collect(d, [...stream].map((b) => Buffer.from([b])));
    expect(got).toEqual([packet(20, 9).toString('hex')]);
    expect(d.bufferedBytes).toBe(3);
  });

  it('rejects a length < 5 or > maxPacketSize with TarsFrameError, after delivering earlier frames', () => {
    const d = new FrameDecoder({ maxPacketSize: 100 });
    const got: string[] = [];
    const bad = Buffer.concat([encodeFrame(packet(2, 1)), Buffer.from('00000004', 'hex')]);
    expect(() => d.push(bad, (p) => got.push(p.toString('hex')))).toThrow(/shorter than the 5-byte minimum/);
    expect(got).toEqual(['0101']);
    expect(() => d.push(encodeFrame(packet(1, 1)), () => {})).toThrow(TarsFrameError);
    d.reset();
    expect(collect(d, [encodeFrame(packet(1, 7))])).toEqual(['07']);
    expect(() => d.push(Buffer.from('00000065', 'hex'), () => {})).toThrow(/101 exceeds maxPacketSize 100/);
  });

  it('rejects an oversized length as soon as the prefix is complete, even split across chunks', () => {
    const d = new FrameDecoder({ maxPacketSize: 1000 });
    d.push(Buffer.from('7f', 'hex'), () => {});
    d.push(Buffer.from('ff', 'hex'), () => {});
    expect(() => d.push(Buffer.from('ffff', 'hex'), () => {})).toThrow(/exceeds maxPacketSize 1000/);
    expect(d.bufferedBytes).toBe(0);
  });

  it('keeps the bytes after a packet whose handler threw', () => {
    const d = new FrameDecoder();
    const stream = Buffer.concat([encodeFrame(packet(1, 1)), encodeFrame(packet(1, 2)), encodeFrame(packet(3, 3)).subarray(0, 5)]);
    expect(() => d.push(stream, (p) => { if (p[0] === 1) throw new Error('handler'); })).toThrow('handler');
    const got = collect(d, [Buffer.alloc(0), encodeFrame(packet(3, 3)).subarray(5)]);
    expect(got).toEqual(['02', '030303']);
  });

  it('stops delivering when a handler resets the decoder (connection closed on bad input)', () => {
    const d = new FrameDecoder();
    const stream = Buffer.concat([...[1, 2, 3].map((b) => encodeFrame(packet(1, b))), encodeFrame(packet(9, 4)).subarray(0, 6)]);
    const got: number[] = [];
    d.push(stream, (p) => {
      got.push(p[0]);
      if (p[0] === 2) d.reset();
    });
    expect(got).toEqual([1, 2]);
    expect(d.bufferedBytes).toBe(0);
    expect(collect(d, [encodeFrame(packet(1, 7))])).toEqual(['07']);
  });

  it('assembles a frame spread over many chunks with one final copy (linear, not quadratic)', () => {
    const big = Buffer.alloc(4 * 1024 * 1024, 5);
    const stream = encodeFrame(big);
    const d = new FrameDecoder();
    let got: Buffer | undefined;
    for (let i = 0; i < stream.length; i += 1024) d.push(stream.subarray(i, i + 1024), (p) => (got = p));
    expect(got?.equals(big)).toBe(true);
  });

  it('validates its option', () => {
    expect(() => new FrameDecoder({ maxPacketSize: 4 })).toThrow(RangeError);
    expect(new FrameDecoder().maxPacketSize).toBe(100 * 1024 * 1024);
  });
});
