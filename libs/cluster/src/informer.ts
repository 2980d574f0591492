// The cache and handler dispatch behind every Watch, fed by the Kubernetes list/watch or by the
// embedded store. Keeping one implementation makes both homes deliver the same event sequence.
import { ClusterError } from './errors.ts';
import type { Watch, WatchHandler } from './port.ts';
import { parseFieldSelector, parseLabelSelector } from './selector.ts';
import type { KubeObject } from './types.ts';

export interface InformerOptions {
  /** Only objects passing it enter the cache (the API server filters by itself; the embedded store does not). */
  filter?: (obj: KubeObject) => boolean;
  resyncMs?: number;
  /** Namespace `get(name)` assumes when none is given. */
  defaultNamespace?: string;
  /** Where handler exceptions go (default: console.error); they never break the cache. */
  onHandlerError?: (err: unknown, event: string, obj: unknown) => void;
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

export class Informer<T extends KubeObject> implements Watch<T> {
  readonly synced: Promise<void>;
  private readonly cache = new Map<string, T>();
  private readonly handler: WatchHandler<T>;
  private readonly options: InformerOptions;
  private markSynced!: () => void;
  private isSynced = false;
  private stopped = false;
  private resyncTimer?: NodeJS.Timeout;
  private readonly onStop: () => Promise<void>;

  constructor(handler: WatchHandler<T>, options: InformerOptions, onStop: () => Promise<void>) {
    this.handler = handler;
    this.options = options;
    this.onStop = onStop;
    this.synced = new Promise((resolve) => (this.markSynced = resolve));
    if (options.resyncMs && options.resyncMs > 0) {
      this.resyncTimer = setInterval(() => this.resync(), options.resyncMs);
      this.resyncTimer.unref();
    }
  }

  hasSynced(): boolean {
    return this.isSynced;
  }

  get(name: string, namespace?: string): T | undefined {
    return this.cache.get(`${namespace ?? this.options.defaultNamespace ?? ''}/${name}`);
  }

  list(labelSelector?: string): T[] {
    const all = [...this.cache.values()];
    if (!labelSelector) return all;
    const sel = parseLabelSelector(labelSelector);
    return all.filter((o) => sel.matches(o.metadata.labels));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.resyncTimer);
    await this.onStop();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private selects(obj: T): boolean {
    return this.options.filter?.(obj) ?? true;
  }

  private call(event: 'onAdd' | 'onUpdate' | 'onDelete', obj: T, old?: T): void {
    const fn = this.handler[event];
    if (!fn) return;
    try {
      if (event === 'onUpdate') fn.call(this.handler, obj, old as T);
      else (fn as (o: T) => void).call(this.handler, obj);
    } catch (err) {
      if (this.options.onHandlerError) this.options.onHandlerError(err, event, obj);
      else console.error(`cluster watch: ${event} handler failed for ${keyOf(obj)}:`, err);
    }
  }

  /** An added or changed object. One that no longer matches the selector leaves the cache. */
  upsert(obj: T): void {
    if (this.stopped) return;
    const key = keyOf(obj);
    const old = this.cache.get(key);
    if (!this.selects(obj)) {
      if (old) this.remove(old);
      return;
    }
    if (old && old.metadata.resourceVersion !== undefined && old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
    this.cache.set(key, obj);
    if (old) this.call('onUpdate', obj, old);
    else this.call('onAdd', obj);
  }

  remove(obj: T): void {
    if (this.stopped) return;
    const key = keyOf(obj);
    const old = this.cache.get(key);
    if (!old) return;
    this.cache.delete(key);
    this.call('onDelete', obj);
  }

  /** A full list (first sync or relist): deletes what is gone, then adds/updates the rest. */
  replace(items: readonly T[]): void {
    if (this.stopped) return;
    const keep = new Set(items.filter((o) => this.selects(o)).map(keyOf));
    for (const [key, old] of [...this.cache]) if (!keep.has(key)) this.remove(old);
    for (const item of items) this.upsert(item);
  }

  setSynced(): void {
    if (this.isSynced) return;
    this.isSynced = true;
    this.markSynced();
  }

  private resync(): void {
    if (!this.isSynced || this.stopped) return;
    for (const obj of [...this.cache.values()]) this.call('onUpdate', obj, obj);
  }
}

/** Resolves when `watch` synced, rejects after `timeoutMs` (the registry gives up after 30 s). */
export async function waitForSync(watch: Watch<unknown>, timeoutMs: number, what = 'watch'): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not sync within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([watch.synced, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A filter from selector strings; parsing here makes a bad selector fail the watch() call itself. */
export function selectorFilter(options: { labelSelector?: string; fieldSelector?: string }): ((obj: KubeObject) => boolean) | undefined {
  let label: ReturnType<typeof parseLabelSelector> | undefined;
  let field: ReturnType<typeof parseFieldSelector> | undefined;
  try {
    label = options.labelSelector ? parseLabelSelector(options.labelSelector) : undefined;
    field = options.fieldSelector ? parseFieldSelector(options.fieldSelector) : undefined;
  } catch (err) {
    // What the API server answers for a selector it cannot parse or does not support.
    throw new ClusterError((err as Error).message, 400, 'BadRequest');
  }
  if (!label && !field) return undefined;
  return (obj) => (label?.matches(obj.metadata.labels) ?? true) && (field?.matches(obj) ?? true);
}
