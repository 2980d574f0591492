// Owner references: the controller marks what it generates (StatefulSet, Service, TEndpoint,
// TExitedRecord) as controlled by the TServer, and refuses to touch same-named objects it does
// not control (upstream's `OutControl` event).
import type { OwnerReference } from '@tars-ts/api';
import type { KubeObject } from './types.ts';

export type Owner = { apiVersion?: string; kind?: string; metadata: { name?: string; uid?: string } };

export function ownerRef(owner: Owner, options: { controller?: boolean; blockOwnerDeletion?: boolean } = {}): OwnerReference {
  const { apiVersion, kind, metadata } = owner;
  if (!apiVersion || !kind || !metadata.name || !metadata.uid) throw new Error(`owner needs apiVersion, kind, name and uid (got ${apiVersion}/${kind} ${metadata.name} uid=${metadata.uid})`);
  const ref: OwnerReference = { apiVersion, kind, name: metadata.name, uid: metadata.uid };
  if (options.controller !== undefined) ref.controller = options.controller;
  if (options.blockOwnerDeletion !== undefined) ref.blockOwnerDeletion = options.blockOwnerDeletion;
  return ref;
}

/** The reference client-go's `metav1.NewControllerRef` builds: controller and blockOwnerDeletion set. */
export function controllerRef(owner: Owner): OwnerReference {
  return ownerRef(owner, { controller: true, blockOwnerDeletion: true });
}

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** Whether `owner` is `obj`'s controller (matched by uid, the way Kubernetes does). */
export function isControlledBy(obj: KubeObject, owner: Owner): boolean {
  const ref = controllerOf(obj);
  return ref !== undefined && owner.metadata.uid !== undefined && ref.uid === owner.metadata.uid;
}
