/**
 * The log service without a host: files, rules, servant. main.ts puts it on a ServiceHost; the
 * standalone app and tests call startLogService.
 */
import { createServer, type Logger, type TarsServer } from '@tars-ts/rpc';
import { LogFiles } from './log-files.ts';
import { DEFAULT_LOG_RULES, type LogRules } from './log-rules.ts';
import { RemoteLogServant, type LogCounters } from './log-servant.ts';

/** The K8S edition's object name (tarslog, port 12111). */
export const LOG_SERVANT = 'tars.tarslog.LogObj';
export const LOG_DEFAULT_ENDPOINT = 'tcp -h 0.0.0.0 -p 12111 -t 60000';
/** `/tars/log<logpath>` of the K8S edition. */
export const LOG_DEFAULT_PATH = '/usr/local/app/tars/remote_app_log';

export interface LogServiceOptions {
  /** The log directory; created when missing. */
  logPath: string;
  logger: Logger;
  rules?: LogRules;
  clock?: () => number;
  utcOffsetMinutes?: number;
  /** Open file handles kept (default 256). */
  maxOpenFiles?: number;
}

export interface LogService {
  readonly servant: RemoteLogServant;
  readonly files: LogFiles;
  rules(): LogRules;
  /** Replaces the config rules (the `reloadLogFormat` admin command). */
  setRules(rules: LogRules): void;
  counters(): LogCounters & { openFiles: number };
  /** Waits for queued writes and closes the files. */
  stop(): Promise<void>;
}

export function createLogService(o: LogServiceOptions): LogService {
  let rules = o.rules ?? DEFAULT_LOG_RULES;
  const files = new LogFiles({ root: o.logPath, maxOpen: o.maxOpenFiles, clock: o.clock });
  const servant = new RemoteLogServant({ files, rules: () => rules, logger: o.logger, clock: o.clock, utcOffsetMinutes: o.utcOffsetMinutes });
  return {
    servant,
    files,
    rules: () => rules,
    setRules: (r) => {
      rules = r;
    },
    counters: () => ({ ...servant.counters, openFiles: files.openFiles }),
    stop: () => files.close(),
  };
}

export interface RunningLogService extends LogService {
  readonly server: TarsServer;
  /** `tars.tarslog.LogObj@tcp -h H -p P` (the actual port when 0 was asked for). */
  readonly proxyString: string;
}

/** Serves LogObj on its own RPC server (standalone mode, tests). */
export async function startLogService(o: LogServiceOptions & { endpoint?: string; servantName?: string }): Promise<RunningLogService> {
  const svc = createLogService(o);
  const name = o.servantName ?? LOG_SERVANT;
  const server = createServer({ logger: o.logger });
  server.addServant(svc.servant, name, o.endpoint ?? LOG_DEFAULT_ENDPOINT);
  await server.start();
  return {
    ...svc,
    server,
    proxyString: server.proxyString(name),
    async stop() {
      // Calls in flight finish (and are written) first.
      await server.stop();
      await svc.stop();
    },
  };
}
