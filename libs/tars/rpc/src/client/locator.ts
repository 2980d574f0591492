// Resolves bare object names through the registry (tars.tarsregistry.QueryObj): QueryF
// findObjectByIdInSameGroup, or findObjectByIdInSameSet when a set is configured. Refresh every
// refreshInterval; an empty answer keeps the old list and retries sooner; an error sooner still.
import type { Endpoint } from '../endpoint.ts';
import type { Logger } from '../logger.ts';
import type { ObjectProxy } from './object-proxy.ts';
import { QueryFDescriptor, type EndpointF, type LookupResult } from './query-codecs.ts';

export interface LocatorSettings {
  /** Normal refresh period (ms, default 60000). */
  refreshInterval: number;
  /** Retry after an empty answer (ms, default 10000). */
  emptyRetryInterval: number;
  /** Retry after a failed lookup (ms, default 2000). */
  errorRetryInterval: number;
  /** Timeout of one lookup call (ms, default 3000). */
  lookupTimeout: number;
  /** `name.area.group`: use findObjectByIdInSameSet. */
  setId?: string;
  /** Sent as context node_name (the registry groups callers by it). */
  nodeName?: string;
  logger: Logger;
}

/** Converts the registry's active endpoints; UDP endpoints are skipped (TCP only here). */
export function toEndpoints(list: EndpointF[]): Endpoint[] {
  const out: Endpoint[] = [];
  for (const e of list) {
    if (e.istcp === 0) continue;
    out.push({ protocol: 'tcp', host: e.host, port: e.port, timeout: e.timeout });
  }
  return out;
}

export class Locator {
  private readonly query: ObjectProxy;
  private readonly settings: LocatorSettings;
  private readonly timers = new Map<ObjectProxy, NodeJS.Timeout>();
  private closed = false;
  /** Lookups made (for tests and diagnostics). */
  lookups = 0;

  constructor(query: ObjectProxy, settings: LocatorSettings) {
    this.query = query;
    this.settings = settings;
  }

  /** Starts resolving `proxy.objectName` now and keeps refreshing it. */
  watch(proxy: ObjectProxy): void {
    void this.refresh(proxy);
  }

  private async refresh(proxy: ObjectProxy): Promise<void> {
    if (this.closed) return;
    const s = this.settings;
    const options = { timeout: s.lookupTimeout, context: s.nodeName ? { node_name: s.nodeName } : undefined };
    let next: number;
    this.lookups++;
    try {
      const r = (s.setId
        ? await this.query.invoke(QueryFDescriptor.methods.findObjectByIdInSameSet, [proxy.objectName, s.setId], options)
        : await this.query.invoke(QueryFDescriptor.methods.findObjectByIdInSameGroup, [proxy.objectName], options)) as LookupResult;
      const eps = r.ret === 0 ? toEndpoints(r.activeEp) : [];
      if (eps.length > 0) {
        proxy.setEndpoints(eps);
        next = s.refreshInterval;
      } else {
        s.logger.warn(`locator: no active endpoint for ${proxy.objectName} (ret ${r.ret}), keeping ${proxy.endpoints.length}, retry in ${s.emptyRetryInterval} ms`);
        next = s.emptyRetryInterval;
      }
    } catch (e) {
      s.logger.warn(`locator: lookup of ${proxy.objectName} failed: ${(e as Error).message}; retry in ${s.errorRetryInterval} ms`);
      next = s.errorRetryInterval;
    }
    if (this.closed) return;
    const t = setTimeout(() => void this.refresh(proxy), next);
    t.unref();
    this.timers.set(proxy, t);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
