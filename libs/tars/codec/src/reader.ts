import { TarsDecodeError } from './errors.ts';
import { DEFAULT_MAX_DEPTH, MAX_STRING_LENGTH, TarsType, typeName } from './types.ts';
import { decodeUtf8 } from './utf8.ts';

// Type codes as module constants so the JIT folds them into the switches.
const { INT8, INT16, INT32, INT64, FLOAT, DOUBLE, STRING1, STRING4 } = TarsType;
const { MAP, LIST, STRUCT_BEGIN, STRUCT_END, ZERO_TAG, SIMPLE_LIST } = TarsType;

function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

export interface TarsReaderOptions {
  /** Nesting of structs/lists/maps allowed before the input is rejected (default 100). */
  maxDepth?: number;
}

/**
 * Single forward pass over TARS bytes. nextField()/expectElement() read a head into tag/type,
 * then one read*() (or skipField()) consumes the value under it. Every read is bounds-checked
 * against the range given to the constructor and fails with TarsDecodeError, never past it.
 */
export class TarsReader {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;
  tag = 0;
  type = 0;
  /** Structs entered by beginStruct() and not yet closed. */
  private depth = 0;
  private readonly maxDepth: number;
  /**
   * V8 holds the hidden class of a class's fully built instances only through those instances
   * (and weakly from optimized code). When a full GC finds no reader alive, as between two stat
   * report bursts, it collects that class and throws away every optimized decoder built on it;
   * the next burst then runs ~5x slower until they are recompiled. One reader kept here keeps
   * the class, and the decoders, alive.
   */
  private static readonly shapeAnchor: unknown = new TarsReader(new Uint8Array(1));

  constructor(buf: Uint8Array, start = 0, end = buf.length, options?: TarsReaderOptions) {
    if (!(start >= 0 && start <= end && end <= buf.length)) {
      throw new RangeError(`reader range ${start}..${end} outside buffer of ${buf.length} bytes`);
    }
    this.buf = asBuffer(buf);
    this.pos = start;
    this.end = end;
    this.maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  }

  /** True when every byte of the range has been consumed. */
  get done(): boolean {
    return this.pos >= this.end;
  }

  private fail(what: string, expected?: string): never {
    throw new TarsDecodeError(what, { offset: this.pos, tag: this.tag, expected, actual: this.type });
  }

  private truncated(need: number): never {
    throw new TarsDecodeError(`truncated input: need ${need} more byte(s), ${this.end - this.pos} left`, {
      offset: this.pos,
      tag: this.tag,
    });
  }

  private readHead(): void {
    const end = this.end;
    let p = this.pos;
    if (p >= end) this.truncated(1);
    const b = this.buf[p++];
    const type = b & 0x0f;
    let tag = b >> 4;
    if (tag === 15) {
      if (p >= end) {
        this.pos = p;
        this.truncated(1);
      }
      tag = this.buf[p++];
    }
    this.pos = p;
    this.tag = tag;
    this.type = type;
    if (type > SIMPLE_LIST) throw new TarsDecodeError(`invalid type code ${type}`, { offset: p - 1, tag });
  }

  /**
   * Reads the next field head. Returns false at the end of the range (top level) or when it
   * consumed the STRUCT_END closing the struct entered by beginStruct().
   */
  nextField(): boolean {
    if (this.pos >= this.end) {
      if (this.depth > 0) this.truncated(1);
      return false;
    }
    this.readHead();
    if (this.type === STRUCT_END) {
      if (this.depth === 0) this.fail('STRUCT_END outside any struct');
      this.depth--;
      return false;
    }
    return true;
  }

  /** Reads the head of a list element (tag 0) or map key (0) / value (1) and checks its tag. */
  expectElement(tag: number): void {
    this.readHead();
    if (this.tag !== tag) this.fail(`element has tag ${this.tag}`, `tag ${tag}`);
    if (this.type === STRUCT_END) this.fail('unexpected STRUCT_END where an element was expected');
  }

  // ---- in-order fields: what generated struct readers try before their general loop ----
  // Each returns a "no" (false, NaN, undefined) without consuming anything unless the next
  // head is a one-byte head of field `tag` (< 15) of the expected kind.

  /** Consumes the head of field `tag` (any type but STRUCT_END) and returns true, so a read*() can follow. */
  atField(tag: number): boolean {
    const p = this.pos;
    if (p >= this.end) return false;
    const h = this.buf[p];
    const type = h & 0x0f;
    if (h >> 4 !== tag || type === STRUCT_END || type > SIMPLE_LIST) return false;
    this.pos = p + 1;
    this.tag = tag;
    this.type = type;
    return true;
  }

  /** Field `tag` as an int (ZERO_TAG, INT8, INT16 or INT32, complete), or NaN. */
  tryInt32Field(tag: number): number {
    const b = this.buf;
    const p = this.pos;
    if (p < this.end) {
      const h = b[p];
      if (h >> 4 === tag) {
        switch (h & 0x0f) {
          case ZERO_TAG:
            this.pos = p + 1;
            return 0;
          case INT8:
            if (p + 2 > this.end) break;
            this.pos = p + 2;
            return (b[p + 1] << 24) >> 24;
          case INT16:
            if (p + 3 > this.end) break;
            this.pos = p + 3;
            return ((b[p + 1] << 24) >> 16) | b[p + 2];
          case INT32:
            if (p + 5 > this.end) break;
            this.pos = p + 5;
            return (b[p + 1] << 24) | (b[p + 2] << 16) | (b[p + 3] << 8) | b[p + 4];
        }
      }
    }
    return NaN;
  }

  /** Field `tag` as a STRING1 string (complete), or undefined. */
  tryStringField(tag: number): string | undefined {
    const b = this.buf;
    const p = this.pos;
    // a STRING1 head with the expected tag: 0x06 | tag << 4
    if (p + 1 < this.end && b[p] === ((tag << 4) | STRING1)) {
      const n = b[p + 1];
      const start = p + 2;
      if (start + n <= this.end) {
        this.pos = start + n;
        return decodeUtf8(b, start, start + n);
      }
    }
    return undefined;
  }

  /**
   * expectElement(tag) then readInt32() in one step, for elements of int maps and lists (most of
   * a stat report's fields): the usual heads are read without updating tag/type; anything else
   * takes the two-step path, which also produces the errors.
   */
  readInt32Element(tag: number): number {
    const v = this.tryInt32Field(tag);
    if (v === v) return v;
    this.expectElement(tag);
    return this.readInt32();
  }

  /** expectElement(tag) then readString() in one step (string list elements, map keys and values). */
  readStringElement(tag: number): string {
    const s = this.tryStringField(tag);
    if (s !== undefined) return s;
    this.expectElement(tag);
    return this.readString();
  }

  /** Enters the struct whose STRUCT_BEGIN head was just read; nextField() returns false at its end. */
  beginStruct(): void {
    if (this.type !== STRUCT_BEGIN) this.fail('wrong type', 'STRUCT_BEGIN');
    if (this.depth >= this.maxDepth) this.fail(`structs nested deeper than ${this.maxDepth}`);
    this.depth++;
  }

  // ---- integers -------------------------------------------------------------------------

  private u8(): number {
    if (this.pos + 1 > this.end) this.truncated(1);
    return this.buf[this.pos++];
  }

  private i8(): number {
    if (this.pos + 1 > this.end) this.truncated(1);
    return (this.buf[this.pos++] << 24) >> 24;
  }

  private i16(): number {
    const p = this.pos;
    if (p + 2 > this.end) this.truncated(2);
    this.pos = p + 2;
    return ((this.buf[p] << 24) >> 16) | this.buf[p + 1];
  }

  private i32(): number {
    const p = this.pos;
    if (p + 4 > this.end) this.truncated(4);
    this.pos = p + 4;
    const b = this.buf;
    return (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
  }

  private i64(): bigint {
    const p = this.pos;
    if (p + 8 > this.end) this.truncated(8);
    this.pos = p + 8;
    const b = this.buf;
    const hi = (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
    // |value| < 2^53 (nearly every counter and timestamp) is exact as a number: one BigInt
    // conversion instead of readBigInt64BE's several BigInt operations.
    if (hi >= -0x200000 && hi < 0x200000) {
      const lo = ((b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]) >>> 0;
      return BigInt(hi * 0x100000000 + lo);
    }
    return b.readBigInt64BE(p);
  }

  readBool(): boolean {
    switch (this.type) {
      case ZERO_TAG: return false;
      case INT8: return this.i8() !== 0;
      case INT16: return this.i16() !== 0;
      case INT32: return this.i32() !== 0;
      case INT64: return this.i64() !== 0n;
      default: return this.fail('wrong type', 'bool');
    }
  }

  readInt8(): number {
    switch (this.type) {
      case ZERO_TAG: return 0;
      case INT8: return this.i8();
      default: return this.fail('wrong type', 'byte (INT8 or ZERO_TAG)');
    }
  }

  readInt16(): number {
    switch (this.type) {
      case ZERO_TAG: return 0;
      case INT8: return this.i8();
      case INT16: return this.i16();
      default: return this.fail('wrong type', 'short (INT8..INT16 or ZERO_TAG)');
    }
  }

  readInt32(): number {
    switch (this.type) {
      case ZERO_TAG: return 0;
      case INT8: return this.i8();
      case INT16: return this.i16();
      case INT32: return this.i32();
      default: return this.fail('wrong type', 'int (INT8..INT32 or ZERO_TAG)');
    }
  }

  /** unsigned int: INT64 on the wire when >= 2^31; narrower negatives wrap like a C++ cast. */
  readUInt32(): number {
    switch (this.type) {
      case ZERO_TAG: return 0;
      case INT8: return this.i8() >>> 0;
      case INT16: return this.i16() >>> 0;
      case INT32: return this.i32() >>> 0;
      case INT64: {
        const v = this.i64();
        if (v < 0n || v > 0xffffffffn) this.fail(`unsigned int out of range: ${v}`);
        return Number(v);
      }
      default: return this.fail('wrong type', 'unsigned int (INT8..INT64 or ZERO_TAG)');
    }
  }

  readInt64(): bigint {
    switch (this.type) {
      case ZERO_TAG: return 0n;
      case INT8: return BigInt(this.i8());
      case INT16: return BigInt(this.i16());
      case INT32: return BigInt(this.i32());
      case INT64: return this.i64();
      default: return this.fail('wrong type', 'long (INT8..INT64 or ZERO_TAG)');
    }
  }

  // ---- floating point -------------------------------------------------------------------

  readFloat(): number {
    const p = this.pos;
    switch (this.type) {
      case ZERO_TAG: return 0;
      case FLOAT:
        if (p + 4 > this.end) this.truncated(4);
        this.pos = p + 4;
        return this.buf.readFloatBE(p);
      case DOUBLE:
        if (p + 8 > this.end) this.truncated(8);
        this.pos = p + 8;
        return Math.fround(this.buf.readDoubleBE(p));
      default: return this.fail('wrong type', 'float (FLOAT, DOUBLE or ZERO_TAG)');
    }
  }

  /** Accepts FLOAT too: C++ peers may send a double that way. */
  readDouble(): number {
    const p = this.pos;
    switch (this.type) {
      case ZERO_TAG: return 0;
      case DOUBLE:
        if (p + 8 > this.end) this.truncated(8);
        this.pos = p + 8;
        return this.buf.readDoubleBE(p);
      case FLOAT:
        if (p + 4 > this.end) this.truncated(4);
        this.pos = p + 4;
        return this.buf.readFloatBE(p);
      default: return this.fail('wrong type', 'double (DOUBLE, FLOAT or ZERO_TAG)');
    }
  }

  // ---- strings and bytes ----------------------------------------------------------------

  private stringLength(): number {
    let n: number;
    if (this.type === STRING1) {
      n = this.u8();
    } else if (this.type === STRING4) {
      n = this.i32() >>> 0;
      if (n > MAX_STRING_LENGTH) this.fail(`string length ${n} exceeds the ${MAX_STRING_LENGTH}-byte limit`);
    } else {
      return this.fail('wrong type', 'string (STRING1 or STRING4)');
    }
    if (this.pos + n > this.end) this.truncated(n);
    return n;
  }

  readString(): string {
    // self-contained (no helper calls but the decoder) so it inlines at every field of a struct
    const end = this.end;
    let p = this.pos;
    let n: number;
    if (this.type === STRING1) {
      if (p >= end) this.truncated(1);
      n = this.buf[p++];
    } else {
      n = this.stringLength();
      p = this.pos;
    }
    if (p + n > end) {
      this.pos = p;
      this.truncated(n);
    }
    this.pos = p + n;
    return decodeUtf8(this.buf, p, p + n);
  }

  /** vector<byte> as a copy (SIMPLE_LIST, or a LIST of byte elements as C++ also accepts). */
  readBytes(): Buffer {
    return Buffer.from(this.readBytesView());
  }

  /**
   * vector<byte> without copying when it arrived as SIMPLE_LIST: the result shares memory with
   * the input buffer, so it is only valid while that buffer is not reused.
   */
  readBytesView(): Buffer {
    if (this.type === SIMPLE_LIST) {
      const elemHead = this.u8();
      if ((elemHead & 0x0f) !== INT8) {
        this.pos--;
        this.fail(`SIMPLE_LIST element head 0x${elemHead.toString(16)} is not INT8`);
      }
      if (elemHead >> 4 === 15) this.u8(); // a (pointless but legal) two-byte head
      const n = this.size(1);
      const p = this.pos;
      this.pos = p + n;
      return this.buf.subarray(p, p + n);
    }
    if (this.type === LIST) {
      const n = this.size(1);
      const out = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i++) {
        this.expectElement(0);
        out[i] = this.readInt8() & 0xff;
      }
      return out;
    }
    return this.fail('wrong type', 'vector<byte> (SIMPLE_LIST or LIST)');
  }

  // ---- containers -----------------------------------------------------------------------

  // A container size: an int at tag 0, at least minBytesEach * size bytes must remain.
  private size(minBytesEach: number): number {
    const containerTag = this.tag;
    const containerType = this.type;
    this.readHead();
    if (this.tag !== 0) this.fail(`container size has tag ${this.tag}`, 'tag 0');
    const n = this.readInt32();
    this.tag = containerTag;
    this.type = containerType;
    if (n < 0) this.fail(`negative ${typeName(containerType)} size ${n}`);
    if (n * minBytesEach > this.end - this.pos) {
      this.fail(`${typeName(containerType)} size ${n} exceeds the ${this.end - this.pos} byte(s) left`);
    }
    return n;
  }

  /** Current head must be LIST: returns the element count (validated against bytes left). */
  readListSize(): number {
    if (this.type !== LIST) this.fail('wrong type', 'LIST');
    return this.size(1);
  }

  /** Current head must be MAP: returns the entry count (validated against bytes left). */
  readMapSize(): number {
    if (this.type !== MAP) this.fail('wrong type', 'MAP');
    return this.size(2);
  }

  // ---- skipping -------------------------------------------------------------------------

  /** Skips the value under the current head, whatever its type (nested structs included). */
  skipField(): void {
    this.skipValue(this.depth);
  }

  private skip(n: number): void {
    if (this.pos + n > this.end) this.truncated(n);
    this.pos += n;
  }

  private skipValue(level: number): void {
    switch (this.type) {
      case INT8: this.skip(1); return;
      case INT16: this.skip(2); return;
      case INT32: case FLOAT: this.skip(4); return;
      case INT64: case DOUBLE: this.skip(8); return;
      case STRING1: case STRING4: this.skip(this.stringLength()); return;
      case ZERO_TAG: return;
      case SIMPLE_LIST: this.readBytesView(); return;
      case STRUCT_END: this.fail('unexpected STRUCT_END');
    }
    if (level >= this.maxDepth) this.fail(`values nested deeper than ${this.maxDepth}`);
    if (this.type === LIST) {
      const n = this.size(1);
      for (let i = 0; i < n; i++) {
        this.readHead();
        this.skipValue(level + 1);
      }
    } else if (this.type === MAP) {
      const n = this.size(2);
      for (let i = 0; i < 2 * n; i++) {
        this.readHead();
        this.skipValue(level + 1);
      }
    } else {
      // STRUCT_BEGIN: skip fields up to the matching STRUCT_END.
      for (;;) {
        this.readHead();
        if (this.type === STRUCT_END) return;
        this.skipValue(level + 1);
      }
    }
  }
}
