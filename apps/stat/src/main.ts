// tarsstat: config → store → StatObj on the ServiceHost. See README.md for config keys and ports.
import { ServiceHost } from '@tars-ts/service';
import { openMonitorStore } from '@tars-ts/storage';
import { createStatService, STAT_DEFAULT_ENDPOINT, STAT_SERVANT } from './stat-service.ts';
import { storeConfigFrom } from '@tars-ts/monitoring';

const host = await ServiceHost.start({ app: 'tars', server: 'tarsstat', version: '0.1.0' });
try {
  const store = await openMonitorStore({ ...storeConfigFrom(host.config), logger: host.logger });
  host.onStop('close monitor store', () => store.close());
  const stat = createStatService({
    store,
    logger: host.logger,
    sourceId: host.serverConfig.localip ?? '127.0.0.1',
    maxRecords: host.config.getInt('/tars/storage<stat-max-records>', 1_000_000),
  });
  // Registered after the store: hooks run in reverse order, so the windows are written first.
  host.onStop('write open stat windows', () => stat.stop());
  const configured = host.serverConfig.adapters.some((a) => a.servant === STAT_SERVANT);
  host.addServant(stat.servant, STAT_SERVANT, configured ? undefined : STAT_DEFAULT_ENDPOINT);
  host.metrics.gauge('tars_stat_entries', 'reportMicMsg entries by outcome, since start', ['outcome'], function () {
    for (const [outcome, n] of Object.entries(stat.counters())) this.set({ outcome }, n);
  });
  await host.listen();
  stat.start();
} catch (e) {
  host.logger.error(`tarsstat failed to start: ${(e as Error).message}`);
  await host.stop('start failed');
}
