// Child processes in their own process group, output to a log file, stopped group-wide.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Resolves when the process has exited (never rejects). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
}

export function spawnLogged(name: string, command: string, args: string[], logFile: string): ManagedProcess {
  const fd = openSync(logFile, 'a');
  let done = false;
  // detached: a new process group, so stop() can signal the whole tree and a Ctrl-C in the
  // terminal reaches only us (we then stop the servers in order).
  const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
    child.once('error', () => {
      done = true;
      resolve({ code: null, signal: null });
    });
  });
  return { name, child, logFile, exited, hasExited: () => done };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM to the process group, SIGKILL after graceMs. */
export async function stopProcess(p: ManagedProcess, graceMs = 5_000): Promise<void> {
  const pid = p.child.pid;
  if (pid === undefined || p.hasExited()) return;
  signalGroup(pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      signalGroup(pid, 'SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([p.exited.then(() => undefined), killed]);
  clearTimeout(timer);
  await p.exited;
}

/** Synchronous last-resort kill, for process 'exit' handlers. */
export function killNow(p: ManagedProcess): void {
  if (p.child.pid !== undefined && !p.hasExited()) signalGroup(p.child.pid, 'SIGKILL');
}

export function tailOf(file: string, lines = 30): string {
  try {
    const all = readFileSync(file, 'utf8').trimEnd().split('\n');
    return all.slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
