// The storage runner against the real kube-apiserver (tools/kube-env; its controller-manager runs
// pvc-protection and pv-protection but not the PV binder, so the test binds by hand as the binder
// would). Host directories live in a temp dir standing for the agent's mount of TLVInHost.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError, Resources, type KubeClient } from '@tars-ts/cluster';
import { createTestNamespace, deleteTestNamespace, describeKube, testKubeClient } from '@tars-ts/cluster/testing';
import { ServiceLogger } from '@tars-ts/service';
import { StorageRunner } from './runner.ts';
import { nodeIdentity, type PersistentVolume, type PersistentVolumeClaim } from './volume.ts';

const HOST_BASE = '/usr/local/app/tars/host-mount';

/** Retries `fn` until it resolves without throwing (then returns its value) or the time is up. */
async function eventually<T>(fn: () => T | Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describeKube('storage runner', () => {
  let client: KubeClient;
  let ns: string;
  let runner: StorageRunner;
  const suffix = Math.random().toString(36).slice(2, 8);
  const nodeName = `tlv-node-${suffix}`;
  const plainNode = `plain-node-${suffix}`;
  const top = mkdtempSync(join(tmpdir(), 'agent-storage-'));
  const podBase = join(top, 'host-mount');
  mkdirSync(podBase);
  const identity = nodeIdentity(nodeName);
  const logger = new ServiceLogger({ level: 'ERROR', console: true });

  function claimFor(name: string, app: string, server: string, dir: string, annotations: Record<string, string> = {}): PersistentVolumeClaim {
    const labels = { 'tars.io/ServerApp': app, 'tars.io/ServerName': server, 'tars.io/LocalVolume': dir };
    return {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: ns, labels, annotations },
      spec: { accessModes: ['ReadWriteOnce'], selector: { matchLabels: { ...labels } }, resources: { requests: { storage: '1G' } }, storageClassName: 'tars-storage-class', volumeMode: 'Filesystem' } as never,
    };
  }

  const getPV = (name: string) => client.get<PersistentVolume>(Resources.PersistentVolume, undefined, name);
  const pvGone = async (name: string) => {
    try {
      await getPV(name);
      return false;
    } catch (e) {
      if (e instanceof NotFoundError) return true;
      throw e;
    }
  };

  /** What the PV binder does: PV claimRef + Bound, PVC volumeName + Bound. */
  async function bind(claimName: string, pvName: string): Promise<void> {
    const pvc = await client.get<PersistentVolumeClaim>(Resources.PersistentVolumeClaim, ns, claimName);
    const pv = await getPV(pvName);
    const boundPv = await client.replace(Resources.PersistentVolume, undefined, { ...pv, spec: { ...pv.spec, claimRef: { kind: 'PersistentVolumeClaim', namespace: ns, name: claimName, uid: pvc.metadata.uid } } as never });
    await client.replaceStatus(Resources.PersistentVolume, undefined, { ...boundPv, status: { phase: 'Bound' } });
    const boundPvc = await client.replace(Resources.PersistentVolumeClaim, ns, { ...pvc, spec: { ...pvc.spec, volumeName: pvName } });
    await client.replaceStatus(Resources.PersistentVolumeClaim, ns, { ...boundPvc, status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1G' } } } as never);
  }

  beforeAll(async () => {
    client = await testKubeClient();
    ns = await createTestNamespace(client, 'agent-storage');
    await client.create(Resources.Node, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, labels: { 'kubernetes.io/hostname': `host-${suffix}`, 'tars.io/node': '', 'tars.io/SupportLocalVolume': '' } } });
    await client.create(Resources.Node, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: plainNode, labels: { 'kubernetes.io/hostname': plainNode, 'tars.io/node': '' } } });
    runner = new StorageRunner({ client, nodeName, hostBase: HOST_BASE, podBase, logger, baseDelayMs: 100, maxDelayMs: 1000 });
    await runner.start();
  }, 120_000);

  afterAll(async () => {
    await runner?.stop();
    if (client) {
      for (const n of [nodeName, plainNode]) await client.delete(Resources.Node, undefined, n).catch(() => undefined);
      // Everything our agents made, in any namespace (the env is shared: other suites' claims too).
      const ours = [identity, nodeIdentity(plainNode)].map((id) => `-${id}`);
      const pvs = await client.list<PersistentVolume>(Resources.PersistentVolume, undefined);
      for (const pv of pvs.items.filter((p) => p.metadata.name!.startsWith(`${ns}-`) || ours.some((s) => p.metadata.name!.endsWith(s)))) {
        await client.replace(Resources.PersistentVolume, undefined, { ...pv, metadata: { ...pv.metadata, finalizers: [] } }).catch(() => undefined);
        await client.delete(Resources.PersistentVolume, undefined, pv.metadata.name!).catch(() => undefined);
      }
      if (ns) await deleteTestNamespace(client, ns);
    }
    rmSync(top, { recursive: true, force: true });
  });

  it('provisions a pending TLocalVolume claim: directory with mode and owner, PV with the exact fields', async () => {
    await client.create(Resources.PersistentVolumeClaim, ns, claimFor('data-test-hello-0', 'Test', 'Hello', 'data', { 'tars.io/LocalVolumeUID': '10000', 'tars.io/LocalVolumeGID': '10001', 'tars.io/LocalVolumeMode': '750' }));
    const name = `${ns}-data-test-hello-${identity}`;
    const pv = await eventually(() => getPV(name), 20_000);
    expect(pv.metadata.labels).toEqual({ 'tars.io/ServerApp': 'Test', 'tars.io/ServerName': 'Hello', 'tars.io/LocalVolume': 'data' });
    expect(pv.metadata.annotations).toEqual({ 'pv.kubernetes.io/provisioned-by': 'tars-local-volume-provisioner' });
    expect(pv.metadata.finalizers).toEqual(['kubernetes.io/pv-protection']);
    expect(pv.spec).toMatchObject({
      capacity: { storage: '1G' },
      local: { path: `${HOST_BASE}/${ns}/Test.Hello/data` },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: 'tars-storage-class',
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [`host-${suffix}`] }] }] } },
    });
    const st = statSync(join(podBase, ns, 'Test.Hello', 'data'));
    expect(st.isDirectory()).toBe(true);
    expect(st.mode & 0o7777).toBe(0o750);
    if (process.getuid?.() === 0) expect([st.uid, st.gid]).toEqual([10000, 10001]);
  });

  it('re-applies mode and owner of a bound claim', async () => {
    const name = `${ns}-data-test-hello-${identity}`;
    await bind('data-test-hello-0', name);
    const dir = join(podBase, ns, 'Test.Hello', 'data');
    // Changed by hand; the runner puts back what the claim says (after its two requeues).
    chmodSync(dir, 0o700);
    const pvc = await client.get<PersistentVolumeClaim>(Resources.PersistentVolumeClaim, ns, 'data-test-hello-0');
    await client.replace(Resources.PersistentVolumeClaim, ns, { ...pvc, metadata: { ...pvc.metadata, annotations: { ...pvc.metadata.annotations, 'tars.io/LocalVolumeMode': '770' } } });
    await eventually(() => expect(statSync(dir).mode & 0o7777).toBe(0o770), 20_000);
  });

  it('deleting the claim removes the directory and the PV, and nothing else', async () => {
    const name = `${ns}-data-test-hello-${identity}`;
    const dir = join(podBase, ns, 'Test.Hello', 'data');
    writeFileSync(join(dir, 'state'), 'x');
    // A sibling volume of another server must survive.
    await client.create(Resources.PersistentVolumeClaim, ns, claimFor('data-test-other-0', 'Test', 'Other', 'data'));
    await eventually(() => getPV(`${ns}-data-test-other-${identity}`), 20_000);
    await client.delete(Resources.PersistentVolumeClaim, ns, 'data-test-hello-0');
    await eventually(async () => expect(await pvGone(name)).toBe(true), 30_000);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(join(podBase, ns, 'Test.Other', 'data'))).toBe(true);
    expect(existsSync(podBase)).toBe(true);
  });

  it('deleting a never-bound PV removes its directory and lets the PV go', async () => {
    const name = `${ns}-data-test-other-${identity}`;
    await client.delete(Resources.PersistentVolume, undefined, name);
    await eventually(async () => expect(await pvGone(name)).toBe(true), 30_000);
    await eventually(() => expect(existsSync(join(podBase, ns, 'Test.Other', 'data'))).toBe(false), 10_000);
  });

  it('a lost claim gets its volume back with the data kept', async () => {
    await client.create(Resources.PersistentVolumeClaim, ns, claimFor('cache-test-lost-0', 'Test', 'Lost', 'cache'));
    const name = `${ns}-cache-test-lost-${identity}`;
    const first = await eventually(() => getPV(name), 20_000);
    await bind('cache-test-lost-0', name);
    const dir = join(podBase, ns, 'Test.Lost', 'cache');
    writeFileSync(join(dir, 'state'), 'kept');
    // The PV vanishes under the claim (the binder then reports it Lost): once the PV is not
    // Bound, Kubernetes' pv-protection controller lets it go while the claim still exists.
    const pvc = await client.get<PersistentVolumeClaim>(Resources.PersistentVolumeClaim, ns, 'cache-test-lost-0');
    await client.replaceStatus(Resources.PersistentVolumeClaim, ns, { ...pvc, status: { phase: 'Lost' } });
    await client.replaceStatus(Resources.PersistentVolume, undefined, { ...(await getPV(name)), status: { phase: 'Failed' } });
    await client.delete(Resources.PersistentVolume, undefined, name);
    const again = await eventually(async () => {
      const p = await getPV(name);
      if (p.metadata.uid === first.metadata.uid) throw new Error(`not re-created yet (finalizers ${p.metadata.finalizers}, phase ${p.status?.phase})`);
      return p;
    }, 20_000);
    expect(again.spec?.local?.path).toBe(`${HOST_BASE}/${ns}/Test.Lost/cache`);
    expect(readFileSync(join(dir, 'state'), 'utf8')).toBe('kept');
  });

  it('PVs of ours whose path is not a volume directory are let go without removing anything', async () => {
    const victim = join(top, 'victim');
    mkdirSync(victim);
    writeFileSync(join(victim, 'keep'), 'x');
    // Inside the base but not <ns>/<App>.<Server>/<dir>: removing it would take every volume of the server.
    mkdirSync(join(podBase, ns, 'Test.Keep', 'data'), { recursive: true });
    const paths = { outside: victim, short: `${HOST_BASE}/${ns}/Test.Keep` };
    for (const [what, path] of Object.entries(paths)) {
      const name = `${ns}-${what}-test-evil-${identity}`;
      await client.create(Resources.PersistentVolume, undefined, {
        apiVersion: 'v1', kind: 'PersistentVolume',
        metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': 'tars-local-volume-provisioner' }, finalizers: ['kubernetes.io/pv-protection'] },
        spec: { capacity: { storage: '1G' }, local: { path }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: 'tars-storage-class', nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['x'] }] }] } } },
      } as PersistentVolume);
      await client.delete(Resources.PersistentVolume, undefined, name);
      await eventually(async () => expect(await pvGone(name)).toBe(true), 30_000);
    }
    expect(existsSync(join(victim, 'keep'))).toBe(true);
    expect(existsSync(join(podBase, ns, 'Test.Keep', 'data'))).toBe(true);
  });

  it('delay-bind is provisioned even on a node without tars.io/SupportLocalVolume; other dirs wait for the label', async () => {
    const plain = new StorageRunner({ client, nodeName: plainNode, hostBase: HOST_BASE, podBase: join(top, 'plain'), logger, baseDelayMs: 100, maxDelayMs: 500 });
    mkdirSync(join(top, 'plain'));
    await plain.start();
    try {
      const plainId = nodeIdentity(plainNode);
      await client.create(Resources.PersistentVolumeClaim, ns, claimFor('delay-bind-test-host-0', 'Test', 'Host', 'delay-bind'));
      await client.create(Resources.PersistentVolumeClaim, ns, claimFor('logs-test-host-0', 'Test', 'Host', 'logs'));
      const pv = await eventually(() => getPV(`${ns}-delay-bind-test-host-${plainId}`), 20_000);
      expect(pv.spec?.nodeAffinity).toEqual({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [plainNode] }] }] } });
      expect(existsSync(join(top, 'plain', ns, 'Test.Host', 'delay-bind'))).toBe(true);
      // The TLV-capable runner made both.
      await eventually(() => getPV(`${ns}-logs-test-host-${identity}`), 20_000);
      expect(await pvGone(`${ns}-logs-test-host-${plainId}`)).toBe(true);
      expect(existsSync(join(top, 'plain', ns, 'Test.Host', 'logs'))).toBe(false);
      // Labelling the node lets the waiting claim through.
      const node = await client.get(Resources.Node, undefined, plainNode);
      await client.replace(Resources.Node, undefined, { ...node, metadata: { ...node.metadata, labels: { ...node.metadata.labels, 'tars.io/SupportLocalVolume': '' } } });
      await eventually(() => getPV(`${ns}-logs-test-host-${plainId}`), 20_000);
      expect(existsSync(join(top, 'plain', ns, 'Test.Host', 'logs'))).toBe(true);
    } finally {
      await plain.stop();
    }
  });
});
