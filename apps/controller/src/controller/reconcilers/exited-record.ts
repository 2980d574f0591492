// TExitedRecord: one per TServer, newest deleted pod first, at most recordLimit.texitedPod
// entries (default 60). Pods are recorded when they start terminating or disappear.
import { FRAMEWORK_CONFIG_NAME, Label, type TExitedPod, type TExitedRecord } from '@tars-ts/api';
import { tarsResource, type Pod, type WorkResult } from '@tars-ts/cluster';
import { translateExitedRecord } from '../../translator/index.ts';
import { Reconciler } from '../reconciler.ts';
import { key, splitKey } from '../runtime.ts';
import { deleteGenerated, syncGenerated } from '../sync.ts';
import { podOwnerKey } from './endpoint.ts';

export const DEFAULT_EXITED_LIMIT = 60;

function exitedPod(p: Pod): TExitedPod {
  const entry: Record<string, string | undefined> = {
    uid: p.metadata.uid,
    name: p.metadata.name,
    id: p.metadata.labels?.[Label.ServerID],
    nodeIP: p.status?.hostIP,
    podIP: p.status?.podIP,
    createTime: p.metadata.creationTimestamp,
    deleteTime: p.metadata.deletionTimestamp ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined && v !== '')) as TExitedPod;
}

export class ExitedRecordReconciler extends Reconciler {
  readonly name = 'texitedrecord';
  /** Exited pods waiting to be written, by TServer key. */
  private readonly pending = new Map<string, TExitedPod[]>();

  subscribe(): void {
    const enqueue = (o: { metadata: { namespace?: string; name?: string } }) => this.queue.add(key(o.metadata.namespace, o.metadata.name));
    this.inf.tservers.subscribe({ onAdd: enqueue, onUpdate: enqueue, onDelete: enqueue });
    this.inf.exitedRecords.subscribe({ onAdd: enqueue, onDelete: enqueue });
    const exited = (p: Pod) => {
      const k = podOwnerKey(p);
      if (!k) return;
      const list = this.pending.get(k) ?? [];
      if (!list.some((e) => e.uid === p.metadata.uid)) list.push(exitedPod(p));
      this.pending.set(k, list);
      this.queue.add(k);
    };
    this.inf.pods.subscribe({
      onUpdate: (p, old) => {
        if (p.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) exited(p);
      },
      onDelete: (p) => exited(p),
    });
  }

  async reconcile(k: string): Promise<WorkResult> {
    const [ns, name] = splitKey(k);
    const ts = this.inf.tservers.get(ns, name);
    const rec = this.inf.exitedRecords.get(ns, name);
    if (!ts || ts.metadata.deletionTimestamp) {
      this.pending.delete(k);
      await deleteGenerated(this.rt, tarsResource('TExitedRecord'), rec, name);
      return 'done';
    }
    if (!rec) {
      const { result } = await syncGenerated(this.rt, {
        ref: tarsResource('TExitedRecord'),
        owner: ts,
        actual: undefined,
        desired: translateExitedRecord(ts) as TExitedRecord & { spec?: Record<string, unknown> },
        merge: (a) => a,
      });
      // The informer brings the record back; pending exits are written then.
      return result;
    }
    const pending = this.pending.get(k);
    if (!pending?.length) return 'done';
    const known = new Set((rec.pods ?? []).map((p) => p.uid));
    const fresh = pending.filter((p) => !known.has(p.uid)).reverse(); // newest first
    if (fresh.length === 0) {
      this.pending.delete(k);
      return 'done';
    }
    const limit = this.inf.frameworkConfigs.get(ns, FRAMEWORK_CONFIG_NAME)?.recordLimit?.texitedPod ?? DEFAULT_EXITED_LIMIT;
    const pods = [...fresh, ...(rec.pods ?? [])].slice(0, limit);
    await this.rt.client.replace(tarsResource('TExitedRecord'), ns, { ...rec, pods });
    // Exits that arrived during the write stay pending (the key was re-queued by them).
    const written = new Set(fresh.map((p) => p.uid));
    const rest = (this.pending.get(k) ?? []).filter((p) => !written.has(p.uid));
    if (rest.length > 0) this.pending.set(k, rest);
    else this.pending.delete(k);
    return 'done';
  }
}
