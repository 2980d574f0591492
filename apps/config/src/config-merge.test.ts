import { describe, expect, it } from 'vitest';
import { listNames, mergeConfig } from './config-merge.ts';
import { tconfig } from './testing/fixtures.ts';

const f = { app: 'Test', server: 'HelloServer', configName: 'app.conf' };

describe('mergeConfig', () => {
  const cases: Array<[string, ReturnType<typeof tconfig>[], number, string | RegExp]> = [
    ['master only', [tconfig({ ...f, content: 'M' })], -1, 'M'],
    ['master for a pod without override', [tconfig({ ...f, content: 'M' }), tconfig({ ...f, podSeq: '2', content: 'S2' })], 1, 'M'],
    ['master then the pod override', [tconfig({ ...f, content: 'M' }), tconfig({ ...f, podSeq: '1', content: 'S1' }), tconfig({ ...f, podSeq: '2', content: 'S2' })], 1, 'M\r\n\r\nS1'],
    ['override ignored for an unknown pod', [tconfig({ ...f, content: 'M' }), tconfig({ ...f, podSeq: '0', content: 'S0' })], -1, 'M'],
    ['empty master part skipped', [tconfig({ ...f, content: '' }), tconfig({ ...f, podSeq: '0', content: 'S0' })], 0, 'S0'],
    ['deactivated override not used', [tconfig({ ...f, content: 'M' }), tconfig({ ...f, podSeq: '0', content: 'S0', activated: false })], 0, 'M'],
    ['only the activated version', [tconfig({ ...f, content: 'old', activated: false, updateTime: '2026-02-01T00:00:00Z' }), tconfig({ ...f, content: 'new' })], -1, 'new'],
    ['newest of two activated (switch in progress)', [tconfig({ ...f, content: 'v1', updateTime: '2026-01-01T00:00:00Z' }), tconfig({ ...f, content: 'v2', updateTime: '2026-01-02T00:00:00Z' })], -1, 'v2'],
    ['being deactivated is not served', [tconfig({ ...f, content: 'v1', labels: { 'tars.io/Deactivate': 'Deactivating' } }), tconfig({ ...f, content: 'v2', updateTime: '2025-01-01T00:00:00Z' })], -1, 'v2'],
    ['no master: missing', [tconfig({ ...f, podSeq: '0', content: 'S0' })], 0, /does not exist or is not activated/],
    ['deleting: missing', [tconfig({ ...f, content: 'M', labels: { 'tars.io/Deleting': 'Deleting' } })], -1, /does not exist or is not activated/],
    ['nothing: missing', [], -1, /does not exist or is not activated/],
  ];
  it.each(cases)('%s', (_name, versions, seq, expected) => {
    const r = mergeConfig(versions, seq, 'app.conf of Test.HelloServer');
    if (typeof expected === 'string') expect(r).toEqual({ ok: true, content: expected });
    else {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(expected);
    }
  });
});

describe('listNames', () => {
  it('lists served master files, sorted and distinct', () => {
    expect(listNames([
      tconfig({ ...f, configName: 'b.conf', content: '' }),
      tconfig({ ...f, configName: 'a.conf', content: '' }),
      tconfig({ ...f, configName: 'a.conf', content: '', activated: false }),
      tconfig({ ...f, configName: 'pod-only.conf', podSeq: '1', content: '' }),
      tconfig({ ...f, configName: 'off.conf', content: '', activated: false }),
      tconfig({ ...f, configName: 'gone.conf', content: '', labels: { 'tars.io/Deleting': 'Deleting' } }),
    ])).toEqual(['a.conf', 'b.conf']);
  });
});
