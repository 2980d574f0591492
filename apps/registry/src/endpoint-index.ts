// The registry's view of the cluster: for every Tars object, the endpoints QueryF answers with,
// kept current by TEndpoint and TFrameworkConfig watch events (applied here one at a time) and
// never rebuilt per call. Semantics of K8SFramework's RegistryServer (framework-services §8.4):
//   1. the registry's own two objects have fixed answers;
//   2. a TEndpoint `lower(App)-lower(Server)` with `spec.tars` answers for its servants, a pod is
//      active iff settingState and presentState are both "Active" (inactive otherwise); a
//      servant it does not have resolves to nothing (no fallback);
//   3. objects of no TEndpoint go to the TFrameworkConfig upChain: the exact id, else `default`.
import type { TEndpoint, TFrameworkConfig, UpChainEndpoint } from '@tars-ts/api';
import { EndpointF } from '@tars-ts/interfaces';
import { EMPTY_ANSWER, EndpointList, type Answer } from './endpoint-list.ts';
import { IdTable, utf8Of } from './id-table.ts';
import { endpointNameOf, parseObjectId } from './object-id.ts';

export const QUERY_OBJ = 'tars.tarsregistry.QueryObj';
export const REGISTRY_OBJ = 'tars.tarsregistry.RegistryObj';
/** Timeout upstream gives fixed and upChain endpoints. */
export const FIXED_TIMEOUT = 6000;

export interface FixedEndpoint {
  host: string;
  port: number;
}

export interface EndpointIndexOptions {
  /**
   * How a pod's endpoint host is written: `dns` = `<podName>.<app-server>` (the headless Service
   * name, as upstream; Kubernetes), `podIP` = the pod's IP (standalone mode, no cluster DNS).
   */
  hostStyle?: 'dns' | 'podIP';
  /** Answers for the registry's own objects; default `tars-tarsregistry` :17890 / :17891. */
  self?: { query: FixedEndpoint; registry: FixedEndpoint };
}

type UpChain = TFrameworkConfig['upChain'];
type PodStatus = NonNullable<NonNullable<TEndpoint['status']>['pods']>[number];

export class EndpointIndex {
  private readonly hostStyle: 'dns' | 'podIP';
  private readonly fixed = new Map<string, Answer>();
  /** TEndpoint name → servant name → answer. */
  private readonly servers = new Map<string, Map<string, Answer>>();
  /**
   * The same answers under the ids as the TEndpoint spells them (`App.Server.Servant`): what
   * clients send, found by their bytes (IdTable) instead of parsing and lower-casing the id.
   */
  private readonly exact = new IdTable<Answer>();
  /** TEndpoint name → its ids in `exact` (to drop them on change). */
  private readonly exactIds = new Map<string, string[]>();
  private upChain = new Map<string, Answer>();
  private upChainDefault: Answer = EMPTY_ANSWER;

  constructor(options: EndpointIndexOptions = {}) {
    this.hostStyle = options.hostStyle ?? 'dns';
    this.setSelf(options.self ?? { query: { host: 'tars-tarsregistry', port: 17890 }, registry: { host: 'tars-tarsregistry', port: 17891 } });
  }

  /** Where the registry's own two objects are (standalone mode: the ports it actually bound). */
  setSelf(self: { query: FixedEndpoint; registry: FixedEndpoint }): void {
    this.fixed.set(QUERY_OBJ, activeOnly([endpoint(self.query.host, self.query.port, FIXED_TIMEOUT, true)]));
    this.fixed.set(REGISTRY_OBJ, activeOnly([endpoint(self.registry.host, self.registry.port, FIXED_TIMEOUT, true)]));
    for (const [id, answer] of this.fixed) {
      this.exact.set(id, answer);
    }
  }

  /** Number of TEndpoints that answer (those with `spec.tars`). */
  get serverCount(): number {
    return this.servers.size;
  }

  /** Adds or replaces one TEndpoint's answers (watch onAdd / onUpdate). */
  setEndpoint(te: TEndpoint): void {
    const name = te.metadata.name;
    if (!name) return;
    this.deleteEndpoint(name);
    const tars = te.spec?.tars;
    // Upstream decodes only TEndpoints with spec.tars: normal servers have no Tars objects.
    if (!tars) return;
    const pods = te.status?.pods ?? [];
    const answers = new Map<string, Answer>();
    for (const servant of tars.servants ?? []) {
      const active: EndpointF.EndpointF[] = [];
      const inactive: EndpointF.EndpointF[] = [];
      for (const pod of pods) {
        const host = this.hostOf(pod, name);
        if (!host) continue;
        const ep = endpoint(host, servant.port, servant.timeout ?? 60000, servant.isTcp ?? true);
        (pod.settingState === 'Active' && pod.presentState === 'Active' ? active : inactive).push(ep);
      }
      answers.set(servant.name, { active: new EndpointList(active), inactive: new EndpointList(inactive) });
    }
    this.servers.set(name, answers);
    const { app, server } = te.spec;
    // only when the name is the one lookups compute, so both paths always agree
    if (app && server && endpointNameOf(app, server) === name) {
      const ids: string[] = [];
      for (const [servant, answer] of answers) {
        const id = `${app}.${server}.${servant}`;
        if (this.fixed.has(id)) continue;
        this.exact.set(id, answer);
        ids.push(id);
      }
      this.exactIds.set(name, ids);
    }
  }

  /** Forgets a TEndpoint (watch onDelete). */
  deleteEndpoint(name: string): void {
    this.servers.delete(name);
    const ids = this.exactIds.get(name);
    if (ids) {
      for (const id of ids) {
        this.exact.delete(id);
      }
      this.exactIds.delete(name);
    }
  }

  /** The upChain of TFrameworkConfig `tars-framework` (undefined when it is absent or has none). */
  setUpChain(upChain: UpChain | undefined): void {
    const next = new Map<string, Answer>();
    let fallback: Answer = EMPTY_ANSWER;
    for (const [id, list] of Object.entries(upChain ?? {})) {
      const answer = activeOnly((list ?? []).map((e: UpChainEndpoint) => endpoint(e.host, e.port, e.timeout ?? FIXED_TIMEOUT, e.isTcp ?? true)));
      if (id === 'default') fallback = answer;
      else next.set(id, answer);
    }
    this.upChain = next;
    this.upChainDefault = fallback;
  }

  /**
   * lookup() for an id given as its UTF-8 bytes buf[start, end) (as it sits in a request): the
   * exact ids are found without making a string; anything else is decoded and resolved.
   */
  lookupBytes(buf: Uint8Array, start: number, end: number): Answer {
    return this.exact.getBytes(buf, start, end) ?? this.resolve(utf8Of(buf, start, end));
  }

  /** What every findObjectById* variant answers for `id`; never throws. */
  lookup(id: string): Answer {
    return this.exact.get(id) ?? this.resolve(id);
  }

  // An id not spelled as its TEndpoint spells it: parsed and lower-cased, else the upChain.
  private resolve(id: string): Answer {
    const parsed = parseObjectId(id);
    if (!parsed) return EMPTY_ANSWER;
    const server = this.servers.get(parsed.endpointName);
    if (server) return server.get(parsed.servant) ?? EMPTY_ANSWER;
    return this.upChain.get(id) ?? this.upChainDefault;
  }

  private hostOf(pod: PodStatus, endpointName: string): string | undefined {
    if (this.hostStyle === 'podIP') return pod.podIP || undefined;
    return pod.name ? `${pod.name}.${endpointName}` : undefined;
  }
}

function endpoint(host: string, port: number, timeout: number, isTcp: boolean): EndpointF.EndpointF {
  return EndpointF.EndpointF.create({ host, port, timeout, istcp: isTcp ? 1 : 0 });
}

function activeOnly(active: EndpointF.EndpointF[]): Answer {
  return { active: new EndpointList(active), inactive: EMPTY_ANSWER.inactive };
}
