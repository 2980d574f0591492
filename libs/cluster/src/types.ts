// Object shapes the port speaks besides the custom resources of @tars-ts/api: a minimal Pod (what
// registry, config, notify, the controller and the node agent read or write) and Events.
import type {
  ContainerStatus,
  ObjectMeta,
  TAccount,
  TConfig,
  TEndpoint,
  TExitedRecord,
  TFrameworkConfig,
  TImage,
  TServer,
  TTemplate,
  TTree,
} from '@tars-ts/api';

/** Any Kubernetes object as JSON: the envelope every kind shares. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

/** The v1beta3 type of each kind of group k8s.tars.io. */
export interface TarsObjects {
  TServer: TServer;
  TEndpoint: TEndpoint;
  TTemplate: TTemplate;
  TConfig: TConfig;
  TTree: TTree;
  TExitedRecord: TExitedRecord;
  TAccount: TAccount;
  TImage: TImage;
  TFrameworkConfig: TFrameworkConfig;
}
export type TarsKind = keyof TarsObjects;
export type TarsObject = TarsObjects[TarsKind];

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface PodCondition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string | null;
}

export interface PodContainer {
  name: string;
  image?: string;
  [field: string]: unknown;
}

/** core/v1 Pod, reduced to what this project reads; unknown fields pass through untouched. */
export interface Pod {
  apiVersion?: 'v1';
  kind?: 'Pod';
  metadata: ObjectMeta;
  spec?: {
    containers: PodContainer[];
    nodeName?: string;
    hostname?: string;
    subdomain?: string;
    readinessGates?: { conditionType: string }[];
    [field: string]: unknown;
  };
  status?: {
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
    podIP?: string;
    hostIP?: string;
    startTime?: string;
    conditions?: PodCondition[];
    containerStatuses?: ContainerStatus[];
    message?: string;
    reason?: string;
    [field: string]: unknown;
  };
}

/** What an event is about (core/v1 ObjectReference subset). */
export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** An event to record. */
export interface EventInput {
  regarding: ObjectReference;
  type: 'Normal' | 'Warning';
  /** CamelCase machine reason, e.g. `OutControl`. */
  reason: string;
  /** What the component did or failed to do, e.g. `Reconcile`. */
  action: string;
  /** Human-readable message (Kubernetes limits it to 1 kB; longer notes are cut). */
  note: string;
}

/**
 * An event as watchers see it: the core/v1 Event shape, which tarskevent forwards to the
 * monitoring store and tarsweb queries (`involvedObject.*`, `type`, `reason`).
 */
export interface ClusterEvent {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  involvedObject: ObjectReference;
  type?: string;
  reason?: string;
  action?: string;
  message?: string;
  eventTime?: string | null;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  count?: number;
  reportingComponent?: string;
  reportingInstance?: string;
  source?: { component?: string; host?: string };
}
