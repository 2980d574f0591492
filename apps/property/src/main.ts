// tarsproperty: config → store → PropertyObj on the ServiceHost. See README.md for config keys and ports.
import { ServiceHost } from '@tars-ts/service';
import { openMonitorStore } from '@tars-ts/storage';
import { createPropertyService, PROPERTY_DEFAULT_ENDPOINT, PROPERTY_SERVANT } from './property-service.ts';
import { storeConfigFrom } from '@tars-ts/monitoring';

const host = await ServiceHost.start({ app: 'tars', server: 'tarsproperty', version: '0.1.0' });
try {
  const store = await openMonitorStore({ ...storeConfigFrom(host.config), logger: host.logger });
  host.onStop('close monitor store', () => store.close());
  const property = createPropertyService({ store, logger: host.logger, maxRecords: host.config.getInt('/tars/storage<property-max-records>', 1_000_000) });
  // Registered after the store: hooks run in reverse order, so the windows are written first.
  host.onStop('write open property windows', () => property.stop());
  const configured = host.serverConfig.adapters.some((a) => a.servant === PROPERTY_SERVANT);
  host.addServant(property.servant, PROPERTY_SERVANT, configured ? undefined : PROPERTY_DEFAULT_ENDPOINT);
  host.metrics.gauge('tars_property_entries', 'reportPropMsg entries and values by outcome, since start', ['outcome'], function () {
    for (const [outcome, n] of Object.entries(property.counters())) this.set({ outcome }, n);
  });
  await host.listen();
  property.start();
} catch (e) {
  host.logger.error(`tarsproperty failed to start: ${(e as Error).message}`);
  await host.stop('start failed');
}
