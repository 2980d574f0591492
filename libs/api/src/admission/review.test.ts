import { describe, expect, it } from 'vitest';
import { convertObject } from '../conversion/convert.ts';
import type { AnyObject } from '../meta/object-meta.ts';
import { applyJsonPatch } from '../testing/apply-json-patch.ts';
import { frameworkConfig, tarsServer, tconfig } from '../testing/fixtures.ts';
import { mutate, validate, type AdmissionLookups } from './review.ts';
import { defaultTConfig } from './tconfig.ts';

const now = new Date('2024-03-28T15:04:05Z');

function lookups(over: Partial<AdmissionLookups> = {}): AdmissionLookups {
  return {
    now,
    frameworkConfig: frameworkConfig(),
    templates: () => [{ metadata: { name: 'tars.default' } }, { metadata: { name: 'tars.cpp' } }],
    tservers: () => [],
    tconfigs: () => [],
    treeExists: () => true,
    ...over,
  };
}

describe('mutate', () => {
  it('returns the mutated v1beta3 object and the patch that produces it', () => {
    const obj = tarsServer() as unknown as AnyObject;
    const result = mutate('CREATE', obj, undefined, lookups());
    if (!result.allowed) throw new Error('denied');
    expect((result.object as any).spec.k8s.readinessGates).toEqual(['tars.io/active']);
    expect(applyJsonPatch(obj, result.patch)).toEqual(result.object);
  });

  it('mutates a v1beta2 object as v1beta3 and patches it in v1beta2 terms', () => {
    const obj = convertObject(tarsServer() as unknown as AnyObject, 'k8s.tars.io/v1beta2');
    const result = mutate('CREATE', obj, undefined, lookups());
    if (!result.allowed) throw new Error('denied');
    expect(result.object.apiVersion).toBe('k8s.tars.io/v1beta2');
    expect((result.object as any).spec.k8s.readinessGate).toBe('tars.io/active');
    expect(result.patch).toContainEqual({ op: 'add', path: '/spec/k8s/readinessGate', value: 'tars.io/active' });
    expect(applyJsonPatch(obj, result.patch)).toEqual(result.object);
  });

  it('denies with the rule errors', () => {
    const obj = tarsServer() as unknown as AnyObject & { spec: any };
    obj.spec.release = { id: 'v1', image: 'r/x:v1' };
    const result = mutate('CREATE', obj, undefined, lookups({ frameworkConfig: undefined }));
    expect(result).toMatchObject({ allowed: false, errors: [{ path: 'spec.release.nodeImage' }] });
  });

  it('refuses a plain password when no bcrypt implementation is wired in', () => {
    const account = {
      apiVersion: 'k8s.tars.io/v1beta3',
      kind: 'TAccount',
      metadata: { name: '21232f297a57a5a743894a0e4a801fc3' },
      spec: { username: 'admin', authentication: { password: 'secret123' }, authorization: [] },
    };
    expect(mutate('CREATE', account, undefined, lookups())).toEqual({ allowed: false, errors: [{ path: 'spec.authentication', message: 'this server cannot hash passwords' }] });
  });

  it('leaves kinds without mutating rules alone', () => {
    const obj = { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TEndpoint', metadata: { name: 'x' }, spec: {} };
    expect(mutate('CREATE', obj, undefined, lookups())).toEqual({ allowed: true, object: obj, patch: [] });
  });
});

describe('validate', () => {
  it('dispatches TServer rules with the namespace templates', () => {
    const obj = tarsServer() as unknown as AnyObject;
    expect(validate('CREATE', obj, undefined, lookups()).allowed).toBe(true);
    const none = validate('CREATE', obj, undefined, lookups({ templates: () => [] }));
    expect(none.allowed).toBe(false);
    expect(none.errors[0]?.path).toBe('spec.tars.template');
  });

  it('plans the deactivation of the previous version when a TConfig is created activated', () => {
    const previous = defaultTConfig(tconfig({ name: 'v1' }), undefined, { now });
    const next = defaultTConfig(tconfig({ name: 'v2' }), undefined, { now });
    const result = validate('CREATE', next as unknown as AnyObject, undefined, lookups({ tconfigs: () => [previous] }));
    expect(result).toEqual({ allowed: true, errors: [], deactivate: ['v1'], markDeleting: [] });
  });

  it('checks deletes against oldObject', () => {
    const tree = { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TTree', metadata: { name: 'tars-tree' }, businesses: [], apps: [] };
    expect(validate('DELETE', undefined, tree, lookups()).allowed).toBe(false);
    expect(validate('DELETE', undefined, tree, lookups({ user: 'system:serviceaccount:tars-system:tars-controller' })).allowed).toBe(true);
    expect(validate('DELETE', undefined, undefined, lookups()).errors[0]?.message).toBe('DELETE review without oldObject');
  });
});

describe('AutoRelease (v1beta2 requests)', () => {
  const image = {
    apiVersion: 'k8s.tars.io/v1beta3' as const,
    kind: 'TImage' as const,
    metadata: { name: 'test-helloserver', labels: { 'tars.io/ServerApp': 'Test', 'tars.io/ServerName': 'HelloServer' } },
    imageType: 'server' as const,
    releases: [
      { id: 'v2', image: 'r/test.helloserver:v2' },
      { id: 'v1', image: 'r/test.helloserver:v1', secret: 'pull' },
    ],
    default: 'v1',
  };

  it('gives a v1beta2 TServer without release the default release of its TImage', () => {
    const obj = convertObject(tarsServer() as unknown as AnyObject, 'k8s.tars.io/v1beta2');
    const result = mutate('CREATE', obj, undefined, lookups({ timages: () => [image] }));
    if (!result.allowed) throw new Error('denied');
    expect((result.object as any).spec.release).toMatchObject({ id: 'v1', image: 'r/test.helloserver:v1', secret: 'pull' });
  });

  it('leaves v1beta3 requests, opted-out servers and unlabelled images alone', () => {
    const v3 = mutate('CREATE', tarsServer() as unknown as AnyObject, undefined, lookups({ timages: () => [image] }));
    expect(v3.allowed && (v3.object as any).spec.release).toBeUndefined();
    const optOut = tarsServer();
    optOut.metadata.annotations = { 'tars.io/AutoRelease': 'false' };
    const v2 = convertObject(optOut as unknown as AnyObject, 'k8s.tars.io/v1beta2');
    const r = mutate('CREATE', v2, undefined, lookups({ timages: () => [image] }));
    expect(r.allowed && (r.object as any).spec.release).toBeUndefined();
    const other = { ...image, metadata: { name: 'x', labels: { 'tars.io/ServerApp': 'Other', 'tars.io/ServerName': 'HelloServer' } } };
    const r2 = mutate('CREATE', convertObject(tarsServer() as unknown as AnyObject, 'k8s.tars.io/v1beta2'), undefined, lookups({ timages: () => [other] }));
    expect(r2.allowed && (r2.object as any).spec.release).toBeUndefined();
  });
});
