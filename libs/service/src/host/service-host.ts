import { NodeF } from '@tars-ts/interfaces';
import { Communicator, createServer, type Adapter, type AdapterOptions, type TarsServer } from '@tars-ts/rpc';
import { AdminServant, ADMIN_SERVANT_NAME, describeAdapters } from '../admin/admin-servant.ts';
import { AdminCommands, registerBuiltinCommands } from '../admin/commands.ts';
import { configPathFrom } from '../config/locate.ts';
import { applyOverrides, overridesFromEnv } from '../config/overrides.ts';
import { readServerConfig, type AdapterConfig, type ServerConfig } from '../config/server-config.ts';
import { TarsConfig } from '../config/tars-config.ts';
import { NodeKeepAlive } from '../lifecycle/node-keepalive.ts';
import { Shutdown, type StopHook } from '../lifecycle/shutdown.ts';
import { ServiceLogger, type Logger } from '../logging/logger.ts';
import { registerAdapterMetrics } from '../metrics/adapter-metrics.ts';
import { Health } from '../metrics/health.ts';
import { startMonitorServer, type MonitorServer } from '../metrics/http-server.ts';
import { ServiceMetrics } from '../metrics/metrics.ts';

export interface ServiceHostOptions {
  /** Default `process.argv` (read for `--config`). */
  argv?: readonly string[];
  /** Default `process.env` (read for `TARS_CONFIG` and the overrides of config/overrides.ts). */
  env?: Record<string, string | undefined>;
  /** Config text or object to use instead of a file (standalone mode); env overrides still apply. */
  config?: TarsConfig | string;
  /** App and server names when the config has none (development without a config file). */
  app?: string;
  server?: string;
  /** Log to stdout; default true when the config has no `logpath`. */
  console?: boolean;
  /** Metrics/health port; default `/tars/application/server<metrics-port>`; none = no HTTP server. */
  metricsPort?: number;
  metricsHost?: string;
  /** Default 8000 ms. */
  shutdownDeadlineMs?: number;
  /**
   * A shutdown shared by several hosts in one process (standalone mode): each host registers its
   * hooks there, and the owner installs signals and decides the exit. Default: a host's own.
   */
  shutdown?: Shutdown;
  /** Install SIGTERM/SIGINT handlers on the host's own shutdown; default true. */
  handleSignals?: boolean;
  /** Default `process.exit`; called when shutdown completes. */
  exit?: (code: number) => void;
  /** Reported to tarsnode and by `tars.viewversion`. */
  version?: string;
  /** tarsnode heartbeat period (ms, default 10000). */
  keepAliveIntervalMs?: number;
}

/**
 * What every framework service runs on: config, logging, metrics and health, graceful shutdown,
 * the RPC server with AdminF on the `local` endpoint, and the tarsnode heartbeat. Apps add their
 * servants and stop hooks, then call `listen()`.
 */
export class ServiceHost {
  readonly config: TarsConfig;
  readonly serverConfig: ServerConfig;
  readonly logger: ServiceLogger;
  readonly metrics: ServiceMetrics;
  readonly health: Health;
  readonly shutdown: Shutdown;
  readonly admin: AdminCommands;
  readonly rpc: TarsServer;
  readonly monitor: MonitorServer | undefined;
  private communicatorInstance: Communicator | undefined;
  private keepAlive: NodeKeepAlive | undefined;
  private readonly options: ServiceHostOptions;
  private readonly startedAt = Date.now();

  private constructor(parts: {
    options: ServiceHostOptions;
    config: TarsConfig;
    serverConfig: ServerConfig;
    logger: ServiceLogger;
    metrics: ServiceMetrics;
    health: Health;
    shutdown: Shutdown;
    monitor: MonitorServer | undefined;
  }) {
    this.options = parts.options;
    this.config = parts.config;
    this.serverConfig = parts.serverConfig;
    this.logger = parts.logger;
    this.metrics = parts.metrics;
    this.health = parts.health;
    this.shutdown = parts.shutdown;
    this.monitor = parts.monitor;
    this.admin = new AdminCommands();
    this.rpc = createServer({ logger: this.logger });
  }

  /** Loads the config and sets everything up; the service is not ready until `listen()`. */
  static async start(options: ServiceHostOptions = {}): Promise<ServiceHost> {
    const env = options.env ?? process.env;
    const config = loadConfig(options, env);
    applyOverrides(config, overridesFromEnv(env));
    if (options.app && !config.get('/tars/application/server<app>')) config.set('/tars/application/server<app>', options.app);
    if (options.server && !config.get('/tars/application/server<server>')) config.set('/tars/application/server<server>', options.server);
    const serverConfig = readServerConfig(config);
    const { app, server, logpath } = serverConfig;

    let logger: ServiceLogger;
    try {
      logger = new ServiceLogger({
        level: serverConfig.logLevel,
        console: options.console ?? !logpath,
        file: logpath ? { logpath, app, server, maxSize: serverConfig.logSize, maxFiles: serverConfig.logNum } : undefined,
      });
    } catch (e) {
      throw new Error(`config /tars/application/server<logLevel>: ${(e as Error).message}`, { cause: e });
    }

    const metrics = new ServiceMetrics({ app, server });
    const health = new Health();
    const shutdown = options.shutdown ?? new Shutdown({ deadlineMs: options.shutdownDeadlineMs, logger, exit: options.exit });
    shutdown.onStop(`${app}.${server} logger`, () => logger.close(), 'last');

    const port = options.metricsPort ?? serverConfig.metricsPort;
    let monitor: MonitorServer | undefined;
    if (port !== undefined) {
      try {
        monitor = await startMonitorServer({ metrics, health, port, host: options.metricsHost, logger });
      } catch (e) {
        logger.error(`metrics server on port ${port} failed to start`, e);
        await logger.close();
        throw e;
      }
      shutdown.onStop(`${app}.${server} monitor server`, () => monitor!.close(), 'last');
    }

    const host = new ServiceHost({ options, config, serverConfig, logger, metrics, health, shutdown, monitor });
    host.wire();
    if (!options.shutdown && (options.handleSignals ?? true)) shutdown.install();
    logger.info(`${app}.${server} configured from ${config.source}${monitor ? `, metrics on port ${monitor.port}` : ''}`);
    return host;
  }

  /** `App.Server`. */
  get name(): string {
    return `${this.serverConfig.app}.${this.serverConfig.server}`;
  }

  /** A client for other Tars services, created on first use with the config's locator and timeouts. */
  get communicator(): Communicator {
    if (!this.communicatorInstance) {
      const { client, nodename } = this.serverConfig;
      const communicator = new Communicator({
        locator: client.locator,
        timeout: client.syncInvokeTimeoutMs,
        refreshInterval: client.refreshEndpointIntervalMs,
        nodeName: nodename,
        setId: this.serverConfig.enableSet ? this.serverConfig.setDivision : undefined,
        logger: this.logger,
      });
      this.communicatorInstance = communicator;
      this.shutdown.onStop(`${this.name} communicator`, () => communicator.close(), 'last');
    }
    return this.communicatorInstance;
  }

  /**
   * Serves `servant` as `servantName` on the endpoint of the config adapter declaring that
   * servant (`<XxxAdapter> servant=App.Server.XxxObj endpoint=...`), or on `endpoint` if given.
   */
  addServant(servant: object, servantName: string, endpoint?: string): Adapter {
    const adapter = this.serverConfig.adapters.find((a) => a.servant === servantName);
    const ep = endpoint ?? adapter?.endpoint;
    if (!ep) {
      throw new Error(`no adapter in the config serves ${servantName}: add <${servantName}Adapter> with servant=${servantName} and endpoint=... under /tars/application/server`);
    }
    return this.rpc.addServant(servant, servantName, ep, adapter ? adapterOptions(adapter) : undefined);
  }

  /** Registers a stop hook; hooks run in reverse order after the RPC server stopped accepting calls. */
  onStop(name: string, hook: StopHook): () => void {
    return this.shutdown.onStop(name, hook, 'normal');
  }

  /** A day log beside the main log (needs `logpath`); see ServiceLogger.dayLog. */
  dayLog(name: string): Logger {
    return this.logger.dayLog(name);
  }

  /** Starts the RPC server, opens readiness and starts the tarsnode heartbeat. */
  async listen(): Promise<void> {
    await this.rpc.start();
    this.health.setReady(true);
    this.keepAlive?.start();
    const servants = this.rpc.adapters.flatMap((a) => a.servantNames);
    this.logger.info(`${this.serverConfig.app}.${this.serverConfig.server} started, pid ${process.pid}, servants: ${servants.join(', ') || 'none'}`);
  }

  /** Graceful shutdown (as on SIGTERM); resolves to the exit code passed to `exit`. */
  stop(reason = 'stop requested'): Promise<number> {
    return this.shutdown.shutdown(reason);
  }

  private wire(): void {
    const { serverConfig: sc, options } = this;
    registerBuiltinCommands(this.admin, {
      setLogLevel: (level) => this.logger.setLevel(level),
      connections: () => describeAdapters(this.rpc.adapters),
      version: options.version,
      status: () => ({
        application: sc.app,
        server: sc.server,
        pid: process.pid,
        version: options.version,
        uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
        config: this.config.source,
        logLevel: this.logger.level,
        logpath: sc.logpath,
        local: sc.local,
        node: sc.node,
        locator: sc.client.locator,
        servants: this.rpc.adapters.flatMap((a) => a.servantNames).join(', '),
        ready: !this.shutdown.stopping,
      }),
    });

    if (sc.local) {
      this.rpc.addServant(new AdminServant({ commands: this.admin, shutdown: (reason) => void this.stop(reason) }), ADMIN_SERVANT_NAME, sc.local);
    }
    this.shutdown.onStop(`${this.name} rpc server`, () => this.rpc.stop(), 'first');
    registerAdapterMetrics(this.metrics, () => this.rpc.adapters);

    if (sc.node) {
      const node = this.communicator.stringToProxy(NodeF.ServerFProxy, sc.node);
      const keepAlive = new NodeKeepAlive({
        node,
        app: sc.app,
        server: sc.server,
        version: options.version ?? 'tars-ts',
        intervalMs: options.keepAliveIntervalMs,
        logger: this.logger,
      });
      this.keepAlive = keepAlive;
      keepAlive.activating();
      this.shutdown.onStop(`${this.name} tarsnode keepAlive`, () => keepAlive.stop(), 'first');
    }
    // Registered last among `first` hooks, so it runs before everything: stop attracting traffic.
    this.shutdown.onStop(`${this.name} readiness`, () => this.health.setReady(false), 'first');
  }
}

function loadConfig(options: ServiceHostOptions, env: Record<string, string | undefined>): TarsConfig {
  if (options.config instanceof TarsConfig) return options.config.clone();
  if (typeof options.config === 'string') return TarsConfig.parse(options.config, '<options.config>');
  const file = configPathFrom(options.argv ?? process.argv, env);
  if (file) return TarsConfig.loadSync(file);
  if (options.app && options.server) return new TarsConfig(undefined, '<defaults>');
  throw new Error('no config: pass --config=FILE, set TARS_CONFIG, or give app and server names');
}

function adapterOptions(a: AdapterConfig): AdapterOptions {
  const o: AdapterOptions = {};
  if (a.queuecap !== undefined) o.queueCap = a.queuecap;
  if (a.queuetimeout !== undefined) o.queueTimeout = a.queuetimeout;
  if (a.maxconns !== undefined) o.maxConnections = a.maxconns;
  return o;
}
