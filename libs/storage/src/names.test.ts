import { describe, expect, it } from 'vitest';
import { assertDate, assertNamespace, assertTflag, indexLayout, InvalidNameError } from './names.ts';

describe('names', () => {
  it('accepts DNS-1123 labels as namespaces and refuses everything else', () => {
    for (const ok of ['tars', 'tars-dev', 'a', '0ns', 'a'.repeat(63)]) expect(assertNamespace(ok)).toBe(ok);
    for (const bad of ['', 'Tars', '-tars', 'tars-', 'ta_rs', 'ta.rs', '../x', 'a'.repeat(64), 'tars*', 'tars ns', 42, undefined]) {
      expect(() => assertNamespace(bad)).toThrow(InvalidNameError);
    }
  });

  it('accepts real calendar days only', () => {
    expect(assertDate('20240229')).toBe('20240229');
    for (const bad of ['20230229', '20241301', '20240100', '2024011', '2024-01-01', 'x0240101']) expect(() => assertDate(bad)).toThrow(InvalidNameError);
  });

  it('accepts HHMM with minute 60 but not hour 24', () => {
    expect(assertTflag('2360')).toBe('2360');
    expect(assertTflag('0000')).toBe('0000');
    for (const bad of ['2400', '1061', '100', '10:05', '']) expect(() => assertTflag(bad)).toThrow(InvalidNameError);
  });

  it('builds the upstream index names, and reads the date back from daily names only', () => {
    const l = indexLayout('tars');
    expect(l.prefix('stat')).toBe('tars_stat_');
    expect(l.daily('stat', '20240101')).toBe('tars_stat_20240101');
    expect(l.daily('property', '20240101')).toBe('tars_property_20240101');
    expect(l.pattern('property')).toBe('tars_property_*');
    expect(l.stream('notify')).toBe('tars_notify_');
    expect(l.stream('kevent')).toBe('tars_kevent_');
    expect(l.dateOf('stat', 'tars_stat_20240101')).toBe('20240101');
    expect(l.dateOf('stat', 'tars_property_20240101')).toBeUndefined();
    expect(l.dateOf('stat', 'tars_stat_2024010')).toBeUndefined();
    expect(l.dateOf('stat', 'tars_stat_old')).toBeUndefined();
    expect(() => l.daily('stat', '2024-01-01')).toThrow(InvalidNameError);
  });
});
