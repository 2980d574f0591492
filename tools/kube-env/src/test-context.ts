// The contract between the vitest global setup (main process) and the test helpers (workers).

/** What a test needs to talk to the shared kube env. Plain data: build your own client from it. */
export interface KubeConnection {
  server: string;
  token: string;
  caFile: string;
  kubeconfigPath: string;
}

/** Provided to tests under the key `tarsKubeEnv` (see vitest-global-setup.ts). */
export type KubeEnvTestContext =
  | {
      available: true;
      /** Unix socket of the on-demand starter in the vitest main process. */
      controlSocket: string;
      /** Where the kubeconfig will be once the env is started (also in TARS_TEST_KUBECONFIG). */
      kubeconfigPath: string;
    }
  | { available: false; reason: string };

export const PROVIDE_KEY = 'tarsKubeEnv';

/** Env vars set by the global setup, inherited by workers and by any process they spawn. */
export const ENV_KUBECONFIG = 'TARS_TEST_KUBECONFIG';
export const ENV_CONTROL_SOCKET = 'TARS_TEST_KUBE_CONTROL';

declare module 'vitest' {
  export interface ProvidedContext {
    tarsKubeEnv: KubeEnvTestContext;
  }
}
