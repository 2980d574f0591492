/**
 * Caller IP → `<podName>.<generateName minus its trailing '-'>` (e.g.
 * `test-helloserver-0.test-helloserver`), kept current by a watch on the Tars pods
 * (labels tars.io/ServerApp, tars.io/ServerName), as the K8S edition's NotifyServer does.
 * Unknown IPs are stored as they are.
 */
import type { ClusterState, Pod, Watch } from '@tars-ts/cluster';

/** The name upstream stores for a pod: its DNS name under the server's headless service. */
export function podDomainName(pod: Pod): string | undefined {
  const name = pod.metadata.name;
  if (!name) return undefined;
  const base = (pod.metadata.generateName ?? '').replace(/-$/, '');
  return base ? `${name}.${base}` : name;
}

export class PodNames {
  readonly #byIp = new Map<string, string>();
  readonly #ipOfPod = new Map<string, string>();

  set(pod: Pod): void {
    const name = pod.metadata.name;
    if (!name) return;
    this.delete(pod);
    const ip = pod.status?.podIP;
    const domain = podDomainName(pod);
    if (ip && domain) {
      this.#byIp.set(ip, domain);
      this.#ipOfPod.set(name, ip);
    }
  }

  delete(pod: Pod): void {
    const name = pod.metadata.name;
    if (!name) return;
    const ip = this.#ipOfPod.get(name);
    if (ip === undefined) return;
    this.#ipOfPod.delete(name);
    // Only if no newer pod took the IP over.
    if (this.#byIp.get(ip) === podDomainName(pod)) this.#byIp.delete(ip);
  }

  nameOf = (ip: string): string | undefined => this.#byIp.get(ip);

  get size(): number {
    return this.#byIp.size;
  }
}

export function watchPodNames(cluster: Pick<ClusterState, 'pods'>, names: PodNames): Watch<Pod> {
  return cluster.pods.watch(
    {
      onAdd: (p) => names.set(p),
      onUpdate: (p) => names.set(p),
      onDelete: (p) => names.delete(p),
    },
    { labelSelector: 'tars.io/ServerApp,tars.io/ServerName' },
  );
}
