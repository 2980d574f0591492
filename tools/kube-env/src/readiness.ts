// Polls a health endpoint (etcd: http, Kubernetes: https) until it answers 200.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpsProbe {
  url: string;
  ca?: string;
  token?: string;
  /** Only for endpoints whose certificate nobody needs to trust (the controller-manager's healthz). */
  insecure?: boolean;
}

export function probeOnce(probe: HttpsProbe, timeoutMs = 2_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = probe.url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = request(
      probe.url,
      {
        ca: probe.ca,
        rejectUnauthorized: !probe.insecure,
        headers: probe.token ? { authorization: `Bearer ${probe.token}` } : {},
        timeout: timeoutMs,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Resolves once the endpoint answers 200. Rejects after timeoutMs, or as soon as `fatal()`
 * returns a reason (e.g. the server process exited), with the last probe result in the message.
 */
export async function waitUntilHealthy(
  probe: HttpsProbe | (() => HttpsProbe | undefined),
  opts: { timeoutMs: number; intervalMs?: number; fatal?: () => string | undefined },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    const reason = opts.fatal?.();
    if (reason) throw new Error(reason);
    const p = typeof probe === 'function' ? probe() : probe;
    if (p) {
      try {
        const res = await probeOnce(p);
        if (res.status === 200) return;
        last = `HTTP ${res.status}: ${res.body.slice(0, 500)}`;
      } catch (err) {
        last = (err as Error).message;
      }
    }
    if (Date.now() > deadline) throw new Error(`not healthy after ${opts.timeoutMs} ms (last: ${last})`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}
