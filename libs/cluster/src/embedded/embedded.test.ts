// What only the embedded home promises: state survives reopening the data directory, manifests
// load from a folder (bad ones reported, good ones kept), names cannot escape the data dir.
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TConfig } from '@tars-ts/api';
import { InvalidError, NotFoundError } from '../errors.ts';
import { podFixture, tconfigFixture, tserverFixture } from '../testing/contract.ts';
import { EmbeddedClusterState } from './cluster-state.ts';

let dir: string;
let dataDir: string;
let manifestsDir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedded-'));
  dataDir = join(dir, 'data');
  manifestsDir = join(dir, 'manifests');
  await mkdir(manifestsDir);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const TSERVER_YAML = (name: string, important = 3) => `apiVersion: k8s.tars.io/v1beta3
kind: TServer
metadata:
  name: ${name}
spec:
  app: Test
  server: HelloServer
  subType: tars
  important: ${important}
  tars:
    template: tars.cpp
    servants:
      - name: HelloObj
        port: 10000
  k8s: {}
`;

describe('EmbeddedClusterState persistence', () => {
  it('keeps objects, pods and events across a reopen, with resourceVersions still increasing', async () => {
    const a = await EmbeddedClusterState.open({ dataDir });
    const ts = await a.resource('TServer').create(tserverFixture('test-helloserver'));
    const updated = await a.resource('TServer').update({ ...ts, spec: { ...ts.spec, important: 4 } });
    await a.resource('TServer').updateStatus({ ...updated, status: { replicas: 1, readyReplicas: 1, currentReplicas: 1, selector: 's' } });
    const gone = await a.resource('TConfig').create(tconfigFixture('gone'));
    await a.resource('TConfig').delete('gone');
    await a.putPod(podFixture('test-helloserver-0'));
    await a.patchPodCondition('test-helloserver-0', 'tars.io/active', 'True', 'Active/Active/1');
    await a.recordEvent({ regarding: { kind: 'TServer', name: 'test-helloserver' }, type: 'Normal', reason: 'Created', action: 'Create', note: 'made' });
    await a.close();

    const b = await EmbeddedClusterState.open({ dataDir });
    const back = await b.resource('TServer').get('test-helloserver');
    expect(back.metadata.uid).toBe(ts.metadata.uid);
    expect(back.metadata.generation).toBe(2);
    expect(back.spec.important).toBe(4);
    expect(back.status?.readyReplicas).toBe(1);
    await expect(b.resource('TConfig').get('gone')).rejects.toBeInstanceOf(NotFoundError);
    const pod = await b.pods.get('test-helloserver-0');
    expect(pod.status?.conditions?.find((c) => c.type === 'tars.io/active')?.reason).toBe('Active/Active/1');
    expect((await b.events.list()).map((e) => e.reason)).toEqual(['Created']);
    // The deleted TConfig held the highest resourceVersion; a new write must still go above it.
    const next = await b.resource('TConfig').create(tconfigFixture('next'));
    expect(Number(next.metadata.resourceVersion)).toBeGreaterThan(Number(gone.metadata.resourceVersion) + 1);
    await b.close();
  });

  it('stores one JSON file per object and leaves no temp files behind', async () => {
    const s = await EmbeddedClusterState.open({ dataDir });
    await s.resource('TServer').create(tserverFixture('a-b'));
    await s.resource('TConfig').create(tconfigFixture('c'));
    await s.close();
    expect(await readdir(join(dataDir, 'objects', 'tservers'))).toEqual(['a-b.json']);
    expect(await readdir(join(dataDir, 'objects', 'tconfigs'))).toEqual(['c.json']);
    const stored = JSON.parse(await readFile(join(dataDir, 'objects', 'tservers', 'a-b.json'), 'utf8'));
    expect(stored.metadata.name).toBe('a-b');
  });

  it('rejects names that could leave the data directory', async () => {
    const s = await EmbeddedClusterState.open({ dataDir });
    for (const name of ['../escape', 'a/b', '..', 'UPPER', '']) {
      await expect(s.putPod(podFixture(name))).rejects.toBeInstanceOf(InvalidError);
      await expect(s.resource('TConfig').create(tconfigFixture(name))).rejects.toBeInstanceOf(InvalidError);
    }
    const long = `${'a'.repeat(120)}.${'b'.repeat(120)}`;
    await s.resource('TConfig').create(tconfigFixture(long));
    expect((await s.resource('TConfig').get(long)).metadata.name).toBe(long);
    await s.close();
    expect(await readdir(dir)).toEqual(['data', 'manifests']);
  });

  it('deletes dependents whose ownerReferences name a deleted owner', async () => {
    const s = await EmbeddedClusterState.open({ dataDir });
    const owner = await s.resource('TServer').create(tserverFixture('owner'));
    const ref = { apiVersion: owner.apiVersion, kind: 'TServer', name: 'owner', uid: owner.metadata.uid!, controller: true };
    await s.resource('TConfig').create({ ...tconfigFixture('owned'), metadata: { name: 'owned', ownerReferences: [ref] } });
    await s.putPod({ ...podFixture('owner-0'), metadata: { name: 'owner-0', ownerReferences: [ref] } });
    await s.resource('TConfig').create(tconfigFixture('free'));
    await s.resource('TServer').delete('owner');
    await expect(s.resource('TConfig').get('owned')).rejects.toBeInstanceOf(NotFoundError);
    await expect(s.pods.get('owner-0')).rejects.toBeInstanceOf(NotFoundError);
    expect((await s.resource('TConfig').get('free')).metadata.name).toBe('free');
    await s.close();
  });

  it('serialises concurrent writers: one read-modify-write wins, the other conflicts', async () => {
    const s = await EmbeddedClusterState.open({ dataDir });
    const api = s.resource('TConfig');
    const base = await api.create(tconfigFixture('race'));
    const results = await Promise.allSettled([api.update({ ...base, configContent: 'one' }), api.update({ ...base, configContent: 'two' })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    await s.close();
  });
});

describe('EmbeddedClusterState manifests', () => {
  it('loads multi-document YAML, converts v1beta2, and reports bad documents with file and reason', async () => {
    await writeFile(
      join(manifestsDir, 'servers.yaml'),
      `${TSERVER_YAML('test-helloserver')}---
apiVersion: k8s.tars.io/v1beta3
kind: TTemplate
metadata:
  name: tars.cpp
spec:
  parent: tars.default
  content: "<tars></tars>"
---
`,
    );
    await mkdir(join(manifestsDir, 'more'));
    await writeFile(
      join(manifestsDir, 'more', 'bad.yaml'),
      `apiVersion: k8s.tars.io/v1beta3
kind: TConfig
metadata:
  name: broken
app: "not valid!"
configName: a.conf
configContent: x
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
---
apiVersion: k8s.tars.io/v1beta3
kind: TConfig
metadata:
  name: fine
app: Test
configName: a.conf
configContent: x
`,
    );
    await writeFile(join(manifestsDir, 'syntax.yml'), 'kind: [unclosed\n');
    await writeFile(
      join(manifestsDir, 'old.json'),
      JSON.stringify({
        apiVersion: 'k8s.tars.io/v1beta2',
        kind: 'TTemplate',
        metadata: { name: 'tars.default' },
        spec: { parent: 'tars.default', content: '<tars/>' },
      }),
    );
    await writeFile(join(manifestsDir, 'notes.txt'), 'ignored');
    const s = await EmbeddedClusterState.open({ dataDir, manifestsDir });
    expect(s.manifestReport.loaded.map((l) => `${l.file} ${l.kind}/${l.name} ${l.action}`).sort()).toEqual([
      'more/bad.yaml TConfig/fine created',
      'old.json TTemplate/tars.default created',
      'servers.yaml TServer/test-helloserver created',
      'servers.yaml TTemplate/tars.cpp created',
    ]);
    const rejected = s.manifestReport.rejected.map((r) => `${r.file}#${r.document}: ${r.reason}`);
    expect(rejected).toHaveLength(3);
    expect(rejected[0]).toMatch(/^more\/bad\.yaml#1: .*app/);
    expect(rejected[1]).toMatch(/^more\/bad\.yaml#2: unsupported kind v1\/ConfigMap/);
    expect(rejected[2]).toMatch(/^syntax\.yml#0: not valid YAML/);
    expect((await s.resource('TTemplate').get('tars.default')).apiVersion).toBe('k8s.tars.io/v1beta3');
    expect((await s.resource('TServer').get('test-helloserver')).spec.tars?.servants[0].thread).toBe(3);
    await s.close();
  });

  it('keeps run-time changes while a manifest is unchanged, and applies it again once edited', async () => {
    const file = join(manifestsDir, 'ts.yaml');
    await writeFile(file, TSERVER_YAML('test-helloserver', 3));
    const first = await EmbeddedClusterState.open({ dataDir, manifestsDir });
    const ts = await first.resource('TServer').get('test-helloserver');
    await first.resource('TServer').update({ ...ts, spec: { ...ts.spec, important: 9 } });
    await first.close();

    const second = await EmbeddedClusterState.open({ dataDir, manifestsDir });
    expect(second.manifestReport.loaded[0].action).toBe('unchanged');
    expect((await second.resource('TServer').get('test-helloserver')).spec.important).toBe(9);
    await second.close();

    await writeFile(file, TSERVER_YAML('test-helloserver', 5));
    const third = await EmbeddedClusterState.open({ dataDir, manifestsDir });
    expect(third.manifestReport.loaded[0].action).toBe('updated');
    const after = await third.resource('TServer').get('test-helloserver');
    expect(after.spec.important).toBe(5);
    expect(after.metadata.uid).toBe(ts.metadata.uid);
    await third.close();
  });
});

describe('EmbeddedClusterState admission', () => {
  it('lets the standalone wiring mutate and deny writes, manifests included', async () => {
    await writeFile(join(manifestsDir, 'c.yaml'), 'apiVersion: k8s.tars.io/v1beta3\nkind: TConfig\nmetadata:\n  name: from-manifest\napp: Test\nconfigName: a.conf\nconfigContent: x\n');
    const seen: string[] = [];
    const s = await EmbeddedClusterState.open({
      dataDir,
      manifestsDir,
      admission: ({ operation, kind, object, oldObject }) => {
        seen.push(`${operation} ${kind} ${(object ?? oldObject)?.metadata.name}`);
        if (operation === 'DELETE' && oldObject?.metadata.name === 'guarded') throw new InvalidError('guarded may not be deleted');
        if (object && kind === 'TConfig') {
          const c = object as TConfig;
          // The webhook mirrors fields into labels; defaults are already applied here.
          return { ...c, metadata: { ...c.metadata, labels: { ...c.metadata.labels, 'tars.io/PodSeq': c.podSeq ?? '' } } };
        }
      },
    });
    expect((await s.resource('TConfig').get('from-manifest')).metadata.labels).toEqual({ 'tars.io/PodSeq': 'm' });
    const g = await s.resource('TConfig').create(tconfigFixture('guarded'));
    expect(g.metadata.labels?.['tars.io/PodSeq']).toBe('m');
    await expect(s.resource('TConfig').delete('guarded')).rejects.toThrow(/may not be deleted/);
    expect((await s.resource('TConfig').get('guarded')).metadata.name).toBe('guarded');
    expect(seen).toEqual(['CREATE TConfig from-manifest', 'CREATE TConfig guarded', 'DELETE TConfig guarded']);
    await s.close();
  });
});

describe('EmbeddedClusterState crash leftovers', () => {
  it('ignores and removes temp files of a write that never reached its rename', async () => {
    const a = await EmbeddedClusterState.open({ dataDir });
    await a.resource('TConfig').create(tconfigFixture('kept'));
    await a.close();
    const tconfigs = join(dataDir, 'objects', 'tconfigs');
    await writeFile(join(tconfigs, '.kept.json.1234abcd.tmp'), '{"half": ');
    const b = await EmbeddedClusterState.open({ dataDir });
    expect((await b.resource('TConfig').get('kept')).configContent).toBe('<tars>\n</tars>');
    expect(await readdir(tconfigs)).toEqual(['kept.json']);
    await b.close();
  });
});
