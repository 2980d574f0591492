/**
 * Writes finished property windows to the store just after each minute boundary; `stop()`
 * writes the open window too, so a graceful stop loses nothing. (Same timing as stat's flusher.)
 */
import type { Logger } from '@tars-ts/rpc';
import type { MonitorStore } from '@tars-ts/storage';
import { propertyRows, type PropertyAggregator, type PropertyWindow } from './property-aggregator.ts';

export interface PropertyFlusherOptions {
  aggregator: PropertyAggregator;
  store: Pick<MonitorStore, 'writeProperty' | 'flush'>;
  logger: Logger;
  clock?: () => number;
  utcOffsetMinutes?: number;
  graceMs?: number;
}

const CHUNK = 10_000;

export class PropertyFlusher {
  readonly counters = { rowsWritten: 0, rowsRefused: 0, windowsWritten: 0 };
  readonly #o: PropertyFlusherOptions & { clock: () => number; graceMs: number };
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: PropertyFlusherOptions) {
    this.#o = { ...options, clock: options.clock ?? Date.now, graceMs: options.graceMs ?? 1000 };
  }

  start(): void {
    this.#schedule();
  }

  flushDue(): number {
    return this.#write(this.#o.aggregator.takeDue(this.#o.clock()));
  }

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

  #write(windows: PropertyWindow[]): number {
    let handed = 0;
    const timestamp = Math.floor(this.#o.clock() / 1000);
    for (const w of windows) {
      const rows = propertyRows(w, timestamp, this.#o.utcOffsetMinutes);
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        let accepted = 0;
        try {
          accepted = this.#o.store.writeProperty(chunk);
        } catch (e) {
          this.#o.logger.error(`property window ${w.endMs}: store refused ${chunk.length} rows: ${(e as Error).message}`);
        }
        this.counters.rowsWritten += accepted;
        this.counters.rowsRefused += chunk.length - accepted;
        if (accepted < chunk.length) this.#o.logger.warn(`property window ${w.endMs}: store took ${accepted} of ${chunk.length} rows (buffer full)`);
        handed += accepted;
      }
      this.counters.windowsWritten++;
    }
    return handed;
  }
}
