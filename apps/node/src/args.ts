// Command line of tarsnode. Two modes:
//   tarsnode run --app A --server S [flags] -- command args...   (laptop: wrap a server)
//   tarsnode pod [--config=tarsnode.conf]                        (Kubernetes: PID 1 of a tars pod)
// `tarsnode --config=FILE` alone is pod mode, as upstream's start.sh runs it.
import type { LocalServant } from './local-descriptor.ts';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface RunArgs {
  mode: 'run';
  app: string;
  server: string;
  command: string;
  args: string[];
  /** The locator (QueryObj proxy string); undefined = no registry. */
  locator?: string;
  /** RegistryObj proxy string; default resolved by name through the locator. */
  registryObj?: string;
  nodeEndpoint: string;
  nodeObjEndpoint?: string;
  servants: LocalServant[];
  profileFile?: string;
  dir: string;
  local?: string;
  podName?: string;
  listenAddress: string;
  /** Append `--config=<file>` to the command (TARS_CONFIG is always set). */
  configArg: boolean;
  stdoutFile?: string;
  exitsFile?: string;
  notify: boolean;
  /** false: the wrapped program sends no heartbeats. */
  heartbeat: boolean;
  logLevel: string;
}

export interface PodArgs {
  mode: 'pod';
  configFile?: string;
  /** Foreground launcher: `config` renders and writes the server's command line; `daemon` observes. */
  target?: 'config' | 'daemon';
  /** Where --target=config writes the command line (a shell line for `eval`). */
  outfile?: string;
  logLevel: string;
}

export interface HelpArgs {
  mode: 'help';
}

export type CliArgs = RunArgs | PodArgs | HelpArgs;

export const USAGE = `usage:
  tarsnode run --app APP --server SERVER [options] -- COMMAND [ARGS...]
  tarsnode pod [--config=tarsnode.conf]
  tarsnode --config=tarsnode.conf            (same as pod)
  tarsnode pod --target=config --outfile=F   (LauncherType foreground: render, write the command line)
  tarsnode pod --target=daemon               (LauncherType foreground: heartbeats and states only)

run options:
  --registry LOCATOR        tars.tarsregistry.QueryObj@tcp -h H -p 17890, or HOST[:PORT]
                            (descriptor and state reports through the registry)
  --registry-obj PROXY      Registry object (default: tars.tarsregistry.RegistryObj via the locator)
  --node-endpoint EP        ServerF endpoint (default tcp -h 127.0.0.1 -p 19386 -t 60000)
  --nodeobj-endpoint EP     also serve NodeObj (start/stop/restart/notify commands) here
  --servant NAME:PORT       a servant of the server (repeatable; descriptor without a registry)
  --profile FILE            extra config profile (wins over the generated defaults)
  --dir DIR                 conf/data/log directory (default .tarsnode/APP.SERVER)
  --local EP                the server's AdminObj endpoint (\${local}); enables AdminF shutdown
  --listen-address HOST     \${localip} (default 127.0.0.1)
  --pod-name NAME           name reported with each state (default app-server)
  --stdout FILE             append the server's stdout/stderr here (default: the agent's own)
  --exits FILE              append each exit as a JSON line here
  --no-config-arg           do not append --config=FILE to the command
  --no-notify               do not send alarms to tars.tarsnotify.NotifyObj
  --no-heartbeat            the program sends no keepAlive: Active once running, restarted only when it exits
  --log-level LEVEL         DEBUG, INFO (default), WARN, ERROR`;

const RUN_VALUE_FLAGS = new Set([
  'app', 'server', 'registry', 'registry-obj', 'node-endpoint', 'nodeobj-endpoint', 'servant', 'profile', 'dir', 'local',
  'listen-address', 'pod-name', 'stdout', 'exits', 'log-level',
]);
const RUN_BOOL_FLAGS = new Set(['no-config-arg', 'no-notify', 'no-heartbeat']);
const NAME = /^[A-Za-z0-9_-]+$/;

export function parseArgs(argv: readonly string[]): CliArgs {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') return { mode: 'help' };
  if (argv[0] === 'run') return parseRun(argv.slice(1));
  if (argv[0] === 'pod') return parsePod(argv.slice(1));
  if (argv[0].startsWith('--config') || argv[0].startsWith('--target')) return parsePod(argv);
  throw new UsageError(`unknown command "${argv[0]}" (expected run or pod)`);
}

function parsePod(argv: readonly string[]): PodArgs {
  const out: PodArgs = { mode: 'pod', logLevel: 'INFO' };
  for (let i = 0; i < argv.length; i++) {
    const { name, value, used } = flag(argv, i, (n) => ['config', 'log-level', 'target', 'outfile'].includes(n));
    i += used;
    if (name === 'config') out.configFile = value;
    else if (name === 'log-level') out.logLevel = value;
    else if (name === 'outfile') out.outfile = value;
    else if (name === 'target') {
      if (value !== 'config' && value !== 'daemon') throw new UsageError(`pod: --target must be config or daemon, not "${value}"`);
      out.target = value;
    } else throw new UsageError(`pod: unknown option --${name}`);
  }
  if (out.target === 'config' && !out.outfile) throw new UsageError('pod: --target=config needs --outfile=FILE');
  if (out.outfile && out.target !== 'config') throw new UsageError('pod: --outfile goes with --target=config');
  return out;
}

function parseRun(argv: readonly string[]): RunArgs {
  const dash = argv.indexOf('--');
  if (dash < 0 || dash === argv.length - 1) throw new UsageError('run: give the server command after "--" (tarsnode run --app A --server S -- node server.js)');
  const values = new Map<string, string[]>();
  const bools = new Set<string>();
  const flags = argv.slice(0, dash);
  for (let i = 0; i < flags.length; i++) {
    const { name, value, used } = flag(flags, i, (n) => RUN_VALUE_FLAGS.has(n));
    i += used;
    if (RUN_BOOL_FLAGS.has(name)) bools.add(name);
    else if (RUN_VALUE_FLAGS.has(name)) values.set(name, [...(values.get(name) ?? []), value]);
    else throw new UsageError(`run: unknown option --${name}`);
  }
  const one = (name: string): string | undefined => {
    const v = values.get(name);
    if (v && v.length > 1) throw new UsageError(`run: --${name} given ${v.length} times`);
    return v?.[0];
  };
  const app = one('app');
  const server = one('server');
  if (!app || !server) throw new UsageError('run: --app and --server are required');
  for (const [what, v] of [['app', app], ['server', server]]) {
    if (!NAME.test(v)) throw new UsageError(`run: --${what} "${v}" may only contain letters, digits, "_" and "-"`);
  }
  const [command, ...args] = argv.slice(dash + 1);
  return {
    mode: 'run',
    app,
    server,
    command,
    args,
    locator: registryLocator(one('registry')),
    registryObj: one('registry-obj'),
    nodeEndpoint: one('node-endpoint') ?? 'tcp -h 127.0.0.1 -p 19386 -t 60000',
    nodeObjEndpoint: one('nodeobj-endpoint'),
    servants: (values.get('servant') ?? []).map(parseServant),
    profileFile: one('profile'),
    dir: one('dir') ?? `.tarsnode/${app}.${server}`,
    local: one('local'),
    podName: one('pod-name'),
    listenAddress: one('listen-address') ?? '127.0.0.1',
    configArg: !bools.has('no-config-arg'),
    stdoutFile: one('stdout'),
    exitsFile: one('exits'),
    notify: !bools.has('no-notify'),
    heartbeat: !bools.has('no-heartbeat'),
    logLevel: one('log-level') ?? 'INFO',
  };
}

/** `--name value` or `--name=value`; boolean flags take no value. */
function flag(argv: readonly string[], i: number, takesValue: (name: string) => boolean): { name: string; value: string; used: number } {
  const arg = argv[i];
  if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}" (the server command goes after "--")`);
  const eq = arg.indexOf('=');
  const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
  if (!takesValue(name)) {
    if (eq >= 0) throw new UsageError(`--${name} takes no value`);
    return { name, value: '', used: 0 };
  }
  if (eq >= 0) return { name, value: arg.slice(eq + 1), used: 0 };
  const next = argv[i + 1];
  if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value`);
  return { name, value: next, used: 1 };
}

/** `HOST[:PORT]` becomes the QueryObj locator on that host (port 17890); a proxy string is kept. */
export function registryLocator(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.includes('@')) return value;
  const m = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value);
  if (!m) throw new UsageError(`--registry "${value}" is neither a locator (Obj@tcp -h H -p P) nor HOST[:PORT]`);
  return `tars.tarsregistry.QueryObj@tcp -h ${m[1]} -p ${m[2] ?? 17890}`;
}

/** `HelloObj:8080` (tcp, tars), with optional `/udp` or `/not_tars` suffixes. */
export function parseServant(value: string): LocalServant {
  const m = /^([A-Za-z0-9_]+):(\d{1,5})((?:\/(?:udp|tcp|not_tars|tars))*)$/.exec(value);
  if (!m) throw new UsageError(`--servant "${value}" must look like HelloObj:8080 (optionally /udp, /not_tars)`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new UsageError(`--servant "${value}": port ${port} is out of range`);
  if (port === 19385) throw new UsageError(`--servant "${value}": port 19385 is reserved for tarsnode's NodeObj`);
  const options = m[3].split('/').filter(Boolean);
  return { name: m[1], port, tcp: !options.includes('udp'), tars: !options.includes('not_tars') };
}
