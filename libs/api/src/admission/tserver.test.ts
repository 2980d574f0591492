import { describe, expect, it } from 'vitest';
import { formatFieldErrors, type FieldError } from '../errors.ts';
import type { TServer } from '../kinds/tserver/v1beta3.ts';
import { validateSchema } from '../schema/lookup.ts';
import { frameworkConfig, normalServer, tarsServer } from '../testing/fixtures.ts';
import { clampReplicas, defaultTServer, replicaBounds } from './tserver-defaults.ts';
import { validateTServer } from './tserver-validate.ts';

const now = new Date('2024-03-28T10:20:30.456Z');
const ctx = { frameworkConfig: frameworkConfig(), now };

function released(obj: TServer, replicas?: number): TServer {
  obj.spec.release = { id: 'v1', image: 'registry/test.helloserver:v1' };
  if (replicas !== undefined) obj.spec.k8s.replicas = replicas;
  return obj;
}

function mutate(obj: TServer, c = ctx): TServer {
  const result = defaultTServer(obj, c);
  if (!result.ok) throw new Error(formatFieldErrors(result.errors));
  return result.object;
}

describe('defaultTServer', () => {
  it('labels a tars server and puts tars.io/active first among deduplicated gates', () => {
    const input = tarsServer();
    input.spec.k8s.readinessGates = ['x.io/ready', 'tars.io/active', 'x.io/ready'];
    const out = mutate(input);
    expect(out.metadata.labels).toEqual({
      'tars.io/ServerApp': 'Test',
      'tars.io/ServerName': 'HelloServer',
      'tars.io/SubType': 'tars',
      'tars.io/Template': 'tars.cpp',
    });
    expect(out.spec.k8s.readinessGates).toEqual(['tars.io/active', 'x.io/ready']);
    expect(input.metadata.labels).toBeUndefined();
    expect(validateSchema(out)).toEqual([]);
  });

  it('labels a normal server without a template and keeps its gates deduplicated', () => {
    const input = normalServer();
    input.metadata.labels = { 'tars.io/Template': 'stale' };
    input.spec.k8s.readinessGates = ['a.io/b', 'a.io/b'];
    const out = mutate(input);
    expect(out.metadata.labels).toEqual({ 'tars.io/ServerApp': 'Test', 'tars.io/ServerName': 'Web', 'tars.io/SubType': 'normal' });
    expect(out.spec.k8s.readinessGates).toEqual(['a.io/b']);
  });

  it.each([
    ['hostPorts', (o: TServer) => (o.spec.k8s.hostPorts = [{ nameRef: 'HelloObj', port: 30000 }]), true],
    ['hostIPC', (o: TServer) => (o.spec.k8s.hostIPC = true), true],
    ['neither', (_o: TServer) => undefined, false],
  ])('sets notStacked for %s', (_name, change, expected) => {
    const input = tarsServer();
    change(input);
    expect(mutate(input).spec.k8s.notStacked).toBe(expected);
  });

  it('forces replicas to 0 and drops the ServerID label until a release exists', () => {
    const input = tarsServer();
    input.spec.k8s.replicas = 3;
    input.metadata.labels = { 'tars.io/ServerID': 'old' };
    const out = mutate(input);
    expect(out.spec.k8s.replicas).toBe(0);
    expect(out.metadata.labels?.['tars.io/ServerID']).toBeUndefined();
  });

  it.each([
    // [min, max, requested, expected]
    [undefined, undefined, 5, 5],
    ['2', undefined, 0, 2],
    [undefined, '3', 7, 3],
    ['2', '4', 3, 3],
    ['0', '99', 99, 99],
  ])('clamps replicas to MinReplicas=%s MaxReplicas=%s (%s -> %s)', (min, max, requested, expected) => {
    const input = released(tarsServer(), requested);
    input.metadata.annotations = {
      ...(min !== undefined ? { 'tars.io/MinReplicas': min } : {}),
      ...(max !== undefined ? { 'tars.io/MaxReplicas': max } : {}),
    };
    expect(mutate(input).spec.k8s.replicas).toBe(expected);
  });

  it.each([
    [{ 'tars.io/MinReplicas': '100' }, 'metadata.annotations["tars.io/MinReplicas"]: unexpected annotation format "100"'],
    [{ 'tars.io/MaxReplicas': '01' }, 'metadata.annotations["tars.io/MaxReplicas"]: unexpected annotation format "01"'],
    [{ 'tars.io/MinReplicas': '5', 'tars.io/MaxReplicas': '2' }, 'tars.io/MinReplicas (5) is greater than tars.io/MaxReplicas (2)'],
  ])('denies bad replica annotations %j', (annotations, message) => {
    const input = released(tarsServer(), 1);
    input.metadata.annotations = annotations;
    const result = defaultTServer(input, ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatFieldErrors(result.errors)).toContain(message);
  });

  it('stamps the release time once and labels the release id', () => {
    const out = mutate(released(tarsServer(), 1));
    expect(out.spec.release?.time).toBe('2024-03-28T10:20:30Z');
    expect(out.metadata.labels?.['tars.io/ServerID']).toBe('v1');
    const again = mutate(out, { ...ctx, now: new Date('2030-01-01T00:00:00Z') });
    expect(again.spec.release?.time).toBe('2024-03-28T10:20:30Z');
  });

  it('takes the node image of a tars server from the TFrameworkConfig unless set', () => {
    const out = mutate(released(tarsServer(), 1));
    expect(out.spec.release).toMatchObject({ nodeImage: 'registry/tars.tarsnode:v1', nodeSecret: 'tars-image-secret' });
    const own = released(tarsServer(), 1);
    own.spec.release!.nodeImage = 'mine/tarsnode:2';
    expect(mutate(own).spec.release?.nodeImage).toBe('mine/tarsnode:2');
  });

  it('denies a released tars server when no default node image is configured', () => {
    const result = defaultTServer(released(tarsServer(), 1), { now });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual([expect.objectContaining({ path: 'spec.release.nodeImage', message: expect.stringContaining('no default node image has been set') })]);
  });

  it('removes node image fields from a normal server', () => {
    const input = released(normalServer(), 1);
    input.spec.release!.nodeImage = 'registry/tars.tarsnode:v1';
    input.spec.release!.nodeSecret = 's';
    const release = mutate(input).spec.release!;
    expect(release).not.toHaveProperty('nodeImage');
    expect(release).not.toHaveProperty('nodeSecret');
  });

  it('defaults normal.ports to an empty list', () => {
    const input = normalServer();
    delete (input.spec.normal as { ports?: unknown }).ports;
    expect(mutate(input).spec.normal?.ports).toEqual([]);
  });
});

const templates = new Set(['tars.default', 'tars.cpp']);

function errorsOf(obj: TServer, old?: TServer): string[] {
  return validateTServer(obj, old, { templates }).map((e) => `${e.path}: ${e.message}`);
}

describe('validateTServer', () => {
  it('accepts the fixtures', () => {
    expect(errorsOf(tarsServer())).toEqual([]);
    expect(errorsOf(normalServer())).toEqual([]);
  });

  const cases: [string, (o: TServer) => void, string][] = [
    ['wrong name', (o) => (o.metadata.name = 'hello'), 'metadata.name: unexpected resource name "hello", want "test-helloserver"'],
    [
      'name too long',
      (o) => {
        o.spec.server = 'S'.repeat(54);
        o.metadata.name = `test-${'s'.repeat(54)}`;
      },
      'metadata.name: must be shorter than 59 characters',
    ],
    ['missing template', (o) => (o.spec.tars!.template = 'tars.go'), 'spec.tars.template: TTemplate "tars.go" does not exist'],
    ['reserved port', (o) => (o.spec.tars!.servants[0]!.port = 19385), 'spec.tars.servants[0].port: port 19385 is reserved for tarsnode'],
    [
      'duplicate servant names (case-insensitive)',
      (o) => o.spec.tars!.servants.push({ name: 'helloobj', port: 10001 }),
      'spec.tars.servants[1].name: duplicate name "helloobj" (names are case-insensitive), also at spec.tars.servants[0]',
    ],
    [
      'servant and port share a name',
      (o) => (o.spec.tars!.ports = [{ name: 'helloobj', port: 10001 }]),
      'spec.tars.ports[0].name: duplicate name "helloobj"',
    ],
    ['duplicate port values', (o) => o.spec.tars!.servants.push({ name: 'OtherObj', port: 10000 }), 'spec.tars.servants[1].port: duplicate port 10000, also at spec.tars.servants[0]'],
    ['hostPort names nothing', (o) => (o.spec.k8s.hostPorts = [{ nameRef: 'nope', port: 1 }]), 'spec.k8s.hostPorts[0].nameRef: "nope" names no servant or port'],
    [
      'hostPort nameRef twice',
      (o) => (o.spec.k8s.hostPorts = [{ nameRef: 'HelloObj', port: 1 }, { nameRef: 'helloobj', port: 2 }]),
      'spec.k8s.hostPorts: nameRef "helloobj" is used more than once',
    ],
    [
      'hostPort value twice',
      (o) => {
        o.spec.tars!.ports = [{ name: 'admin', port: 9000 }];
        o.spec.k8s.hostPorts = [{ nameRef: 'HelloObj', port: 1 }, { nameRef: 'admin', port: 1 }];
      },
      'spec.k8s.hostPorts: host port 1 is used more than once',
    ],
    [
      'duplicate mounts',
      (o) => (o.spec.k8s.mounts = [0, 1].map(() => ({ name: 'data', mountPath: '/data', source: { emptyDir: {} } }))),
      'spec.k8s.mounts: mount name "data" is used more than once',
    ],
    [
      'daemonSet with a local volume',
      (o) => {
        o.spec.k8s.daemonSet = true;
        o.spec.k8s.mounts = [{ name: 'data', mountPath: '/data', source: { tLocalVolume: {} } }];
      },
      'spec.k8s.mounts[0].source.tLocalVolume: is not supported when daemonSet is true',
    ],
    [
      'daemonSet with a PVC template',
      (o) => {
        o.spec.k8s.daemonSet = true;
        o.spec.k8s.mounts = [{ name: 'data', mountPath: '/data', source: { persistentVolumeClaimTemplate: { spec: {} } } }];
      },
      'spec.k8s.mounts[0].source.persistentVolumeClaimTemplate: is not supported when daemonSet is true',
    ],
    [
      'mount named like a controller volume',
      (o) => (o.spec.k8s.mounts = [{ name: 'host-timezone', mountPath: '/x', source: { emptyDir: {} } }]),
      'spec.k8s.mounts[0].name: "host-timezone" is reserved',
    ],
    [
      'subPath escaping the volume',
      (o) => (o.spec.k8s.mounts = [{ name: 'data', mountPath: '/x', subPath: 'a/../../etc', source: { emptyDir: {} } }]),
      "spec.k8s.mounts[0].subPath: must not contain '..'",
    ],
    ['absolute subPath', (o) => (o.spec.k8s.mounts = [{ name: 'data', mountPath: '/x', subPath: '/etc', source: { emptyDir: {} } }]), 'spec.k8s.mounts[0].subPath: must be a relative path'],
    [
      'subType without its section',
      (o) => {
        o.spec.subType = 'normal';
      },
      'spec.normal: is required when subType is "normal"',
    ],
  ];

  it.each(cases)('denies %s', (_name, change, expected) => {
    const obj = tarsServer();
    change(obj);
    expect(errorsOf(obj).join('\n')).toContain(expected);
  });

  it('denies a port 19385 only for tars servers (tarsnode is not in normal pods)', () => {
    const obj = normalServer();
    obj.spec.normal!.ports[0]!.port = 19385;
    expect(errorsOf(obj)).toEqual([]);
  });

  it.each([
    ['app', (o: TServer) => (o.spec.app = 'Other'), 'spec.app: is immutable (was "Test")'],
    ['server', (o: TServer) => (o.spec.server = 'Other'), 'spec.server: is immutable (was "HelloServer")'],
    ['subType', (o: TServer) => (o.spec.subType = 'normal'), 'spec.subType: is immutable (was "tars")'],
    ['normal added', (o: TServer) => (o.spec.normal = { ports: [] }), 'spec.normal: cannot be added to an existing TServer'],
  ])('denies changing %s on update', (_name, change, expected) => {
    const old = tarsServer();
    const obj = tarsServer();
    change(obj);
    expect(errorsOf(obj, old).join('\n')).toContain(expected);
  });

  it('denies adding spec.tars to a server that had none', () => {
    const old = normalServer();
    const obj = normalServer();
    obj.spec.tars = { template: 'tars.cpp', servants: [] };
    expect(errorsOf(obj, old)).toContain('spec.tars: cannot be added to an existing TServer');
  });
});

describe('replicaBounds / clampReplicas (for the tservers/scale handler)', () => {
  it('reads the annotations, defaulting to 0..99', () => {
    expect(replicaBounds(undefined)).toEqual({ min: 0, max: 99 });
    const bounds = replicaBounds({ 'tars.io/MinReplicas': '2', 'tars.io/MaxReplicas': '5' });
    expect([0, 3, 9].map((r) => clampReplicas(r, bounds))).toEqual([2, 3, 5]);
    const errors: FieldError[] = [];
    replicaBounds({ 'tars.io/MaxReplicas': 'x' }, errors);
    expect(errors).toHaveLength(1);
  });
});
