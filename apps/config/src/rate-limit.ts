// The native tarsconfig load limit (ConfigImp::IsLimited): per (app, server, caller, file) the
// first call opens a window of `intervalMs`; `limit` more calls pass in it, later ones are
// answered 429 until the window ends. The Kubernetes edition dropped it; a config storm from a
// crash-looping fleet is what it protects the API server cache and the network against.

export const RATE_LIMITED = 429;

export interface RateLimitOptions {
  /** Calls allowed after the first in one window (native `/tars<limitinterval>`, default 10); 0 disables. */
  limit?: number;
  /** Window length, ms (native `/tars<interval>` minutes, default 1 minute). */
  intervalMs?: number;
  now?: () => number;
}

interface Window {
  start: number;
  count: number;
}

/** Keys are dropped once their window is over, so memory follows the callers of the last window. */
export class LoadLimiter {
  private readonly limit: number;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly windows = new Map<string, Window>();
  private nextSweep: number;

  constructor(options: RateLimitOptions = {}) {
    this.limit = options.limit ?? 10;
    this.intervalMs = options.intervalMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.nextSweep = this.now() + this.intervalMs;
  }

  /** True when this call may proceed. */
  allow(app: string, server: string, caller: string, file: string): boolean {
    if (this.limit <= 0) return true;
    const now = this.now();
    if (now >= this.nextSweep) this.sweep(now);
    const key = `${app}\u0000${server}\u0000${caller}\u0000${file}`;
    const w = this.windows.get(key);
    if (w === undefined || now - w.start > this.intervalMs) {
      this.windows.set(key, { start: now, count: 0 });
      return true;
    }
    if (w.count < this.limit) {
      w.count++;
      return true;
    }
    return false;
  }

  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start > this.intervalMs) this.windows.delete(key);
    this.nextSweep = now + this.intervalMs;
  }
}
