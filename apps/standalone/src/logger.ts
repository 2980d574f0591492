// One console logger for the whole process; each service's lines carry its name, so a newcomer
// can tell which of the ten services in this process said what.
import type { Logger } from '@tars-ts/rpc';
import type { StoreLogger } from '@tars-ts/storage';

export function prefixed(logger: Logger, prefix: string): Logger {
  return {
    debug: (m, ...meta) => logger.debug(`[${prefix}] ${m}`, ...meta),
    info: (m, ...meta) => logger.info(`[${prefix}] ${m}`, ...meta),
    warn: (m, ...meta) => logger.warn(`[${prefix}] ${m}`, ...meta),
    error: (m, ...meta) => logger.error(`[${prefix}] ${m}`, ...meta),
  };
}

/** The monitor store's logger shape (message + fields) on a service logger. */
export function storeLogger(logger: Logger): StoreLogger {
  const line = (m: string, fields?: Record<string, unknown>) => (fields && Object.keys(fields).length > 0 ? `${m} ${JSON.stringify(fields)}` : m);
  return {
    info: (m, f) => logger.info(line(m, f)),
    warn: (m, f) => logger.warn(line(m, f)),
    error: (m, f) => logger.error(line(m, f)),
  };
}
