// Names shared with upstream K8SFramework (tarsweb, tarsnode and existing manifests rely on them).

export const GROUP = 'k8s.tars.io';
export const VERSIONS = ['v1beta2', 'v1beta3'] as const;
export type Version = (typeof VERSIONS)[number];
export const STORAGE_VERSION: Version = 'v1beta3';

export const Label = {
  ServerApp: 'tars.io/ServerApp',
  ServerName: 'tars.io/ServerName',
  SubType: 'tars.io/SubType',
  Template: 'tars.io/Template',
  ServerID: 'tars.io/ServerID',
  Parent: 'tars.io/Parent',
  ConfigName: 'tars.io/ConfigName',
  Version: 'tars.io/Version',
  Activated: 'tars.io/Activated',
  PodSeq: 'tars.io/PodSeq',
  Deactivate: 'tars.io/Deactivate',
  Deleting: 'tars.io/Deleting',
  ImageType: 'tars.io/ImageType',
  /** Prefix of `tars.io/Supported.<type>` labels on base TImages. */
  SupportedPrefix: 'tars.io/Supported.',
  LocalVolume: 'tars.io/LocalVolume',
} as const;

export const LabelValue = {
  Deactivating: 'Deactivating',
  Deleting: 'Deleting',
} as const;

export const Annotation = {
  MaxReplicas: 'tars.io/MaxReplicas',
  MinReplicas: 'tars.io/MinReplicas',
  AutoRelease: 'tars.io/AutoRelease',
  /** Fields a v1beta2 object cannot hold, kept for the way back to v1beta3. */
  Conversion1b21b3: 'tars.io/Conversion.1b21b3',
  LastApplied: 'kubectl.kubernetes.io/last-applied-configuration',
} as const;

export const TARS_ACTIVE_GATE = 'tars.io/active';
export const TREE_NAME = 'tars-tree';
export const FRAMEWORK_CONFIG_NAME = 'tars-framework';
/** Port of tarsnode's NodeObj inside every tars pod; no servant or port may use it. */
export const RESERVED_NODE_PORT = 19385;
/** TServer names must be shorter than this (pod and PV names are derived from it). */
export const MAX_TSERVER_NAME = 59;
export const CONTROLLER_USER = 'system:serviceaccount:tars-system:tars-controller';
export const KUBE_SYSTEM_SA_PREFIX = 'system:serviceaccount:kube-system:';
/** Replicas bounds of the MinReplicas/MaxReplicas annotations and of `spec.k8s.replicas`. */
export const MAX_REPLICAS = 99;
