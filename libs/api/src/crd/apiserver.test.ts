// The generated CRDs on a real kube-apiserver (v1.20, tools/kube-env): the chart's files are
// accepted, valid objects are stored exactly as normalize() predicts, invalid ones are refused
// for the reasons validateSchema() gives, and the conversion webhook path works end to end.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
// Test-only use of the shared test cluster (a type:tool package); production code never imports it.
import { describeWithKube, webhookTls } from '@tars-ts/kube-env/testing';
import { KINDS } from '../kinds/all.ts';
import { reviewConversion, type ConversionReview } from '../conversion/convert.ts';
import type { AnyObject } from '../meta/object-meta.ts';
import { normalize, validateSchema } from '../schema/lookup.ts';
import { arbitraryOf } from '../testing/arbitrary.ts';
import type { Node } from '../schema/dsl.ts';
import { frameworkConfig, normalServer, tarsServer, tconfig } from '../testing/fixtures.ts';
import { kubeHttp, type KubeHttp } from '../testing/kube-http.ts';
import { CRD_DIR_FROM_REPO_ROOT } from './files.ts';
import { crdName, type CustomResourceDefinition, type WebhookClientConfig } from './render.ts';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const suffix = randomBytes(3).toString('hex');
const ns = `api-crds-${suffix}`;
const plurals = Object.fromEntries(KINDS.map((k) => [k.kind, k.plural]));

function shippedCrds(): CustomResourceDefinition[] {
  return KINDS.map((def) => parse(readFileSync(join(repoRoot, CRD_DIR_FROM_REPO_ROOT, `${crdName(def)}.yaml`), 'utf8')) as CustomResourceDefinition);
}

function path(obj: { apiVersion: string; kind: string; metadata?: { name?: string } }, name = true): string {
  const base = `/apis/${obj.apiVersion}/namespaces/${ns}/${plurals[obj.kind]}`;
  return name ? `${base}/${obj.metadata?.name}` : base;
}

/** The server's view minus what the server adds itself (uid, resourceVersion, timestamps...). */
function stored(body: AnyObject): AnyObject {
  const { metadata, ...rest } = body;
  const { name, labels, annotations } = metadata ?? {};
  return { ...rest, metadata: { name, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) } };
}

function isDateTimeField(root: Node, path: string): boolean {
  let node: Node | undefined = root;
  for (const segment of path.replace(/\[\d+\]/g, '.[]').split('.').filter(Boolean)) {
    if (node === undefined) return false;
    if (segment === '[]') node = node.kind === 'array' ? node.items : undefined;
    else node = node.kind === 'object' ? node.properties[segment] : node.kind === 'map' ? node.values : undefined;
  }
  return node?.kind === 'string' && node.format === 'date-time';
}

/** `obj` with one field (chosen by `pick` among all below the envelope) set to `value` or removed. */
function breakOneField(obj: AnyObject, pick: number, value: unknown): AnyObject {
  const copy = structuredClone(obj) as Record<string, unknown>;
  const slots: [Record<string, unknown> | unknown[], string | number][] = [];
  const visit = (parent: Record<string, unknown> | unknown[], key: string | number, child: unknown): void => {
    slots.push([parent, key]);
    if (Array.isArray(child)) child.forEach((item, i) => visit(child, i, item));
    else if (typeof child === 'object' && child !== null) {
      for (const [k, item] of Object.entries(child)) visit(child as Record<string, unknown>, k, item);
    }
  };
  for (const [k, child] of Object.entries(copy)) {
    if (!['apiVersion', 'kind', 'metadata'].includes(k)) visit(copy, k, child);
  }
  if (slots.length === 0) return copy as AnyObject;
  const [parent, key] = slots[pick % slots.length]!;
  if (value === undefined && !Array.isArray(parent)) delete parent[key as string];
  else (parent as Record<string | number, unknown>)[key] = value;
  return copy as AnyObject;
}

/** Creates or replaces a CRD and waits until it is Established (its API is served). */
async function applyCrd(http: KubeHttp, crd: CustomResourceDefinition): Promise<number> {
  const url = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions`;
  const current = await http.send('GET', `${url}/${crd.metadata.name}`);
  const res =
    current.status === 404
      ? await http.send('POST', url, crd)
      : await http.send('PUT', `${url}/${crd.metadata.name}`, { ...crd, metadata: { ...crd.metadata, resourceVersion: current.body.metadata.resourceVersion } });
  // Other test files of the run may apply the same CRDs at the same time.
  if (res.status === 409) return applyCrd(http, crd);
  if (res.status >= 300) throw new Error(`${crd.metadata.name}: ${res.status} ${JSON.stringify(res.body)}`);
  for (let i = 0; i < 100; i++) {
    const got = await http.send('GET', `${url}/${crd.metadata.name}`);
    if (got.body.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True')) return res.status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${crd.metadata.name} not Established`);
}

/** One valid v1beta3 object of every kind. */
function validObjects(): AnyObject[] {
  const meta = (name: string) => ({ name });
  const objects: AnyObject[] = [
    tarsServer(),
    normalServer(),
    frameworkConfig(),
    tconfig({ name: 'test-helloserver-app-conf' }),
    { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TTemplate', metadata: meta('tars.default'), spec: { content: '<tars></tars>', parent: 'tars.default' } },
    {
      apiVersion: 'k8s.tars.io/v1beta3',
      kind: 'TTree',
      metadata: meta('tars-tree'),
      businesses: [{ name: 'TarsFramework', show: 'tars框架服务', weight: 5 }],
      apps: [{ name: 'tars', businessRef: 'TarsFramework' }],
    },
    { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TExitedRecord', metadata: meta('test-helloserver'), app: 'Test', server: 'HelloServer', pods: [] },
    {
      apiVersion: 'k8s.tars.io/v1beta3',
      kind: 'TAccount',
      metadata: meta('21232f297a57a5a743894a0e4a801fc3'),
      spec: { username: 'admin', authentication: { bcryptPassword: `$2a$06$${'x'.repeat(53)}` }, authorization: [{ role: 'admin', flag: '*' }] },
    },
    { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TImage', metadata: meta('cppbase'), imageType: 'base', supportedType: ['cpp', 'go'] },
    {
      apiVersion: 'k8s.tars.io/v1beta3',
      kind: 'TEndpoint',
      metadata: meta('test-helloserver'),
      spec: { app: 'Test', server: 'HelloServer', subType: 'tars', tars: tarsServer().spec.tars },
    },
  ];
  return objects.map((o) => ({ ...o, metadata: { name: o.metadata?.name } }));
}

/** Invalid objects: [what, object, a field path both the API server and validateSchema name]. */
function invalidObjects(): [string, AnyObject, string][] {
  const ts = () => tarsServer() as unknown as AnyObject & { spec: any };
  const cases: [string, (o: any) => void, string][] = [
    ['app name with a dash', (o) => (o.spec.app = 'bad-app'), 'spec.app'],
    ['port 0', (o) => (o.spec.tars.servants[0].port = 0), 'spec.tars.servants[0].port'],
    ['unknown subType', (o) => (o.spec.subType = 'other'), 'spec.subType'],
    ['tars and normal together', (o) => (o.spec.normal = { ports: [] }), 'spec'],
    ['missing k8s', (o) => delete o.spec.k8s, 'spec.k8s'],
    ['upper-case image', (o) => (o.spec.release = { id: 'v1', image: 'Registry/X:v1' }), 'spec.release.image'],
    ['replicas above 99', (o) => (o.spec.k8s.replicas = 100), 'spec.k8s.replicas'],
    ['mount name that is a path', (o) => (o.spec.k8s.mounts = [{ name: '../etc', mountPath: '/x', source: { emptyDir: {} } }]), 'spec.k8s.mounts[0].name'],
    ['mount with two sources', (o) => (o.spec.k8s.mounts = [{ name: 'd', mountPath: '/x', source: { emptyDir: {}, tLocalVolume: {} } }]), 'spec.k8s.mounts[0].source'],
    ['hostPath not absolute', (o) => (o.spec.k8s.mounts = [{ name: 'd', mountPath: '/x', source: { hostPath: { path: 'var/log', type: '' } } }]), 'spec.k8s.mounts[0].source.hostPath.path'],
    ['env with value and valueFrom', (o) => (o.spec.k8s.env = [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]), 'spec.k8s.env[0]'],
    ['bad quantity', (o) => (o.spec.k8s.resources = { limits: { cpu: 'lots' } }), 'spec.k8s.resources.limits.cpu'],
  ];
  const out: [string, AnyObject, string][] = cases.map(([what, change, field]) => {
    const o = ts();
    change(o);
    return [`TServer: ${what}`, o, field];
  });
  const tc = tconfig({ name: 'bad', podSeq: 'x' }) as unknown as AnyObject;
  out.push(['TConfig: podSeq', tc, 'podSeq']);
  const cfg = tconfig({ name: 'bad2', configName: '../passwd' }) as unknown as AnyObject;
  out.push(['TConfig: configName that is a path', cfg, 'configName']);
  out.push([
    'TTree: business name with a space',
    { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TTree', metadata: { name: 'bad' }, businesses: [{ name: 'a b', show: 'x', weight: 3 }], apps: [] },
    'businesses[0].name',
  ]);
  out.push([
    'TAccount: password and hash together',
    {
      apiVersion: 'k8s.tars.io/v1beta3',
      kind: 'TAccount',
      metadata: { name: 'bad' },
      spec: { username: 'admin', authentication: { password: 'secret1', bcryptPassword: 'x'.repeat(60) }, authorization: [] },
    },
    'spec.authentication',
  ]);
  out.push([
    'TExitedRecord: more than 150 pods',
    { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TExitedRecord', metadata: { name: 'bad' }, app: 'A', server: 'B', pods: Array.from({ length: 151 }, () => ({})) },
    'pods',
  ]);
  const tfc = frameworkConfig() as unknown as AnyObject;
  tfc.upChain = { default: [] };
  out.push(['TFrameworkConfig: empty up-chain', tfc, 'upChain.default']);
  out.push([
    'TTemplate: parent not a DNS name',
    { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TTemplate', metadata: { name: 'bad' }, spec: { content: '', parent: 'Bad_Parent' } },
    'spec.parent',
  ]);
  out.push(['TImage: unknown type', { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TImage', metadata: { name: 'bad' }, imageType: 'other' }, 'imageType']);
  return out.map(([what, o, field], i) => [what, { ...o, metadata: { name: `bad-${i}` } }, field]);
}

describeWithKube('generated CRDs on a real kube-apiserver', (kube) => {
  let http: KubeHttp;
  let webhook: Server;
  let webhookUrl: string;
  let caBundle: string;
  let conversions = 0;
  const applied: Record<string, number> = {};

  beforeAll(async () => {
    http = kubeHttp(kube());
    for (const crd of shippedCrds()) applied[crd.metadata.name] = await applyCrd(http, crd);
    const ns201 = await http.send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    expect(ns201.status).toBe(201);

    const tls = webhookTls();
    caBundle = Buffer.from(tls.caPem).toString('base64');
    webhook = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        conversions++;
        const answer = reviewConversion(JSON.parse(body) as ConversionReview);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
    webhookUrl = `https://127.0.0.1:${(webhook.address() as AddressInfo).port}/conversion`;
  });

  afterAll(async () => {
    if (http === undefined) return;
    await http.send('DELETE', `/api/v1/namespaces/${ns}`);
    // Leave the CRDs as the chart ships them, not pointing at this file's closed webhook.
    for (const crd of shippedCrds().filter((c) => c.spec.conversion.strategy === 'Webhook')) await applyCrd(http, crd);
    if (webhook) await new Promise((r) => webhook.close(r));
  });

  it('accepts every CRD file of the chart as shipped', () => {
    expect(Object.keys(applied).sort()).toEqual(KINDS.map(crdName).sort());
    for (const status of Object.values(applied)) expect([200, 201]).toContain(status);
  });

  it('stores valid objects exactly as normalize() predicts (defaults applied the same way)', async () => {
    for (const obj of validObjects()) {
      expect(validateSchema(obj), obj.kind).toEqual([]);
      const res = await http.send('POST', path(obj, false), obj);
      expect(res.status, `${obj.kind}: ${JSON.stringify(res.body)}`).toBe(201);
      expect(stored(res.body), obj.kind).toEqual(stored(normalize(obj)));
    }
  });

  it('accepts random schema-valid objects of every kind and defaults them like normalize()', async () => {
    let n = 0;
    let statuses = 0;
    for (const def of KINDS) {
      const version = def.versions.find((v) => v.name === 'v1beta3')!;
      // KNOWN ENV BUG: kube-env's v1.20.2 build refuses EVERY empty string in a custom resource
      // ("must be of type string: \"null\""; see the report on tools/kube-env). Real 1.20 accepts
      // them, so this draws non-empty strings until the build is fixed.
      const samples = fc.sample(arbitraryOf(version.schema, { nonEmptyStrings: true }), { numRuns: 6, seed: 20240328 + n });
      for (const body of samples as Record<string, unknown>[]) {
        const { status, ...rest } = body;
        const obj = { ...rest, apiVersion: 'k8s.tars.io/v1beta3', kind: def.kind, metadata: { name: `random-${n++}` } } as AnyObject;
        // With a status subresource the API server ignores status on create; it is written below.
        const withStatus = version.status ? obj : ({ ...obj, ...(status !== undefined ? { status } : {}) } as AnyObject);
        const res = await http.send('POST', path(obj, false), withStatus);
        expect(res.status, `${def.kind} ${JSON.stringify(withStatus)}: ${JSON.stringify(res.body)}`).toBe(201);
        expect(stored(res.body)).toEqual(stored(normalize(withStatus)));
        if (version.status && status !== undefined) {
          const put = await http.send('PUT', `${path(obj)}/status`, { ...res.body, status });
          expect(put.status, JSON.stringify(put.body)).toBe(200);
          expect(stored(put.body)).toEqual(stored(normalize({ ...obj, status } as AnyObject)));
          statuses++;
        }
      }
    }
    expect(n, 'objects sent').toBe(KINDS.length * 6);
    expect(statuses, 'statuses written').toBeGreaterThan(0);
  });

  // No `[]` or `""` among the values: the current kube-env build reads empty arrays and strings as null.
  it('agrees with validateSchema on randomly broken objects (accepts exactly what it accepts)', async () => {
    let n = 0;
    const disagreements: string[] = [];
    for (const def of KINDS) {
      const version = def.versions.find((v) => v.name === 'v1beta3')!;
      const cases = fc.sample(
        fc.tuple(arbitraryOf(version.schema, { nonEmptyStrings: true }), fc.nat(), fc.constantFrom<unknown>('x', 'Bad_Value/..', -5, 100_000, 1.5, true, null, ['x'], {}, undefined)),
        { numRuns: 16, seed: 7 + n },
      );
      for (const [body, pick, value] of cases) {
        const { status: _status, ...rest } = body as Record<string, unknown>;
        const obj = { ...rest, apiVersion: 'k8s.tars.io/v1beta3', kind: def.kind, metadata: { name: `broken-${n++}` } } as AnyObject;
        const broken = breakOneField(obj, pick, value);
        const ours = validateSchema(broken);
        const res = await http.send('POST', path(broken, false), broken);
        // Kubernetes 1.20 quirk: a `format: date-time` string field accepts arrays and objects
        // (only strings are format-checked). We stay strict there; that is the one accepted gap.
        const strictOnly = res.status === 201 && ours.every((e) => isDateTimeField(version.schema, e.path) && /^must be a string/.test(e.message));
        if ((res.status === 201) !== (ours.length === 0) && !strictOnly) {
          disagreements.push(`${JSON.stringify(broken)}\n  apiserver ${res.status}: ${res.body.message ?? ''}\n  ours: ${JSON.stringify(ours)}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });

  it.each(invalidObjects())('refuses %s, naming the same field as validateSchema', async (_what, obj, field) => {
    const ours = validateSchema(obj).map((e) => e.path);
    expect(ours).toContain(field);
    const res = await http.send('POST', path(obj, false), obj);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    // Kubernetes 1.20 names list items without their index (`spec.tars.servants.port`).
    expect(res.body.message).toContain(field.replace(/\[\d+\]/g, ''));
  });

  it('prunes fields the schema does not declare, as prune() does', async () => {
    const obj = tarsServer() as unknown as AnyObject & { spec: any };
    obj.metadata = { name: 'pruned-tserver' };
    obj.spec.k8s.unknownField = 1;
    obj.spec.tars.servants[0].color = 'blue';
    obj.spec.k8s.mounts = [{ name: 'pvc', mountPath: '/d', source: { persistentVolumeClaimTemplate: { spec: { storageClassName: 'x', anything: { kept: true } } } } }];
    const res = await http.send('POST', path(obj, false), obj);
    expect(res.status).toBe(201);
    expect(res.body.spec.k8s).not.toHaveProperty('unknownField');
    expect(res.body.spec.tars.servants[0]).not.toHaveProperty('color');
    expect(res.body.spec.k8s.mounts[0].source.persistentVolumeClaimTemplate.spec.anything).toEqual({ kept: true });
    expect(stored(res.body)).toEqual(stored(normalize(obj)));
  });

  it('serves the TServer status and scale subresources', async () => {
    const obj = tarsServer() as unknown as AnyObject & { spec: any };
    obj.metadata = { name: 'scaled-tserver' };
    obj.spec.k8s.replicas = 2;
    const created = await http.send('POST', path(obj, false), obj);
    expect(created.status).toBe(201);
    const status = { replicas: 2, readyReplicas: 1, currentReplicas: 2, selector: 'tars.io/ServerApp=Test,tars.io/ServerName=HelloServer' };
    const put = await http.send('PUT', `${path(obj)}/status`, { ...created.body, status });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const scale = await http.send('GET', `${path(obj)}/scale`);
    expect(scale.body.spec).toEqual({ replicas: 2 });
    expect(scale.body.status).toEqual({ replicas: 2, selector: status.selector });
    const bad = await http.send('PUT', `${path(obj)}/status`, { ...put.body, status: { replicas: 1 } });
    expect(bad.status).toBe(422);
  });

  it('converts through the webhook: v1beta2 clients round-trip v1beta3-only fields', async () => {
    const clientConfig: WebhookClientConfig = { url: webhookUrl, caBundle };
    for (const crd of shippedCrds().filter((c) => c.spec.conversion.strategy === 'Webhook')) {
      const spec = crd.spec.conversion as { strategy: 'Webhook'; webhook: { clientConfig: WebhookClientConfig } };
      spec.webhook.clientConfig = clientConfig;
      await applyCrd(http, crd);
    }
    const obj = tarsServer() as unknown as AnyObject & { spec: any };
    obj.metadata = { name: 'converted-tserver' };
    Object.assign(obj.spec.k8s, { command: ['/bin/server'], args: ['--x'], readinessGates: ['tars.io/active', 'x.io/warm'] });
    expect((await http.send('POST', path(obj, false), obj)).status).toBe(201);

    const v2path = path({ ...obj, apiVersion: 'k8s.tars.io/v1beta2' });
    let asV2 = await http.send('GET', v2path);
    // The apiserver picks up the changed clientConfig asynchronously.
    for (let i = 0; i < 50 && asV2.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 200));
      asV2 = await http.send('GET', v2path);
    }
    expect(asV2.status, JSON.stringify(asV2.body)).toBe(200);
    expect(asV2.body.spec.k8s.readinessGate).toBe('tars.io/active');
    expect(asV2.body.spec.k8s).not.toHaveProperty('command');
    expect(asV2.body.metadata.annotations['tars.io/Conversion.1b21b3']).toBeDefined();

    asV2.body.spec.important = 7;
    const put = await http.send('PUT', v2path, asV2.body);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const asV3 = await http.send('GET', path(obj));
    expect(asV3.body.spec.important).toBe(7);
    expect(asV3.body.spec.k8s).toMatchObject({ command: ['/bin/server'], args: ['--x'], readinessGates: ['tars.io/active', 'x.io/warm'] });
    expect(asV3.body.metadata.annotations?.['tars.io/Conversion.1b21b3']).toBeUndefined();

    const tfc = { ...frameworkConfig(), metadata: { name: 'tars-framework-v2' } } as unknown as AnyObject & Record<string, any>;
    const v2tfc: AnyObject = { ...tfc, apiVersion: 'k8s.tars.io/v1beta2', imageRegistry: tfc.imageUpload, imageBuild: { maxBuildTime: 300 } };
    delete v2tfc.imageUpload;
    expect((await http.send('POST', path(v2tfc, false), v2tfc)).status).toBe(201);
    const tfcV3 = await http.send('GET', path(tfc));
    expect(tfcV3.body.imageUpload).toEqual(tfc.imageUpload);
    expect(tfcV3.body).not.toHaveProperty('imageRegistry');
    expect(conversions).toBeGreaterThan(0);
  });
});
