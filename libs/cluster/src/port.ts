// The ClusterState port: everything the framework services and the standalone app need from
// "the cluster", for one namespace. Two implementations live behind it: KubernetesClusterState
// (the API server, informers) and EmbeddedClusterState (a data directory, watches in process).
// One contract suite (src/testing/contract.ts) runs against both.
import type { Patch } from './patch.ts';
import type { ClusterEvent, ConditionStatus, EventInput, Pod, TarsKind, TarsObjects } from './types.ts';

export interface ListOptions {
  /** Kubernetes label selector syntax, e.g. `tars.io/ServerApp=A,tars.io/PodSeq in (m,1),!tars.io/Deleting`. */
  labelSelector?: string;
  /** `metadata.name=<name>` (and `metadata.namespace`, `!=`): what both implementations support. */
  fieldSelector?: string;
}

export interface WatchOptions extends ListOptions {
  /** Re-deliver every cached object as `onUpdate(obj, obj)` this often; 0 or absent: never. */
  resyncMs?: number;
}

/** Informer callbacks. Called one at a time, in the order the changes happened. */
export interface WatchHandler<T> {
  onAdd?(obj: T): void;
  /** `old` is the previous cached object (the same object on a resync). */
  onUpdate?(obj: T, old: T): void;
  onDelete?(obj: T): void;
}

/**
 * An informer-like subscription: the initial list arrives as `onAdd`s, then every change. The
 * cache holds what the handlers have seen; answer reads from it instead of calling the cluster.
 * Objects are shared with other callbacks: treat them as read-only.
 */
export interface Watch<T> {
  /** Resolves once the initial list is in the cache and its `onAdd`s were delivered. */
  readonly synced: Promise<void>;
  hasSynced(): boolean;
  /** Cached object by name (`namespace` only matters for cluster-wide informers). */
  get(name: string, namespace?: string): T | undefined;
  /** Cached objects, optionally narrowed by a label selector. */
  list(labelSelector?: string): T[];
  stop(): Promise<void>;
}

export interface ReadApi<T> {
  /** A fresh read from the cluster; throws NotFoundError. */
  get(name: string): Promise<T>;
  list(options?: ListOptions): Promise<T[]>;
  watch(handler: WatchHandler<T>, options?: WatchOptions): Watch<T>;
}

export interface DeletePreconditions {
  uid?: string;
  resourceVersion?: string;
}

/** One custom resource kind in the namespace. Writes return the stored object. */
export interface ResourceApi<T> extends ReadApi<T> {
  /** Throws AlreadyExistsError, InvalidError. Status in the body is dropped for kinds with a status subresource. */
  create(obj: T): Promise<T>;
  /**
   * Replaces the object. `metadata.resourceVersion` is required and must be current, else
   * ConflictError. For kinds with a status subresource the status part is ignored.
   */
  update(obj: T): Promise<T>;
  /** Writes only `status` through the status subresource (TServer, TEndpoint); same concurrency rule. */
  updateStatus(obj: T): Promise<T>;
  /** JSON Patch or merge patch of the main resource (a JSON Patch `test` op gives optimistic concurrency). */
  patch(name: string, patch: Patch): Promise<T>;
  /** Throws NotFoundError; ConflictError when a precondition does not hold. */
  delete(name: string, preconditions?: DeletePreconditions): Promise<void>;
}

export interface ClusterState {
  readonly namespace: string;
  /** Typed access to one kind of group k8s.tars.io (v1beta3). */
  resource<K extends TarsKind>(kind: K): ResourceApi<TarsObjects[K]>;
  /** Pods of the namespace (in standalone mode: the local server processes). */
  readonly pods: ReadApi<Pod>;
  /**
   * Sets one condition of a pod's status, merged by `type` (a strategic-merge patch of
   * pods/status on Kubernetes). The registry reports `tars.io/active` this way.
   */
  patchPodCondition(podName: string, type: string, status: ConditionStatus, reason: string, message?: string): Promise<Pod>;
  /** Records an event about an object (events.k8s.io/v1 on Kubernetes). Never throws for a failed write. */
  recordEvent(event: EventInput): Promise<void>;
  /** Events of the namespace in the core/v1 shape (what tarskevent forwards). */
  readonly events: { list(): Promise<ClusterEvent[]>; watch(handler: WatchHandler<ClusterEvent>): Watch<ClusterEvent> };
  /** Stops every watch started through this object. */
  close(): Promise<void>;
}
