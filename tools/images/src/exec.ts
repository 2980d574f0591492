// Runs the external tools (buildah, skopeo, apt-get, dpkg-deb) and turns a failure into an
// error that shows the command and the tail of its output, not just an exit code.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export class CommandError extends Error {
  readonly code: number | null;
  readonly output: string;
  constructor(cmd: string[], code: number | null, output: string) {
    const tail = output.trim().split('\n').slice(-25).join('\n');
    super(`command failed (exit ${code}): ${cmd.join(' ')}\n${tail}`);
    this.name = 'CommandError';
    this.code = code;
    this.output = output;
  }
}

/** Runs `cmd` to completion and returns its stdout; stderr is kept only for the error message. */
export function run(cmd: string[], opts: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd[0], cmd.slice(1), {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      // stdin is /dev/null: nothing here reads input, and `buildah run` would attach a pipe.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let all = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; all += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { all += d; });
    child.on('error', (err) => reject(new Error(`cannot start ${cmd[0]}: ${err.message}`)));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new CommandError(cmd, code, all))));
  });
}

/** True when `name` is an executable file in one of the PATH directories. */
export function have(name: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}
