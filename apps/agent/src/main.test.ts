// main.ts as a process: against the real kube-apiserver it provisions a claim's volume and runs
// the crontab, and exits 0 on SIGTERM; bad settings exit 2 with a clear message.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resources, type KubeClient } from '@tars-ts/cluster';
import { createTestNamespace, deleteTestNamespace, describeKube, testKubeClient, testKubeconfigPath } from '@tars-ts/cluster/testing';
import { nodeIdentity, type PersistentVolume } from './storage/volume.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

it('refuses to start without NodeName, and with a relative TLVInHost', () => {
  const noNode = spawnSync(process.execPath, [MAIN], { env: { PATH: process.env.PATH }, encoding: 'utf8', timeout: 20_000 });
  expect(noNode.status).toBe(2);
  expect(noNode.stderr).toContain('env NodeName is not set');
  const relative = spawnSync(process.execPath, [MAIN, '--no-storage'], { env: { PATH: process.env.PATH, TLVInHost: 'x/../y' }, encoding: 'utf8', timeout: 20_000 });
  expect(relative.status).toBe(2);
  expect(relative.stderr).toContain('TLVInHost "x/../y" must be an absolute path');
});

describeKube('tars-agent main.ts', () => {
  let client: KubeClient;
  let ns: string;
  const node = `agent-main-${Math.random().toString(36).slice(2, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), 'agent-main-'));

  beforeAll(async () => {
    client = await testKubeClient();
    ns = await createTestNamespace(client, 'agent-main');
    await client.create(Resources.Node, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: node, labels: { 'kubernetes.io/hostname': node, 'tars.io/SupportLocalVolume': '' } } });
  }, 120_000);

  afterAll(async () => {
    if (client) {
      await client.delete(Resources.Node, undefined, node).catch(() => undefined);
      // Every PV the agent made (the env is shared: it also served other suites' claims).
      const pvs = await client.list<PersistentVolume>(Resources.PersistentVolume, undefined);
      for (const pv of pvs.items.filter((p) => p.metadata.name!.endsWith(`-${nodeIdentity(node)}`))) {
        await client.replace(Resources.PersistentVolume, undefined, { ...pv, metadata: { ...pv.metadata, finalizers: [] } }).catch(() => undefined);
        await client.delete(Resources.PersistentVolume, undefined, pv.metadata.name!).catch(() => undefined);
      }
      if (ns) await deleteTestNamespace(client, ns);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('provisions, cleans logs on schedule, and exits 0 on SIGTERM', async () => {
    const pod = join(dir, 'tlv');
    const logs = join(dir, 'app_log');
    mkdirSync(pod);
    mkdirSync(logs);
    const old = join(logs, 'old.log');
    writeFileSync(old, 'x');
    utimesSync(old, new Date(Date.now() - 9 * 86_400_000), new Date(Date.now() - 9 * 86_400_000));
    const crontab = join(dir, 'crontab.config');
    writeFileSync(crontab, `@every 1s tars-agent-clean --dir ${logs} --name '*.log' --days 5\n`);
    const labels = { 'tars.io/ServerApp': 'Test', 'tars.io/ServerName': 'Main', 'tars.io/LocalVolume': 'data' };
    await client.create(Resources.PersistentVolumeClaim, ns, {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data-test-main-0', labels },
      spec: { accessModes: ['ReadWriteOnce'], selector: { matchLabels: labels }, resources: { requests: { storage: '1G' } }, storageClassName: 'tars-storage-class' },
    } as never);

    const child = spawn(process.execPath, [MAIN, '--crontab', crontab], {
      env: { ...process.env, TARS_TEST_KUBECONFIG: await testKubeconfigPath(), NodeName: node, TLVInHost: '/srv/tlv', TLVInPod: pod },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    try {
      for (let i = 0; i < 300 && !(existsSync(join(pod, ns, 'Test.Main', 'data')) && !existsSync(old)); i++) await new Promise((r) => setTimeout(r, 100));
      expect(output).toContain(`tars-agent started (node ${node}) (crontab ${crontab})`);
      expect(existsSync(old), output).toBe(false);
      const pv = await client.get<PersistentVolume>(Resources.PersistentVolume, undefined, `${ns}-data-test-main-${nodeIdentity(node)}`);
      expect(pv.spec?.local?.path).toBe(`/srv/tlv/${ns}/Test.Main/data`);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, output).toBe(0);
  });
});
