import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextFire, parseSchedule } from './schedule.ts';

// Schedules are local time; the tables are written in UTC, DST cases in America/New_York.
const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'UTC';
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString().replace('.000Z', 'Z'));

describe('nextFire', () => {
  it.each([
    // spec, after, expected
    ['0 0 3 * * *', '2026-11-24T01:00:00Z', '2026-11-24T03:00:00Z'],
    ['0 0 3 * * *', '2026-11-24T03:00:00Z', '2026-11-25T03:00:00Z'], // strictly after
    ['0 0 3 * * *', '2026-12-31T04:00:00Z', '2027-01-01T03:00:00Z'],
    ['* * * * * *', '2026-11-24T01:00:00.400Z', '2026-11-24T01:00:01Z'],
    ['*/15 * * * * *', '2026-11-24T01:00:07Z', '2026-11-24T01:00:15Z'],
    ['30 */10 * * * *', '2026-11-24T01:55:00Z', '2026-11-24T02:00:30Z'],
    ['5/20 * * * * *', '2026-11-24T01:00:26Z', '2026-11-24T01:00:45Z'],
    ['0 0 9-17/4 * * *', '2026-11-24T10:00:00Z', '2026-11-24T13:00:00Z'],
    ['0 0 0 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00Z'], // leap day
    ['0 0 0 31 * *', '2026-11-01T00:00:00Z', '2026-12-31T00:00:00Z'], // November has no 31st
    ['0 0 12 * * MON', '2026-11-24T13:00:00Z', '2026-11-30T12:00:00Z'], // 24th is a Tuesday
    ['0 0 12 * * 7', '2026-11-24T13:00:00Z', '2026-11-29T12:00:00Z'], // 7 = Sunday
    ['0 0 12 * jan-feb sat', '2026-11-24T00:00:00Z', '2027-01-02T12:00:00Z'],
    // day-of-month and day-of-week both restricted: either matches (Vixie cron).
    ['0 0 0 1 * FRI', '2026-11-24T00:00:00Z', '2026-11-27T00:00:00Z'],
    ['0 0 0 1,15 * ?', '2026-11-24T00:00:00Z', '2026-12-01T00:00:00Z'],
    ['@daily', '2026-11-24T10:00:00Z', '2026-11-25T00:00:00Z'],
    ['@hourly', '2026-11-24T10:00:00Z', '2026-11-24T11:00:00Z'],
    ['@weekly', '2026-11-24T10:00:00Z', '2026-11-29T00:00:00Z'],
    ['@monthly', '2026-11-24T10:00:00Z', '2026-12-01T00:00:00Z'],
    ['@yearly', '2026-11-24T10:00:00Z', '2027-01-01T00:00:00Z'],
    ['@every 1h30m', '2026-11-24T10:00:00Z', '2026-11-24T11:30:00Z'],
    ['0 0 0 30 2 *', '2026-11-24T10:00:00Z', undefined], // never
  ])('%s after %s → %s', (spec, after, expected) => {
    expect(iso(nextFire(parseSchedule(spec), at(after)))).toBe(expected);
  });

  it('skips a local time that DST removes and fires once in a repeated hour', () => {
    process.env.TZ = 'America/New_York';
    try {
      // 2026-03-08 02:00 EST → 03:00 EDT: 02:30 does not exist that day.
      expect(iso(nextFire(parseSchedule('0 30 2 * * *'), at('2026-03-08T05:00:00Z')))).toBe('2026-03-09T06:30:00Z');
      // 03:00 local exists: 07:00Z on the 8th (EDT).
      expect(iso(nextFire(parseSchedule('0 0 3 * * *'), at('2026-03-08T05:00:00Z')))).toBe('2026-03-08T07:00:00Z');
      // 2026-11-01 01:00-01:59 happens twice; the job fires at the first 01:30, then the next day.
      const first = nextFire(parseSchedule('0 30 1 * * *'), at('2026-11-01T04:00:00Z'));
      expect(iso(first)).toBe('2026-11-01T05:30:00Z');
      expect(iso(nextFire(parseSchedule('0 30 1 * * *'), first!))).toBe('2026-11-02T06:30:00Z');
    } finally {
      process.env.TZ = 'UTC';
    }
  });
});

describe('parseSchedule errors', () => {
  it.each([
    ['0 0 3 * *', 'expected 6 fields'],
    ['60 0 3 * * *', 'second: 60 is outside 0-59'],
    ['0 0 24 * * *', 'hour: 24 is outside 0-23'],
    ['0 0 0 0 * *', 'day of month: 0 is outside 1-31'],
    ['0 0 0 * 13 *', 'month: 13 is outside 1-12'],
    ['0 0 0 * * 8', 'day of week: 8 is outside 0-7'],
    ['0 0 5-1 * * *', 'runs backwards'],
    ['*/0 * * * * *', 'step "0" is not a positive number'],
    ['x * * * * *', 'second: "x" is not a number'],
    ['0 0 0 * foo *', 'month: "foo" is not a number'],
    ['@often', 'unknown descriptor'],
    ['@every 10', 'not a duration'],
    ['@every 10ms', 'shorter than a second'],
  ])('%s', (spec, message) => {
    expect(() => parseSchedule(spec)).toThrow(message);
  });
});
