// A small framework for the agent's tests, built from the generated servants on our RPC server:
// a k8s Registry that hands out one descriptor and records state reports (with the PID context),
// a legacy Notify that records reportServer calls, and a QueryF locator that resolves both.
import { EndpointF, k8s, QueryF } from '@tars-ts/interfaces';
import { createServer, silentLogger, type Current, type TarsServer } from '@tars-ts/rpc';
import { LegacyNotifyServant } from '../legacy-notify.ts';

type ServerDescriptor = k8s.RegistryDescriptor.ServerDescriptor;

export interface StateCall {
  podName: string;
  setting: string;
  present: string;
  pid: string | undefined;
}

class RecordingRegistry extends k8s.Registry.RegistryServant {
  readonly descriptorCalls: Array<[string, string]> = [];
  readonly states: StateCall[] = [];
  descriptor: ServerDescriptor | undefined;

  getServerDescriptor(_c: Current, serverApp: string, serverName: string): { ret: number; serverDescriptor: ServerDescriptor } {
    this.descriptorCalls.push([serverApp, serverName]);
    if (!this.descriptor) return { ret: -1, serverDescriptor: k8s.RegistryDescriptor.ServerDescriptor.create() };
    return { ret: 0, serverDescriptor: this.descriptor };
  }

  updateServerState(current: Current, podName: string, setting: string, present: string): void {
    this.states.push({ podName, setting, present, pid: current.context.get('PID') });
  }
}

class RecordingNotify extends LegacyNotifyServant {
  readonly reports: Array<[string, string, string]> = [];
  reportServer(_c: Current, name: string, threadId: string, message: string): void {
    this.reports.push([name, threadId, message]);
  }
}

class Locator extends QueryF.QueryFServant {
  readonly framework: FakeFramework;
  constructor(framework: FakeFramework) {
    super();
    this.framework = framework;
  }
  private lookup(id: string): { ret: number; activeEp: EndpointF.EndpointF[]; inactiveEp: EndpointF.EndpointF[] } {
    const ep = id === 'tars.tarsregistry.RegistryObj' || id === 'tars.tarsnotify.NotifyObj' ? this.framework.port : undefined;
    const activeEp = ep ? [EndpointF.EndpointF.create({ host: '127.0.0.1', port: ep, istcp: 1, timeout: 3000 })] : [];
    return { ret: 0, activeEp, inactiveEp: [] };
  }
  findObjectById(_c: Current, id: string) { return this.lookup(id).activeEp; }
  findObjectById4Any(_c: Current, id: string) { return this.lookup(id); }
  findObjectById4All(_c: Current, id: string) { return this.lookup(id); }
  findObjectByIdInSameGroup(_c: Current, id: string) { return this.lookup(id); }
  findObjectByIdInSameStation(_c: Current, id: string) { return this.lookup(id); }
  findObjectByIdInSameSet(_c: Current, id: string) { return this.lookup(id); }
  findObjectNodeName() { return { ret: 0, nodeName: [] }; }
  registerChange() { return 0; }
  registerQuery() { return 0; }
  getLocker() { return 0; }
}

export class FakeFramework {
  readonly registry = new RecordingRegistry();
  readonly notify = new RecordingNotify();
  private readonly rpc: TarsServer = createServer({ logger: silentLogger });
  port = 0;

  async start(): Promise<this> {
    const ep = 'tcp -h 127.0.0.1 -p 0 -t 60000';
    this.rpc.addServant(this.registry, 'tars.tarsregistry.RegistryObj', ep);
    this.rpc.addServant(this.notify, 'tars.tarsnotify.NotifyObj', ep);
    this.rpc.addServant(new Locator(this), 'tars.tarsregistry.QueryObj', ep);
    await this.rpc.start();
    this.port = this.rpc.endpointOf('tars.tarsregistry.QueryObj').port;
    return this;
  }

  proxy(name: string): string {
    return `${name}@tcp -h 127.0.0.1 -p ${this.port}`;
  }

  stop(): Promise<void> {
    return this.rpc.stop(500);
  }
}
