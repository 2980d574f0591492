import { ConfigValueError, type TarsConfig } from './tars-config.ts';

/** One `<XxxAdapter>` block of `/tars/application/server`. */
export interface AdapterConfig {
  name: string;
  endpoint: string;
  servant: string;
  protocol: string;
  threads?: number;
  maxconns?: number;
  queuecap?: number;
  queuetimeout?: number;
  allow?: string;
}

/** `/tars/application/client`: how the service reaches the framework. */
export interface ClientConfig {
  locator?: string;
  stat?: string;
  property?: string;
  modulename: string;
  reportIntervalMs: number;
  syncInvokeTimeoutMs: number;
  asyncInvokeTimeoutMs: number;
  refreshEndpointIntervalMs: number;
}

/** The standard keys every Tars service reads (reference tars-protocol.md §5), typed and defaulted. */
export interface ServerConfig {
  app: string;
  server: string;
  localip?: string;
  nodename?: string;
  /** Admin endpoint (AdminF), e.g. `tcp -h 127.0.0.1 -p 1000 -t 3000`. */
  local?: string;
  node?: string;
  log?: string;
  config?: string;
  notify?: string;
  logpath?: string;
  basepath?: string;
  datapath?: string;
  logLevel: string;
  /** Bytes before the local log file rolls (`logsize`, TarsCpp default 50M). */
  logSize: number;
  /** Rolled files kept (`lognum`, default 10). */
  logNum: number;
  enableSet: boolean;
  setDivision?: string;
  /** Port of the metrics/health HTTP server (`metrics-port`, our addition); undefined = off. */
  metricsPort?: number;
  adapters: AdapterConfig[];
  client: ClientConfig;
}

const SERVER = '/tars/application/server';
const CLIENT = '/tars/application/client';

export function readServerConfig(config: TarsConfig): ServerConfig {
  const app = config.require(`${SERVER}<app>`);
  const server = config.require(`${SERVER}<server>`);
  const opt = (key: string): string | undefined => config.get(`${SERVER}<${key}>`) || undefined;
  const setDivision = config.get('/tars/application<setdivision>') || undefined;

  return {
    app,
    server,
    localip: opt('localip'),
    nodename: opt('nodename'),
    local: opt('local'),
    node: opt('node'),
    log: opt('log'),
    config: opt('config'),
    notify: opt('notify'),
    logpath: opt('logpath'),
    basepath: opt('basepath'),
    datapath: opt('datapath'),
    logLevel: (opt('logLevel') ?? opt('loglevel') ?? 'DEBUG').toUpperCase(),
    logSize: config.getSize(`${SERVER}<logsize>`, 50 * 1024 * 1024),
    logNum: config.getInt(`${SERVER}<lognum>`, 10),
    enableSet: config.getBool('/tars/application<enableset>', false),
    setDivision: setDivision === 'NULL' ? undefined : setDivision,
    metricsPort: config.getInt(`${SERVER}<metrics-port>`),
    adapters: readAdapters(config),
    client: {
      locator: config.get(`${CLIENT}<locator>`) || undefined,
      stat: config.get(`${CLIENT}<stat>`) || undefined,
      property: config.get(`${CLIENT}<property>`) || undefined,
      modulename: config.get(`${CLIENT}<modulename>`) || `${app}.${server}`,
      reportIntervalMs: config.getInt(`${CLIENT}<report-interval>`, 60_000),
      syncInvokeTimeoutMs: config.getInt(`${CLIENT}<sync-invoke-timeout>`, 3000),
      asyncInvokeTimeoutMs: config.getInt(`${CLIENT}<async-invoke-timeout>`, 5000),
      refreshEndpointIntervalMs: config.getInt(`${CLIENT}<refresh-endpoint-interval>`, 60_000),
    },
  };
}

/** Sub-domains of the server domain that declare a servant (other sub-domains are ignored). */
function readAdapters(config: TarsConfig): AdapterConfig[] {
  const adapters: AdapterConfig[] = [];
  for (const name of config.getDomain(SERVER)) {
    const base = `${SERVER}/${name}`;
    const servant = config.get(`${base}<servant>`);
    if (!servant) continue;
    const endpoint = config.get(`${base}<endpoint>`);
    if (!endpoint) throw new ConfigValueError(`${base}<endpoint>`, `adapter ${name} declares servant ${servant} but no endpoint`);
    const adapter: AdapterConfig = { name, endpoint, servant, protocol: config.get(`${base}<protocol>`) || 'tars' };
    for (const key of ['threads', 'maxconns', 'queuecap', 'queuetimeout'] as const) {
      const v = config.getInt(`${base}<${key}>`);
      if (v !== undefined) adapter[key] = v;
    }
    const allow = config.get(`${base}<allow>`);
    if (allow) adapter.allow = allow;
    adapters.push(adapter);
  }
  return adapters;
}
