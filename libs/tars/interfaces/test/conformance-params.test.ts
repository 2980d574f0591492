// CONFORMANCE of the descriptors: every parameter and return value of every method of every
// vendored interface (e.g. StatF.reportMicMsg's map<StatMicMsgHead, StatMicMsgBody>, struct keys)
// written by our ValueCodec is read back by @tars/stream, and the reverse, at its positional tag.
import fc from 'fast-check';
import { TarsReader, TarsWriter } from '@tars-ts/codec';
import type { TypeRef } from '@tars-ts/idl';
import type { ValueCodec } from '@tars-ts/rpc';
import { describe, expect, it } from 'vitest';
import { arbitraryOf } from './arbitraries.ts';
import { streamDecodeValue, streamEncodeValue } from './stream-oracle.ts';
import { generatedDescriptor, vendoredInterfaces, vendoredProgram } from './vendored.ts';

const runs = Number(process.env.TARS_CONFORMANCE_RUNS ?? 60);
const interfaces = vendoredInterfaces(vendoredProgram());

function check(t: TypeRef, codec: ValueCodec<unknown>, tag: number): void {
  fc.assert(
    fc.property(arbitraryOf(t), (value) => {
      const theirs = streamEncodeValue(t, tag, value);
      const r = new TarsReader(theirs);
      expect(r.nextField()).toBe(true);
      expect(r.tag).toBe(tag);
      expect(codec.read(r)).toEqual(value);
      expect(r.done).toBe(true);
      const w = new TarsWriter();
      codec.write(w, tag, value);
      const mine = w.toBuffer();
      expect(streamDecodeValue(t, tag, mine)).toEqual(value);
      expect(mine.equals(theirs)).toBe(true);
    }),
    { numRuns: Math.ceil(runs / 3) },
  );
}

describe('generated descriptors against @tars/stream', () => {
  it('covers every interface of every vendored file', () => {
    expect(interfaces.length).toBe(21);
  });

  it.each(interfaces.map((i) => [i.label, i.decl] as const))('%s', (_label, decl) => {
    const d = generatedDescriptor(decl);
    expect(Object.keys(d.methods)).toEqual(decl.methods.map((m) => m.name));
    for (const m of decl.methods) {
      const md = d.methods[m.name];
      expect(md.params.map((p) => [p.name, p.tag, p.out])).toEqual(m.params.map((p, i) => [p.name, i + 1, p.out]));
      if (m.returns) check(m.returns, md.ret!, 0);
      else expect(md.ret).toBeUndefined();
      m.params.forEach((p, i) => check(p.type, md.params[i], i + 1));
    }
  });
});
