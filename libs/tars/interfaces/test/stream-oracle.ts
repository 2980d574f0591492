// An independent encoder/decoder for any IDL struct, built from the parsed AST and the official
// @tars/stream primitives (TarsOutputStream/TarsInputStream, its List/Map framing, BinBuffer).
// It converts between the values our generated code uses (bigint, Map, Buffer) and what
// @tars/stream handles: int64 as decimal strings (its exact mode), HeroMap/MultiMap, BinBuffer.
import { createRequire } from 'node:module';
import type { StructDecl, TypeRef } from '@tars-ts/idl';
import { isMap } from '@tars-ts/codec';

const require = createRequire(import.meta.url);
// CommonJS without usable types for this use: treat it as untyped
const Tars = require('@tars/stream') as any;

type Obj = Record<string, unknown>;

/** How @tars/stream writes one value of a type at a tag. */
function writeValue(os: any, tag: number, t: TypeRef, v: unknown): void {
  switch (t.kind) {
    case 'primitive':
      switch (t.name) {
        case 'bool':
          return os.writeBoolean(tag, v);
        case 'byte':
          return os.writeInt8(tag, v);
        case 'short':
          return os.writeInt16(tag, v);
        case 'int':
          return os.writeInt32(tag, v);
        case 'long':
          return os.writeInt64(tag, (v as bigint).toString(), true);
        case 'float':
          return os.writeFloat(tag, v);
        case 'double':
          return os.writeDouble(tag, v);
        case 'string':
          return os.writeString(tag, v);
        case 'unsigned byte':
          return os.writeUInt8(tag, v);
        case 'unsigned short':
          return os.writeUInt16(tag, v);
        case 'unsigned int':
          return os.writeUInt32(tag, v);
      }
      return;
    case 'named': {
      const d = t.target!;
      if (d.kind === 'enum') return os.writeInt32(tag, v);
      return os.writeStruct(tag, { _writeTo: (inner: any) => writeFields(inner, d, v as Obj) });
    }
    case 'vector': {
      if (t.element.kind === 'primitive' && t.element.name === 'byte') {
        return os.writeBytes(tag, new Tars.BinBuffer(Buffer.from(v as Uint8Array)));
      }
      const list = Tars.List(proto(t.element));
      for (const e of v as unknown[]) list.push(e);
      return os.writeList(tag, list);
    }
    case 'map': {
      const entries = [...(v as Map<unknown, unknown>)];
      // writeMap only needs size(), forEach() and the element protos
      const map = {
        _kproto: proto(t.key, true),
        _vproto: proto(t.value),
        _bKey: 0,
        _bValue: 0,
        size: () => entries.length,
        forEach: (cb: (k: unknown, v: unknown) => void) => entries.forEach(([k, val]) => cb(k, val)),
      };
      return os.writeMap(tag, map);
    }
  }
}

function writeFields(os: any, s: StructDecl, v: Obj): void {
  for (const f of [...s.fields].sort((a, b) => a.tag - b.tag)) writeValue(os, f.tag, f.type, v[f.name]);
}

/** The default @tars/stream-generated code uses for a missing optional field. */
function defaultOf(t: TypeRef, def: unknown): unknown {
  if (def !== undefined) return typeof def === 'bigint' ? def.toString() : def;
  if (t.kind === 'primitive') return t.name === 'bool' ? false : t.name === 'string' ? '' : t.name === 'long' ? '0' : 0;
  if (t.kind === 'named' && t.target!.kind === 'enum') return t.target!.members[0].value;
  return undefined;
}

/** Reads one value at a tag with @tars/stream and converts it to our representation. */
function readValue(is: any, tag: number, required: boolean, t: TypeRef, def?: unknown): unknown {
  const d = defaultOf(t, def);
  switch (t.kind) {
    case 'primitive':
      switch (t.name) {
        case 'bool':
          return is.readBoolean(tag, required, d);
        case 'byte':
          return is.readInt8(tag, required, d);
        case 'short':
          return is.readInt16(tag, required, d);
        case 'int':
          return is.readInt32(tag, required, d);
        case 'long':
          return BigInt(is.readInt64(tag, required, d, true));
        case 'float':
          return is.readFloat(tag, required, d);
        case 'double':
          return is.readDouble(tag, required, d);
        case 'string':
          return is.readString(tag, required, d);
        case 'unsigned byte':
          return is.readUInt8(tag, required, d);
        case 'unsigned short':
          return is.readUInt16(tag, required, d);
        case 'unsigned int':
          return is.readUInt32(tag, required, d);
      }
      return undefined;
    case 'named': {
      const decl = t.target!;
      if (decl.kind === 'enum') return is.readInt32(tag, required, d);
      return is.readStruct(tag, required, structClass(decl));
    }
    case 'vector': {
      if (t.element.kind === 'primitive' && t.element.name === 'byte') {
        return Buffer.from(is.readBytes(tag, required, Tars.BinBuffer).toNodeBuffer());
      }
      const list = is.readList(tag, required, Tars.List(proto(t.element)));
      return [...list.value];
    }
    case 'map': {
      const m = is.readMap(tag, required, Tars.Map(proto(t.key, true), proto(t.value)));
      const out = new Map<unknown, unknown>();
      if (m.keys && m._kproto.prototype?._equal) {
        // MultiMap (struct keys): keys and values stored under a generated key
        for (const k of Object.keys(m.keys)) out.set(m.keys[k].plain, m.value[k]);
      } else {
        // HeroMap: keys became property names
        for (const k of Object.keys(m.value)) out.set(keyFromString(t.key, k), m.value[k]);
      }
      return out;
    }
  }
}

function keyFromString(t: TypeRef, k: string): unknown {
  if (t.kind === 'primitive') {
    if (t.name === 'string') return k;
    if (t.name === 'bool') return k === 'true';
    if (t.name === 'long') return BigInt(k);
    return Number(k);
  }
  if (t.kind === 'named' && t.target!.kind === 'enum') return Number(k);
  throw new Error(`unsupported map key type ${t.kind}`);
}

function readFields(is: any, s: StructDecl): Obj {
  const v: Obj = {};
  for (const f of [...s.fields].sort((a, b) => a.tag - b.tag)) {
    const val = readValue(is, f.tag, f.required, f.type, f.defaultValue);
    v[f.name] = val === undefined ? emptyOf(f.type) : val;
  }
  return v;
}

/** What a missing optional container/struct decodes to (@tars/stream returns its template). */
function emptyOf(t: TypeRef): unknown {
  if (t.kind === 'vector') return t.element.kind === 'primitive' && t.element.name === 'byte' ? Buffer.alloc(0) : [];
  if (t.kind === 'map') return new Map();
  if (t.kind === 'named' && t.target!.kind === 'struct') return defaultStruct(t.target!);
  return undefined;
}

function defaultStruct(s: StructDecl): Obj {
  const v: Obj = {};
  for (const f of s.fields) {
    const d = defaultOf(f.type, f.defaultValue);
    v[f.name] = f.type.kind === 'primitive' && f.type.name === 'long' ? BigInt(d as string) : d === undefined ? emptyOf(f.type) : d;
  }
  return v;
}

const classes = new Map<StructDecl, unknown>();

/** A class in the shape @tars/stream's readStruct expects (`_readFrom`, `new T()` for a missing field). */
function structClass(s: StructDecl): unknown {
  let C = classes.get(s);
  if (!C) {
    const ctor = function (this: unknown) {
      return defaultStruct(s);
    } as unknown as { _readFrom: (is: any) => Obj; _classname: string };
    ctor._readFrom = (is: any) => readFields(is, s);
    ctor._classname = `${s.module}.${s.name}`;
    C = ctor;
    classes.set(s, C);
  }
  return C;
}

/** Canonical text of a value: equal values, equal keys (for MultiMap keys and unique map keys). */
export function stableKey(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return `b:${Buffer.from(v).toString('hex')}`;
  if (Array.isArray(v)) return `[${v.map(stableKey).join(',')}]`;
  if (isMap(v)) return `M{${[...v].map(([k, x]) => `${stableKey(k)}:${stableKey(x)}`).join(',')}}`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${k}:${stableKey((v as Obj)[k])}`).join(',')}}`;
  return String(v);
}

const protos = new Map<string, unknown>();

function typeKey(t: TypeRef): string {
  if (t.kind === 'primitive') return t.name;
  if (t.kind === 'vector') return `vector<${typeKey(t.element)}>`;
  if (t.kind === 'map') return `map<${typeKey(t.key)},${typeKey(t.value)}>`;
  return `${t.target!.file}#${t.target!.module}::${t.target!.name}`;
}

/** The element "proto" @tars/stream's List/Map call `_write`/`_read` on. */
function proto(t: TypeRef, mapKey = false): unknown {
  const key = `${mapKey ? 'key:' : ''}${typeKey(t)}`;
  let p = protos.get(key);
  if (p) return p;
  if (mapKey && t.kind === 'named' && t.target!.kind === 'struct') {
    // struct keys need a MultiMap, which @tars/stream picks when the key proto has prototype._equal
    const decl = t.target as StructDecl;
    const P = function () {} as unknown as { prototype: object; _read: unknown; _write: unknown; _classname: string };
    P.prototype = {
      _equal(this: { plain: unknown }, other: { plain: unknown }) {
        return stableKey(this.plain) === stableKey(other.plain);
      },
      _genKey(this: { plain: unknown }) {
        return stableKey(this.plain);
      },
    };
    P._write = (os: any, tag: number, v: unknown) => writeValue(os, tag, t, v);
    P._read = (is: any, tag: number) => {
      const plain = is.readStruct(tag, true, structClass(decl));
      return Object.assign(Object.create(P.prototype), { plain, toString: () => stableKey(plain) });
    };
    P._classname = `${decl.module}.${decl.name}`;
    p = P;
  } else {
    p = {
      _write: (os: any, tag: number, v: unknown) => writeValue(os, tag, t, v),
      _read: (is: any, tag: number) => readValue(is, tag, true, t),
      _classname: 'x',
    };
  }
  protos.set(key, p);
  return p;
}

/** Struct fields at top level, encoded by @tars/stream. */
export function streamEncode(s: StructDecl, v: object): Buffer {
  const os = new Tars.TarsOutputStream();
  writeFields(os, s, v as Obj);
  return os.getBinBuffer().toNodeBuffer();
}

/** Struct fields at top level, decoded by @tars/stream. */
export function streamDecode(s: StructDecl, buf: Buffer): Obj {
  const is = new Tars.TarsInputStream(new Tars.BinBuffer(Buffer.from(buf)));
  return readFields(is, s);
}

/** One value at `tag` (a method parameter or return value), encoded by @tars/stream. */
export function streamEncodeValue(t: TypeRef, tag: number, v: unknown): Buffer {
  const os = new Tars.TarsOutputStream();
  writeValue(os, tag, t, v);
  return os.getBinBuffer().toNodeBuffer();
}

/** One required value at `tag`, decoded by @tars/stream. */
export function streamDecodeValue(t: TypeRef, tag: number, buf: Buffer): unknown {
  const is = new Tars.TarsInputStream(new Tars.BinBuffer(Buffer.from(buf)));
  return readValue(is, tag, true, t);
}
