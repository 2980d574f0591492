// The framework services of the Kubernetes edition, each started through its app's exported start
// function on the one embedded ClusterState and the one monitor store. Ports come from the
// service's TServer in the manifests (servant or port name), else the Kubernetes edition's.
import type { TServer } from '@tars-ts/api';
import { startConfigService } from '@tars-ts/app-config';
import { startLogService } from '@tars-ts/app-log';
import { startNotifyService } from '@tars-ts/app-notify';
import { startPropertyService } from '@tars-ts/app-property';
import { startPropertyQueryService } from '@tars-ts/app-queryproperty';
import { startStatQueryService } from '@tars-ts/app-querystat';
import { startRegistry } from '@tars-ts/app-registry';
import { startStatService } from '@tars-ts/app-stat';
import type { ClusterState } from '@tars-ts/cluster';
import { formatEndpoint, type Logger, type TarsServer } from '@tars-ts/rpc';
import type { MonitorStore } from '@tars-ts/storage';
import { prefixed } from './logger.ts';
import type { PlannedPort, PortMap } from './ports.ts';

export interface ServiceObject {
  /** Servant name in the TServer (`ConfigObj`) or, for the normal-type registry, its port name. */
  servant: string;
  /** Full object name (`tars.tarsconfig.ConfigObj`). */
  obj: string;
  /** The Kubernetes edition's port, used when the TServer does not name the servant. */
  port: number;
  timeout: number;
}

export interface ServiceContext {
  cluster: ClusterState;
  store: MonitorStore;
  logger: Logger;
  host: string;
  dataDir: string;
  logDir: string;
}

interface Started {
  server: TarsServer;
  stop(): Promise<void>;
}

export interface ServiceDef {
  /** tarsregistry, tarsconfig, ... (TServer `tars-<server>`, app `tars`) */
  server: string;
  objects: ServiceObject[];
  start(ctx: ServiceContext, endpoint: (obj: string) => string): Promise<Started>;
}

const obj = (server: string, servant: string, port: number, timeout = 60_000): ServiceObject => ({ servant, obj: `tars.${server}.${servant}`, port, timeout });

/** Every framework service this project has, in start order (the registry first: the rest is found through it). */
export const SERVICES: ServiceDef[] = [
  {
    server: 'tarsregistry',
    objects: [obj('tarsregistry', 'QueryObj', 17890, 10_000), obj('tarsregistry', 'RegistryObj', 17891, 30_000)],
    start: async (ctx, ep) => {
      const r = await startRegistry({
        cluster: ctx.cluster,
        logger: ctx.logger,
        hostStyle: 'podIP',
        self: 'bound',
        queryEndpoint: ep('tars.tarsregistry.QueryObj'),
        registryEndpoint: ep('tars.tarsregistry.RegistryObj'),
      });
      return r;
    },
  },
  {
    server: 'tarsconfig',
    objects: [obj('tarsconfig', 'ConfigObj', 11111)],
    start: (ctx, ep) => startConfigService({ cluster: ctx.cluster, logger: ctx.logger, endpoint: ep('tars.tarsconfig.ConfigObj') }),
  },
  {
    server: 'tarslog',
    objects: [obj('tarslog', 'LogObj', 12111)],
    start: (ctx, ep) => startLogService({ logPath: ctx.logDir, logger: ctx.logger, endpoint: ep('tars.tarslog.LogObj') }),
  },
  {
    server: 'tarsnotify',
    objects: [obj('tarsnotify', 'NotifyObj', 13111)],
    start: (ctx, ep) => startNotifyService({ store: ctx.store, cluster: ctx.cluster, logger: ctx.logger, endpoint: ep('tars.tarsnotify.NotifyObj') }),
  },
  {
    server: 'tarsproperty',
    objects: [obj('tarsproperty', 'PropertyObj', 14000)],
    start: (ctx, ep) => startPropertyService({ store: ctx.store, logger: ctx.logger, endpoint: ep('tars.tarsproperty.PropertyObj') }),
  },
  {
    server: 'tarsqueryproperty',
    objects: [obj('tarsqueryproperty', 'QueryObj', 15000)],
    start: (ctx, ep) => startPropertyQueryService({ store: ctx.store, logger: ctx.logger, endpoint: ep('tars.tarsqueryproperty.QueryObj') }),
  },
  {
    server: 'tarsquerystat',
    objects: [obj('tarsquerystat', 'QueryObj', 16000)],
    start: (ctx, ep) => startStatQueryService({ store: ctx.store, logger: ctx.logger, endpoint: ep('tars.tarsquerystat.QueryObj') }),
  },
  {
    server: 'tarsstat',
    objects: [obj('tarsstat', 'StatObj', 17000)],
    start: (ctx, ep) => startStatService({ store: ctx.store, logger: ctx.logger, sourceId: ctx.host, endpoint: ep('tars.tarsstat.StatObj') }),
  },
];

/** The port an object is served on: the TServer's servant (or normal port) when it names it, else the default; moved by the base. */
export function servicePort(def: ServiceDef, o: ServiceObject, ts: TServer | undefined, ports: PortMap): number {
  const fromServant = ts?.spec.tars?.servants?.find((s) => s.name === o.servant)?.port;
  const fromPort = [...(ts?.spec.normal?.ports ?? []), ...(ts?.spec.tars?.ports ?? [])].find((p) => p.name === o.servant.toLowerCase())?.port;
  return ports.map(fromServant ?? fromPort ?? o.port, `tars.${def.server} ${o.obj}`);
}

export interface RunningService {
  server: string;
  /** Object name → endpoint actually listened on. */
  endpoints: Map<string, string>;
  stop(): Promise<void>;
}

/** Ports a service will listen on, for the check before anything starts. */
export function plannedPorts(def: ServiceDef, ts: TServer | undefined, ports: PortMap, host: string): PlannedPort[] {
  return def.objects.map((o) => ({ host, port: servicePort(def, o, ts, ports), owner: o.obj }));
}

export async function startService(def: ServiceDef, ctx: ServiceContext, ts: TServer | undefined, ports: PortMap): Promise<RunningService> {
  const planned = new Map(def.objects.map((o) => [o.obj, `tcp -h ${ctx.host} -p ${servicePort(def, o, ts, ports)} -t ${o.timeout}`]));
  const logger = prefixed(ctx.logger, def.server);
  let started: Started;
  try {
    started = await def.start({ ...ctx, logger }, (name) => planned.get(name)!);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const which = [...planned].map(([o, ep]) => `${o} (${ep})`).join(', ');
    const reason = err.code === 'EADDRINUSE' ? `a port is in use: ${err.message}` : err.message;
    throw new Error(`${def.server} did not start [${which}]: ${reason}`, { cause: e });
  }
  const endpoints = new Map(def.objects.map((o) => [o.obj, formatEndpoint(started.server.endpointOf(o.obj))]));
  return { server: def.server, endpoints, stop: () => started.stop() };
}
