// Without binaries the global setup must never pass silently: in CI it fails the run, elsewhere
// it tells the tests (and the user) why they are skipped and how to build. Binaries from an older
// build.sh recipe (the one that refused empty strings) are flagged the same way.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TestProject } from 'vitest/node';
import { expectedRecipeStamp, missingBinaries, staleBinariesReason } from './paths.ts';
import { ENV_CONTROL_SOCKET, ENV_KUBECONFIG, type KubeEnvTestContext } from './test-context.ts';
import setup from './vitest-global-setup.ts';

function fakeProject(): { project: TestProject; provided: Map<string, unknown> } {
  const provided = new Map<string, unknown>();
  return { project: { provide: (k: string, v: unknown) => provided.set(k, v) } as unknown as TestProject, provided };
}

describe('vitest global setup without binaries', () => {
  const saved = { cache: process.env.TARS_KUBE_CACHE, ci: process.env.CI };
  beforeEach(() => {
    process.env.TARS_KUBE_CACHE = '/nonexistent/tars-kube-cache';
  });
  afterEach(() => {
    for (const [key, value] of [['TARS_KUBE_CACHE', saved.cache], ['CI', saved.ci]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('names the missing binaries', () => {
    expect(missingBinaries()).toEqual([
      '/nonexistent/tars-kube-cache/v1.20.2/kube-apiserver',
      '/nonexistent/tars-kube-cache/v1.20.2/kube-controller-manager',
    ]);
  });

  it('fails the run when CI=true', async () => {
    process.env.CI = 'true';
    const { project, provided } = fakeProject();
    await expect(setup(project)).rejects.toThrow(/CI=true but kube env binaries missing .*bash tools\/kube-env\/build\.sh/);
    expect(provided.size).toBe(0);
  });

  it('outside CI, provides the skip reason with the build command', async () => {
    delete process.env.CI;
    const { project, provided } = fakeProject();
    const teardown = await setup(project);
    const ctx = provided.get('tarsKubeEnv') as KubeEnvTestContext;
    expect(ctx.available).toBe(false);
    expect(!ctx.available && ctx.reason).toMatch(/kube-apiserver.*build them with: bash tools\/kube-env\/build\.sh/);
    await teardown();
  });
});

describe('vitest global setup with binaries from an older build recipe', () => {
  // The setup exports the two ENV_* variables when it provides an env: put them back afterwards.
  const savedEnv = [ENV_KUBECONFIG, ENV_CONTROL_SOCKET, 'TARS_KUBE_CACHE', 'TARS_ETCD', 'CI'].map((key) => [key, process.env[key]] as const);
  let cache: string;
  const stampFile = () => join(cache, 'v1.20.2', '.recipe');
  beforeEach(() => {
    // Stand-in executables: only their presence and the stamp next to them matter here.
    cache = mkdtempSync(join(tmpdir(), 'tars-kube-cache-stale-'));
    mkdirSync(join(cache, 'v1.20.2'));
    for (const bin of ['v1.20.2/kube-apiserver', 'v1.20.2/kube-controller-manager', 'etcd']) {
      writeFileSync(join(cache, bin), '#!/bin/sh\nexit 1\n');
      chmodSync(join(cache, bin), 0o755);
    }
    process.env.TARS_KUBE_CACHE = cache;
    process.env.TARS_ETCD = join(cache, 'etcd');
  });
  afterEach(() => {
    rmSync(cache, { recursive: true, force: true });
    vi.restoreAllMocks();
    for (const [key, value] of savedEnv) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('reads the stamp from build.sh and calls binaries without it, or with another one, stale', () => {
    expect(expectedRecipeStamp()).toMatch(/^recipe \d+: v1\.20\.2/);
    expect(missingBinaries()).toEqual([]);
    expect(staleBinariesReason()).toMatch(/older build recipe \(no stamp;.*bash tools\/kube-env\/build\.sh/);
    writeFileSync(stampFile(), 'recipe 1: something else\n');
    expect(staleBinariesReason()).toMatch(/older build recipe \(recipe 1: something else;/);
    writeFileSync(stampFile(), `${expectedRecipeStamp()}\n`);
    expect(staleBinariesReason()).toBeUndefined();
  });

  it('fails the run when CI=true', async () => {
    process.env.CI = 'true';
    const { project, provided } = fakeProject();
    await expect(setup(project)).rejects.toThrow(/CI=true but the kube binaries in .* come from an older build recipe/);
    expect(provided.size).toBe(0);
  });

  it('outside CI, warns and still provides the env', async () => {
    delete process.env.CI;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { project, provided } = fakeProject();
    const teardown = await setup(project);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/WARNING: the kube binaries .* older build recipe/));
    expect((provided.get('tarsKubeEnv') as KubeEnvTestContext).available).toBe(true);
    await teardown();
  });
});
