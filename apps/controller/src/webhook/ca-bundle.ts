// Making the API server trust this webhook: keep the CA in a Secret (shared by replicas and
// restarts), then write it as caBundle into our webhook configurations and into the conversion
// clientConfig of the CRDs converted by webhook.
import { CONVERSION_WEBHOOK_CRDS, caBundlePatch } from '@tars-ts/api';
import { AlreadyExistsError, NotFoundError, Resources, type KubeClient, type KubeObject, type ResourceRef } from '@tars-ts/cluster';
import { generateCa, isUsableCa, type CertificateAuthority } from './certs.ts';

export const MutatingWebhookConfigurations: ResourceRef = {
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  plural: 'mutatingwebhookconfigurations',
  kind: 'MutatingWebhookConfiguration',
  namespaced: false,
};
export const ValidatingWebhookConfigurations: ResourceRef = {
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  plural: 'validatingwebhookconfigurations',
  kind: 'ValidatingWebhookConfiguration',
  namespaced: false,
};

interface SecretObject extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

const CERT_KEY = 'ca.crt';
const KEY_KEY = 'ca.key';

function fromSecret(s: SecretObject): CertificateAuthority | undefined {
  const cert = s.data?.[CERT_KEY];
  const key = s.data?.[KEY_KEY];
  if (!cert || !key) return undefined;
  const ca = { certPem: Buffer.from(cert, 'base64').toString('utf8'), keyPem: Buffer.from(key, 'base64').toString('utf8') };
  return isUsableCa(ca) ? ca : undefined;
}

function secretData(ca: CertificateAuthority): Record<string, string> {
  return { [CERT_KEY]: Buffer.from(ca.certPem).toString('base64'), [KEY_KEY]: Buffer.from(ca.keyPem).toString('base64') };
}

/**
 * The CA in Secret `namespace/name`: read it, or generate and store one. Two replicas starting
 * together race on create; the loser reads the winner's. An unusable CA (bad PEM, expiring within
 * 30 days) is replaced, conditional on the resourceVersion it was read at.
 */
export async function loadOrCreateCa(client: KubeClient, namespace: string, name: string): Promise<CertificateAuthority> {
  for (let attempt = 0; attempt < 5; attempt++) {
    let existing: SecretObject | undefined;
    try {
      existing = await client.get<SecretObject>(Resources.Secret, namespace, name);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
    if (existing) {
      const ca = fromSecret(existing);
      if (ca) return ca;
      const fresh = generateCa();
      try {
        await client.replace(Resources.Secret, namespace, { ...existing, data: secretData(fresh) });
        return fresh;
      } catch {
        continue; // someone else replaced it: read again
      }
    }
    const fresh = generateCa();
    try {
      await client.create<SecretObject>(Resources.Secret, namespace, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace, labels: { 'tars.io/Webhook': 'true' } },
        type: 'Opaque',
        data: secretData(fresh),
      });
      return fresh;
    } catch (e) {
      if (!(e instanceof AlreadyExistsError)) throw e;
    }
  }
  throw new Error(`could not settle the webhook CA in secret ${namespace}/${name}`);
}

interface WebhookConfiguration extends KubeObject {
  webhooks?: { name: string; clientConfig?: { caBundle?: string } }[];
}

export interface CaBundleTargets {
  mutating: readonly string[];
  validating: readonly string[];
  /** CRDs whose conversion goes through this webhook; default the group's (TServer, TFrameworkConfig). */
  crds?: readonly string[];
}

export interface CaBundleReport {
  patched: string[];
  unchanged: string[];
  missing: string[];
}

/** Puts `caPem` into every webhook of the named configurations and every named CRD. Idempotent. */
export async function patchCaBundles(client: KubeClient, caPem: string, targets: CaBundleTargets): Promise<CaBundleReport> {
  const bundle = Buffer.from(caPem).toString('base64');
  const report: CaBundleReport = { patched: [], unchanged: [], missing: [] };
  const configs: [ResourceRef, readonly string[]][] = [
    [MutatingWebhookConfigurations, targets.mutating],
    [ValidatingWebhookConfigurations, targets.validating],
  ];
  for (const [ref, names] of configs) {
    for (const name of names) {
      const what = `${ref.kind}/${name}`;
      let cfg: WebhookConfiguration;
      try {
        cfg = await client.get<WebhookConfiguration>(ref, undefined, name);
      } catch (e) {
        if (e instanceof NotFoundError) {
          report.missing.push(what);
          continue;
        }
        throw e;
      }
      const hooks = cfg.webhooks ?? [];
      if (hooks.every((h) => h.clientConfig?.caBundle === bundle)) {
        report.unchanged.push(what);
        continue;
      }
      // `test` makes the patch fail instead of writing webhooks[i] of a changed list.
      const ops = [
        { op: 'test' as const, path: '/metadata/resourceVersion', value: cfg.metadata.resourceVersion },
        ...hooks.map((_, i) => ({ op: 'add' as const, path: `/webhooks/${i}/clientConfig/caBundle`, value: bundle })),
      ];
      await client.patch(ref, undefined, name, { type: 'json', ops });
      report.patched.push(what);
    }
  }
  for (const name of targets.crds ?? CONVERSION_WEBHOOK_CRDS) {
    const what = `CustomResourceDefinition/${name}`;
    let crd: KubeObject & { spec?: { conversion?: { strategy?: string; webhook?: { clientConfig?: { caBundle?: string } } } } };
    try {
      crd = await client.get(Resources.CustomResourceDefinition, undefined, name);
    } catch (e) {
      if (e instanceof NotFoundError) {
        report.missing.push(what);
        continue;
      }
      throw e;
    }
    const conversion = crd.spec?.conversion;
    if (conversion?.strategy !== 'Webhook') {
      report.missing.push(`${what} (conversion strategy ${conversion?.strategy ?? 'None'})`);
      continue;
    }
    if (conversion.webhook?.clientConfig?.caBundle === bundle) {
      report.unchanged.push(what);
      continue;
    }
    await client.patch(Resources.CustomResourceDefinition, undefined, name, { type: 'json', ops: caBundlePatch(caPem) });
    report.patched.push(what);
  }
  return report;
}
