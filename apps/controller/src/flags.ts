// Command line of the one image: `controller` or `webhook` role, and each role's flags.
import { parseArgs } from 'node:util';
import { CONTROLLER_USER, CONVERSION_WEBHOOK_CRDS } from '@tars-ts/api';

export interface CommonFlags {
  kubeconfig?: string;
  logLevel: string;
  metricsPort: number;
  metricsHost?: string;
  namespace: string;
}

export interface ControllerFlags extends CommonFlags {
  role: 'controller';
  leaderElect: boolean;
  leaseName: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  workers: number;
  manageNodeLabels: boolean;
  watchNamespace?: string;
}

export interface WebhookFlags extends CommonFlags {
  role: 'webhook';
  port: number;
  host?: string;
  serviceName: string;
  tlsSans: string[];
  caSecret: string;
  caCertFile?: string;
  caKeyFile?: string;
  mutatingConfigs: string[];
  validatingConfigs: string[];
  conversionCrds: string[];
  caBundleResyncMs: number;
  controllerUsers: string[];
}

export type Flags = ControllerFlags | WebhookFlags;

export const USAGE = `usage: tarscontroller <controller|webhook> [flags]

common:
  --kubeconfig PATH            kubeconfig (default: in-cluster service account, then ~/.kube/config)
  --namespace NS               namespace of the controller's Lease / webhook's Service and CA Secret (default: env Namespace, the service account's, tars-system)
  --metrics-port N             port of /metrics, /healthz, /readyz (default 8080; 0 = off)
  --metrics-host HOST          address to bind it to (default all)
  --log-level LEVEL            debug|info|warn|error (default info)

controller:
  --leader-elect BOOL          contend for Lease tars-controller-manger before reconciling (default true)
  --lease-name NAME            (default tars-controller-manger)
  --lease-duration S --renew-deadline S --retry-period S   (default 15, 10, 2)
  --workers N                  workers of the workload, service, endpoint and status queues (default 4)
  --manage-node-labels BOOL    keep the tars.io/node label on nodes (default true)
  --watch-namespace NS         reconcile only this namespace (default: all namespaces)

webhook:
  --port N                     HTTPS port (default 9443)
  --host HOST                  address to bind (default all)
  --service-name NAME          webhook Service; its DNS names go on the certificate (default tars-webhook-service)
  --tls-san NAME               extra DNS name or IP on the certificate (repeatable)
  --ca-secret NAME             Secret holding the CA, created if absent ('' = a new CA in memory) (default tars-webhook-ca)
  --ca-cert-file F --ca-key-file F   use this CA instead (e.g. from cert-manager)
  --mutating-config NAME       MutatingWebhookConfiguration to patch the caBundle into (repeatable; default mutating.crd.tars.io)
  --validating-config NAME     ValidatingWebhookConfiguration (repeatable; default validating.crd.tars.io-0, validating.k8s.tars.io-0)
  --conversion-crd NAME        CRD whose conversion webhook gets the caBundle (repeatable; default ${CONVERSION_WEBHOOK_CRDS.join(', ')})
  --ca-bundle-resync S         re-check the caBundles every S seconds (default 60; 0 = only at start)
  --controller-user NAME       user acting as the tars controller (repeatable; default ${CONTROLLER_USER})
`;

export class FlagError extends Error {}

function int(name: string, text: string | undefined, fallback: number, min = 0, max = 65535): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new FlagError(`--${name}: want an integer, got ${JSON.stringify(text)}`);
  const n = Number(text);
  if (n < min || n > max) throw new FlagError(`--${name}: want ${min}..${max}, got ${n}`);
  return n;
}

function bool(name: string, text: string | undefined, fallback: boolean): boolean {
  if (text === undefined) return fallback;
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new FlagError(`--${name}: want true or false, got ${JSON.stringify(text)}`);
}

export function parseFlags(argv: string[], env: NodeJS.ProcessEnv = process.env, defaultNamespace = 'tars-system'): Flags {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      kubeconfig: { type: 'string' },
      namespace: { type: 'string' },
      'metrics-port': { type: 'string' },
      'metrics-host': { type: 'string' },
      'log-level': { type: 'string' },
      'leader-elect': { type: 'string' },
      'lease-name': { type: 'string' },
      'lease-duration': { type: 'string' },
      'renew-deadline': { type: 'string' },
      'retry-period': { type: 'string' },
      workers: { type: 'string' },
      'manage-node-labels': { type: 'string' },
      'watch-namespace': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'service-name': { type: 'string' },
      'tls-san': { type: 'string', multiple: true },
      'ca-secret': { type: 'string' },
      'ca-cert-file': { type: 'string' },
      'ca-key-file': { type: 'string' },
      'mutating-config': { type: 'string', multiple: true },
      'validating-config': { type: 'string', multiple: true },
      'conversion-crd': { type: 'string', multiple: true },
      'ca-bundle-resync': { type: 'string' },
      'controller-user': { type: 'string', multiple: true },
    },
  });
  const role = positionals[0];
  if (positionals.length !== 1 || (role !== 'controller' && role !== 'webhook')) throw new FlagError(`want exactly one role, controller or webhook; got ${JSON.stringify(positionals)}`);
  const logLevel = values['log-level'] ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) throw new FlagError(`--log-level: want debug|info|warn|error, got ${JSON.stringify(logLevel)}`);
  const common: CommonFlags = {
    logLevel,
    metricsPort: int('metrics-port', values['metrics-port'], 8080),
    namespace: values.namespace ?? env.Namespace ?? defaultNamespace,
    ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
    ...(values['metrics-host'] ? { metricsHost: values['metrics-host'] } : {}),
  };
  if (role === 'controller') {
    const leaseDurationMs = int('lease-duration', values['lease-duration'], 15, 1, 3600) * 1000;
    const renewDeadlineMs = int('renew-deadline', values['renew-deadline'], 10, 1, 3600) * 1000;
    if (renewDeadlineMs >= leaseDurationMs) throw new FlagError('--renew-deadline must be shorter than --lease-duration');
    return {
      ...common,
      role,
      leaderElect: bool('leader-elect', values['leader-elect'], true),
      leaseName: values['lease-name'] ?? 'tars-controller-manger',
      leaseDurationMs,
      renewDeadlineMs,
      retryPeriodMs: int('retry-period', values['retry-period'], 2, 1, 3600) * 1000,
      workers: int('workers', values.workers, 4, 1, 64),
      manageNodeLabels: bool('manage-node-labels', values['manage-node-labels'], true),
      ...(values['watch-namespace'] ? { watchNamespace: values['watch-namespace'] } : {}),
    };
  }
  if ((values['ca-cert-file'] === undefined) !== (values['ca-key-file'] === undefined)) throw new FlagError('--ca-cert-file and --ca-key-file go together');
  return {
    ...common,
    role,
    port: int('port', values.port, 9443),
    ...(values.host ? { host: values.host } : {}),
    serviceName: values['service-name'] ?? 'tars-webhook-service',
    tlsSans: values['tls-san'] ?? [],
    caSecret: values['ca-secret'] ?? 'tars-webhook-ca',
    ...(values['ca-cert-file'] ? { caCertFile: values['ca-cert-file'] } : {}),
    ...(values['ca-key-file'] ? { caKeyFile: values['ca-key-file'] } : {}),
    mutatingConfigs: values['mutating-config'] ?? ['mutating.crd.tars.io'],
    validatingConfigs: values['validating-config'] ?? ['validating.crd.tars.io-0', 'validating.k8s.tars.io-0'],
    conversionCrds: values['conversion-crd'] ?? [...CONVERSION_WEBHOOK_CRDS],
    caBundleResyncMs: int('ca-bundle-resync', values['ca-bundle-resync'], 60, 0, 86400) * 1000,
    controllerUsers: values['controller-user'] ?? [CONTROLLER_USER],
  };
}
