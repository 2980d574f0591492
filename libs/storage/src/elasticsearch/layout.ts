/**
 * Elasticsearch index layout, defined once: ILM policies, index templates and mappings for the
 * upstream names (k8sframework.md §10). Stat/property: daily indices `<prefix><YYYYMMDD>`,
 * policy = template = prefix, pattern `prefix*`. Notify/kevent: data streams, policy = template
 * = pattern = the stream name. Upstream relied on dynamic mapping; stat/property get explicit
 * keyword/numeric mappings here (what the aggregations need), notify/kevent keep dynamic
 * mapping (TarsWeb queries `*.keyword` sub-fields) with `@timestamp` declared as epoch seconds,
 * which is what upstream writes.
 */
import { indexLayout, type DataKind } from '../names.ts';
import { DEFAULT_RETENTION_DAYS, type RetentionDays } from '../store.ts';

const keyword = { type: 'keyword' } as const;
const long = { type: 'long' } as const;
const integer = { type: 'integer' } as const;
const epochSeconds = { type: 'date', format: 'epoch_second' } as const;

export const STAT_MAPPINGS = {
  properties: {
    source_id: keyword,
    f_timestamp: epochSeconds,
    f_date: keyword,
    f_tflag: keyword,
    master_name: keyword,
    slave_name: keyword,
    interface_name: keyword,
    tars_version: keyword,
    master_ip: keyword,
    slave_ip: keyword,
    slave_port: integer,
    return_value: integer,
    succ_count: long,
    timeout_count: long,
    exce_count: long,
    total_count: long,
    total_time: long,
    interv_count: { type: 'keyword', index: false },
    ave_time: long,
    maxrsp_time: long,
    minrsp_time: long,
  },
} as const;

export const PROPERTY_MAPPINGS = {
  properties: {
    f_timestamp: epochSeconds,
    f_date: keyword,
    f_tflag: keyword,
    master_name: keyword,
    master_ip: keyword,
    property_name: keyword,
    set_name: keyword,
    set_area: keyword,
    set_id: keyword,
    policy: keyword,
    value: { type: 'double' },
  },
} as const;

export const STREAM_MAPPINGS = {
  properties: { '@timestamp': epochSeconds },
} as const;

export interface EsIndexTemplate {
  kind: DataKind;
  /** ILM policy name = index template name. */
  name: string;
  /** Body of `PUT /_ilm/policy/<name>`. */
  policy: { policy: { phases: { delete: { min_age: string; actions: { delete: Record<string, never> } } } } };
  /** Body of `PUT /_index_template/<name>`. */
  template: {
    index_patterns: string[];
    data_stream?: Record<string, never>;
    template: { settings: Record<string, string>; mappings: unknown };
  };
}

export function esIndexTemplates(namespace: string, retentionDays: Partial<RetentionDays> = {}): EsIndexTemplate[] {
  const layout = indexLayout(namespace);
  const days = { ...DEFAULT_RETENTION_DAYS, ...retentionDays };
  const policy = (d: number): EsIndexTemplate['policy'] => ({
    policy: { phases: { delete: { min_age: `${d}d`, actions: { delete: {} } } } },
  });
  const daily = (kind: 'stat' | 'property', mappings: unknown): EsIndexTemplate => {
    const name = layout.prefix(kind);
    return {
      kind,
      name,
      policy: policy(days[kind]),
      template: { index_patterns: [layout.pattern(kind)], template: { settings: { 'index.lifecycle.name': name }, mappings } },
    };
  };
  const stream = (kind: 'notify' | 'kevent'): EsIndexTemplate => {
    const name = layout.stream(kind);
    return {
      kind,
      name,
      policy: policy(days[kind]),
      template: {
        index_patterns: [name],
        data_stream: {},
        template: { settings: { 'index.lifecycle.name': name }, mappings: STREAM_MAPPINGS },
      },
    };
  };
  return [daily('stat', STAT_MAPPINGS), daily('property', PROPERTY_MAPPINGS), stream('notify'), stream('kevent')];
}
