// The fields of each generated object the controller owns: what reconcilers compare and write,
// and what the webhook refuses to let others change. Everything else (status, server defaults,
// fields other controllers add) is left alone.
import type { Json } from './types.ts';

interface Generated {
  kind?: string;
  metadata?: { labels?: Record<string, string> };
  spec?: Json;
}

const OWNED_SPEC: Record<string, readonly string[]> = {
  // serviceName, selector, podManagementPolicy and volumeClaimTemplates are immutable in
  // Kubernetes: a change there means re-creating the StatefulSet (see the workload reconciler).
  StatefulSet: ['replicas', 'updateStrategy', 'template', 'revisionHistoryLimit'],
  DaemonSet: ['updateStrategy', 'template', 'minReadySeconds', 'revisionHistoryLimit'],
  Service: ['ports', 'selector', 'clusterIP', 'type'],
  TExitedRecord: [],
  TEndpoint: ['app', 'server', 'subType', 'important', 'tars', 'normal', 'release', 'hostPorts'],
};

export function ownedFields(obj: Generated): { labels: Record<string, string>; spec: Json } {
  const keys = OWNED_SPEC[obj.kind ?? ''];
  if (!keys) throw new Error(`no owned fields defined for kind ${obj.kind}`);
  const spec: Json = {};
  for (const k of keys) spec[k] = obj.spec?.[k];
  return { labels: { ...obj.metadata?.labels }, spec };
}
