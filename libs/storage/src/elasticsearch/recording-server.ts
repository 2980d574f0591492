/**
 * TEST SUPPORT — THIS IS NOT AN ELASTICSEARCH. A small HTTP server that records every request
 * the real @elastic/elasticsearch client sends and answers with response shapes copied from
 * Elasticsearch 8/9 (including the `x-elastic-product: Elasticsearch` header, without which the
 * client refuses to talk). It stores nothing and evaluates no query: tests use it to assert the
 * exact bodies the backend sends and to feed realistic responses back.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query string, e.g. `/tars_stat_20240101/_search?ignore_unavailable=true`. */
  url: string;
  headers: IncomingHttpHeaders;
  /** Raw body text. */
  body: string;
}

export interface CannedResponse {
  status?: number;
  body: unknown;
}

/** Returns a response for a request, or undefined to use the default answer. */
export type Responder = (request: RecordedRequest) => CannedResponse | undefined;

export interface RecordingServer {
  url: string;
  requests: RecordedRequest[];
  respond(responder: Responder | undefined): void;
  close(): Promise<void>;
}

/** Parses an NDJSON body into its lines' JSON values. */
export function ndjson(body: string): unknown[] {
  return body
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line));
}

const SHARDS = { total: 1, successful: 1, failed: 0 };

/** What Elasticsearch answers to a `_bulk` whose items all succeed. */
export function bulkSuccess(body: string): unknown {
  const lines = ndjson(body);
  const items: unknown[] = [];
  for (let i = 0; i < lines.length; i += 2) {
    const [action, meta] = Object.entries(lines[i] as Record<string, { _index?: string; _id?: string }>)[0]!;
    items.push({
      [action]: {
        _index: meta._index,
        _id: meta._id ?? `gen-${i / 2}`,
        _version: 1,
        result: 'created',
        _shards: { total: 2, successful: 1, failed: 0 },
        _seq_no: i / 2,
        _primary_term: 1,
        status: 201,
      },
    });
  }
  return { errors: false, took: 3, items };
}

function defaultResponse(r: RecordedRequest): CannedResponse {
  const path = r.url.split('?')[0]!;
  if (r.method === 'PUT' && (path.startsWith('/_ilm/policy/') || path.startsWith('/_index_template/'))) {
    return { body: { acknowledged: true } };
  }
  if (path === '/_bulk' || path.endsWith('/_bulk')) return { body: bulkSuccess(r.body) };
  if (path.endsWith('/_search')) {
    return {
      body: {
        took: 1,
        timed_out: false,
        _shards: { ...SHARDS, skipped: 0 },
        hits: { total: { value: 0, relation: 'eq' }, max_score: null, hits: [] },
      },
    };
  }
  if (path.startsWith('/_cat/indices')) return { body: [] };
  if (path.endsWith('/_delete_by_query')) {
    return {
      body: {
        took: 2,
        timed_out: false,
        total: 0,
        deleted: 0,
        batches: 0,
        version_conflicts: 0,
        noops: 0,
        retries: { bulk: 0, search: 0 },
        throttled_millis: 0,
        requests_per_second: -1,
        throttled_until_millis: 0,
        failures: [],
      },
    };
  }
  if (r.method === 'DELETE') return { body: { acknowledged: true } };
  return { status: 404, body: { error: { type: 'not_implemented_in_recorder', reason: `${r.method} ${path}` }, status: 404 } };
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  let responder: Responder | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const answer = responder?.(recorded) ?? defaultResponse(recorded);
      const text = JSON.stringify(answer.body);
      res.writeHead(answer.status ?? 200, {
        'content-type': 'application/vnd.elasticsearch+json;compatible-with=9',
        'x-elastic-product': 'Elasticsearch',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond(r) {
      responder = r;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
