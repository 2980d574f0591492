// The translator: TServer + TFrameworkConfig → the Kubernetes objects that run it. Pure.
import type { TEndpoint, TExitedRecord, TFrameworkConfig, TServer } from '@tars-ts/api';
import { translateEndpoint, translateExitedRecord } from './records.ts';
import { translateService } from './service.ts';
import type { DaemonSet, Service, StatefulSet } from './types.ts';
import { translateDaemonSet, translateStatefulSet } from './workload.ts';

export interface Translation {
  /** A StatefulSet, or a DaemonSet when `spec.k8s.daemonSet`. */
  workload: StatefulSet | DaemonSet;
  /** Headless Service; none for DaemonSets (as upstream). */
  service?: Service;
  endpoint: TEndpoint;
  exitedRecord: TExitedRecord;
}

export function translate(ts: TServer, fc: TFrameworkConfig | undefined): Translation {
  const daemonSet = ts.spec.k8s.daemonSet === true;
  const out: Translation = {
    workload: daemonSet ? translateDaemonSet(ts, fc) : translateStatefulSet(ts, fc),
    endpoint: translateEndpoint(ts),
    exitedRecord: translateExitedRecord(ts),
  };
  if (!daemonSet) out.service = translateService(ts);
  return out;
}

export * from './types.ts';
export { translateStatefulSet, translateDaemonSet, volumeClaimTemplates, TARS_STORAGE_CLASS, DELAY_BIND } from './workload.ts';
export { translateService } from './service.ts';
export { translateEndpoint, translateExitedRecord, endpointSpec } from './records.ts';
export { podTemplate, NO_IMAGE, TARSNODE_WORK_DIR, HOST_TIMEZONE } from './pod-template.ts';
export { serverLabels, serverSelector, tserverControllerRef, generatedMeta } from './meta.ts';
export { covers, hashOf, HASH_ANNOTATION } from './compare.ts';
export { ownedFields } from './owned.ts';
