/**
 * The commands behind AdminF.notify (`tarsnode`/tarsweb send e.g. "tars.setloglevel DEBUG").
 * A command line is a name and the rest as parameters, split at the first space, as TarsCpp's
 * NotifyObserver does. No I/O here: the AdminF servant and tests call `dispatch`.
 */
export type CommandHandler = (params: string) => string | Promise<string>;

export interface CommandInfo {
  name: string;
  help: string;
}

const COMMAND_NAME = /^[A-Za-z0-9_.:-]+$/;

export class AdminCommands {
  private readonly handlers = new Map<string, { handler: CommandHandler; help: string }>();

  register(name: string, handler: CommandHandler, help = ''): void {
    if (!COMMAND_NAME.test(name)) throw new Error(`invalid admin command name "${name}"`);
    if (this.handlers.has(name)) throw new Error(`admin command "${name}" is already registered`);
    this.handlers.set(name, { handler, help });
  }

  unregister(name: string): boolean {
    return this.handlers.delete(name);
  }

  has(name: string): boolean {
    return this.handlers.has(name);
  }

  list(): CommandInfo[] {
    return [...this.handlers].map(([name, { help }]) => ({ name, help })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Runs a command line and returns its text; unknown commands and handler errors become text too. */
  async dispatch(commandLine: string): Promise<string> {
    const { name, params } = splitCommand(commandLine);
    const entry = this.handlers.get(name);
    if (!entry) return `unknown command "${name}"; tars.help lists the commands`;
    try {
      return await entry.handler(params);
    } catch (e) {
      return `command ${name} failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
}

export function splitCommand(commandLine: string): { name: string; params: string } {
  const line = commandLine.trim();
  const space = line.search(/\s/);
  return space === -1 ? { name: line, params: '' } : { name: line.slice(0, space), params: line.slice(space + 1).trim() };
}

/** What the built-in commands need from the running service. */
export interface BuiltinCommandDeps {
  /** Sets the level (throws on an unknown one) and returns the level now in force. */
  setLogLevel(level: string): string;
  /** Name/value pairs for tars.viewstatus, in display order. */
  status(): Record<string, string | number | boolean | undefined>;
  /** Text for tars.connection (adapters and their connections). */
  connections(): string;
  version?: string;
}

/** tars.help, tars.setloglevel, tars.viewstatus, tars.connection and tars.viewversion. */
export function registerBuiltinCommands(commands: AdminCommands, deps: BuiltinCommandDeps): void {
  commands.register(
    'tars.help',
    () => commands.list().map((c) => (c.help ? `${c.name} - ${c.help}` : c.name)).join('\n'),
    'list the admin commands',
  );
  commands.register(
    'tars.setloglevel',
    (params) => {
      const level = params.trim();
      try {
        return `set log level [${deps.setLogLevel(level)}] ok`;
      } catch {
        return `set log level [${level}] error: expected NONE, ERROR, WARN, INFO or DEBUG`;
      }
    },
    'LEVEL: change the log level (NONE, ERROR, WARN, INFO, DEBUG)',
  );
  commands.register(
    'tars.viewstatus',
    () =>
      Object.entries(deps.status())
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n'),
    'show the service status',
  );
  commands.register('tars.connection', () => deps.connections(), 'show adapters and their connections');
  commands.register('tars.viewversion', () => deps.version ?? 'unknown', 'show the service version');
}
