/**
 * A readiness check: resolves (or returns) when ready; returning false or a string, or throwing,
 * means not ready (the string or error message says why).
 */
export type ReadinessCheck = () => void | boolean | string | Promise<void | boolean | string>;

export interface CheckResult {
  name: string;
  ok: boolean;
  reason?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: CheckResult[];
}

/**
 * Liveness and readiness of one service. Readiness is the service's own gate (closed until
 * `setReady(true)` after startup, closed again when shutdown begins) plus every registered check.
 */
export class Health {
  private readonly checks = new Map<string, ReadinessCheck>();
  private ready = false;
  private readonly checkTimeoutMs: number;

  constructor(options: { checkTimeoutMs?: number } = {}) {
    this.checkTimeoutMs = options.checkTimeoutMs ?? 2000;
  }

  addReadinessCheck(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.checks.set(name, check);
  }

  removeReadinessCheck(name: string): void {
    this.checks.delete(name);
  }

  setReady(ready: boolean): void {
    this.ready = ready;
  }

  /** Runs every check concurrently, each bounded by the check timeout. */
  async readiness(): Promise<ReadinessReport> {
    const gate: CheckResult = this.ready ? { name: 'started', ok: true } : { name: 'started', ok: false, reason: 'service is starting or stopping' };
    const results = await Promise.all([...this.checks].map(([name, check]) => this.run(name, check)));
    const checks = [gate, ...results];
    return { ready: checks.every((c) => c.ok), checks };
  }

  private async run(name: string, check: ReadinessCheck): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`timed out after ${this.checkTimeoutMs} ms`), this.checkTimeoutMs);
    });
    try {
      const outcome = await Promise.race([Promise.resolve().then(check), timeout]);
      if (outcome === undefined || outcome === true) return { name, ok: true };
      return { name, ok: false, reason: outcome === false ? 'not ready' : outcome };
    } catch (e) {
      return { name, ok: false, reason: e instanceof Error ? e.message : String(e) };
    } finally {
      clearTimeout(timer);
    }
  }
}
