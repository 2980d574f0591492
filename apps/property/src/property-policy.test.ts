import { describe, expect, it } from 'vitest';
import { formatDistr, mergePolicy, policyRowValue, PolicyValueError, startPolicy } from './property-policy.ts';

function merged(policy: string, values: string[]) {
  const acc = startPolicy(policy, values[0]);
  for (const v of values.slice(1)) mergePolicy(acc, v);
  return acc;
}

describe('property policies (PropertyHashMap merge, K8S row values)', () => {
  it.each([
    ['Sum', ['49', '1', '0.5'], 50.5],
    ['Count', ['3', '4'], 7],
    ['Max', ['30', '7', '31', '-2'], 31],
    ['Min', ['7', '12', '3'], 3],
    ['Min', ['7', '0', '3'], 0], // plain min: a reported 0 wins, as upstream
    ['Avg', ['16', '20'], 18], // averages of reports, each counting 1
    ['Avg', ['10=2', '40'], 50 / 3], // upstream's stored "sum=n" form
    ['Distr', ['0|0,10|1,50|2', '0|1,10|1,50|0'], 0], // K8S writes 0 for Distr
    ['Custom', ['2', '3'], 5], // unknown policies add
  ])('%s of %j → %d', (policy, values, expected) => {
    expect(policyRowValue(merged(policy, values))).toBeCloseTo(expected, 10);
  });

  it('adds Distr counts position by position and keeps the first labels', () => {
    expect(formatDistr(merged('Distr', ['0|0,10|1,50|2', '0|1,10|1,50|0']))).toBe('0|1,10|2,50|2');
    expect(formatDistr(merged('Distr', ['0|1', '5|2,10|3']))).toBe('0|3,10|3');
  });

  it('rejects values that do not parse, leaving the accumulator unchanged', () => {
    const acc = startPolicy('Sum', '5');
    expect(() => mergePolicy(acc, 'abc')).toThrow(PolicyValueError);
    expect(() => mergePolicy(acc, '')).toThrow(/Sum value "" is not a number/);
    expect(() => mergePolicy(acc, 'Infinity')).toThrow(PolicyValueError);
    expect(policyRowValue(acc)).toBe(5);
    const d = startPolicy('Distr', '0|1,10|2');
    expect(() => mergePolicy(d, '0|1,10')).toThrow(/expected "range\|count,..."/);
    expect(formatDistr(d)).toBe('0|1,10|2');
    expect(() => startPolicy('Avg', '1=x')).toThrow(PolicyValueError);
  });
});
