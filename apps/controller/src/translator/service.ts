// TServer → headless Service (reference §6.4): one port per servant and per declared port.
import type { TServer } from '@tars-ts/api';
import { generatedMeta, serverLabels } from './meta.ts';
import type { Service, ServicePort } from './types.ts';

export function translateService(ts: TServer): Service {
  const { spec } = ts;
  const port = (name: string, p: number, isTcp: boolean | undefined): ServicePort => ({
    name: name.toLowerCase(),
    port: p,
    targetPort: p,
    protocol: isTcp === false ? 'UDP' : 'TCP',
  });
  const ports = [
    ...(spec.tars?.servants ?? []).map((s) => port(s.name, s.port, s.isTcp)),
    ...(spec.tars?.ports ?? []).map((p) => port(p.name, p.port, p.isTcp)),
    ...(spec.normal?.ports ?? []).map((p) => port(p.name, p.port, p.isTcp)),
  ];
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: generatedMeta(ts),
    spec: { type: 'ClusterIP', clusterIP: 'None', selector: serverLabels(ts), ports },
  };
}
