import { join } from 'node:path';
import type { Writable } from 'node:stream';
import winston from 'winston';
import type TransportStream from 'winston-transport';
import { DayFileTransport, SizeRollingFileTransport } from './file-transports.ts';
import { formatMessage, formatTarsLine, levelEnabled, parseLogLevel, WINSTON_LEVELS, type LogLevel, type MessageLevel } from './format.ts';

/** What other libraries accept as a logger; a ServiceLogger, console-like objects and test spies fit. */
export interface Logger {
  debug(message: string, ...meta: unknown[]): void;
  info(message: string, ...meta: unknown[]): void;
  warn(message: string, ...meta: unknown[]): void;
  error(message: string, ...meta: unknown[]): void;
}

export interface LogFileOptions {
  /** `/tars/application/server<logpath>`; the file is `<logpath>/<app>/<server>/<app>.<server>.log`. */
  logpath: string;
  app: string;
  server: string;
  /** Bytes before rolling (`logsize`); default 50 MiB as TarsCpp. */
  maxSize?: number;
  /** Files kept including the current (`lognum`); default 10. */
  maxFiles?: number;
  /** `size` (default): `<app>.<server>.log` rolled by size; `day`: `<app>.<server>_<YYYYMMDD>.log`. */
  roll?: 'size' | 'day';
}

export interface LoggerOptions {
  /** Tars level name (case-insensitive); default DEBUG, as TarsCpp. */
  level?: string;
  /** Local file output rolling by size. */
  file?: LogFileOptions;
  /** Write lines to stdout (standalone and development). */
  console?: boolean;
  /** Write lines to this stream as well (tests, custom sinks). */
  stream?: Writable;
  /** Wall clock for time stamps and day files; tests pass a fixed one. */
  clock?: () => Date;
  pid?: number;
}

const MESSAGE = Symbol.for('message');

/** The winston format writing the Tars line `date time|pid|LEVEL|message`. */
export function tarsLineFormat(clock: () => Date = () => new Date(), pid: number = process.pid): winston.Logform.Format {
  return winston.format((info) => {
    (info as Record<symbol, unknown>)[MESSAGE] = formatTarsLine(clock(), pid, info.level.toUpperCase() as MessageLevel, String(info.message));
    return info;
  })();
}

/** The directory of a service's local logs: `<logpath>/<app>/<server>`. */
export function logDirectory(file: Pick<LogFileOptions, 'logpath' | 'app' | 'server'>): string {
  return join(file.logpath, file.app, file.server);
}

/** A winston logger in the Tars line format whose level can change at run time (`tars.setloglevel`). */
export class ServiceLogger implements Logger {
  readonly winston: winston.Logger;
  private readonly options: LoggerOptions;
  private threshold: LogLevel = 'DEBUG';
  private readonly dayLoggers = new Map<string, DayLogger>();
  private closed = false;

  constructor(options: LoggerOptions = {}) {
    this.options = options;
    const transports: TransportStream[] = [];
    const file = options.file;
    if (file) {
      const dir = logDirectory(file);
      const basename = `${file.app}.${file.server}`;
      transports.push(
        file.roll === 'day'
          ? new DayFileTransport({ dir, basename, clock: options.clock })
          : new SizeRollingFileTransport({ dir, basename, maxSize: file.maxSize ?? 50 * 1024 * 1024, maxFiles: file.maxFiles ?? 10 }),
      );
    }
    if (options.console) transports.push(new winston.transports.Console());
    if (options.stream) transports.push(new winston.transports.Stream({ stream: options.stream }));
    this.winston = winston.createLogger({
      levels: WINSTON_LEVELS,
      format: tarsLineFormat(options.clock, options.pid),
      transports,
      // With no output configured winston would complain on every line; stay quiet instead.
      silent: transports.length === 0,
    });
    this.setLevel(options.level ?? 'DEBUG');
  }

  get level(): LogLevel {
    return this.threshold;
  }

  /** Changes the level; throws on a name that is not a Tars level. Returns the new level. */
  setLevel(level: string): LogLevel {
    const parsed = parseLogLevel(level);
    if (!parsed) throw new Error(`unknown log level "${level}" (expected one of NONE, ERROR, WARN, INFO, DEBUG)`);
    this.threshold = parsed;
    if (parsed !== 'NONE') this.winston.level = parsed.toLowerCase();
    return parsed;
  }

  isEnabled(level: MessageLevel): boolean {
    return levelEnabled(this.threshold, level);
  }

  debug(message: string, ...meta: unknown[]): void {
    this.write('DEBUG', message, meta);
  }
  info(message: string, ...meta: unknown[]): void {
    this.write('INFO', message, meta);
  }
  warn(message: string, ...meta: unknown[]): void {
    this.write('WARN', message, meta);
  }
  error(message: string, ...meta: unknown[]): void {
    this.write('ERROR', message, meta);
  }

  /**
   * A day log beside the main log, `<app>.<server>_<name>_<YYYYMMDD>.log` (TarsCpp's TLOGEX files,
   * e.g. the registry's `query` log). It is not filtered by the level; NONE silences it too.
   */
  dayLog(name: string): Logger {
    const file = this.options.file;
    if (!file) throw new Error('day logs need file output (LoggerOptions.file)');
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`invalid day log name "${name}"`);
    let logger = this.dayLoggers.get(name);
    if (!logger) {
      const transport = new DayFileTransport({ dir: logDirectory(file), basename: `${file.app}.${file.server}_${name}`, clock: this.options.clock });
      logger = new DayLogger(transport, this.options.clock ?? (() => new Date()), this.options.pid ?? process.pid, () => !this.closed && this.threshold !== 'NONE');
      this.dayLoggers.set(name, logger);
    }
    return logger;
  }

  /** Flushes and closes every output; later lines are dropped (the last stop hooks may still log). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const done = new Promise<void>((resolve) => this.winston.once('finish', () => resolve()));
    this.winston.end();
    await done;
    for (const t of this.winston.transports) t.close?.();
    for (const d of this.dayLoggers.values()) d.close();
  }

  private write(level: MessageLevel, message: string, meta: unknown[]): void {
    if (this.closed || !levelEnabled(this.threshold, level)) return;
    this.winston.log(level.toLowerCase(), formatMessage(message, meta));
  }
}

/** Writes straight to its day file: day logs are records (queries, readiness), not diagnostics. */
class DayLogger implements Logger {
  private readonly transport: DayFileTransport;
  private readonly clock: () => Date;
  private readonly pid: number;
  private readonly enabled: () => boolean;

  constructor(transport: DayFileTransport, clock: () => Date, pid: number, enabled: () => boolean) {
    this.transport = transport;
    this.clock = clock;
    this.pid = pid;
    this.enabled = enabled;
  }

  debug(message: string, ...meta: unknown[]): void {
    this.write('DEBUG', message, meta);
  }
  info(message: string, ...meta: unknown[]): void {
    this.write('INFO', message, meta);
  }
  warn(message: string, ...meta: unknown[]): void {
    this.write('WARN', message, meta);
  }
  error(message: string, ...meta: unknown[]): void {
    this.write('ERROR', message, meta);
  }

  close(): void {
    this.transport.close();
  }

  private write(level: MessageLevel, message: string, meta: unknown[]): void {
    if (!this.enabled()) return; // NONE, or the owning logger is closed
    this.transport.writeLine(formatTarsLine(this.clock(), this.pid, level, formatMessage(message, meta)) + '\n');
  }
}
