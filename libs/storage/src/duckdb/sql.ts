/**
 * MonitorQuery → DuckDB SQL. Field names come from the dataset spec (never from the request
 * text), values are bound parameters.
 */
import type { IndexSpec, NormalizedCondition, NormalizedQuery } from '../query.ts';
import { quoteIdent } from './schema.ts';

const OPS = { EQ: '=', GT: '>', GTE: '>=', LT: '<', LTE: '<=', LIKE: 'LIKE' } as const;

export interface SqlQuery {
  sql: string;
  params: (string | number)[];
}

const col = (field: string) => `"${field}"`;

function conditionValue(c: NormalizedCondition): string | number {
  // f_date/f_tflag/ports are stored as integers; compare numerically (same order as the strings).
  return c.type === 'string' ? c.val : Number(c.val);
}

function whereClause(q: NormalizedQuery, params: (string | number)[]): string {
  const parts: string[] = [];
  params.push(Number(q.tflag1), Number(q.tflag2));
  parts.push(`f_tflag >= $${params.length - 1} AND f_tflag <= $${params.length}`);
  for (const c of q.conditions) {
    params.push(conditionValue(c));
    parts.push(`${col(c.field)} ${OPS[c.op]} $${params.length}`);
  }
  return parts.join(' AND ');
}

export function indexSql(spec: IndexSpec): string {
  switch (spec.kind) {
    case 'sum':
      return `CAST(coalesce(sum(${col(spec.field)}), 0) AS DOUBLE)`;
    case 'max':
      return `CAST(coalesce(max(${col(spec.field)}), 0) AS DOUBLE)`;
    case 'minNonZero':
      return `CAST(coalesce(min(nullif(${col(spec.field)}, 0)), 0) AS DOUBLE)`;
    case 'sumOf':
      return `CAST(coalesce(sum(${spec.fields.map((f) => `CAST(${col(f)} AS BIGINT)`).join(' + ')}), 0) AS DOUBLE)`;
    case 'ratio':
      return `CASE WHEN coalesce(sum(${col(spec.den)}), 0) = 0 THEN 0.0 ELSE CAST(sum(${col(spec.num)}) AS DOUBLE) / sum(${col(spec.den)}) END`;
    case 'policyValue':
      throw new Error('policyValue is computed per policy, see propertySql');
  }
}

/** Stat: one row per group, aggregates first, then the group values. */
export function statSql(q: NormalizedQuery, table: string): SqlQuery {
  const params: (string | number)[] = [];
  const aggs = q.indexs.map((i) => indexSql(q.spec.indexes[i]!));
  const groups = q.groupby.map(col);
  const where = whereClause(q, params);
  const sql =
    `SELECT ${[...aggs, ...groups].join(', ')} FROM ${quoteIdent(table)} WHERE ${where}` +
    (groups.length > 0 ? ` GROUP BY ${groups.join(', ')}` : '');
  return { sql, params };
}

/**
 * Property: one row per (group, policy) with sum/max/min/avg of value; the policy reduction and
 * the addition across policies happen in TypeScript (query.ts `reducePolicy`), like on ES.
 */
export function propertySql(q: NormalizedQuery, table: string): SqlQuery {
  const params: (string | number)[] = [];
  const groups = q.groupby.map(col);
  const where = whereClause(q, params);
  const sql =
    `SELECT sum(value), max(value), min(value), avg(value), policy${groups.length ? ', ' + groups.join(', ') : ''} ` +
    `FROM ${quoteIdent(table)} WHERE ${where} GROUP BY policy${groups.length ? ', ' + groups.join(', ') : ''}`;
  return { sql, params };
}
