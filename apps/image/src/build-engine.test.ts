// The engine on the embedded ClusterState (the standalone home: real schema validation and
// optimistic concurrency, in a temp dir). The builder here only holds builds open until released,
// to check the engine's own rules: at most 5 builds per pod, the 32-release fallback limit, and
// a task whose TImage was closed by someone else meanwhile.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedClusterState } from '@tars-ts/cluster';
import { BuildEngine, type BuildTask } from './build-engine.ts';
import type { BuildJob, ImageBuilder } from './builder.ts';
import { serverPackage } from './testing/server-package.ts';

class HeldBuilder implements ImageBuilder {
  readonly kind = 'buildah';
  readonly jobs: BuildJob[] = [];
  readonly #release: (() => void)[] = [];
  async build(job: BuildJob): Promise<void> {
    this.jobs.push(job);
    await new Promise<void>((r) => this.#release.push(r));
  }
  releaseAll(): void {
    for (const r of this.#release.splice(0)) r();
  }
}

describe('build engine rules (embedded cluster state)', () => {
  let dir: string;
  let cluster: EmbeddedClusterState;
  let builder: HeldBuilder;
  let engine: BuildEngine;
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  const form = { serverApp: 'Test', serverName: 'S', serverType: 'cpp' as const, baseImage: 'reg.io/base:1' };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'engine-'));
    cluster = await EmbeddedClusterState.open({ dataDir: join(dir, 'data') });
    await cluster.resource('TFrameworkConfig').create({ apiVersion: 'k8s.tars.io/v1beta3', kind: 'TFrameworkConfig', metadata: { name: 'tars-framework' }, imageBuild: { maxBuildTime: 200, executor: { image: 'x' } }, imageUpload: { registry: 'reg.io/app/' }, nodeImage: { image: 'n' } } as never);
    builder = new HeldBuilder();
    engine = new BuildEngine({ cluster, secrets: { dockerConfig: async () => ({ auths: {} }) }, builder, podName: 'p0', buildDir: join(dir, 'build'), logger: quiet });
  });

  afterEach(async () => {
    builder.releaseAll();
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function pkg(name: string): Promise<string> {
    const path = join(dir, `${name}.tgz`);
    writeFileSync(path, await serverPackage('S', { S: name }));
    return path;
  }

  async function timage(name: string, releases = 0): Promise<void> {
    await cluster.resource('TImage').create({ apiVersion: 'k8s.tars.io/v1beta3', kind: 'TImage', metadata: { name }, imageType: 'server', releases: Array.from({ length: releases }, (_, i) => ({ id: `r${i}`, image: `i:${i}` })) } as never);
  }

  async function waitForJobs(n: number): Promise<void> {
    for (let i = 0; i < 1000 && builder.jobs.length < n; i++) await new Promise((r) => setTimeout(r, 10)); // up to 10 s on a busy machine
    expect(builder.jobs).toHaveLength(n);
  }

  it('counts uploads that arrive together against the limit', async () => {
    for (let i = 0; i < 8; i++) await timage(`c${i}`);
    const paths = await Promise.all(Array.from({ length: 8 }, (_, i) => pkg(`c${i}`)));
    const outcomes = await Promise.allSettled(paths.map((path, i) => engine.submit(`c${i}`, form, { path, ext: '.tgz' })));
    const accepted = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(accepted).toHaveLength(5);
    expect(refused.map((r) => (r.reason as { status: number }).status)).toEqual([503, 503, 503]);
    await waitForJobs(5);
  });

  it('runs at most 5 builds per pod and answers 503 beyond', async () => {
    const tasks: BuildTask[] = [];
    for (let i = 0; i < 6; i++) await timage(`t${i}`);
    for (let i = 0; i < 5; i++) tasks.push(await engine.submit(`t${i}`, form, { path: await pkg(`p${i}`), ext: '.tgz' }));
    await expect(engine.submit('t5', form, { path: await pkg('p5'), ext: '.tgz' })).rejects.toMatchObject({ status: 503 });
    expect((await cluster.resource('TImage').get('t5')).build).toBeUndefined();
    await waitForJobs(5);
    expect(builder.jobs[0]).toMatchObject({ timeoutMs: 200_000, executor: { image: 'x' }, image: `reg.io/app/test.s:${tasks[0]!.result.id}` });
    builder.releaseAll();
    for (const t of tasks) expect((await t.done).ok).toBe(true);
    expect(engine.running).toBe(0);
    const sixth = await engine.submit('t5', form, { path: await pkg('p5'), ext: '.tgz' });
    await waitForJobs(6);
    builder.releaseAll();
    expect(await sixth.done).toEqual({ ok: true, message: 'Success' });
  });

  it('keeps 32 releases when the TFrameworkConfig sets no record limit', async () => {
    await timage('full', 32);
    const task = await engine.submit('full', form, { path: await pkg('p'), ext: '.tgz' });
    await waitForJobs(1);
    builder.releaseAll();
    expect(await task.done).toEqual({ ok: true, message: 'Success' });
    const releases = (await cluster.resource('TImage').get('full')).releases!;
    expect(releases).toHaveLength(32);
    expect(releases[0]!.id).toBe(task.result.id);
    expect(releases.at(-1)!.id).toBe('r30');
  });

  it('leaves a TImage alone whose task was closed by someone else meanwhile', async () => {
    await timage('taken');
    const task = await engine.submit('taken', form, { path: await pkg('p'), ext: '.tgz' });
    await waitForJobs(1);
    // E.g. the controller's overtime check marked it Failed.
    const t = await cluster.resource('TImage').get('taken');
    await cluster.resource('TImage').update({ ...t, build: { last: { ...t.build!.running!, phase: 'Failed', message: 'overtime' } } });
    builder.releaseAll();
    expect(await task.done).toEqual({ ok: false, message: expect.stringMatching(/no longer waits for task/) });
    const after = await cluster.resource('TImage').get('taken');
    expect(after.build).toEqual({ last: expect.objectContaining({ phase: 'Failed', message: 'overtime' }) });
    expect(after.releases).toEqual([]);
  });
});
