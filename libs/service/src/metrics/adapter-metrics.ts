import type { Adapter, AdapterStats } from '@tars-ts/rpc';
import type { ServiceMetrics } from './metrics.ts';

// Adapter counters exported at scrape time: the RPC layer keeps plain numbers (no prom-client on
// the hot path); the registry reads them when /metrics is asked for.
const COUNTERS: [keyof AdapterStats, string, string][] = [
  ['accepted', 'tars_adapter_connections_accepted_total', 'Connections accepted'],
  ['requests', 'tars_adapter_requests_total', 'Requests received'],
  ['replies', 'tars_adapter_replies_total', 'Replies sent'],
  ['oneway', 'tars_adapter_oneway_total', 'One-way requests received'],
  ['badInput', 'tars_adapter_bad_input_total', 'Connections closed for a bad frame or envelope'],
  ['overloads', 'tars_adapter_overloads_total', 'Requests refused because the queue was full (-9)'],
  ['queueTimeouts', 'tars_adapter_queue_timeouts_total', 'Requests that waited past their deadline (-6)'],
  ['decodeErrors', 'tars_adapter_decode_errors_total', 'Requests whose arguments did not decode (-1)'],
  ['servantErrors', 'tars_adapter_servant_errors_total', 'Requests whose servant threw'],
];

/** Exposes the statistics of the RPC adapters, labelled by the servants each adapter serves. */
export function registerAdapterMetrics(metrics: ServiceMetrics, adapters: () => readonly Adapter[]): void {
  const label = (a: Adapter) => ({ servants: a.servantNames.join(',') });
  // prom-client calls collect() right before serialising the metric.
  metrics.gauge('tars_adapter_connections', 'Open connections', ['servants'], function () {
    this.reset();
    for (const a of adapters()) this.set(label(a), a.stats.connections);
  });
  for (const [key, name, help] of COUNTERS) {
    metrics.counter(name, help, ['servants'], function () {
      this.reset(); // the adapter's numbers only grow, so reset + inc exports the current total
      for (const a of adapters()) this.inc(label(a), a.stats[key]);
    });
  }
}
