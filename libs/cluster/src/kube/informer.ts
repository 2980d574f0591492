// Informers over @kubernetes/client-node's ListWatch: list, then watch from the list's
// resourceVersion; a 410 Gone re-lists (ListWatch does that). ListWatch gives up after any other
// error, so this wrapper restarts it with exponential backoff: the cache survives API server
// restarts and network cuts, and a re-list reports what changed meanwhile.
import { ListWatch, Watch as KubeWatch, type KubernetesObject } from '@kubernetes/client-node';
import { Informer, type InformerOptions } from '../informer.ts';
import type { WatchHandler } from '../port.ts';
import type { KubeObject } from '../types.ts';
import type { KubeClient, Selectors } from './client.ts';
import { apiVersionOf, type ResourceRef } from './resources.ts';

export interface KubeInformerOptions extends Selectors {
  /** Undefined: all namespaces (cluster-scoped resources ignore it). */
  namespace?: string;
  resyncMs?: number;
  /** First restart delay after a failed list/watch; doubles up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Told about every failed list/watch before the retry (default: console.warn). */
  onError?: (err: unknown) => void;
  onHandlerError?: InformerOptions['onHandlerError'];
  /** Called once the informer was stopped. */
  onStop?: () => void;
}

export function startKubeInformer<T extends KubeObject>(client: KubeClient, ref: ResourceRef, handler: WatchHandler<T>, options: KubeInformerOptions = {}): Informer<T> {
  const namespace = ref.namespaced ? options.namespace : undefined;
  const selectors: Selectors = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
  const minBackoff = options.minBackoffMs ?? 500;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  let backoff = minBackoff;
  let timer: NodeJS.Timeout | undefined;
  let failedSinceStart = false;

  const lw = new ListWatch<KubernetesObject>(
    client.path(ref, namespace),
    new KubeWatch(client.kubeConfig),
    () => client.list(ref, namespace, selectors) as never,
    false,
    options.labelSelector,
    options.fieldSelector,
  );
  const informer = new Informer<T>(
    handler,
    { resyncMs: options.resyncMs, defaultNamespace: namespace, onHandlerError: options.onHandlerError },
    async () => {
      clearTimeout(timer);
      await lw.stop();
      options.onStop?.();
    },
  );
  // Watch events carry apiVersion/kind; list items get them from KubeClient.list.
  const typed = (o: KubernetesObject) => ({ apiVersion: apiVersionOf(ref), kind: ref.kind, ...o }) as unknown as T;
  lw.on('add', (o) => informer.upsert(typed(o)));
  lw.on('update', (o) => informer.upsert(typed(o)));
  lw.on('delete', (o) => informer.remove(typed(o)));

  const start = async (): Promise<void> => {
    if (informer.isStopped) return;
    failedSinceStart = false;
    await lw.start();
    if (!failedSinceStart && !informer.isStopped) {
      backoff = minBackoff;
      informer.setSynced();
    }
  };
  const retry = (err: unknown) => {
    failedSinceStart = true;
    if (informer.isStopped) return;
    (options.onError ?? ((e) => console.warn(`informer ${ref.plural}: ${String((e as Error)?.message ?? e)}; retrying in ${backoff} ms`)))(err);
    clearTimeout(timer);
    timer = setTimeout(() => void start().catch(retry), backoff);
    backoff = Math.min(backoff * 2, maxBackoff);
  };
  lw.on('error', retry);
  void start().catch(retry);
  return informer;
}
