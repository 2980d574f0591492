// Turns parsed flags (and, in a pod, the environment and tarsnode.conf) into NodeAgentOptions.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { k8s } from '@tars-ts/interfaces';
import type { Communicator, Logger } from '@tars-ts/rpc';
import { TarsConfig } from '@tars-ts/service';
import { legacyNotify, type NodeAgentOptions } from './agent.ts';
import { UsageError, type PodArgs, type RunArgs } from './args.ts';
import { JsonLinesExitSink } from './exit-records.ts';
import { launchCommand } from './launcher.ts';
import { localDescriptor } from './local-descriptor.ts';
import type { PodEnvironment } from './pod-setup.ts';
import { StaticRegistry, TarsRegistryClient, type RegistryPort } from './registry-client.ts';

export const K8S_LOCATOR = 'tars.tarsregistry.QueryObj@tcp -h tars-tarsregistry -p 17890';
export const K8S_REGISTRY_OBJ = 'tars.tarsregistry.RegistryObj@tcp -h tars-tarsregistry -p 17891';
export const NOTIFY_OBJ = 'tars.tarsnotify.NotifyObj';
export const CONFIG_OBJ = 'tars.tarsconfig.ConfigObj';
/** ${local} in a pod (background launcher): the business server's AdminObj. */
export const POD_LOCAL = 'tcp -h 127.0.0.1 -p 1000 -t 3000';
/** ${local} with the foreground launcher: the server takes the NodeObj port (tarsnode serves none then). */
export function foregroundLocal(listenAddress: string): string {
  return `tcp -h ${listenAddress} -t 6000 -p ${NODE_OBJ_PORT}`;
}
export const NODE_OBJ_PORT = 19385;

/** Laptop mode: wraps `args.command`; the registry is optional. */
export function runOptions(args: RunArgs, deps: { cwd: string; comm: Communicator; logger: Logger }): NodeAgentOptions {
  const dir = resolve(deps.cwd, args.dir);
  let registry: RegistryPort;
  if (args.locator) {
    if (args.servants.length > 0 || args.profileFile) throw new UsageError('run: --servant and --profile describe the server without a registry; with --registry the registry does');
    registry = new TarsRegistryClient(deps.comm.stringToProxy(k8s.Registry.RegistryProxy, args.registryObj ?? 'tars.tarsregistry.RegistryObj'));
  } else {
    const profile = args.profileFile ? readFileSync(resolve(deps.cwd, args.profileFile), 'utf8') : undefined;
    registry = new StaticRegistry(localDescriptor({
      app: args.app, server: args.server, servants: args.servants, profile, withFramework: false, withLocal: args.local !== undefined,
    }));
  }
  const wrapped = { command: args.command, args: args.args };
  return {
    app: args.app,
    server: args.server,
    podName: args.podName,
    registry,
    command: (_rendered, confFile) => ({ command: wrapped.command, args: args.configArg ? [...wrapped.args, `--config=${confFile}`] : [...wrapped.args] }),
    paths: {
      binDir: deps.cwd,
      dataDir: `${dir}/data`,
      logDir: `${dir}/log`,
      confFile: `${dir}/conf/${args.app}.${args.server}.config.conf`,
      stdoutFile: args.stdoutFile ? resolve(deps.cwd, args.stdoutFile) : null,
    },
    cwd: deps.cwd,
    listenAddress: args.listenAddress,
    locator: args.locator ?? '',
    local: args.local ?? '',
    serverObjEndpoint: args.nodeEndpoint,
    nodeObjEndpoint: args.nodeObjEndpoint,
    notify: args.locator && args.notify ? legacyNotify(deps.comm, NOTIFY_OBJ, args.app, args.server) : undefined,
    configObj: args.locator ? CONFIG_OBJ : undefined,
    heartbeat: args.heartbeat,
    exitSinks: args.exitsFile ? [new JsonLinesExitSink(resolve(deps.cwd, args.exitsFile))] : [],
    communicator: deps.comm,
    logger: deps.logger,
  };
}

/** What tarsnode.conf (upstream's background.conf) may set; everything has the K8S default. */
export interface NodeConf {
  locator: string;
  registryObj: string;
  serverObjEndpoint: string;
  nodeObjEndpoint: string;
  notifyObj: string;
  configObj: string;
}

export function readNodeConf(config: TarsConfig | undefined, listenAddress: string): NodeConf {
  const adapterEndpoint = (servant: string): string | undefined => {
    if (!config) return undefined;
    for (const name of config.getDomain('/tars/application/server')) {
      const at = `/tars/application/server/${name}`;
      if (config.get(`${at}<servant>`) === servant) return config.get(`${at}<endpoint>`);
    }
    return undefined;
  };
  const get = (path: string): string | undefined => config?.get(path) || undefined;
  return {
    locator: get('/tars/application/client<locator>') ?? K8S_LOCATOR,
    registryObj: get('/tars/node<registryObj>') ?? K8S_REGISTRY_OBJ,
    serverObjEndpoint: adapterEndpoint('tars.tarsnode.ServerObj') ?? 'tcp -h 127.0.0.1 -p 19386 -t 60000',
    nodeObjEndpoint: adapterEndpoint('tars.tarsnode.NodeObj') ?? `tcp -h ${listenAddress} -p ${NODE_OBJ_PORT} -t 60000`,
    notifyObj: get('/tars/application/server<notify>') ?? NOTIFY_OBJ,
    configObj: get('/tars/application/server<config>') ?? CONFIG_OBJ,
  };
}

/** Pod mode: PID 1 of a tars pod (background launcher). */
export function podOptions(pod: PodEnvironment, conf: NodeConf, deps: { comm: Communicator; logger: Logger; env: NodeJS.ProcessEnv; args: PodArgs }): NodeAgentOptions {
  return {
    app: pod.app,
    server: pod.server,
    podName: pod.podName,
    registry: new TarsRegistryClient(deps.comm.stringToProxy(k8s.Registry.RegistryProxy, conf.registryObj)),
    command: (rendered, confFile) => launchCommand({
      serverType: pod.serverType,
      serverName: pod.server,
      binDir: pod.binDir,
      confFile,
      config: rendered.config,
      executables: executablesIn(pod.binDir),
      nodeAgentBin: deps.env.NODE_AGENT_BIN,
    }),
    paths: { binDir: pod.binDir, dataDir: pod.dataDir, logDir: pod.logDir, confFile: pod.confFile },
    listenAddress: pod.listenAddress,
    locator: conf.locator,
    local: POD_LOCAL,
    serverObjEndpoint: conf.serverObjEndpoint,
    nodeObjEndpoint: conf.nodeObjEndpoint,
    adminShutdown: true,
    notify: legacyNotify(deps.comm, conf.notifyObj, pod.app, pod.server),
    configObj: conf.configObj,
    communicator: deps.comm,
    logger: deps.logger,
    env: deps.env,
  };
}

function executablesIn(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => {
      const st = statSync(`${dir}/${f}`);
      return st.isFile() && (st.mode & 0o111) !== 0;
    });
  } catch {
    return [];
  }
}
