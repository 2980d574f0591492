// The controller's informers: every tars kind (v1beta3) and, filtered to objects carrying the
// tars server labels, the workloads, Services and pods it generates or reads; Nodes unfiltered.
import { Label, type TAccount, type TConfig, type TEndpoint, type TExitedRecord, type TFrameworkConfig, type TImage, type TServer, type TTree } from '@tars-ts/api';
import { Resources, tarsResource, type KubeObject, type Pod } from '@tars-ts/cluster';
import type { CountingKubeClient } from './counting-client.ts';
import { SharedInformer, dropManagedFields, type Log } from './runtime.ts';

/**
 * Empties a nested object in place before dropping it: the informer underneath
 * (@kubernetes/client-node's ListWatch) keeps its own copy that shares nested objects with ours,
 * so only an in-place clear frees the memory in both.
 */
function clear(holder: Record<string, unknown>, key: string): void {
  const v = holder[key];
  if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) delete (v as Record<string, unknown>)[k];
  delete holder[key];
}

/** Workloads: their status is not read (TServer status comes from the pods). */
function slimWorkload(o: WorkloadObject): void {
  dropManagedFields(o);
  clear(o as unknown as Record<string, unknown>, 'status');
}

/** Pods: labels, timestamps and status are read; the spec (often the bulk) is not. */
function slimPod(p: Pod): void {
  dropManagedFields(p);
  clear(p as unknown as Record<string, unknown>, 'spec');
}

export const SERVER_LABELS_EXIST = `${Label.ServerApp},${Label.ServerName}`;

export interface WorkloadObject extends KubeObject {
  spec?: Record<string, unknown> & { volumeClaimTemplates?: { metadata?: { name?: string; labels?: Record<string, string> }; spec?: unknown }[] };
  status?: Record<string, unknown>;
}

export interface NodeObject extends KubeObject {
  spec?: Record<string, unknown>;
}

export class Informers {
  readonly tservers = new SharedInformer<TServer>(tarsResource('TServer'));
  readonly frameworkConfigs = new SharedInformer<TFrameworkConfig>(tarsResource('TFrameworkConfig'));
  readonly endpoints = new SharedInformer<TEndpoint>(tarsResource('TEndpoint'));
  readonly exitedRecords = new SharedInformer<TExitedRecord>(tarsResource('TExitedRecord'));
  readonly tconfigs = new SharedInformer<TConfig>(tarsResource('TConfig'));
  readonly trees = new SharedInformer<TTree>(tarsResource('TTree'));
  readonly accounts = new SharedInformer<TAccount>(tarsResource('TAccount'));
  readonly images = new SharedInformer<TImage>(tarsResource('TImage'));
  readonly statefulSets = new SharedInformer<WorkloadObject>(Resources.StatefulSet, slimWorkload);
  readonly daemonSets = new SharedInformer<WorkloadObject>(Resources.DaemonSet, slimWorkload);
  readonly services = new SharedInformer<WorkloadObject>(Resources.Service, slimWorkload);
  readonly pods = new SharedInformer<Pod>(Resources.Pod, slimPod);
  readonly nodes = new SharedInformer<NodeObject>(Resources.Node);

  private all(): SharedInformer<KubeObject>[] {
    return [
      this.tservers, this.frameworkConfigs, this.endpoints, this.exitedRecords, this.tconfigs, this.trees,
      this.accounts, this.images, this.statefulSets, this.daemonSets, this.services, this.pods, this.nodes,
    ] as unknown as SharedInformer<KubeObject>[];
  }

  start(client: CountingKubeClient, log: Log, options: { nodes: boolean; namespace?: string }): void {
    const onError = (what: string) => (e: unknown) => log('warn', `informer ${what}: ${(e as Error)?.message ?? String(e)}; retrying`);
    const labelled = new Set<SharedInformer<KubeObject>>([this.statefulSets, this.daemonSets, this.services, this.pods] as unknown as SharedInformer<KubeObject>[]);
    for (const inf of this.all()) {
      if (inf === (this.nodes as unknown) && !options.nodes) continue;
      inf.start(client, {
        ...(labelled.has(inf) ? { labelSelector: SERVER_LABELS_EXIST } : {}),
        ...(options.namespace ? { namespace: options.namespace } : {}),
        onError: onError(inf.ref.plural),
      });
    }
  }

  async synced(options: { nodes: boolean }): Promise<void> {
    await Promise.all(this.all().filter((i) => options.nodes || i !== (this.nodes as unknown)).map((i) => i.synced));
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map((i) => i.stop()));
  }
}
