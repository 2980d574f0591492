// Reaching the shared test kube-apiserver of tools/kube-env (its vitest global setup starts it on
// demand): the ClusterState-side helpers apps' tests use on top of '@tars-ts/kube-env/testing'.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describeWithKube, getKubeEnv } from '@tars-ts/kube-env/testing';
import { KubeClient } from '../kube/client.ts';
import { AlreadyExistsError, ClusterError, NotFoundError } from '../errors.ts';
import { loadKubeConfig } from '../kube/config.ts';
import { Resources } from '../kube/resources.ts';
import type { KubeObject } from '../types.ts';

/** describe() when the test apiserver can run here, else a visibly skipped describe (an error with CI=true). */
export function describeKube(name: string, fn: () => void): void {
  describeWithKube(name, () => fn());
}

/** Path of the shared env's kubeconfig, starting the env if this is the first test to ask. */
export async function testKubeconfigPath(): Promise<string> {
  return (await getKubeEnv()).kubeconfigPath;
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
