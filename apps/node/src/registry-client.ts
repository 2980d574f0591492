// The K8S registry's Registry interface as the agent uses it (framework-services.md §8.4):
// getServerDescriptor before every launch, updateServerState (context PID) on every change.
import { k8s } from '@tars-ts/interfaces';

type ServerDescriptor = k8s.RegistryDescriptor.ServerDescriptor;

/** Where descriptors come from and states go (the registry, or flags on a laptop). */
export interface RegistryPort {
  getServerDescriptor(app: string, server: string): Promise<ServerDescriptor>;
  updateServerState(podName: string, setting: string, present: string, pid: number): Promise<void>;
}

export class DescriptorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DescriptorError';
  }
}

/** RegistryPort over the generated k8s Registry proxy (`tars.tarsregistry.RegistryObj`). */
export class TarsRegistryClient implements RegistryPort {
  readonly proxy: k8s.Registry.RegistryProxy;
  readonly timeoutMs: number;

  constructor(proxy: k8s.Registry.RegistryProxy, timeoutMs = 3000) {
    this.proxy = proxy;
    this.timeoutMs = timeoutMs;
  }

  async getServerDescriptor(app: string, server: string): Promise<ServerDescriptor> {
    let answer: { ret: number; serverDescriptor: ServerDescriptor };
    try {
      answer = await this.proxy.getServerDescriptor(app, server, { timeout: this.timeoutMs });
    } catch (e) {
      throw new DescriptorError(`getServerDescriptor(${app}, ${server}) failed: ${(e as Error).message}`);
    }
    if (answer.ret !== 0) throw new DescriptorError(`getServerDescriptor(${app}, ${server}) returned ${answer.ret} (no such server or a broken template chain)`);
    return answer.serverDescriptor;
  }

  updateServerState(podName: string, setting: string, present: string, pid: number): Promise<void> {
    return this.proxy.updateServerState(podName, setting, present, { timeout: this.timeoutMs, context: { PID: String(pid) } });
  }
}

/** A descriptor fixed at start (laptop mode without a registry); states are only logged. */
export class StaticRegistry implements RegistryPort {
  readonly descriptor: ServerDescriptor;

  constructor(descriptor: ServerDescriptor) {
    this.descriptor = descriptor;
  }

  async getServerDescriptor(): Promise<ServerDescriptor> {
    return this.descriptor;
  }

  async updateServerState(): Promise<void> {}
}
