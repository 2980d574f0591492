/**
 * Writes finished windows to the store: a timer fires just after each minute boundary (the
 * K8S server checks every 7 s; we aim at the boundary), and `stop()` writes the open window too,
 * so a graceful stop loses nothing.
 */
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

const CHUNK = 10_000;

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

export class StatFlusher {
  /** Rows handed to the store, and rows it refused (full buffer or invalid). */
  readonly counters = { rowsWritten: 0, rowsRefused: 0, windowsWritten: 0 };
  readonly #o: StatFlusherOptions & { clock: () => number; graceMs: number };
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: StatFlusherOptions) {
    this.#o = { ...options, clock: options.clock ?? Date.now, graceMs: options.graceMs ?? 1000 };
  }

  start(): void {
    this.#schedule();
  }

  /** Writes every window that has ended; returns the number of rows handed over. */
  flushDue(): number {
    return this.#write(this.#o.aggregator.takeDue(this.#o.clock()));
  }

  /** Stops the timer, writes every window (the open one too) and waits for the store. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#write(this.#o.aggregator.takeAll());
    await this.#o.store.flush();
  }

  #schedule(): void {
    if (this.#stopped) return;
    const now = this.#o.clock();
    const nextBoundary = (Math.floor(now / 60_000) + 1) * 60_000;
    this.#timer = setTimeout(() => {
      try {
        this.flushDue();
      } finally {
        this.#schedule();
      }
    }, nextBoundary + this.#o.graceMs - now);
    this.#timer.unref();
  }

  #write(windows: StatWindow[]): number {
    let handed = 0;
    const timestamp = Math.floor(this.#o.clock() / 1000);
    for (const w of windows) {
      const rows = windowRows(w, this.#o.sourceId, timestamp, this.#o.utcOffsetMinutes);
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        let accepted = 0;
        try {
          accepted = this.#o.store.writeStat(chunk);
        } catch (e) {
          this.#o.logger.error(`stat window ${w.endMs}: store refused ${chunk.length} rows: ${(e as Error).message}`);
        }
        this.counters.rowsWritten += accepted;
        this.counters.rowsRefused += chunk.length - accepted;
        if (accepted < chunk.length) this.#o.logger.warn(`stat window ${w.endMs}: store took ${accepted} of ${chunk.length} rows (buffer full)`);
        handed += accepted;
      }
      this.counters.windowsWritten++;
    }
    return handed;
  }
}
