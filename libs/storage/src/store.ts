/**
 * The monitoring store every service uses (stat, property, notify, kevent write; querystat,
 * queryproperty read). `BufferedStore` holds what both backends share — validation, bounded
 * buffers with retry, query normalization, retention cut-offs — and a `MonitorBackend` does the
 * storage-specific work.
 */
import type { StoreLogger } from './logger.ts';
import { silentLogger } from './logger.ts';
import { indexLayout, type DataKind, type IndexLayout } from './names.ts';
import {
  normalizeQuery,
  PROPERTY_SPEC,
  STAT_SPEC,
  type MonitorQuery,
  type MonitorQueryResult,
  type NormalizedQuery,
} from './query.ts';
import {
  validateKEventRows,
  validateNotifyRows,
  validatePropertyRows,
  validateStatRows,
  type KEventRow,
  type NotifyRow,
  type PropertyRow,
  type StatRow,
} from './rows.ts';
import { formatDate } from './time-labels.ts';
import {
  mergeBufferOptions,
  WriteBuffer,
  type BufferCounters,
  type BufferOptions,
  type RetryOptions,
  type SinkOutcome,
} from './write-buffer.ts';

export interface NotifyQuery {
  app?: string;
  server?: string;
  podName?: string;
  level?: string;
  /** Epoch seconds, inclusive. */
  from?: number;
  /** Epoch seconds, inclusive. */
  to?: number;
  /** Newest first; default 100. */
  limit?: number;
}

export interface KEventQuery {
  /** `involvedObject.namespace` */
  namespace?: string;
  /** `involvedObject.kind` */
  kind?: string;
  /** `involvedObject.name` */
  name?: string;
  type?: string;
  reason?: string;
  from?: number;
  to?: number;
  limit?: number;
}

/** Days each kind is kept (upstream template `tars.es` ages: stat/property 15d, notify/kevent 3d). */
export interface RetentionDays {
  stat: number;
  property: number;
  notify: number;
  kevent: number;
}

export const DEFAULT_RETENTION_DAYS: RetentionDays = { stat: 15, property: 15, notify: 3, kevent: 3 };

export interface RetentionCutoffs {
  /** The current day (YYYYMMDD); days before it are closed and will not grow any more. */
  today: string;
  /** Daily stat/property indices or tables with a date before this are removed. */
  statBefore: string;
  propertyBefore: string;
  /** Notify/kevent records with `timestamp` (epoch s) before this are removed. */
  notifyBefore: number;
  keventBefore: number;
}

export interface RetentionReport {
  /** Daily indices/tables removed. */
  dropped: string[];
  /** Records removed from the notify and kevent streams (-1 when the backend cannot tell). */
  notifyDeleted: number;
  keventDeleted: number;
  /** Closed daily tables rewritten in query order (DuckDB only; empty on Elasticsearch). */
  compacted: string[];
}

export interface MonitorStore {
  readonly backend: 'duckdb' | 'elasticsearch';
  readonly layout: IndexLayout;
  /** Validates and queues rows; returns how many were accepted (the rest overflowed). Throws InvalidRowError on bad input without queueing any row of the call. */
  writeStat(rows: readonly StatRow[]): number;
  writeProperty(rows: readonly PropertyRow[]): number;
  writeNotify(rows: readonly NotifyRow[]): number;
  /** Each `uid:resourceVersion` is stored once, also across restarts. */
  writeKEvents(rows: readonly KEventRow[]): number;
  /** Writes everything queued so far. */
  flush(): Promise<void>;
  /** MonitorQuery over stat rows (tarsquerystat). Throws QueryError on a bad request. */
  queryStat(query: MonitorQuery): Promise<MonitorQueryResult>;
  /** MonitorQuery over property rows (tarsqueryproperty). */
  queryProperty(query: MonitorQuery): Promise<MonitorQueryResult>;
  queryNotify(query: NotifyQuery): Promise<NotifyRow[]>;
  queryKEvents(query: KEventQuery): Promise<KEventRow[]>;
  /**
   * Removes data older than the retention days, relative to `nowMs`; on DuckDB also compacts
   * closed days (see README). Call it once a day.
   */
  applyRetention(nowMs?: number): Promise<RetentionReport>;
  /**
   * Rewrites every daily table written since its last compaction in query order (DuckDB; the
   * backend also does this on a timer, hourly by default). Returns the tables rewritten; always
   * empty on Elasticsearch, which keeps its own index structures.
   */
  compact(): Promise<string[]>;
  counters(): Record<DataKind, BufferCounters>;
  /** Flushes, then releases the backend. Nothing queued is lost on a graceful stop. */
  close(): Promise<void>;
}

/** What a storage engine implements; rows arrive validated and batched. */
export interface MonitorBackend {
  readonly kind: 'duckdb' | 'elasticsearch';
  writeStat(rows: StatRow[]): Promise<SinkOutcome<StatRow> | void>;
  writeProperty(rows: PropertyRow[]): Promise<SinkOutcome<PropertyRow> | void>;
  writeNotify(rows: NotifyRow[]): Promise<SinkOutcome<NotifyRow> | void>;
  writeKEvents(rows: KEventRow[]): Promise<SinkOutcome<KEventRow> | void>;
  queryStat(query: NormalizedQuery): Promise<MonitorQueryResult>;
  queryProperty(query: NormalizedQuery): Promise<MonitorQueryResult>;
  queryNotify(query: NotifyQuery, limit: number): Promise<NotifyRow[]>;
  queryKEvents(query: KEventQuery, limit: number): Promise<KEventRow[]>;
  applyRetention(cutoffs: RetentionCutoffs): Promise<RetentionReport>;
  compact(): Promise<string[]>;
  close(): Promise<void>;
}

export type BufferSettings = Partial<Omit<BufferOptions, 'retry'>> & { retry?: Partial<RetryOptions> };

export interface StoreOptions {
  /** Kubernetes namespace of the framework; prefixes every index/table name. */
  namespace: string;
  retentionDays?: Partial<RetentionDays>;
  /** Buffer settings for all kinds, optionally overridden per kind. */
  buffer?: BufferSettings & { perKind?: Partial<Record<DataKind, BufferSettings>> };
  logger?: StoreLogger;
  /** Offset used to compute retention dates; default: the process's local zone. */
  utcOffsetMinutes?: number;
}

const DAY_MS = 86_400_000;

export class BufferedStore implements MonitorStore {
  readonly layout: IndexLayout;
  readonly #backend: MonitorBackend;
  readonly #retention: RetentionDays;
  readonly #utcOffsetMinutes: number | undefined;
  readonly #stat: WriteBuffer<StatRow>;
  readonly #property: WriteBuffer<PropertyRow>;
  readonly #notify: WriteBuffer<NotifyRow>;
  readonly #kevent: WriteBuffer<KEventRow>;
  #closed: Promise<void> | undefined;

  constructor(backend: MonitorBackend, options: StoreOptions) {
    this.layout = indexLayout(options.namespace);
    this.#backend = backend;
    this.#retention = { ...DEFAULT_RETENTION_DAYS, ...options.retentionDays };
    for (const [kind, days] of Object.entries(this.#retention)) {
      if (!Number.isInteger(days) || days < 1) throw new RangeError(`retention days for ${kind} must be a positive integer, got ${days}`);
    }
    this.#utcOffsetMinutes = options.utcOffsetMinutes;
    const logger = options.logger ?? silentLogger;
    const { perKind, ...common } = options.buffer ?? {};
    const settings = (kind: DataKind) => {
      const own = perKind?.[kind];
      return mergeBufferOptions({ ...common, ...own, retry: { ...common.retry, ...own?.retry } });
    };
    this.#stat = new WriteBuffer('stat', (rows) => backend.writeStat(rows), settings('stat'), logger);
    this.#property = new WriteBuffer('property', (rows) => backend.writeProperty(rows), settings('property'), logger);
    this.#notify = new WriteBuffer('notify', (rows) => backend.writeNotify(rows), settings('notify'), logger);
    this.#kevent = new WriteBuffer('kevent', (rows) => backend.writeKEvents(rows), settings('kevent'), logger);
  }

  get backend(): 'duckdb' | 'elasticsearch' {
    return this.#backend.kind;
  }

  writeStat(rows: readonly StatRow[]): number {
    validateStatRows(rows);
    return this.#stat.push(rows);
  }

  writeProperty(rows: readonly PropertyRow[]): number {
    validatePropertyRows(rows);
    return this.#property.push(rows);
  }

  writeNotify(rows: readonly NotifyRow[]): number {
    validateNotifyRows(rows);
    return this.#notify.push(rows);
  }

  writeKEvents(rows: readonly KEventRow[]): number {
    validateKEventRows(rows);
    return this.#kevent.push(rows);
  }

  async flush(): Promise<void> {
    await Promise.all([this.#stat.flush(), this.#property.flush(), this.#notify.flush(), this.#kevent.flush()]);
  }

  async queryStat(query: MonitorQuery): Promise<MonitorQueryResult> {
    return this.#backend.queryStat(normalizeQuery(STAT_SPEC, query));
  }

  async queryProperty(query: MonitorQuery): Promise<MonitorQueryResult> {
    return this.#backend.queryProperty(normalizeQuery(PROPERTY_SPEC, query));
  }

  async queryNotify(query: NotifyQuery): Promise<NotifyRow[]> {
    return this.#backend.queryNotify(query, checkLimit(query.limit));
  }

  async queryKEvents(query: KEventQuery): Promise<KEventRow[]> {
    return this.#backend.queryKEvents(query, checkLimit(query.limit));
  }

  async applyRetention(nowMs = Date.now()): Promise<RetentionReport> {
    const dayBefore = (days: number) => formatDate(nowMs - days * DAY_MS, this.#utcOffsetMinutes);
    const report = await this.#backend.applyRetention({
      today: formatDate(nowMs, this.#utcOffsetMinutes),
      statBefore: dayBefore(this.#retention.stat),
      propertyBefore: dayBefore(this.#retention.property),
      notifyBefore: Math.floor(nowMs / 1000) - this.#retention.notify * 86_400,
      keventBefore: Math.floor(nowMs / 1000) - this.#retention.kevent * 86_400,
    });
    return { ...report, dropped: [...report.dropped].sort() };
  }

  compact(): Promise<string[]> {
    return this.#backend.compact();
  }

  counters(): Record<DataKind, BufferCounters> {
    return {
      stat: this.#stat.counters(),
      property: this.#property.counters(),
      notify: this.#notify.counters(),
      kevent: this.#kevent.counters(),
    };
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      try {
        await Promise.all([this.#stat.close(), this.#property.close(), this.#notify.close(), this.#kevent.close()]);
      } finally {
        await this.#backend.close();
      }
    })();
    return this.#closed;
  }
}

function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new RangeError(`limit must be an integer 1-10000, got ${limit}`);
  return limit;
}
