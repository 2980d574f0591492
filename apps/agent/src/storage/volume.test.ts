import { describe, expect, it } from 'vitest';
import { decideClaim, decideVolume, IDLE_VOLUME_MS, PENDING_RETRY_MS, type ClaimContext } from './decide.ts';
import { fnv32a, isOurClaim, isOurVolume, nodeIdentity, ownershipOf, podSegmentsOf, segmentProblem, volumeDirOf, volumeFor, type PersistentVolume, type PersistentVolumeClaim } from './volume.ts';

describe('fnv32a', () => {
  // Published FNV-1a 32-bit test vectors (http://www.isthe.com/chongo/src/fnv/test_fnv.c).
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
    ['chongo was here!\n', 0xd49930d5],
  ])('%j', (text, hash) => expect(fnv32a(text)).toBe(hash));

  it('node identity is the hash of node name + storage class, unpadded hex', () => {
    expect(nodeIdentity('node-1')).toBe(fnv32a('node-1tars-storage-class').toString(16));
    expect(nodeIdentity('node-1')).not.toBe(nodeIdentity('node-2'));
  });
});

describe('segmentProblem', () => {
  it.each([
    ['namespace', 'tars', undefined],
    ['namespace', 'Tars', 'does not match'],
    ['namespace', '..', 'not a safe path segment'],
    ['app', 'Test', undefined],
    ['app', 'a/b', 'not a safe path segment'],
    ['app', 'x\0', 'not a safe path segment'],
    ['app', '9a', 'does not match'],
    ['server', 'Hello.Server', 'does not match'],
    ['dir', 'data', undefined],
    ['dir', 'delay-bind', undefined],
    ['dir', '.', 'not a safe path segment'],
    ['dir', 'a'.repeat(64), 'longer than 63'],
    ['dir', undefined, 'missing'],
  ] as const)('%s %j', (what, value, problem) => {
    const got = segmentProblem(what, value);
    if (problem === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(problem);
  });
});

const ctx = { nodeName: 'node-1', identity: nodeIdentity('node-1'), hostBase: '/usr/local/app/tars/host-mount', podBase: '/mnt/tlv' };

function claim(over: { labels?: Record<string, string>; annotations?: Record<string, string>; phase?: string; volumeName?: string; deleting?: boolean; namespace?: string } = {}): PersistentVolumeClaim {
  const labels = over.labels ?? { 'tars.io/ServerApp': 'Test', 'tars.io/ServerName': 'HelloServer', 'tars.io/LocalVolume': 'data' };
  return {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim',
    metadata: { name: 'data-test-helloserver-0', namespace: over.namespace ?? 'tars', uid: 'u1', annotations: over.annotations, ...(over.deleting ? { deletionTimestamp: '2026-11-24T00:00:00Z' } : {}) },
    spec: { accessModes: ['ReadWriteOnce'], selector: { matchLabels: labels }, resources: { requests: { storage: '1G' } }, storageClassName: 'tars-storage-class', volumeName: over.volumeName },
    status: { phase: over.phase ?? 'Pending' },
  };
}

describe('volume of a claim', () => {
  it('names and places it as upstream', () => {
    const dir = volumeDirOf(claim(), ctx);
    expect(dir).toEqual({
      namespace: 'tars', app: 'Test', server: 'HelloServer', dir: 'data',
      segments: ['tars', 'Test.HelloServer', 'data'],
      hostPath: '/usr/local/app/tars/host-mount/tars/Test.HelloServer/data',
      podPath: '/mnt/tlv/tars/Test.HelloServer/data',
      volumeName: `tars-data-test-helloserver-${ctx.identity}`,
    });
  });

  it('refuses claims whose labels would make unsafe paths', () => {
    expect(volumeDirOf(claim({ labels: { 'tars.io/ServerApp': '..', 'tars.io/ServerName': 'S', 'tars.io/LocalVolume': 'd' } }), ctx)).toEqual({ error: expect.stringContaining('not a safe path segment') });
    expect(volumeDirOf(claim({ labels: { 'tars.io/ServerApp': 'A', 'tars.io/ServerName': 'S', 'tars.io/LocalVolume': '../../etc' } }), ctx)).toEqual({ error: expect.stringContaining('dir') });
    expect(volumeDirOf(claim({ labels: { 'tars.io/ServerApp': 'A', 'tars.io/ServerName': 'S' } }), ctx)).toEqual({ error: 'dir is missing' });
  });

  it('builds the PV with every field of reference §8', () => {
    const c = claim();
    const dir = volumeDirOf(c, ctx);
    if ('error' in dir) throw new Error(dir.error);
    expect(volumeFor(c, dir, 'host-1')).toEqual({
      apiVersion: 'v1', kind: 'PersistentVolume',
      metadata: {
        name: dir.volumeName,
        labels: { 'tars.io/ServerApp': 'Test', 'tars.io/ServerName': 'HelloServer', 'tars.io/LocalVolume': 'data' },
        annotations: { 'pv.kubernetes.io/provisioned-by': 'tars-local-volume-provisioner' },
        finalizers: ['kubernetes.io/pv-protection'],
      },
      spec: {
        capacity: { storage: '1G' },
        local: { path: '/usr/local/app/tars/host-mount/tars/Test.HelloServer/data' },
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: 'tars-storage-class',
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['host-1'] }] }] } },
      },
    });
  });

  it.each([
    [{}, { mode: 0o755, uid: 0, gid: 0 }],
    [{ 'tars.io/LocalVolumeMode': '750', 'tars.io/LocalVolumeUID': '10000', 'tars.io/LocalVolumeGID': '20' }, { mode: 0o750, uid: 10000, gid: 20 }],
    [{ 'tars.io/LocalVolumeMode': '0700' }, { mode: 0o700, uid: 0, gid: 0 }],
    [{ 'tars.io/LocalVolumeMode': '999' }, { error: expect.stringContaining('octal mode') }],
    [{ 'tars.io/LocalVolumeUID': '-1' }, { error: expect.stringContaining('not a uid') }],
    [{ 'tars.io/LocalVolumeGID': '1234567' }, { error: expect.stringContaining('not a gid') }],
  ])('ownership from annotations %j', (annotations, expected) => {
    expect(ownershipOf(claim({ annotations }))).toEqual(expected);
  });

  it('maps a PV path back below the pod base only when it has the exact shape', () => {
    const pv = (path: string): PersistentVolume => ({ metadata: { name: 'x' }, spec: { local: { path } } });
    const base = '/usr/local/app/tars/host-mount';
    expect(podSegmentsOf(pv(`${base}/tars/Test.HelloServer/data`), base)).toEqual(['tars', 'Test.HelloServer', 'data']);
    expect(podSegmentsOf(pv(`${base}/tars/Test.HelloServer/../../../etc`), base)).toHaveProperty('error');
    expect(podSegmentsOf(pv(`${base}/tars/Test.HelloServer`), base)).toHaveProperty('error');
    expect(podSegmentsOf(pv(`${base}-other/tars/Test.HelloServer/data`), base)).toHaveProperty('error');
    expect(podSegmentsOf(pv('/etc/tars/Test.HelloServer/data'), base)).toHaveProperty('error');
    expect(podSegmentsOf(pv(`${base}/tars/TestHelloServer/data`), base)).toHaveProperty('error');
  });

  it('recognises our claims and volumes', () => {
    expect(isOurClaim(claim(), ctx.identity)).toBe(true);
    expect(isOurClaim(claim({ volumeName: `x-${ctx.identity}` }), ctx.identity)).toBe(true);
    expect(isOurClaim(claim({ volumeName: `x-${nodeIdentity('node-2')}` }), ctx.identity)).toBe(false);
    expect(isOurClaim({ ...claim(), spec: { ...claim().spec, storageClassName: 'standard' } }, ctx.identity)).toBe(false);
    const c = claim();
    const dir = volumeDirOf(c, ctx);
    if ('error' in dir) throw new Error(dir.error);
    const pv = volumeFor(c, dir, 'node-1') as PersistentVolume;
    expect(isOurVolume(pv, ctx.identity)).toBe(true);
    expect(isOurVolume(pv, nodeIdentity('node-2'))).toBe(false);
    expect(isOurVolume({ ...pv, metadata: { ...pv.metadata, annotations: {} } }, ctx.identity)).toBe(false);
  });
});

describe('decideClaim', () => {
  const base: ClaimContext = { ...ctx, supportLocalVolume: true, hostname: 'node-1', volumeExists: () => false };
  const dirName = `tars-data-test-helloserver-${ctx.identity}`;
  it.each([
    ['pending, node supports TLV', claim(), base, 'provision'],
    ['pending, node without the label', claim(), { ...base, supportLocalVolume: false }, 'retry'],
    ['delay-bind on a node without the label', claim({ labels: { 'tars.io/ServerApp': 'Test', 'tars.io/ServerName': 'HelloServer', 'tars.io/LocalVolume': 'delay-bind' } }), { ...base, supportLocalVolume: false }, 'provision'],
    ['pending, volume already there', claim(), { ...base, volumeExists: (n: string) => n === dirName }, 'later'],
    ['lost claim is provisioned again', claim({ phase: 'Lost', volumeName: dirName }), base, 'provision'],
    ['bound to our volume', claim({ phase: 'Bound', volumeName: dirName }), { ...base, volumeExists: () => true }, 'sync'],
    ['bound to another volume', claim({ phase: 'Bound', volumeName: 'other' }), base, 'nothing'],
    ['terminating', claim({ deleting: true }), base, 'nothing'],
    ['bad mode', claim({ annotations: { 'tars.io/LocalVolumeMode': 'rwx' } }), base, 'nothing'],
    ['unsafe labels', claim({ labels: { 'tars.io/ServerApp': 'A', 'tars.io/ServerName': 'S', 'tars.io/LocalVolume': '..' } }), base, 'nothing'],
  ] as const)('%s → %s', (_name, c, context, expected) => {
    const action = decideClaim(c, context as ClaimContext);
    expect(action.do).toBe(expected);
    if (action.do === 'later') expect(action.ms).toBe(PENDING_RETRY_MS);
    if (action.do === 'provision') expect(action.volume.metadata.name).toBe(action.dir.volumeName);
  });
});

describe('decideVolume', () => {
  const c = claim();
  const dir = volumeDirOf(c, ctx);
  if ('error' in dir) throw new Error(dir.error);
  const made = volumeFor(c, dir, 'node-1') as PersistentVolume;
  const now = Date.parse('2026-11-24T12:00:00Z');
  const pv = (over: { deleting?: boolean; claimRef?: boolean; phase?: string; ageMs?: number; finalizers?: string[] } = {}): PersistentVolume => ({
    ...made,
    metadata: {
      ...made.metadata,
      creationTimestamp: new Date(now - (over.ageMs ?? 1000)).toISOString(),
      finalizers: over.finalizers ?? made.metadata.finalizers,
      ...(over.deleting ? { deletionTimestamp: new Date(now).toISOString() } : {}),
    },
    spec: { ...made.spec, ...(over.claimRef ? { claimRef: { namespace: 'tars', name: 'data-test-helloserver-0', uid: 'u1' } } : {}) },
    status: { phase: over.phase ?? 'Bound' },
  });
  it.each([
    ['bound, claim present', pv({ claimRef: true }), 'present', 'nothing'],
    ['claim gone', pv({ claimRef: true, phase: 'Released' }), 'gone', 'reclaim'],
    ['terminating, claim gone', pv({ claimRef: true, deleting: true }), 'gone', 'clean-and-release'],
    ['terminating, never bound', pv({ deleting: true, phase: 'Available' }), 'none', 'clean-and-release'],
    ['terminating, claim still there', pv({ claimRef: true, deleting: true }), 'present', 'later'],
    ['terminating, finalizer already gone', pv({ claimRef: true, deleting: true, finalizers: [] }), 'gone', 'nothing'],
    ['available for a day', pv({ phase: 'Available', ageMs: IDLE_VOLUME_MS + 1 }), 'none', 'delete-idle'],
    ['available for an hour', pv({ phase: 'Available', ageMs: 3600_000 }), 'none', 'later'],
  ] as const)('%s → %s', (_name, volume, state, expected) => {
    expect(decideVolume(volume, state, ctx.identity, now).do).toBe(expected);
  });

  it('ignores volumes of other nodes', () => {
    expect(decideVolume(pv({ claimRef: true }), 'gone', nodeIdentity('node-2'), now).do).toBe('nothing');
  });
});
