// Nodes: `tars.io/node` is present exactly when some `tars.io/node.<namespace>` label is (the
// tars-agent DaemonSet runs on nodes with it).
import { Resources, type WorkResult } from '@tars-ts/cluster';
import { NODE_LABEL_PREFIX } from '../../translator/pod-template.ts';
import type { NodeObject } from '../informers.ts';
import { Reconciler } from '../reconciler.ts';

export const NODE_LABEL = 'tars.io/node';

export class NodeReconciler extends Reconciler {
  readonly name = 'node';

  subscribe(): void {
    const enqueue = (n: NodeObject) => this.queue.add(n.metadata.name ?? '');
    this.inf.nodes.subscribe({ onAdd: enqueue, onUpdate: enqueue });
  }

  async reconcile(name: string): Promise<WorkResult> {
    const node = this.inf.nodes.get('', name) ?? this.inf.nodes.list(undefined).find((n) => n.metadata.name === name);
    if (!node) return 'done';
    const labels = node.metadata.labels ?? {};
    const want = Object.keys(labels).some((k) => k.startsWith(NODE_LABEL_PREFIX));
    const has = NODE_LABEL in labels;
    if (want === has) return 'done';
    await this.rt.client.patch(Resources.Node, undefined, name, { type: 'merge', value: { metadata: { labels: { [NODE_LABEL]: want ? '' : null } } } });
    return 'done';
  }
}
