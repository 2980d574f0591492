// Events created on the real kube-apiserver reach the monitor store (DuckDB file) exactly once,
// also after the forwarder and store are restarted and the informer re-lists every event.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubernetesClusterState, Resources, type ClusterEvent, type KubeClient } from '@tars-ts/cluster';
import { createTestNamespace, deleteTestNamespace, describeKube, testKubeClient, testKubeconfigPath } from '@tars-ts/cluster/testing';
import { openDuckDbStore, type MonitorStore } from '@tars-ts/storage';
import { KEventForwarder } from './forwarder.ts';

const quiet = { info: () => {}, warn: () => {} };

function coreEvent(name: string, involved: ClusterEvent['involvedObject'], reason: string, at: string): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Event', metadata: { name }, involvedObject: involved, reason, message: `${reason} of ${involved.name}`,
    type: 'Normal', firstTimestamp: at, lastTimestamp: at, count: 1, source: { component: 'kevent-test' },
  };
}

describeKube('tarskevent forwarder on the Kubernetes API server', () => {
  let client: KubeClient;
  let ns: string;
  let kubeconfigPath: string;
  const dir = mkdtempSync(join(tmpdir(), 'kevent-'));
  const dbPath = join(dir, 'monitor.duckdb');
  const nodeName = `kevent-node-${Math.random().toString(36).slice(2, 8)}`;
  const created: string[] = [];

  async function run(fn: (f: KEventForwarder, store: MonitorStore) => Promise<void>): Promise<void> {
    const store = await openDuckDbStore({ path: dbPath, namespace: 'tars', compactIntervalMs: 0 });
    const cluster = new KubernetesClusterState({ namespace: ns, kubeconfigPath, component: 'kevent-test' });
    const defaultCluster = new KubernetesClusterState({ namespace: 'default', kubeconfigPath, component: 'kevent-test' });
    const forwarder = new KEventForwarder({ store, cluster, defaultCluster, logger: quiet });
    try {
      await forwarder.start(30_000);
      await fn(forwarder, store);
    } finally {
      await forwarder.stop();
      await cluster.close();
      await defaultCluster.close();
      await store.close();
    }
  }

  async function stored(store: MonitorStore): Promise<string[]> {
    await store.flush();
    const own = await store.queryKEvents({ namespace: ns, limit: 1000 });
    const node = await store.queryKEvents({ kind: 'Node', name: nodeName, limit: 1000 });
    const inDefault = await store.queryKEvents({ namespace: 'default', name: nodeName, limit: 1000 });
    return [...own, ...node, ...inDefault].map((r) => `${(r.event.reason as string)}@${r.uid}:${r.resourceVersion}`).sort();
  }

  async function until(store: MonitorStore, count: number): Promise<string[]> {
    let rows: string[] = [];
    for (let i = 0; i < 100; i++) {
      rows = await stored(store);
      if (rows.length >= count) return rows;
      await new Promise((r) => setTimeout(r, 100));
    }
    return rows;
  }

  async function createEvent(namespace: string, body: Record<string, unknown>): Promise<ClusterEvent> {
    const e = await client.create<ClusterEvent>(Resources.CoreEvent, namespace, body as never);
    created.push(`${namespace}/${e.metadata.name}`);
    return e;
  }

  beforeAll(async () => {
    client = await testKubeClient();
    kubeconfigPath = await testKubeconfigPath();
    ns = await createTestNamespace(client, 'kevent');
  }, 120_000);

  afterAll(async () => {
    for (const key of created.filter((k) => k.startsWith('default/'))) {
      await client.delete(Resources.CoreEvent, 'default', key.slice('default/'.length)).catch(() => {});
    }
    if (ns) await deleteTestNamespace(client, ns);
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores each event version once, the namespace fully and only cluster-scoped events of default, across a restart', async () => {
    const at = '2026-11-24T10:00:00Z';
    const pod = { apiVersion: 'v1', kind: 'Pod', namespace: ns, name: 'tars-tarsstat-0' };
    const a = await createEvent(ns, coreEvent('a', pod, 'Scheduled', at));
    const b = await createEvent(ns, coreEvent('b', pod, 'Pulled', at));
    // Cluster-scoped (no involvedObject.namespace) in default: forwarded.
    const n = await createEvent('default', coreEvent(`${nodeName}.1`, { apiVersion: 'v1', kind: 'Node', name: nodeName }, 'NodeReady', at));
    // About a namespaced object in default: not forwarded.
    await createEvent('default', coreEvent(`${nodeName}.2`, { apiVersion: 'v1', kind: 'Pod', namespace: 'default', name: nodeName }, 'Ignored', at));

    let afterFirst: string[] = [];
    let updated: ClusterEvent | undefined;
    await run(async (forwarder, store) => {
      expect(await until(store, 3)).toEqual([`NodeReady@${n.metadata.uid}:${n.metadata.resourceVersion}`, `Pulled@${b.metadata.uid}:${b.metadata.resourceVersion}`, `Scheduled@${a.metadata.uid}:${a.metadata.resourceVersion}`].sort());
      // A repeated event is a new version of the same event: a second document.
      updated = await client.patch<ClusterEvent>(Resources.CoreEvent, ns, 'a', { type: 'merge', value: { count: 2, lastTimestamp: '2026-11-24T10:05:00Z' } });
      afterFirst = await until(store, 4);
      expect(afterFirst).toContain(`Scheduled@${a.metadata.uid}:${updated.metadata.resourceVersion}`);
      expect(afterFirst).toHaveLength(4);
      expect(forwarder.counters().skipped).toBe(0);
    });

    // While the forwarder is down, one more event happens.
    const c = await createEvent(ns, coreEvent('c', pod, 'Started', at));
    await run(async (forwarder, store) => {
      const rows = await until(store, 5);
      // The re-list handed every old event to the store again; none is stored twice.
      expect(forwarder.counters().seen).toBeGreaterThanOrEqual(4);
      expect(rows).toEqual([...afterFirst, `Started@${c.metadata.uid}:${c.metadata.resourceVersion}`].sort());
      const latest = await store.queryKEvents({ namespace: ns, name: 'tars-tarsstat-0', reason: 'Scheduled', limit: 10 });
      expect(latest.map((r) => r.event.count).sort()).toEqual([1, 2]);
      expect(latest[0]!.event).not.toHaveProperty('metadata');
    });
  }, 90_000);
});
