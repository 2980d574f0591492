// The descriptor types generated code is written against (docs/design/tars-stack-contract.md).
import type { TarsReader, TarsWriter } from '@tars-ts/codec';

/** How to write/read one value at any tag. `read` reads the value under the head just read. */
export interface ValueCodec<T> {
  write(w: TarsWriter, tag: number, v: T): void;
  read(r: TarsReader): T;
  /** The default value (missing optional field, absent out parameter). */
  empty(): T;
  /** TUP type name (`int32`, `string`, `list<tars.EndpointF>`, ...). */
  tupType: string;
}

export interface ParamDescriptor<T = unknown> extends ValueCodec<T> {
  name: string;
  /** Positional tag in the argument/result block: 1..n in declaration order. */
  tag: number;
  out: boolean;
}

export interface MethodDescriptor {
  name: string;
  /** Absent for `void`. */
  ret?: ValueCodec<unknown>;
  params: ParamDescriptor[];
}

export interface InterfaceDescriptor {
  /** `module.Interface`, informational. */
  name: string;
  methods: Record<string, MethodDescriptor>;
}

/** Last (optional) argument of every generated proxy method. */
export interface CallOptions {
  /** Call timeout in ms (default: the proxy's timeout, 3000). Also sent as iTimeout. */
  timeout?: number;
  /** RequestPacket.context (a plain object or a Map, e.g. the context of the call being served). */
  context?: Record<string, string> | ReadonlyMap<string, string>;
  /** Pick the endpoint by hash instead of round robin. */
  hashCode?: number;
  /** Send one-way (cPacketType 1): resolves (to undefined) once the request is written. */
  oneway?: boolean;
  /** Protocol version: 1 TARS (default) or 3 TUP. */
  version?: 1 | 3;
  /** RequestPacket.status (framework keys). */
  status?: Record<string, string> | ReadonlyMap<string, string>;
}

/** What a servant method learns about the call it serves (first argument of every method). */
export interface Current {
  readonly servantName: string;
  readonly funcName: string;
  readonly requestId: number;
  /** iVersion: 1 TARS, 3 TUP. */
  readonly version: number;
  /** cPacketType: 0 normal, 1 one-way (no reply will be sent). */
  readonly packetType: number;
  readonly messageType: number;
  /** iTimeout of the request (ms; 0 = none given). */
  readonly timeout: number;
  readonly context: ReadonlyMap<string, string>;
  readonly status: ReadonlyMap<string, string>;
  /** Peer address and port of the connection. */
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Caller identity: context.node_name if set, else the peer IP (TarsCpp Current::getHostName). */
  readonly callerHost: string;
  /** Context to send back with the reply (ResponsePacket tag 9); empty by default. */
  readonly responseContext: Map<string, string>;
}
