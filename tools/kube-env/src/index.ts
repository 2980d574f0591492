// @tars-ts/kube-env: the real Kubernetes API server for tests (see README.md).
export { startKubeEnv, KubeEnvStartError, type KubeEnv, type KubeEnvOptions } from './kube-env.ts';
export {
  BUILD_HINT,
  HELM_VERSION,
  KUBE_VERSION,
  cacheRoot,
  cachedRecipeStamp,
  expectedRecipeStamp,
  helmPath,
  isHelmAvailable,
  isKubeEnvAvailable,
  kubeBinaries,
  kubectlPath,
  missingBinaries,
  staleBinariesReason,
  type KubeBinaries,
} from './paths.ts';
