// The webhook CA: generated (never shipped), usable to verify the serving certificate it issues,
// kept in one Secret that concurrent replicas agree on, replaced when unusable.
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeKube, createTestNamespace, deleteTestNamespace, testKubeClient } from '@tars-ts/cluster/testing';
import { Resources, type KubeClient, type KubeObject } from '@tars-ts/cluster';
import { generateCa, isUsableCa, issueServingCertificate, serviceDnsNames } from './certs.ts';
import { loadOrCreateCa } from './ca-bundle.ts';

describe('webhook certificates', () => {
  const ca = generateCa();
  it('issues a serving certificate for the Service names and IPs, signed by the CA', () => {
    const names = [...serviceDnsNames('tars-webhook-service', 'tars-system'), '127.0.0.1'];
    const cert = new X509Certificate(issueServingCertificate(ca, names).certPem);
    const caCert = new X509Certificate(ca.certPem);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.subjectAltName).toContain('DNS:tars-webhook-service.tars-system.svc');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(caCert.ca).toBe(true);
    expect(cert.ca).toBe(false);
  });
  it('makes a new CA every time', () => {
    expect(generateCa().certPem).not.toBe(ca.certPem);
  });
  it('rejects a CA whose key does not match or that is about to expire', () => {
    expect(isUsableCa(ca)).toBe(true);
    expect(isUsableCa({ certPem: ca.certPem, keyPem: generateCa().keyPem })).toBe(false);
    expect(isUsableCa(generateCa('short', 10))).toBe(false);
    expect(isUsableCa({ certPem: 'garbage', keyPem: ca.keyPem })).toBe(false);
  });
});

describeKube('webhook CA secret', () => {
  let client: KubeClient;
  let ns: string;
  beforeAll(async () => {
    client = await testKubeClient();
    ns = await createTestNamespace(client, 'whca');
  });
  afterAll(async () => {
    if (client && ns) await deleteTestNamespace(client, ns);
  });
  it('replicas starting together settle on one CA, and later starts reuse it', async () => {
    const [a, b, c] = await Promise.all([loadOrCreateCa(client, ns, 'ca'), loadOrCreateCa(client, ns, 'ca'), loadOrCreateCa(client, ns, 'ca')]);
    expect(b.certPem).toBe(a.certPem);
    expect(c.certPem).toBe(a.certPem);
    expect((await loadOrCreateCa(client, ns, 'ca')).certPem).toBe(a.certPem);
  });
  it('replaces a corrupted CA', async () => {
    const s = await client.get<KubeObject & { data: Record<string, string> }>(Resources.Secret, ns, 'ca');
    await client.replace(Resources.Secret, ns, { ...s, data: { ...s.data, 'ca.key': Buffer.from('nope').toString('base64') } });
    const fresh = await loadOrCreateCa(client, ns, 'ca');
    expect(isUsableCa(fresh)).toBe(true);
    expect((await loadOrCreateCa(client, ns, 'ca')).certPem).toBe(fresh.certPem);
  });
});
