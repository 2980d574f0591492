// The registry on the real kube-apiserver (tools/kube-env), through KubernetesClusterState:
// answers follow TEndpoint changes through the watch, updateServerState and the start-up report
// patch pod conditions, getServerDescriptor reads TTemplates. Pods never run (no kubelet): they
// are created (no service account token: none is needed and it may not exist yet) and their
// status written as a kubelet would.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KubernetesClusterState, Resources, type KubeClient, type Pod } from '@tars-ts/cluster';
import { createTestNamespace, deleteTestNamespace, describeKube, ensureTarsCrds, testKubeClient, testKubeconfigPath } from '@tars-ts/cluster/testing';
import { QueryF, k8s } from '@tars-ts/interfaces';
import { Communicator, silentLogger } from '@tars-ts/rpc';
import { TarsConfig } from '@tars-ts/service';
import { startRegistry, type RunningRegistry } from './registry-service.ts';
import { tendpoint, ttemplate } from './testing/fixtures.ts';
import { eventually, putEndpoint } from './testing/cluster.ts';

describeKube('registry on the Kubernetes API server', () => {
  let client: KubeClient;
  let ns: string;
  let cluster: KubernetesClusterState;
  let registry: RunningRegistry;
  let comm: Communicator;
  let query: QueryF.QueryFProxy;
  let reg: k8s.Registry.RegistryProxy;

  const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { automountServiceAccountToken: false, containers: [{ name: 'main', image: 'busybox' }], readinessGates: [{ conditionType: 'tars.io/active' }] } });
  const condition = async (name: string) => (await client.get<Pod>(Resources.Pod, ns, name)).status?.conditions?.find((c) => c.type === 'tars.io/active');
  const split = async (id: string) => {
    const r = await query.findObjectById4Any(id);
    return { active: r.activeEp.map((e) => `${e.host}:${e.port}`), inactive: r.inactiveEp.map((e) => `${e.host}:${e.port}`) };
  };

  beforeAll(async () => {
    client = await testKubeClient();
    await ensureTarsCrds(client);
    ns = await createTestNamespace(client, 'registry');
    cluster = new KubernetesClusterState({ namespace: ns, kubeconfigPath: await testKubeconfigPath(), component: 'tarsregistry' });
    const templates = cluster.resource('TTemplate');
    await templates.create(ttemplate('tars.default', 'tars.default', '<tars>\n<application>\n<server>\nlogLevel=DEBUG\nlogsize=10M\n</server>\n</application>\n</tars>'));
    await templates.create(ttemplate('tars.cpp', 'tars.default', '<tars>\n<application>\n<server>\nlogLevel=INFO\n</server>\n</application>\n</tars>'));
    await putEndpoint(cluster, tendpoint('Test', 'HelloServer', [{ name: 'HelloObj', port: 10000 }], [
      { name: 'test-helloserver-0' },
      { name: 'test-helloserver-1', present: 'Activating' },
    ], { profile: '<tars>\n<application>\n<server>\nlogsize=99M\n</server>\n</application>\n</tars>' }));
    await cluster.resource('TFrameworkConfig').create({
      apiVersion: 'k8s.tars.io/v1beta3', kind: 'TFrameworkConfig', metadata: { name: 'tars-framework' },
      imageBuild: { executor: { image: 'kaniko' } }, imageUpload: { registry: 'reg' }, nodeImage: { image: 'tarsnode' },
      upChain: { default: [{ host: 'upstream.example', port: 17890 }] },
    } as never);
    for (const name of ['tars-tarsregistry-0', 'test-helloserver-0']) await client.create(Resources.Pod, ns, pod(name));
    registry = await startRegistry({
      cluster,
      logger: silentLogger,
      queryEndpoint: 'tcp -h 127.0.0.1 -p 0 -t 60000',
      registryEndpoint: 'tcp -h 127.0.0.1 -p 0 -t 60000',
      podName: 'tars-tarsregistry-0',
    });
    comm = new Communicator({ logger: silentLogger, timeout: 10_000 });
    query = comm.stringToProxy(QueryF.QueryFProxy, `tars.tarsregistry.QueryObj@${registry.queryEndpoint}`);
    reg = comm.stringToProxy(k8s.Registry.RegistryProxy, `tars.tarsregistry.RegistryObj@${registry.registryEndpoint}`);
  }, 120_000);

  afterAll(async () => {
    await comm?.close();
    await registry?.stop();
    await cluster?.close();
    if (ns) await deleteTestNamespace(client, ns);
  });

  it('marks its own pod active once it serves', async () => {
    expect(await condition('tars-tarsregistry-0')).toMatchObject({ status: 'True', reason: 'Active/Active' });
  });

  it('answers from TEndpoints and follows their changes, falling back to the upChain', async () => {
    expect(await split('Test.HelloServer.HelloObj')).toEqual({
      active: ['test-helloserver-0.test-helloserver:10000'],
      inactive: ['test-helloserver-1.test-helloserver:10000'],
    });
    await putEndpoint(cluster, tendpoint('Test', 'HelloServer', [{ name: 'HelloObj', port: 10000 }], [{ name: 'test-helloserver-0' }, { name: 'test-helloserver-1' }]));
    await eventually(() => expect(registry.core.index.lookup('Test.HelloServer.HelloObj').active.length).toBe(2));
    expect((await split('Test.HelloServer.HelloObj')).inactive).toEqual([]);
    expect(await split('Other.Server.Obj')).toEqual({ active: ['upstream.example:17890'], inactive: [] });
    await cluster.resource('TEndpoint').delete('test-helloserver');
    await eventually(() => expect(registry.core.index.serverCount).toBe(0));
    expect(await split('Test.HelloServer.HelloObj')).toEqual({ active: ['upstream.example:17890'], inactive: [] });
  }, 60_000);

  it('updateServerState patches the tars.io/active condition with the caller PID', async () => {
    await reg.updateServerState('test-helloserver-0', 'Active', 'Active', { context: { PID: '4242' } });
    expect(await condition('test-helloserver-0')).toMatchObject({ status: 'True', reason: 'Active/Active/4242' });
    await reg.updateServerState('test-helloserver-0', 'Active', 'Deactivating', { context: { PID: '4242' } });
    expect(await condition('test-helloserver-0')).toMatchObject({ status: 'False', reason: 'Active/Deactivating/4242' });
    await expect(reg.updateServerState('no-such-pod', 'Active', 'Active')).rejects.toMatchObject({ code: -1, message: expect.stringMatching(/not found/) });
    await expect(reg.updateServerState('../x', 'Active', 'Active')).rejects.toMatchObject({ code: -1, message: expect.stringMatching(/invalid pod name/) });
  }, 60_000);

  it('getServerDescriptor joins profile and template chain from the cluster', async () => {
    await putEndpoint(cluster, tendpoint('Test', 'DescServer', [{ name: 'DescObj', port: 10100 }], [], { profile: '<tars>\n<application>\n<server>\nlogsize=99M\n</server>\n</application>\n</tars>' }));
    await eventually(() => expect(registry.core.index.lookup('Test.DescServer.DescObj')).toBeDefined());
    let r = await reg.getServerDescriptor('Test', 'DescServer');
    for (let i = 0; r.ret !== 0 && i < 100; i++) {
      await new Promise((res) => setTimeout(res, 50));
      r = await reg.getServerDescriptor('Test', 'DescServer');
    }
    expect(r.ret).toBe(0);
    const profile = TarsConfig.parse(r.serverDescriptor.profile);
    expect([profile.get('/tars/application/server<logsize>'), profile.get('/tars/application/server<logLevel>')]).toEqual(['99M', 'INFO']);
    expect([...r.serverDescriptor.adapters.keys()]).toEqual(['Test.DescServer.DescObjAdapter']);
    expect((await reg.getServerDescriptor('Test', 'Missing')).ret).toBe(-1);
  }, 60_000);
});
