/**
 * The property service without a host: aggregator, servant and flusher, for main.ts
 * (ServiceHost) and the standalone app.
 */
import { serveService, windowedService, type ServedServant, type WindowedService } from '@tars-ts/monitoring';
import type { Logger } from '@tars-ts/rpc';
import type { MonitorStore } from '@tars-ts/storage';
import { PropertyAggregator } from './property-aggregator.ts';
import { PropertyFlusher } from './property-flusher.ts';
import { PropertyServant } from './property-servant.ts';

/** The K8S edition's object name (tarsproperty, port 14000). */
export const PROPERTY_SERVANT = 'tars.tarsproperty.PropertyObj';
export const PROPERTY_DEFAULT_ENDPOINT = 'tcp -h 0.0.0.0 -p 14000 -t 60000';

export interface PropertyServiceOptions {
  store: Pick<MonitorStore, 'writeProperty' | 'flush'>;
  logger: Logger;
  /** Records per 1-minute window before new heads are dropped (default 1,000,000). */
  maxRecords?: number;
  utcOffsetMinutes?: number;
  clock?: () => number;
  graceMs?: number;
}

/** servant, aggregator, flusher; `counters()`, `start()` (the minute timer), `stop()` (writes everything held). */
export type PropertyService = WindowedService<PropertyServant, PropertyAggregator, PropertyFlusher>;

export function createPropertyService(o: PropertyServiceOptions): PropertyService {
  const clock = o.clock ?? Date.now;
  const aggregator = new PropertyAggregator({ maxRecords: o.maxRecords });
  const servant = new PropertyServant(aggregator, o.logger, clock);
  const flusher = new PropertyFlusher({ aggregator, store: o.store, logger: o.logger, clock, utcOffsetMinutes: o.utcOffsetMinutes, graceMs: o.graceMs });
  return windowedService(servant, aggregator, flusher);
}

export interface RunningPropertyService extends PropertyService, ServedServant {}

/** Serves PropertyObj on its own RPC server (standalone mode, tests). */
export async function startPropertyService(o: PropertyServiceOptions & { endpoint?: string; servantName?: string }): Promise<RunningPropertyService> {
  return serveService(createPropertyService(o), { name: o.servantName ?? PROPERTY_SERVANT, endpoint: o.endpoint ?? PROPERTY_DEFAULT_ENDPOINT, logger: o.logger });
}
