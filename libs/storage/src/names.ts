/**
 * Every name that becomes an Elasticsearch index, a DuckDB table or a path is built here, from
 * validated parts only. The layout is upstream's (template `tars.es`): daily `<ns>_stat_YYYYMMDD`
 * and `<ns>_property_YYYYMMDD` indices, and the `<ns>_notify_` / `<ns>_kevent_` data streams.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export class InvalidNameError extends Error {
  override name = 'InvalidNameError';
}

/** A Kubernetes namespace is a DNS-1123 label: lower-case alphanumerics and '-', at most 63 chars. */
export function assertNamespace(namespace: unknown): string {
  if (typeof namespace !== 'string' || namespace.length === 0 || namespace.length > 63 || !DNS1123_LABEL.test(namespace)) {
    throw new InvalidNameError(
      `invalid namespace ${JSON.stringify(namespace)}: must be a DNS-1123 label (a-z, 0-9, '-', 1-63 chars, alphanumeric at both ends)`,
    );
  }
  return namespace;
}

/** `YYYYMMDD` naming a real calendar day. */
export function assertDate(date: unknown): string {
  if (typeof date !== 'string' || !/^\d{8}$/.test(date)) {
    throw new InvalidNameError(`invalid date ${JSON.stringify(date)}: expected YYYYMMDD`);
  }
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(4, 6));
  const d = Number(date.slice(6, 8));
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
    throw new InvalidNameError(`invalid date ${JSON.stringify(date)}: no such calendar day`);
  }
  return date;
}

/** `HHMM` with HH 00-23 and MM 00-60 (a window ending on the hour is labelled `HH60`). */
export function assertTflag(tflag: unknown): string {
  if (typeof tflag !== 'string' || !/^\d{4}$/.test(tflag)) {
    throw new InvalidNameError(`invalid f_tflag ${JSON.stringify(tflag)}: expected HHMM`);
  }
  const hh = Number(tflag.slice(0, 2));
  const mm = Number(tflag.slice(2));
  if (hh > 23 || mm > 60) {
    throw new InvalidNameError(`invalid f_tflag ${JSON.stringify(tflag)}: hour must be 00-23 and minute 00-60`);
  }
  return tflag;
}

export type Dataset = 'stat' | 'property';
export type Stream = 'notify' | 'kevent';
export type DataKind = Dataset | Stream;

export interface IndexLayout {
  readonly namespace: string;
  /** Prefix of the daily indices, also the ILM policy and index template name (`<ns>_stat_`). */
  prefix(dataset: Dataset): string;
  /** The daily index (`<ns>_stat_20240101`). */
  daily(dataset: Dataset, date: string): string;
  /** Pattern matching every daily index of a dataset (`<ns>_stat_*`). */
  pattern(dataset: Dataset): string;
  /** Data stream name, equal to its pattern, policy and template name (`<ns>_notify_`). */
  stream(stream: Stream): string;
  /** The date part of a daily index name, or undefined when the name is not one of ours. */
  dateOf(dataset: Dataset, name: string): string | undefined;
  /** DuckDB bookkeeping table listing compacted daily tables (`<ns>_compacted_`). */
  compactedTable: string;
}

export function indexLayout(namespace: string): IndexLayout {
  const ns = assertNamespace(namespace);
  const prefix = (dataset: Dataset) => `${ns}_${dataset}_`;
  return {
    namespace: ns,
    prefix,
    daily: (dataset, date) => prefix(dataset) + assertDate(date),
    pattern: (dataset) => `${prefix(dataset)}*`,
    stream: (stream) => `${ns}_${stream}_`,
    compactedTable: `${ns}_compacted_`,
    dateOf(dataset, name) {
      const p = prefix(dataset);
      if (!name.startsWith(p)) return undefined;
      const rest = name.slice(p.length);
      try {
        return assertDate(rest);
      } catch {
        return undefined;
      }
    },
  };
}
