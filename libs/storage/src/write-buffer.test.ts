import { describe, expect, it } from 'vitest';
import { backoffDelay, mergeBufferOptions, WriteBuffer, type SinkOutcome } from './write-buffer.ts';

const options = (over: Parameters<typeof mergeBufferOptions>[0] = {}) =>
  mergeBufferOptions({ capacity: 100, batchSize: 10, flushIntervalMs: 3_600_000, retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 4 }, ...over });

describe('WriteBuffer', () => {
  it('writes in batches of batchSize, in order', async () => {
    const batches: number[][] = [];
    const buffer = new WriteBuffer<number>('t', async (rows) => void batches.push([...rows]), options({ batchSize: 4 }));
    buffer.push([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await buffer.flush();
    expect(batches).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]);
    expect(buffer.counters()).toMatchObject({ accepted: 10, written: 10, pending: 0 });
    await buffer.close();
  });

  it('holds rows while a write is failing and writes them once the backend recovers', async () => {
    let failures = 2;
    const written: number[] = [];
    const buffer = new WriteBuffer<number>('t', async (rows) => {
      if (failures-- > 0) throw new Error('backend down');
      written.push(...rows);
    }, options());
    buffer.push([1, 2, 3]);
    await buffer.flush();
    expect(written).toEqual([1, 2, 3]);
    expect(buffer.counters()).toMatchObject({ written: 3, retries: 2, failed: 0 });
    await buffer.close();
  });

  it('counts in-flight rows against the capacity', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const buffer = new WriteBuffer<number>('t', () => gate, options({ capacity: 5, batchSize: 5 }));
    expect(buffer.push([1, 2, 3, 4, 5])).toBe(5); // a full batch starts writing at once
    expect(buffer.push([6])).toBe(0);
    expect(buffer.counters()).toMatchObject({ overflow: 1, pending: 5 });
    release();
    await buffer.flush();
    expect(buffer.push([7])).toBe(1);
    await buffer.close();
  });

  it('retries only the rows the sink hands back', async () => {
    const seen: number[][] = [];
    let first = true;
    const buffer = new WriteBuffer<number>('t', async (rows): Promise<SinkOutcome<number>> => {
      seen.push([...rows]);
      if (first) {
        first = false;
        return { retry: [rows[1]!], rejected: 1 };
      }
      return {};
    }, options());
    buffer.push([1, 2, 3]);
    await buffer.flush();
    expect(seen).toEqual([[1, 2, 3], [2]]);
    expect(buffer.counters()).toMatchObject({ written: 2, failed: 1, retries: 1 });
    await buffer.close();
  });

  it('writes on its timer without an explicit flush', async () => {
    const written: number[] = [];
    const buffer = new WriteBuffer<number>('t', async (rows) => void written.push(...rows), options({ flushIntervalMs: 5 }));
    buffer.push([1]);
    await expect.poll(() => written, { timeout: 2000 }).toEqual([1]);
    await buffer.close();
  });

  it('flushes after its timer has fired on an empty queue', async () => {
    const written: number[] = [];
    const buffer = new WriteBuffer<number>('t', async (rows) => void written.push(...rows), options({ flushIntervalMs: 2 }));
    await new Promise((r) => setTimeout(r, 30));
    buffer.push([1, 2]);
    await buffer.flush();
    expect(written).toEqual([1, 2]);
    await buffer.close();
  });

  it('doubles the delay per attempt up to the cap', () => {
    const r = { attempts: 10, baseDelayMs: 250, maxDelayMs: 30_000 };
    expect([1, 2, 3, 4, 8, 9].map((a) => backoffDelay(a, r))).toEqual([250, 500, 1000, 2000, 30_000, 30_000]);
  });

  it('refuses nonsense options', () => {
    expect(() => mergeBufferOptions({ capacity: 0 })).toThrow(/capacity/);
    expect(() => mergeBufferOptions({ retry: { attempts: -1 } })).toThrow(/attempts/);
  });
});
