// vitest globalSetup: ONE kube env per test run, started lazily.
//
// Nothing starts unless a test asks for it: the setup only opens a unix socket; the first
// getKubeEnv()/describeWithKube() in any worker makes the main process start the env (≈3 s),
// later callers get the same one. A run without kube tests pays nothing. Teardown stops it.
//
// Binaries absent: outside CI tests using the helpers are skipped with a message; with CI=true
// the run fails here, loudly. Binaries from an older build recipe: a warning (CI: a failure).
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startKubeEnv, type KubeEnv } from './kube-env.ts';
import { BUILD_HINT, missingBinaries, staleBinariesReason } from './paths.ts';
import { ENV_CONTROL_SOCKET, ENV_KUBECONFIG, PROVIDE_KEY, type KubeConnection } from './test-context.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const missing = missingBinaries();
  if (missing.length > 0) {
    const reason = `kube env binaries missing (${missing.join(', ')}); build them with: ${BUILD_HINT}`;
    if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
    console.warn(`[kube-env] ${reason}. Tests that need Kubernetes will be SKIPPED.`);
    project.provide(PROVIDE_KEY, { available: false, reason });
    return async () => {};
  }
  const stale = staleBinariesReason();
  if (stale) {
    if (process.env.CI === 'true') throw new Error(`CI=true but ${stale}`);
    console.warn(`[kube-env] WARNING: ${stale}. Tests run against them anyway and may fail.`);
  }

  const controlDir = mkdtempSync(join(tmpdir(), 'tars-kube-ctl-'));
  // If vitest dies before teardown (the env's own dirs are covered by its watchdog).
  process.once('exit', () => rmSync(controlDir, { recursive: true, force: true }));
  const controlSocket = join(controlDir, 'control.sock');
  const envDir = join(controlDir, 'env');
  const kubeconfigPath = join(envDir, 'kubeconfig');

  let starting: Promise<KubeEnv> | undefined;
  const ensureStarted = () => {
    starting ??= startKubeEnv({ dir: envDir }).then((env) => {
      console.log(`[kube-env] started on demand: ${env.server}, ready in ${env.readyMs} ms (logs: ${env.dir})`);
      return env;
    });
    return starting;
  };

  const server: Server = createServer((req, res) => {
    ensureStarted().then(
      (env) => {
        const connection: KubeConnection = {
          server: env.server,
          token: env.token,
          caFile: env.caFile,
          kubeconfigPath: env.kubeconfigPath,
        };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(connection));
      },
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(err.message),
    );
    req.resume();
  });
  await new Promise<void>((resolve) => server.listen(controlSocket, resolve));

  project.provide(PROVIDE_KEY, { available: true, controlSocket, kubeconfigPath });
  // Workers inherit these; so do processes the tests spawn (kubectl, helm, the controller).
  process.env[ENV_KUBECONFIG] = kubeconfigPath;
  process.env[ENV_CONTROL_SOCKET] = controlSocket;

  return async () => {
    server.close();
    if (starting) await starting.then((env) => env.stop(), () => {});
    rmSync(controlDir, { recursive: true, force: true });
  };
}
