// IDL type → TypeScript type, zero value, and the statements that read/write one value.
// Reads and writes are emitted inline (loops for vector/map) so the generated code makes no
// closure and no intermediate object per field.
import type { ConstValue, PrimitiveName, TypeRef } from '../ast.ts';
import type { FileContext } from './context.ts';

interface PrimitiveInfo {
  ts: string;
  write: string;
  read: string;
  zero: string;
  tup: string;
}

const PRIMITIVES: Record<PrimitiveName, PrimitiveInfo> = {
  bool: { ts: 'boolean', write: 'writeBool', read: 'readBool', zero: 'false', tup: 'bool' },
  byte: { ts: 'number', write: 'writeInt8', read: 'readInt8', zero: '0', tup: 'char' },
  short: { ts: 'number', write: 'writeInt16', read: 'readInt16', zero: '0', tup: 'short' },
  int: { ts: 'number', write: 'writeInt32', read: 'readInt32', zero: '0', tup: 'int32' },
  long: { ts: 'bigint', write: 'writeInt64', read: 'readInt64', zero: '0n', tup: 'int64' },
  float: { ts: 'number', write: 'writeFloat', read: 'readFloat', zero: '0', tup: 'float' },
  double: { ts: 'number', write: 'writeDouble', read: 'readDouble', zero: '0', tup: 'double' },
  string: { ts: 'string', write: 'writeString', read: 'readString', zero: "''", tup: 'string' },
  // unsigned types travel as the next wider signed type
  'unsigned byte': { ts: 'number', write: 'writeInt16', read: 'readInt16', zero: '0', tup: 'short' },
  'unsigned short': { ts: 'number', write: 'writeInt32', read: 'readInt32', zero: '0', tup: 'int32' },
  'unsigned int': { ts: 'number', write: 'writeUInt32', read: 'readUInt32', zero: '0', tup: 'int64' },
};

export function isBytes(t: TypeRef): boolean {
  return t.kind === 'vector' && t.element.kind === 'primitive' && t.element.name === 'byte';
}

/** True when a value of this type is immutable/primitive (no allocation for its zero value). */
export function isScalar(t: TypeRef): boolean {
  return t.kind === 'primitive' || (t.kind === 'named' && t.target?.kind === 'enum');
}

export function tsType(t: TypeRef, ctx: FileContext): string {
  switch (t.kind) {
    case 'primitive':
      return PRIMITIVES[t.name].ts;
    case 'vector': {
      if (isBytes(t)) return 'Buffer';
      const e = tsType(t.element, ctx);
      return t.element.kind === 'primitive' || t.element.kind === 'named' ? `${e}[]` : `Array<${e}>`;
    }
    case 'map':
      return `Map<${tsType(t.key, ctx)}, ${tsType(t.value, ctx)}>`;
    case 'named':
      return ctx.ref(t.target!);
  }
}

/** Type name as TUP (complex) and tars2cpp spell it. */
export function tupType(t: TypeRef): string {
  switch (t.kind) {
    case 'primitive':
      return PRIMITIVES[t.name].tup;
    case 'vector':
      return isBytes(t) ? 'list<char>' : `list<${tupType(t.element)}>`;
    case 'map':
      return `map<${tupType(t.key)},${tupType(t.value)}>`;
    case 'named':
      return t.target!.kind === 'enum' ? 'int32' : `${t.target!.module}.${t.target!.name}`;
  }
}

/** A TS literal for an IDL value of the given type. */
export function literal(v: ConstValue, t: TypeRef): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'boolean') return String(v);
  if (t.kind === 'primitive' && t.name === 'long') return `${BigInt(v)}n`;
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

export function quote(s: string): string {
  return `'${s.replace(/[\\'\n\r\t\0\u2028\u2029]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\0':
        return '\\0';
      case '\u2028':
        return '\\u2028';
      case '\u2029':
        return '\\u2029';
      default:
        return `\\${c}`;
    }
  })}'`;
}

/** An expression for the zero value (or IDL default) of a type; allocates for containers/structs. */
export function zeroValue(t: TypeRef, ctx: FileContext, def?: ConstValue): string {
  if (def !== undefined) return literal(def, t);
  switch (t.kind) {
    case 'primitive':
      return PRIMITIVES[t.name].zero;
    case 'vector':
      if (isBytes(t)) return 'Buffer.alloc(0)';
      return '[]';
    case 'map':
      return 'new Map()';
    case 'named': {
      const d = t.target!;
      if (d.kind === 'enum') return String(d.members[0].value);
      return `${ctx.ref(d)}.create()`;
    }
  }
}

/** The expression that reads a value of a simple type under the current head, or undefined for containers. */
function readExpr(t: TypeRef, ctx: FileContext): string | undefined {
  if (t.kind === 'primitive') return `r.${PRIMITIVES[t.name].read}()`;
  if (isBytes(t)) return 'r.readBytes()';
  if (t.kind === 'named') {
    const d = t.target!;
    return d.kind === 'enum' ? `r.readInt32() as ${ctx.ref(d)}` : `${ctx.ref(d)}.read(r)`;
  }
  return undefined;
}

/**
 * Values TarsReader can read together with their head (the hot path of int and string fields,
 * list elements and map keys and values): 'int' for int, unsigned short and enums, 'string'.
 */
export function fusedKind(t: TypeRef): 'int' | 'string' | undefined {
  const read = t.kind === 'primitive' ? PRIMITIVES[t.name].read : t.kind === 'named' && t.target!.kind === 'enum' ? 'readInt32' : undefined;
  return read === 'readInt32' ? 'int' : read === 'readString' ? 'string' : undefined;
}

/** Statements that read one list element (tag 0) or map key (0) / value (1), head included. */
function emitElementRead(t: TypeRef, tag: number, ctx: FileContext, assign: (expr: string) => string, indent: string): string[] {
  const fused = t.kind === 'primitive' ? fusedKind(t) : undefined;
  if (fused) return [`${indent}${assign(`r.${fused === 'int' ? 'readInt32Element' : 'readStringElement'}(${tag})`)}`];
  return [`${indent}r.expectElement(${tag});`, ...emitRead(t, ctx, assign, indent)];
}

/**
 * Statements that read the value under the current head and hand it to `assign`
 * (which returns a statement, e.g. `v.x = EXPR;`).
 */
export function emitRead(t: TypeRef, ctx: FileContext, assign: (expr: string) => string, indent: string): string[] {
  const simple = readExpr(t, ctx);
  if (simple !== undefined) return [`${indent}${assign(simple)}`];
  const k = ctx.fresh();
  const inner = `${indent}  `;
  if (t.kind === 'vector') {
    const out = [
      `${indent}const n${k} = r.readListSize();`,
      `${indent}const a${k}: ${tsType(t, ctx)} = [];`,
      `${indent}for (let i${k} = 0; i${k} < n${k}; i${k}++) {`,
      ...emitElementRead(t.element, 0, ctx, (e) => `a${k}.push(${e});`, inner),
      `${indent}}`,
      `${indent}${assign(`a${k}`)}`,
    ];
    return out;
  }
  if (t.kind === 'map') {
    // Decoded maps are ArrayMaps (ADR 0011) over two presized arrays. A decoded struct key is a
    // new object, never equal to an earlier one (Map compares objects by identity), so only
    // other keys are checked for repeats.
    ctx.codecValues.add('ArrayMap');
    const structKey = t.key.kind === 'named' && t.key.target!.kind !== 'enum';
    return [
      `${indent}const n${k} = r.readMapSize();`,
      `${indent}const k${k}: ${tsType(t.key, ctx)}[] = new Array(n${k});`,
      `${indent}const v${k}: ${tsType(t.value, ctx)}[] = new Array(n${k});`,
      `${indent}for (let i${k} = 0; i${k} < n${k}; i${k}++) {`,
      ...emitElementRead(t.key, 0, ctx, (e) => `k${k}[i${k}] = ${e};`, inner),
      ...emitElementRead(t.value, 1, ctx, (e) => `v${k}[i${k}] = ${e};`, inner),
      `${indent}}`,
      `${indent}${assign(`ArrayMap.fromArrays(k${k}, v${k}, ${structKey})`)}`,
    ];
  }
  throw new Error(`unreachable: ${t.kind}`);
}

/** Statements that write `value` (an expression without side effects) at `tag`. */
export function emitWrite(t: TypeRef, ctx: FileContext, tag: string, value: string, indent: string): string[] {
  if (t.kind === 'primitive') return [`${indent}w.${PRIMITIVES[t.name].write}(${tag}, ${value});`];
  if (isBytes(t)) return [`${indent}w.writeBytes(${tag}, ${value});`];
  if (t.kind === 'named') {
    const d = t.target!;
    if (d.kind === 'enum') return [`${indent}w.writeInt32(${tag}, ${value});`];
    return [`${indent}${ctx.ref(d)}.write(w, ${tag}, ${value});`];
  }
  const k = ctx.fresh();
  const inner = `${indent}  `;
  if (t.kind === 'vector') {
    return [
      `${indent}const a${k} = ${value};`,
      `${indent}w.writeListBegin(${tag}, a${k}.length);`,
      `${indent}for (let i${k} = 0; i${k} < a${k}.length; i${k}++) {`,
      ...emitWrite(t.element, ctx, '0', `a${k}[i${k}]`, inner),
      `${indent}}`,
    ];
  }
  return [
    `${indent}const m${k} = ${value};`,
    `${indent}w.writeMapBegin(${tag}, m${k}.size);`,
    `${indent}for (const [k${k}, v${k}] of m${k}) {`,
    ...emitWrite(t.key, ctx, '0', `k${k}`, inner),
    ...emitWrite(t.value, ctx, '1', `v${k}`, inner),
    `${indent}}`,
  ];
}

/** `/** … *\/` lines for an IDL comment. */
export function docLines(doc: string | undefined, indent: string): string[] {
  if (!doc) return [];
  const lines = doc.replace(/\*\//g, '*\\/').split('\n');
  if (lines.length === 1) return [`${indent}/** ${lines[0]} */`];
  return [`${indent}/**`, ...lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`];
}
