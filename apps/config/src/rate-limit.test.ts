import { describe, expect, it } from 'vitest';
import { LoadLimiter } from './rate-limit.ts';

describe('LoadLimiter', () => {
  it('lets the first call and `limit` more through per window, per key', () => {
    let now = 1000;
    const l = new LoadLimiter({ limit: 3, intervalMs: 60_000, now: () => now });
    const calls = () => Array.from({ length: 6 }, () => l.allow('A', 'B', '10.0.0.1', 'a.conf'));
    expect(calls()).toEqual([true, true, true, true, false, false]);
    expect(l.allow('A', 'B', '10.0.0.2', 'a.conf')).toBe(true); // another caller
    expect(l.allow('A', 'B', '10.0.0.1', 'b.conf')).toBe(true); // another file
    now += 60_000;
    expect(l.allow('A', 'B', '10.0.0.1', 'a.conf')).toBe(false); // window still open at its edge
    now += 1;
    expect(calls()).toEqual([true, true, true, true, false, false]);
  });

  it('forgets windows that are over', () => {
    let now = 0;
    const l = new LoadLimiter({ limit: 1, intervalMs: 1000, now: () => now });
    for (let i = 0; i < 100; i++) l.allow('A', 'B', `10.0.0.${i}`, 'a.conf');
    expect(l.size).toBe(100);
    now = 5000;
    l.allow('A', 'B', 'x', 'a.conf');
    expect(l.size).toBe(1);
  });

  it('is off with limit 0', () => {
    const l = new LoadLimiter({ limit: 0 });
    expect(Array.from({ length: 100 }, () => l.allow('A', 'B', 'h', 'f')).every(Boolean)).toBe(true);
  });
});
