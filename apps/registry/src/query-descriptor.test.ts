import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { TarsDecodeError, TarsReader, TarsWriter } from '@tars-ts/codec';
import { EndpointF, QueryF } from '@tars-ts/interfaces';
import { FastQueryFDescriptor, IdBytes } from './query-descriptor.ts';
import { EndpointList } from './endpoint-list.ts';

const require = createRequire(import.meta.url);
const TarsStream = require('@tars/stream');
const OfficialEndpointF = require('@tars/registry/EndpointFTars.js').tars.EndpointF;

const eps = [
  EndpointF.EndpointF.create({ host: 'a-b-0.a-b', port: 10000, timeout: 60000, istcp: 1 }),
  EndpointF.EndpointF.create({ host: 'h\u00e9', port: 1, timeout: 0, istcp: 0, nodeName: 'n' }),
  EndpointF.EndpointF.create({ host: 'x', port: 2, timeout: 3, istcp: 2, grid: 4, groupworkid: -1, grouprealid: 6, setId: 's.a.1', qos: 7, bakFlag: 1, weight: 9, weightType: 10, authType: 11, nodeName: 'node' }),
];

function bytes(write: (w: TarsWriter) => void): Buffer {
  const w = new TarsWriter();
  write(w);
  return w.toBuffer();
}

const listCodecs = () => Object.keys(QueryF.QueryFDescriptor.methods).flatMap((name) => {
  const gen = QueryF.QueryFDescriptor.methods[name];
  const fast = FastQueryFDescriptor.methods[name];
  return [[gen.ret, fast.ret], ...gen.params.map((p, i) => [p, fast.params[i]])].filter(([g]) => g?.tupType === 'list<tars.EndpointF>') as [NonNullable<typeof gen.ret>, NonNullable<typeof gen.ret>][];
});

describe('FastQueryFDescriptor', () => {
  it('writes an EndpointList that the generated reader reads back as the same endpoints', () => {
    expect(listCodecs().length).toBe(11);
    for (const [g, f] of listCodecs()) {
      expect(f.tupType).toBe(g.tupType);
      for (const list of [eps, []]) {
        for (const tag of [0, 2, 3, 20]) {
          const r = new TarsReader(bytes((w) => f.write(w, tag, new EndpointList(list))));
          expect(r.nextField()).toBe(true);
          expect(r.tag).toBe(tag);
          expect(g.read(r)).toEqual(list);
          // arrays still go through the generated codec unchanged
          expect(bytes((w) => f.write(w, tag, list))).toEqual(bytes((w) => g.write(w, tag, list)));
        }
      }
    }
  });

  it('is read by @tars/stream as the same endpoints, with default optionals left out', () => {
    const [, f] = listCodecs()[0];
    const compact = bytes((w) => f.write(w, 0, new EndpointList(eps)));
    const full = bytes((w) => f.write(w, 0, eps));
    expect(compact.length).toBeLessThan(full.length);
    const is = new TarsStream.TarsInputStream(new TarsStream.BinBuffer(compact));
    const list = is.readList(0, true, TarsStream.List(OfficialEndpointF));
    // the npm struct predates authType (13) and nodeName (14)
    const read = list.value.map((e: Record<string, unknown>) => [e.host, e.port, e.timeout, e.istcp, e.grid, e.groupworkid, e.grouprealid, e.setId, e.qos, e.bakFlag, e.weight, e.weightType]);
    expect(read).toEqual(eps.map((e) => [e.host, e.port, e.timeout, e.istcp, e.grid, e.groupworkid, e.grouprealid, e.setId, e.qos, e.bakFlag, e.weight, e.weightType]));
  });

  it('hands the id of every lookup over as the bytes of the request, other strings as strings', () => {
    for (const name of ['findObjectById', 'findObjectById4Any', 'findObjectById4All', 'findObjectByIdInSameGroup', 'findObjectByIdInSameStation', 'findObjectByIdInSameSet']) {
      const [id, ...rest] = FastQueryFDescriptor.methods[name].params;
      for (const text of ['Test.HelloServer.HelloObj', '', 'é.ü.ß']) {
        const r = new TarsReader(bytes((w) => w.writeString(1, text)));
        r.nextField();
        const v = id.read(r);
        expect(v).toBeInstanceOf(IdBytes);
        expect(String(v)).toBe(text);
        expect(r.done).toBe(true);
      }
      // a STRING4 id (256 bytes and more) and a truncated one take the generated reader
      const long = 'x'.repeat(300);
      const r = new TarsReader(bytes((w) => w.writeString(1, long)));
      r.nextField();
      expect(id.read(r)).toBe(long);
      const cut = new TarsReader(bytes((w) => w.writeString(1, 'A.B.C')).subarray(0, 4));
      cut.nextField();
      expect(() => id.read(cut)).toThrow(TarsDecodeError);
      for (const p of rest.filter((x) => !x.out)) expect(p).toBe(QueryF.QueryFDescriptor.methods[name].params.find((g) => g.name === p.name));
    }
    const [nodeNameId] = FastQueryFDescriptor.methods.findObjectNodeName.params;
    expect(nodeNameId).toBe(QueryF.QueryFDescriptor.methods.findObjectNodeName.params[0]);
  });

  it('replaces the list codec of findObjectById and of every activeEp/inactiveEp', () => {
    const replaced = Object.values(FastQueryFDescriptor.methods).flatMap((m) => [
      ...(m.ret && m.ret !== QueryF.QueryFDescriptor.methods[m.name].ret ? [`${m.name}:ret`] : []),
      ...m.params.filter((p, i) => p !== QueryF.QueryFDescriptor.methods[m.name].params[i]).map((p) => `${m.name}:${p.name}`),
    ]);
    expect(replaced.sort()).toEqual([
      'findObjectById4All:activeEp', 'findObjectById4All:id', 'findObjectById4All:inactiveEp', 'findObjectById4Any:activeEp', 'findObjectById4Any:id', 'findObjectById4Any:inactiveEp',
      'findObjectById:id', 'findObjectById:ret', 'findObjectByIdInSameGroup:activeEp', 'findObjectByIdInSameGroup:id', 'findObjectByIdInSameGroup:inactiveEp',
      'findObjectByIdInSameSet:activeEp', 'findObjectByIdInSameSet:id', 'findObjectByIdInSameSet:inactiveEp', 'findObjectByIdInSameStation:activeEp', 'findObjectByIdInSameStation:id', 'findObjectByIdInSameStation:inactiveEp',
    ]);
  });
});
