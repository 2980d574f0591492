// ClusterState on Kubernetes: fresh reads and writes through the API server, watches through
// informers (one list+watch per watch() call, cached; answer hot paths from the cache).
import { hostname } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { tarsKindInfo } from '../kinds.ts';
import type { Patch } from '../patch.ts';
import type { ClusterState, DeletePreconditions, ListOptions, ReadApi, ResourceApi, Watch, WatchHandler, WatchOptions } from '../port.ts';
import type { ClusterEvent, ConditionStatus, EventInput, KubeObject, Pod, TarsKind, TarsObjects } from '../types.ts';
import { KubeClient } from './client.ts';
import { currentNamespace, loadKubeConfig } from './config.ts';
import { KubeEventRecorder } from './events.ts';
import { startKubeInformer, type KubeInformerOptions } from './informer.ts';
import { Resources, tarsResource, type ResourceRef } from './resources.ts';

export interface KubernetesClusterStateOptions {
  /** Default: env `Namespace`, the service account's namespace, the kubeconfig context's. */
  namespace?: string;
  kubeConfig?: KubeConfig;
  /** Used when `kubeConfig` is absent (see loadKubeConfig). */
  kubeconfigPath?: string;
  /** Field manager of every write, and `reportingController` of events. Default `tars-ts`. */
  component?: string;
  /** `reportingInstance` of events. Default env `PodName`, else the host name. */
  instance?: string;
  /** Informer restart backoff (tests shorten it). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  onWatchError?: (err: unknown) => void;
}

/** The watches a ClusterState started, so close() can stop them. */
class Watches {
  private readonly open = new Set<Watch<unknown>>();
  start<T extends KubeObject>(begin: (onStop: () => void) => Watch<T>): Watch<T> {
    const watch: Watch<T> = begin(() => this.open.delete(watch as Watch<unknown>));
    this.open.add(watch as Watch<unknown>);
    return watch;
  }
  async stopAll(): Promise<void> {
    await Promise.all([...this.open].map((w) => w.stop()));
  }
}

class KubeReadApi<T extends KubeObject> implements ReadApi<T> {
  protected readonly client: KubeClient;
  protected readonly ref: ResourceRef;
  protected readonly namespace: string;
  private readonly watches: Watches;
  private readonly informerOptions: KubeInformerOptions;

  constructor(client: KubeClient, ref: ResourceRef, namespace: string, watches: Watches, informerOptions: KubeInformerOptions) {
    this.client = client;
    this.ref = ref;
    this.namespace = namespace;
    this.watches = watches;
    this.informerOptions = informerOptions;
  }

  get(name: string): Promise<T> {
    return this.client.get<T>(this.ref, this.namespace, name);
  }

  async list(options: ListOptions = {}): Promise<T[]> {
    return (await this.client.list<T>(this.ref, this.namespace, options)).items;
  }

  watch(handler: WatchHandler<T>, options: WatchOptions = {}): Watch<T> {
    return this.watches.start((onStop) => startKubeInformer<T>(this.client, this.ref, handler, { ...this.informerOptions, ...options, namespace: this.namespace, onStop }));
  }
}

class KubeResourceApi<T extends KubeObject> extends KubeReadApi<T> implements ResourceApi<T> {
  private readonly hasStatus: boolean;
  private readonly kind: string;

  constructor(client: KubeClient, kind: TarsKind, namespace: string, watches: Watches, informerOptions: KubeInformerOptions) {
    super(client, tarsResource(kind), namespace, watches, informerOptions);
    this.kind = kind;
    this.hasStatus = tarsKindInfo(kind).hasStatus;
  }

  create(obj: T): Promise<T> {
    return this.client.create<T>(this.ref, this.namespace, obj);
  }

  update(obj: T): Promise<T> {
    return this.client.replace<T>(this.ref, this.namespace, obj);
  }

  updateStatus(obj: T): Promise<T> {
    if (!this.hasStatus) throw new Error(`${this.kind} has no status subresource; use update()`);
    return this.client.replaceStatus<T>(this.ref, this.namespace, obj);
  }

  patch(name: string, patch: Patch): Promise<T> {
    return this.client.patch<T>(this.ref, this.namespace, name, patch);
  }

  delete(name: string, preconditions?: DeletePreconditions): Promise<void> {
    return this.client.delete(this.ref, this.namespace, name, preconditions ? { preconditions } : {});
  }
}

export class KubernetesClusterState implements ClusterState {
  readonly namespace: string;
  /** Generic access for what the port does not cover (controller, tarsimage builder pods). */
  readonly client: KubeClient;
  readonly pods: ReadApi<Pod>;
  readonly events: { list(): Promise<ClusterEvent[]>; watch(handler: WatchHandler<ClusterEvent>): Watch<ClusterEvent> };
  private readonly watches = new Watches();
  private readonly resources = new Map<TarsKind, ResourceApi<never>>();
  private readonly recorder: KubeEventRecorder;
  private readonly informerOptions: KubeInformerOptions;

  constructor(options: KubernetesClusterStateOptions = {}) {
    const kc = options.kubeConfig ?? loadKubeConfig({ kubeconfigPath: options.kubeconfigPath });
    const component = options.component ?? 'tars-ts';
    this.namespace = options.namespace ?? currentNamespace(kc);
    this.client = new KubeClient(kc, { fieldManager: component });
    this.informerOptions = { minBackoffMs: options.minBackoffMs, maxBackoffMs: options.maxBackoffMs, onError: options.onWatchError };
    this.pods = new KubeReadApi<Pod>(this.client, Resources.Pod, this.namespace, this.watches, this.informerOptions);
    const events = new KubeReadApi<ClusterEvent>(this.client, Resources.CoreEvent, this.namespace, this.watches, this.informerOptions);
    this.events = { list: () => events.list(), watch: (handler) => events.watch(handler) };
    this.recorder = new KubeEventRecorder(this.client, {
      reportingController: component,
      reportingInstance: options.instance ?? process.env.PodName ?? hostname(),
      defaultNamespace: this.namespace,
    });
  }

  resource<K extends TarsKind>(kind: K): ResourceApi<TarsObjects[K]> {
    let api = this.resources.get(kind);
    if (!api) {
      api = new KubeResourceApi(this.client, kind, this.namespace, this.watches, this.informerOptions) as ResourceApi<never>;
      this.resources.set(kind, api);
    }
    return api as ResourceApi<TarsObjects[K]>;
  }

  patchPodCondition(podName: string, type: string, status: ConditionStatus, reason: string, message?: string): Promise<Pod> {
    // Strategic merge: conditions merge by `type`, the others stay as they are.
    const condition = message === undefined ? { type, status, reason } : { type, status, reason, message };
    return this.client.patch<Pod>(Resources.Pod, this.namespace, podName, { type: 'strategic', value: { status: { conditions: [condition] } } }, { subresource: 'status' });
  }

  async recordEvent(event: EventInput): Promise<void> {
    try {
      await this.recorder.record(event);
    } catch (err) {
      console.warn(`could not record event ${event.reason} about ${event.regarding.kind}/${event.regarding.name}: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    await this.watches.stopAll();
  }
}
