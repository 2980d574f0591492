// tarskaniko: the builder pod's program (image tars.tarskaniko, TFrameworkConfig
// imageBuild.executor). `node src/main.ts --timage=… --id=… --dockerfile=… --context=dir://… --destination=…`.
// Exit 0 when pushed; otherwise exit 1 with the reason in the termination message file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KubernetesClusterState } from '@tars-ts/cluster';
import { parseArgs } from './args.ts';
import { runDriver } from './driver.ts';

const statusPath = process.env.TARS_KANIKO_STATUS_PATH || '/kaniko/status';
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

let cluster: KubernetesClusterState | undefined;
try {
  const args = parseArgs(process.argv.slice(2));
  cluster = new KubernetesClusterState({ component: 'tarskaniko' });
  log(`task ${args.id}: building ${args.destination} for timage ${args.timage}`);
  await runDriver({ args, cluster, dockerConfigDir: process.env.DOCKER_CONFIG, log });
  log(`task ${args.id}: done`);
  await cluster.close();
  process.exit(0);
} catch (e) {
  const message = (e as Error).message.slice(0, 4000);
  log(`failed: ${message}`);
  try {
    mkdirSync(dirname(statusPath), { recursive: true });
    writeFileSync(statusPath, message);
  } catch (w) {
    log(`cannot write ${statusPath}: ${(w as Error).message}`);
  }
  await cluster?.close();
  process.exit(1);
}
