/**
 * Where a service finds its config file, as Tars services do: `--config=FILE` (TarsCpp, the
 * K8SFramework launcher) or `--config FILE` on the command line, else the `TARS_CONFIG`
 * environment variable (set by the Node node-agent). The command line wins.
 */
export function configPathFrom(argv: readonly string[], env: Record<string, string | undefined>): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--config=')) return nonEmpty(arg.slice('--config='.length), '--config=');
    if (arg === '--config') {
      if (i + 1 >= argv.length) throw new Error('--config needs a file name');
      return nonEmpty(argv[i + 1], '--config');
    }
  }
  const fromEnv = env.TARS_CONFIG;
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

function nonEmpty(value: string, flag: string): string {
  if (value === '') throw new Error(`${flag} needs a file name`);
  return value;
}
