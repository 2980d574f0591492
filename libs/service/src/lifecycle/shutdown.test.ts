import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStopHooks, Shutdown } from './shutdown.ts';

const CHILD = resolve(import.meta.dirname, 'testing/shutdown-child.ts');

/** Starts the child, sends `signal` once it is ready, returns its output and exit code. */
function runChild(mode: string, signal: NodeJS.Signals): Promise<{ lines: string[]; code: number | null; ms: number }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CHILD, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let sentAt = 0;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (sentAt === 0 && out.includes('ready\n')) {
        sentAt = Date.now();
        child.kill(signal);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('exit', (code) => {
      if (err.trim()) return fail(new Error(`child wrote to stderr: ${err}`));
      done({ lines: out.trim().split('\n'), code, ms: Date.now() - sentAt });
    });
  });
}

describe('graceful shutdown in a real process', () => {
  it('runs stop hooks in reverse order on SIGTERM and exits 0', async () => {
    const { lines, code } = await runChild('ok', 'SIGTERM');
    expect(lines).toEqual(['ready', 'stop third', 'stop second', 'stop first']);
    expect(code).toBe(0);
  });

  it('keeps stopping after a failing hook, on SIGINT too, and exits 1', async () => {
    const { lines, code } = await runChild('fail', 'SIGINT');
    expect(lines).toEqual(['ready', 'stop third', 'stop second', 'error: stop hook second failed', 'stop first']);
    expect(code).toBe(1);
  });

  it('gives up at the deadline when a hook hangs and exits 1', async () => {
    const { lines, code, ms } = await runChild('hang', 'SIGTERM');
    expect(lines).toEqual(['ready', 'stop third', 'stop second', 'error: shutdown deadline of 500 ms passed while stopping second']);
    expect(code).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(5000);
  });
});

describe('Shutdown without signals', () => {
  it('runs once however often it is asked, and honours unregistering', async () => {
    const order: string[] = [];
    const codes: number[] = [];
    const shutdown = new Shutdown({ exit: (c) => codes.push(c) });
    shutdown.onStop('a', () => void order.push('a'));
    const off = shutdown.onStop('b', () => void order.push('b'));
    shutdown.onStop('c', async () => void order.push('c'));
    off();
    expect(shutdown.stopping).toBe(false);
    const first = shutdown.shutdown('test');
    expect(shutdown.stopping).toBe(true);
    expect(shutdown.shutdown('again')).toBe(first);
    expect(await first).toBe(0);
    expect(order).toEqual(['c', 'a']);
    expect(codes).toEqual([0]);
  });

  it('runs first, normal and last groups in that order, each in reverse', async () => {
    const order: string[] = [];
    const shutdown = new Shutdown({ exit: () => {} });
    const hook = (name: string) => () => void order.push(name);
    shutdown.onStop('log', hook('log'), 'last');
    shutdown.onStop('rpc', hook('rpc'), 'first');
    shutdown.onStop('app1', hook('app1'));
    shutdown.onStop('metrics', hook('metrics'), 'last');
    shutdown.onStop('ready', hook('ready'), 'first');
    shutdown.onStop('app2', hook('app2'));
    await shutdown.shutdown('test');
    expect(order).toEqual(['ready', 'rpc', 'app2', 'app1', 'metrics', 'log']);
  });

  it('reports which hooks failed', async () => {
    const outcome = await runStopHooks(
      [
        { name: 'x', hook: () => Promise.reject(new Error('no')) },
        { name: 'y', hook: () => {} },
      ],
      1000,
    );
    expect(outcome).toEqual({ exitCode: 1, failed: ['x'] });
  });
});
