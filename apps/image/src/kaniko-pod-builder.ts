/**
 * On Kubernetes (as upstream): one builder pod per task, `timage-builder-<id>`, running the
 * executor image (tars.tarskaniko) on the node of this tarsimage pod so both see the same
 * hostPath workspace. The pod reports Building/Pushing to the TImage itself; we watch the pod
 * until it Succeeded or Failed and read its termination message on failure.
 */
import { relative } from 'node:path';
import { isNotFound, Resources, type KubeClient, type Pod } from '@tars-ts/cluster';
import type { BuildJob, BuildProgress, ImageBuilder } from './builder.ts';

export interface KanikoPodBuilderOptions {
  client: KubeClient;
  namespace: string;
  /** This tarsimage pod (`PodName`): the builder pod must run on its node. */
  podName: string;
  /** `WorkSpaceInPod` (/workspace) and `WorkSpaceInHost` (/usr/local/app/tars/image_build). */
  workspaceInPod: string;
  workspaceInHost: string;
  serviceAccount?: string;
  pollMs?: number;
  /** Finished builder pods are deleted after this long (upstream: 15 min). */
  keepPodMs?: number;
}

export const BUILDER_SERVICE_ACCOUNT = 'tars-tarsimage';

/** Maps a path under the pod's workspace mount to the same directory on the host. */
export function hostPathOf(options: Pick<KanikoPodBuilderOptions, 'workspaceInPod' | 'workspaceInHost'>, inPod: string): string {
  const rel = relative(options.workspaceInPod, inPod);
  if (rel.startsWith('..')) throw new Error(`${inPod} is not under the workspace ${options.workspaceInPod}`);
  return `${options.workspaceInHost.replace(/\/+$/, '')}/${rel}`;
}

export function builderPodName(id: string): string {
  return `timage-builder-${id}`;
}

export function builderPod(options: KanikoPodBuilderOptions, job: BuildJob): Pod {
  if (!job.executor?.image) throw new Error('TFrameworkConfig imageBuild.executor.image is not set');
  const cacheInPod = `${options.workspaceInPod.replace(/\/+$/, '')}/cache/${options.podName}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: builderPodName(job.id),
      labels: { 'tars.io/ServerApp': 'tars', 'tars.io/ServerName': 'tarskaniko', 'tars.io/ServerID': job.id },
    },
    spec: {
      serviceAccountName: options.serviceAccount ?? BUILDER_SERVICE_ACCOUNT,
      restartPolicy: 'Never',
      activeDeadlineSeconds: Math.ceil(job.timeoutMs / 1000),
      ...(job.executor.secret ? { imagePullSecrets: [{ name: job.executor.secret }] } : {}),
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { 'statefulset.kubernetes.io/pod-name': options.podName } }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      },
      containers: [
        {
          name: 'kaniko',
          image: job.executor.image,
          imagePullPolicy: 'Always',
          args: [`--timage=${job.timage}`, `--id=${job.id}`, '--dockerfile=/workspace/Dockerfile', '--context=dir:///workspace', `--destination=${job.image}`],
          env: [
            { name: 'DOCKER_CONFIG', value: '/workspace/docker' },
            { name: 'Namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          ],
          volumeMounts: [
            { name: 'workspace', mountPath: '/workspace' },
            { name: 'cache', mountPath: '/cache' },
          ],
          terminationMessagePath: '/kaniko/status',
          terminationMessagePolicy: 'FallbackToLogsOnError',
        },
      ],
      volumes: [
        { name: 'workspace', hostPath: { path: hostPathOf(options, job.contextDir), type: 'Directory' } },
        { name: 'cache', hostPath: { path: hostPathOf(options, cacheInPod), type: 'DirectoryOrCreate' } },
      ],
    },
  };
}

/** Why a finished pod failed: its termination message, else reason/message of pod or container. */
export function failureOf(pod: Pod): string {
  for (const s of pod.status?.containerStatuses ?? []) {
    const t = (s as { state?: { terminated?: { message?: string; reason?: string; exitCode?: number } } }).state?.terminated;
    if (t?.message?.trim()) return t.message.trim();
    if (t) return `builder exited with ${t.exitCode ?? '?'}${t.reason ? ` (${t.reason})` : ''}`;
  }
  return [pod.status?.reason, pod.status?.message].filter(Boolean).join(': ') || 'builder pod failed';
}

export class KanikoPodBuilder implements ImageBuilder {
  readonly kind = 'kaniko';
  readonly #o: KanikoPodBuilderOptions;

  constructor(options: KanikoPodBuilderOptions) {
    this.#o = options;
  }

  async build(job: BuildJob, progress: (p: BuildProgress) => void): Promise<void> {
    const { client, namespace } = this.#o;
    progress({ phase: 'Submitting', message: 'submitting task' });
    const pod = await client.create<Pod>(Resources.Pod, namespace, builderPod(this.#o, job));
    const name = pod.metadata.name!;
    const cleanup = setTimeout(() => void client.delete(Resources.Pod, namespace, name).catch(() => {}), this.#o.keepPodMs ?? 15 * 60_000);
    cleanup.unref();
    const deadline = Date.now() + job.timeoutMs;
    let seen = '';
    for (;;) {
      let current: Pod;
      try {
        current = await client.get<Pod>(Resources.Pod, namespace, name);
      } catch (e) {
        if (isNotFound(e)) throw new Error(`builder pod ${name} was deleted`);
        throw e;
      }
      const phase = current.status?.phase ?? 'Pending';
      if (phase !== seen) {
        seen = phase;
        progress({ phase: 'log', message: `builder pod ${name}: ${phase}` });
      }
      if (phase === 'Succeeded') return;
      if (phase === 'Failed') throw new Error(failureOf(current));
      if (Date.now() > deadline) {
        await client.delete(Resources.Pod, namespace, name).catch(() => {});
        throw new Error(`builder pod ${name} did not finish within ${Math.round(job.timeoutMs / 1000)} s`);
      }
      await new Promise((r) => setTimeout(r, this.#o.pollMs ?? 1000));
    }
  }
}
