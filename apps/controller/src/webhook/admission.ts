// The mutating and validating webhooks: AdmissionReview v1 in, AdmissionReview v1 out. The rules
// are libs/api's (`mutate`, `validate`); this module finds the object, reads what the rules look
// up, carries out the side effects validation plans (TConfig deactivation/deletion marks), and
// guards the workloads the controller generates.
import { formatFieldErrors, GROUP, Label, LabelValue, mutate, validate, type AnyObject, type FieldError } from '@tars-ts/api';
import { tarsResource, type KubeClient } from '@tars-ts/cluster';
import { fetchLookups, type LookupOptions } from './lookups.ts';
import { allow, deny, type AdmissionRequest, type AdmissionResponse } from './review-types.ts';
import { mutateScale } from './scale.ts';
import { checkWorkloadUpdate } from './workload-guard.ts';

export interface AdmissionDeps extends LookupOptions {
  client: KubeClient;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

function describe(req: AdmissionRequest): string {
  const r = req.requestResource ?? req.resource;
  return `${req.operation} ${r.group}/${r.version}, Resource=${r.resource}${req.subResource ? `/${req.subResource}` : ''}`;
}

function deniedBy(uid: string, errors: readonly FieldError[]): AdmissionResponse {
  return deny(uid, formatFieldErrors(errors));
}

export async function reviewMutating(req: AdmissionRequest, deps: AdmissionDeps): Promise<AdmissionResponse> {
  const { uid, operation } = req;
  if (operation === 'DELETE' || operation === 'CONNECT') return allow(uid);
  if (req.resource.group === GROUP && req.resource.resource === 'tservers' && req.subResource === 'scale') return mutateScale(req, deps.client);
  if (req.resource.group !== GROUP || req.subResource) return deny(uid, `unsupported mutating [${describe(req)}]`);
  const object = req.object;
  if (!object) return deny(uid, `${describe(req)} without an object`, 400);
  const namespace = req.namespace ?? object.metadata?.namespace ?? '';
  const lookups = await fetchLookups(
    deps.client,
    { kind: object.kind, apiVersion: object.apiVersion, namespace, operation, ...userOf(req), ...appOf(object) },
    deps,
  );
  const result = mutate(operation, object, req.oldObject ?? undefined, lookups);
  if (!result.allowed) return deniedBy(uid, result.errors);
  return allow(uid, result.patch);
}

export async function reviewValidating(req: AdmissionRequest, deps: AdmissionDeps): Promise<AdmissionResponse> {
  const { uid, operation } = req;
  if (operation === 'CONNECT') return allow(uid);
  const { group, resource } = req.resource;
  if ((group === 'apps' && (resource === 'statefulsets' || resource === 'daemonsets')) || (group === '' && resource === 'services')) {
    return checkWorkloadUpdate(req, deps);
  }
  if (group !== GROUP || req.subResource) return deny(uid, `unsupported validating [${describe(req)}]`);
  const subject = (operation === 'DELETE' ? req.oldObject : req.object) ?? undefined;
  if (!subject) return deny(uid, `${describe(req)} without ${operation === 'DELETE' ? 'oldObject' : 'object'}`, 400);
  const namespace = req.namespace ?? subject.metadata?.namespace ?? '';
  const lookups = await fetchLookups(
    deps.client,
    { kind: subject.kind, apiVersion: subject.apiVersion, namespace, operation, ...userOf(req), ...appOf(subject) },
    deps,
  );
  const result = validate(operation, req.object ?? undefined, req.oldObject ?? undefined, lookups);
  if (!result.allowed) return deniedBy(uid, result.errors);
  // The plans: another version becomes active / the whole history goes with its active version.
  // Not on dry runs (the webhook is registered with sideEffects NoneOnDryRun).
  if (!req.dryRun) {
    await markTConfigs(deps, namespace, result.deactivate, Label.Deactivate, LabelValue.Deactivating);
    await markTConfigs(deps, namespace, result.markDeleting, Label.Deleting, LabelValue.Deleting);
  }
  return allow(uid);
}

async function markTConfigs(deps: AdmissionDeps, namespace: string, names: readonly string[], label: string, value: string): Promise<void> {
  for (const name of names) {
    await deps.client.patch(tarsResource('TConfig'), namespace, name, { type: 'merge', value: { metadata: { labels: { [label]: value } } } });
    deps.log?.('info', `tconfig ${namespace}/${name}: labelled ${label}=${value}`);
  }
}

function userOf(req: AdmissionRequest): { user?: string } {
  const user = req.userInfo?.username;
  return user === undefined ? {} : { user };
}

function appOf(obj: AnyObject): { app?: string } {
  const app = (obj as { app?: unknown }).app;
  return typeof app === 'string' ? { app } : {};
}
