// Raw-socket helpers for tests: hand-built frames (codec's own RequestPacket, independent of
// rpc's envelope code) and a reader that collects reply frames.
import { connect, type Socket } from 'node:net';
import { FrameDecoder, RequestPacket, ResponsePacket, TarsWriter } from '@tars-ts/codec';

export function requestFrame(init: Partial<RequestPacket>): Buffer {
  return RequestPacket.encodeFrame(RequestPacket.create({ iVersion: 1, ...init }));
}

/** Argument block with values at tags 1..n written by `fill`. */
export function argBlock(fill: (w: TarsWriter) => void): Buffer {
  const w = new TarsWriter();
  fill(w);
  return w.toBuffer();
}

export interface RawConn {
  socket: Socket;
  replies: ResponsePacket[];
  /** Raw reply packets (for TUP replies, which are RequestPacket-shaped). */
  packets: Buffer[];
  closed: Promise<void>;
  isClosed(): boolean;
  waitFor(n: number, ms?: number): Promise<void>;
  /** Number of socket 'data' events seen (reply batching). */
  reads(): number;
}

export async function rawConnect(port: number, host = '127.0.0.1'): Promise<RawConn> {
  const socket = connect({ port, host, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  const replies: ResponsePacket[] = [];
  const packets: Buffer[] = [];
  const decoder = new FrameDecoder();
  let closed = false;
  let reads = 0;
  let notify: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    reads++;
    decoder.push(chunk, (p) => {
      packets.push(Buffer.from(p));
      try {
        replies.push(ResponsePacket.decode(p));
      } catch {
        // TUP replies are RequestPacket-shaped: look at `packets`
      }
    });
    notify?.();
  });
  const closedP = new Promise<void>((r) => socket.once('close', () => { closed = true; notify?.(); r(); }));
  return {
    socket,
    replies,
    packets,
    closed: closedP,
    isClosed: () => closed,
    reads: () => reads,
    async waitFor(n: number, ms = 3000) {
      const until = Date.now() + ms;
      while (packets.length < n) {
        if (closed) throw new Error(`connection closed after ${packets.length}/${n} replies`);
        const left = until - Date.now();
        if (left <= 0) throw new Error(`only ${packets.length}/${n} replies after ${ms} ms`);
        await new Promise<void>((r) => {
          notify = r;
          setTimeout(r, Math.min(left, 50));
        });
        notify = undefined;
      }
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A logger that remembers what it was told. */
export function memoryLogger(): { lines: string[]; debug(m: string): void; info(m: string): void; warn(m: string): void; error(m: string): void } {
  const lines: string[] = [];
  return {
    lines,
    debug: () => {},
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}
