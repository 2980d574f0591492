// A reconciler: one concern, one rate-limited work queue, informer events turned into keys.
// Results: 'done' (forget), 'retry' (backoff; also on a throw), or look again after a delay.
import { ConflictError, WorkQueue, type WorkResult } from '@tars-ts/cluster';
import type { Informers } from './informers.ts';
import type { Runtime } from './runtime.ts';

export abstract class Reconciler {
  abstract readonly name: string;
  readonly queue: WorkQueue;
  protected readonly rt: Runtime;
  protected readonly inf: Informers;
  private readonly concurrency: number;
  private inFlight = 0;

  constructor(rt: Runtime, inf: Informers, concurrency = 1) {
    this.rt = rt;
    this.inf = inf;
    this.concurrency = concurrency;
    this.queue = new WorkQueue({
      concurrency,
      onError: (k, err) =>
        // A conflict only means our cache was behind: the next event or retry settles it.
        this.rt.log(err instanceof ConflictError ? 'debug' : 'warn', `${this.name} ${k}: ${(err as Error)?.message ?? String(err)}`),
    });
  }

  /** Registers the informer handlers that enqueue keys (before the informers start). */
  abstract subscribe(): void;

  abstract reconcile(key: string): Promise<WorkResult>;

  start(): void {
    const m = this.rt.metrics;
    const total = m?.counter('tars_controller_reconciles_total', 'Reconciles by reconciler and result', ['reconciler', 'result']);
    const duration = m?.histogram('tars_controller_reconcile_duration_seconds', 'Time of one reconcile', ['reconciler'], [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]);
    const depth = m?.gauge('tars_controller_queue_depth', 'Keys waiting in each work queue', ['reconciler']);
    this.queue.run(async (k) => {
      const started = process.hrtime.bigint();
      let result: WorkResult | 'error' = 'error';
      this.inFlight++;
      try {
        result = await this.reconcile(k);
        return result;
      } finally {
        this.inFlight--;
        const label = result === 'error' ? 'error' : result === 'retry' ? 'retry' : typeof result === 'object' && result ? 'requeue' : 'done';
        total?.inc({ reconciler: this.name, result: label });
        duration?.observe({ reconciler: this.name }, Number(process.hrtime.bigint() - started) / 1e9);
        depth?.set({ reconciler: this.name }, this.queue.length);
      }
    });
    this.rt.log('debug', `${this.name}: ${this.concurrency} worker(s)`);
  }

  /** Keys being reconciled right now. */
  get active(): number {
    return this.inFlight;
  }

  async stop(): Promise<void> {
    await this.queue.shutdown();
  }
}

export const REQUEUE_SOON = { requeueAfterMs: 3_000 } as const;
