// The shared env is a real kube-apiserver: namespaces, v1 CRDs with defaults/validation and the
// status subresource behave as on a production cluster.
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kubectlPath } from './paths.ts';
import { describeWithKube, ENV_KUBECONFIG, retryWhileNotFound } from './testing.ts';

const suffix = randomBytes(3).toString('hex');
const group = `kubeenv${suffix}.test.tars.io`;
const plural = 'widgets';
const version = 'v1';

describeWithKube('kube-apiserver', (kube) => {
  const kc = new KubeConfig();
  let core: CoreV1Api;
  let crds: ApiextensionsV1Api;
  let objects: CustomObjectsApi;
  const ns = `kube-env-api-${suffix}`;

  beforeAll(async () => {
    kc.loadFromFile(kube().kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    crds = kc.makeApiClient(ApiextensionsV1Api);
    objects = kc.makeApiClient(CustomObjectsApi);
    await core.createNamespace({ body: { metadata: { name: ns } } });
  });
  afterAll(async () => {
    await crds?.deleteCustomResourceDefinition({ name: `${plural}.${group}` }).catch(() => {});
    await core?.deleteNamespace({ name: ns }).catch(() => {});
  });

  it('serves the namespace it created, with a server-assigned uid', async () => {
    const got = await core.readNamespace({ name: ns });
    expect(got.metadata?.name).toBe(ns);
    expect(got.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.status?.phase).toBe('Active');
  });

  it('establishes a v1 CRD, defaults and validates its objects, and patches status separately', async () => {
    await crds.createCustomResourceDefinition({
      body: {
        metadata: { name: `${plural}.${group}` },
        spec: {
          group,
          scope: 'Namespaced',
          names: { plural, singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
          versions: [
            {
              name: version,
              served: true,
              storage: true,
              subresources: { status: {} },
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: {
                      type: 'object',
                      required: ['size'],
                      properties: {
                        size: { type: 'integer', minimum: 1 },
                        // client-node's model calls the schema keyword "default" _default (it serialises it as "default").
                        intervalSeconds: { type: 'integer', _default: 30 },
                      },
                    },
                    status: { type: 'object', properties: { phase: { type: 'string' } } },
                  },
                },
              },
            },
          ],
        },
      },
    });
    await expect.poll(
      async () => {
        const crd = await crds.readCustomResourceDefinition({ name: `${plural}.${group}` });
        return crd.status?.conditions?.find((c) => c.type === 'Established')?.status;
      },
      { timeout: 20_000, interval: 100 },
    ).toBe('True');

    const target = { group, version, namespace: ns, plural };
    const created = await retryWhileNotFound(() =>
      objects.createNamespacedCustomObject({
        ...target,
        body: { apiVersion: `${group}/${version}`, kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 2 } },
      }),
    );
    expect(created.spec).toEqual({ size: 2, intervalSeconds: 30 });
    expect(created.metadata.generation).toBe(1);

    const invalid = objects.createNamespacedCustomObject({
      ...target,
      body: { apiVersion: `${group}/${version}`, kind: 'Widget', metadata: { name: 'bad' }, spec: { size: 0 } },
    });
    await expect(invalid).rejects.toMatchObject({ code: 422 });

    const patched = await objects.patchNamespacedCustomObjectStatus(
      { ...target, name: 'w1', body: { status: { phase: 'Ready' }, spec: { size: 99 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.status).toEqual({ phase: 'Ready' });
    // The status subresource ignores spec changes and does not bump the generation.
    expect(patched.spec.size).toBe(2);
    expect(patched.metadata.generation).toBe(1);
  });

  it('hands the kubeconfig to child processes through TARS_TEST_KUBECONFIG', async () => {
    expect(process.env[ENV_KUBECONFIG]).toBe(kube().kubeconfigPath);
    // A child that knows nothing but the variable reaches the same apiserver (and sees our namespace).
    const { stdout } = await promisify(execFile)('sh', ['-c', `"${kubectlPath()}" --kubeconfig "$${ENV_KUBECONFIG}" get namespace ${ns} -o name`]);
    expect(stdout.trim()).toBe(`namespace/${ns}`);
  });
});
