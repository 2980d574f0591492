// The command line of `npm start`: flags, their environment fallbacks and the help text.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs as parseNodeArgs } from 'node:util';
import { DEFAULT_PORT_BASE, parsePortBase } from './ports.ts';

export const USAGE = `Usage: npm start -- [options]            run the whole framework in this process
       npm start -- call-demo [name]        call Demo.HelloServer.HelloObj through the registry

Runs tarsregistry, tarsconfig, tarsnotify, tarslog, tarsstat, tarsproperty, tarsquerystat and
tarsqueryproperty in one process on an embedded cluster state (objects from --manifests, kept in
--data-dir) and a DuckDB monitor store, and starts every TServer that has a command (the demo
Demo.HelloServer) under the node agent.

Options:
  --data-dir DIR     state, monitor data and logs
                     (env TARS_DATA_DIR; default <repository>/.standalone-data)
  --manifests DIR    TServer/TTemplate/TConfig/... YAML or JSON applied at start
                     (env TARS_MANIFESTS; default <repository>/manifests); relative paths in
                     a TServer's command resolve in the folder that holds this folder
  --port-base N      serve port p at N + (p - 10000), to run beside another framework
                     (env TARS_PORT_BASE; default 10000: registry 17890/17891, config 11111, ...)
  --host ADDR        address to listen on (env TARS_HOST; default 127.0.0.1)
  --no-servers       do not start the TServers that have a command (the demo)
  --log-level LEVEL  DEBUG, INFO, WARN, ERROR (default INFO)
  -h, --help         this text

call-demo options: --port-base, --host as above; --locator "tars.tarsregistry.QueryObj@tcp -h H -p P".
`;

/** Defaults live at the repository root whatever directory the command runs in (`npm start -w` runs in apps/standalone). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface StartArgs {
  command: 'start';
  dataDir: string;
  manifestsDir: string;
  portBase: number;
  host: string;
  servers: boolean;
  logLevel: string;
}

export interface CallArgs {
  command: 'call-demo';
  name: string;
  portBase: number;
  host: string;
  locator?: string;
}

export type Args = StartArgs | CallArgs | { command: 'help' };

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), root = REPO_ROOT): Args {
  let parsed;
  try {
    parsed = parseNodeArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        manifests: { type: 'string' },
        'port-base': { type: 'string' },
        host: { type: 'string' },
        'no-servers': { type: 'boolean' },
        'log-level': { type: 'string' },
        locator: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) return { command: 'help' };
  const [command = 'start', ...rest] = parsed.positionals;
  const baseText = v['port-base'] ?? env.TARS_PORT_BASE;
  let portBase = DEFAULT_PORT_BASE;
  if (baseText !== undefined && baseText !== '') {
    try {
      portBase = parsePortBase(baseText);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const host = v.host ?? env.TARS_HOST ?? '127.0.0.1';
  if (command === 'call-demo') {
    if (rest.length > 1) throw new UsageError(`call-demo takes one name, got: ${rest.join(' ')}`);
    return { command, name: rest[0] ?? 'newcomer', portBase, host, ...(v.locator ? { locator: v.locator } : {}) };
  }
  if (command !== 'start') throw new UsageError(`unknown command "${command}" (expected start or call-demo)`);
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  if (v.locator) throw new UsageError('--locator is a call-demo option');
  return {
    command,
    dataDir: pathOf(v['data-dir'] ?? env.TARS_DATA_DIR, cwd, resolve(root, '.standalone-data')),
    manifestsDir: pathOf(v.manifests ?? env.TARS_MANIFESTS, cwd, resolve(root, 'manifests')),
    portBase,
    host,
    servers: !v['no-servers'],
    logLevel: (v['log-level'] ?? 'INFO').toUpperCase(),
  };
}

function pathOf(given: string | undefined, cwd: string, fallback: string): string {
  return given === undefined || given === '' ? fallback : resolve(cwd, given);
}
