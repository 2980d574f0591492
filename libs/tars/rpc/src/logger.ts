// Minimal pluggable logger: libs/service provides a winston-backed one.

export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

const noop = (): void => {};

export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

function toStderr(level: string) {
  return (message: string, meta?: Record<string, unknown>): void => {
    process.stderr.write(`[tars-rpc] ${level} ${message}${meta ? ' ' + JSON.stringify(meta) : ''}\n`);
  };
}

/** Default: warnings and errors to stderr, nothing else. */
export const stderrLogger: Logger = { debug: noop, info: noop, warn: toStderr('warn'), error: toStderr('error') };
