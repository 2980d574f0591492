/**
 * Builds with buildah on this machine (Debian package `buildah`): `buildah bud --isolation chroot`
 * needs no daemon and no user namespaces; credentials come from the context's merged
 * `docker/config.json` (`--authfile`). TLS is verified except for registries listed as insecure
 * (by default only loopback ones, like kaniko's --skip-tls-verify but narrower).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildJob, BuildProgress, ImageBuilder } from './builder.ts';
import { registryHost } from './docker-config.ts';
import { execStreaming } from './exec.ts';

export interface BuildahBuilderOptions {
  /** Storage flags (`--root`, `--runroot`, `--storage-driver`); absent: buildah's defaults. */
  root?: string;
  runroot?: string;
  storageDriver?: 'overlay' | 'vfs';
  /** Registry hosts reached without TLS verification. Default: loopback hosts only. */
  insecure?: (host: string) => boolean;
  buildah?: string;
}

export const isLoopbackHost = (host: string): boolean => /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(host);

export class BuildahBuilder implements ImageBuilder {
  readonly kind = 'buildah';
  readonly #options: BuildahBuilderOptions;

  constructor(options: BuildahBuilderOptions = {}) {
    this.#options = options;
  }

  #argv(args: string[]): string[] {
    const o = this.#options;
    const storage = [
      ...(o.storageDriver ? ['--storage-driver', o.storageDriver] : []),
      ...(o.root ? ['--root', o.root] : []),
      ...(o.runroot ? ['--runroot', o.runroot] : []),
    ];
    return [o.buildah ?? 'buildah', ...storage, ...args];
  }

  async build(job: BuildJob, progress: (p: BuildProgress) => void): Promise<void> {
    const insecure = this.#options.insecure ?? isLoopbackHost;
    const authfile = join(job.contextDir, 'docker', 'config.json');
    const deadline = Date.now() + job.timeoutMs;
    const left = () => Math.max(1000, deadline - Date.now());
    const onLine = (line: string) => progress({ phase: 'log', message: line });
    const base = /^FROM\s+(\S+)/m.exec(await readFile(join(job.contextDir, 'Dockerfile'), 'utf8'))?.[1] ?? '';

    progress({ phase: 'Building', message: 'building image' });
    await execStreaming(
      this.#argv(['bud', '--isolation', 'chroot', '--pull-always', '--authfile', authfile, `--tls-verify=${!insecure(registryHost(base))}`, '-f', join(job.contextDir, 'Dockerfile'), '-t', job.image, job.contextDir]),
      { timeoutMs: left(), onLine, label: 'buildah bud' },
    );
    progress({ phase: 'Pushing', message: 'pushing image' });
    try {
      await execStreaming(
        this.#argv(['push', '--authfile', authfile, `--tls-verify=${!insecure(registryHost(job.image))}`, '--retry', '3', job.image, `docker://${job.image}`]),
        { timeoutMs: left(), onLine, label: 'buildah push' },
      );
    } finally {
      // The image lives on in the registry; keep the local store from growing with every build.
      await execStreaming(this.#argv(['rmi', '-f', job.image]), { timeoutMs: 60_000 }).catch(() => {});
    }
  }
}
