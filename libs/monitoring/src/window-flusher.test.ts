import { silentLogger } from '@tars-ts/rpc';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WindowFlusher } from './window-flusher.ts';

interface Win { endMs: number; n: number }

// Windows held until taken, like the aggregators: `add` puts n rows in the window ending after `atMs`.
function source() {
  const held: Win[] = [];
  return {
    add: (atMs: number, n: number) => held.push({ endMs: (Math.floor(atMs / 60_000) + 1) * 60_000, n }),
    takeDue: (nowMs: number) => held.splice(0, held.filter((w) => w.endMs <= nowMs).length),
    takeAll: () => held.splice(0),
  };
}

describe('WindowFlusher', () => {
  afterEach(() => vi.useRealTimers());

  it('writes each window just after its minute ends, the open one on stop, in chunks of 10,000 rows', async () => {
    vi.useFakeTimers({ now: 90_000 });
    const windows = source();
    const written: number[][] = [];
    let flushed = 0;
    const flusher = new WindowFlusher<Win, number>({
      kind: 'test', windows, logger: silentLogger, graceMs: 500,
      rowsOf: (w, timestamp) => Array.from({ length: w.n }, () => timestamp),
      write: (rows) => (written.push(rows), rows.length),
      flush: async () => void flushed++,
    });
    flusher.start();
    windows.add(Date.now(), 25_000);
    windows.add(Date.now() + 60_000, 1);
    await vi.advanceTimersByTimeAsync(30_499);
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(written.map((c) => c.length)).toEqual([10_000, 10_000, 5_000]);
    expect(written[0][0]).toBe(120);
    await flusher.stop();
    expect(written.map((c) => c.length)).toEqual([10_000, 10_000, 5_000, 1]);
    expect(flushed).toBe(1);
    expect(flusher.counters).toEqual({ rowsWritten: 25_001, rowsRefused: 0, windowsWritten: 2 });
  });

  it('counts what the store refuses or throws on, and says so', async () => {
    const windows = source();
    const lines: string[] = [];
    let calls = 0;
    const flusher = new WindowFlusher<Win, number>({
      kind: 'test', windows, clock: () => 0,
      logger: { ...silentLogger, warn: (m: string) => lines.push(`warn ${m}`), error: (m: string) => lines.push(`error ${m}`) },
      rowsOf: (w) => Array.from({ length: w.n }, () => 0),
      write: (rows) => {
        if (calls++ === 0) return rows.length - 1;
        throw new Error('invalid row');
      },
      flush: async () => {},
    });
    windows.add(0, 2);
    windows.add(60_000, 3);
    await flusher.stop();
    expect(flusher.counters).toEqual({ rowsWritten: 1, rowsRefused: 4, windowsWritten: 2 });
    expect(lines).toEqual([
      'warn test window 60000: store took 1 of 2 rows (buffer full)',
      'error test window 120000: store refused 3 rows: invalid row',
      'warn test window 120000: store took 0 of 3 rows (buffer full)',
    ]);
  });
});
