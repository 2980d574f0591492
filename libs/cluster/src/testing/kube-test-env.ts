// Reaching the shared test kube-apiserver that tools/kube-env's vitest global setup starts on
// demand. Kept here (a few lines of its documented protocol: the control socket in
// TARS_TEST_KUBE_CONTROL, the kubeconfig in TARS_TEST_KUBECONFIG) because a lib may not import a
// tool under the module boundaries.
import { request } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, inject } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { KubeClient } from '../kube/client.ts';
import { AlreadyExistsError, ClusterError, NotFoundError } from '../errors.ts';
import { loadKubeConfig } from '../kube/config.ts';
import { Resources } from '../kube/resources.ts';
import type { KubeObject } from '../types.ts';

function skipReason(): string | undefined {
  let ctx: { available: boolean; reason?: string } | undefined;
  try {
    ctx = inject('tarsKubeEnv');
  } catch {
    ctx = undefined;
  }
  if (ctx && !ctx.available) return ctx.reason;
  if (!ctx && !process.env.TARS_TEST_KUBE_CONTROL && !process.env.TARS_TEST_KUBECONFIG) return 'no test kube env (run under the root vitest config)';
  return undefined;
}

/** describe() when the test apiserver can run here, else a visibly skipped describe (an error with CI=true). */
export function describeKube(name: string, fn: () => void): void {
  const reason = skipReason();
  if (!reason) {
    describe(name, fn);
    return;
  }
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  describe.skip(`${name} [SKIPPED: ${reason}]`, fn);
}

let started: Promise<string> | undefined;

/** Path of the shared env's kubeconfig, starting the env if this is the first test to ask. */
export function testKubeconfigPath(): Promise<string> {
  started ??= new Promise<string>((resolve, reject) => {
    const socketPath = process.env.TARS_TEST_KUBE_CONTROL;
    if (!socketPath) {
      const path = process.env.TARS_TEST_KUBECONFIG;
      return path ? resolve(path) : reject(new Error('no test kube env'));
    }
    const req = request({ socketPath, path: '/start', method: 'POST' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => (res.statusCode === 200 ? resolve((JSON.parse(body) as { kubeconfigPath: string }).kubeconfigPath) : reject(new Error(`kube env failed to start: ${body}`))));
    });
    req.on('error', reject);
    req.end();
  });
  return started;
}

export async function testKubeClient(): Promise<KubeClient> {
  return new KubeClient(loadKubeConfig({ kubeconfigPath: await testKubeconfigPath() }), { fieldManager: 'cluster-tests' });
}

const CRD_DIR = join(import.meta.dirname, '../../../../charts/tarscontroller/crds');

/**
 * Applies the k8s.tars.io CRDs from the chart (created when absent; an existing one is left as
 * is, since other suites of the run may use it) and waits until each is Established and served.
 */
export async function ensureTarsCrds(client: KubeClient): Promise<void> {
  const crds = readdirSync(CRD_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(join(CRD_DIR, f), 'utf8')).map((d) => d.toJSON() as KubeObject & { spec: { group: string; names: { plural: string } } }));
  for (const crd of crds) {
    try {
      await client.create(Resources.CustomResourceDefinition, undefined, crd);
    } catch (e) {
      if (!(e instanceof AlreadyExistsError)) throw e;
    }
  }
  const deadline = Date.now() + 60_000;
  for (const crd of crds) {
    for (;;) {
      try {
        await client.request('GET', `/apis/${crd.spec.group}/v1beta3/namespaces/default/${crd.spec.names.plural}`);
        break;
      } catch (e) {
        if (!(e instanceof NotFoundError) || Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
}

export async function createTestNamespace(client: KubeClient, prefix: string): Promise<string> {
  const name = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
  await client.create(Resources.Namespace, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  // Pods need the namespace's default ServiceAccount; do not wait for the controller-manager.
  await client.create(Resources.ServiceAccount, name, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } }).catch((e: unknown) => {
    if (!(e instanceof AlreadyExistsError)) throw e;
  });
  return name;
}

export async function deleteTestNamespace(client: KubeClient, name: string): Promise<void> {
  await client.delete(Resources.Namespace, undefined, name).catch((e: unknown) => {
    if (!(e instanceof ClusterError)) throw e;
  });
}
