// Admission rules for TTree, the singleton `tars-tree`.
import { fieldError, type FieldError } from '../errors.ts';
import { Label, TREE_NAME } from '../meta/constants.ts';
import type { TTree } from '../kinds/ttree.ts';
import { duplicates, isController, isKubeSystem, labelOf, type WithMeta } from './common.ts';

/** Apps that name a business which does not exist are moved to "no business" (`""`). */
export function defaultTTree(input: TTree): TTree {
  const obj = structuredClone(input);
  const businesses = new Set(obj.businesses.map((b) => b.name));
  for (const app of obj.apps) {
    if (app.businessRef !== '' && !businesses.has(app.businessRef)) app.businessRef = '';
  }
  return obj;
}

export interface TTreeValidationContext {
  user?: string;
  /** Whether `tars-tree` already exists in the namespace (create only). */
  treeExists: boolean;
  /** TServers of the namespace (their `tars.io/ServerApp` label is read). */
  tservers: readonly WithMeta[];
}

export function validateTTree(obj: TTree, old: TTree | undefined, ctx: TTreeValidationContext): FieldError[] {
  const errors: FieldError[] = [];
  if (old === undefined) {
    if (obj.metadata.name !== TREE_NAME) errors.push(fieldError('metadata.name', `must be ${JSON.stringify(TREE_NAME)}`));
    else if (ctx.treeExists) errors.push(fieldError('metadata.name', `${TREE_NAME} already exists`));
  }
  for (const name of duplicates(obj.businesses.map((b) => b.name))) errors.push(fieldError('businesses', `business ${JSON.stringify(name)} is listed more than once`));
  for (const name of duplicates(obj.apps.map((a) => a.name))) errors.push(fieldError('apps', `app ${JSON.stringify(name)} is listed more than once`));
  const businesses = new Set(obj.businesses.map((b) => b.name));
  obj.apps.forEach((app, i) => {
    if (app.businessRef !== '' && !businesses.has(app.businessRef)) {
      errors.push(fieldError(`apps[${i}].businessRef`, `business ${JSON.stringify(app.businessRef)} does not exist`));
    }
  });
  if (old !== undefined && !isController(ctx.user)) {
    const kept = new Set(obj.apps.map((a) => a.name));
    const inUse = new Set(ctx.tservers.map((s) => labelOf(s, Label.ServerApp)));
    for (const app of old.apps) {
      if (!kept.has(app.name) && inUse.has(app.name)) errors.push(fieldError('apps', `app ${JSON.stringify(app.name)} is still used by a TServer`));
    }
  }
  return errors;
}

export function validateTTreeDelete(obj: TTree, ctx: { user?: string }): FieldError[] {
  if (obj.metadata.name === TREE_NAME && !isController(ctx.user) && !isKubeSystem(ctx.user)) {
    return [fieldError('metadata.name', `${TREE_NAME} cannot be deleted`)];
  }
  return [];
}
