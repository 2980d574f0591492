import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDate, timeLabels } from './time-labels.ts';

const at = (iso: string) => Date.parse(iso);

describe('timeLabels (window end → f_date/f_tflag)', () => {
  it('labels a window by its end minute', () => {
    expect(timeLabels(at('2024-01-01T10:05:00Z'), 0)).toEqual({ f_date: '20240101', f_tflag: '1005' });
    expect(timeLabels(at('2024-01-01T10:05:59Z'), 0)).toEqual({ f_date: '20240101', f_tflag: '1005' });
    expect(timeLabels(at('2024-01-01T00:01:00Z'), 0)).toEqual({ f_date: '20240101', f_tflag: '0001' });
  });

  it('writes a window ending on the hour as the previous hour with minute 60', () => {
    expect(timeLabels(at('2024-01-01T09:00:00Z'), 0)).toEqual({ f_date: '20240101', f_tflag: '0860' });
    expect(timeLabels(at('2024-01-01T10:00:00Z'), 0)).toEqual({ f_date: '20240101', f_tflag: '0960' });
  });

  it('writes midnight as 2360 of the previous day, across month and year ends', () => {
    expect(timeLabels(at('2024-01-02T00:00:00Z'), 0)).toEqual({ f_date: '20240101', f_tflag: '2360' });
    expect(timeLabels(at('2024-03-01T00:00:00Z'), 0)).toEqual({ f_date: '20240229', f_tflag: '2360' });
    expect(timeLabels(at('2025-01-01T00:00:00Z'), 0)).toEqual({ f_date: '20241231', f_tflag: '2360' });
  });

  it('uses the given UTC offset (local time like upstream)', () => {
    // 16:00Z is 00:00 the next day at UTC+8.
    expect(timeLabels(at('2024-01-01T16:00:00Z'), 480)).toEqual({ f_date: '20240101', f_tflag: '2360' });
    expect(timeLabels(at('2024-01-01T16:01:00Z'), 480)).toEqual({ f_date: '20240102', f_tflag: '0001' });
    expect(formatDate(at('2024-01-01T16:01:00Z'), 480)).toBe('20240102');
    expect(formatDate(at('2024-01-01T16:01:00Z'), -60)).toBe('20240101');
  });

  it('never produces minute 00 and always a 4-digit HHMM with HH 00-23, MM 01-60', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), fc.integer({ min: -720, max: 840 }), (seconds, offset) => {
        const { f_date, f_tflag } = timeLabels(seconds * 1000, offset);
        expect(f_date).toMatch(/^\d{8}$/);
        expect(f_tflag).toMatch(/^([01]\d|2[0-3])([0-5]\d|60)$/);
        expect(f_tflag.slice(2)).not.toBe('00');
      }),
    );
  });
});
