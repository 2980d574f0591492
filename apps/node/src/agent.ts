// The node agent: wires the supervisor's state machine to a real process, the ServerF/NodeObj
// servants, the registry (descriptor, state reports), notify (alarms) and the exit sinks.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AdminF, ConfigF } from '@tars-ts/interfaces';
import { Communicator, createServer, formatEndpoint, silentLogger, type Logger, type TarsServer } from '@tars-ts/rpc';
import { TarsConfig } from '@tars-ts/service';
import { DEFAULT_HEART_TIMEOUT_MS, describeServerConfig, renderServerConfig, type RenderContext, type RenderedConfig } from './config-render.ts';
import { describeExit, MemoryExitSink, type ExitRecordSink } from './exit-records.ts';
import { LegacyNotifyProxy } from './legacy-notify.ts';
import { startProcess, type LaunchSpec, type RunningProcess } from './process-runner.ts';
import type { RegistryPort } from './registry-client.ts';
import { NodeImpl, ServerFImpl, type AgentControl } from './servants.ts';
import { StateReporter } from './state-reporter.ts';
import {
  initialState,
  step,
  type ExitRecord,
  type SupervisorEffect,
  type SupervisorEvent,
  type SupervisorOptions,
  type SupervisorState,
} from './supervisor.ts';

export const SERVER_OBJ = 'tars.tarsnode.ServerObj';
export const NODE_OBJ = 'tars.tarsnode.NodeObj';
export const DEFAULT_SERVER_OBJ_ENDPOINT = 'tcp -h 127.0.0.1 -p 19386 -t 60000';

/** Where the server's files live (ServerBinDir, ServerDataDir, ServerLogDir, ServerConfFile). */
export interface ServerPaths {
  binDir: string;
  dataDir: string;
  logDir: string;
  confFile: string;
  /** stdout+stderr of the server; default `<logDir>/<App>/<Server>/stdout_stderr` (upstream's place); null = the agent's own. */
  stdoutFile?: string | null;
}

/** Sends alarms (`[alarm] …`) about the server; the K8S tarsnode uses legacy reportServer. */
export interface NotifyPort {
  report(message: string): Promise<void>;
}

export interface NodeAgentOptions {
  app: string;
  server: string;
  /** Reported with every state (`updateServerState(podName, …)`); default `<app>-<server>` lower case. */
  podName?: string;
  /** Descriptor source and state sink. */
  registry: RegistryPort;
  /** How to start the server once its config is rendered: command and arguments (unused when observing). */
  command: (rendered: RenderedConfig, confFile: string) => { command: string; args: string[]; env?: Record<string, string> };
  /**
   * Foreground daemon: the server is started by someone else (PID 1 of the container, with the
   * config `prepareLaunch` wrote). The agent serves ServerF, adopts the pid of the first heartbeat,
   * alarms on heartbeat overtime and reports states; it never launches, stops or restarts.
   */
  observe?: boolean;
  paths: ServerPaths;
  /** Working directory of the server (default paths.binDir, as upstream). */
  cwd?: string;
  /** ${localip} in the config (the pod's ListenAddress, or 127.0.0.1). */
  listenAddress: string;
  /** ${locator}; "" without a registry. */
  locator?: string;
  /** ${local}: the server's AdminObj endpoint; "" for none. */
  local?: string;
  /** ServerF endpoint (port 0 picks one); default `tcp -h 127.0.0.1 -p 19386 -t 60000`. */
  serverObjEndpoint?: string;
  /** NodeObj endpoint; none when absent. */
  nodeObjEndpoint?: string;
  /** false: the server sends no heartbeats (a plain program): Active once running, never restarted for silence. */
  heartbeat?: boolean;
  /** Ask the server to stop through AdminF.shutdown on its `local` endpoint before SIGTERM (upstream for tars servers). */
  adminShutdown?: boolean;
  notify?: NotifyPort;
  exitSinks?: ExitRecordSink[];
  /** Loads files for NodeObj.addFile (ConfigF `tars.tarsconfig.ConfigObj`); absent = addFile fails. */
  configObj?: string;
  communicator?: Communicator;
  logger?: Logger;
  /** Environment of the server process (default: the agent's). */
  env?: NodeJS.ProcessEnv;
  timing?: Partial<SupervisorOptions> & { tickMs?: number; reportRetryMs?: number };
  /** The server survived SIGKILL; the CLI exits non-zero (the container restarts), as upstream. */
  onFatal?: (message: string) => void;
}

export interface NodeAgent extends AgentControl {
  /** ServerF as a proxy string (what the server's config `node=` holds). */
  readonly serverObj: string;
  readonly nodeObj: string | undefined;
  readonly exits: MemoryExitSink;
  readonly reporter: StateReporter;
  state(): SupervisorState;
  /** The config rendered for the current (or last) launch. */
  rendered(): RenderedConfig | undefined;
  /** What the server sent in reportVersion (TARS_VERSION for TarsCpp); undefined until then. */
  serverVersion(): string | undefined;
  /** Resolves when the supervisor reaches `present` (or rejects after `timeoutMs`). */
  waitFor(predicate: (s: SupervisorState) => boolean, timeoutMs: number): Promise<SupervisorState>;
  /** Passes a signal on to the server's process group (PID 1 forwards SIGHUP, SIGUSR1, …); false when none runs. */
  signalServer(signal: NodeJS.Signals): boolean;
  /** Graceful shutdown: stops the server (SIGTERM/AdminF, then SIGKILL), sends the last report, closes. */
  close(): Promise<void>;
}

const DEFAULT_TIMING: SupervisorOptions = {
  app: '',
  server: '',
  backoffBaseMs: 1000,
  backoffMaxMs: 30_000,
  stableAfterMs: 60_000,
  stopGraceMs: 10_000,
  killGraceMs: 3000,
  reportIntervalMs: 420_000,
};

export async function startNodeAgent(options: NodeAgentOptions): Promise<NodeAgent> {
  const agent = new Agent(options);
  await agent.open();
  return agent;
}

class Agent implements NodeAgent {
  readonly app: string;
  readonly server: string;
  readonly exits = new MemoryExitSink();
  readonly reporter: StateReporter;
  serverObj = '';
  nodeObj: string | undefined;
  private readonly options: NodeAgentOptions;
  private readonly supervisorOptions: SupervisorOptions;
  private readonly logger: Logger;
  private readonly rpc: TarsServer;
  private readonly comm: Communicator;
  private readonly ownComm: boolean;
  private readonly podName: string;
  private current: SupervisorState = initialState();
  private process: RunningProcess | undefined;
  private lastRendered: RenderedConfig | undefined;
  private version: string | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private stoppedWaiters: Array<() => void> = [];
  private watchers: Array<() => void> = [];
  /** Exit records still being written by async sinks (awaited on close, so none is lost). */
  private readonly sinkWrites = new Set<Promise<void>>();

  constructor(options: NodeAgentOptions) {
    this.options = options;
    this.app = options.app;
    this.server = options.server;
    this.logger = options.logger ?? silentLogger;
    this.podName = options.podName ?? `${options.app}-${options.server}`.toLowerCase();
    this.supervisorOptions = { ...DEFAULT_TIMING, ...options.timing, app: options.app, server: options.server, observe: options.observe };
    this.rpc = createServer({ logger: this.logger });
    this.ownComm = !options.communicator;
    this.comm = options.communicator ?? new Communicator({ logger: this.logger });
    const registry = options.registry;
    this.reporter = new StateReporter((r) => registry.updateServerState(this.podName, r.setting, r.present, r.pid), this.logger, {
      retryMs: options.timing?.reportRetryMs,
    });
  }

  async open(): Promise<void> {
    this.rpc.addServant(new ServerFImpl(this), SERVER_OBJ, this.options.serverObjEndpoint ?? DEFAULT_SERVER_OBJ_ENDPOINT);
    if (this.options.nodeObjEndpoint) this.rpc.addServant(new NodeImpl(this), NODE_OBJ, this.options.nodeObjEndpoint);
    await this.rpc.start();
    this.serverObj = `${SERVER_OBJ}@${formatEndpoint({ ...this.rpc.endpointOf(SERVER_OBJ), timeout: 60_000 })}`;
    if (this.options.nodeObjEndpoint) this.nodeObj = `${NODE_OBJ}@${formatEndpoint(this.rpc.endpointOf(NODE_OBJ))}`;
    this.logger.info(`tarsnode for ${this.app}.${this.server}: ServerF at ${this.serverObj}${this.options.observe ? ' (observing)' : ''}`);
    if (this.options.observe) this.lastRendered = await readRendered(this.options.paths.confFile, this.logger);
    this.ticker = setInterval(() => this.dispatch({ type: 'tick', now: Date.now() }), this.options.timing?.tickMs ?? 1000);
    this.dispatch({ type: 'tick', now: Date.now() });
  }

  state(): SupervisorState {
    return this.current;
  }

  rendered(): RenderedConfig | undefined {
    return this.lastRendered;
  }

  serverVersion(): string | undefined {
    return this.version;
  }

  reportVersion(version: string): void {
    if (version !== this.version) this.logger.info(`${this.app}.${this.server} reports version ${version}`);
    this.version = version;
  }

  waitFor(predicate: (s: SupervisorState) => boolean, timeoutMs: number): Promise<SupervisorState> {
    if (predicate(this.current)) return Promise.resolve(this.current);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate(this.current)) return;
        clearTimeout(timer);
        this.watchers = this.watchers.filter((w) => w !== check);
        resolve(this.current);
      };
      const timer = setTimeout(() => {
        this.watchers = this.watchers.filter((w) => w !== check);
        reject(new Error(`timed out after ${timeoutMs} ms; state ${JSON.stringify({ ...this.current, heartbeats: undefined })}`));
      }, timeoutMs);
      this.watchers.push(check);
    });
  }

  keepAlive(info: { pid: number; adapter?: string }, alive: boolean): void {
    const now = Date.now();
    if (this.options.observe && this.current.pid === undefined && this.current.target === 'start') {
      // The first heartbeat tells us which process the server is.
      const r = this.lastRendered;
      const heartTimeoutMs = this.options.heartbeat === false ? 0 : (r?.heartTimeoutMs ?? DEFAULT_HEART_TIMEOUT_MS);
      this.dispatch({ type: 'launched', now, pid: info.pid, heartTimeoutMs, adapters: r?.adapters ?? ['AdminAdapter'] });
    }
    this.dispatch(alive ? { type: 'keepAlive', now, adapter: info.adapter ?? '', pid: info.pid } : { type: 'keepActiving', now, pid: info.pid });
  }

  start(): void {
    this.dispatch({ type: 'start', now: Date.now() });
  }

  stop(): void {
    this.dispatch({ type: 'stop', now: Date.now() });
  }

  restart(): void {
    this.dispatch({ type: 'restart', now: Date.now() });
  }

  signalServer(signal: NodeJS.Signals): boolean {
    return this.process?.signal(signal) ?? false;
  }

  /** AdminF.notify on the server's `local` endpoint (tarsweb's "send command"). */
  async notifyServer(command: string): Promise<string> {
    const admin = this.adminProxy();
    if (!admin) throw new Error('the server has no local (AdminObj) endpoint in its config');
    return admin.notify(command, { timeout: 3000 });
  }

  /** Loads `file` through ConfigF into the server's bin dir (NodeObj.addFile). */
  async addFile(file: string): Promise<string> {
    if (!this.options.configObj) throw new Error('no config service configured');
    if (file !== basename(file) || file === '' || file.startsWith('.')) throw new Error(`"${file}" is not a plain file name`);
    const config = this.comm.stringToProxy(ConfigF.ConfigProxy, this.options.configObj);
    const { ret, config: content } = await config.loadConfig(this.app, this.server, file, { timeout: 3000 });
    if (ret !== 0) throw new Error(`loadConfig(${this.app}, ${this.server}, ${file}) returned ${ret}`);
    await mkdir(this.options.paths.binDir, { recursive: true });
    await writeFile(join(this.options.paths.binDir, file), content);
    return 'Success';
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.stoppedWaiters.push(resolve));
    this.stop();
    const { stopGraceMs, killGraceMs } = this.supervisorOptions;
    const deadline = stopGraceMs + killGraceMs + 2000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([stopped, new Promise<void>((r) => (timer = setTimeout(r, deadline)))]);
    clearTimeout(timer);
    clearInterval(this.ticker);
    await Promise.race([Promise.all(this.sinkWrites), new Promise((r) => setTimeout(r, 3000).unref())]);
    await this.reporter.flush(3000);
    this.reporter.close();
    await this.rpc.stop(1000);
    if (this.ownComm) await this.comm.close();
  }

  private dispatch(event: SupervisorEvent): void {
    const { state, effects } = step(this.supervisorOptions, this.current, event);
    this.current = state;
    for (const effect of effects) this.perform(effect);
    for (const w of [...this.watchers]) w();
  }

  private perform(effect: SupervisorEffect): void {
    switch (effect.type) {
      case 'launch':
        void this.launch();
        break;
      case 'shutdown':
        void this.requestShutdown(effect.pid);
        break;
      case 'kill':
        this.logger.warn(`server pid ${effect.pid} did not stop within ${this.supervisorOptions.stopGraceMs} ms: SIGKILL`);
        this.process?.signal('SIGKILL');
        break;
      case 'report':
        this.logger.info(`state ${effect.setting}/${effect.present}/${effect.pid}`);
        this.reporter.push({ setting: effect.setting, present: effect.present, pid: effect.pid });
        break;
      case 'notify':
        this.logger.warn(effect.message);
        this.options.notify?.report(effect.message).catch((e: Error) => this.logger.warn(`notify failed: ${e.message}`));
        break;
      case 'exitRecord':
        this.recordExit(effect.record);
        break;
      case 'giveUp':
        this.logger.error(effect.message);
        this.options.notify?.report(effect.message).catch(() => undefined);
        this.options.onFatal?.(effect.message);
        for (const w of this.stoppedWaiters.splice(0)) w();
        break;
      case 'stopped':
        for (const w of this.stoppedWaiters.splice(0)) w();
        break;
    }
  }

  private recordExit(record: ExitRecord): void {
    // an exit that was asked for and went cleanly is routine; anything else deserves attention
    const asked = (record.reason === 'stop' || record.reason === 'restart') && record.code === 0;
    if (asked) this.logger.info(describeExit(record));
    else this.logger.warn(describeExit(record));
    this.exits.record(record);
    for (const sink of this.options.exitSinks ?? []) {
      const write = Promise.resolve()
        .then(() => sink.record(record))
        .catch((e: Error) => this.logger.error(`exit record sink failed: ${e.message}`))
        .finally(() => this.sinkWrites.delete(write));
      this.sinkWrites.add(write);
    }
  }

  private async launch(): Promise<void> {
    let spec: LaunchSpec;
    let rendered: RenderedConfig;
    try {
      ({ spec, rendered } = await prepareLaunch(this.options, this.serverObj));
      for (const w of rendered.warnings) this.logger.warn(w);
    } catch (e) {
      this.dispatch({ type: 'launchFailed', now: Date.now(), error: `cannot prepare the launch: ${(e as Error).message}`, spawned: false });
      return;
    }
    let proc: RunningProcess;
    try {
      proc = await startProcess(spec);
    } catch (e) {
      this.dispatch({ type: 'launchFailed', now: Date.now(), error: (e as Error).message, spawned: true });
      return;
    }
    this.process = proc;
    this.lastRendered = rendered;
    this.logger.info(`started ${spec.command} ${spec.args.join(' ')} as pid ${proc.pid}`);
    this.dispatch({ type: 'launched', now: Date.now(), pid: proc.pid, heartTimeoutMs: this.options.heartbeat === false ? 0 : rendered.heartTimeoutMs, adapters: rendered.adapters });
    void proc.exited.then(({ code, signal }) => {
      if (this.process === proc) this.process = undefined;
      this.dispatch({ type: 'exited', now: Date.now(), pid: proc.pid, code, signal });
    });
  }

  private adminProxy(): AdminF.AdminFProxy | undefined {
    const endpoint = this.lastRendered?.adminEndpoint;
    if (!endpoint) return undefined;
    return this.comm.stringToProxy(AdminF.AdminFProxy, `AdminObj@${endpoint}`);
  }

  /** AdminF.shutdown when the server has an admin endpoint (and it is enabled), else SIGTERM. */
  private async requestShutdown(pid: number): Promise<void> {
    const admin = this.options.adminShutdown === false ? undefined : this.adminProxy();
    if (admin) {
      try {
        await admin.shutdown({ timeout: 3000 });
        this.logger.info(`asked pid ${pid} to shut down through AdminF`);
        return;
      } catch (e) {
        this.logger.warn(`AdminF.shutdown failed (${(e as Error).message}); sending SIGTERM`);
      }
    }
    if (this.process?.pid === pid) this.process.signal('SIGTERM');
  }
}

/**
 * Everything before the spawn: descriptor, rendered config written to `paths.confFile`, the
 * directories, and the command. `nodeObj` is the ServerF proxy string the server will beat to.
 * Also `tarsnode --target=config` (foreground launcher) on its own.
 */
export async function prepareLaunch(
  o: NodeAgentOptions,
  nodeObj: string,
): Promise<{ rendered: RenderedConfig; spec: LaunchSpec; command: { command: string; args: string[]; env?: Record<string, string> } }> {
  const descriptor = await o.registry.getServerDescriptor(o.app, o.server);
  const ctx: RenderContext = {
    app: o.app,
    server: o.server,
    listenAddress: o.listenAddress,
    binDir: o.paths.binDir,
    dataDir: o.paths.dataDir,
    logDir: o.paths.logDir,
    locator: o.locator ?? '',
    local: o.local ?? '',
    nodeObj,
  };
  const rendered = renderServerConfig(descriptor, ctx);
  await mkdir(dirname(o.paths.confFile), { recursive: true });
  await writeFile(o.paths.confFile, rendered.text);
  await mkdir(o.paths.binDir, { recursive: true });
  await mkdir(o.paths.dataDir, { recursive: true });
  const how = o.command(rendered, o.paths.confFile);
  const spec: LaunchSpec = {
    command: how.command,
    args: how.args,
    cwd: o.cwd ?? o.paths.binDir,
    env: { ...(o.env ?? process.env), TARS_CONFIG: o.paths.confFile, ...how.env },
    logFile: o.paths.stdoutFile === null ? undefined : (o.paths.stdoutFile ?? join(o.paths.logDir, o.app, o.server, 'stdout_stderr')),
  };
  return { rendered, spec, command: how };
}

/** The config a foreground launch left behind (heart timeout, adapters); undefined when there is none. */
async function readRendered(file: string, logger: Logger): Promise<RenderedConfig | undefined> {
  try {
    const config = TarsConfig.parse(await readFile(file, 'utf8'), file);
    const rendered = { config, text: config.toString(), ...describeServerConfig(config) };
    for (const w of rendered.warnings) logger.warn(w);
    return rendered;
  } catch (e) {
    logger.warn(`cannot read the server config ${file} (${(e as Error).message}); heart timeout ${DEFAULT_HEART_TIMEOUT_MS / 1000} s`);
    return undefined;
  }
}

/** NotifyPort over legacy reportServer(App.Server, "-1", message), as the K8S tarsnode sends it. */
export function legacyNotify(comm: Communicator, notifyObj: string, app: string, server: string): NotifyPort {
  const proxy = comm.stringToProxy(LegacyNotifyProxy, notifyObj);
  return { report: (message) => proxy.reportServer(`${app}.${server}`, '-1', message, { timeout: 3000 }) };
}
