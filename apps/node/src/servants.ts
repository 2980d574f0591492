// The agent's two Tars objects: ServerF (tars.tarsnode.ServerObj, heartbeats from the server) and
// the K8S Node interface (tars.tarsnode.NodeObj, commands from tarsweb / AdminRegistry).
import { k8s, NodeF } from '@tars-ts/interfaces';
import type { Current } from '@tars-ts/rpc';

/** What the servants need from the agent. */
export interface AgentControl {
  readonly app: string;
  readonly server: string;
  keepAlive(info: NodeF.ServerInfo, alive: boolean): void;
  reportVersion(version: string): void;
  start(): void;
  stop(): void;
  restart(): void;
  notifyServer(command: string): Promise<string>;
  addFile(file: string): Promise<string>;
}

/**
 * Upstream ignores a heartbeat only when both names differ (`app != A && server != S`,
 * framework-services.md §9.2). Kept deliberately: a server whose config spells one of the names
 * differently still counts as alive instead of being restarted every heartbeat timeout.
 */
export function isOurServer(control: Pick<AgentControl, 'app' | 'server'>, application: string, serverName: string): boolean {
  return !(application !== control.app && serverName !== control.server);
}

export class ServerFImpl extends NodeF.ServerFServant {
  private readonly control: AgentControl;
  constructor(control: AgentControl) {
    super();
    this.control = control;
  }

  keepAlive(_current: Current, info: NodeF.ServerInfo): number {
    if (!isOurServer(this.control, info.application, info.serverName)) return -1;
    this.control.keepAlive(info, true);
    return 0;
  }

  keepActiving(_current: Current, info: NodeF.ServerInfo): number {
    if (!isOurServer(this.control, info.application, info.serverName)) return -1;
    this.control.keepAlive(info, false);
    return 0;
  }

  reportVersion(_current: Current, app: string, serverName: string, version: string): number {
    if (isOurServer(this.control, app, serverName)) this.control.reportVersion(version);
    return 0;
  }

  getLatestKeepAliveTime(): number {
    return Math.floor(Date.now() / 1000);
  }
}

type NodeResult = { ret: number; result: string };

export class NodeImpl extends k8s.Node.NodeServant {
  private readonly control: AgentControl;
  constructor(control: AgentControl) {
    super();
    this.control = control;
  }

  private check(application: string, serverName: string): NodeResult | undefined {
    if (application === this.control.app && serverName === this.control.server) return undefined;
    return { ret: -1, result: `this node runs ${this.control.app}.${this.control.server}, not ${application}.${serverName}` };
  }

  addFile(_c: Current, application: string, serverName: string, file: string): Promise<NodeResult> | NodeResult {
    return this.check(application, serverName) ?? this.control.addFile(file).then(
      (result) => ({ ret: 0, result }),
      (e: Error) => ({ ret: -1, result: e.message }),
    );
  }

  startServer(_c: Current, application: string, serverName: string): NodeResult {
    const bad = this.check(application, serverName);
    if (bad) return bad;
    this.control.start();
    return { ret: 0, result: 'Success' };
  }

  stopServer(_c: Current, application: string, serverName: string): NodeResult {
    const bad = this.check(application, serverName);
    if (bad) return bad;
    this.control.stop();
    return { ret: 0, result: 'Success' };
  }

  restartServer(_c: Current, application: string, serverName: string): NodeResult {
    const bad = this.check(application, serverName);
    if (bad) return bad;
    this.control.restart();
    return { ret: 0, result: 'Success' };
  }

  notifyServer(_c: Current, application: string, serverName: string, command: string): Promise<NodeResult> | NodeResult {
    return this.check(application, serverName) ?? this.control.notifyServer(command).then(
      (result) => ({ ret: 0, result }),
      (e: Error) => ({ ret: -1, result: e.message }),
    );
  }
}
