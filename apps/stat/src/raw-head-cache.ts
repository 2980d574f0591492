/**
 * Raw head bytes → what they resolved to, for one window and one reporting context (peer and
 * side). Keyed by the bytes' hash, confirmed by comparing the bytes, so a repeated head costs a
 * hash, a number lookup and a byte compare: no string, no decoding.
 */
interface Slot<T> {
  readonly key: Buffer;
  readonly value: T;
  next: Slot<T> | undefined;
}

function sameBytes(key: Buffer, buf: Buffer, start: number, end: number): boolean {
  const n = key.length;
  if (n !== end - start) return false;
  for (let i = 0; i < n; i++) if (key[i] !== buf[start + i]) return false;
  return true;
}

export class RawHeadCache<T> {
  readonly #slots = new Map<number, Slot<T>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(hash: number, buf: Buffer, start: number, end: number): T | undefined {
    for (let s = this.#slots.get(hash); s !== undefined; s = s.next) if (sameBytes(s.key, buf, start, end)) return s.value;
    return undefined;
  }

  /** Stores a copy of the bytes (the request buffer is reused once the call returns). */
  set(hash: number, buf: Buffer, start: number, end: number, value: T): void {
    const key = Buffer.from(buf.subarray(start, end));
    this.#slots.set(hash, { key, value, next: this.#slots.get(hash) });
    this.#size++;
  }
}
