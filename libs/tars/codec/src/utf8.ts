// Node's native slice decoders, without the argument normalisation of toString().
type SliceBuffer = Buffer & { utf8Slice(start: number, end: number): string; latin1Slice(start: number, end: number): string };

// Short ASCII strings (names, IPs, versions) repeat across a stat or property report: a small
// 2-way set-associative cache returns the same string for the same bytes instead of decoding
// and allocating it again. Bounded memory; a miss replaces the older entry of its set.
const CACHE_SETS = 2048;
const CACHE_MAX_BYTES = 40;
const cacheStrings: string[] = new Array<string>(CACHE_SETS * 2).fill('');
const cacheBytes = new Uint8Array(CACHE_SETS * 2 * CACHE_MAX_BYTES);
const cacheVictim = new Uint8Array(CACHE_SETS);

// True when slot holds exactly the n bytes at buf[start..].
function cacheHit(slot: number, buf: Buffer, start: number, n: number): boolean {
  if (cacheStrings[slot].length !== n) return false;
  const base = slot * CACHE_MAX_BYTES;
  let i = n - 1;
  while (i >= 0 && cacheBytes[base + i] === buf[start + i]) i--;
  return i < 0;
}

/** UTF-8 decode of buf[start, end) (invalid sequences become U+FFFD, as in Buffer#toString). */
export function decodeUtf8(buf: Buffer, start: number, end: number): string {
  const n = end - start;
  if (n === 0) return '';
  if (n > CACHE_MAX_BYTES) return (buf as SliceBuffer).utf8Slice(start, end);
  // Cheap hash of a few bytes (names tend to differ at the end); the full compare decides.
  const last = end - 1;
  let h = Math.imul(n, 0x9e3779b1) ^ buf[start];
  h = Math.imul(h ^ buf[last], 31) ^ buf[start + (n >> 1)];
  h = Math.imul(h ^ buf[last - (n > 1 ? 1 : 0)], 31) ^ buf[last - (n > 2 ? 2 : 0)];
  h = Math.imul(h ^ buf[start + (n >> 2)], 0x85ebca6b);
  const set = (h ^ (h >>> 15)) & (CACHE_SETS - 1);
  const slot = set << 1;
  // Cached strings are ASCII, so a hit means the bytes were too.
  if (cacheHit(slot, buf, start, n)) return cacheStrings[slot];
  if (cacheHit(slot + 1, buf, start, n)) return cacheStrings[slot + 1];
  for (let i = start; i < end; i++) if (buf[i] >= 0x80) return (buf as SliceBuffer).utf8Slice(start, end);
  // All bytes are ASCII here, where latin1 and UTF-8 decode alike.
  const s = (buf as SliceBuffer).latin1Slice(start, end);
  const victim = slot + cacheVictim[set];
  cacheVictim[set] ^= 1;
  cacheStrings[victim] = s;
  const base = victim * CACHE_MAX_BYTES;
  for (let i = 0; i < n; i++) cacheBytes[base + i] = buf[start + i];
  return s;
}
