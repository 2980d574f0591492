/** Opening a store: pick a backend, wrap it in the shared buffering/validation layer. */
import { DuckDbBackend } from './duckdb/duckdb-backend.ts';
import { ElasticsearchBackend, type ElasticsearchBackendOptions } from './elasticsearch/es-backend.ts';
import { BufferedStore, type MonitorStore, type StoreOptions } from './store.ts';

export interface DuckDbStoreOptions extends StoreOptions {
  /** Database file, or `:memory:`. */
  path: string;
  threads?: number;
  memoryLimit?: string;
  /** Compaction period of the tables being written (default 1 h; 0 = only `compact()` and retention). */
  compactIntervalMs?: number;
}

export type ElasticsearchStoreOptions = StoreOptions & Omit<ElasticsearchBackendOptions, 'namespace' | 'retentionDays' | 'logger'>;

export type MonitorStoreConfig = ({ backend: 'duckdb' } & DuckDbStoreOptions) | ({ backend: 'elasticsearch' } & ElasticsearchStoreOptions);

export async function openDuckDbStore(options: DuckDbStoreOptions): Promise<MonitorStore> {
  const backend = await DuckDbBackend.open({
    path: options.path,
    namespace: options.namespace,
    threads: options.threads,
    memoryLimit: options.memoryLimit,
    compactIntervalMs: options.compactIntervalMs,
    logger: options.logger,
  });
  try {
    return new BufferedStore(backend, options);
  } catch (e) {
    await backend.close();
    throw e;
  }
}

export async function openElasticsearchStore(options: ElasticsearchStoreOptions): Promise<MonitorStore> {
  const backend = await ElasticsearchBackend.open(options);
  try {
    return new BufferedStore(backend, options);
  } catch (e) {
    await backend.close();
    throw e;
  }
}

export function openMonitorStore(config: MonitorStoreConfig): Promise<MonitorStore> {
  switch (config.backend) {
    case 'duckdb':
      return openDuckDbStore(config);
    case 'elasticsearch':
      return openElasticsearchStore(config);
    default:
      throw new Error(`unknown monitor store backend ${JSON.stringify((config as { backend: unknown }).backend)}: expected duckdb or elasticsearch`);
  }
}
