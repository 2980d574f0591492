// Without binaries the global setup must never pass silently: in CI it fails the run, elsewhere
// it tells the tests (and the user) why they are skipped and how to build.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestProject } from 'vitest/node';
import { missingBinaries } from './paths.ts';
import type { KubeEnvTestContext } from './test-context.ts';
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
