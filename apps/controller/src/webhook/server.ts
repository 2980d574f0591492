// The webhook's HTTPS server: POST /mutating, /validating (AdmissionReview v1) and /conversion
// (ConversionReview v1); GET /healthz. A request that fails inside is answered with a denial
// (admission) or a Failed conversion, never left hanging: the API server's timeout is 15 s.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { reviewConversion, type ConversionReview } from '@tars-ts/api';
import type { ServiceMetrics } from '@tars-ts/service';
import { reviewMutating, reviewValidating, type AdmissionDeps } from './admission.ts';
import { deny, type AdmissionReview } from './review-types.ts';

export interface WebhookServerOptions extends AdmissionDeps {
  certPem: string;
  keyPem: string;
  port: number;
  host?: string;
  metrics?: ServiceMetrics;
  /** Largest request body accepted (the API server sends at most ~3 MiB objects). */
  maxBodyBytes?: number;
}

export interface WebhookServer {
  readonly port: number;
  readonly url: string;
  /** Swap the serving certificate without a restart (new CA in the Secret, renewal). */
  setCertificate(certPem: string, keyPem: string): void;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new BodyTooLarge(`request body over ${max} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startWebhookServer(o: WebhookServerOptions): Promise<WebhookServer> {
  const max = o.maxBodyBytes ?? 8 * 1024 * 1024;
  const requests = o.metrics?.counter('tars_webhook_requests_total', 'Admission and conversion reviews answered', ['path', 'result']);
  const latency = o.metrics?.histogram('tars_webhook_request_duration_seconds', 'Time to answer a review', ['path'], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  const log = o.log ?? (() => {});

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && (path === '/healthz' || path === '/readyz')) return send(res, 200, 'ok\n');
    if (req.method !== 'POST') return send(res, 405, 'method not allowed\n');
    const started = process.hrtime.bigint();
    let text: string;
    try {
      text = await readBody(req, max);
    } catch (e) {
      return send(res, e instanceof BodyTooLarge ? 413 : 400, `${(e as Error).message}\n`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return send(res, 400, 'body is not JSON\n');
    }
    let result = 'allowed';
    try {
      if (path === '/conversion') {
        const review = body as ConversionReview;
        const answer = reviewConversion(review);
        const outcome = answer.response?.result;
        result = outcome?.status === 'Success' ? 'converted' : 'failed';
        if (outcome && outcome.status === 'Failure') log('warn', `conversion failed: ${outcome.message}`);
        return send(res, 200, answer);
      }
      if (path !== '/mutating' && path !== '/validating') return send(res, 404, 'not found\n');
      const review = body as AdmissionReview;
      const request = review.request;
      if (!request?.uid) return send(res, 400, 'AdmissionReview without request.uid\n');
      let response;
      try {
        response = path === '/mutating' ? await reviewMutating(request, o) : await reviewValidating(request, o);
      } catch (e) {
        log('error', `${path} ${request.operation} ${request.resource?.resource} ${request.namespace}/${request.name}: ${(e as Error).message}`);
        response = deny(request.uid, `tars webhook could not review the request: ${(e as Error).message}`, 500);
      }
      result = response.allowed ? (response.patch ? 'patched' : 'allowed') : 'denied';
      if (!response.allowed) log('info', `${path} denied ${request.operation} ${request.resource?.resource} ${request.namespace}/${request.name ?? request.object?.metadata?.name}: ${response.status?.message}`);
      return send(res, 200, { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response });
    } finally {
      requests?.inc({ path, result });
      latency?.observe({ path }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };

  const server: Server = createServer({ cert: o.certPem, key: o.keyPem }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      log('error', `webhook request failed: ${(e as Error).message}`);
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `https://${o.host ?? '127.0.0.1'}:${port}`,
    setCertificate: (certPem, keyPem) => server.setSecureContext({ cert: certPem, key: keyPem }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
