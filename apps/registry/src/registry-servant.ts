// tars.tarsregistry.RegistryObj, the Kubernetes edition's Registry interface (not the native
// one): getServerDescriptor for tarsnode's config, updateServerState for pod readiness.
import { DNS1123_SUBDOMAIN, DNS1123_SUBDOMAIN_MAX, type TEndpoint, type TTemplate } from '@tars-ts/api';
import { isNotFound } from '@tars-ts/cluster';
import { k8s } from '@tars-ts/interfaces';
import { TarsError, type Current, type Logger } from '@tars-ts/rpc';
import { endpointNameOf } from './object-id.ts';
import { buildServerDescriptor } from './server-descriptor.ts';

type ServerDescriptor = k8s.RegistryDescriptor.ServerDescriptor;

export interface RegistryDeps {
  /** Cached TEndpoint by name. */
  endpoint(name: string): TEndpoint | undefined;
  /** Cached TTemplate by name. */
  template(name: string): TTemplate | undefined;
  /** Sets the pod's `tars.io/active` condition (reportServerState of @tars-ts/cluster). */
  reportState(podName: string, settingState: string, presentState: string, pid: string | undefined): Promise<unknown>;
  logger: Logger;
  /** Attempts for a pod patch (upstream: 5). */
  attempts?: number;
  /** Pause between attempts, ms. */
  retryDelayMs?: number;
}

const POD_NAME = new RegExp(DNS1123_SUBDOMAIN);
/** tars::ServerState names (Inactive, Activating, Active, Deactivating, ...): they end up in a condition reason. */
const STATE = /^[A-Za-z]{1,32}$/;
const PID = /^[0-9]{1,10}$/;

export class RegistryServant extends k8s.Registry.RegistryServant {
  private readonly deps: RegistryDeps;

  constructor(deps: RegistryDeps) {
    super();
    this.deps = deps;
  }

  getServerDescriptor(_current: Current, app: string, server: string): { ret: number; serverDescriptor: ServerDescriptor } {
    const endpoint = app && server ? this.deps.endpoint(endpointNameOf(app, server)) : undefined;
    const r = buildServerDescriptor(app, server, endpoint, (name) => this.deps.template(name));
    if (r.ok) return { ret: 0, serverDescriptor: r.descriptor };
    this.deps.logger.warn(`getServerDescriptor(${app}, ${server}): ${r.reason}`);
    return { ret: -1, serverDescriptor: k8s.RegistryDescriptor.ServerDescriptor.create() };
  }

  async updateServerState(current: Current, podName: string, settingState: string, presentState: string): Promise<void> {
    if (podName.length > DNS1123_SUBDOMAIN_MAX || !POD_NAME.test(podName)) {
      throw new TarsError(-1, `updateServerState: invalid pod name ${JSON.stringify(podName.slice(0, 300))}`);
    }
    for (const state of [settingState, presentState]) {
      if (!STATE.test(state)) throw new TarsError(-1, `updateServerState: invalid state ${JSON.stringify(state.slice(0, 100))}`);
    }
    // the PID only decorates the reason; a malformed one is dropped rather than written
    const sent = current.context.get('PID');
    const pid = sent !== undefined && PID.test(sent) ? sent : undefined;
    const attempts = this.deps.attempts ?? 5;
    for (let i = 1; ; i++) {
      try {
        await this.deps.reportState(podName, settingState, presentState, pid);
        return;
      } catch (e) {
        if (isNotFound(e)) throw new TarsError(-1, `updateServerState: pod ${podName} not found`);
        this.deps.logger.warn(`updateServerState(${podName}, ${settingState}, ${presentState}) attempt ${i}/${attempts}: ${(e as Error).message}`);
        if (i >= attempts) throw new TarsError(-1, `updateServerState: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, this.deps.retryDelayMs ?? 300));
      }
    }
  }
}
