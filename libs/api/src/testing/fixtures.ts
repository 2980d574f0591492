// Test support: valid objects as the API server would hand them to admission (schema defaults in).
import { normalize } from '../schema/lookup.ts';
import type { TServer } from '../kinds/tserver/v1beta3.ts';
import type { TConfig } from '../kinds/tconfig.ts';
import type { TFrameworkConfig } from '../kinds/tframeworkconfig/v1beta3.ts';

export function tarsServer(): TServer {
  return normalize<TServer>({
    apiVersion: 'k8s.tars.io/v1beta3',
    kind: 'TServer',
    metadata: { name: 'test-helloserver', namespace: 'tars' },
    spec: {
      app: 'Test',
      server: 'HelloServer',
      subType: 'tars',
      tars: { template: 'tars.cpp', servants: [{ name: 'HelloObj', port: 10000 }] },
      k8s: {},
    },
  });
}

export function normalServer(): TServer {
  return normalize<TServer>({
    apiVersion: 'k8s.tars.io/v1beta3',
    kind: 'TServer',
    metadata: { name: 'test-web', namespace: 'tars' },
    spec: {
      app: 'Test',
      server: 'Web',
      subType: 'normal',
      normal: { ports: [{ name: 'http', port: 8080 }] },
      k8s: {},
    },
  });
}

export function frameworkConfig(): TFrameworkConfig {
  return normalize<TFrameworkConfig>({
    apiVersion: 'k8s.tars.io/v1beta3',
    kind: 'TFrameworkConfig',
    metadata: { name: 'tars-framework', namespace: 'tars' },
    imageBuild: { executor: { image: 'registry/tars.tarskaniko:v1' } },
    imageUpload: { registry: 'registry/upload' },
    nodeImage: { image: 'registry/tars.tarsnode:v1', secret: 'tars-image-secret' },
  });
}

export function tconfig(fields: Partial<TConfig> & { name: string; labels?: Record<string, string> }): TConfig {
  const { name, labels, ...rest } = fields;
  return normalize<TConfig>({
    apiVersion: 'k8s.tars.io/v1beta3',
    kind: 'TConfig',
    metadata: { name, namespace: 'tars', ...(labels ? { labels } : {}) },
    app: 'Test',
    server: 'HelloServer',
    configName: 'app.conf',
    configContent: 'x=1',
    ...rest,
  });
}
