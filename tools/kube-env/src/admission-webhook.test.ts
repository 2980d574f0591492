// Admission webhooks registered by URL on https://127.0.0.1:<port> are called by this apiserver,
// verified with caBundle, and their denial reaches the client: the path the tars webhook needs.
import { AdmissionregistrationV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithKube, webhookTls } from './testing.ts';

const suffix = randomBytes(3).toString('hex');
const DENIAL = 'names starting with forbidden- are not allowed here';

interface AdmissionRequest {
  uid: string;
  operation: string;
  namespace?: string;
  object?: { metadata?: { name?: string } };
}

describeWithKube('admission webhook by URL on 127.0.0.1', (kube) => {
  const ns = `kube-env-webhook-${suffix}`;
  const configName = `kube-env-test-${suffix}`;
  const seen: AdmissionRequest[] = [];
  let server: Server;
  let core: CoreV1Api;
  let admission: AdmissionregistrationV1Api;

  beforeAll(async () => {
    const tls = webhookTls();
    server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const review = JSON.parse(body) as { request: AdmissionRequest };
        seen.push(review.request);
        const name = review.request.object?.metadata?.name ?? '';
        const allowed = !name.startsWith('forbidden-');
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            apiVersion: 'admission.k8s.io/v1',
            kind: 'AdmissionReview',
            response: { uid: review.request.uid, allowed, ...(allowed ? {} : { status: { code: 403, message: DENIAL } }) },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;

    const kc = new KubeConfig();
    kc.loadFromFile(kube().kubeconfigPath);
    core = kc.makeApiClient(CoreV1Api);
    admission = kc.makeApiClient(AdmissionregistrationV1Api);
    await core.createNamespace({ body: { metadata: { name: ns, labels: { 'kube-env-webhook-test': suffix } } } });
    await admission.createValidatingWebhookConfiguration({
      body: {
        metadata: { name: configName },
        webhooks: [
          {
            name: 'deny-forbidden.kube-env.test.tars.io',
            clientConfig: { url: `https://127.0.0.1:${port}/validate`, caBundle: Buffer.from(tls.caPem).toString('base64') },
            rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }],
            // Only this test's namespace: the env is shared with other test files.
            namespaceSelector: { matchLabels: { 'kube-env-webhook-test': suffix } },
            sideEffects: 'None',
            admissionReviewVersions: ['v1'],
            failurePolicy: 'Fail',
            timeoutSeconds: 5,
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await admission?.deleteValidatingWebhookConfiguration({ name: configName }).catch(() => {});
    await core?.deleteNamespace({ name: ns }).catch(() => {});
    server?.close();
  });

  it('denies a create with the webhook message and admits an allowed one', async () => {
    // The apiserver picks up a new webhook configuration through its informer: poll until it bites.
    let denial: { code?: number; body?: unknown; message?: string } | undefined;
    const deadline = Date.now() + 20_000;
    for (let i = 0; !denial; i++) {
      const name = `forbidden-${i}`;
      try {
        await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name } } });
        if (Date.now() > deadline) throw new Error('the webhook never denied a create within 20 s');
        await new Promise((r) => setTimeout(r, 200));
      } catch (e) {
        if ((e as { code?: number }).code === 403) denial = e as typeof denial;
        else throw e;
      }
    }
    expect(denial.code).toBe(403);
    const status = JSON.parse(String(denial.body)) as { message: string; reason: string };
    expect(status.message).toBe(`admission webhook "deny-forbidden.kube-env.test.tars.io" denied the request: ${DENIAL}`);

    const ok = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'welcome' } } });
    expect(ok.metadata?.name).toBe('welcome');
    const reviewed = seen.find((r) => r.object?.metadata?.name === 'welcome');
    expect(reviewed).toMatchObject({ operation: 'CREATE', namespace: ns });
  });
});
