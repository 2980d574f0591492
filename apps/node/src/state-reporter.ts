// Sends state reports to the registry one at a time, in order. A failed report is retried while it
// is the newest one (a newer report supersedes it); the queue is bounded so a registry that is away
// cannot grow memory: the oldest pending reports are dropped first (counted).
import type { Logger } from '@tars-ts/rpc';

export interface StateReport {
  setting: string;
  present: string;
  pid: number;
}

export class StateReporter {
  readonly sent: StateReport[] = [];
  dropped = 0;
  private readonly send: (r: StateReport) => Promise<void>;
  private readonly logger: Logger;
  private readonly retryMs: number;
  private readonly limit: number;
  private readonly queue: StateReport[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private wakeRetry: (() => void) | undefined;

  constructor(send: (r: StateReport) => Promise<void>, logger: Logger, options: { retryMs?: number; limit?: number } = {}) {
    this.send = send;
    this.logger = logger;
    this.retryMs = options.retryMs ?? 2000;
    this.limit = options.limit ?? 64;
  }

  push(report: StateReport): void {
    if (this.closed) return;
    this.queue.push(report);
    if (this.queue.length > this.limit) {
      this.queue.shift();
      this.dropped++;
    }
    this.wakeRetry?.();
    this.running ??= this.drain().finally(() => (this.running = undefined));
  }

  /** Waits (at most `timeoutMs`) until every queued report was sent or given up. */
  async flush(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running ?? Promise.resolve(), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.wakeRetry?.();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.closed) {
      // Off the queue while in flight: the bound applies to waiting reports only.
      const report = this.queue.shift() as StateReport;
      try {
        await this.send(report);
        this.sent.push(report);
        if (this.sent.length > 200) this.sent.shift();
      } catch (e) {
        this.logger.warn(`updateServerState(${report.setting}, ${report.present}, ${report.pid}) failed: ${(e as Error).message}`);
        if (this.queue.length > 0) {
          this.dropped++; // superseded by a newer state
          continue;
        }
        this.queue.unshift(report);
        await new Promise<void>((resolve) => {
          this.wakeRetry = resolve;
          this.retryTimer = setTimeout(resolve, this.retryMs);
        });
        clearTimeout(this.retryTimer);
        this.wakeRetry = undefined;
      }
    }
  }
}
