// @tars-ts/app-log: what the standalone app starts in-process.
export {
  createLogService,
  startLogService,
  LOG_SERVANT,
  LOG_DEFAULT_ENDPOINT,
  LOG_DEFAULT_PATH,
  type LogService,
  type LogServiceOptions,
  type RunningLogService,
} from './log-service.ts';
export { RemoteLogServant, TRACE_FILE, type LogCounters } from './log-servant.ts';
export { logRulesFromConfig, DEFAULT_LOG_RULES, type LogRules } from './log-rules.ts';
export { loggerTarget, loggerByInfoTarget, type LogTarget } from './log-target.ts';
export { LogNameError } from './log-names.ts';
export { registerReloadLogFormat } from './log-admin.ts';
