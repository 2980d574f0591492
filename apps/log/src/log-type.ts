/**
 * Rolling by log type (LogInfo.sLogType or the server's `/tars/log/logtype` override):
 * "day", "2hour", "10minute", ... as upstream's GlobeInfo::getLogType reads them — the first of
 * day / hour / minute found in the lower-cased text, with the digits before it as the period
 * (default 1 day, 1 hour, 10 minutes; anything but digits before the unit means the default).
 */
export interface LogType {
  unit: 'day' | 'hour' | 'minute';
  /** Units per file. */
  every: number;
  periodMs: number;
  /** strftime format of the default file label for this unit. */
  defaultFormat: string;
}

const UNITS = [
  { unit: 'day', ms: 86_400_000, defaultEvery: 1, defaultFormat: '%Y%m%d' },
  { unit: 'hour', ms: 3_600_000, defaultEvery: 1, defaultFormat: '%Y%m%d%H' },
  { unit: 'minute', ms: 60_000, defaultEvery: 10, defaultFormat: '%Y%m%d%H%M' },
] as const;

export function parseLogType(text: string): LogType | undefined {
  if (!text) return undefined;
  const lower = text.toLowerCase();
  for (const u of UNITS) {
    const pos = lower.indexOf(u.unit);
    if (pos === -1) continue;
    const prefix = lower.slice(0, pos);
    let every: number = u.defaultEvery;
    if (/^\d{1,6}$/.test(prefix)) every = Math.max(1, Number(prefix)); // upstream: 0 means 1
    return { unit: u.unit, every, periodMs: every * u.ms, defaultFormat: u.defaultFormat };
  }
  return undefined;
}

/**
 * Start of the period holding `ms`. Periods are aligned in local time (a "day" file holds one
 * local day); upstream aligned them to multiples since the epoch in UTC, which differs only for
 * days (and hour periods in zones off by fractions of an hour) when the zone is not UTC.
 */
export function periodStart(type: LogType, ms: number, utcOffsetMinutes: number): number {
  const off = utcOffsetMinutes * 60_000;
  return Math.floor((ms + off) / type.periodMs) * type.periodMs - off;
}
