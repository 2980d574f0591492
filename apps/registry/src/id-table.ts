// Object ids → answers, found by the id's UTF-8 bytes as they arrive in a request: no string is
// made, hashed by V8 and compared per lookup. Ids are spread over thousands of servers and each
// is asked for about once a minute per client, so a lookup meets cold memory: the probe reads
// one slot pair (hash, entry) and the key bytes from one arena, then the value.
const EMPTY = 0;
const DELETED = -1;

/** The text of buf[start, end) as UTF-8 (invalid sequences become U+FFFD). */
export function utf8Of(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8', start, end);
}

/** FNV-1a over bytes. */
function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h | 0;
}

export class IdTable<V> {
  /**
   * Per slot: [hash, entry + 1 | EMPTY | DELETED, key offset in the arena, key length], so a
   * probe finds all it needs before the key bytes in one cache line.
   */
  private slots = new Int32Array(4 * 32);
  private mask = 31;
  private used = 0; // slots not EMPTY (live and deleted)
  private live = 0;
  private readonly values: Array<V | undefined> = [];
  private readonly entryHash: number[] = [];
  private keyStart: number[] = [];
  private keyEnd: number[] = [];
  private arena = new Uint8Array(4096);
  private arenaUsed = 0;
  /** Arena bytes of deleted keys (reclaimed by the next rebuild). */
  private arenaDead = 0;
  private readonly freeEntries: number[] = [];

  get size(): number {
    return this.live;
  }

  /** The value for `id` given as bytes buf[start, end), or undefined. */
  getBytes(buf: Uint8Array, start: number, end: number): V | undefined {
    const h = hashBytes(buf, start, end);
    const slots = this.slots;
    const n = end - start;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const e = slots[4 * i + 1];
      if (e === EMPTY) return undefined;
      if (e > 0 && slots[4 * i] === h && slots[4 * i + 3] === n && this.sameBytes(slots[4 * i + 2], buf, start, n)) return this.values[e - 1];
    }
  }

  get(id: string): V | undefined {
    const b = Buffer.from(id, 'utf8');
    return this.getBytes(b, 0, b.length);
  }

  set(id: string, value: V): void {
    const key = Buffer.from(id, 'utf8');
    const h = hashBytes(key, 0, key.length);
    const at = this.find(h, key);
    if (at >= 0) {
      this.values[this.slots[4 * at + 1] - 1] = value;
      return;
    }
    // at most half the slots in use (deleted ones count: they lengthen probes), and the arena
    // at most half dead bytes (watch updates delete and re-add the same ids all the time)
    if ((this.used + 1) * 2 > this.slots.length / 4 || (this.arenaDead > 4096 && this.arenaDead * 2 > this.arenaUsed)) this.rebuild(this.live + 1);
    const entry = this.freeEntries.pop() ?? this.values.length;
    this.values[entry] = value;
    this.entryHash[entry] = h;
    this.keyStart[entry] = this.arenaUsed;
    this.appendKey(key);
    this.keyEnd[entry] = this.arenaUsed;
    let i = h & this.mask;
    while (this.slots[4 * i + 1] > 0) i = (i + 1) & this.mask;
    if (this.slots[4 * i + 1] === EMPTY) this.used++;
    this.slots[4 * i] = h;
    this.slots[4 * i + 1] = entry + 1;
    this.slots[4 * i + 2] = this.keyStart[entry];
    this.slots[4 * i + 3] = key.length;
    this.live++;
  }

  delete(id: string): boolean {
    const key = Buffer.from(id, 'utf8');
    const at = this.find(hashBytes(key, 0, key.length), key);
    if (at < 0) return false;
    const entry = this.slots[4 * at + 1] - 1;
    this.slots[4 * at + 1] = DELETED;
    this.values[entry] = undefined; // let the answer go
    this.arenaDead += this.keyEnd[entry] - this.keyStart[entry];
    this.freeEntries.push(entry);
    this.live--;
    return true;
  }

  // The slot holding `key`, or -1.
  private find(h: number, key: Uint8Array): number {
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const e = this.slots[4 * i + 1];
      if (e === EMPTY) return -1;
      if (e > 0 && this.slots[4 * i] === h && this.slots[4 * i + 3] === key.length && this.sameBytes(this.slots[4 * i + 2], key, 0, key.length)) return i;
    }
  }

  private sameBytes(at: number, b: Uint8Array, start: number, n: number): boolean {
    const a = this.arena;
    for (let j = 0; j < n; j++) if (a[at + j] !== b[start + j]) return false;
    return true;
  }

  private appendKey(key: Uint8Array): void {
    if (this.arenaUsed + key.length > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + key.length));
      bigger.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = bigger;
    }
    this.arena.set(key, this.arenaUsed);
    this.arenaUsed += key.length;
  }

  // New slots for `want` live entries at most a quarter full, deleted slots dropped, and the
  // arena compacted to the live keys (deleted ones leave their bytes behind until now).
  private rebuild(want: number): void {
    let cap = 64;
    while (cap < want * 4) cap *= 2;
    const oldArena = this.arena;
    this.slots = new Int32Array(4 * cap);
    this.mask = cap - 1;
    this.arena = new Uint8Array(Math.max(4096, this.arenaUsed));
    this.arenaUsed = 0;
    this.arenaDead = 0;
    this.used = 0;
    const free = new Set(this.freeEntries);
    for (let entry = 0; entry < this.values.length; entry++) {
      if (free.has(entry)) continue;
      const key = oldArena.subarray(this.keyStart[entry], this.keyEnd[entry]);
      this.keyStart[entry] = this.arenaUsed;
      this.appendKey(key);
      this.keyEnd[entry] = this.arenaUsed;
      const h = this.entryHash[entry];
      let i = h & this.mask;
      while (this.slots[4 * i + 1] !== EMPTY) i = (i + 1) & this.mask;
      this.slots[4 * i] = h;
      this.slots[4 * i + 1] = entry + 1;
      this.slots[4 * i + 2] = this.keyStart[entry];
      this.slots[4 * i + 3] = key.length;
      this.used++;
    }
  }
}
