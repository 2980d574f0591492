// TServer → StatefulSet or DaemonSet (reference §5.2). The StatefulSet's volume claim templates
// are immutable: when the wanted ones change, the StatefulSet is deleted (and the claims of local
// volumes no longer wanted), then created again.
import { FRAMEWORK_CONFIG_NAME, Label, type TServer } from '@tars-ts/api';
import { Resources, type WorkResult } from '@tars-ts/cluster';
import { covers, translate, type Json, type VolumeClaimTemplate } from '../../translator/index.ts';
import type { WorkloadObject } from '../informers.ts';
import { Reconciler, REQUEUE_SOON } from '../reconciler.ts';
import { key, splitKey } from '../runtime.ts';
import { deleteGenerated, syncGenerated } from '../sync.ts';

/** Keeps containers others injected (sidecars), replacing ours by name. */
function mergeContainers(actual: Json[] | undefined, desired: Json[] | undefined): Json[] | undefined {
  if (!desired) return actual?.length ? actual : undefined;
  const ours = new Set(desired.map((c) => c.name));
  return [...desired, ...(actual ?? []).filter((c) => !ours.has(c.name))];
}

function mergeTemplate(actual: Json, desired: Json): Json {
  const a = actual as { spec?: Json };
  const d = structuredClone(desired) as { spec: Json };
  const containers = mergeContainers(a.spec?.containers as Json[] | undefined, d.spec.containers as Json[]);
  const init = mergeContainers(a.spec?.initContainers as Json[] | undefined, d.spec.initContainers as Json[] | undefined);
  d.spec.containers = containers;
  if (init) d.spec.initContainers = init;
  return d;
}

function claimsDiffer(actual: WorkloadObject, desired: VolumeClaimTemplate[]): boolean {
  const have = actual.spec?.volumeClaimTemplates ?? [];
  if (have.length !== desired.length) return true;
  return !desired.every((d, i) => covers({ metadata: d.metadata, spec: d.spec }, have[i]));
}

export class WorkloadReconciler extends Reconciler {
  readonly name = 'workload';

  subscribe(): void {
    const byOwnName = { onUpdate: (o: WorkloadObject) => this.queue.add(key(o.metadata.namespace, o.metadata.name)), onDelete: (o: WorkloadObject) => this.queue.add(key(o.metadata.namespace, o.metadata.name)) };
    this.inf.tservers.subscribe({
      onAdd: (t) => this.queue.add(key(t.metadata.namespace, t.metadata.name)),
      onUpdate: (t) => this.queue.add(key(t.metadata.namespace, t.metadata.name)),
      onDelete: (t) => this.queue.add(key(t.metadata.namespace, t.metadata.name)),
    });
    this.inf.statefulSets.subscribe(byOwnName);
    this.inf.daemonSets.subscribe(byOwnName);
    // The default node image of tars servers comes from the namespace's TFrameworkConfig.
    const all = (ns: string | undefined) => {
      for (const t of this.inf.tservers.list(ns)) if (t.spec.subType === 'tars') this.queue.add(key(ns, t.metadata.name));
    };
    this.inf.frameworkConfigs.subscribe({
      onAdd: (f) => all(f.metadata.namespace),
      onUpdate: (f, old) => {
        if (JSON.stringify(f.nodeImage) !== JSON.stringify(old.nodeImage)) all(f.metadata.namespace);
      },
    });
  }

  async reconcile(k: string): Promise<WorkResult> {
    const [ns, name] = splitKey(k);
    const ts = this.inf.tservers.get(ns, name);
    const sts = this.inf.statefulSets.get(ns, name);
    const ds = this.inf.daemonSets.get(ns, name);
    if (!ts || ts.metadata.deletionTimestamp) {
      await deleteGenerated(this.rt, Resources.StatefulSet, sts, name);
      await deleteGenerated(this.rt, Resources.DaemonSet, ds, name);
      return 'done';
    }
    const fc = this.inf.frameworkConfigs.get(ns, FRAMEWORK_CONFIG_NAME);
    const { workload } = translate(ts, fc);
    if (workload.kind === 'DaemonSet') {
      await deleteGenerated(this.rt, Resources.StatefulSet, sts, name);
      const { result } = await syncGenerated(this.rt, {
        ref: Resources.DaemonSet,
        owner: ts,
        actual: ds,
        desired: workload as unknown as WorkloadObject,
        merge: (a, d) => {
          const spec = a.spec ?? {};
          for (const f of ['updateStrategy', 'minReadySeconds', 'revisionHistoryLimit'] as const) spec[f] = d.spec?.[f];
          spec.template = mergeTemplate(spec.template as Json, d.spec?.template as Json);
          a.spec = spec;
          return a;
        },
      });
      return result;
    }
    await deleteGenerated(this.rt, Resources.DaemonSet, ds, name);
    const desiredClaims = workload.spec.volumeClaimTemplates ?? [];
    if (sts && !sts.metadata.deletionTimestamp && sts.metadata.ownerReferences?.some((r) => r.uid === ts.metadata.uid) && claimsDiffer(sts, desiredClaims)) {
      return this.recreateForClaims(ts, sts, desiredClaims);
    }
    const { result } = await syncGenerated(this.rt, {
      ref: Resources.StatefulSet,
      owner: ts,
      actual: sts,
      desired: workload as unknown as WorkloadObject,
      merge: (a, d) => {
        const spec = a.spec ?? {};
        for (const f of ['replicas', 'updateStrategy', 'revisionHistoryLimit'] as const) spec[f] = d.spec?.[f];
        spec.template = mergeTemplate(spec.template as Json, d.spec?.template as Json);
        a.spec = spec;
        return a;
      },
    });
    return result;
  }

  private async recreateForClaims(ts: TServer, sts: WorkloadObject, desired: VolumeClaimTemplate[]): Promise<WorkResult> {
    const ns = ts.metadata.namespace ?? '';
    const wanted = new Set(desired.map((c) => c.metadata.name));
    const dropped = (sts.spec?.volumeClaimTemplates ?? [])
      .filter((c) => c.metadata?.labels?.[Label.LocalVolume] !== undefined && !wanted.has(c.metadata?.name ?? ''))
      .map((c) => c.metadata?.name ?? '');
    this.rt.log('info', `statefulset ${ns}/${ts.metadata.name}: volume claim templates changed, re-creating it`);
    await deleteGenerated(this.rt, Resources.StatefulSet, sts, ts.metadata.name ?? '');
    if (dropped.length > 0) {
      const labelSelector = `${Label.ServerApp}=${ts.spec.app},${Label.ServerName}=${ts.spec.server},${Label.LocalVolume} in (${dropped.join(',')})`;
      await this.rt.client.deleteCollection(Resources.PersistentVolumeClaim, ns, { labelSelector });
    }
    await this.rt.recorder
      ?.record({
        regarding: { apiVersion: ts.apiVersion, kind: 'TServer', name: ts.metadata.name, namespace: ns, uid: ts.metadata.uid },
        type: 'Normal',
        reason: 'Recreating',
        action: 'Delete',
        note: `volume claim templates changed; StatefulSet deleted to be created again${dropped.length ? `, claims dropped: ${dropped.join(', ')}` : ''}`,
      })
      .catch(() => undefined);
    return REQUEUE_SOON;
  }
}
