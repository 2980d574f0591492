import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from '../testing/apply-json-patch.ts';
import { frameworkConfig, tarsServer } from '../testing/fixtures.ts';
import { jsonPatch } from './json-patch.ts';
import { defaultTServer } from './tserver-defaults.ts';

describe('jsonPatch', () => {
  it('escapes label keys and adds a missing labels map whole', () => {
    const before = tarsServer();
    const result = defaultTServer(before, { frameworkConfig: frameworkConfig(), now: new Date() });
    if (!result.ok) throw new Error('mutation denied');
    const ops = jsonPatch(before, result.object);
    expect(ops).toContainEqual({
      op: 'add',
      path: '/metadata/labels',
      value: { 'tars.io/ServerApp': 'Test', 'tars.io/ServerName': 'HelloServer', 'tars.io/SubType': 'tars', 'tars.io/Template': 'tars.cpp' },
    });
    expect(applyJsonPatch(before, ops)).toEqual(result.object);
  });

  it('addresses keys with "/" and "~" by RFC 6901 escapes', () => {
    const ops = jsonPatch({ labels: { 'tars.io/A': '1', 'x~y': '1' } }, { labels: { 'tars.io/A': '2' } });
    expect(ops).toEqual([
      { op: 'remove', path: '/labels/x~0y' },
      { op: 'replace', path: '/labels/tars.io~1A', value: '2' },
    ]);
  });

  it('is empty for equal documents', () => {
    expect(jsonPatch(tarsServer(), tarsServer())).toEqual([]);
  });

  it('turns any JSON document into any other', () => {
    const doc = fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
    fc.assert(
      fc.property(doc, doc, (a, b) => {
        expect(applyJsonPatch(a, jsonPatch(a, b))).toEqual(b);
      }),
      { numRuns: 200 },
    );
  });
});
