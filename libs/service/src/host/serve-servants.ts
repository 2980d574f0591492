// How a framework service puts its servants on the wire: on a server its caller owns (the
// standalone app runs several services on one), or on a server of its own, started here and
// stopped by stop(). And the step before: a core that cannot sync its watches is stopped.
import { createServer, formatEndpoint, type Logger, type TarsServer } from '@tars-ts/rpc';

export interface ServantPlacement {
  servant: object;
  /** Servant (object) name, e.g. `tars.tarsconfig.ConfigObj`. */
  name: string;
  /** `tcp -h H -p P -t T` (port 0: any free port). */
  endpoint: string;
}

export interface ServedServants {
  server: TarsServer;
  /** The endpoint a servant listens on, ports resolved; '' on a server the caller owns. */
  endpointOf(name: string): string;
  /** Stops the server if it was started here; a caller's server is the caller's to stop. */
  stop(): Promise<void>;
}

export async function serveServants(servants: readonly ServantPlacement[], options: { server?: TarsServer; logger?: Logger }): Promise<ServedServants> {
  const own = options.server === undefined;
  const server = options.server ?? createServer({ logger: options.logger });
  for (const s of servants) server.addServant(s.servant, s.name, s.endpoint);
  if (own) await server.start();
  return {
    server,
    endpointOf: (name) => (own ? formatEndpoint(server.endpointOf(name)) : ''),
    stop: async () => {
      if (own) await server.stop();
    },
  };
}

/** Waits for `core` to sync its watches; stops it when that fails, so nothing is left running. */
export async function syncedOrStopped(core: { synced(timeoutMs?: number): Promise<void>; stop(): Promise<void> }, timeoutMs?: number): Promise<void> {
  try {
    await core.synced(timeoutMs);
  } catch (e) {
    await core.stop();
    throw e;
  }
}
