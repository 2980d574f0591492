// The namespace's `tars-tree` lists every app that has a TServer (tarsweb's service tree): apps
// missing from it are added under no business, and the tree is created when absent.
import { TREE_NAME, type TTree } from '@tars-ts/api';
import { AlreadyExistsError, tarsResource, type WorkResult } from '@tars-ts/cluster';
import { Reconciler } from '../reconciler.ts';

const MARK = 'AddByController';

export class TTreeReconciler extends Reconciler {
  readonly name = 'ttree';

  subscribe(): void {
    const byNs = (o: { metadata: { namespace?: string } }) => this.queue.add(o.metadata.namespace ?? '');
    this.inf.tservers.subscribe({ onAdd: byNs, onUpdate: byNs });
    this.inf.trees.subscribe({ onUpdate: byNs, onDelete: byNs });
  }

  async reconcile(ns: string): Promise<WorkResult> {
    const apps = [...new Set(this.inf.tservers.list(ns).filter((t) => !t.metadata.deletionTimestamp).map((t) => t.spec.app))].sort();
    if (apps.length === 0) return 'done';
    const tree = this.inf.trees.get(ns, TREE_NAME);
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const entry = (name: string) => ({ name, businessRef: '', createTime: now, mark: MARK });
    if (!tree) {
      const fresh: TTree = { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TTree', metadata: { name: TREE_NAME, namespace: ns }, businesses: [], apps: apps.map(entry) };
      try {
        await this.rt.client.create(tarsResource('TTree'), ns, fresh);
      } catch (e) {
        if (!(e instanceof AlreadyExistsError)) throw e;
        return 'retry'; // the informer has not seen it yet
      }
      return 'done';
    }
    const known = new Set(tree.apps.map((a) => a.name));
    const missing = apps.filter((a) => !known.has(a));
    if (missing.length === 0) return 'done';
    await this.rt.client.patch(tarsResource('TTree'), ns, TREE_NAME, {
      type: 'json',
      ops: [{ op: 'test', path: '/metadata/resourceVersion', value: tree.metadata.resourceVersion }, ...missing.map((a) => ({ op: 'add' as const, path: '/apps/-', value: entry(a) }))],
    });
    return 'done';
  }
}
