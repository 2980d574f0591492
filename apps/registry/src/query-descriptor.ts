// QueryF's descriptor with one change: every vector<EndpointF> value (the return value of
// findObjectById, the activeEp/inactiveEp out parameters) may be an EndpointList, whose
// pre-encoded elements are copied instead of encoding each EndpointF per reply. The wire bytes
// are the same as the generated codec's (query-descriptor.test.ts checks it).
import { QueryF } from '@tars-ts/interfaces';
import type { InterfaceDescriptor, MethodDescriptor, ValueCodec } from '@tars-ts/rpc';
import { EndpointList } from './endpoint-list.ts';

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

function withFastLists(m: MethodDescriptor): MethodDescriptor {
  return {
    ...m,
    ret: m.ret && m.ret.tupType === ENDPOINT_LIST_TYPE ? fastListCodec(m.ret) : m.ret,
    params: m.params.map((p) => (p.out && p.tupType === ENDPOINT_LIST_TYPE ? fastListCodec(p) : p)),
  };
}

export const FastQueryFDescriptor: InterfaceDescriptor = {
  name: QueryF.QueryFDescriptor.name,
  methods: Object.fromEntries(Object.entries(QueryF.QueryFDescriptor.methods).map(([k, m]) => [k, withFastLists(m)])),
};
