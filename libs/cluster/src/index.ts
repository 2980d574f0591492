// @tars-ts/cluster: the ClusterState port and its two homes (Kubernetes, embedded), plus the
// generic Kubernetes access the controller builds on (client, informers, events, leases, queue).
// The only project that imports @kubernetes/client-node.

// The port
export type { ClusterState, DeletePreconditions, ListOptions, ReadApi, ResourceApi, Watch, WatchHandler, WatchOptions } from './port.ts';
export type { ClusterEvent, ConditionStatus, EventInput, KubeObject, ObjectReference, Pod, PodCondition, PodContainer, TarsKind, TarsObject, TarsObjects } from './types.ts';
export { AlreadyExistsError, ClusterError, ConflictError, InvalidError, NotFoundError, isConflict, isNotFound, type StatusCause } from './errors.ts';
export { applyJsonPatch, applyMergePatch, applyPatch, type JsonPatchOp, type Patch } from './patch.ts';
export { parseFieldSelector, parseLabelSelector, selectorFromLabels, type FieldSelector, type LabelSelector, type Requirement } from './selector.ts';
export { waitForSync } from './informer.ts';
export { activeConditionStatus, podCondition, reportServerState } from './conditions.ts';
export { allTarsKinds, tarsKindInfo, TARS_API_VERSION, type TarsKindInfo } from './kinds.ts';
export { kubeMicroTime, kubeTime } from './time.ts';
export { retryOnConflict } from './retry.ts';

// Home 1: Kubernetes
export { KubernetesClusterState, type KubernetesClusterStateOptions } from './kube/cluster-state.ts';
export { KubeClient, type DeleteOptions, type KubeClientOptions, type KubeList, type KubePatch, type Selectors, type WriteOptions } from './kube/client.ts';
export { currentNamespace, loadKubeConfig, TEST_KUBECONFIG_ENV, type KubeConfigSource } from './kube/config.ts';
export { startKubeInformer, type KubeInformerOptions } from './kube/informer.ts';
export { KubeEventRecorder, type EventRecorderOptions } from './kube/events.ts';
export { apiVersionOf, Resources, tarsResource, type ResourceRef } from './kube/resources.ts';
export { LeaderElector, type LeaderElectorOptions } from './leader.ts';
export { controllerOf, controllerRef, isControlledBy, ownerRef, type Owner } from './owner.ts';

// Home 2: embedded (standalone)
export { EmbeddedClusterState, type Admission, type AdmissionRequest, type EmbeddedClusterStateOptions } from './embedded/cluster-state.ts';
export type { ManifestReport } from './embedded/manifests.ts';

// Controller plumbing that is pure logic
export { WorkQueue, type WorkQueueOptions, type WorkResult } from './workqueue.ts';
