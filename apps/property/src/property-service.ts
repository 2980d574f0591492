/**
 * The property service without a host: aggregator, servant and flusher, for main.ts
 * (ServiceHost) and the standalone app.
 */
import { createServer, type Logger, type TarsServer } from '@tars-ts/rpc';
import type { MonitorStore } from '@tars-ts/storage';
import { PropertyAggregator, type PropertyCounters } from './property-aggregator.ts';
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

export interface PropertyService {
  readonly servant: PropertyServant;
  readonly aggregator: PropertyAggregator;
  readonly flusher: PropertyFlusher;
  counters(): PropertyCounters & PropertyFlusher['counters'] & { openRecords: number };
  start(): void;
  stop(): Promise<void>;
}

export function createPropertyService(o: PropertyServiceOptions): PropertyService {
  const clock = o.clock ?? Date.now;
  const aggregator = new PropertyAggregator({ maxRecords: o.maxRecords });
  const servant = new PropertyServant(aggregator, o.logger, clock);
  const flusher = new PropertyFlusher({ aggregator, store: o.store, logger: o.logger, clock, utcOffsetMinutes: o.utcOffsetMinutes, graceMs: o.graceMs });
  return {
    servant,
    aggregator,
    flusher,
    counters: () => ({ ...aggregator.counters, ...flusher.counters, openRecords: aggregator.openRecords }),
    start: () => flusher.start(),
    stop: () => flusher.stop(),
  };
}

export interface RunningPropertyService extends PropertyService {
  readonly server: TarsServer;
  readonly proxyString: string;
}

/** Serves PropertyObj on its own RPC server (standalone mode, tests). */
export async function startPropertyService(o: PropertyServiceOptions & { endpoint?: string; servantName?: string }): Promise<RunningPropertyService> {
  const svc = createPropertyService(o);
  const name = o.servantName ?? PROPERTY_SERVANT;
  const server = createServer({ logger: o.logger });
  server.addServant(svc.servant, name, o.endpoint ?? PROPERTY_DEFAULT_ENDPOINT);
  await server.start();
  svc.start();
  return {
    ...svc,
    server,
    proxyString: server.proxyString(name),
    async stop() {
      await server.stop();
      await svc.stop();
    },
  };
}
