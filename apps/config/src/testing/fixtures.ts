// TConfig objects as the mutating webhook leaves them (labels mirroring the fields).
import type { TConfig } from '@tars-ts/api';

let serial = 0;

export function tconfig(fields: { app: string; server?: string; configName: string; content: string; podSeq?: string; activated?: boolean; name?: string; updateTime?: string; labels?: Record<string, string> }): TConfig {
  const server = fields.server ?? '';
  const podSeq = fields.podSeq ?? 'm';
  const activated = fields.activated ?? true;
  return {
    apiVersion: 'k8s.tars.io/v1beta3',
    kind: 'TConfig',
    metadata: {
      name: fields.name ?? `tc-${++serial}`,
      labels: {
        'tars.io/ServerApp': fields.app,
        'tars.io/ServerName': server,
        'tars.io/ConfigName': fields.configName,
        'tars.io/PodSeq': podSeq,
        'tars.io/Activated': String(activated),
        ...fields.labels,
      },
    },
    app: fields.app,
    server,
    configName: fields.configName,
    configContent: fields.content,
    podSeq,
    activated,
    updateTime: fields.updateTime ?? '2026-01-01T00:00:00Z',
  } as TConfig;
}
