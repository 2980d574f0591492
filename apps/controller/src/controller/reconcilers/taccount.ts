// TAccount tokens expire: drop the expired ones, and look again when the next one expires.
import type { TAccount } from '@tars-ts/api';
import { tarsResource, type WorkResult } from '@tars-ts/cluster';
import { Reconciler } from '../reconciler.ts';
import { key, splitKey } from '../runtime.ts';

export class TAccountReconciler extends Reconciler {
  readonly name = 'taccount';
  private readonly now: () => number;

  constructor(...args: [...ConstructorParameters<typeof Reconciler>, (() => number)?]) {
    super(args[0], args[1], args[2]);
    this.now = args[3] ?? Date.now;
  }

  subscribe(): void {
    const enqueue = (a: TAccount) => this.queue.add(key(a.metadata.namespace, a.metadata.name));
    this.inf.accounts.subscribe({ onAdd: enqueue, onUpdate: enqueue });
  }

  async reconcile(k: string): Promise<WorkResult> {
    const [ns, name] = splitKey(k);
    const acc = this.inf.accounts.get(ns, name);
    const tokens = acc?.spec.authentication.tokens;
    if (!acc || !tokens?.length) return 'done';
    const now = this.now();
    const expiry = (t: { expirationTime?: string }) => Date.parse(t.expirationTime ?? '');
    const keep = tokens.filter((t) => !(expiry(t) <= now));
    if (keep.length !== tokens.length) {
      const next = structuredClone(acc);
      next.spec.authentication.tokens = keep;
      await this.rt.client.replace(tarsResource('TAccount'), ns, next);
    }
    const soonest = Math.min(...keep.map(expiry).filter((t) => Number.isFinite(t)));
    return Number.isFinite(soonest) ? { requeueAfterMs: Math.max(1_000, soonest - now + 500) } : 'done';
  }
}
