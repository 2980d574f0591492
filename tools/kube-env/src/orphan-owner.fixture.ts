// Run by kube-env.test.ts as a separate process: starts an env, prints its pids and dir, then
// waits to be killed with SIGKILL (so stop() and exit hooks never run; only the watchdog can clean up).
import { startKubeEnv } from './kube-env.ts';

const env = await startKubeEnv({ controllerManager: false });
process.stdout.write(JSON.stringify({ etcd: env.pids.etcd, apiserver: env.pids.apiserver, dir: env.dir }) + '\n');
setInterval(() => {}, 1 << 30);
