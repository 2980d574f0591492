/**
 * How the monitoring apps run without a ServiceHost (standalone mode, tests, benchmarks): one
 * servant on its own RPC server, and the stat/property shape of aggregator + flusher.
 */
import { createServer, type Logger, type TarsServer } from '@tars-ts/rpc';
import type { WindowFlusher } from './window-flusher.ts';

export interface ServedServant {
  readonly server: TarsServer;
  /** `<name>@tcp -h H -p P` (the actual port when 0 was asked for). */
  readonly proxyString: string;
}

export interface ServeOptions {
  /** Servant name, `tars.tarsstat.StatObj`. */
  name: string;
  endpoint: string;
  logger: Logger;
}

/** Serves `servant` on a new RPC server, started. */
export async function serveServant(servant: object, o: ServeOptions): Promise<ServedServant> {
  const server = createServer({ logger: o.logger });
  server.addServant(servant, o.name, o.endpoint);
  await server.start();
  return { server, proxyString: server.proxyString(o.name) };
}

/** A service as the apps' `create*Service` return it. */
export interface HostlessService {
  readonly servant: object;
  /** Starts timers, if the service has any. */
  start?(): void;
  /** Writes what it holds and waits for the store. */
  stop(): Promise<void>;
}

/**
 * Serves `svc.servant` on its own RPC server, then starts `svc`. The result's `stop()` lets calls
 * in flight finish (server first), then stops the service, so everything accepted is written.
 */
export async function serveService<S extends HostlessService>(svc: S, o: ServeOptions): Promise<S & ServedServant> {
  const served = await serveServant(svc.servant, o);
  svc.start?.();
  return {
    ...svc,
    ...served,
    async stop() {
      await served.server.stop();
      await svc.stop();
    },
  };
}

/** What tarsstat and tarsproperty aggregate with: per-window records and their counters. */
export interface WindowAggregator {
  readonly counters: object;
  readonly openRecords: number;
}

export interface WindowedService<Sv extends object, A extends WindowAggregator, F extends WindowFlusher<any, any>> {
  readonly servant: Sv;
  readonly aggregator: A;
  readonly flusher: F;
  counters(): A['counters'] & F['counters'] & { openRecords: number };
  /** Starts the minute timer. */
  start(): void;
  /** Writes everything held (the open window too) and waits for the store. */
  stop(): Promise<void>;
}

/** The report servant, its aggregator and the flusher writing the aggregator's windows, as one service. */
export function windowedService<Sv extends object, A extends WindowAggregator, F extends WindowFlusher<any, any>>(servant: Sv, aggregator: A, flusher: F): WindowedService<Sv, A, F> {
  return {
    servant,
    aggregator,
    flusher,
    counters: () => ({ ...aggregator.counters, ...flusher.counters, openRecords: aggregator.openRecords }) as A['counters'] & F['counters'] & { openRecords: number },
    start: () => flusher.start(),
    stop: () => flusher.stop(),
  };
}
