// fast-check arbitraries for any IDL type, driven by the parsed AST.
import fc from 'fast-check';
import type { StructDecl, TypeRef } from '@tars-ts/idl';
import { stableKey } from './stream-oracle.ts';

const noNegZero = (v: number) => (Object.is(v, -0) ? 0 : v);

const PRIMITIVES: Record<string, fc.Arbitrary<unknown>> = {
  bool: fc.boolean(),
  byte: fc.integer({ min: -128, max: 127 }),
  short: fc.integer({ min: -32768, max: 32767 }),
  int: fc.integer({ min: -2147483648, max: 2147483647 }),
  long: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  // -0 travels as ZERO_TAG (0) in both implementations; float values are 32-bit exact
  float: fc.float().map(noNegZero),
  double: fc.double().map(noNegZero),
  // short and long (> 255 UTF-8 bytes: STRING4) strings of any code point
  string: fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 80, maxLength: 200 }) },
  ),
  'unsigned byte': fc.integer({ min: 0, max: 255 }),
  'unsigned short': fc.integer({ min: 0, max: 65535 }),
  'unsigned int': fc.integer({ min: 0, max: 4294967295 }),
};

const bytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
const structCache = new Map<StructDecl, fc.Arbitrary<Record<string, unknown>>>();

export function arbitraryOf(t: TypeRef, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 8) throw new Error('IDL types nested too deep for the test');
  switch (t.kind) {
    case 'primitive':
      return PRIMITIVES[t.name];
    case 'vector':
      if (t.element.kind === 'primitive' && t.element.name === 'byte') return bytes;
      return fc.array(arbitraryOf(t.element, depth + 1), { maxLength: 3 });
    case 'map': {
      // @tars/stream keeps map keys as object property names: '__proto__' cannot be one
      const key = arbitraryOf(t.key, depth + 1).filter((k) => k !== '__proto__');
      return fc
        .uniqueArray(fc.tuple(key, arbitraryOf(t.value, depth + 1)), { maxLength: 3, selector: ([k]) => stableKey(k) })
        .map((entries) => new Map(entries));
    }
    case 'named': {
      const d = t.target!;
      if (d.kind === 'enum') return fc.constantFrom(...d.members.map((m) => m.value));
      return structArbitrary(d, depth + 1);
    }
  }
}

export function structArbitrary(s: StructDecl, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  let a = structCache.get(s);
  if (!a) {
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of s.fields) model[f.name] = arbitraryOf(f.type, depth);
    a = fc.record(model);
    structCache.set(s, a);
  }
  return a;
}
