/**
 * The MonitorQuery request (MonitorQuery.tars) as the store accepts it, its validation, and the
 * meaning of every field and index per dataset. Both backends translate the normalized form;
 * neither accepts a field name that is not listed here, so names never reach SQL or ES unchecked.
 */
import { assertDate, assertTflag, type Dataset } from './names.ts';

/** MonitorQuery.tars `enum OP`, same numbering. */
export const QueryOp = { EQ: 0, GT: 1, GTE: 2, LT: 3, LTE: 4, LIKE: 5 } as const;
export type QueryOpName = keyof typeof QueryOp;

export interface QueryCondition {
  field: string;
  /** The enum number from the wire or its name. */
  op: number | QueryOpName;
  val: string;
}

/** MonitorQueryReq minus uid/method/dataid (the store method chooses the dataset). */
export interface MonitorQuery {
  /** YYYYMMDD */
  date: string;
  /** HHMM lower bound, inclusive; empty or absent = "0000". */
  tflag1?: string;
  /** HHMM upper bound, inclusive; empty or absent = "2360". */
  tflag2?: string;
  conditions?: readonly QueryCondition[];
  indexs: readonly string[];
  groupby: readonly string[];
}

/**
 * `MonitorQueryRsp.result`: key = group values joined by "," in `groupby` order, value = one
 * number per requested index in `indexs` order. Keys are in ascending group order.
 */
export type MonitorQueryResult = Map<string, number[]>;

export class QueryError extends Error {
  override name = 'QueryError';
}

export type FieldType = 'string' | 'int' | 'date' | 'tflag';

/**
 * How an index aggregates: `sum`; `max`; `minNonZero` (smallest non-zero, 0 when none — the
 * StatF merge rule); `ratio` = sum(num)/sum(den), 0 when den is 0; `policyValue` = property value
 * reduced per policy (Max→max, Min→min, Avg→mean, others→sum), then added across policies.
 */
export type IndexSpec =
  | { kind: 'sum'; field: string }
  | { kind: 'max'; field: string }
  | { kind: 'minNonZero'; field: string }
  | { kind: 'ratio'; num: string; den: string }
  | { kind: 'sumOf'; fields: readonly string[] }
  | { kind: 'policyValue'; field: string };

export interface DatasetSpec {
  dataset: Dataset;
  /** Fields usable in conditions and group-bys, with their stored type. */
  fields: Readonly<Record<string, FieldType>>;
  indexes: Readonly<Record<string, IndexSpec>>;
}

export const STAT_SPEC: DatasetSpec = {
  dataset: 'stat',
  fields: {
    f_date: 'date',
    f_tflag: 'tflag',
    source_id: 'string',
    master_name: 'string',
    slave_name: 'string',
    interface_name: 'string',
    tars_version: 'string',
    master_ip: 'string',
    slave_ip: 'string',
    slave_port: 'int',
    return_value: 'int',
  },
  indexes: {
    succ_count: { kind: 'sum', field: 'succ_count' },
    timeout_count: { kind: 'sum', field: 'timeout_count' },
    exce_count: { kind: 'sum', field: 'exce_count' },
    total_time: { kind: 'sum', field: 'total_time' },
    total_count: { kind: 'sumOf', fields: ['succ_count', 'timeout_count', 'exce_count'] },
    maxrsp_time: { kind: 'max', field: 'maxrsp_time' },
    minrsp_time: { kind: 'minNonZero', field: 'minrsp_time' },
    ave_time: { kind: 'ratio', num: 'total_time', den: 'succ_count' },
  },
};

export const PROPERTY_SPEC: DatasetSpec = {
  dataset: 'property',
  fields: {
    f_date: 'date',
    f_tflag: 'tflag',
    master_name: 'string',
    master_ip: 'string',
    property_name: 'string',
    set_name: 'string',
    set_area: 'string',
    set_id: 'string',
    policy: 'string',
  },
  indexes: {
    value: { kind: 'policyValue', field: 'value' },
  },
};

export interface NormalizedCondition {
  field: string;
  type: FieldType;
  op: QueryOpName;
  val: string;
}

export interface NormalizedQuery {
  spec: DatasetSpec;
  date: string;
  tflag1: string;
  tflag2: string;
  conditions: NormalizedCondition[];
  indexs: string[];
  groupby: string[];
}

const OP_NAMES = Object.keys(QueryOp) as QueryOpName[];

function opName(op: unknown): QueryOpName {
  if (typeof op === 'number' && OP_NAMES[op] !== undefined && Number.isInteger(op)) return OP_NAMES[op]!;
  if (typeof op === 'string' && (OP_NAMES as string[]).includes(op.toUpperCase())) return op.toUpperCase() as QueryOpName;
  throw new QueryError(`unknown condition op ${JSON.stringify(op)}: expected one of ${OP_NAMES.join(', ')} or 0-5`);
}

/** Validates a request against a dataset; every error names the offending part. */
export function normalizeQuery(spec: DatasetSpec, q: MonitorQuery): NormalizedQuery {
  if (q === null || typeof q !== 'object') throw new QueryError('query must be an object');
  let date: string;
  try {
    date = assertDate(q.date);
  } catch (e) {
    throw new QueryError(`query date: ${(e as Error).message}`);
  }
  const bound = (value: string | undefined, fallback: string, name: string) => {
    if (value === undefined || value === '') return fallback;
    try {
      return assertTflag(value);
    } catch (e) {
      throw new QueryError(`query ${name}: ${(e as Error).message}`);
    }
  };
  const tflag1 = bound(q.tflag1, '0000', 'tflag1');
  const tflag2 = bound(q.tflag2, '2360', 'tflag2');

  if (!Array.isArray(q.indexs) || q.indexs.length === 0) throw new QueryError('query indexs must be a non-empty array');
  for (const index of q.indexs) {
    if (typeof index !== 'string' || !Object.hasOwn(spec.indexes, index)) {
      throw new QueryError(`unknown ${spec.dataset} index ${JSON.stringify(index)}: expected one of ${Object.keys(spec.indexes).join(', ')}`);
    }
  }
  if (!Array.isArray(q.groupby)) throw new QueryError('query groupby must be an array');
  const seen = new Set<string>();
  for (const field of q.groupby) {
    if (typeof field !== 'string' || !Object.hasOwn(spec.fields, field)) {
      throw new QueryError(`unknown ${spec.dataset} group-by field ${JSON.stringify(field)}: expected one of ${Object.keys(spec.fields).join(', ')}`);
    }
    if (seen.has(field)) throw new QueryError(`group-by field ${field} given twice`);
    seen.add(field);
  }
  const conditions = (q.conditions ?? []).map((c, i): NormalizedCondition => {
    if (c === null || typeof c !== 'object') throw new QueryError(`condition ${i} must be an object`);
    if (typeof c.field !== 'string' || !Object.hasOwn(spec.fields, c.field)) {
      throw new QueryError(`condition ${i}: unknown ${spec.dataset} field ${JSON.stringify(c.field)}`);
    }
    if (typeof c.val !== 'string') throw new QueryError(`condition ${i} (${c.field}): val must be a string`);
    const type = spec.fields[c.field]!;
    let op = opName(c.op);
    if (type !== 'string' && op === 'LIKE') {
      // Numeric and time fields have no pattern match; LIKE without wildcards is equality.
      if (/[%_]/.test(c.val)) throw new QueryError(`condition ${i}: LIKE with wildcards is not supported on ${c.field}`);
      op = 'EQ';
    }
    if (type === 'int' && !/^-?\d+$/.test(c.val)) throw new QueryError(`condition ${i}: ${c.field} needs an integer value, got ${JSON.stringify(c.val)}`);
    if (type === 'date' && !/^\d{8}$/.test(c.val)) throw new QueryError(`condition ${i}: ${c.field} needs YYYYMMDD, got ${JSON.stringify(c.val)}`);
    if (type === 'tflag' && !/^\d{4}$/.test(c.val)) throw new QueryError(`condition ${i}: ${c.field} needs HHMM, got ${JSON.stringify(c.val)}`);
    return { field: c.field, type, op, val: c.val };
  });
  return { spec, date, tflag1, tflag2, conditions, indexs: [...q.indexs], groupby: [...q.groupby] };
}

/** How a stored group value is printed in a result key. */
export function formatGroupValue(type: FieldType, value: unknown): string {
  if (type === 'tflag') return String(value).padStart(4, '0');
  return String(value);
}

/** Property policy reduction shared by both backends. */
export function reducePolicy(policy: string, agg: { sum: number; max: number; min: number; avg: number }): number {
  switch (policy) {
    case 'Max':
      return agg.max;
    case 'Min':
      return agg.min;
    case 'Avg':
      return agg.avg;
    default:
      return agg.sum;
  }
}

/** Orders result entries by their group values (numeric-aware), so both backends agree. */
export function sortedResult(entries: Iterable<[string[], number[]]>): MonitorQueryResult {
  const list = [...entries];
  list.sort((a, b) => {
    for (let i = 0; i < a[0].length; i++) {
      const c = compareValues(a[0][i]!, b[0][i]!);
      if (c !== 0) return c;
    }
    return 0;
  });
  const out: MonitorQueryResult = new Map();
  for (const [groups, values] of list) out.set(groups.join(','), values);
  return out;
}

function compareValues(a: string, b: string): number {
  if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}
