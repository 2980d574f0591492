// Helpers for tests that need the real Kubernetes API server (import '@tars-ts/kube-env/testing').
//
//   describeWithKube('my reconciler', (kube) => {
//     beforeAll(() => { kc.loadFromFile(kube().kubeconfigPath); });
//     it('creates a StatefulSet', async () => { ... });
//   });
//
// One env is shared by the whole run: use your own namespaces and unique cluster-scoped names.
import { request } from 'node:http';
import { beforeAll, describe, inject } from 'vitest';
import { startKubeEnv, type KubeEnv } from './kube-env.ts';
import { BUILD_HINT, missingBinaries } from './paths.ts';
import { ENV_CONTROL_SOCKET, ENV_KUBECONFIG, PROVIDE_KEY, type KubeConnection, type KubeEnvTestContext } from './test-context.ts';

export type { KubeConnection } from './test-context.ts';
export { ENV_CONTROL_SOCKET, ENV_KUBECONFIG } from './test-context.ts';
export { webhookTls, type WebhookTls } from './webhook-tls.ts';

/** Generous: the first caller waits for the env to start (≈3 s, slower on a loaded machine). */
const START_TIMEOUT_MS = 180_000;

function context(): KubeEnvTestContext | undefined {
  try {
    return inject(PROVIDE_KEY);
  } catch {
    return undefined; // not running under vitest's runner
  }
}

/** Why kube tests cannot run here, or undefined when they can. */
export function kubeEnvSkipReason(): string | undefined {
  const ctx = context();
  if (ctx && !ctx.available) return ctx.reason;
  if (!ctx && !process.env[ENV_CONTROL_SOCKET]) {
    const missing = missingBinaries();
    if (missing.length > 0) return `kube env binaries missing (${missing.join(', ')}); build them with: ${BUILD_HINT}`;
  }
  return undefined;
}

function askControlSocket(socketPath: string): Promise<KubeConnection> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/start', method: 'POST' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        if (res.statusCode === 200) resolve(JSON.parse(body) as KubeConnection);
        else reject(new Error(`the shared kube env failed to start:\n${body}`));
      });
    });
    req.setTimeout(START_TIMEOUT_MS, () => req.destroy(new Error('timed out waiting for the shared kube env')));
    req.on('error', reject);
    req.end();
  });
}

let connection: Promise<KubeConnection> | undefined;

/**
 * The shared kube env of this test run, started on first use. Outside the root vitest config
 * (no global setup) this process starts a private env, stopped when the process exits.
 */
export function getKubeEnv(): Promise<KubeConnection> {
  connection ??= (async () => {
    const ctx = context();
    if (ctx && !ctx.available) throw new Error(ctx.reason);
    const socket = ctx?.controlSocket ?? process.env[ENV_CONTROL_SOCKET];
    if (socket) return askControlSocket(socket);
    const ownEnv: KubeEnv = await startKubeEnv();
    process.env[ENV_KUBECONFIG] = ownEnv.kubeconfigPath;
    return {
      server: ownEnv.server,
      token: ownEnv.token,
      caFile: ownEnv.caFile,
      kubeconfigPath: ownEnv.kubeconfigPath,
    };
  })();
  return connection;
}

/** describe() or its skipped twin (reason and build command in the title); an error with CI=true. */
function describeOrSkip(name: string, body: () => void, skippedBody: () => void): void {
  const reason = kubeEnvSkipReason();
  if (!reason) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  describe.skip(`${name} [SKIPPED: ${reason}]`, skippedBody);
}

/**
 * describe() whose tests run against the shared real apiserver. `kube()` returns the connection
 * inside hooks and tests. Skipped with a visible reason when the binaries are absent (never
 * silently passed); with CI=true that is an error instead.
 */
export function describeWithKube(name: string, fn: (kube: () => KubeConnection) => void): void {
  const unavailable = () => {
    throw new Error(kubeEnvSkipReason());
  };
  describeOrSkip(
    name,
    () => {
      let conn: KubeConnection | undefined;
      beforeAll(async () => {
        conn = await getKubeEnv();
      }, START_TIMEOUT_MS);
      fn(() => {
        if (!conn) throw new Error('kube() is only available inside hooks and tests of describeWithKube');
        return conn;
      });
    },
    () => fn(unavailable),
  );
}

/** Like describeWithKube, for tests that start their own envs with startKubeEnv(). */
export function describeWithKubeBinaries(name: string, fn: () => void): void {
  describeOrSkip(name, fn, fn);
}

/**
 * Retries while the call fails with HTTP 404 (client-node errors carry `code`): the endpoint of
 * a brand-new CRD can answer 404 for a moment after the CRD reports Established.
 */
export async function retryWhileNotFound<T>(fn: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if ((e as { code?: number }).code !== 404 || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
