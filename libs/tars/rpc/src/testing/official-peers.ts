// The official @tars/rpc client and server as interop peers. There is no tars2node here, so the
// Echo proxy and servant are written by hand against @tars/stream, as generated code would be
// (reference tars-protocol.md §6).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const TarsRpc = require('@tars/rpc');
const TarsStream = require('@tars/stream');
const EndpointF = require('@tars/registry/EndpointFTars.js').tars.EndpointF;

const TUP = 3;

function endpointList(): unknown {
  const list = new TarsStream.List(EndpointF);
  for (let i = 0; i < 3; i++) {
    const e = new EndpointF();
    e.host = `10.0.0.${10 + i}`;
    e.port = 20000 + i;
    e.timeout = 60000;
    e.istcp = 1;
    e.nodeName = `node-${i}`;
    list.push(e);
  }
  return list;
}

const ENDPOINTS = endpointList();

/** A tars2node-style servant for the Echo interface (see echo-service.ts). */
function EchoImp(this: any) {}
EchoImp.prototype.initialize = function () {};
EchoImp.prototype.onDispatch = function (current: any, funcName: string, buf: any): number {
  const tup = current.getRequestVersion() === TUP;
  let attr: any;
  let is: any;
  if (tup) {
    attr = new TarsStream.UniAttribute();
    attr.tupVersion = TUP;
    attr.decode(buf);
  } else {
    is = new TarsStream.TarsInputStream(buf);
  }
  const reply = (fill: (os: any) => void, fillTup: (a: any) => void) => {
    if (tup) {
      const out = new TarsStream.UniAttribute();
      out.tupVersion = TUP;
      fillTup(out);
      current.doResponse(out.encode());
    } else {
      const os = new TarsStream.TarsOutputStream();
      fill(os);
      current.doResponse(os.getBinBuffer());
    }
  };
  switch (funcName) {
    case 'echo': {
      const s = tup ? attr.readString('s') : is.readString(1, true, '');
      reply((os) => os.writeString(0, s), (a) => a.writeString('', s));
      return 0;
    }
    case 'add': {
      const a = tup ? attr.readInt32('a') : is.readInt32(1, true, 0);
      const b = tup ? attr.readInt32('b') : is.readInt32(2, true, 0);
      reply(
        (os) => { os.writeInt32(0, 0); os.writeInt32(3, a + b); },
        (u) => { u.writeInt32('', 0); u.writeInt32('sum', a + b); },
      );
      return 0;
    }
    case 'lookup': {
      // one list built once, as our Echo servant returns a constant (a fair comparison)
      reply((os) => os.writeList(0, ENDPOINTS), (u) => u.writeList('', ENDPOINTS));
      return 0;
    }
    case 'fail':
      current.sendErrorResponse(-42, 'told to fail');
      return 0;
    default:
      return -3;
  }
};

export interface OfficialServer {
  stop(): void;
}

export function startOfficialServer(port: number, servant: string): OfficialServer {
  const svr = TarsRpc.server.createServer(EchoImp);
  svr.start({ endpoint: `tcp -h 127.0.0.1 -p ${port} -t 60000`, servant, protocol: 'tars' });
  return svr;
}

/** A tars2node-style client proxy for Echo on the official client. */
function OfficialEchoProxy(this: any) {
  this._name = undefined;
  this._worker = undefined;
}
OfficialEchoProxy.prototype.echo = function (s: string, prop?: object) {
  const os = new TarsStream.TarsOutputStream();
  os.writeString(1, s);
  return this._worker.tars_invoke('echo', os.getBinBuffer(), prop).then((data: any) => {
    const is = new TarsStream.TarsInputStream(data.response.sBuffer);
    return is.readString(0, true, '');
  });
};
OfficialEchoProxy.prototype.add = function (a: number, b: number) {
  const os = new TarsStream.TarsOutputStream();
  os.writeInt32(1, a);
  os.writeInt32(2, b);
  return this._worker.tars_invoke('add', os.getBinBuffer(), {}).then((data: any) => {
    const is = new TarsStream.TarsInputStream(data.response.sBuffer);
    return { ret: is.readInt32(0, true, 0), sum: is.readInt32(3, true, 0) };
  });
};
OfficialEchoProxy.prototype.lookup = function (id: string) {
  const os = new TarsStream.TarsOutputStream();
  os.writeString(1, id);
  return this._worker.tars_invoke('lookup', os.getBinBuffer(), {}).then((data: any) => {
    const is = new TarsStream.TarsInputStream(data.response.sBuffer);
    return is.readList(0, true, TarsStream.List(EndpointF)).toObject();
  });
};
OfficialEchoProxy.prototype.notify = function (s: string) {
  const os = new TarsStream.TarsOutputStream();
  os.writeString(1, s);
  return this._worker.tars_invoke('notify', os.getBinBuffer(), { packetType: 1 }).catch(() => undefined);
};
OfficialEchoProxy.prototype.raw = function (func: string) {
  return this._worker.tars_invoke(func, new TarsStream.TarsOutputStream().getBinBuffer(), {});
};
// TUP (iVersion 3): the whole object proxy speaks TUP once its version is 3.
OfficialEchoProxy.prototype.tupAdd = function (a: number, b: number) {
  const attr = new TarsStream.UniAttribute();
  attr.tupVersion = TUP;
  attr.writeInt32('a', a);
  attr.writeInt32('b', b);
  return this._worker.tup_invoke('add', attr, {}).then((data: any) => ({
    ret: data.response.tup.readInt32(''),
    sum: data.response.tup.readInt32('sum'),
    code: data.response.iRet,
  }));
};
OfficialEchoProxy.prototype.tupEcho = function (s: string) {
  const attr = new TarsStream.UniAttribute();
  attr.tupVersion = TUP;
  attr.writeString('s', s);
  return this._worker.tup_invoke('echo', attr, {}).then((data: any) => data.response.tup.readString(''));
};

export interface OfficialEcho {
  echo(s: string, prop?: object): Promise<string>;
  add(a: number, b: number): Promise<{ ret: number; sum: number }>;
  lookup(id: string): Promise<Array<Record<string, unknown>>>;
  notify(s: string): Promise<void>;
  raw(func: string): Promise<unknown>;
  tupAdd(a: number, b: number): Promise<{ ret: number; sum: number; code: number }>;
  tupEcho(s: string): Promise<string>;
}

export interface OfficialClient {
  proxy(name: string, version?: 1 | 3): OfficialEcho;
  destroy(): void;
}

export function officialClient(): OfficialClient {
  const comm = TarsRpc.Communicator.New();
  return {
    proxy(name: string, version: 1 | 3 = 1): OfficialEcho {
      const p = comm.stringToProxy(OfficialEchoProxy, name);
      if (version === TUP) p._worker.version = TUP;
      return p;
    },
    destroy: () => comm.destroy(),
  };
}
