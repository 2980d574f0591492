// Random schemas (nested lists, maps, structs with sparse tags up to 255) and values: what the
// writer writes, the reader reads back; a reader that knows only some fields skips the rest.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TarsReader, TarsWriter } from './index.ts';

type Schema =
  | { k: 'bool' | 'byte' | 'short' | 'int' | 'uint' | 'long' | 'float' | 'double' | 'string' | 'bytes' }
  | { k: 'list'; of: Schema }
  | { k: 'map'; key: Schema; val: Schema }
  | { k: 'struct'; fields: Array<{ tag: number; s: Schema }> };

const leaf = fc.constantFrom<Schema>(
  ...(['bool', 'byte', 'short', 'int', 'uint', 'long', 'float', 'double', 'string', 'bytes'] as const).map((k) => ({ k })),
);
const { schema } = fc.letrec<{ schema: Schema }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ k: fc.constant('list' as const), of: tie('schema') }),
    fc.record({ k: fc.constant('map' as const), key: tie('schema'), val: tie('schema') }),
    fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: 0, maxLength: 5 }).chain((tags) =>
      fc.tuple(...tags.sort((a, b) => a - b).map((tag) => tie('schema').map((s) => ({ tag, s })))).map((fields) => ({ k: 'struct' as const, fields })),
    ),
  ),
}));

function valueOf(s: Schema): fc.Arbitrary<unknown> {
  switch (s.k) {
    case 'bool': return fc.boolean();
    case 'byte': return fc.integer({ min: -128, max: 127 });
    case 'short': return fc.integer({ min: -32768, max: 32767 });
    case 'int': return fc.integer();
    case 'uint': return fc.integer({ min: 0, max: 4294967295 });
    case 'long': return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'float': return fc.float({ noNaN: true }).filter((x) => !Object.is(x, -0));
    case 'double': return fc.double({ noNaN: true });
    case 'string': return fc.string({ unit: 'binary', maxLength: 300 });
    case 'bytes': return fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u));
    case 'list': return fc.array(valueOf(s.of), { maxLength: 4 });
    case 'map': return fc.array(fc.tuple(valueOf(s.key), valueOf(s.val)), { maxLength: 4 });
    case 'struct': return fc.tuple(...s.fields.map((f) => valueOf(f.s)));
  }
}

function write(w: TarsWriter, tag: number, s: Schema, v: any): void {
  switch (s.k) {
    case 'bool': return w.writeBool(tag, v);
    case 'byte': return w.writeInt8(tag, v);
    case 'short': return w.writeInt16(tag, v);
    case 'int': return w.writeInt32(tag, v);
    case 'uint': return w.writeUInt32(tag, v);
    case 'long': return w.writeInt64(tag, v);
    case 'float': return w.writeFloat(tag, v);
    case 'double': return w.writeDouble(tag, v);
    case 'string': return w.writeString(tag, v);
    case 'bytes': return w.writeBytes(tag, v);
    case 'list':
      w.writeListBegin(tag, v.length);
      for (const x of v) write(w, 0, s.of, x);
      return;
    case 'map':
      w.writeMapBegin(tag, v.length);
      for (const [k, x] of v) {
        write(w, 0, s.key, k);
        write(w, 1, s.val, x);
      }
      return;
    case 'struct':
      w.writeStructBegin(tag);
      s.fields.forEach((f, i) => write(w, f.tag, f.s, v[i]));
      w.writeStructEnd();
  }
}

// Reads the value under the current head; `known` limits which struct fields are decoded.
function read(r: TarsReader, s: Schema, known: (tag: number) => boolean): unknown {
  switch (s.k) {
    case 'bool': return r.readBool();
    case 'byte': return r.readInt8();
    case 'short': return r.readInt16();
    case 'int': return r.readInt32();
    case 'uint': return r.readUInt32();
    case 'long': return r.readInt64();
    case 'float': return r.readFloat();
    case 'double': return r.readDouble();
    case 'string': return r.readString();
    case 'bytes': return r.readBytes();
    case 'list': {
      const n = r.readListSize();
      const out = [];
      for (let i = 0; i < n; i++) {
        r.expectElement(0);
        out.push(read(r, s.of, known));
      }
      return out;
    }
    case 'map': {
      const n = r.readMapSize();
      const out = [];
      for (let i = 0; i < n; i++) {
        r.expectElement(0);
        const k = read(r, s.key, known);
        r.expectElement(1);
        out.push([k, read(r, s.val, known)]);
      }
      return out;
    }
    case 'struct': {
      r.beginStruct();
      const out: unknown[] = s.fields.map(() => undefined);
      while (r.nextField()) {
        const i = s.fields.findIndex((f) => f.tag === r.tag);
        if (i >= 0 && known(r.tag)) out[i] = read(r, s.fields[i].s, known);
        else r.skipField();
      }
      return out;
    }
  }
}

// What a reader that only knows the `known` tags should see.
function project(s: Schema, v: any, known: (tag: number) => boolean): unknown {
  if (s.k === 'list') return v.map((x: unknown) => project(s.of, x, known));
  if (s.k === 'map') return v.map(([k, x]: [unknown, unknown]) => [project(s.key, k, known), project(s.val, x, known)]);
  if (s.k === 'struct') return s.fields.map((f, i) => (known(f.tag) ? project(f.s, v[i], known) : undefined));
  return v;
}

const withValue = schema.chain((s) => fc.tuple(fc.constant(s), valueOf(s), fc.integer({ min: 0, max: 255 })));

describe('random schemas round-trip through our writer and reader', () => {
  it('reads back exactly what was written, then nothing more', () => {
    fc.assert(
      fc.property(withValue, ([s, v, tag]) => {
        const w = new TarsWriter(4);
        write(w, tag, s, v);
        const r = new TarsReader(w.toBuffer());
        expect(r.nextField()).toBe(true);
        expect(r.tag).toBe(tag);
        expect(read(r, s, () => true)).toEqual(v);
        expect(r.done).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('a reader knowing only some tags skips the others at every depth', () => {
    fc.assert(
      fc.property(withValue, fc.integer({ min: 0, max: 255 }), ([s, v, tag], cut) => {
        const known = (t: number) => t < cut;
        const w = new TarsWriter(4);
        write(w, tag, s, v);
        w.writeString(tag === 255 ? 0 : 255, 'end');
        const r = new TarsReader(w.toBuffer());
        r.nextField();
        expect(read(r, s, known)).toEqual(project(s, v, known));
        expect(r.nextField()).toBe(true);
        expect(r.readString()).toBe('end');
      }),
      { numRuns: 500 },
    );
  });
});
