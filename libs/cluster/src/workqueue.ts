// A rate-limited work queue with client-go's guarantees, as each controller reconciler uses it:
// - a key waits in the queue at most once (adding it again while queued is a no-op);
// - a key is never processed by two workers at once (added while processing: it runs again after);
// - failures back off per key exponentially (base * 2^failures, capped) until forgotten;
// - at most `concurrency` keys are processed at a time.
// Pure logic plus timers: no Kubernetes here.

/** What a handler asks for: forget the key, retry it with backoff, or look again after a delay. */
export type WorkResult = void | 'done' | 'retry' | { requeueAfterMs: number };

export interface WorkQueueOptions {
  /** Workers running at once. Default 1. */
  concurrency?: number;
  /** First retry delay. Default 5 ms (client-go's default limiter). */
  baseDelayMs?: number;
  /** Cap of the per-key backoff. Default 1000 s. */
  maxDelayMs?: number;
  /** Told about handler exceptions (the key is then retried with backoff). Default console.error. */
  onError?: (key: string, err: unknown) => void;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly waiting = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly concurrency: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly onError: (key: string, err: unknown) => void;
  private handler?: (key: string) => Promise<WorkResult> | WorkResult;
  private shuttingDown = false;
  private idle: (() => void)[] = [];

  constructor(options: WorkQueueOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.baseDelayMs = options.baseDelayMs ?? 5;
    this.maxDelayMs = options.maxDelayMs ?? 1_000_000;
    this.onError = options.onError ?? ((key, err) => console.error(`work queue: ${key} failed:`, err));
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return; // re-queued when the current run ends
    this.queue.push(key);
    this.pump();
  }

  /** Adds `key` after `delayMs`; if it is already waiting, the earlier time wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) return this.add(key);
    const at = Date.now() + delayMs;
    const existing = this.waiting.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.waiting.delete(key);
      this.add(key);
    }, delayMs);
    this.waiting.set(key, { at, timer });
  }

  /** Adds `key` after its backoff, which doubles with every call until forget(key). */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, this.backoff(n));
  }

  backoff(failures: number): number {
    return Math.min(this.baseDelayMs * 2 ** failures, this.maxDelayMs);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Keys waiting to be processed (not counting delayed or in-flight ones). */
  get length(): number {
    return this.queue.length;
  }

  /** Starts processing with `handler`; call once. */
  run(handler: (key: string) => Promise<WorkResult> | WorkResult): void {
    if (this.handler) throw new Error('work queue already running');
    this.handler = handler;
    this.pump();
  }

  /** Stops taking work, drops queued and delayed keys, and waits for in-flight handlers. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const w of this.waiting.values()) clearTimeout(w.timer);
    this.waiting.clear();
    this.queue.length = 0;
    this.dirty.clear();
    if (this.processing.size > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    if (!this.handler) return;
    while (!this.shuttingDown && this.processing.size < this.concurrency && this.queue.length > 0) {
      const key = this.queue.shift()!;
      this.dirty.delete(key);
      this.processing.add(key);
      void this.process(key);
    }
  }

  private async process(key: string): Promise<void> {
    let result: WorkResult;
    try {
      result = await this.handler!(key);
    } catch (err) {
      this.onError(key, err);
      result = 'retry';
    }
    this.processing.delete(key);
    if (!this.shuttingDown) {
      if (result === 'retry') this.addRateLimited(key);
      else {
        this.forget(key);
        if (typeof result === 'object' && result !== null) this.addAfter(key, result.requeueAfterMs);
      }
      if (this.dirty.has(key)) this.queue.push(key);
    }
    if (this.processing.size === 0) for (const resolve of this.idle.splice(0)) resolve();
    this.pump();
  }
}
