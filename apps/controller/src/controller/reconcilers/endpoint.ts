// TServer + its pods → TEndpoint: the spec mirrors the TServer, the status lists every pod's
// state (what tarsregistry resolves servants from). Status is written only when it changed.
import type { TEndpoint, TEndpointPodStatus } from '@tars-ts/api';
import { Label, type TServer } from '@tars-ts/api';
import { tarsResource, type Pod, type WorkResult } from '@tars-ts/cluster';
import { hashOf, serverSelector, translateEndpoint } from '../../translator/index.ts';
import { Reconciler } from '../reconciler.ts';
import { key, splitKey } from '../runtime.ts';
import { deleteGenerated, syncGenerated } from '../sync.ts';
import { podState } from './pod-state.ts';

/** Key of the TServer a labelled pod belongs to (name = lower(app)-lower(server)). */
export function podOwnerKey(pod: Pod): string | undefined {
  const app = pod.metadata.labels?.[Label.ServerApp];
  const server = pod.metadata.labels?.[Label.ServerName];
  if (!app || !server) return undefined;
  return key(pod.metadata.namespace, `${app.toLowerCase()}-${server.toLowerCase()}`);
}

/** Empty strings are left out: readers treat a missing field as empty, and it keeps objects small. */
function withoutEmpty<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '' && v !== undefined)) as T;
}

export function endpointPods(pods: readonly Pod[]): TEndpointPodStatus[] {
  return pods
    .map((p) => withoutEmpty(podState(p)))
    .sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : (a.name ?? '') > (b.name ?? '') ? 1 : 0));
}

export class EndpointReconciler extends Reconciler {
  readonly name = 'tendpoint';

  subscribe(): void {
    const enqueue = (o: { metadata: { namespace?: string; name?: string } }) => this.queue.add(key(o.metadata.namespace, o.metadata.name));
    this.inf.tservers.subscribe({ onAdd: enqueue, onUpdate: enqueue, onDelete: enqueue });
    // onAdd too: a TEndpoint just created gets its status once the cache holds it.
    this.inf.endpoints.subscribe({ onAdd: enqueue, onUpdate: enqueue, onDelete: enqueue });
    const byPod = (p: Pod) => {
      const k = podOwnerKey(p);
      if (k) this.queue.add(k);
    };
    this.inf.pods.subscribe({ onAdd: byPod, onUpdate: byPod, onDelete: byPod });
  }

  async reconcile(k: string): Promise<WorkResult> {
    const [ns, name] = splitKey(k);
    const ts = this.inf.tservers.get(ns, name);
    const te = this.inf.endpoints.get(ns, name);
    if (!ts || ts.metadata.deletionTimestamp) {
      await deleteGenerated(this.rt, tarsResource('TEndpoint'), te, name);
      return 'done';
    }
    const { outcome, result } = await syncGenerated(this.rt, {
      ref: tarsResource('TEndpoint'),
      owner: ts,
      actual: te as (TEndpoint & { spec: Record<string, unknown> }) | undefined,
      desired: translateEndpoint(ts) as TEndpoint & { spec: Record<string, unknown> },
      merge: (a, d) => {
        a.spec = structuredClone(d.spec);
        return a;
      },
    });
    // Status goes on the stored object: after a create or update, the informer brings it back.
    if (outcome !== 'unchanged' || result !== 'done' || !te) return result;
    return this.syncStatus(ts, te);
  }

  private async syncStatus(ts: TServer, te: TEndpoint): Promise<WorkResult> {
    const pods = this.inf.pods.list(ts.metadata.namespace, serverSelector(ts.spec.app, ts.spec.server));
    const want = { pods: endpointPods(pods) };
    if (te.status && hashOf(te.status) === hashOf(want)) return 'done';
    await this.rt.client.replaceStatus(tarsResource('TEndpoint'), te.metadata.namespace, { ...te, status: want });
    return 'done';
  }
}
