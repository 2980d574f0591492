/**
 * Watches events and writes each new version to the monitor store. After a restart the informer's
 * initial list re-delivers every event still on the API server; the store keys rows by
 * `uid:resourceVersion` and ignores known ones, so nothing is stored twice.
 */
import { waitForSync, type ClusterEvent, type ClusterState, type Watch } from '@tars-ts/cluster';
import type { MonitorStore } from '@tars-ts/storage';
import { isClusterScoped, toKEventRow } from './event-row.ts';

export interface ForwarderLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface KEventForwarderOptions {
  store: MonitorStore;
  /** The framework namespace: every event is forwarded. */
  cluster: ClusterState;
  /** Namespace `default` (absent when the framework runs in `default`): only cluster-scoped events. */
  defaultCluster?: ClusterState;
  logger: ForwarderLogger;
}

export interface ForwarderCounters {
  seen: number;
  written: number;
  skipped: number;
}

export class KEventForwarder {
  readonly #options: KEventForwarderOptions;
  readonly #watches: Watch<ClusterEvent>[] = [];
  readonly #counters: ForwarderCounters = { seen: 0, written: 0, skipped: 0 };

  constructor(options: KEventForwarderOptions) {
    this.#options = options;
  }

  /** Starts the watches; resolves when their initial lists were handed to the store, rejects after `syncTimeoutMs`. */
  async start(syncTimeoutMs = 30_000): Promise<void> {
    this.#watches.push(this.#watch(this.#options.cluster, () => true));
    if (this.#options.defaultCluster) this.#watches.push(this.#watch(this.#options.defaultCluster, isClusterScoped));
    await Promise.all(this.#watches.map((w) => waitForSync(w, syncTimeoutMs, 'events watch')));
  }

  counters(): ForwarderCounters {
    return { ...this.#counters };
  }

  async stop(): Promise<void> {
    await Promise.all(this.#watches.splice(0).map((w) => w.stop()));
  }

  #watch(cluster: ClusterState, accept: (e: ClusterEvent) => boolean): Watch<ClusterEvent> {
    const forward = (event: ClusterEvent) => {
      if (!accept(event)) return;
      this.#counters.seen++;
      const row = toKEventRow(event);
      if (!row) {
        this.#counters.skipped++;
        this.#options.logger.warn(`event without uid/resourceVersion skipped: ${event.metadata?.name ?? '?'}`);
        return;
      }
      this.#counters.written += this.#options.store.writeKEvents([row]);
    };
    return cluster.events.watch({
      onAdd: forward,
      // A resync re-delivers the same version: nothing new to store.
      onUpdate: (event, old) => {
        if (event.metadata.resourceVersion !== old.metadata.resourceVersion) forward(event);
      },
    });
  }
}
