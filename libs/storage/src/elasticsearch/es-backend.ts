/**
 * The cluster backend: Elasticsearch through the official client. At open it installs the ILM
 * policies and index templates (like every upstream writer does); writes are `_bulk` requests;
 * queries are `_search` aggregations; retention deletes old daily indices and old stream records
 * (ILM also deletes them on its own schedule).
 */
import { Client, type estypes } from '@elastic/elasticsearch';

type ClientOptions = ConstructorParameters<typeof Client>[0];
import type { StoreLogger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { indexLayout, type IndexLayout } from '../names.ts';
import type { MonitorQueryResult, NormalizedQuery } from '../query.ts';
import type { KEventRow, NotifyRow, PropertyRow, StatRow } from '../rows.ts';
import type { KEventQuery, MonitorBackend, NotifyQuery, RetentionCutoffs, RetentionDays, RetentionReport } from '../store.ts';
import type { SinkOutcome } from '../write-buffer.ts';
import { keventOperations, notifyOperations, propertyOperations, statOperations, type BulkOperation } from './documents.ts';
import { esIndexTemplates } from './layout.ts';
import { monitorSearch, MonitorResultBuilder } from './search.ts';

export interface ElasticsearchBackendOptions {
  /** One or more node URLs, e.g. `http://tars-elasticsearch:9200`. */
  node: string | string[];
  namespace: string;
  retentionDays?: Partial<RetentionDays>;
  /** Install ILM policies and index templates at open (default true). */
  setup?: boolean;
  /** Extra client options (auth, tls, requestTimeout); retries stay with the store's buffer. */
  clientOptions?: Omit<ClientOptions, 'node' | 'nodes'>;
  /** `refresh` for every `_bulk` (tests use 'wait_for' to read their writes at once). */
  bulkRefresh?: boolean | 'wait_for';
  logger?: StoreLogger;
}

interface BulkItemResult {
  status: number;
  error?: { type?: string; reason?: string };
}

export class ElasticsearchBackend implements MonitorBackend {
  readonly kind = 'elasticsearch' as const;
  readonly #client: Client;
  readonly #layout: IndexLayout;
  readonly #logger: StoreLogger;
  readonly #refresh: boolean | 'wait_for' | undefined;

  private constructor(client: Client, layout: IndexLayout, logger: StoreLogger, refresh: boolean | 'wait_for' | undefined) {
    this.#client = client;
    this.#layout = layout;
    this.#logger = logger;
    this.#refresh = refresh;
  }

  static async open(options: ElasticsearchBackendOptions): Promise<ElasticsearchBackend> {
    const layout = indexLayout(options.namespace);
    const client = new Client({ requestTimeout: 30_000, ...options.clientOptions, node: options.node, maxRetries: 0 });
    const backend = new ElasticsearchBackend(client, layout, options.logger ?? silentLogger, options.bulkRefresh);
    if (options.setup !== false) {
      try {
        await backend.#setup(options.retentionDays);
      } catch (e) {
        await client.close();
        throw e;
      }
    }
    return backend;
  }

  async #setup(retentionDays: Partial<RetentionDays> | undefined): Promise<void> {
    for (const t of esIndexTemplates(this.#layout.namespace, retentionDays)) {
      try {
        await this.#client.ilm.putLifecycle({ name: t.name, ...t.policy });
      } catch (e) {
        throw new Error(`elasticsearch setup failed at PUT /_ilm/policy/${t.name}: ${describe(e)}`);
      }
      try {
        await this.#client.indices.putIndexTemplate({ name: t.name, ...t.template } as never);
      } catch (e) {
        throw new Error(`elasticsearch setup failed at PUT /_index_template/${t.name}: ${describe(e)}`);
      }
    }
  }

  /**
   * One `_bulk`; rows refused with 429 or 5xx come back for a retry, 409 on a `create` with an
   * `_id` is a duplicate (already stored), any other item error is permanent.
   */
  async #bulk<Row>(rows: Row[], operations: BulkOperation[]): Promise<SinkOutcome<Row>> {
    const response = await this.#client.bulk({ operations, ...(this.#refresh !== undefined ? { refresh: this.#refresh } : {}) });
    if (!response.errors) return {};
    const retry: Row[] = [];
    let rejected = 0;
    response.items.forEach((item, i) => {
      const result = Object.values(item)[0] as BulkItemResult;
      if (result.status < 300 || result.status === 409) return;
      if (result.status === 429 || result.status >= 500) retry.push(rows[i]!);
      else {
        rejected++;
        if (rejected === 1) this.#logger.error('elasticsearch refused a document', { status: result.status, error: result.error });
      }
    });
    return { retry, rejected };
  }

  writeStat(rows: StatRow[]): Promise<SinkOutcome<StatRow>> {
    return this.#bulk(rows, statOperations(this.#layout, rows));
  }

  writeProperty(rows: PropertyRow[]): Promise<SinkOutcome<PropertyRow>> {
    return this.#bulk(rows, propertyOperations(this.#layout, rows));
  }

  writeNotify(rows: NotifyRow[]): Promise<SinkOutcome<NotifyRow>> {
    return this.#bulk(rows, notifyOperations(this.#layout, rows));
  }

  writeKEvents(rows: KEventRow[]): Promise<SinkOutcome<KEventRow>> {
    return this.#bulk(rows, keventOperations(this.#layout, rows));
  }

  async #monitorQuery(q: NormalizedQuery): Promise<MonitorQueryResult> {
    const builder = new MonitorResultBuilder(q);
    let after: Record<string, unknown> | undefined;
    do {
      const response = await this.#client.search(monitorSearch(q, this.#layout, after) as never);
      after = builder.add(response.aggregations as Record<string, unknown> | undefined);
    } while (after);
    return builder.result();
  }

  queryStat(q: NormalizedQuery): Promise<MonitorQueryResult> {
    return this.#monitorQuery(q);
  }

  queryProperty(q: NormalizedQuery): Promise<MonitorQueryResult> {
    return this.#monitorQuery(q);
  }

  async queryNotify(query: NotifyQuery, limit: number): Promise<NotifyRow[]> {
    const response = await this.#client.search<Record<string, unknown>>({
      index: this.#layout.stream('notify'),
      ignore_unavailable: true,
      allow_no_indices: true,
      size: limit,
      query: streamQuery([
        ['app.keyword', query.app],
        ['server.keyword', query.server],
        ['podName.keyword', query.podName],
        ['level.keyword', query.level],
      ], query.from, query.to),
      sort: [{ '@timestamp': { order: 'desc' } }],
    });
    return response.hits.hits.map((hit) => {
      const s = hit._source ?? {};
      return {
        timestamp: Number(s['@timestamp']),
        notifyTime: String(s.notifyTime ?? ''),
        app: String(s.app ?? ''),
        server: String(s.server ?? ''),
        podName: String(s.podName ?? ''),
        impThread: String(s.impThread ?? ''),
        level: String(s.level ?? ''),
        message: String(s.message ?? ''),
        source: String(s.source ?? ''),
      };
    });
  }

  async queryKEvents(query: KEventQuery, limit: number): Promise<KEventRow[]> {
    const response = await this.#client.search<Record<string, unknown>>({
      index: this.#layout.stream('kevent'),
      ignore_unavailable: true,
      allow_no_indices: true,
      size: limit,
      query: streamQuery([
        ['involvedObject.namespace.keyword', query.namespace],
        ['involvedObject.kind.keyword', query.kind],
        ['involvedObject.name.keyword', query.name],
        ['type.keyword', query.type],
        ['reason.keyword', query.reason],
      ], query.from, query.to),
      sort: [{ '@timestamp': { order: 'desc' } }],
    });
    return response.hits.hits.map((hit) => {
      const { '@timestamp': ts, ...event } = hit._source ?? {};
      const id = String(hit._id);
      const colon = id.indexOf(':');
      return { uid: id.slice(0, colon), resourceVersion: id.slice(colon + 1), timestamp: Number(ts), event };
    });
  }

  async applyRetention(cutoffs: RetentionCutoffs): Promise<RetentionReport> {
    const dropped: string[] = [];
    for (const [dataset, before] of [['stat', cutoffs.statBefore], ['property', cutoffs.propertyBefore]] as const) {
      const indices = (await this.#client.cat.indices({ index: this.#layout.pattern(dataset), format: 'json', h: 'index' })) as { index?: string }[];
      const old = indices
        .map((i) => String(i.index))
        .filter((name) => {
          const date = this.#layout.dateOf(dataset, name);
          return date !== undefined && date < before;
        })
        .sort();
      if (old.length > 0) {
        await this.#client.indices.delete({ index: old });
        dropped.push(...old);
      }
    }
    const deleteOlder = async (stream: 'notify' | 'kevent', before: number) => {
      const r = await this.#client.deleteByQuery({
        index: this.#layout.stream(stream),
        ignore_unavailable: true,
        allow_no_indices: true,
        conflicts: 'proceed',
        // Retention is done when this returns: searches after it no longer see the records.
        refresh: true,
        query: { range: { '@timestamp': { lt: before } } },
      });
      return Number(r.deleted ?? 0);
    };
    const notifyDeleted = await deleteOlder('notify', cutoffs.notifyBefore);
    const keventDeleted = await deleteOlder('kevent', cutoffs.keventBefore);
    return { dropped, notifyDeleted, keventDeleted, compacted: [] };
  }

  async compact(): Promise<string[]> {
    return [];
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}

function streamQuery(terms: [string, string | undefined][], from?: number, to?: number): estypes.QueryDslQueryContainer {
  const filter: estypes.QueryDslQueryContainer[] = terms.filter(([, v]) => v !== undefined).map(([field, value]) => ({ term: { [field]: value } }));
  if (from !== undefined || to !== undefined) {
    filter.push({ range: { '@timestamp': { ...(from !== undefined ? { gte: from } : {}), ...(to !== undefined ? { lte: to } : {}) } } });
  }
  return { bool: { filter } };
}

function describe(e: unknown): string {
  const err = e as { meta?: { statusCode?: number; body?: unknown }; message?: string };
  if (err?.meta?.statusCode) return `HTTP ${err.meta.statusCode} ${JSON.stringify(err.meta.body)}`;
  return String(err?.message ?? e);
}
