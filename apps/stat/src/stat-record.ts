/**
 * One aggregated stat record and the StatHashMap merge rule (framework-services.md §2.2):
 * counts and total time add, the maximum is kept, the minimum is the smallest non-zero one, and
 * latency buckets add per point. Identical for client and server reports.
 */
import type { StatRow } from '@tars-ts/storage';
import type { StatKey } from './stat-rules.ts';

export interface StatRecord {
  readonly key: StatKey;
  count: number;
  timeoutCount: number;
  execCount: number;
  totalRspTime: number;
  maxRspTime: number;
  minRspTime: number;
  /** Bucket points, ascending, and their counts at the same index. */
  readonly points: number[];
  readonly pointCounts: number[];
}

export function newRecord(key: StatKey): StatRecord {
  return { key, count: 0, timeoutCount: 0, execCount: 0, totalRspTime: 0, maxRspTime: 0, minRspTime: 0, points: [], pointCounts: [] };
}

/** Merges one body's numbers into `rec`. */
export function mergeNumbers(rec: StatRecord, count: number, timeoutCount: number, execCount: number, totalRspTime: number, maxRspTime: number, minRspTime: number): void {
  rec.count += count;
  rec.timeoutCount += timeoutCount;
  rec.execCount += execCount;
  rec.totalRspTime += totalRspTime;
  if (maxRspTime > rec.maxRspTime) rec.maxRspTime = maxRspTime;
  // Upstream: if (old == 0 || (old > new && new != 0)) old = new
  if (rec.minRspTime === 0 || (rec.minRspTime > minRspTime && minRspTime !== 0)) rec.minRspTime = minRspTime;
}

/** Adds `n` calls to bucket `point` (a new point is inserted in order). */
export function addToBucket(rec: StatRecord, point: number, n: number): void {
  const points = rec.points;
  let i = 0;
  while (i < points.length && points[i] < point) i++;
  if (i < points.length && points[i] === point) rec.pointCounts[i] += n;
  else {
    points.splice(i, 0, point);
    rec.pointCounts.splice(i, 0, n);
  }
}

/** `"5|n,10|n,..."`: points ascending, like upstream's std::map. */
export function formatIntervals(rec: StatRecord): string {
  let s = '';
  for (let i = 0; i < rec.points.length; i++) s += `${i ? ',' : ''}${rec.points[i]}|${rec.pointCounts[i]}`;
  return s;
}

export interface RowContext {
  sourceId: string;
  /** Epoch seconds of the flush. */
  timestamp: number;
  f_date: string;
  f_tflag: string;
}

export function toRow(rec: StatRecord, ctx: RowContext): StatRow {
  const k = rec.key;
  return {
    source_id: ctx.sourceId,
    f_timestamp: ctx.timestamp,
    f_date: ctx.f_date,
    f_tflag: ctx.f_tflag,
    master_name: k.masterName,
    slave_name: k.slaveName,
    interface_name: k.interfaceName,
    tars_version: k.tarsVersion,
    master_ip: k.masterIp,
    slave_ip: k.slaveIp,
    slave_port: k.slavePort,
    return_value: k.returnValue,
    succ_count: rec.count,
    timeout_count: rec.timeoutCount,
    exce_count: rec.execCount,
    total_time: rec.totalRspTime,
    interv_count: formatIntervals(rec),
    maxrsp_time: rec.maxRspTime,
    minrsp_time: rec.minRspTime,
  };
}
