// Test objects shaped as the controller writes them (TEndpoint spec copied from the TServer,
// status.pods with the states the registry splits on).
import type { TEndpoint, TTemplate } from '@tars-ts/api';

export interface PodSpec {
  name: string;
  podIP?: string;
  setting?: string;
  present?: string;
}

export interface ServantSpec {
  name: string;
  port: number;
  timeout?: number;
  isTcp?: boolean;
  isTars?: boolean;
  thread?: number;
}

export function tendpoint(app: string, server: string, servants: ServantSpec[], pods: PodSpec[], extra: { profile?: string; template?: string } = {}): TEndpoint {
  return {
    apiVersion: 'k8s.tars.io/v1beta3',
    kind: 'TEndpoint',
    metadata: { name: `${app.toLowerCase()}-${server.toLowerCase()}` },
    spec: {
      app,
      server,
      subType: 'tars',
      tars: {
        template: extra.template ?? 'tars.cpp',
        ...(extra.profile ? { profile: extra.profile } : {}),
        asyncThread: 3,
        servants: servants.map((s) => ({
          name: s.name,
          port: s.port,
          thread: s.thread ?? 3,
          capacity: 10000,
          connection: 10000,
          timeout: s.timeout ?? 60000,
          isTars: s.isTars ?? true,
          isTcp: s.isTcp ?? true,
        })),
      },
    },
    status: {
      // fields left out rather than "": the test kube-apiserver reads "" in a CR status as null
      pods: pods.map((p) => ({
        name: p.name,
        ...(p.podIP ? { podIP: p.podIP } : {}),
        settingState: p.setting ?? 'Active',
        presentState: p.present ?? 'Active',
      })),
    },
  } as TEndpoint;
}

export function ttemplate(name: string, parent: string, content: string): TTemplate {
  return { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TTemplate', metadata: { name }, spec: { parent, content } } as TTemplate;
}
