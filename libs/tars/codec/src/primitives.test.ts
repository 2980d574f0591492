import { describe, expect, it } from 'vitest';
import { TarsReader, TarsType as T, TarsWriter } from './index.ts';

const hexOf = (f: (w: TarsWriter) => void) => {
  const w = new TarsWriter(16);
  f(w);
  return w.view().toString('hex');
};

// Reads one field written at the given tag and returns [type, reader] positioned at its value.
function one(f: (w: TarsWriter) => void): TarsReader {
  const w = new TarsWriter(16);
  f(w);
  const r = new TarsReader(w.toBuffer());
  expect(r.nextField()).toBe(true);
  return r;
}

describe('heads', () => {
  it('packs tags < 15 into one byte and tags 15..255 into two', () => {
    expect(hexOf((w) => w.writeInt32(14, 1))).toBe('e001');
    expect(hexOf((w) => w.writeInt32(15, 1))).toBe('f00f01');
    expect(hexOf((w) => w.writeInt32(255, 1))).toBe('f0ff01');
    for (const tag of [0, 14, 15, 16, 200, 255]) {
      const r = one((w) => w.writeString(tag, 'x'));
      expect([r.tag, r.type, r.readString()]).toEqual([tag, T.STRING1, 'x']);
    }
  });

  it('rejects tags outside 0..255 and non-integer tags', () => {
    const w = new TarsWriter();
    expect(() => w.writeInt32(256, 1)).toThrow(RangeError);
    expect(() => w.writeInt32(-1, 1)).toThrow(RangeError);
    expect(() => w.writeString(1.5, 'a')).toThrow(RangeError);
    expect(w.length).toBe(0);
  });
});

describe('integers take the narrowest type', () => {
  const cases: Array<[number, string]> = [
    [0, '0c'],
    [1, '0001'],
    [-1, '00ff'],
    [127, '007f'],
    [128, '010080'],
    [-128, '0080'],
    [-129, '01ff7f'],
    [32767, '017fff'],
    [32768, '0200008000'],
    [-32768, '018000'],
    [-32769, '02ffff7fff'],
    [2147483647, '027fffffff'],
    [-2147483648, '0280000000'],
  ];
  it.each(cases)('int %d -> %s and back', (v, hex) => {
    expect(hexOf((w) => w.writeInt32(0, v))).toBe(hex);
    expect(one((w) => w.writeInt32(0, v)).readInt32()).toBe(v);
    expect(one((w) => w.writeInt32(0, v)).readInt64()).toBe(BigInt(v));
  });

  it('unsigned int >= 2^31 goes out as INT64 and reads back', () => {
    expect(hexOf((w) => w.writeUInt32(0, 2 ** 31))).toBe('030000000080000000');
    expect(one((w) => w.writeUInt32(0, 4294967295)).readUInt32()).toBe(4294967295);
    expect(() => new TarsWriter().writeUInt32(0, -1)).toThrow(RangeError);
    expect(() => new TarsWriter().writeUInt32(0, 2 ** 32)).toThrow(RangeError);
  });

  it('long keeps all 64 bits (bigint), incl. 2^53+1 and the extremes', () => {
    // around 2^32 and 2^53, where the reader switches between its number and bigint paths
    const edges = [2n ** 32n, -(2n ** 32n), 2n ** 32n + 5n, 2n ** 53n - 1n, -(2n ** 53n) + 1n, 2n ** 53n, -(2n ** 53n), 123456789012345n, -123456789012345n];
    for (const v of [2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 31n, -(2n ** 31n) - 1n, ...edges]) {
      const r = one((w) => w.writeInt64(3, v));
      expect(r.type).toBe(T.INT64);
      expect(r.readInt64()).toBe(v);
    }
    expect(hexOf((w) => w.writeInt64(0, 5n))).toBe('0005');
    expect(hexOf((w) => w.writeInt64(0, 2 ** 40))).toBe('030000010000000000');
    expect(() => new TarsWriter().writeInt64(0, 2n ** 63n)).toThrow(RangeError);
    expect(() => new TarsWriter().writeInt64(0, 2 ** 53)).toThrow(RangeError);
  });

  it('rejects values outside the declared type instead of truncating', () => {
    const w = new TarsWriter();
    expect(() => w.writeInt8(0, 128)).toThrow(RangeError);
    expect(() => w.writeInt16(0, 32768)).toThrow(RangeError);
    expect(() => w.writeInt32(0, 2 ** 31)).toThrow(RangeError);
    expect(() => w.writeInt32(0, 1.5)).toThrow(RangeError);
    expect(() => w.writeInt32(0, Number.NaN)).toThrow(RangeError);
    expect(w.length).toBe(0);
  });

  it('bool is INT8 1 / ZERO_TAG', () => {
    expect(hexOf((w) => w.writeBool(1, true))).toBe('1001');
    expect(hexOf((w) => w.writeBool(1, false))).toBe('1c');
    expect(one((w) => w.writeBool(1, true)).readBool()).toBe(true);
    expect(one((w) => w.writeBool(1, false)).readBool()).toBe(false);
  });

  it('readers accept any narrower integer type and ZERO_TAG, and refuse wider ones', () => {
    expect(one((w) => w.writeInt8(0, -5)).readInt16()).toBe(-5);
    expect(one((w) => w.writeInt16(0, -300)).readInt32()).toBe(-300);
    expect(one((w) => w.writeInt32(0, 0)).readInt8()).toBe(0);
    expect(() => one((w) => w.writeInt16(0, 300)).readInt8()).toThrow(/wrong type/);
    expect(() => one((w) => w.writeInt32(0, 70000)).readInt16()).toThrow(/wrong type/);
    expect(() => one((w) => w.writeInt64(0, 2n ** 40n)).readInt32()).toThrow(/wrong type/);
    expect(() => one((w) => w.writeString(0, '1')).readInt32()).toThrow(/wrong type.*got STRING1/);
  });

  it('ZERO_TAG is accepted for every numeric reader', () => {
    const z = () => one((w) => w.writeInt32(0, 0));
    expect(z().readBool()).toBe(false);
    expect(z().readInt8()).toBe(0);
    expect(z().readInt16()).toBe(0);
    expect(z().readUInt32()).toBe(0);
    expect(z().readInt64()).toBe(0n);
    expect(z().readFloat()).toBe(0);
    expect(z().readDouble()).toBe(0);
  });
});

describe('floating point', () => {
  it('float is FLOAT, double is DOUBLE, 0 is ZERO_TAG', () => {
    expect(hexOf((w) => w.writeFloat(0, 1.5))).toBe('043fc00000');
    expect(hexOf((w) => w.writeDouble(0, 1.5))).toBe('053ff8000000000000');
    expect(hexOf((w) => w.writeDouble(0, 0))).toBe('0c');
    expect(hexOf((w) => w.writeFloat(0, 0))).toBe('0c');
  });

  it('keeps -0, NaN and infinities', () => {
    expect(Object.is(one((w) => w.writeDouble(0, -0)).readDouble(), -0)).toBe(true);
    expect(one((w) => w.writeDouble(0, Number.NaN)).readDouble()).toBeNaN();
    expect(one((w) => w.writeDouble(0, -Infinity)).readDouble()).toBe(-Infinity);
    expect(one((w) => w.writeFloat(0, Infinity)).readFloat()).toBe(Infinity);
  });

  it('reads a double sent as FLOAT, and a float sent as DOUBLE', () => {
    expect(one((w) => w.writeFloat(0, 0.25)).readDouble()).toBe(0.25);
    expect(one((w) => w.writeDouble(0, 0.1)).readFloat()).toBe(Math.fround(0.1));
  });
});

describe('strings', () => {
  it('uses STRING1 up to 255 UTF-8 bytes and STRING4 from 256', () => {
    for (const [s, type] of [
      ['', T.STRING1], ['a'.repeat(255), T.STRING1], ['a'.repeat(256), T.STRING4],
      ['é'.repeat(127), T.STRING1], ['é'.repeat(128), T.STRING4], ['€'.repeat(85), T.STRING1], ['€'.repeat(86), T.STRING4],
    ] as const) {
      const r = one((w) => w.writeString(2, s));
      expect(r.type).toBe(type);
      expect(r.readString()).toBe(s);
    }
    expect(hexOf((w) => w.writeString(0, ''))).toBe('0600');
    expect(hexOf((w) => w.writeString(0, 'a'.repeat(256))).slice(0, 10)).toBe('0700000100');
  });

  it('short strings decode right however often they repeat or collide (string cache)', () => {
    // Every 1- and 2-character printable ASCII string (far more than the cache holds, so many share
    // a cache set, incl. strings that differ in one byte only), plus longer and non-ASCII ones.
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
    const words = [...printable, ...printable.flatMap((a) => printable.map((b) => a + b))];
    for (let i = 0; i < 5000; i++) words.push(`w${(i * 7919) % 5000}.${i % 3 ? 'x' : 'é'}`);
    let seed = 1;
    for (let i = words.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const j = seed % (i + 1);
      [words[i], words[j]] = [words[j], words[i]];
    }
    const w = new TarsWriter();
    for (let round = 0; round < 2; round++) for (const s of words) w.writeString(0, s);
    const r = new TarsReader(w.toBuffer());
    const got: string[] = [];
    while (r.nextField()) got.push(r.readString());
    expect(got).toEqual([...words, ...words]);
    // Same bytes at different offsets, same length but different content.
    const pair = new TarsWriter();
    for (const s of ['abcd', 'abce', 'abcd', 'bbcd', 'abcd']) pair.writeString(0, s);
    const pr = new TarsReader(pair.toBuffer());
    const out: string[] = [];
    while (pr.nextField()) out.push(pr.readString());
    expect(out).toEqual(['abcd', 'abce', 'abcd', 'bbcd', 'abcd']);
  });

  it('round-trips non-ASCII text (CJK, emoji) in both short and long forms', () => {
    for (const s of ['主调模块', '😀 ok', 'x'.repeat(30) + 'ü', 'ü' + 'x'.repeat(300), '\u0000\u007f\u0080']) {
      expect(one((w) => w.writeString(0, s)).readString()).toBe(s);
    }
  });
});

describe('bytes', () => {
  it('writes vector<byte> as SIMPLE_LIST and reads it back', () => {
    expect(hexOf((w) => w.writeBytes(7, Buffer.from([1, 2, 3])))).toBe('7d000003010203');
    expect(hexOf((w) => w.writeBytes(7, new Uint8Array(0)))).toBe('7d000c');
    const big = Buffer.alloc(70000, 7);
    expect(one((w) => w.writeBytes(0, big)).readBytes().equals(big)).toBe(true);
  });

  it('accepts a LIST of INT8 for vector<byte> (as C++ does)', () => {
    const w = new TarsWriter();
    w.writeListBegin(0, 3);
    for (const b of [1, -1, 0]) w.writeInt8(0, b);
    const r = new TarsReader(w.toBuffer());
    r.nextField();
    expect([...r.readBytes()]).toEqual([1, 255, 0]);
  });

  it('accepts a SIMPLE_LIST element head written in the two-byte form', () => {
    const r = new TarsReader(Buffer.from('0df00f0002aabb0c', 'hex'));
    r.nextField();
    expect(r.readBytes().toString('hex')).toBe('aabb');
    expect(r.nextField()).toBe(true);
    expect(r.readInt32()).toBe(0);
  });

  it('readBytes copies; readBytesView shares memory', () => {
    const buf = Buffer.from('0d000002aabb', 'hex');
    const r1 = new TarsReader(buf);
    r1.nextField();
    const copy = r1.readBytes();
    const r2 = new TarsReader(buf);
    r2.nextField();
    const view = r2.readBytesView();
    buf[4] = 0;
    expect(copy[0]).toBe(0xaa);
    expect(view[0]).toBe(0);
  });
});

describe('containers and structs', () => {
  it('empty list and map are a head plus ZERO_TAG size', () => {
    expect(hexOf((w) => w.writeListBegin(1, 0))).toBe('190c');
    expect(hexOf((w) => w.writeMapBegin(1, 0))).toBe('180c');
  });

  it('nests lists of maps of structs keyed by structs', () => {
    const w = new TarsWriter(8);
    w.writeListBegin(0, 2);
    for (let i = 0; i < 2; i++) {
      w.writeMapBegin(0, 1);
      w.writeStructBegin(0);
      w.writeString(0, `k${i}`);
      w.writeStructEnd();
      w.writeStructBegin(1);
      w.writeInt64(0, BigInt(i) << 40n);
      w.writeStructEnd();
    }
    const r = new TarsReader(w.toBuffer());
    r.nextField();
    const out: Array<[string, bigint]> = [];
    const n = r.readListSize();
    for (let i = 0; i < n; i++) {
      r.expectElement(0);
      const m = r.readMapSize();
      for (let j = 0; j < m; j++) {
        r.expectElement(0);
        r.beginStruct();
        let k = '';
        while (r.nextField()) k = r.readString();
        r.expectElement(1);
        r.beginStruct();
        let v = 0n;
        while (r.nextField()) v = r.readInt64();
        out.push([k, v]);
      }
    }
    expect(out).toEqual([['k0', 0n], ['k1', 1n << 40n]]);
    expect(r.done).toBe(true);
  });

  it('grows from a tiny buffer without corrupting earlier bytes', () => {
    const w = new TarsWriter(1);
    for (let i = 0; i < 1000; i++) w.writeString(i % 256, `s${i}`);
    const r = new TarsReader(w.view());
    let i = 0;
    while (r.nextField()) {
      expect([r.tag, r.readString()]).toEqual([i % 256, `s${i}`]);
      i++;
    }
    expect(i).toBe(1000);
  });

  it('reset() reuses the buffer; view() is not a copy, toBuffer() is', () => {
    const w = new TarsWriter();
    w.writeInt32(0, 1);
    const copy = w.toBuffer();
    const view = w.view();
    w.reset();
    w.writeInt32(0, 2);
    expect(copy.toString('hex')).toBe('0001');
    expect(view.toString('hex')).toBe('0002');
  });
});
