// tarskevent process: `node src/main.ts --config=tarskevent.conf`. No servants: it watches the
// events of its namespace (and cluster-scoped ones in `default`) and stores them. See README.md.
import { KubernetesClusterState } from '@tars-ts/cluster';
import { ServiceHost } from '@tars-ts/service';
import { openMonitorStore } from '@tars-ts/storage';
import { KEventForwarder } from './forwarder.ts';
import { storeConfigFrom } from '@tars-ts/monitoring';

const host = await ServiceHost.start({ app: 'tars', server: 'tarskevent', version: '0.1.0' });
try {
  const store = await openMonitorStore({ ...storeConfigFrom(host.config, 'kevent'), logger: host.logger });
  host.onStop('close monitor store', () => store.close());

  const cluster = new KubernetesClusterState({ component: 'tarskevent' });
  const defaultCluster = cluster.namespace === 'default' ? undefined : new KubernetesClusterState({ component: 'tarskevent', namespace: 'default' });
  host.onStop('close cluster', async () => {
    await cluster.close();
    await defaultCluster?.close();
  });

  const forwarder = new KEventForwarder({ store, cluster, defaultCluster, logger: host.logger });
  // After the store hook: hooks run in reverse order, so the watches stop before the store flushes.
  host.onStop('stop watches', () => forwarder.stop());
  // Upstream: no sync within 30 s → exit (the pod restarts).
  await forwarder.start(30_000);
  host.metrics.gauge('tars_kevent_events', 'events by outcome, since start', ['outcome'], function () {
    const c = forwarder.counters();
    this.set({ outcome: 'seen' }, c.seen);
    this.set({ outcome: 'queued' }, c.written);
    this.set({ outcome: 'skipped' }, c.skipped);
  });
  host.logger.info(`tarskevent watching events of ${cluster.namespace}${defaultCluster ? ' and cluster-scoped ones in default' : ''}`);
  await host.listen();
} catch (e) {
  host.logger.error(`tarskevent failed to start: ${(e as Error).message}`);
  await host.stop('start failed');
}
