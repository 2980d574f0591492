// The service-facing API: add servants to adapters by endpoint string, start, stop.
import { endpointKey, formatEndpoint, parseEndpoint, type Endpoint } from '../endpoint.ts';
import { stderrLogger, type Logger } from '../logger.ts';
import { Adapter, type AdapterOptions } from './adapter.ts';

export interface ServerOptions {
  logger?: Logger;
  /** Defaults for every adapter (each addServant may override). */
  adapter?: AdapterOptions;
  /** How long stop() waits for running calls (ms, default 10000). */
  drainTimeout?: number;
}

export class TarsServer {
  readonly logger: Logger;
  private readonly options: ServerOptions;
  private readonly byEndpoint = new Map<string, Adapter>();
  private readonly byServant = new Map<string, Adapter>();
  private started = false;

  constructor(options: ServerOptions = {}) {
    this.options = options;
    this.logger = options.logger ?? stderrLogger;
  }

  /**
   * Serves `servant` (an instance of a generated Servant subclass) as `servantName` on `endpoint`
   * (`tcp -h HOST -p PORT [-t IDLE_MS]`). Servants given the same endpoint share one adapter;
   * port 0 picks a free port (see endpointOf). Adapter options apply when the adapter is created.
   */
  addServant(servant: object, servantName: string, endpoint: string | Endpoint, options?: AdapterOptions): Adapter {
    if (this.byServant.has(servantName)) throw new Error(`servant ${servantName} already added`);
    const ep = typeof endpoint === 'string' ? parseEndpoint(endpoint) : endpoint;
    const key = ep.port === 0 ? formatEndpoint(ep) : endpointKey(ep);
    let adapter = this.byEndpoint.get(key);
    if (!adapter) {
      adapter = new Adapter(ep, this.logger, { ...this.options.adapter, ...options });
      this.byEndpoint.set(key, adapter);
    }
    adapter.addServant(servantName, servant);
    this.byServant.set(servantName, adapter);
    if (this.started) void adapter.listen().catch((e: Error) => this.logger.error(`listen ${formatEndpoint(ep)}: ${e.message}`));
    return adapter;
  }

  get adapters(): Adapter[] {
    return [...this.byEndpoint.values()];
  }

  /** Binds every adapter; rejects if one cannot listen (the others are closed again). */
  async start(): Promise<void> {
    this.started = true;
    try {
      await Promise.all(this.adapters.map((a) => a.listen()));
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  /** Graceful stop: see Adapter.close. */
  async stop(timeout = this.options.drainTimeout ?? 10_000): Promise<void> {
    this.started = false;
    await Promise.all(this.adapters.map((a) => a.close(timeout)));
  }

  /** Where a servant listens (actual port once started). */
  endpointOf(servantName: string): Endpoint {
    const a = this.byServant.get(servantName);
    if (!a) throw new Error(`no servant ${servantName}`);
    return a.boundEndpoint;
  }

  /** `Name@tcp -h H -p P` for a servant: what a client passes to stringToProxy. */
  proxyString(servantName: string): string {
    const ep = this.endpointOf(servantName);
    return `${servantName}@${formatEndpoint({ ...ep, timeout: 0 })}`;
  }
}

export function createServer(options?: ServerOptions): TarsServer {
  return new TarsServer(options);
}
