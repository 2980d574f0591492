#!/usr/bin/env node
// tars-kube-env CLI:
//   node tools/kube-env/src/cli.ts up [--no-controller-manager]   start an env, stay in the foreground until Ctrl-C
//   node tools/kube-env/src/cli.ts build                          run build.sh (build + cache the binaries)
//   node tools/kube-env/src/cli.ts helm-path                      print the helm binary's path
//   node tools/kube-env/src/cli.ts kubectl-path                   print the bundled kubectl's path
import { spawnSync } from 'node:child_process';
import { BUILD_SCRIPT, helmPath, isHelmAvailable, kubectlPath } from './paths.ts';
import { startKubeEnv } from './kube-env.ts';

const USAGE = `usage: node tools/kube-env/src/cli.ts <up [--no-controller-manager] | build | helm-path | kubectl-path>`;

async function up(args: string[]): Promise<void> {
  const env = await startKubeEnv({
    controllerManager: !args.includes('--no-controller-manager'),
    log: (m) => console.error(`[kube-env] ${m}`),
  });
  console.log(`# kube env up (ready in ${env.readyMs} ms); logs in ${env.dir}`);
  console.log(`# kubeconfig: ${env.kubeconfigPath}`);
  console.log(`export KUBECONFIG=${env.kubeconfigPath}`);
  console.log(`export TARS_TEST_KUBECONFIG=${env.kubeconfigPath}`);
  console.log(`export KUBE_SERVER=${env.server}`);
  console.log(`export KUBE_TOKEN=${env.token}`);
  console.log(`export KUBE_CA_FILE=${env.caFile}`);
  console.log('# Ctrl-C stops it and removes the temp dir');
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`[kube-env] ${signal}: stopping`);
    env.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // Keep the event loop alive until a signal arrives.
  setInterval(() => {}, 1 << 30);
}

function pathOrFail(path: string, available: boolean): void {
  if (!available) {
    console.error(`not found: ${path}; run: node tools/kube-env/src/cli.ts build`);
    process.exit(1);
  }
  console.log(path);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up':
      return up(rest);
    case 'build': {
      const r = spawnSync('bash', [BUILD_SCRIPT], { stdio: 'inherit' });
      process.exit(r.status ?? 1);
      return;
    }
    case 'helm-path':
      return pathOrFail(helmPath(), isHelmAvailable());
    case 'kubectl-path':
      return pathOrFail(kubectlPath(), isHelmAvailable());
    default:
      console.error(USAGE);
      process.exit(command ? 2 : 0);
  }
}

main(process.argv.slice(2)).catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
