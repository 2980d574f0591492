// Calls awaiting replies, by request id. Ids are handed out sequentially per connection, so a
// power-of-two array indexed by `id & mask` finds them without hashing; the rare id that lands
// on a slot still held by an older call goes to an overflow Map.
//
// Why not just a Map: under load the pending Map shrinks and grows all the time, and its old
// backing stores, once promoted, keep young call objects alive through minor GCs (then they are
// promoted too). Slots that are cleared in place leave no such stale references behind.

export class PendingTable<T> {
  private slots: Array<T | undefined>;
  private ids: Int32Array;
  private mask: number;
  private overflow = new Map<number, T>();
  size = 0;

  constructor(capacity = 256) {
    const n = 1 << Math.ceil(Math.log2(Math.max(16, capacity)));
    this.slots = new Array<T | undefined>(n).fill(undefined);
    this.ids = new Int32Array(n);
    this.mask = n - 1;
  }

  set(id: number, v: T): void {
    if (this.size >= this.slots.length >> 1) this.grow();
    const i = id & this.mask;
    if (this.slots[i] === undefined) {
      this.slots[i] = v;
      this.ids[i] = id;
    } else {
      this.overflow.set(id, v);
    }
    this.size++;
  }

  /** Removes and returns the entry for id. */
  take(id: number): T | undefined {
    const i = id & this.mask;
    const v = this.slots[i];
    if (v !== undefined && this.ids[i] === id) {
      this.slots[i] = undefined;
      this.size--;
      return v;
    }
    if (this.overflow.size === 0) return undefined;
    const o = this.overflow.get(id);
    if (o !== undefined) {
      this.overflow.delete(id);
      this.size--;
    }
    return o;
  }

  /** Visits every entry; `visit` returning true removes it. */
  sweep(visit: (v: T) => boolean): void {
    if (this.size === 0) return;
    const slots = this.slots;
    for (let i = 0; i < slots.length; i++) {
      const v = slots[i];
      if (v !== undefined && visit(v)) {
        slots[i] = undefined;
        this.size--;
      }
    }
    for (const [id, v] of this.overflow) {
      if (visit(v)) {
        this.overflow.delete(id);
        this.size--;
      }
    }
  }

  /** Removes everything and returns it. */
  drain(): T[] {
    const out: T[] = [];
    this.sweep((v) => {
      out.push(v);
      return true;
    });
    return out;
  }

  private grow(): void {
    const oldSlots = this.slots;
    const oldIds = this.ids;
    const overflow = this.overflow;
    const n = oldSlots.length * 2;
    this.slots = new Array<T | undefined>(n).fill(undefined);
    this.ids = new Int32Array(n);
    this.mask = n - 1;
    this.overflow = new Map();
    this.size = 0;
    for (let i = 0; i < oldSlots.length; i++) {
      const v = oldSlots[i];
      if (v !== undefined) this.set(oldIds[i], v);
    }
    for (const [id, v] of overflow) this.set(id, v);
  }
}
