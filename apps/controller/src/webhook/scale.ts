// `kubectl scale tserver` writes the scale subresource, which upstream let bypass the
// tars.io/MinReplicas / MaxReplicas bounds (§15). The Scale object is clamped like spec.k8s.replicas.
import { replicaBounds, clampReplicas, formatFieldErrors, type FieldError, type TServer } from '@tars-ts/api';
import { NotFoundError, tarsResource, type KubeClient } from '@tars-ts/cluster';
import { allow, deny, type AdmissionRequest, type AdmissionResponse } from './review-types.ts';

export async function mutateScale(req: AdmissionRequest, client: KubeClient): Promise<AdmissionResponse> {
  const scale = req.object as { spec?: { replicas?: number } } | null | undefined;
  if (!scale) return allow(req.uid);
  // Scale.spec.replicas is omitted when 0 (Go omitempty).
  const replicas = scale.spec?.replicas ?? 0;
  let ts: TServer;
  try {
    ts = await client.get<TServer>(tarsResource('TServer'), req.namespace, req.name ?? '');
  } catch (e) {
    if (e instanceof NotFoundError) return allow(req.uid);
    throw e;
  }
  const errors: FieldError[] = [];
  const bounds = replicaBounds(ts.metadata.annotations, errors);
  if (errors.length > 0) return deny(req.uid, formatFieldErrors(errors));
  // Without a release there is no image to run: upstream keeps such servers at 0.
  const want = ts.spec.release === undefined ? 0 : clampReplicas(replicas, bounds);
  if (want === replicas) return allow(req.uid);
  const ops: unknown[] = scale.spec === undefined ? [{ op: 'add', path: '/spec', value: {} }] : [];
  ops.push({ op: 'add', path: '/spec/replicas', value: want });
  return allow(req.uid, ops);
}
