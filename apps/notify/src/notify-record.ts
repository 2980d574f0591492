/**
 * Building the stored record (K8S `NotifyRecord` + `@timestamp`) from what a call carried.
 * Pure: the servant passes the clock and the caller's pod name.
 */
import type { NotifyRow } from '@tars-ts/storage';

/** `reportServer`/`notifyServer` come from programs (tarsnode, old clients), `reportNotifyInfo` from servers. */
export type NotifySource = 'program' | 'server';

export interface NotifyFields {
  app: string;
  server: string;
  podName: string;
  impThread: string;
  level: string;
  message: string;
  source: NotifySource;
}

/** Splits `App.Server` as upstream does: [0] and [1] of the dot-split, "" when missing. */
export function splitServerName(serverName: string): { app: string; server: string } {
  const parts = serverName.split('.');
  return { app: parts[0] ?? '', server: parts[1] ?? '' };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `strftime("%FT%T%z")`, e.g. `2024-01-01T10:00:00+0800`, in the zone `utcOffsetMinutes` east of UTC. */
export function formatNotifyTime(ms: number, utcOffsetMinutes = localOffsetMinutes(ms)): string {
  const d = new Date(ms + utcOffsetMinutes * 60_000);
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(utcOffsetMinutes);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(off / 60))}${pad(off % 60)}`
  );
}

function localOffsetMinutes(ms: number): number {
  return -new Date(ms).getTimezoneOffset();
}

export function notifyRow(fields: NotifyFields, nowMs: number, utcOffsetMinutes?: number): NotifyRow {
  return {
    timestamp: Math.floor(nowMs / 1000),
    notifyTime: formatNotifyTime(nowMs, utcOffsetMinutes),
    ...fields,
  };
}
