// An adapter: one listening endpoint serving one or more servants, with a bounded dispatch
// queue (-9 when full, -6 when a request waited past its deadline) and idle-connection cleanup.
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { DEFAULT_MAX_PACKET_SIZE } from '@tars-ts/codec';
import { readTarsArgs, readTupArgs } from '../args.ts';
import { TarsCode, TARS_PING, TARSONEWAY, TARSVERSION, TUPVERSION } from '../codes.ts';
import { formatEndpoint, type Endpoint } from '../endpoint.ts';
import type { RequestHead } from '../envelope.ts';
import { TarsError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { servantDescriptor } from '../servant.ts';
import type { MethodDescriptor } from '../types.ts';
import { ServerConnection, type ConnectionOwner } from './connection.ts';
import { ServerCurrent } from './current.ts';

const BAD_INPUT_LOGS_PER_SECOND = 20;

export interface AdapterOptions {
  /** Requests dispatched to servants and not yet answered, before new ones wait (default 10000). */
  maxInFlight?: number;
  /** Requests allowed to wait; beyond that the answer is -9 overload (default 10000). */
  queueCap?: number;
  /** Longest wait in the queue before the answer is -6 (ms, default 10000); iTimeout shortens it. */
  queueTimeout?: number;
  /** Largest frame accepted (bytes, length prefix included; default 100 MiB). */
  maxPacketSize?: number;
  /** Bytes queued on one socket before reading from it pauses (default 16 MiB). */
  maxWriteBuffer?: number;
  /** Connections accepted at once; more are closed on accept (default 100000). */
  maxConnections?: number;
}

export interface AdapterStats {
  connections: number;
  accepted: number;
  requests: number;
  replies: number;
  oneway: number;
  /** Connections closed because of a bad frame or envelope. */
  badInput: number;
  /** Of those, how many were not logged (at most BAD_INPUT_LOGS_PER_SECOND are). */
  badInputUnlogged: number;
  overloads: number;
  queueTimeouts: number;
  decodeErrors: number;
  servantErrors: number;
}

interface ServantEntry {
  name: string;
  servant: object;
  methods: Map<string, { m: MethodDescriptor; fn: (...args: unknown[]) => unknown }>;
}

interface Waiting {
  conn: ServerConnection;
  head: RequestHead;
  entry: ServantEntry;
  call: { m: MethodDescriptor; fn: (...args: unknown[]) => unknown };
  since: number;
}

export class Adapter implements ConnectionOwner {
  readonly endpoint: Endpoint;
  readonly maxWriteBuffer: number;
  readonly stats: AdapterStats = {
    connections: 0, accepted: 0, requests: 0, replies: 0, oneway: 0, badInput: 0, badInputUnlogged: 0,
    overloads: 0, queueTimeouts: 0, decodeErrors: 0, servantErrors: 0,
  };
  epoch = 0;
  private readonly servants = new Map<string, ServantEntry>();
  private readonly connections = new Set<ServerConnection>();
  private readonly logger: Logger;
  private readonly maxInFlight: number;
  private readonly queueCap: number;
  private readonly queueTimeout: number;
  private readonly maxPacketSize: number;
  private readonly maxConnections: number;
  private net: NetServer | undefined;
  private boundPort = -1;
  private inFlight = 0;
  private queue: Waiting[] = [];
  private queueHead = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private draining = false;
  private logSecond = -1;
  private logsThisSecond = 0;
  private unloggedSinceLast = 0;
  private drainWaiters: Array<() => void> = [];

  constructor(endpoint: Endpoint, logger: Logger, options: AdapterOptions = {}) {
    if (endpoint.protocol !== 'tcp') throw new Error(`${formatEndpoint(endpoint)}: only tcp adapters are supported`);
    this.endpoint = endpoint;
    this.logger = logger;
    this.maxInFlight = options.maxInFlight ?? 10_000;
    this.queueCap = options.queueCap ?? 10_000;
    this.queueTimeout = options.queueTimeout ?? 10_000;
    this.maxPacketSize = options.maxPacketSize ?? DEFAULT_MAX_PACKET_SIZE;
    this.maxWriteBuffer = options.maxWriteBuffer ?? 16 * 1024 * 1024;
    this.maxConnections = options.maxConnections ?? 100_000;
  }

  /** Adds a servant (an instance of a generated Servant subclass) under a servant name. */
  addServant(name: string, servant: object): void {
    if (this.servants.has(name)) throw new Error(`servant ${name} is already on ${formatEndpoint(this.endpoint)}`);
    const d = servantDescriptor(servant);
    const methods = new Map<string, { m: MethodDescriptor; fn: (...args: unknown[]) => unknown }>();
    for (const key of Object.keys(d.methods)) {
      const m = d.methods[key];
      const fn = (servant as Record<string, unknown>)[m.name];
      if (typeof fn !== 'function') throw new Error(`servant ${name}: method ${m.name} is not implemented`);
      methods.set(m.name, { m, fn: fn as (...args: unknown[]) => unknown });
    }
    this.servants.set(name, { name, servant, methods });
  }

  get servantNames(): string[] {
    return [...this.servants.keys()];
  }

  /** The endpoint with the port actually bound (differs from the configured one for -p 0). */
  get boundEndpoint(): Endpoint {
    return { ...this.endpoint, port: this.boundPort >= 0 ? this.boundPort : this.endpoint.port };
  }

  async listen(): Promise<void> {
    if (this.net) return;
    const net = createNetServer({ noDelay: true }, (s) => this.accept(s));
    this.net = net;
    await new Promise<void>((resolve, reject) => {
      net.once('error', reject);
      net.listen(this.endpoint.port, this.endpoint.host, () => {
        net.off('error', reject);
        resolve();
      });
    });
    net.on('error', (e) => this.logger.error(`adapter ${formatEndpoint(this.endpoint)}: ${e.message}`));
    const addr = net.address();
    this.boundPort = typeof addr === 'object' && addr ? addr.port : this.endpoint.port;
    if (this.endpoint.timeout > 0) {
      // Idle check in epochs of timeout/4: a connection goes after 4-5 epochs without reads.
      const every = Math.max(50, Math.floor(this.endpoint.timeout / 4));
      this.idleTimer = setInterval(() => this.sweepIdle(), every);
      this.idleTimer.unref();
    }
  }

  private accept(socket: Socket): void {
    if (this.draining || this.connections.size >= this.maxConnections) {
      if (!this.draining) this.logger.warn(`adapter ${formatEndpoint(this.endpoint)}: ${this.maxConnections} connections reached, refusing ${socket.remoteAddress}`);
      socket.destroy();
      return;
    }
    this.stats.accepted++;
    this.stats.connections++;
    this.connections.add(new ServerConnection(socket, this, this.maxPacketSize));
  }

  private sweepIdle(): void {
    this.epoch++;
    for (const c of this.connections) {
      if (this.epoch - c.lastEpoch > 4 && c.asyncPending === 0) {
        this.logger.debug(`closing idle connection ${c.remoteAddress}:${c.remotePort}`);
        c.end();
      }
    }
  }

  // ---- ConnectionOwner --------------------------------------------------------------------

  onBadInput(conn: ServerConnection, reason: string): void {
    this.stats.badInput++;
    // a flood of bad connections must not flood the log: a few per second, the rest counted
    const second = Math.floor(performance.now() / 1000);
    if (second !== this.logSecond) {
      this.logSecond = second;
      this.logsThisSecond = 0;
    }
    if (++this.logsThisSecond > BAD_INPUT_LOGS_PER_SECOND) {
      this.stats.badInputUnlogged++;
      this.unloggedSinceLast++;
      return;
    }
    const skipped = this.unloggedSinceLast ? ` (${this.unloggedSinceLast} more bad connections not logged before this one)` : '';
    this.unloggedSinceLast = 0;
    this.logger.warn(`closing connection ${conn.remoteAddress}:${conn.remotePort} on ${formatEndpoint(this.boundEndpoint)}: ${reason}${skipped}`);
  }

  onEncodeError(conn: ServerConnection, reason: string): void {
    this.stats.servantErrors++;
    this.logger.error(`reply to ${conn.remoteAddress}:${conn.remotePort}: ${reason}`);
  }

  onClosed(conn: ServerConnection): void {
    if (this.connections.delete(conn)) this.stats.connections--;
    this.checkDrained();
  }

  onRequest(conn: ServerConnection, h: RequestHead): void {
    this.stats.requests++;
    const entry = this.servants.get(h.servantName);
    if (entry === undefined) {
      this.answer(conn, h, TarsCode.SERVER_NO_SERVANT, `no servant ${h.servantName} on this adapter`);
      return;
    }
    if (h.funcName === TARS_PING) {
      this.answer(conn, h, 0, '');
      return;
    }
    const call = entry.methods.get(h.funcName);
    if (call === undefined) {
      this.answer(conn, h, TarsCode.SERVER_NO_FUNC, `no function ${h.funcName} in ${h.servantName}`);
      return;
    }
    if (this.inFlight < this.maxInFlight) {
      this.dispatch(conn, h, entry, call);
    } else if (this.queue.length - this.queueHead < this.queueCap) {
      // the request points into its socket chunk (up to 64 KiB): keep only its own bytes while it waits
      const body = Buffer.from(h.buf.subarray(h.bodyStart, h.bodyEnd));
      h.buf = body;
      h.bodyStart = 0;
      h.bodyEnd = body.length;
      this.queue.push({ conn, head: h, entry, call, since: performance.now() });
    } else {
      this.stats.overloads++;
      this.answer(conn, h, TarsCode.SERVER_OVERLOAD, `server overloaded: ${this.queueCap} requests waiting`);
    }
  }

  // ---- dispatch ---------------------------------------------------------------------------

  private answer(conn: ServerConnection, h: RequestHead, ret: number, desc: string): void {
    if (h.packetType === TARSONEWAY) {
      this.stats.oneway++;
      return;
    }
    this.stats.replies++;
    conn.reply(h, ret, desc, undefined, undefined, undefined, false);
  }

  private dispatch(conn: ServerConnection, h: RequestHead, entry: ServantEntry, call: Waiting['call']): void {
    const m = call.m;
    let args: unknown[];
    try {
      if (h.version === TARSVERSION) args = readTarsArgs(h.buf, h.bodyStart, h.bodyEnd, m, 1);
      else if (h.version === TUPVERSION) args = readTupArgs(h.buf, h.bodyStart, h.bodyEnd, m, 1);
      else throw new Error(`unsupported iVersion ${h.version}`);
    } catch (e) {
      this.stats.decodeErrors++;
      this.answer(conn, h, TarsCode.SERVER_DECODE_ERR, `decode ${h.funcName} arguments: ${(e as Error).message}`);
      return;
    }
    const current = new ServerCurrent(h, conn.remoteAddress, conn.remotePort);
    args[0] = current;
    this.inFlight++;
    let result: unknown;
    try {
      result = call.fn.apply(entry.servant, args);
    } catch (e) {
      this.complete(conn, current, m, e, undefined, false);
      return;
    }
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
      conn.asyncPending++;
      (result as PromiseLike<unknown>).then(
        (v) => this.complete(conn, current, m, undefined, v, true),
        (e: unknown) => this.complete(conn, current, m, e ?? new Error('rejected'), undefined, true),
      );
    } else {
      this.complete(conn, current, m, undefined, result, false);
    }
  }

  private complete(
    conn: ServerConnection,
    current: ServerCurrent,
    m: MethodDescriptor,
    error: unknown,
    value: unknown,
    fromAsync: boolean,
  ): void {
    this.inFlight--;
    const h = current.head;
    if (h.packetType === TARSONEWAY) {
      if (fromAsync) conn.asyncPending--;
      this.stats.oneway++;
      if (error !== undefined) this.logServantError(h, error);
    } else if (error !== undefined) {
      const code = error instanceof TarsError && error.code !== 0 ? error.code : TarsCode.SERVER_UNKNOWN_ERR;
      this.logServantError(h, error);
      this.stats.replies++;
      conn.reply(h, code, error instanceof Error ? error.message : String(error), undefined, undefined, current.replyContextIfAny, fromAsync);
    } else {
      this.stats.replies++;
      conn.reply(h, 0, '', m, value, current.replyContextIfAny, fromAsync);
    }
    if (this.queue.length > this.queueHead) this.pump();
    else if (this.draining) this.checkDrained();
  }

  private logServantError(h: RequestHead, error: unknown): void {
    this.stats.servantErrors++;
    if (!(error instanceof TarsError)) {
      this.logger.warn(`${h.servantName}.${h.funcName} threw: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queueHead < this.queue.length) {
      const w = this.queue[this.queueHead];
      this.queue[this.queueHead++] = undefined as unknown as Waiting;
      if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.queueHead);
        this.queueHead = 0;
      }
      if (w.conn.closed) continue;
      const waited = performance.now() - w.since;
      const limit = w.head.timeout > 0 ? Math.min(w.head.timeout, this.queueTimeout) : this.queueTimeout;
      if (waited > limit) {
        this.stats.queueTimeouts++;
        this.answer(w.conn, w.head, TarsCode.SERVER_QUEUE_TIMEOUT, `waited ${Math.round(waited)} ms in queue (limit ${limit} ms)`);
        continue;
      }
      this.dispatch(w.conn, w.head, w.entry, w.call);
    }
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    }
    if (this.draining) this.checkDrained();
  }

  // ---- shutdown ---------------------------------------------------------------------------

  private checkDrained(): void {
    if (!this.draining || this.inFlight > 0 || this.queueHead < this.queue.length) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  /**
   * Graceful stop: refuse new connections, stop reading requests, let dispatched and queued
   * calls finish (at most `timeout` ms), flush their replies, then close every connection.
   */
  async close(timeout = 10_000): Promise<void> {
    this.draining = true;
    if (this.idleTimer) clearInterval(this.idleTimer);
    const net = this.net;
    const closed = net ? new Promise<void>((r) => net.close(() => r())) : Promise.resolve();
    for (const c of this.connections) c.pause();
    if (this.inFlight > 0 || this.queueHead < this.queue.length) {
      let timer: NodeJS.Timeout | undefined;
      const drained = new Promise<void>((r) => this.drainWaiters.push(r));
      const expired = new Promise<void>((r) => {
        timer = setTimeout(r, timeout);
      });
      await Promise.race([drained, expired]);
      clearTimeout(timer);
      if (this.inFlight > 0) this.logger.warn(`adapter ${formatEndpoint(this.boundEndpoint)}: ${this.inFlight} calls still running after ${timeout} ms, closing anyway`);
    }
    // Replies scheduled with setImmediate go out with end(), which flushes first.
    const gone = [...this.connections].map((c) => new Promise<void>((r) => {
      if (c.closed) return r();
      c.socket.once('close', () => r());
      c.end();
    }));
    const hardStop = setTimeout(() => { for (const c of this.connections) c.destroy(); }, 2000);
    await Promise.all(gone);
    clearTimeout(hardStop);
    await closed;
    this.net = undefined;
  }
}
