// What the admission rules share: their result shape, who the caller is, label and time helpers.
import type { FieldError } from '../errors.ts';
import { CONTROLLER_USER, KUBE_SYSTEM_SA_PREFIX } from '../meta/constants.ts';
import type { ObjectMeta } from '../meta/object-meta.ts';

/** A mutation either yields the changed object (a copy) or denies with field errors. */
export type Mutated<T> = { ok: true; object: T } | { ok: false; errors: FieldError[] };

/** Any object whose labels a rule looks at (full objects and metadata-only informer items fit). */
export interface WithMeta {
  metadata?: ObjectMeta;
}

/** The tars controller's service account: it may change what users may not. */
export function isController(user: string | undefined): boolean {
  return user === CONTROLLER_USER;
}

/** Kubernetes' own controllers (namespace deletion, garbage collection). */
export function isKubeSystem(user: string | undefined): boolean {
  return user !== undefined && user.startsWith(KUBE_SYSTEM_SA_PREFIX);
}

export function labelOf(obj: WithMeta, key: string): string | undefined {
  return obj.metadata?.labels?.[key];
}

export function setLabel(meta: ObjectMeta, key: string, value: string): void {
  meta.labels = { ...meta.labels, [key]: value };
}

export function removeLabel(meta: ObjectMeta, key: string): void {
  if (meta.labels !== undefined) delete meta.labels[key];
}

/** RFC 3339 with second precision, as Kubernetes writes metav1.Time. */
export function formatTime(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Elements in first-seen order without repeats. */
export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** The values that occur more than once, each reported once, in first-repeat order. */
export function duplicates<T>(items: readonly T[]): T[] {
  const seen = new Set<T>();
  const repeated = new Set<T>();
  for (const item of items) (seen.has(item) ? repeated : seen).add(item);
  return [...repeated];
}
