// The config service on the real kube-apiserver (tools/kube-env) through KubernetesClusterState:
// TConfigs written through the API are served as their versions change, and the caller's pod
// (found by its IP in the pod watch, unlike upstream) gets its per-pod override.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TConfig } from '@tars-ts/api';
import { KubernetesClusterState, Resources, type KubeClient, type Pod } from '@tars-ts/cluster';
import { createTestNamespace, deleteTestNamespace, describeKube, ensureTarsCrds, testKubeClient, testKubeconfigPath } from '@tars-ts/cluster/testing';
import { ConfigF } from '@tars-ts/interfaces';
import { Communicator, silentLogger } from '@tars-ts/rpc';
import { CONFIG_OBJ, startConfigService, type RunningConfigService } from './config-service.ts';

describeKube('config service on the Kubernetes API server', () => {
  let client: KubeClient;
  let ns: string;
  let cluster: KubernetesClusterState;
  let service: RunningConfigService;
  let comm: Communicator;
  let proxy: ConfigF.ConfigProxy;

  const tconfig = (name: string, fields: Partial<TConfig>): TConfig => ({
    apiVersion: 'k8s.tars.io/v1beta3', kind: 'TConfig', metadata: { name }, app: 'Test', server: 'HelloServer', podSeq: 'm', activated: true, configName: 'HelloServer.conf', configContent: 'x', ...fields,
  } as TConfig);
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 500 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
  };

  beforeAll(async () => {
    client = await testKubeClient();
    await ensureTarsCrds(client);
    ns = await createTestNamespace(client, 'config');
    cluster = new KubernetesClusterState({ namespace: ns, kubeconfigPath: await testKubeconfigPath(), component: 'tarsconfig' });
    const api = cluster.resource('TConfig');
    await api.create(tconfig('hello-m', { configContent: 'master=1' }));
    await api.create(tconfig('hello-3', { configContent: 'pod=3', podSeq: '3' }));
    // no kubelet: create the pod, then write the status one would (its IP is this test's)
    const created = await client.create<Pod>(Resources.Pod, ns, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'test-helloserver-3' }, spec: { automountServiceAccountToken: false, containers: [{ name: 'main', image: 'busybox' }] } });
    await client.replaceStatus<Pod>(Resources.Pod, ns, { ...created, status: { phase: 'Running', podIP: '127.0.0.1' } });
    service = await startConfigService({ cluster, logger: silentLogger, endpoint: 'tcp -h 127.0.0.1 -p 0 -t 60000', rateLimit: { limit: 0 } });
    comm = new Communicator({ logger: silentLogger, timeout: 10_000 });
    proxy = comm.stringToProxy(ConfigF.ConfigProxy, `${CONFIG_OBJ}@${service.endpoint}`);
  }, 120_000);

  afterAll(async () => {
    await comm?.close();
    await service?.stop();
    await cluster?.close();
    if (ns) await deleteTestNamespace(client, ns);
  });

  it('serves master plus the override of the calling pod, found by IP', async () => {
    await until(async () => (await proxy.loadConfig('Test', 'HelloServer', 'HelloServer.conf')).config.includes('pod=3'));
    expect(await proxy.loadConfig('Test', 'HelloServer', 'HelloServer.conf')).toEqual({ ret: 0, config: 'master=1\r\n\r\npod=3' });
    expect(await proxy.loadConfigByHost('Test.HelloServer', 'HelloServer.conf', '10.1.2.3')).toEqual({ ret: 0, config: 'master=1' });
  }, 30_000);

  it('follows activation changes made through the API', async () => {
    const api = cluster.resource('TConfig');
    await api.patch('hello-m', { type: 'merge', value: { activated: false } });
    await until(async () => (await proxy.loadConfig('Test', 'HelloServer', 'HelloServer.conf')).ret !== 0);
    expect(await proxy.loadConfig('Test', 'HelloServer', 'HelloServer.conf')).toEqual({ ret: -1, config: 'config "HelloServer.conf" of Test.HelloServer does not exist or is not activated' });
    await api.create(tconfig('hello-m2', { configContent: 'master=2' }));
    await until(async () => (await proxy.loadConfig('Test', 'HelloServer', 'HelloServer.conf')).ret === 0);
    expect(await proxy.loadConfig('Test', 'HelloServer', 'HelloServer.conf')).toEqual({ ret: 0, config: 'master=2\r\n\r\npod=3' });
    expect(await proxy.ListConfig('Test', 'HelloServer')).toEqual({ ret: 0, vf: ['HelloServer.conf'] });
  }, 30_000);
});
