// The few QueryF / EndpointF codecs the locator needs, written by hand (tars-idl/QueryF.tars,
// EndpointF.tars) so rpc does not depend on generated code. Private to this library.
import type { TarsReader, TarsWriter } from '@tars-ts/codec';
import { TarsDecodeError } from '@tars-ts/codec';
import type { InterfaceDescriptor, MethodDescriptor, ParamDescriptor, ValueCodec } from '../types.ts';

export interface EndpointF {
  host: string;
  port: number;
  timeout: number;
  istcp: number;
  grid: number;
  groupworkid: number;
  grouprealid: number;
  setId: string;
  qos: number;
  bakFlag: number;
  weight: number;
  weightType: number;
  authType: number;
  nodeName: string;
}

export function makeEndpointF(init: Partial<EndpointF> = {}): EndpointF {
  return {
    host: '', port: 0, timeout: 0, istcp: 0, grid: 0, groupworkid: 0, grouprealid: 0, setId: '',
    qos: 0, bakFlag: 0, weight: 0, weightType: 0, authType: 0, nodeName: '', ...init,
  };
}

export const endpointFCodec: ValueCodec<EndpointF> = {
  tupType: 'tars.EndpointF',
  empty: () => makeEndpointF(),
  write(w: TarsWriter, tag: number, v: EndpointF): void {
    w.writeStructBegin(tag);
    w.writeString(0, v.host);
    w.writeInt32(1, v.port);
    w.writeInt32(2, v.timeout);
    w.writeInt32(3, v.istcp);
    w.writeInt32(4, v.grid);
    w.writeInt32(5, v.groupworkid);
    w.writeInt32(6, v.grouprealid);
    w.writeString(7, v.setId);
    w.writeInt32(8, v.qos);
    w.writeInt32(9, v.bakFlag);
    w.writeInt32(11, v.weight);
    w.writeInt32(12, v.weightType);
    w.writeInt32(13, v.authType);
    w.writeString(14, v.nodeName);
    w.writeStructEnd();
  },
  read(r: TarsReader): EndpointF {
    r.beginStruct();
    // one literal with every field (no spread): decoded endpoints share one hidden class
    const v: EndpointF = {
      host: '', port: 0, timeout: 0, istcp: 0, grid: 0, groupworkid: 0, grouprealid: 0, setId: '',
      qos: 0, bakFlag: 0, weight: 0, weightType: 0, authType: 0, nodeName: '',
    };
    let required = 0;
    while (r.nextField()) {
      switch (r.tag) {
        case 0: v.host = r.readString(); required |= 1; break;
        case 1: v.port = r.readInt32(); required |= 2; break;
        case 2: v.timeout = r.readInt32(); required |= 4; break;
        case 3: v.istcp = r.readInt32(); required |= 8; break;
        case 4: v.grid = r.readInt32(); required |= 16; break;
        case 5: v.groupworkid = r.readInt32(); break;
        case 6: v.grouprealid = r.readInt32(); break;
        case 7: v.setId = r.readString(); break;
        case 8: v.qos = r.readInt32(); break;
        case 9: v.bakFlag = r.readInt32(); break;
        case 11: v.weight = r.readInt32(); break;
        case 12: v.weightType = r.readInt32(); break;
        case 13: v.authType = r.readInt32(); break;
        case 14: v.nodeName = r.readString(); break;
        default: r.skipField();
      }
    }
    if (required !== 31) throw new TarsDecodeError('tars.EndpointF: a required field (tags 0-4) is missing');
    return v;
  },
};

export const endpointFListCodec: ValueCodec<EndpointF[]> = {
  tupType: 'list<tars.EndpointF>',
  empty: () => [],
  write(w, tag, v) {
    w.writeListBegin(tag, v.length);
    for (const e of v) endpointFCodec.write(w, 0, e);
  },
  read(r) {
    const n = r.readListSize();
    const out: EndpointF[] = [];
    for (let i = 0; i < n; i++) {
      r.expectElement(0);
      out.push(endpointFCodec.read(r));
    }
    return out;
  },
};

export const stringCodec: ValueCodec<string> = {
  tupType: 'string',
  empty: () => '',
  write: (w, tag, v) => w.writeString(tag, v),
  read: (r) => r.readString(),
};

export const int32Codec: ValueCodec<number> = {
  tupType: 'int32',
  empty: () => 0,
  write: (w, tag, v) => w.writeInt32(tag, v),
  read: (r) => r.readInt32(),
};

function param<T>(name: string, tag: number, out: boolean, codec: ValueCodec<T>): ParamDescriptor {
  return { ...(codec as ValueCodec<unknown>), name, tag, out };
}

const findObjectById: MethodDescriptor = {
  name: 'findObjectById',
  ret: endpointFListCodec as ValueCodec<unknown>,
  params: [param('id', 1, false, stringCodec)],
};

function lookup(name: string, extra: ParamDescriptor[]): MethodDescriptor {
  const n = extra.length + 1;
  return {
    name,
    ret: int32Codec as ValueCodec<unknown>,
    params: [
      param('id', 1, false, stringCodec),
      ...extra,
      param('activeEp', n + 1, true, endpointFListCodec),
      param('inactiveEp', n + 2, true, endpointFListCodec),
    ],
  };
}

/** The QueryF methods the locator uses (descriptor shape identical to generated code). */
export const QueryFDescriptor: InterfaceDescriptor = {
  name: 'tars.QueryF',
  methods: {
    findObjectById,
    findObjectById4Any: lookup('findObjectById4Any', []),
    findObjectById4All: lookup('findObjectById4All', []),
    findObjectByIdInSameGroup: lookup('findObjectByIdInSameGroup', []),
    findObjectByIdInSameStation: lookup('findObjectByIdInSameStation', [param('sStation', 2, false, stringCodec)]),
    findObjectByIdInSameSet: lookup('findObjectByIdInSameSet', [param('setId', 2, false, stringCodec)]),
  },
};

export interface LookupResult {
  ret: number;
  activeEp: EndpointF[];
  inactiveEp: EndpointF[];
}
