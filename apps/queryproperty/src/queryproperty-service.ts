/**
 * tarsqueryproperty without a host: MonitorQuery on a monitor store's property rows, for main.ts
 * (ServiceHost) and the standalone app.
 */
import { monitorQueryServant, serveServant, type MonitorQueryImp } from '@tars-ts/monitoring';
import type { Logger, TarsServer } from '@tars-ts/rpc';
import type { MonitorStore } from '@tars-ts/storage';

/** The K8S edition's object name (tarsqueryproperty, port 15000). */
export const QUERYPROPERTY_SERVANT = 'tars.tarsqueryproperty.QueryObj';
export const QUERYPROPERTY_DEFAULT_ENDPOINT = 'tcp -h 0.0.0.0 -p 15000 -t 60000';

export interface PropertyQueryServiceOptions {
  store: Pick<MonitorStore, 'queryProperty'>;
  logger: Logger;
}

export function createPropertyQueryServant(o: PropertyQueryServiceOptions): MonitorQueryImp {
  return monitorQueryServant('property', o.store, o.logger);
}

export interface RunningPropertyQueryService {
  readonly server: TarsServer;
  /** `tars.tarsqueryproperty.QueryObj@tcp -h H -p P` (the actual port when 0 was asked for). */
  readonly proxyString: string;
  stop(): Promise<void>;
}

/** Serves QueryObj on its own RPC server (standalone mode, tests). */
export async function startPropertyQueryService(o: PropertyQueryServiceOptions & { endpoint?: string; servantName?: string }): Promise<RunningPropertyQueryService> {
  const { server, proxyString } = await serveServant(createPropertyQueryServant(o), { name: o.servantName ?? QUERYPROPERTY_SERVANT, endpoint: o.endpoint ?? QUERYPROPERTY_DEFAULT_ENDPOINT, logger: o.logger });
  return { server, proxyString, stop: () => server.stop() };
}
