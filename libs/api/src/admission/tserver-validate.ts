// The validating-webhook rules for TServer (v1beta3), on create (old undefined) and update.
import { fieldError, type FieldError } from '../errors.ts';
import { MAX_TSERVER_NAME, RESERVED_NODE_PORT } from '../meta/constants.ts';
import { tserverName } from '../meta/names.ts';
import type { TServer } from '../kinds/tserver/v1beta3.ts';
import { duplicates } from './common.ts';

export interface TServerValidationContext {
  /** Names of the TTemplates in the TServer's namespace. */
  templates: ReadonlySet<string>;
}

/** Volumes the translator adds to every pod; a mount of the same name would clash. */
export const RESERVED_MOUNT_NAMES = ['host-timezone', 'tarsnode-work-dir', 'delay-bind'] as const;

interface NamedPort {
  name: string;
  port: number;
  path: string;
}

export function validateTServer(obj: TServer, old: TServer | undefined, ctx: TServerValidationContext): FieldError[] {
  const errors: FieldError[] = [];
  const { spec } = obj;
  const name = obj.metadata.name ?? '';

  if (old !== undefined) {
    for (const field of ['app', 'server', 'subType'] as const) {
      if (spec[field] !== old.spec[field]) errors.push(fieldError(`spec.${field}`, `is immutable (was ${JSON.stringify(old.spec[field])})`));
    }
    if (spec.tars !== undefined && old.spec.tars === undefined) errors.push(fieldError('spec.tars', 'cannot be added to an existing TServer'));
    if (spec.normal !== undefined && old.spec.normal === undefined) errors.push(fieldError('spec.normal', 'cannot be added to an existing TServer'));
  }

  const expected = tserverName(spec.app, spec.server);
  if (name !== expected) errors.push(fieldError('metadata.name', `unexpected resource name ${JSON.stringify(name)}, want ${JSON.stringify(expected)}`));
  if (name.length >= MAX_TSERVER_NAME) errors.push(fieldError('metadata.name', `must be shorter than ${MAX_TSERVER_NAME} characters`));

  if (spec.subType === 'tars' && spec.tars === undefined) errors.push(fieldError('spec.tars', 'is required when subType is "tars"'));
  if (spec.subType === 'normal' && spec.normal === undefined) errors.push(fieldError('spec.normal', 'is required when subType is "normal"'));

  const ports: NamedPort[] = [];
  if (spec.tars !== undefined) {
    spec.tars.servants.forEach((s, i) => ports.push({ name: s.name, port: s.port, path: `spec.tars.servants[${i}]` }));
    (spec.tars.ports ?? []).forEach((p, i) => ports.push({ name: p.name, port: p.port, path: `spec.tars.ports[${i}]` }));
    if (!ctx.templates.has(spec.tars.template)) errors.push(fieldError('spec.tars.template', `TTemplate ${JSON.stringify(spec.tars.template)} does not exist`));
    for (const p of ports) {
      if (p.port === RESERVED_NODE_PORT) errors.push(fieldError(`${p.path}.port`, `port ${RESERVED_NODE_PORT} is reserved for tarsnode`));
    }
  }
  if (spec.normal !== undefined) {
    spec.normal.ports.forEach((p, i) => ports.push({ name: p.name, port: p.port, path: `spec.normal.ports[${i}]` }));
  }
  checkUniquePorts(ports, errors);
  checkHostPorts(obj, ports, errors);
  checkMounts(obj, errors);
  return errors;
}

function checkUniquePorts(ports: readonly NamedPort[], errors: FieldError[]): void {
  const byName = new Map<string, NamedPort>();
  const byPort = new Map<number, NamedPort>();
  for (const p of ports) {
    const key = p.name.toLowerCase();
    const sameName = byName.get(key);
    if (sameName !== undefined) errors.push(fieldError(`${p.path}.name`, `duplicate name ${JSON.stringify(p.name)} (names are case-insensitive), also at ${sameName.path}`));
    else byName.set(key, p);
    const samePort = byPort.get(p.port);
    if (samePort !== undefined) errors.push(fieldError(`${p.path}.port`, `duplicate port ${p.port}, also at ${samePort.path}`));
    else byPort.set(p.port, p);
  }
}

function checkHostPorts(obj: TServer, ports: readonly NamedPort[], errors: FieldError[]): void {
  const hostPorts = obj.spec.k8s.hostPorts ?? [];
  const known = new Set(ports.map((p) => p.name.toLowerCase()));
  hostPorts.forEach((h, i) => {
    if (!known.has(h.nameRef.toLowerCase())) errors.push(fieldError(`spec.k8s.hostPorts[${i}].nameRef`, `${JSON.stringify(h.nameRef)} names no servant or port`));
  });
  for (const ref of duplicates(hostPorts.map((h) => h.nameRef.toLowerCase()))) {
    errors.push(fieldError('spec.k8s.hostPorts', `nameRef ${JSON.stringify(ref)} is used more than once`));
  }
  for (const port of duplicates(hostPorts.map((h) => h.port))) {
    errors.push(fieldError('spec.k8s.hostPorts', `host port ${port} is used more than once`));
  }
}

/** A relative path that stays inside the volume: what kubelet requires of subPath. */
function subPathProblem(subPath: string): string | undefined {
  if (subPath.startsWith('/')) return 'must be a relative path';
  if (subPath.split('/').includes('..')) return "must not contain '..'";
  return undefined;
}

function checkMounts(obj: TServer, errors: FieldError[]): void {
  const mounts = obj.spec.k8s.mounts ?? [];
  for (const name of duplicates(mounts.map((m) => m.name))) errors.push(fieldError('spec.k8s.mounts', `mount name ${JSON.stringify(name)} is used more than once`));
  mounts.forEach((m, i) => {
    const path = `spec.k8s.mounts[${i}]`;
    if ((RESERVED_MOUNT_NAMES as readonly string[]).includes(m.name)) errors.push(fieldError(`${path}.name`, `${JSON.stringify(m.name)} is reserved for a volume the controller adds`));
    if (obj.spec.k8s.daemonSet === true) {
      if (m.source.tLocalVolume !== undefined) errors.push(fieldError(`${path}.source.tLocalVolume`, 'is not supported when daemonSet is true'));
      if (m.source.persistentVolumeClaimTemplate !== undefined) errors.push(fieldError(`${path}.source.persistentVolumeClaimTemplate`, 'is not supported when daemonSet is true'));
    }
    if (m.subPath !== undefined && m.subPath !== '') {
      const problem = subPathProblem(m.subPath);
      if (problem !== undefined) errors.push(fieldError(`${path}.subPath`, problem));
    }
  });
}
