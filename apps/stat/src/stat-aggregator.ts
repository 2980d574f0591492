/**
 * Merges reported entries into 1-minute windows (K8S tarsstat flushes every minute,
 * framework-services.md §2.4). A report belongs to the window of the minute it arrives in; a
 * window is labelled by its end (storage `timeLabels`: 10:06 → `1006`, 10:00 → `0960`).
 *
 * Per window, a head's raw bytes (per peer and report side, since the rewrite depends on both)
 * map straight to its record, so a head is decoded and rewritten once per window; the record
 * itself is keyed by the rewritten head, so different raw heads that mean the same thing (a
 * `masterIp` the server overwrites, `name@version` against name + version) merge.
 */
import { RawHeadCache } from './raw-head-cache.ts';
import { BODY_WIDTH, COUNT, EXEC, MAX_TIME, MIN_TIME, TIMEOUT, TOTAL_TIME, decodeHead, type StatBatch } from './stat-batch.ts';
import { addToBucket, mergeNumbers, newRecord, type StatRecord } from './stat-record.ts';
import { rewriteHead, statKeyString, type StatKey } from './stat-rules.ts';

export const WINDOW_MS = 60_000;

/** The end of the 1-minute window containing `nowMs`. */
export function windowEndOf(nowMs: number): number {
  return (Math.floor(nowMs / WINDOW_MS) + 1) * WINDOW_MS;
}

export interface StatWindow {
  /** Epoch ms of the window's end (its label). */
  readonly endMs: number;
  readonly records: Map<string, StatRecord>;
}

export interface StatCounters {
  /** Entries received (every map entry of every call). */
  entries: number;
  /** Entries merged into a record. */
  merged: number;
  droppedFrameworkSlave: number;
  droppedFrameworkMaster: number;
  /** count, timeoutCount and execCount all 0. */
  droppedEmpty: number;
  /** Negative numbers. */
  droppedInvalid: number;
  /** A new head while the window already held `maxRecords` records. */
  droppedOverflow: number;
}

export interface StatAggregatorOptions {
  /** Records per window before new heads are dropped (upstream: hash map > 90 % full). Default 1,000,000. */
  maxRecords?: number;
}

// Marks a raw head that is dropped in this window, so repeats are dropped without decoding.
const DROP_SLAVE = 1, DROP_MASTER = 2, DROP_OVERFLOW = 3;
type Target = StatRecord | typeof DROP_SLAVE | typeof DROP_MASTER | typeof DROP_OVERFLOW;

interface OpenWindow extends StatWindow {
  /** Per reporting IP, for client and server reports: raw head bytes → record or drop mark. */
  readonly rawClient: Map<string, RawHeadCache<Target>>;
  readonly rawServer: Map<string, RawHeadCache<Target>>;
  /** Raw heads cached in this window (bounded: dropped heads make no records but would be cached). */
  rawCached: number;
}

export class StatAggregator {
  readonly counters: StatCounters = { entries: 0, merged: 0, droppedFrameworkSlave: 0, droppedFrameworkMaster: 0, droppedEmpty: 0, droppedInvalid: 0, droppedOverflow: 0 };
  readonly #maxRecords: number;
  #current: OpenWindow | undefined;
  #sealed: StatWindow[] = [];

  constructor(options: StatAggregatorOptions = {}) {
    this.#maxRecords = options.maxRecords ?? 1_000_000;
    if (!(this.#maxRecords > 0)) throw new RangeError(`maxRecords must be positive, got ${options.maxRecords}`);
  }

  /** Records in the window now open. */
  get openRecords(): number {
    return this.#current?.records.size ?? 0;
  }

  /**
   * Merges one reportMicMsg call. Throws TarsDecodeError (before changing anything) when a head
   * does not decode.
   */
  add(batch: StatBatch, bFromClient: boolean, peerIp: string, nowMs: number): void {
    const w = this.#windowAt(nowMs);
    const caches = bFromClient ? w.rawClient : w.rawServer;
    let raw = caches.get(peerIp);
    if (!raw) caches.set(peerIp, (raw = new RawHeadCache()));

    const { size: n, buf, headStart, headEnd, headHash } = batch;
    const targets = new Array<Target | undefined>(n);
    let misses: number[] | undefined;
    for (let i = 0; i < n; i++) {
      const t = raw.get(headHash[i], buf, headStart[i], headEnd[i]);
      if (t === undefined) (misses ??= []).push(i);
      else targets[i] = t;
    }
    if (misses) {
      // Decode every new head first: a bad one rejects the call with nothing merged.
      const heads = misses.map((i) => decodeHead(batch, i));
      for (let j = 0; j < misses.length; j++) {
        const i = misses[j];
        let t = raw.get(headHash[i], buf, headStart[i], headEnd[i]);
        if (t === undefined) {
          t = this.#resolve(w, rewriteHead(heads[j], bFromClient, peerIp));
          // Past the bound, heads are resolved on every call instead (slower, still correct).
          if (w.rawCached < 2 * this.#maxRecords) {
            raw.set(headHash[i], buf, headStart[i], headEnd[i], t);
            w.rawCached++;
          }
        }
        targets[i] = t;
      }
    }

    const { bodies, bucketStart, buckets } = batch;
    const c = this.counters;
    c.entries += n;
    for (let i = 0; i < n; i++) {
      const o = i * BODY_WIDTH;
      const count = bodies[o + COUNT], timeouts = bodies[o + TIMEOUT], execs = bodies[o + EXEC];
      const t = targets[i]!;
      if (typeof t === 'number') {
        if (t === DROP_SLAVE) c.droppedFrameworkSlave++;
        else if (t === DROP_MASTER) c.droppedFrameworkMaster++;
        else c.droppedOverflow++;
        continue;
      }
      if (count === 0 && timeouts === 0 && execs === 0) {
        c.droppedEmpty++;
        continue;
      }
      const total = bodies[o + TOTAL_TIME], max = bodies[o + MAX_TIME], min = bodies[o + MIN_TIME];
      if (count < 0 || timeouts < 0 || execs < 0 || total < 0 || max < 0 || min < 0) {
        c.droppedInvalid++;
        continue;
      }
      mergeNumbers(t, count, timeouts, execs, total, max, min);
      // Reports from one client library list the same points in the same order: match by position first.
      const points = t.points, pointCounts = t.pointCounts;
      for (let b = bucketStart[i], j = 0; b < bucketStart[i + 1]; b += 2, j++) {
        if (points[j] === buckets[b]) pointCounts[j] += buckets[b + 1];
        else addToBucket(t, buckets[b], buckets[b + 1]);
      }
      c.merged++;
    }
  }

  /** Windows that ended at or before `nowMs`, oldest first; they are no longer held. */
  takeDue(nowMs: number): StatWindow[] {
    if (this.#current && this.#current.endMs <= nowMs) this.#seal();
    const due = this.#sealed;
    this.#sealed = [];
    return due;
  }

  /** Every window, the open one included (graceful stop). */
  takeAll(): StatWindow[] {
    if (this.#current) this.#seal();
    const all = this.#sealed;
    this.#sealed = [];
    return all;
  }

  #windowAt(nowMs: number): OpenWindow {
    const cur = this.#current;
    if (cur && nowMs < cur.endMs) return cur;
    if (cur) this.#seal();
    const w: OpenWindow = { endMs: windowEndOf(nowMs), records: new Map(), rawClient: new Map(), rawServer: new Map(), rawCached: 0 };
    this.#current = w;
    return w;
  }

  #seal(): void {
    const cur = this.#current!;
    this.#current = undefined;
    if (cur.records.size > 0) this.#sealed.push({ endMs: cur.endMs, records: cur.records });
  }

  #resolve(w: OpenWindow, key: StatKey | 'framework-slave' | 'framework-master'): Target {
    if (key === 'framework-slave') return DROP_SLAVE;
    if (key === 'framework-master') return DROP_MASTER;
    const id = statKeyString(key);
    let rec = w.records.get(id);
    if (!rec) {
      if (w.records.size >= this.#maxRecords) return DROP_OVERFLOW;
      rec = newRecord(key);
      w.records.set(id, rec);
    }
    return rec;
  }
}
