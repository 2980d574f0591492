// Create-or-update of one object the controller generates from a TServer, writing only when the
// owned fields differ (translator/compare.ts), and refusing objects another owner controls.
import { type TServer } from '@tars-ts/api';
import { AlreadyExistsError, NotFoundError, controllerOf, isControlledBy, type KubeObject, type ResourceRef, type WorkResult } from '@tars-ts/cluster';
import { HASH_ANNOTATION, covers, hashOf, ownedFields } from '../translator/index.ts';
import { REQUEUE_SOON } from './reconciler.ts';
import type { Runtime } from './runtime.ts';

type Generated = KubeObject & { spec?: Record<string, unknown> };

export interface SyncOptions<T extends Generated> {
  ref: ResourceRef;
  owner: TServer;
  actual: T | undefined;
  desired: T;
  /** Copies the owned fields of `desired` into `actual` (a clone), keeping what others added. */
  merge: (actual: T, desired: T) => T;
}

export type SyncOutcome = 'created' | 'updated' | 'unchanged' | 'blocked';

export function isUpToDate(actual: Generated, desired: Generated): boolean {
  const want = ownedFields(desired);
  const have = ownedFields(actual);
  return actual.metadata.annotations?.[HASH_ANNOTATION] === hashOf(want) && covers(want.spec, have.spec) && covers(want.labels, have.labels);
}

function stamp<T extends Generated>(obj: T, hash: string): T {
  obj.metadata.annotations = { ...obj.metadata.annotations, [HASH_ANNOTATION]: hash };
  return obj;
}

export async function syncGenerated<T extends Generated>(rt: Runtime, o: SyncOptions<T>): Promise<{ outcome: SyncOutcome; result: WorkResult }> {
  const { ref, owner, actual, desired } = o;
  const ns = desired.metadata.namespace;
  const hash = hashOf(ownedFields(desired));
  if (!actual) {
    try {
      await rt.client.create(ref, ns, stamp(structuredClone(desired), hash));
      return { outcome: 'created', result: 'done' };
    } catch (e) {
      if (e instanceof AlreadyExistsError) return { outcome: 'unchanged', result: 'retry' }; // cache behind
      throw e;
    }
  }
  if (actual.metadata.deletionTimestamp) return { outcome: 'unchanged', result: REQUEUE_SOON };
  if (!isControlledBy(actual, owner)) {
    const holder = controllerOf(actual);
    // Left by a deleted TServer of the same name that was created again: replace it.
    if (holder?.kind === 'TServer' && holder.name === owner.metadata.name) {
      await deleteGenerated(rt, ref, actual, holder.name);
      return { outcome: 'updated', result: REQUEUE_SOON };
    }
    await rt.recorder
      ?.record({
        regarding: { apiVersion: owner.apiVersion, kind: 'TServer', name: owner.metadata.name, namespace: ns, uid: owner.metadata.uid },
        type: 'Warning',
        reason: 'OutControl',
        action: 'Sync',
        note: `${ref.kind} ${ns}/${desired.metadata.name} exists and is not controlled by this TServer${holder ? ` (controller: ${holder.kind}/${holder.name})` : ''}`,
      })
      .catch(() => undefined);
    return { outcome: 'blocked', result: 'retry' };
  }
  if (isUpToDate(actual, desired)) return { outcome: 'unchanged', result: 'done' };
  const merged = o.merge(structuredClone(actual), desired);
  merged.metadata.labels = { ...merged.metadata.labels, ...desired.metadata.labels };
  stamp(merged, hash);
  await rt.client.replace(ref, ns, merged);
  return { outcome: 'updated', result: 'done' };
}

/** Deletes `actual` if a TServer named like it controls it (what is left after a switch or delete). */
export async function deleteGenerated(rt: Runtime, ref: ResourceRef, actual: KubeObject | undefined, tserverName: string): Promise<boolean> {
  if (!actual || actual.metadata.deletionTimestamp) return false;
  const holder = controllerOf(actual);
  if (holder?.kind !== 'TServer' || holder.name !== tserverName) return false;
  try {
    await rt.client.delete(ref, actual.metadata.namespace, actual.metadata.name ?? '', { preconditions: { uid: actual.metadata.uid }, propagationPolicy: 'Background' });
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  return true;
}
