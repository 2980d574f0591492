import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';

export interface MetricsOptions {
  /** Service identity; every metric of this registry carries these as `app` and `server` labels. */
  app: string;
  server: string;
  /** Process metrics (CPU, memory, event loop lag, GC); default true. */
  defaultMetrics?: boolean;
}

/**
 * One prom-client registry per service, so several services in one process (standalone mode) keep
 * their series apart. The helpers return the existing metric when asked twice for the same name,
 * so modules can declare what they use without coordinating.
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  constructor(options: MetricsOptions) {
    this.registry.setDefaultLabels({ app: options.app, server: options.server });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** `collect` runs right before each scrape: for values read from elsewhere (see adapter-metrics.ts). */
  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = [], collect?: (this: Counter<L>) => void): Counter<L> {
    return this.getOrCreate(name, Counter, () => new Counter({ name, help, labelNames, registers: [this.registry], ...(collect ? { collect } : {}) }));
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = [], collect?: (this: Gauge<L>) => void): Gauge<L> {
    return this.getOrCreate(name, Gauge, () => new Gauge({ name, help, labelNames, registers: [this.registry], ...(collect ? { collect } : {}) }));
  }

  /** `buckets` in the unit of the metric (seconds for durations, by Prometheus convention). */
  histogram<L extends string>(name: string, help: string, labelNames: readonly L[] = [], buckets?: number[]): Histogram<L> {
    return this.getOrCreate(name, Histogram, () => new Histogram({ name, help, labelNames, registers: [this.registry], ...(buckets ? { buckets } : {}) }));
  }

  /** The exposition text for `/metrics`. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private getOrCreate<M extends Metric>(name: string, kind: abstract new (...args: never[]) => M, create: () => M): M {
    const existing = this.registry.getSingleMetric(name);
    if (existing === undefined) return create();
    if (!(existing instanceof kind)) throw new Error(`metric ${name} is already registered as a different type`);
    return existing;
  }
}
