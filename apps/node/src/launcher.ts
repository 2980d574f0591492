// How a pod's server is started, chosen by the image's ServerType (k8sframework.md §9.2 start.sh):
// cpp | nodejs-pkg | go: the executable; nodejs: @tars/node-agent; java-war / java-jar: java.
import { TarsConfig } from '@tars-ts/service';

export interface LaunchInput {
  serverType: string;
  serverName: string;
  binDir: string;
  confFile: string;
  /** The rendered config (for java's #{jvmparams}, #{classpath}, #{mainclass}). */
  config: TarsConfig;
  /** Executable regular files in binDir (names only). */
  executables: readonly string[];
  /** NODE_AGENT_BIN of the nodejs base image. */
  nodeAgentBin?: string;
}

export interface LaunchCommand {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

export class LauncherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LauncherError';
  }
}

export function launchCommand(input: LaunchInput): LaunchCommand {
  const { serverType, serverName, binDir, confFile, config } = input;
  const server = (key: string): string => config.get(`/tars/application/server<${key}>`, '');
  const words = (text: string): string[] => text.split(/\s+/).filter(Boolean);
  switch (serverType || 'cpp') {
    case 'cpp':
    case 'go':
    case 'nodejs-pkg': {
      const file = input.executables.includes(serverName) ? serverName : [...input.executables].sort().find((f) => f.endsWith('Server'));
      if (!file) throw new LauncherError(`no executable ${serverName} (or *Server) in ${binDir}`);
      return { command: `${binDir}/${file}`, args: [`--config=${confFile}`], env: { LD_LIBRARY_PATH: `${binDir}:${binDir}/lib` } };
    }
    case 'nodejs': {
      if (!input.nodeAgentBin) throw new LauncherError('ServerType nodejs needs NODE_AGENT_BIN (the @tars/node-agent of the base image)');
      return { command: 'node', args: [input.nodeAgentBin, `${binDir}/`, '-c', confFile] };
    }
    case 'java-war': {
      const mainclass = server('mainclass');
      if (!mainclass) throw new LauncherError('java-war needs /tars/application/server<mainclass> in the config');
      return { command: 'java', args: [`-Dconfig=${confFile}`, ...words(server('jvmparams')), '-cp', server('classpath'), mainclass] };
    }
    case 'java-jar':
      return { command: 'java', args: [`-Dconfig=${confFile}`, ...words(server('jvmparams')), '-jar', `${binDir}/${serverName}.jar`] };
    default:
      throw new LauncherError(`unknown ServerType "${serverType}" (cpp, go, nodejs, nodejs-pkg, java-war, java-jar)`);
  }
}

/** A command as one POSIX shell line for `eval` (foreground launcher): `K='v' exec 'cmd' 'arg'…`. */
export function shellLine(cmd: LaunchCommand): string {
  const quote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;
  const env = Object.entries(cmd.env ?? {}).map(([k, v]) => `${k}=${quote(v)} `).join('');
  return `${env}exec ${[cmd.command, ...cmd.args].map(quote).join(' ')}`;
}
