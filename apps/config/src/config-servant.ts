// tars.tarsconfig.ConfigObj: every ConfigF method over the TConfig index (Kubernetes edition,
// framework-services §7.3), plus the native load limit. Answers: 0 with the content; -1 with
// the reason in the out string for a missing/unactivated config or invalid names; 429 when
// rate-limited. Nothing a caller sends makes it throw.
import { ConfigF } from '@tars-ts/interfaces';
import type { Current, Logger } from '@tars-ts/rpc';
import { TarsConfig } from '@tars-ts/service';
import type { ConfigIndex } from './config-index.ts';
import { listNames, mergeConfig, type MergeResult } from './config-merge.ts';
import { appServerProblem, configNameProblem, splitAppServer } from './names.ts';
import { normalizeIp, podSeqOf, type PodDirectory } from './pod-seq.ts';
import { LoadLimiter, RATE_LIMITED } from './rate-limit.ts';

export interface ConfigServantDeps {
  index: ConfigIndex;
  pods: PodDirectory;
  limiter: LoadLimiter;
  logger: Logger;
}

type Loaded = { ret: number; config: string };
type Checked = { ret: number; result: string };
type Listed = { ret: number; vf: string[] };

export class ConfigServant extends ConfigF.ConfigServant {
  private readonly deps: ConfigServantDeps;

  constructor(deps: ConfigServantDeps) {
    super();
    this.deps = deps;
  }

  // ---- lists: activated master-level config names, sorted -------------------------------------

  ListConfig(_current: Current, app: string, server: string): Listed {
    return this.list(app, server);
  }

  ListConfigByInfo(_current: Current, info: ConfigF.ConfigInfo): Listed {
    return this.list(info.appname, info.bAppOnly ? '' : info.servername);
  }

  ListAllConfigByInfo(current: Current, info: ConfigF.GetConfigListInfo): Listed {
    // upstream overwrites the app-level list with the server-level one; bAppOnly means app level
    const server = info.bAppOnly ? '' : info.servername;
    if (!this.deps.limiter.allow(info.appname, server, current.callerHost, '')) return { ret: RATE_LIMITED, vf: [] };
    return this.list(info.appname, server);
  }

  // ---- loads --------------------------------------------------------------------------------

  loadConfig(current: Current, app: string, server: string, filename: string): Loaded {
    if (!this.deps.limiter.allow(app, server, current.callerHost, filename)) return limited(app, server, filename);
    return loaded(this.load(app, server, filename, peerOf(current)));
  }

  loadConfigByHost(current: Current, appServerName: string, filename: string, host: string): Loaded {
    const parts = splitAppServer(appServerName);
    if (!parts) return { ret: -1, config: `invalid appServerName ${JSON.stringify(appServerName.slice(0, 100))}: expected App or App.Server` };
    return loaded(this.load(parts[0], parts[1], filename, host || peerOf(current)));
  }

  loadConfigByInfo(current: Current, info: ConfigF.ConfigInfo): Loaded {
    const server = info.bAppOnly ? '' : info.servername;
    if (!this.deps.limiter.allow(info.appname, server, current.callerHost, info.filename)) return limited(info.appname, server, info.filename);
    return loaded(this.load(info.appname, server, info.filename, info.host || peerOf(current)));
  }

  // ---- checks: load, then parse as a Tars config ---------------------------------------------

  checkConfig(current: Current, appServerName: string, filename: string, host: string): Checked {
    const r = this.loadConfigByHost(current, appServerName, filename, host);
    return r.ret === 0 ? check(r.config) : { ret: r.ret, result: r.config };
  }

  checkConfigByInfo(current: Current, info: ConfigF.ConfigInfo): Checked {
    const server = info.bAppOnly ? '' : info.servername;
    const r = loaded(this.load(info.appname, server, info.filename, info.host || peerOf(current)));
    return r.ret === 0 ? check(r.config) : { ret: r.ret, result: r.config };
  }

  // ---- shared ---------------------------------------------------------------------------------

  private list(app: string, server: string): Listed {
    if (appServerProblem(app, server)) return { ret: 0, vf: [] };
    return { ret: 0, vf: listNames(this.deps.index.all(app, server)) };
  }

  private load(app: string, server: string, filename: string, host: string): MergeResult {
    const bad = configNameProblem(filename) ?? appServerProblem(app, server);
    if (bad) return { ok: false, reason: bad };
    const seq = podSeqOf(app, server, host, this.deps.pods);
    const what = `${JSON.stringify(filename)} of ${server ? `${app}.${server}` : `app ${app}`}`;
    const r = mergeConfig(this.deps.index.versions(app, server, filename), seq, what);
    if (!r.ok) this.deps.logger.debug(`load ${what} for ${host}: ${r.reason}`);
    return r;
  }
}

function peerOf(current: Current): string {
  return normalizeIp(current.remoteAddress);
}

function loaded(r: MergeResult): Loaded {
  return r.ok ? { ret: 0, config: r.content } : { ret: -1, config: r.reason };
}

function limited(app: string, server: string, filename: string): Loaded {
  return { ret: RATE_LIMITED, config: `too many loads of ${filename} for ${app}.${server} from this caller; try again later` };
}

function check(content: string): Checked {
  try {
    TarsConfig.parse(content, 'config');
    return { ret: 0, result: content };
  } catch (e) {
    return { ret: -1, result: (e as Error).message };
  }
}
