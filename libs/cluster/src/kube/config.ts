// Where the Kubernetes connection comes from: an explicit kubeconfig file, the test env's
// kubeconfig (TARS_TEST_KUBECONFIG), the pod's service account, or the usual defaults.
import { existsSync, readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
export const TEST_KUBECONFIG_ENV = 'TARS_TEST_KUBECONFIG';

export interface KubeConfigSource {
  /** A kubeconfig file; wins over everything else. */
  kubeconfigPath?: string;
}

export function loadKubeConfig(source: KubeConfigSource = {}): KubeConfig {
  const kc = new KubeConfig();
  const path = source.kubeconfigPath ?? process.env[TEST_KUBECONFIG_ENV];
  if (path) {
    if (!existsSync(path)) throw new Error(`kubeconfig ${path} does not exist`);
    kc.loadFromFile(path);
  } else if (process.env.KUBERNETES_SERVICE_HOST && existsSync(`${SA_DIR}/token`)) {
    kc.loadFromCluster();
  } else {
    kc.loadFromDefault();
  }
  if (!kc.getCurrentCluster()) throw new Error('no Kubernetes cluster configured (kubeconfig without a current cluster)');
  return kc;
}

/**
 * The namespace a framework service belongs to: env `Namespace` (set on every framework pod),
 * the service account's namespace, the kubeconfig context's, else `default`.
 */
export function currentNamespace(kc?: KubeConfig): string {
  if (process.env.Namespace) return process.env.Namespace;
  const saFile = `${SA_DIR}/namespace`;
  if (existsSync(saFile)) return readFileSync(saFile, 'utf8').trim();
  const ctx = kc?.getContextObject(kc.getCurrentContext());
  return ctx?.namespace ?? 'default';
}
