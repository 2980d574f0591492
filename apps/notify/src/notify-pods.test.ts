// Caller IPs become pod names through a pod watch (K8S edition), here on the embedded
// ClusterState; our generated NotifyProxy sends what a TarsCpp server sends (sNodeName, sSet).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// main.ts loads the cluster library lazily, so (Nx boundaries) this test does too
import type { EmbeddedClusterState, Pod } from '@tars-ts/cluster';
import { NotifyF } from '@tars-ts/interfaces';
import { Communicator, silentLogger } from '@tars-ts/rpc';
import { openDuckDbStore, type MonitorStore } from '@tars-ts/storage';
import { podDomainName } from './pod-names.ts';
import { startNotifyService, type RunningNotifyService } from './notify-service.ts';

const pod = (name: string, ip: string | undefined, generateName = 'test-helloserver-'): Pod => ({
  metadata: { name, generateName, labels: { 'tars.io/ServerApp': 'Test', 'tars.io/ServerName': 'HelloServer' } },
  spec: { containers: [{ name: 'main' }] },
  status: ip ? { podIP: ip } : {},
});

async function eventually(check: () => Promise<void> | void): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe('pod names and TarsCpp-shaped reports', () => {
  let dir: string;
  let cluster: EmbeddedClusterState;
  let store: MonitorStore;
  let svc: RunningNotifyService;
  let comm: Communicator;
  let notify: NotifyF.NotifyProxy;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'notify-pods-'));
    const { EmbeddedClusterState: Embedded } = await import('@tars-ts/cluster');
    cluster = await Embedded.open({ dataDir: dir });
    await cluster.putPod(pod('test-helloserver-0', '127.0.0.1'));
    await cluster.putPod(pod('test-helloserver-1', '10.0.0.9'));
    store = await openDuckDbStore({ namespace: 'tars', path: ':memory:', buffer: { flushIntervalMs: 10 } });
    svc = await startNotifyService({ store, cluster, logger: silentLogger, endpoint: 'tcp -h 127.0.0.1 -p 0 -t 60000' });
    comm = new Communicator({ timeout: 5000 });
    notify = comm.stringToProxy(NotifyF.NotifyProxy, svc.proxyString);
  });

  afterAll(async () => {
    await comm?.close();
    await svc?.stop();
    await store?.close();
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names a pod <pod>.<generateName without the dash>', () => {
    expect(podDomainName(pod('test-helloserver-0', '1.2.3.4'))).toBe('test-helloserver-0.test-helloserver');
    expect(podDomainName(pod('bare', '1.2.3.4', ''))).toBe('bare');
  });

  it('stores the pod name of the caller, or of sNodeName, and the node name itself when unknown', async () => {
    const base = { eType: NotifyF.ReportType.REPORT, sApp: 'Test', sServer: 'HelloServer', sSet: 'sz.a.1', sContainer: '', sThreadId: '140' };
    await notify.reportNotifyInfo(NotifyF.ReportInfo.create({ ...base, sMessage: 'from the peer ip' }));
    await notify.reportNotifyInfo(NotifyF.ReportInfo.create({ ...base, sMessage: 'node name is a known pod ip', sNodeName: '10.0.0.9' }));
    await notify.reportNotifyInfo(NotifyF.ReportInfo.create({ ...base, sMessage: 'unknown node', sNodeName: 'node-x' }));
    await notify.reportNotifyInfo(NotifyF.ReportInfo.create({ ...base, eType: NotifyF.ReportType.NOTIFY, eLevel: NotifyF.NOTIFYLEVEL.NOTIFYERROR, sMessage: 'alarm' }), { oneway: true });
    await eventually(async () => {
      await store.flush();
      const rows = await store.queryNotify({ app: 'Test' });
      expect(rows.map((r) => [r.podName, r.message, r.level, r.impThread]).sort()).toEqual([
        ['node-x', 'unknown node', '[normal]', '140'],
        ['test-helloserver-0.test-helloserver', 'alarm', '[error]', '140'],
        ['test-helloserver-0.test-helloserver', 'from the peer ip', '[normal]', '140'],
        ['test-helloserver-1.test-helloserver', 'node name is a known pod ip', '[normal]', '140'],
      ]);
    });
  });

  it('follows pod changes: a deleted pod is forgotten, a new one with that IP takes it', async () => {
    let n = 0;
    const podNameNow = async () => {
      const message = `probe ${n++}`;
      await notify.reportNotifyInfo(NotifyF.ReportInfo.create({ sApp: 'Test', sServer: 'HelloServer', sMessage: message }));
      await store.flush();
      const rows = await store.queryNotify({ app: 'Test', server: 'HelloServer', limit: 1000 });
      return rows.find((r) => r.message === message)?.podName;
    };
    await cluster.deletePod('test-helloserver-0');
    await eventually(async () => expect(await podNameNow()).toBe('127.0.0.1'));
    await cluster.putPod(pod('test-helloserver-2', '127.0.0.1'));
    await eventually(async () => expect(await podNameNow()).toBe('test-helloserver-2.test-helloserver'));
  });
});
