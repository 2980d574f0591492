// The contract both homes of the ClusterState port must keep. Call clusterStateContract() inside a
// test file with a harness factory; the same assertions then run against the real API server and
// against the embedded store, so standalone mode behaves like Kubernetes where the services look.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TConfig, TServer } from '@tars-ts/api';
import { AlreadyExistsError, ClusterError, ConflictError, InvalidError, NotFoundError } from '../errors.ts';
import type { ClusterState, Watch } from '../port.ts';
import { reportServerState } from '../conditions.ts';
import type { ClusterEvent, Pod } from '../types.ts';

export interface ContractHarness {
  cluster: ClusterState;
  /** Creates a pod the way this home gets pods (API create + status write; putPod in standalone). */
  putPod(pod: Pod): Promise<Pod>;
  cleanup(): Promise<void>;
}

let seq = 0;
export const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(seq++).toString(36)}`;

export function tserverFixture(name: string, labels: Record<string, string> = {}): TServer {
  return {
    apiVersion: 'k8s.tars.io/v1beta3',
    kind: 'TServer',
    metadata: { name, labels: { 'tars.io/ServerApp': 'Test', 'tars.io/ServerName': 'HelloServer', ...labels } },
    spec: {
      app: 'Test',
      server: 'HelloServer',
      subType: 'tars',
      tars: { template: 'tars.cpp', servants: [{ name: 'HelloObj', port: 10000 }] },
      k8s: {},
    },
  } as unknown as TServer;
}

export function tconfigFixture(name: string, labels: Record<string, string> = {}): TConfig {
  return {
    apiVersion: 'k8s.tars.io/v1beta3',
    kind: 'TConfig',
    metadata: { name, labels },
    app: 'Test',
    server: 'HelloServer',
    configName: 'hello.conf',
    configContent: '<tars>\n</tars>',
  } as unknown as TConfig;
}

export function podFixture(name: string, labels: Record<string, string> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { 'tars.io/ServerApp': 'Test', 'tars.io/ServerName': 'HelloServer', ...labels } },
    spec: { containers: [{ name: 'main', image: 'busybox' }], readinessGates: [{ conditionType: 'tars.io/active' }] },
    status: { phase: 'Running', podIP: '10.0.0.7', conditions: [{ type: 'Initialized', status: 'True' }] },
  };
}

/** Resolves when `check()` holds (polling the watch cache the handlers fill). */
export async function eventually(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Recorded<T> {
  events: string[];
  watch: Watch<T>;
}

function record<T extends { metadata: { name?: string } }>(start: (h: { onAdd(o: T): void; onUpdate(o: T, old: T): void; onDelete(o: T): void }) => Watch<T>): Recorded<T> {
  const events: string[] = [];
  const watch = start({
    onAdd: (o) => events.push(`add ${o.metadata.name}`),
    onUpdate: (o, old) => events.push(`update ${o.metadata.name} ${old === o ? 'resync' : ''}`.trim()),
    onDelete: (o) => events.push(`delete ${o.metadata.name}`),
  });
  return { events, watch };
}

export function clusterStateContract(makeHarness: () => Promise<ContractHarness>): void {
  let h: ContractHarness;
  let c: ClusterState;
  beforeAll(async () => {
    h = await makeHarness();
    c = h.cluster;
  });
  afterAll(async () => {
    await c?.close();
    await h?.cleanup();
  });

  it('creates with server fields and schema defaults, and reads back', async () => {
    const name = uniqueName('ts');
    const created = await c.resource('TServer').create(tserverFixture(name));
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.generation).toBe(1);
    expect(created.metadata.namespace).toBe(c.namespace);
    expect(created.spec.important).toBe(3);
    expect(created.spec.tars?.servants[0].thread).toBe(3);
    const got = await c.resource('TServer').get(name);
    expect(got.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(got.spec.server).toBe('HelloServer');
  });

  it('rejects duplicates, invalid objects and unknown names with typed errors', async () => {
    const name = uniqueName('ts');
    await c.resource('TServer').create(tserverFixture(name));
    await expect(c.resource('TServer').create(tserverFixture(name))).rejects.toBeInstanceOf(AlreadyExistsError);
    const bad = tserverFixture(uniqueName('ts'));
    (bad.spec as { app: string }).app = '1-not-a-tars-name';
    const err = await c.resource('TServer').create(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidError);
    expect((err as Error).message).toContain('spec.app');
    await expect(c.resource('TServer').get(uniqueName('missing'))).rejects.toBeInstanceOf(NotFoundError);
    await expect(c.resource('TServer').delete(uniqueName('missing'))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('updates with optimistic concurrency; generation follows spec changes only', async () => {
    const api = c.resource('TServer');
    const v1 = await api.create(tserverFixture(uniqueName('ts')));
    const v2 = await api.update({ ...v1, spec: { ...v1.spec, important: 5 } });
    expect(Number(v2.metadata.resourceVersion)).toBeGreaterThan(Number(v1.metadata.resourceVersion));
    expect(v2.metadata.generation).toBe(2);
    await expect(api.update({ ...v1, spec: { ...v1.spec, important: 6 } })).rejects.toBeInstanceOf(ConflictError);
    const v3 = await api.update({ ...v2, metadata: { ...v2.metadata, labels: { ...v2.metadata.labels, extra: 'yes' } } });
    expect(v3.metadata.generation).toBe(2);
    expect(v3.metadata.labels?.extra).toBe('yes');
    const noRV = { ...v3, metadata: { ...v3.metadata, resourceVersion: undefined } };
    await expect(api.update(noRV)).rejects.toBeInstanceOf(InvalidError);
  });

  it('writes status only through the status subresource, without bumping generation', async () => {
    const api = c.resource('TServer');
    const created = await api.create({ ...tserverFixture(uniqueName('ts')), status: { replicas: 9, readyReplicas: 9, currentReplicas: 9, selector: 'x' } } as TServer);
    expect(created.status).toBeUndefined();
    const status = { replicas: 1, readyReplicas: 0, currentReplicas: 1, selector: 'tars.io/ServerApp=Test,tars.io/ServerName=HelloServer' };
    const withStatus = await api.updateStatus({ ...created, status, spec: { ...created.spec, important: 7 } });
    expect(withStatus.status).toEqual(status);
    expect(withStatus.spec.important).toBe(3);
    expect(withStatus.metadata.generation).toBe(1);
    const ignored = await api.update({ ...withStatus, status: { ...status, replicas: 42 }, metadata: { ...withStatus.metadata, labels: { touched: 'yes' } } });
    expect(ignored.status?.replicas).toBe(1);
    expect(ignored.metadata.labels).toEqual({ touched: 'yes' });
    await expect(api.updateStatus(withStatus)).rejects.toBeInstanceOf(ConflictError);
    expect(() => c.resource('TConfig').updateStatus(tconfigFixture('x'))).toThrow(/no status subresource/);
  });

  it('applies merge and JSON patches; a failed JSON Patch test changes nothing', async () => {
    const api = c.resource('TConfig');
    const name = uniqueName('tc');
    const created = await api.create(tconfigFixture(name, { 'tars.io/Activated': 'true' }));
    const merged = await api.patch(name, { type: 'merge', value: { metadata: { labels: { 'tars.io/Deactivate': 'Deactivating' } }, updatePerson: 'admin' } });
    expect(merged.metadata.labels).toEqual({ 'tars.io/Activated': 'true', 'tars.io/Deactivate': 'Deactivating' });
    expect(merged.updatePerson).toBe('admin');
    const json = await api.patch(name, {
      type: 'json',
      ops: [
        { op: 'remove', path: '/metadata/labels/tars.io~1Deactivate' },
        { op: 'replace', path: '/metadata/labels/tars.io~1Activated', value: 'false' },
        { op: 'replace', path: '/activated', value: false },
      ],
    });
    expect(json.metadata.labels).toEqual({ 'tars.io/Activated': 'false' });
    expect(json.activated).toBe(false);
    const failed = await api.patch(name, { type: 'json', ops: [{ op: 'test', path: '/configContent', value: 'other' }, { op: 'replace', path: '/configContent', value: 'changed' }] }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(InvalidError);
    expect((await api.get(name)).configContent).toBe(created.configContent);
    const stale = await api.patch(name, { type: 'merge', value: { metadata: { resourceVersion: created.metadata.resourceVersion }, updatePerson: 'late' } }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConflictError);
  });

  it('deletes with uid preconditions', async () => {
    const api = c.resource('TConfig');
    const name = uniqueName('tc');
    const created = await api.create(tconfigFixture(name));
    await expect(api.delete(name, { uid: '00000000-0000-0000-0000-000000000000' })).rejects.toBeInstanceOf(ConflictError);
    await api.delete(name, { uid: created.metadata.uid });
    await expect(api.get(name)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps an object with finalizers until they are removed', async () => {
    const api = c.resource('TConfig');
    const name = uniqueName('tc');
    await api.create({ ...tconfigFixture(name), metadata: { name, finalizers: ['tars.io/test'] } });
    await api.delete(name);
    const marked = await api.get(name);
    expect(marked.metadata.deletionTimestamp).toBeTruthy();
    await api.update({ ...marked, metadata: { ...marked.metadata, finalizers: [] } });
    await expect(api.get(name)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists with equality and set-based label selectors', async () => {
    const api = c.resource('TConfig');
    const group = uniqueName('g');
    await api.create(tconfigFixture(uniqueName('tc'), { group, 'tars.io/PodSeq': 'm' }));
    await api.create(tconfigFixture(uniqueName('tc'), { group, 'tars.io/PodSeq': '1' }));
    await api.create(tconfigFixture(uniqueName('tc'), { group, 'tars.io/PodSeq': '2', 'tars.io/Deleting': 'Deleting' }));
    const seqs = async (selector: string) => (await api.list({ labelSelector: selector })).map((o) => o.metadata.labels?.['tars.io/PodSeq']).sort();
    expect(await seqs(`group=${group}`)).toEqual(['1', '2', 'm']);
    expect(await seqs(`group=${group},tars.io/PodSeq in (m,1)`)).toEqual(['1', 'm']);
    expect(await seqs(`group=${group},!tars.io/Deleting`)).toEqual(['1', 'm']);
    expect(await seqs(`group=${group},tars.io/PodSeq!=m`)).toEqual(['1', '2']);
    const bad = await api.list({ labelSelector: 'a=b=c' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ClusterError);
    expect((bad as ClusterError).code).toBe(400);
  });

  it('watches: initial list, then add/update/delete in order, with a cache', async () => {
    const api = c.resource('TConfig');
    const group = uniqueName('w');
    const first = uniqueName('tc');
    await api.create(tconfigFixture(first, { group }));
    await api.create(tconfigFixture(uniqueName('other'), { group: `${group}-x` }));
    const { events, watch } = record<TConfig>((h) => api.watch(h, { labelSelector: `group=${group}` }));
    await watch.synced;
    expect(watch.hasSynced()).toBe(true);
    expect(events).toEqual([`add ${first}`]);
    const second = uniqueName('tc');
    const created = await api.create(tconfigFixture(second, { group }));
    const updated = await api.update({ ...created, configContent: 'v2' });
    await api.delete(first);
    await eventually(() => events.length === 4, 10_000, 'watch events');
    expect(events).toEqual([`add ${first}`, `add ${second}`, `update ${second}`, `delete ${first}`]);
    expect(watch.get(second)?.metadata.resourceVersion).toBe(updated.metadata.resourceVersion);
    expect(watch.list().map((o) => o.metadata.name)).toEqual([second]);
    // Leaving the selector looks like a delete to this watch.
    await api.patch(second, { type: 'merge', value: { metadata: { labels: { group: 'elsewhere' } } } });
    await eventually(() => events.length === 5, 10_000, 'delete on selector exit');
    expect(events[4]).toBe(`delete ${second}`);
    await watch.stop();
  });

  it('watches one object by field selector and re-delivers the cache on resync', async () => {
    const api = c.resource('TConfig');
    const name = uniqueName('tc');
    await api.create(tconfigFixture(name));
    await api.create(tconfigFixture(uniqueName('tc')));
    const { events, watch } = record<TConfig>((h) => api.watch(h, { fieldSelector: `metadata.name=${name}`, resyncMs: 150 }));
    await watch.synced;
    expect(watch.list().map((o) => o.metadata.name)).toEqual([name]);
    await eventually(() => events.includes(`update ${name} resync`), 5_000, 'resync');
    await watch.stop();
  });

  it('serves pods and merges pod conditions by type (tars.io/active)', async () => {
    const name = uniqueName('pod');
    await h.putPod(podFixture(name));
    const { events, watch } = record<Pod>((hd) => c.pods.watch(hd, { labelSelector: 'tars.io/ServerApp=Test' }));
    await watch.synced;
    expect(events).toContain(`add ${name}`);
    expect((await c.pods.get(name)).status?.podIP).toBe('10.0.0.7');
    const active = await reportServerState(c, name, 'Active', 'Active', '4242');
    expect(active.status?.conditions?.find((x) => x.type === 'tars.io/active')).toMatchObject({ status: 'True', reason: 'Active/Active/4242' });
    expect(active.status?.conditions?.find((x) => x.type === 'Initialized')?.status).toBe('True');
    const inactive = await c.patchPodCondition(name, 'tars.io/active', 'False', 'Inactive/Activating/4242');
    const conds = inactive.status?.conditions?.filter((x) => x.type === 'tars.io/active') ?? [];
    expect(conds).toHaveLength(1);
    expect(conds[0]).toMatchObject({ status: 'False', reason: 'Inactive/Activating/4242' });
    await eventually(() => watch.get(name)?.status?.conditions?.some((x) => x.type === 'tars.io/active' && x.status === 'False') === true, 10_000, 'pod update in cache');
    await expect(c.patchPodCondition(uniqueName('nopod'), 'tars.io/active', 'True', 'Active/Active')).rejects.toBeInstanceOf(NotFoundError);
    await watch.stop();
  });

  it('records events that list and watch return in the core/v1 shape', async () => {
    const name = uniqueName('ts');
    const ts = await c.resource('TServer').create(tserverFixture(name));
    const seen: ClusterEvent[] = [];
    const watch = c.events.watch({ onAdd: (e) => seen.push(e) });
    await watch.synced;
    await c.recordEvent({
      regarding: { apiVersion: ts.apiVersion, kind: 'TServer', name, namespace: c.namespace, uid: ts.metadata.uid },
      type: 'Warning',
      reason: 'OutControl',
      action: 'Reconcile',
      note: `statefulset/${name} already exists and is not controlled by tserver/${name}`,
    });
    const mine = (e: ClusterEvent) => e.involvedObject.name === name;
    await eventually(() => seen.some(mine), 10_000, 'event in watch');
    const listed = (await c.events.list()).filter(mine);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ type: 'Warning', reason: 'OutControl', involvedObject: { kind: 'TServer', name, uid: ts.metadata.uid } });
    expect(listed[0].message).toContain('not controlled by');
    await watch.stop();
  });
}
