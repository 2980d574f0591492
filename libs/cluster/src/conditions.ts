// The pod condition tarsregistry maintains (reference: K8SFramework §9.1, framework-services §8.4):
// type `tars.io/active`, status True iff setting and present state are both `Active`, reason
// `<setting>/<present>/<pid>`. The controller reads it back into TEndpoint status.
import { TARS_ACTIVE_GATE } from '@tars-ts/api';
import type { ClusterState } from './port.ts';
import type { ConditionStatus, Pod, PodCondition } from './types.ts';

export function activeConditionStatus(settingState: string, presentState: string): ConditionStatus {
  return settingState === 'Active' && presentState === 'Active' ? 'True' : 'False';
}

/** `Registry.updateServerState(podName, setting, present)` with the caller's PID from the request context. */
export function reportServerState(cluster: ClusterState, podName: string, settingState: string, presentState: string, pid?: string): Promise<Pod> {
  const reason = pid === undefined ? `${settingState}/${presentState}` : `${settingState}/${presentState}/${pid}`;
  return cluster.patchPodCondition(podName, TARS_ACTIVE_GATE, activeConditionStatus(settingState, presentState), reason);
}

export function podCondition(pod: Pod, type: string): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}
