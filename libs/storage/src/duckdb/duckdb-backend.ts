/**
 * The embedded backend: DuckDB in a file (or `:memory:`). One connection writes (appenders,
 * DDL, retention), another reads, each used by one statement at a time.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { silentLogger, type StoreLogger } from '../logger.ts';
import { Mutex } from '../mutex.ts';
import { indexLayout, type Dataset, type IndexLayout } from '../names.ts';
import { formatGroupValue, reducePolicy, sortedResult, type MonitorQueryResult, type NormalizedQuery } from '../query.ts';
import { keventId, type KEventRow, type NotifyRow, type PropertyRow, type StatRow } from '../rows.ts';
import type { KEventQuery, MonitorBackend, NotifyQuery, RetentionCutoffs, RetentionReport } from '../store.ts';
import { appendRows } from './append.ts';
import { COMPACT_ORDER, createCompactedTableSql, createKEventTableSql, createTableSql, NOTIFY_COLUMNS, PROPERTY_COLUMNS, quoteIdent, STAT_COLUMNS, type Column } from './schema.ts';
import { propertySql, statSql } from './sql.ts';

export interface DuckDbBackendOptions {
  /** A database file (its directory is created) or `:memory:`. */
  path: string;
  namespace: string;
  /** DuckDB worker threads; default: DuckDB's own (one per core). */
  threads?: number;
  /** DuckDB `memory_limit`, e.g. '1GB'; default: DuckDB's own (80% of RAM). */
  memoryLimit?: string;
  /** How often tables written since their last compaction are compacted; 0 = only on request. */
  compactIntervalMs?: number;
  logger?: StoreLogger;
}

const DEFAULT_COMPACT_INTERVAL_MS = 3_600_000;

const KEVENT_INSERT_ROWS = 200;

export class DuckDbBackend implements MonitorBackend {
  readonly kind = 'duckdb' as const;
  readonly #instance: DuckDBInstance;
  readonly #writer: DuckDBConnection;
  readonly #writeLock = new Mutex();
  /** Readers, each used by one query at a time; TarsWeb asks for a day and the day before at once. */
  readonly #readers: { connection: DuckDBConnection; lock: Mutex; waiting: number }[];
  readonly #layout: IndexLayout;
  readonly #tables = new Set<string>();
  readonly #compacted = new Set<string>();
  readonly #compactedTable: string;
  #compactTimer: NodeJS.Timeout | undefined;

  private constructor(instance: DuckDBInstance, writer: DuckDBConnection, readers: DuckDBConnection[], layout: IndexLayout) {
    this.#instance = instance;
    this.#writer = writer;
    this.#readers = readers.map((connection) => ({ connection, lock: new Mutex(), waiting: 0 }));
    this.#layout = layout;
    this.#compactedTable = layout.compactedTable;
  }

  static async open(options: DuckDbBackendOptions): Promise<DuckDbBackend> {
    const layout = indexLayout(options.namespace);
    const path = options.path;
    if (typeof path !== 'string' || path === '' || path.includes('\0')) {
      throw new Error(`invalid DuckDB path ${JSON.stringify(path)}: expected a file path or ":memory:"`);
    }
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const settings: Record<string, string> = {};
    if (options.threads !== undefined) {
      if (!Number.isInteger(options.threads) || options.threads < 1) throw new RangeError(`threads must be a positive integer, got ${options.threads}`);
      settings.threads = String(options.threads);
    }
    if (options.memoryLimit !== undefined) {
      if (!/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(options.memoryLimit)) {
        throw new RangeError(`memoryLimit must look like "512MB" or "2GB", got ${JSON.stringify(options.memoryLimit)}`);
      }
      settings.memory_limit = options.memoryLimit;
    }
    const instance = await DuckDBInstance.create(path, settings);
    const writer = await instance.connect();
    const readers = [await instance.connect(), await instance.connect()];
    const backend = new DuckDbBackend(instance, writer, readers, layout);
    try {
      await writer.run(createTableSql(layout.stream('notify'), NOTIFY_COLUMNS));
      await writer.run(createKEventTableSql(layout.stream('kevent')));
      await writer.run(createCompactedTableSql(backend.#compactedTable));
      const compacted = await writer.runAndReadAll(`SELECT table_name FROM ${quoteIdent(backend.#compactedTable)}`);
      for (const [name] of compacted.getRows()) backend.#compacted.add(String(name));
      const existing = await writer.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'`);
      for (const [name] of existing.getRows()) backend.#tables.add(String(name));
    } catch (e) {
      for (const c of [writer, ...readers]) c.closeSync();
      instance.closeSync();
      throw e;
    }
    const interval = options.compactIntervalMs ?? DEFAULT_COMPACT_INTERVAL_MS;
    if (interval > 0) {
      const logger = options.logger ?? silentLogger;
      backend.#compactTimer = setInterval(() => {
        backend.compact().catch((e: unknown) => logger.error('duckdb compaction failed', { error: String(e) }));
      }, interval);
      backend.#compactTimer.unref();
    }
    return backend;
  }

  /**
   * One batch = one transaction: a batch that fails half-way leaves nothing behind, so the
   * buffer's retry cannot store a row twice.
   */
  #transaction(work: () => Promise<void>): Promise<void> {
    return this.#writeLock.run(async () => {
      await this.#writer.run('BEGIN TRANSACTION');
      try {
        await work();
        await this.#writer.run('COMMIT');
      } catch (e) {
        await this.#writer.run('ROLLBACK');
        throw e;
      }
    });
  }

  #writeDaily<Row extends { f_date: string }>(dataset: Dataset, columns: Column<Row>[], rows: Row[]): Promise<void> {
    const created: string[] = [];
    const unmarked: string[] = [];
    return this.#transaction(async () => {
      const byDate = new Map<string, Row[]>();
      for (const row of rows) {
        let list = byDate.get(row.f_date);
        if (!list) byDate.set(row.f_date, (list = []));
        list.push(row);
      }
      for (const [date, list] of byDate) {
        const table = this.#layout.daily(dataset, date);
        if (!this.#tables.has(table)) {
          await this.#writer.run(createTableSql(table, columns));
          created.push(table);
        }
        await appendRows(this.#writer, table, columns, list);
        // Late rows for a compacted day: still correct, but let the next run re-sort the day.
        if (this.#compacted.has(table)) {
          await this.#writer.run(`DELETE FROM ${quoteIdent(this.#compactedTable)} WHERE table_name = $1`, [table]);
          unmarked.push(table);
        }
      }
    }).then(() => {
      // The in-memory view follows only what was committed.
      for (const t of created) this.#tables.add(t);
      for (const t of unmarked) this.#compacted.delete(t);
    });
  }

  async writeStat(rows: StatRow[]): Promise<void> {
    await this.#writeDaily('stat', STAT_COLUMNS, rows);
  }

  async writeProperty(rows: PropertyRow[]): Promise<void> {
    await this.#writeDaily('property', PROPERTY_COLUMNS, rows);
  }

  async writeNotify(rows: NotifyRow[]): Promise<void> {
    await this.#transaction(() => appendRows(this.#writer, this.#layout.stream('notify'), NOTIFY_COLUMNS, rows));
  }

  /** Insert-or-ignore on the primary key: replays after a restart leave one row per id. */
  async writeKEvents(rows: KEventRow[]): Promise<void> {
    const table = quoteIdent(this.#layout.stream('kevent'));
    await this.#transaction(async () => {
      for (let start = 0; start < rows.length; start += KEVENT_INSERT_ROWS) {
        const part = rows.slice(start, start + KEVENT_INSERT_ROWS);
        const params: (string | number | null)[] = [];
        const tuples: string[] = [];
        for (const row of part) {
          const involved = (row.event.involvedObject ?? {}) as Record<string, unknown>;
          const base = params.length;
          params.push(
            keventId(row),
            row.uid,
            row.resourceVersion,
            row.timestamp,
            textOrNull(involved.namespace),
            textOrNull(involved.kind),
            textOrNull(involved.name),
            textOrNull(row.event.type),
            textOrNull(row.event.reason),
            JSON.stringify(withoutMetadata(row.event)),
          );
          tuples.push(`(${Array.from({ length: 10 }, (_, i) => `$${base + i + 1}`).join(', ')})`);
        }
        await this.#writer.run(`INSERT INTO ${table} VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`, params);
      }
    });
  }

  async queryStat(q: NormalizedQuery): Promise<MonitorQueryResult> {
    const table = this.#layout.daily('stat', q.date);
    const types = q.groupby.map((g) => q.spec.fields[g]!);
    if (!this.#hasTable(table)) return emptyResult(q);
    const { sql, params } = statSql(q, table);
    const rows = (await this.#read(sql, params)).getRows();
    const n = q.indexs.length;
    return sortedResult(
      rows.map((row): [string[], number[]] => [
        types.map((t, i) => formatGroupValue(t, row[n + i])),
        row.slice(0, n).map(Number),
      ]),
    );
  }

  async queryProperty(q: NormalizedQuery): Promise<MonitorQueryResult> {
    const table = this.#layout.daily('property', q.date);
    const types = q.groupby.map((g) => q.spec.fields[g]!);
    if (!this.#hasTable(table)) return emptyResult(q);
    const { sql, params } = propertySql(q, table);
    const rows = (await this.#read(sql, params)).getRows();
    const sums = new Map<string, [string[], number]>();
    for (const row of rows) {
      const groups = types.map((t, i) => formatGroupValue(t, row[5 + i]));
      const value = reducePolicy(String(row[4]), { sum: Number(row[0]), max: Number(row[1]), min: Number(row[2]), avg: Number(row[3]) });
      const key = groups.join(',');
      const entry = sums.get(key);
      if (entry) entry[1] += value;
      else sums.set(key, [groups, value]);
    }
    if (sums.size === 0) return emptyResult(q);
    // Property has one index ("value"); repeat it if the caller asked for it more than once.
    return sortedResult([...sums.values()].map(([groups, v]): [string[], number[]] => [groups, q.indexs.map(() => v)]));
  }

  async queryNotify(query: NotifyQuery, limit: number): Promise<NotifyRow[]> {
    const { where, params } = filters([
      ['app', query.app],
      ['server', query.server],
      ['podName', query.podName],
      ['level', query.level],
    ], query.from, query.to);
    const cols = NOTIFY_COLUMNS.map((c) => `"${c.name}"`).join(', ');
    const sql = `SELECT ${cols} FROM ${quoteIdent(this.#layout.stream('notify'))}${where} ORDER BY timestamp DESC LIMIT ${limit}`;
    const result = await this.#read(sql, params);
    return result.getRowObjectsJS() as unknown as NotifyRow[];
  }

  async queryKEvents(query: KEventQuery, limit: number): Promise<KEventRow[]> {
    const { where, params } = filters([
      ['namespace', query.namespace],
      ['kind', query.kind],
      ['name', query.name],
      ['type', query.type],
      ['reason', query.reason],
    ], query.from, query.to);
    const sql = `SELECT uid, resource_version, timestamp, doc FROM ${quoteIdent(this.#layout.stream('kevent'))}${where} ORDER BY timestamp DESC, id LIMIT ${limit}`;
    const result = await this.#read(sql, params);
    return result.getRows().map(([uid, rv, ts, doc]) => ({
      uid: String(uid),
      resourceVersion: String(rv),
      timestamp: Number(ts),
      event: JSON.parse(String(doc)) as Record<string, unknown>,
    }));
  }

  async applyRetention(cutoffs: RetentionCutoffs): Promise<RetentionReport> {
    return this.#writeLock.run(async () => {
      const dropped: string[] = [];
      for (const table of [...this.#tables].sort()) {
        for (const [dataset, before] of [['stat', cutoffs.statBefore], ['property', cutoffs.propertyBefore]] as const) {
          const date = this.#layout.dateOf(dataset, table);
          if (date !== undefined && date < before) {
            await this.#writer.run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
            this.#tables.delete(table);
            if (this.#compacted.delete(table)) await this.#writer.run(`DELETE FROM ${quoteIdent(this.#compactedTable)} WHERE table_name = $1`, [table]);
            dropped.push(table);
          }
        }
      }
      const remove = async (table: string, before: number) => {
        const r = await this.#writer.run(`DELETE FROM ${quoteIdent(table)} WHERE timestamp < $1`, [before]);
        return Number(r.rowsChanged);
      };
      const notifyDeleted = await remove(this.#layout.stream('notify'), cutoffs.notifyBefore);
      const keventDeleted = await remove(this.#layout.stream('kevent'), cutoffs.keventBefore);
      const compacted = await this.#compactWhere((date) => date < cutoffs.today);
      return { dropped, notifyDeleted, keventDeleted, compacted };
    });
  }

  /** Compacts every daily table written since its last compaction, today's included. */
  compact(): Promise<string[]> {
    return this.#writeLock.run(() => this.#compactWhere(() => true));
  }

  /** Call with the write lock held. */
  async #compactWhere(wanted: (date: string) => boolean): Promise<string[]> {
    const compacted: string[] = [];
    for (const table of [...this.#tables].sort()) {
      if (this.#compacted.has(table)) continue;
      for (const dataset of ['stat', 'property'] as const) {
        const date = this.#layout.dateOf(dataset, table);
        if (date !== undefined && wanted(date)) {
          await this.#compact(table, COMPACT_ORDER[dataset]);
          compacted.push(table);
        }
      }
    }
    return compacted;
  }

  /** Rewrites a day in query order, atomically: readers see the old or the new table. */
  async #compact(table: string, order: string): Promise<void> {
    const name = quoteIdent(table);
    const scratch = quoteIdent(`${table}__compact`);
    await this.#writer.run('BEGIN TRANSACTION');
    try {
      await this.#writer.run(`CREATE TABLE ${scratch} AS SELECT * FROM ${name} ORDER BY ${order}`);
      await this.#writer.run(`DROP TABLE ${name}`);
      await this.#writer.run(`ALTER TABLE ${scratch} RENAME TO ${name}`);
      await this.#writer.run(`INSERT OR IGNORE INTO ${quoteIdent(this.#compactedTable)} VALUES ($1)`, [table]);
      await this.#writer.run('COMMIT');
    } catch (e) {
      await this.#writer.run('ROLLBACK');
      throw e;
    }
    this.#compacted.add(table);
  }

  async close(): Promise<void> {
    clearInterval(this.#compactTimer);
    await this.#writeLock.run(async () => {
      // Readers go first (after their running query): a checkpoint waits for their transactions.
      await Promise.all(this.#readers.map((r) => r.lock.run(async () => r.connection.closeSync())));
      // A checkpoint folds the WAL into the file, so the next open starts clean.
      await this.#writer.run('CHECKPOINT');
      this.#writer.closeSync();
      this.#instance.closeSync();
    });
  }

  /** Runs a query on the reader with the fewest queries waiting. */
  async #read(sql: string, params: (string | number)[]) {
    const reader = this.#readers.reduce((best, r) => (r.waiting < best.waiting ? r : best));
    reader.waiting++;
    try {
      return await reader.lock.run(() => reader.connection.runAndReadAll(sql, params));
    } finally {
      reader.waiting--;
    }
  }

  #hasTable(table: string): boolean {
    return this.#tables.has(table);
  }
}

/** Like upstream's documents, the stored event has no `metadata` (its identity is the key). */
function withoutMetadata(event: Record<string, unknown>): Record<string, unknown> {
  const { metadata: _metadata, ...rest } = event;
  return rest;
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function filters(equalities: [string, string | undefined][], from?: number, to?: number): { where: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  for (const [column, value] of equalities) {
    if (value === undefined) continue;
    params.push(value);
    parts.push(`"${column}" = $${params.length}`);
  }
  if (from !== undefined) {
    params.push(from);
    parts.push(`timestamp >= $${params.length}`);
  }
  if (to !== undefined) {
    params.push(to);
    parts.push(`timestamp <= $${params.length}`);
  }
  return { where: parts.length ? ` WHERE ${parts.join(' AND ')}` : '', params };
}

/** No matching data: no keys, except that an ungrouped query answers one all-zero row (like SQL). */
function emptyResult(q: NormalizedQuery): MonitorQueryResult {
  return q.groupby.length === 0 ? new Map([['', q.indexs.map(() => 0)]]) : new Map();
}
