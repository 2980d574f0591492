// What reconcilers compare: desired ⊆ actual with the API server's defaults and canonical
// quantities tolerated, containers matched by name, and a hash that sees removed fields.
import { describe, expect, it } from 'vitest';
import { covers, hashOf } from './compare.ts';

describe('covers', () => {
  it('ignores fields the server added, not fields that changed', () => {
    expect(covers({ a: 1, b: { c: 'x' } }, { a: 1, b: { c: 'x', d: 2 }, e: 3 })).toBe(true);
    expect(covers({ a: 1, b: { c: 'x' } }, { a: 1, b: { c: 'y' } })).toBe(false);
    expect(covers({ a: 1 }, {})).toBe(false);
  });
  it('compares lists item by item and by length', () => {
    expect(covers([{ a: 1 }, { a: 2 }], [{ a: 1, z: 0 }, { a: 2 }])).toBe(true);
    expect(covers([{ a: 1 }], [{ a: 1 }, { a: 2 }])).toBe(false);
    expect(covers([], undefined)).toBe(true);
  });
  it('matches containers by name and tolerates injected sidecars', () => {
    const want = { containers: [{ name: 'srv', image: 'i:1' }] };
    expect(covers(want, { containers: [{ name: 'istio-proxy', image: 'p' }, { name: 'srv', image: 'i:1' }] })).toBe(true);
    expect(covers(want, { containers: [{ name: 'srv', image: 'i:2' }] })).toBe(false);
    expect(covers(want, { containers: [{ name: 'other', image: 'i:1' }] })).toBe(false);
  });
  it('treats canonicalised quantities as equal', () => {
    expect(covers({ cpu: '0.5' }, { cpu: '500m' })).toBe(true);
    expect(covers({ memory: '1Gi' }, { memory: '1024Mi' })).toBe(true);
    expect(covers({ memory: '1G' }, { memory: '1Gi' })).toBe(false);
    expect(covers({ image: 'a:1' }, { image: 'a:2' })).toBe(false);
  });
});

describe('hashOf', () => {
  it('is independent of key order and sees removed and changed fields', () => {
    expect(hashOf({ a: 1, b: [1, 2] })).toBe(hashOf({ b: [1, 2], a: 1 }));
    expect(hashOf({ a: 1, b: 2 })).not.toBe(hashOf({ a: 1 }));
    expect(hashOf({ a: 1, b: undefined })).toBe(hashOf({ a: 1 }));
    expect(hashOf({ a: [1, 2] })).not.toBe(hashOf({ a: [2, 1] }));
  });
});
