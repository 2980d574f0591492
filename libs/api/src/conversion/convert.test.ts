import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../kinds/all.ts';
import type { AnyObject } from '../meta/object-meta.ts';
import { TServerSchema as TServerV1beta2Schema, type TServer as TServerV1beta2 } from '../kinds/tserver/v1beta2.ts';
import { TServerSchema as TServerV1beta3Schema, type TServer as TServerV1beta3 } from '../kinds/tserver/v1beta3.ts';
import { TFrameworkConfigSchema as TFCV1beta2Schema } from '../kinds/tframeworkconfig/v1beta2.ts';
import { TFrameworkConfigSchema as TFCV1beta3Schema } from '../kinds/tframeworkconfig/v1beta3.ts';
import { validateSchema } from '../schema/lookup.ts';
import type { Node } from '../schema/dsl.ts';
import { arbitraryOf } from '../testing/arbitrary.ts';
import { tarsServer } from '../testing/fixtures.ts';
import { convertObject, reviewConversion } from './convert.ts';

const ANNOTATION = 'tars.io/Conversion.1b21b3';

/** Arbitrary valid objects of one kind and version, with realistic metadata. */
function objects(schema: Node, kind: string, version: string): fc.Arbitrary<AnyObject> {
  const annotations = fc.option(fc.dictionary(fc.constantFrom('a.io/x', 'b.io/y', 'note'), fc.string({ maxLength: 8 }), { minKeys: 1, maxKeys: 2 }), { nil: undefined });
  return fc.tuple(arbitraryOf(schema), annotations).map(([body, ann]) => ({
    ...(body as object),
    apiVersion: `k8s.tars.io/${version}`,
    kind,
    metadata: { name: 'obj', namespace: 'tars', ...(ann ? { annotations: ann } : {}) },
  }));
}

const runs = { numRuns: 60 };

describe.each([
  ['TServer', TServerV1beta2Schema, TServerV1beta3Schema],
  ['TFrameworkConfig', TFCV1beta2Schema, TFCV1beta3Schema],
])('%s conversion', (kind, v2Schema, v3Schema) => {
  it('v1beta3 -> v1beta2 -> v1beta3 gives back the original, and v1beta2 is valid', () => {
    fc.assert(
      fc.property(objects(v3Schema, kind, 'v1beta3'), (original) => {
        const down = convertObject(original, 'k8s.tars.io/v1beta2');
        expect(validateSchema(down)).toEqual([]);
        expect(convertObject(down, 'k8s.tars.io/v1beta3')).toEqual(original);
      }),
      runs,
    );
  });

  it('v1beta2 -> v1beta3 -> v1beta2 gives back the original, and v1beta3 is valid', () => {
    fc.assert(
      fc.property(objects(v2Schema, kind, 'v1beta2'), (original) => {
        const up = convertObject(original, 'k8s.tars.io/v1beta3');
        expect(up.metadata?.annotations?.[ANNOTATION]).toBeUndefined();
        expect(convertObject(up, 'k8s.tars.io/v1beta2')).toEqual(original);
        // v1beta2 lacks imageBuild.executor, which v1beta3 does not require either
        expect(validateSchema(up)).toEqual([]);
      }),
      runs,
    );
  });
});

describe('TServer conversion details', () => {
  function v3(k8s: Partial<TServerV1beta3['spec']['k8s']>): TServerV1beta3 {
    const obj = tarsServer();
    obj.spec.k8s = { ...obj.spec.k8s, ...k8s };
    return obj;
  }

  it('puts the first readiness gate in readinessGate and the rest, command and args in the annotation', () => {
    const down = convertObject(v3({ readinessGates: ['tars.io/active', 'x.io/y'], command: ['/bin/sh'], args: ['-c', 'x'] }), 'k8s.tars.io/v1beta2') as TServerV1beta2;
    expect(down.spec.k8s.readinessGate).toBe('tars.io/active');
    expect(down.spec.k8s).not.toHaveProperty('readinessGates');
    expect(down.spec.k8s).not.toHaveProperty('command');
    expect(JSON.parse(down.metadata.annotations![ANNOTATION]!)).toEqual({
      append: { command: ['/bin/sh'], args: ['-c', 'x'], readinessGates: ['x.io/y'] },
      drop: {},
    });
  });

  it('needs no annotation when v1beta2 can hold everything', () => {
    const down = convertObject(v3({ readinessGates: ['tars.io/active'] }), 'k8s.tars.io/v1beta2');
    expect(down.metadata?.annotations?.[ANNOTATION]).toBeUndefined();
  });

  it('keeps a v1beta2 readinessGate change made by an old client', () => {
    const down = convertObject(v3({ readinessGates: ['a.io/a', 'b.io/b'] }), 'k8s.tars.io/v1beta2') as TServerV1beta2;
    down.spec.k8s.readinessGate = 'c.io/c';
    const up = convertObject(down, 'k8s.tars.io/v1beta3') as TServerV1beta3;
    expect(up.spec.k8s.readinessGates).toEqual(['c.io/c', 'b.io/b']);
  });

  it('drops an annotation that is not valid JSON instead of failing', () => {
    const obj = convertObject(v3({}), 'k8s.tars.io/v1beta2');
    obj.metadata!.annotations = { [ANNOTATION]: '{not json', other: 'kept' };
    const up = convertObject(obj, 'k8s.tars.io/v1beta3');
    expect(up.metadata?.annotations).toEqual({ other: 'kept' });
  });
});

describe('convertObject', () => {
  it('changes only apiVersion for kinds whose versions share one shape', () => {
    for (const def of KINDS.filter((k) => k.conversion === 'None')) {
      const obj = { apiVersion: 'k8s.tars.io/v1beta2', kind: def.kind, metadata: { name: 'x' }, field: { a: 1 } };
      expect(convertObject(obj, 'k8s.tars.io/v1beta3')).toEqual({ ...obj, apiVersion: 'k8s.tars.io/v1beta3' });
    }
  });

  it.each([
    [{ apiVersion: 'k8s.tars.io/v1beta3', kind: 'TServer' }, 'k8s.tars.io/v1beta1', /desiredAPIVersion "k8s.tars.io\/v1beta1" is not one of/],
    [{ apiVersion: 'apps/v1', kind: 'TServer' }, 'k8s.tars.io/v1beta2', /apiVersion "apps\/v1" is not one of/],
    [{ apiVersion: 'k8s.tars.io/v1beta3', kind: 'TDeploy' }, 'k8s.tars.io/v1beta2', /unknown kind "TDeploy"/],
  ])('refuses %j -> %s', (obj, to, message) => {
    expect(() => convertObject(obj as AnyObject, to)).toThrow(message);
  });
});

describe('reviewConversion', () => {
  it('answers a ConversionReview with every object converted', () => {
    const review = reviewConversion({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'ConversionReview',
      request: { uid: 'u-1', desiredAPIVersion: 'k8s.tars.io/v1beta2', objects: [tarsServer()] },
    });
    expect(review.response?.uid).toBe('u-1');
    expect(review.response?.result).toEqual({ status: 'Success' });
    expect(review.response?.convertedObjects.map((o) => o.apiVersion)).toEqual(['k8s.tars.io/v1beta2']);
  });

  it('answers Failure with the reason when an object cannot be converted', () => {
    const review = reviewConversion({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'ConversionReview',
      request: { uid: 'u-2', desiredAPIVersion: 'k8s.tars.io/v9', objects: [tarsServer()] },
    });
    expect(review.response).toMatchObject({ uid: 'u-2', result: { status: 'Failure', message: expect.stringContaining('v9') }, convertedObjects: [] });
  });
});
