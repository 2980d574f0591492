// CONFORMANCE: every struct of every vendored IDL file, random values from its AST:
//   @tars/stream encodes → our generated code decodes → same value, and
//   our generated code encodes → @tars/stream decodes → same value, with the same bytes.
// TARS_CONFORMANCE_RUNS sets the runs per struct and direction (default 60).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { structArbitrary } from './arbitraries.ts';
import { streamDecode, streamEncode } from './stream-oracle.ts';
import { generatedStruct, vendoredProgram, vendoredStructs } from './vendored.ts';

const runs = Number(process.env.TARS_CONFORMANCE_RUNS ?? 60);
const structs = vendoredStructs(vendoredProgram());

describe('generated structs against @tars/stream', () => {
  it('covers every struct of every vendored file', () => {
    expect(structs.length).toBe(86);
  });

  it.each(structs.map((s) => [s.label, s.decl] as const))('%s', (_label, decl) => {
    const ours = generatedStruct(decl);
    fc.assert(
      fc.property(structArbitrary(decl), (value) => {
        const theirs = streamEncode(decl, value);
        expect(ours.decode(theirs)).toEqual(value);
        const mine = ours.encode(value);
        expect(streamDecode(decl, mine)).toEqual(value);
        expect(mine.equals(theirs)).toBe(true);
      }),
      { numRuns: runs },
    );
    // and the all-defaults value, which @tars/stream writes with ZERO heads and empty containers
    const empty = ours.create() as object;
    expect(ours.decode(streamEncode(decl, empty))).toEqual(empty);
    expect(streamDecode(decl, ours.encode(empty))).toEqual(empty);
  });
});
