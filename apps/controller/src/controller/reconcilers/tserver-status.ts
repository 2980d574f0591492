// TServer status from its pods: replicas wanted, pods ready, pods present, and the selector the
// scale subresource (and HPA) reads.
import { tarsResource, type Pod, type WorkResult } from '@tars-ts/cluster';
import { serverSelector } from '../../translator/index.ts';
import { Reconciler } from '../reconciler.ts';
import { key, splitKey } from '../runtime.ts';
import { podOwnerKey } from './endpoint.ts';

function isReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export class TServerStatusReconciler extends Reconciler {
  readonly name = 'tserver-status';

  subscribe(): void {
    const enqueue = (o: { metadata: { namespace?: string; name?: string } }) => this.queue.add(key(o.metadata.namespace, o.metadata.name));
    this.inf.tservers.subscribe({ onAdd: enqueue, onUpdate: enqueue });
    const byPod = (p: Pod) => {
      const k = podOwnerKey(p);
      if (k) this.queue.add(k);
    };
    this.inf.pods.subscribe({ onAdd: byPod, onUpdate: byPod, onDelete: byPod });
  }

  async reconcile(k: string): Promise<WorkResult> {
    const [ns, name] = splitKey(k);
    const ts = this.inf.tservers.get(ns, name);
    if (!ts || ts.metadata.deletionTimestamp) return 'done';
    const selector = serverSelector(ts.spec.app, ts.spec.server);
    const pods = this.inf.pods.list(ns, selector);
    const want = { replicas: ts.spec.k8s.replicas ?? 0, readyReplicas: pods.filter(isReady).length, currentReplicas: pods.length, selector };
    const have = ts.status;
    if (have && have.replicas === want.replicas && have.readyReplicas === want.readyReplicas && have.currentReplicas === want.currentReplicas && have.selector === want.selector) {
      return 'done';
    }
    await this.rt.client.replaceStatus(tarsResource('TServer'), ns, { ...ts, status: want });
    return 'done';
  }
}
