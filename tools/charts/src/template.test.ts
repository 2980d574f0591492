// `helm lint` and `helm template` of both charts (no cluster): structure, the values toggles
// documented in the READMEs, and every rendered custom resource checked against the CRD schemas
// (libs/api validateSchema) and admitted by the webhook's own rules (libs/api mutate/validate),
// since the install test runs without a reachable webhook.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatFieldErrors, mutate, validate, validateSchema, type AdmissionLookups } from '@tars-ts/api';
import { isHelmAvailable } from '@tars-ts/kube-env';
import { CHARTS, CommandError, REPO_ROOT, find, helm, one, removeHelmHome, render, setFlags, type K8sObject } from './helm.ts';

afterAll(removeHelmHome);

const CTL_NS = 'tars-system';
const FW_NS = 'tars-dev';
const ctlValues = { controller: { registry: 'registry.example.com/tars', tag: 'v1.2.3' } };
const fwValues = { framework: { registry: 'registry.example.com/tars', tag: 'v1.2.3' }, upload: { registry: 'registry.example.com/built' } };

type Container = { name: string; image: string; args?: string[]; securityContext?: Record<string, unknown> };
type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
const containers = (o: K8sObject) => (o as unknown as { spec: { template: { spec: { containers: Container[] } } } }).spec.template.spec.containers;
const rules = (o: K8sObject) => (o as unknown as { rules: Rule[] }).rules;
/** Verbs a role grants on group/resource (optionally for one name). */
function verbs(role: K8sObject, group: string, resource: string, name?: string): string[] {
  return rules(role)
    .filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && (!r.resourceNames || (name !== undefined && r.resourceNames.includes(name))))
    .flatMap((r) => r.verbs)
    .sort();
}

const helmOk = isHelmAvailable();

describe.skipIf(!helmOk)(`charts: helm lint and template${helmOk ? '' : ' (skipped: helm missing, run bash tools/kube-env/build.sh)'}`, () => {
  it('lint passes with the required values and refuses without them', async () => {
    await helm(['lint', CHARTS.controller, '--namespace', CTL_NS, '--strict', ...setFlags(ctlValues)]);
    await helm(['lint', CHARTS.framework, '--namespace', FW_NS, '--strict', ...setFlags(fwValues)]);
    await expect(helm(['lint', CHARTS.controller, '--namespace', CTL_NS])).rejects.toThrow(/controller.registry is required/);
    await expect(render(CHARTS.framework, FW_NS, { framework: fwValues.framework })).rejects.toThrow(/upload.registry is required/);
    await expect(render(CHARTS.framework, FW_NS, { ...fwValues, framework: { ...fwValues.framework, tag: 'v1/bad' } })).rejects.toThrow(/cannot be a release id/);
    await expect(render(CHARTS.controller, CTL_NS, { controller: { ...ctlValues.controller, registry: 'bad registry' } })).rejects.toThrow(/not a registry path/);
  });

  describe('tarscontroller', () => {
    it('refuses a namespace other than tars-system unless strictNamespace=false', async () => {
      await expect(render(CHARTS.controller, 'other', ctlValues)).rejects.toThrow(/install tarscontroller into namespace tars-system/);
      const objs = await render(CHARTS.controller, 'other', { ...ctlValues, strictNamespace: false });
      expect(one(objs, 'Deployment', 'tars-controller-manger').metadata.namespace).toBe('other');
    });

    it('renders controller, webhook, agent and storage class with the flags the controller parses', async () => {
      const objs = await render(CHARTS.controller, CTL_NS, ctlValues);
      const [ctl] = containers(one(objs, 'Deployment', 'tars-controller-manger'));
      expect(ctl!.image).toBe('registry.example.com/tars/tarscontroller:v1.2.3');
      expect(ctl!.args![0]).toBe('controller');
      const [wh] = containers(one(objs, 'Deployment', 'tars-webhook-manger'));
      expect(wh!.image).toBe(ctl!.image); // one image, two roles
      expect(wh!.args![0]).toBe('webhook');
      expect(wh!.args).toContain('--port=9443');
      // Every flag exists in the controller's parser (apps/controller/src/flags.ts).
      const flags = await import(pathToFileURL(join(REPO_ROOT, 'apps/controller/src/flags.ts')).href) as { parseFlags: (argv: string[], env: object) => Record<string, unknown> };
      const parsedCtl = flags.parseFlags(ctl!.args!, {});
      expect(parsedCtl).toMatchObject({ role: 'controller', namespace: CTL_NS, leaderElect: true, workers: 4, manageNodeLabels: true });
      const parsedWh = flags.parseFlags(wh!.args!, {});
      expect(parsedWh).toMatchObject({
        role: 'webhook', port: 9443, serviceName: 'tars-webhook-service', caSecret: 'tars-webhook-ca',
        mutatingConfigs: ['mutating.crd.tars.io'], validatingConfigs: ['validating.crd.tars.io-0', 'validating.k8s.tars.io-0'],
        conversionCrds: ['tservers.k8s.tars.io', 'tframeworkconfigs.k8s.tars.io'], controllerUsers: ['system:serviceaccount:tars-system:tars-controller'],
      });
      // Non-root (the images run as 10000), no capabilities; the webhook port is above 1024.
      for (const c of [ctl!, wh!]) expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(Number(parsedWh.port)).toBeGreaterThan(1024);
      const svc = one(objs, 'Service', 'tars-webhook-service') as unknown as { spec: { ports: { port: number; targetPort: string }[]; selector: Record<string, string> } };
      expect(svc.spec.ports).toEqual([{ name: 'https', port: 443, targetPort: 'webhook', protocol: 'TCP' }]);
      expect(svc.spec.selector).toEqual({ 'tars.io/Webhook': 'true' });
      const ds = one(objs, 'DaemonSet', 'tars-agent') as unknown as { spec: { template: { spec: { affinity: unknown; containers: (Container & { env: { name: string; value?: string }[] })[] } } } };
      expect(JSON.stringify(ds.spec.template.spec.affinity)).toContain('"key":"tars.io/node","operator":"Exists"');
      expect(ds.spec.template.spec.containers[0]!.env).toContainEqual({ name: 'TLVInHost', value: '/usr/local/app/tars/host-mount' });
      expect(one(objs, 'StorageClass', 'tars-storage-class')).toMatchObject({ provisioner: 'kubernetes.io/no-provisioner', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' });
      // Only GA APIs.
      const ga = new Set(['v1', 'apps/v1', 'rbac.authorization.k8s.io/v1', 'admissionregistration.k8s.io/v1', 'storage.k8s.io/v1']);
      for (const o of objs) expect(ga.has(o.apiVersion), `${o.kind} ${o.apiVersion}`).toBe(true);
    });

    it('agent init step: makes the host log dir writable for uid 10000 pods (runs the rendered script)', async () => {
      const objs = await render(CHARTS.controller, CTL_NS, ctlValues);
      const ds = one(objs, 'DaemonSet', 'tars-agent') as unknown as { spec: { template: { spec: { initContainers: { command: string[]; image: string; securityContext: Record<string, unknown> }[] } } } };
      const init = ds.spec.template.spec.initContainers[0]!;
      expect(init.image).toBe('registry.example.com/tars/tarscontroller:v1.2.3');
      expect(init.securityContext).toMatchObject({ runAsUser: 0, capabilities: { drop: ['ALL'], add: ['CHOWN', 'FOWNER'] } });
      expect(init.command.slice(0, 2)).toEqual(['node', '-e']);
      const dir = mkdtempSync(join(tmpdir(), 'tars-agent-init-'));
      try {
        const [logDir, tlvDir] = [join(dir, 'app_log'), join(dir, 'host-mount')];
        const result = spawnSync(process.execPath, ['-e', init.command[2]!, logDir, tlvDir], { encoding: 'utf8' });
        if (process.getuid?.() === 0) {
          expect(result.status, result.stderr).toBe(0);
          expect(statSync(logDir).mode & 0o7777).toBe(0o1777);
          expect(statSync(tlvDir).mode & 0o7777).toBe(0o755);
        } else {
          expect(result.stderr).toMatch(/EPERM/); // chown to root needs root, as in the pod
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('ships the webhook configurations without a caBundle, with the rules the webhook serves', async () => {
      const objs = await render(CHARTS.controller, CTL_NS, ctlValues);
      const rendered = [...find(objs, 'MutatingWebhookConfiguration'), ...find(objs, 'ValidatingWebhookConfiguration')];
      expect(rendered.map((o) => o.metadata.name).sort()).toEqual(['mutating.crd.tars.io', 'validating.crd.tars.io-0', 'validating.k8s.tars.io-0']);
      expect(JSON.stringify(rendered)).not.toContain('caBundle');
      // Same rules as the controller's own description of them (apps/controller/src/webhook/configurations.ts).
      const conf = join(REPO_ROOT, 'apps/controller/src/webhook/configurations.ts');
      expect(existsSync(conf)).toBe(true);
      const c = await import(pathToFileURL(conf).href) as { mutatingConfiguration: (o: object) => K8sObject; validatingConfigurations: (o: object) => K8sObject[] };
      const options = { clientConfig: { service: { namespace: CTL_NS, name: 'tars-webhook-service', port: 443 } }, names: { mutating: 'mutating.crd.tars.io', validatingCrd: 'validating.crd.tars.io-0', validatingWorkload: 'validating.k8s.tars.io-0' } };
      const strip = (o: K8sObject) => ({ ...o, metadata: { name: o.metadata.name } });
      expect(strip(one(objs, 'MutatingWebhookConfiguration', 'mutating.crd.tars.io'))).toEqual(c.mutatingConfiguration(options));
      expect(find(objs, 'ValidatingWebhookConfiguration').map(strip)).toEqual(c.validatingConfigurations(options));
    });

    it('grants the webhook exactly the objects it patches, and the controller what it reconciles', async () => {
      const objs = await render(CHARTS.controller, CTL_NS, { ...ctlValues, webhook: { caSecret: 'my-ca', configurations: { names: { mutating: 'm1', validatingCrd: 'v1', validatingWorkload: 'v2' } } } });
      const wh = one(objs, 'ClusterRole', 'tars-system:tars-webhook');
      expect(verbs(wh, 'admissionregistration.k8s.io', 'mutatingwebhookconfigurations', 'm1')).toEqual(['get', 'patch']);
      expect(verbs(wh, 'admissionregistration.k8s.io', 'mutatingwebhookconfigurations', 'mutating.crd.tars.io')).toEqual([]);
      expect(verbs(wh, 'admissionregistration.k8s.io', 'validatingwebhookconfigurations', 'v2')).toEqual(['get', 'patch']);
      expect(verbs(wh, 'apiextensions.k8s.io', 'customresourcedefinitions', 'tservers.k8s.tars.io')).toEqual(['get', 'patch']);
      expect(verbs(wh, 'apiextensions.k8s.io', 'customresourcedefinitions', 'ttrees.k8s.tars.io')).toEqual([]);
      expect(rules(wh).every((r) => !r.verbs.includes('*') && !r.resources.includes('*'))).toBe(true);
      // What the admission lookups read and write (apps/controller/src/webhook/lookups.ts, workload-guard.ts, scale.ts, admission.ts).
      expect(verbs(wh, 'k8s.tars.io', 'tservers')).toEqual(['get', 'list']);
      expect(verbs(wh, 'k8s.tars.io', 'ttemplates')).toEqual(['list']);
      expect(verbs(wh, 'k8s.tars.io', 'timages')).toEqual(['list']);
      expect(verbs(wh, 'k8s.tars.io', 'tconfigs')).toEqual(['list', 'patch']);
      expect(verbs(wh, 'k8s.tars.io', 'tframeworkconfigs')).toEqual(['get']);
      expect(verbs(wh, 'k8s.tars.io', 'ttrees')).toEqual(['get']);
      expect(verbs(wh, 'k8s.tars.io', 'taccounts')).toEqual([]);
      const ca = one(objs, 'Role', 'tars-webhook-ca');
      expect(verbs(ca, '', 'secrets', 'my-ca')).toEqual(['create', 'get', 'update']);
      expect(verbs(ca, '', 'secrets', 'other')).toEqual(['create']);
      const [whc] = containers(one(objs, 'Deployment', 'tars-webhook-manger'));
      expect(whc!.args).toEqual(expect.arrayContaining(['--mutating-config=m1', '--validating-config=v1', '--validating-config=v2', '--ca-secret=my-ca']));
      expect(one(objs, 'MutatingWebhookConfiguration', 'm1')).toBeTruthy();

      const ctl = one(objs, 'ClusterRole', 'tars-system:tars-controller');
      expect(verbs(ctl, 'apps', 'statefulsets')).toEqual(['create', 'delete', 'get', 'list', 'update', 'watch']);
      expect(verbs(ctl, 'k8s.tars.io', 'tservers')).toEqual(['get', 'list', 'watch']);
      expect(verbs(ctl, 'k8s.tars.io', 'tservers/status')).toEqual(['update']);
      expect(verbs(ctl, '', 'secrets')).toEqual([]);
      expect(verbs(ctl, '', 'persistentvolumeclaims')).toEqual(['deletecollection']);
      const lease = one(objs, 'Role', 'tars-controller-leader-election');
      expect(verbs(lease, 'coordination.k8s.io', 'leases', 'tars-controller-manger')).toEqual(['create', 'get', 'update']);
      expect(verbs(lease, 'coordination.k8s.io', 'leases', 'another')).toEqual(['create']);
    });

    it('toggles: webhook off, configurations off, agent off, node labels off, namespace selector', async () => {
      const noWebhook = await render(CHARTS.controller, CTL_NS, { ...ctlValues, webhook: { enabled: false } });
      expect(find(noWebhook, 'Deployment').map((o) => o.metadata.name)).toEqual(['tars-controller-manger']);
      expect(find(noWebhook, 'MutatingWebhookConfiguration')).toEqual([]);
      expect(find(noWebhook, 'Service')).toEqual([]);
      const noConfigs = await render(CHARTS.controller, CTL_NS, { ...ctlValues, webhook: { configurations: { enabled: false } } });
      expect(find(noConfigs, 'Deployment', 'tars-webhook-manger')).toHaveLength(1);
      expect([...find(noConfigs, 'MutatingWebhookConfiguration'), ...find(noConfigs, 'ValidatingWebhookConfiguration')]).toEqual([]);
      const noAgent = await render(CHARTS.controller, CTL_NS, { ...ctlValues, agent: { enabled: false } });
      expect(find(noAgent, 'DaemonSet')).toEqual([]);
      expect(find(noAgent, 'ClusterRole', 'tars-system:tars-agent')).toEqual([]);
      const noNodes = await render(CHARTS.controller, CTL_NS, { ...ctlValues, controller: { ...ctlValues.controller, manageNodeLabels: false, workers: 7, watchNamespace: 'only' } });
      expect(verbs(one(noNodes, 'ClusterRole', 'tars-system:tars-controller'), '', 'nodes')).toEqual([]);
      expect(containers(one(noNodes, 'Deployment', 'tars-controller-manger'))[0]!.args).toEqual(expect.arrayContaining(['--manage-node-labels=false', '--workers=7', '--watch-namespace=only']));
      const selector = { matchLabels: { 'tars.io/framework': 'yes' } };
      const scoped = await render(CHARTS.controller, CTL_NS, { ...ctlValues, webhook: { configurations: { namespaceSelector: selector, failurePolicy: 'Ignore' } } });
      const hooks = [...find(scoped, 'MutatingWebhookConfiguration'), ...find(scoped, 'ValidatingWebhookConfiguration')].flatMap((o) => (o as unknown as { webhooks: { namespaceSelector?: unknown; failurePolicy: string }[] }).webhooks);
      expect(hooks).toHaveLength(3);
      for (const h of hooks) expect(h).toMatchObject({ namespaceSelector: selector, failurePolicy: 'Ignore' });
      const noSc = await render(CHARTS.controller, CTL_NS, { ...ctlValues, storageClass: { create: false } });
      expect(find(noSc, 'StorageClass')).toEqual([]);
    });
  });

  describe('tarsframework', () => {
    const SERVERS = ['tarsconfig', 'tarsimage', 'tarskevent', 'tarslog', 'tarsnotify', 'tarsproperty', 'tarsqueryproperty', 'tarsquerystat', 'tarsregistry', 'tarsstat'];

    it('renders the framework TServers with upstream names, ports, templates and images', async () => {
      const objs = await render(CHARTS.framework, FW_NS, fwValues);
      const servers = find(objs, 'TServer');
      expect(servers.map((o) => o.metadata.name).sort()).toEqual([...SERVERS.map((s) => `tars-${s}`), 'tars-elasticsearch'].sort());
      type Ts = { spec: { subType: string; tars?: { template: string; servants: { name: string; port: number }[] }; normal?: { ports: { name: string; port: number }[] }; k8s: { replicas: number; serviceAccount?: string }; release: { id: string; image: string; nodeImage?: string } } };
      const ts = (n: string) => one(objs, 'TServer', n) as unknown as K8sObject & Ts;
      const ports = (n: string) => Object.fromEntries((ts(n).spec.tars?.servants ?? ts(n).spec.normal?.ports ?? []).map((p) => [p.name, p.port]));
      expect(ports('tars-tarsregistry')).toEqual({ queryobj: 17890, registryobj: 17891 });
      expect(ports('tars-tarsconfig')).toEqual({ ConfigObj: 11111 });
      expect(ports('tars-tarsnotify')).toEqual({ NotifyObj: 13111 });
      expect(ports('tars-tarslog')).toEqual({ LogObj: 12111 });
      expect(ports('tars-tarsstat')).toEqual({ StatObj: 17000 });
      expect(ports('tars-tarsproperty')).toEqual({ PropertyObj: 14000 });
      expect(ports('tars-tarsquerystat')).toEqual({ QueryObj: 16000 });
      expect(ports('tars-tarsqueryproperty')).toEqual({ QueryObj: 15000 });
      expect(ports('tars-tarskevent')).toEqual({});
      expect(ports('tars-elasticsearch')).toEqual({ http: 9200 });
      expect(ts('tars-tarsregistry').spec.k8s.replicas).toBe(2);
      expect(ts('tars-tarsregistry').metadata.annotations).toEqual({ 'tars.io/MinReplicas': '2' });
      expect(ts('tars-tarsregistry').spec.subType).toBe('normal');
      for (const s of ['tarsconfig', 'tarslog']) expect(ts(`tars-${s}`).spec.tars!.template).toBe('tars.cpp');
      for (const s of ['tarsnotify', 'tarsstat', 'tarsproperty', 'tarsquerystat', 'tarsqueryproperty', 'tarskevent']) expect(ts(`tars-${s}`).spec.tars!.template).toBe('tars.es');
      expect(ts('tars-tarsstat').spec.release).toEqual({ id: 'v1.2.3', image: 'registry.example.com/tars/tars.tarsstat:v1.2.3', nodeImage: 'registry.example.com/tars/tars.tarsnode:v1.2.3' });
      expect(ts('tars-tarsregistry').spec.release).toEqual({ id: 'v1.2.3', image: 'registry.example.com/tars/tars.tarsregistry:v1.2.3' });
      expect(ts('tars-elasticsearch').spec.release.image).toBe('docker.elastic.co/elasticsearch/elasticsearch:8.15.3');
      // Every template a TServer names is rendered.
      const templates = new Set(find(objs, 'TTemplate').map((o) => o.metadata.name));
      expect([...templates].sort()).toEqual(['tars.cpp', 'tars.default', 'tars.es', 'tars.java', 'tars.nodejs', 'tars.php']);
      for (const s of servers) if ((s as unknown as Ts).spec.tars) expect(templates.has((s as unknown as Ts).spec.tars!.template)).toBe(true);
      // Service accounts named in TServers exist, with a Role bound to them.
      for (const s of servers) {
        const sa = (s as unknown as Ts).spec.k8s.serviceAccount;
        if (!sa) continue;
        one(objs, 'ServiceAccount', sa);
        expect((one(objs, 'RoleBinding', sa) as unknown as { subjects: { name: string }[] }).subjects[0]!.name).toBe(sa);
      }
      // Only k8s.tars.io/v1beta3 and GA APIs.
      for (const o of objs) expect(['k8s.tars.io/v1beta3', 'v1', 'rbac.authorization.k8s.io/v1']).toContain(o.apiVersion);
    });

    it('every custom resource matches the CRD schema and passes the webhook rules', async () => {
      const objs = await render(CHARTS.framework, FW_NS, { ...fwValues, framework: { ...fwValues.framework, secret: 'pull' }, admin: { password: 'secret-1' } });
      const crs = objs.filter((o) => o.apiVersion.startsWith('k8s.tars.io/'));
      expect(crs.length).toBeGreaterThan(25);
      for (const o of crs) expect(formatFieldErrors(validateSchema(o as never)), `${o.kind}/${o.metadata.name}`).toBe('');
      const fc = one(objs, 'TFrameworkConfig', 'tars-framework') as unknown as { nodeImage: { image: string; secret?: string } };
      const lookups: AdmissionLookups = {
        now: new Date(),
        user: 'system:serviceaccount:tars-dev:someone',
        frameworkConfig: fc as never,
        templates: () => find(objs, 'TTemplate') as never,
        tservers: () => [],
        tconfigs: () => [],
        treeExists: () => false,
        bcrypt: (data) => `$2a$06$${data.slice(0, 53).padEnd(53, 'x')}`,
      };
      for (const o of crs) {
        const m = mutate('CREATE', o as never, undefined, lookups);
        expect(m.allowed ? '' : formatFieldErrors(m.errors), `mutate ${o.kind}/${o.metadata.name}`).toBe('');
        if (!m.allowed) continue;
        const v = validate('CREATE', m.object, undefined, lookups);
        expect(formatFieldErrors(v.errors), `validate ${o.kind}/${o.metadata.name}`).toBe('');
      }
      expect(fc.nodeImage).toEqual({ image: 'registry.example.com/tars/tars.tarsnode:v1.2.3', secret: 'pull' });
    });

    it('toggles: elasticsearch or an existing cluster, services off, admin account', async () => {
      const es = (objs: K8sObject[]) => (one(objs, 'TTemplate', 'tars.es') as unknown as { spec: { content: string } }).spec.content;
      const own = await render(CHARTS.framework, 'fw1', fwValues);
      expect(es(own)).toMatch(/<nodes>\s*tars-elasticsearch:9200\s*<\/nodes>/);
      expect(es(own)).toMatch(/notify=fw1_notify_/);
      expect(es(own)).toMatch(/stat=fw1_stat_/);
      const external = await render(CHARTS.framework, 'fw1', { ...fwValues, elasticsearch: { enabled: false }, elk: { nodes: ['es-a.example:9200', 'es-b.example:9200'] } });
      expect(find(external, 'TServer', 'tars-elasticsearch')).toEqual([]);
      expect(es(external)).toMatch(/<nodes>\s*es-a\.example:9200\s*es-b\.example:9200\s*<\/nodes>/);
      await expect(render(CHARTS.framework, 'fw1', { ...fwValues, elasticsearch: { enabled: false } })).rejects.toThrow(/set elk.nodes/);

      const fewer = await render(CHARTS.framework, 'fw1', { ...fwValues, services: { tarsimage: { enabled: false }, tarskevent: { enabled: false } } });
      expect(find(fewer, 'TServer').map((o) => o.metadata.name)).not.toEqual(expect.arrayContaining(['tars-tarsimage']));
      expect(find(fewer, 'TServer', 'tars-tarskevent')).toEqual([]);
      expect(find(fewer, 'TImage', 'tars-tarsimage')).toEqual([]);
      expect(find(fewer, 'ServiceAccount', 'tars-tarsimage')).toEqual([]);
      expect(find(fewer, 'Role').filter((r) => r.metadata.namespace === 'default')).toEqual([]);
      expect(find(own, 'Role').filter((r) => r.metadata.namespace === 'default').map((r) => r.metadata.name)).toEqual(['tars-tarskevent-fw1']);

      expect(find(own, 'TAccount')).toEqual([]);
      const bcrypt = `$2a$06$${'a'.repeat(53)}`;
      const admin = one(await render(CHARTS.framework, 'fw1', { ...fwValues, admin: { bcryptPassword: bcrypt } }), 'TAccount', '21232f297a57a5a743894a0e4a801fc3');
      expect(admin).toMatchObject({ spec: { username: 'admin', authentication: { bcryptPassword: bcrypt, activated: true }, authorization: [{ role: 'admin', flag: '*' }] } });
      await expect(render(CHARTS.framework, 'fw1', { ...fwValues, admin: { bcryptPassword: 'short' } })).rejects.toThrow(/60-character/);

      const tokens = await render(CHARTS.framework, 'fw1', { ...fwValues, services: { tarsimage: { auth: 'tokens', tokensSecret: 'upload-tokens', port: 8081 } } });
      const img = one(tokens, 'TServer', 'tars-tarsimage') as unknown as { spec: { normal: { ports: unknown[] }; k8s: { env: { name: string; value?: string; valueFrom?: unknown }[] } } };
      expect(img.spec.normal.ports).toEqual([{ name: 'http', port: 8081, isTcp: true }]);
      expect(img.spec.k8s.env.find((e) => e.name === 'TARS_CONFIG_OVERRIDE')!.value).toBe('/tars/image<listen>=0.0.0.0:8081\n/tars/image<auth>=tokens');
      expect(img.spec.k8s.env.find((e) => e.name === 'TARS_IMAGE_TOKENS')!.valueFrom).toEqual({ secretKeyRef: { name: 'upload-tokens', key: 'tokens', optional: false } });
      await expect(render(CHARTS.framework, 'fw1', { ...fwValues, services: { tarsimage: { auth: 'tokens' } } })).rejects.toThrow(/tokensSecret is required/);

      const noLogDir = await render(CHARTS.framework, 'fw1', { ...fwValues, framework: { ...fwValues.framework, appLogHostPath: '' } });
      const mounts = (one(noLogDir, 'TServer', 'tars-tarsstat') as unknown as { spec: { k8s: { mounts: { name: string; source: unknown }[] } } }).spec.k8s.mounts;
      expect(mounts.find((m) => m.name === 'host-log-dir')!.source).toEqual({ emptyDir: {} });
    });

    it('hooks: TTree and TTemplates before the servers, TFrameworkConfig re-rendered on upgrade, none on rollback', async () => {
      const objs = await render(CHARTS.framework, FW_NS, fwValues);
      const hook = (o: K8sObject) => o.metadata.annotations?.['helm.sh/hook'];
      expect(hook(one(objs, 'TTree', 'tars-tree'))).toBe('pre-install,pre-upgrade');
      for (const t of find(objs, 'TTemplate')) expect(hook(t)).toBe('pre-install,pre-upgrade');
      expect(hook(one(objs, 'TFrameworkConfig', 'tars-framework'))).toBe('pre-install,pre-upgrade');
      for (const o of [...find(objs, 'TServer'), ...find(objs, 'TImage')]) expect(hook(o)).toBeUndefined();
    });
  });
});

// CommandError is what a failing helm throws; make sure the helper reports helm's message.
describe.skipIf(!helmOk)('charts: helm runner', () => {
  it('reports helm errors with helm\'s own message', async () => {
    const e = await helm(['template', 'x', '/nonexistent-chart']).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(CommandError);
    expect((e as CommandError).message).toMatch(/nonexistent-chart/);
  });
});
