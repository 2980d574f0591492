// The five life-cycle operations end to end through the API (reference §12), with the webhook
// and the controller in place: deploy, upgrade to a new release, roll back, scale within
// tars.io/MinReplicas..MaxReplicas, change and activate a config.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKube } from '@tars-ts/cluster/testing';
import { Resources, retryOnConflict, tarsResource, type KubeObject } from '@tars-ts/cluster';
import { getOrUndefined, startTarsEnv, tserver, waitFor, type TarsTestEnv } from './testing/env.ts';

type Obj = KubeObject & { metadata: any; [k: string]: any };

describeKube('life cycle through the API', () => {
  let env: TarsTestEnv;
  let ns: string;
  const sts = () => getOrUndefined(env.admin.get<Obj>(Resources.StatefulSet, ns, 'shop-cart'));
  const release = (id: string, replicas?: number) =>
    env.admin.patch<Obj>(tarsResource('TServer'), ns, 'shop-cart', { type: 'merge', value: { spec: { release: { id, image: `registry.test/shop.cart:${id}`, time: null }, ...(replicas === undefined ? {} : { k8s: { replicas } }) } } });
  const running = (id: string, replicas: number) =>
    waitFor(`statefulset on ${id} × ${replicas}`, async () => {
      const s = await sts();
      const c = s?.spec.template.spec.containers[0];
      return c?.image === `registry.test/shop.cart:${id}` && s?.spec.template.metadata.labels['tars.io/ServerID'] === id && s.spec.replicas === replicas ? s : undefined;
    });

  beforeAll(async () => {
    env = await startTarsEnv({ prefix: 'life' });
    ns = env.ns;
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('deploy: a server without a release runs nothing yet (image " ", 0 replicas)', async () => {
    const ts = await env.admin.create<Obj>(tarsResource('TServer'), ns, tserver(ns, 'Shop', 'Cart', { k8s: { replicas: 3 } }, { annotations: { 'tars.io/MinReplicas': '1', 'tars.io/MaxReplicas': '3' } }));
    expect(ts.spec.k8s.replicas).toBe(0);
    const s = await waitFor('statefulset', sts);
    expect(s.spec.replicas).toBe(0);
    expect(s.spec.template.spec.containers[0].image).toBe(' ');
    await waitFor('service', () => getOrUndefined(env.admin.get(Resources.Service, ns, 'shop-cart')));
    await waitFor('endpoint', () => getOrUndefined(env.admin.get(tarsResource('TEndpoint'), ns, 'shop-cart')));
  });

  it('publish v1 with 2 replicas', async () => {
    const ts = await release('v1', 2);
    expect(ts.spec.release.nodeImage).toBe('registry.test/tars.tarsnode:v1');
    await running('v1', 2);
  });

  it('upgrade to v2: new image and ServerID in the pod template, release time renewed', async () => {
    const before = (await env.admin.get<Obj>(tarsResource('TServer'), ns, 'shop-cart')).spec.release.time;
    await new Promise((r) => setTimeout(r, 1100));
    const ts = await release('v2');
    expect(ts.spec.release.time).not.toBe(before);
    await running('v2', 2);
    const te = await waitFor('endpoint on v2', async () => {
      const t = await env.admin.get<Obj>(tarsResource('TEndpoint'), ns, 'shop-cart');
      return t.spec.release?.id === 'v2' ? t : undefined;
    });
    expect(te.spec.release.image).toBe('registry.test/shop.cart:v2');
  });

  it('roll back to v1', async () => {
    await release('v1');
    await running('v1', 2);
  });

  it('scale within the bounds: spec.k8s.replicas and kubectl scale are clamped to 1..3', async () => {
    const up = await env.admin.patch<Obj>(tarsResource('TServer'), ns, 'shop-cart', { type: 'merge', value: { spec: { k8s: { replicas: 7 } } } });
    expect(up.spec.k8s.replicas).toBe(3);
    await running('v1', 3);
    const scalePath = env.admin.path(tarsResource('TServer'), ns, 'shop-cart', 'scale');
    // As kubectl scale does: read the scale and write it back, again if the controller's status
    // write changed the resourceVersion in between.
    const down = await retryOnConflict(async () => {
      const scale = await env.admin.request<Obj>('GET', scalePath);
      return env.admin.request<Obj>('PUT', scalePath, { body: { ...scale, spec: { replicas: 0 } } });
    });
    expect(down.spec.replicas).toBe(1);
    await running('v1', 1);
  });

  it('change and activate a config: the new version is active, the old one deactivated; activating the old one again swaps them', async () => {
    const conf = (name: string, content: string) => ({ apiVersion: 'k8s.tars.io/v1beta3', kind: 'TConfig', metadata: { name }, app: 'Shop', server: 'Cart', configName: 'cart.conf', configContent: content });
    const get = (name: string) => env.admin.get<Obj>(tarsResource('TConfig'), ns, name);
    await env.admin.create(tarsResource('TConfig'), ns, conf('cart-conf-1', 'limit=1') as Obj);
    await env.admin.create(tarsResource('TConfig'), ns, conf('cart-conf-2', 'limit=2') as Obj);
    await waitFor('v1 inactive', async () => ((await get('cart-conf-1')).activated === false ? true : undefined));
    const active = (await env.admin.list<Obj>(tarsResource('TConfig'), ns, { labelSelector: 'tars.io/ConfigName=cart.conf,tars.io/Activated=true' })).items;
    expect(active.map((c) => c.metadata.name)).toEqual(['cart-conf-2']);
    // Re-activating an old version (false → true) deactivates the current one.
    await env.admin.patch(tarsResource('TConfig'), ns, 'cart-conf-1', { type: 'merge', value: { activated: true } });
    await waitFor('v2 inactive', async () => ((await get('cart-conf-2')).activated === false ? true : undefined));
    const now = (await env.admin.list<Obj>(tarsResource('TConfig'), ns, { labelSelector: 'tars.io/ConfigName=cart.conf,tars.io/Activated=true' })).items;
    expect(now.map((c) => c.metadata.name)).toEqual(['cart-conf-1']);
    expect((await get('cart-conf-1')).configContent).toBe('limit=1');
  });
});
