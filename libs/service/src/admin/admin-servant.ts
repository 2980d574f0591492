import { AdminF } from '@tars-ts/interfaces';
import type { Adapter, Current } from '@tars-ts/rpc';
import { formatEndpoint } from '@tars-ts/rpc';
import type { AdminCommands } from './commands.ts';

/** The servant name tarsnode calls on the `local` endpoint (`AdminObj@tcp -h 127.0.0.1 -p 1000`). */
export const ADMIN_SERVANT_NAME = 'AdminObj';

export interface AdminServantDeps {
  commands: AdminCommands;
  /** Starts the graceful shutdown; called after the reply to `shutdown` has been queued. */
  shutdown(reason: string): void;
  pid?: number;
}

/** tars.AdminF: how tarsnode and tarsweb stop a service and send it commands. */
export class AdminServant extends AdminF.AdminFServant {
  private readonly deps: AdminServantDeps;

  constructor(deps: AdminServantDeps) {
    super();
    this.deps = deps;
  }

  shutdown(current: Current): void {
    // Let the reply go out first: stopping closes the adapter this call arrived on.
    setImmediate(() => this.deps.shutdown(`AdminF.shutdown from ${current.remoteAddress}`));
  }

  notify(_current: Current, command: string): Promise<string> {
    return this.deps.commands.dispatch(command);
  }

  getPid(_current: Current): bigint {
    return BigInt(this.deps.pid ?? process.pid);
  }
}

/** The text of `tars.connection`: one line per adapter of the RPC server. */
export function describeAdapters(adapters: readonly Adapter[]): string {
  if (adapters.length === 0) return 'no adapters';
  return adapters
    .map((a) => {
      const s = a.stats;
      return `[adapter:${a.servantNames.join(',')}] [endpoint:${formatEndpoint(a.boundEndpoint)}] [connections:${s.connections}] [requests:${s.requests}] [overloads:${s.overloads}]`;
    })
    .join('\n');
}
