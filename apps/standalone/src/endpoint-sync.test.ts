// The "no kubelet, no controller" wiring on a real embedded ClusterState: TServer → TEndpoint with
// the served ports, pod Ready following the tars.io/active gate, TEndpoint status following pods.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TServer } from '@tars-ts/api';
import { EmbeddedClusterState, reportServerState } from '@tars-ts/cluster';
import { silentLogger } from '@tars-ts/rpc';
import { EndpointSync } from './endpoint-sync.ts';
import { localPod } from './local-pods.ts';
import { PortMap } from './ports.ts';

const tserver = (): TServer => ({
  apiVersion: 'k8s.tars.io/v1beta3',
  kind: 'TServer',
  metadata: { name: 'demo-helloserver' },
  spec: {
    app: 'Demo',
    server: 'HelloServer',
    subType: 'tars',
    tars: { template: 'tars.default', servants: [{ name: 'HelloObj', port: 10000 }] },
    k8s: { replicas: 1 },
  },
}) as TServer;

async function eventually<T>(read: () => Promise<T>, check: (v: T) => void, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    try {
      check(v);
      return v;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe('EndpointSync', () => {
  let dir: string;
  let cluster: EmbeddedClusterState;
  let sync: EndpointSync;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'standalone-sync-'));
    cluster = await EmbeddedClusterState.open({ dataDir: dir });
    await cluster.resource('TTemplate').create({ apiVersion: 'k8s.tars.io/v1beta3', kind: 'TTemplate', metadata: { name: 'tars.default' }, spec: { content: '<tars></tars>', parent: 'tars.default' } });
    await cluster.resource('TServer').create(tserver());
    sync = new EndpointSync(cluster, new PortMap(24_000), silentLogger);
    await sync.synced();
  });

  afterEach(async () => {
    await sync.stop();
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the TEndpoint with the served port and an owner reference to the TServer', async () => {
    const te = await cluster.resource('TEndpoint').get('demo-helloserver');
    expect(te.spec.tars?.servants?.map((s) => [s.name, s.port])).toEqual([['HelloObj', 24_000]]);
    expect(te.metadata.labels).toMatchObject({ 'tars.io/ServerApp': 'Demo', 'tars.io/ServerName': 'HelloServer' });
    const ts = await cluster.resource('TServer').get('demo-helloserver');
    expect(te.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'TServer', name: 'demo-helloserver', uid: ts.metadata.uid });
  });

  it('follows the pod: Activating until the registry reports Active, then Ready and Active/Active', async () => {
    await cluster.putPod(localPod({ app: 'Demo', server: 'HelloServer', podIP: '127.0.0.1' }));
    await reportServerState(cluster, 'demo-helloserver-0', 'Active', 'Activating', '42');
    const te = cluster.resource('TEndpoint');
    await eventually(() => te.get('demo-helloserver'), (t) =>
      expect(t.status?.pods?.map((p) => [p.name, p.podIP, p.settingState, p.presentState, p.pid])).toEqual([['demo-helloserver-0', '127.0.0.1', 'Active', 'Activating', '42']]),
    );
    expect((await cluster.pods.get('demo-helloserver-0')).status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');

    await reportServerState(cluster, 'demo-helloserver-0', 'Active', 'Active', '42');
    const pod = await eventually(() => cluster.pods.get('demo-helloserver-0'), (p) => expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True'));
    expect(pod.status?.conditions?.find((c) => c.type === 'ContainersReady')?.status).toBe('True');
    await eventually(() => te.get('demo-helloserver'), (t) => expect(t.status?.pods?.map((p) => `${p.settingState}/${p.presentState}`)).toEqual(['Active/Active']));

    await reportServerState(cluster, 'demo-helloserver-0', 'Inactive', 'Deactivating', '42');
    await eventually(() => te.get('demo-helloserver'), (t) => expect(t.status?.pods?.map((p) => `${p.settingState}/${p.presentState}`)).toEqual(['Inactive/Deactivating']));
    await cluster.deletePod('demo-helloserver-0');
    await eventually(() => te.get('demo-helloserver'), (t) => expect(t.status?.pods).toEqual([]));
  });

  it('follows TServer changes and deletes the TEndpoint with its TServer', async () => {
    const api = cluster.resource('TServer');
    const ts = await api.get('demo-helloserver');
    ts.spec.tars!.servants.push({ name: 'OtherObj', port: 10001 });
    await api.update(ts);
    const te = cluster.resource('TEndpoint');
    await eventually(() => te.get('demo-helloserver'), (t) => expect(t.spec.tars?.servants?.map((s) => s.port)).toEqual([24_000, 24_001]));
    await api.delete('demo-helloserver');
    await eventually(() => te.list(), (l) => expect(l).toEqual([]));
  });
});
