/**
 * The executor's command line as tarsimage (ours and upstream's) writes it: `--timage --id
 * --dockerfile --context=dir://… --destination`, plus kaniko flags upstream's wrapper set, which
 * are accepted and ignored where they do not apply to this builder.
 */
export interface DriverArgs {
  timage: string;
  id: string;
  dockerfile: string;
  context: string;
  destination: string;
  /** Plain HTTP to these registry hosts (kaniko `--insecure-registry`); loopback hosts always. */
  insecureRegistries: string[];
  /** HTTPS without certificate verification (kaniko `--skip-tls-verify`; upstream's default). */
  skipTlsVerify: boolean;
}

export class ArgsError extends Error {
  override name = 'ArgsError';
}

const IGNORED = new Set(['cache', 'cache-dir', 'cache-ttl', 'push-retry', 'snapshot-mode', 'single-snapshot', 'cleanup', 'verbosity', 'log-format', 'reproducible']);

export function parseArgs(argv: string[]): DriverArgs {
  const values = new Map<string, string>();
  const insecureRegistries: string[] = [];
  let skipTlsVerify = false;
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) throw new ArgsError(`unexpected argument ${JSON.stringify(argv[i])}`);
    const [, name, inline] = m;
    const value = inline ?? (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--') ? argv[++i]! : 'true');
    if (name === 'skip-tls-verify') skipTlsVerify = value !== 'false';
    else if (name === 'insecure-registry') insecureRegistries.push(value);
    else if (name === 'insecure') continue;
    else if (IGNORED.has(name!)) continue;
    else if (['timage', 'id', 'dockerfile', 'context', 'destination'].includes(name!)) values.set(name!, value);
    else throw new ArgsError(`unknown flag --${name}`);
  }
  const need = (n: string) => {
    const v = values.get(n);
    if (!v || v === 'true') throw new ArgsError(`--${n} is required`);
    return v;
  };
  const [timage, id, dockerfile, contextArg, destination] = ['timage', 'id', 'dockerfile', 'context', 'destination'].map(need) as [string, string, string, string, string];
  const context = contextArg.replace(/^dir:\/\//, '');
  if (!context.startsWith('/')) throw new ArgsError(`--context must be dir:///<absolute path>, got ${JSON.stringify(contextArg)}`);
  return { timage, id, dockerfile, context, destination, insecureRegistries, skipTlsVerify };
}
