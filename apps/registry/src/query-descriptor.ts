// QueryF's descriptor with two changes: every vector<EndpointF> value (the return value of
// findObjectById, the activeEp/inactiveEp out parameters) may be an EndpointList, whose
// pre-encoded elements are copied instead of encoding each EndpointF per reply; and the `id`
// argument of the lookups arrives as an IdBytes (where it lies in the request) rather than a
// string, so the index finds it without making one. The wire bytes are the same as the
// generated codec's (query-descriptor.test.ts checks it).
import { QueryF } from '@tars-ts/interfaces';
import { TarsType, type TarsReader } from '@tars-ts/codec';
import type { InterfaceDescriptor, MethodDescriptor, ParamDescriptor, ValueCodec } from '@tars-ts/rpc';
import { EndpointList } from './endpoint-list.ts';
import { utf8Of } from './id-table.ts';

const ENDPOINT_LIST_TYPE = 'list<tars.EndpointF>';

function fastListCodec<C extends ValueCodec<unknown>>(generated: C): C {
  return {
    ...generated,
    write(w, tag, v) {
      if (v instanceof EndpointList) {
        w.writeListBegin(tag, v.length);
        if (v.length > 0) w.writeRaw(v.elementBytes());
      } else {
        generated.write(w, tag, v);
      }
    },
  };
}

/**
 * An object id argument as it arrived: the UTF-8 bytes buf[start, end) of the request being
 * served. Valid only while the call runs (the request buffer is reused after it).
 */
export class IdBytes {
  readonly buf: Uint8Array;
  readonly start: number;
  readonly end: number;
  constructor(buf: Uint8Array, start: number, end: number) {
    this.buf = buf;
    this.start = start;
    this.end = end;
  }

  toString(): string {
    return utf8Of(this.buf, this.start, this.end);
  }
}

const LOOKUPS = new Set(['findObjectById', 'findObjectById4Any', 'findObjectById4All', 'findObjectByIdInSameGroup', 'findObjectByIdInSameStation', 'findObjectByIdInSameSet']);

function idBytesCodec(generated: ParamDescriptor): ParamDescriptor {
  return {
    ...generated,
    read(r: TarsReader): unknown {
      // STRING1 ids (every real one: < 256 bytes) as a view; anything else the generated way
      if (r.type !== TarsType.STRING1 || r.pos >= r.end) return generated.read(r);
      const start = r.pos + 1;
      const end = start + r.buf[r.pos];
      if (end > r.end) return generated.read(r); // truncated: let the generated reader say so
      r.pos = end;
      return new IdBytes(r.buf, start, end);
    },
  };
}

function withFastLists(m: MethodDescriptor): MethodDescriptor {
  return {
    ...m,
    ret: m.ret && m.ret.tupType === ENDPOINT_LIST_TYPE ? fastListCodec(m.ret) : m.ret,
    params: m.params.map((p) => {
      if (p.out && p.tupType === ENDPOINT_LIST_TYPE) return fastListCodec(p);
      if (LOOKUPS.has(m.name) && p.name === 'id' && p.tupType === 'string') return idBytesCodec(p);
      return p;
    }),
  };
}

export const FastQueryFDescriptor: InterfaceDescriptor = {
  name: QueryF.QueryFDescriptor.name,
  methods: Object.fromEntries(Object.entries(QueryF.QueryFDescriptor.methods).map(([k, m]) => [k, withFastLists(m)])),
};
