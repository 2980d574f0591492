// Node's native slice decoders, without the argument normalisation of toString().
type SliceBuffer = Buffer & { utf8Slice(start: number, end: number): string; latin1Slice(start: number, end: number): string };

// Short ASCII strings (names, IPs, versions) repeat across a stat or property report: a small
// 4-way set-associative cache returns the same string for the same bytes instead of decoding
// and allocating it again. Bounded memory. Each entry has a "used since" bit (CLOCK-style): a
// miss replaces an entry of its set that was not hit since it came in or since the last sweep
// (searching from the way after the one filled last), and when all were hit, it clears their
// bits and caches nothing. So a stream of one-off strings (a report full of new names) cannot
// flush the names that every report repeats.
// 2,048 sets of 4 (8,192 strings, 320 KiB of bytes): a 1,000-entry stat report holds ~2,300
// distinct strings.
const CACHE_WAYS = 4;
const CACHE_SETS = 2048;
const CACHE_SHIFT = 32 - 11; // log2(CACHE_SETS)
const CACHE_MAX_BYTES = 40;
const cacheStrings: string[] = new Array<string>(CACHE_SETS * CACHE_WAYS).fill('');
const cacheBytes = new Uint8Array(CACHE_SETS * CACHE_WAYS * CACHE_MAX_BYTES);
/**
 * Per entry: its byte length and 8 more bits of its hash (0 = empty). The four keys of a set
 * share a cache line, and only an entry whose key matches has its bytes compared.
 */
const cacheKeys = new Uint16Array(CACHE_SETS * CACHE_WAYS);
const cacheUsed = new Uint8Array(CACHE_SETS * CACHE_WAYS);
/** Per set: the way filled last. */
const cacheHand = new Uint8Array(CACHE_SETS);
let cacheMisses = 0;

/** Strings of 1..40 bytes not found in the cache so far (for tests and benchmarks). */
export function stringCacheMisses(): number {
  return cacheMisses;
}

// True when slot holds exactly the n bytes at buf[start..] (compared from the end, where
// names and addresses tend to differ).
function sameBytes(slot: number, buf: Buffer, start: number, n: number): boolean {
  const base = slot * CACHE_MAX_BYTES - start;
  for (let i = start + n - 1; i >= start; i--) if (cacheBytes[base + i] !== buf[i]) return false;
  return true;
}

/**
 * A 32-bit hash of the 1..40 bytes buf[start, end): its top bits choose the cache set, the next
 * eight go into the entry's key (exported for tests).
 */
export function stringHash(buf: Uint8Array, start: number, end: number): number {
  const n = end - start;
  const last = end - 1;
  // The last eight bytes, the first byte and the length: names and addresses differ most at
  // their ends (`10.0.103.17` / `10.1.113.17`, `OrderServer12`, `HelloServer-7d9f8`). The full
  // compare decides. (Sampling only the last four and two other bytes sent the IPs of a
  // 1,000-entry report to a few hundred sets, where they evicted each other on every frame.)
  if (n >= 4) {
    const p = n >= 8 ? last - 4 : start + 3;
    const a = buf[last] | (buf[last - 1] << 8) | (buf[last - 2] << 16) | (buf[last - 3] << 24);
    const b = buf[p] | (buf[p - 1] << 8) | (buf[p - 2] << 16) | (buf[p - 3] << 24);
    return Math.imul(a ^ Math.imul(b ^ (buf[start] << 16) ^ n, 0x85ebca6b), 0x9e3779b1);
  }
  return Math.imul(buf[last] | (buf[start] << 8) | (buf[start + (n >> 1)] << 16) | (n << 24), 0x9e3779b1);
}

/** The cache set of the 1..40 bytes buf[start, end) (exported for tests). */
export function cacheSetOf(buf: Uint8Array, start: number, end: number): number {
  // top bits: a product's high bits depend on every bit of its operand
  return stringHash(buf, start, end) >>> CACHE_SHIFT;
}

/** UTF-8 decode of buf[start, end) (invalid sequences become U+FFFD, as in Buffer#toString). */
export function decodeUtf8(buf: Buffer, start: number, end: number): string {
  const n = end - start;
  if (n === 0) return '';
  if (n > CACHE_MAX_BYTES) return (buf as SliceBuffer).utf8Slice(start, end);
  const h = stringHash(buf, start, end);
  const slot = (h >>> CACHE_SHIFT) * CACHE_WAYS;
  const key = (n << 8) | ((h >>> (CACHE_SHIFT - 8)) & 0xff);
  // Cached strings are ASCII, so a hit means the bytes were too.
  for (let s = slot; s < slot + CACHE_WAYS; s++) {
    if (cacheKeys[s] === key && sameBytes(s, buf, start, n)) {
      cacheUsed[s] = 1;
      return cacheStrings[s];
    }
  }
  return decodeMiss(buf, start, end, slot, key);
}

// Out of line so that the hit path above stays small enough to be inlined into readers.
function decodeMiss(buf: Buffer, start: number, end: number, slot: number, key: number): string {
  cacheMisses++;
  for (let i = start; i < end; i++) if (buf[i] >= 0x80) return (buf as SliceBuffer).utf8Slice(start, end);
  // All bytes are ASCII here, where latin1 and UTF-8 decode alike.
  const s = (buf as SliceBuffer).latin1Slice(start, end);
  const set = slot / CACHE_WAYS;
  const hand = cacheHand[set];
  let victim = -1;
  for (let i = 1; i <= CACHE_WAYS; i++) {
    const way = (hand + i) & (CACHE_WAYS - 1);
    if (cacheUsed[slot + way] === 0) {
      victim = way;
      break;
    }
  }
  if (victim < 0) {
    for (let i = 0; i < CACHE_WAYS; i++) cacheUsed[slot + i] = 0;
    return s;
  }
  cacheHand[set] = victim;
  const entry = slot + victim;
  cacheStrings[entry] = s;
  cacheKeys[entry] = key;
  const base = entry * CACHE_MAX_BYTES;
  for (let i = 0, n = end - start; i < n; i++) cacheBytes[base + i] = buf[start + i];
  return s;
}
