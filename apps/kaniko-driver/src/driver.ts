/**
 * What the builder pod does (upstream tarskaniko): check that the TImage still waits for this
 * task (`build.running.id == --id`), report `Building` and `Pushing` on it, assemble and push
 * the image. tarsimage records Done/Failed when the pod ends; on failure the reason goes to the
 * termination message file (`/kaniko/status`), which tarsimage reads from the pod status.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { retryOnConflict, type ClusterState } from '@tars-ts/cluster';
import type { DriverArgs } from './args.ts';
import { assembleAndPush } from './assemble.ts';
import { parseDockerfile } from './dockerfile.ts';
import { credentialsFrom } from './registry-client.ts';

export interface DriverOptions {
  args: DriverArgs;
  cluster: ClusterState;
  /** Directory of `config.json` (env DOCKER_CONFIG). */
  dockerConfigDir?: string;
  log(line: string): void;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;

export async function reportPhase(cluster: ClusterState, timage: string, id: string, phase: string, message: string): Promise<void> {
  await retryOnConflict(async () => {
    const t = await cluster.resource('TImage').get(timage);
    const running = t.build?.running;
    if (running?.id !== id) throw new Error(`timage ${timage} is no longer building task ${id} (running: ${running?.id ?? 'none'})`);
    await cluster.resource('TImage').update({ ...t, build: { ...t.build, running: { ...running, phase, message } } });
  });
}

export async function runDriver(o: DriverOptions): Promise<void> {
  const { args, cluster } = o;
  const t = await cluster.resource('TImage').get(args.timage);
  if (t.build?.running?.id !== args.id) throw new Error(`timage ${args.timage} is not waiting for task ${args.id} (running: ${t.build?.running?.id ?? 'none'})`);
  const plan = parseDockerfile(await readFile(args.dockerfile, 'utf8'));
  let dockerConfig: unknown = {};
  if (o.dockerConfigDir) {
    dockerConfig = await readFile(join(o.dockerConfigDir, 'config.json'), 'utf8').then(
      (text) => JSON.parse(text) as unknown,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return {};
        throw e;
      },
    );
  }
  await assembleAndPush({
    plan,
    contextDir: args.context,
    destination: args.destination,
    credentials: (host) => credentialsFrom(dockerConfig, host),
    insecure: (host) => LOOPBACK.test(host) || args.insecureRegistries.includes(host),
    skipTlsVerify: args.skipTlsVerify,
    onPhase: (phase, message) => reportPhase(cluster, args.timage, args.id, phase, message),
    log: o.log,
  });
}
