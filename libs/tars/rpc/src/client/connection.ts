// One multiplexed TCP connection to one endpoint, shared by every proxy of a communicator:
// requests carry ids, replies are matched through a Map. Requests written in the same tick go
// out in one socket write. Reconnects lazily with exponential backoff after failed connects.
import { connect, type Socket } from 'node:net';
import { FrameDecoder, TarsReader, TarsWriter } from '@tars-ts/codec';
import { readTarsResult, readTarsResultFrom, readTupResult, writeTarsArgs, writeTupArgs } from '../args.ts';
import { TarsCode, TARSONEWAY, TARSNORMAL, TUPVERSION, TARSVERSION } from '../codes.ts';
import { formatEndpoint, type Endpoint } from '../endpoint.ts';
import { beginBytes, beginFrame, decodeResponse, endBytes, endFrame, skipBytes, truncateWriter, writeStringMap } from '../envelope.ts';
import { ClientDecodeError, ConnectionError, ServerError, TarsError, TimeoutError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { CallOptions, MethodDescriptor } from '../types.ts';
import type { Health } from './balancer.ts';
import { PendingTable } from './pending-table.ts';

export interface ConnectionSettings {
  logger: Logger;
  /** First reconnect delay after a failed connect (ms); doubles per failure up to backoffMax. */
  backoffBase: number;
  backoffMax: number;
  /** How long a failing endpoint is skipped by the balancer (ms). */
  ejectTime: number;
  /** Consecutive call timeouts after which the endpoint is ejected. */
  maxConsecutiveTimeouts: number;
  /** Bytes of requests held while not connected; more are refused (-13). */
  maxQueuedBytes: number;
  maxPacketSize: number;
  connectTimeout: number;
}

/** Told about health changes (to refresh balancers) and about pending calls (timeout sweep). */
export interface ConnectionHost {
  healthChanged(): void;
  watch(conn: ClientConnection): void;
}

class PendingCall {
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
  readonly objectName: string;
  readonly method: MethodDescriptor;
  readonly version: number;
  readonly deadline: number;
  readonly timeout: number;
  /** Keeps the instances' hidden class alive between bursts of calls (see TarsReader.shapeAnchor). */
  private static readonly shapeAnchor: unknown = new PendingCall(() => {}, () => {}, '', { name: '', params: [] }, 1, 0);
  constructor(resolve: (v: unknown) => void, reject: (e: Error) => void, objectName: string, method: MethodDescriptor, version: number, timeout: number) {
    this.resolve = resolve;
    this.reject = reject;
    this.objectName = objectName;
    this.method = method;
    this.version = version;
    this.timeout = timeout;
    this.deadline = performance.now() + timeout;
  }

  /** `Obj.func`, built only when an error needs it. */
  get label(): string {
    return `${this.objectName}.${this.method.name}`;
  }
}

interface OnewayWaiter {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

const KEEP_WRITER_BYTES = 1 << 20;
/** Requests made in one tick are written together, but in pieces of about this size, so the server can start early. */
const EARLY_FLUSH_BYTES = 8 * 1024;

// RequestPacket tags 5 and 6 (sServantName, sFuncName) encoded once per object and method.
const namesCache = new Map<string, WeakMap<MethodDescriptor, Buffer>>();
function namesOf(objectName: string, m: MethodDescriptor): Buffer {
  let byMethod = namesCache.get(objectName);
  if (byMethod === undefined) {
    if (namesCache.size > 10_000) namesCache.clear();
    byMethod = new WeakMap();
    namesCache.set(objectName, byMethod);
  }
  let bytes = byMethod.get(m);
  if (bytes === undefined) {
    const w = new TarsWriter(64);
    w.writeString(5, objectName);
    w.writeString(6, m.name);
    bytes = w.toBuffer();
    byMethod.set(m, bytes);
  }
  return bytes;
}

export class ClientConnection implements Health {
  readonly endpoint: Endpoint;
  ejectedUntil = 0;
  readonly pending = new PendingTable<PendingCall>();
  private readonly settings: ConnectionSettings;
  private readonly host: ConnectionHost;
  private socket: Socket | undefined;
  private state: 'idle' | 'connecting' | 'open' | 'closed' = 'idle';
  private readonly decoder: FrameDecoder;
  private out = new TarsWriter(4096);
  private oneways: OnewayWaiter[] = [];
  private nextId = 1;
  private failures = 0;
  private retryAt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private flushScheduled = false;
  private lastError: Error | undefined;
  private consecutiveTimeouts = 0;
  /** Object proxies using this connection (the pool retires it at zero). */
  refs = 0;
  private retiring = false;
  /** Calls refused because too many bytes were waiting to be sent. */
  refused = 0;

  constructor(endpoint: Endpoint, settings: ConnectionSettings, host: ConnectionHost) {
    this.endpoint = endpoint;
    this.settings = settings;
    this.host = host;
    this.decoder = new FrameDecoder({ maxPacketSize: settings.maxPacketSize });
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  private allocId(): number {
    const id = this.nextId;
    this.nextId = id >= 0x7fffffff ? 1 : id + 1;
    return id;
  }

  /** Encodes and queues one request; resolves with the decoded result (or on write for one-way). */
  send(objectName: string, m: MethodDescriptor, args: readonly unknown[], opts: CallOptions | undefined, timeout: number): Promise<unknown> {
    if (this.state === 'closed') return Promise.reject(new ConnectionError('communicator closed', TarsCode.SEND_REQUEST_ERR));
    const queued = this.out.length + (this.socket?.writableLength ?? 0);
    if (queued > this.settings.maxQueuedBytes) {
      // the peer does not keep up (or we are not connected yet): refuse rather than buffer without bound
      this.refused++;
      if (this.refused === 1 || this.refused % 1000 === 0) {
        this.settings.logger.warn(`${formatEndpoint(this.endpoint)}: ${queued} bytes waiting to be sent, refusing calls (${this.refused} so far)`);
      }
      return Promise.reject(new ConnectionError(`${formatEndpoint(this.endpoint)}: send buffer full (${queued} bytes waiting)`, TarsCode.SEND_REQUEST_ERR));
    }
    const version = opts?.version === TUPVERSION ? TUPVERSION : TARSVERSION;
    const oneway = opts?.oneway === true;
    const id = this.allocId();
    const w = this.out;
    const f = beginFrame(w);
    try {
      w.writeInt16(1, version);
      w.writeInt8(2, oneway ? TARSONEWAY : TARSNORMAL);
      w.writeInt32(3, 0);
      w.writeInt32(4, id);
      w.writeRaw(namesOf(objectName, m));
      const b = beginBytes(w, 7);
      if (version === TUPVERSION) writeTupArgs(w, m, args);
      else writeTarsArgs(w, m, args);
      endBytes(w, b);
      w.writeInt32(8, timeout);
      writeStringMap(w, 9, opts?.context);
      writeStringMap(w, 10, opts?.status);
    } catch (e) {
      truncateWriter(w, f);
      return Promise.reject(new TarsError(TarsCode.SEND_REQUEST_ERR, `${objectName}.${m.name}: cannot encode request: ${(e as Error).message}`, { cause: e }));
    }
    endFrame(w, f);
    let promise: Promise<unknown>;
    if (oneway) {
      promise = new Promise((resolve, reject) => this.oneways.push({ resolve, reject }));
    } else {
      promise = new Promise((resolve, reject) => {
        this.pending.set(id, new PendingCall(resolve, reject, objectName, m, version, timeout));
      });
      if (this.pending.size === 1) this.host.watch(this);
    }
    if (this.state === 'open' && w.length >= EARLY_FLUSH_BYTES) this.flush();
    else this.kick();
    return promise;
  }

  private kick(): void {
    if (this.state === 'open') {
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        process.nextTick(this.flushTick);
      }
    } else if (this.state === 'idle' && this.retryTimer === undefined) {
      const wait = this.retryAt - performance.now();
      if (wait <= 0) this.connect();
      else {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          if (this.state === 'idle' && (this.out.length > 0 || this.pending.size > 0)) this.connect();
        }, wait);
      }
    }
  }

  private readonly flushTick = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  private flush(): void {
    const socket = this.socket;
    if (this.state !== 'open' || !socket || this.out.length === 0) return;
    const out = this.out;
    socket.write(out.view());
    // Reuse the buffer when the kernel took all of it at once; the stream holds it otherwise.
    if (socket.writableLength === 0 && out.capacity <= KEEP_WRITER_BYTES) out.reset();
    else this.out = new TarsWriter(4096);
    if (this.oneways.length > 0) {
      const done = this.oneways;
      this.oneways = [];
      for (const o of done) o.resolve(undefined);
    }
  }

  private connect(): void {
    this.state = 'connecting';
    this.lastError = undefined;
    const socket = connect({ host: this.endpoint.host, port: this.endpoint.port, noDelay: true });
    this.socket = socket;
    this.connectTimer = setTimeout(() => {
      this.lastError = new Error(`connect timed out after ${this.settings.connectTimeout} ms`);
      socket.destroy();
    }, this.settings.connectTimeout);
    socket.on('connect', () => {
      clearTimeout(this.connectTimer);
      if (this.socket !== socket) return;
      this.state = 'open';
      this.failures = 0;
      if (this.ejectedUntil !== 0) {
        this.ejectedUntil = 0;
        this.host.healthChanged();
      }
      this.flush();
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        this.decoder.push(chunk, this.onFrame);
      } catch (e) {
        this.settings.logger.warn(`${formatEndpoint(this.endpoint)}: closing connection: ${(e as Error).message}`);
        this.lastError = e as Error;
        socket.destroy();
        this.onClose(socket); // now, so calls made before the 'close' event use a new connection
      }
    });
    socket.on('error', (e) => {
      this.lastError = e;
    });
    socket.on('close', () => this.onClose(socket));
  }

  // Replies: a ResponsePacket (iVersion 1) is read in one pass with one reader, the result block
  // in place; TUP replies (RequestPacket-shaped) take the general decoder.
  private readonly onFrame = (packet: Buffer): void => {
    const r = new TarsReader(packet);
    if (!r.nextField() || r.tag !== 1) throw new Error('undecodable reply: iVersion (tag 1) missing');
    const version = r.readInt16();
    if (version === 2 || version === TUPVERSION) {
      this.onGeneralReply(packet);
      return;
    }
    let call: PendingCall | undefined;
    let ret = 0;
    let desc = '';
    let value: unknown = undefined;
    let decodeError: unknown = undefined;
    let seenId = false;
    try {
      while (r.nextField()) {
        const tag: number = r.tag;
        if (tag === 3) {
          const id = r.readInt32();
          seenId = true;
          call = this.pending.take(id);
          if (call === undefined) return; // timed out already, or not ours
        } else if (tag === 5) {
          ret = r.readInt32();
        } else if (tag === 6 && call !== undefined && ret === 0) {
          const start = skipBytes(r);
          if (start < 0) {
            const copy = r.readBytes(); // LIST-encoded vector<byte>
            try { value = readTarsResult(copy, 0, copy.length, call.method); } catch (e) { decodeError = e; }
          } else {
            const end = r.pos;
            r.pos = start;
            try { value = readTarsResultFrom(r, end, call.method); } catch (e) { decodeError = e; }
            r.pos = end;
          }
          // after a broken result the reader's nesting state is unknown: the rest is not needed
          if (decodeError !== undefined) break;
        } else if (tag === 8) {
          desc = r.readString();
        } else {
          r.skipField();
        }
      }
    } catch (e) {
      // the envelope broke after its call was taken out of `pending`: that call fails too
      if (call !== undefined) call.reject(new ClientDecodeError(`${call.label}: undecodable reply`, { cause: e }));
      throw e;
    }
    if (!seenId || call === undefined) throw new Error('undecodable reply: iRequestId (tag 3) missing');
    this.settle(call, ret, desc, value, decodeError);
  };

  private onGeneralReply(packet: Buffer): void {
    const h = decodeResponse(packet, 0, packet.length);
    const call = this.pending.take(h.requestId);
    if (call === undefined) return;
    let value: unknown = undefined;
    let decodeError: unknown = undefined;
    if (h.ret === 0) {
      try {
        value = call.version === TUPVERSION
          ? readTupResult(h.buf, h.bodyStart, h.bodyEnd, call.method)
          : readTarsResult(h.buf, h.bodyStart, h.bodyEnd, call.method);
      } catch (e) {
        decodeError = e;
      }
    }
    this.settle(call, h.ret, h.resultDesc, value, decodeError);
  }

  private settle(call: PendingCall, ret: number, desc: string, value: unknown, decodeError: unknown): void {
    if (this.pending.size === 0 && this.retiring) this.close();
    this.consecutiveTimeouts = 0;
    if (ret !== 0) call.reject(new ServerError(ret, desc, call.label));
    else if (decodeError !== undefined) {
      call.reject(new ClientDecodeError(`${call.label}: cannot decode reply: ${(decodeError as Error).message}`, { cause: decodeError }));
    } else call.resolve(value);
  }

  private onClose(socket: Socket): void {
    if (this.socket !== socket) return;
    clearTimeout(this.connectTimer);
    const wasOpen = this.state === 'open';
    const closing = this.state === 'closed';
    this.socket = undefined;
    this.decoder.reset();
    if (!closing) this.state = 'idle';
    const where = formatEndpoint(this.endpoint);
    let error: ConnectionError;
    if (wasOpen || closing) {
      error = new ConnectionError(`${where}: connection closed before the reply${this.lastError ? ` (${this.lastError.message})` : ''}`, TarsCode.SEND_REQUEST_ERR);
      this.retryAt = 0;
    } else {
      this.failures++;
      const delay = Math.min(this.settings.backoffMax, this.settings.backoffBase * 2 ** (this.failures - 1));
      this.retryAt = performance.now() + delay;
      this.eject();
      error = new ConnectionError(`${where}: connect failed${this.lastError ? `: ${this.lastError.message}` : ''}`, TarsCode.PROXY_CONNECT_ERR, { cause: this.lastError });
      this.settings.logger.debug(`${where}: connect failed (${this.failures} in a row), next try in ${delay} ms`);
    }
    this.failAll(error);
  }

  private eject(): void {
    this.ejectedUntil = performance.now() + this.settings.ejectTime;
    this.host.healthChanged();
  }

  private failAll(error: Error): void {
    this.out.reset();
    const pending = this.pending.drain();
    const oneways = this.oneways;
    this.oneways = [];
    for (const c of pending) c.reject(error);
    for (const o of oneways) o.reject(error);
  }

  /** Rejects calls past their deadline; returns whether calls are still pending. */
  sweep(now: number): boolean {
    let timedOut = 0;
    this.pending.sweep((c) => {
      if (c.deadline > now) return false;
      timedOut++;
      c.reject(new TimeoutError(`${c.label}: no reply from ${formatEndpoint(this.endpoint)} within ${c.timeout} ms`));
      return true;
    });
    if (timedOut > 0) {
      this.consecutiveTimeouts += timedOut;
      if (this.consecutiveTimeouts >= this.settings.maxConsecutiveTimeouts && this.ejectedUntil <= now) {
        this.settings.logger.warn(`${formatEndpoint(this.endpoint)}: ${this.consecutiveTimeouts} calls timed out in a row, ejecting for ${this.settings.ejectTime} ms`);
        this.consecutiveTimeouts = 0;
        this.eject();
      }
    }
    if (this.pending.size === 0 && this.retiring) this.close();
    return this.pending.size > 0;
  }

  /** No proxy uses this endpoint any more: close once the calls in flight are answered. */
  retire(): void {
    this.retiring = true;
    if (this.pending.size === 0 && this.oneways.length === 0) this.close();
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  /** Closes for good: pending calls fail with ConnectionError. */
  close(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const socket = this.socket;
    const wasActive = this.state === 'open' || this.state === 'connecting';
    this.state = 'closed';
    if (socket && wasActive) socket.destroy();
    else this.failAll(new ConnectionError('communicator closed', TarsCode.SEND_REQUEST_ERR));
  }
}
