// Bad input gets a clear error: for every vendored struct, corrupted or truncated encodings and
// random bytes either decode or fail with TarsDecodeError, never with another exception.
import fc from 'fast-check';
import { TarsDecodeError } from '@tars-ts/codec';
import { describe, expect, it } from 'vitest';
import { structArbitrary } from './arbitraries.ts';
import { generatedStruct, vendoredProgram, vendoredStructs } from './vendored.ts';

const runs = Number(process.env.TARS_CONFORMANCE_RUNS ?? 60);
const structs = vendoredStructs(vendoredProgram());

function decodeOrDecodeError(decode: () => unknown): void {
  try {
    decode();
  } catch (e) {
    expect(e).toBeInstanceOf(TarsDecodeError);
  }
}

describe('decoding corrupted input', () => {
  it.each(structs.map((s) => [s.label, s.decl] as const))('%s', (_label, decl) => {
    const gen = generatedStruct(decl);
    fc.assert(
      fc.property(structArbitrary(decl), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), (value, at, byte, truncate) => {
        const buf = gen.encode(value);
        if (buf.length === 0) return;
        const bad = truncate ? buf.subarray(0, at % buf.length) : Buffer.from(buf);
        if (!truncate) bad[at % buf.length] = byte;
        decodeOrDecodeError(() => gen.decode(bad));
      }),
      { numRuns: Math.ceil(runs / 2) },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => decodeOrDecodeError(() => gen.decode(bytes))),
      { numRuns: Math.ceil(runs / 2) },
    );
  });

  it('a required field missing from a truncated encoding is named', () => {
    const s = structs.find((x) => x.label === 'EndpointF.tars tars.EndpointF')!.decl;
    const gen = generatedStruct(s);
    const buf = gen.encode(gen.create({ host: 'h', port: 1 }));
    // 06 01 68 (host) 10 01 (port): timeout (tag 2) is required and absent
    expect(() => gen.decode(buf.subarray(0, 5))).toThrow('tars.EndpointF: required field timeout is missing (tag 2)');
  });
});
