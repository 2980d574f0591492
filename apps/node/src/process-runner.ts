// Starts the server process and watches it: its own process group (so signals reach the whole
// tree a wrapper command may start), stdout and stderr appended to one log file, exit reported once.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export interface LaunchSpec {
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** File that receives stdout and stderr (appended); undefined = inherit the agent's. */
  logFile: string | undefined;
}

export interface RunningProcess {
  readonly pid: number;
  /** Resolves once, when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  /** Signals the process group (falls back to the process); false when it is already gone. */
  signal(sig: NodeJS.Signals): boolean;
}

/** Every process started here and still alive: killed if the agent's own process exits first. */
const live = new Set<RunningProcess>();
let exitHookInstalled = false;
function killLiveOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of live) p.signal('SIGKILL');
  });
}

export class SpawnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpawnError';
  }
}

/** Spawns `spec`; rejects with SpawnError when the command cannot be started (ENOENT, EACCES, bad cwd). */
export function startProcess(spec: LaunchSpec): Promise<RunningProcess> {
  let fd: number | undefined;
  if (spec.logFile) {
    mkdirSync(dirname(spec.logFile), { recursive: true });
    fd = openSync(spec.logFile, 'a');
  }
  let child: ChildProcess;
  try {
    child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', fd ?? 'inherit', fd ?? 'inherit'],
      detached: true,
    });
  } catch (e) {
    return Promise.reject(new SpawnError(`cannot start ${spec.command}: ${(e as Error).message}`));
  } finally {
    // The child holds its own copy of the descriptor.
    if (fd !== undefined) closeSync(fd);
  }
  // Listen for the exit before anything else can run, so even an instant exit is seen.
  const exited = new Promise<{ code: number | null; signal: string | null }>((done) => {
    child.once('exit', (code, signal) => done({ code, signal }));
  });
  return new Promise((resolve, reject) => {
    // `on`, not `once`: a later error (a failed kill) must not go unhandled; reject is a no-op then.
    child.on('error', (e) => reject(new SpawnError(`cannot start ${spec.command}: ${e.message}`)));
    child.once('spawn', () => {
      const pid = child.pid as number;
      let gone = false;
      const running: RunningProcess = {
        pid,
        exited,
        signal(sig) {
          if (gone) return false;
          try {
            process.kill(-pid, sig);
            return true;
          } catch {
            try {
              return child.kill(sig);
            } catch {
              return false;
            }
          }
        },
      };
      live.add(running);
      killLiveOnExit();
      void exited.then(() => {
        gone = true;
        live.delete(running);
      });
      resolve(running);
    });
  });
}
