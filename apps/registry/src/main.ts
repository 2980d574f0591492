// tarsregistry process (Kubernetes): `node src/main.ts [--config=tarsregistry.conf] [--host-style=dns|podIP]`.
// Watches TEndpoint/TTemplate/TFrameworkConfig in its namespace, serves QueryObj and RegistryObj,
// then marks its own pod (env PodName) active. See README.md for flags, config keys and ports.
import { parseArgs } from 'node:util';
import { KubernetesClusterState } from '@tars-ts/cluster';
import { ServiceHost } from '@tars-ts/service';
import { QUERY_OBJ, REGISTRY_OBJ } from './endpoint-index.ts';
import { RegistryCore } from './registry-service.ts';

const DEFAULT_QUERY_ENDPOINT = 'tcp -h 0.0.0.0 -p 17890 -t 10000';
const DEFAULT_REGISTRY_ENDPOINT = 'tcp -h 0.0.0.0 -p 17891 -t 30000';

const { values: flags } = parseArgs({
  options: { config: { type: 'string' }, 'host-style': { type: 'string', default: 'dns' } },
  strict: false,
});
const hostStyle = flags['host-style'];
if (hostStyle !== 'dns' && hostStyle !== 'podIP') {
  console.error(`--host-style must be dns or podIP, not ${String(hostStyle)}`);
  process.exit(2);
}

const host = await ServiceHost.start({ app: 'tars', server: 'tarsregistry' });
const cluster = new KubernetesClusterState({ component: 'tarsregistry' });
const core = new RegistryCore({ cluster, logger: host.logger, hostStyle });
host.onStop('cluster watches', async () => {
  await core.stop();
  await cluster.close();
});
try {
  await core.synced(30_000);
} catch (e) {
  host.logger.error(`initial sync failed, exiting: ${(e as Error).message}`);
  await host.stop('sync failed');
  process.exit(1);
}

const hasAdapter = (servant: string) => host.serverConfig.adapters.some((a) => a.servant === servant);
host.addServant(core.query, QUERY_OBJ, hasAdapter(QUERY_OBJ) ? undefined : DEFAULT_QUERY_ENDPOINT);
host.addServant(core.registry, REGISTRY_OBJ, hasAdapter(REGISTRY_OBJ) ? undefined : DEFAULT_REGISTRY_ENDPOINT);
await host.listen();

const podName = process.env.PodName;
if (podName) {
  try {
    await core.reportSelfActive(podName);
  } catch (e) {
    host.logger.error((e as Error).message);
    await host.stop('own pod condition failed');
  }
}
