import { inspect } from 'node:util';

/** Tars log levels, most to least severe filter: NONE logs nothing, DEBUG everything. */
export const LOG_LEVELS = ['NONE', 'ERROR', 'WARN', 'INFO', 'DEBUG'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** The levels a message can have. */
export type MessageLevel = Exclude<LogLevel, 'NONE'>;

/** winston's level numbers for our levels (lower = more severe, as winston expects). */
export const WINSTON_LEVELS: Record<Lowercase<MessageLevel>, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** `level` as a Tars level (case-insensitive), or undefined when it is not one. */
export function parseLogLevel(level: string): LogLevel | undefined {
  const upper = level.trim().toUpperCase();
  return (LOG_LEVELS as readonly string[]).includes(upper) ? (upper as LogLevel) : undefined;
}

/** True when a message of `message` level passes a logger set to `threshold`. */
export function levelEnabled(threshold: LogLevel, message: MessageLevel): boolean {
  return LOG_LEVELS.indexOf(message) <= LOG_LEVELS.indexOf(threshold);
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/** `YYYY-MM-DD HH:MM:SS` in local time, as winston-tars and TarsCpp write it. */
export function formatTimestamp(time: Date): string {
  return (
    `${time.getFullYear()}-${pad2(time.getMonth() + 1)}-${pad2(time.getDate())} ` +
    `${pad2(time.getHours())}:${pad2(time.getMinutes())}:${pad2(time.getSeconds())}`
  );
}

/** `YYYYMMDD` in local time: the date suffix of day log files. */
export function formatDay(time: Date): string {
  return `${time.getFullYear()}${pad2(time.getMonth() + 1)}${pad2(time.getDate())}`;
}

/** One log line without the newline: `2026-11-24 19:29:32|<pid>|INFO|message` (winston-tars Detail). */
export function formatTarsLine(time: Date, pid: number, level: MessageLevel, message: string): string {
  return `${formatTimestamp(time)}|${pid}|${level}|${message}`;
}

/**
 * The message text of a call such as `log.error('load failed', err, { file })`: each extra argument
 * is appended after `|` (an Error as its stack, an object as JSON, anything else as text), as
 * winston-tars appends its meta.
 */
export function formatMessage(message: unknown, meta: readonly unknown[]): string {
  let out = typeof message === 'string' ? message : describe(message);
  for (const m of meta) out += '|' + describe(m);
  return out;
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    try {
      return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    } catch {
      return inspect(value, { depth: 4, breakLength: Infinity }); // cycles
    }
  }
  return String(value);
}
