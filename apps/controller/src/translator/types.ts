// The Kubernetes objects the translator produces, reduced to the fields it sets. Plain JSON shapes
// (no client library types): the translator stays pure and its output is what goes on the wire.
import type { ObjectMeta } from '@tars-ts/api';

export type Json = Record<string, unknown>;

export interface PodTemplate {
  metadata: { name: string; labels: Record<string, string> };
  spec: Json & { containers: Json[]; initContainers?: Json[]; volumes: Json[] };
}

export interface StatefulSet {
  apiVersion: 'apps/v1';
  kind: 'StatefulSet';
  metadata: ObjectMeta;
  spec: {
    replicas: number;
    serviceName: string;
    podManagementPolicy: string;
    revisionHistoryLimit: number;
    updateStrategy: Json;
    selector: { matchLabels: Record<string, string> };
    template: PodTemplate;
    volumeClaimTemplates?: VolumeClaimTemplate[];
  };
}

export interface DaemonSet {
  apiVersion: 'apps/v1';
  kind: 'DaemonSet';
  metadata: ObjectMeta;
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: PodTemplate;
    updateStrategy: Json;
    minReadySeconds: number;
    revisionHistoryLimit: number;
  };
}

export interface VolumeClaimTemplate {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: Json;
}

export interface ServicePort {
  name: string;
  port: number;
  targetPort: number;
  protocol: 'TCP' | 'UDP';
}

export interface Service {
  apiVersion: 'v1';
  kind: 'Service';
  metadata: ObjectMeta;
  spec: { type: 'ClusterIP'; clusterIP: 'None'; selector: Record<string, string>; ports: ServicePort[] };
}
