// The fused element reads (head and value in one step) must behave exactly like expectElement
// followed by the plain read: same values, same position after, same errors on bad input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TarsDecodeError } from './errors.ts';
import { TarsReader } from './reader.ts';
import { TarsWriter } from './writer.ts';

type Outcome = { value: unknown; pos: number } | { error: string };

function outcome(read: () => unknown, r: TarsReader): Outcome {
  try {
    return { value: read(), pos: r.pos };
  } catch (e) {
    expect(e).toBeInstanceOf(TarsDecodeError);
    return { error: (e as Error).message };
  }
}

function both(bytes: Uint8Array, tag: number, kind: 'int' | 'string'): [Outcome, Outcome] {
  const fused = new TarsReader(bytes);
  const plain = new TarsReader(bytes);
  return [
    outcome(() => (kind === 'int' ? fused.readInt32Element(tag) : fused.readStringElement(tag)), fused),
    outcome(() => {
      plain.expectElement(tag);
      return kind === 'int' ? plain.readInt32() : plain.readString();
    }, plain),
  ];
}

// Valid elements of every width and tag, then cut short or with a byte changed.
const encoded = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer()).map(([tag, v]) => {
    const w = new TarsWriter();
    w.writeInt32(tag, v);
    return w.toBuffer();
  }),
  fc.tuple(fc.integer({ min: 0, max: 20 }), fc.string({ maxLength: 300 })).map(([tag, v]) => {
    const w = new TarsWriter();
    w.writeString(tag, v);
    return w.toBuffer();
  }),
  fc.uint8Array({ maxLength: 12 }),
);
const damaged = fc.tuple(encoded, fc.nat(), fc.integer({ min: -1, max: 255 }), fc.boolean()).map(([buf, at, byte, cut]) => {
  if (buf.length === 0) return buf;
  if (cut) return buf.subarray(0, at % buf.length);
  const copy = Uint8Array.from(buf);
  if (byte >= 0) copy[at % copy.length] = byte;
  return copy;
});

describe('fused element reads', () => {
  it.each(['int', 'string'] as const)('read%sElement equals expectElement + read, on valid and damaged input', (kind) => {
    fc.assert(
      fc.property(damaged, fc.integer({ min: 0, max: 2 }), (bytes, tag) => {
        const [fused, plain] = both(bytes, tag, kind);
        expect(fused).toStrictEqual(plain);
      }),
      { numRuns: 3000 },
    );
  });
});
