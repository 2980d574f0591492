// An object proxy: one servant name, its endpoints (given, or from the locator), a balancer over
// their shared connections, and the queue of calls waiting for the first locator answer.
import { formatEndpoint, type Endpoint } from '../endpoint.ts';
import { NoEndpointError, TimeoutError } from '../errors.ts';
import type { Invoker } from '../servant-proxy.ts';
import type { CallOptions, MethodDescriptor } from '../types.ts';
import { Balancer } from './balancer.ts';
import type { ClientConnection } from './connection.ts';

/** What an object proxy needs from its communicator. */
export interface ProxyHost {
  connectionFor(ep: Endpoint): ClientConnection;
  releaseConnection(conn: ClientConnection): void;
  readonly healthVersion: number;
  watchWaiting(proxy: ObjectProxy): void;
  readonly maxWaiting: number;
}

interface WaitingCall {
  method: MethodDescriptor;
  args: readonly unknown[];
  options: CallOptions | undefined;
  timeout: number;
  deadline: number;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

const PING: MethodDescriptor = { name: 'tars_ping', params: [] };

export class ObjectProxy implements Invoker {
  readonly objectName: string;
  /** Default call timeout in ms (CallOptions.timeout overrides per call). */
  timeout: number;
  private readonly host: ProxyHost;
  private readonly balancer = new Balancer<ClientConnection>();
  private eps: Endpoint[] = [];
  private resolved: boolean;
  private waiting: WaitingCall[] = [];

  constructor(objectName: string, host: ProxyHost, timeout: number, endpoints?: Endpoint[]) {
    this.objectName = objectName;
    this.host = host;
    this.timeout = timeout;
    this.resolved = endpoints !== undefined;
    if (endpoints) this.setEndpoints(endpoints);
  }

  /** Current endpoints (empty until the locator answered). */
  get endpoints(): readonly Endpoint[] {
    return this.eps;
  }

  /** Installs a new endpoint list (locator refresh) and releases calls that waited for it. */
  setEndpoints(endpoints: Endpoint[]): void {
    this.eps = endpoints;
    const old = this.balancer.all;
    const conns = endpoints.map((ep) => this.host.connectionFor(ep));
    for (const c of conns) c.refs++;
    for (const c of old) this.host.releaseConnection(c);
    this.balancer.set(conns);
    this.resolved = true;
    if (this.waiting.length > 0) {
      const waiting = this.waiting;
      this.waiting = [];
      const now = performance.now();
      for (const c of waiting) {
        const left = Math.max(1, Math.round(c.deadline - now));
        this.invoke(c.method, c.args, { ...c.options, timeout: left }).then(c.resolve, c.reject);
      }
    }
  }

  invoke(method: MethodDescriptor, args: readonly unknown[], options?: CallOptions): Promise<unknown> {
    const timeout = options?.timeout ?? this.timeout;
    if (!this.resolved) return this.wait(method, args, options, timeout);
    const conn = this.balancer.pick(performance.now(), this.host.healthVersion, options?.hashCode);
    if (conn === undefined) return Promise.reject(new NoEndpointError(`${this.objectName}: no endpoint`));
    return conn.send(this.objectName, method, args, options, timeout);
  }

  /** tars_ping: resolves when the servant answers. */
  ping(options?: CallOptions): Promise<void> {
    return this.invoke(PING, [], options) as Promise<void>;
  }

  private wait(method: MethodDescriptor, args: readonly unknown[], options: CallOptions | undefined, timeout: number): Promise<unknown> {
    if (this.waiting.length >= this.host.maxWaiting) {
      return Promise.reject(new NoEndpointError(`${this.objectName}: ${this.waiting.length} calls already wait for the locator`));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ method, args, options, timeout, deadline: performance.now() + timeout, resolve, reject });
      if (this.waiting.length === 1) this.host.watchWaiting(this);
    });
  }

  /** Rejects waiting calls past their deadline; returns whether some still wait. */
  sweepWaiting(now: number): boolean {
    if (this.waiting.length === 0) return false;
    const keep: WaitingCall[] = [];
    for (const c of this.waiting) {
      if (c.deadline <= now) c.reject(new TimeoutError(`${this.objectName}.${c.method.name}: endpoints not resolved within ${c.timeout} ms`));
      else keep.push(c);
    }
    this.waiting = keep;
    return keep.length > 0;
  }

  /** Fails every waiting call (communicator shutdown). */
  failWaiting(error: Error): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const c of waiting) c.reject(error);
  }

  toString(): string {
    return `${this.objectName}@${this.eps.map(formatEndpoint).join(':')}`;
  }
}
