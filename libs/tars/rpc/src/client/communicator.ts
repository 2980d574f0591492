// The client root: owns object proxies (one per name), the connection pool (one multiplexed
// connection per endpoint), the locator, and a single timer that expires calls.
import { DEFAULT_MAX_PACKET_SIZE } from '@tars-ts/codec';
import { endpointKey, parseProxyString, type Endpoint } from '../endpoint.ts';
import { ConnectionError } from '../errors.ts';
import { TarsCode } from '../codes.ts';
import { stderrLogger, type Logger } from '../logger.ts';
import type { ProxyClass, ServantProxy } from '../servant-proxy.ts';
import { ClientConnection, type ConnectionHost, type ConnectionSettings } from './connection.ts';
import { Locator } from './locator.ts';
import { ObjectProxy, type ProxyHost } from './object-proxy.ts';

export interface CommunicatorOptions {
  /** `tars.tarsregistry.QueryObj@tcp -h HOST -p 17890[:...]`: resolves names given without '@'. */
  locator?: string;
  /** Default call timeout (ms, default 3000). */
  timeout?: number;
  /** Locator refresh (ms, default 60000), retry after an empty answer (10000), after an error (2000). */
  refreshInterval?: number;
  emptyRetryInterval?: number;
  errorRetryInterval?: number;
  /** `name.area.group` to look endpoints up by set. */
  setId?: string;
  /** context node_name on locator calls (default: none; the registry then uses our IP). */
  nodeName?: string;
  logger?: Logger;
  /** Reconnect backoff: first delay and cap (ms, default 100 and 5000). */
  backoffBase?: number;
  backoffMax?: number;
  /** Cool-down of a failing endpoint (ms, default 5000). */
  ejectTime?: number;
  /** Consecutive timeouts that eject an endpoint (default 5). */
  maxConsecutiveTimeouts?: number;
  /**
   * Bytes waiting to be sent per endpoint (while connecting, or not yet taken by the kernel)
   * beyond which calls are refused with ConnectionError -13 (default 16 MiB).
   */
  maxQueuedBytes?: number;
  /** Calls allowed to wait for a locator answer per object (default 10000). */
  maxWaiting?: number;
  /** Timeout granularity: how often pending calls are checked (ms, default 10). */
  sweepInterval?: number;
  connectTimeout?: number;
  maxPacketSize?: number;
}

export class Communicator implements ConnectionHost, ProxyHost {
  readonly logger: Logger;
  readonly timeout: number;
  readonly maxWaiting: number;
  healthVersion = 0;
  private readonly options: CommunicatorOptions;
  private readonly settings: ConnectionSettings;
  private readonly connections = new Map<string, ClientConnection>();
  private readonly proxies = new Map<string, ObjectProxy>();
  private readonly watched = new Set<ClientConnection>();
  private readonly waitingProxies = new Set<ObjectProxy>();
  private readonly sweepInterval: number;
  private sweepTimer: NodeJS.Timeout | undefined;
  private locatorInstance: Locator | undefined;
  private closed = false;

  constructor(options: CommunicatorOptions = {}) {
    this.options = options;
    this.logger = options.logger ?? stderrLogger;
    this.timeout = options.timeout ?? 3000;
    this.maxWaiting = options.maxWaiting ?? 10_000;
    this.sweepInterval = options.sweepInterval ?? 10;
    this.settings = {
      logger: this.logger,
      backoffBase: options.backoffBase ?? 100,
      backoffMax: options.backoffMax ?? 5000,
      ejectTime: options.ejectTime ?? 5000,
      maxConsecutiveTimeouts: options.maxConsecutiveTimeouts ?? 5,
      maxQueuedBytes: options.maxQueuedBytes ?? 16 * 1024 * 1024,
      maxPacketSize: options.maxPacketSize ?? DEFAULT_MAX_PACKET_SIZE,
      connectTimeout: options.connectTimeout ?? 3000,
    };
  }

  /**
   * A typed proxy for `Obj@tcp -h H -p P[:...]` or a bare `Obj` (resolved through the locator).
   * Proxies of the same name share one ObjectProxy (and its endpoints and connections).
   */
  stringToProxy<T extends ServantProxy>(Proxy: ProxyClass<T>, name: string, options?: { timeout?: number }): T {
    const op = this.objectProxy(name);
    if (options?.timeout !== undefined) op.timeout = options.timeout;
    return new Proxy(op);
  }

  /** The untyped object proxy for a name (cached). */
  objectProxy(name: string): ObjectProxy {
    if (this.closed) throw new ConnectionError('communicator closed', TarsCode.SEND_REQUEST_ERR);
    const key = name.trim();
    let op = this.proxies.get(key);
    if (op) return op;
    const target = parseProxyString(key);
    op = new ObjectProxy(target.objectName, this, this.timeout, target.endpoints);
    this.proxies.set(key, op);
    if (!target.endpoints) this.locator().watch(op);
    return op;
  }

  private locator(): Locator {
    if (this.locatorInstance) return this.locatorInstance;
    const text = this.options.locator;
    if (!text || !text.includes('@')) {
      throw new ConnectionError(`no locator configured (need "tars.tarsregistry.QueryObj@tcp -h ... -p ...")`, TarsCode.ADAPTER_NULL);
    }
    const target = parseProxyString(text);
    const query = new ObjectProxy(target.objectName, this, this.options.timeout ?? 3000, target.endpoints);
    this.locatorInstance = new Locator(query, {
      refreshInterval: this.options.refreshInterval ?? 60_000,
      emptyRetryInterval: this.options.emptyRetryInterval ?? 10_000,
      errorRetryInterval: this.options.errorRetryInterval ?? 2000,
      lookupTimeout: 3000,
      setId: this.options.setId,
      nodeName: this.options.nodeName,
      logger: this.logger,
    });
    return this.locatorInstance;
  }

  /** Locator lookups made so far (0 without a locator). */
  get locatorLookups(): number {
    return this.locatorInstance?.lookups ?? 0;
  }

  // ---- hosts for connections and proxies --------------------------------------------------

  connectionFor(ep: Endpoint): ClientConnection {
    const key = endpointKey(ep);
    let c = this.connections.get(key);
    if (!c || c.isClosed) {
      c = new ClientConnection(ep, this.settings, this);
      this.connections.set(key, c);
    }
    return c;
  }

  /** Drops one proxy's use of a connection; unused ones close once their calls are answered. */
  releaseConnection(conn: ClientConnection): void {
    if (--conn.refs > 0) return;
    const key = endpointKey(conn.endpoint);
    if (this.connections.get(key) === conn) this.connections.delete(key);
    conn.retire();
  }

  healthChanged(): void {
    this.healthVersion++;
  }

  watch(conn: ClientConnection): void {
    this.watched.add(conn);
    this.startSweep();
  }

  watchWaiting(proxy: ObjectProxy): void {
    this.waitingProxies.add(proxy);
    this.startSweep();
  }

  private startSweep(): void {
    if (this.sweepTimer || this.closed) return;
    this.sweepTimer = setInterval(this.sweep, this.sweepInterval);
    this.sweepTimer.unref();
  }

  private readonly sweep = (): void => {
    const now = performance.now();
    for (const c of this.watched) if (!c.sweep(now)) this.watched.delete(c);
    for (const p of this.waitingProxies) if (!p.sweepWaiting(now)) this.waitingProxies.delete(p);
    if (this.watched.size === 0 && this.waitingProxies.size === 0) {
      clearInterval(this.sweepTimer);
      this.sweepTimer = undefined;
    }
  };

  /** Closes every connection and the locator; pending calls fail with ConnectionError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.locatorInstance?.close();
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    const error = new ConnectionError('communicator closed', TarsCode.SEND_REQUEST_ERR);
    for (const p of this.proxies.values()) p.failWaiting(error);
    for (const c of this.connections.values()) c.close();
    this.connections.clear();
    this.proxies.clear();
  }
}
