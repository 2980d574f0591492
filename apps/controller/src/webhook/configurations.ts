// The admission webhook configurations this webhook serves (reference §7), as objects: the chart
// renders the same rules, and tests register them by URL. `clientConfig` is a Service reference
// in a cluster, a URL in tests; caBundle is patched in by the webhook role (ca-bundle.ts).
import { GROUP, VERSIONS } from '@tars-ts/api';
import { Label } from '@tars-ts/api';

export interface ClientConfig {
  url?: string;
  service?: { namespace: string; name: string; port?: number };
  caBundle?: string;
}

export interface ConfigurationOptions {
  clientConfig: ClientConfig;
  names: { mutating: string; validatingCrd: string; validatingWorkload: string };
  /** Narrows every webhook to matching namespaces (tests: their own namespace). */
  namespaceSelector?: { matchLabels: Record<string, string> };
}

type Rule = { apiGroups: string[]; apiVersions: string[]; operations: string[]; resources: string[]; scope?: string };

function webhook(name: string, path: string, o: ConfigurationOptions, rules: Rule[], extra: Record<string, unknown> = {}) {
  const clientConfig: ClientConfig = o.clientConfig.url
    ? { ...o.clientConfig, url: `${o.clientConfig.url.replace(/\/$/, '')}${path}` }
    : { ...o.clientConfig, service: { ...o.clientConfig.service!, ...({ path } as object) } };
  return {
    name,
    clientConfig,
    rules: rules.map((r) => ({ scope: 'Namespaced', ...r })),
    failurePolicy: 'Fail',
    timeoutSeconds: 15,
    admissionReviewVersions: ['v1'],
    ...(o.namespaceSelector ? { namespaceSelector: o.namespaceSelector } : {}),
    ...extra,
  };
}

const tarsRule = (operations: string[], resources: string[]): Rule => ({ apiGroups: [GROUP], apiVersions: [...VERSIONS], operations, resources });

export function mutatingConfiguration(o: ConfigurationOptions) {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: o.names.mutating },
    webhooks: [
      webhook('mutating.crd.tars.io', '/mutating', o, [
        tarsRule(['CREATE', 'UPDATE'], ['tservers', 'tconfigs', 'ttrees', 'taccounts', 'timages', 'ttemplates']),
        // Beyond upstream: `kubectl scale` is clamped to Min/MaxReplicas too.
        tarsRule(['UPDATE'], ['tservers/scale']),
      ], { sideEffects: 'None', reinvocationPolicy: 'Never', matchPolicy: 'Equivalent' }),
    ],
  };
}

export function validatingConfigurations(o: ConfigurationOptions) {
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: o.names.validatingCrd },
      webhooks: [
        // NoneOnDryRun: validation marks TConfigs (Deactivate/Deleting), except on dry runs.
        webhook('validating.crd.tars.io', '/validating', o, [
          tarsRule(['CREATE', 'UPDATE', 'DELETE'], ['ttrees', 'tconfigs', 'ttemplates']),
          tarsRule(['CREATE', 'UPDATE'], ['tservers', 'taccounts']),
        ], { sideEffects: 'NoneOnDryRun', matchPolicy: 'Equivalent' }),
      ],
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: o.names.validatingWorkload },
      webhooks: [
        webhook('validating.k8s.tars.io', '/validating', o, [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['services'] },
          { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['statefulsets', 'daemonsets'] },
        ], {
          sideEffects: 'None',
          matchPolicy: 'Exact',
          objectSelector: { matchExpressions: [{ key: Label.ServerApp, operator: 'Exists' }, { key: Label.ServerName, operator: 'Exists' }] },
        }),
      ],
    },
  ];
}
