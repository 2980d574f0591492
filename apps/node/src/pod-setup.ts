// What upstream's start.sh does before tarsnode runs (k8sframework.md §9.2), done by the agent
// itself so the image needs no shell scripts: environment → paths, /etc/hosts entries for the
// ListenAddress, and the server package linked to ServerBinDir.
import { existsSync, lstatSync, mkdirSync, readFileSync, appendFileSync, symlinkSync } from 'node:fs';
import { dirname } from 'node:path';

export interface PodEnvironment {
  app: string;
  server: string;
  podName: string;
  podIp: string | undefined;
  listenAddress: string;
  baseDir: string;
  binDir: string;
  dataDir: string;
  confDir: string;
  logDir: string;
  confFile: string;
  serverType: string;
  launcherType: string;
}

export class PodEnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PodEnvironmentError';
  }
}

export const TARSNODE_DIR = '/usr/local/app/tars/tarsnode';
export const APP_LOG_DIR = '/usr/local/app/tars/app_log';

/** Reads the variables the pod template and init container provide; names as upstream's `util/environment`. */
export function podEnvironment(env: NodeJS.ProcessEnv): PodEnvironment {
  const missing = ['ServerApp', 'ServerName', 'PodName'].filter((k) => !env[k]);
  if (missing.length > 0) throw new PodEnvironmentError(`pod mode needs the environment variables ${missing.join(', ')} (set by the pod template)`);
  const app = env.ServerApp as string;
  const server = env.ServerName as string;
  const podName = env.PodName as string;
  const baseDir = env.ServerBaseDir || `${TARSNODE_DIR}/data/${app}.${server}`;
  const confDir = env.ServerConfDir || `${baseDir}/conf`;
  return {
    app,
    server,
    podName,
    podIp: env.PodIP || undefined,
    listenAddress: env.ListenAddress || `${podName}.${app}-${server}`.toLowerCase(),
    baseDir,
    binDir: env.ServerBinDir || `${baseDir}/bin`,
    dataDir: env.ServerDataDir || `${baseDir}/data`,
    confDir,
    logDir: env.ServerLogDir || APP_LOG_DIR,
    confFile: env.ServerConfFile || `${confDir}/${app}.${server}.config.conf`,
    serverType: env.ServerType || 'cpp',
    launcherType: env.ServerLauncherType || env.LauncherType || 'background',
  };
}

/** Appends `ip name` lines that the hosts file lacks; returns the names added. */
export function ensureHostsEntries(hostsFile: string, ip: string, names: readonly string[]): string[] {
  const text = existsSync(hostsFile) ? readFileSync(hostsFile, 'utf8') : '';
  const present = new Set<string>();
  for (const line of text.split('\n')) {
    const [addr, ...hostNames] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (addr === ip) for (const h of hostNames) present.add(h);
  }
  const added = [...new Set(names)].filter((n) => n && !present.has(n));
  if (added.length > 0) {
    const lead = text === '' || text.endsWith('\n') ? '' : '\n';
    appendFileSync(hostsFile, lead + added.map((n) => `${ip} ${n}`).join('\n') + '\n');
  }
  return added;
}

/** Links the image's server package (/usr/local/server/bin) to ServerBinDir unless something is there. */
export function linkServerPackage(packageDir: string, binDir: string): boolean {
  if (!existsSync(packageDir)) return false;
  try {
    lstatSync(binDir);
    return false;
  } catch {
    mkdirSync(dirname(binDir), { recursive: true });
    symlinkSync(packageDir, binDir);
    return true;
  }
}
