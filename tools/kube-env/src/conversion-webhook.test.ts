// CRD conversion webhooks registered by URL on https://127.0.0.1:<port> work on this apiserver:
// an object written in one version is stored in the other and read back in either (the path
// k8s.tars.io v1beta2 <-> v1beta3 needs).
import { ApiextensionsV1Api, CustomObjectsApi, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithKube, retryWhileNotFound, webhookTls } from './testing.ts';

const suffix = randomBytes(3).toString('hex');
const group = `convert${suffix}.test.tars.io`;
const plural = 'gadgets';

interface Gadget {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
}

/** v1 says `size`, v2 says `replicas`. */
function convert(obj: Gadget, desiredAPIVersion: string): Gadget {
  const { size, replicas, ...rest } = obj.spec;
  const spec = desiredAPIVersion.endsWith('/v2') ? { ...rest, replicas: size ?? replicas } : { ...rest, size: replicas ?? size };
  return { ...obj, apiVersion: desiredAPIVersion, spec };
}

const schema = (field: 'size' | 'replicas') => ({
  openAPIV3Schema: {
    type: 'object',
    properties: { spec: { type: 'object', properties: { [field]: { type: 'integer' } } } },
  },
});

describeWithKube('conversion webhook by URL on 127.0.0.1', (kube) => {
  const ns = `kube-env-convert-${suffix}`;
  let server: Server;
  let conversions = 0;
  let crds: ApiextensionsV1Api;
  let core: CoreV1Api;
  let objects: CustomObjectsApi;

  beforeAll(async () => {
    const tls = webhookTls();
    server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const review = JSON.parse(body) as { request: { uid: string; desiredAPIVersion: string; objects: Gadget[] } };
        conversions++;
        const { uid, desiredAPIVersion, objects: input } = review.request;
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            apiVersion: 'apiextensions.k8s.io/v1',
            kind: 'ConversionReview',
            response: { uid, convertedObjects: input.map((o) => convert(o, desiredAPIVersion)), result: { status: 'Success' } },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;

    const kc = new KubeConfig();
    kc.loadFromFile(kube().kubeconfigPath);
    crds = kc.makeApiClient(ApiextensionsV1Api);
    core = kc.makeApiClient(CoreV1Api);
    objects = kc.makeApiClient(CustomObjectsApi);
    await core.createNamespace({ body: { metadata: { name: ns } } });
    await crds.createCustomResourceDefinition({
      body: {
        metadata: { name: `${plural}.${group}` },
        spec: {
          group,
          scope: 'Namespaced',
          names: { plural, singular: 'gadget', kind: 'Gadget' },
          versions: [
            { name: 'v1', served: true, storage: true, schema: schema('size') },
            { name: 'v2', served: true, storage: false, schema: schema('replicas') },
          ],
          conversion: {
            strategy: 'Webhook',
            webhook: {
              conversionReviewVersions: ['v1'],
              clientConfig: { url: `https://127.0.0.1:${port}/convert`, caBundle: Buffer.from(tls.caPem).toString('base64') },
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await crds?.deleteCustomResourceDefinition({ name: `${plural}.${group}` }).catch(() => {});
    await core?.deleteNamespace({ name: ns }).catch(() => {});
    server?.close();
  });

  it('stores a v2 object as v1 through the webhook and serves it in both versions', async () => {
    await expect
      .poll(
        async () =>
          (await crds.readCustomResourceDefinition({ name: `${plural}.${group}` })).status?.conditions?.find(
            (c) => c.type === 'Established',
          )?.status,
        { timeout: 20_000, interval: 100 },
      )
      .toBe('True');
    const v2 = { group, version: 'v2', namespace: ns, plural };
    await retryWhileNotFound(() =>
      objects.createNamespacedCustomObject({
        ...v2,
        body: { apiVersion: `${group}/v2`, kind: 'Gadget', metadata: { name: 'g1' }, spec: { replicas: 3 } },
      }),
    );
    const asV1 = await objects.getNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural, name: 'g1' });
    expect(asV1.apiVersion).toBe(`${group}/v1`);
    expect(asV1.spec).toEqual({ size: 3 });
    const asV2 = await objects.getNamespacedCustomObject({ ...v2, name: 'g1' });
    expect(asV2.spec).toEqual({ replicas: 3 });
    expect(conversions).toBeGreaterThanOrEqual(2);
  });
});
