// KanikoPodBuilder on the real kube-apiserver (no kubelet there): the builder pod is created with
// upstream's spec, and the task follows the pod status we set as a kubelet would — Succeeded
// records the release, Failed records the container's termination message.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TImage } from '@tars-ts/api';
import { KubernetesClusterState, Resources, tarsResource, type KubeClient, type Pod } from '@tars-ts/cluster';
import { createTestNamespace, deleteTestNamespace, describeKube, ensureTarsCrds, testKubeClient, testKubeconfigPath } from '@tars-ts/cluster/testing';
import { BuildEngine, type BuildTask } from './build-engine.ts';
import type { DockerConfig, SecretReader } from './docker-config.ts';
import { builderPodName, KanikoPodBuilder } from './kaniko-pod-builder.ts';
import { serverPackage } from './testing/server-package.ts';
import { writeFileSync } from 'node:fs';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const noSecrets: SecretReader = { dockerConfig: async (name): Promise<DockerConfig> => ({ auths: { [`${name}.example`]: { auth: 'dTpw' } } }) };

describeKube('tarsimage with the kaniko builder pod', () => {
  let client: KubeClient;
  let ns: string;
  let cluster: KubernetesClusterState;
  let engine: BuildEngine;
  const ws = mkdtempSync(join(tmpdir(), 'tarsimage-ws-'));
  let pkgPath: string;

  beforeAll(async () => {
    client = await testKubeClient();
    await ensureTarsCrds(client);
    ns = await createTestNamespace(client, 'kaniko');
    // The chart's service account; the API server refuses pods naming one that does not exist.
    await client.create(Resources.ServiceAccount, ns, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'tars-tarsimage' } });
    await client.create(tarsResource('TFrameworkConfig'), ns, {
      apiVersion: 'k8s.tars.io/v1beta3', kind: 'TFrameworkConfig', metadata: { name: 'tars-framework' },
      imageBuild: { maxBuildTime: 180, executor: { image: 'registry.example/tars.tarskaniko:v1', secret: 'pull-secret' } },
      imageUpload: { registry: 'registry.example/app', secret: 'push-secret' },
      nodeImage: { image: 'registry.example/tars.tarsnode:v1' },
    } as never);
    await client.create(tarsResource('TImage'), ns, { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TImage', metadata: { name: 'test-helloserver' }, imageType: 'server' } as never);
    cluster = new KubernetesClusterState({ namespace: ns, kubeconfigPath: await testKubeconfigPath(), component: 'tarsimage-test' });
    const builder = new KanikoPodBuilder({ client: cluster.client, namespace: ns, podName: 'tars-tarsimage-1', workspaceInPod: ws, workspaceInHost: '/usr/local/app/tars/image_build', pollMs: 100 });
    engine = new BuildEngine({ cluster, secrets: noSecrets, builder, podName: 'tars-tarsimage-1', buildDir: join(ws, 'build', 'tars-tarsimage-1'), logger: quiet });
    pkgPath = join(ws, 'pkg.tgz');
  }, 120_000);

  afterAll(async () => {
    await cluster?.close();
    if (ns) await deleteTestNamespace(client, ns);
    rmSync(ws, { recursive: true, force: true });
  });

  const timage = () => client.get<TImage>(tarsResource('TImage'), ns, 'test-helloserver');
  const form = { serverApp: 'Test', serverName: 'HelloServer', serverType: 'go' as const, baseImage: 'registry.example/cppbase:v1', baseImageSecret: 'base-secret', createPerson: 'bob' };

  async function submitAndWaitForPod(): Promise<{ task: BuildTask; pod: Pod }> {
    writeFileSync(pkgPath, await serverPackage('HelloServer', { HelloServer: 'bin\n' }));
    const task = await engine.submit('test-helloserver', form, { path: pkgPath, ext: '.tgz' });
    for (let i = 0; i < 200; i++) {
      const pod = await client.get<Pod>(Resources.Pod, ns, builderPodName(task.result.id)).catch(() => undefined);
      if (pod) return { task, pod };
      await new Promise((r) => setTimeout(r, 50));
    }
    const end = await Promise.race([task.done, new Promise((r) => setTimeout(() => r('still running'), 100))]);
    throw new Error(`builder pod was not created: ${JSON.stringify(end)}`);
  }

  /** What the kubelet would report. */
  const setPodStatus = (name: string, status: Record<string, unknown>) => client.patch(Resources.Pod, ns, name, { type: 'merge', value: { status } }, { subresource: 'status' });

  it('creates timage-builder-<id> as upstream and records the release when the pod succeeds', async () => {
    const { task, pod } = await submitAndWaitForPod();
    const { id, image } = task.result;
    expect(image).toBe(`registry.example/app/test.helloserver:${id}`);
    expect(pod.metadata.labels).toEqual({ 'tars.io/ServerApp': 'tars', 'tars.io/ServerName': 'tarskaniko', 'tars.io/ServerID': id });
    const spec = pod.spec as Record<string, any>;
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.serviceAccountName).toBe('tars-tarsimage');
    expect(spec.imagePullSecrets).toEqual([{ name: 'pull-secret' }]);
    expect(spec.activeDeadlineSeconds).toBe(180);
    expect(spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { labelSelector: { matchLabels: { 'statefulset.kubernetes.io/pod-name': 'tars-tarsimage-1' } }, topologyKey: 'kubernetes.io/hostname' },
    ]);
    const c = spec.containers[0];
    expect(c).toMatchObject({
      image: 'registry.example/tars.tarskaniko:v1', imagePullPolicy: 'Always', terminationMessagePath: '/kaniko/status',
      args: [`--timage=test-helloserver`, `--id=${id}`, '--dockerfile=/workspace/Dockerfile', '--context=dir:///workspace', `--destination=${image}`],
    });
    // (The API server's ServiceAccount admission appends the token mount and volume.)
    expect(c.volumeMounts.slice(0, 2)).toEqual([{ name: 'workspace', mountPath: '/workspace' }, { name: 'cache', mountPath: '/cache' }]);
    expect(c.env).toContainEqual({ name: 'DOCKER_CONFIG', value: '/workspace/docker' });
    expect(spec.volumes.slice(0, 2)).toEqual([
      { name: 'workspace', hostPath: { path: `/usr/local/app/tars/image_build/build/tars-tarsimage-1/${id}`, type: 'Directory' } },
      { name: 'cache', hostPath: { path: '/usr/local/app/tars/image_build/cache/tars-tarsimage-1', type: 'DirectoryOrCreate' } },
    ]);
    // Submitting recorded; the context the pod will read is ready.
    const running = (await timage()).build?.running;
    expect(running).toMatchObject({ id, phase: 'Submitting', handler: 'tars-tarsimage-1', serverType: 'go', secret: 'push-secret', baseImageSecret: 'base-secret' });

    // The driver in the pod reports its phases on the TImage; the kubelet reports the pod.
    await setPodStatus(pod.metadata.name!, { phase: 'Running' });
    const events: string[] = [];
    task.follow((e) => events.push(`${e.phase}:${e.message}`));
    // Succeeded only once the builder's poll has seen Running (a fixed sleep raced it on a busy machine).
    const sawRunning = `log:builder pod ${pod.metadata.name}: Running`;
    for (let i = 0; i < 200 && !events.includes(sawRunning); i++) await new Promise((r) => setTimeout(r, 50));
    await setPodStatus(pod.metadata.name!, { phase: 'Succeeded' });
    expect(await task.done).toEqual({ ok: true, message: 'Success' });
    expect(events).toContain(sawRunning);
    const t = await timage();
    expect(t.build).toEqual({ last: expect.objectContaining({ id, phase: 'Done', message: 'Success' }) });
    expect(t.releases).toEqual([expect.objectContaining({ id, image, secret: 'push-secret', createPerson: 'bob' })]);
  }, 60_000);

  it('records the termination message of a failed builder pod', async () => {
    const { task, pod } = await submitAndWaitForPod();
    await setPodStatus(pod.metadata.name!, {
      phase: 'Failed',
      containerStatuses: [{ name: 'kaniko', image: 'registry.example/tars.tarskaniko:v1', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error', message: 'pushing image: 401 Unauthorized' } } }],
    });
    expect(await task.done).toEqual({ ok: false, message: 'pushing image: 401 Unauthorized' });
    const t = await timage();
    expect(t.build?.last).toMatchObject({ id: task.result.id, phase: 'Failed', message: 'pushing image: 401 Unauthorized' });
    expect(t.releases).toHaveLength(1);
  }, 60_000);
});
