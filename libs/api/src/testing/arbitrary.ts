// Test support: fast-check arbitraries derived from a schema, so property tests draw objects
// that the schema (and therefore the API server) accepts. Not exported from the package.
import fc from 'fast-check';
import type { Node } from '../schema/dsl.ts';
import { compilePattern, jsPattern } from '../schema/check.ts';

const MAX_ITEMS = 3;

export interface ArbitraryOptions {
  /** Draw no empty strings (kube-env's current apiserver build refuses them, see apiserver.test.ts). */
  nonEmptyStrings?: boolean;
}

function stringOf(node: Extract<Node, { kind: 'string' }>, options: ArbitraryOptions): fc.Arbitrary<string> {
  const min = Math.max(node.minLength ?? 0, options.nonEmptyStrings ? 1 : 0);
  if (node.enum !== undefined) return fc.constantFrom(...node.enum.filter((v) => v.length >= min));
  if (node.format === 'date-time') {
    return fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  }
  const max = Math.max(min, Math.min(node.maxLength ?? 24, 24));
  if (node.pattern === undefined) return fc.string({ minLength: min, maxLength: max });
  const re = compilePattern(node.pattern);
  // fast-check cannot draw from Unicode property classes quickly; a few Han characters suffice.
  const drawn = new RegExp(jsPattern(node.pattern).replaceAll('\\p{Script=Han}', '一丁七万'), 'u');
  // Long minimum lengths need bigger draws; truncation keeps `[class]*` patterns valid and the
  // filter drops whatever else it breaks.
  return fc
    .stringMatching(drawn, { size: min > 0 ? 'medium' : 'xsmall' })
    .map((v) => [...v].slice(0, node.maxLength ?? Infinity).join(''))
    .filter((v) => [...v].length >= min && re.test(v));
}

export function arbitraryOf(node: Node, options: ArbitraryOptions = {}): fc.Arbitrary<unknown> {
  switch (node.kind) {
    case 'string':
      return stringOf(node, options);
    case 'integer':
      return fc.integer({ min: node.minimum ?? -1000, max: node.maximum ?? 100_000 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(arbitraryOf(node.items, options), {
        minLength: node.minItems ?? 0,
        maxLength: Math.min(node.maxItems ?? MAX_ITEMS, Math.max(MAX_ITEMS, node.minItems ?? 0)),
      });
    case 'map':
      return fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9.]{0,8}$/), arbitraryOf(node.values, options), { maxKeys: MAX_ITEMS });
    case 'opaque':
      return fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.oneof(fc.string({ minLength: options.nonEmptyStrings ? 1 : 0, maxLength: 6 }), fc.integer(), fc.boolean()), { maxKeys: 2 });
    case 'objectMeta':
      return fc.constant({});
    case 'object': {
      const groups = node.oneOfRequired;
      const build = (chosen: readonly string[] | undefined) => {
        const required = new Set([...node.required, ...(chosen ?? [])]);
        const others = new Set((groups ?? []).flat().filter((f) => !chosen?.includes(f)));
        const fields: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [name, child] of Object.entries(node.properties)) {
          if (others.has(name)) continue; // exactly one oneOf group may be present
          fields[name] = arbitraryOf(child, options);
        }
        return fc.record(fields, { requiredKeys: [...required].filter((k) => k in fields) });
      };
      return groups === undefined || groups.length === 0 ? build(undefined) : fc.oneof(...groups.map((g) => build(g)));
    }
  }
}
