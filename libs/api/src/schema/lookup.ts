// Finds the schema of an object by its apiVersion and kind, for checks without an API server.
import { fieldError, type FieldError } from '../errors.ts';
import { GROUP } from '../meta/constants.ts';
import { dns1123SubdomainProblem } from '../meta/names.ts';
import type { AnyObject } from '../meta/object-meta.ts';
import { kindDefinition } from '../kinds/all.ts';
import type { ObjectNode } from './dsl.ts';
import { checkValue } from './check.ts';
import { applyDefaults, prune } from './defaults.ts';

export function schemaFor(apiVersion: string, kind: string): ObjectNode | undefined {
  const def = kindDefinition(kind);
  if (def === undefined || !apiVersion.startsWith(`${GROUP}/`)) return undefined;
  return def.versions.find((v) => `${GROUP}/${v.name}` === apiVersion)?.schema;
}

function requireSchema(obj: AnyObject): ObjectNode {
  const schema = schemaFor(obj.apiVersion, obj.kind);
  if (schema === undefined) throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
  return schema;
}

/**
 * What the API server would report for `obj`: its object name (a DNS-1123 subdomain for every
 * custom resource; standalone mode also uses it as a file name) and the structural schema,
 * checked like the server does after pruning and defaulting (a defaulted required field is fine).
 */
export function validateSchema(obj: AnyObject): FieldError[] {
  const schema = schemaFor(obj.apiVersion, obj.kind);
  if (schema === undefined) return [fieldError('apiVersion', `unknown kind ${obj.kind} in ${obj.apiVersion}`)];
  const errors: FieldError[] = [];
  const name = obj.metadata?.name;
  if (name !== undefined) {
    const problem = dns1123SubdomainProblem(name);
    if (problem !== undefined) errors.push(fieldError('metadata.name', problem));
  }
  return [...errors, ...checkValue(schema, applyDefaults(schema, prune(schema, obj)))];
}

/** `obj` as the API server would store it: unknown fields pruned, then schema defaults filled. */
export function normalize<T extends AnyObject>(obj: T): T {
  const schema = requireSchema(obj);
  return applyDefaults(schema, prune(schema, obj));
}
