// The controller role: informers, one reconciler per concern, started once the caches are synced.
// Leader election (main.ts) decides whether this process runs it at all.
import type { KubeEventRecorder } from '@tars-ts/cluster';
import type { ServiceMetrics } from '@tars-ts/service';
import type { CountingKubeClient } from './counting-client.ts';
import { Informers } from './informers.ts';
import type { Reconciler } from './reconciler.ts';
import { EndpointReconciler } from './reconcilers/endpoint.ts';
import { ExitedRecordReconciler } from './reconcilers/exited-record.ts';
import { NodeReconciler } from './reconcilers/node.ts';
import { ServiceReconciler } from './reconcilers/service.ts';
import { TAccountReconciler } from './reconcilers/taccount.ts';
import { TConfigReconciler } from './reconcilers/tconfig.ts';
import { TImageReconciler } from './reconcilers/timage.ts';
import { TServerStatusReconciler } from './reconcilers/tserver-status.ts';
import { TTreeReconciler } from './reconcilers/ttree.ts';
import { WorkloadReconciler } from './reconcilers/workload.ts';
import type { Log, Runtime } from './runtime.ts';

export interface ControllerOptions {
  client: CountingKubeClient;
  recorder?: KubeEventRecorder;
  metrics?: ServiceMetrics;
  log?: Log;
  /** Maintain the `tars.io/node` label (needs nodes list/watch/patch). Default true. */
  nodes?: boolean;
  /** Only this namespace (default: all namespaces, as upstream). */
  watchNamespace?: string;
  /** Workers of the busiest reconcilers (upstream: StatefulSet 5, TEndpoint 3, status 3). */
  workers?: number;
}

export class Controller {
  readonly informers = new Informers();
  readonly reconcilers: Reconciler[];
  private readonly rt: Runtime;
  private readonly nodes: boolean;
  private readonly watchNamespace: string | undefined;
  private started = false;

  constructor(o: ControllerOptions) {
    this.rt = { client: o.client, log: o.log ?? (() => {}), ...(o.recorder ? { recorder: o.recorder } : {}), ...(o.metrics ? { metrics: o.metrics } : {}) };
    this.nodes = o.nodes ?? true;
    this.watchNamespace = o.watchNamespace;
    const w = o.workers ?? 4;
    const inf = this.informers;
    this.reconcilers = [
      new WorkloadReconciler(this.rt, inf, w),
      new ServiceReconciler(this.rt, inf, w),
      new EndpointReconciler(this.rt, inf, w),
      new TServerStatusReconciler(this.rt, inf, w),
      new ExitedRecordReconciler(this.rt, inf, 2),
      new TConfigReconciler(this.rt, inf, 2),
      new TTreeReconciler(this.rt, inf, 1),
      new TAccountReconciler(this.rt, inf, 1),
      new TImageReconciler(this.rt, inf, 1),
    ];
    if (this.nodes) this.reconcilers.push(new NodeReconciler(this.rt, inf, 1));
    const writes = o.metrics?.counter('tars_controller_writes_total', 'Writes the controller sent to the API server (result ok or refused)', ['verb', 'resource', 'result']);
    if (writes) o.client.onWrite((verb, resource, ok) => writes.inc({ verb, resource, result: ok ? 'ok' : 'refused' }));
  }

  /** Starts the informers, waits for their first lists, then the work queues. */
  async start(syncTimeoutMs = 120_000): Promise<void> {
    if (this.started) throw new Error('controller already started');
    this.started = true;
    for (const r of this.reconcilers) r.subscribe();
    this.informers.start(this.rt.client, this.rt.log, { nodes: this.nodes, ...(this.watchNamespace ? { namespace: this.watchNamespace } : {}) });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.informers.synced({ nodes: this.nodes }),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`informers not synced within ${syncTimeoutMs} ms`)), syncTimeoutMs))),
    ]).finally(() => clearTimeout(timer));
    for (const r of this.reconcilers) r.start();
    this.rt.log('info', `controller started: ${this.reconcilers.map((r) => r.name).join(', ')}`);
  }

  /** Keys waiting or being worked on in all queues (0 = settled, for tests and the bench). */
  pending(): number {
    return this.reconcilers.reduce((n, r) => n + r.queue.length, 0);
  }

  /** Keys being worked on right now. */
  busy(): number {
    return this.reconcilers.reduce((n, r) => n + r.active, 0);
  }

  async stop(): Promise<void> {
    await Promise.all(this.reconcilers.map((r) => r.stop()));
    await this.informers.stop();
  }
}
