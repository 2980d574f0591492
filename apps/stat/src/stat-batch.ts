/**
 * The `map<StatMicMsgHead, StatMicMsgBody>` of one StatF.reportMicMsg call, read in one pass
 * into flat arrays instead of a Map of objects: the stat server receives hundreds of thousands
 * of entries per second and only needs, per entry, an identity for the head (where its bytes
 * are, and their hash) and the body's numbers. Heads are decoded only the first time their bytes
 * are seen in a window (see stat-aggregator.ts), so the common case allocates nothing per entry.
 *
 * Wire-equivalent to the generated `StatF` decoder (stat-batch.test.ts checks it): the same
 * required fields, the same integer widths, unknown tags skipped.
 */
import { TarsDecodeError, TarsReader } from '@tars-ts/codec';
import { StatF } from '@tars-ts/interfaces';

const STRUCT_BEGIN = 10;
const INT64 = 3;

/** Body numbers per entry, in this order. */
export const COUNT = 0, TIMEOUT = 1, EXEC = 2, TOTAL_TIME = 3, MAX_TIME = 4, MIN_TIME = 5;
export const BODY_WIDTH = 6;

export interface StatBatch {
  readonly size: number;
  /**
   * The request bytes; entry i's head struct (fields and STRUCT_END) is
   * `buf[headStart[i] .. headEnd[i])`. A view of the socket data: valid during the call only.
   */
  readonly buf: Buffer;
  readonly headStart: readonly number[];
  readonly headEnd: readonly number[];
  /** hashBytes() of each head's bytes: with the bytes, the cache key of a head. */
  readonly headHash: readonly number[];
  /** `size * BODY_WIDTH` numbers: count, timeoutCount, execCount, totalRspTime, maxRspTime, minRspTime. */
  readonly bodies: readonly number[];
  /** Entry i's latency buckets are pairs (point, count) in `buckets[bucketStart[i] .. bucketStart[i+1])`. */
  readonly bucketStart: readonly number[];
  readonly buckets: readonly number[];
}

/** A 30-bit hash of `buf[start..end)`, four bytes a step. */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = (end - start) | 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = Math.imul(h ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24)), 0x9e3779b1);
    h ^= h >>> 15;
  }
  for (; i < end; i++) h = Math.imul(h ^ buf[i], 0x85ebca6b);
  // 30 bits: small integers, which V8 keeps unboxed as Map keys.
  return (h ^ (h >>> 13)) & 0x3fffffff;
}

const BODY_NAMES = ['count', 'timeoutCount', 'execCount', 'intervalCount', 'totalRspTime', 'maxRspTime', 'minRspTime'];

// Wire type codes (tars-protocol.md §3.4).
const INT8 = 0, INT16 = 1, INT32 = 2, FLOAT = 4, DOUBLE = 5, STRING1 = 6, STRING4 = 7, MAP = 8, STRUCT_END = 11, ZERO_TAG = 12;
const MAX_NESTING = 100;

function fail(what: string, offset: number): never {
  throw new TarsDecodeError(`reportMicMsg: ${what}`, { offset });
}

function truncated(offset: number): never {
  return fail('truncated input', offset);
}

/**
 * Skips the fields of a struct whose STRUCT_BEGIN was just read; returns the offset after its
 * STRUCT_END. Scalars and nested structs inline, containers through TarsReader (heads never
 * carry them, unknown future fields might).
 */
function skipStruct(buf: Buffer, p: number, end: number, depth: number): number {
  if (depth > MAX_NESTING) fail(`structs nested deeper than ${MAX_NESTING}`, p);
  for (;;) {
    if (p >= end) truncated(p);
    const b = buf[p++];
    const type = b & 15;
    if (b >> 4 === 15) p++;
    switch (type) {
      case STRUCT_END: return p;
      case ZERO_TAG: break;
      case INT8: p += 1; break;
      case INT16: p += 2; break;
      case INT32: case FLOAT: p += 4; break;
      case INT64: case DOUBLE: p += 8; break;
      case STRING1: if (p >= end) truncated(p); p += 1 + buf[p]; break;
      case STRING4: if (p + 4 > end) truncated(p); p += 4 + buf.readUInt32BE(p); break;
      case STRUCT_BEGIN: p = skipStruct(buf, p, end, depth + 1); break;
      default: {
        if (type > 13) fail(`invalid type code ${type}`, p - 1);
        // MAP, LIST, SIMPLE_LIST: let the general reader walk them.
        const r = new TarsReader(buf, p, end);
        r.type = type;
        r.skipField();
        p = r.pos;
      }
    }
    if (p > end) truncated(end);
  }
}

/** Reads an int (ZERO_TAG, INT8..INT32, and INT64 when `wide`) at p; the value lands in `intOut`. */
let intOut = 0;
function readInt(buf: Buffer, type: number, p: number, end: number, wide: boolean): number {
  switch (type) {
    case ZERO_TAG: intOut = 0; return p;
    case INT8: if (p + 1 > end) truncated(p); intOut = (buf[p] << 24) >> 24; return p + 1;
    case INT16: if (p + 2 > end) truncated(p); intOut = buf.readInt16BE(p); return p + 2;
    case INT32: if (p + 4 > end) truncated(p); intOut = buf.readInt32BE(p); return p + 4;
    case INT64:
      if (wide) {
        if (p + 8 > end) truncated(p);
        intOut = Number(buf.readBigInt64BE(p));
        return p + 8;
      }
  }
  return fail(`wrong type ${type} for an int`, p);
}

/** Reads the map under the current MAP head (what a ValueCodec.read receives). */
export function readStatBatch(r: TarsReader): StatBatch {
  const n = r.readMapSize();
  // Plain arrays, not typed ones: they live in V8's young generation and die cheaply, where
  // typed arrays would allocate (and fragment) native memory on every call.
  const headStart: number[] = [];
  const headEnd: number[] = [];
  const headHash: number[] = [];
  const bodies: number[] = [];
  const bucketStart: number[] = [];
  const buckets: number[] = [];
  let b = 0;
  const buf = r.buf;
  const end = r.end;
  let p = r.pos;
  for (let i = 0; i < n; i++) {
    // key: tag 0 STRUCT_BEGIN
    if (p >= end) truncated(p);
    if (buf[p] !== 0x0a) fail(`entry ${i}: key is not a struct at tag 0`, p);
    const hs = ++p;
    p = skipStruct(buf, p, end, 1);
    headStart.push(hs);
    headEnd.push(p);
    headHash.push(hashBytes(buf, hs, p));
    for (let k = 0; k < BODY_WIDTH; k++) bodies.push(0);

    // value: tag 1 STRUCT_BEGIN
    if (p >= end) truncated(p);
    if (buf[p] !== 0x1a) fail(`entry ${i}: value is not a struct at tag 1`, p);
    p++;
    const o = i * BODY_WIDTH;
    let seen = 0;
    bucketStart.push(b);
    for (;;) {
      if (p >= end) truncated(p);
      const h = buf[p++];
      const type = h & 15;
      let tag = h >> 4;
      if (tag === 15) {
        if (p >= end) truncated(p);
        tag = buf[p++];
      }
      if (type === STRUCT_END) break;
      if (tag <= 6 && tag !== 3) {
        p = readInt(buf, type, p, end, tag === 4);
        bodies[o + (tag < 3 ? tag : tag - 1)] = intOut;
        seen |= 1 << tag;
      } else if (tag === 3) {
        if (type !== MAP) fail(`entry ${i}: intervalCount is not a map`, p);
        // size: an int at tag 0
        if (p >= end) truncated(p);
        const sh = buf[p++];
        if (sh >> 4 !== 0) fail(`entry ${i}: map size has tag ${sh >> 4}`, p);
        p = readInt(buf, sh & 15, p, end, false);
        const m = intOut;
        if (m < 0 || m * 2 > end - p) fail(`entry ${i}: intervalCount size ${m} exceeds the input`, p);
        for (let k = 0; k < 2 * m; k++) {
          if (p >= end) truncated(p);
          const eh = buf[p++];
          if (eh >> 4 !== (k & 1)) fail(`entry ${i}: intervalCount element has tag ${eh >> 4}`, p);
          p = readInt(buf, eh & 15, p, end, false);
          buckets.push(intOut);
          b++;
        }
        seen |= 8;
      } else {
        // unknown field: skip it like any other value
        if (type > 13) fail(`invalid type code ${type}`, p - 1);
        const r2 = new TarsReader(buf, p, end);
        r2.type = type;
        r2.skipField();
        p = r2.pos;
      }
    }
    if (seen !== 0x7f) {
      const missing = BODY_NAMES.filter((_, bit) => !(seen & (1 << bit)));
      fail(`tars.StatMicMsgBody: required field ${missing[0]} is missing (entry ${i})`, p);
    }
  }
  bucketStart.push(b);
  r.pos = p;
  return { size: n, buf, headStart, headEnd, headHash, bodies, bucketStart, buckets };
}

/** Decodes entry i's head; throws TarsDecodeError if it is invalid. */
export function decodeHead(batch: StatBatch, i: number): StatF.StatMicMsgHead {
  // The bytes end with the struct's STRUCT_END; decode() wants the fields alone.
  return StatF.StatMicMsgHead.decode(batch.buf.subarray(batch.headStart[i], batch.headEnd[i] - 1));
}

const generated = StatF.StatFDescriptor.methods;

/**
 * StatF's descriptor with `reportMicMsg`'s map read as a StatBatch; everything else (the
 * `bFromClient` parameter, the int result, `reportSampleMsg`) is the generated code.
 */
export const StatFBatchDescriptor = {
  name: StatF.StatFDescriptor.name,
  methods: {
    reportMicMsg: {
      ...generated.reportMicMsg,
      params: [
        {
          ...generated.reportMicMsg.params[0],
          read: readStatBatch,
          empty: (): StatBatch => readStatBatch(emptyMapReader()),
        },
        generated.reportMicMsg.params[1],
      ],
    },
    reportSampleMsg: generated.reportSampleMsg,
  },
};

// An empty map (head MAP at tag 0, size ZERO_TAG) for `empty()`.
function emptyMapReader(): TarsReader {
  const r = new TarsReader(Buffer.from([0x08, 0x0c]));
  r.nextField();
  return r;
}
