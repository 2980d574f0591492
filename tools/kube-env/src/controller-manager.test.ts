// The shared env runs kube-controller-manager: ownerReference garbage collection and namespace
// deletion really happen.
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithKube, retryWhileNotFound } from './testing.ts';

const suffix = randomBytes(3).toString('hex');

function isNotFound(e: unknown): boolean {
  return (e as { code?: number }).code === 404;
}

describeWithKube('kube-controller-manager', (kube) => {
  let core: CoreV1Api;
  const kc = new KubeConfig();
  const ns = `kube-env-gc-${suffix}`;

  beforeAll(async () => {
    kc.loadFromFile(kube().kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: ns } } });
  });
  afterAll(async () => {
    await core?.deleteNamespace({ name: ns }).catch(() => {});
  });

  it('garbage-collects a ConfigMap whose owner was deleted, and keeps one without owner', async () => {
    const owner = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'owner' } } });
    const owned: V1ConfigMap = {
      metadata: {
        name: 'owned',
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata!.uid! }],
      },
      data: { k: 'v' },
    };
    await core.createNamespacedConfigMap({ namespace: ns, body: owned });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'bystander' } } });

    await core.deleteNamespacedConfigMap({ namespace: ns, name: 'owner' });
    await expect
      .poll(
        () => core.readNamespacedConfigMap({ namespace: ns, name: 'owned' }).then(() => 'present', (e) => (isNotFound(e) ? 'gone' : 'error')),
        { timeout: 30_000, interval: 200 },
      )
      .toBe('gone');
    const bystander = await core.readNamespacedConfigMap({ namespace: ns, name: 'bystander' });
    expect(bystander.metadata?.name).toBe('bystander');
  });

  it('finishes deleting a namespace that still holds objects', async () => {
    const doomed = `kube-env-nsdel-${suffix}`;
    await core.createNamespace({ body: { metadata: { name: doomed } } });
    await core.createNamespacedConfigMap({ namespace: doomed, body: { metadata: { name: 'content' } } });
    await core.deleteNamespace({ name: doomed });
    await expect
      .poll(
        () => core.readNamespace({ name: doomed }).then((n) => n.status?.phase ?? 'unknown', (e) => (isNotFound(e) ? 'gone' : 'error')),
        { timeout: 60_000, interval: 250 },
      )
      .toBe('gone');
  });

  // The controller's case: a custom resource owns what it generates. For the kinds of a CRD
  // created after kube-controller-manager started, GC learns them on its 30 s discovery resync.
  it('garbage-collects a ConfigMap owned by a custom resource of a brand-new CRD', { timeout: 90_000 }, async () => {
    const group = `gc${suffix}.test.tars.io`;
    const crds = kc.makeApiClient(ApiextensionsV1Api);
    const objects = kc.makeApiClient(CustomObjectsApi);
    await crds.createCustomResourceDefinition({
      body: {
        metadata: { name: `things.${group}` },
        spec: {
          group,
          scope: 'Namespaced',
          names: { plural: 'things', singular: 'thing', kind: 'Thing' },
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
        },
      },
    });
    try {
      const target = { group, version: 'v1', namespace: ns, plural: 'things' };
      const thing = await retryWhileNotFound(() =>
        objects.createNamespacedCustomObject({ ...target, body: { apiVersion: `${group}/v1`, kind: 'Thing', metadata: { name: 't1' } } }),
      );
      await core.createNamespacedConfigMap({
        namespace: ns,
        body: {
          metadata: {
            name: 'owned-by-thing',
            ownerReferences: [{ apiVersion: `${group}/v1`, kind: 'Thing', name: 't1', uid: thing.metadata.uid }],
          },
        },
      });
      await objects.deleteNamespacedCustomObject({ ...target, name: 't1' });
      await expect
        .poll(
          () =>
            core
              .readNamespacedConfigMap({ namespace: ns, name: 'owned-by-thing' })
              .then(() => 'present', (e) => (isNotFound(e) ? 'gone' : 'error')),
          { timeout: 75_000, interval: 500 },
        )
        .toBe('gone');
    } finally {
      await crds.deleteCustomResourceDefinition({ name: `things.${group}` }).catch(() => {});
    }
  });
});
