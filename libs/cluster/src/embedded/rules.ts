// The API server's rules for custom resources, applied by the embedded store: schema defaults and
// validation from @tars-ts/api, system metadata, resourceVersion checks and generation bumps.
import { randomUUID } from 'node:crypto';
import { GROUP, formatFieldErrors, normalize, validateSchema, type AnyObject, type ObjectMeta } from '@tars-ts/api';
import { ClusterError, ConflictError, InvalidError } from '../errors.ts';
import type { TarsKindInfo } from '../kinds.ts';
import { deepEqual } from '../patch.ts';
import { kubeTime } from '../time.ts';
import type { KubeObject } from '../types.ts';
import { checkObjectName } from './files.ts';

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function resourceName(info: { plural: string }): string {
  return `${info.plural}.${GROUP}`;
}

export function conflict(info: { plural: string }, name: string): ConflictError {
  return new ConflictError(`Operation cannot be fulfilled on ${resourceName(info)} ${JSON.stringify(name)}: the object has been modified; please apply your changes to the latest version and try again`);
}

export function checkLabels(meta: ObjectMeta, what: string): void {
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    const keyName = k.includes('/') ? k.slice(k.indexOf('/') + 1) : k;
    if (!LABEL_KEY.test(k) || keyName.length > 63) throw new InvalidError(`${what}: metadata.labels: invalid label key ${JSON.stringify(k)}`, [{ field: 'metadata.labels', message: `invalid key ${k}` }]);
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) throw new InvalidError(`${what}: metadata.labels: invalid value ${JSON.stringify(v)} of label ${k}`, [{ field: `metadata.labels.${k}`, message: 'invalid value' }]);
  }
}

/** The object with defaults and pruning applied, or InvalidError listing every field problem. */
export function normalizeAndValidate<T extends KubeObject>(info: TarsKindInfo, obj: T): T {
  const name = obj.metadata.name ?? '';
  let normalized: T;
  try {
    normalized = normalize(obj as unknown as AnyObject) as unknown as T;
  } catch (err) {
    throw new InvalidError(`${info.kind}.${GROUP} ${JSON.stringify(name)} is invalid: ${(err as Error).message}`);
  }
  const errors = validateSchema(normalized as unknown as AnyObject);
  if (errors.length > 0) {
    throw new InvalidError(
      `${info.kind}.${GROUP} ${JSON.stringify(name)} is invalid: ${formatFieldErrors(errors)}`,
      errors.map((e) => ({ field: e.path, message: e.message })),
    );
  }
  return normalized;
}

/** The body's apiVersion/kind must name this kind (filled in when absent). */
export function checkTypeMeta<T extends KubeObject>(info: TarsKindInfo, obj: T): T {
  if ((obj.apiVersion && obj.apiVersion !== info.apiVersion) || (obj.kind && obj.kind !== info.kind)) {
    throw new ClusterError(`the object is ${obj.apiVersion}/${obj.kind}, expected ${info.apiVersion}/${info.kind}`, 400, 'BadRequest');
  }
  return { ...obj, apiVersion: info.apiVersion, kind: info.kind };
}

export function checkNamespace(obj: KubeObject, namespace: string): void {
  const ns = obj.metadata?.namespace;
  if (ns !== undefined && ns !== '' && ns !== namespace) {
    throw new ClusterError(`the namespace of the object (${ns}) does not match the namespace of the cluster state (${namespace})`, 400, 'BadRequest');
  }
}

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `metadata.name`, or `generateName` plus five random characters, as the API server does. */
export function nameFor(meta: ObjectMeta, what: string): string {
  if (!meta.name && meta.generateName) {
    let suffix = '';
    for (let i = 0; i < 5; i++) suffix += GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
    return checkObjectName(`${meta.generateName}${suffix}`, what);
  }
  return checkObjectName(meta.name, what);
}

/** Metadata of a new object: what the user may set, plus what the server owns. */
export function newMetadata(meta: ObjectMeta, name: string, namespace: string, resourceVersion: string): ObjectMeta {
  const out: ObjectMeta = { ...userMetadata(meta), name, namespace, uid: randomUUID(), resourceVersion, generation: 1, creationTimestamp: kubeTime() };
  if (meta.generateName) out.generateName = meta.generateName;
  return out;
}

function userMetadata(meta: ObjectMeta): ObjectMeta {
  const out: ObjectMeta = {};
  if (meta.labels) out.labels = meta.labels;
  if (meta.annotations) out.annotations = meta.annotations;
  if (meta.ownerReferences) out.ownerReferences = meta.ownerReferences;
  if (meta.finalizers && meta.finalizers.length > 0) out.finalizers = meta.finalizers;
  return out;
}

/** The resourceVersion and uid checks of an update; InvalidError when no resourceVersion is given. */
export function checkPreconditions(info: { plural: string }, incoming: ObjectMeta, current: ObjectMeta, name: string): void {
  if (!incoming.resourceVersion) {
    throw new InvalidError(`${resourceName(info)} ${JSON.stringify(name)} is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`, [
      { field: 'metadata.resourceVersion', message: 'must be specified for an update' },
    ]);
  }
  if (incoming.uid && incoming.uid !== current.uid) throw new ConflictError(`Precondition failed: UID in precondition: ${incoming.uid}, UID in object meta: ${current.uid}`);
  if (incoming.resourceVersion !== current.resourceVersion) throw conflict(info, name);
}

/** Metadata after an update: user fields from the new object, server fields kept from the stored one. */
export function updatedMetadata(incoming: ObjectMeta, current: ObjectMeta): ObjectMeta {
  const out: ObjectMeta = { ...userMetadata(incoming) };
  for (const k of ['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp'] as const) {
    if (current[k] !== undefined) (out as Record<string, unknown>)[k] = current[k];
  }
  return out;
}

/** What generation tracks: everything but metadata (and status, when it is a subresource). */
export function specChanged(info: TarsKindInfo, a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { metadata: _m, ...rest } = o as KubeObject & { status?: unknown };
    if (info.hasStatus) delete (rest as { status?: unknown }).status;
    return rest;
  };
  return !deepEqual(strip(a), strip(b));
}
