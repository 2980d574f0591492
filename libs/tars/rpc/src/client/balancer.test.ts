import { describe, expect, it } from 'vitest';
import { Balancer } from './balancer.ts';

const ep = (name: string) => ({ name, ejectedUntil: 0 });

describe('Balancer', () => {
  it('round-robins over every endpoint', () => {
    const b = new Balancer<ReturnType<typeof ep>>();
    b.set([ep('a'), ep('b'), ep('c')]);
    expect(Array.from({ length: 7 }, () => b.pick(0, 0)!.name)).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('skips ejected endpoints until their cool-down ends, and uses all when all are ejected', () => {
    const b = new Balancer<ReturnType<typeof ep>>();
    const [a, x, c] = [ep('a'), ep('b'), ep('c')];
    b.set([a, x, c]);
    x.ejectedUntil = 100;
    expect(new Set(Array.from({ length: 6 }, () => b.pick(50, 1)!.name))).toEqual(new Set(['a', 'c']));
    // cool-down over: back in rotation without any notification
    expect(new Set(Array.from({ length: 6 }, () => b.pick(150, 1)!.name))).toEqual(new Set(['a', 'b', 'c']));
    a.ejectedUntil = x.ejectedUntil = c.ejectedUntil = 1000;
    expect(new Set(Array.from({ length: 6 }, () => b.pick(200, 2)!.name))).toEqual(new Set(['a', 'b', 'c']));
  });

  it('maps a hash code to a fixed endpoint, moving it only while that endpoint is ejected', () => {
    const b = new Balancer<ReturnType<typeof ep>>();
    const list = [ep('a'), ep('b'), ep('c')];
    b.set(list);
    expect(b.pick(0, 0, 4)!.name).toBe('b');
    expect(b.pick(0, 0, 4)!.name).toBe('b');
    expect(b.pick(0, 0, -5)!.name).toBe('c');
    list[1].ejectedUntil = 10;
    const moved = b.pick(5, 1, 4)!.name;
    expect(moved).not.toBe('b');
    expect(b.pick(5, 1, 4)!.name).toBe(moved);
    expect(b.pick(20, 1, 4)!.name).toBe('b');
  });

  it('returns undefined without endpoints', () => {
    expect(new Balancer().pick(0, 0)).toBeUndefined();
  });
});
