// TConfig versions, per namespace: flip the version the webhook marked `tars.io/Deactivate` to
// inactive, delete versions marked `tars.io/Deleting` (the history of a deleted active version),
// and keep at most recordLimit.tconfigHistory inactive versions per (app, server, config, podSeq).
import { FRAMEWORK_CONFIG_NAME, Label, type TConfig } from '@tars-ts/api';
import { NotFoundError, tarsResource, type WorkResult } from '@tars-ts/cluster';
import { Reconciler } from '../reconciler.ts';

export const DEFAULT_TCONFIG_HISTORY = 10;

function group(c: TConfig): string {
  const l = c.metadata.labels ?? {};
  return [l[Label.ServerApp], l[Label.ServerName] ?? '', l[Label.ConfigName], l[Label.PodSeq]].join('\u0000');
}

export class TConfigReconciler extends Reconciler {
  readonly name = 'tconfig';

  subscribe(): void {
    const enqueue = (c: TConfig) => this.queue.add(c.metadata.namespace ?? '');
    this.inf.tconfigs.subscribe({ onAdd: enqueue, onUpdate: enqueue, onDelete: enqueue });
    this.inf.frameworkConfigs.subscribe({ onAdd: (f) => this.queue.add(f.metadata.namespace ?? ''), onUpdate: (f) => this.queue.add(f.metadata.namespace ?? '') });
  }

  async reconcile(ns: string): Promise<WorkResult> {
    const ref = tarsResource('TConfig');
    const all = this.inf.tconfigs.list(ns);
    const ignoreGone = (e: unknown) => {
      if (!(e instanceof NotFoundError)) throw e;
    };
    for (const c of all) {
      if (c.metadata.labels?.[Label.Deactivate] === undefined || c.metadata.labels?.[Label.Deleting] !== undefined) continue;
      await this.rt.client
        .patch(ref, ns, c.metadata.name ?? '', {
          type: 'merge',
          value: { metadata: { labels: { [Label.Deactivate]: null, [Label.Activated]: 'false' } }, activated: false },
        })
        .catch(ignoreGone);
    }
    for (const c of all) {
      if (c.metadata.labels?.[Label.Deleting] === undefined || c.metadata.deletionTimestamp) continue;
      await this.rt.client.delete(ref, ns, c.metadata.name ?? '', { preconditions: { uid: c.metadata.uid } }).catch(ignoreGone);
    }
    const limit = this.inf.frameworkConfigs.get(ns, FRAMEWORK_CONFIG_NAME)?.recordLimit?.tconfigHistory ?? DEFAULT_TCONFIG_HISTORY;
    const inactive = new Map<string, TConfig[]>();
    for (const c of all) {
      const l = c.metadata.labels ?? {};
      if (l[Label.Activated] !== 'false' || l[Label.Deleting] !== undefined || c.metadata.deletionTimestamp) continue;
      const g = group(c);
      inactive.set(g, [...(inactive.get(g) ?? []), c]);
    }
    for (const versions of inactive.values()) {
      if (versions.length <= limit) continue;
      // Versions are YYYYMMDDhhmmss-<crc> on a 24-hour clock: string order is age order.
      const oldest = versions.sort((a, b) => ((a.version ?? '') < (b.version ?? '') ? -1 : 1)).slice(0, versions.length - limit);
      for (const c of oldest) await this.rt.client.delete(ref, ns, c.metadata.name ?? '', { preconditions: { uid: c.metadata.uid } }).catch(ignoreGone);
    }
    return 'done';
  }
}
