// Tars servers run as local processes under the node agent (the same program that is PID 1 of a
// pod on Kubernetes). A TServer is run here when it is a tars server with `spec.k8s.command` (the
// program to start; `node` means this Node) and at least one replica. Its descriptor comes from
// the registry like in a pod, its states go to the registry, and its pod is written here.
import { join } from 'node:path';
import type { TServer } from '@tars-ts/api';
import { legacyNotify, startNodeAgent, TarsRegistryClient, type NodeAgent } from '@tars-ts/app-node';
import type { EmbeddedClusterState } from '@tars-ts/cluster';
import { k8s } from '@tars-ts/interfaces';
import type { Communicator, Logger } from '@tars-ts/rpc';
import { localPod, localPodName } from './local-pods.ts';
import { prefixed } from './logger.ts';

/** Whether the standalone runs this TServer under a node agent. */
export function isLocalServer(ts: TServer): boolean {
  return ts.spec.subType === 'tars' && (ts.spec.k8s.command?.length ?? 0) > 0 && (ts.spec.k8s.replicas ?? 1) > 0;
}

export interface LocalServerContext {
  cluster: EmbeddedClusterState;
  /** Resolves framework objects through the registry (tarsconfig for addFile, notify). */
  communicator: Communicator;
  locator: string;
  /** `tars.tarsregistry.RegistryObj@tcp -h … -p …` */
  registryObj: string;
  host: string;
  dataDir: string;
  logDir: string;
  logger: Logger;
  /** Working directory of the servers; relative paths in their commands resolve here. */
  workDir: string;
  /** SIGTERM → SIGKILL grace (default 5 s: the whole process has one shutdown deadline). */
  stopGraceMs?: number;
}

export interface LocalServer {
  readonly name: string;
  readonly podName: string;
  readonly agent: NodeAgent;
  /** Where the server's stdout and stderr go. */
  readonly stdoutFile: string;
  stop(): Promise<void>;
}

export async function startLocalServer(ts: TServer, ctx: LocalServerContext): Promise<LocalServer> {
  const { app, server } = ts.spec;
  const name = `${app}.${server}`;
  const podName = localPodName(app, server);
  const base = join(ctx.dataDir, 'servers', name);
  const stdoutFile = join(ctx.logDir, app, server, 'stdout_stderr');
  const [program, ...programArgs] = [...(ts.spec.k8s.command ?? []), ...(ts.spec.k8s.args ?? [])];
  const command = program === 'node' ? process.execPath : program!;
  // The pod exists before the first state report, which the registry turns into its condition.
  await ctx.cluster.putPod(localPod({ app, server, podIP: ctx.host, serverId: ts.spec.release?.id }));
  const agent = await startNodeAgent({
    app,
    server,
    podName,
    registry: new TarsRegistryClient(ctx.communicator.stringToProxy(k8s.Registry.RegistryProxy, ctx.registryObj)),
    command: (_rendered, confFile) => ({ command, args: [...programArgs, `--config=${confFile}`] }),
    paths: { binDir: join(base, 'bin'), dataDir: join(base, 'data'), logDir: ctx.logDir, confFile: join(base, 'conf', `${name}.config.conf`), stdoutFile },
    cwd: ctx.workDir,
    listenAddress: ctx.host,
    locator: ctx.locator,
    serverObjEndpoint: 'tcp -h 127.0.0.1 -p 0 -t 60000',
    notify: legacyNotify(ctx.communicator, 'tars.tarsnotify.NotifyObj', app, server),
    configObj: 'tars.tarsconfig.ConfigObj',
    communicator: ctx.communicator,
    logger: prefixed(ctx.logger, `tarsnode ${name}`),
    timing: { stopGraceMs: ctx.stopGraceMs ?? 5000, killGraceMs: 1000 },
  });
  return {
    name,
    podName,
    agent,
    stdoutFile,
    async stop() {
      await agent.close();
      await ctx.cluster.deletePod(podName).catch(() => undefined);
    },
  };
}
