// TCP framing: [uint32 BE total length, including these 4 bytes][packet]. TarsCpp closes the
// connection on a length < 5 or > 100 MiB; so do we (the caller closes on TarsFrameError).
import { TarsFrameError } from './errors.ts';
import { DEFAULT_MAX_PACKET_SIZE } from './types.ts';

export interface FrameDecoderOptions {
  /** Largest accepted frame, length prefix included (default 100 MiB). */
  maxPacketSize?: number;
}

/**
 * Splits a byte stream into packets. push() hands every complete packet (without its length
 * prefix) to onFrame: as a view into the pushed chunk when the packet lies inside it (no copy),
 * or as one exactly-sized buffer assembled once when it spans chunks. Pushed chunks must not be
 * modified afterwards (packets may share their memory).
 */
export class FrameDecoder {
  readonly maxPacketSize: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Total length of the frame being assembled, or -1 while its prefix is incomplete. */
  private need = -1;
  private failed: TarsFrameError | null = null;
  /** Bumped by reset(): a handler that resets the decoder (connection closed) stops delivery. */
  private epoch = 0;

  constructor(options: FrameDecoderOptions = {}) {
    const max = options.maxPacketSize ?? DEFAULT_MAX_PACKET_SIZE;
    if (!Number.isInteger(max) || max < 5 || max > 0xffffffff) throw new RangeError(`maxPacketSize must be an integer 5..2^32-1, got ${max}`);
    this.maxPacketSize = max;
  }

  /** Bytes held back waiting for the rest of a frame. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** Forgets any partial frame and a previous error. */
  reset(): void {
    this.epoch++;
    this.pending = [];
    this.pendingBytes = 0;
    this.need = -1;
    this.failed = null;
  }

  /**
   * Feeds one chunk. Throws TarsFrameError on a bad length prefix (packets before it have been
   * delivered; the decoder then refuses further input until reset()). If onFrame throws, the
   * bytes after that packet are kept and the error propagates. If onFrame calls reset(), delivery
   * stops there and the rest of the chunk is dropped.
   */
  push(chunk: Uint8Array, onFrame: (packet: Buffer) => void): void {
    if (this.failed) throw this.failed;
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const epoch = this.epoch;
    if (this.need >= 0 && this.pendingBytes >= this.need) {
      this.replayPending(onFrame);
      if (this.epoch !== epoch) return;
    }
    if (buf.length === 0) return;
    let off = 0;
    let keepRest = true;
    try {
      if (this.pendingBytes > 0) {
        const joined = this.completePending(buf);
        if (joined === null) {
          keepRest = false; // the whole chunk went into pending
          return;
        }
        off = joined.used;
        onFrame(joined.packet);
      }
      const len = buf.length;
      while (len - off >= 4 && this.epoch === epoch) {
        const size = buf.readUInt32BE(off);
        this.check(size, off);
        if (len - off < size) break;
        const start = off + 4;
        off += size;
        onFrame(buf.subarray(start, off));
      }
    } finally {
      if (keepRest && this.epoch === epoch && !this.failed && off < buf.length) this.keep(buf.subarray(off));
    }
  }

  // Pending bytes can hold whole frames only after an onFrame handler threw: deliver them now.
  private replayPending(onFrame: (packet: Buffer) => void): void {
    const held = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.need = -1;
    this.push(held, onFrame);
  }

  private check(size: number, offset: number): void {
    if (size < 5 || size > this.maxPacketSize) {
      this.failed = new TarsFrameError(
        size < 5 ? `frame length ${size} is shorter than the 5-byte minimum` : `frame length ${size} exceeds maxPacketSize ${this.maxPacketSize}`,
        offset,
      );
      this.pending = [];
      this.pendingBytes = 0;
      throw this.failed;
    }
  }

  private keep(rest: Buffer): void {
    this.pending.push(rest);
    this.pendingBytes += rest.length;
    if (this.need < 0 && this.pendingBytes >= 4) this.need = this.prefix();
  }

  // Reads the 4-byte prefix out of pending chunks (+ extra; it may itself be split) and validates it.
  private prefix(extra?: Buffer): number {
    let size = 0;
    let got = 0;
    for (const c of extra ? [...this.pending, extra] : this.pending) {
      for (let i = 0; i < c.length && got < 4; i++, got++) size = size * 256 + c[i];
      if (got === 4) break;
    }
    this.check(size, 0);
    return size;
  }

  // Adds chunk to the pending bytes; when a frame completes, assembles it with one copy.
  private completePending(chunk: Buffer): { packet: Buffer; used: number } | null {
    if (this.need < 0) {
      if (this.pendingBytes + chunk.length < 4) {
        this.keep(chunk);
        return null;
      }
      this.need = this.prefix(chunk);
    }
    const missing = this.need - this.pendingBytes;
    if (chunk.length < missing) {
      this.keep(chunk);
      return null;
    }
    const frame = Buffer.allocUnsafe(this.need);
    let at = 0;
    for (const c of this.pending) {
      c.copy(frame, at);
      at += c.length;
    }
    chunk.copy(frame, at, 0, missing);
    this.pending = [];
    this.pendingBytes = 0;
    this.need = -1;
    return { packet: frame.subarray(4), used: missing };
  }
}

/** Prefixes one packet with its frame length (copies once). */
export function encodeFrame(packet: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(packet.length + 4);
  out.writeUInt32BE(packet.length + 4, 0);
  out.set(packet, 4);
  return out;
}
