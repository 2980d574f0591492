// The pure core of the local-volume provisioner (reference §8): which claims are ours, the PV
// name, the directory of a claim (on the host and inside the agent's pod), the PV object, and the
// ownership/mode a claim asks for. No I/O here.
import { Label } from '@tars-ts/api';
import type { KubeObject } from '@tars-ts/cluster';

export const STORAGE_CLASS = 'tars-storage-class';
export const PROVISIONER = 'tars-local-volume-provisioner';
export const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const PV_PROTECTION = 'kubernetes.io/pv-protection';
export const SUPPORT_LOCAL_VOLUME = 'tars.io/SupportLocalVolume';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
/** The placeholder claim of host-bound servers: provisioned on every node, TLV support or not. */
export const DELAY_BIND = 'delay-bind';
export const ModeAnnotation = 'tars.io/LocalVolumeMode';
export const UidAnnotation = 'tars.io/LocalVolumeUID';
export const GidAnnotation = 'tars.io/LocalVolumeGID';

export interface PersistentVolumeClaim extends KubeObject {
  spec?: {
    accessModes?: string[];
    selector?: { matchLabels?: Record<string, string> };
    resources?: { requests?: Record<string, string> };
    storageClassName?: string;
    volumeName?: string;
  };
  status?: { phase?: string };
}

export interface PersistentVolume extends KubeObject {
  spec?: {
    capacity?: Record<string, string>;
    local?: { path: string };
    accessModes?: string[];
    persistentVolumeReclaimPolicy?: string;
    storageClassName?: string;
    claimRef?: { namespace?: string; name?: string; uid?: string };
    nodeAffinity?: unknown;
  };
  status?: { phase?: string };
}

export interface Node extends KubeObject {
  spec?: unknown;
}

/** FNV-1a, 32 bit, over the UTF-8 bytes (Go's hash/fnv New32a). */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The suffix of every PV this node's agent makes: fnv32a(node + storage class) in hex (no padding, as Go's %x). */
export function nodeIdentity(nodeName: string): string {
  return fnv32a(nodeName + STORAGE_CLASS).toString(16);
}

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const TARS_NAME = /^[A-Za-z][0-9A-Za-z]*$/;
const MOUNT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Why `value` cannot be the `what` part of a volume directory, or undefined. These names become
 * path segments, so beyond the API's own patterns `..`, `/` and NUL are refused outright.
 */
export function segmentProblem(what: 'namespace' | 'app' | 'server' | 'dir', value: string | undefined): string | undefined {
  if (value === undefined || value === '') return `${what} is missing`;
  if (value.includes('/') || value.includes('\0') || value === '.' || value === '..') return `${what} ${JSON.stringify(value)} is not a safe path segment`;
  if (value.length > 63) return `${what} ${JSON.stringify(value)} is longer than 63 characters`;
  const re = what === 'namespace' ? NAMESPACE : what === 'dir' ? MOUNT_NAME : TARS_NAME;
  if (!re.test(value)) return `${what} ${JSON.stringify(value)} does not match ${re.source}`;
  return undefined;
}

/** Where one claim's directory lives: `<base>/<ns>/<App>.<Server>/<dir>`. */
export interface VolumeDir {
  namespace: string;
  app: string;
  server: string;
  dir: string;
  /** The three path segments below the base. */
  segments: [string, string, string];
  /** Path on the node (what the PV's `local.path` says). */
  hostPath: string;
  /** The same directory as the agent sees it (its mount of the host base). */
  podPath: string;
  volumeName: string;
}

export interface NodeContext {
  nodeName: string;
  /** `nodeIdentity(nodeName)`. */
  identity: string;
  /** TLVInHost: the base directory on the node. */
  hostBase: string;
  /** Where the agent's pod mounts that base. */
  podBase: string;
}

function join(base: string, segments: readonly string[]): string {
  return [base.replace(/\/+$/, ''), ...segments].join('/');
}

export function volumeName(namespace: string, app: string, server: string, dir: string, identity: string): string {
  return `${namespace}-${dir}-${app.toLowerCase()}-${server.toLowerCase()}-${identity}`;
}

/** The directory a claim asks for, from its `selector.matchLabels` (as the translator writes them). */
export function volumeDirOf(claim: PersistentVolumeClaim, ctx: NodeContext): VolumeDir | { error: string } {
  const labels = claim.spec?.selector?.matchLabels;
  if (!labels) return { error: 'the claim has no spec.selector.matchLabels' };
  const namespace = claim.metadata.namespace ?? '';
  const app = labels[Label.ServerApp];
  const server = labels[Label.ServerName];
  const dir = labels[Label.LocalVolume];
  const problem = segmentProblem('namespace', namespace) ?? segmentProblem('app', app) ?? segmentProblem('server', server) ?? segmentProblem('dir', dir);
  if (problem) return { error: problem };
  const segments: [string, string, string] = [namespace, `${app}.${server}`, dir!];
  return {
    namespace, app: app!, server: server!, dir: dir!, segments,
    hostPath: join(ctx.hostBase, segments),
    podPath: join(ctx.podBase, segments),
    volumeName: volumeName(namespace, app!, server!, dir!, ctx.identity),
  };
}

export interface DirOwnership {
  mode: number;
  uid: number;
  gid: number;
}

const MODE = /^0?[0-7]{3}$/;
const OWNER_ID = /^(0|[1-9][0-9]{0,5})$/;

/** Mode (default 0755) and owner (default 0:0) from the claim's annotations; bad values are errors, not zeros. */
export function ownershipOf(claim: PersistentVolumeClaim): DirOwnership | { error: string } {
  const a = claim.metadata.annotations ?? {};
  const mode = a[ModeAnnotation] || '0755';
  const uid = a[UidAnnotation] || '0';
  const gid = a[GidAnnotation] || '0';
  if (!MODE.test(mode)) return { error: `annotation ${ModeAnnotation}=${JSON.stringify(mode)} is not an octal mode like 755` };
  if (!OWNER_ID.test(uid)) return { error: `annotation ${UidAnnotation}=${JSON.stringify(uid)} is not a uid` };
  if (!OWNER_ID.test(gid)) return { error: `annotation ${GidAnnotation}=${JSON.stringify(gid)} is not a gid` };
  return { mode: parseInt(mode, 8), uid: Number(uid), gid: Number(gid) };
}

/** Whether the agent of this node looks at the claim at all (upstream's enqueue filter). */
export function isOurClaim(claim: PersistentVolumeClaim, identity: string): boolean {
  if (claim.spec?.storageClassName !== STORAGE_CLASS) return false;
  const bound = claim.spec.volumeName;
  return !bound || bound.endsWith(`-${identity}`);
}

/** Whether this node's agent made the PV. */
export function isOurVolume(pv: PersistentVolume, identity: string): boolean {
  return pv.spec?.storageClassName === STORAGE_CLASS
    && pv.metadata.annotations?.[PROVISIONED_BY] === PROVISIONER
    && (pv.metadata.name ?? '').endsWith(`-${identity}`);
}

/** The PV of a claim on this node (reference §8: every field as upstream makes it). */
export function volumeFor(claim: PersistentVolumeClaim, dir: VolumeDir, hostname: string): PersistentVolume | { error: string } {
  const storage = claim.spec?.resources?.requests?.storage;
  if (!storage) return { error: 'the claim has no spec.resources.requests.storage' };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: dir.volumeName,
      labels: { ...claim.spec!.selector!.matchLabels },
      annotations: { [PROVISIONED_BY]: PROVISIONER },
      finalizers: [PV_PROTECTION],
    },
    spec: {
      capacity: { storage },
      local: { path: dir.hostPath },
      accessModes: [...(claim.spec?.accessModes ?? [])],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: STORAGE_CLASS,
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: [hostname] }] }] } },
    },
  };
}

/**
 * The directory of one of our PVs inside the agent's pod, from its `local.path`. Only a path of
 * the exact shape `<hostBase>/<ns>/<App>.<Server>/<dir>` with valid names maps; anything else
 * (another base, `..`, extra segments) is refused, so a cleanup never leaves the base.
 */
export function podSegmentsOf(pv: PersistentVolume, hostBase: string): [string, string, string] | { error: string } {
  const path = pv.spec?.local?.path;
  if (!path) return { error: 'the volume has no spec.local.path' };
  const base = hostBase.replace(/\/+$/, '') + '/';
  if (!path.startsWith(base)) return { error: `local path ${JSON.stringify(path)} is not under ${hostBase}` };
  const parts = path.slice(base.length).split('/');
  if (parts.length !== 3) return { error: `local path ${JSON.stringify(path)} is not <base>/<ns>/<App>.<Server>/<dir>` };
  const [namespace, appServer, dir] = parts as [string, string, string];
  const dot = appServer.indexOf('.');
  const problem = segmentProblem('namespace', namespace)
    ?? (dot < 0 ? `${JSON.stringify(appServer)} is not <App>.<Server>` : segmentProblem('app', appServer.slice(0, dot)) ?? segmentProblem('server', appServer.slice(dot + 1)))
    ?? segmentProblem('dir', dir);
  if (problem) return { error: `local path ${JSON.stringify(path)}: ${problem}` };
  return [namespace, appServer, dir];
}
