// The generic Kubernetes layer on the real API server: typed client verbs with field managers and
// owner references, cluster-wide informers, informer reconnect through a cut connection, and
// Lease-based leader election.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NotFoundError } from '../errors.ts';
import { LeaderElector } from '../leader.ts';
import { controllerRef, isControlledBy } from '../owner.ts';
import { eventually, tconfigFixture, tserverFixture, uniqueName } from '../testing/contract.ts';
import { createTestNamespace, deleteTestNamespace, describeKube, ensureTarsCrds, testKubeClient } from '../testing/kube-test-env.ts';
import type { KubeObject } from '../types.ts';
import { KubeClient } from './client.ts';
import { KubernetesClusterState } from './cluster-state.ts';
import { startKubeInformer } from './informer.ts';
import { Resources, tarsResource } from './resources.ts';

/** A TCP relay to the API server that can be cut (connections reset, port closed) and restored. */
class CuttableProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;
  private readonly target: URL;
  constructor(target: string) {
    this.target = new URL(target);
  }
  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(Number(this.target.port), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as { port: number }).port;
  }
  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

describeKube('Kubernetes layer', () => {
  let client: KubeClient;
  let ns: string;
  beforeAll(async () => {
    client = await testKubeClient();
    await ensureTarsCrds(client);
    ns = await createTestNamespace(client, 'cluster-kube');
  });
  afterAll(async () => {
    await deleteTestNamespace(client, ns);
  });

  it('creates a StatefulSet owned by a TServer, recorded under the field manager, seen by a cluster-wide informer', async () => {
    const app = uniqueName('app');
    const seen: string[] = [];
    const informer = startKubeInformer<KubeObject>(client, Resources.StatefulSet, { onAdd: (o) => seen.push(`${o.metadata.namespace}/${o.metadata.name}`) }, { labelSelector: `tars.io/ServerApp=${app}` });
    await informer.synced;
    const ts = await client.create<KubeObject>(tarsResource('TServer'), ns, tserverFixture('test-helloserver'));
    const labels = { 'tars.io/ServerApp': app, 'tars.io/ServerName': 'HelloServer' };
    const sts = await client.create<KubeObject & { metadata: { managedFields?: { manager: string }[] } }>(Resources.StatefulSet, ns, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'test-helloserver', labels, ownerReferences: [controllerRef(ts)] },
      spec: {
        replicas: 0,
        serviceName: 'test-helloserver',
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'busybox' }] } },
      },
    } as KubeObject);
    expect(sts.metadata.managedFields?.map((f) => f.manager)).toContain('cluster-tests');
    expect(isControlledBy(sts, ts)).toBe(true);
    expect(isControlledBy(sts, { metadata: { uid: 'other' } })).toBe(false);
    await eventually(() => seen.includes(`${ns}/test-helloserver`), 10_000, 'informer add');
    expect(informer.get('test-helloserver', ns)?.metadata.uid).toBe(sts.metadata.uid);
    const patched = await client.patch<KubeObject & { spec: { replicas: number } }>(Resources.StatefulSet, ns, 'test-helloserver', { type: 'strategic', value: { spec: { replicas: 2 } } });
    expect(patched.spec.replicas).toBe(2);
    await informer.stop();
  });

  it('deletes a collection by label selector', async () => {
    const tc = tarsResource('TConfig');
    await client.create(tc, ns, tconfigFixture('keep', { 'tars.io/Deleting': 'no' }));
    await client.create(tc, ns, { ...tconfigFixture('drop'), metadata: { name: 'drop', labels: { 'tars.io/Deleting': 'Deleting' } } });
    await client.deleteCollection(tc, ns, { labelSelector: 'tars.io/Deleting=Deleting' });
    await expect(client.get(tc, ns, 'drop')).rejects.toBeInstanceOf(NotFoundError);
    expect((await client.get(tc, ns, 'keep')).metadata.name).toBe('keep');
  });

  it('an informer survives a cut connection and reports what changed meanwhile', async () => {
    const server = client.kubeConfig.getCurrentCluster()!.server;
    const proxy = new CuttableProxy(server);
    await proxy.open();
    const viaProxy = new KubeConfig();
    const cluster = { ...client.kubeConfig.getCurrentCluster()!, server: `https://127.0.0.1:${proxy.port}` };
    const user = client.kubeConfig.getCurrentUser()!;
    viaProxy.loadFromOptions({ clusters: [cluster], users: [user], contexts: [{ name: 'proxy', cluster: cluster.name, user: user.name }], currentContext: 'proxy' });
    const state = new KubernetesClusterState({ kubeConfig: viaProxy, namespace: ns, minBackoffMs: 100, maxBackoffMs: 400, onWatchError: () => {} });
    const events: string[] = [];
    const group = uniqueName('rc');
    const watch = state.resource('TConfig').watch(
      { onAdd: (o) => events.push(`add ${o.metadata.name}`), onDelete: (o) => events.push(`delete ${o.metadata.name}`) },
      { labelSelector: `group=${group}` },
    );
    await client.create(tarsResource('TConfig'), ns, tconfigFixture('before', { group }));
    await watch.synced;
    await eventually(() => events.includes('add before'), 10_000, 'first add');
    await proxy.cut();
    await client.create(tarsResource('TConfig'), ns, tconfigFixture('during', { group }));
    await client.delete(tarsResource('TConfig'), ns, 'before');
    await new Promise((r) => setTimeout(r, 500));
    expect(events).toEqual(['add before']);
    await proxy.open(); // same port
    await eventually(() => events.length === 3, 15_000, 'events after reconnect');
    expect(events.slice(1).sort()).toEqual(['add during', 'delete before']);
    await state.close();
    await proxy.cut();
  });

  it('elects one leader on a Lease; another takes over after release and after expiry', async () => {
    const name = uniqueName('lease');
    const timing = { leaseDurationMs: 1000, renewDeadlineMs: 700, retryPeriodMs: 100 };
    const stopped: string[] = [];
    const make = (id: string) => new LeaderElector({ client, namespace: ns, name, identity: id, ...timing, onStoppedLeading: () => stopped.push(id) });
    const a = make('a');
    const b = make('b');
    void a.start();
    void b.start();
    await eventually(() => a.isLeader() || b.isLeader(), 10_000, 'a leader');
    await new Promise((r) => setTimeout(r, 400));
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
    const [leader, follower] = a.isLeader() ? [a, b] : [b, a];
    const lease = await client.get<KubeObject & { spec: { holderIdentity: string } }>(Resources.Lease, ns, name);
    expect(lease.spec.holderIdentity).toBe(leader.identity);

    const released = Date.now();
    await leader.stop();
    expect(stopped).toEqual([leader.identity]);
    await eventually(() => follower.isLeader(), 5_000, 'takeover after release');
    expect(Date.now() - released).toBeLessThan(900); // no need to wait for the lease to expire

    const c = make('c');
    void c.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(c.isLeader()).toBe(false);
    const crashed = Date.now();
    await follower.stop({ release: false }); // like a crash: the lease stays held
    await eventually(() => c.isLeader(), 10_000, 'takeover after expiry');
    expect(Date.now() - crashed).toBeGreaterThanOrEqual(700);
    await c.stop();
  });
  it('a leader that finds another holder on the lease steps down at once', async () => {
    const name = uniqueName('lease');
    const stopped: string[] = [];
    const a = new LeaderElector({ client, namespace: ns, name, identity: 'a', leaseDurationMs: 3000, renewDeadlineMs: 2500, retryPeriodMs: 100, onStoppedLeading: () => stopped.push('a') });
    await a.start();
    const lease = await client.get<KubeObject & { spec: Record<string, unknown> }>(Resources.Lease, ns, name);
    await client.replace(Resources.Lease, ns, { ...lease, spec: { ...lease.spec, holderIdentity: 'intruder' } });
    const taken = Date.now();
    await eventually(() => stopped.length === 1, 5_000, 'step down');
    expect(Date.now() - taken).toBeLessThan(1000); // well before the renew deadline
    expect(a.isLeader()).toBe(false);
    expect(a.leader()).toBe('intruder');
    await a.stop();
  });
});
