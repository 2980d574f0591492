/**
 * A bounded write buffer in front of a backend: rows are queued, written in batches by one
 * writer at a time, retried with exponential backoff when the backend fails, and counted. When
 * the buffer is full new rows are dropped (never blocking the RPC path that reports them); the
 * overflow is counted and logged at most once per `overflowLogIntervalMs`.
 */
import { silentLogger, type StoreLogger } from './logger.ts';

export interface RetryOptions {
  /** Tries per batch, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface BufferOptions {
  /** Most rows held at once, queued plus in flight. */
  capacity: number;
  /** Rows per backend write. */
  batchSize: number;
  /** How often queued rows are written even when fewer than a batch. */
  flushIntervalMs: number;
  retry: RetryOptions;
  overflowLogIntervalMs: number;
}

export const DEFAULT_BUFFER_OPTIONS: BufferOptions = {
  capacity: 500_000,
  batchSize: 20_000,
  flushIntervalMs: 1_000,
  retry: { attempts: 8, baseDelayMs: 250, maxDelayMs: 30_000 },
  overflowLogIntervalMs: 10_000,
};

export interface BufferCounters {
  /** Rows taken into the buffer. */
  accepted: number;
  /** Rows the backend confirmed. */
  written: number;
  /** Rows refused because the buffer was full. */
  overflow: number;
  /** Rows given up after the last retry, or rejected permanently by the backend. */
  failed: number;
  /** Backend calls repeated after a failure. */
  retries: number;
  /** Rows queued or in flight now. */
  pending: number;
}

/**
 * What a backend write reports: rows to try again (transient per-row failures such as ES 429)
 * and the number of rows refused for good (such as a mapping error); the rest count as written.
 */
export interface SinkOutcome<T> {
  retry?: T[];
  rejected?: number;
}

export type Sink<T> = (rows: T[]) => Promise<SinkOutcome<T> | void>;

export function backoffDelay(attempt: number, retry: RetryOptions): number {
  return Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
}

export function mergeBufferOptions(partial?: Partial<Omit<BufferOptions, 'retry'>> & { retry?: Partial<RetryOptions> }): BufferOptions {
  const merged: BufferOptions = {
    ...DEFAULT_BUFFER_OPTIONS,
    ...partial,
    retry: { ...DEFAULT_BUFFER_OPTIONS.retry, ...partial?.retry },
  };
  const positive = (name: string, v: number) => {
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`buffer option ${name} must be a positive number, got ${v}`);
  };
  positive('capacity', merged.capacity);
  positive('batchSize', merged.batchSize);
  positive('flushIntervalMs', merged.flushIntervalMs);
  positive('retry.attempts', merged.retry.attempts);
  if (merged.retry.baseDelayMs < 0 || merged.retry.maxDelayMs < 0) throw new RangeError('retry delays must not be negative');
  return merged;
}

export class WriteBuffer<T> {
  readonly #name: string;
  readonly #sink: Sink<T>;
  readonly #options: BufferOptions;
  readonly #logger: StoreLogger;
  readonly #timer: NodeJS.Timeout;
  #queue: T[] = [];
  #inFlight = 0;
  #running: Promise<void> | undefined;
  #closed = false;
  #lastOverflowLog = -Infinity;
  #overflowSinceLog = 0;
  readonly #counters = { accepted: 0, written: 0, overflow: 0, failed: 0, retries: 0 };

  constructor(name: string, sink: Sink<T>, options: BufferOptions, logger: StoreLogger = silentLogger) {
    this.#name = name;
    this.#sink = sink;
    this.#options = options;
    this.#logger = logger;
    this.#timer = setInterval(() => void this.#drain(), options.flushIntervalMs);
    this.#timer.unref();
  }

  /** Queues rows; returns how many were accepted (the rest overflowed and were counted). */
  push(rows: readonly T[]): number {
    if (this.#closed) throw new Error(`${this.#name} store is closed`);
    const room = Math.max(0, this.#options.capacity - this.#queue.length - this.#inFlight);
    const taken = Math.min(room, rows.length);
    for (let i = 0; i < taken; i++) this.#queue.push(rows[i]!);
    this.#counters.accepted += taken;
    if (taken < rows.length) this.#overflowed(rows.length - taken);
    if (this.#queue.length >= this.#options.batchSize) void this.#drain();
    return taken;
  }

  counters(): BufferCounters {
    return { ...this.#counters, pending: this.#queue.length + this.#inFlight };
  }

  /** Resolves when every row queued before the call is written or given up. */
  async flush(): Promise<void> {
    while (this.#queue.length > 0 || this.#running) await this.#drain();
  }

  /** Refuses new rows, writes what is queued, stops the timer. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.flush();
  }

  #overflowed(count: number): void {
    this.#counters.overflow += count;
    this.#overflowSinceLog += count;
    const now = Date.now();
    if (now - this.#lastOverflowLog >= this.#options.overflowLogIntervalMs) {
      this.#logger.warn(`${this.#name} write buffer full: dropped ${this.#overflowSinceLog} rows`, {
        capacity: this.#options.capacity,
        droppedTotal: this.#counters.overflow,
      });
      this.#lastOverflowLog = now;
      this.#overflowSinceLog = 0;
    }
  }

  /** Starts the single writer loop unless it runs already; resolves when the queue is empty. */
  #drain(): Promise<void> {
    if (!this.#running) {
      // Cleared in a later microtask, never synchronously: an empty queue finishes the loop at
      // once, and clearing inside it would leave a settled promise behind as "running".
      const run = this.#writeQueued().finally(() => {
        if (this.#running === run) this.#running = undefined;
      });
      this.#running = run;
    }
    return this.#running;
  }

  async #writeQueued(): Promise<void> {
    while (this.#queue.length > 0) await this.#writeBatch(this.#queue.splice(0, this.#options.batchSize));
  }

  async #writeBatch(batch: T[]): Promise<void> {
    this.#inFlight += batch.length;
    let rows = batch;
    let attempt = 0;
    try {
      while (rows.length > 0) {
        attempt++;
        let cause: unknown;
        try {
          const outcome = await this.#sink(rows);
          const retry = outcome?.retry ?? [];
          const rejected = outcome?.rejected ?? 0;
          this.#counters.written += rows.length - retry.length - rejected;
          if (rejected > 0) {
            this.#counters.failed += rejected;
            this.#logger.error(`${this.#name}: backend rejected ${rejected} rows permanently`);
          }
          rows = retry;
          if (rows.length === 0) return;
          cause = new Error(`${retry.length} rows refused transiently`);
        } catch (e) {
          cause = e;
        }
        if (attempt >= this.#options.retry.attempts) {
          this.#counters.failed += rows.length;
          this.#logger.error(`${this.#name}: giving up on ${rows.length} rows after ${attempt} attempts`, { error: String(cause) });
          return;
        }
        const delay = backoffDelay(attempt, this.#options.retry);
        this.#counters.retries++;
        this.#logger.warn(`${this.#name}: write failed, retrying ${rows.length} rows in ${delay} ms`, { attempt, error: String(cause) });
        await new Promise((r) => setTimeout(r, delay));
      }
    } finally {
      this.#inFlight -= batch.length;
    }
  }
}
