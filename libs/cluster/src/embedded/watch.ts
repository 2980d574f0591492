// In-process watches of the embedded store: a snapshot and the live subscription are taken in the
// same tick, so no change falls between them; delivery is asynchronous (never inside the writer's
// call) and in order.
import { Informer, selectorFilter } from '../informer.ts';
import type { Watch, WatchHandler, WatchOptions } from '../port.ts';
import type { KubeObject } from '../types.ts';
import type { StoreEvent } from './store.ts';

/** What a watch reads: the current objects, and a subscription to their changes. */
export interface WatchSource {
  snapshot(): KubeObject[];
  subscribe(listener: (event: StoreEvent) => void): () => void;
}

export function watchSource<T extends KubeObject>(source: WatchSource, namespace: string, handler: WatchHandler<T>, options: WatchOptions, onStop: (w: Watch<T>) => void): Watch<T> {
  const queue: (() => void)[] = [];
  let scheduled = false;
  const drain = () => {
    scheduled = false;
    while (queue.length > 0) queue.shift()!();
  };
  const push = (fn: () => void) => {
    queue.push(fn);
    if (!scheduled) {
      scheduled = true;
      setImmediate(drain);
    }
  };
  let unsubscribe = () => {};
  const informer: Informer<T> = new Informer<T>(
    handler,
    { filter: selectorFilter(options), resyncMs: options.resyncMs, defaultNamespace: namespace },
    async () => {
      unsubscribe();
      queue.length = 0;
      onStop(informer);
    },
  );
  const snapshot = source.snapshot().map((o) => structuredClone(o) as T);
  unsubscribe = source.subscribe((event) => {
    const obj = structuredClone(event.object) as T;
    push(() => (event.type === 'DELETED' ? informer.remove(obj) : informer.upsert(obj)));
  });
  push(() => {
    informer.replace(snapshot);
    informer.setSynced();
  });
  return informer;
}
