/**
 * Writes finished 1-minute windows to the store, for tarsstat and tarsproperty: a timer fires
 * just after each minute boundary (the K8S server checks every 7 s; we aim at the boundary), and
 * `stop()` writes the open window too, so a graceful stop loses nothing. What a window is and how
 * it becomes rows is the app's; the timing, chunking and counting are here.
 */
import type { Logger } from '@tars-ts/rpc';

/** A window as the aggregators hand it over: labelled by its end. */
export interface MinuteWindow {
  readonly endMs: number;
}

/** Where finished windows come from (the app's aggregator). */
export interface WindowSource<W extends MinuteWindow> {
  /** Windows that ended at or before `nowMs`. */
  takeDue(nowMs: number): W[];
  /** Every window held, the open one too. */
  takeAll(): W[];
}

export interface WindowFlusherOptions<W extends MinuteWindow, R> {
  /** Names the windows in log lines (`stat window …`). */
  kind: string;
  windows: WindowSource<W>;
  /** The rows of one window; `timestamp` is the write time in epoch seconds. */
  rowsOf(window: W, timestamp: number): R[];
  /** Hands rows to the store; returns how many it took (`MonitorStore.writeStat`, …). */
  write(rows: R[]): number;
  /** Waits until the store has written everything it took. */
  flush(): Promise<void>;
  logger: Logger;
  clock?: () => number;
  /** Wait after a window ends before writing it, for calls still in flight (ms, default 1000). */
  graceMs?: number;
}

const CHUNK = 10_000;

export class WindowFlusher<W extends MinuteWindow, R> {
  /** Rows handed to the store, and rows it refused (full buffer or invalid). */
  readonly counters = { rowsWritten: 0, rowsRefused: 0, windowsWritten: 0 };
  readonly #o: WindowFlusherOptions<W, R> & { clock: () => number; graceMs: number };
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: WindowFlusherOptions<W, R>) {
    this.#o = { ...options, clock: options.clock ?? Date.now, graceMs: options.graceMs ?? 1000 };
  }

  start(): void {
    this.#schedule();
  }

  /** Writes every window that has ended; returns the number of rows handed over. */
  flushDue(): number {
    return this.#write(this.#o.windows.takeDue(this.#o.clock()));
  }

  /** Stops the timer, writes every window (the open one too) and waits for the store. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#write(this.#o.windows.takeAll());
    await this.#o.flush();
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

  #write(windows: W[]): number {
    let handed = 0;
    const timestamp = Math.floor(this.#o.clock() / 1000);
    for (const w of windows) {
      const rows = this.#o.rowsOf(w, timestamp);
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        let accepted = 0;
        try {
          accepted = this.#o.write(chunk);
        } catch (e) {
          this.#o.logger.error(`${this.#o.kind} window ${w.endMs}: store refused ${chunk.length} rows: ${(e as Error).message}`);
        }
        this.counters.rowsWritten += accepted;
        this.counters.rowsRefused += chunk.length - accepted;
        if (accepted < chunk.length) this.#o.logger.warn(`${this.#o.kind} window ${w.endMs}: store took ${accepted} of ${chunk.length} rows (buffer full)`);
        handed += accepted;
      }
      this.counters.windowsWritten++;
    }
    return handed;
  }
}
