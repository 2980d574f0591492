// A pod's state as TEndpoint.status.pods[] reports it (reference §5.2 buildPodStatus): what
// tarsregistry answers QueryF with, and what tarsweb shows.
import { Label, TARS_ACTIVE_GATE, type TEndpointPodStatus } from '@tars-ts/api';
import type { Pod, PodCondition } from '@tars-ts/cluster';

const ORDER = ['PodScheduled', 'Initialized', 'ContainersReady'];

/** `<setting>/<present>/<pid>` as tarsregistry writes it; one part sets only the setting state. */
function split(reason: string | undefined): { setting: string; present?: string; pid?: string } | undefined {
  if (!reason) return undefined;
  const parts = reason.split('/');
  if (parts.length === 1) return { setting: parts[0] ?? '' };
  if (parts.length > 3) return { setting: 'Unknown', present: 'Unknown' };
  return { setting: parts[0] ?? '', present: parts[1] ?? '', pid: parts[2] ?? '' };
}

export function podState(pod: Pod): TEndpointPodStatus {
  const st: TEndpointPodStatus = {
    uid: pod.metadata.uid ?? '',
    name: pod.metadata.name ?? '',
    id: pod.metadata.labels?.[Label.ServerID] ?? '',
    pid: '',
    podIP: pod.status?.podIP ?? '',
    hostIP: pod.status?.hostIP ?? '',
    settingState: 'Active',
    presentState: '',
    presentMessage: '',
  };
  if (pod.metadata.creationTimestamp) st.startTime = pod.metadata.creationTimestamp;
  if (pod.status?.containerStatuses?.length) st.containerStatuses = structuredClone(pod.status.containerStatuses);
  const conditions = pod.status?.conditions ?? [];
  const active = conditions.find((c) => c.type === TARS_ACTIVE_GATE);
  if (pod.metadata.deletionTimestamp) {
    st.presentState = 'Terminating';
    st.presentMessage = `pod/${st.name} is terminating`;
    return st;
  }
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') {
    st.settingState = 'Active';
    st.presentState = 'Active';
    st.presentMessage = ready.message ?? '';
    st.pid = split(active?.reason)?.pid ?? '';
    return st;
  }
  const rest = conditions.filter((c) => c.type !== 'Ready' && c.type !== TARS_ACTIVE_GATE);
  const ordered: PodCondition[] = [
    ...ORDER.map((t) => rest.find((c) => c.type === t)).filter((c): c is PodCondition => c !== undefined),
    ...rest.filter((c) => !ORDER.includes(c.type)),
  ];
  const pending = ordered.find((c) => c.status !== 'True');
  if (pending) {
    st.presentState = pending.reason ?? pending.type;
    st.presentMessage = pending.message ?? '';
  } else if (ordered.length > 0) {
    st.presentState = ordered[ordered.length - 1]?.type ?? '';
  }
  const parts = split(active?.reason);
  if (parts) {
    st.settingState = parts.setting;
    if (parts.present !== undefined) st.presentState = parts.present;
    if (parts.pid !== undefined) st.pid = parts.pid;
    if (active?.message) st.presentMessage = active.message;
  }
  return st;
}
