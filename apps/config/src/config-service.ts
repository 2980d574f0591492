// tarsconfig without its process shell: the TConfig and pod watches feeding the index, and the
// servant. main.ts puts it on a ServiceHost; the standalone app and tests call startConfigService.
import type { TConfig } from '@tars-ts/api';
import { waitForSync, type ClusterState, type Pod, type Watch } from '@tars-ts/cluster';
import type { Logger, TarsServer } from '@tars-ts/rpc';
import { serveServants, syncedOrStopped } from '@tars-ts/service';
import { ConfigIndex } from './config-index.ts';
import { ConfigServant } from './config-servant.ts';
import { PodDirectory } from './pod-seq.ts';
import { LoadLimiter, type RateLimitOptions } from './rate-limit.ts';

export const CONFIG_OBJ = 'tars.tarsconfig.ConfigObj';

export interface ConfigCoreOptions {
  cluster: ClusterState;
  logger: Logger;
  rateLimit?: RateLimitOptions;
}

export class ConfigCore {
  readonly index = new ConfigIndex();
  readonly pods = new PodDirectory();
  readonly servant: ConfigServant;
  private readonly watches: Watch<unknown>[];
  private readonly logger: Logger;

  constructor(options: ConfigCoreOptions) {
    const { cluster, logger } = options;
    this.logger = logger;
    const index = this.index;
    const pods = this.pods;
    const configs: Watch<TConfig> = cluster.resource('TConfig').watch({
      onAdd: (tc) => index.put(tc),
      onUpdate: (tc) => index.put(tc),
      onDelete: (tc) => index.remove(tc.metadata.name!),
    });
    const podWatch: Watch<Pod> = cluster.pods.watch({
      onAdd: (p) => pods.set(p.metadata.name!, p.status?.podIP),
      onUpdate: (p) => pods.set(p.metadata.name!, p.status?.podIP),
      onDelete: (p) => pods.delete(p.metadata.name!),
    });
    this.watches = [configs, podWatch];
    this.servant = new ConfigServant({ index, pods, limiter: new LoadLimiter(options.rateLimit), logger });
  }

  async synced(timeoutMs = 30_000): Promise<void> {
    await Promise.all(this.watches.map((w) => waitForSync(w, timeoutMs)));
    this.logger.info(`config index synced: ${this.index.size} TConfig objects`);
  }

  async stop(): Promise<void> {
    await Promise.all(this.watches.map((w) => w.stop()));
  }
}

export interface StartConfigOptions extends ConfigCoreOptions {
  /** Endpoint of tars.tarsconfig.ConfigObj, e.g. `tcp -h 0.0.0.0 -p 11111 -t 60000` (port 0: any). */
  endpoint: string;
  /** Add the servant to this server instead of creating one (its owner starts it). */
  server?: TarsServer;
  syncTimeoutMs?: number;
}

export interface RunningConfigService {
  core: ConfigCore;
  server: TarsServer;
  /** Actual endpoint (empty when `server` was passed). */
  endpoint: string;
  stop(): Promise<void>;
}

export async function startConfigService(options: StartConfigOptions): Promise<RunningConfigService> {
  const core = new ConfigCore(options);
  await syncedOrStopped(core, options.syncTimeoutMs);
  const served = await serveServants([{ servant: core.servant, name: CONFIG_OBJ, endpoint: options.endpoint }], options);
  return {
    core,
    server: served.server,
    endpoint: served.endpointOf(CONFIG_OBJ),
    async stop() {
      await served.stop();
      await core.stop();
    },
  };
}
