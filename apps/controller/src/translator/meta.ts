// What every generated object shares: its name, the two server labels and the controller
// reference to its TServer (so Kubernetes' garbage collector deletes it with the TServer).
import { GROUP, Label, STORAGE_VERSION, type ObjectMeta, type OwnerReference, type TServer } from '@tars-ts/api';

export function serverLabels(ts: TServer): Record<string, string> {
  return { [Label.ServerApp]: ts.spec.app, [Label.ServerName]: ts.spec.server };
}

/** The selector string of a server's pods (TServer `status.selector`, informers). */
export function serverSelector(app: string, server: string): string {
  return `${Label.ServerApp}=${app},${Label.ServerName}=${server}`;
}

export function tserverControllerRef(ts: TServer): OwnerReference {
  return {
    apiVersion: `${GROUP}/${STORAGE_VERSION}`,
    kind: 'TServer',
    name: ts.metadata.name ?? '',
    uid: ts.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function generatedMeta(ts: TServer, extraLabels: Record<string, string> = {}): ObjectMeta {
  return {
    name: ts.metadata.name,
    namespace: ts.metadata.namespace,
    labels: { ...serverLabels(ts), ...extraLabels },
    ownerReferences: [tserverControllerRef(ts)],
  };
}
