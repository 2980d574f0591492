// @tars-ts/service: what every framework service shares (config, logging, metrics, health,
// shutdown, AdminF, tarsnode heartbeat) and the ServiceHost that wires them together.

// Config file
export { TarsConfig, ConfigValueError } from './config/tars-config.ts';
export { ConfigDomain } from './config/domain.ts';
export { parseConfigText, ConfigParseError } from './config/parse.ts';
export { parseConfigPath, formatConfigPath, ConfigPathError, type ConfigPath } from './config/path.ts';
export {
  overridesFromEnv,
  applyOverrides,
  ConfigOverrideError,
  OVERRIDE_VAR_PREFIX,
  OVERRIDE_LIST_VAR,
  type AppliedOverride,
} from './config/overrides.ts';
export { configPathFrom } from './config/locate.ts';
export { readServerConfig, type ServerConfig, type ClientConfig, type AdapterConfig } from './config/server-config.ts';

// Logging
export { ServiceLogger, tarsLineFormat, logDirectory, type Logger, type LoggerOptions, type LogFileOptions } from './logging/logger.ts';
export {
  LOG_LEVELS,
  parseLogLevel,
  levelEnabled,
  formatTarsLine,
  formatMessage,
  formatTimestamp,
  formatDay,
  type LogLevel,
  type MessageLevel,
} from './logging/format.ts';
export { SizeRollingFileTransport, DayFileTransport, type SizeRollingOptions, type DayFileOptions } from './logging/file-transports.ts';

// Metrics and health
export { ServiceMetrics, type MetricsOptions } from './metrics/metrics.ts';
export { Health, type ReadinessCheck, type ReadinessReport, type CheckResult } from './metrics/health.ts';
export { registerAdapterMetrics } from './metrics/adapter-metrics.ts';
export { startMonitorServer, type MonitorServer, type MonitorServerOptions } from './metrics/http-server.ts';

// Lifecycle
export { Shutdown, runStopHooks, type StopHook, type StopOrder, type StopOutcome, type ShutdownOptions } from './lifecycle/shutdown.ts';
export { NodeKeepAlive, type NodeKeepAliveOptions, type NodeServerF } from './lifecycle/node-keepalive.ts';

// Admin
export { AdminCommands, registerBuiltinCommands, splitCommand, type CommandHandler, type CommandInfo, type BuiltinCommandDeps } from './admin/commands.ts';
export { AdminServant, ADMIN_SERVANT_NAME, describeAdapters, type AdminServantDeps } from './admin/admin-servant.ts';

// Host
export { ServiceHost, type ServiceHostOptions } from './host/service-host.ts';
export { serveServants, syncedOrStopped, type ServantPlacement, type ServedServants } from './host/serve-servants.ts';
