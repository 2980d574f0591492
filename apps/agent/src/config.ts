// The agent's settings: env as the chart sets it (NodeName, TLVInHost) plus flags for what the
// upstream agent hard-coded (the pod's mount of the TLV base, the crontab path).
import { isAbsolute } from 'node:path';
import { dns1123SubdomainProblem } from '@tars-ts/api';
import { DEFAULT_CRONTAB } from './cron/runner.ts';

export const DEFAULT_TLV_IN_HOST = '/usr/local/app/tars/host-mount';
/** Where the chart mounts TLVInHost in the agent's pod (upstream's constant TLVInPod). */
export const DEFAULT_TLV_IN_POD = '/usr/local/app/tars/host-mount';

export interface AgentConfig {
  nodeName: string;
  tlvInHost: string;
  tlvInPod: string;
  crontab: string;
  storage: boolean;
  cron: boolean;
  logLevel: string;
  /** 0 = no /metrics, /healthz, /readyz server. */
  metricsPort: number;
}

export const USAGE = `tars-agent [--crontab FILE] [--tlv-in-pod DIR] [--no-storage] [--no-cron] [--log-level LEVEL] [--metrics-port N]
env: NodeName (required for storage; spec.nodeName), TLVInHost (default ${DEFAULT_TLV_IN_HOST}), TLVInPod (default ${DEFAULT_TLV_IN_POD})`;

export class ConfigError extends Error {}

function cleanDir(what: string, dir: string): string {
  if (!isAbsolute(dir) || dir.includes('\0') || dir.split('/').includes('..')) throw new ConfigError(`${what} ${JSON.stringify(dir)} must be an absolute path without ".."`);
  return dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
}

export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): AgentConfig {
  const c: AgentConfig = {
    nodeName: env.NodeName ?? '',
    tlvInHost: env.TLVInHost || DEFAULT_TLV_IN_HOST,
    tlvInPod: env.TLVInPod || DEFAULT_TLV_IN_POD,
    crontab: DEFAULT_CRONTAB,
    storage: true,
    cron: true,
    logLevel: 'INFO',
    metricsPort: 0,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new ConfigError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--crontab': c.crontab = value(); break;
      case '--tlv-in-pod': c.tlvInPod = value(); break;
      case '--no-storage': c.storage = false; break;
      case '--no-cron': c.cron = false; break;
      case '--log-level': c.logLevel = value(); break;
      case '--metrics-port': {
        const v = value();
        if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new ConfigError(`--metrics-port ${JSON.stringify(v)} is not a port`);
        c.metricsPort = Number(v);
        break;
      }
      default: throw new ConfigError(`unknown argument ${JSON.stringify(argv[i])}\n${USAGE}`);
    }
  }
  c.tlvInHost = cleanDir('TLVInHost', c.tlvInHost);
  c.tlvInPod = cleanDir('TLVInPod', c.tlvInPod);
  if (c.storage) {
    if (!c.nodeName) throw new ConfigError('env NodeName is not set (the chart sets it from spec.nodeName); --no-storage runs only the crontab');
    const problem = dns1123SubdomainProblem(c.nodeName);
    if (problem) throw new ConfigError(`NodeName: ${problem}`);
  }
  return c;
}
