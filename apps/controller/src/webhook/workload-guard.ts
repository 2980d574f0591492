// StatefulSets, DaemonSets and Services labelled as a tars server belong to the controller:
// others may not create them, and may not change the fields the controller derives from the
// TServer ("resource should be modified through tserver"). Upstream's check was inverted (§15).
import { FRAMEWORK_CONFIG_NAME, Label, isKubeSystem, type TFrameworkConfig, type TServer } from '@tars-ts/api';
import { NotFoundError, tarsResource, type KubeClient } from '@tars-ts/cluster';
import { covers, ownedFields, translate } from '../translator/index.ts';
import type { AdmissionDeps } from './admission.ts';
import { allow, deny, type AdmissionRequest, type AdmissionResponse } from './review-types.ts';

async function getOrUndefined<T>(client: KubeClient, kind: 'TServer' | 'TFrameworkConfig', ns: string, name: string): Promise<T | undefined> {
  try {
    return await client.get<T & { metadata: object }>(tarsResource(kind), ns, name);
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

export async function checkWorkloadUpdate(req: AdmissionRequest, deps: AdmissionDeps): Promise<AdmissionResponse> {
  const { uid, operation } = req;
  const user = req.userInfo?.username;
  const obj = req.object;
  if (operation === 'DELETE' || !obj) return allow(uid);
  const labels = obj.metadata?.labels ?? {};
  if (labels[Label.ServerApp] === undefined || labels[Label.ServerName] === undefined) return allow(uid);
  if ((user !== undefined && deps.controllerUsers.has(user)) || isKubeSystem(user)) return allow(uid);
  const what = `${obj.kind} ${req.namespace}/${obj.metadata?.name}`;
  if (operation === 'CREATE') return deny(uid, `${what}: resource should be created through tserver, only the tars controller may create it`);
  const ns = req.namespace ?? '';
  const ts = await getOrUndefined<TServer>(deps.client, 'TServer', ns, obj.metadata?.name ?? '');
  if (!ts || ts.metadata.deletionTimestamp) return allow(uid);
  const fc = await getOrUndefined<TFrameworkConfig>(deps.client, 'TFrameworkConfig', ns, FRAMEWORK_CONFIG_NAME);
  const t = translate(ts, fc);
  const desired = obj.kind === 'Service' ? t.service : t.workload.kind === obj.kind ? t.workload : undefined;
  if (!desired) return allow(uid); // the controller is about to delete it (daemonSet switched)
  const want = ownedFields(desired);
  const have = ownedFields(obj as never);
  if (covers(want.spec, have.spec) && covers(want.labels, have.labels)) return allow(uid);
  return deny(uid, `${what}: resource should be modified through tserver ${ns}/${ts.metadata.name}`);
}
