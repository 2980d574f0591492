// The conversion webhook on the real API server: the webhook role patches its CA into the CRDs'
// conversion config; v1beta2 and v1beta3 clients see the same TServer / TFrameworkConfig, and
// what v1beta2 cannot hold survives a v1beta2 round trip. Also the v1beta2 admission path
// (mutation expressed in v1beta2 terms, AutoRelease from the TImage's default release).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CONVERSION_WEBHOOK_CRDS } from '@tars-ts/api';
import { describeKube } from '@tars-ts/cluster/testing';
import { Resources, tarsResource, type KubeObject } from '@tars-ts/cluster';
import { patchCaBundles } from './ca-bundle.ts';
import { startTarsEnv, tserver, waitFor, type TarsTestEnv } from '../testing/env.ts';

type Obj = KubeObject & { metadata: any; [k: string]: any };
const CRD_DIR = join(import.meta.dirname, '../../../../charts/tarscontroller/crds');

describeKube('conversion webhook on a real API server', () => {
  let env: TarsTestEnv;
  let ns: string;
  const v2 = { ...tarsResource('TServer'), version: 'v1beta2' };
  const setClientConfig = (name: string, clientConfig: unknown) =>
    env.admin.patch(Resources.CustomResourceDefinition, undefined, name, { type: 'json', ops: [{ op: 'replace', path: '/spec/conversion/webhook/clientConfig', value: clientConfig }] });

  beforeAll(async () => {
    env = await startTarsEnv({ prefix: 'conv', controller: false });
    ns = env.ns;
    for (const name of CONVERSION_WEBHOOK_CRDS) await setClientConfig(name, { url: `${env.webhook!.server.url}/conversion` });
    const report = await patchCaBundles(env.admin, env.webhook!.caPem, { mutating: [], validating: [], crds: CONVERSION_WEBHOOK_CRDS });
    expect(report.patched.sort()).toEqual(CONVERSION_WEBHOOK_CRDS.map((n) => `CustomResourceDefinition/${n}`).sort());
  });
  afterAll(async () => {
    if (!env) return;
    // Leave the shared CRDs as the chart ships them (Service reference, no CA).
    for (const name of CONVERSION_WEBHOOK_CRDS) {
      const shipped = parse(readFileSync(join(CRD_DIR, `${name}.yaml`), 'utf8')) as Obj;
      await setClientConfig(name, shipped.spec.conversion.webhook.clientConfig).catch(() => undefined);
    }
    await env.stop();
  });

  it('v1beta3 → v1beta2 → v1beta3 keeps command, args and every readiness gate', async () => {
    await env.admin.create(tarsResource('TServer'), ns, tserver(ns, 'Conv', 'Server', { k8s: { command: ['/bin/srv'], args: ['-v'], readinessGates: ['tars.io/active', 'x.io/warm'] } }));
    const asV2 = await waitFor('v1beta2 read', () => env.admin.get<Obj>(v2, ns, 'conv-server'), 20_000, 250);
    expect(asV2.apiVersion).toBe('k8s.tars.io/v1beta2');
    expect(asV2.spec.k8s.readinessGate).toBe('tars.io/active');
    expect(asV2.spec.k8s).not.toHaveProperty('command');
    expect(JSON.parse(asV2.metadata.annotations['tars.io/Conversion.1b21b3'])).toMatchObject({ append: { command: ['/bin/srv'], args: ['-v'] } });
    asV2.spec.important = 9;
    await env.admin.replace(v2, ns, asV2);
    const asV3 = await env.admin.get<Obj>(tarsResource('TServer'), ns, 'conv-server');
    expect(asV3.spec.important).toBe(9);
    expect(asV3.spec.k8s).toMatchObject({ command: ['/bin/srv'], args: ['-v'], readinessGates: ['tars.io/active', 'x.io/warm'] });
    expect(asV3.metadata.annotations?.['tars.io/Conversion.1b21b3']).toBeUndefined();
  });

  it('a v1beta2 client creates a TServer: mutated in v1beta2 terms, released from the TImage default (AutoRelease)', async () => {
    await env.admin.create(tarsResource('TImage'), ns, {
      apiVersion: 'k8s.tars.io/v1beta3',
      kind: 'TImage',
      metadata: { name: 'conv-auto', labels: { 'tars.io/ServerApp': 'Conv', 'tars.io/ServerName': 'Auto' } },
      imageType: 'server',
      releases: [{ id: 'r7', image: 'registry.test/conv.auto:r7' }],
      default: 'r7',
    } as Obj);
    const created = await env.admin.create<Obj>(v2, ns, {
      apiVersion: 'k8s.tars.io/v1beta2',
      kind: 'TServer',
      metadata: { name: 'conv-auto' },
      spec: { app: 'Conv', server: 'Auto', subType: 'tars', tars: { template: 'tars.cpp', servants: [{ name: 'AObj', port: 1000 }] }, k8s: { replicas: 1 } },
    } as Obj);
    expect(created.apiVersion).toBe('k8s.tars.io/v1beta2');
    expect(created.spec.k8s.readinessGate).toBe('tars.io/active');
    expect(created.spec.release).toMatchObject({ id: 'r7', image: 'registry.test/conv.auto:r7', nodeImage: 'registry.test/tars.tarsnode:v1' });
    const asV3 = await env.admin.get<Obj>(tarsResource('TServer'), ns, 'conv-auto');
    expect(asV3.spec.k8s.readinessGates).toEqual(['tars.io/active']);
    expect(asV3.metadata.labels['tars.io/ServerID']).toBe('r7');
  });

  it('TFrameworkConfig: imageUpload ↔ imageRegistry, executor kept across a v1beta2 write', async () => {
    const fv2 = { ...tarsResource('TFrameworkConfig'), version: 'v1beta2' };
    const asV2 = await env.admin.get<Obj>(fv2, ns, 'tars-framework');
    expect(asV2.imageRegistry).toEqual({ registry: 'registry.test/upload' });
    expect(asV2).not.toHaveProperty('imageUpload');
    asV2.imageBuild.maxBuildTime = 600;
    await env.admin.replace(fv2, ns, asV2);
    const asV3 = await env.admin.get<Obj>(tarsResource('TFrameworkConfig'), ns, 'tars-framework');
    expect(asV3.imageBuild).toMatchObject({ maxBuildTime: 600, executor: { image: 'registry.test/tars.tarskaniko:v1' } });
    expect(asV3.imageUpload).toEqual({ registry: 'registry.test/upload' });
  });
});
