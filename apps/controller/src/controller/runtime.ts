// What the reconcilers share: the informers (one per resource, cluster-wide, fanned out to every
// reconciler that cares), the client, the event recorder, metrics and a logger.
import type { KubeObject, Watch, WatchHandler, KubeEventRecorder, ResourceRef } from '@tars-ts/cluster';
import { startKubeInformer } from '@tars-ts/cluster';
import type { ServiceMetrics } from '@tars-ts/service';
import type { CountingKubeClient } from './counting-client.ts';

export type Log = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

/**
 * Trims an object before it is cached (client-go's TransformFunc): the cache holds every object of
 * the cluster, so what no reconciler reads is dropped. Runs on the cached object itself, before
 * any subscriber sees it.
 */
export type Transform<T> = (obj: T) => void;

/** Nobody here reads managedFields; they are often as large as the spec. */
export function dropManagedFields(obj: KubeObject): void {
  delete (obj.metadata as { managedFields?: unknown }).managedFields;
}

/** One informer whose events several reconcilers subscribe to. */
export class SharedInformer<T extends KubeObject> {
  readonly ref: ResourceRef;
  private readonly handlers: WatchHandler<T>[] = [];
  private readonly transform: Transform<T>;
  private watch?: Watch<T>;

  constructor(ref: ResourceRef, transform: Transform<T> = dropManagedFields) {
    this.ref = ref;
    this.transform = transform;
  }

  subscribe(handler: WatchHandler<T>): void {
    if (this.watch) throw new Error(`informer ${this.ref.plural} already started`);
    this.handlers.push(handler);
  }

  start(client: CountingKubeClient, options: { labelSelector?: string; namespace?: string; onError?: (e: unknown) => void } = {}): void {
    const t = this.transform;
    const fan: WatchHandler<T> = {
      onAdd: (o) => {
        t(o);
        this.handlers.forEach((h) => h.onAdd?.(o));
      },
      onUpdate: (o, old) => {
        t(o);
        this.handlers.forEach((h) => h.onUpdate?.(o, old));
      },
      onDelete: (o) => {
        t(o);
        this.handlers.forEach((h) => h.onDelete?.(o));
      },
    };
    this.watch = startKubeInformer<T>(client, this.ref, fan, { ...options });
  }

  get synced(): Promise<void> {
    if (!this.watch) throw new Error(`informer ${this.ref.plural} not started`);
    return this.watch.synced;
  }

  get(namespace: string, name: string): T | undefined {
    return this.watch?.get(name, namespace);
  }

  /** Cached objects of one namespace (all namespaces with `undefined`), optionally by label selector. */
  list(namespace: string | undefined, labelSelector?: string): T[] {
    const all = this.watch?.list(labelSelector) ?? [];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  async stop(): Promise<void> {
    await this.watch?.stop();
  }
}

export interface Runtime {
  client: CountingKubeClient;
  recorder?: KubeEventRecorder;
  metrics?: ServiceMetrics;
  log: Log;
}

export function key(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

export function splitKey(k: string): [namespace: string, name: string] {
  const i = k.indexOf('/');
  return [k.slice(0, i), k.slice(i + 1)];
}
