// Converts any object of the group to another served version; the conversion webhook's core.
import { GROUP, VERSIONS, type Version } from '../meta/constants.ts';
import type { AnyObject } from '../meta/object-meta.ts';
import { kindDefinition } from '../kinds/all.ts';
import { tserverToV1beta2, tserverToV1beta3 } from '../kinds/tserver/convert.ts';
import { frameworkConfigToV1beta2, frameworkConfigToV1beta3 } from '../kinds/tframeworkconfig/convert.ts';

export class ConversionError extends Error {
  override name = 'ConversionError';
}

type Converter = (obj: never) => object;

/** Kinds whose versions differ in shape; every other kind converts by changing `apiVersion`. */
const SHAPED: Record<string, Record<Version, Converter>> = {
  TServer: { v1beta2: tserverToV1beta2, v1beta3: tserverToV1beta3 },
  TFrameworkConfig: { v1beta2: frameworkConfigToV1beta2, v1beta3: frameworkConfigToV1beta3 },
};

function parseApiVersion(apiVersion: unknown, what: string): Version {
  if (typeof apiVersion !== 'string') throw new ConversionError(`${what} is not a string`);
  const [group, version, ...rest] = apiVersion.split('/');
  if (group !== GROUP || rest.length > 0 || !(VERSIONS as readonly string[]).includes(version ?? '')) {
    throw new ConversionError(`${what} ${JSON.stringify(apiVersion)} is not one of ${VERSIONS.map((v) => `${GROUP}/${v}`).join(', ')}`);
  }
  return version as Version;
}

/** `obj` as `desiredAPIVersion`; throws ConversionError for foreign groups, versions or kinds. */
export function convertObject(obj: AnyObject, desiredAPIVersion: string): AnyObject {
  const to = parseApiVersion(desiredAPIVersion, 'desiredAPIVersion');
  const from = parseApiVersion(obj.apiVersion, 'apiVersion');
  if (kindDefinition(obj.kind) === undefined) throw new ConversionError(`unknown kind ${JSON.stringify(obj.kind)} in group ${GROUP}`);
  if (from === to) return structuredClone(obj);
  const shaped = SHAPED[obj.kind];
  if (shaped !== undefined) return shaped[to](obj as never) as AnyObject;
  return { ...structuredClone(obj), apiVersion: `${GROUP}/${to}` };
}

export interface ConversionReview {
  apiVersion: string;
  kind: 'ConversionReview';
  request?: { uid: string; desiredAPIVersion: string; objects: AnyObject[] };
  response?: {
    uid: string;
    result: { status: 'Success' } | { status: 'Failure'; message: string };
    convertedObjects: AnyObject[];
  };
}

/** The response to an apiextensions.k8s.io/v1 ConversionReview: all objects or a failure. */
export function reviewConversion(review: ConversionReview): ConversionReview {
  const request = review.request;
  if (request === undefined) throw new ConversionError('ConversionReview has no request');
  const response = (result: NonNullable<ConversionReview['response']>['result'], convertedObjects: AnyObject[]) => ({
    apiVersion: review.apiVersion,
    kind: 'ConversionReview' as const,
    response: { uid: request.uid, result, convertedObjects },
  });
  try {
    return response({ status: 'Success' }, request.objects.map((o) => convertObject(o, request.desiredAPIVersion)));
  } catch (err) {
    if (!(err instanceof ConversionError)) throw err;
    return response({ status: 'Failure', message: err.message }, []);
  }
}
