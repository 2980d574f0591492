// Node's native slice decoders, without the argument normalisation of toString().
type SliceBuffer = Buffer & { utf8Slice(start: number, end: number): string; latin1Slice(start: number, end: number): string };

// Short ASCII strings (names, IPs, versions) repeat across a stat or property report: a small
// 2-way set-associative cache returns the same string for the same bytes instead of decoding
// and allocating it again. Bounded memory. Each entry has a "used since" bit (CLOCK-style): a
// miss replaces an entry of its set that was not hit since it came in or since the last sweep,
// and when both were, it clears their bits and caches nothing. So a stream of one-off strings
// (a report full of new names) cannot flush the names that every report repeats.
// 4,096 sets (8,192 strings, 320 KiB of bytes): a 1,000-entry stat report holds ~3,000 distinct
// strings, which 2,048 sets could not keep.
const CACHE_SETS = 4096;
const CACHE_SHIFT = 32 - 12; // log2(CACHE_SETS)
const CACHE_MAX_BYTES = 40;
const cacheStrings: string[] = new Array<string>(CACHE_SETS * 2).fill('');
const cacheBytes = new Uint8Array(CACHE_SETS * 2 * CACHE_MAX_BYTES);
const cacheUsed = new Uint8Array(CACHE_SETS * 2);

// True when slot holds exactly the n bytes at buf[start..] (compared from the end, where
// names and addresses tend to differ).
function cacheHit(slot: number, buf: Buffer, start: number, n: number): boolean {
  if (cacheStrings[slot].length !== n) return false;
  const base = slot * CACHE_MAX_BYTES - start;
  for (let i = start + n - 1; i >= start; i--) if (cacheBytes[base + i] !== buf[i]) return false;
  return true;
}

/** UTF-8 decode of buf[start, end) (invalid sequences become U+FFFD, as in Buffer#toString). */
export function decodeUtf8(buf: Buffer, start: number, end: number): string {
  const n = end - start;
  if (n === 0) return '';
  if (n > CACHE_MAX_BYTES) return (buf as SliceBuffer).utf8Slice(start, end);
  // Hash of the last four bytes (names and IPs tend to differ there: `10.0.3.17` / `10.0.4.17`),
  // the length, the first and the middle byte; the full compare decides. (Five bytes sampled
  // across the string sent IP-like strings to the same set, where they evicted each other.)
  const last = end - 1;
  const tail = n >= 4
    ? buf[last] | (buf[last - 1] << 8) | (buf[last - 2] << 16) | (buf[last - 3] << 24)
    : buf[last] | (buf[start] << 8) | (buf[start + (n >> 1)] << 16);
  const h = Math.imul(tail, 0x9e3779b1) ^ Math.imul(n | (buf[start] << 8) | (buf[start + (n >> 1)] << 16), 0x85ebca6b);
  // top bits: a product's high bits depend on every bit of its operand
  const slot = (h >>> CACHE_SHIFT) << 1;
  // Cached strings are ASCII, so a hit means the bytes were too.
  if (cacheHit(slot, buf, start, n)) {
    cacheUsed[slot] = 1;
    return cacheStrings[slot];
  }
  if (cacheHit(slot + 1, buf, start, n)) {
    cacheUsed[slot + 1] = 1;
    return cacheStrings[slot + 1];
  }
  return decodeMiss(buf, start, end, slot);
}

// Out of line so that the hit path above stays small enough to be inlined into readers.
function decodeMiss(buf: Buffer, start: number, end: number, slot: number): string {
  for (let i = start; i < end; i++) if (buf[i] >= 0x80) return (buf as SliceBuffer).utf8Slice(start, end);
  // All bytes are ASCII here, where latin1 and UTF-8 decode alike.
  const s = (buf as SliceBuffer).latin1Slice(start, end);
  const victim = cacheUsed[slot] === 0 ? slot : cacheUsed[slot + 1] === 0 ? slot + 1 : -1;
  if (victim < 0) {
    cacheUsed[slot] = 0;
    cacheUsed[slot + 1] = 0;
    return s;
  }
  cacheStrings[victim] = s;
  const base = victim * CACHE_MAX_BYTES;
  for (let i = 0, n = end - start; i < n; i++) cacheBytes[base + i] = buf[start + i];
  return s;
}
