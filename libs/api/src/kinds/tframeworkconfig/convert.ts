// TFrameworkConfig v1beta2 <-> v1beta3: `imageRegistry` <-> `imageUpload`; `imageBuild.executor`
// (v1beta3 only) travels in the conversion annotation.
import { dropCarried, readCarried, writeCarried, type Carried } from '../../conversion/annotation.ts';
import type { ObjectMeta } from '../../meta/object-meta.ts';
import type { TFrameworkConfig as V1beta2 } from './v1beta2.ts';
import type { TFrameworkConfig as V1beta3 } from './v1beta3.ts';

interface Draft {
  apiVersion: string;
  metadata: ObjectMeta;
  imageUpload?: unknown;
  imageRegistry?: unknown;
  imageBuild?: { executor?: unknown };
}

function draft(obj: object, apiVersion: string): Draft {
  const copy = structuredClone(obj) as Draft;
  copy.apiVersion = apiVersion;
  copy.metadata ??= {};
  return copy;
}

export function frameworkConfigToV1beta2(input: V1beta3): V1beta2 {
  const obj = draft(input, 'k8s.tars.io/v1beta2');
  const carried: Carried = {};
  if (obj.imageUpload !== undefined) obj.imageRegistry = obj.imageUpload;
  delete obj.imageUpload;
  if (obj.imageBuild?.executor !== undefined) {
    carried.executor = obj.imageBuild.executor;
    delete obj.imageBuild.executor;
  }
  writeCarried(obj.metadata, carried);
  return obj as unknown as V1beta2;
}

export function frameworkConfigToV1beta3(input: V1beta2): V1beta3 {
  const obj = draft(input, 'k8s.tars.io/v1beta3');
  const carried = readCarried(obj.metadata) ?? {};
  dropCarried(obj.metadata);
  if (obj.imageRegistry !== undefined) obj.imageUpload = obj.imageRegistry;
  delete obj.imageRegistry;
  if (obj.imageBuild !== undefined && isImageRef(carried.executor)) obj.imageBuild.executor = carried.executor;
  return obj as unknown as V1beta3;
}

function isImageRef(value: unknown): value is { image: string; secret?: string } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.image === 'string' && (v.secret === undefined || typeof v.secret === 'string');
}
