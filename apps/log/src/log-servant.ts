/**
 * tars.tarslog.LogObj: LogF `logger` and `loggerbyInfo`, writing lines verbatim (each prefixed
 * with the caller's node name when ipfix is on) to the file upstream LogImp would use. The reply
 * goes out once the lines are written. A refused name answers the call with an error
 * (-99, "refused: ...") and writes nothing; the server keeps serving.
 */
import { LogF as LF } from '@tars-ts/interfaces';
import type { Current, Logger } from '@tars-ts/rpc';
import type { LogFiles } from './log-files.ts';
import { LogNameError } from './log-names.ts';
import type { LogRules } from './log-rules.ts';
import { loggerByInfoTarget, loggerTarget, type LogTarget, type TimeContext } from './log-target.ts';
import { localOffsetMinutes } from './strftime.ts';

/** LogInfo.sFilename that marks call-trace lines (TarsCpp/TarsJava tracing). */
export const TRACE_FILE = '_t_trace_';
const TRACE_APP = '_tars_';
const TRACE_SERVER = '_trace_';
/** Trace lines longer than this are skipped, as upstream does. */
const TRACE_MAX_LINE_BYTES = 1_000_000;

export interface LogCounters {
  calls: number;
  lines: number;
  refused: number;
  failed: number;
  traceLinesSkipped: number;
}

export interface RemoteLogServantOptions {
  files: LogFiles;
  rules: () => LogRules;
  logger: Logger;
  clock?: () => number;
  /** Zone of the time in file names; default the process's. */
  utcOffsetMinutes?: number;
}

const WARN_EVERY_MS = 10_000;

export class RemoteLogServant extends LF.LogServant {
  readonly counters: LogCounters = { calls: 0, lines: 0, refused: 0, failed: 0, traceLinesSkipped: 0 };
  readonly #o: RemoteLogServantOptions;
  readonly #clock: () => number;
  #lastWarn = -Infinity;

  constructor(options: RemoteLogServantOptions) {
    super();
    this.#o = options;
    this.#clock = options.clock ?? Date.now;
  }

  logger(current: Current, app: string, server: string, file: string, format: string, buffer: string[]): Promise<void> {
    return this.#write(current, () => loggerTarget(app, server, file, format, this.#o.rules(), this.#time()), buffer, '|');
  }

  loggerbyInfo(current: Current, info: LF.LogInfo, buffer: string[]): Promise<void> {
    if (info.sFilename === TRACE_FILE) return this.#trace(current, info, buffer);
    return this.#write(current, () => loggerByInfoTarget(info, this.#o.rules(), this.#time()), buffer, info.sSepar);
  }

  // Trace lines go to the fixed _tars_/_trace_ log with app and server in each line.
  #trace(current: Current, info: LF.LogInfo, buffer: string[]): Promise<void> {
    const lines: string[] = [];
    for (const line of buffer) {
      if (Buffer.byteLength(line) > TRACE_MAX_LINE_BYTES) this.counters.traceLinesSkipped++;
      else lines.push(`${info.appname}|${info.servername}|${line}`);
    }
    return this.#write(current, () => loggerTarget(TRACE_APP, TRACE_SERVER, TRACE_FILE, info.sFormat, this.#o.rules(), this.#time()), lines, '|');
  }

  async #write(current: Current, target: () => LogTarget, buffer: string[], separator: string): Promise<void> {
    this.counters.calls++;
    let t: LogTarget;
    try {
      t = target();
    } catch (e) {
      if (e instanceof LogNameError) {
        this.counters.refused++;
        this.#warn(`${current.funcName} from ${current.remoteAddress}: ${e.message}`);
      }
      throw e;
    }
    if (buffer.length === 0) return;
    const prefix = this.#o.rules().ipPrefix ? nodeNameOf(current) + separator : '';
    const data = prefix === '' ? buffer.join('') : prefix + buffer.join(prefix);
    try {
      await this.#o.files.append(t, data);
      this.counters.lines += buffer.length;
    } catch (e) {
      this.counters.failed++;
      this.#warn(`${current.funcName}: writing ${t.dirs.join('/')}/${t.file} failed: ${(e as Error).message}`);
      throw e;
    }
  }

  #time(): TimeContext {
    const nowMs = this.#clock();
    return { nowMs, utcOffsetMinutes: this.#o.utcOffsetMinutes ?? localOffsetMinutes(nowMs) };
  }

  #warn(message: string): void {
    const now = Date.now();
    if (now - this.#lastWarn < WARN_EVERY_MS) return;
    this.#lastWarn = now;
    const c = this.counters;
    this.#o.logger.warn(`${message} (so far ${c.refused} refused, ${c.failed} failed)`);
  }
}

/** TarsCpp getHostName(): context node_name, else the peer IP (IPv4-mapped IPv6 unwrapped). */
function nodeNameOf(current: Current): string {
  const host = current.callerHost;
  return host.startsWith('::ffff:') ? host.slice(7) : host;
}
