/**
 * The stat service without a host: aggregator, servant and flusher, for main.ts (ServiceHost)
 * and for the standalone app, which runs every service in one process.
 */
import { createServer, type Logger, type TarsServer } from '@tars-ts/rpc';
import type { MonitorStore } from '@tars-ts/storage';
import { StatAggregator, type StatCounters } from './stat-aggregator.ts';
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

export interface StatService {
  readonly servant: StatServant;
  readonly aggregator: StatAggregator;
  readonly flusher: StatFlusher;
  counters(): StatCounters & StatFlusher['counters'] & { openRecords: number };
  /** Starts the minute timer. */
  start(): void;
  /** Writes everything held (the open window too) and waits for the store. */
  stop(): Promise<void>;
}

export function createStatService(o: StatServiceOptions): StatService {
  const clock = o.clock ?? Date.now;
  const aggregator = new StatAggregator({ maxRecords: o.maxRecords });
  const servant = new StatServant(aggregator, o.logger, clock);
  const flusher = new StatFlusher({ aggregator, store: o.store, sourceId: o.sourceId, logger: o.logger, clock, utcOffsetMinutes: o.utcOffsetMinutes, graceMs: o.graceMs });
  return {
    servant,
    aggregator,
    flusher,
    counters: () => ({ ...aggregator.counters, ...flusher.counters, openRecords: aggregator.openRecords }),
    start: () => flusher.start(),
    stop: () => flusher.stop(),
  };
}

export interface RunningStatService extends StatService {
  readonly server: TarsServer;
  /** `tars.tarsstat.StatObj@tcp -h H -p P` (the actual port when 0 was asked for). */
  readonly proxyString: string;
}

/** Serves StatObj on its own RPC server (standalone mode, tests, benchmarks). */
export async function startStatService(o: StatServiceOptions & { endpoint?: string; servantName?: string }): Promise<RunningStatService> {
  const svc = createStatService(o);
  const name = o.servantName ?? STAT_SERVANT;
  const server = createServer({ logger: o.logger });
  server.addServant(svc.servant, name, o.endpoint ?? STAT_DEFAULT_ENDPOINT);
  await server.start();
  svc.start();
  return {
    ...svc,
    server,
    proxyString: server.proxyString(name),
    async stop() {
      // Calls in flight finish first, then everything held is written.
      await server.stop();
      await svc.stop();
    },
  };
}
