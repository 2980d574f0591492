// tars-agent (reference §8): one per node (DaemonSet in tars-system). Storage runner = local PV
// provisioner of tars-storage-class; cron runner = crontab.config (log cleanup). See README.md.
import { KubeClient, loadKubeConfig } from '@tars-ts/cluster';
import { Health, ServiceLogger, ServiceMetrics, Shutdown, startMonitorServer } from '@tars-ts/service';
import { ConfigError, parseConfig } from './config.ts';
import { CronRunner } from './cron/runner.ts';
import { StorageRunner } from './storage/runner.ts';

let config;
try {
  config = parseConfig(process.argv.slice(2), process.env);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(`tars-agent: ${e.message}`);
  process.exit(2);
}

const logger = new ServiceLogger({ level: config.logLevel, console: true });
let failed = false;
const shutdown = new Shutdown({ logger, exit: (code) => process.exit(failed ? 1 : code) }).install();
const health = new Health();
let storage: StorageRunner | undefined;
try {
  if (config.metricsPort > 0) {
    const metrics = new ServiceMetrics({ app: 'tars', server: 'tarsagent' });
    const server = await startMonitorServer({ metrics, health, port: config.metricsPort, logger });
    shutdown.onStop('monitor server', () => server.close(), 'last');
    if (config.storage) {
      metrics.gauge('tars_agent_storage_actions', 'storage runner actions since start', ['action'], function () {
        for (const [action, n] of Object.entries(storage?.counters ?? {})) this.set({ action }, n);
      });
    }
  }

  if (config.storage) {
    const client = new KubeClient(loadKubeConfig(), { fieldManager: 'tars-agent' });
    storage = new StorageRunner({ client, nodeName: config.nodeName, hostBase: config.tlvInHost, podBase: config.tlvInPod, logger });
    shutdown.onStop('storage runner', () => storage!.stop());
    await storage.start();
  }
  if (config.cron) {
    const cron = new CronRunner({ logger });
    shutdown.onStop('cron runner', () => cron.stop());
    cron.startFile(config.crontab);
  }
  // A DaemonSet pod must not end when there is nothing to wait for (no jobs, no storage).
  const keepAlive = setInterval(() => undefined, 1 << 30);
  shutdown.onStop('keep-alive', () => clearInterval(keepAlive), 'last');
  health.setReady(true);
  logger.info(`tars-agent started${config.storage ? ` (node ${config.nodeName})` : ''}${config.cron ? ` (crontab ${config.crontab})` : ''}`);
} catch (e) {
  logger.error(`tars-agent failed to start: ${(e as Error).message}`);
  failed = true;
  await shutdown.shutdown('start failed');
}
