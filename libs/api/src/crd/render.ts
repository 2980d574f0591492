// Renders a kind definition as an apiextensions.k8s.io/v1 CustomResourceDefinition (GA since
// Kubernetes 1.16, so the same files install on 1.20 and on current releases).
import { GROUP, STORAGE_VERSION } from '../meta/constants.ts';
import { toOpenAPI, type JSONSchemaProps } from '../schema/openapi.ts';
import type { KindDefinition, PrinterColumn, ScaleSubresource } from '../kinds/resource.ts';

/** Where the API server sends ConversionReviews: an in-cluster Service or (tests) a URL. */
export type WebhookClientConfig =
  | { service: { namespace: string; name: string; path?: string; port?: number }; caBundle?: string }
  | { url: string; caBundle?: string };

/**
 * The chart's default: the controller's webhook Service. The CRD files carry no caBundle; the
 * webhook generates its CA at start and patches `caBundle` into the CRDs (see README).
 */
export const DEFAULT_CONVERSION_CLIENT: WebhookClientConfig = {
  service: { namespace: 'tars-system', name: 'tars-webhook-service', path: '/conversion', port: 443 },
};

export const CATEGORIES = ['tars'];

export interface CustomResourceDefinitionVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema: { openAPIV3Schema: JSONSchemaProps };
  subresources?: { status?: Record<string, never>; scale?: ScaleSubresource };
  additionalPrinterColumns?: PrinterColumn[];
}

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec: {
    group: string;
    scope: 'Namespaced';
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames?: string[]; categories: string[] };
    conversion:
      | { strategy: 'None' }
      | { strategy: 'Webhook'; webhook: { conversionReviewVersions: string[]; clientConfig: WebhookClientConfig } };
    versions: CustomResourceDefinitionVersion[];
  };
}

export function crdName(def: KindDefinition): string {
  return `${def.plural}.${GROUP}`;
}

export function renderCrd(def: KindDefinition, clientConfig: WebhookClientConfig = DEFAULT_CONVERSION_CLIENT): CustomResourceDefinition {
  const versions = def.versions.map((v): CustomResourceDefinitionVersion => {
    const out: CustomResourceDefinitionVersion = {
      name: v.name,
      served: true,
      storage: v.name === STORAGE_VERSION,
      schema: { openAPIV3Schema: toOpenAPI(v.schema) },
    };
    if (v.name !== STORAGE_VERSION) {
      out.deprecated = true;
      out.deprecationWarning = `${GROUP}/${v.name} ${def.kind} is deprecated; use ${GROUP}/${STORAGE_VERSION} ${def.kind}`;
    }
    if (v.status || v.scale) {
      out.subresources = {};
      if (v.status) out.subresources.status = {};
      if (v.scale) out.subresources.scale = { ...v.scale };
    }
    if (v.printerColumns.length > 0) out.additionalPrinterColumns = v.printerColumns.map((c) => ({ ...c }));
    return out;
  });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName(def), annotations: { 'helm.sh/resource-policy': 'keep' } },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
        ...(def.shortNames.length > 0 ? { shortNames: [...def.shortNames] } : {}),
        categories: [...CATEGORIES],
      },
      conversion:
        def.conversion === 'Webhook'
          ? { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'], clientConfig: structuredClone(clientConfig) } }
          : { strategy: 'None' },
      versions,
    },
  };
}
