// The server's config file, as the K8S tarsnode renders it before every launch
// (framework-services.md §9.2 "Config generation"): generated keys for `node` and each adapter of
// the descriptor, the profile with its ${macros} replaced, merged with the profile winning.
import { TarsConfig } from '@tars-ts/service';
import type { k8s } from '@tars-ts/interfaces';
import { joinConfig } from './config-merge.ts';

type ServerDescriptor = k8s.RegistryDescriptor.ServerDescriptor;

/** Where the server runs: fills the ${macros} of the profile. */
export interface RenderContext {
  app: string;
  server: string;
  /** ${localip}: the pod's ListenAddress (`<pod>.<app>-<server>`), 127.0.0.1 on a laptop. */
  listenAddress: string;
  /** ${basepath}, ${datapath}, ${logpath} (a trailing "/" is added, as upstream does). */
  binDir: string;
  dataDir: string;
  logDir: string;
  /** ${locator}; "" when there is no registry. */
  locator: string;
  /** ${local}: the server's AdminObj endpoint; "" when the server gets none. */
  local: string;
  /** Value of server<node>: where the server sends keepAlive (our ServerF). */
  nodeObj: string;
}

export interface RenderedConfig {
  config: TarsConfig;
  text: string;
  /** server<hearttimeout> in ms (seconds in the file, default 60 s). */
  heartTimeoutMs: number;
  /** server<env>, passed on by upstream for some launchers; undefined when absent. */
  env: string | undefined;
  /** server<local>: where AdminF.shutdown/notify reach the server; undefined when absent. */
  adminEndpoint: string | undefined;
  /** Adapter names the server heartbeats for (descriptor adapters + AdminAdapter). */
  adapters: string[];
  /** Values that could not be used as given (the default was taken instead). */
  warnings: string[];
}

export const DEFAULT_HEART_TIMEOUT_MS = 60_000;
const SERVER = '/tars/application/server';

/** ${mainclass} as upstream builds it: com.qq.<lower app>.<lower server>.<Server>. */
export function mainClassOf(app: string, server: string): string {
  return `com.qq.${app.toLowerCase()}.${server.toLowerCase()}.${server}`;
}

/** Replaces every known ${macro} in `profile`; unknown ones stay as written. */
export function replaceMacros(profile: string, ctx: RenderContext, asyncThreadNum: number): string {
  const macros: Record<string, string> = {
    modulename: `${ctx.app}.${ctx.server}`,
    app: ctx.app,
    server: ctx.server,
    basepath: withSlash(ctx.binDir),
    datapath: withSlash(ctx.dataDir),
    logpath: withSlash(ctx.logDir),
    localip: ctx.listenAddress,
    locator: ctx.locator,
    local: ctx.local,
    asyncthread: String(asyncThreadNum),
    mainclass: mainClassOf(ctx.app, ctx.server),
    enableset: 'n',
    setdivision: 'NULL',
  };
  return profile.replace(/\$\{([a-z]+)\}/g, (whole, name: string) => macros[name] ?? whole);
}

/**
 * Renders the config file text. Throws ConfigParseError (naming the line) when the profile does
 * not parse; the caller then refuses to launch, as upstream does.
 */
export function renderServerConfig(descriptor: ServerDescriptor, ctx: RenderContext): RenderedConfig {
  const base = new TarsConfig(undefined, 'generated');
  base.set(`${SERVER}<node>`, ctx.nodeObj);
  for (const [name, a] of descriptor.adapters) {
    const at = `${SERVER}/${a.adapterName || name}`;
    base.set(`${at}<endpoint>`, a.endpoint.split('${localip}').join(ctx.listenAddress));
    base.set(`${at}<allow>`, a.allowIp);
    base.set(`${at}<queuecap>`, String(a.queuecap));
    base.set(`${at}<queuetimeout>`, String(a.queuetimeout));
    base.set(`${at}<maxconns>`, String(a.maxConnections));
    base.set(`${at}<threads>`, String(a.threadNum));
    base.set(`${at}<servant>`, a.servant);
    base.set(`${at}<protocol>`, a.protocol || 'tars');
  }
  const profile = TarsConfig.parse(replaceMacros(descriptor.profile, ctx, descriptor.asyncThreadNum), 'profile');
  const config = joinConfig(base, profile, true);
  return { config, text: config.toString(), ...describeServerConfig(config) };
}

/**
 * What the agent reads back from a rendered config: heart timeout, admin endpoint, env, and the
 * adapters the server heartbeats for (every server sub-domain with a servant, plus AdminAdapter).
 */
export function describeServerConfig(config: TarsConfig): Omit<RenderedConfig, 'config' | 'text'> {
  const warnings: string[] = [];
  let heartTimeoutMs = DEFAULT_HEART_TIMEOUT_MS;
  const raw = config.get(`${SERVER}<hearttimeout>`);
  if (raw !== undefined && raw !== '') {
    const seconds = Number(raw);
    if (Number.isFinite(seconds) && seconds > 0) heartTimeoutMs = Math.round(seconds * 1000);
    else warnings.push(`${SERVER}<hearttimeout>="${raw}" is not a positive number of seconds; using ${DEFAULT_HEART_TIMEOUT_MS / 1000}`);
  }
  const adapters = config.getDomain(SERVER).filter((name) => config.get(`${SERVER}/${name}<servant>`));
  adapters.push('AdminAdapter');
  return { heartTimeoutMs, env: config.get(`${SERVER}<env>`), adminEndpoint: config.get(`${SERVER}<local>`) || undefined, adapters, warnings };
}

function withSlash(dir: string): string {
  return dir.endsWith('/') ? dir : `${dir}/`;
}
