// The admission webhook on the real API server: every mutating and validating rule, denied with
// its message. The webhook is registered by URL with the CA it generated (patched in by the
// webhook role's own code); no controller runs here, so what is seen is the webhook alone.
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeKube } from '@tars-ts/cluster/testing';
import { Resources, tarsResource, type KubeObject, type TarsKind } from '@tars-ts/cluster';
import { startTarsEnv, tserver, type TarsTestEnv } from '../testing/env.ts';

type Obj = KubeObject & { metadata: any; [k: string]: any };

describeKube('admission webhook on a real API server', () => {
  let env: TarsTestEnv;
  let ns: string;
  const create = (kind: TarsKind, obj: object) => env.admin.create<Obj>(tarsResource(kind), ns, { apiVersion: 'k8s.tars.io/v1beta3', kind, ...obj } as Obj);
  const get = (kind: TarsKind, name: string) => env.admin.get<Obj>(tarsResource(kind), ns, name);
  const replace = (kind: TarsKind, obj: Obj) => env.admin.replace<Obj>(tarsResource(kind), ns, obj);
  const remove = (kind: TarsKind, name: string) => env.admin.delete(tarsResource(kind), ns, name);
  const denied = async (p: Promise<unknown>, message: string | RegExp) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err, `expected a denial containing ${message}`).toBeDefined();
    expect(err!.message).toContain('denied the request');
    if (typeof message === 'string') expect(err!.message).toContain(message);
    else expect(err!.message).toMatch(message);
  };

  beforeAll(async () => {
    env = await startTarsEnv({ prefix: 'wh', controller: false });
    ns = env.ns;
  });
  afterAll(async () => {
    await env?.stop();
  });

  describe('mutating: TServer', () => {
    it('labels, readiness gate first, notStacked for host ports, replicas 0 without a release', async () => {
      const ts = await env.admin.create<Obj>(
        tarsResource('TServer'),
        ns,
        tserver(ns, 'Test', 'Mut', { k8s: { replicas: 3, readinessGates: ['example.com/warm', 'tars.io/active', 'example.com/warm'], hostPorts: [{ nameRef: 'helloobj', port: 30001 }] } }),
      );
      expect(ts.metadata.labels).toMatchObject({ 'tars.io/ServerApp': 'Test', 'tars.io/ServerName': 'Mut', 'tars.io/SubType': 'tars', 'tars.io/Template': 'tars.cpp' });
      expect(ts.metadata.labels).not.toHaveProperty('tars.io/ServerID');
      expect(ts.spec.k8s.readinessGates).toEqual(['tars.io/active', 'example.com/warm']);
      expect(ts.spec.k8s.notStacked).toBe(true);
      expect(ts.spec.k8s.replicas).toBe(0);
    });

    it('with a release: release time, ServerID label, node image and secret from the TFrameworkConfig', async () => {
      const ts = await env.admin.create<Obj>(tarsResource('TServer'), ns, tserver(ns, 'Test', 'Rel', { k8s: { replicas: 2 }, release: { id: 'v1', image: 'registry.test/test.rel:v1' } }));
      expect(ts.spec.release.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(ts.spec.release.nodeImage).toBe('registry.test/tars.tarsnode:v1');
      expect(ts.spec.release.nodeSecret).toBe('tars-node-secret');
      expect(ts.metadata.labels['tars.io/ServerID']).toBe('v1');
      expect(ts.spec.k8s.replicas).toBe(2);
    });

    it('clamps replicas to tars.io/MinReplicas and tars.io/MaxReplicas, on create and update', async () => {
      const release = { id: 'v1', image: 'registry.test/test.clamp:v1' };
      const ts = await env.admin.create<Obj>(tarsResource('TServer'), ns, tserver(ns, 'Test', 'Clamp', { k8s: { replicas: 9 }, release }, { annotations: { 'tars.io/MinReplicas': '2', 'tars.io/MaxReplicas': '4' } }));
      expect(ts.spec.k8s.replicas).toBe(4);
      ts.spec.k8s.replicas = 1;
      const updated = await replace('TServer', ts);
      expect(updated.spec.k8s.replicas).toBe(2);
    });

    it('clamps kubectl scale (the scale subresource) too', async () => {
      const name = 'test-clamp';
      const scale = await env.admin.get<Obj>(tarsResource('TServer'), ns, name, 'scale');
      const out = await env.admin.request<Obj>('PUT', `${env.admin.path(tarsResource('TServer'), ns, name, 'scale')}`, { body: { ...scale, spec: { replicas: 50 } } });
      expect(out.spec.replicas).toBe(4);
      expect((await get('TServer', name)).spec.k8s.replicas).toBe(4);
    });

    it('denies malformed replica annotations and min > max', async () => {
      await denied(create('TServer', tserver(ns, 'Test', 'Bad1', {}, { annotations: { 'tars.io/MaxReplicas': 'ten' } })), 'unexpected annotation format "ten"');
      await denied(create('TServer', tserver(ns, 'Test', 'Bad2', {}, { annotations: { 'tars.io/MinReplicas': '5', 'tars.io/MaxReplicas': '3' } })), 'tars.io/MinReplicas (5) is greater than tars.io/MaxReplicas (3)');
    });

    it('normal servers: no template label, no node image, user gates deduplicated', async () => {
      const ts = await env.admin.create<Obj>(
        tarsResource('TServer'),
        ns,
        tserver(ns, 'Test', 'Web', {
          subType: 'normal',
          tars: undefined,
          normal: { ports: [{ name: 'http', port: 8080 }] },
          k8s: { readinessGates: ['a.io/x', 'a.io/x'] },
          release: { id: 'v1', image: 'registry.test/web:v1', nodeImage: 'registry.test/node:v9' },
        }, { labels: { 'tars.io/Template': 'stale' } }),
      );
      expect(ts.metadata.labels).not.toHaveProperty('tars.io/Template');
      expect(ts.metadata.labels['tars.io/SubType']).toBe('normal');
      expect(ts.spec.release).not.toHaveProperty('nodeImage');
      expect(ts.spec.k8s.readinessGates).toEqual(['a.io/x']);
    });
  });

  describe('mutating: other kinds', () => {
    it('TConfig: labels mirror the fields, version and updateTime are set', async () => {
      const c = await create('TConfig', { metadata: { name: 'cfg-m1' }, app: 'Test', server: 'Rel', configName: 'app.conf', configContent: 'a=1' });
      expect(c.metadata.labels).toMatchObject({ 'tars.io/ServerApp': 'Test', 'tars.io/ServerName': 'Rel', 'tars.io/ConfigName': 'app.conf', 'tars.io/PodSeq': 'm', 'tars.io/Activated': 'true' });
      expect(c.version).toMatch(/^\d{14}-[0-9a-f]+$/);
      expect(c.metadata.labels['tars.io/Version']).toBe(c.version);
      expect(c.updateTime).toBeDefined();
    });

    it('TTemplate: tars.io/Parent on children, not on roots', async () => {
      const child = await create('TTemplate', { metadata: { name: 'tars.child' }, spec: { content: 'x', parent: 'tars.cpp' } });
      expect(child.metadata.labels['tars.io/Parent']).toBe('tars.cpp');
      const root = await create('TTemplate', { metadata: { name: 'tars.root2', labels: { 'tars.io/Parent': 'x' } }, spec: { content: 'x', parent: 'tars.root2' } });
      expect(root.metadata.labels ?? {}).not.toHaveProperty('tars.io/Parent');
    });

    it('TAccount: password becomes bcrypt(hex(sha1(password))), tokens reset, last-applied dropped', async () => {
      const username = 'alice';
      const name = createHash('md5').update(username).digest('hex');
      const acc = await create('TAccount', {
        metadata: { name, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"password":"secret1"}' } },
        spec: {
          username,
          authentication: { password: 'secret1', tokens: [{ name: 'tk', content: 'x', expirationTime: '2099-01-01T00:00:00Z' }] },
          authorization: [{ role: 'admin', flag: '*' }],
        },
      });
      expect(acc.spec.authentication).not.toHaveProperty('password');
      expect(acc.spec.authentication.tokens ?? []).toEqual([]);
      expect(bcrypt.compareSync(createHash('sha1').update('secret1').digest('hex'), acc.spec.authentication.bcryptPassword)).toBe(true);
      expect(acc.spec.authentication.bcryptPassword).toMatch(/^\$2[aby]\$06\$/);
      expect(acc.metadata.annotations ?? {}).not.toHaveProperty('kubectl.kubernetes.io/last-applied-configuration');
      await denied(create('TAccount', { metadata: { name: createHash('md5').update('bob').digest('hex') }, spec: { username: 'bob', authentication: { password: 'pass word' }, authorization: [] } }), 'must be 6 to 32 printable ASCII characters');
    });

    it('TImage: type and supported-type labels, duplicate release ids dropped, createTime filled', async () => {
      const img = await create('TImage', {
        metadata: { name: 'cppbase', labels: { 'tars.io/Supported.java-jar': 'java-jar' } },
        imageType: 'base',
        supportedType: ['cpp', 'go'],
        releases: [
          { id: 'r1', image: 'registry.test/cppbase:1' },
          { id: 'r1', image: 'registry.test/cppbase:dup' },
        ],
      });
      expect(img.metadata.labels).toMatchObject({ 'tars.io/ImageType': 'base', 'tars.io/Supported.cpp': 'cpp', 'tars.io/Supported.go': 'go' });
      expect(img.metadata.labels).not.toHaveProperty('tars.io/Supported.java-jar');
      expect(img.releases).toHaveLength(1);
      expect(img.releases[0].image).toBe('registry.test/cppbase:1');
      expect(img.releases[0].createTime).toBeDefined();
    });
  });

  describe('validating: TServer', () => {
    it('denies a name that is not lower(app)-lower(server)', async () => {
      await denied(create('TServer', { ...tserver(ns, 'Test', 'Name'), metadata: { name: 'other-name' } }), 'unexpected resource name "other-name", want "test-name"');
    });
    it('denies the reserved tarsnode port 19385', async () => {
      await denied(create('TServer', tserver(ns, 'Test', 'Port', { tars: { template: 'tars.cpp', servants: [{ name: 'AObj', port: 19385 }] } })), 'port 19385 is reserved for tarsnode');
    });
    it('denies duplicate servant/port names (case-insensitive) and duplicate port values', async () => {
      await denied(
        create('TServer', tserver(ns, 'Test', 'Dup', { tars: { template: 'tars.cpp', servants: [{ name: 'AObj', port: 1 }, { name: 'aobj', port: 2 }] } })),
        'duplicate name "aobj" (names are case-insensitive)',
      );
      await denied(
        create('TServer', tserver(ns, 'Test', 'Dup', { tars: { template: 'tars.cpp', servants: [{ name: 'AObj', port: 7 }], ports: [{ name: 'b', port: 7 }] } })),
        'duplicate port 7',
      );
    });
    it('denies a missing template', async () => {
      await denied(create('TServer', tserver(ns, 'Test', 'Tpl', { tars: { template: 'tars.nope', servants: [] } })), 'TTemplate "tars.nope" does not exist');
    });
    it('denies host ports naming nothing, named twice, or using one port twice', async () => {
      await denied(create('TServer', tserver(ns, 'Test', 'Hp', { k8s: { hostPorts: [{ nameRef: 'nothing', port: 1 }] } })), '"nothing" names no servant or port');
      await denied(create('TServer', tserver(ns, 'Test', 'Hp', { k8s: { hostPorts: [{ nameRef: 'helloobj', port: 1 }, { nameRef: 'HelloObj', port: 2 }] } })), 'is used more than once');
      await denied(
        create('TServer', tserver(ns, 'Test', 'Hp', { tars: { template: 'tars.cpp', servants: [{ name: 'AObj', port: 1 }, { name: 'BObj', port: 2 }] }, k8s: { hostPorts: [{ nameRef: 'aobj', port: 9 }, { nameRef: 'bobj', port: 9 }] } })),
        'host port 9 is used more than once',
      );
    });
    it('denies duplicate mounts and local volumes / claim templates on DaemonSets', async () => {
      const m = { name: 'data', mountPath: '/d', source: { emptyDir: {} } };
      await denied(create('TServer', tserver(ns, 'Test', 'Mnt', { k8s: { mounts: [m, { ...m, mountPath: '/e' }] } })), 'mount name "data" is used more than once');
      await denied(create('TServer', tserver(ns, 'Test', 'Mnt', { k8s: { daemonSet: true, mounts: [{ name: 'tlv', mountPath: '/t', source: { tLocalVolume: {} } }] } })), 'tLocalVolume: is not supported when daemonSet is true');
    });
    it('denies changing app, server or subType (adding spec.normal is already refused by the schema oneOf)', async () => {
      const ts = await get('TServer', 'test-mut');
      await denied(replace('TServer', { ...ts, spec: { ...ts.spec, important: 5, server: 'Other' } }), 'spec.server: is immutable');
      await denied(replace('TServer', { ...ts, spec: { ...ts.spec, app: 'Other' } }), 'spec.app: is immutable');
      await denied(replace('TServer', { ...ts, spec: { ...ts.spec, subType: 'normal' } }), 'spec.subType: is immutable');
    });
    it('denies a release without a node image to set (no TFrameworkConfig)', async () => {
      const fc = await get('TFrameworkConfig', 'tars-framework');
      await remove('TFrameworkConfig', 'tars-framework');
      try {
        await denied(create('TServer', tserver(ns, 'Test', 'NoNode', { release: { id: 'v1', image: 'registry.test/x:v1' } })), 'no default node image has been set');
      } finally {
        const { resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, managedFields: _mf, ...meta } = fc.metadata as Record<string, unknown>;
        await env.admin.create(tarsResource('TFrameworkConfig'), ns, { ...fc, metadata: meta } as Obj);
      }
    });
  });

  describe('validating: TConfig', () => {
    const conf = (name: string, extra: Record<string, unknown> = {}) => ({ metadata: { name }, app: 'Cfg', server: 'Srv', configName: 'c.conf', configContent: name, ...extra });

    it('activating a version marks the previously active one for deactivation', async () => {
      await create('TConfig', conf('c-v1'));
      await create('TConfig', conf('c-v2'));
      const v1 = await get('TConfig', 'c-v1');
      expect(v1.metadata.labels['tars.io/Deactivate']).toBe('Deactivating');
      expect((await get('TConfig', 'c-v2')).metadata.labels['tars.io/Deactivate']).toBeUndefined();
    });
    it('denies system labels on create, master/slave at app level, and a slave without an active master', async () => {
      await denied(create('TConfig', conf('c-lbl', { metadata: { name: 'c-lbl', labels: { 'tars.io/Deleting': 'Deleting' } } })), 'is set by the system only');
      await denied(create('TConfig', { metadata: { name: 'c-app' }, app: 'Cfg', configName: 'a.conf', configContent: 'x', podSeq: '1' }), 'app level tconfig does not support master/slave');
      await denied(create('TConfig', conf('c-slave', { configName: 'lonely.conf', podSeq: '0' })), 'no activated master tconfig found');
    });
    it('denies changing content and deactivating by hand; the controller may deactivate', async () => {
      const v2 = await get('TConfig', 'c-v2');
      await denied(replace('TConfig', { ...v2, configContent: 'changed' }), 'configContent: is immutable');
      await denied(replace('TConfig', { ...v2, activated: false }), 'only use authorized account can update activated from true to false');
      const byController = await env.controllerClient.patch<Obj>(tarsResource('TConfig'), ns, 'c-v1', {
        type: 'merge',
        value: { activated: false, metadata: { labels: { 'tars.io/Activated': 'false', 'tars.io/Deactivate': null } } },
      });
      expect(byController.activated).toBe(false);
    });
    it('guards deletion: not within 48 s of creation, not a master a slave refers to', async () => {
      await denied(remove('TConfig', 'c-v2'), 'deletion guard time(48s)');
      await remove('TConfig', 'c-v1'); // inactive: allowed
      await expect(get('TConfig', 'c-v1')).rejects.toThrow();
    });
  });

  describe('validating: TTemplate, TTree, TAccount', () => {
    it('TTemplate: parent must exist; a parent or a template in use cannot be deleted', async () => {
      await denied(create('TTemplate', { metadata: { name: 'tars.orphan' }, spec: { content: 'x', parent: 'tars.nothing' } }), 'parent TTemplate "tars.nothing" does not exist');
      await denied(remove('TTemplate', 'tars.cpp'), /TTemplate "tars.cpp" is (the parent of|used by)/);
      await remove('TTemplate', 'tars.child');
    });
    it('TTree: only tars-tree, once; unique names; apps in use stay; never deleted', async () => {
      await denied(create('TTree', { metadata: { name: 'other-tree' }, businesses: [], apps: [] }), 'must be "tars-tree"');
      await denied(create('TTree', { metadata: { name: 'tars-tree' }, businesses: [{ name: 'Biz', show: 'b' }, { name: 'Biz', show: 'c' }], apps: [] }), 'business "Biz" is listed more than once');
      await create('TTree', { metadata: { name: 'tars-tree' }, businesses: [{ name: 'Biz', show: 'biz' }], apps: [{ name: 'Test', businessRef: 'Biz' }, { name: 'Idle', businessRef: 'Biz' }] });
      await denied(create('TTree', { metadata: { name: 'tars-tree' }, businesses: [], apps: [] }), /already exists/);
      const tree = await get('TTree', 'tars-tree');
      await denied(replace('TTree', { ...tree, apps: [{ name: 'Idle', businessRef: 'Biz' }] }), 'app "Test" is still used by a TServer');
      const ok = await replace('TTree', { ...tree, apps: [{ name: 'Test', businessRef: 'Biz' }] });
      expect(ok.apps).toHaveLength(1);
      await denied(remove('TTree', 'tars-tree'), 'tars-tree cannot be deleted');
    });
    it('TAccount: the name must be md5(username)', async () => {
      await denied(create('TAccount', { metadata: { name: 'carol' }, spec: { username: 'carol', authentication: { bcryptPassword: 'x'.repeat(60) }, authorization: [] } }), 'must be the md5 of spec.username');
    });
  });

  describe('validating: generated workloads', () => {
    it('only the controller creates labelled StatefulSets and Services', async () => {
      const labels = { 'tars.io/ServerApp': 'Test', 'tars.io/ServerName': 'Fake' };
      await denied(
        env.admin.create(Resources.Service, ns, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'test-fake', labels }, spec: { clusterIP: 'None', selector: labels, ports: [{ name: 'x', port: 1 }] } } as Obj),
        'resource should be created through tserver',
      );
      const svc = await env.controllerClient.create<Obj>(Resources.Service, ns, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'test-fake', labels }, spec: { clusterIP: 'None', selector: labels, ports: [{ name: 'x', port: 1 }] } } as Obj);
      expect(svc.metadata.name).toBe('test-fake');
    });
    it('others may not change what the TServer determines, but may change the rest', async () => {
      // A Service derived from TServer test-rel, written by the controller's identity.
      const { translateService } = await import('../translator/index.ts');
      const ts = await get('TServer', 'test-rel');
      await env.controllerClient.create(Resources.Service, ns, translateService(ts as never) as unknown as Obj);
      const svc = await env.admin.get<Obj>(Resources.Service, ns, 'test-rel');
      await denied(env.admin.replace(Resources.Service, ns, { ...svc, spec: { ...svc.spec, ports: [{ name: 'helloobj', port: 10001, targetPort: 10001, protocol: 'TCP' }] } }), 'resource should be modified through tserver');
      const annotated = await env.admin.replace<Obj>(Resources.Service, ns, { ...svc, metadata: { ...svc.metadata, annotations: { note: 'ok' } } });
      expect(annotated.metadata.annotations.note).toBe('ok');
    });
  });

  it('answered over HTTPS with the CA it generated (caBundle patched into the configurations)', async () => {
    const cfg = await env.admin.get<Obj>({ group: 'admissionregistration.k8s.io', version: 'v1', plural: 'mutatingwebhookconfigurations', kind: 'MutatingWebhookConfiguration', namespaced: false }, undefined, `tars-test-mutating-${ns}`);
    expect(Buffer.from(cfg.webhooks[0].clientConfig.caBundle, 'base64').toString()).toBe(env.webhook!.caPem);
  });
});
