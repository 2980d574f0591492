// tarsquerystat: config → store → QueryObj on the ServiceHost. See README.md for config keys and ports.
import { ServiceHost } from '@tars-ts/service';
import { openMonitorStore } from '@tars-ts/storage';
import { createStatQueryServant, QUERYSTAT_DEFAULT_ENDPOINT, QUERYSTAT_SERVANT } from './querystat-service.ts';
import { storeConfigFrom } from '@tars-ts/monitoring';

const host = await ServiceHost.start({ app: 'tars', server: 'tarsquerystat', version: '0.1.0' });
try {
  const store = await openMonitorStore({ ...storeConfigFrom(host.config), logger: host.logger });
  host.onStop('close monitor store', () => store.close());
  const configured = host.serverConfig.adapters.some((a) => a.servant === QUERYSTAT_SERVANT);
  host.addServant(createStatQueryServant({ store, logger: host.logger }), QUERYSTAT_SERVANT, configured ? undefined : QUERYSTAT_DEFAULT_ENDPOINT);
  await host.listen();
} catch (e) {
  host.logger.error(`tarsquerystat failed to start: ${(e as Error).message}`);
  await host.stop('start failed');
}
