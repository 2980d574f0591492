/**
 * Build tasks (§9.10): PostTask checks the TImage and records `build.running`, then the task
 * prepares the context, hands it to the builder and records the outcome: on success the new
 * release is prepended to `releases` (cut to `recordLimit.timageRelease`) and `build.last` says
 * Done; on failure `build.last` says Failed with the reason. Phases go to the TImage and to
 * whoever follows the task (the uploader's stream).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TFrameworkConfig, TImage, TImageBuildState, TImageRelease } from '@tars-ts/api';
import { isNotFound, retryOnConflict, type ClusterState } from '@tars-ts/cluster';
import type { BuildProgress, ImageBuilder } from './builder.ts';
import { mergedDockerConfig, type SecretReader } from './docker-config.ts';
import { dockerfile, unpackPackage } from './extract.ts';
import { BadRequestError, type BuildForm } from './form.ts';
import { newTaskId } from './task-id.ts';

export const FRAMEWORK_CONFIG = 'tars-framework';
export const DEFAULT_RELEASE_LIMIT = 32;
export const DEFAULT_MAX_BUILD_SECONDS = 300;
export const MAX_CONCURRENT_BUILDS = 5;

export interface EngineLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface BuildEngineOptions {
  cluster: ClusterState;
  secrets: SecretReader;
  builder: ImageBuilder;
  /** This pod's name: `build.running.handler`, part of the task id. */
  podName: string;
  /** Per-build contexts go to `<buildDir>/<id>`. */
  buildDir: string;
  maxConcurrent?: number;
  logger: EngineLogger;
  now?: () => Date;
}

export interface TaskResult {
  id: string;
  image: string;
  secret?: string;
  source: string;
}

export interface TaskEvent {
  phase: string;
  message: string;
}

/** A running task: follow its progress, await its end. */
export class BuildTask {
  readonly result: TaskResult;
  readonly #listeners = new Set<(e: TaskEvent) => void>();
  readonly #history: TaskEvent[] = [];
  done!: Promise<{ ok: boolean; message: string }>;

  constructor(result: TaskResult) {
    this.result = result;
  }

  /** Replays what happened so far, then every new event; returns the unsubscribe function. */
  follow(listener: (e: TaskEvent) => void): () => void {
    for (const e of this.#history) listener(e);
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(e: TaskEvent): void {
    // Build output can be long: keep the replay bounded.
    if (this.#history.length < 2000) this.#history.push(e);
    for (const l of this.#listeners) l(e);
  }
}

/** JSON/Kubernetes cannot take empty strings in our test server and they mean "absent" anyway. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

export class BuildEngine {
  readonly #o: BuildEngineOptions;
  readonly #running = new Map<string, BuildTask>();
  /** Submits past the concurrency check that have not registered their task yet. */
  #admitting = 0;

  constructor(options: BuildEngineOptions) {
    this.#o = options;
  }

  get running(): number {
    return this.#running.size;
  }

  async #frameworkConfig(): Promise<TFrameworkConfig> {
    try {
      return await this.#o.cluster.resource('TFrameworkConfig').get(FRAMEWORK_CONFIG);
    } catch (e) {
      if (isNotFound(e)) throw new BadRequestError(`TFrameworkConfig ${FRAMEWORK_CONFIG} not found in ${this.#o.cluster.namespace}`, 500);
      throw e;
    }
  }

  /** PostTask: validates, records `build.running` and starts the task. Throws BadRequestError. */
  async submit(timageName: string, form: BuildForm, pkg: { path: string; ext: '.tgz' | '.war' | '.jar' }): Promise<BuildTask> {
    // The slot is taken before the first await: uploads arriving together must not all pass the check.
    const busy = this.#running.size + this.#admitting;
    if (busy >= (this.#o.maxConcurrent ?? MAX_CONCURRENT_BUILDS)) throw new BadRequestError(`${busy} builds are running on ${this.#o.podName}; try again later`, 503);
    this.#admitting++;
    try {
      return await this.#admit(timageName, form, pkg);
    } finally {
      this.#admitting--;
    }
  }

  async #admit(timageName: string, form: BuildForm, pkg: { path: string; ext: '.tgz' | '.war' | '.jar' }): Promise<BuildTask> {
    const tfc = await this.#frameworkConfig();
    const now = (this.#o.now ?? (() => new Date()))();
    const id = newTaskId(this.#o.podName, now);
    const registry = tfc.imageUpload.registry.replace(/\/+$/, '');
    const image = `${registry}/${form.serverApp.toLowerCase()}.${form.serverName.toLowerCase()}:${form.serverTag ?? id}`;
    const secret = form.secret ?? (tfc.imageUpload.secret || undefined);
    const running: TImageBuildState = compact({
      id,
      baseImage: form.baseImage,
      baseImageSecret: form.baseImageSecret,
      image,
      secret,
      serverType: form.serverType,
      createPerson: form.createPerson,
      createTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      mark: form.mark,
      phase: 'Pending',
      message: 'pending',
      handler: this.#o.podName,
    });

    const timages = this.#o.cluster.resource('TImage');
    let timage: TImage;
    try {
      timage = await timages.get(timageName);
    } catch (e) {
      if (isNotFound(e)) throw new BadRequestError(`timage ${timageName} not found`);
      throw e;
    }
    if (timage.imageType !== 'server') throw new BadRequestError(`timage ${timageName} is of type ${timage.imageType}, not server`);
    if (timage.build?.running) throw new BadRequestError(`another task is running on timage ${timageName} (${timage.build.running.id})`);
    try {
      // Update with the resourceVersion just read: two uploads racing for one TImage, one wins.
      await timages.update({ ...timage, build: { ...timage.build, running } });
    } catch (e) {
      if ((e as Error).name === 'ConflictError') throw new BadRequestError(`another task is running on timage ${timageName}`);
      throw e;
    }

    const task = new BuildTask(compact({ id, image, secret, source: timageName }));
    this.#running.set(id, task);
    const limit = tfc.recordLimit?.timageRelease ?? DEFAULT_RELEASE_LIMIT;
    const timeoutMs = (tfc.imageBuild.maxBuildTime ?? DEFAULT_MAX_BUILD_SECONDS) * 1000;
    const executor = tfc.imageBuild.executor ? compact({ image: tfc.imageBuild.executor.image, secret: tfc.imageBuild.executor.secret }) : undefined;
    task.done = this.#run(task, timageName, running, pkg, limit, timeoutMs, executor).finally(() => this.#running.delete(id));
    return task;
  }

  async #setPhase(timageName: string, id: string, phase: string, message: string): Promise<void> {
    await retryOnConflict(async () => {
      const t = await this.#o.cluster.resource('TImage').get(timageName);
      if (t.build?.running?.id !== id) throw new Error(`build.running of timage ${timageName} is no longer task ${id}`);
      await this.#o.cluster.resource('TImage').update({ ...t, build: { ...t.build, running: { ...t.build.running, phase, message: message.slice(0, 1600) } } });
    });
  }

  async #finish(timageName: string, running: TImageBuildState, ok: boolean, message: string, limit: number): Promise<void> {
    await retryOnConflict(async () => {
      const t = await this.#o.cluster.resource('TImage').get(timageName);
      // Someone (the controller's overtime check, an operator) already closed this task: leave it.
      if (t.build?.running?.id !== running.id) throw new Error(`timage ${timageName} no longer waits for task ${running.id}; its build state was changed by someone else`);
      const current = t.build.running;
      const last = { ...current, phase: ok ? 'Done' : 'Failed', message: (ok ? 'Success' : message).slice(0, 1600) };
      const next: TImage = { ...t, build: { last } };
      if (ok) {
        const release: TImageRelease = compact({ id: running.id, image: running.image, secret: running.secret, createPerson: running.createPerson, createTime: running.createTime, mark: running.mark });
        next.releases = [release, ...(t.releases ?? []).filter((r) => r.id !== release.id)].slice(0, limit);
      }
      await this.#o.cluster.resource('TImage').update(next);
    });
  }

  async #run(task: BuildTask, timageName: string, running: TImageBuildState, pkg: { path: string; ext: '.tgz' | '.war' | '.jar' }, limit: number, timeoutMs: number, executor?: { image: string; secret?: string }): Promise<{ ok: boolean; message: string }> {
    const { id } = running;
    const contextDir = join(this.#o.buildDir, id);
    const phase = async (p: string, message: string) => {
      task.emit({ phase: p, message });
      await this.#setPhase(timageName, id, p, message);
    };
    let outcome: { ok: boolean; message: string };
    try {
      task.emit({ phase: 'Pending', message: 'pending' });
      await phase('Preparing', 'preparing context');
      await mkdir(contextDir, { recursive: true });
      const files = await unpackPackage(pkg.path, pkg.ext, contextDir);
      await writeFile(join(contextDir, 'Dockerfile'), dockerfile(running.baseImage, running.serverType ?? 'cpp'));
      task.emit({ phase: 'log', message: `unpacked ${files} files` });
      await phase('Preparing', 'preparing secret');
      const auths = await mergedDockerConfig(this.#o.secrets, [running.baseImageSecret, running.secret]);
      await mkdir(join(contextDir, 'docker'), { recursive: true });
      await writeFile(join(contextDir, 'docker', 'config.json'), JSON.stringify(auths), { mode: 0o600 });
      let last = '';
      // Phase writes in order, and all of them before the outcome is recorded.
      let phases: Promise<void> = Promise.resolve();
      const progress = (p: BuildProgress) => {
        if (p.phase === 'log') return task.emit(p);
        if (p.phase === last) return;
        last = p.phase;
        task.emit(p);
        // The kaniko driver records Building/Pushing itself; buildah's phases are recorded here.
        if (this.#o.builder.kind === 'buildah' || p.phase === 'Submitting') {
          phases = phases.then(() => this.#setPhase(timageName, id, p.phase, p.message)).catch((e: Error) => this.#o.logger.warn(`task ${id}: ${e.message}`));
        }
      };
      try {
        await this.#o.builder.build({ id, timage: timageName, contextDir, image: running.image, timeoutMs, executor }, progress);
      } finally {
        await phases;
      }
      outcome = { ok: true, message: 'Success' };
    } catch (e) {
      outcome = { ok: false, message: (e as Error).message };
    }
    try {
      await this.#finish(timageName, running, outcome.ok, outcome.message, limit);
    } catch (e) {
      outcome = { ok: false, message: `${outcome.message}; recording the result failed: ${(e as Error).message}` };
    }
    task.emit({ phase: outcome.ok ? 'Done' : 'Failed', message: outcome.message });
    (outcome.ok ? this.#o.logger.info : this.#o.logger.warn).call(this.#o.logger, `task ${id} for timage ${timageName}: ${outcome.ok ? `pushed ${running.image}` : outcome.message}`);
    await rm(contextDir, { recursive: true, force: true }).catch(() => {});
    await rm(pkg.path, { force: true }).catch(() => {});
    return outcome;
  }
}
