// ClusterState for standalone mode: the custom resources and the local "pods" in a data
// directory, watches in process, the API server's write rules emulated (see rules.ts). Open it
// with EmbeddedClusterState.open(); manifests from a folder are applied at open (manifests.ts).
import { hostname } from 'node:os';
import { normalize, type AnyObject } from '@tars-ts/api';
import { tarsKindInfo, type TarsKindInfo } from '../kinds.ts';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../errors.ts';
import { selectorFilter } from '../informer.ts';
import { applyPatch, deepEqual, type Patch } from '../patch.ts';
import type { ClusterState, DeletePreconditions, ListOptions, ReadApi, ResourceApi, Watch, WatchHandler, WatchOptions } from '../port.ts';
import { kubeTime } from '../time.ts';
import type { ClusterEvent, ConditionStatus, EventInput, KubeObject, Pod, PodCondition, TarsKind, TarsObject, TarsObjects } from '../types.ts';
import { EventLog } from './events.ts';
import { checkObjectName } from './files.ts';
import { applyManifests, type ManifestReport } from './manifests.ts';
import {
  checkLabels,
  checkNamespace,
  checkPreconditions,
  checkTypeMeta,
  conflict,
  nameFor,
  newMetadata,
  normalizeAndValidate,
  resourceName,
  specChanged,
  updatedMetadata,
} from './rules.ts';
import { ObjectStore, type StoreEvent } from './store.ts';
import { watchSource, type WatchSource } from './watch.ts';

export interface EmbeddedClusterStateOptions {
  /** Where state lives (created if missing). See README "Data directory". */
  dataDir: string;
  /** A folder of YAML/JSON manifests applied at open (optional). */
  manifestsDir?: string;
  /** The one namespace of the embedded cluster. Default `tars`. */
  namespace?: string;
  /** `reportingComponent`/`reportingInstance` of recorded events. */
  component?: string;
  instance?: string;
  /** Events kept (memory and file). Default 1000. */
  eventLimit?: number;
  /**
   * The admission webhook's part in standalone mode: called on every create, update (not status)
   * and delete of a custom resource, manifests included, after schema defaults and before
   * validation. Return the mutated object (or nothing to keep it); throw (e.g. InvalidError) to deny.
   */
  admission?: Admission;
}

export interface AdmissionRequest {
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  kind: TarsKind;
  /** The incoming object (absent for DELETE). */
  object?: TarsObject;
  /** The stored object (absent for CREATE). */
  oldObject?: TarsObject;
  /** Read access for rules that look at other objects (e.g. a TConfig's master). */
  cluster: ClusterState;
}
export type Admission = (request: AdmissionRequest) => Promise<TarsObject | void> | TarsObject | void;

const PODS = 'pods';

/** What the API objects share with their EmbeddedClusterState (kept off its public surface). */
interface Core {
  readonly store: ObjectStore;
  readonly namespace: string;
  readonly admission?: Admission;
  readonly cluster: ClusterState;
  deleteLocked(bucket: string, obj: KubeObject): Promise<void>;
  track<T>(watch: Watch<T>): Watch<T>;
  untrack(watch: Watch<unknown>): void;
}
const clone = <T>(o: T): T => structuredClone(o);

class EmbeddedReadApi<T extends KubeObject> implements ReadApi<T> {
  protected readonly state: Core;
  protected readonly bucket: string;
  protected readonly what: string;

  constructor(state: Core, bucket: string, what: string) {
    this.state = state;
    this.bucket = bucket;
    this.what = what;
  }

  async get(name: string): Promise<T> {
    const obj = this.state.store.peek(this.bucket, name);
    if (!obj) throw new NotFoundError(`${this.what} ${JSON.stringify(name)} not found`);
    return clone(obj) as T;
  }

  async list(options: ListOptions = {}): Promise<T[]> {
    const filter = selectorFilter(options);
    return this.state.store
      .all(this.bucket)
      .filter((o) => filter?.(o) ?? true)
      .map((o) => clone(o) as T);
  }

  watch(handler: WatchHandler<T>, options: WatchOptions = {}): Watch<T> {
    const store = this.state.store;
    const source: WatchSource = { snapshot: () => store.all(this.bucket), subscribe: (l) => store.subscribe(this.bucket, l) };
    return this.state.track(watchSource<T>(source, this.state.namespace, handler, options, (w) => this.state.untrack(w)));
  }
}

class EmbeddedResourceApi<T extends KubeObject> extends EmbeddedReadApi<T> implements ResourceApi<T> {
  private readonly info: TarsKindInfo;

  constructor(state: Core, info: TarsKindInfo) {
    super(state, info.plural, resourceName(info));
    this.info = info;
  }

  create(obj: T): Promise<T> {
    const store = this.state.store;
    return store.exclusive(async () => {
      const typed = checkTypeMeta(this.info, obj);
      checkNamespace(typed, this.state.namespace);
      const name = nameFor(typed.metadata ?? {}, this.info.kind);
      checkLabels(typed.metadata, `${this.info.kind} ${name}`);
      if (store.peek(this.bucket, name)) throw new AlreadyExistsError(`${this.what} ${JSON.stringify(name)} already exists`);
      const body = { ...typed, metadata: { ...typed.metadata, name } } as T & { status?: unknown };
      if (this.info.hasStatus) delete body.status;
      const admitted = await this.admit('CREATE', body, undefined);
      const valid = normalizeAndValidate(this.info, admitted);
      checkLabels(valid.metadata, `${this.info.kind} ${name}`);
      const stored = { ...valid, metadata: newMetadata(valid.metadata, name, this.state.namespace, store.nextResourceVersion()) };
      await store.put(this.bucket, stored);
      return clone(stored);
    });
  }

  update(obj: T): Promise<T> {
    return this.state.store.exclusive(() => this.updateLocked(obj, 'main'));
  }

  updateStatus(obj: T): Promise<T> {
    if (!this.info.hasStatus) throw new Error(`${this.info.kind} has no status subresource; use update()`);
    return this.state.store.exclusive(() => this.updateLocked(obj, 'status'));
  }

  patch(name: string, patch: Patch): Promise<T> {
    return this.state.store.exclusive(async () => {
      const current = this.current(name);
      const patched = applyPatch(clone(current), patch) as T;
      // An unconditional write unless the patch itself carries a resourceVersion.
      patched.metadata = { ...patched.metadata, resourceVersion: patched.metadata?.resourceVersion ?? current.metadata.resourceVersion };
      return this.updateLocked(patched, 'main');
    });
  }

  delete(name: string, preconditions: DeletePreconditions = {}): Promise<void> {
    return this.state.store.exclusive(async () => {
      const current = this.current(name);
      if (preconditions.uid && preconditions.uid !== current.metadata.uid) throw new ConflictError(`Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.metadata.uid}`);
      if (preconditions.resourceVersion && preconditions.resourceVersion !== current.metadata.resourceVersion) throw conflict(this.info, name);
      await this.admit('DELETE', undefined, current);
      await this.state.deleteLocked(this.bucket, current);
    });
  }

  /** Runs the admission hook on a defaulted copy; its answer still goes through validation. */
  private async admit(operation: AdmissionRequest['operation'], obj: T | undefined, old: T | undefined): Promise<T> {
    const hook = this.state.admission;
    if (!hook) return obj as T;
    let object: T | undefined;
    if (obj) {
      try {
        object = normalize(clone(obj) as unknown as AnyObject) as unknown as T;
      } catch {
        object = clone(obj); // validation reports the problem next
      }
    }
    const result = await hook({ operation, kind: this.info.kind, object: object as TarsObject | undefined, oldObject: old && (clone(old) as unknown as TarsObject), cluster: this.state.cluster });
    return ((result ?? object) as T) ?? (obj as T);
  }

  private current(name: string): T {
    const obj = this.state.store.peek(this.bucket, name);
    if (!obj) throw new NotFoundError(`${this.what} ${JSON.stringify(name)} not found`);
    return obj as T;
  }

  private async updateLocked(obj: T, part: 'main' | 'status'): Promise<T> {
    const store = this.state.store;
    const typed = checkTypeMeta(this.info, obj);
    checkNamespace(typed, this.state.namespace);
    const name = checkObjectName(typed.metadata?.name, this.info.kind);
    const current = this.current(name) as T & { status?: unknown };
    checkPreconditions(this.info, typed.metadata, current.metadata, name);
    let next: T & { status?: unknown };
    if (part === 'status') {
      // The status subresource takes status only; everything else stays as stored.
      next = { ...clone(current), status: clone((typed as { status?: unknown }).status) };
      if (next.status === undefined) delete next.status;
    } else {
      checkLabels(typed.metadata, `${this.info.kind} ${name}`);
      next = { ...clone(typed), metadata: updatedMetadata(typed.metadata, current.metadata) };
      if (this.info.hasStatus) {
        if (current.status === undefined) delete next.status;
        else next.status = clone(current.status);
      }
    }
    const admitted = part === 'main' ? await this.admit('UPDATE', next, current) : next;
    const valid = normalizeAndValidate(this.info, { ...admitted, metadata: updatedMetadata(admitted.metadata, current.metadata) });
    checkLabels(valid.metadata, `${this.info.kind} ${name}`);
    // Like the API server, a write that changes nothing keeps the resourceVersion and sends no event.
    if (deepEqual(valid, current)) return clone(current);
    const generation = (current.metadata.generation ?? 1) + (part === 'main' && specChanged(this.info, valid, current) ? 1 : 0);
    const stored = { ...valid, metadata: { ...valid.metadata, generation, resourceVersion: store.nextResourceVersion() } };
    // Finalizers removed from an object being deleted: the delete completes now.
    if (stored.metadata.deletionTimestamp && !(stored.metadata.finalizers?.length ?? 0)) {
      await this.state.deleteLocked(this.bucket, stored);
      return clone(stored);
    }
    await store.put(this.bucket, stored);
    return clone(stored);
  }
}

export class EmbeddedClusterState implements ClusterState {
  readonly namespace: string;
  readonly dataDir: string;
  readonly pods: ReadApi<Pod>;
  readonly events: { list(): Promise<ClusterEvent[]>; watch(handler: WatchHandler<ClusterEvent>): Watch<ClusterEvent> };
  /** What happened to each manifest at open (empty without `manifestsDir`). */
  readonly manifestReport: ManifestReport;
  private readonly store: ObjectStore;
  private readonly core: Core;
  private readonly eventLog: EventLog;
  private readonly eventListeners = new Set<(e: StoreEvent) => void>();
  private readonly watches = new Set<Watch<unknown>>();
  private readonly resources = new Map<TarsKind, ResourceApi<never>>();
  private readonly reporter: { component: string; instance: string };

  private constructor(store: ObjectStore, eventLog: EventLog, options: EmbeddedClusterStateOptions) {
    this.store = store;
    this.eventLog = eventLog;
    this.dataDir = options.dataDir;
    this.namespace = options.namespace ?? 'tars';
    this.core = {
      store,
      namespace: this.namespace,
      admission: options.admission,
      cluster: this,
      deleteLocked: (bucket, obj) => this.deleteLocked(bucket, obj),
      track: (w) => this.track(w),
      untrack: (w) => this.untrack(w),
    };
    this.reporter = { component: options.component ?? 'tars-ts', instance: options.instance ?? hostname() };
    this.pods = new EmbeddedReadApi<Pod>(this.core, PODS, 'pods');
    this.manifestReport = { loaded: [], rejected: [] };
    const source: WatchSource = {
      snapshot: () => this.eventLog.list(),
      subscribe: (l) => {
        this.eventListeners.add(l);
        return () => this.eventListeners.delete(l);
      },
    };
    this.events = {
      list: async () => this.eventLog.list(),
      watch: (handler) => this.track(watchSource<ClusterEvent>(source, this.namespace, handler, {}, (w) => this.untrack(w))),
    };
  }

  static async open(options: EmbeddedClusterStateOptions): Promise<EmbeddedClusterState> {
    const store = await ObjectStore.open(options.dataDir);
    const events = await EventLog.open(options.dataDir, options.eventLimit ?? 1000);
    const state = new EmbeddedClusterState(store, events, options);
    if (options.manifestsDir) {
      const report = await applyManifests(state, options.manifestsDir);
      state.manifestReport.loaded.push(...report.loaded);
      state.manifestReport.rejected.push(...report.rejected);
    }
    return state;
  }

  resource<K extends TarsKind>(kind: K): ResourceApi<TarsObjects[K]> {
    let api = this.resources.get(kind);
    if (!api) {
      api = new EmbeddedResourceApi(this.core, tarsKindInfo(kind)) as ResourceApi<never>;
      this.resources.set(kind, api);
    }
    return api as ResourceApi<TarsObjects[K]>;
  }

  /**
   * Standalone only: creates or replaces a local server's pod (the node agent's view of it).
   * A given `metadata.resourceVersion` must be current; uid and creationTimestamp are kept.
   */
  putPod(pod: Pod): Promise<Pod> {
    return this.store.exclusive(async () => {
      checkNamespace(pod, this.namespace);
      const name = checkObjectName(pod.metadata?.name, 'Pod');
      checkLabels(pod.metadata, `Pod ${name}`);
      const current = this.store.peek(PODS, name);
      if (pod.metadata.resourceVersion && current && pod.metadata.resourceVersion !== current.metadata.resourceVersion) throw conflict({ plural: PODS }, name);
      const rv = this.store.nextResourceVersion();
      const metadata = current ? { ...updatedMetadata(pod.metadata, current.metadata), resourceVersion: rv } : newMetadata(pod.metadata, name, this.namespace, rv);
      const stored: Pod = { ...clone(pod), apiVersion: 'v1', kind: 'Pod', metadata };
      await this.store.put(PODS, stored);
      return clone(stored);
    });
  }

  /** Standalone only: the local server is gone. */
  deletePod(name: string): Promise<void> {
    return this.store.exclusive(async () => {
      const current = this.store.peek(PODS, name);
      if (!current) throw new NotFoundError(`pods ${JSON.stringify(name)} not found`);
      await this.deleteLocked(PODS, current);
    });
  }

  patchPodCondition(podName: string, type: string, status: ConditionStatus, reason: string, message?: string): Promise<Pod> {
    return this.store.exclusive(async () => {
      const current = this.store.peek(PODS, podName) as Pod | undefined;
      if (!current) throw new NotFoundError(`pods ${JSON.stringify(podName)} not found`);
      const pod = clone(current);
      const conditions: PodCondition[] = pod.status?.conditions ?? [];
      const old = conditions.find((c) => c.type === type);
      // Like a strategic merge by `type`: listed fields replace, the others stay. With no kubelet
      // here, lastTransitionTime is set on a status change.
      const next: PodCondition = { ...old, type, status, reason, ...(message === undefined ? {} : { message }) };
      if (!old || old.status !== status) next.lastTransitionTime = kubeTime();
      pod.status = { ...pod.status, conditions: old ? conditions.map((c) => (c === old ? next : c)) : [...conditions, next] };
      pod.metadata = { ...pod.metadata, resourceVersion: this.store.nextResourceVersion() };
      await this.store.put(PODS, pod);
      return clone(pod);
    });
  }

  async recordEvent(event: EventInput): Promise<void> {
    try {
      await this.store.exclusive(async () => {
        const stored = await this.eventLog.append(event, event.regarding.namespace || this.namespace, this.store.nextResourceVersion(), this.reporter);
        for (const l of this.eventListeners) l({ type: 'ADDED', object: stored });
      });
    } catch (err) {
      console.warn(`could not record event ${event.reason} about ${event.regarding.kind}/${event.regarding.name}: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.watches].map((w) => w.stop()));
    // Let pending writes finish before the caller removes or reopens the directory.
    await this.store.exclusive(async () => undefined);
  }

  private track<T>(watch: Watch<T>): Watch<T> {
    this.watches.add(watch as Watch<unknown>);
    return watch;
  }

  private untrack(watch: Watch<unknown>): void {
    this.watches.delete(watch);
  }

  /**
   * Deletes inside store.exclusive(): objects with finalizers only get a
   * deletionTimestamp; otherwise the object goes, then (like Kubernetes' garbage collector, in
   * background mode) every object and pod whose ownerReferences name it.
   */
  private async deleteLocked(bucket: string, obj: KubeObject): Promise<void> {
    if ((obj.metadata.finalizers?.length ?? 0) > 0) {
      if (obj.metadata.deletionTimestamp) return;
      const marked = { ...clone(obj), metadata: { ...obj.metadata, deletionTimestamp: kubeTime(), resourceVersion: this.store.nextResourceVersion() } };
      await this.store.put(bucket, marked);
      return;
    }
    const tombstone = { ...clone(obj), metadata: { ...obj.metadata, resourceVersion: this.store.nextResourceVersion() } };
    await this.store.remove(bucket, tombstone);
    const uid = obj.metadata.uid;
    if (!uid) return;
    for (const b of this.store.bucketNames()) {
      for (const dependent of this.store.all(b)) {
        if (dependent.metadata.ownerReferences?.some((r) => r.uid === uid)) await this.deleteLocked(b, dependent);
      }
    }
  }
}
