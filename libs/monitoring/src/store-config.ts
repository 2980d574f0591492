/**
 * Which monitor store a service opens, from its Tars config file. Our own `<storage>` domain
 * comes first; without it the upstream template `tars.es` (`<elk><nodes>`, `<indexpre>`) is
 * enough, so a K8SFramework config works unchanged. Every monitoring app reads it this way.
 */
import type { TarsConfig } from '@tars-ts/service';
import type { MonitorStoreConfig } from '@tars-ts/storage';

export class StoreConfigError extends Error {
  override name = 'StoreConfigError';
}

/** A data stream with its own upstream index key, `/tars/elk/index<notify>` = `<ns>_notify_`. */
export type OwnIndex = 'notify' | 'kevent';

const STORAGE = '/tars/storage';

/**
 * Namespace from the upstream template: `index<ownIndex>` `<ns>_<ownIndex>_` when the service
 * has one (tarsnotify, tarskevent), else `indexpre` `<ns>_stat_` / `<ns>_property_`.
 */
function namespaceFromIndexPrefix(config: TarsConfig, ownIndex: OwnIndex | undefined): string | undefined {
  if (ownIndex) {
    const index = config.get(`/tars/elk/index<${ownIndex}>`);
    const own = index ? new RegExp(`^(.+)_${ownIndex}_$`).exec(index) : null;
    if (own) return own[1];
  }
  for (const key of ['stat', 'property']) {
    const pre = config.get(`/tars/elk/indexpre<${key}>`);
    const m = pre ? new RegExp(`^(.+)_${key}_$`).exec(pre) : null;
    if (m) return m[1];
  }
  return undefined;
}

function elasticsearchNodes(config: TarsConfig): string[] {
  const own = config.get(`${STORAGE}<elasticsearch>`);
  if (own) return own.split(',').map((s) => s.trim()).filter(Boolean);
  const protocol = config.get('/tars/elk<protocol>') || 'http';
  return config
    .getDomainLines('/tars/elk/nodes')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((hostPort) => `${protocol}://${hostPort}`);
}

/**
 * The store settings in `config`. `ownIndex` names the service's own upstream index key
 * (`'notify'` for tarsnotify, `'kevent'` for tarskevent), tried first for the namespace.
 * Throws `StoreConfigError` naming the missing or bad key.
 */
export function storeConfigFrom(config: TarsConfig, ownIndex?: OwnIndex): MonitorStoreConfig {
  const namespace = config.get(`${STORAGE}<namespace>`) || namespaceFromIndexPrefix(config, ownIndex) || 'tars';
  const nodes = elasticsearchNodes(config);
  const backend = config.get(`${STORAGE}<backend>`) || (nodes.length > 0 ? 'elasticsearch' : 'duckdb');
  if (backend === 'elasticsearch') {
    if (nodes.length === 0) throw new StoreConfigError(`${STORAGE}<backend> is elasticsearch but neither ${STORAGE}<elasticsearch> nor /tars/elk/nodes lists a node`);
    return { backend, namespace, node: nodes };
  }
  if (backend === 'duckdb') {
    const path = config.get(`${STORAGE}<duckdb>`);
    if (!path) throw new StoreConfigError(`${STORAGE}<duckdb> must name the DuckDB file (or :memory:) when the backend is duckdb`);
    return { backend, namespace, path };
  }
  throw new StoreConfigError(`${STORAGE}<backend> must be duckdb or elasticsearch, got ${JSON.stringify(backend)}`);
}
