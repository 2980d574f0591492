/**
 * tarsquerystat without a host: MonitorQuery on a monitor store's stat rows, for main.ts
 * (ServiceHost) and the standalone app.
 */
import { monitorQueryServant, serveServant, type MonitorQueryImp } from '@tars-ts/monitoring';
import type { Logger, TarsServer } from '@tars-ts/rpc';
import type { MonitorStore } from '@tars-ts/storage';

/** The K8S edition's object name (tarsquerystat, port 16000). */
export const QUERYSTAT_SERVANT = 'tars.tarsquerystat.QueryObj';
export const QUERYSTAT_DEFAULT_ENDPOINT = 'tcp -h 0.0.0.0 -p 16000 -t 60000';

export interface StatQueryServiceOptions {
  store: Pick<MonitorStore, 'queryStat'>;
  logger: Logger;
}

export function createStatQueryServant(o: StatQueryServiceOptions): MonitorQueryImp {
  return monitorQueryServant('stat', o.store, o.logger);
}

export interface RunningStatQueryService {
  readonly server: TarsServer;
  /** `tars.tarsquerystat.QueryObj@tcp -h H -p P` (the actual port when 0 was asked for). */
  readonly proxyString: string;
  stop(): Promise<void>;
}

/** Serves QueryObj on its own RPC server (standalone mode, tests). */
export async function startStatQueryService(o: StatQueryServiceOptions & { endpoint?: string; servantName?: string }): Promise<RunningStatQueryService> {
  const { server, proxyString } = await serveServant(createStatQueryServant(o), { name: o.servantName ?? QUERYSTAT_SERVANT, endpoint: o.endpoint ?? QUERYSTAT_DEFAULT_ENDPOINT, logger: o.logger });
  return { server, proxyString, stop: () => server.stop() };
}
