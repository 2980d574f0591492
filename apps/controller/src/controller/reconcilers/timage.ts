// TImage: a build that runs longer than imageBuild.maxBuildTime is failed ("task overtime"), and
// the release history is kept to recordLimit.timageRelease entries (newest first; the default
// release is never dropped).
import { FRAMEWORK_CONFIG_NAME, type TImage } from '@tars-ts/api';
import { tarsResource, type WorkResult } from '@tars-ts/cluster';
import { Reconciler } from '../reconciler.ts';
import { key, splitKey } from '../runtime.ts';

export const DEFAULT_MAX_BUILD_SECONDS = 480;
export const DEFAULT_RELEASE_LIMIT = 32;

export class TImageReconciler extends Reconciler {
  readonly name = 'timage';

  subscribe(): void {
    const enqueue = (i: TImage) => this.queue.add(key(i.metadata.namespace, i.metadata.name));
    this.inf.images.subscribe({ onAdd: enqueue, onUpdate: enqueue });
    this.inf.frameworkConfigs.subscribe({
      onUpdate: (f) => {
        for (const i of this.inf.images.list(f.metadata.namespace)) enqueue(i);
      },
    });
  }

  async reconcile(k: string): Promise<WorkResult> {
    const [ns, name] = splitKey(k);
    const img = this.inf.images.get(ns, name);
    if (!img) return 'done';
    const fc = this.inf.frameworkConfigs.get(ns, FRAMEWORK_CONFIG_NAME);
    const next = structuredClone(img);
    let changed = false;
    let requeue: number | undefined;

    const limit = fc?.recordLimit?.timageRelease ?? DEFAULT_RELEASE_LIMIT;
    const releases = next.releases ?? [];
    if (releases.length > limit) {
      const kept = releases.slice(0, limit);
      const def = releases.find((r) => r.id === next.default);
      if (def && !kept.includes(def)) kept[kept.length - 1] = def;
      next.releases = kept;
      changed = true;
    }

    const running = next.build?.running;
    if (next.imageType === 'server' && running) {
      const maxMs = (fc?.imageBuild?.maxBuildTime ?? DEFAULT_MAX_BUILD_SECONDS) * 1000;
      const started = Date.parse(running.createTime ?? '');
      const left = Number.isFinite(started) ? started + maxMs - Date.now() : 0;
      if (left <= 0) {
        next.build = { last: { ...running, phase: 'Failed', message: 'task overtime' } };
        changed = true;
      } else {
        requeue = left + 500;
      }
    }
    if (changed) await this.rt.client.replace(tarsResource('TImage'), ns, next);
    return requeue === undefined ? 'done' : { requeueAfterMs: requeue };
  }
}
