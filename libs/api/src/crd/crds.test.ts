import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../kinds/all.ts';
import { checkValue } from '../schema/check.ts';
import type { Node } from '../schema/dsl.ts';
import type { JSONSchemaProps } from '../schema/openapi.ts';
import { applyJsonPatch } from '../testing/apply-json-patch.ts';
import { CONVERSION_WEBHOOK_CRDS, caBundlePatch } from './ca-bundle.ts';
import { CRD_DIR_FROM_REPO_ROOT, renderCrdFiles } from './files.ts';
import { renderCrd, type CustomResourceDefinition } from './render.ts';

const repoRoot = resolve(import.meta.dirname, '../../../..');

/** Keywords Kubernetes 1.20 refuses in a v1 CRD schema (or that are not structural). */
const FORBIDDEN = ['$ref', '$schema', 'definitions', 'id', 'additionalItems', 'patternProperties', 'dependencies', 'uniqueItems', 'x-kubernetes-validations', 'allOf', 'anyOf', 'not'];

interface Visit {
  path: string;
  schema: JSONSchemaProps;
}

function walk(schema: JSONSchemaProps, path = ''): Visit[] {
  const out: Visit[] = [{ path, schema }];
  for (const [name, child] of Object.entries(schema.properties ?? {})) out.push(...walk(child, `${path}.${name}`));
  if (schema.items) out.push(...walk(schema.items, `${path}[]`));
  if (schema.additionalProperties) out.push(...walk(schema.additionalProperties, `${path}{}`));
  return out;
}

const crds = KINDS.map((def) => ({ def, crd: renderCrd(def) }));

describe.each(crds)('CRD $def.kind', ({ def, crd }) => {
  const versions = crd.spec.versions;

  it('serves v1beta2 and v1beta3 and stores v1beta3 only', () => {
    expect(versions.map((v) => [v.name, v.served, v.storage])).toEqual([
      ['v1beta2', true, false],
      ['v1beta3', true, true],
    ]);
    expect(versions[0]?.deprecated).toBe(true);
    expect(crd.metadata.name).toBe(`${def.plural}.k8s.tars.io`);
    expect(crd.spec.names.categories).toEqual(['tars']);
  });

  it.each(versions.map((v) => [v.name, v] as const))('%s schema is structural', (_name, version) => {
    for (const { path, schema } of walk(version.schema.openAPIV3Schema)) {
      expect(schema.type, `type at ${path || '<root>'}`).toBeDefined();
      for (const keyword of FORBIDDEN) expect(schema, `${keyword} at ${path}`).not.toHaveProperty([keyword]);
      if (schema.type === 'object') {
        const shapes = [schema.properties, schema.additionalProperties, schema['x-kubernetes-preserve-unknown-fields']].filter((x) => x !== undefined);
        // metadata at the root is the one object the API server describes itself
        if (path !== '.metadata') expect(shapes.length, `object shape at ${path}`).toBe(1);
      }
      for (const group of schema.oneOf ?? []) {
        expect(Object.keys(group)).toEqual(['required']);
        for (const field of group.required) expect(schema.properties, `oneOf field ${field} at ${path}`).toHaveProperty([field]);
      }
      for (const field of schema.required ?? []) expect(schema.properties, `required ${field} at ${path}`).toHaveProperty([field]);
    }
    expect(version.schema.openAPIV3Schema.properties?.metadata).toEqual({ type: 'object' });
  });

  it.each(def.versions.map((v) => [v.name, v] as const))('%s defaults satisfy their own schema', (_name, version) => {
    const visit = (node: Node, path: string): void => {
      if (node.default !== undefined) expect(checkValue(node, node.default), `default at ${path}`).toEqual([]);
      if (node.kind === 'object') for (const [k, child] of Object.entries(node.properties)) visit(child, `${path}.${k}`);
      if (node.kind === 'array') visit(node.items, `${path}[]`);
      if (node.kind === 'map') visit(node.values, `${path}{}`);
    };
    visit(version.schema, '');
  });

  it('printer columns and subresources point at fields the schema has', () => {
    for (const version of versions) {
      const paths = new Set(walk(version.schema.openAPIV3Schema).map((v) => v.path));
      for (const column of version.additionalPrinterColumns ?? []) {
        if (!column.jsonPath.startsWith('.metadata.')) expect(paths, column.name).toContain(column.jsonPath);
      }
      const scale = version.subresources?.scale;
      if (scale) {
        expect(paths).toContain(scale.specReplicasPath);
        expect(paths).toContain(scale.statusReplicasPath);
      }
    }
  });
});

describe('conversion strategy', () => {
  it('uses the webhook where versions differ in shape and None elsewhere', () => {
    const strategies = Object.fromEntries(crds.map(({ def, crd }) => [def.kind, crd.spec.conversion.strategy]));
    expect(strategies).toEqual({
      TServer: 'Webhook',
      TEndpoint: 'None',
      TTemplate: 'None',
      TConfig: 'None',
      TTree: 'None',
      TExitedRecord: 'None',
      TAccount: 'None',
      TImage: 'None',
      TFrameworkConfig: 'Webhook',
    });
  });

  it('points at the webhook Service by default and accepts another client config', () => {
    const tserver = KINDS.find((k) => k.kind === 'TServer')!;
    const byDefault = renderCrd(tserver).spec.conversion;
    expect(byDefault).toEqual({
      strategy: 'Webhook',
      webhook: {
        conversionReviewVersions: ['v1'],
        clientConfig: { service: { namespace: 'tars-system', name: 'tars-webhook-service', path: '/conversion', port: 443 } },
      },
    });
    const custom = renderCrd(tserver, { url: 'https://127.0.0.1:9443/conversion', caBundle: 'Q0E=' }).spec.conversion;
    expect(custom).toMatchObject({ webhook: { clientConfig: { url: 'https://127.0.0.1:9443/conversion', caBundle: 'Q0E=' } } });
  });

  it('has the TServer scale subresource on both versions', () => {
    const tserver = crds.find(({ def }) => def.kind === 'TServer')!.crd;
    for (const v of tserver.spec.versions) {
      expect(v.subresources).toEqual({
        status: {},
        scale: { specReplicasPath: '.spec.k8s.replicas', statusReplicasPath: '.status.currentReplicas', labelSelectorPath: '.status.selector' },
      });
    }
  });
});

describe('generated files in charts/tarscontroller/crds', () => {
  const dir = join(repoRoot, CRD_DIR_FROM_REPO_ROOT);
  const expected = renderCrdFiles();

  it('are up to date (run `npm run generate -w @tars-ts/api` when this fails)', () => {
    const onDisk = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
    expect(onDisk).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) expect(readFileSync(join(dir, name), 'utf8'), name).toBe(text);
  });

  it('parse back to the rendered CRDs', () => {
    for (const { def, crd } of crds) {
      const parsed = parse(readFileSync(join(dir, `${def.plural}.k8s.tars.io.yaml`), 'utf8')) as CustomResourceDefinition;
      expect(parsed).toEqual(crd);
    }
  });
});

describe('caBundlePatch', () => {
  it('targets exactly the webhook-converted CRDs and sets a base64 caBundle on them', () => {
    expect(CONVERSION_WEBHOOK_CRDS).toEqual(['tservers.k8s.tars.io', 'tframeworkconfigs.k8s.tars.io']);
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const crd = renderCrd(KINDS.find((k) => k.kind === 'TServer')!);
    const patched = applyJsonPatch(crd, caBundlePatch(pem)) as CustomResourceDefinition;
    const conversion = patched.spec.conversion as { webhook: { clientConfig: { caBundle?: string } } };
    expect(Buffer.from(conversion.webhook.clientConfig.caBundle!, 'base64').toString()).toBe(pem);
    expect(() => caBundlePatch('not a pem')).toThrow(/PEM/);
  });
});
