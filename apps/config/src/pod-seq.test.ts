import { describe, expect, it } from 'vitest';
import { PodDirectory, podSeqOf } from './pod-seq.ts';

describe('podSeqOf', () => {
  const pods = new PodDirectory();
  pods.set('test-helloserver-3', '10.0.0.3');
  pods.set('test-otherserver-1', '10.0.0.9');

  it.each([
    ['10.0.0.3', 3],
    ['::ffff:10.0.0.3', 3],
    ['10.0.0.9', -1], // a pod of another server
    ['10.0.0.77', -1], // unknown IP
    ['test-helloserver-12', 12],
    ['Test-HelloServer-0', 0],
    ['test-helloserver-4.test-helloserver', 4],
    ['test-helloserver-4.test-helloserver.tars.svc.cluster.local', 4],
    ['test-helloserver-4.other', -1],
    ['test-helloserver-100', -1],
    ['test-helloserver-01', -1],
    ['test-helloserver-x', -1],
    ['test-helloserver', -1],
    ['', -1],
  ])('%j → %i', (host, seq) => {
    expect(podSeqOf('Test', 'HelloServer', host, pods)).toBe(seq);
  });

  it('app-level configs have no pod ordinal', () => {
    expect(podSeqOf('Test', '', 'test--1', pods)).toBe(-1);
  });

  it('follows pod IP changes and deletes', () => {
    const d = new PodDirectory();
    d.set('a-b-1', '10.1.0.1');
    d.set('a-b-1', '10.1.0.2');
    expect(d.podsAt('10.1.0.1')).toEqual([]);
    expect(podSeqOf('A', 'B', '10.1.0.2', d)).toBe(1);
    // the IP is reused by a new pod before the old one's delete arrives: ambiguous meanwhile
    d.set('a-b-2', '10.1.0.2');
    expect(podSeqOf('A', 'B', '10.1.0.2', d)).toBe(-1);
    d.delete('a-b-1');
    expect(podSeqOf('A', 'B', '10.1.0.2', d)).toBe(2);
    d.delete('a-b-2');
    expect(d.podsAt('10.1.0.2')).toEqual([]);
  });

  it('tells pods apart on a shared IP only by server', () => {
    // standalone mode: every local process is 127.0.0.1
    const d = new PodDirectory();
    d.set('a-b-0', '127.0.0.1');
    d.set('a-c-3', '127.0.0.1');
    expect(podSeqOf('A', 'B', '127.0.0.1', d)).toBe(0);
    expect(podSeqOf('A', 'C', '127.0.0.1', d)).toBe(3);
    d.set('a-b-1', '127.0.0.1');
    expect(podSeqOf('A', 'B', '127.0.0.1', d)).toBe(-1); // two pods of A.B: which one called is unknown
    expect(podSeqOf('A', 'B', 'a-b-1', d)).toBe(1); // a named host still says
  });
});
