import { describe, expect, it } from 'vitest';
import { parseFieldSelector, parseLabelSelector, selectorFromLabels } from './selector.ts';

describe('label selectors', () => {
  const labels = { 'tars.io/ServerApp': 'Test', 'tars.io/PodSeq': '1', tier: '' };
  it.each([
    ['tars.io/ServerApp=Test', true],
    ['tars.io/ServerApp==Test', true],
    ['tars.io/ServerApp=Other', false],
    ['tars.io/ServerApp!=Other', true],
    ['tars.io/PodSeq in (m,1)', true],
    ['tars.io/PodSeq in (m, 2)', false],
    ['tars.io/PodSeq notin (m,2)', true],
    ['missing notin (a)', true],
    ['tars.io/ServerApp', true],
    ['!tars.io/Deleting', true],
    ['!tars.io/ServerApp', false],
    ['tier=', true],
    ['tars.io/ServerApp=Test,tars.io/PodSeq in (m,1),!tars.io/Deleting', true],
    ['tars.io/ServerApp=Test,missing', false],
    ['', true],
  ])('%s → %s', (selector, expected) => {
    expect(parseLabelSelector(selector).matches(labels)).toBe(expected);
  });

  it('rejects malformed selectors with the reason', () => {
    expect(() => parseLabelSelector('a=b=c')).toThrow(/bad value/);
    expect(() => parseLabelSelector('bad key=x')).toThrow(/invalid label selector/);
  });

  it('builds an equality selector from labels', () => {
    expect(selectorFromLabels({ a: 'b', 'tars.io/x': 'y' })).toBe('a=b,tars.io/x=y');
  });
});

describe('field selectors', () => {
  it('matches metadata.name and metadata.namespace only', () => {
    const obj = { metadata: { name: 'tars-framework', namespace: 'tars' } };
    expect(parseFieldSelector('metadata.name=tars-framework').matches(obj)).toBe(true);
    expect(parseFieldSelector('metadata.name!=tars-framework').matches(obj)).toBe(false);
    expect(parseFieldSelector('metadata.namespace==tars,metadata.name=x').matches(obj)).toBe(false);
    expect(() => parseFieldSelector('status.podIP=1.2.3.4')).toThrow(/only metadata.name/);
  });
});
