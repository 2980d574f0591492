// The webhook's certificate authority and serving certificate, made at start-up (never a fixed
// certificate shipped in the image or chart). The CA is kept in a Secret so that every webhook
// replica, and the next start, serves under the same CA the API server was told about; each
// process signs its own serving certificate with it.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
}

export interface ServingCertificate {
  certPem: string;
  keyPem: string;
}

const DAY_MS = 24 * 3600_000;

function rsaKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // Node's key generation is native; forge's pure-JS one takes seconds.
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey);
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function newCertificate(subject: string, publicKey: forge.pki.PublicKey, validDays: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Positive serial (leading byte < 0x80), unique per certificate.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 5 * 60_000);
  cert.validity.notAfter = new Date(Date.now() + validDays * DAY_MS);
  cert.setSubject([{ name: 'commonName', value: subject }]);
  return cert;
}

/** A self-signed CA for the webhook (10 years: rotating it means re-patching every caBundle). */
export function generateCa(commonName = 'tars-webhook-ca', validDays = 3650): CertificateAuthority {
  const keys = rsaKeys();
  const cert = newCertificate(commonName, keys.publicKey, validDays);
  cert.setIssuer(cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

/**
 * A serving certificate signed by `ca` for `names` (DNS names or IP addresses; the API server
 * checks the SAN, not the CN). One year, renewed at every start.
 */
export function issueServingCertificate(ca: CertificateAuthority, names: readonly string[], validDays = 365): ServingCertificate {
  if (names.length === 0) throw new Error('a serving certificate needs at least one DNS name or IP');
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const keys = rsaKeys();
  const cert = newCertificate(names[0] ?? '', keys.publicKey, validDays);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

/** Whether `certPem` is a CA certificate whose key is `keyPem` (a Secret may be corrupted). */
export function isUsableCa(ca: CertificateAuthority): boolean {
  try {
    const cert = forge.pki.certificateFromPem(ca.certPem);
    const key = forge.pki.privateKeyFromPem(ca.keyPem) as forge.pki.rsa.PrivateKey;
    const pub = cert.publicKey as forge.pki.rsa.PublicKey;
    return pub.n.equals(key.n) && cert.validity.notAfter.getTime() > Date.now() + 30 * DAY_MS;
  } catch {
    return false;
  }
}

/** The default names of the webhook Service (`<service>.<namespace>.svc` is what the API server dials). */
export function serviceDnsNames(service: string, namespace: string): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
}
