import { TarsType } from './types.ts';

const { INT8, INT16, INT32, INT64, FLOAT, DOUBLE, STRING1, STRING4, MAP, LIST, STRUCT_BEGIN, STRUCT_END, ZERO_TAG, SIMPLE_LIST } = TarsType;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
// A JS string of n UTF-16 units never needs more than 3n UTF-8 bytes, so up to 85 units fit STRING1.
const STRING1_MAX_UNITS = 85;
// Up to this many UTF-16 units, ASCII strings are copied byte by byte in JS.
const JS_COPY_MAX_UNITS = 48;
// Node's native encoder without the argument normalisation of Buffer#write().
type WriteBuffer = Buffer & { utf8Write(s: string, offset: number, maxBytes: number): number };

function checkTag(tag: number): void {
  if (!(tag >= 0 && tag <= 255) || (tag | 0) !== tag) throw new RangeError(`tars tag must be an integer 0..255, got ${tag}`);
}

// Range checks use the int32 coercions ((v | 0) !== v etc.), which also reject NaN and fractions.
function rangeError(what: string, v: number): never {
  throw new RangeError(`${what} out of range: ${v}`);
}

/**
 * Encodes TARS fields into one Buffer that starts pre-sized and doubles when full.
 * Writers are reusable (reset()) so a hot path allocates nothing per message.
 */
export class TarsWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialCapacity | 0));
  }

  reset(): this {
    this.pos = 0;
    return this;
  }

  get length(): number {
    return this.pos;
  }

  /** Bytes written so far, without copying: valid until the next write or reset. */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** A copy of the bytes written so far. */
  toBuffer(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  /** Current capacity of the internal buffer (for callers that cap memory kept by a reused writer). */
  get capacity(): number {
    return this.buf.length;
  }

  private ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    if (cap < need) cap = need;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  // Callers have ensured 2 free bytes.
  private head(tag: number, type: number): void {
    if (tag < 15) {
      this.buf[this.pos++] = (tag << 4) | type;
    } else {
      checkTag(tag);
      this.buf[this.pos++] = 0xf0 | type;
      this.buf[this.pos++] = tag;
    }
  }

  // Narrowest integer encoding; v is a checked integer within int32 range or a safe integer.
  private int(tag: number, v: number): void {
    this.ensure(10);
    const b = this.buf;
    if (v === 0) {
      this.head(tag, ZERO_TAG);
    } else if (v >= -128 && v <= 127) {
      this.head(tag, INT8);
      b[this.pos++] = v & 0xff;
    } else if (v >= -32768 && v <= 32767) {
      this.head(tag, INT16);
      b[this.pos++] = (v >> 8) & 0xff;
      b[this.pos++] = v & 0xff;
    } else if (v >= -2147483648 && v <= 2147483647) {
      this.head(tag, INT32);
      b.writeInt32BE(v, this.pos);
      this.pos += 4;
    } else {
      this.head(tag, INT64);
      b.writeBigInt64BE(BigInt(v), this.pos);
      this.pos += 8;
    }
  }

  writeBool(tag: number, v: boolean): void {
    if ((tag & 0xff) !== tag) checkTag(tag);
    this.int(tag, v ? 1 : 0);
  }

  writeInt8(tag: number, v: number): void {
    if ((tag & 0xff) !== tag) checkTag(tag);
    if (((v << 24) >> 24) !== v) rangeError('byte', v);
    this.int(tag, v);
  }

  writeInt16(tag: number, v: number): void {
    if ((tag & 0xff) !== tag) checkTag(tag);
    if (((v << 16) >> 16) !== v) rangeError('short', v);
    this.int(tag, v);
  }

  writeInt32(tag: number, v: number): void {
    if ((tag & 0xff) !== tag) checkTag(tag);
    if ((v | 0) !== v) rangeError('int', v);
    this.int(tag, v);
  }

  /** unsigned int: carried as the next wider signed type, so values >= 2^31 go out as INT64. */
  writeUInt32(tag: number, v: number): void {
    if ((tag & 0xff) !== tag) checkTag(tag);
    if (v >>> 0 !== v) rangeError('unsigned int', v);
    this.int(tag, v);
  }

  /** long: bigint keeps all 64 bits; a number must be a safe integer. */
  writeInt64(tag: number, v: bigint | number): void {
    if ((tag & 0xff) !== tag) checkTag(tag);
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw new RangeError(`long given as number must be a safe integer: ${v}`);
      this.int(tag, v);
      return;
    }
    if (v >= -2147483648n && v <= 2147483647n) {
      this.int(tag, Number(v));
      return;
    }
    if (v < INT64_MIN || v > INT64_MAX) throw new RangeError(`long out of range: ${v}`);
    this.ensure(10);
    this.head(tag, INT64);
    this.buf.writeBigInt64BE(v, this.pos);
    this.pos += 8;
  }

  writeFloat(tag: number, v: number): void {
    if ((tag & 0xff) !== tag) checkTag(tag);
    this.ensure(6);
    if (v === 0 && !Object.is(v, -0)) {
      this.head(tag, ZERO_TAG);
      return;
    }
    this.head(tag, FLOAT);
    this.buf.writeFloatBE(v, this.pos);
    this.pos += 4;
  }

  /** Always DOUBLE (or ZERO_TAG for 0): @tars/stream cannot read a double sent as FLOAT. */
  writeDouble(tag: number, v: number): void {
    if ((tag & 0xff) !== tag) checkTag(tag);
    this.ensure(10);
    if (v === 0 && !Object.is(v, -0)) {
      this.head(tag, ZERO_TAG);
      return;
    }
    this.head(tag, DOUBLE);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
  }

  /** UTF-8; STRING1 when the encoded length is <= 255 bytes, else STRING4. */
  writeString(tag: number, v: string): void {
    if ((tag & 0xff) !== tag) checkTag(tag);
    const units = v.length;
    if (units <= STRING1_MAX_UNITS) {
      // Encode straight into place and patch the length byte: no byteLength pass. Short ASCII
      // is copied in JS, which is cheaper than a native call at these sizes.
      this.ensure(3 + units * 3);
      this.head(tag, STRING1);
      const b = this.buf;
      const at = this.pos;
      let n = 0;
      if (units <= JS_COPY_MAX_UNITS) {
        while (n < units) {
          const c = v.charCodeAt(n);
          if (c >= 0x80) break;
          b[at + 1 + n] = c;
          n++;
        }
      }
      if (n < units) n = (b as WriteBuffer).utf8Write(v, at + 1, units * 3);
      b[at] = n;
      this.pos = at + 1 + n;
      return;
    }
    const n = Buffer.byteLength(v, 'utf8');
    if (n <= 255) {
      this.ensure(3 + n);
      this.head(tag, STRING1);
      this.buf[this.pos++] = n;
    } else {
      this.ensure(6 + n);
      this.head(tag, STRING4);
      this.buf.writeUInt32BE(n, this.pos);
      this.pos += 4;
    }
    this.pos += (this.buf as WriteBuffer).utf8Write(v, this.pos, n);
  }

  /** vector<byte>: SIMPLE_LIST (head, INT8 element head 0x00, size, raw bytes). */
  writeBytes(tag: number, v: Uint8Array): void {
    if ((tag & 0xff) !== tag) checkTag(tag);
    const n = v.length;
    this.ensure(3 + 1 + 5 + n);
    this.head(tag, SIMPLE_LIST);
    this.buf[this.pos++] = 0x00;
    this.int(0, n);
    this.buf.set(v, this.pos);
    this.pos += n;
  }

  writeStructBegin(tag: number): void {
    if ((tag & 0xff) !== tag) checkTag(tag);
    this.ensure(2);
    this.head(tag, STRUCT_BEGIN);
  }

  writeStructEnd(): void {
    this.ensure(1);
    this.buf[this.pos++] = STRUCT_END;
  }

  /** LIST head and element count; the caller then writes each element at tag 0. */
  writeListBegin(tag: number, size: number): void {
    if ((tag & 0xff) !== tag) checkTag(tag);
    if ((size | 0) !== size || size < 0) rangeError('list size', size);
    this.ensure(2);
    this.head(tag, LIST);
    this.int(0, size);
  }

  /** MAP head and entry count; the caller then writes each key at tag 0 and value at tag 1. */
  writeMapBegin(tag: number, size: number): void {
    if ((tag & 0xff) !== tag) checkTag(tag);
    if ((size | 0) !== size || size < 0) rangeError('map size', size);
    this.ensure(2);
    this.head(tag, MAP);
    this.int(0, size);
  }

  /** True when bytes share memory with this writer's buffer (e.g. came from view()). */
  owns(bytes: Uint8Array): boolean {
    return bytes.buffer === this.buf.buffer && bytes.byteOffset < this.buf.byteOffset + this.buf.length && bytes.byteOffset + bytes.length > this.buf.byteOffset;
  }

  /** Appends already-encoded bytes verbatim (e.g. a cached struct encoding). */
  writeRaw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Reserves n bytes (e.g. a frame length) and returns their offset, to be patched later. */
  reserve(n: number): number {
    this.ensure(n);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /** Patches a big-endian uint32 at an offset previously returned by reserve(). */
  setUInt32BE(offset: number, v: number): void {
    if (offset < 0 || offset + 4 > this.pos) throw new RangeError(`offset ${offset} outside written bytes`);
    this.buf.writeUInt32BE(v, offset);
  }
}
