/**
 * Rows → Elasticsearch documents and bulk actions, in upstream's document shapes
 * (framework-services.md §2.4, §4.4, §5.4, §11).
 */
import type { IndexLayout } from '../names.ts';
import { keventId, type KEventRow, type NotifyRow, type PropertyRow, type StatRow } from '../rows.ts';

/** Stat document: the row plus upstream's derived `total_count` and `ave_time`. */
export function statDocument(r: StatRow): Record<string, unknown> {
  return {
    source_id: r.source_id,
    f_timestamp: r.f_timestamp,
    f_date: r.f_date,
    f_tflag: r.f_tflag,
    master_name: r.master_name,
    slave_name: r.slave_name,
    interface_name: r.interface_name,
    tars_version: r.tars_version,
    master_ip: r.master_ip,
    slave_ip: r.slave_ip,
    slave_port: r.slave_port,
    return_value: r.return_value,
    succ_count: r.succ_count,
    timeout_count: r.timeout_count,
    exce_count: r.exce_count,
    total_count: r.succ_count + r.timeout_count + r.exce_count,
    total_time: r.total_time,
    interv_count: r.interv_count,
    // Upstream K8S writes 1 when there were no successes; native (and this) writes 0.
    ave_time: r.succ_count > 0 ? Math.floor(r.total_time / r.succ_count) : 0,
    maxrsp_time: r.maxrsp_time,
    minrsp_time: r.minrsp_time,
  };
}

export function propertyDocument(r: PropertyRow): Record<string, unknown> {
  return {
    f_timestamp: r.f_timestamp,
    f_date: r.f_date,
    f_tflag: r.f_tflag,
    master_name: r.master_name,
    master_ip: r.master_ip,
    property_name: r.property_name,
    set_name: r.set_name,
    set_area: r.set_area,
    set_id: r.set_id,
    policy: r.policy,
    value: r.value,
  };
}

export function notifyDocument(r: NotifyRow): Record<string, unknown> {
  return {
    notifyTime: r.notifyTime,
    app: r.app,
    server: r.server,
    podName: r.podName,
    impThread: r.impThread,
    level: r.level,
    message: r.message,
    source: r.source,
    '@timestamp': r.timestamp,
  };
}

/** The event without `metadata` (upstream drops it) plus `@timestamp`. */
export function keventDocument(r: KEventRow): Record<string, unknown> {
  const { metadata: _metadata, ...rest } = r.event;
  return { ...rest, '@timestamp': r.timestamp };
}

export type BulkOperation = Record<string, unknown>;

export function statOperations(layout: IndexLayout, rows: readonly StatRow[]): BulkOperation[] {
  return rows.flatMap((r) => [{ index: { _index: layout.daily('stat', r.f_date) } }, statDocument(r)]);
}

export function propertyOperations(layout: IndexLayout, rows: readonly PropertyRow[]): BulkOperation[] {
  return rows.flatMap((r) => [{ index: { _index: layout.daily('property', r.f_date) } }, propertyDocument(r)]);
}

/** Data streams accept only `create`. */
export function notifyOperations(layout: IndexLayout, rows: readonly NotifyRow[]): BulkOperation[] {
  const index = layout.stream('notify');
  return rows.flatMap((r) => [{ create: { _index: index } }, notifyDocument(r)]);
}

/** `_id` = `uid:resourceVersion`: a replayed event is refused with 409 instead of stored twice. */
export function keventOperations(layout: IndexLayout, rows: readonly KEventRow[]): BulkOperation[] {
  const index = layout.stream('kevent');
  return rows.flatMap((r) => [{ create: { _index: index, _id: keventId(r) } }, keventDocument(r)]);
}
