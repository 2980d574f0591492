// tarsnotify process: `node src/main.ts --config=tarsnotify.conf`. Serves tars.tarsnotify.NotifyObj
// and stores notifications in the monitor store. See README.md for config keys and ports.
import { ServiceHost } from '@tars-ts/service';
import { openMonitorStore } from '@tars-ts/storage';
import { createNotifyService, NOTIFY_DEFAULT_ENDPOINT, NOTIFY_SERVANT } from './notify-service.ts';
import { parseNotifyLimit } from './rate-limit.ts';
import { storeConfigFrom } from '@tars-ts/monitoring';

const host = await ServiceHost.start({ app: 'tars', server: 'tarsnotify', version: '0.1.0' });
try {
  const store = await openMonitorStore({ ...storeConfigFrom(host.config, 'notify'), logger: host.logger });
  host.onStop('close monitor store', () => store.close());

  const limitText = host.config.get('/tars/server<notify_limit>');
  const { limit, malformed } = parseNotifyLimit(limitText);
  if (malformed) host.logger.warn(`/tars/server<notify_limit> "${limitText}" is not "interval:count"; using ${limit.count} per ${limit.intervalMs / 1000} s`);

  // Pod names for caller IPs need the pods of the namespace: on by default inside Kubernetes.
  const podNames = host.config.get('/tars/notify<pod-names>') || (process.env.KUBERNETES_SERVICE_HOST ? 'kubernetes' : 'off');
  // Loaded only when used: the Kubernetes client is slow to load and not needed otherwise.
  const cluster = podNames === 'kubernetes' ? new (await import('@tars-ts/cluster')).KubernetesClusterState({ component: 'tarsnotify' }) : undefined;
  if (cluster) host.onStop('close cluster', () => cluster.close());

  const notify = createNotifyService({ store, logger: host.logger, limit, cluster });
  // Registered after the store: hooks run in reverse order, so queued rows are written before it closes.
  host.onStop('stop notify', () => notify.stop());
  await notify.ready();

  const configured = host.serverConfig.adapters.some((a) => a.servant === NOTIFY_SERVANT);
  host.addServant(notify.servant, NOTIFY_SERVANT, configured ? undefined : NOTIFY_DEFAULT_ENDPOINT);
  host.metrics.gauge('tars_notify_messages', 'notifications by outcome, since start', ['outcome'], function () {
    const c = notify.counters();
    this.set({ outcome: 'received' }, c.received);
    this.set({ outcome: 'stored' }, c.stored);
    this.set({ outcome: 'rate_limited' }, c.rateLimited);
    this.set({ outcome: 'store_rejected' }, c.storeRejected);
  });
  await host.listen();
} catch (e) {
  host.logger.error(`tarsnotify failed to start: ${(e as Error).message}`);
  await host.stop('start failed');
}
