// The controller's part that the registry depends on, for standalone mode: every TServer gets its
// TEndpoint (spec = the controller's translation, with ports moved by the port base, because that
// is where the servants really listen), TEndpoint status follows the server's pods (the
// controller's `endpointPods`), and a pod's Ready follows its readiness gate. One queue, one key
// at a time, so writes never race.
import { Label, type TEndpoint, type TServer } from '@tars-ts/api';
import { endpointPods, translate } from '@tars-ts/app-controller';
import { isNotFound, retryOnConflict, waitForSync, type ClusterState, type Pod, type Watch } from '@tars-ts/cluster';
import type { Logger } from '@tars-ts/rpc';
import { readinessChanges } from './local-pods.ts';
import type { PortMap } from './ports.ts';

const API_VERSION = 'k8s.tars.io/v1beta3';

/**
 * The TEndpoint spec for a TServer: the controller's (reference §4.2), with the servant and port
 * numbers moved by the port base — on purpose, unlike the controller: every process shares one
 * host here, so the ports the registry hands out are the ones actually listened on.
 */
export function endpointSpec(ts: TServer, ports: PortMap): TEndpoint['spec'] {
  const out = translate(ts, undefined).endpoint.spec;
  const name = ts.metadata.name ?? `${ts.spec.app}-${ts.spec.server}`;
  for (const s of out.tars?.servants ?? []) s.port = ports.map(s.port, `TServer ${name} servant ${s.name}`);
  for (const p of out.tars?.ports ?? []) p.port = ports.map(p.port, `TServer ${name} port ${p.name}`);
  for (const p of out.normal?.ports ?? []) p.port = ports.map(p.port, `TServer ${name} port ${p.name}`);
  return out;
}

/** JSON with sorted keys: equal values give equal text whatever order fields were written in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

export class EndpointSync {
  private readonly cluster: ClusterState;
  private readonly ports: PortMap;
  private readonly logger: Logger;
  private readonly tservers: Watch<TServer>;
  private readonly pods: Watch<Pod>;
  private readonly pending = new Set<string>();
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(cluster: ClusterState, ports: PortMap, logger: Logger) {
    this.cluster = cluster;
    this.ports = ports;
    this.logger = logger;
    const byServer = (ts: TServer) => this.enqueue(`tserver/${ts.metadata.name}`);
    this.tservers = cluster.resource('TServer').watch({ onAdd: byServer, onUpdate: byServer, onDelete: byServer });
    const byPod = (p: Pod) => {
      this.enqueue(`pod/${p.metadata.name}`);
      const app = p.metadata.labels?.[Label.ServerApp];
      const server = p.metadata.labels?.[Label.ServerName];
      if (app && server) this.enqueue(`tserver/${app.toLowerCase()}-${server.toLowerCase()}`);
    };
    this.pods = cluster.pods.watch({ onAdd: byPod, onUpdate: byPod, onDelete: byPod });
  }

  /** Resolves when both watches are synced and every TServer has its TEndpoint. */
  async synced(timeoutMs = 30_000): Promise<void> {
    await Promise.all([waitForSync(this.tservers, timeoutMs), waitForSync(this.pods, timeoutMs)]);
    await this.idle();
  }

  /** Resolves when the queue is empty. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await this.chain;
    await this.chain;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([this.tservers.stop(), this.pods.stop()]);
    await this.chain;
  }

  private enqueue(key: string): void {
    if (this.stopped || this.pending.has(key)) return;
    this.pending.add(key);
    this.chain = this.chain.then(async () => {
      this.pending.delete(key);
      if (this.stopped) return;
      try {
        const [kind, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
        if (kind === 'pod') await this.syncPod(name);
        else await this.syncEndpoint(name);
      } catch (e) {
        this.logger.error(`standalone: cannot sync ${key}: ${(e as Error).message}`);
      }
    });
  }

  private async syncPod(name: string): Promise<void> {
    const pod = this.pods.get(name);
    if (!pod) return;
    for (const c of readinessChanges(pod)) {
      await this.cluster.patchPodCondition(name, c.type, c.status, c.status === 'True' ? 'ReadinessGatesTrue' : 'ReadinessGatesNotReady');
    }
  }

  private async syncEndpoint(name: string): Promise<void> {
    const api = this.cluster.resource('TEndpoint');
    const ts = this.tservers.get(name);
    if (!ts) {
      await api.delete(name).catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
      return;
    }
    const spec = endpointSpec(ts, this.ports);
    await retryOnConflict(async () => {
      let te = await api.get(name).catch((e: unknown) => {
        if (isNotFound(e)) return undefined;
        throw e;
      });
      if (!te) {
        const owner = { apiVersion: API_VERSION, kind: 'TServer', name, uid: ts.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
        const labels = { [Label.ServerApp]: ts.spec.app, [Label.ServerName]: ts.spec.server };
        te = await api.create({ apiVersion: API_VERSION, kind: 'TEndpoint', metadata: { name, labels, ownerReferences: [owner] }, spec });
      } else if (canonical(te.spec) !== canonical(spec)) {
        te = await api.update({ ...te, spec });
      }
      const selector = `${Label.ServerApp}=${ts.spec.app},${Label.ServerName}=${ts.spec.server}`;
      const pods = endpointPods(this.pods.list(selector));
      if (canonical(te.status?.pods ?? []) !== canonical(pods)) await api.updateStatus({ ...te, status: { pods } });
    });
  }
}
