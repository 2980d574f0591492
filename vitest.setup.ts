// Test-wide equality: a decoded map (an ArrayMap, ADR 0011) equals a Map with the same entries,
// as Map and Map do, so tests compare decoded values with `new Map(...)` literals.
import { expect } from 'vitest';
import { ArrayMap } from '@tars-ts/codec';

expect.addEqualityTesters([
  function arrayMapEquality(this: { equals(a: unknown, b: unknown, testers?: unknown[]): boolean }, a: unknown, b: unknown, testers: unknown[]) {
    if (!(a instanceof ArrayMap) && !(b instanceof ArrayMap)) return undefined;
    if (!(a instanceof Map || a instanceof ArrayMap) || !(b instanceof Map || b instanceof ArrayMap)) return false;
    return this.equals(new Map(a), new Map(b), testers);
  },
]);
