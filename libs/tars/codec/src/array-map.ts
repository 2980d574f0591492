import { inspect } from 'node:util';

/** Up to this many entries a lookup scans the keys; beyond, it builds a hash index once. */
const LINEAR_MAX = 16;

/** Stands where a deleted entry was (positions stay put until the next compaction). */
const HOLE: unknown = Object.freeze({ deleted: true });

/**
 * The `Map` that decoded `map<K,V>` values arrive in: insertion-ordered keys and values in two
 * arrays. It implements the whole `Map` interface with Map's key equality (SameValueZero), so
 * code typed against `Map<K,V>` cannot tell the difference, except `instanceof Map`.
 *
 * Why (ADR 0011): the maps on the wire are small (a stat report carries one nine-entry
 * `intervalCount` per entry) or struct-keyed (looked up by iterating, never by key), and a V8
 * `Map` costs ~300 ns to build at nine entries, most of a stat report's decode time. Two arrays
 * cost a tenth of that; lookups scan up to 16 keys and index larger maps on first use. A delete
 * leaves a hole (O(1) with the index); the arrays are compacted once half are holes.
 */
export class ArrayMap<K, V> implements Map<K, V> {
  private ks: K[];
  private vs: V[];
  /** key -> position, built by the first lookup in a map larger than LINEAR_MAX. */
  private index: Map<K, number> | undefined = undefined;
  /** HOLEs in ks. */
  private holes = 0;
  /** Keeps the instances' hidden class alive: see TarsReader.shapeAnchor. */
  private static readonly shapeAnchor: unknown = new ArrayMap<unknown, unknown>(null, [0], [0]);

  /**
   * Entries as for `new Map(entries)`. `keys` and `values` instead hand over two arrays of equal
   * length whose keys are already distinct (ArrayMap.fromArrays checks that for decoders).
   */
  constructor(entries?: Iterable<readonly [K, V]> | null, keys?: K[], values?: V[]) {
    this.ks = keys ?? [];
    this.vs = values ?? [];
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  /**
   * A map over the given arrays, which it takes over (decoders fill them presized). Unless the
   * keys are known to be distinct (decoded struct keys are), a repeated key keeps one entry, at
   * its first position, with its last value: what a sequence of Map#set calls leaves.
   */
  static fromArrays<K, V>(keys: K[], values: V[], distinct: boolean): ArrayMap<K, V> {
    if (distinct || distinctKeys(keys)) return new ArrayMap<K, V>(null, keys, values);
    const m = new ArrayMap<K, V>();
    for (let i = 0; i < keys.length; i++) m.set(keys[i], values[i]);
    return m;
  }

  get size(): number {
    return this.ks.length - this.holes;
  }

  get [Symbol.toStringTag](): string {
    return 'ArrayMap';
  }

  /**
   * Adds an entry without looking for an equal key: for decoders whose keys are new objects
   * (struct keys compare by identity, so a freshly decoded one is never already present).
   */
  append(key: K, value: V): void {
    // Map stores the key -0 as +0
    this.ks.push(key === 0 ? (0 as K) : key);
    this.vs.push(value);
    if (this.index !== undefined) this.index.set(key, this.ks.length - 1);
  }

  private indexOf(key: K): number {
    const ks = this.ks;
    const n = ks.length;
    if (n <= LINEAR_MAX) {
      // SameValueZero, as Map: NaN finds NaN, 0 finds -0
      if (key === key) {
        for (let i = 0; i < n; i++) if (ks[i] === key) return i;
      } else {
        for (let i = 0; i < n; i++) if (ks[i] !== ks[i]) return i;
      }
      return -1;
    }
    let index = this.index;
    if (index === undefined) {
      index = new Map();
      // the first of equal keys wins, like the scan above
      for (let i = n - 1; i >= 0; i--) index.set(ks[i], i);
      this.index = index;
    }
    return index.get(key) ?? -1;
  }

  get(key: K): V | undefined {
    const i = this.indexOf(key);
    return i < 0 ? undefined : this.vs[i];
  }

  has(key: K): boolean {
    return this.indexOf(key) >= 0;
  }

  set(key: K, value: V): this {
    const i = this.indexOf(key);
    if (i >= 0) this.vs[i] = value;
    else this.append(key, value);
    return this;
  }

  delete(key: K): boolean {
    const i = this.indexOf(key);
    if (i < 0) return false;
    // a hole keeps every other position (and so the index and running iterators) valid
    this.index?.delete(key);
    this.ks[i] = HOLE as K;
    this.vs[i] = undefined as V;
    if (++this.holes * 2 > this.ks.length) this.compact(this.index);
    return true;
  }

  // Moves the entries over the holes, in place and in order, and renumbers the index.
  private compact(index: Map<K, number> | undefined): void {
    const { ks, vs } = this;
    let n = 0;
    for (let i = 0; i < ks.length; i++) {
      if (ks[i] === HOLE) continue;
      ks[n] = ks[i];
      vs[n] = vs[i];
      index?.set(ks[n], n);
      n++;
    }
    ks.length = n;
    vs.length = n;
    this.holes = 0;
  }

  clear(): void {
    this.ks.length = 0;
    this.vs.length = 0;
    this.index = undefined;
    this.holes = 0;
  }

  forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.ks.length; i++) {
      const k = this.ks[i];
      if (k !== HOLE) callback.call(thisArg, this.vs[i], k, this);
    }
  }

  // Live, like Map iterators: entries set during iteration are visited, deleted ones skipped.
  *entries(): MapIterator<[K, V]> {
    for (let i = 0; i < this.ks.length; i++) {
      const k = this.ks[i];
      if (k !== HOLE) yield [k, this.vs[i]];
    }
  }

  keys(): MapIterator<K> {
    return this.holes === 0 ? this.ks.values() : this.liveKeys();
  }

  values(): MapIterator<V> {
    return this.holes === 0 ? this.vs.values() : this.liveValues();
  }

  private *liveKeys(): MapIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  private *liveValues(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  /** Shown like a Map by console.log and util.inspect. */
  [inspect.custom](depth: number, options: object): string {
    return inspect(new Map(this), { ...options, depth }).replace(/^Map/, 'ArrayMap');
  }
}

// Whether no two keys are equal under SameValueZero; turns -0 into +0 (as Map stores it).
// Decoded keys usually arrive in ascending order (stat buckets, sorted names), which proves
// them distinct in one pass; otherwise pairs are compared (few keys) or a Set decides.
function distinctKeys(keys: unknown[]): boolean {
  const n = keys.length;
  // `<` is a strict order only among numbers, among strings, or among bigints
  const type = typeof keys[0];
  let ascending = type === 'number' || type === 'string' || type === 'bigint';
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (k === 0) keys[i] = 0;
    if (ascending && i > 0 && (typeof k !== type || !((keys[i - 1] as number) < (k as number)))) ascending = false;
  }
  if (ascending) return true;
  if (n > LINEAR_MAX) return new Set(keys).size === n;
  for (let i = 1; i < n; i++) {
    const k = keys[i];
    for (let j = 0; j < i; j++) if (keys[j] === k || (k !== k && keys[j] !== keys[j])) return false;
  }
  return true;
}

/** True for a `Map` and for an `ArrayMap` (anything the encoders may iterate as map entries). */
export function isMap(v: unknown): v is ReadonlyMap<unknown, unknown> {
  return v instanceof Map || v instanceof ArrayMap;
}
