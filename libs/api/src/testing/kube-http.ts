// Test support: a minimal JSON client for the real kube-apiserver (libs/api may not depend on
// @kubernetes/client-node, and raw requests show exactly what the server answers).
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

export interface KubeResponse {
  status: number;
  body: any;
}

export interface KubeHttp {
  send(method: string, path: string, body?: unknown, contentType?: string): Promise<KubeResponse>;
}

export function kubeHttp(conn: { server: string; token: string; caFile: string }): KubeHttp {
  const ca = readFileSync(conn.caFile);
  return {
    send(method, path, body, contentType = 'application/json') {
      const url = new URL(path, conn.server);
      const payload = body === undefined ? undefined : JSON.stringify(body);
      return new Promise((resolve, reject) => {
        const req = request(
          url,
          {
            method,
            ca,
            headers: {
              authorization: `Bearer ${conn.token}`,
              accept: 'application/json',
              ...(payload !== undefined ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}),
            },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => {
              let parsed: unknown = text;
              try {
                parsed = JSON.parse(text);
              } catch {
                // not JSON: keep the text for the failure message
              }
              resolve({ status: res.statusCode ?? 0, body: parsed });
            });
          },
        );
        req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
        req.on('error', reject);
        req.end(payload);
      });
    },
  };
}
