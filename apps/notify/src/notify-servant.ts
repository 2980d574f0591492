/**
 * tars.tarsnotify.NotifyObj: every method turns its call into one NotifyRow, passes the
 * per-server rate limit, and queues it in the monitor store. Replies do not wait for storage
 * (clients ignore them; @tars/notify and TarsCpp send and forget).
 *
 * Level rules (README "Levels"): reportServer and REPORT-type reportNotifyInfo take the level
 * from the message text, notifyServer and NOTIFY-type reportNotifyInfo from the enum.
 */
import { Servant, type Current, type Logger } from '@tars-ts/rpc';
import { NotifyF } from '@tars-ts/interfaces';
import type { MonitorStore, NotifyRow } from '@tars-ts/storage';
import { LegacyNotifyDescriptor, type NotifyInfo, type NotifyKey } from './legacy-notify-descriptor.ts';
import { levelFromEnum, levelFromText } from './notify-levels.ts';
import { notifyRow, splitServerName, type NotifyFields } from './notify-record.ts';
import type { NotifyRateLimiter } from './rate-limit.ts';

export interface NotifyCounters {
  /** Calls that produced a record. */
  received: number;
  /** Records queued in the store. */
  stored: number;
  /** Records dropped by the per-server limit. */
  rateLimited: number;
  /** Records the store refused (its buffer was full) or rejected as invalid. */
  storeRejected: number;
}

/** Pod IP → `<pod>.<app-server>`, as the K8S edition's pod watch provides; undefined = unknown. */
export type PodNameOf = (ip: string) => string | undefined;

export interface NotifyServantOptions {
  store: Pick<MonitorStore, 'writeNotify'>;
  limiter: NotifyRateLimiter;
  logger: Logger;
  podNameOf?: PodNameOf;
  clock?: () => number;
  utcOffsetMinutes?: number;
}

const LOG_EVERY_MS = 10_000;

export class NotifyServant extends Servant {
  static readonly descriptor = LegacyNotifyDescriptor;
  readonly counters: NotifyCounters = { received: 0, stored: 0, rateLimited: 0, storeRejected: 0 };
  readonly #o: NotifyServantOptions;
  readonly #clock: () => number;
  #lastDropLog = -Infinity;

  constructor(options: NotifyServantOptions) {
    super();
    this.#o = options;
    this.#clock = options.clock ?? Date.now;
  }

  reportNotifyInfo(current: Current, info: NotifyF.ReportInfo): void {
    const level = info.eType === NotifyF.ReportType.NOTIFY ? levelFromEnum(info.eLevel) : levelFromText(info.sMessage);
    this.#record(current, {
      app: info.sApp,
      server: info.sServer,
      podName: this.#podName(info.sNodeName || current.remoteAddress),
      impThread: info.sThreadId,
      level,
      message: info.sMessage,
      source: 'server',
    });
  }

  reportServer(current: Current, sServerName: string, sThreadId: string, sMessage: string): void {
    this.#record(current, {
      ...splitServerName(sServerName),
      podName: this.#podName(current.remoteAddress),
      impThread: sThreadId,
      level: levelFromText(sMessage),
      message: sMessage,
      source: 'program',
    });
  }

  notifyServer(current: Current, sServerName: string, level: number, sMessage: string): void {
    this.#record(current, {
      ...splitServerName(sServerName),
      podName: this.#podName(current.remoteAddress),
      impThread: '',
      level: levelFromEnum(level),
      message: sMessage,
      source: 'program',
    });
  }

  // As the K8S edition: no paged history over RPC (TarsWeb reads the store), an empty answer.
  getNotifyInfo(_current: Current, _stKey: NotifyKey): { ret: number; stInfo: NotifyInfo } {
    return { ret: 0, stInfo: { nextpage: 0, notifyItems: [] } };
  }

  #podName(host: string): string {
    const ip = host.startsWith('::ffff:') ? host.slice(7) : host;
    return this.#o.podNameOf?.(ip) ?? ip;
  }

  #record(current: Current, fields: NotifyFields): void {
    this.counters.received++;
    const now = this.#clock();
    if (!this.#o.limiter.allow(`${fields.app}.${fields.server}`, now)) {
      this.counters.rateLimited++;
      this.#warnDropped(`rate limit of ${fields.app}.${fields.server} reached (${this.#o.limiter.limit.count} per ${this.#o.limiter.limit.intervalMs / 1000} s)`);
      return;
    }
    const row: NotifyRow = notifyRow(fields, now, this.#o.utcOffsetMinutes);
    let accepted = 0;
    try {
      accepted = this.#o.store.writeNotify([row]);
    } catch (e) {
      this.#warnDropped(`${current.funcName} from ${current.remoteAddress}: ${(e as Error).message}`);
    }
    if (accepted === 1) this.counters.stored++;
    else {
      this.counters.storeRejected++;
      this.#warnDropped(`the monitor store did not take a notification of ${fields.app}.${fields.server}`);
    }
  }

  // At most one line per 10 s: a flood of drops must not become a flood of log lines.
  #warnDropped(reason: string): void {
    const now = Date.now();
    if (now - this.#lastDropLog < LOG_EVERY_MS) return;
    this.#lastDropLog = now;
    const c = this.counters;
    this.#o.logger.warn(`notification dropped: ${reason} (so far: ${c.rateLimited} rate-limited, ${c.storeRejected} refused by the store)`);
  }
}
