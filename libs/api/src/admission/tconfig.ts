// Admission rules for TConfig: labels and version on create, and the versioning protocol that
// keeps at most one activated version per (app, server, configName, podSeq).
import { crc32 } from 'node:zlib';
import { fieldError, type FieldError } from '../errors.ts';
import { Label } from '../meta/constants.ts';
import { MASTER_POD_SEQ, type TConfig } from '../kinds/tconfig.ts';
import { formatTime, isController, isKubeSystem, labelOf, removeLabel, setLabel, type WithMeta } from './common.ts';

export interface TConfigDefaultsContext {
  now: Date;
}

/** `YYYYMMDDhhmmss` on a 24-hour UTC clock (upstream's 12-hour clock made versions unsortable). */
function versionStamp(now: Date): string {
  return formatTime(now).replace(/[-:TZ]/g, '');
}

function syncLabels(obj: TConfig): void {
  const meta = obj.metadata;
  setLabel(meta, Label.ServerApp, obj.app);
  setLabel(meta, Label.ServerName, obj.server ?? '');
  setLabel(meta, Label.ConfigName, obj.configName);
  setLabel(meta, Label.PodSeq, obj.podSeq ?? MASTER_POD_SEQ);
  setLabel(meta, Label.Activated, String(obj.activated ?? true));
  if (obj.version !== undefined) setLabel(meta, Label.Version, obj.version);
}

/** Create: labels mirror the fields, a fresh `version` and `updateTime`. Update: labels only. */
export function defaultTConfig(input: TConfig, old: TConfig | undefined, ctx: TConfigDefaultsContext): TConfig {
  const obj = structuredClone(input);
  if (old === undefined) {
    const hash = crc32(obj.metadata.name ?? '').toString(16);
    obj.version = `${versionStamp(ctx.now)}-${hash}`;
    obj.updateTime = formatTime(ctx.now);
  }
  syncLabels(obj);
  return obj;
}

export interface TConfigValidationContext {
  /** The authenticated user name of the request. */
  user?: string;
  /** The TConfigs of the namespace (labels are read; metadata-only objects are enough). */
  tconfigs: readonly WithMeta[];
  now: Date;
}

const IMMUTABLE = ['app', 'server', 'podSeq', 'configName', 'configContent', 'version', 'updateTime', 'updatePerson', 'updateReason'] as const;

/** A TConfig is "activated" by its label, which the controller and webhook keep in step. */
function isActivated(o: WithMeta): boolean {
  return labelOf(o, Label.Activated) === 'true';
}

function sameConfig(o: WithMeta, obj: TConfig): boolean {
  return (
    labelOf(o, Label.ServerApp) === obj.app &&
    labelOf(o, Label.ServerName) === (obj.server ?? '') &&
    labelOf(o, Label.ConfigName) === obj.configName
  );
}

function isTransient(o: WithMeta): boolean {
  return labelOf(o, Label.Deactivate) !== undefined || labelOf(o, Label.Deleting) !== undefined;
}

/** Activated versions of the same (app, server, configName, podSeq), other than `obj` itself. */
function activatedSiblings(obj: TConfig, ctx: TConfigValidationContext): WithMeta[] {
  const podSeq = obj.podSeq ?? MASTER_POD_SEQ;
  return ctx.tconfigs.filter(
    (o) => o.metadata?.name !== obj.metadata.name && sameConfig(o, obj) && labelOf(o, Label.PodSeq) === podSeq && isActivated(o),
  );
}

function checkActivation(obj: TConfig, ctx: TConfigValidationContext, errors: FieldError[]): void {
  const siblings = activatedSiblings(obj, ctx);
  if (siblings.length > 1) {
    errors.push(fieldError('activated', `more than one activated version of this config exists (${siblings.map((o) => o.metadata?.name).join(', ')})`));
  }
}

export function validateTConfig(obj: TConfig, old: TConfig | undefined, ctx: TConfigValidationContext): FieldError[] {
  const errors: FieldError[] = [];
  const podSeq = obj.podSeq ?? MASTER_POD_SEQ;
  if (old === undefined) {
    for (const key of [Label.Deactivate, Label.Deleting]) {
      if (labelOf(obj, key) !== undefined) errors.push(fieldError(`metadata.labels[${JSON.stringify(key)}]`, 'is set by the system only'));
    }
    if ((obj.server ?? '') === '' && podSeq !== MASTER_POD_SEQ) {
      errors.push(fieldError('podSeq', 'app level tconfig does not support master/slave'));
    }
    if (podSeq !== MASTER_POD_SEQ) {
      const master = ctx.tconfigs.find(
        (o) => sameConfig(o, obj) && labelOf(o, Label.PodSeq) === MASTER_POD_SEQ && isActivated(o) && !isTransient(o),
      );
      if (master === undefined) errors.push(fieldError('podSeq', 'no activated master tconfig found'));
    }
    if (obj.activated !== false) checkActivation(obj, ctx, errors);
    return errors;
  }

  if (isController(ctx.user)) return errors;
  if (labelOf(old, Label.Deleting) !== undefined) errors.push(fieldError('metadata', 'tconfig is being deleted'));
  for (const field of IMMUTABLE) {
    if (JSON.stringify(obj[field]) !== JSON.stringify(old[field])) errors.push(fieldError(field, 'is immutable'));
  }
  const was = old.activated !== false;
  const is = obj.activated !== false;
  if (was && !is) errors.push(fieldError('activated', 'only use authorized account can update activated from true to false; activate another version instead'));
  if (!was && is) checkActivation(obj, ctx, errors);
  return errors;
}

/** Versions the webhook labels `tars.io/Deactivate` when `obj` becomes activated (at most one). */
export function planTConfigActivation(obj: TConfig, ctx: TConfigValidationContext): string[] {
  if (obj.activated === false) return [];
  return activatedSiblings(obj, ctx).map((o) => o.metadata?.name ?? '');
}

/** Kubernetes may delete a just-activated version only after this long. */
export const DELETION_GUARD_SECONDS = 48;

export function validateTConfigDelete(obj: TConfig, ctx: TConfigValidationContext): FieldError[] {
  if (isController(ctx.user) || isKubeSystem(ctx.user)) return [];
  if (obj.activated === false || isTransient(obj)) return [];
  const created = Date.parse(obj.metadata.creationTimestamp ?? '');
  if (!Number.isNaN(created) && ctx.now.getTime() - created < DELETION_GUARD_SECONDS * 1000) {
    return [fieldError('metadata', `deletion guard time(${DELETION_GUARD_SECONDS}s): an activated tconfig cannot be deleted right after creation`)];
  }
  if ((obj.podSeq ?? MASTER_POD_SEQ) === MASTER_POD_SEQ) {
    const slave = ctx.tconfigs.find((o) => sameConfig(o, obj) && (labelOf(o, Label.PodSeq) ?? MASTER_POD_SEQ) !== MASTER_POD_SEQ);
    if (slave !== undefined) return [fieldError('metadata', `activated master tconfig is referenced by another tconfig (${slave.metadata?.name})`)];
  }
  return [];
}

/**
 * Versions the webhook labels `tars.io/Deleting` (the controller then deletes them) when the
 * activated version `obj` is deleted: its whole history of the same podSeq goes with it.
 */
export function planTConfigDeletion(obj: TConfig, ctx: TConfigValidationContext): string[] {
  if (isController(ctx.user) || isKubeSystem(ctx.user) || obj.activated === false || isTransient(obj)) return [];
  const podSeq = obj.podSeq ?? MASTER_POD_SEQ;
  return ctx.tconfigs
    .filter((o) => o.metadata?.name !== obj.metadata.name && sameConfig(o, obj) && labelOf(o, Label.PodSeq) === podSeq)
    .map((o) => o.metadata?.name ?? '');
}

/** The labels the controller sets when it deactivates a version marked `tars.io/Deactivate`. */
export function deactivatedTConfig(input: TConfig): TConfig {
  const obj = structuredClone(input);
  obj.activated = false;
  removeLabel(obj.metadata, Label.Deactivate);
  setLabel(obj.metadata, Label.Activated, 'false');
  return obj;
}
