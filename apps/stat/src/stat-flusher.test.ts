import { silentLogger } from '@tars-ts/rpc';
import type { StatRow } from '@tars-ts/storage';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StatAggregator } from './stat-aggregator.ts';
import { StatFlusher } from './stat-flusher.ts';
import { batchOf, cppBody, head } from './testing/stat-fixtures.ts';

// A store that keeps what it is given, and can refuse part of it like a full write buffer.
function recordingStore(capacity = Infinity) {
  const rows: StatRow[] = [];
  return {
    rows,
    flushed: 0,
    writeStat(batch: readonly StatRow[]) {
      const taken = batch.slice(0, Math.max(0, capacity - rows.length));
      rows.push(...taken);
      return taken.length;
    },
    async flush() {
      this.flushed++;
    },
  };
}

describe('StatFlusher', () => {
  afterEach(() => vi.useRealTimers());

  it('writes each window just after its minute ends, labelled by the end, and the open one on stop', async () => {
    vi.useFakeTimers({ now: Date.parse('2024-01-01T10:05:30Z') });
    const aggregator = new StatAggregator();
    const store = recordingStore();
    const flusher = new StatFlusher({ aggregator, store, sourceId: '10.0.0.1', logger: silentLogger, utcOffsetMinutes: 0, graceMs: 500 });
    flusher.start();
    aggregator.add(batchOf([[head({}), cppBody([4])]]), true, '1.1.1.1', Date.now());
    await vi.advanceTimersByTimeAsync(30_000 + 499);
    expect(store.rows).toEqual([]); // 10:06:00.499: still in the grace period
    aggregator.add(batchOf([[head({}), cppBody([5])]]), true, '1.1.1.1', Date.now()); // lands in 10:07
    await vi.advanceTimersByTimeAsync(1);
    expect(store.rows.map((r) => [r.f_tflag, r.succ_count, r.source_id, r.f_timestamp])).toEqual([['1006', 1, '10.0.0.1', Date.parse('2024-01-01T10:06:00.5Z') / 1000 | 0]]);
    await flusher.stop();
    expect(store.rows.map((r) => [r.f_tflag, r.total_time])).toEqual([['1006', 4], ['1007', 5]]);
    expect(store.flushed).toBe(1);
    expect(flusher.counters).toEqual({ rowsWritten: 2, rowsRefused: 0, windowsWritten: 2 });
  });

  it('counts rows the store refuses', async () => {
    const aggregator = new StatAggregator();
    const store = recordingStore(1);
    const warnings: string[] = [];
    const flusher = new StatFlusher({ aggregator, store, sourceId: 's', logger: { ...silentLogger, warn: (m: string) => warnings.push(m) }, clock: () => 0 });
    aggregator.add(batchOf([[head({ interfaceName: 'a' }), cppBody([1])], [head({ interfaceName: 'b' }), cppBody([1])]]), true, 'p', 0);
    await flusher.stop();
    expect(flusher.counters).toMatchObject({ rowsWritten: 1, rowsRefused: 1 });
    expect(warnings).toEqual([expect.stringContaining('store took 1 of 2 rows')]);
  });
});
