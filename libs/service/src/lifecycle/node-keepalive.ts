import type { NodeF } from '@tars-ts/interfaces';
import type { Logger } from '../logging/logger.ts';

/** The part of ServerFProxy the heartbeat uses (a generated proxy fits). */
export interface NodeServerF {
  keepAlive(info: NodeF.ServerInfo): Promise<number>;
  keepActiving(info: NodeF.ServerInfo): Promise<number>;
  reportVersion(app: string, serverName: string, version: string): Promise<number>;
}

export interface NodeKeepAliveOptions {
  node: NodeServerF;
  app: string;
  server: string;
  pid?: number;
  version: string;
  /** Heartbeat period; TarsCpp and node-agent use 10 s (tarsnode restarts a server after 60 s without). */
  intervalMs?: number;
  /** Period of keepActiving while the service initializes; TarsCpp uses 5 s. */
  activatingIntervalMs?: number;
  logger?: Logger;
}

/**
 * Tells tarsnode (`node=` in the config, ServerF on 127.0.0.1:19386) that the service lives.
 * While initializing (`activating()`): `keepActiving` every 5 s, so a slow start is not taken for
 * a hang. Once serving (`start()`): `reportVersion` once, then `keepAlive` with an empty adapter
 * (= all adapters) right away and every interval. In Kubernetes the pod turns Ready only after
 * the first keepAlive arrives.
 */
export class NodeKeepAlive {
  private readonly options: NodeKeepAliveOptions;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private alive = false;

  constructor(options: NodeKeepAliveOptions) {
    this.options = options;
  }

  activating(): void {
    if (this.timer || this.alive) return;
    void this.beat('keepActiving');
    this.timer = setInterval(() => void this.beat('keepActiving'), this.options.activatingIntervalMs ?? 5000);
    this.timer.unref();
  }

  start(): void {
    if (this.alive) return;
    this.alive = true;
    this.stop();
    const { node, app, server, version, logger } = this.options;
    node.reportVersion(app, server, version).catch((e: Error) => logger?.warn(`reportVersion to tarsnode failed: ${e.message}`));
    void this.beat('keepAlive');
    this.timer = setInterval(() => void this.beat('keepAlive'), this.options.intervalMs ?? 10_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async beat(method: 'keepAlive' | 'keepActiving'): Promise<void> {
    const { node, app, server, logger } = this.options;
    try {
      await node[method]({ application: app, serverName: server, pid: this.options.pid ?? process.pid, adapter: '' });
      if (this.failing) logger?.info(`${method} to tarsnode works again`);
      this.failing = false;
    } catch (e) {
      // Log the first failure of a run only: tarsnode being away is logged once, not every 10 s.
      if (!this.failing) logger?.warn(`${method} to tarsnode failed: ${(e as Error).message}`);
      this.failing = true;
    }
  }
}
