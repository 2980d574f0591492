// helm install / upgrade / rollback / uninstall of both charts against the real kube-apiserver
// v1.20 of tools/kube-env (shared by the test run).
//
// What is exercised: the API server accepts every object (CRD schemas of the shipped CRDs,
// RBAC, webhook configurations, Deployments, DaemonSet, StorageClass); helm's hooks, lookups and
// three-way merges; RBAC as the API server's authorizer decides it for the chart's service
// accounts (SubjectAccessReview through `kubectl auth can-i --as`).
// What is not: no pod runs (no kubelet), so neither the controller nor the webhook runs. The
// webhook configurations are installed (the API server validates them) but scoped by a
// namespaceSelector that matches no namespace, so they neither block the framework install
// nor touch other tests in the shared cluster; nobody patches their caBundle except this test.
// The webhook's rules are applied to the rendered objects in-process in template.test.ts.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithKube } from '@tars-ts/kube-env/testing';
import { CHARTS, helm, kubectl, removeHelmHome, setFlags, type K8sObject } from './helm.ts';

const id = randomBytes(3).toString('hex');
const CTL_NS = `charts-ctl-${id}`;
const FW_NS = `charts-fw-${id}`;
const FW2_NS = `charts-fw2-${id}`;
const names = { mutating: `mutating.crd.tars.io-${id}`, validatingCrd: `validating.crd.tars.io-${id}`, validatingWorkload: `validating.k8s.tars.io-${id}` };
const ctlValues = {
  controller: { registry: 'registry.example.com/tars', tag: 'v1' },
  strictNamespace: false,
  storageClass: { name: `tars-storage-class-${id}` },
  webhook: { configurations: { names, namespaceSelector: { matchLabels: { [`charts-test-${id}`]: 'never-set' } } } },
};
const fwValues = {
  framework: { registry: 'registry.example.com/tars', tag: 'v1' },
  upload: { registry: 'registry.example.com/built' },
  admin: { bcryptPassword: `$2a$06$${'b'.repeat(53)}` },
};
const TARS_CRDS = ['taccounts', 'tconfigs', 'tendpoints', 'texitedrecords', 'tframeworkconfigs', 'timages', 'tservers', 'ttemplates', 'ttrees'].map((p) => `${p}.k8s.tars.io`);
const FW_SERVERS = ['tars-elasticsearch', 'tars-tarsconfig', 'tars-tarsimage', 'tars-tarskevent', 'tars-tarslog', 'tars-tarsnotify', 'tars-tarsproperty', 'tars-tarsqueryproperty', 'tars-tarsquerystat', 'tars-tarsregistry', 'tars-tarsstat'];

describeWithKube('charts: install, upgrade, rollback, uninstall on the real API server', (kube) => {
  const kc = () => ['--kubeconfig', kube().kubeconfigPath];
  const h = (args: string[]) => helm([...args, ...kc()], 180_000);
  const k = (args: string[]) => kubectl([...args, ...kc()]);
  const get = async <T = K8sObject>(args: string[]): Promise<T> => JSON.parse(await k(['get', ...args, '-o', 'json'])) as T;
  const list = async (args: string[]) => (await get<{ items: K8sObject[] }>(args)).items;
  const names_ = (objs: K8sObject[]) => objs.map((o) => o.metadata.name).sort();
  const exists = async (args: string[]) => (await k(['get', ...args, '--ignore-not-found', '-o', 'name'])).trim() !== '';
  const can = async (sa: string, verb: string, resource: string, ns?: string) => {
    const [res, sub] = resource.split('#');
    const out = await k(['auth', 'can-i', verb, res!, ...(sub ? [`--subresource=${sub}`] : []), `--as=system:serviceaccount:${sa}`, ...(ns ? ['-n', ns] : ['--all-namespaces'])]).catch((e: { stdout?: string }) => e.stdout ?? '');
    // A failing kubectl must not pass for "no": only these two answers count.
    if (out.trim() !== 'yes' && out.trim() !== 'no') throw new Error(`kubectl auth can-i ${verb} ${resource}: ${JSON.stringify(out)}`);
    return out.trim() === 'yes';
  };
  const container = (d: K8sObject) => (d as unknown as { spec: { template: { spec: { containers: { image: string; args: string[] }[] } } } }).spec.template.spec.containers[0]!;

  beforeAll(async () => {
    await k(['create', 'namespace', CTL_NS]);
    await k(['create', 'namespace', FW_NS]);
  });

  afterAll(async () => {
    // Whatever a failed step left behind (uninstall is idempotent with --ignore-not-found).
    await h(['uninstall', 'tarsframework', '-n', FW_NS, '--ignore-not-found']).catch(() => undefined);
    await h(['uninstall', 'tarscontroller', '-n', CTL_NS, '--ignore-not-found']).catch(() => undefined);
    await h(['uninstall', 'tarsframework', '-n', FW2_NS, '--ignore-not-found']).catch(() => undefined);
    await k(['delete', 'namespace', CTL_NS, FW_NS, FW2_NS, '--wait=false', '--ignore-not-found']).catch(() => undefined);
    for (const ns of [FW_NS, FW2_NS]) await k(['delete', 'rolebinding,role', '-n', 'default', `tars-tarskevent-${ns}`, '--ignore-not-found']).catch(() => undefined);
    removeHelmHome();
  });

  it('installs tarscontroller: CRDs established and kept, least-privilege RBAC, deployments', async () => {
    const notes = await h(['install', 'tarscontroller', CHARTS.controller, '-n', CTL_NS, ...setFlags(ctlValues)]);
    expect(notes).toContain('kubectl apply --server-side -f <chart>/crds/');
    const crds = await list(['crd']);
    for (const name of TARS_CRDS) {
      const crd = crds.find((c) => c.metadata.name === name) as (K8sObject & { status: { conditions: { type: string; status: string }[] } }) | undefined;
      expect(crd, name).toBeDefined();
      expect(crd!.status.conditions.find((c) => c.type === 'Established')?.status, name).toBe('True');
      expect(crd!.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    }
    const ctl = await get(['deployment', '-n', CTL_NS, 'tars-controller-manger']);
    expect(container(ctl).image).toBe('registry.example.com/tars/tarscontroller:v1');
    expect(container(ctl).args).toEqual(expect.arrayContaining(['controller', `--namespace=${CTL_NS}`, '--workers=4']));
    const wh = await get(['deployment', '-n', CTL_NS, 'tars-webhook-manger']);
    expect(container(wh).args).toEqual(expect.arrayContaining(['webhook', `--mutating-config=${names.mutating}`, `--controller-user=system:serviceaccount:${CTL_NS}:tars-controller`]));
    expect(await exists(['daemonset', '-n', CTL_NS, 'tars-agent'])).toBe(true);
    expect(await exists(['storageclass', ctlValues.storageClass.name])).toBe(true);
    const mwc = await get<{ webhooks: { clientConfig: { caBundle?: string; service: { namespace: string } } }[] }>(['mutatingwebhookconfiguration', names.mutating]);
    expect(mwc.webhooks[0]!.clientConfig.caBundle).toBeUndefined();
    expect(mwc.webhooks[0]!.clientConfig.service.namespace).toBe(CTL_NS);

    // What the API server's authorizer allows the service accounts.
    const ctlSa = `${CTL_NS}:tars-controller`;
    expect(await can(ctlSa, 'update', 'tservers.k8s.tars.io#status')).toBe(true);
    expect(await can(ctlSa, 'create', 'statefulsets.apps')).toBe(true);
    expect(await can(ctlSa, 'patch', 'nodes')).toBe(true);
    expect(await can(ctlSa, 'update', 'leases.coordination.k8s.io/tars-controller-manger', CTL_NS)).toBe(true);
    expect(await can(ctlSa, 'update', 'leases.coordination.k8s.io/another', CTL_NS)).toBe(false);
    expect(await can(ctlSa, 'get', 'secrets')).toBe(false);
    expect(await can(ctlSa, 'delete', 'tservers.k8s.tars.io')).toBe(false);
    const whSa = `${CTL_NS}:tars-webhook`;
    expect(await can(whSa, 'patch', `mutatingwebhookconfigurations.admissionregistration.k8s.io/${names.mutating}`)).toBe(true);
    expect(await can(whSa, 'patch', `validatingwebhookconfigurations.admissionregistration.k8s.io/${names.validatingWorkload}`)).toBe(true);
    expect(await can(whSa, 'patch', 'mutatingwebhookconfigurations.admissionregistration.k8s.io/someone-else')).toBe(false);
    expect(await can(whSa, 'patch', 'customresourcedefinitions.apiextensions.k8s.io/tservers.k8s.tars.io')).toBe(true);
    expect(await can(whSa, 'patch', 'customresourcedefinitions.apiextensions.k8s.io/ttrees.k8s.tars.io')).toBe(false);
    expect(await can(whSa, 'get', 'secrets/tars-webhook-ca', CTL_NS)).toBe(true);
    expect(await can(whSa, 'get', 'secrets/other', CTL_NS)).toBe(false);
    expect(await can(whSa, 'list', 'secrets', CTL_NS)).toBe(false);
    expect(await can(`${CTL_NS}:tars-agent`, 'create', 'persistentvolumes')).toBe(true);
    expect(await can(`${CTL_NS}:tars-agent`, 'create', 'pods')).toBe(false);
  });

  it('installs tarsframework: TServers, TImages, templates, tree, framework config, account, RBAC', async () => {
    const notes = await h(['install', 'tarsframework', CHARTS.framework, '-n', FW_NS, ...setFlags(fwValues)]);
    expect(notes).toContain(`kubectl label node <node> tars.io/node.${FW_NS}=`);
    expect(notes).toContain('Elasticsearch: tars-elasticsearch:9200');
    expect(notes).not.toContain('No admin account');
    const servers = await list(['tservers.k8s.tars.io', '-n', FW_NS]);
    expect(names_(servers)).toEqual(FW_SERVERS);
    const reg = servers.find((s) => s.metadata.name === 'tars-tarsregistry') as unknown as { spec: { k8s: { replicas: number }; release: { image: string } } };
    expect(reg.spec.k8s.replicas).toBe(2);
    expect(reg.spec.release.image).toBe('registry.example.com/tars/tars.tarsregistry:v1');
    // Defaults applied by the API server from the CRD schema.
    const stat = servers.find((s) => s.metadata.name === 'tars-tarsstat') as unknown as { spec: { tars: { servants: { timeout: number; capacity: number }[] }; k8s: { abilityAffinity: string } } };
    expect(stat.spec.tars.servants[0]).toMatchObject({ timeout: 60000, capacity: 10000 });
    expect(stat.spec.k8s.abilityAffinity).toBe('AppOrServerPreferred');
    expect(names_(await list(['ttemplates.k8s.tars.io', '-n', FW_NS]))).toEqual(['tars.cpp', 'tars.default', 'tars.es', 'tars.java', 'tars.nodejs', 'tars.php']);
    expect(await exists(['ttrees.k8s.tars.io', '-n', FW_NS, 'tars-tree'])).toBe(true);
    const fc = await get<{ nodeImage: { image: string }; imageUpload: { registry: string } }>(['tframeworkconfigs.k8s.tars.io', '-n', FW_NS, 'tars-framework']);
    expect(fc.nodeImage.image).toBe('registry.example.com/tars/tars.tarsnode:v1');
    expect(fc.imageUpload.registry).toBe('registry.example.com/built');
    expect(names_(await list(['timages.k8s.tars.io', '-n', FW_NS]))).toEqual(
      ['node', ...FW_SERVERS.filter((s) => s !== 'tars-elasticsearch'), 'tars-tarskaniko'].sort(),
    );
    expect(await exists(['taccounts.k8s.tars.io', '-n', FW_NS, '21232f297a57a5a743894a0e4a801fc3'])).toBe(true);
    const reg_ = `${FW_NS}:tars-tarsregistry`;
    expect(await can(reg_, 'patch', 'pods#status', FW_NS)).toBe(true);
    expect(await can(reg_, 'watch', 'tendpoints.k8s.tars.io', FW_NS)).toBe(true);
    expect(await can(reg_, 'update', 'tendpoints.k8s.tars.io', FW_NS)).toBe(false);
    expect(await can(reg_, 'watch', 'tendpoints.k8s.tars.io', CTL_NS)).toBe(false);
    expect(await can(`${FW_NS}:tars-tarsconfig`, 'list', 'tconfigs.k8s.tars.io', FW_NS)).toBe(true);
    expect(await can(`${FW_NS}:tars-tarsconfig`, 'create', 'tconfigs.k8s.tars.io', FW_NS)).toBe(false);
    expect(await can(`${FW_NS}:tars-tarskevent`, 'watch', 'events', 'default')).toBe(true);
    expect(await can(`${FW_NS}:tars-tarsimage`, 'create', 'pods', FW_NS)).toBe(true);
    expect(await can(`${FW_NS}:tars-tarsimage`, 'list', 'secrets', FW_NS)).toBe(false);
  });

  it('installs a second framework in another namespace beside the first (external Elasticsearch)', async () => {
    await k(['create', 'namespace', FW2_NS]);
    await h(['install', 'tarsframework', CHARTS.framework, '-n', FW2_NS, ...setFlags({ ...fwValues, elasticsearch: { enabled: false }, elk: { nodes: ['es.example:9200'] }, services: { tarsimage: { enabled: false } } })]);
    expect(names_(await list(['tservers.k8s.tars.io', '-n', FW2_NS]))).toEqual(FW_SERVERS.filter((s) => s !== 'tars-elasticsearch' && s !== 'tars-tarsimage'));
    const es = await get<{ spec: { content: string } }>(['ttemplates.k8s.tars.io', '-n', FW2_NS, 'tars.es']);
    expect(es.spec.content).toMatch(/<nodes>\s*es\.example:9200\s*<\/nodes>/);
    expect(es.spec.content).toContain(`stat=${FW2_NS}_stat_`);
    expect(await can(`${FW2_NS}:tars-tarskevent`, 'watch', 'events', 'default')).toBe(true);
    await h(['uninstall', 'tarsframework', '-n', FW2_NS]);
    // The first framework's objects are untouched.
    expect(names_(await list(['tservers.k8s.tars.io', '-n', FW_NS]))).toEqual(FW_SERVERS);
    expect(await can(`${FW_NS}:tars-tarskevent`, 'watch', 'events', 'default')).toBe(true);
    expect(await can(`${FW2_NS}:tars-tarskevent`, 'watch', 'events', 'default')).toBe(false);
  });

  it('upgrades: changed values change the objects; live edits of hook objects and the caBundle survive', async () => {
    // People edit these between releases; the patched caBundle stands for the webhook's.
    await k(['patch', 'tframeworkconfigs.k8s.tars.io', '-n', FW_NS, 'tars-framework', '--type=merge', '-p', JSON.stringify({ imageBuild: { maxBuildTime: 777 }, upChain: { default: [{ host: 'up.example', port: 17890 }] } })]);
    await k(['patch', 'ttrees.k8s.tars.io', '-n', FW_NS, 'tars-tree', '--type=json', '-p', JSON.stringify([{ op: 'add', path: '/apps/-', value: { name: 'Mine', businessRef: 'TarsFramework' } }])]);
    const bundle = Buffer.from('-----BEGIN CERTIFICATE-----\nstand-in\n-----END CERTIFICATE-----\n').toString('base64');
    await k(['patch', 'mutatingwebhookconfiguration', names.mutating, '--type=json', '-p', JSON.stringify([{ op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: bundle }])]);

    await h(['upgrade', 'tarscontroller', CHARTS.controller, '-n', CTL_NS, ...setFlags({ ...ctlValues, controller: { ...ctlValues.controller, tag: 'v2', workers: 8 }, agent: { enabled: false } })]);
    const ctl = await get(['deployment', '-n', CTL_NS, 'tars-controller-manger']);
    expect(container(ctl).image).toBe('registry.example.com/tars/tarscontroller:v2');
    expect(container(ctl).args).toContain('--workers=8');
    expect(await exists(['daemonset', '-n', CTL_NS, 'tars-agent'])).toBe(false);
    const mwc = await get<{ webhooks: { clientConfig: { caBundle?: string } }[] }>(['mutatingwebhookconfiguration', names.mutating]);
    expect(mwc.webhooks[0]!.clientConfig.caBundle).toBe(bundle);

    await h(['upgrade', 'tarsframework', CHARTS.framework, '-n', FW_NS, ...setFlags({ ...fwValues, framework: { ...fwValues.framework, tag: 'v2' }, services: { tarsimage: { enabled: false } }, frameworkConfig: { maxBuildTime: 300 } })]);
    const servers = await list(['tservers.k8s.tars.io', '-n', FW_NS]);
    expect(names_(servers)).toEqual(FW_SERVERS.filter((s) => s !== 'tars-tarsimage'));
    const stat = servers.find((s) => s.metadata.name === 'tars-tarsstat') as unknown as { spec: { release: { id: string; image: string; nodeImage: string } } };
    expect(stat.spec.release).toMatchObject({ id: 'v2', image: 'registry.example.com/tars/tars.tarsstat:v2', nodeImage: 'registry.example.com/tars/tars.tarsnode:v2' });
    const img = await get<{ releases: { id: string }[] }>(['timages.k8s.tars.io', '-n', FW_NS, 'tars-tarsstat']);
    expect(img.releases.map((r) => r.id)).toEqual(['v2', 'v1']);
    expect(await exists(['serviceaccount', '-n', FW_NS, 'tars-tarsimage'])).toBe(false);
    const fc = await get<{ nodeImage: { image: string }; imageBuild: { maxBuildTime: number }; upChain: unknown }>(['tframeworkconfigs.k8s.tars.io', '-n', FW_NS, 'tars-framework']);
    expect(fc.nodeImage.image).toBe('registry.example.com/tars/tars.tarsnode:v2');
    expect(fc.imageBuild.maxBuildTime).toBe(777); // the live value wins over values.yaml, as upstream
    expect(fc.upChain).toEqual({ default: [{ host: 'up.example', port: 17890, timeout: 6000, isTcp: true }] });
    const tree = await get<{ apps: { name: string }[] }>(['ttrees.k8s.tars.io', '-n', FW_NS, 'tars-tree']);
    expect(tree.apps.map((a) => a.name)).toEqual(['tars', 'base', 'Mine']);
  });

  it('rolls back: the first release\'s TServers and RBAC return; hook objects keep their edits', async () => {
    await h(['rollback', 'tarsframework', '1', '-n', FW_NS]);
    const servers = await list(['tservers.k8s.tars.io', '-n', FW_NS]);
    expect(names_(servers)).toEqual(FW_SERVERS);
    const stat = servers.find((s) => s.metadata.name === 'tars-tarsstat') as unknown as { spec: { release: { id: string; image: string; nodeImage: string } } };
    expect(stat.spec.release).toMatchObject({ id: 'v1', image: 'registry.example.com/tars/tars.tarsstat:v1', nodeImage: 'registry.example.com/tars/tars.tarsnode:v1' });
    expect(await exists(['serviceaccount', '-n', FW_NS, 'tars-tarsimage'])).toBe(true);
    // No pre-rollback hook: the framework config is the one of the last upgrade, edits kept.
    const fc = await get<{ nodeImage: { image: string }; imageBuild: { maxBuildTime: number } }>(['tframeworkconfigs.k8s.tars.io', '-n', FW_NS, 'tars-framework']);
    expect(fc.imageBuild.maxBuildTime).toBe(777);
    expect(fc.nodeImage.image).toBe('registry.example.com/tars/tars.tarsnode:v2');

    await h(['rollback', 'tarscontroller', '1', '-n', CTL_NS]);
    const ctl = await get(['deployment', '-n', CTL_NS, 'tars-controller-manger']);
    expect(container(ctl).image).toBe('registry.example.com/tars/tarscontroller:v1');
    expect(container(ctl).args).toContain('--workers=4');
    expect(await exists(['daemonset', '-n', CTL_NS, 'tars-agent'])).toBe(true);
  });

  it('downgrades with helm upgrade to the older tag: images, node image and history follow', async () => {
    await h(['upgrade', 'tarsframework', CHARTS.framework, '-n', FW_NS, ...setFlags(fwValues)]);
    const fc = await get<{ nodeImage: { image: string }; imageBuild: { maxBuildTime: number } }>(['tframeworkconfigs.k8s.tars.io', '-n', FW_NS, 'tars-framework']);
    expect(fc.nodeImage.image).toBe('registry.example.com/tars/tars.tarsnode:v1');
    expect(fc.imageBuild.maxBuildTime).toBe(777);
    const stat = await get<{ spec: { release: { id: string } } }>(['tservers.k8s.tars.io', '-n', FW_NS, 'tars-tarsstat']);
    expect(stat.spec.release.id).toBe('v1');
    const history = JSON.parse(await h(['history', 'tarsframework', '-n', FW_NS, '-o', 'json'])) as { revision: number; status: string }[];
    expect(history.map((r) => [r.revision, r.status])).toEqual([[1, 'superseded'], [2, 'superseded'], [3, 'superseded'], [4, 'deployed']]);
  });

  it('uninstalls: release objects gone, hook objects and CRDs kept', async () => {
    await h(['uninstall', 'tarsframework', '-n', FW_NS]);
    expect(await list(['tservers.k8s.tars.io', '-n', FW_NS])).toEqual([]);
    expect(await list(['timages.k8s.tars.io', '-n', FW_NS])).toEqual([]);
    expect(await list(['taccounts.k8s.tars.io', '-n', FW_NS])).toEqual([]);
    expect(await exists(['rolebinding', '-n', FW_NS, 'tars-tarsregistry'])).toBe(false);
    expect(await exists(['role', '-n', 'default', `tars-tarskevent-${FW_NS}`])).toBe(false);
    // Hooks are not part of the release (upstream's behaviour): people's tree and templates stay.
    expect(await exists(['ttrees.k8s.tars.io', '-n', FW_NS, 'tars-tree'])).toBe(true);
    expect(await list(['ttemplates.k8s.tars.io', '-n', FW_NS])).toHaveLength(6);
    expect(await exists(['tframeworkconfigs.k8s.tars.io', '-n', FW_NS, 'tars-framework'])).toBe(true);

    await h(['uninstall', 'tarscontroller', '-n', CTL_NS]);
    expect(await exists(['deployment', '-n', CTL_NS, 'tars-controller-manger'])).toBe(false);
    expect(await exists(['clusterrole', `${CTL_NS}:tars-controller`])).toBe(false);
    expect(await exists(['clusterrolebinding', `${CTL_NS}:tars-webhook`])).toBe(false);
    expect(await exists(['mutatingwebhookconfiguration', names.mutating])).toBe(false);
    expect(await exists(['validatingwebhookconfiguration', names.validatingWorkload])).toBe(false);
    expect(await exists(['storageclass', ctlValues.storageClass.name])).toBe(false);
    const crds = names_(await list(['crd'])).filter((n) => n.endsWith('.k8s.tars.io'));
    expect(crds).toEqual(expect.arrayContaining(TARS_CRDS));
  });
});
