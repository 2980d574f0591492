// Writing the objects a test needs through any ClusterState: TEndpoint status goes through the
// status subresource, as the controller writes it.
import type { TEndpoint } from '@tars-ts/api';
import type { ClusterState } from '@tars-ts/cluster';

export async function putEndpoint(cluster: ClusterState, te: TEndpoint): Promise<TEndpoint> {
  const api = cluster.resource('TEndpoint');
  let stored: TEndpoint;
  try {
    const current = await api.get(te.metadata.name!);
    stored = await api.update({ ...te, metadata: { ...te.metadata, resourceVersion: current.metadata.resourceVersion } });
  } catch (e) {
    if ((e as { code?: number }).code !== 404) throw e;
    stored = await api.create({ ...te, status: undefined } as TEndpoint);
  }
  return api.updateStatus({ ...stored, status: te.status });
}

/** Resolves once `check` passes (watch events are asynchronous), or throws after `ms`. */
export async function eventually(check: () => void, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
