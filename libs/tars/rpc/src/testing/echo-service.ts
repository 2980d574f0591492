// A small hand-written interface used by the tests and the benchmark: descriptors in the exact
// shape the IDL generator emits, plus a servant implementation. Not exported by the package.
import { TarsError } from '../errors.ts';
import { Servant } from '../servant.ts';
import { ServantProxy } from '../servant-proxy.ts';
import type { CallOptions, Current, InterfaceDescriptor, ParamDescriptor, ValueCodec } from '../types.ts';
import { endpointFListCodec, int32Codec, makeEndpointF, stringCodec, type EndpointF } from '../client/query-codecs.ts';

function param<T>(name: string, tag: number, out: boolean, codec: ValueCodec<T>): ParamDescriptor {
  return { ...(codec as ValueCodec<unknown>), name, tag, out };
}

export const EchoDescriptor: InterfaceDescriptor = {
  name: 'test.Echo',
  methods: {
    echo: { name: 'echo', ret: stringCodec as ValueCodec<unknown>, params: [param('s', 1, false, stringCodec)] },
    add: {
      name: 'add',
      ret: int32Codec as ValueCodec<unknown>,
      params: [param('a', 1, false, int32Codec), param('b', 2, false, int32Codec), param('sum', 3, true, int32Codec)],
    },
    sleep: { name: 'sleep', ret: int32Codec as ValueCodec<unknown>, params: [param('ms', 1, false, int32Codec)] },
    fail: { name: 'fail', params: [param('code', 1, false, int32Codec)] },
    lookup: { name: 'lookup', ret: endpointFListCodec as ValueCodec<unknown>, params: [param('id', 1, false, stringCodec)] },
    notify: { name: 'notify', params: [param('s', 1, false, stringCodec)] },
    whoami: { name: 'whoami', ret: stringCodec as ValueCodec<unknown>, params: [] },
  },
};

export class EchoProxy extends ServantProxy {
  echo(s: string, o?: CallOptions): Promise<string> {
    return this.invoke(EchoDescriptor.methods.echo, [s], o) as Promise<string>;
  }
  add(a: number, b: number, o?: CallOptions): Promise<{ ret: number; sum: number }> {
    return this.invoke(EchoDescriptor.methods.add, [a, b], o) as Promise<{ ret: number; sum: number }>;
  }
  sleep(ms: number, o?: CallOptions): Promise<number> {
    return this.invoke(EchoDescriptor.methods.sleep, [ms], o) as Promise<number>;
  }
  fail(code: number, o?: CallOptions): Promise<void> {
    return this.invoke(EchoDescriptor.methods.fail, [code], o) as Promise<void>;
  }
  lookup(id: string, o?: CallOptions): Promise<EndpointF[]> {
    return this.invoke(EchoDescriptor.methods.lookup, [id], o) as Promise<EndpointF[]>;
  }
  notify(s: string, o?: CallOptions): Promise<void> {
    return this.invoke(EchoDescriptor.methods.notify, [s], o) as Promise<void>;
  }
  whoami(o?: CallOptions): Promise<string> {
    return this.invoke(EchoDescriptor.methods.whoami, [], o) as Promise<string>;
  }
}

/** Three endpoints, shaped like a registry answer (the benchmark's reply). */
export const SAMPLE_ENDPOINTS: EndpointF[] = [0, 1, 2].map((i) =>
  makeEndpointF({ host: `10.0.0.${10 + i}`, port: 20000 + i, timeout: 60000, istcp: 1, setId: '', nodeName: `node-${i}` }),
);

export class EchoServant extends Servant {
  static readonly descriptor = EchoDescriptor;
  /** Name of this instance, returned by whoami (tells tests which server answered). */
  readonly label: string;
  notified: string[] = [];
  calls = 0;
  constructor(label = 'echo') {
    super();
    this.label = label;
  }
  echo(_c: Current, s: string): string {
    this.calls++;
    return s;
  }
  async add(_c: Current, a: number, b: number): Promise<{ ret: number; sum: number }> {
    this.calls++;
    return { ret: 0, sum: a + b };
  }
  sleep(_c: Current, ms: number): Promise<number> {
    this.calls++;
    return new Promise((r) => setTimeout(() => r(ms), ms));
  }
  fail(_c: Current, code: number): void {
    this.calls++;
    if (code === 0) throw new Error('plain failure');
    throw new TarsError(code, `failed with ${code}`);
  }
  lookup(_c: Current, _id: string): EndpointF[] {
    this.calls++;
    return SAMPLE_ENDPOINTS;
  }
  notify(_c: Current, s: string): void {
    this.calls++;
    this.notified.push(s);
  }
  whoami(c: Current): string {
    this.calls++;
    c.responseContext.set('served-by', this.label);
    return `${this.label}|${c.callerHost}`;
  }
}
