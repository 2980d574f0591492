// The webhook role: settle the CA (Secret, or files), issue the serving certificate, serve, and
// keep the caBundle of our webhook configurations and conversion CRDs pointing at the CA (a
// `helm upgrade` re-applies them without one, so this is checked periodically, not once).
import { readFileSync } from 'node:fs';
import type { KubeClient } from '@tars-ts/cluster';
import type { ServiceMetrics } from '@tars-ts/service';
import { patchCaBundles, loadOrCreateCa, type CaBundleTargets } from './ca-bundle.ts';
import { generateCa, issueServingCertificate, type CertificateAuthority } from './certs.ts';
import { startWebhookServer, type WebhookServer } from './server.ts';

export interface WebhookRoleOptions {
  client: KubeClient;
  port: number;
  host?: string;
  /** Names on the serving certificate (DNS names or IPs). */
  names: string[];
  /** Where the CA lives: a Secret (`namespace/name`), files, or nowhere (in memory, one replica). */
  ca: { secret: { namespace: string; name: string } } | { certFile: string; keyFile: string } | { ephemeral: true };
  targets: CaBundleTargets;
  /** Re-check the caBundles this often; 0 = only at start. */
  resyncMs: number;
  controllerUsers: ReadonlySet<string>;
  metrics?: ServiceMetrics;
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

export interface WebhookRole {
  server: WebhookServer;
  caPem: string;
  stop(): Promise<void>;
}

async function settleCa(o: WebhookRoleOptions): Promise<CertificateAuthority> {
  if ('secret' in o.ca) return loadOrCreateCa(o.client, o.ca.secret.namespace, o.ca.secret.name);
  if ('certFile' in o.ca) return { certPem: readFileSync(o.ca.certFile, 'utf8'), keyPem: readFileSync(o.ca.keyFile, 'utf8') };
  return generateCa();
}

export async function startWebhookRole(o: WebhookRoleOptions): Promise<WebhookRole> {
  const ca = await settleCa(o);
  const cert = issueServingCertificate(ca, o.names);
  const server = await startWebhookServer({
    client: o.client,
    certPem: cert.certPem,
    keyPem: cert.keyPem,
    port: o.port,
    ...(o.host ? { host: o.host } : {}),
    controllerUsers: o.controllerUsers,
    log: o.log,
    ...(o.metrics ? { metrics: o.metrics } : {}),
  });
  o.log('info', `webhook serving on ${server.url} for ${o.names.join(', ')}`);
  const patchOnce = async () => {
    const r = await patchCaBundles(o.client, ca.certPem, o.targets);
    if (r.patched.length) o.log('info', `caBundle patched: ${r.patched.join(', ')}`);
    if (r.missing.length) o.log('debug', `caBundle targets not found: ${r.missing.join(', ')}`);
  };
  await patchOnce().catch((e: unknown) => o.log('warn', `caBundle patch failed: ${(e as Error).message}`));
  const timer = o.resyncMs > 0 ? setInterval(() => void patchOnce().catch((e: unknown) => o.log('warn', `caBundle patch failed: ${(e as Error).message}`)), o.resyncMs) : undefined;
  timer?.unref();
  return {
    server,
    caPem: ca.certPem,
    stop: async () => {
      clearInterval(timer);
      await server.close();
    },
  };
}
