// tarsqueryproperty: config → store → QueryObj on the ServiceHost. See README.md for config keys and ports.
import { ServiceHost } from '@tars-ts/service';
import { openMonitorStore } from '@tars-ts/storage';
import { createPropertyQueryServant, QUERYPROPERTY_DEFAULT_ENDPOINT, QUERYPROPERTY_SERVANT } from './queryproperty-service.ts';
import { storeConfigFrom } from '@tars-ts/monitoring';

const host = await ServiceHost.start({ app: 'tars', server: 'tarsqueryproperty', version: '0.1.0' });
try {
  const store = await openMonitorStore({ ...storeConfigFrom(host.config), logger: host.logger });
  host.onStop('close monitor store', () => store.close());
  const configured = host.serverConfig.adapters.some((a) => a.servant === QUERYPROPERTY_SERVANT);
  host.addServant(createPropertyQueryServant({ store, logger: host.logger }), QUERYPROPERTY_SERVANT, configured ? undefined : QUERYPROPERTY_DEFAULT_ENDPOINT);
  await host.listen();
} catch (e) {
  host.logger.error(`tarsqueryproperty failed to start: ${(e as Error).message}`);
  await host.stop('start failed');
}
