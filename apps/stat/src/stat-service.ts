/**
 * The stat service without a host: aggregator, servant and flusher, for main.ts (ServiceHost)
 * and for the standalone app, which runs every service in one process.
 */
import { serveService, windowedService, type ServedServant, type WindowedService } from '@tars-ts/monitoring';
import type { Logger } from '@tars-ts/rpc';
import type { MonitorStore } from '@tars-ts/storage';
import { StatAggregator } from './stat-aggregator.ts';
import { StatFlusher } from './stat-flusher.ts';
import { StatServant } from './stat-servant.ts';

/** The K8S edition's object name (tarsstat, port 17000). */
export const STAT_SERVANT = 'tars.tarsstat.StatObj';
export const STAT_DEFAULT_ENDPOINT = 'tcp -h 0.0.0.0 -p 17000 -t 60000';

export interface StatServiceOptions {
  store: Pick<MonitorStore, 'writeStat' | 'flush'>;
  logger: Logger;
  /** `source_id` of the rows: this server's IP. */
  sourceId: string;
  /** Records per 1-minute window before new heads are dropped (default 1,000,000). */
  maxRecords?: number;
  utcOffsetMinutes?: number;
  clock?: () => number;
  graceMs?: number;
}

/** servant, aggregator, flusher; `counters()`, `start()` (the minute timer), `stop()` (writes everything held). */
export type StatService = WindowedService<StatServant, StatAggregator, StatFlusher>;

export function createStatService(o: StatServiceOptions): StatService {
  const clock = o.clock ?? Date.now;
  const aggregator = new StatAggregator({ maxRecords: o.maxRecords });
  const servant = new StatServant(aggregator, o.logger, clock);
  const flusher = new StatFlusher({ aggregator, store: o.store, sourceId: o.sourceId, logger: o.logger, clock, utcOffsetMinutes: o.utcOffsetMinutes, graceMs: o.graceMs });
  return windowedService(servant, aggregator, flusher);
}

/** `proxyString` is `tars.tarsstat.StatObj@tcp -h H -p P` (the actual port when 0 was asked for). */
export interface RunningStatService extends StatService, ServedServant {}

/** Serves StatObj on its own RPC server (standalone mode, tests, benchmarks). */
export async function startStatService(o: StatServiceOptions & { endpoint?: string; servantName?: string }): Promise<RunningStatService> {
  return serveService(createStatService(o), { name: o.servantName ?? STAT_SERVANT, endpoint: o.endpoint ?? STAT_DEFAULT_ENDPOINT, logger: o.logger });
}
