// TServer → headless Service (not for DaemonSets, as upstream). Only ports and selector are synced.
import { Resources, type WorkResult } from '@tars-ts/cluster';
import { translateService } from '../../translator/index.ts';
import type { WorkloadObject } from '../informers.ts';
import { Reconciler } from '../reconciler.ts';
import { key, splitKey } from '../runtime.ts';
import { deleteGenerated, syncGenerated } from '../sync.ts';

export class ServiceReconciler extends Reconciler {
  readonly name = 'service';

  subscribe(): void {
    const enqueue = (o: { metadata: { namespace?: string; name?: string } }) => this.queue.add(key(o.metadata.namespace, o.metadata.name));
    this.inf.tservers.subscribe({ onAdd: enqueue, onUpdate: enqueue, onDelete: enqueue });
    this.inf.services.subscribe({ onUpdate: enqueue, onDelete: enqueue });
  }

  async reconcile(k: string): Promise<WorkResult> {
    const [ns, name] = splitKey(k);
    const ts = this.inf.tservers.get(ns, name);
    const svc = this.inf.services.get(ns, name);
    if (!ts || ts.metadata.deletionTimestamp || ts.spec.k8s.daemonSet === true) {
      await deleteGenerated(this.rt, Resources.Service, svc, name);
      return 'done';
    }
    const { result } = await syncGenerated(this.rt, {
      ref: Resources.Service,
      owner: ts,
      actual: svc,
      desired: translateService(ts) as unknown as WorkloadObject,
      merge: (a, d) => {
        a.spec = { ...a.spec, ports: d.spec?.ports, selector: d.spec?.selector };
        return a;
      },
    });
    return result;
  }
}
