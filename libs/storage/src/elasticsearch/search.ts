/**
 * MonitorQuery → Elasticsearch `_search` with aggregations, and the buckets back to result rows.
 * Upstream used ES SQL (`/_sql`); a composite aggregation says the same thing without building
 * SQL text from request values, and pages with `after_key` instead of `cursor`.
 */
import type { IndexLayout } from '../names.ts';
import {
  formatGroupValue,
  reducePolicy,
  sortedResult,
  type IndexSpec,
  type MonitorQueryResult,
  type NormalizedCondition,
  type NormalizedQuery,
} from '../query.ts';

/** Buckets per composite page. */
export const COMPOSITE_PAGE_SIZE = 1000;

const POLICY_SOURCE = '__policy';

export interface SearchRequest {
  index: string;
  size: 0;
  ignore_unavailable: true;
  allow_no_indices: true;
  query: unknown;
  aggs: Record<string, unknown>;
}

/** SQL LIKE pattern → ES wildcard pattern (`%`→`*`, `_`→`?`, literal `*?\` escaped). */
export function likeToWildcard(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '%') out += '*';
    else if (ch === '_') out += '?';
    else if (ch === '*' || ch === '?' || ch === '\\') out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

function conditionClause(c: NormalizedCondition): unknown {
  const value = c.type === 'int' ? Number(c.val) : c.val;
  switch (c.op) {
    case 'EQ':
      return { term: { [c.field]: value } };
    case 'LIKE':
      return /[%_]/.test(c.val) ? { wildcard: { [c.field]: { value: likeToWildcard(c.val) } } } : { term: { [c.field]: value } };
    case 'GT':
      return { range: { [c.field]: { gt: value } } };
    case 'GTE':
      return { range: { [c.field]: { gte: value } } };
    case 'LT':
      return { range: { [c.field]: { lt: value } } };
    case 'LTE':
      return { range: { [c.field]: { lte: value } } };
  }
}

export function queryClause(q: NormalizedQuery): unknown {
  return {
    bool: {
      filter: [{ range: { f_tflag: { gte: q.tflag1, lte: q.tflag2 } } }, ...q.conditions.map(conditionClause)],
    },
  };
}

/** Metric aggregations for one index, named `<prefix>` or `<prefix>_<n>`. */
function indexAggs(prefix: string, spec: IndexSpec): Record<string, unknown> {
  switch (spec.kind) {
    case 'sum':
      return { [prefix]: { sum: { field: spec.field } } };
    case 'max':
      return { [prefix]: { max: { field: spec.field } } };
    case 'minNonZero':
      return { [prefix]: { filter: { range: { [spec.field]: { gt: 0 } } }, aggs: { min: { min: { field: spec.field } } } } };
    case 'sumOf':
      return Object.fromEntries(spec.fields.map((f, i) => [`${prefix}_${i}`, { sum: { field: f } }]));
    case 'ratio':
      return { [`${prefix}_num`]: { sum: { field: spec.num } }, [`${prefix}_den`]: { sum: { field: spec.den } } };
    case 'policyValue':
      return {
        [`${prefix}_sum`]: { sum: { field: spec.field } },
        [`${prefix}_max`]: { max: { field: spec.field } },
        [`${prefix}_min`]: { min: { field: spec.field } },
        [`${prefix}_avg`]: { avg: { field: spec.field } },
      };
  }
}

type Bucket = Record<string, unknown>;
const metric = (bucket: Bucket, name: string): number => Number((bucket[name] as { value?: number | null } | undefined)?.value ?? 0);

function indexValue(bucket: Bucket, prefix: string, spec: IndexSpec): number {
  switch (spec.kind) {
    case 'sum':
    case 'max':
      return metric(bucket, prefix);
    case 'minNonZero':
      return metric((bucket[prefix] ?? {}) as Bucket, 'min');
    case 'sumOf':
      return spec.fields.reduce((acc, _f, i) => acc + metric(bucket, `${prefix}_${i}`), 0);
    case 'ratio': {
      const den = metric(bucket, `${prefix}_den`);
      return den === 0 ? 0 : metric(bucket, `${prefix}_num`) / den;
    }
    case 'policyValue':
      throw new Error('policyValue needs the bucket policy');
  }
}

/** Composite sources: the group-by fields, plus the policy for property (reduced per policy). */
function sources(q: NormalizedQuery): Record<string, unknown>[] {
  const list = q.groupby.map((g) => ({ [g]: { terms: { field: g } } }));
  if (q.spec.dataset === 'property') list.push({ [POLICY_SOURCE]: { terms: { field: 'policy' } } });
  return list;
}

function metrics(q: NormalizedQuery): Record<string, unknown> {
  const unique = [...new Set(q.indexs)];
  return Object.assign({}, ...unique.map((name) => indexAggs(name, q.spec.indexes[name]!)));
}

/**
 * The search for one page. Ungrouped stat queries aggregate at the top level; everything else
 * uses a composite aggregation named `groups`.
 */
export function monitorSearch(q: NormalizedQuery, layout: IndexLayout, after?: Record<string, unknown>): SearchRequest {
  const grouped = q.groupby.length > 0 || q.spec.dataset === 'property';
  const aggs = grouped
    ? {
        groups: {
          composite: { size: COMPOSITE_PAGE_SIZE, sources: sources(q), ...(after ? { after } : {}) },
          aggs: metrics(q),
        },
      }
    : metrics(q);
  return {
    index: layout.daily(q.spec.dataset, q.date),
    size: 0,
    ignore_unavailable: true,
    allow_no_indices: true,
    query: queryClause(q),
    aggs,
  };
}

/** Accumulates pages of buckets into result rows. */
export class MonitorResultBuilder {
  readonly #q: NormalizedQuery;
  readonly #rows = new Map<string, [string[], number[]]>();

  constructor(q: NormalizedQuery) {
    this.#q = q;
  }

  /** Adds one search response; returns the `after_key` of the next page, if any. */
  add(aggregations: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    const q = this.#q;
    if (!aggregations) return undefined;
    const grouped = q.groupby.length > 0 || q.spec.dataset === 'property';
    if (!grouped) {
      this.#rows.set('', [[], q.indexs.map((name) => indexValue(aggregations, name, q.spec.indexes[name]!))]);
      return undefined;
    }
    const groups = aggregations.groups as { buckets?: Bucket[]; after_key?: Record<string, unknown> } | undefined;
    const buckets = groups?.buckets ?? [];
    for (const bucket of buckets) {
      const key = bucket.key as Record<string, unknown>;
      const values = q.groupby.map((g) => formatGroupValue(q.spec.fields[g]!, key[g]));
      const rowKey = values.join(',');
      const numbers = q.indexs.map((name) => {
        const spec = q.spec.indexes[name]!;
        if (spec.kind !== 'policyValue') return indexValue(bucket, name, spec);
        return reducePolicy(String(key[POLICY_SOURCE]), {
          sum: metric(bucket, `${name}_sum`),
          max: metric(bucket, `${name}_max`),
          min: metric(bucket, `${name}_min`),
          avg: metric(bucket, `${name}_avg`),
        });
      });
      const existing = this.#rows.get(rowKey);
      if (existing) numbers.forEach((v, i) => (existing[1][i]! += v));
      else this.#rows.set(rowKey, [values, numbers]);
    }
    return buckets.length > 0 ? groups?.after_key : undefined;
  }

  result(): MonitorQueryResult {
    if (this.#rows.size === 0 && this.#q.groupby.length === 0) return new Map([['', this.#q.indexs.map(() => 0)]]);
    return sortedResult(this.#rows.values());
  }
}
