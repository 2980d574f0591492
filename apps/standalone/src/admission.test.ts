// The webhook's rules on the embedded ClusterState, through the manifests as a user writes them.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { EmbeddedClusterState } from '@tars-ts/cluster';
import { silentLogger } from '@tars-ts/rpc';
import { standaloneAdmission } from './admission.ts';
import { REPO_ROOT } from './testing/child.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'standalone-admission-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('accepts the example manifests with the webhook defaults, and denies a TServer whose template is missing', async () => {
  const manifests = join(dir, 'manifests');
  mkdirSync(manifests);
  writeFileSync(join(manifests, 'bad.yaml'), [
    'apiVersion: k8s.tars.io/v1beta3', 'kind: TServer', 'metadata: {name: x-y}',
    'spec: {app: X, server: Y, subType: tars, tars: {template: no.such, servants: []}, k8s: {}}', '',
  ].join('\n'));
  const bad = await EmbeddedClusterState.open({ dataDir: join(dir, 'bad'), manifestsDir: manifests, admission: standaloneAdmission(silentLogger) });
  expect(bad.manifestReport.rejected).toEqual([expect.objectContaining({ file: 'bad.yaml', reason: expect.stringMatching(/template.*no\.such/) })]);
  await bad.close();

  const cluster = await EmbeddedClusterState.open({ dataDir: join(dir, 'good'), manifestsDir: join(REPO_ROOT, 'manifests'), admission: standaloneAdmission(silentLogger) });
  try {
    expect(cluster.manifestReport.rejected).toEqual([]);
    const tc = await cluster.resource('TConfig').get('demo-helloserver-helloserver-conf');
    expect(tc.metadata.labels).toMatchObject({ 'tars.io/ConfigName': 'HelloServer.conf', 'tars.io/PodSeq': 'm', 'tars.io/Activated': 'true' });
    expect(tc.version).toMatch(/^\d{14}-[0-9a-f]+$/);
    const ts = await cluster.resource('TServer').get('demo-helloserver');
    expect(ts.metadata.labels).toMatchObject({ 'tars.io/SubType': 'tars', 'tars.io/Template': 'tars.nodejs', 'tars.io/ServerID': 'v1' });
    expect(ts.spec.release?.nodeImage).toBe('tarscloud/tars.tarsnode:standalone');
  } finally {
    await cluster.close();
  }
});
