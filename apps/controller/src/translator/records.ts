// TServer → TEndpoint (what tarsregistry reads, reference §4.2) and the empty TExitedRecord.
import { type TEndpoint, type TExitedRecord, type TServer } from '@tars-ts/api';
import { generatedMeta } from './meta.ts';

/** The TEndpoint spec: the TServer fields the registry needs, plus the host ports. */
export function endpointSpec(ts: TServer): TEndpoint['spec'] {
  const { spec } = ts;
  const out: TEndpoint['spec'] = { app: spec.app, server: spec.server, subType: spec.subType };
  if (spec.important !== undefined) out.important = spec.important;
  if (spec.tars) out.tars = structuredClone(spec.tars);
  if (spec.normal) out.normal = structuredClone(spec.normal);
  if (spec.release) out.release = structuredClone(spec.release);
  if (spec.k8s.hostPorts?.length) out.hostPorts = structuredClone(spec.k8s.hostPorts);
  return out;
}

export function translateEndpoint(ts: TServer): TEndpoint {
  return { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TEndpoint', metadata: generatedMeta(ts), spec: endpointSpec(ts) };
}

export function translateExitedRecord(ts: TServer): TExitedRecord {
  return { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TExitedRecord', metadata: generatedMeta(ts), app: ts.spec.app, server: ts.spec.server, pods: [] };
}
