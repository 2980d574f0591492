// Wiring of the two roles: what main.ts starts after parsing flags. Returns a stop function.
import { hostname } from 'node:os';
import { KubeEventRecorder, LeaderElector, loadKubeConfig } from '@tars-ts/cluster';
import { Health, ServiceMetrics, startMonitorServer, type Logger } from '@tars-ts/service';
import { CountingKubeClient } from './controller/counting-client.ts';
import { Controller } from './controller/controller.ts';
import type { ControllerFlags, WebhookFlags } from './flags.ts';
import { serviceDnsNames } from './webhook/certs.ts';
import { startWebhookRole } from './webhook/run.ts';

export interface Running {
  stop(): Promise<void>;
  /** Resolves when the role ended by itself (leadership lost). */
  ended: Promise<string>;
}

function clientFor(kubeconfig: string | undefined, fieldManager: string): CountingKubeClient {
  return new CountingKubeClient(loadKubeConfig(kubeconfig ? { kubeconfigPath: kubeconfig } : {}), { fieldManager });
}

export async function runController(flags: ControllerFlags, logger: Logger): Promise<Running> {
  const client = clientFor(flags.kubeconfig, 'tars-controller');
  const metrics = new ServiceMetrics({ app: 'tars', server: 'tarscontroller' });
  const health = new Health();
  const log = (level: 'debug' | 'info' | 'warn' | 'error', m: string) => logger[level](m);
  const recorder = new KubeEventRecorder(client, { reportingController: 'tars.io/controller', reportingInstance: process.env.PodName ?? hostname() });
  const controller = new Controller({ client, recorder, metrics, log, workers: flags.workers, nodes: flags.manageNodeLabels, ...(flags.watchNamespace ? { watchNamespace: flags.watchNamespace } : {}) });
  const leading = metrics.gauge('tars_controller_leader', '1 while this process leads and reconciles');
  let synced = false;
  // A standby replica is ready too (it serves metrics); it only reconciles once it leads.
  health.addReadinessCheck('controller', () => synced || !flags.leaderElect || elector?.isLeader() === false || 'informers not synced yet');
  const monitor = flags.metricsPort > 0 ? await startMonitorServer({ metrics, health, port: flags.metricsPort, ...(flags.metricsHost ? { host: flags.metricsHost } : {}), logger }) : undefined;
  let endRole!: (why: string) => void;
  const ended = new Promise<string>((r) => (endRole = r));
  let elector: LeaderElector | undefined;
  if (flags.leaderElect) {
    elector = new LeaderElector({
      client,
      namespace: flags.namespace,
      name: flags.leaseName,
      leaseDurationMs: flags.leaseDurationMs,
      renewDeadlineMs: flags.renewDeadlineMs,
      retryPeriodMs: flags.retryPeriodMs,
      onNewLeader: (id) => log('info', `leader is ${id}`),
      // Upstream exits here: another replica takes over with fresh caches.
      onStoppedLeading: () => endRole('leadership lost'),
    });
    log('info', `contending for lease ${flags.namespace}/${flags.leaseName} as ${elector.identity}`);
    await elector.start();
  }
  leading.set(1);
  await controller.start();
  synced = true;
  health.setReady(true);
  return {
    ended,
    stop: async () => {
      health.setReady(false);
      leading.set(0);
      await controller.stop();
      await elector?.stop();
      await monitor?.close();
    },
  };
}

export async function runWebhook(flags: WebhookFlags, logger: Logger): Promise<Running> {
  const client = clientFor(flags.kubeconfig, 'tars-webhook');
  const metrics = new ServiceMetrics({ app: 'tars', server: 'tarswebhook' });
  const health = new Health();
  const log = (level: 'debug' | 'info' | 'warn' | 'error', m: string) => logger[level](m);
  const ca = flags.caCertFile && flags.caKeyFile ? { certFile: flags.caCertFile, keyFile: flags.caKeyFile } : flags.caSecret ? { secret: { namespace: flags.namespace, name: flags.caSecret } } : { ephemeral: true as const };
  const role = await startWebhookRole({
    client,
    port: flags.port,
    ...(flags.host ? { host: flags.host } : {}),
    names: [...serviceDnsNames(flags.serviceName, flags.namespace), ...flags.tlsSans],
    ca,
    targets: { mutating: flags.mutatingConfigs, validating: flags.validatingConfigs, crds: flags.conversionCrds },
    resyncMs: flags.caBundleResyncMs,
    controllerUsers: new Set(flags.controllerUsers),
    metrics,
    log,
  });
  const monitor = flags.metricsPort > 0 ? await startMonitorServer({ metrics, health, port: flags.metricsPort, ...(flags.metricsHost ? { host: flags.metricsHost } : {}), logger }) : undefined;
  health.setReady(true);
  return {
    ended: new Promise(() => {}),
    stop: async () => {
      health.setReady(false);
      await role.stop();
      await monitor?.close();
    },
  };
}
