// The part of Kubernetes' ObjectMeta this library reads or writes; the API server owns its schema.
import type { GROUP } from './constants.ts';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

/** The envelope every custom resource of the group has (a type alias, so it fits AnyObject). */
export type TypeMeta<V extends string, K extends string> = {
  apiVersion: `${typeof GROUP}/${V}`;
  kind: K;
  metadata: ObjectMeta;
};

/** Any object of any kind and version, as the conversion webhook receives it. */
export interface AnyObject {
  apiVersion: string;
  kind: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}
