import { describe, expect, it } from 'vitest';
import { InvalidError } from './errors.ts';
import { applyJsonPatch, applyMergePatch } from './patch.ts';

describe('JSON Patch (RFC 6902)', () => {
  const doc = { pods: [{ uid: 'a' }, { uid: 'b' }], labels: { 'tars.io/Deactivate': 'x' }, n: 1 };

  it('adds at an index and at the end, removes, replaces, moves and copies', () => {
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/pods/0', value: { uid: 'new' } },
      { op: 'add', path: '/pods/-', value: { uid: 'last' } },
      { op: 'remove', path: '/pods/2' },
      { op: 'remove', path: '/labels/tars.io~1Deactivate' },
      { op: 'replace', path: '/n', value: 2 },
      { op: 'copy', from: '/n', path: '/m' },
      { op: 'move', from: '/m', path: '/k' },
    ]);
    expect(out).toEqual({ pods: [{ uid: 'new' }, { uid: 'a' }, { uid: 'last' }], labels: {}, n: 2, k: 2 });
    expect(doc.pods).toHaveLength(2); // the input is not modified
  });

  it('fails the whole patch on a failed test or a missing path', () => {
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/n', value: 2 }])).toThrow(InvalidError);
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/nothing' }])).toThrow(/does not exist/);
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/pods/5', value: 1 }])).toThrow(/out of range/);
    expect(applyJsonPatch(doc, [{ op: 'test', path: '/pods/1', value: { uid: 'b' } }])).toEqual(doc);
  });
});

describe('JSON Merge Patch (RFC 7386)', () => {
  it('merges objects, deletes on null, replaces arrays', () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, list: [1, 2], keep: true }, { a: { b: null, d: 3 }, list: [3] })).toEqual({ a: { c: 2, d: 3 }, list: [3], keep: true });
  });
});
