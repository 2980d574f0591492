/**
 * Typed rows, one per data kind. Field names are the upstream document/column names
 * (framework-services.md §2.4, §4.4, §5.4, §11) because they are also the names MonitorQuery
 * conditions and group-bys use; keeping one spelling avoids a translation table.
 */
import { assertDate, assertTflag } from './names.ts';

/** One aggregated stat record (one head, one 1-minute window). */
export interface StatRow {
  source_id: string;
  /** Epoch seconds of the flush. */
  f_timestamp: number;
  f_date: string;
  f_tflag: string;
  master_name: string;
  slave_name: string;
  interface_name: string;
  tars_version: string;
  master_ip: string;
  slave_ip: string;
  slave_port: number;
  return_value: number;
  succ_count: number;
  timeout_count: number;
  exce_count: number;
  /** Sum of successful response times, ms. */
  total_time: number;
  /** Latency histogram, `"5|n,10|n,..."`. */
  interv_count: string;
  maxrsp_time: number;
  minrsp_time: number;
}

/** One property value: one row per (head, policy) and window. */
export interface PropertyRow {
  f_timestamp: number;
  f_date: string;
  f_tflag: string;
  master_name: string;
  master_ip: string;
  property_name: string;
  set_name: string;
  set_area: string;
  set_id: string;
  /** Sum | Avg | Distr | Count | Max | Min */
  policy: string;
  value: number;
}

/** One notify record (K8S `NotifyRecord`) plus its time. */
export interface NotifyRow {
  /** Epoch seconds; stored as `@timestamp`. */
  timestamp: number;
  /** `%FT%T%z`, e.g. `2024-01-01T10:00:00+0800`. */
  notifyTime: string;
  app: string;
  server: string;
  podName: string;
  impThread: string;
  level: string;
  message: string;
  source: string;
}

/** One Kubernetes event; `uid:resourceVersion` is its identity (written once, ever). */
export interface KEventRow {
  uid: string;
  resourceVersion: string;
  /** Epoch seconds; stored as `@timestamp`. */
  timestamp: number;
  /** The event object without `metadata`. */
  event: Record<string, unknown>;
}

export class InvalidRowError extends Error {
  override name = 'InvalidRowError';
}

/** Ranges are the stored types': int32/uint32 like the IDL, total_time up to 2^53 (exact double). */
type FieldKind = 'string' | 'int' | 'uint' | 'uint53' | 'number' | 'date' | 'tflag';

const STAT_FIELDS: Record<keyof StatRow, FieldKind> = {
  source_id: 'string',
  f_timestamp: 'uint',
  f_date: 'date',
  f_tflag: 'tflag',
  master_name: 'string',
  slave_name: 'string',
  interface_name: 'string',
  tars_version: 'string',
  master_ip: 'string',
  slave_ip: 'string',
  slave_port: 'int',
  return_value: 'int',
  succ_count: 'uint',
  timeout_count: 'uint',
  exce_count: 'uint',
  total_time: 'uint53',
  interv_count: 'string',
  maxrsp_time: 'uint',
  minrsp_time: 'uint',
};

const PROPERTY_FIELDS: Record<keyof PropertyRow, FieldKind> = {
  f_timestamp: 'uint',
  f_date: 'date',
  f_tflag: 'tflag',
  master_name: 'string',
  master_ip: 'string',
  property_name: 'string',
  set_name: 'string',
  set_area: 'string',
  set_id: 'string',
  policy: 'string',
  value: 'number',
};

const NOTIFY_FIELDS: Record<keyof NotifyRow, FieldKind> = {
  timestamp: 'number',
  notifyTime: 'string',
  app: 'string',
  server: 'string',
  podName: 'string',
  impThread: 'string',
  level: 'string',
  message: 'string',
  source: 'string',
};

function checkField(kind: FieldKind, value: unknown): string | undefined {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'int':
      return Number.isInteger(value) && (value as number) >= -2147483648 && (value as number) <= 2147483647 ? undefined : 'must be a 32-bit integer';
    case 'uint':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 4294967295 ? undefined : 'must be a non-negative 32-bit integer';
    case 'uint53':
      return Number.isSafeInteger(value) && (value as number) >= 0 ? undefined : 'must be a non-negative integer';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a finite number';
    case 'date':
      try {
        assertDate(value);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    case 'tflag':
      try {
        assertTflag(value);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
  }
}

function validateShape(what: string, fields: Record<string, FieldKind>, rows: readonly unknown[]): void {
  if (!Array.isArray(rows)) throw new InvalidRowError(`${what} rows must be an array`);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Record<string, unknown> | null;
    if (row === null || typeof row !== 'object') throw new InvalidRowError(`${what} row ${i}: not an object`);
    for (const field in fields) {
      const problem = checkField(fields[field]!, row[field]);
      if (problem) throw new InvalidRowError(`${what} row ${i}: field ${field} ${problem} (got ${JSON.stringify(row[field])})`);
    }
  }
}

/** Throws InvalidRowError naming the first bad row and field; accepts nothing partially. */
export function validateStatRows(rows: readonly StatRow[]): void {
  validateShape('stat', STAT_FIELDS, rows);
}

export function validatePropertyRows(rows: readonly PropertyRow[]): void {
  validateShape('property', PROPERTY_FIELDS, rows);
}

export function validateNotifyRows(rows: readonly NotifyRow[]): void {
  validateShape('notify', NOTIFY_FIELDS, rows);
}

export function validateKEventRows(rows: readonly KEventRow[]): void {
  if (!Array.isArray(rows)) throw new InvalidRowError('kevent rows must be an array');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as unknown as Record<string, unknown> | null;
    if (row === null || typeof row !== 'object') throw new InvalidRowError(`kevent row ${i}: not an object`);
    if (typeof row.uid !== 'string' || row.uid === '') throw new InvalidRowError(`kevent row ${i}: uid must be a non-empty string`);
    if (typeof row.resourceVersion !== 'string' || row.resourceVersion === '') {
      throw new InvalidRowError(`kevent row ${i}: resourceVersion must be a non-empty string`);
    }
    if (typeof row.timestamp !== 'number' || !Number.isFinite(row.timestamp)) {
      throw new InvalidRowError(`kevent row ${i}: timestamp must be a finite number (epoch seconds)`);
    }
    if (row.event === null || typeof row.event !== 'object' || Array.isArray(row.event)) {
      throw new InvalidRowError(`kevent row ${i}: event must be an object`);
    }
  }
}

/** The identity of an event version: Elasticsearch `_id` and DuckDB primary key. */
export function keventId(row: Pick<KEventRow, 'uid' | 'resourceVersion'>): string {
  return `${row.uid}:${row.resourceVersion}`;
}
