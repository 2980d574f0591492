/** Runs a program with a deadline, streaming its output lines; kills its process group on timeout. */
import { spawn } from 'node:child_process';

export interface ExecOptions {
  timeoutMs: number;
  onLine?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Names the step in errors (default: the program name). */
  label?: string;
}

export class ExecError extends Error {
  override name = 'ExecError';
}

export function execStreaming(argv: string[], options: ExecOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: options.env ?? process.env });
    let tail = '';
    let timedOut = false;
    const onData = (buf: Buffer) => {
      const text = buf.toString('utf8');
      tail = (tail + text).slice(-2000);
      for (const line of text.split('\n')) if (line.trim() !== '') options.onLine?.(line.trimEnd());
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, options.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new ExecError(`${options.label ?? argv[0]}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const why = timedOut ? `did not finish within ${Math.round(options.timeoutMs / 1000)} s` : `exited with ${code ?? signal}`;
      reject(new ExecError(`${options.label ?? argv[0]} ${why}: ${tail.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}
