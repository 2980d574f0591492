// "No kubelet": in standalone mode the framework services and the servers the node agent runs are
// local processes, so their pods are written here. A pod's Ready condition follows its readiness
// gate `tars.io/active` (which the registry sets from the node agent's state reports), as the
// kubelet does on Kubernetes. A pod's TEndpoint entry is the controller's (endpoint-sync.ts).
import { Label, TARS_ACTIVE_GATE } from '@tars-ts/api';
import type { Pod, PodCondition } from '@tars-ts/cluster';

export const READY = 'Ready';
const CONTAINERS_READY = 'ContainersReady';

/** `lower(app)-lower(server)-<ordinal>`: the StatefulSet pod name of upstream. */
export function localPodName(app: string, server: string, ordinal = 0): string {
  return `${app.toLowerCase()}-${server.toLowerCase()}-${ordinal}`;
}

export interface LocalPodOptions {
  app: string;
  server: string;
  ordinal?: number;
  podIP: string;
  /** In-process services are active from the start; agent-run servers wait for the registry's report. */
  active?: { pid: number };
  serverId?: string;
}

export function localPod(o: LocalPodOptions): Pod {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const cond = (type: string, status: boolean, reason?: string): PodCondition => ({
    type,
    status: status ? 'True' : 'False',
    lastTransitionTime: now,
    ...(reason ? { reason } : {}),
  });
  const active = o.active !== undefined;
  const labels: Record<string, string> = { [Label.ServerApp]: o.app, [Label.ServerName]: o.server };
  if (o.serverId) labels[Label.ServerID] = o.serverId;
  const conditions = [cond('PodScheduled', true), cond('Initialized', true), cond(CONTAINERS_READY, active), cond(READY, active)];
  if (o.active) conditions.push(cond(TARS_ACTIVE_GATE, true, `Active/Active/${o.active.pid}`));
  return {
    metadata: { name: localPodName(o.app, o.server, o.ordinal), labels },
    spec: { containers: [{ name: `${o.app}-${o.server}`.toLowerCase() }], readinessGates: [{ conditionType: TARS_ACTIVE_GATE }] },
    status: { phase: 'Running', podIP: o.podIP, hostIP: o.podIP, startTime: now, conditions },
  };
}

/** What the kubelet would set Ready to: every readiness gate True (the containers are running: the agent owns them). */
export function readyFromGates(pod: Pod): boolean {
  const gates = pod.spec?.readinessGates ?? [];
  const conditions = pod.status?.conditions ?? [];
  return gates.every((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True');
}

/** Conditions to change so Ready (and ContainersReady) follow the gates; empty when in step. */
export function readinessChanges(pod: Pod): { type: string; status: 'True' | 'False' }[] {
  const want = readyFromGates(pod) ? 'True' : 'False';
  const conditions = pod.status?.conditions ?? [];
  return [READY, CONTAINERS_READY]
    .filter((type) => conditions.find((c) => c.type === type)?.status !== want)
    .map((type) => ({ type, status: want }));
}
