// Runs `apps/standalone/src/main.ts` as a child process the way `npm start` does, on a port base
// where every port is free (the standalone checks them and says which is taken; then the next
// base is tried), and stops it with a real signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface RunningChild {
  child: ChildProcess;
  portBase: number;
  /** Everything written so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

/** Starts `node main.ts args`; resolves once `readyLine` is printed, rejects when the child exits first. */
export function runMain(args: string[], readyLine: RegExp, timeoutMs: number): Promise<RunningChild> {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const portBase = Number(args[args.indexOf('--port-base') + 1]);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not ready within ${timeoutMs} ms:\n${text}`));
    }, timeoutMs);
    const onData = (b: Buffer) => {
      text += b.toString();
      if (readyLine.test(text)) {
        clearTimeout(timer);
        resolve({ child, portBase, output: () => text, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`exited with ${code} before it was ready:\n${text}`), { output: text }));
    });
  });
}

/** Runs a command to completion; resolves with its exit code and output. */
export function runToEnd(args: string[], timeoutMs = 30_000): Promise<{ code: number | string; output: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (b: Buffer) => (text += b.toString()));
  child.stderr.on('data', (b: Buffer) => (text += b.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal ?? -1, output: text });
    }),
  );
}

/**
 * A base whose block (base .. base + 9891) stays below Linux's ephemeral ports (32768), so
 * outgoing connections of other tests do not take them; the start says when one is taken anyway.
 */
export function randomPortBase(): number {
  return 20_000 + 100 * Math.floor(Math.random() * 28);
}

/** Starts the standalone on the first base (from a random one) whose ports are all free. */
export async function startStandaloneChild(dataDir: string, extra: string[] = [], timeoutMs = 90_000, until = /Ctrl-C stops everything/): Promise<RunningChild> {
  let base = randomPortBase();
  for (let attempt = 1; ; attempt++) {
    try {
      return await runMain(['--data-dir', dataDir, '--port-base', String(base), ...extra], until, timeoutMs);
    } catch (e) {
      const output = (e as { output?: string }).output ?? '';
      if (attempt >= 5 || !/cannot listen/.test(output)) throw e;
      base = randomPortBase();
    }
  }
}

/**
 * Stops a child that a failed test left running: SIGTERM (it stops its servers), SIGKILL after
 * 20 s, and then any server process it reported starting that is still alive.
 */
export async function stopChild(run: RunningChild): Promise<void> {
  if (run.child.exitCode === null && run.child.signalCode === null) {
    run.child.kill('SIGTERM');
    const timer = setTimeout(() => run.child.kill('SIGKILL'), 20_000);
    await run.exited;
    clearTimeout(timer);
  }
  for (const m of run.output().matchAll(/\] started .* as pid (\d+)/g)) {
    try {
      process.kill(-Number(m[1]), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
