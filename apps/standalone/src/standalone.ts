// The composition: one embedded ClusterState, one DuckDB store, every framework service, the
// servers under node agents, and one stop sequence. main.ts adds flags, the console and signals.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TServer } from '@tars-ts/api';
import { EmbeddedClusterState, type ManifestReport } from '@tars-ts/cluster';
import { QueryF } from '@tars-ts/interfaces';
import { Communicator, type Logger } from '@tars-ts/rpc';
import { runStopHooks, type StopOutcome } from '@tars-ts/service';
import { openDuckDbStore } from '@tars-ts/storage';
import { standaloneAdmission } from './admission.ts';
import { EndpointSync } from './endpoint-sync.ts';
import { localPod } from './local-pods.ts';
import { prefixed, storeLogger } from './logger.ts';
import { checkPortsFree, PortMap, type PlannedPort } from './ports.ts';
import { isLocalServer, startLocalServer, type LocalServer } from './servers.ts';
import { plannedPorts, SERVICES, startService, type RunningService } from './services.ts';

export const NAMESPACE = 'tars';
export const FRAMEWORK_APP = 'tars';

export interface StandaloneOptions {
  dataDir: string;
  manifestsDir?: string;
  /** See ports.ts; default 10000 (the Kubernetes edition's ports). */
  portBase?: number;
  /** Address every servant listens on and pods report as their IP; default 127.0.0.1. */
  host?: string;
  logger: Logger;
  /** Where relative paths in TServer commands resolve; default the folder holding `manifestsDir`. */
  workDir?: string;
  /** Run the TServers that have a command under node agents (default true). */
  servers?: boolean;
  /** How long to wait for those servers to be resolvable as active (default 30 s; they keep starting after). */
  serverReadyTimeoutMs?: number;
}

export interface Standalone {
  readonly cluster: EmbeddedClusterState;
  readonly manifestReport: ManifestReport;
  /** `tars.tarsregistry.QueryObj@tcp -h H -p P`: all a client needs. */
  readonly locator: string;
  readonly services: RunningService[];
  readonly servers: LocalServer[];
  /** Servers that did not become active within the wait. */
  readonly notReady: string[];
  stop(): Promise<StopOutcome>;
}

interface Part {
  name: string;
  hook: () => Promise<void>;
}

/** Starts everything; on failure stops what already runs and rethrows. */
export async function startStandalone(o: StandaloneOptions): Promise<Standalone> {
  const parts: Part[] = [];
  const stop = () => runStopHooks([...parts].reverse(), 20_000, o.logger);
  try {
    return await compose(o, parts, stop);
  } catch (e) {
    await stop();
    throw e;
  }
}

async function compose(o: StandaloneOptions, parts: Part[], stop: () => Promise<StopOutcome>): Promise<Standalone> {
  const logger = o.logger;
  const host = o.host ?? '127.0.0.1';
  const podIP = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const ports = new PortMap(o.portBase);
  await mkdir(o.dataDir, { recursive: true });
  const logDir = join(o.dataDir, 'app_log');

  const cluster = await EmbeddedClusterState.open({
    dataDir: join(o.dataDir, 'cluster'),
    manifestsDir: o.manifestsDir,
    namespace: NAMESPACE,
    component: 'tars-standalone',
    admission: standaloneAdmission(prefixed(logger, 'admission')),
  });
  parts.push({ name: 'cluster state', hook: () => cluster.close() });
  reportManifests(cluster.manifestReport, o.manifestsDir, logger);

  // Pods of the last run are gone with its processes (no kubelet kept them alive).
  for (const pod of await cluster.pods.list()) await cluster.deletePod(pod.metadata.name!);

  const sync = new EndpointSync(cluster, ports, prefixed(logger, 'endpoints'));
  parts.push({ name: 'endpoint sync', hook: () => sync.stop() });
  await sync.synced();

  const tservers = new Map((await cluster.resource('TServer').list()).map((ts) => [ts.metadata.name!, ts]));
  const frameworkServer = (server: string): TServer | undefined => tservers.get(`${FRAMEWORK_APP}-${server}`);
  const localServers = o.servers === false ? [] : [...tservers.values()].filter(isLocalServer);
  const planned: PlannedPort[] = [
    ...SERVICES.flatMap((def) => plannedPorts(def, frameworkServer(def.server), ports, host)),
    ...localServers.flatMap((ts) =>
      (ts.spec.tars?.servants ?? []).map((s) => ({ host, port: ports.map(s.port, `TServer ${ts.metadata.name}`), owner: `${ts.spec.app}.${ts.spec.server}.${s.name}` })),
    ),
  ];
  await checkPortsFree(planned);

  const store = await openDuckDbStore({ namespace: NAMESPACE, path: join(o.dataDir, 'monitor.duckdb'), logger: storeLogger(prefixed(logger, 'store')) });
  parts.push({ name: 'monitor store', hook: () => store.close() });

  const ctx = { cluster, store, logger, host, dataDir: o.dataDir, logDir: join(o.dataDir, 'remote_app_log') };
  const services: RunningService[] = [];
  const started = async (def: (typeof SERVICES)[number]) => {
    const svc = await startService(def, ctx, frameworkServer(def.server), ports);
    parts.push({ name: def.server, hook: () => svc.stop() });
    services.push(svc);
    await cluster.putPod(localPod({ app: FRAMEWORK_APP, server: def.server, podIP, active: { pid: process.pid } }));
    for (const [obj, ep] of svc.endpoints) logger.info(`${def.server.padEnd(17)} ${obj.padEnd(33)} ${ep}`);
    if (!frameworkServer(def.server)) logger.warn(`${def.server}: no TServer ${FRAMEWORK_APP}-${def.server} in the manifests; it runs, but the registry cannot resolve it`);
  };
  // The registry first: everything else is found through it.
  const [registryDef, ...rest] = SERVICES;
  await started(registryDef!);
  // allSettled: on a failure every other start has finished (and registered its stop) before the cleanup runs.
  const failed = (await Promise.allSettled(rest.map(started))).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  services.sort((a, b) => SERVICES.findIndex((d) => d.server === a.server) - SERVICES.findIndex((d) => d.server === b.server));
  await sync.idle();

  const registry = services[0]!;
  const locator = `tars.tarsregistry.QueryObj@${registry.endpoints.get('tars.tarsregistry.QueryObj')}`;
  const registryObj = `tars.tarsregistry.RegistryObj@${registry.endpoints.get('tars.tarsregistry.RegistryObj')}`;
  const comm = new Communicator({ locator, logger: prefixed(logger, 'tarsnode client'), refreshInterval: 2000 });
  parts.push({ name: 'node agents communicator', hook: () => comm.close() });

  const servers: LocalServer[] = [];
  for (const ts of localServers) {
    const server = await startLocalServer(ts, { cluster, communicator: comm, locator, registryObj, host: podIP, dataDir: o.dataDir, logDir, logger, workDir: o.workDir ?? (o.manifestsDir ? dirname(o.manifestsDir) : process.cwd()) });
    parts.push({ name: `${server.name} (node agent)`, hook: () => server.stop() });
    servers.push(server);
    logger.info(`${server.name.padEnd(17)} started under tarsnode (${server.agent.serverObj}); output in ${server.stdoutFile}`);
  }
  const notReady = await waitResolvable(localServers, locator, o.serverReadyTimeoutMs ?? 30_000, logger);
  return { cluster, manifestReport: cluster.manifestReport, locator, services, servers, notReady, stop };
}

export function reportManifests(report: ManifestReport, dir: string | undefined, logger: Logger): void {
  if (!dir) return;
  const changed = report.loaded.filter((l) => l.action !== 'unchanged').length;
  logger.info(`manifests ${dir}: ${report.loaded.length} objects (${changed} new or changed), ${report.rejected.length} rejected`);
  for (const r of report.rejected) logger.error(`manifest ${r.file}${r.document > 0 ? ` document ${r.document}` : ''} rejected: ${r.reason}`);
}

/** Waits until the registry answers each server's first servant with an active endpoint; returns the ones that did not. */
async function waitResolvable(servers: readonly TServer[], locator: string, timeoutMs: number, logger: Logger): Promise<string[]> {
  if (servers.length === 0) return [];
  const comm = new Communicator({ logger });
  const query = comm.stringToProxy(QueryF.QueryFProxy, locator);
  const deadline = Date.now() + timeoutMs;
  const waiting = new Set(servers.filter((ts) => (ts.spec.tars?.servants?.length ?? 0) > 0));
  try {
    while (waiting.size > 0 && Date.now() < deadline) {
      for (const ts of [...waiting]) {
        const servant = ts.spec.tars!.servants[0]!;
        const id = `${ts.spec.app}.${ts.spec.server}.${servant.name}`;
        const active = await query.findObjectById(id, { timeout: 2000 }).catch(() => []);
        if (active.length > 0) {
          waiting.delete(ts);
          logger.info(`${`${ts.spec.app}.${ts.spec.server}`.padEnd(17)} ${id.padEnd(33)} tcp -h ${active[0]!.host} -p ${active[0]!.port} (active)`);
        }
      }
      if (waiting.size > 0) await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await comm.close();
  }
  const late = [...waiting].map((ts) => `${ts.spec.app}.${ts.spec.server}`);
  for (const name of late) logger.warn(`${name} is not active after ${timeoutMs} ms; it keeps starting (see its stdout_stderr)`);
  return late;
}
