// TServer → StatefulSet (reference §6.1) or DaemonSet (§6.3), and the volume claim templates.
import { Label, type TFrameworkConfig, type TLocalVolume, type TServer } from '@tars-ts/api';
import { generatedMeta, serverLabels } from './meta.ts';
import { podTemplate } from './pod-template.ts';
import type { DaemonSet, Json, StatefulSet, VolumeClaimTemplate } from './types.ts';

export const TARS_STORAGE_CLASS = 'tars-storage-class';
/** Placeholder claim that pins each ordinal of a host-bound server to the node it first ran on. */
export const DELAY_BIND = 'delay-bind';

/** Ownership and mode of a local volume directory, read by tars-agent from the PVC. */
export const LocalVolumeAnnotation = { UID: 'tars.io/LocalVolumeUID', GID: 'tars.io/LocalVolumeGID', Mode: 'tars.io/LocalVolumeMode' } as const;

function localVolumeClaim(ts: TServer, name: string, tlv?: TLocalVolume): VolumeClaimTemplate {
  const labels = { ...serverLabels(ts), [Label.LocalVolume]: name };
  // Claims made from the template inherit these, so the agent sees them on every PVC (upstream
  // needed a PVC reconciler for this, and wrote the mode under the wrong key).
  const annotations = tlv ? { [LocalVolumeAnnotation.UID]: tlv.uid ?? '0', [LocalVolumeAnnotation.GID]: tlv.gid ?? '0', [LocalVolumeAnnotation.Mode]: tlv.mode ?? '755' } : undefined;
  return {
    metadata: annotations ? { name, labels, annotations } : { name, labels },
    spec: {
      accessModes: ['ReadWriteOnce'],
      selector: { matchLabels: { ...labels } },
      resources: { requests: { storage: '1G' } },
      storageClassName: TARS_STORAGE_CLASS,
      volumeMode: 'Filesystem',
    },
  };
}

export function volumeClaimTemplates(ts: TServer): VolumeClaimTemplate[] {
  const k8s = ts.spec.k8s;
  const out: VolumeClaimTemplate[] = [];
  for (const m of k8s.mounts ?? []) {
    const pvct = m.source.persistentVolumeClaimTemplate;
    if (pvct) out.push({ metadata: { ...structuredClone(pvct.metadata ?? {}), name: m.name }, spec: structuredClone(pvct.spec) as Json });
    else if (m.source.tLocalVolume) out.push(localVolumeClaim(ts, m.name, m.source.tLocalVolume));
  }
  if (k8s.hostIPC === true || k8s.hostNetwork === true || (k8s.hostPorts?.length ?? 0) > 0) out.push(localVolumeClaim(ts, DELAY_BIND));
  return out;
}

export function statefulSetUpdateStrategy(ts: TServer): Json {
  const us = ts.spec.k8s.updateStrategy ?? {};
  const type = us.type ?? 'RollingUpdate';
  // Kubernetes refuses rollingUpdate settings with OnDelete.
  return type === 'RollingUpdate' ? { type, rollingUpdate: { partition: us.rollingUpdate?.partition ?? 0 } } : { type };
}

export function translateStatefulSet(ts: TServer, fc: TFrameworkConfig | undefined): StatefulSet {
  const k8s = ts.spec.k8s;
  const sts: StatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: generatedMeta(ts),
    spec: {
      replicas: k8s.replicas ?? 0,
      serviceName: ts.metadata.name ?? '',
      podManagementPolicy: k8s.podManagementPolicy ?? 'Parallel',
      revisionHistoryLimit: 1,
      updateStrategy: statefulSetUpdateStrategy(ts),
      selector: { matchLabels: serverLabels(ts) },
      template: podTemplate(ts, fc, { daemonSet: false }),
    },
  };
  const vcts = volumeClaimTemplates(ts);
  if (vcts.length > 0) sts.spec.volumeClaimTemplates = vcts;
  return sts;
}

export function daemonSetUpdateStrategy(ts: TServer): Json {
  const us = ts.spec.k8s.updateStrategy ?? {};
  const type = us.type ?? 'RollingUpdate';
  const partition = us.rollingUpdate?.partition;
  if (type === 'RollingUpdate' && partition !== undefined) return { type, rollingUpdate: { maxUnavailable: Math.max(partition, 1) } };
  return { type };
}

export function translateDaemonSet(ts: TServer, fc: TFrameworkConfig | undefined): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: generatedMeta(ts),
    spec: {
      selector: { matchLabels: serverLabels(ts) },
      template: podTemplate(ts, fc, { daemonSet: true }),
      updateStrategy: daemonSetUpdateStrategy(ts),
      minReadySeconds: 3,
      revisionHistoryLimit: 1,
    },
  };
}
