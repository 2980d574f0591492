// TLS material for webhook servers in tests: a fresh CA and a serving certificate for
// 127.0.0.1, generated at test time (node-forge), so the apiserver can verify the webhook
// through the caBundle exactly as in a cluster.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface WebhookTls {
  /** PEM of the CA: base64 it into clientConfig.caBundle. */
  caPem: string;
  /** Serving certificate (SAN IP 127.0.0.1 plus any extra names) and its key, for https.createServer. */
  certPem: string;
  keyPem: string;
}

function rsaKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // Node's keygen is native; forge's pure-JS RSA keygen takes seconds.
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey);
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function certificate(opts: {
  subject: string;
  keys: ReturnType<typeof rsaKeys>;
  issuer?: { subject: string; key: forge.pki.rsa.PrivateKey };
  extensions: object[];
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = opts.keys.publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: opts.subject }]);
  cert.setIssuer([{ name: 'commonName', value: opts.issuer?.subject ?? opts.subject }]);
  cert.setExtensions(opts.extensions);
  cert.sign(opts.issuer?.key ?? opts.keys.privateKey, forge.md.sha256.create());
  return cert;
}

/** A CA and a serving certificate for 127.0.0.1 (Go ≥1.15 insists on a SAN, the CN is ignored). */
export function webhookTls(dnsNames: string[] = []): WebhookTls {
  const caKeys = rsaKeys();
  const ca = certificate({
    subject: 'kube-env test CA',
    keys: caKeys,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true },
    ],
  });
  const serverKeys = rsaKeys();
  const serving = certificate({
    subject: '127.0.0.1',
    keys: serverKeys,
    issuer: { subject: 'kube-env test CA', key: caKeys.privateKey },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, ...dnsNames.map((value) => ({ type: 2, value }))] },
    ],
  });
  return {
    caPem: forge.pki.certificateToPem(ca),
    certPem: forge.pki.certificateToPem(serving),
    keyPem: forge.pki.privateKeyToPem(serverKeys.privateKey),
  };
}
