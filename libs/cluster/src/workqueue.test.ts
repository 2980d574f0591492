import { describe, expect, it } from 'vitest';
import { WorkQueue, type WorkResult } from './workqueue.ts';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await tick(2);
  }
}

describe('WorkQueue', () => {
  it('keeps a queued key once, however often it is added', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    const seen: string[] = [];
    q.run((k) => void seen.push(k));
    await until(() => seen.length === 2);
    await tick(10);
    expect(seen).toEqual(['a', 'b']);
    await q.shutdown();
  });

  it('never runs one key twice at once; an add during processing runs it once more afterwards', async () => {
    const q = new WorkQueue({ concurrency: 4 });
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    q.run(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await tick(20);
      running--;
      runs++;
    });
    q.add('k');
    await tick(5);
    q.add('k');
    q.add('k');
    await until(() => runs === 2);
    await tick(40);
    expect(runs).toBe(2);
    expect(maxRunning).toBe(1);
    await q.shutdown();
  });

  it('runs at most `concurrency` keys at a time', async () => {
    const q = new WorkQueue({ concurrency: 3 });
    let running = 0;
    let maxRunning = 0;
    let done = 0;
    q.run(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await tick(15);
      running--;
      done++;
    });
    for (let i = 0; i < 10; i++) q.add(`k${i}`);
    await until(() => done === 10);
    expect(maxRunning).toBe(3);
    await q.shutdown();
  });

  it('backs off exponentially per key on retry and forgets after success', async () => {
    const q = new WorkQueue({ baseDelayMs: 10, maxDelayMs: 1000 });
    const times: number[] = [];
    q.run((): WorkResult => {
      times.push(Date.now());
      return times.length < 4 ? 'retry' : 'done';
    });
    q.add('k');
    await until(() => times.length === 4);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(9);
    expect(gaps[1]).toBeGreaterThanOrEqual(19);
    expect(gaps[2]).toBeGreaterThanOrEqual(39);
    expect(q.numRequeues('k')).toBe(0);
    expect(q.backoff(20)).toBe(1000);
    await q.shutdown();
  });

  it('retries a key whose handler throws, and reports the error', async () => {
    const errors: string[] = [];
    const q = new WorkQueue({ baseDelayMs: 1, onError: (k, e) => errors.push(`${k}: ${(e as Error).message}`) });
    let calls = 0;
    q.run(() => {
      if (++calls === 1) throw new Error('boom');
    });
    q.add('k');
    await until(() => calls === 2);
    expect(errors).toEqual(['k: boom']);
    await q.shutdown();
  });

  it('requeues after a delay on request; the earlier of two delays wins', async () => {
    const q = new WorkQueue();
    const times: number[] = [];
    const start = Date.now();
    q.run((): WorkResult => {
      times.push(Date.now() - start);
      return times.length === 1 ? { requeueAfterMs: 60 } : 'done';
    });
    q.addAfter('k', 200);
    q.addAfter('k', 20);
    await until(() => times.length === 2);
    expect(times[0]).toBeGreaterThanOrEqual(19);
    expect(times[0]).toBeLessThan(150);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(59);
    await tick(250);
    expect(times).toHaveLength(2);
    await q.shutdown();
  });

  it('shutdown waits for in-flight work and drops the rest', async () => {
    const q = new WorkQueue();
    let finished = 0;
    q.run(async () => {
      await tick(30);
      finished++;
    });
    q.add('a');
    q.add('b');
    await tick(5);
    await q.shutdown();
    expect(finished).toBe(1);
    q.add('c');
    await tick(50);
    expect(finished).toBe(1);
  });
});
