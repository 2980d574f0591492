// Picks an endpoint for a call: round robin over healthy endpoints, or by hash code. Failing
// endpoints are ejected for a cool-down; when every endpoint is ejected all are tried again.

/** Per-endpoint health as the balancer sees it. */
export interface Health {
  /** performance.now() until which the endpoint is skipped (0 = healthy). */
  ejectedUntil: number;
}

export class Balancer<T extends Health> {
  private items: T[] = [];
  private next = 0;
  /** Healthy subset, rebuilt lazily when health or membership changes. */
  private healthy: T[] = [];
  private healthyStale = true;
  private earliestReturn = Infinity;
  private version = -1;

  /** Replaces the endpoint set (keeps the order given: hash selection depends on it). */
  set(items: T[]): void {
    this.items = items;
    this.healthyStale = true;
  }

  get all(): readonly T[] {
    return this.items;
  }

  private refresh(now: number, version: number): T[] {
    if (!this.healthyStale && version === this.version && now < this.earliestReturn) return this.healthy;
    this.version = version;
    const healthy: T[] = [];
    let earliest = Infinity;
    for (const it of this.items) {
      if (it.ejectedUntil <= now) healthy.push(it);
      else if (it.ejectedUntil < earliest) earliest = it.ejectedUntil;
    }
    this.healthy = healthy.length > 0 ? healthy : this.items;
    this.earliestReturn = earliest;
    this.healthyStale = false;
    return this.healthy;
  }

  /**
   * Next endpoint, or undefined when there is none at all. `version` is a counter the owner bumps
   * whenever some endpoint's health changed (so the healthy subset is rebuilt only then).
   */
  pick(now: number, version: number, hashCode?: number): T | undefined {
    const list = this.refresh(now, version);
    const n = list.length;
    if (n === 0) return undefined;
    if (hashCode !== undefined && Number.isFinite(hashCode)) {
      // Hash over the full list first so a key keeps its endpoint while that endpoint is healthy.
      const all = this.items;
      const h = Math.abs(Math.trunc(hashCode));
      const preferred = all[h % all.length];
      if (preferred.ejectedUntil <= now || list === all) return preferred;
      return list[h % n];
    }
    if (this.next >= n) this.next = 0;
    return list[this.next++];
  }
}
