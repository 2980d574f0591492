// The pod template StatefulSets and DaemonSets share (reference §6.2): tarsnode as init container
// for tars servers, the server container, volumes, node affinity and pull secrets.
import { Label, type Mount, type TFrameworkConfig, type TServer } from '@tars-ts/api';
import { serverLabels } from './meta.ts';
import type { Json, PodTemplate } from './types.ts';

export const TARSNODE_WORK_DIR = 'tarsnode-work-dir';
export const TARSNODE_WORK_PATH = '/usr/local/app/tars/tarsnode';
export const HOST_TIMEZONE = 'host-timezone';
/** A server without a release runs this image: a single space, as upstream (pods cannot start). */
export const NO_IMAGE = ' ';
export const NODE_LABEL_PREFIX = 'tars.io/node.';
export const ABILITY_LABEL_PREFIX = 'tars.io/ability.';
export const HOSTNAME_TOPOLOGY = 'kubernetes.io/hostname';

export interface TranslateOptions {
  /** DaemonSets ignore abilityAffinity and notStacked, and cannot mount TLV/PVC templates. */
  daemonSet: boolean;
}

/** Mounts that become volume claim templates (StatefulSet only), not pod volumes. */
export function isClaimMount(m: Mount): boolean {
  return m.source.tLocalVolume !== undefined || m.source.persistentVolumeClaimTemplate !== undefined;
}

function volumeOf(m: Mount): Json {
  const src = m.source;
  const entries = Object.entries(src).filter(([k, v]) => v !== undefined && k !== 'tLocalVolume' && k !== 'persistentVolumeClaimTemplate');
  return { name: m.name, ...Object.fromEntries(entries) };
}

function mountOf(m: Mount): Json {
  const out: Json = { name: m.name, mountPath: m.mountPath };
  if (m.readOnly === true) out.readOnly = true;
  if (m.subPath) out.subPath = m.subPath;
  if (m.mountPropagation) out.mountPropagation = m.mountPropagation;
  if (m.subPathExpr) out.subPathExpr = m.subPathExpr;
  return out;
}

function containerPorts(ts: TServer): Json[] {
  const { spec } = ts;
  const k8s = spec.k8s;
  // Host ports are meaningless with hostNetwork: every container port is a host port then.
  const hostPorts = k8s.hostNetwork === true ? [] : (k8s.hostPorts ?? []);
  const hostPortOf = (name: string) => hostPorts.find((h) => h.nameRef.toLowerCase() === name.toLowerCase())?.port;
  const ports: Json[] = [];
  for (const p of [...(spec.tars?.ports ?? []), ...(spec.normal?.ports ?? [])]) {
    const port: Json = { name: p.name, containerPort: p.port, protocol: p.isTcp === false ? 'UDP' : 'TCP' };
    const host = hostPortOf(p.name);
    if (host !== undefined) port.hostPort = host;
    ports.push(port);
  }
  // Servants are reached through the headless Service; they need a container port only to be
  // published on the node.
  for (const s of spec.tars?.servants ?? []) {
    const host = hostPortOf(s.name);
    if (host === undefined) continue;
    ports.push({ name: `p${host}-${s.port}`, containerPort: s.port, hostPort: host, protocol: s.isTcp === false ? 'UDP' : 'TCP' });
  }
  return ports;
}

function fieldEnv(name: string, fieldPath: string): Json {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}

function tarsnodeContainer(ts: TServer, fc: TFrameworkConfig | undefined): Json {
  const { spec } = ts;
  const env: Json[] = [
    fieldEnv('Namespace', 'metadata.namespace'),
    fieldEnv('PodName', 'metadata.name'),
    fieldEnv('PodIP', 'status.podIP'),
    { name: 'ServerApp', value: spec.app },
    { name: 'ServerName', value: spec.server },
  ];
  const launcher = spec.k8s.launcherType ?? 'background';
  if (launcher !== 'background') env.push({ name: 'LauncherType', value: launcher });
  return {
    name: 'tarsnode',
    image: spec.release?.nodeImage || fc?.nodeImage.image || NO_IMAGE,
    imagePullPolicy: 'Always',
    env,
    volumeMounts: [{ name: TARSNODE_WORK_DIR, mountPath: TARSNODE_WORK_PATH }],
  };
}

function serverContainer(ts: TServer, opts: TranslateOptions): Json {
  const { spec } = ts;
  const k8s = spec.k8s;
  const isTars = spec.subType === 'tars';
  const c: Json = { name: ts.metadata.name, image: spec.release?.image || NO_IMAGE };
  if (k8s.command?.length) c.command = [...k8s.command];
  if (k8s.args?.length) c.args = [...k8s.args];
  if (k8s.env?.length) c.env = structuredClone(k8s.env);
  if (k8s.envFrom?.length) c.envFrom = structuredClone(k8s.envFrom);
  c.imagePullPolicy = k8s.imagePullPolicy ?? 'Always';
  const ports = containerPorts(ts);
  if (ports.length > 0) c.ports = ports;
  const resources = k8s.resources ?? {};
  if (Object.keys(resources).length > 0) c.resources = structuredClone(resources);
  const mounts = (k8s.mounts ?? []).filter((m) => !(opts.daemonSet && isClaimMount(m))).map(mountOf);
  mounts.push({ name: HOST_TIMEZONE, mountPath: '/etc/localtime' });
  if (isTars) mounts.push({ name: TARSNODE_WORK_DIR, mountPath: TARSNODE_WORK_PATH });
  c.volumeMounts = mounts;
  return c;
}

function imagePullSecrets(ts: TServer, fc: TFrameworkConfig | undefined): Json[] | undefined {
  const release = ts.spec.release;
  const names: string[] = [];
  if (release?.secret) names.push(release.secret);
  if (ts.spec.subType === 'tars') {
    const nodeSecret = release?.nodeSecret || fc?.nodeImage.secret;
    if (nodeSecret && !names.includes(nodeSecret)) names.push(nodeSecret);
  }
  return names.length > 0 ? names.map((name) => ({ name })) : undefined;
}

function affinity(ts: TServer, opts: TranslateOptions): Json {
  const { spec } = ts;
  const k8s = spec.k8s;
  const ns = ts.metadata.namespace ?? '';
  const appLabel = `${ABILITY_LABEL_PREFIX}${ns}.${spec.app}`;
  const serverLabel = `${ABILITY_LABEL_PREFIX}${ns}.${spec.app}-${spec.server}`;
  const required: Json[] = [...structuredClone(k8s.nodeSelector ?? []), { key: `${NODE_LABEL_PREFIX}${ns}`, operator: 'Exists' }];
  const nodeAffinity: Json = {};
  let preferred: Json[] | undefined;
  if (!opts.daemonSet) {
    switch (k8s.abilityAffinity ?? 'AppOrServerPreferred') {
      case 'AppRequired':
        required.push({ key: appLabel, operator: 'Exists' });
        break;
      case 'ServerRequired':
        required.push({ key: serverLabel, operator: 'Exists' });
        break;
      case 'AppOrServerPreferred':
        preferred = [
          { weight: 60, preference: { matchExpressions: [{ key: serverLabel, operator: 'Exists' }] } },
          { weight: 30, preference: { matchExpressions: [{ key: appLabel, operator: 'Exists' }] } },
        ];
        break;
      case 'None':
        break;
    }
  }
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchExpressions: required }] };
  if (preferred) nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution = preferred;
  const out: Json = { nodeAffinity };
  if (!opts.daemonSet && k8s.notStacked === true) {
    out.podAntiAffinity = {
      requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: serverLabels(ts) }, namespaces: [ns], topologyKey: HOSTNAME_TOPOLOGY }],
    };
  }
  return out;
}

export function podTemplate(ts: TServer, fc: TFrameworkConfig | undefined, opts: TranslateOptions): PodTemplate {
  const { spec } = ts;
  const k8s = spec.k8s;
  const isTars = spec.subType === 'tars';
  const labels = serverLabels(ts);
  if (spec.release) labels[Label.ServerID] = spec.release.id;

  const volumes: Json[] = (k8s.mounts ?? []).filter((m) => !isClaimMount(m)).map(volumeOf);
  volumes.push({ name: HOST_TIMEZONE, hostPath: { path: '/etc/localtime' } });
  if (isTars) volumes.push({ name: TARSNODE_WORK_DIR, emptyDir: {} });

  const podSpec: PodTemplate['spec'] = { containers: [serverContainer(ts, opts)], volumes };
  if (isTars) podSpec.initContainers = [tarsnodeContainer(ts, fc)];
  if (k8s.readinessGates?.length) podSpec.readinessGates = k8s.readinessGates.map((conditionType) => ({ conditionType }));
  podSpec.restartPolicy = 'Always';
  podSpec.enableServiceLinks = false;
  podSpec.dnsPolicy = k8s.hostNetwork === true ? 'ClusterFirstWithHostNet' : 'ClusterFirst';
  podSpec.dnsConfig = { options: [{ name: 'ndots', value: '2' }] };
  if (k8s.serviceAccount) podSpec.serviceAccountName = k8s.serviceAccount;
  if (k8s.hostNetwork === true) podSpec.hostNetwork = true;
  if (k8s.hostIPC === true) podSpec.hostIPC = true;
  const secrets = imagePullSecrets(ts, fc);
  if (secrets) podSpec.imagePullSecrets = secrets;
  podSpec.affinity = affinity(ts, opts);
  return { metadata: { name: ts.metadata.name ?? '', labels }, spec: podSpec };
}
