// TServer k8s.tars.io/v1beta3 (storage version): a Tars or plain ("normal") server and how it runs.
import { s, type Infer, type Node } from '../../schema/dsl.ts';
import {
  CONDITION_TYPE,
  DNS1123_LABEL,
  DNS1123_SUBDOMAIN,
  IMAGE,
  PORT_NAME,
  RELEASE_ID,
  SERVANT_NAME,
  TARS_NAME,
} from '../../meta/names.ts';
import { EnvFromSource, EnvVar } from '../../core/env.ts';
import { MountSource } from '../../core/volumes.ts';
import { NodeSelectorRequirement } from '../../core/node-selector.ts';
import { ResourceRequirements } from '../../core/resources.ts';
import { AGE_COLUMN, resourceSchema, type ResourceOf, type VersionDefinition } from '../resource.ts';

export const AppName = s.string({ pattern: TARS_NAME, maxLength: 63 });
export const ServerName = s.string({ pattern: TARS_NAME, maxLength: 63 });
const Port = s.int({ minimum: 1, maximum: 65535 });

export const TarsServant = s.object(
  {
    name: s.string({ pattern: SERVANT_NAME }),
    port: Port,
    thread: s.int({ minimum: 1, maximum: 99, default: 3 }),
    capacity: s.int({ minimum: 1, maximum: 3_000_000, default: 10_000 }),
    connection: s.int({ minimum: 1, maximum: 3_000_000, default: 10_000 }),
    timeout: s.int({ minimum: -1, maximum: 6_000_000, default: 60_000 }),
    isTars: s.bool({ default: true }),
    isTcp: s.bool({ default: true }),
  },
  { required: ['name', 'port'] },
);
export type TarsServant = Infer<typeof TarsServant>;

export const ServerPort = s.object(
  { name: s.string({ pattern: PORT_NAME, maxLength: 15 }), port: Port, isTcp: s.bool({ default: true }) },
  { required: ['name', 'port'] },
);
export type ServerPort = Infer<typeof ServerPort>;

export const TServerTars = s.object(
  {
    template: s.string({ pattern: DNS1123_SUBDOMAIN, maxLength: 253 }),
    profile: s.string(),
    asyncThread: s.int({ minimum: 0, maximum: 50, default: 3 }),
    servants: s.array(TarsServant, { default: [] }),
    ports: s.array(ServerPort),
  },
  { required: ['template', 'servants'] },
);
export type TServerTars = Infer<typeof TServerTars>;

export const TServerNormal = s.object({ ports: s.array(ServerPort, { default: [] }) }, { required: ['ports'] });
export type TServerNormal = Infer<typeof TServerNormal>;

export const TServerRelease = s.object(
  {
    id: s.string({ pattern: RELEASE_ID, maxLength: 63 }),
    image: s.string({ pattern: IMAGE, maxLength: 500 }),
    secret: s.string({ pattern: DNS1123_SUBDOMAIN, maxLength: 253 }),
    time: s.dateTime(),
    nodeImage: s.string({ pattern: IMAGE, maxLength: 500 }),
    nodeSecret: s.string({ pattern: DNS1123_SUBDOMAIN, maxLength: 253 }),
  },
  { required: ['id', 'image'] },
);
export type TServerRelease = Infer<typeof TServerRelease>;

export const HostPort = s.object(
  { nameRef: s.string({ pattern: '^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$', maxLength: 63 }), port: Port },
  { required: ['nameRef', 'port'] },
);
export type HostPort = Infer<typeof HostPort>;

export const Mount = s.object(
  {
    name: s.string({ pattern: DNS1123_LABEL, maxLength: 63 }),
    source: MountSource,
    readOnly: s.bool({ default: false }),
    mountPath: s.string({ minLength: 1 }),
    subPath: s.string(),
    mountPropagation: s.enum(['None', 'HostToContainer', 'Bidirectional']),
    subPathExpr: s.string(),
  },
  { required: ['name', 'source', 'mountPath'] },
);
export type Mount = Infer<typeof Mount>;

export const UpdateStrategy = s.object(
  {
    type: s.enum(['RollingUpdate', 'OnDelete'], { default: 'RollingUpdate' }),
    rollingUpdate: s.object({ partition: s.int({ minimum: 0, format: 'int32', default: 0 }) }),
  },
  { default: {} },
);
export type UpdateStrategy = Infer<typeof UpdateStrategy>;

/** `spec.k8s` fields v1beta2 and v1beta3 share; each version adds its readiness gate shape. */
export const k8sSharedFields = {
  serviceAccount: s.string({ pattern: DNS1123_SUBDOMAIN, maxLength: 63 }),
  env: s.array(EnvVar),
  envFrom: s.array(EnvFromSource),
  hostNetwork: s.bool({ default: false }),
  hostIPC: s.bool({ default: false }),
  hostPorts: s.array(HostPort),
  mounts: s.array(Mount),
  daemonSet: s.bool({ default: false }),
  nodeSelector: s.array(NodeSelectorRequirement, { default: [] }),
  abilityAffinity: s.enum(['AppRequired', 'ServerRequired', 'AppOrServerPreferred', 'None'], { default: 'AppOrServerPreferred' }),
  notStacked: s.bool({ default: false }),
  podManagementPolicy: s.enum(['OrderedReady', 'Parallel'], { default: 'Parallel' }),
  replicas: s.int({ minimum: 0, maximum: 99, format: 'int32' }),
  resources: s.withDefault(ResourceRequirements, {}),
  updateStrategy: UpdateStrategy,
  imagePullPolicy: s.enum(['Always', 'Never', 'IfNotPresent'], { default: 'Always' }),
  launcherType: s.enum(['foreground', 'background'], { default: 'background' }),
};

export const TServerK8S = s.object({
  ...k8sSharedFields,
  command: s.array(s.string()),
  args: s.array(s.string()),
  readinessGates: s.array(s.string({ pattern: CONDITION_TYPE, maxLength: 63 })),
});
export type TServerK8S = Infer<typeof TServerK8S>;

export const SubType = s.enum(['tars', 'normal']);
export type SubType = Infer<typeof SubType>;

/** The spec around a version's `k8s` block: the only part v1beta2 and v1beta3 differ in. */
export function tserverSpec<K extends Node>(k8s: K) {
  return s.object(
    {
      app: AppName,
      server: ServerName,
      subType: SubType,
      important: s.int({ minimum: 1, maximum: 20, default: 3 }),
      tars: TServerTars,
      normal: TServerNormal,
      k8s,
      release: TServerRelease,
    },
    { required: ['app', 'server', 'subType', 'k8s'], oneOfRequired: [['tars'], ['normal']] },
  );
}

export const TServerSpec = tserverSpec(TServerK8S);
export type TServerSpec = Infer<typeof TServerSpec>;

export const TServerStatus = s.object(
  { replicas: s.int(), readyReplicas: s.int(), currentReplicas: s.int(), selector: s.string() },
  { required: ['replicas', 'readyReplicas', 'currentReplicas', 'selector'] },
);
export type TServerStatus = Infer<typeof TServerStatus>;

export const TServerSchema = resourceSchema({ spec: TServerSpec, status: TServerStatus }, { required: ['spec'] });
export type TServer = ResourceOf<typeof TServerSchema, 'v1beta3', 'TServer'>;

export const printerColumns = [
  { name: 'App', type: 'string', jsonPath: '.spec.app' },
  { name: 'Server', type: 'string', jsonPath: '.spec.server' },
  { name: 'SubType', type: 'string', jsonPath: '.spec.subType' },
  { name: 'ReleaseImage', type: 'string', jsonPath: '.spec.release.image', priority: 1 },
  { name: 'NodeImage', type: 'string', jsonPath: '.spec.release.nodeImage', priority: 1 },
  { name: 'Template', type: 'string', jsonPath: '.spec.tars.template', priority: 1 },
  { name: 'Replicas', type: 'integer', jsonPath: '.spec.k8s.replicas' },
  { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas' },
  AGE_COLUMN,
] as const;

export const scale = {
  specReplicasPath: '.spec.k8s.replicas',
  statusReplicasPath: '.status.currentReplicas',
  labelSelectorPath: '.status.selector',
};

export const v1beta3: VersionDefinition = { name: 'v1beta3', schema: TServerSchema, printerColumns, status: true, scale };
