/**
 * Writes finished stat windows to the store: `WindowFlusher` (@tars-ts/monitoring) does the
 * timing (just after each minute boundary, the open window on `stop()`), chunking and counting;
 * here is how a stat window becomes rows.
 */
import { WindowFlusher } from '@tars-ts/monitoring';
import type { Logger } from '@tars-ts/rpc';
import { timeLabels, type MonitorStore, type StatRow } from '@tars-ts/storage';
import type { StatAggregator, StatWindow } from './stat-aggregator.ts';
import { toRow } from './stat-record.ts';

export interface StatFlusherOptions {
  aggregator: StatAggregator;
  store: Pick<MonitorStore, 'writeStat' | 'flush'>;
  /** `source_id` of every row: this server's IP (upstream: the stat pod's LocalIp). */
  sourceId: string;
  logger: Logger;
  clock?: () => number;
  /** Zone of `f_date`/`f_tflag`; default the process's local zone (as upstream). */
  utcOffsetMinutes?: number;
  /** Wait after a window ends before writing it, for calls still in flight (ms, default 1000). */
  graceMs?: number;
}

/** Rows of one window, labelled by its end; records whose every entry was dropped are skipped. */
export function windowRows(w: StatWindow, sourceId: string, timestamp: number, utcOffsetMinutes?: number): StatRow[] {
  const { f_date, f_tflag } = timeLabels(w.endMs, utcOffsetMinutes);
  const ctx = { sourceId, timestamp, f_date, f_tflag };
  const rows: StatRow[] = [];
  for (const rec of w.records.values()) {
    if (rec.count === 0 && rec.timeoutCount === 0 && rec.execCount === 0) continue;
    rows.push(toRow(rec, ctx));
  }
  return rows;
}

export class StatFlusher extends WindowFlusher<StatWindow, StatRow> {
  constructor(o: StatFlusherOptions) {
    super({
      kind: 'stat',
      windows: o.aggregator,
      rowsOf: (w, timestamp) => windowRows(w, o.sourceId, timestamp, o.utcOffsetMinutes),
      write: (rows) => o.store.writeStat(rows),
      flush: () => o.store.flush(),
      logger: o.logger,
      clock: o.clock,
      graceMs: o.graceMs,
    });
  }
}
