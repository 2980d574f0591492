import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger.ts';
import type { Health } from './health.ts';
import type { ServiceMetrics } from './metrics.ts';

export interface MonitorServerOptions {
  metrics: ServiceMetrics;
  health: Health;
  /** 0 picks a free port. */
  port: number;
  /** Default all interfaces (Kubernetes probes come from the kubelet, not from localhost). */
  host?: string;
  logger?: Logger;
}

export interface MonitorServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The small HTTP server beside the Tars endpoints: `GET /metrics` (Prometheus text),
 * `GET /healthz` (liveness: answers while the event loop runs) and `GET /readyz` (200 or 503 with
 * one line per check).
 */
export async function startMonitorServer(options: MonitorServerOptions): Promise<MonitorServer> {
  const { metrics, health, logger } = options;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'method not allowed\n', { allow: 'GET, HEAD' });
    switch (path) {
      case '/metrics':
        return reply(res, 200, await metrics.metrics(), { 'content-type': metrics.contentType });
      case '/healthz':
        return reply(res, 200, 'ok\n');
      case '/readyz': {
        const report = await health.readiness();
        const body = report.checks.map((c) => `${c.ok ? '[+]' : '[-]'} ${c.name}${c.ok ? ' ok' : ': ' + c.reason}`).join('\n') + '\n';
        return reply(res, report.ready ? 200 : 503, body);
      }
      default:
        return reply(res, 404, 'not found\n');
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      logger?.error('monitor server request failed', e);
      if (!res.headersSent) reply(res, 500, 'internal error\n');
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';

  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function reply(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(body);
}
