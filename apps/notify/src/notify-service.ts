/**
 * The notify service without a host: limiter, servant, and (with a cluster) the pod-name watch.
 * main.ts puts it on a ServiceHost; the standalone app and tests call startNotifyService.
 */
// Types only: the cluster library (and the Kubernetes client it loads) is needed only with a cluster.
import type { ClusterState, Pod, Watch } from '@tars-ts/cluster';
import { serveService, type ServedServant } from '@tars-ts/monitoring';
import type { Logger } from '@tars-ts/rpc';
import type { MonitorStore } from '@tars-ts/storage';
import { NotifyServant, type NotifyCounters, type PodNameOf } from './notify-servant.ts';
import { PodNames, watchPodNames } from './pod-names.ts';
import { DEFAULT_NOTIFY_LIMIT, NotifyRateLimiter, type NotifyLimit } from './rate-limit.ts';

/** The K8S edition's object name (tarsnotify, port 13111). */
export const NOTIFY_SERVANT = 'tars.tarsnotify.NotifyObj';
export const NOTIFY_DEFAULT_ENDPOINT = 'tcp -h 0.0.0.0 -p 13111 -t 60000';

export interface NotifyServiceOptions {
  store: Pick<MonitorStore, 'writeNotify' | 'flush'>;
  logger: Logger;
  /** Per `app.server`; default 300 messages per 300 s. */
  limit?: NotifyLimit;
  /** Resolve caller IPs to pod names from this cluster's pods (K8S edition behaviour). */
  cluster?: Pick<ClusterState, 'pods'>;
  /** Or any other resolver (tests); ignored when `cluster` is given. */
  podNameOf?: PodNameOf;
  clock?: () => number;
  /** Zone of `notifyTime`; default the process's. */
  utcOffsetMinutes?: number;
}

export interface NotifyService {
  readonly servant: NotifyServant;
  counters(): NotifyCounters & { trackedServers: number };
  /** Resolves once the pod watch (if any) has its initial list. */
  ready(timeoutMs?: number): Promise<void>;
  /** Stops the pod watch and waits until every accepted notification is written. */
  stop(): Promise<void>;
}

export function createNotifyService(o: NotifyServiceOptions): NotifyService {
  const limiter = new NotifyRateLimiter(o.limit ?? DEFAULT_NOTIFY_LIMIT);
  let watch: Watch<Pod> | undefined;
  let podNameOf = o.podNameOf;
  if (o.cluster) {
    const names = new PodNames();
    watch = watchPodNames(o.cluster, names);
    podNameOf = names.nameOf;
  }
  const servant = new NotifyServant({ store: o.store, limiter, logger: o.logger, podNameOf, clock: o.clock, utcOffsetMinutes: o.utcOffsetMinutes });
  return {
    servant,
    counters: () => ({ ...servant.counters, trackedServers: limiter.tracked }),
    ready: async (timeoutMs = 30_000) => {
      if (watch) await withTimeout(watch.synced, timeoutMs, 'the pod watch did not sync');
    },
    stop: async () => {
      await watch?.stop();
      await o.store.flush();
    },
  };
}

/** `proxyString` is `tars.tarsnotify.NotifyObj@tcp -h H -p P` (the actual port when 0 was asked for). */
export interface RunningNotifyService extends NotifyService, ServedServant {}

/** Serves NotifyObj on its own RPC server (standalone mode, tests). The store stays the caller's to close. */
export async function startNotifyService(o: NotifyServiceOptions & { endpoint?: string; servantName?: string }): Promise<RunningNotifyService> {
  const svc = createNotifyService(o);
  const name = o.servantName ?? NOTIFY_SERVANT;
  try {
    await svc.ready();
  } catch (e) {
    await svc.stop();
    throw e;
  }
  // Calls in flight finish first on stop, then everything accepted is written.
  return serveService(svc, { name, endpoint: o.endpoint ?? NOTIFY_DEFAULT_ENDPOINT, logger: o.logger });
}

async function withTimeout(p: Promise<void>, ms: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
