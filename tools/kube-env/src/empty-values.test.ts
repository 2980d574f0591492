// Regression: the apiserver accepts empty strings and empty arrays in custom resources, like a
// real 1.20 does. The first build (Go 1.19, unpatched kube-openapi) refused every "" decoded from
// JSON as `must be of type string: "null"` and rejected any CRD with `default: ""`; see
// build.sh, patch_kube_openapi_zero_check. Upstream Tars manifests rely on this (`businessRef: ""`).
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cachedRecipeStamp, expectedRecipeStamp } from './paths.ts';
import { describeWithKube, retryWhileNotFound } from './testing.ts';

const suffix = randomBytes(3).toString('hex');
const group = `empty${suffix}.test.tars.io`;
const plural = 'blanks';
const version = 'v1';

describeWithKube('kube-apiserver: empty strings and arrays in custom resources', (kube) => {
  const kc = new KubeConfig();
  let core: CoreV1Api;
  let crds: ApiextensionsV1Api;
  let objects: CustomObjectsApi;
  const ns = `kube-env-empty-${suffix}`;
  const target = { group, version, namespace: ns, plural };
  const body = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: `${group}/${version}`,
    kind: 'Blank',
    metadata: { name },
    spec,
  });

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

  it('accepts a CRD whose string fields default to "", and establishes it', async () => {
    const created = await crds.createCustomResourceDefinition({
      body: {
        metadata: { name: `${plural}.${group}` },
        spec: {
          group,
          scope: 'Namespaced',
          names: { plural, singular: 'blank', kind: 'Blank', listKind: 'BlankList' },
          versions: [
            {
              name: version,
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: {
                      type: 'object',
                      properties: {
                        // client-node's model calls the keyword "default" _default (it sends "default").
                        businessRef: { type: 'string', _default: '' },
                        name: { type: 'string' },
                        tags: { type: 'array', items: { type: 'string', _default: '' } },
                        ports: { type: 'array', items: { type: 'integer' } },
                        labels: { type: 'object', additionalProperties: { type: 'string' } },
                      },
                    },
                  },
                },
              },
            },
          ],
        },
      },
    });
    const specProps = created.spec.versions[0].schema?.openAPIV3Schema?.properties?.spec.properties;
    expect(specProps?.businessRef._default).toBe('');
    await expect
      .poll(
        async () => {
          const crd = await crds.readCustomResourceDefinition({ name: `${plural}.${group}` });
          return crd.status?.conditions?.find((c) => c.type === 'Established')?.status;
        },
        { timeout: 20_000, interval: 100 },
      )
      .toBe('True');
  });

  it('stores "" and [] as sent, and reads them back exactly', async () => {
    const spec = { businessRef: '', name: '', tags: [], ports: [], labels: { app: '' } };
    const created = await retryWhileNotFound(() =>
      objects.createNamespacedCustomObject({ ...target, body: body('sent', spec) }),
    );
    expect(created.spec).toStrictEqual(spec);
    const read = await objects.getNamespacedCustomObject({ ...target, name: 'sent' });
    expect(read.spec).toStrictEqual(spec);
  });

  it('keeps "" inside arrays and applies a "" default to an omitted field', async () => {
    const created = await retryWhileNotFound(() =>
      objects.createNamespacedCustomObject({ ...target, body: body('defaulted', { tags: ['', 'x'] }) }),
    );
    expect(created.spec).toStrictEqual({ businessRef: '', tags: ['', 'x'] });
    const read = await objects.getNamespacedCustomObject({ ...target, name: 'defaulted' });
    expect(read.spec).toStrictEqual({ businessRef: '', tags: ['', 'x'] });
  });

  it('still checks types: a number where a string belongs is refused with 422', async () => {
    // The apiserver's Status message, e.g. `... spec.name in body must be of type string: "integer"`.
    const refusal = async (spec: Record<string, unknown>) => {
      try {
        await objects.createNamespacedCustomObject({ ...target, body: body('bad', spec) });
      } catch (err) {
        const e = err as { code?: number; body?: unknown };
        if (typeof e.body !== 'string') return { code: e.code, message: (e.body as { message?: string })?.message };
        try {
          return { code: e.code, message: (JSON.parse(e.body) as { message?: string }).message };
        } catch {
          return { code: e.code, message: e.body }; // not a Status (e.g. "404 page not found")
        }
      }
      return { code: 201, message: undefined };
    };
    expect(await refusal({ name: 5 })).toMatchObject({ code: 422, message: expect.stringContaining('must be of type string: "integer"') });
    expect(await refusal({ tags: ['', 5] })).toMatchObject({ code: 422, message: expect.stringContaining('must be of type string: "integer"') });
  });

  it('runs binaries built by the current build.sh recipe', () => {
    // A stale cache (an older recipe) is what shipped the empty-string bug; build.sh rebuilds it.
    expect(cachedRecipeStamp(), 'rebuild with: bash tools/kube-env/build.sh').toBe(expectedRecipeStamp());
  });
});
