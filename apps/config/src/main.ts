// tarsconfig process (Kubernetes): `node src/main.ts --config=tarsconfig.conf`. Serves
// tars.tarsconfig.ConfigObj from the TConfig objects of its namespace. See README.md.
import { KubernetesClusterState } from '@tars-ts/cluster';
import { ServiceHost } from '@tars-ts/service';
import { CONFIG_OBJ, ConfigCore } from './config-service.ts';

const DEFAULT_ENDPOINT = 'tcp -h 0.0.0.0 -p 11111 -t 60000';

const host = await ServiceHost.start({ app: 'tars', server: 'tarsconfig' });
// native keys: /tars<limitinterval> calls per /tars<interval> minutes (0 disables)
const limit = host.config.getInt('/tars<limitinterval>', 10);
const minutes = host.config.getInt('/tars<interval>', 1);
const cluster = new KubernetesClusterState({ component: 'tarsconfig' });
const core = new ConfigCore({ cluster, logger: host.logger, rateLimit: { limit, intervalMs: minutes * 60_000 } });
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
const hasAdapter = host.serverConfig.adapters.some((a) => a.servant === CONFIG_OBJ);
host.addServant(core.servant, CONFIG_OBJ, hasAdapter ? undefined : DEFAULT_ENDPOINT);
await host.listen();
