// Admission rules for TTemplate: the parent chain must exist and stay intact.
import { fieldError, type FieldError } from '../errors.ts';
import { Label } from '../meta/constants.ts';
import type { TTemplate } from '../kinds/ttemplate.ts';
import { isController, isKubeSystem, labelOf, removeLabel, setLabel, type WithMeta } from './common.ts';

/** A template whose parent is itself is a root of the chain. */
export function isRootTemplate(t: TTemplate): boolean {
  return t.spec.parent === t.metadata.name;
}

/** Non-root templates carry `tars.io/Parent`, so children can be found by label. */
export function defaultTTemplate(input: TTemplate): TTemplate {
  const obj = structuredClone(input);
  if (isRootTemplate(obj)) removeLabel(obj.metadata, Label.Parent);
  else setLabel(obj.metadata, Label.Parent, obj.spec.parent);
  return obj;
}

export interface TTemplateValidationContext {
  /** Names of the TTemplates in the namespace. */
  templates: ReadonlySet<string>;
}

export function validateTTemplate(obj: TTemplate, _old: TTemplate | undefined, ctx: TTemplateValidationContext): FieldError[] {
  if (obj.spec.parent === '') return [fieldError('spec.parent', 'must not be empty')];
  if (!isRootTemplate(obj) && !ctx.templates.has(obj.spec.parent)) {
    return [fieldError('spec.parent', `parent TTemplate ${JSON.stringify(obj.spec.parent)} does not exist`)];
  }
  return [];
}

export interface TTemplateDeleteContext {
  user?: string;
  /** TTemplates and TServers of the namespace (labels are read). */
  templates: readonly WithMeta[];
  tservers: readonly WithMeta[];
}

export function validateTTemplateDelete(obj: TTemplate, ctx: TTemplateDeleteContext): FieldError[] {
  if (isController(ctx.user) || isKubeSystem(ctx.user)) return [];
  const name = obj.metadata.name;
  const errors: FieldError[] = [];
  const child = ctx.templates.find((t) => t.metadata?.name !== name && labelOf(t, Label.Parent) === name);
  if (child !== undefined) errors.push(fieldError('metadata.name', `TTemplate ${JSON.stringify(name)} is the parent of ${JSON.stringify(child.metadata?.name)}`));
  const user = ctx.tservers.find((s) => labelOf(s, Label.Template) === name);
  if (user !== undefined) errors.push(fieldError('metadata.name', `TTemplate ${JSON.stringify(name)} is used by TServer ${JSON.stringify(user.metadata?.name)}`));
  return errors;
}
