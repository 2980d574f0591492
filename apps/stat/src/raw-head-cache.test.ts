import { describe, expect, it } from 'vitest';
import { RawHeadCache } from './raw-head-cache.ts';

describe('RawHeadCache', () => {
  it('finds values by bytes, also when hashes collide', () => {
    const c = new RawHeadCache<string>();
    const buf = Buffer.from('xxabcdyyabcexx');
    c.set(7, buf, 2, 6, 'abcd');
    c.set(7, buf, 8, 11, 'abc'); // same hash, other bytes
    expect(c.get(7, Buffer.from('abcd'), 0, 4)).toBe('abcd');
    expect(c.get(7, Buffer.from('-abc-'), 1, 4)).toBe('abc');
    expect(c.get(7, Buffer.from('abce'), 0, 4)).toBeUndefined();
    expect(c.get(8, Buffer.from('abcd'), 0, 4)).toBeUndefined();
    expect(c.size).toBe(2);
  });

  it('keeps its own copy of the key bytes', () => {
    const c = new RawHeadCache<number>();
    const buf = Buffer.from('head');
    c.set(1, buf, 0, 4, 42);
    buf.write('xxxx');
    expect(c.get(1, Buffer.from('head'), 0, 4)).toBe(42);
  });
});
