// The registry without its process shell: watches that keep the endpoint index current, the two
// servants, and the start-up report of the registry's own pod. main.ts puts it on a ServiceHost;
// the standalone app and the tests call startRegistry with a ClusterState of their choice.
import { FRAMEWORK_CONFIG_NAME, type TEndpoint, type TFrameworkConfig, type TTemplate } from '@tars-ts/api';
import { reportServerState, waitForSync, type ClusterState, type Watch } from '@tars-ts/cluster';
import type { Logger, TarsServer } from '@tars-ts/rpc';
import { serveServants, syncedOrStopped } from '@tars-ts/service';
import { EndpointIndex, QUERY_OBJ, REGISTRY_OBJ, type EndpointIndexOptions } from './endpoint-index.ts';
import { QueryServant } from './query-servant.ts';
import { RegistryServant } from './registry-servant.ts';

export interface RegistryCoreOptions extends Omit<EndpointIndexOptions, 'self'> {
  /**
   * Answers for the registry's own objects: default `tars-tarsregistry` :17890 / :17891 (the
   * Kubernetes Service); `'bound'` = the endpoints startRegistry listens on (0.0.0.0 → 127.0.0.1).
   */
  self?: EndpointIndexOptions['self'] | 'bound';
  cluster: ClusterState;
  logger: Logger;
  /** How long the initial lists may take (upstream: 30 s, then exit). */
  syncTimeoutMs?: number;
}

/** Watches, index and servants; not serving yet. */
export class RegistryCore {
  readonly index: EndpointIndex;
  readonly query: QueryServant;
  readonly registry: RegistryServant;
  private readonly cluster: ClusterState;
  private readonly logger: Logger;
  private readonly watches: Watch<unknown>[] = [];
  private readonly endpoints: Watch<TEndpoint>;
  private readonly templates: Watch<TTemplate>;

  constructor(options: RegistryCoreOptions) {
    const { cluster, logger } = options;
    this.cluster = cluster;
    this.logger = logger;
    const index = new EndpointIndex({ hostStyle: options.hostStyle, self: options.self === 'bound' ? undefined : options.self });
    this.index = index;
    this.endpoints = cluster.resource('TEndpoint').watch({
      onAdd: (te) => index.setEndpoint(te),
      onUpdate: (te) => index.setEndpoint(te),
      onDelete: (te) => index.deleteEndpoint(te.metadata.name!),
    });
    this.templates = cluster.resource('TTemplate').watch({});
    const framework: Watch<TFrameworkConfig> = cluster.resource('TFrameworkConfig').watch(
      {
        onAdd: (fc) => index.setUpChain(fc.upChain),
        onUpdate: (fc) => index.setUpChain(fc.upChain),
        onDelete: () => index.setUpChain(undefined),
      },
      { fieldSelector: `metadata.name=${FRAMEWORK_CONFIG_NAME}` },
    );
    this.watches.push(this.endpoints, this.templates, framework);
    this.query = new QueryServant(index);
    this.registry = new RegistryServant({
      endpoint: (name) => this.endpoints.get(name),
      template: (name) => this.templates.get(name),
      reportState: (pod, setting, present, pid) => reportServerState(cluster, pod, setting, present, pid),
      logger,
    });
  }

  /** Resolves when every watch delivered its initial list; rejects after `timeoutMs`. */
  async synced(timeoutMs = 30_000): Promise<void> {
    await Promise.all(this.watches.map((w) => waitForSync(w, timeoutMs)));
    this.logger.info(`registry index synced: ${this.index.serverCount} tars servers`);
  }

  /** Marks the registry's own pod active (Active/Active), as upstream does once it serves; 3 tries. */
  async reportSelfActive(podName: string): Promise<void> {
    for (let i = 1; ; i++) {
      try {
        await reportServerState(this.cluster, podName, 'Active', 'Active');
        return;
      } catch (e) {
        if (i >= 3) throw new Error(`cannot set tars.io/active on own pod ${podName}: ${(e as Error).message}`, { cause: e });
        this.logger.warn(`own pod ${podName} condition, attempt ${i}/3: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.watches.map((w) => w.stop()));
  }
}

export interface StartRegistryOptions extends RegistryCoreOptions {
  /** Endpoint of tars.tarsregistry.QueryObj, e.g. `tcp -h 0.0.0.0 -p 17890 -t 10000` (port 0: any). */
  queryEndpoint: string;
  /** Endpoint of tars.tarsregistry.RegistryObj, e.g. `tcp -h 0.0.0.0 -p 17891 -t 30000`. */
  registryEndpoint: string;
  /** Add the servants to this server instead of creating one (it is then started by its owner). */
  server?: TarsServer;
  /** The registry's own pod, marked active once serving (Kubernetes: env PodName). */
  podName?: string;
}

export interface RunningRegistry {
  core: RegistryCore;
  server: TarsServer;
  /** Actual endpoints (ports resolved when 0 was asked for; empty when `server` was passed and not started). */
  queryEndpoint: string;
  registryEndpoint: string;
  stop(): Promise<void>;
}

/** Syncs the watches, then serves QueryObj and RegistryObj. */
export async function startRegistry(options: StartRegistryOptions): Promise<RunningRegistry> {
  const core = new RegistryCore(options);
  await syncedOrStopped(core, options.syncTimeoutMs);
  const served = await serveServants([
    { servant: core.query, name: QUERY_OBJ, endpoint: options.queryEndpoint },
    { servant: core.registry, name: REGISTRY_OBJ, endpoint: options.registryEndpoint },
  ], options);
  const server = served.server;
  if (options.self === 'bound') {
    const at = (name: string) => {
      const ep = server.endpointOf(name);
      return { host: ep.host === '0.0.0.0' || ep.host === '::' ? '127.0.0.1' : ep.host, port: ep.port };
    };
    core.index.setSelf({ query: at(QUERY_OBJ), registry: at(REGISTRY_OBJ) });
  }
  if (options.podName) await core.reportSelfActive(options.podName);
  return {
    core,
    server,
    queryEndpoint: served.endpointOf(QUERY_OBJ),
    registryEndpoint: served.endpointOf(REGISTRY_OBJ),
    async stop() {
      await served.stop();
      await core.stop();
    },
  };
}
