// Test support: a namespace on the shared test kube-apiserver with this app's webhook registered
// by URL (127.0.0.1, its own CA patched in by the webhook role) and a controller running as its
// own service account (so the controller's bypasses are exercised as in a cluster), plus the
// namespace's TFrameworkConfig and templates.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KubeEventRecorder, tarsResource, Resources, loadKubeConfig, NotFoundError, type KubeClient, type KubeObject } from '@tars-ts/cluster';
import { createTestNamespace, ensureTarsCrds, testKubeClient, testKubeconfigPath } from '@tars-ts/cluster/testing';
import { Controller } from '../controller/controller.ts';
import { CountingKubeClient } from '../controller/counting-client.ts';
import { MutatingWebhookConfigurations, ValidatingWebhookConfigurations, patchCaBundles } from '../webhook/ca-bundle.ts';
import { mutatingConfiguration, validatingConfigurations } from '../webhook/configurations.ts';
import { startWebhookRole, type WebhookRole } from '../webhook/run.ts';

export const NODE_IMAGE = 'registry.test/tars.tarsnode:v1';

export interface TarsTestEnv {
  admin: KubeClient;
  ns: string;
  controllerClient: CountingKubeClient;
  controllerUser: string;
  webhook?: WebhookRole;
  controller?: Controller;
  logs: string[];
  stop(): Promise<void>;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Waits until the controller's queues are empty twice in a row (events in flight settle). */
export async function settled(env: TarsTestEnv, quietMs = 300): Promise<void> {
  let quietSince = Date.now();
  await waitFor('controller settled', () => {
    if (env.controller!.pending() > 0 || env.controller!.busy() > 0) quietSince = Date.now();
    return Date.now() - quietSince >= quietMs ? true : undefined;
  }, 30_000, 20);
}

export async function getOrUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

/** A kubeconfig for a service account of `ns`, bound to cluster-admin (RBAC is the chart's job). */
async function serviceAccountClient(admin: KubeClient, ns: string, name: string): Promise<{ client: CountingKubeClient; user: string; cleanup: () => Promise<void> }> {
  await admin.create(Resources.ServiceAccount, ns, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
  const binding = `tars-test-${ns}-${name}`;
  const crb: ResourceRefLike = { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false };
  await admin.create(crb, undefined, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: binding },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
  } as KubeObject);
  // Kubernetes 1.20's token controller adds a token Secret to the service account.
  const token = await waitFor(
    'service account token',
    async () => {
      const sa = await admin.get<KubeObject & { secrets?: { name: string }[] }>(Resources.ServiceAccount, ns, name);
      const secretName = sa.secrets?.[0]?.name;
      if (!secretName) return undefined;
      const secret = await admin.get<KubeObject & { data?: { token?: string } }>(Resources.Secret, ns, secretName);
      return secret.data?.token ? Buffer.from(secret.data.token, 'base64').toString('utf8') : undefined;
    },
    60_000,
    200,
  );
  const adminConfig = parse(readFileSync(await testKubeconfigPath(), 'utf8')) as { clusters: unknown[]; contexts: { name: string; context: { cluster: string } }[] };
  const dir = mkdtempSync(join(tmpdir(), 'tars-ctl-'));
  const path = join(dir, 'kubeconfig');
  const cluster = adminConfig.contexts[0]!.context.cluster;
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: adminConfig.clusters,
      users: [{ name, user: { token } }],
      contexts: [{ name, context: { cluster, user: name, namespace: ns } }],
      'current-context': name,
    }),
  );
  const client = new CountingKubeClient(loadKubeConfig({ kubeconfigPath: path }), { fieldManager: 'tars-controller' });
  rmSync(dir, { recursive: true, force: true });
  return {
    client,
    user: `system:serviceaccount:${ns}:${name}`,
    cleanup: async () => {
      await admin.delete(crb, undefined, binding).catch(() => undefined);
    },
  };
}

type ResourceRefLike = Parameters<KubeClient['create']>[0];

export interface EnvOptions {
  webhook?: boolean;
  controller?: boolean;
  /** Create the TFrameworkConfig and templates tars.default / tars.cpp. Default true. */
  fixtures?: boolean;
  prefix?: string;
  /** Run the Node reconciler (cluster-scoped: only the file that tests it). */
  nodes?: boolean;
}

export async function startTarsEnv(o: EnvOptions = {}): Promise<TarsTestEnv> {
  const admin = await testKubeClient();
  await ensureTarsCrds(admin);
  const ns = await createTestNamespace(admin, o.prefix ?? 'ctl');
  await admin.patch(Resources.Namespace, undefined, ns, { type: 'merge', value: { metadata: { labels: { 'tars-test-ns': ns } } } });
  const logs: string[] = [];
  const log = (level: string, m: string) => {
    logs.push(`${level} ${m}`);
    if (process.env.TARS_TEST_LOG === '1' || level === 'error') console.log(`[${ns}] ${level} ${m}`);
  };
  const sa = await serviceAccountClient(admin, ns, 'tars-controller');
  const cleanups: (() => Promise<unknown>)[] = [sa.cleanup];
  const env: TarsTestEnv = { admin, ns, controllerClient: sa.client, controllerUser: sa.user, logs, stop: async () => {} };

  if (o.webhook ?? true) {
    const names = { mutating: `tars-test-mutating-${ns}`, validatingCrd: `tars-test-validating-crd-${ns}`, validatingWorkload: `tars-test-validating-k8s-${ns}` };
    const role = await startWebhookRole({
      client: admin,
      port: 0,
      host: '127.0.0.1',
      names: ['127.0.0.1'],
      ca: { ephemeral: true },
      targets: { mutating: [names.mutating], validating: [names.validatingCrd, names.validatingWorkload], crds: [] },
      resyncMs: 0,
      controllerUsers: new Set([sa.user]),
      log,
    });
    env.webhook = role;
    const cfg = { clientConfig: { url: role.server.url }, names, namespaceSelector: { matchLabels: { 'tars-test-ns': ns } } };
    await admin.create(MutatingWebhookConfigurations, undefined, mutatingConfiguration(cfg) as unknown as KubeObject);
    for (const v of validatingConfigurations(cfg)) await admin.create(ValidatingWebhookConfigurations, undefined, v as unknown as KubeObject);
    cleanups.push(async () => {
      await admin.delete(MutatingWebhookConfigurations, undefined, names.mutating).catch(() => undefined);
      await admin.delete(ValidatingWebhookConfigurations, undefined, names.validatingCrd).catch(() => undefined);
      await admin.delete(ValidatingWebhookConfigurations, undefined, names.validatingWorkload).catch(() => undefined);
    });
    // The role's start-up patch found nothing yet (the configurations need its URL); its
    // periodic re-check would do this — here it is done at once.
    const report = await patchCaBundles(admin, role.caPem, { mutating: [names.mutating], validating: [names.validatingCrd, names.validatingWorkload], crds: [] });
    if (report.patched.length !== 3) throw new Error(`caBundle not patched everywhere: ${JSON.stringify(report)}`);
  }
  if (o.fixtures ?? true) await createFixtures(admin, ns, o.webhook ?? true);
  if (o.controller ?? true) {
    const recorder = new KubeEventRecorder(sa.client, { reportingController: 'tars.io/controller', reportingInstance: 'test' });
    env.controller = new Controller({ client: sa.client, recorder, nodes: o.nodes ?? false, watchNamespace: ns, log, workers: 2 });
    await env.controller.start(60_000);
  }
  env.stop = async () => {
    await env.controller?.stop();
    await env.webhook?.stop();
    for (const c of cleanups) await c();
    await admin.delete(Resources.Namespace, undefined, ns).catch(() => undefined);
  };
  return env;
}

async function createFixtures(admin: KubeClient, ns: string, webhook: boolean): Promise<void> {
  const create = (kind: 'TFrameworkConfig' | 'TTemplate', obj: Record<string, unknown>) =>
    // The first write can reach the webhook before the API server has loaded its caBundle.
    waitFor(`${kind} created`, async () => admin.create(tarsResource(kind), ns, { apiVersion: 'k8s.tars.io/v1beta3', kind, ...obj } as KubeObject), webhook ? 20_000 : 5_000, 250);
  await create('TFrameworkConfig', {
    metadata: { name: 'tars-framework' },
    imageBuild: { executor: { image: 'registry.test/tars.tarskaniko:v1' } },
    imageUpload: { registry: 'registry.test/upload' },
    nodeImage: { image: NODE_IMAGE, secret: 'tars-node-secret' },
    recordLimit: { texitedPod: 10, tconfigHistory: 10, timageRelease: 10 },
  });
  await create('TTemplate', { metadata: { name: 'tars.default' }, spec: { content: '<tars></tars>', parent: 'tars.default' } });
  await create('TTemplate', { metadata: { name: 'tars.cpp' }, spec: { content: '<tars></tars>', parent: 'tars.default' } });
}

/** A TServer manifest (v1beta3) for app/server of the env's namespace. */
export function tserver(ns: string, app: string, server: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject & { spec: Record<string, unknown> } {
  const { k8s, ...rest } = spec as { k8s?: Record<string, unknown> };
  return {
    apiVersion: 'k8s.tars.io/v1beta3',
    kind: 'TServer',
    metadata: { name: `${app.toLowerCase()}-${server.toLowerCase()}`, namespace: ns, ...meta },
    spec: {
      app,
      server,
      subType: 'tars',
      tars: { template: 'tars.cpp', servants: [{ name: 'HelloObj', port: 10000 }] },
      k8s: { ...(k8s ?? {}) },
      ...rest,
    },
  };
}
