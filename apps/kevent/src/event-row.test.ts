import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '@tars-ts/cluster';
import { eventTimeSeconds, isClusterScoped, toKEventRow } from './event-row.ts';

const base: ClusterEvent = { metadata: { name: 'e', uid: 'u1', resourceVersion: '42', creationTimestamp: '2026-01-01T00:00:00Z' }, involvedObject: { kind: 'Pod', namespace: 'tars', name: 'p' }, reason: 'Pulled' };

describe('event rows', () => {
  it('keys by uid:resourceVersion and drops metadata', () => {
    expect(toKEventRow({ ...base, lastTimestamp: '2026-01-01T00:01:00Z' })).toEqual({
      uid: 'u1', resourceVersion: '42', timestamp: Date.parse('2026-01-01T00:01:00Z') / 1000,
      event: { involvedObject: base.involvedObject, reason: 'Pulled', lastTimestamp: '2026-01-01T00:01:00Z' },
    });
    expect(toKEventRow({ ...base, metadata: { name: 'e' } })).toBeUndefined();
  });
  it('takes the newest time the event states, else now', () => {
    expect(eventTimeSeconds({ ...base, eventTime: '2026-01-01T00:00:05.123456Z' }, 0)).toBe(Date.parse('2026-01-01T00:00:05Z') / 1000);
    expect(eventTimeSeconds({ ...base, metadata: { name: 'e' } }, 7_000)).toBe(7);
  });
  it('forwards from default only events about cluster-scoped objects', () => {
    expect(isClusterScoped({ ...base, involvedObject: { kind: 'Node', name: 'n1' } })).toBe(true);
    expect(isClusterScoped(base)).toBe(false);
  });
});
