// INTEROP with the struct classes the official npm packages ship pre-generated (@tars/registry
// EndpointF, @tars/monitor StatF/PropertyF, @tars/notify, @tars/config, @tars/rpc RequestF,
// @tars/winston-tars LogF): our bytes are read by their `_readFrom`, and their re-encoding of
// what they read is byte-identical to ours and decodes back to the same value with our code.
// Their copies of some IDL files are older (fewer optional fields); those fields are left at
// their defaults here, as an older peer would.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { StructDecl, TypeRef } from '@tars-ts/idl';
import { describe, expect, it } from 'vitest';
import { arbitraryOf } from './arbitraries.ts';
import { generatedStruct, vendoredProgram, vendoredStructs } from './vendored.ts';

const require = createRequire(import.meta.url);
const Tars = require('@tars/stream') as any;
// @tars/winston-tars needs winston 2, so it lives in its own workspace
const peersRequire = createRequire(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../tools/interop-peers/package.json'));

const SHIPPED: Array<[pkg: string, load: () => any]> = [
  ['@tars/registry', () => require('@tars/registry/EndpointFTars.js')],
  ['@tars/monitor stat', () => require('@tars/monitor/stat/StatFProxy.js')],
  ['@tars/monitor property', () => require('@tars/monitor/property/PropertyFProxy.js')],
  ['@tars/notify', () => require('@tars/notify/NotifyFProxy.js')],
  ['@tars/config', () => require('@tars/config/ConfigFProxy.js')],
  ['@tars/rpc RequestF', () => require('@tars/rpc/core/rpc-tars/RequestF.js')],
  ['@tars/winston-tars', () => peersRequire('@tars/winston-tars/transport/tars-remote/LogFProxy.js')],
];

const runs = Number(process.env.TARS_CONFORMANCE_RUNS ?? 60);
const ours = vendoredStructs(vendoredProgram()).filter((s) => !s.label.startsWith('k8s/'));

/** Their generated JS reads int64 as a JS number: stay within the safe range. */
function safeArbitrary(t: TypeRef): fc.Arbitrary<unknown> {
  if (t.kind === 'primitive' && t.name === 'long') return fc.bigInt({ min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n });
  if (t.kind === 'named' && t.target!.kind === 'struct') return safeStruct(t.target!, new Set());
  if (t.kind === 'vector' && !(t.element.kind === 'primitive' && t.element.name === 'byte')) return fc.array(safeArbitrary(t.element), { maxLength: 3 });
  if (t.kind === 'map') {
    return fc
      .uniqueArray(fc.tuple(arbitraryOf(t.key).filter((k) => k !== '__proto__'), safeArbitrary(t.value)), { maxLength: 3, selector: ([k]) => String(k) })
      .map((entries) => new Map(objectKeyOrder(entries)));
  }
  return arbitraryOf(t);
}

function safeStruct(s: StructDecl, known: Set<string> | null): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const defaults = generatedStruct(s).create() as Record<string, unknown>;
  for (const f of s.fields) model[f.name] = known && known.size && !known.has(f.name) ? fc.constant(defaults[f.name]) : safeArbitrary(f.type);
  return fc.record(model);
}

/** Their maps are JS objects: integer-like keys come first, ascending, on re-encoding. */
function objectKeyOrder<K, V>(entries: Array<[K, V]>): Array<[K, V]> {
  const isIndex = (k: unknown) => /^(0|[1-9]\d*)$/.test(String(k)) && Number(k) < 2 ** 32 - 1;
  const idx = entries.filter(([k]) => isIndex(k)).sort((a, b) => Number(a[0]) - Number(b[0]));
  return [...idx, ...entries.filter(([k]) => !isIndex(k))];
}

const cases: Array<[label: string, decl: StructDecl, cls: any]> = [];
for (const [pkg, load] of SHIPPED) {
  const mod = load().tars;
  for (const s of ours) {
    const cls = mod[s.decl.name];
    if (typeof cls === 'function' && typeof cls._readFrom === 'function') cases.push([`${pkg} ${s.decl.name}`, s.decl, cls]);
  }
}

describe('generated structs against the classes shipped in @tars/* packages', () => {
  it('finds the shipped classes', () => {
    expect(cases.map((c) => c[0])).toEqual([
      '@tars/registry EndpointF',
      '@tars/monitor stat StatMicMsgHead',
      '@tars/monitor stat StatMicMsgBody',
      '@tars/monitor stat StatSampleMsg',
      '@tars/monitor stat ProxyInfo',
      '@tars/monitor property StatPropMsgHead',
      '@tars/monitor property StatPropInfo',
      '@tars/monitor property StatPropMsgBody',
      '@tars/notify ReportInfo',
      '@tars/config ConfigInfo',
      '@tars/config GetConfigListInfo',
      '@tars/rpc RequestF RequestPacket',
      '@tars/rpc RequestF ResponsePacket',
      '@tars/winston-tars LogInfo',
    ]);
  });

  it.each(cases)('%s', (_label, decl, cls) => {
    const gen = generatedStruct(decl);
    // fields their (older) copy knows: what a fresh instance carries
    const known = new Set(Object.keys(new cls()).filter((k) => !k.startsWith('_')));
    const complete = decl.fields.every((f) => known.has(f.name));
    fc.assert(
      fc.property(safeStruct(decl, known), (value) => {
        const mine = gen.encode(value);
        const obj = cls._readFrom(new Tars.TarsInputStream(new Tars.BinBuffer(Buffer.from(mine))));
        const os = new Tars.TarsOutputStream();
        obj._writeTo(os);
        const theirs: Buffer = os.getBinBuffer().toNodeBuffer();
        // an older copy drops the fields it does not know (they are at their defaults here)
        if (complete) expect(theirs.equals(mine)).toBe(true);
        expect(gen.decode(theirs)).toEqual(value);
      }),
      { numRuns: runs },
    );
  });
});
