/**
 * tarsquerystat without a host: MonitorQuery on a monitor store's stat rows, for main.ts
 * (ServiceHost) and the standalone app.
 */
import { createServer, type Logger, type TarsServer } from '@tars-ts/rpc';
import type { MonitorStore } from '@tars-ts/storage';
import { MonitorQueryImp } from './monitor-query-servant.ts';

/** The K8S edition's object name (tarsquerystat, port 16000). */
export const QUERYSTAT_SERVANT = 'tars.tarsquerystat.QueryObj';
export const QUERYSTAT_DEFAULT_ENDPOINT = 'tcp -h 0.0.0.0 -p 16000 -t 60000';

export interface StatQueryServiceOptions {
  store: Pick<MonitorStore, 'queryStat'>;
  logger: Logger;
}

export function createStatQueryServant(o: StatQueryServiceOptions): MonitorQueryImp {
  return new MonitorQueryImp((q) => o.store.queryStat(q), o.logger);
}

export interface RunningStatQueryService {
  readonly server: TarsServer;
  /** `tars.tarsquerystat.QueryObj@tcp -h H -p P` (the actual port when 0 was asked for). */
  readonly proxyString: string;
  stop(): Promise<void>;
}

/** Serves QueryObj on its own RPC server (standalone mode, tests). */
export async function startStatQueryService(o: StatQueryServiceOptions & { endpoint?: string; servantName?: string }): Promise<RunningStatQueryService> {
  const name = o.servantName ?? QUERYSTAT_SERVANT;
  const server = createServer({ logger: o.logger });
  server.addServant(createStatQueryServant(o), name, o.endpoint ?? QUERYSTAT_DEFAULT_ENDPOINT);
  await server.start();
  return { server, proxyString: server.proxyString(name), stop: () => server.stop() };
}
