// Which pod ordinal a caller is, for per-pod ("slave") configs: TConfig podSeq N applies to the
// pod `<app>-<server>-N` of that server. Upstream fills a podIP → ordinal map from a pod watch
// but returns early for every pod that has an IP, so it stays empty and callers identified by IP
// only ever get the master config (framework-services §7.3, §12). Here the map is kept.

/**
 * Pod IP → pod names, kept current by a pod watch. Several pods can share an IP (hostNetwork
 * pods; every local process in standalone mode), so an IP may name more than one pod.
 */
export class PodDirectory {
  private readonly byIp = new Map<string, Set<string>>();
  private readonly ipByPod = new Map<string, string>();

  set(podName: string, podIP: string | undefined): void {
    const old = this.ipByPod.get(podName);
    if (old === podIP) return;
    if (old !== undefined) {
      const names = this.byIp.get(old);
      names?.delete(podName);
      if (names?.size === 0) this.byIp.delete(old);
      this.ipByPod.delete(podName);
    }
    if (podIP) {
      let names = this.byIp.get(podIP);
      if (!names) this.byIp.set(podIP, (names = new Set()));
      names.add(podName);
      this.ipByPod.set(podName, podIP);
    }
  }

  delete(podName: string): void {
    this.set(podName, undefined);
  }

  /** Names of the pods with this IP (empty when none is known). */
  podsAt(ip: string): string[] {
    const names = this.byIp.get(ip);
    return names ? [...names] : [];
  }
}

const MAX_ORDINAL = 99;

/**
 * The ordinal of `host` among the pods of app/server, or -1 (master config only). `host` is a
 * pod IP known to `pods`, a pod name `<app>-<server>-N`, or its DNS name `<app>-<server>-N.<app>-<server>[...]`.
 * An IP shared by several pods of the server says nothing about which one called: master only.
 */
export function podSeqOf(app: string, server: string, host: string, pods: PodDirectory): number {
  if (!host || !server) return -1;
  const base = `${app.toLowerCase()}-${server.toLowerCase()}`;
  const atIp = pods.podsAt(normalizeIp(host));
  if (atIp.length > 0) {
    // an IP identifies a pod of this server only when exactly one of them has it
    const ordinals = atIp.map((name) => ordinalOf(base, name)).filter((n) => n >= 0);
    return ordinals.length === 1 ? ordinals[0] : -1;
  }
  return ordinalOf(base, host.toLowerCase());
}

/** N for `<base>-N` or `<base>-N.<base>[...]`, else -1. */
function ordinalOf(base: string, name: string): number {
  const dot = name.indexOf('.');
  const first = dot === -1 ? name : name.slice(0, dot);
  if (dot !== -1) {
    const second = name.slice(dot + 1).split('.', 1)[0];
    if (second !== base) return -1;
  }
  if (!first.startsWith(`${base}-`)) return -1;
  const digits = first.slice(base.length + 1);
  if (!/^(0|[1-9][0-9]?)$/.test(digits)) return -1;
  const n = Number(digits);
  return n <= MAX_ORDINAL ? n : -1;
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) → `10.0.0.1`. */
export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
