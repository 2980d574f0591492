/**
 * The per-server notify limit of the K8S edition: `/tars/server<notify_limit>` = "interval:count"
 * (seconds, messages), default "300:300". A window opens with a server's first message; inside
 * it at most `count` messages pass; once `interval` seconds have gone by the next message opens
 * a new window. Excess is dropped, so one looping server cannot flood the store.
 */

export interface NotifyLimit {
  intervalMs: number;
  count: number;
}

export const DEFAULT_NOTIFY_LIMIT: NotifyLimit = { intervalMs: 300_000, count: 300 };
/** What upstream falls back to when the setting does not parse. */
export const MALFORMED_NOTIFY_LIMIT: NotifyLimit = { intervalMs: 300_000, count: 10 };

/**
 * Parses "interval:count" (upstream also splits on "," and "|"); `undefined`/empty gives the
 * default, anything malformed upstream's fallback; a count below 1 means 1, as upstream.
 */
export function parseNotifyLimit(text: string | undefined): { limit: NotifyLimit; malformed: boolean } {
  if (text === undefined || text.trim() === '') return { limit: DEFAULT_NOTIFY_LIMIT, malformed: false };
  const m = /^\s*(\d{1,9})\s*[:,|]\s*(\d{1,9})\s*$/.exec(text);
  if (!m || Number(m[1]) === 0) return { limit: MALFORMED_NOTIFY_LIMIT, malformed: true };
  return { limit: { intervalMs: Number(m[1]) * 1000, count: Math.max(1, Number(m[2])) }, malformed: false };
}

interface Window {
  start: number;
  passed: number;
}

/** Windows of servers silent for longer than this many intervals are forgotten. */
const SWEEP_EVERY = 4096;

export class NotifyRateLimiter {
  readonly #limit: NotifyLimit;
  readonly #windows = new Map<string, Window>();
  #sinceSweep = 0;

  constructor(limit: NotifyLimit = DEFAULT_NOTIFY_LIMIT) {
    this.#limit = limit;
  }

  get limit(): NotifyLimit {
    return this.#limit;
  }

  /** Whether a message of `key` (`app.server`) at `nowMs` may pass; counts it when it does. */
  allow(key: string, nowMs: number): boolean {
    if (++this.#sinceSweep >= SWEEP_EVERY) this.#sweep(nowMs);
    let w = this.#windows.get(key);
    if (!w || nowMs - w.start >= this.#limit.intervalMs || nowMs < w.start) {
      w = { start: nowMs, passed: 0 };
      this.#windows.set(key, w);
    }
    if (w.passed >= this.#limit.count) return false;
    w.passed++;
    return true;
  }

  /** Servers with an open window (bounded by the sweep). */
  get tracked(): number {
    return this.#windows.size;
  }

  // Keeps the map from growing with every server name ever seen.
  #sweep(nowMs: number): void {
    this.#sinceSweep = 0;
    for (const [key, w] of this.#windows) {
      if (nowMs - w.start >= this.#limit.intervalMs) this.#windows.delete(key);
    }
  }
}
