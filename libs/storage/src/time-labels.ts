/**
 * `f_date` / `f_tflag` labels (framework-services.md §0.3): `f_tflag` = `HHMM` of the END of the
 * aggregation window, and a window ending exactly on the hour is labelled as the previous hour
 * with minute 60 (09:00 → `0860`, 00:00 → `2360` of the previous day). Local time, like upstream;
 * the UTC offset can be given so that tests and other zones are deterministic.
 */

export interface TimeLabels {
  f_date: string;
  f_tflag: string;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The local UTC offset in minutes at `epochMs` (east positive). */
export function localUtcOffsetMinutes(epochMs: number): number {
  return -new Date(epochMs).getTimezoneOffset();
}

/** `YYYYMMDD` of the local calendar day containing `epochMs`. */
export function formatDate(epochMs: number, utcOffsetMinutes = localUtcOffsetMinutes(epochMs)): string {
  const t = new Date(epochMs + utcOffsetMinutes * 60_000);
  return `${pad(t.getUTCFullYear(), 4)}${pad(t.getUTCMonth() + 1, 2)}${pad(t.getUTCDate(), 2)}`;
}

/** Labels for a window that ends at `windowEndMs` (seconds are ignored). */
export function timeLabels(windowEndMs: number, utcOffsetMinutes = localUtcOffsetMinutes(windowEndMs)): TimeLabels {
  const local = new Date(windowEndMs + utcOffsetMinutes * 60_000);
  if (local.getUTCMinutes() === 0) {
    // On the hour: label with the previous minute's hour and minute "60".
    const prev = new Date(local.getTime() - 60_000);
    return {
      f_date: `${pad(prev.getUTCFullYear(), 4)}${pad(prev.getUTCMonth() + 1, 2)}${pad(prev.getUTCDate(), 2)}`,
      f_tflag: `${pad(prev.getUTCHours(), 2)}60`,
    };
  }
  return {
    f_date: `${pad(local.getUTCFullYear(), 4)}${pad(local.getUTCMonth() + 1, 2)}${pad(local.getUTCDate(), 2)}`,
    f_tflag: `${pad(local.getUTCHours(), 2)}${pad(local.getUTCMinutes(), 2)}`,
  };
}
