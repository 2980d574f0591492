import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequestPacket, ResponsePacket, TarsDecodeError, TarsReader, TarsWriter, UniAttribute } from './index.ts';

// Writes one field of every wire type at increasing tags, starting at `from`.
function writeEveryType(w: TarsWriter, from: number): number {
  let t = from;
  w.writeInt8(t++, 5);
  w.writeInt16(t++, 300);
  w.writeInt32(t++, 70000);
  w.writeInt64(t++, 2n ** 40n);
  w.writeFloat(t++, 1.5);
  w.writeDouble(t++, 2.5);
  w.writeString(t++, 'short');
  w.writeString(t++, 'L'.repeat(300));
  w.writeMapBegin(t++, 2);
  w.writeString(0, 'a'); w.writeListBegin(1, 1); w.writeInt32(0, 1);
  w.writeStructBegin(0); w.writeString(0, 'k'); w.writeStructEnd(); w.writeStructBegin(1); w.writeStructEnd();
  w.writeListBegin(t++, 2);
  w.writeBytes(0, Buffer.from('xy'));
  w.writeMapBegin(0, 0);
  w.writeStructBegin(t++);
  w.writeStructBegin(0); w.writeStructBegin(200); w.writeInt32(1, 9); w.writeStructEnd(); w.writeStructEnd();
  w.writeString(1, 'inner');
  w.writeStructEnd();
  w.writeInt32(t++, 0); // ZERO_TAG
  w.writeBytes(t++, Buffer.alloc(300, 1));
  return t;
}

describe('skipping unknown fields', () => {
  it('skips every wire type (incl. nested structs, maps, lists, long tags) and lands on the next known field', () => {
    const w = new TarsWriter();
    w.writeString(0, 'first');
    const next = writeEveryType(w, 1);
    w.writeString(next, 'after');
    w.writeString(240, 'far');
    const r = new TarsReader(w.toBuffer());
    const seen: Record<number, string> = {};
    let skipped = 0;
    while (r.nextField()) {
      if (r.tag === 0 || r.tag === next || r.tag === 240) seen[r.tag] = r.readString();
      else {
        r.skipField();
        skipped++;
      }
    }
    expect(skipped).toBe(next - 1);
    expect(seen).toEqual({ 0: 'first', [next]: 'after', 240: 'far' });
  });

  it('skips unknown fields inside a nested struct and stops at its STRUCT_END', () => {
    const w = new TarsWriter();
    w.writeStructBegin(1);
    writeEveryType(w, 20);
    w.writeInt32(100, 42);
    w.writeStructEnd();
    w.writeInt32(2, 7);
    const r = new TarsReader(w.toBuffer());
    r.nextField();
    r.beginStruct();
    let inner = -1;
    while (r.nextField()) {
      if (r.tag === 100) inner = r.readInt32();
      else r.skipField();
    }
    expect(inner).toBe(42);
    expect(r.nextField()).toBe(true);
    expect([r.tag, r.readInt32()]).toEqual([2, 7]);
  });
});

// Decodes everything it finds, skipping unknown values: must end in success or TarsDecodeError.
function consumeAll(buf: Uint8Array): void {
  const r = new TarsReader(buf);
  while (r.nextField()) r.skipField();
}

describe('malformed input', () => {
  const valid = (() => {
    const w = new TarsWriter();
    writeEveryType(w, 0);
    return w.toBuffer();
  })();

  it('every truncation of a valid message fails with TarsDecodeError', () => {
    const boundaries = [0];
    const r = new TarsReader(valid);
    while (r.nextField()) {
      r.skipField();
      boundaries.push(r.pos);
    }
    const succeeded: number[] = [];
    for (let n = 0; n < valid.length; n++) {
      try {
        consumeAll(valid.subarray(0, n));
        succeeded.push(n);
      } catch (e) {
        expect(e).toBeInstanceOf(TarsDecodeError);
      }
    }
    // Only a cut exactly between two top-level fields decodes.
    expect(succeeded).toEqual(boundaries.slice(0, -1));
  });

  it('random bytes never crash or hang: either decode or TarsDecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          consumeAll(bytes);
        } catch (e) {
          if (!(e instanceof TarsDecodeError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('mutated valid messages never crash: decode or TarsDecodeError', () => {
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }), (at, byte) => {
        const b = Buffer.from(valid);
        b[at] = byte;
        try {
          consumeAll(b);
        } catch (e) {
          if (!(e instanceof TarsDecodeError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects a hostile list size before allocating anything', () => {
    // LIST at tag 0 claiming 2^31-1 elements with 2 bytes of input left.
    const r = new TarsReader(Buffer.from('09027fffffff0c0c', 'hex'));
    r.nextField();
    expect(() => r.readListSize()).toThrow(/LIST size 2147483647 exceeds the 2 byte\(s\) left/);
    const m = new TarsReader(Buffer.from('0802000000030c0c0c0c', 'hex'));
    m.nextField();
    expect(() => m.readMapSize()).toThrow(/MAP size 3 exceeds/);
    const neg = new TarsReader(Buffer.from('0900ff', 'hex'));
    neg.nextField();
    expect(() => neg.readListSize()).toThrow(/negative LIST size -1/);
  });

  it('rejects a hostile byte-vector size and string length', () => {
    const r = new TarsReader(Buffer.from('0d00027fffffff00', 'hex'));
    r.nextField();
    expect(() => r.readBytes()).toThrow(TarsDecodeError);
    const s = new TarsReader(Buffer.from('07100000000000', 'hex'));
    s.nextField();
    expect(() => s.readString()).toThrow(/exceeds the 104857600-byte limit/);
    const s2 = new TarsReader(Buffer.from('0605616263', 'hex'));
    s2.nextField();
    expect(() => s2.readString()).toThrow(/truncated/);
  });

  it('rejects a SIMPLE_LIST whose element head is not INT8, and a size at a non-zero tag', () => {
    const r = new TarsReader(Buffer.from('0d0102', 'hex'));
    r.nextField();
    expect(() => r.readBytes()).toThrow(/element head 0x1 is not INT8/);
    const l = new TarsReader(Buffer.from('091001', 'hex'));
    l.nextField();
    expect(() => l.readListSize()).toThrow(/container size has tag 1/);
  });

  it('reports wrong element tags, stray STRUCT_END and invalid type codes', () => {
    const r = new TarsReader(Buffer.from('0900011001', 'hex'));
    r.nextField();
    r.readListSize();
    expect(() => r.expectElement(0)).toThrow(/element has tag 1/);
    expect(() => new TarsReader(Buffer.from('0b', 'hex')).nextField()).toThrow(/STRUCT_END outside any struct/);
    expect(() => new TarsReader(Buffer.from('0e', 'hex')).nextField()).toThrow(/invalid type code 14/);
    expect(() => new TarsReader(Buffer.from('0f', 'hex')).nextField()).toThrow(/invalid type code 15/);
  });

  it('a struct without STRUCT_END is truncation, not end of input', () => {
    const r = new TarsReader(Buffer.from('0a1001', 'hex'));
    r.nextField();
    r.beginStruct();
    expect(r.nextField()).toBe(true);
    r.readInt32();
    expect(() => r.nextField()).toThrow(/truncated/);
  });

  it('limits nesting depth when skipping and when entering structs', () => {
    const deep = Buffer.concat([Buffer.alloc(5000, 0x0a), Buffer.alloc(5000, 0x0b)]);
    const r = new TarsReader(deep);
    r.nextField();
    expect(() => r.skipField()).toThrow(/nested deeper than 100/);
    const l = new TarsReader(Buffer.from('090001'.repeat(5000) + '0c', 'hex'));
    l.nextField();
    expect(() => l.skipField()).toThrow(/nested deeper than 100/);
    const s = new TarsReader(Buffer.alloc(200, 0x0a), 0, 200, { maxDepth: 10 });
    for (let i = 0; i < 10; i++) {
      s.nextField();
      s.beginStruct();
    }
    s.nextField();
    expect(() => s.beginStruct()).toThrow(/nested deeper than 10/);
  });

  it('errors say where: offset and tag', () => {
    const r = new TarsReader(Buffer.from('1001' + '26' + '02' + '61', 'hex'));
    r.nextField();
    r.readInt32();
    r.nextField();
    try {
      r.readString();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TarsDecodeError);
      expect((e as TarsDecodeError).tag).toBe(2);
      expect((e as TarsDecodeError).offset).toBe(4);
      expect((e as Error).message).toMatch(/truncated.*offset 4.*tag 2/);
    }
  });

  it('refuses a reader range outside the buffer', () => {
    expect(() => new TarsReader(Buffer.alloc(4), 2, 8)).toThrow(RangeError);
  });
});

describe('malformed envelopes', () => {
  const frame = RequestPacket.encode(RequestPacket.create({
    iRequestId: 7, sServantName: 'tars.tarsstat.StatObj', sFuncName: 'reportMicMsg',
    sBuffer: Buffer.from('1c2c', 'hex'), context: new Map([['node_name', '10.0.0.1']]), status: new Map([['k', 'v']]),
  }));

  it('mutated or truncated request packets decode or throw TarsDecodeError, nothing else', () => {
    fc.assert(
      fc.property(fc.nat(frame.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(frame.length), (at, byte, cut) => {
        const b = Buffer.from(frame);
        b[at] = byte;
        for (const input of [b, b.subarray(0, cut)]) {
          try {
            RequestPacket.decode(input);
            ResponsePacket.decode(input);
          } catch (e) {
            if (!(e instanceof TarsDecodeError)) throw e;
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a request missing a required field names it', () => {
    // Everything up to (not including) tag 10 status.
    const cut = frame.subarray(0, frame.lastIndexOf(Buffer.from('a80001', 'hex')));
    expect(() => RequestPacket.decode(cut)).toThrow(/RequestPacket: required field status missing \(tag 10\)/);
  });

  it('a string where an int belongs is a wrong-type error, not a misread', () => {
    const w = new TarsWriter();
    w.writeString(1, 'one');
    expect(() => RequestPacket.decode(w.toBuffer())).toThrow(/wrong type.*tag 1.*got STRING1/);
  });
});

describe('malformed TUP attributes', () => {
  it('a value not encoded at tag 0 is reported', () => {
    const u = new UniAttribute().set('x', Buffer.from('1001', 'hex'));
    expect(() => u.take('x', { read: (r: TarsReader) => r.readInt32() })).toThrow(/not encoded at tag 0/);
  });

  it('an attribute block that is not a map at tag 0 is reported; an empty one is empty', () => {
    expect(() => UniAttribute.decode(Buffer.from('1001', 'hex'))).toThrow(/TUP attribute map missing/);
    expect(UniAttribute.decode(Buffer.alloc(0)).data.size).toBe(0);
  });
});
