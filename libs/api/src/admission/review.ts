// One entry point per webhook role, by kind: what the Kubernetes webhook (AdmissionReview) and
// the standalone ClusterState both call, so the two homes apply the same rules.
import { fieldError, type FieldError } from '../errors.ts';
import { GROUP, STORAGE_VERSION } from '../meta/constants.ts';
import type { AnyObject } from '../meta/object-meta.ts';
import { convertObject } from '../conversion/convert.ts';
import type { TAccount } from '../kinds/taccount.ts';
import type { TConfig } from '../kinds/tconfig.ts';
import type { TFrameworkConfig } from '../kinds/tframeworkconfig/v1beta3.ts';
import type { TImage } from '../kinds/timage.ts';
import type { TServer } from '../kinds/tserver/v1beta3.ts';
import type { TTemplate } from '../kinds/ttemplate.ts';
import type { TTree } from '../kinds/ttree.ts';
import { autoRelease } from './auto-release.ts';
import type { Mutated, WithMeta } from './common.ts';
import { jsonPatch, type JsonPatchOperation } from './json-patch.ts';
import { defaultTAccount, validateTAccount } from './taccount.ts';
import { defaultTConfig, planTConfigActivation, planTConfigDeletion, validateTConfig, validateTConfigDelete } from './tconfig.ts';
import { defaultTImage } from './timage.ts';
import { defaultTServer } from './tserver-defaults.ts';
import { validateTServer } from './tserver-validate.ts';
import { defaultTTemplate, validateTTemplate, validateTTemplateDelete } from './ttemplate.ts';
import { defaultTTree, validateTTree, validateTTreeDelete } from './ttree.ts';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

/** What the rules may look up, for the namespace of the object under review. */
export interface AdmissionLookups {
  now: Date;
  /** The request's user name (AdmissionReview `request.userInfo.username`). */
  user?: string;
  frameworkConfig?: Pick<TFrameworkConfig, 'nodeImage'>;
  templates: () => readonly WithMeta[];
  tservers: () => readonly WithMeta[];
  tconfigs: () => readonly WithMeta[];
  treeExists: () => boolean;
  /** TImages of the namespace: v1beta2 TServers without a release take their default one. */
  timages?: () => readonly TImage[];
  /** Needed only for TAccounts that set a plain password. */
  bcrypt?: (data: string, cost: number) => string;
}

export type MutateResult =
  | { allowed: true; object: AnyObject; patch: JsonPatchOperation[] }
  | { allowed: false; errors: FieldError[] };

export interface ValidateResult {
  allowed: boolean;
  errors: FieldError[];
  /** TConfigs to label `tars.io/Deactivate=Deactivating` (another version became active). */
  deactivate: string[];
  /** TConfigs to label `tars.io/Deleting=Deleting` (their activated version is being deleted). */
  markDeleting: string[];
}

const STORAGE_API_VERSION = `${GROUP}/${STORAGE_VERSION}`;

function names(objects: readonly WithMeta[]): Set<string> {
  return new Set(objects.map((o) => o.metadata?.name).filter((n): n is string => n !== undefined));
}

function mutateStorage(obj: AnyObject, old: AnyObject | undefined, l: AdmissionLookups): Mutated<AnyObject> {
  const done = (object: unknown): Mutated<AnyObject> => ({ ok: true, object: object as AnyObject });
  switch (obj.kind) {
    case 'TServer':
      return defaultTServer(obj as unknown as TServer, l) as Mutated<AnyObject>;
    case 'TConfig':
      return done(defaultTConfig(obj as unknown as TConfig, old as unknown as TConfig | undefined, l));
    case 'TTemplate':
      return done(defaultTTemplate(obj as unknown as TTemplate));
    case 'TTree':
      return done(defaultTTree(obj as unknown as TTree));
    case 'TImage':
      return done(defaultTImage(obj as unknown as TImage, l));
    case 'TAccount': {
      const bcrypt = l.bcrypt;
      if (bcrypt === undefined) return { ok: false, errors: [fieldError('spec.authentication', 'this server cannot hash passwords')] };
      return defaultTAccount(obj as unknown as TAccount, old as unknown as TAccount | undefined, { bcrypt }) as Mutated<AnyObject>;
    }
    default:
      return done(structuredClone(obj));
  }
}

/**
 * The mutating webhook: CREATE and UPDATE of any kind, in either served version (a v1beta2
 * object is mutated as v1beta3 and the patch is expressed in v1beta2 terms; v1beta2 TServers
 * also get upstream's AutoRelease).
 */
export function mutate(operation: Operation, object: AnyObject, oldObject: AnyObject | undefined, lookups: AdmissionLookups): MutateResult {
  if (operation === 'DELETE') return { allowed: true, object, patch: [] };
  const asStorage = (o: AnyObject) => (o.apiVersion === STORAGE_API_VERSION ? o : convertObject(o, STORAGE_API_VERSION));
  let storage = asStorage(object);
  if (object.kind === 'TServer' && object.apiVersion === `${GROUP}/v1beta2` && lookups.timages !== undefined) {
    storage = autoRelease(storage as unknown as TServer, lookups.timages()) as unknown as AnyObject;
  }
  const result = mutateStorage(storage, oldObject && asStorage(oldObject), lookups);
  if (!result.ok) return { allowed: false, errors: result.errors };
  const mutated = object.apiVersion === STORAGE_API_VERSION ? result.object : convertObject(result.object, object.apiVersion);
  return { allowed: true, object: mutated, patch: jsonPatch(object, mutated) };
}

/** The validating webhook: CREATE/UPDATE check `object` (after mutation), DELETE checks `oldObject`. */
export function validate(operation: Operation, object: AnyObject | undefined, oldObject: AnyObject | undefined, l: AdmissionLookups): ValidateResult {
  const toStorage = (o: AnyObject | undefined) => (o === undefined || o.apiVersion === STORAGE_API_VERSION ? o : convertObject(o, STORAGE_API_VERSION));
  const obj = toStorage(object);
  const old = toStorage(oldObject);
  const result: ValidateResult = { allowed: true, errors: [], deactivate: [], markDeleting: [] };
  const subject = operation === 'DELETE' ? old : obj;
  if (subject === undefined) {
    return { ...result, allowed: false, errors: [fieldError('', `${operation} review without ${operation === 'DELETE' ? 'oldObject' : 'object'}`)] };
  }
  const user = l.user === undefined ? {} : { user: l.user };
  if (operation === 'DELETE') {
    switch (subject.kind) {
      case 'TConfig': {
        const ctx = { ...user, tconfigs: l.tconfigs(), now: l.now };
        result.errors = validateTConfigDelete(subject as unknown as TConfig, ctx);
        if (result.errors.length === 0) result.markDeleting = planTConfigDeletion(subject as unknown as TConfig, ctx);
        break;
      }
      case 'TTemplate':
        result.errors = validateTTemplateDelete(subject as unknown as TTemplate, { ...user, templates: l.templates(), tservers: l.tservers() });
        break;
      case 'TTree':
        result.errors = validateTTreeDelete(subject as unknown as TTree, user);
        break;
    }
  } else {
    switch (subject.kind) {
      case 'TServer':
        result.errors = validateTServer(subject as unknown as TServer, old as unknown as TServer | undefined, { templates: names(l.templates()) });
        break;
      case 'TConfig': {
        const ctx = { ...user, tconfigs: l.tconfigs(), now: l.now };
        result.errors = validateTConfig(subject as unknown as TConfig, old as unknown as TConfig | undefined, ctx);
        const wasActive = old !== undefined && (old as unknown as TConfig).activated !== false;
        if (result.errors.length === 0 && !wasActive) result.deactivate = planTConfigActivation(subject as unknown as TConfig, ctx);
        break;
      }
      case 'TTemplate':
        result.errors = validateTTemplate(subject as unknown as TTemplate, old as unknown as TTemplate | undefined, { templates: names(l.templates()) });
        break;
      case 'TTree':
        result.errors = validateTTree(subject as unknown as TTree, old as unknown as TTree | undefined, { ...user, treeExists: l.treeExists(), tservers: l.tservers() });
        break;
      case 'TAccount':
        result.errors = validateTAccount(subject as unknown as TAccount, old as unknown as TAccount | undefined, user);
        break;
    }
  }
  result.allowed = result.errors.length === 0;
  return result;
}
